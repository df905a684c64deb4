"""AppTest: sign-in, sign-out, session expiry and the role gate on every page."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from planner.present.text import unescape
from planner.services import sessions
from planner.ui.session import NOTICE_KEY, USER_KEY
from tests.apptest import APP, ROLES, ROOT, CookieJar, open_app, pages, signed_in

COORDINATOR_PAGES = pages("coordinator")
VOLUNTEER_PAGES = pages("volunteer")
LEADERSHIP_PAGES = pages("leadership")
ALL_PAGES = COORDINATOR_PAGES + VOLUNTEER_PAGES + LEADERSHIP_PAGES
# No role gate: reached by invitation and sign-in links, each showing nothing without a working token, and
# the public sign-up page (tests/test_app_applicants.py).
PUBLIC_PAGES = pages("public")
TOKEN_PAGES = [p for p in PUBLIC_PAGES if p != "pages/public/volunteer.py"]
# Who may open which pages (the what-if page is for leadership and coordinators alike).
ALLOWED = {"coordinator": COORDINATOR_PAGES + LEADERSHIP_PAGES, "leadership": LEADERSHIP_PAGES,
           "volunteer": VOLUNTEER_PAGES}
WRONG = [(role, page) for role in ROLES for page in ALL_PAGES if page not in ALLOWED[role]]


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30)


def _log_in(at: AppTest, username: str, password: str) -> AppTest:
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input(username)
    inputs["Password"].input(password)
    next(b for b in at.button if b.label == "Log in").click()
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.text]
    parts += [unescape(e.value) for e in at.error]
    parts += [str(t.value) for t in at.title] + [c.value for c in at.caption]
    return "\n".join(parts)


def _shows_sign_in_only(at: AppTest) -> None:
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert any(b.label == "Log in" for b in at.button)
    assert not at.dataframe and not at.get("arrow_data_frame")


def test_first_visit_shows_the_sign_in_form(demo_db):
    at = _app().run()
    _shows_sign_in_only(at)


def test_wrong_password_is_refused(demo_db):
    at = _log_in(_app().run(), "coordinator", "wrong")
    assert [unescape(e.value) for e in at.error] == ["Wrong username or password."]
    assert USER_KEY not in at.session_state
    _shows_sign_in_only(at)


def test_lock_out_after_repeated_failures(demo_db):
    at = _app().run()
    for _ in range(5):
        at = _log_in(at, "leadership", "wrong")
    at = _log_in(at, "leadership", "demo")
    assert "locked" in unescape(at.error[0].value)
    assert USER_KEY not in at.session_state


@pytest.mark.parametrize(("username", "title"), [("coordinator", "Plan the week"),
                                                 ("leadership", "What if we opened more days?"),
                                                 ("volunteer", "My shifts")])
def test_each_role_lands_on_its_page_stays_over_a_reload_and_can_log_out(demo_db, monkeypatch, username,
                                                                         title):
    at = _log_in(_app().run(), username, "demo")
    assert not at.exception
    assert [unescape(i.value) for i in at.info] == ["Signing you in..."]
    assert USER_KEY not in at.session_state  # the page reloads signed in, by its cookie
    browser = CookieJar()
    assert browser.follow_page(at).status_code == 303
    at = browser.open(monkeypatch)
    assert not at.exception
    assert at.title[0].value == title
    assert at.session_state[USER_KEY].role == username
    at = browser.open(monkeypatch)  # a reload
    assert at.title[0].value == title
    next(b for b in at.button if b.label == "Log out").click()
    at.run()
    _shows_sign_in_only(at)
    assert unescape(at.info[0].value) == "You are logged out."
    response = browser.follow_page(at)  # the page sends the browser to drop its cookie
    assert response.headers["location"] == "/?signed_out=logout"
    assert sessions.COOKIE_NAME not in browser.cookies
    at = browser.open(monkeypatch)
    _shows_sign_in_only(at)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_deep_link_without_sign_in_shows_the_sign_in_and_no_data(demo_db, page):
    at = _app().run()
    at.switch_page(page).run()
    _shows_sign_in_only(at)
    assert "@" not in _texts(at)


@pytest.mark.parametrize(("username", "page"), WRONG)
def test_every_page_refuses_every_wrong_role(demo_db, username, page):
    at = open_app(username, page)
    assert not at.exception, page
    assert len(at.error) == 1 and "is not shown" in unescape(at.error[0].value), page
    assert not at.dataframe and not at.text_input and not at.get("arrow_data_frame"), page
    assert not at.title and not at.table and not at.get("download_button"), page


def test_sign_in_after_deep_link_opens_that_page(demo_db, monkeypatch):
    at = _app().run()
    at.switch_page("pages/coordinator/roster.py").run()
    at = _log_in(at, "coordinator", "demo")
    browser = CookieJar()
    assert browser.follow_page(at).headers["location"] == "/roster"
    at = browser.open(monkeypatch, "pages/coordinator/roster.py")
    assert at.title[0].value == "Roster"


def test_lock_out_is_counted_in_the_database_and_survives_a_new_session(demo_db):
    from planner.store import accounts, db

    at = _app().run()
    for _ in range(4):
        at = _log_in(at, "coordinator", "wrong")
    assert [unescape(e.value) for e in at.error] == ["Wrong username or password."]
    at = _log_in(_app().run(), "coordinator", "wrong")  # a new browser session adds to the count
    assert "locked" in unescape(at.error[0].value)
    with db.session() as s:
        row = accounts.find_user(s, "coordinator")
        assert row.failed_attempts == 5 and row.locked_until is not None
    at = _log_in(_app().run(), "coordinator", "demo")
    assert "locked" in unescape(at.error[0].value) and USER_KEY not in at.session_state


def test_idle_session_expires(demo_db):
    at = signed_in(_app(), "coordinator").run()
    assert at.title[0].value == "Plan the week"
    user = at.session_state[USER_KEY]
    at.session_state[USER_KEY] = replace(user, last_seen=time.time() - 31 * 60)
    at.run()
    _shows_sign_in_only(at)
    assert at.session_state[NOTICE_KEY] == "Your session expired. Please log in again."
    assert unescape(at.info[0].value) == "Your session expired. Please log in again."


def test_session_older_than_the_maximum_expires_even_when_active(demo_db):
    at = signed_in(_app(), "volunteer").run()
    assert at.title[0].value == "My shifts"
    user = at.session_state[USER_KEY]
    at.session_state[USER_KEY] = replace(user, signed_in_at=time.time() - 13 * 3600, last_seen=time.time())
    at.run()
    _shows_sign_in_only(at)
    assert unescape(at.info[0].value) == "Your session expired. Please log in again."


def test_an_expired_session_shows_no_data_on_a_deep_link(demo_db):
    at = signed_in(_app(), "coordinator").run()
    at.session_state[USER_KEY] = replace(at.session_state[USER_KEY], last_seen=time.time() - 31 * 60)
    at.switch_page("pages/coordinator/roster.py").run()
    _shows_sign_in_only(at)
    assert "@" not in _texts(at)


def test_every_page_folder_is_a_role_or_public():
    """A new folder of pages must be added to the loops above, on purpose."""
    folders = {p.name for p in (ROOT / "pages").iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert folders == {*ROLES, "public"}
    assert PUBLIC_PAGES == ["pages/public/join.py", "pages/public/offer.py", "pages/public/sign_in_link.py",
                            "pages/public/volunteer.py"]


@pytest.mark.parametrize("username", [None, *ROLES])
@pytest.mark.parametrize("page", TOKEN_PAGES)
def test_public_pages_show_nothing_without_a_working_token(demo_db, username, page):
    at = open_app(username, page)
    assert not at.exception, page
    assert not at.dataframe and not at.table and not at.get("arrow_data_frame"), page
    assert "@" not in _texts(at)
    if page.endswith("offer.py"):  # an offer's link works signed in or not: without one, only a refusal
        assert len(at.error) == 1 and not at.text_input and {b.key for b in at.button} <= {"log_out"}
    elif username is not None:  # signed in: nothing to do here, and no form
        assert not at.text_input and "logged in" in unescape(at.info[0].value)
    elif page.endswith("sign_in_link.py"):
        assert len(at.error) == 1 and not at.button
    else:  # the join page without a link asks for the code on paper
        assert [t.label for t in at.text_input][0] == "Invitation code"
