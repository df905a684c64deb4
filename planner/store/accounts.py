"""Sign-in accounts as rows. Password checking and lock-out live in `planner.services.auth`."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.domain import ROLES
from planner.core.errors import AccountError
from planner.store.models import UserRow, VolunteerRow

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")


@dataclass(frozen=True)
class Account:
    """A signed-in user as the app keeps it in its session (no hash, no ORM state)."""

    id: int
    username: str
    role: str
    volunteer_id: int | None = None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def to_account(row: UserRow) -> Account:
    return Account(row.id, row.username, row.role, row.volunteer_id)


def find_user(db: Session, username: str) -> UserRow | None:
    return db.scalar(select(UserRow).where(UserRow.username == normalise_username(username)))


def get_account(db: Session, username: str) -> Account | None:
    row = find_user(db, username)
    return to_account(row) if row else None


def account_by_id(db: Session, user_id: int) -> Account | None:
    row = db.get(UserRow, user_id)
    return to_account(row) if row else None


def account_for_volunteer(db: Session, volunteer_id: int) -> Account | None:
    """The (first) account linked to a roster record."""
    row = db.scalar(select(UserRow).where(UserRow.volunteer_id == volunteer_id).order_by(UserRow.id).limit(1))
    return to_account(row) if row else None


def linked_volunteers(db: Session) -> set[int]:
    """Roster records that have an account."""
    return {v for v in db.scalars(select(UserRow.volunteer_id).where(UserRow.volunteer_id.is_not(None)))}


def suggest_username(db: Session, name: str, fallback: str = "volunteer") -> str:
    """A free username from a display name: `Zoë O'Neil` -> `zoe.oneil` (then `zoe.oneil2`, ...)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = ["".join(c for c in w if c.isalnum()) for w in ascii_name.split()]
    base = ".".join(w for w in words if w)[:36].strip(".") or fallback
    if not _USERNAME.fullmatch(base):
        base = fallback
    candidate, n = base, 1
    while find_user(db, candidate) is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def list_accounts(db: Session) -> list[Account]:
    return [to_account(r) for r in db.scalars(select(UserRow).order_by(UserRow.username))]


def count_users(db: Session) -> int:
    return len(db.scalars(select(UserRow.id)).all())


def add_user(db: Session, username: str, password_hash: str, role: str,
             volunteer_id: int | None = None) -> Account:
    """Store a new account; raises AccountError for a bad name, role, link or a taken name."""
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise AccountError(f'username: "{username}" must be 2-40 letters, digits, dots, dashes '
                           "or underscores")
    if role not in ROLES:
        raise AccountError(f'role: "{role}" is not one of {", ".join(ROLES)}')
    if role == "volunteer" and volunteer_id is None:
        raise AccountError("volunteer: a volunteer account must be linked to a volunteer")
    if volunteer_id is not None and db.get(VolunteerRow, volunteer_id) is None:
        raise AccountError(f"volunteer: no volunteer with id {volunteer_id}")
    if find_user(db, name) is not None:
        raise AccountError(f'username: "{name}" is taken')
    row = UserRow(username=name, password_hash=password_hash, role=role, volunteer_id=volunteer_id,
                  failed_attempts=0)
    db.add(row)
    db.flush()
    return to_account(row)


def set_role(db: Session, username: str, role: str, volunteer_id: int | None = None) -> Account:
    row = _require(db, username)
    if role not in ROLES:
        raise AccountError(f'role: "{role}" is not one of {", ".join(ROLES)}')
    if role == "volunteer" and volunteer_id is None:
        raise AccountError("volunteer: a volunteer account must be linked to a volunteer")
    row.role, row.volunteer_id = role, volunteer_id
    return to_account(row)


def unlock(db: Session, username: str) -> None:
    """A coordinator lifts a lock-out."""
    row = _require(db, username)
    row.failed_attempts, row.locked_until = 0, None


def delete_account(db: Session, username: str) -> None:
    db.delete(_require(db, username))


def _require(db: Session, username: str) -> UserRow:
    row = find_user(db, username)
    if row is None:
        raise AccountError(f'username: no account "{normalise_username(username)}"')
    return row
