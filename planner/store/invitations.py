"""Invitations to make an account: an emailed link or a printed code, kept as a hash, single use.

A volunteer has at most one open invitation: adding one revokes the others,
so after a resend only the newest link or code works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from planner.store.models import InvitationRow


@dataclass(frozen=True)
class Invitation:
    id: int
    volunteer_id: int
    method: str  # email | code
    created_at: datetime
    created_by: str | None
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None

    def is_open(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(row.id, row.volunteer_id, row.method, row.created_at, row.created_by, row.expires_at,
                      row.used_at, row.revoked_at)


def add(db: Session, volunteer_id: int, token_hash: str, method: str, now: datetime, expires_at: datetime,
        actor: str | None) -> Invitation:
    """A new invitation; the volunteer's open ones stop working."""
    db.execute(update(InvitationRow)
               .where(InvitationRow.volunteer_id == volunteer_id, InvitationRow.used_at.is_(None),
                      InvitationRow.revoked_at.is_(None))
               .values(revoked_at=now))
    row = InvitationRow(volunteer_id=volunteer_id, token_hash=token_hash, method=method, created_at=now,
                        created_by=actor, expires_at=expires_at)
    db.add(row)
    db.flush()
    return _invitation(row)


def find(db: Session, token_hash: str, method: str, *, lock: bool = False) -> Invitation | None:
    """The invitation with this hash, whatever its state; `lock` holds it until the unit of work ends."""
    query = select(InvitationRow).where(InvitationRow.token_hash == token_hash,
                                        InvitationRow.method == method)
    row = db.scalar(query.with_for_update() if lock else query)
    return _invitation(row) if row is not None else None


def mark_used(db: Session, invitation_id: int, now: datetime) -> None:
    db.execute(update(InvitationRow).where(InvitationRow.id == invitation_id).values(used_at=now))


def latest(db: Session) -> dict[int, Invitation]:
    """Each volunteer's newest invitation."""
    out: dict[int, Invitation] = {}
    for row in db.scalars(select(InvitationRow).order_by(InvitationRow.created_at, InvitationRow.id)):
        out[row.volunteer_id] = _invitation(row)
    return out


def forget_volunteer(db: Session, volunteer_id: int) -> None:
    """Erasure: the person's invitations go (their hashes open nothing once the account is gone)."""
    db.execute(delete(InvitationRow).where(InvitationRow.volunteer_id == volunteer_id))
