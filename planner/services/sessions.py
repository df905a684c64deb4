"""Sign-in that survives a reload: tickets, the signed cookie, idle and absolute expiry, emailed links.

How a browser gets its cookie: a script that has just checked a password (or
an invitation, or an emailed link) calls `issue_ticket`: 60 s, single use,
bound to the browser by Streamlit's XSRF cookie. It sends the browser to
`GET /auth/session?ticket=...` (`planner.ui.web`), whose `open_session` spends
the ticket, stores the hash of a new random session id and answers with the
signed id as an HttpOnly cookie. Each page run then calls `resume`.

A session ends at logout, after `PLANNER_SESSION_IDLE_MINUTES` without use
(default 30), `PLANNER_SESSION_MAX_MINUTES` after sign-in (default 12 h),
when the password changes or the account is erased.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from planner.core.clock import utcnow
from planner.core.errors import DatabaseBusy, InvitationError
from planner.core.tokens import new_token, token_hash
from planner.services import keys, linkmail
from planner.store import accounts, audit, roster, sessions
from planner.store.accounts import Account
from planner.store.db import Session, session, unit
from planner.store.settings import load_settings

COOKIE_NAME = "planner_session"
COOKIE_PURPOSE = "session"
TICKET_TTL = timedelta(seconds=60)
SIGN_IN_LINK_TTL = timedelta(minutes=15)
# At most one sign-in link per account this often, so the form cannot flood someone's mailbox.
SIGN_IN_LINK_EVERY = timedelta(minutes=1)
# `last_seen` is written at most this often (a page reruns on every click).
TOUCH_EVERY = timedelta(seconds=60)
LINK_REFUSED = ("This sign-in link does not work: it was used already, it is older than 15 minutes, or it is "
                "not complete. Ask for a new one on the log-in page.")


def _minutes(name: str, default: float) -> timedelta:
    try:
        return timedelta(minutes=max(1.0, float(os.environ.get(name, default))))
    except ValueError:
        return timedelta(minutes=default)


IDLE = _minutes("PLANNER_SESSION_IDLE_MINUTES", 30)
MAX_AGE = _minutes("PLANNER_SESSION_MAX_MINUTES", 12 * 60)


@dataclass(frozen=True)
class Resumed:
    """What a cookie says: `ok` (with the account), `expired`, `ended` (with the reason) or `none`
    (`error` is the page's own word for a store that could not answer)."""

    status: str
    account: Account | None = None
    session_id: int | None = None
    signed_in_at: datetime | None = None
    kiosk: bool = False
    reason: str | None = None


def browser_binding(xsrf_cookie: object) -> str | None:
    """A stable hash of this browser's Streamlit XSRF token, or None without one.

    The cookie reads `2|mask|masked|timestamp` (hex); the mask changes on every
    response but the unmasked token stays, so that is what is compared.
    """
    if not isinstance(xsrf_cookie, str):
        return None
    parts = xsrf_cookie.strip("\"'").split("|")
    if len(parts) != 4 or parts[0] != "2":
        return None
    try:
        mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        return None
    if len(mask) != 4 or not masked:
        return None
    return token_hash(bytes(b ^ mask[i % 4] for i, b in enumerate(masked)).hex())


def issue_ticket(user_id: int, browser: str | None, *, db: Session | None = None,
                 now: datetime | None = None) -> str:
    """A 60 s ticket the cookie route exchanges for a session, only in the browser it was issued to."""
    now = now or utcnow()
    ticket = new_token()
    with unit(db) as s:
        sessions.add_token(s, token_hash(ticket), "ticket", user_id, now, now + TICKET_TTL, browser)
    return ticket


def open_session(ticket: str, browser: str | None, now: datetime | None = None) -> str | None:
    """Spend the ticket and start a session; the signed cookie value, or None for a wrong, used, expired
    or other browser's ticket (spent all the same, so it is never tried twice)."""
    now = now or utcnow()
    if not ticket or len(ticket) > 100:
        return None
    with session() as db:
        stored = sessions.take_token(db, token_hash(ticket), "ticket", now)
        if stored is None or now >= stored.expires_at:
            return None
        if stored.browser_hash is not None and stored.browser_hash != browser:
            return None  # minted in another browser: someone else's ticket planted in this one
        session_id = new_token()
        sessions.add_session(db, token_hash(session_id), stored.user_id, now, now + MAX_AGE)
    return keys.sign(session_id, COOKIE_PURPOSE)


def _find(cookie: object) -> str | None:
    session_id = keys.unsign(cookie, COOKIE_PURPOSE)
    return token_hash(session_id) if session_id else None


def resume(cookie: object, now: datetime | None = None) -> Resumed:
    """Who this cookie signs in, ending the session here when it is idle or too old."""
    id_hash = _find(cookie)
    if id_hash is None:
        return Resumed("none")
    now = now or utcnow()
    with session(readonly=True) as db:
        stored = sessions.find_session(db, id_hash)
        account = accounts.account_by_id(db, stored.user_id) if stored else None
    if stored is None or account is None:
        return Resumed("none")
    if stored.ended_at is not None:
        return Resumed("ended", reason=stored.end_reason)
    if now >= stored.expires_at or now - stored.last_seen_at > IDLE:
        with session() as db:
            sessions.end_session(db, stored.id, now, "expired")
        return Resumed("expired")
    if now - stored.last_seen_at >= TOUCH_EVERY:
        try:
            with session() as db:
                sessions.touch(db, stored.id, now)
        except DatabaseBusy:  # recorded on a later run; a busy moment must not sign anyone out
            pass
    return Resumed("ok", account, stored.id, stored.created_at, stored.kiosk)


def _change(cookie: object, change: Callable[[Session, int], object]) -> None:
    """Apply `change` to the session the cookie names; nothing for a cookie that names none."""
    id_hash = _find(cookie)
    if id_hash is None:
        return
    with session() as db:
        stored = sessions.find_session(db, id_hash)
        if stored is not None:
            change(db, stored.id)


def end(cookie: object, reason: str = "logout", actor: str | None = None) -> None:
    """End the cookie's session (logout)."""
    _change(cookie, lambda db, session_id: sessions.end_session(db, session_id, utcnow(), reason, actor))


def set_kiosk(cookie: object, on: bool) -> None:
    """Keep kiosk mode with the session, so reloading the center's tablet stays the kiosk."""
    _change(cookie, lambda db, session_id: sessions.set_kiosk(db, session_id, on))


# ---------------------------------------------------------------- sign-in links by email


def email_sign_in_enabled() -> bool:
    with session(readonly=True) as db:
        return load_settings(db).email_sign_in


def _sign_in_email(center: str, link: str) -> tuple[str, str]:
    subject = f"{center}: your sign-in link"
    body = (f"Hello,\n\nsomeone asked to log in to the volunteer planner of {center} with this email "
            f"address. To log in, open this link within 15 minutes (it works once):\n\n{link}\n\n"
            "If that was not you, ignore this email: nothing happens without the link.\n")
    return subject, body


def request_link(email: str, base_url: str, now: datetime | None = None) -> bool:
    """Email a 15-minute sign-in link to the account of the volunteer with this address.

    Says nothing to the caller's page (the page gives one answer whatever the
    address); True only when a link was queued. Nothing is sent when the center
    has the option off, the address matches no single account, the account is
    locked, or a link went out in the last minute.
    """
    now = now or utcnow()
    address = email.strip().lower()
    with session() as db:
        settings = load_settings(db)
        if not settings.email_sign_in or "@" not in address:
            return False
        people = [vid for vid, mail in roster.emails(db).items() if mail.lower() == address]
        linked = [(vid, a) for vid in people if (a := accounts.account_for_volunteer(db, vid)) is not None]
        if len(linked) != 1:
            return False
        volunteer_id, account = linked[0]
        row = accounts.find_user(db, account.username)
        if row is None or (row.locked_until is not None and row.locked_until > now):
            return False
        if sessions.issued_since(db, account.id, "email", now - SIGN_IN_LINK_EVERY):
            return False
        key = f"signin:{account.id}:{new_token()[:16]}"
        subject, body = _sign_in_email(settings.name, f"{base_url}/sign-in-link?token={keys.LINK_MARK}")
        token = linkmail.queue(db, key=key, volunteer_id=volunteer_id, kind="signin", subject=subject,
                               body=body)
        sessions.add_token(db, token_hash(token), "email", account.id, now, now + SIGN_IN_LINK_TTL)
        audit.record(db, account.username, "sign-in link sent", account.username)
    linkmail.send_soon()
    return True


def _usable_link(db: Session, token: str, now: datetime) -> Account:
    if not token or len(token) > 100 or not load_settings(db).email_sign_in:
        raise InvitationError(LINK_REFUSED)
    stored = sessions.peek_token(db, token_hash(token), "email")
    if stored is None or stored.used_at is not None or now >= stored.expires_at:
        raise InvitationError(LINK_REFUSED)
    account = accounts.account_by_id(db, stored.user_id)
    if account is None:
        raise InvitationError(LINK_REFUSED)
    return account


def link_account(token: str, now: datetime | None = None) -> Account:
    """The account a sign-in link opens, changing nothing (mail scanners open links before people do).
    Raises InvitationError for a wrong, used or expired link."""
    with session(readonly=True) as db:
        return _usable_link(db, token, now or utcnow())


def use_link(token: str, browser: str | None, now: datetime | None = None) -> tuple[Account, str]:
    """Spend a sign-in link: (the account, a ticket for the cookie route). InvitationError changes nothing."""
    now = now or utcnow()
    with session() as db:
        account = _usable_link(db, token, now)
        sessions.take_token(db, token_hash(token), "email", now)
        audit.record(db, account.username, "sign-in", account.username, "email link")
        return account, issue_ticket(account.id, browser, db=db, now=now)
