"""Browser sessions and the one-time tokens that open them (60 s tickets, emailed sign-in links).

Only hashes of ids and tokens reach this module. `planner.services.sessions`
decides the rules (how long, bound to which browser); this module keeps rows,
makes each token single use, and writes the audit entry when sessions end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from planner.store import audit
from planner.store.models import SessionRow, SignInTokenRow, UserRow

# Ended sessions and spent tokens are kept this long (the audit log keeps the story), then purged.
KEEP_ENDED = timedelta(days=30)


@dataclass(frozen=True)
class StoredSession:
    id: int
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    kiosk: bool


@dataclass(frozen=True)
class StoredToken:
    user_id: int
    browser_hash: str | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def _session(row: SessionRow) -> StoredSession:
    return StoredSession(row.id, row.user_id, row.created_at, row.last_seen_at, row.expires_at, row.ended_at,
                         row.end_reason, row.kiosk)


def add_session(db: Session, id_hash: str, user_id: int, now: datetime,
                expires_at: datetime) -> StoredSession:
    _purge(db, now)
    row = SessionRow(id_hash=id_hash, user_id=user_id, created_at=now, last_seen_at=now,
                     expires_at=expires_at, kiosk=False)
    db.add(row)
    db.flush()
    return _session(row)


def find_session(db: Session, id_hash: str) -> StoredSession | None:
    row = db.scalar(select(SessionRow).where(SessionRow.id_hash == id_hash))
    return _session(row) if row is not None else None


def touch(db: Session, session_id: int, now: datetime) -> None:
    """Record use; an ended session stays ended."""
    db.execute(update(SessionRow).where(SessionRow.id == session_id, SessionRow.ended_at.is_(None))
               .values(last_seen_at=now))


def set_kiosk(db: Session, session_id: int, on: bool) -> None:
    db.execute(update(SessionRow).where(SessionRow.id == session_id).values(kiosk=on))


def _username(db: Session, user_id: int) -> str:
    return db.scalar(select(UserRow.username).where(UserRow.id == user_id)) or f"user {user_id}"


def end_session(db: Session, session_id: int, now: datetime, reason: str, actor: str | None = None) -> bool:
    """End one session (logout, expiry); True when it was still open. Written to the audit log."""
    row = db.get(SessionRow, session_id, with_for_update=True)
    if row is None or row.ended_at is not None:
        return False
    row.ended_at, row.end_reason = now, reason
    name = _username(db, row.user_id)
    audit.record(db, actor or name, "session ended", name, reason)
    return True


def end_user_sessions(db: Session, user_id: int, now: datetime, reason: str, actor: str | None = None) -> int:
    """End every open session of an account (password changed, account erased); how many were open."""
    rows = list(db.scalars(select(SessionRow)
                           .where(SessionRow.user_id == user_id, SessionRow.ended_at.is_(None))
                           .with_for_update()))
    for row in rows:
        row.ended_at, row.end_reason = now, reason
    if rows:
        name = _username(db, user_id)
        audit.record(db, actor or name, "session ended", name,
                     f"{reason} ({len(rows)} session{'s' if len(rows) > 1 else ''})")
    return len(rows)


def add_token(db: Session, token_hash: str, kind: str, user_id: int, now: datetime, expires_at: datetime,
              browser_hash: str | None = None) -> None:
    db.add(SignInTokenRow(token_hash=token_hash, kind=kind, user_id=user_id, browser_hash=browser_hash,
                          created_at=now, expires_at=expires_at))
    db.flush()


def _token(row: SignInTokenRow) -> StoredToken:
    return StoredToken(row.user_id, row.browser_hash, row.created_at, row.expires_at, row.used_at)


def peek_token(db: Session, token_hash: str, kind: str) -> StoredToken | None:
    """The token as stored, changing nothing (a page shown before the person acts)."""
    row = db.scalar(select(SignInTokenRow).where(SignInTokenRow.token_hash == token_hash,
                                                 SignInTokenRow.kind == kind))
    return _token(row) if row is not None else None


def take_token(db: Session, token_hash: str, kind: str, now: datetime) -> StoredToken | None:
    """Spend a token: None when unknown or spent before. Spent even when the caller then refuses it
    (expired, another browser), so a token is never tried twice."""
    spent = db.execute(update(SignInTokenRow)
                       .where(SignInTokenRow.token_hash == token_hash, SignInTokenRow.kind == kind,
                              SignInTokenRow.used_at.is_(None))
                       .values(used_at=now))
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = db.scalar(select(SignInTokenRow).where(SignInTokenRow.token_hash == token_hash))
    return _token(row) if row is not None else None


def issued_since(db: Session, user_id: int, kind: str, since: datetime) -> bool:
    """Whether a token of `kind` was issued to the account after `since` (a resend limit)."""
    return db.scalar(select(SignInTokenRow.id).where(SignInTokenRow.user_id == user_id,
                                                     SignInTokenRow.kind == kind,
                                                     SignInTokenRow.created_at > since).limit(1)) is not None


def _purge(db: Session, now: datetime) -> None:
    """Drop long-ended sessions and long-expired tokens: hashes of nothing are still data kept."""
    cutoff = now - KEEP_ENDED
    db.execute(delete(SignInTokenRow).where(SignInTokenRow.expires_at < cutoff))
    db.execute(delete(SessionRow).where(SessionRow.ended_at.is_not(None), SessionRow.ended_at < cutoff))
    db.execute(delete(SessionRow).where(SessionRow.expires_at < cutoff))
