"""The audit log (issue 6): sign-ins, edits, publishes, exports, contact views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.store.models import AuditRow

# The action of an entry that says a coordinator saw contact details.
CONTACT_VIEW = "contact view"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str | None
    action: str
    target: str
    detail: str


def record(db: Session, actor: str | None, action: str, target: str = "", detail: str = "") -> None:
    """Add one entry; it is written with the caller's unit of work."""
    db.add(AuditRow(actor=actor, action=action[:40], target=target[:200], detail=detail[:500]))


def recent(db: Session, limit: int = 200, action: str | None = None) -> list[AuditEntry]:
    """Newest first."""
    query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditRow.action == action)
    return [AuditEntry(r.at, r.actor, r.action, r.target, r.detail) for r in db.scalars(query)]
