"""Chromium against a real `streamlit run serve.py` with email pointed at a local SMTP server (aiosmtpd).

The coordinator publishes a week: the page says how many volunteers will be
emailed and lists the ones to call; the app's background sender (no cron)
emails each changed volunteer exactly once. One address is refused (550):
the Outbox shows the failure, and a retry sends it.
"""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from playwright.sync_api import expect

from planner.core.domain import default_week
from planner.core.validate import why_not_eligible
from planner.services.week import build_problem
from planner.store import accounts, db, notifications, plans
from planner.store.roster import get_volunteer, list_volunteers
from planner.store.settings import load_settings
from tests.fixtures.browser import go, run_streamlit
from tests.fixtures.smtp import smtp_env
from tests.test_browser_signin import log_in

pytestmark = pytest.mark.browser

TOLD = re.compile(r"^(\d+) volunteers will be emailed about their changes; (\d+) have no email: call them\.$")


def _wait_for_counts(url: str, expected: dict[str, int], seconds: float = 30) -> None:
    """Until the outbox rows say `expected` (the mail server answers before the sender marks the row)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with db.session(url) as s:
            if notifications.counts(s) == expected:
                return
        time.sleep(0.1)
    pytest.fail(f"the outbox never showed {expected}")


def _pin_the_demo_volunteer(url: str) -> tuple[date, str, str]:
    """Pin the demo `volunteer` on a coming slot, so the plan has them; (week, their email, name)."""
    from planner.core.problem import Assignment

    with db.session(url) as s:
        me = get_volunteer(s, accounts.get_account(s, "volunteer").volunteer_id)
        week = default_week(date.today(), load_settings(s).open_weekdays)
        problem = build_problem(s, week)
        slot = next(sl for sl in problem.slots if sl.start.date() > date.today()
                    and why_not_eligible(problem.volunteer(me.key), sl) is None)
        plans.add_pin(s, week, Assignment(slot.id, me.key), actor="test")
    assert me.email
    return week, me.email, me.name


@pytest.mark.slow
def test_publish_says_who_is_emailed_the_app_sends_each_once_and_the_outbox_retries_a_refusal(
        smtp, app_page, artifacts):
    page = app_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    with run_streamlit({**smtp_env(smtp.port), "PLANNER_SENDER_SECONDS": "1"}) as server:
        week, refused, refused_name = _pin_the_demo_volunteer(server.database_url)
        smtp.refuse(refused)
        log_in(page, server.url, "coordinator")
        expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
        page.get_by_role("button", name="Plan", exact=True).click()
        expect(page.get_by_text("New plan (not saved yet)")).to_be_visible(timeout=60_000)
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_text(re.compile(r"^Published as version 1\."))).to_be_visible()
        sentence = page.get_by_text(TOLD)
        expect(sentence).to_be_visible()
        emailed, to_call = map(int, TOLD.match(sentence.inner_text().strip()).groups())
        page.mouse.move(5, 5)
        page.screenshot(path=artifacts / "publish-told.png", full_page=True)

        with db.session(server.database_url) as s:
            latest = plans.latest_published(s, week)
            people = {v.key: v for v in list_volunteers(s)}
        on_plan = {a.volunteer for a in latest.assignments}
        with_email = sorted(people[k].email for k in on_plan if people[k].email)
        without = sorted(people[k].name for k in on_plan if not people[k].email)
        assert (emailed, to_call) == (len(with_email), len(without)) and to_call > 0
        call_list = page.locator("[data-testid='stTable']").first
        for name in without:
            expect(call_list).to_contain_text(name)

        # The background sender: every changed volunteer with email gets one message; one is refused.
        got = smtp.wait_for(lambda m: len(m) == emailed - 1 and smtp.inbox.refusals == 1)
        assert sorted(m["To"] for m in got) == sorted(set(with_email) - {refused})
        _wait_for_counts(server.database_url, {"sent": emailed - 1, "failed": 1})

        go(page, "Outbox")
        expect(page.get_by_role("heading", name="Outbox")).to_be_visible()
        expect(page.get_by_text(f"{emailed - 1} sent, 0 queued, 1 failed")).to_be_visible()
        failure = "failed: refused by the mail server: 550 5.7.1 Mailbox unavailable for this test (retry it)"
        expect(page.get_by_role("combobox", name="Failed message")).to_have_value(
            re.compile(re.escape(f"{refused_name}: Shifts published ({failure})")))
        page.mouse.move(5, 5)
        page.screenshot(path=artifacts / "outbox-failed.png", full_page=True)

        smtp.accept_all()
        page.get_by_role("button", name="Retry this message", exact=True).click()
        expect(page.get_by_text("Queued again: it goes out in a few seconds.")).to_be_visible()
        got = smtp.wait_for(lambda m: len(m) == emailed)
        assert sorted(m["To"] for m in got) == with_email  # each exactly once
        _wait_for_counts(server.database_url, {"sent": emailed})
        page.get_by_role("button", name="Refresh", exact=True).click()
        expect(page.get_by_text(f"{emailed} sent, 0 queued, 0 failed")).to_be_visible()
        expect(page.get_by_text("Failed messages")).to_have_count(0)
        page.mouse.move(5, 5)
        page.screenshot(path=artifacts / "outbox-sent.png", full_page=True)

        time.sleep(3)  # three more rounds of the sender: nothing is sent twice
        assert len(smtp.inbox.messages) == emailed
        with db.session(server.database_url) as s:
            assert notifications.counts(s) == {"sent": emailed}
