"""Chromium: the coordinator plans the demo week and sees the grid."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser


def test_coordinator_plans_the_demo_week_and_sees_the_grid(streamlit_server, app_page, artifacts):
    page = app_page
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, streamlit_server.url, "coordinator")
    expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
    # On a fresh demo database the week has no plan yet ("Plan"); other tests may have published one.
    plan_button = page.get_by_role("button", name=re.compile(r"^(Plan|Re-plan)$"))
    expect(plan_button).to_be_visible()
    page.screenshot(path=artifacts / "coordinator-1-before-plan.png", full_page=True)
    started = time.monotonic()
    plan_button.click()
    table = page.locator("[data-testid='stTable']").first
    expect(table).to_contain_text("Morning 09:00-13:00")
    elapsed = time.monotonic() - started
    expect(page.get_by_text("New plan (not saved yet)")).to_be_visible()
    expect(table).to_contain_text(" of 4")
    expect(table).to_contain_text("Dinner 17:00-18:00")
    text = table.inner_text()
    assert "(trained)" in text
    print(f"\nplanning the demo week took {elapsed:.2f} s from click to grid")  # measured, not asserted
    page.mouse.move(5, 5)
    page.screenshot(path=artifacts / "coordinator-2-plan-grid.png", full_page=True)
    # Publish the plan; the volunteers' page reads published versions.
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Published as version \d+\."))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Published version \d+$"))).to_be_visible()
    page.screenshot(path=artifacts / "coordinator-3-published.png", full_page=True)
    assert page.locator(APP).count() == 1
