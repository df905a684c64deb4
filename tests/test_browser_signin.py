"""Chromium: the very first request to a fresh server is a deep link; sign-in and roles."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

APP = "[data-testid='stApp']"


def log_in(page: Page, url: str, username: str, password: str = "demo") -> None:
    page.goto(url)
    page.wait_for_selector(APP)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def test_first_request_deep_link_to_coordinator_page_shows_sign_in_and_no_data(
        fresh_streamlit_server, app_page, artifacts):
    page = app_page
    page.goto(f"{fresh_streamlit_server.url}/roster")
    page.wait_for_selector(APP)
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log in", exact=True)).to_be_visible()
    page.screenshot(path=artifacts / "deep-link-sign-in.png", full_page=True)
    # Streamlit's legacy `pages/` lookup is off from start-up (planner.ui.web.lifespan): no "Page not
    # found" dialog, and the address stays the page asked for.
    assert page.get_by_role("dialog", name="Page not found").count() == 0
    expect(page).to_have_url(re.compile(r"/roster$"))
    body = page.locator(APP).inner_text()
    assert "Roster" not in body and "@" not in body
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    assert page.locator("[data-testid='stDataFrameResizable']").count() == 0
    # Signing in from there opens the page that was asked for.
    page.get_by_label("Username", exact=True).fill("coordinator")
    page.get_by_label("Password", exact=True).fill("demo")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Roster")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/roster$"))


def test_wrong_password_then_volunteer_refused_on_coordinator_page(streamlit_server, app_page, artifacts):
    page = app_page
    log_in(page, streamlit_server.url, "volunteer", "not-the-password")
    expect(page.get_by_text("Wrong username or password.")).to_be_visible()
    page.get_by_label("Password", exact=True).fill("demo")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="My shifts")).to_be_visible()
    # The menu shows only the volunteer's pages.
    nav = page.locator("header")
    expect(nav.get_by_text("My availability")).to_be_visible()
    assert nav.get_by_text("Roster").count() == 0
    # Typing a coordinator page's URL loads the app anew, still signed in (the cookie): a refusal, no data.
    page.goto(f"{streamlit_server.url}/plan")
    page.wait_for_selector(APP)
    expect(page.get_by_text("This page is for Coordinator accounts.")).to_be_visible()
    assert page.get_by_label("Username", exact=True).count() == 0
    assert page.locator("[data-testid='stTable']").count() == 0
    page.screenshot(path=artifacts / "volunteer-deep-link.png", full_page=True)
