"""axe-core in Chromium: every page for every role, the volunteer and the public sign-up page at phone width,
0 serious or critical.

axe-playwright-python bundles axe-core; it runs in the real page the server
serves. Minor and moderate findings are reported in the test output, so they
can be worked on, but only serious and critical ones fail the test.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
# Each role's pages by their menu titles (app.py); the volunteer's are reached by the in-page buttons a
# phone shows, since the menu folds away at 390 px.
PAGES = {
    "coordinator": ["Plan the week", "Gaps", "Roster", "Applicants", "Availability", "Center settings",
                    "Imports/exports", "Audit log", "Check-in", "Reports", "What-if"],
    "leadership": ["What if we opened more days?"],
    "volunteer": ["My shifts", "My availability"],
}
BLOCKING = ("serious", "critical")


def _scan(page: Page, where: str, findings: dict[str, list[str]]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_timeout(1500)  # let Streamlit finish drawing the page after its first paint
    for violation in Axe().run(page).response["violations"]:
        nodes = [" ".join(n["target"]) for n in violation["nodes"]][:3]
        findings.setdefault(violation["impact"], []).append(f"{where}: {violation['id']} at {nodes}")


def _open(page: Page, role: str, title: str) -> None:
    if role == "volunteer":
        if title == "My availability":
            page.get_by_role("button", name="My availability and time off").click()
    elif role == "coordinator":
        page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1").first).to_be_visible()


@pytest.mark.slow
def test_every_page_for_every_role_has_no_serious_accessibility_problem(streamlit_server, browser, artifacts):
    expect.set_options(timeout=30_000)
    findings: dict[str, list[str]] = {}
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(streamlit_server.url)
    page.wait_for_selector(APP)
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    _scan(page, "sign-in", findings)
    context.close()
    context = browser.new_context(viewport=PHONE)  # the public sign-up page, as a newcomer's phone opens it
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{streamlit_server.url}/volunteer")
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()
    _scan(page, "public, Volunteer with us", findings)
    page.get_by_role("button", name="Sign up").click()  # the form's messages
    expect(page.get_by_text("Not sent yet")).to_be_visible()
    _scan(page, "public, Volunteer with us (refused)", findings)
    context.close()
    for role, titles in PAGES.items():
        context = browser.new_context(viewport=PHONE if role == "volunteer" else DESK)
        page = context.new_page()
        page.set_default_timeout(30_000)
        log_in(page, streamlit_server.url, role)
        expect(page.locator("h1").first).to_be_visible()
        for title in titles:
            _open(page, role, title)
            _scan(page, f"{role}, {title}", findings)
        context.close()
    report = "\n".join(f"{impact}: {line}" for impact, lines in sorted(findings.items()) for line in lines)
    (artifacts / "axe-report.txt").write_text(report + "\n", encoding="utf-8")
    print("\n" + (report or "axe: no findings"))
    assert not [line for impact in BLOCKING for line in findings.get(impact, [])], report
