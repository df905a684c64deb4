"""Chromium at a phone's width: "I can't make it" takes the volunteer off a published shift."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from planner.core.domain import default_week
from planner.core.labels import day_label, time_range
from planner.core.problem import Assignment
from planner.services import demo
from planner.store import accounts, cancellations, db, migrate, plans
from planner.store.roster import get_volunteer, list_volunteers
from planner.store.settings import load_settings
from tests.test_browser_signin import log_in

pytestmark = pytest.mark.browser


def test_volunteer_cancels_a_shift_on_a_phone(fresh_streamlit_server, app_page, artifacts, monkeypatch):
    url = fresh_streamlit_server.database_url
    monkeypatch.setenv("PLANNER_DEMO", "1")
    migrate.migrate(url)
    with db.session(url) as s:
        demo.seed_if_demo(s)
        me = get_volunteer(s, accounts.get_account(s, "volunteer").volunteer_id)
        other = next(v for v in list_volunteers(s) if v.id != me.id)
        settings = load_settings(s)
        week = default_week(date.today(), settings.open_weekdays) + timedelta(days=7)
        slot = settings.week_slots(week)[0]
        plans.save_draft(s, week, [Assignment(slot.id, me.key), Assignment(slot.id, other.key)], actor="t")
        plans.publish_draft(s, week, actor="t")
    db.dispose_engine(url)
    title = f"{day_label(slot.day)}, Morning shift {time_range(slot)}"

    page = app_page
    page.set_viewport_size({"width": 420, "height": 900})
    log_in(page, fresh_streamlit_server.url, "volunteer")
    expect(page.get_by_role("heading", name="I can't make it")).to_be_visible()
    # Scrolled to first: a select whose list opens while the page still scrolls closes it again.
    page.get_by_label("Which shift?").scroll_into_view_if_needed()
    page.get_by_label("Which shift?").click()
    page.get_by_role("option", name=title).click()
    page.get_by_role("textbox", name="Reason (optional)").fill("Family matter")
    page.get_by_text("Yes, take me off this shift").click()
    page.get_by_role("button", name="I can't make it").click()
    expect(page.get_by_text(f"Thank you for telling us. You are off {title}")).to_be_visible()
    page.screenshot(path=artifacts / "volunteer-phone-cancelled.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 420 + 1
    with db.session(url) as s:
        gaps = cancellations.open_gaps(s, week)
    db.dispose_engine(url)
    assert [(g.slot, g.volunteer, g.reason) for g in gaps] == [(slot.id, me.key, "Family matter")]
