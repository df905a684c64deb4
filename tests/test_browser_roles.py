"""Chromium: each role's menu and pages; other roles' URLs refused; HTML and formula names inert."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from planner.core.domain import default_week
from planner.core.problem import Assignment
from planner.services import demo
from planner.store import accounts, audit, db, migrate, plans
from planner.store.roster import get_volunteer, list_volunteers, update_volunteer
from planner.store.settings import load_settings, save_settings
from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser

HTML_NAME = "<img src=x onerror=alert(1)>"
FORMULA_NAME = '=HYPERLINK("http://x")'
# (role, menu entries shown, menu entries never shown, landing heading). Streamlit shows no menu at all
# for a role with a single page, so leadership's list of shown entries is empty.
MENUS = [
    ("coordinator", ["Plan the week", "Roster", "Audit log", "What-if"], ["My shifts", "My availability"],
     "Plan the week"),
    ("leadership", [], ["Roster", "Audit log", "Plan the week", "My shifts"],
     "What if we opened more days?"),
    ("volunteer", ["My shifts", "My availability"], ["Roster", "Audit log", "Plan the week", "What-if"],
     "My shifts"),
]
OTHER_ROLES_URLS = {"coordinator": ["my-shifts"], "leadership": ["roster", "audit", "my-shifts"],
                    "volunteer": ["roster", "audit", "plan", "whatif"]}


def _seed(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_DEMO", "1")
    migrate.migrate(url)  # what the app does on its first run; both are idempotent
    with db.session(url) as s:
        demo.seed_if_demo(s)


def _no_contacts(page: Page, url: str) -> None:
    body = page.locator(APP).inner_text()
    with db.session(url) as s:
        roster = list_volunteers(s)
    db.dispose_engine(url)
    for v in roster:
        for contact in (v.email, v.phone):
            assert not contact or contact not in body, contact


@pytest.mark.parametrize(("role", "shown", "hidden", "heading"), MENUS)
def test_each_role_sees_its_menu_and_is_refused_other_roles_urls(streamlit_server, app_page, artifacts,
                                                                  monkeypatch, role, shown, hidden, heading):
    _seed(streamlit_server.database_url, monkeypatch)
    page = app_page
    log_in(page, streamlit_server.url, role)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    nav = page.locator("header")
    for title in shown:
        expect(nav.get_by_text(title, exact=True)).to_be_visible()
    for title in hidden:
        assert nav.get_by_text(title, exact=True).count() == 0, title
    if role != "coordinator":
        _no_contacts(page, streamlit_server.database_url)
    page.screenshot(path=artifacts / f"role-{role}.png", full_page=True)
    # A typed URL loads the app anew, still signed in by the cookie: the page refuses and shows no data.
    for path in OTHER_ROLES_URLS[role]:
        page.goto(f"{streamlit_server.url}/{path}")
        page.wait_for_selector(APP)
        expect(page.get_by_text("so it is not shown")).to_be_visible()
        body = page.locator(APP).inner_text()
        assert "@" not in body, path
        assert page.locator("[data-testid='stTable']").count() == 0, path
        assert page.locator("[data-testid='stDataFrame']").count() == 0, path


def test_html_and_formula_names_are_inert_in_the_browser(fresh_streamlit_server, app_page, artifacts,
                                                        monkeypatch):
    url = fresh_streamlit_server.database_url
    _seed(url, monkeypatch)
    with db.session(url) as s:
        me = get_volunteer(s, accounts.get_account(s, "volunteer").volunteer_id)
        mate = next(v for v in list_volunteers(s) if v.id != me.id and v.does_shifts)
        update_volunteer(s, replace(me, name=HTML_NAME), actor="test")
        update_volunteer(s, replace(mate, name=FORMULA_NAME), actor="test")
        settings = replace(load_settings(s), show_team_first_names=True)
        save_settings(s, settings, actor="test")
        week = default_week(date.today(), settings.open_weekdays)
        slot = next(sl for sl in settings.week_slots(week) if sl.kind == "shift" and sl.day >= date.today())
        plans.save_draft(s, week, [Assignment(slot.id, me.key), Assignment(slot.id, mate.key)], actor="test")
        plans.publish_draft(s, week, actor="test")
    db.dispose_engine(url)

    page = app_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 420, "height": 900})
    log_in(page, fresh_streamlit_server.url, "volunteer")
    expect(page.get_by_role("heading", name="My shifts")).to_be_visible()
    expect(page.get_by_text(f"Hello {HTML_NAME}.", exact=True)).to_be_visible()
    table = page.locator("[data-testid='stTable']").first
    expect(table).to_contain_text(FORMULA_NAME)
    page.screenshot(path=artifacts / "payload-volunteer.png", full_page=True)
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("[onerror]").count() == 0
    assert page.locator("a[href^='http://x']").count() == 0
    # The calendar file downloads in the browser and holds my shift only.
    with page.expect_download() as info:
        page.get_by_role("button", name="Add my shifts to my calendar (.ics)").click()
    data = Path(info.value.path()).read_bytes()
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert [(e.decoded("dtstart").date(), e.decoded("dtstart").time()) for e in events] == [
        (slot.day, slot.start.time())]
    assert b"HYPERLINK" not in data and b"img" not in data  # no teammates in the file
    assert info.value.suggested_filename == "my-shifts.ics"
    exported: list = []
    for _ in range(100):  # the click's callback runs on the server while the browser downloads
        with db.session(url) as s:
            exported = audit.recent(s, action="calendar exported")
        if exported:
            break
        time.sleep(0.1)
    db.dispose_engine(url)
    assert [(e.actor, e.detail) for e in exported] == [("volunteer", "1 shift")]

    # The coordinator's week grid shows both names as typed, too.
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    log_in(page, fresh_streamlit_server.url, "coordinator")
    expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
    grid = page.locator("[data-testid='stTable']").first
    expect(grid).to_contain_text(HTML_NAME)
    expect(grid).to_contain_text(FORMULA_NAME)
    page.screenshot(path=artifacts / "payload-coordinator.png", full_page=True)
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("[onerror]").count() == 0
    assert page.locator("a[href^='http://x']").count() == 0
    assert dialogs == []
