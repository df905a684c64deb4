"""Chromium: leadership drives the what-if page to a rendered chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser


def test_leadership_whatif_renders_a_chart(streamlit_server, app_page, artifacts):
    pytest.importorskip("planner.whatif")
    page = app_page
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, streamlit_server.url, "leadership")
    expect(page.get_by_role("heading", name="What if we opened more days?")).to_be_visible()
    # Only leadership's page in the menu.
    header = page.locator("header")
    assert header.get_by_text("Roster").count() == 0 and header.get_by_text("Plan the week").count() == 0
    page.screenshot(path=artifacts / "leadership-1-form.png", full_page=True)
    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page.get_by_text("Opening Thursday needs")).to_be_visible(timeout=60_000)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    expect(chart).to_be_visible()
    expect(chart.locator("canvas, svg").first).to_be_visible()
    expect(page.get_by_role("button", name="Download as CSV")).to_be_visible()
    page.mouse.move(5, 5)
    page.screenshot(path=artifacts / "leadership-2-chart.png", full_page=True)
    body = page.locator(APP).inner_text()
    assert "@" not in body and "cleared" not in body
