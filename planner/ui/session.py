"""Sign-in state for the Streamlit app: who is signed in, session expiry, role gate.

Every page calls `require_role(...)` first; it shows the sign-in form (not
signed in) or a refusal (wrong role) and stops the page before any data is read.

Sign-in survives a reload (issue 12): after a password (or an invitation, or
an emailed link) is accepted, the browser is sent through `/auth/session`,
which sets an HttpOnly cookie naming a server-side session
(`planner.services.sessions`). A page run reads the cookie once per browser
connection and checks the session on every run, so a logout, an erasure or a
password change elsewhere ends it here too. This module keeps the signed-in
user in `st.session_state` for the connection; Logout ends the server's
session first, then sends the browser to `/auth/signout` to drop the cookie.

Single sign-on is optional: when `secrets.toml` has an `[auth]` section for an
OIDC provider, the form also offers `st.login` (whose own cookie keeps it over
a reload). The provider only proves who someone is; the role still comes from
the accounts table, and a person with no account there is refused (see
`planner.services.auth.sso_account`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from planner.core.errors import ConfigError, PlannerError
from planner.services import auth, links, sessions
from planner.ui import browser, flash

USER_KEY = "planner_user"
NOTICE_KEY = "planner_notice"
ROLES = ("coordinator", "leadership", "volunteer")
ROLE_TITLES = {"coordinator": "Coordinator", "leadership": "Leadership", "volunteer": "Volunteer"}
SSO_REFUSED_KEY = "planner_sso_refused"
# This browser session is the check-in kiosk: only the check-in page, no menu, no "Log out".
KIOSK_KEY = "checkin_kiosk"
# The page this run shows (`st.navigation`'s url_path): where a sign-in returns to.
PAGE_KEY = "planner_page"
# An address the browser is sent to on this run (`/auth/signout` after a logout).
NAVIGATE_KEY = "planner_navigate"
XSRF_COOKIE = "_streamlit_xsrf"
NOTICES = {"logout": "You are logged out.", "expired": "Your session expired. Please log in again.",
           "password changed": "Your password was changed. Please log in again."}
LINK_ANSWER = ("If that address belongs to a planner account, a sign-in link is on its way. It works once, "
               "for 15 minutes. No email? Check the address, or log in with your password.")

_log = logging.getLogger(__name__)

IDLE_SECONDS = sessions.IDLE.total_seconds()
MAX_SECONDS = sessions.MAX_AGE.total_seconds()


@dataclass(frozen=True)
class SessionUser:
    username: str
    role: str
    display_name: str = ""
    volunteer_id: int | None = None
    user_id: Any = None
    signed_in_at: float = 0.0
    last_seen: float = 0.0
    via_sso: bool = False
    session_id: int | None = None  # the server-side session behind the cookie, when there is one


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def session_user_from(account: Any, now: float | None = None) -> SessionUser:
    """A SessionUser from a `planner.store.accounts.Account` (or a dict with its fields)."""
    now = time.time() if now is None else now
    role = _field(account, "role", "")
    role = str(getattr(role, "value", role))
    vol = _field(account, "volunteer_id")
    username = str(_field(account, "username", ""))
    return SessionUser(username=username, role=role,
                       display_name=str(_field(account, "display_name", "") or username),
                       volunteer_id=None if vol is None else int(vol),
                       user_id=_field(account, "id"), signed_in_at=now, last_seen=now)


def browser_cookies() -> dict[str, str]:
    """The cookies the browser sent when this connection opened (a reload opens a new one).

    None in AppTest, which cannot send any: tests replace this function."""
    try:
        found = st.context.cookies.to_dict()  # `.get` would give a mock under AppTest
    except Exception:  # no browser connection at all
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}


def _cookie() -> str | None:
    return browser_cookies().get(sessions.COOKIE_NAME)


def this_browser() -> str | None:
    """What ties a sign-in ticket to this browser (see `sessions.browser_binding`)."""
    return sessions.browser_binding(browser_cookies().get(XSRF_COOKIE))


def base_url() -> str:
    """Where emailed links point: `PLANNER_PUBLIC_URL`, else the address this browser uses.

    Raises ConfigError when neither is a web address."""
    found = links.public_url(st.context.url)
    if found is None:
        raise ConfigError(f"{links.PUBLIC_URL_ENV}: not set, and this browser's address is not a web address")
    return found


def remember_page(url_path: str) -> None:
    """The page this run shows; a sign-in from its form comes back to it."""
    st.session_state[PAGE_KEY] = url_path


def _local_path() -> str:
    """This page's address (`/roster`)."""
    return "/" + str(st.session_state.get(PAGE_KEY) or "").lstrip("/")


def follow_ticket(ticket: str, next_path: str | None = None) -> None:
    """Send the browser through the cookie route with a sign-in ticket, on to `next_path` (default: this
    page). Stops the run: the page reloads signed in."""
    query = urlencode({"ticket": ticket, "next": next_path or _local_path()})
    st.info("Signing you in...")
    browser.go(f"/auth/session?{query}", "Continue to the planner")
    st.stop()


