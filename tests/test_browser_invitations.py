"""Chromium: the coordinator invites a volunteer from the Roster page; the email arrives at a local SMTP
server; its link, opened in a fresh browser, makes the account and lands on My shifts, signed in over a
reload until Logout; the used link is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from planner.services import sessions
from planner.store import accounts, db
from planner.store.roster import list_volunteers
from tests.test_browser_signin import APP, log_in
from tests.test_invitations import text_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT = 30_000


def _fresh(browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    return context, page


def _uninvited_volunteer(url: str) -> str:
    """The name of a demo volunteer with an email and no account."""
    with db.session(url) as s:
        linked = accounts.linked_volunteers(s)
        person = next(v for v in list_volunteers(s, active_only=True) if v.email and v.id not in linked)
    db.dispose_engine(url)
    return person.name


def test_an_invited_volunteer_joins_by_the_emailed_link_and_stays_signed_in(
        mail_server, smtp_server, browser, artifacts):
    expect.set_options(timeout=TIMEOUT)
    coordinator_context, page = _fresh(browser)
    log_in(page, mail_server.url, "coordinator")
    expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
    page.locator("header").get_by_text("Roster", exact=True).click()
    expect(page.get_by_role("heading", name="Invitations")).to_be_visible()
    name = _uninvited_volunteer(mail_server.database_url)
    chooser = page.get_by_role("combobox", name="Volunteers to invite (or invite again)")
    chooser.click()
    chooser.fill(name)
    page.get_by_role("option", name=f"{name} (not invited)").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Email invitations (1)").click()
    expect(page.get_by_text(f"Invitation emailed to 1 volunteer ({name}).")).to_be_visible()
    page.screenshot(path=artifacts / "invitations-roster.png", full_page=True)
    coordinator_context.close()

    [message] = smtp_server.wait_for(1)
    link = re.search(r"http://127\.0\.0\.1:\d+/join\?token=[A-Za-z0-9_-]+", text_of(message))
    assert link and link.group(0).startswith(mail_server.url), text_of(message)

    context, page = _fresh(browser)  # the volunteer's own phone
    page.goto(link.group(0))
    page.wait_for_selector(APP)
    expect(page.get_by_role("heading", name="Join the volunteer planner")).to_be_visible()
    expect(page.get_by_label("Username", exact=True)).not_to_have_value("")
    page.get_by_label("Password", exact=True).fill("my own long password")
    page.get_by_label("Password again", exact=True).fill("my own long password")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="My shifts")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/my-shifts$"))  # the ticket is not left in the address
    cookie = next(c for c in context.cookies() if c["name"] == sessions.COOKIE_NAME)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    page.screenshot(path=artifacts / "invitations-joined.png", full_page=True)

    page.reload()
    page.wait_for_selector(APP)
    expect(page.get_by_role("heading", name="My shifts")).to_be_visible()

    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    assert not any(c["name"] == sessions.COOKIE_NAME for c in context.cookies())
    page.reload()
    page.wait_for_selector(APP)
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    assert page.get_by_role("heading", name="My shifts").count() == 0

    page.goto(link.group(0))  # the used link
    page.wait_for_selector(APP)
    expect(page.get_by_text("This invitation does not work: it was used already")).to_be_visible()
    assert page.get_by_label("Password", exact=True).count() == 0
    context.close()


def test_a_link_opened_first_after_a_restart_reaches_the_join_page(fresh_streamlit_server, app_page):
    """Emailed links are often the first request a restarted server gets."""
    page = app_page
    page.goto(f"{fresh_streamlit_server.url}/join?token=not-a-real-token")
    page.wait_for_selector(APP)
    expect(page.get_by_role("heading", name="Join the volunteer planner")).to_be_visible()
    expect(page.get_by_text("This invitation does not work")).to_be_visible()
    assert page.get_by_role("dialog", name="Page not found").count() == 0
    expect(page).to_have_url(re.compile(r"/join\?token=not-a-real-token$"))
    assert page.get_by_label("Password", exact=True).count() == 0
