"""Chromium at a phone's width: a volunteer sees their own shifts and nobody else's contacts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from planner.services import demo
from planner.store import db, migrate
from planner.store.roster import list_volunteers
from tests.fixtures.browser import publish_demo_week
from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser


def test_volunteer_on_a_phone_sees_own_shifts_and_no_other_contacts(streamlit_server, app_page, artifacts,
                                                                    monkeypatch):
    url = streamlit_server.database_url
    monkeypatch.setenv("PLANNER_DEMO", "1")
    migrate.migrate(url)  # what the app does on its first run; both are idempotent
    with db.session(url) as s:
        demo.seed_if_demo(s)
    week, me, version = publish_demo_week(url)
    with db.session(url) as s:
        others = [v for v in list_volunteers(s) if v.id != me.id]
    db.dispose_engine(url)

    page = app_page
    page.set_viewport_size({"width": 420, "height": 900})
    log_in(page, streamlit_server.url, "volunteer")
    expect(page.get_by_role("heading", name="My shifts")).to_be_visible()
    table = page.locator("[data-testid='stTable']").first
    expect(table).to_contain_text("Coverage")
    expect(table).to_contain_text(" of ")
    expect(table).to_contain_text("Drop-in center, main room")
    page.mouse.move(5, 5)
    page.screenshot(path=artifacts / "volunteer-phone-my-shifts.png", full_page=True)
    body = page.locator(APP).inner_text()
    assert me.name in body
    for other in others:
        assert other.name not in body, other.name
        for contact in (other.email, other.phone):
            assert not contact or contact not in body
    # The page fits the phone: no horizontal scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 420 + 1
