"""AppTest: optional single sign-on (`st.login`) maps an identity to an account in the accounts table."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from planner.present.text import unescape
from planner.store import accounts, audit, db
from planner.store.roster import get_volunteer
from planner.ui import session as ui_session
from planner.ui.session import NOTICE_KEY, USER_KEY
from tests.apptest import APP, CookieJar

SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
             "client_id": "planner", "client_secret": "secret",
             "server_metadata_url": "https://idp.example/.well-known/openid-configuration"},
    "planner_sso": {"account_domains": ["center.example"]},
}
SSO_BUTTON = "Log in with single sign-on"


@pytest.fixture
def sso(monkeypatch):
    """Single sign-on configured; Authlib is only needed for the real redirect, not for these tests."""
    monkeypatch.setattr(ui_session, "_authlib_installed", lambda: True)


def _app(user: dict | None = None, secrets: dict | None = SECRETS) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if secrets:
        at.secrets = secrets
    if user is not None:
        at.user = user
    return at


def _buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_without_auth_secrets_there_is_no_single_sign_on(demo_db, sso):
    at = _app({"is_logged_in": True, "email": "coordinator@center.example"}, secrets=None).run()
    assert not at.exception
    assert SSO_BUTTON not in _buttons(at) and "Log in" in _buttons(at)
    assert USER_KEY not in at.session_state  # st.user is ignored when SSO is not configured


def test_without_authlib_single_sign_on_stays_off(demo_db, monkeypatch):
    monkeypatch.setattr(ui_session, "_authlib_installed", lambda: False)
    at = _app({"is_logged_in": True, "email": "coordinator@center.example"}).run()
    assert SSO_BUTTON not in _buttons(at) and USER_KEY not in at.session_state


def test_the_form_offers_single_sign_on_next_to_local_accounts(demo_db, sso):
    at = _app({"is_logged_in": False}).run()
    assert not at.exception
    assert SSO_BUTTON in _buttons(at) and "Log in" in _buttons(at)
    assert [t.label for t in at.text_input] == ["Username", "Password"]


def test_a_known_identity_signs_in_with_its_accounts_role(demo_db, sso):
    at = _app({"is_logged_in": True, "email": "coordinator@center.example", "email_verified": True}).run()
    assert not at.exception
    assert at.title[0].value == "Plan the week"
    user = at.session_state[USER_KEY]
    assert (user.username, user.role, user.via_sso) == ("coordinator", "coordinator", True)
    with db.session() as s:
        [entry] = audit.recent(s, limit=1)
    assert (entry.action, entry.actor, entry.detail) == ("sign-in", "coordinator", "single sign-on")


def test_a_volunteer_signs_in_by_the_email_on_their_record(demo_db, sso):
    with db.session() as s:
        email = get_volunteer(s, accounts.get_account(s, "volunteer").volunteer_id).email
    at = _app({"is_logged_in": True, "email": email}).run()
    assert not at.exception
    assert at.title[0].value == "My shifts"
    at.switch_page("pages/coordinator/roster.py").run()
    assert "is not shown" in unescape(at.error[0].value) and not at.dataframe


def test_an_unknown_identity_is_refused_and_local_sign_in_still_works(demo_db, sso, monkeypatch):
    identity = {"is_logged_in": True, "email": "coordinator@elsewhere.example"}
    at = _app(identity).run()
    assert not at.exception
    assert USER_KEY not in at.session_state
    assert "has no access to the planner" in unescape(at.error[0].value)
    assert "Sign out of single sign-on" in _buttons(at)
    with db.session() as s:
        [entry] = audit.recent(s, limit=1)
    assert (entry.action, entry.target) == ("sign-in refused", "coordinator@elsewhere.example")
    at.run()  # refused once per session: no second audit entry on every rerun
    with db.session() as s:
        assert len(audit.recent(s, action="sign-in refused")) == 1
    at.text_input[0].input("leadership")
    at.text_input[1].input("demo")
    next(b for b in at.button if b.label == "Log in").click()
    at.run()
    browser = CookieJar()
    browser.follow_page(at)  # the browser takes its session cookie and reloads
    at = browser.open(monkeypatch, app=_app(identity))
    assert at.title[0].value == "What if we opened more days?"


def test_an_unverified_email_is_refused(demo_db, sso):
    at = _app({"is_logged_in": True, "email": "coordinator@center.example", "email_verified": False}).run()
    assert USER_KEY not in at.session_state and "has no access" in unescape(at.error[0].value)


def test_an_idle_single_sign_on_session_expires_and_drops_the_identity(demo_db, sso):
    at = _app({"is_logged_in": True, "email": "coordinator@center.example"}).run()
    assert at.title[0].value == "Plan the week"
    user = at.session_state[USER_KEY]
    at.session_state[USER_KEY] = replace(user, last_seen=time.time() - 31 * 60)
    at.run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False  # st.logout() ran: the next run cannot sign straight in
    assert USER_KEY not in at.session_state
    assert at.session_state[NOTICE_KEY] == "Your session expired. Please log in again."


def test_logging_out_of_a_single_sign_on_session_drops_the_identity(demo_db, sso):
    at = _app({"is_logged_in": True, "email": "coordinator@center.example"}).run()
    next(b for b in at.button if b.label == "Log out").click()
    at.run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False and USER_KEY not in at.session_state
    assert [t.label for t in at.text_input] == ["Username", "Password"]
