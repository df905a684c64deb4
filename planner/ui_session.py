"""Sign-in state for the Streamlit app: who is signed in, session expiry, role gate.

The only planner module besides the pages that imports Streamlit. Every page
calls `require_role(...)` first; it shows the sign-in form (not signed in) or a
refusal (wrong role) and stops the page before any data is read.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

USER_KEY = "planner_user"
NOTICE_KEY = "planner_notice"
ROLES = ("coordinator", "leadership", "volunteer")
ROLE_TITLES = {"coordinator": "Coordinator", "leadership": "Leadership", "volunteer": "Volunteer"}


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
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[NOTICE_KEY] = notice


def current_user(now: float | None = None) -> SessionUser | None:
    """The signed-in user, or None; an idle or too old session is ended here."""
    user = st.session_state.get(USER_KEY)
    if not isinstance(user, SessionUser) or user.role not in ROLES:
        return None
    now = time.time() if now is None else now
    if now - user.last_seen > IDLE_SECONDS or now - user.signed_in_at > MAX_SECONDS:
        sign_out("Your session expired. Please log in again.")
        return None
    user = replace(user, last_seen=now)
    st.session_state[USER_KEY] = user
    return user


def _authenticate(username: str, password: str) -> Any:
    from planner.auth import authenticate

    return authenticate(username, password)


def sign_in_form() -> None:
    """The Username / Password / Log in form; signs in and reruns on success."""
    st.subheader("Log in")
    notice = st.session_state.get(NOTICE_KEY)
    if notice:
        st.info(notice)
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
        result = _authenticate(username.strip(), password)
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
