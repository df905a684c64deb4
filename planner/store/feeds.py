"""Private calendar feed tokens, kept only as SHA-256 hashes: one per volunteer or coordinator account.

An owner is `("volunteer", volunteer id)` or `("user", account id)`. Making a
new token deletes the owner's old one, so a reset link stops the old one at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.store.models import FeedTokenRow, UserRow, VolunteerRow

OwnerKind = Literal["volunteer", "user"]
Owner = tuple[OwnerKind, int]


def _of(owner: Owner):  # noqa: ANN202 - a SQLAlchemy expression
    kind, owner_id = owner
    column = FeedTokenRow.volunteer_id if kind == "volunteer" else FeedTokenRow.user_id
    return column == owner_id


def replace(db: Session, owner: Owner, token_hash: str) -> None:
    """The owner's feed is now `token_hash`; any older token of theirs stops working."""
    db.execute(delete(FeedTokenRow).where(_of(owner)))
    kind, owner_id = owner
    db.add(FeedTokenRow(token_hash=token_hash, volunteer_id=owner_id if kind == "volunteer" else None,
                        user_id=owner_id if kind == "user" else None))
    db.flush()


def revoke(db: Session, owner: Owner) -> bool:
    """Delete the owner's token; True when there was one."""
    return bool(db.execute(delete(FeedTokenRow).where(_of(owner))).rowcount)  # type: ignore[attr-defined]


def created_at(db: Session, owner: Owner) -> datetime | None:
    """When the owner's current token was made, or None when they have none."""
    return db.scalar(select(FeedTokenRow.created_at).where(_of(owner)))


def owner_of(db: Session, token_hash: str) -> Owner | None:
    """Whose feed the token opens; None when nobody's, or the owner may no longer have one
    (an erased volunteer, an account that is no longer a coordinator's)."""
    row = db.scalar(select(FeedTokenRow).where(FeedTokenRow.token_hash == token_hash))
    if row is None:
        return None
    if row.volunteer_id is not None:
        volunteer = db.get(VolunteerRow, row.volunteer_id)
        return ("volunteer", row.volunteer_id) if volunteer and volunteer.erased_at is None else None
    user = db.get(UserRow, row.user_id)
    return ("user", user.id) if user is not None and user.role == "coordinator" else None
