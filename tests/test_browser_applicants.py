"""Chromium, issue 17 end to end: a newcomer signs up on the public page in a fresh phone browser and the
confirmation reaches a local SMTP server; the coordinator moves them to cleared, one click per stage, and they
are on the roster, untrained, with their availability, invited (the invitation email arrives). Three
published shifts later, each checked in beside a trained volunteer, the Applicants page asks the coordinator
to mark them trained, and one click does."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from planner.core.clock import utcnow
from planner.core.domain import WeeklyWindow, monday_of
from planner.core.problem import Assignment
from planner.present.applicants import THANKS
from planner.services import invitations
from planner.store import applicants, attendance, db, plans
from planner.store.models import ApplicantRow
from planner.store.roster import list_volunteers
from tests.fixtures.browser import settled
from tests.test_browser_signin import APP, log_in
from tests.test_invitations import text_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 30_000
NAME, EMAIL = "Noor Haddad", "noor.haddad@example.org"


def _fresh(browser: Browser, **options: object) -> Page:
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(TIMEOUT)
    return page


def _sign_up(page: Page, url: str) -> None:
    """As a newcomer on a phone: the shared link, the form, Sign up."""
    page.goto(f"{url}/volunteer")
    page.wait_for_selector(APP)
    expect(page.get_by_role("heading", name="Volunteer with Demo drop-in center")).to_be_visible()
    expect(page.get_by_text("We never ask about survivor status")).to_be_visible()
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_text("Volunteer on four-hour shifts").click()
    for day in (4, 3):  # Friday (open now) and Thursday (if the center opens it)
        page.locator(f".st-key-volunteer_day_{day}").get_by_role("button", name="Morning 09:00-13:00").click()
    page.get_by_text("I agree to a background check").click()
    expect(page.locator(".st-key-volunteer_website")).to_be_hidden()  # the honeypot
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text(THANKS)).to_be_visible()


def _applicant_id(url: str) -> int:
    with db.session(url, readonly=True) as s:
        return next(a.id for a in applicants.list_applicants(s) if a.name == NAME)


def _click_next(page: Page, applicant_id: int, label: str) -> None:
    """After the page's last run has finished: while a run streams in, Streamlit reuses the elements by
    position, so a box's key may still name the applicant who stood there before."""
    settled(page)
    box = page.locator(f".st-key-applicant_{applicant_id}")
    box.get_by_role("button", name=label).click()


def _three_shadow_shifts(url: str) -> str:
    """Time passes: cleared four weeks ago, then three Friday mornings published with them on, each checked
    in beside a trained volunteer who checked in too. Returns the trainee's name on the roster."""
    cleared = utcnow() - timedelta(weeks=4)
    with db.session(url) as s:
        s.execute(update(ApplicantRow).where(ApplicantRow.name.is_(None), ApplicantRow.stage == "cleared")
                  .values(cleared_at=cleared))
        people = list_volunteers(s)
        trainee = next(v for v in people if v.name == NAME)
        mentor = next(v for v in people if v.trained and v.check_status == "cleared"
                      and WeeklyWindow.parse("Fri 09:00-13:00") in v.availability)
        for back in (3, 2, 1):
            week = monday_of(date.today()) - timedelta(weeks=back)
            slot = f"{week + timedelta(days=4)}-am"
            latest = plans.latest_published(s, week)
            now_on = set(latest.assignments) if latest else set()
            plans.publish_assignments(s, week, sorted(now_on | {Assignment(slot, trainee.key),
                                                               Assignment(slot, mentor.key)}),
                                      based_on=latest.version if latest else None, actor="test")
            came = datetime.combine(week + timedelta(days=4), time(15))
            for who in (trainee.key, mentor.key):
                attendance.correct(s, slot, who, checked_in_at=came, checked_out_at=None, actor="test")
    db.dispose_engine(url)
    return trainee.name


def test_a_newcomer_signs_up_is_cleared_onto_the_roster_invited_and_then_asked_to_be_marked_trained(
        mail_server, smtp_server, browser, artifacts, monkeypatch):
    expect.set_options(timeout=TIMEOUT)
    phone = _fresh(browser, viewport={"width": 390, "height": 844})
    _sign_up(phone, mail_server.url)
    phone.screenshot(path=artifacts / "volunteer-signed-up.png")
    phone.context.close()
    [confirmation] = smtp_server.wait_for(lambda got: any(m["To"] == EMAIL for m in got))
    assert confirmation["Subject"] == "Demo drop-in center: thank you for signing up to volunteer"

    page = _fresh(browser, viewport={"width": 1280, "height": 1100})
    log_in(page, mail_server.url, "coordinator")
    expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
    page.locator("header").get_by_text("Applicants", exact=True).click()
    expect(page.get_by_role("heading", name="Applicants", exact=True)).to_be_visible()
    applicant_id = _applicant_id(mail_server.database_url)
    box = page.locator(f".st-key-applicant_{applicant_id}")
    expect(box.get_by_text(NAME)).to_be_visible()
    for label, said in (("Move to Contacted", f"{NAME}: Contacted."),
                        ("Move to Background check requested", f"{NAME}: Background check requested.")):
        _click_next(page, applicant_id, label)
        expect(page.get_by_text(said)).to_be_visible()
    _click_next(page, applicant_id, "Cleared: add to the roster and invite")
    expect(page.get_by_text(f"{NAME} is cleared: on the roster now, untrained")).to_be_visible()
    expect(page.get_by_text("They are invited to make an account (email link).")).to_be_visible()
    page.screenshot(path=artifacts / "applicants-cleared.png", full_page=True)
    invite = smtp_server.wait_for(lambda got: sum(m["To"] == EMAIL for m in got) >= 2)[-1]
    assert re.search(r"/join\?token=[A-Za-z0-9_-]+", text_of(invite)), text_of(invite)

    with db.session(mail_server.database_url, readonly=True) as s:
        person = next(v for v in list_volunteers(s) if v.name == NAME)
    assert (person.trained, person.check_status, person.email) == (False, "cleared", EMAIL)
    assert [str(w) for w in person.availability] == ["Thu 09:00-13:00", "Fri 09:00-13:00"]
    page.locator("header").get_by_text("Roster", exact=True).click()
    expect(page.get_by_role("heading", name="Invitations")).to_be_visible()
    chooser = page.get_by_role("combobox", name="Volunteers to invite (or invite again)")
    chooser.click()
    chooser.fill(NAME)
    expect(page.get_by_role("option", name=f"{NAME} (invited)")).to_be_visible()
    page.keyboard.press("Escape")
    monkeypatch.setenv("DATABASE_URL", mail_server.database_url)  # the statuses the Roster page reads
    assert [line.status for line in invitations.roster_statuses() if line.name == NAME] == ["invited"]

    trainee = _three_shadow_shifts(mail_server.database_url)
    page.locator("header").get_by_text("Applicants", exact=True).click()
    expect(page.get_by_role("heading", name="Ready to be marked trained")).to_be_visible()
    expect(page.get_by_text(f"{trainee} has worked 3 shifts beside trained volunteers (the center asks "
                            "for 3). Mark them trained?")).to_be_visible()
    page.screenshot(path=artifacts / "applicants-ready.png", full_page=True)
    page.get_by_role("button", name=f"Mark {trainee} trained").click()
    expect(page.get_by_text(f"{trainee} is trained")).to_be_visible()
    with db.session(mail_server.database_url, readonly=True) as s:
        assert next(v for v in list_volunteers(s) if v.name == NAME).trained
    page.context.close()
    db.dispose_engine(mail_server.database_url)

