"""Chromium: leadership drives the what-if page to a rendered chart, and sees counts only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser

PHONE = re.compile(r"\d{3}-\d{3}-\d{4}")


def test_leadership_whatif_renders_a_chart(streamlit_server, app_page, artifacts):
    page = app_page
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, streamlit_server.url, "leadership")
    expect(page.get_by_role("heading", name="What if we opened more days?")).to_be_visible()
    # Only leadership's page in the menu.
    header = page.locator("header")
    assert header.get_by_text("Roster").count() == 0 and header.get_by_text("Plan the week").count() == 0
    # The first view computes nothing.
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 0
    page.screenshot(path=artifacts / "leadership-1-form.png", full_page=True)

    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page.get_by_text("Opening Thursday needs")).to_be_visible(timeout=90_000)
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts).to_have_count(2)
    for i in range(2):
        expect(charts.nth(i).locator("canvas, svg").first).to_be_visible()
    expect(page.get_by_text("Opening 7 days a week (adding")).to_be_visible()
    download_button = page.locator("[data-testid='stDownloadButton']").filter(has_text="Download as CSV")
    with page.expect_download() as download:
        download_button.first.click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert exported.startswith("Day,Extra volunteers,") and "Thursday," in exported
    expect(page.get_by_role("heading", name="How fragile is this week?")).to_be_visible()
    page.mouse.move(5, 5)
    page.screenshot(path=artifacts / "leadership-2-chart.png", full_page=True)

    for text in (page.locator(APP).inner_text(), exported):
        assert "@" not in text and not PHONE.search(text)
        for word in ("cleared", "pending", "expired", "background check"):
            assert word not in text.lower()
