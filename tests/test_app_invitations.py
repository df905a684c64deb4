"""AppTest: the roster's Invitations section, the join and sign-in-link pages, the emailed-link form,
and a cookie session over reloads (expiry, erasure, password change, the kiosk).

`CookieJar` (tests/apptest.py) plays the browser between page loads: it follows the page's redirect
through the real `/auth/session` route and opens the next AppTest with the cookie it got.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from planner.core.clock import utcnow
from planner.core.errors import InvitationError
from planner.services import auth, invitations, roster, sessions
from planner.store import accounts, audit, db
from planner.store.models import InvitationRow, SessionRow
from planner.store.settings import load_settings, save_settings
from planner.ui.session import KIOSK_KEY, USER_KEY
from tests.apptest import APP, CookieJar, button, log_in_form, messages, open_app, shown
from tests.test_invitations import text_of

ROSTER = "pages/coordinator/roster.py"
JOIN = "pages/public/join.py"
LINK_PAGE = "pages/public/sign_in_link.py"
MY_SHIFTS = "pages/volunteer/my_shifts.py"
HERE = "http://planner.test:8501"
LINK = re.compile(r"http://planner\.test:8501/(join|sign-in-link)\?token=([A-Za-z0-9_-]+)")


@pytest.fixture
def here(monkeypatch: pytest.MonkeyPatch) -> str:
    """No PLANNER_PUBLIC_URL: links point where the coordinator's browser is (AppTest's context url)."""
    monkeypatch.delenv("PLANNER_PUBLIC_URL", raising=False)
    monkeypatch.setattr("planner.services.config.SECRETS_FILES", ())
    return HERE


def _open(username: str | None, page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    at = open_app(username, page, url=HERE + "/roster", query=query)
    assert not at.exception, at.exception
    return at


def _people(with_email: bool) -> list[invitations.RosterInvitation]:
    return [line for line in invitations.roster_statuses() if line.has_email == with_email
            and line.status == "not invited"]


def _choose(at: AppTest, *volunteer_ids: int) -> None:
    chooser = next(m for m in at.multiselect if m.label.startswith("Volunteers to invite"))
    chooser.set_value(list(volunteer_ids))


def _table(at: AppTest):  # noqa: ANN202 - a DataFrame
    return next(d.value for d in at.dataframe if "Status" in d.value.columns)


def _token(message) -> str:
    found = LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(2)


def _join(at: AppTest, username: str | None, password: str, again: str | None = None,
          code: str | None = None) -> AppTest:
    inputs = {t.label: t for t in at.text_input}
    if code is not None:
        inputs["Invitation code"].input(code)
    if username is not None:
        inputs["Username"].input(username)
    inputs["Password"].input(password)
    inputs["Password again"].input(password if again is None else again)
    button(at, "Create my account").click()
    return at.run()


# ---------------------------------------------------------------- the roster's Invitations section


def test_the_coordinator_invites_by_email_and_sees_the_status(demo_db, smtp, here):
    person = _people(with_email=True)[0]
    at = _open("coordinator", ROSTER)
    table = _table(at)
    assert set(table["Status"]) == {"not invited", "joined"}
    assert "Email invitations (0)" in [b.label for b in at.button]
    _choose(at, person.volunteer_id)
    at.run()
    button(at, "Email invitations (1)").click()
    at.run()
    assert not at.exception, at.exception
    assert messages(at, "success") == [f"Invitation emailed to 1 volunteer ({person.name})."]
    [message] = smtp.wait_for(1)
    assert LINK.search(text_of(message)).group(1) == "join"
    table = _table(at)
    row = table[table["Name"] == person.name].iloc[0]
    assert (row["Status"], row["Sent as"]) == ("invited", "email link") and row["Valid until"]
    label = next(b.label for b in at.button if b.label.startswith("Invite everyone not invited yet"))
    assert label == f"Invite everyone not invited yet ({len(_people(with_email=True))})"
    # A week later the link has expired; resending is one click, and the old link stops working.
    with db.session() as s:
        s.execute(update(InvitationRow).values(expires_at=utcnow() - timedelta(minutes=1)))
    at.run()
    assert _table(at).set_index("Name").loc[person.name, "Status"] == "expired"
    button(at, "Resend expired invitations (1)").click()
    at.run()
    assert messages(at, "success") == [f"Invitation emailed to 1 volunteer ({person.name})."]
    old, new = (_token(m) for m in smtp.wait_for(2))
    assert _table(at).set_index("Name").loc[person.name, "Status"] == "invited"
    with pytest.raises(InvitationError):
        invitations.check(token=old)
    invitations.check(token=new)


def test_a_printable_code_is_shown_once_and_kept_only_as_a_hash(demo_db, here):
    person = _people(with_email=False)[0]
    at = _open("coordinator", ROSTER)
    assert button(at, "Printable code (one chosen volunteer)").disabled
    _choose(at, person.volunteer_id)
    at.run()
    button(at, "Printable code (one chosen volunteer)").click()
    at.run()
    assert not at.exception, at.exception
    [printed] = [c.value for c in at.code]
    code = re.search(r"Enter this code: (\S+)", printed).group(1)
    assert f"Open {HERE}/join" in printed
    assert any(w.startswith("Shown once") for w in messages(at, "warning"))
    at.run()
    assert not at.code  # gone on the next run
    with db.session() as s:
        entries = audit.recent(s, action="invitation sent")
    assert [(e.target, e.detail) for e in entries] == [(f"volunteer {person.volunteer_id}", "printable code")]
    assert all(code not in f"{e.target} {e.detail}" for e in entries)

    # The volunteer types it on the join page (no link), chooses a password, lands on My shifts.
    at = _open(None, JOIN)
    assert [t.label for t in at.text_input] == ["Invitation code", "Username", "Password", "Password again"]
    at = _join(at, "", "a long password", code="2222-3333-4444")
    assert "That code does not work" in messages(at, "error")[0]
    at = _join(at, "", "a long password", code=code.lower())
    assert messages(at, "info") == ["Signing you in..."]


def test_a_joined_volunteer_lands_signed_in_on_my_shifts_and_stays_over_a_reload(demo_db, smtp, here,
                                                                                  monkeypatch):
    person = _people(with_email=True)[0]
    invitations.invite_by_email([person.volunteer_id], HERE, "coordinator")
    token = _token(smtp.wait_for(1)[0])
    at = _open(None, JOIN, {"token": token})
    assert "invites you to its volunteer planner" in messages(at, "info")[0]
    inputs = {t.label: t for t in at.text_input}
    assert "Invitation code" not in inputs
    suggested = inputs["Username"].value
    assert suggested and re.fullmatch(r"[a-z0-9.]+", suggested)
    at = _join(at, None, "a long password", again="another password")
    assert messages(at, "error") == ["The two passwords differ. Nothing was saved."]
    at = _join(at, None, "short")
    assert messages(at, "error") == ["Not joined: password: at least 8 characters"]
    at = _join(at, None, "a long password")
    browser = CookieJar()
    assert browser.follow_page(at).headers["location"] == "/my-shifts"
    at = browser.open(monkeypatch, MY_SHIFTS)
    assert at.title[0].value == "My shifts"
    assert at.session_state[USER_KEY].username == suggested
    at = browser.open(monkeypatch, MY_SHIFTS)  # a reload
    assert at.title[0].value == "My shifts"
    # The used link, opened in another browser, shows one plain message and no form.
    monkeypatch.setattr("planner.ui.session.browser_cookies", dict)
    at = _open(None, JOIN, {"token": token})
    assert "used already" in messages(at, "error")[0] and not at.text_input


@pytest.mark.parametrize("token", ["nonsense", "A" * 43, "<script>alert(1)</script>"])
def test_a_wrong_link_shows_a_plain_page(demo_db, token):
    for page in (JOIN, LINK_PAGE):
        at = _open(None, page, {"token": token})
        assert len(at.error) == 1 and not at.text_input and not at.button, page
        assert "<script>" not in shown(at).replace(token, "")


# ---------------------------------------------------------------- sign-in links by email


def _allow_email_links() -> None:
    with db.session() as s:
        save_settings(s, replace(load_settings(s), email_sign_in=True))


def _ask_for_link(at: AppTest, address: str) -> AppTest:
    next(t for t in at.text_input if t.label == "Your email address").input(address)
    button(at, "Email me a sign-in link").click()
    return at.run()


def test_the_email_link_form_gives_one_answer_and_the_link_logs_in_once(demo_db, smtp, here, monkeypatch):
    at = _open(None)
    assert "Your email address" not in [t.label for t in at.text_input]  # off unless the center allows it
    _allow_email_links()
    with db.session() as s:
        volunteer = accounts.get_account(s, "volunteer")
        address = next(p.email for p in roster.everyone() if p.id == volunteer.volunteer_id)
    answers = []
    for typed in ("nobody@example.org", address):
        at = _ask_for_link(_open(None), typed)
        assert not at.exception, at.exception
        answers.append(messages(at, "success"))
    assert answers[0] == answers[1] == [
        "If that address belongs to a planner account, a sign-in link is on its way. It works once, for 15 "
        "minutes. No email? Check the address, or log in with your password."]
    [message] = smtp.wait_for(1)
    assert message["To"] == address and LINK.search(text_of(message)).group(1) == "sign-in-link"
    token = _token(message)
    at = _open(None, LINK_PAGE, {"token": token})
    assert [b.label for b in at.button] == ["Log me in"]
    button(at, "Log me in").click()
    at.run()
    browser = CookieJar()
    browser.follow_page(at)
    at = browser.open(monkeypatch)
    assert at.title[0].value == "My shifts"
    monkeypatch.setattr("planner.ui.session.browser_cookies", dict)
    at = _open(None, LINK_PAGE, {"token": token})
    assert "used already" in messages(at, "error")[0] and not at.button


def test_the_center_turns_email_links_on_in_its_settings(demo_db):
    at = open_app("coordinator", "pages/coordinator/settings.py")
    next(t for t in at.toggle if t.label.startswith("Volunteers may log in by a link")).set_value(True)
    at.run()
    button(at, "Save settings").click()
    at.run()
    assert not at.exception
    with db.session() as s:
        assert load_settings(s).email_sign_in is True


# ---------------------------------------------------------------- a cookie session over reloads


def _signed_in_browser(monkeypatch: pytest.MonkeyPatch, username: str, page: str | None = None
                       ) -> tuple[CookieJar, AppTest]:
    browser = CookieJar()
    at = log_in_form(AppTest.from_file(APP, default_timeout=30).run(), username)
    browser.follow_page(at)
    return browser, browser.open(monkeypatch, page)


def _age_sessions(minutes: float) -> None:
    with db.session() as s:
        s.execute(update(SessionRow).values(last_seen_at=utcnow() - timedelta(minutes=minutes)))


def test_an_idle_cookie_session_expires_in_the_open_page_and_on_a_reload(demo_db, monkeypatch):
    browser, at = _signed_in_browser(monkeypatch, "coordinator", ROSTER)
    assert at.title[0].value == "Roster"
    _age_sessions(sessions.IDLE.total_seconds() / 60 + 1)
    at.run()
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"] and not at.dataframe
    assert messages(at, "info") == ["Your session expired. Please log in again."]
    assert browser.follow_page(at).headers["location"] == "/roster?signed_out=expired"
    assert sessions.COOKIE_NAME not in browser.cookies
    with db.session() as s:
        assert [e.detail for e in audit.recent(s, action="session ended")] == ["expired"]


def test_a_tampered_or_foreign_cookie_signs_nobody_in(demo_db, monkeypatch):
    browser, at = _signed_in_browser(monkeypatch, "coordinator")
    assert at.title[0].value == "Plan the week"
    value = browser.cookies[sessions.COOKIE_NAME]
    session_id, signature = value.split(".")
    for bad in (f"{session_id[:-1]}{'B' if session_id[-1] == 'A' else 'A'}.{signature}", f"{session_id}.x",
                "coordinator", ""):
        browser.cookies[sessions.COOKIE_NAME] = bad
        at = browser.open(monkeypatch)
        assert not at.exception and USER_KEY not in at.session_state and not at.info, bad
        assert [t.label for t in at.text_input][:2] == ["Username", "Password"]


def test_a_store_that_cannot_answer_shows_no_page_but_ends_nothing(demo_db, monkeypatch):
    browser, at = _signed_in_browser(monkeypatch, "coordinator", ROSTER)
    real = sessions.resume

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(sessions, "resume", broken)
    at.run()
    assert not at.exception and not at.dataframe
    assert messages(at, "info") == ["Signing in is not possible right now. Please try again in a minute."]
    monkeypatch.setattr(sessions, "resume", real)
    at.run()
    assert at.title[0].value == "Roster"
    assert sessions.resume(browser.cookies[sessions.COOKIE_NAME]).status == "ok"


def test_a_reload_after_expiry_says_so(demo_db, monkeypatch):
    browser, _ = _signed_in_browser(monkeypatch, "volunteer")
    _age_sessions(sessions.IDLE.total_seconds() / 60 + 1)
    at = browser.open(monkeypatch)
    assert USER_KEY not in at.session_state
    assert messages(at, "info") == ["Your session expired. Please log in again."]


def test_a_password_change_or_erasure_elsewhere_ends_the_open_page(demo_db, monkeypatch):
    browser, at = _signed_in_browser(monkeypatch, "volunteer", MY_SHIFTS)
    auth.set_password("volunteer", "a brand new password", actor="coordinator")
    at.run()
    assert USER_KEY not in at.session_state and not at.table
    assert messages(at, "info") == ["Your password was changed. Please log in again."]
    browser, at = _signed_in_browser_with(monkeypatch, "volunteer", "a brand new password")
    assert at.title[0].value == "My shifts"
    me = at.session_state[USER_KEY].volunteer_id
    name = next(p.name for p in roster.everyone() if p.id == me)
    roster.erase(me, name, "coordinator")
    at.run()
    assert USER_KEY not in at.session_state and not at.table
    assert browser.open(monkeypatch).session_state.get(USER_KEY) is None


def _signed_in_browser_with(monkeypatch, username: str, password: str) -> tuple[CookieJar, AppTest]:
    browser = CookieJar()
    at = log_in_form(AppTest.from_file(APP, default_timeout=30).run(), username, password)
    browser.follow_page(at)
    return browser, browser.open(monkeypatch)


def test_the_kiosk_stays_the_kiosk_over_a_reload(demo_db, monkeypatch):
    browser, at = _signed_in_browser(monkeypatch, "coordinator", "pages/coordinator/checkin.py")
    at.button(key="open_kiosk").click().run()
    assert at.title[0].value.startswith("Welcome!")
    at = browser.open(monkeypatch)  # someone reloads the tablet
    assert at.session_state[KIOSK_KEY] is True
    assert at.title[0].value.startswith("Welcome!")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(ROSTER)
    at.text_input(key="kiosk_password").set_value("demo")
    at.button(key="FormSubmitter:kiosk_exit-Leave kiosk mode").click().run()
    at = browser.open(monkeypatch)
    assert at.title[0].value == "Plan the week"
