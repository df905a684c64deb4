"""Sessions behind the cookie: tickets, signing, idle and absolute expiry, what ends them; the cookie routes;
the secret key and the public address; sign-in links by email (through a real local SMTP server)."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest

from planner.core.clock import utcnow
from planner.core.domain import VolunteerRecord
from planner.core.errors import ConfigError, InvitationError
from planner.services import auth, config, keys, links, roster, sessions
from planner.store import audit, db
from planner.store import sessions as stored_sessions
from planner.store.roster import add_volunteer
from planner.store.settings import load_settings, save_settings
from planner.ui import web
from tests.apptest import CookieJar
from tests.test_invitations import text_of

KEY = "s" * 48


def _xsrf(token: bytes, mask: bytes) -> str:
    """Streamlit's `_streamlit_xsrf` cookie: version 2, the mask, the masked token, a time."""
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(token))
    return f"2|{mask.hex()}|{masked.hex()}|1733000000"


@pytest.fixture
def url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Ana (with email) and her volunteer account `ana`; a coordinator `coord`."""
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("PLANNER_SECRET_KEY", KEY)
    with db.session(store_url) as s:
        ana = add_volunteer(s, VolunteerRecord("Ana Reyes", email="Ana@Example.org"))
        auth.create_user("ana", "a long password", "volunteer", ana.id, db=s)
        auth.create_user("coord", "a long password", "coordinator", db=s)
    yield store_url


def _user_id(name: str) -> int:
    from planner.store import accounts

    with db.session() as s:
        return accounts.get_account(s, name).id


def _signed_in(name: str = "ana", now=None) -> str:
    cookie = sessions.open_session(sessions.issue_ticket(_user_id(name), None, now=now), None, now=now)
    assert cookie is not None
    return cookie


def _ended(name: str) -> list[str]:
    with db.session() as s:
        return [e.detail for e in audit.recent(s, action="session ended") if e.target == name]


# ---------------------------------------------------------------- tickets and the cookie


def test_a_ticket_opens_one_session_once_within_a_minute_in_its_own_browser(url):
    ana = _user_id("ana")
    mine = sessions.browser_binding(_xsrf(b"0123456789abcdef", b"\x01\x02\x03\x04"))
    # The XSRF cookie's mask changes on every response; the token under it does not.
    assert mine == sessions.browser_binding(_xsrf(b"0123456789abcdef", b"\x09\x08\x07\x06"))
    assert mine != sessions.browser_binding(_xsrf(b"fedcba9876543210", b"\x01\x02\x03\x04"))
    assert sessions.browser_binding("garbage") is None and sessions.browser_binding(None) is None

    ticket = sessions.issue_ticket(ana, mine)
    assert sessions.open_session(ticket, "another browser") is None  # planted in someone else's browser
    assert sessions.open_session(ticket, mine) is None  # spent by that try
    ticket = sessions.issue_ticket(ana, mine)
    cookie = sessions.open_session(ticket, mine)
    assert cookie is not None and sessions.open_session(ticket, mine) is None
    late = sessions.issue_ticket(ana, None, now=utcnow() - timedelta(seconds=61))
    assert sessions.open_session(late, None) is None
    assert sessions.open_session("", None) is None and sessions.open_session("x" * 500, None) is None
    found = sessions.resume(cookie)
    assert (found.status, found.account.username, found.kiosk) == ("ok", "ana", False)


def test_only_hashes_are_stored_and_a_tampered_cookie_is_refused(url, monkeypatch):
    from planner.store import backup

    cookie = _signed_in()
    session_id, signature = cookie.split(".")
    assert session_id not in str(backup.dump(url))
    flipped = session_id[:-1] + ("A" if session_id[-1] != "A" else "B")
    for bad in (f"{flipped}.{signature}", f"{session_id}.{signature[:-2]}", session_id, "", ".", "a.b.c",
                f"{session_id}.{signature}x", None, 42):
        assert sessions.resume(bad).status == "none", bad
    monkeypatch.setenv("PLANNER_SECRET_KEY", "another key that is long enough to be used here")
    assert sessions.resume(cookie).status == "none"  # another server's key
    monkeypatch.setenv("PLANNER_SECRET_KEY", KEY)
    assert sessions.resume(cookie).status == "ok"


def test_an_idle_session_expires_and_says_so_once(url):
    cookie = _signed_in()
    now = utcnow()
    assert sessions.resume(cookie, now + sessions.IDLE - timedelta(seconds=5)).status == "ok"  # touched
    assert sessions.resume(cookie, now + 2 * sessions.IDLE - timedelta(seconds=10)).status == "ok"
    assert sessions.resume(cookie, now + 3 * sessions.IDLE + timedelta(seconds=1)).status == "expired"
    assert sessions.resume(cookie, now + 3 * sessions.IDLE + timedelta(seconds=2)).status == "ended"
    assert _ended("ana") == ["expired"]


def test_an_active_session_ends_at_its_absolute_expiry(url):
    start = utcnow()
    cookie = _signed_in(now=start)
    step = min(sessions.IDLE, timedelta(minutes=20)) - timedelta(minutes=1)
    moment = start
    while moment + step < start + sessions.MAX_AGE:
        moment += step
        assert sessions.resume(cookie, moment).status == "ok"
    assert sessions.resume(cookie, start + sessions.MAX_AGE).status == "expired"


def test_logout_password_change_and_erasure_end_sessions(url):
    first, second = _signed_in(), _signed_in()
    sessions.end(first, actor="ana")
    assert sessions.resume(first).status == "ended" and sessions.resume(second).status == "ok"
    auth.set_password("ana", "another long password", actor="ana")
    assert (sessions.resume(second).status, sessions.resume(second).reason) == ("ended", "password changed")
    assert _ended("ana") == ["password changed (1 session)", "logout"]
    third = _signed_in()
    coordinator = _signed_in("coord")
    ana_id = next(v.id for v in roster.everyone())
    roster.erase(ana_id, "Ana Reyes", "coord")
    assert sessions.resume(third).status == "none"  # the account and its sessions are gone
    assert _ended("ana")[0] == "account erased (1 session)"
    assert sessions.resume(coordinator).status == "ok"


def test_kiosk_mode_is_kept_with_the_session(url):
    cookie = _signed_in("coord")
    sessions.set_kiosk(cookie, True)
    assert sessions.resume(cookie).kiosk is True
    sessions.set_kiosk(cookie, False)
    assert sessions.resume(cookie).kiosk is False


# ---------------------------------------------------------------- the routes


def _cookie_header(response) -> SimpleCookie:
    [value] = [v.decode() for k, v in response.raw_headers if k == b"set-cookie"]
    return SimpleCookie(value)


def test_the_session_route_sets_a_signed_httponly_lax_cookie_and_goes_only_to_local_pages(url):
    jar = CookieJar()
    ticket = sessions.issue_ticket(_user_id("ana"), None)
    response = jar.get(f"/auth/session?ticket={ticket}&next=/my-shifts")
    assert (response.status_code, response.headers["location"]) == (303, "/my-shifts")
    assert response.headers["cache-control"] == "no-store"
    morsel = _cookie_header(response)[sessions.COOKIE_NAME]
    assert morsel["httponly"] and morsel["samesite"].lower() == "lax" and morsel["path"] == "/"
    assert not morsel["secure"]  # plain http on a laptop
    assert int(morsel["max-age"]) == int(sessions.MAX_AGE.total_seconds())
    assert sessions.resume(jar.cookies[sessions.COOKIE_NAME]).status == "ok"
    # Behind HTTPS (uvicorn applies X-Forwarded-Proto from a trusted proxy) the cookie is Secure.
    ticket = sessions.issue_ticket(_user_id("ana"), None)
    assert _cookie_header(CookieJar().get(f"/auth/session?ticket={ticket}", scheme="https"))[
        sessions.COOKIE_NAME]["secure"]
    # A used or wrong ticket: on to the page, no cookie.
    response = CookieJar().get(f"/auth/session?ticket={ticket}&next=/plan")
    assert response.headers["location"] == "/plan" and b"set-cookie" not in dict(response.raw_headers)


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_the_routes_refuse_requests_other_sites_start(url, site):
    jar = CookieJar({sessions.COOKIE_NAME: _signed_in()})
    ticket = sessions.issue_ticket(_user_id("ana"), None)
    assert jar.get(f"/auth/session?ticket={ticket}", site=site).status_code == 403
    assert sessions.open_session(ticket, None) is not None  # the refused request did not spend it
    assert jar.get("/auth/signout", site=site).status_code == 403
    assert sessions.resume(jar.cookies[sessions.COOKIE_NAME]).status == "ok"


def test_without_sec_fetch_site_a_foreign_origin_is_refused(url):
    """An older browser sends no Sec-Fetch-Site; its Origin (when it sends one) must be this host."""
    ticket = sessions.issue_ticket(_user_id("ana"), None)
    assert CookieJar().get(f"/auth/session?ticket={ticket}", site=None,
                           origin="https://evil.example").status_code == 403
    response = CookieJar().get(f"/auth/session?ticket={ticket}", site=None, origin="http://testserver")
    assert response.status_code == 303 and b"set-cookie" in dict(response.raw_headers)


@pytest.mark.parametrize(("value", "expected"), [
    ("/roster", "/roster"), ("/join?token=abc", "/join?token=abc"), (None, "/"), ("", "/"),
    ("https://evil.example/", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"),
    ("/\t/evil.example", "/"), ("/\n/evil.example", "/"), ("roster", "/"), ("javascript:alert(1)", "/"),
    ("/ok path", "/")])
def test_next_is_only_ever_a_local_path(value, expected):
    assert web.local_path(value) == expected


def test_signout_ends_the_session_drops_the_cookie_and_says_why(url):
    jar = CookieJar({sessions.COOKIE_NAME: _signed_in()})
    cookie = jar.cookies[sessions.COOKIE_NAME]
    response = jar.get("/auth/signout?why=expired&next=/roster")
    assert response.headers["location"] == "/roster?signed_out=expired"
    assert sessions.COOKIE_NAME not in jar.cookies and sessions.resume(cookie).status == "ended"
    assert CookieJar().get("/auth/signout?why=<script>&next=//evil").headers["location"] == "/"


# ---------------------------------------------------------------- the key and the public address


def test_without_a_configured_key_one_is_generated_once_beside_the_database(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "SECRETS_FILES", ())
    monkeypatch.delenv("PLANNER_SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'planner.sqlite3'}")
    first = keys.secret_key()
    path = tmp_path / keys.KEY_FILE
    assert path.read_bytes() == first and len(first) >= keys.MIN_KEY_LENGTH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    keys._generated.clear()  # a new process reads the same file
    assert keys.secret_key() == first
    monkeypatch.setenv("PLANNER_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        keys.secret_key()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('[planner]\nsecret_key = "' + "z" * 40 + '"\n', encoding="utf-8")
    monkeypatch.delenv("PLANNER_SECRET_KEY")
    monkeypatch.setattr(config, "SECRETS_FILES", (secrets_file,))
    assert keys.secret_key() == b"z" * 40


def test_the_public_address_comes_from_the_setting_else_the_browser(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "SECRETS_FILES", ())
    monkeypatch.delenv("PLANNER_PUBLIC_URL", raising=False)
    assert links.public_url("http://127.0.0.1:8501/roster") == "http://127.0.0.1:8501"
    assert links.public_url(None) is None
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "https://planner.example.org/center/")
    assert links.public_url("http://127.0.0.1:8501") == "https://planner.example.org/center"
    for bad in ("planner.example.org", "ftp://x", "https://x/?a=1", "javascript:alert(1)"):
        monkeypatch.setenv("PLANNER_PUBLIC_URL", bad)
        with pytest.raises(ConfigError, match="PLANNER_PUBLIC_URL"):
            links.public_url("http://127.0.0.1:8501")


# ---------------------------------------------------------------- sign-in links by email


@pytest.fixture
def links_on(url: str) -> str:
    from dataclasses import replace

    with db.session() as s:
        save_settings(s, replace(load_settings(s), email_sign_in=True))
    return url


def _link(message) -> str:
    found = re.search(r"https://p\.example/sign-in-link\?token=([A-Za-z0-9_-]+)", text_of(message))
    assert found
    return found.group(1)


def test_sign_in_links_only_when_the_center_allows_them(url, smtp):
    assert sessions.request_link("ana@example.org", "https://p.example") is False
    ana = _user_id("ana")
    with db.session() as s:
        assert not stored_sessions.issued_since(s, ana, "email", utcnow() - timedelta(hours=1))


def test_a_sign_in_link_works_once_for_15_minutes_and_unknown_addresses_get_nothing(links_on, smtp):
    assert sessions.request_link("nobody@example.org", "https://p.example") is False
    assert sessions.request_link(" ANA@example.org ", "https://p.example") is True
    assert sessions.request_link("ana@example.org", "https://p.example") is False  # one a minute
    [message] = smtp.wait_for(1)
    assert message["To"] == "Ana@Example.org" and "within 15 minutes" in text_of(message)
    token = _link(message)
    assert sessions.link_account(token).username == "ana"  # opening the page spends nothing
    assert sessions.link_account(token).username == "ana"
    with pytest.raises(InvitationError):
        sessions.use_link(token[:-2], None)
    account, ticket = sessions.use_link(token, None)
    assert account.username == "ana" and sessions.open_session(ticket, None) is not None
    with pytest.raises(InvitationError, match="used already"):
        sessions.use_link(token, None)
    with db.session() as s:
        entries = audit.recent(s)
    assert ("sign-in", "email link") in {(e.action, e.detail) for e in entries}
    assert not any(token in f"{e.target} {e.detail}" for e in entries)


def test_an_old_sign_in_link_is_refused(links_on, smtp):
    assert sessions.request_link("ana@example.org", "https://p.example",
                                 now=utcnow() - timedelta(minutes=16)) is True
    token = _link(smtp.wait_for(1)[0])
    with pytest.raises(InvitationError, match="older than 15 minutes"):
        sessions.link_account(token)
    with pytest.raises(InvitationError):
        sessions.use_link(token, None)


def test_security_headers_are_added_once_and_a_routes_own_value_stays():
    sent: list[dict] = []

    async def route(scope, receive, send):
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"referrer-policy", b"no-referrer"), (b"location", b"/")]})

    async def send(message):
        sent.append(message)

    # Nothing here waits, so the coroutine runs to its end in one step (Playwright's tests keep an event
    # loop running in this thread, so asyncio.run is not available).
    with pytest.raises(StopIteration):
        web.SecurityHeaders(route)({"type": "http"}, None, send).send(None)
    headers = sent[0]["headers"]
    assert [v for k, v in headers if k == b"referrer-policy"] == [b"no-referrer"]
    assert {(b"x-frame-options", b"SAMEORIGIN"), (b"x-content-type-options", b"nosniff")} <= set(headers)
