"""Passwords (argon2) and sign-in with lock-out. No Streamlit here.

Failed attempts are counted in the database, so a lock-out holds across
browser sessions and server restarts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from planner.core.clock import utcnow
from planner.core.errors import AccountError
from planner.store import accounts, audit, sessions
from planner.store.accounts import Account
from planner.store.db import Session, session, unit
from planner.store.roster import list_volunteers

MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)
MIN_PASSWORD = 8

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take as long.
_DUMMY_HASH = _hasher.hash("not a password")


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    locked_until: datetime | None = None  # naive UTC, set when the account is locked

    @property
    def ok(self) -> bool:
        return self.account is not None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")


def create_user(username: str, password: str, role: str, volunteer_id: int | None = None, *,
                db: Session | None = None, actor: str | None = None, allow_weak: bool = False) -> Account:
    """Store an account; `allow_weak` only for the demo's `demo` password."""
    if not allow_weak:
        check_password_strength(password)
    with unit(db) as s:
        account = accounts.add_user(s, username, hash_password(password), role, volunteer_id)
        audit.record(s, actor, "user created", account.username, role)
        return account


def set_password(username: str, password: str, *, db: Session | None = None,
                 actor: str | None = None) -> None:
    check_password_strength(password)
    with unit(db) as s:
        row = accounts.find_user(s, username)
        if row is None:
            raise AccountError(f'username: no account "{accounts.normalise_username(username)}"')
        row.password_hash = hash_password(password)
        row.failed_attempts, row.locked_until = 0, None
        audit.record(s, actor or row.username, "password changed", row.username)
        # Whoever knew the old password is signed out everywhere.
        sessions.end_user_sessions(s, row.id, utcnow(), "password changed", actor)


def authenticate(username: str, password: str, *, db: Session | None = None,
                 now: datetime | None = None) -> LoginResult:
    """Check a sign-in. After MAX_FAILURES wrong passwords the account is locked for LOCK_TIME,
    and while locked even the right password is refused."""
    now = now or utcnow()
    with unit(db) as s:
        row = accounts.find_user(s, username)
        if row is None:
            _verify(_DUMMY_HASH, password)
            audit.record(s, None, "sign-in failed", accounts.normalise_username(username)[:40],
                         "unknown user")
            return LoginResult(None)
        if row.locked_until is not None and row.locked_until > now:
            audit.record(s, row.username, "sign-in refused", row.username, "locked")
            return LoginResult(None, row.locked_until)
        if row.locked_until is not None:
            row.failed_attempts, row.locked_until = 0, None
        if not _verify(row.password_hash, password):
            row.failed_attempts += 1
            if row.failed_attempts >= MAX_FAILURES:
                row.locked_until = now + LOCK_TIME
                audit.record(s, row.username, "locked out", row.username,
                             f"{row.failed_attempts} failed sign-ins")
            else:
                audit.record(s, row.username, "sign-in failed", row.username, "wrong password")
            return LoginResult(None, row.locked_until)
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        row.failed_attempts, row.last_login_at = 0, now
        audit.record(s, row.username, "sign-in", row.username)
        return LoginResult(accounts.to_account(row))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sso_account(db: Session, claims: Mapping[str, Any], account_domains: Sequence[str]) -> Account | None:
    """The planner account for a single sign-on identity, or None (refused).

    Matched, in order: the account whose username is the email's local part,
    only for an email domain listed in `[planner_sso] account_domains` (so
    `coordinator@gmail.com` is never the coordinator); else the one account
    linked to the volunteer with that email. An email the provider says is not
    verified matches nothing.
    """
    verified = claims.get("email_verified", True)
    if verified is False or str(verified).lower() == "false":
        return None
    email = str(claims.get("email") or "").strip().lower()
    local, at, domain = email.rpartition("@")
    if not (local and at and domain):
        return None
    if domain in account_domains:
        account = accounts.get_account(db, local)
        if account is not None:
            return account
    people = {v.id for v in list_volunteers(db) if v.email and v.email.strip().lower() == email}
    linked = [a for a in accounts.list_accounts(db) if a.volunteer_id in people]
    return linked[0] if len(linked) == 1 else None


def sign_in_sso(claims: Mapping[str, Any], account_domains: Sequence[str]) -> Account | None:
    """`sso_account`, with the sign-in (or the refusal) written to the audit log."""
    with session() as db:
        account = sso_account(db, claims, account_domains)
        if account is None:
            audit.record(db, None, "sign-in refused", str(claims.get("email") or "")[:40],
                         "single sign-on: no planner account")
        else:
            audit.record(db, account.username, "sign-in", account.username, "single sign-on")
        return account
