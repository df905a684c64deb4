"""Sign-in state for the Streamlit app: who is signed in, session expiry, role gate.

Every page
calls `require_role(...)` first; it shows the sign-in form (not signed in) or a
refusal (wrong role) and stops the page before any data is read.

Single sign-on is optional: when `secrets.toml` has an `[auth]` section for an
OIDC provider, the form also offers `st.login`. The provider only proves who
someone is; the role still comes from the accounts table, and a person with no
account there is refused (see `planner.services.auth.sso_account`).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import streamlit as st

from planner.services import auth

if TYPE_CHECKING:
    pass

USER_KEY = "planner_user"
NOTICE_KEY = "planner_notice"
ROLES = ("coordinator", "leadership", "volunteer")
ROLE_TITLES = {"coordinator": "Coordinator", "leadership": "Leadership", "volunteer": "Volunteer"}
SSO_REFUSED_KEY = "planner_sso_refused"
# This browser session is the check-in kiosk: only the check-in page, no menu, no "Log out".
KIOSK_KEY = "checkin_kiosk"

_log = logging.getLogger(__name__)


def _minutes(name: str, default: float) -> float:
    try:
        return max(1.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


IDLE_SECONDS = _minutes("PLANNER_SESSION_IDLE_MINUTES", 30) * 60
MAX_SECONDS = _minutes("PLANNER_SESSION_MAX_MINUTES", 12 * 60) * 60


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


def sign_in(account: Any) -> SessionUser:
    user = account if isinstance(account, SessionUser) else session_user_from(account)
    st.session_state[USER_KEY] = user
    st.session_state.pop(NOTICE_KEY, None)
    return user


def sign_out(notice: str | None = None) -> None:
    """Forget everything in this session; a single sign-on session also drops its identity cookie,
    or the next run would sign the person straight back in."""
    user = st.session_state.get(USER_KEY)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if isinstance(user, SessionUser) and user.via_sso:
        st.logout()


def current_user(now: float | None = None) -> SessionUser | None:
    """The signed-in user, or None; an idle or too old session is ended here."""
    user = st.session_state.get(USER_KEY)
    if not isinstance(user, SessionUser) or user.role not in ROLES:
        user = _from_sso(now)
    if user is None:
        return None
    now = time.time() if now is None else now
    if now - user.last_seen > IDLE_SECONDS or now - user.signed_in_at > MAX_SECONDS:
        sign_out("Your session expired. Please log in again.")
        return None
    user = replace(user, last_seen=now)
    st.session_state[USER_KEY] = user
    return user


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
    """The Username / Password / Log in form; signs in and reruns on success."""
    st.header("Log in")
    notice = st.session_state.get(NOTICE_KEY)
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
    sign_in(result.account)
    st.rerun()


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