def enter(account: Any, next_path: str | None = None) -> None:
    """Sign `account` in (its password was just checked): the browser gets its cookie and comes back."""
    follow_ticket(sessions.issue_ticket(int(_field(account, "id")), this_browser()), next_path)


def follow_navigation() -> None:
    """Send the browser where a logout on the previous run asked (once)."""
    target = st.session_state.pop(NAVIGATE_KEY, None)
    if isinstance(target, str):
        browser.go(target, "Continue")


def sign_out(notice: str | None = None, reason: str = "logout") -> None:
    """End the session: on the server first (the cookie is dead even if the browser never drops it), then
    forget this connection's state; the next run sends the browser to drop the cookie. A single sign-on
    session also drops its identity cookie, or the next run would sign the person straight back in."""
    user = st.session_state.get(USER_KEY)
    navigate = None
    if isinstance(user, SessionUser) and user.session_id is not None:
        try:
            sessions.end(_cookie(), reason, actor=user.username)
        except Exception:  # the cookie is dropped below all the same
            _log.exception("ending the session failed")
        back = "/" if reason == "logout" else _local_path()
        navigate = "/auth/signout?" + urlencode({"why": reason, "next": back})
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if navigate:
        st.session_state[NAVIGATE_KEY] = navigate
    if isinstance(user, SessionUser) and user.via_sso:
        st.logout()


def _epoch(moment: Any) -> float:
    return moment.replace(tzinfo=UTC).timestamp() if moment is not None else time.time()


def _resume() -> sessions.Resumed | None:
    """What the cookie says; status `error` when the store cannot say (nothing is ended for that)."""
    raw = _cookie()
    if raw is None:
        return None
    try:
        return sessions.resume(raw)
    except Exception:  # a store error: shown as the form's notice, never a traceback
        _log.exception("resuming the session failed")
        st.session_state[NOTICE_KEY] = "Signing in is not possible right now. Please try again in a minute."
        return sessions.Resumed("error")


def _from_cookie() -> SessionUser | None:
    """The user a new connection's cookie signs in, or None (an expired one says so on the form)."""
    found = _resume()
    if found is None:
        return None
    if found.status == "expired":
        st.session_state[NOTICE_KEY] = NOTICES["expired"]
    if found.status != "ok" or found.account is None:
        return None
    now = time.time()
    user = replace(session_user_from(found.account, now), session_id=found.session_id,
                   signed_in_at=_epoch(found.signed_in_at))
    st.session_state[USER_KEY] = user
    if found.kiosk:
        st.session_state[KIOSK_KEY] = True
    return user


def _still_valid(user: SessionUser) -> SessionUser | None:
    """A cookie session checked against the server on every run: ended elsewhere means ended here."""
    found = _resume()
    if found is not None and found.status == "error":
        return None  # this run shows the form and its notice; the next run tries again
    if found is None or found.status != "ok" or found.session_id != user.session_id or found.account is None:
        reason = (found.reason if found and found.status == "ended" else
                  "expired" if found and found.status == "expired" else "logout")
        sign_out(NOTICES.get(reason or "logout", NOTICES["logout"]), reason or "logout")
        return None
    fresh = session_user_from(found.account)
    user = replace(user, role=fresh.role, volunteer_id=fresh.volunteer_id, last_seen=time.time())
    st.session_state[USER_KEY] = user
    return user


def current_user(now: float | None = None) -> SessionUser | None:
    """The signed-in user, or None; an idle or too old session is ended here."""
    user = st.session_state.get(USER_KEY)
    if isinstance(user, SessionUser) and user.role in ROLES and user.session_id is not None:
        return _still_valid(user)
    if not isinstance(user, SessionUser) or user.role not in ROLES:
        user = _from_cookie() or _from_sso(now)
    if user is None or user.session_id is not None:
        return user
    # Single sign-on: Streamlit's identity cookie has no server-side session; time it here.
    now = time.time() if now is None else now
    if now - user.last_seen > IDLE_SECONDS or now - user.signed_in_at > MAX_SECONDS:
        sign_out(NOTICES["expired"], "expired")
        return None
    user = replace(user, last_seen=now)
    st.session_state[USER_KEY] = user
    return user


def enter_kiosk() -> None:
    """This browser becomes the check-in kiosk, and stays it over a reload."""
    st.session_state[KIOSK_KEY] = True
    user = st.session_state.get(USER_KEY)
    if isinstance(user, SessionUser) and user.session_id is not None:
        sessions.set_kiosk(_cookie(), True)


def leave_kiosk() -> None:
    st.session_state.pop(KIOSK_KEY, None)
    user = st.session_state.get(USER_KEY)
    if isinstance(user, SessionUser) and user.session_id is not None:
        sessions.set_kiosk(_cookie(), False)


