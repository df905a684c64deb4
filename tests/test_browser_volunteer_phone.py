"""Chromium at a phone's width (390 px): what a volunteer finds and keeps on their two pages.

The way to My availability is a labelled button in sight; "I can't make it" without the
confirmation keeps the chosen shift and the reason; the weekly grid holds the open days only and
fits the screen with its Dinner column; time off starts on the next open day; "The whole day"
hides From and Until.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from planner.core.domain import WEEKDAYS
from planner.core.shifts import of_slot
from planner.store import cancellations, db
from planner.store.settings import load_settings
from tests.fixtures.browser import choose, publish_demo_week, settled, shot, table_rows
from tests.test_browser_signin import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
REASON = "Bus strike"


def _fits(page: Page) -> None:
    """No sideways scrolling of the page."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_volunteer_on_a_phone(fresh_streamlit_server, app_page, artifacts):
    url = fresh_streamlit_server.database_url
    week, me, version = publish_demo_week(url)
    with db.session(url) as s:
        settings = load_settings(s)
    db.dispose_engine(url)
    slots = {sl.id: sl for sl in settings.week_slots(week)}
    mine = min((slots[a.slot] for a in version.assignments if a.volunteer == me.key and a.slot in slots
                and slots[a.slot].day >= date.today()), key=lambda sl: sl.start)
    title = of_slot(mine).title

    page = app_page
    page.set_viewport_size(PHONE)
    log_in(page, fresh_streamlit_server.url, "volunteer")
    expect(page.get_by_role("heading", name="My shifts")).to_be_visible()
    # The menu folds away behind "»" at this width; the way to the other page is a button in sight.
    to_availability = page.get_by_role("button", name="My availability and time off")
    expect(to_availability).to_be_in_viewport()
    _fits(page)

    # "I can't make it" without ticking the confirmation: nothing changes, nothing typed is lost.
    expect(page.get_by_role("heading", name="I can't make it")).to_be_visible()
    page.get_by_label("Which shift?").scroll_into_view_if_needed()  # a list opened mid-scroll closes again
    choose(page, "Which shift?", title)
    reason = page.get_by_role("textbox", name="Reason (optional)")
    reason.fill(REASON)
    page.get_by_role("button", name="I can't make it").click()
    refused = page.get_by_text("Choose the shift and tick the box to confirm. Nothing was changed.")
    expect(refused).to_be_visible()
    settled(page)
    expect(page.get_by_label("Which shift?")).to_have_value(title)
    expect(reason).to_have_value(REASON)
    expect(page.get_by_role("checkbox", name="Yes, take me off this shift")).not_to_be_checked()
    with db.session(url) as s:
        assert cancellations.list_cancellations(s, week) == []
    db.dispose_engine(url)
    shot(page, artifacts, "phone-cancel-unconfirmed")
    _fits(page)

    # My availability: the open days only, the whole grid on the screen, Dinner included.
    to_availability.scroll_into_view_if_needed()
    to_availability.click()
    expect(page.get_by_role("heading", name="My availability")).to_be_visible()
    grid = page.locator("[data-testid='stDataFrame']").first
    rows = table_rows(grid)
    assert rows[0] == ["Day", *settings.periods()]
    assert rows[0][-1] == "Dinner"
    assert [row[0] for row in rows[1:]] == [WEEKDAYS[d] for d in sorted(settings.open_weekdays)]
    box = grid.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    scroller = grid.locator(".dvn-scroller").first
    width, shown = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= shown, "no column hidden to the right"
    _fits(page)

    # Time off starts on the next day the center is open.
    today = date.today()
    first_open = next(d for d in (today + timedelta(days=n) for n in range(1, 8))
                      if d.weekday() in settings.open_weekdays)
    shown_date = [int(page.get_by_role("spinbutton", name=f"{part}, Date").get_attribute("aria-valuenow"))
                  for part in ("year", "month", "day")]
    assert shown_date == [first_open.year, first_open.month, first_open.day]

    # "The whole day", ticked, hides the times; unticked, From and Until appear.
    whole = page.get_by_role("checkbox", name="The whole day")
    times = page.locator("[data-testid='stTimeInput']")
    expect(whole).to_be_checked()
    expect(times).to_have_count(0)
    page.get_by_text("The whole day", exact=True).click()
    expect(times).to_have_count(2)
    expect(times.filter(has_text="From")).to_be_visible()
    expect(times.filter(has_text="Until")).to_be_visible()
    shot(page, artifacts, "phone-time-off-hours")
    _fits(page)
    page.get_by_text("The whole day", exact=True).click()
    expect(times).to_have_count(0)
    shot(page, artifacts, "phone-availability")
