"""Chromium, two browser contexts: two coordinators at work on the same data at the same moment (issue 15).

- Both publish the same week from different plans with one click each, at
  once: one plan is published; the other coordinator is told that someone
  else published first, with how their plan differs, and their plan is not
  published. (The old key `week:version` told the second "Published as
  version 1" while their plan was never published.)
- Both edit one volunteer on the Roster page: the second save is refused with
  the stale-edit message showing the stored value and theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from planner.core.domain import default_week
from planner.services import auth
from planner.store import db, plans, roster
from planner.store.settings import load_settings
from tests.fixtures.browser import edit_first_phone
from tests.test_browser_signin import APP, log_in

pytestmark = pytest.mark.browser

SECOND = ("coordinator2", "second coordinator passphrase 2026")
GRID = "[data-testid='stTable']"


@pytest.fixture
def two_pages(browser: Browser, fresh_streamlit_server) -> Iterator[tuple[Page, Page]]:
    """Two coordinators signed in, each in a browser context of their own (their own session)."""
    from playwright.sync_api import expect as expect_

    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    expect_.set_options(timeout=30_000)
    for page, (user, password) in zip(pages, [("coordinator", "demo"), SECOND], strict=True):
        page.set_default_timeout(30_000)
        if user == SECOND[0]:  # the first sign-in made the demo database; add the second coordinator to it
            with db.session(fresh_streamlit_server.database_url) as s:
                auth.create_user(*SECOND, "coordinator", db=s, actor="test")
        log_in(page, fresh_streamlit_server.url, user, password)
        expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
    yield pages[0], pages[1]
    for context in contexts:
        context.close()


def test_two_coordinators_publish_one_week_at_once_and_the_second_sees_the_difference(
        two_pages: tuple[Page, Page], fresh_streamlit_server, artifacts) -> None:
    ana_page, bo_page = two_pages
    url = fresh_streamlit_server.database_url
    with db.session(url) as s:
        week = default_week(date.today(), load_settings(s).open_weekdays)
        people = roster.list_volunteers(s, active_only=True)

    ana_page.get_by_role("button", name="Plan", exact=True).click()
    expect(ana_page.get_by_text("New plan (not saved yet)")).to_be_visible()
    grid = ana_page.locator(GRID).first.inner_text()
    # Someone on the first coordinator's plan leaves the roster before the second one plans,
    # so the two plans differ in at least that person.
    leaver = next(p for p in people if p.name in grid)
    with db.session(url) as s:
        roster.update_volunteer(s, replace(leaver, active=False), actor="test")
    bo_page.get_by_role("button", name="Plan", exact=True).click()
    expect(bo_page.get_by_text("New plan (not saved yet)")).to_be_visible()
    assert leaver.name not in bo_page.locator(GRID).first.inner_text()

    # Both press Publish at the same moment (neither click waits for the other's answer).
    for page in (ana_page, bo_page):
        page.get_by_role("button", name="Publish", exact=True).click()
    published = re.compile(r"^Published as version 1\.")
    refused = re.compile(r"^Not published: week \S+: version 1 was published by someone else after you "
                         r"opened the week; nothing was published\.")
    for page in (ana_page, bo_page):
        expect(page.get_by_text(published).or_(page.get_by_text(refused))).to_be_visible()
    winners = [p for p in (ana_page, bo_page) if p.get_by_text(published).count()]
    assert len(winners) == 1, "exactly one coordinator is told their plan was published"
    loser = bo_page if winners[0] is ana_page else ana_page
    message = loser.get_by_text(refused).inner_text()
    verb = "removed from" if loser is bo_page else "added to"  # the loser's plan against the winner's
    assert "How your plan differs from version 1, published meanwhile: " in message
    assert f"{leaver.name} {verb} " in message, message
    for page, name in ((ana_page, "a"), (bo_page, "b")):
        page.mouse.move(5, 5)
        page.screenshot(path=artifacts / f"two-coordinators-publish-{name}.png", full_page=True)

    with db.session(url, readonly=True) as s:
        versions = plans.list_versions(s, week)
    assert [v.version for v in versions] == [1], "the refused plan was not published as another version"
    on_it = any(a.volunteer == leaver.key for a in versions[0].assignments)
    assert on_it == (winners[0] is ana_page), "version 1 is the winner's plan, not the refused one"


def test_two_coordinators_edit_one_volunteer_and_the_second_sees_both_values(
        two_pages: tuple[Page, Page], fresh_streamlit_server, artifacts) -> None:
    ana_page, bo_page = two_pages
    url = fresh_streamlit_server.database_url
    for page in (ana_page, bo_page):
        page.get_by_role("link", name="Roster", exact=True).first.click()
        expect(page.get_by_role("heading", name="Roster")).to_be_visible()
        expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    with db.session(url, readonly=True) as s:
        first = roster.list_volunteers(s)[0]

    edit_first_phone(ana_page, "816-555-0111")
    expect(ana_page.get_by_text("Saved: 1 volunteer changed, 0 added.")).to_be_visible()
    edit_first_phone(bo_page, "816-555-0122")  # on the table as it was shown before Ana's save
    stale = bo_page.get_by_text(re.compile(rf"^volunteer {first.id} \({re.escape(first.name)}\): changed by "
                                           "someone else since you opened it"))
    expect(stale).to_be_visible()
    text = stale.inner_text()
    assert 'phone "816-555-0111" (yours: "816-555-0122")' in text, text
    expect(bo_page.get_by_text("Nothing was saved from that edit.")).to_be_visible()
    bo_page.mouse.move(5, 5)
    bo_page.screenshot(path=artifacts / "two-coordinators-stale-roster-edit.png", full_page=True)
    with db.session(url, readonly=True) as s:
        assert roster.get_volunteer(s, first.id).phone == "816-555-0111"  # type: ignore[union-attr]
    assert bo_page.locator(APP).count() == 1