def sso_provider() -> str | None:
    """The `st.login` provider named in `secrets.toml`, or None when single sign-on is off.

    `"default"` for a flat `[auth]` section, else the first `[auth.NAME]` with a
    `client_id`. Off as well when Authlib (which `st.login` needs) is missing.
    """
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:
        return None
    if not isinstance(section, Mapping) or not {"redirect_uri", "cookie_secret"} <= set(section):
        return None
    if section.get("client_id"):
        name: str | None = "default"
    else:
        name = next((k for k, v in section.items() if isinstance(v, Mapping) and v.get("client_id")), None)
    if name is None:
        return None
    if not _authlib_installed():
        _log.warning("[auth] is configured but Authlib is not installed: single sign-on is off")
        return None
    return name


def _authlib_installed() -> bool:
    try:
        import authlib  # noqa: F401
    except ImportError:
        return False
    return True


def _account_domains() -> list[str]:
    try:
        section = st.secrets.get("planner_sso") or {}
    except FileNotFoundError:
        return []
    return [str(d).strip().lower() for d in section.get("account_domains", []) if str(d).strip()]


def _from_sso(now: float | None) -> SessionUser | None:
    """Sign in the single sign-on identity, when there is one and it maps to an account."""
    if st.session_state.get(SSO_REFUSED_KEY) or sso_provider() is None:
        return None
    claims = st.user.to_dict()
    if claims.get("is_logged_in") is not True:
        return None
    try:
        account = auth.sign_in_sso(claims, _account_domains())
    except Exception:  # a store error is shown as the form's notice, never a traceback
        _log.exception("single sign-on lookup failed")
        st.session_state[NOTICE_KEY] = "Signing in is not possible right now. Please try again in a minute."
        return None
    if account is None:
        st.session_state[SSO_REFUSED_KEY] = True
        return None
    user = replace(session_user_from(account, now), via_sso=True)
    st.session_state[USER_KEY] = user
    return user


def sign_in_form() -> None:
    """The Username / Password / Log in form (and, when the center allows it, "Email me a sign-in link");
    a right password sends the browser through the cookie route back to this page."""
    st.header("Log in")
    # After `/auth/signout` the notice comes back in the address; only the fixed texts are ever shown.
    notice = st.session_state.get(NOTICE_KEY) or NOTICES.get(str(st.query_params.get("signed_out", "")))
    if notice:
        st.info(notice)
    provider = sso_provider()
    if provider is not None:
        if st.session_state.get(SSO_REFUSED_KEY):
            st.error("Your single sign-on account has no access to the planner. Ask the coordinator "
                     "to add you, or log in with a planner username below.")
            if st.button("Sign out of single sign-on", key="sso_log_out"):
                st.session_state.pop(SSO_REFUSED_KEY, None)
                st.logout()
        elif st.button("Log in with single sign-on", key="sso_log_in", type="primary"):
            st.login(provider)
        st.caption("Or with a planner username and password:")
    _password_form()
    _email_link_form()


def _password_form() -> None:
    with st.form("sign_in", clear_on_submit=False):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log in", type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error("Enter your username and password.")
        return
    try:
        result = auth.authenticate(username.strip(), password)
    except Exception:  # a store error is shown as a message, never a traceback
        st.error("Signing in is not possible right now. Please try again in a minute.")
        return
    if result.account is None:
        if result.locked_until is not None:
            st.error("Too many failed attempts: this account is locked for a while. "
                     "Try again later or ask the coordinator to unlock it.")
        else:
            st.error("Wrong username or password.")
        return
    enter(result.account)


def _email_link_form() -> None:
    """One answer for every address, known or not, so the form tells nobody who has an account."""
    try:
        enabled = sessions.email_sign_in_enabled()
    except PlannerError:
        return
    if not enabled:
        return
    with st.expander("Email me a sign-in link"), st.form("email_link", clear_on_submit=True):
        address = st.text_input("Your email address", autocomplete="email", max_chars=254)
        asked = st.form_submit_button("Email me a sign-in link")
    if not asked:
        return
    if "@" not in address:
        st.error("Enter the email address on your volunteer record.")
        return
    try:
        sessions.request_link(address, base_url())
    except PlannerError as err:
        flash.say("error", flash.refused("No link sent", err))
        return
    st.success(LINK_ANSWER)


def require_role(*roles: str) -> SessionUser:
    """Stop the page unless the signed-in user has one of `roles`.

    Not signed in: shows the sign-in form. Wrong role: shows a refusal. Either way
    the rest of the page (and its data) never runs.
    """
    user = current_user()
    if user is None:
        sign_in_form()
        st.stop()
    assert user is not None
    if user.role not in roles:
        allowed = " or ".join(ROLE_TITLES.get(r, r) for r in roles)
        st.error(f"This page is for {allowed} accounts. You are signed in as "
                 f"{ROLE_TITLES.get(user.role, user.role).lower()}, so it is not shown.")
        st.stop()
    return user
