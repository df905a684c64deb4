"""Chromium: the coordinator marks a volunteer out; the place is offered by email (caught by a local SMTP
server); in a fresh browser the first volunteer's link takes it and publishes a new version within the rules;
a second volunteer's link then says "already filled"; the Gaps page shows each offer's state."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from planner.core.domain import default_week
from planner.core.problem import Assignment
from planner.core.validate import validate, why_not_eligible
from planner.engine import repair
from planner.present.gaps import published_choices
from planner.present.weeks import week_choices
from planner.services import demo
from planner.services.week import build_problem
from planner.store import db, migrate, plans
from planner.store.roster import emails
from planner.store.settings import load_settings, save_settings
from tests.fixtures.browser import choose
from tests.test_browser_signin import APP, log_in
from tests.test_invitations import text_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 30_000
LINK = re.compile(r"http://127\.0\.0\.1:\d+/offer\?token=[A-Za-z0-9_-]+")


def _published_week(url: str) -> tuple[date, str, str]:
    """Next week published with two trained volunteers on its first shift, automatic offers on; (week, the
    one who will cancel, the label the Gaps page gives their place)."""
    migrate.migrate(url)
    with db.session(url) as s:
        demo.seed_if_demo(s)
        save_settings(s, replace(load_settings(s), auto_offer=True))
        week = default_week(date.today(), load_settings(s).open_weekdays) + timedelta(weeks=1)
        problem = build_problem(s, week)
        mailed = set(emails(s))
        slot = min((sl for sl in problem.slots if sl.kind == "shift"), key=lambda sl: sl.start)
        on = [v for v in sorted(problem.volunteers, key=lambda v: v.name) if v.trained
              and why_not_eligible(v, slot) is None and int(v.id[1:]) in mailed][:2]
        plan = [Assignment(slot.id, v.id) for v in on]
        plans.save_draft(s, week, plan, actor="test")
        plans.publish_draft(s, week, actor="test")
        left = [a for a in plan if a.volunteer != on[0].id]
        takers = [r for r in repair.suggestions(problem, left, slot.id, exclude=[on[0].id])
                  if int(r.volunteer[1:]) in mailed]
        assert len(takers) >= 2, "two volunteers with email can take the place"
        label = next(text for a, text in published_choices(problem, plan) if a.volunteer == on[0].id)
    db.dispose_engine(url)
    return week, on[0].id, label


def _fresh(browser: Browser) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT)
    return page


def test_a_cancellation_is_offered_and_the_first_link_takes_the_place(mail_server, smtp_server, browser,
                                                                     artifacts) -> None:
    expect.set_options(timeout=TIMEOUT)
    week, gone, label = _published_week(mail_server.database_url)

    coordinator = _fresh(browser)
    coordinator.set_viewport_size({"width": 1400, "height": 1000})
    log_in(coordinator, mail_server.url, "coordinator")
    expect(coordinator.get_by_role("heading", name="Plan the week")).to_be_visible()
    coordinator.get_by_role("link", name="Gaps", exact=True).first.click()
    expect(coordinator.get_by_role("heading", name="Gaps and cancellations")).to_be_visible()
    choose(coordinator, "Week", dict(week_choices(date.today()))[week])
    choose(coordinator, "Who cannot make it", label)
    coordinator.get_by_role("button", name="Mark cancellation", exact=True).click()
    expect(coordinator.get_by_text(re.compile(r"Cancellation marked: .*, and offered to them at once\."))
           ).to_be_visible()

    offered = smtp_server.wait_for(lambda got: sum("a place is open" in m["Subject"] for m in got) >= 2)
    offered = [m for m in offered if "a place is open" in m["Subject"]]
    links = [LINK.search(text_of(m)) for m in offered]
    assert all(links) and all(link.group(0).startswith(mail_server.url) for link in links if link)
    first, second = links[0].group(0), links[1].group(0)  # type: ignore[union-attr]

    volunteer = _fresh(browser)  # the first volunteer's phone: no account, no password
    volunteer.goto(first)
    volunteer.wait_for_selector(APP)
    expect(volunteer.get_by_role("heading", name="An open volunteer place")).to_be_visible()
    volunteer.get_by_role("button", name="Take this shift").click()
    expect(volunteer.get_by_text(re.compile(r"^It is yours: "))).to_be_visible()
    volunteer.screenshot(path=artifacts / "offer-taken.png", full_page=True)

    url = mail_server.database_url
    with db.session(url) as s:
        latest = plans.latest_published(s, week)
        problem = build_problem(s, week)
        taker = next(vid for vid, address in emails(s).items() if address == offered[0]["To"])
    db.dispose_engine(url)
    assert latest is not None and latest.version == 3  # published, cancelled, taken
    assert f"v{taker:02d}" in {a.volunteer for a in latest.assignments} and gone not in {
        a.volunteer for a in latest.assignments}
    assert validate(problem, list(latest.assignments)) == []

    late = _fresh(browser)  # a second volunteer, a moment later
    late.goto(second)
    late.wait_for_selector(APP)
    expect(late.get_by_text("Already filled, thank you")).to_be_visible()
    assert late.get_by_role("button", name="Take this shift").count() == 0
    late.screenshot(path=artifacts / "offer-already-filled.png", full_page=True)

    coordinator.reload()
    coordinator.wait_for_selector(APP)
    choose(coordinator, "Week", dict(week_choices(date.today()))[week])
    expect(coordinator.get_by_role("heading", name="Offers")).to_be_visible()
    expect(coordinator.get_by_text(re.compile(r": 1 place, 1 taken \(automatic\), filled .*; 1 accepted, "
                                              r"\d+ filled by another\."))).to_be_visible()
    coordinator.screenshot(path=artifacts / "offers-gaps-page.png", full_page=True)
