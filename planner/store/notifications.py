"""The outgoing email queue: queued once per idempotency key, sent later, never deleted.

A message is written whole (subject, body, ICS) when it is queued, so a retry
after an SMTP failure sends exactly the same thing. `planner.services.notify` decides
what to queue and does the sending; this module only keeps the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.core.domain import volunteer_key
from planner.store.models import NotificationRow

# `invite` and `signin` carry a one-time link (see `planner.services.keys.link_token`).
KINDS = ("publish", "change", "cancel", "reminder", "invite", "signin")
# After this many failed attempts a message stays `failed` (and listed) but is no longer retried.
MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class Notification:
    id: int
    key: str
    volunteer: str  # volunteer key, `v07`
    kind: str
    week_start: date | None
    plan_version: int | None
    subject: str
    body: str
    ics: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    sent_at: datetime | None

    @property
    def volunteer_id(self) -> int:
        return int(self.volunteer[1:])


def _notification(row: NotificationRow) -> Notification:
    return Notification(row.id, row.key, volunteer_key(row.volunteer_id), row.kind, row.week_start,
                        row.plan_version, row.subject, row.body, row.ics, row.status, row.attempts,
                        row.last_error, row.created_at, row.last_attempt_at, row.sent_at)


def queue(db: Session, *, key: str, volunteer_id: int, kind: str, subject: str, body: str, ics: str,
          week_start: date | None = None, plan_version: int | None = None) -> bool:
    """Queue a message unless its key was queued before; True when it is new."""
    if kind not in KINDS:
        raise ValueError(f'kind: "{kind}" is not one of {", ".join(KINDS)}')
    if db.scalar(select(NotificationRow.id).where(NotificationRow.key == key)) is not None:
        return False
    db.add(NotificationRow(key=key[:200], volunteer_id=volunteer_id, kind=kind, week_start=week_start,
                           plan_version=plan_version, subject=subject[:200], body=body, ics=ics,
                           status="queued", attempts=0))
    db.flush()
    return True


def pending(db: Session) -> list[Notification]:
    """Queued and failed messages still to be tried, oldest first.

    On PostgreSQL the rows are locked (skipping locked ones), so two overlapping
    runs never send the same message twice.
    """
    query = (select(NotificationRow)
             .where(NotificationRow.status.in_(("queued", "failed")), NotificationRow.attempts < MAX_ATTEMPTS)
             .order_by(NotificationRow.created_at, NotificationRow.id)
             .with_for_update(skip_locked=True))
    return [_notification(r) for r in db.scalars(query)]


def mark_sent(db: Session, notification_id: int, now: datetime) -> None:
    row = db.get_one(NotificationRow, notification_id)
    row.status, row.attempts, row.last_attempt_at, row.sent_at = "sent", row.attempts + 1, now, now
    row.last_error = None
    db.flush()


def mark_failed(db: Session, notification_id: int, error: str, now: datetime, *,
                give_up: bool = False) -> None:
    """Keep the message for the next run, or with `give_up` (it can never be sent) stop retrying it."""
    row = db.get_one(NotificationRow, notification_id)
    row.status, row.last_attempt_at = "failed", now
    row.attempts = MAX_ATTEMPTS if give_up else row.attempts + 1
    row.last_error = error[:500]
    db.flush()


def list_notifications(db: Session, *, status: str | None = None, limit: int = 500) -> list[Notification]:
    """Newest first."""
    query = select(NotificationRow).order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc())
    if status is not None:
        query = query.where(NotificationRow.status == status)
    return [_notification(r) for r in db.scalars(query.limit(limit))]


def last_notified_version(db: Session, week_start: date) -> int | None:
    """The newest plan version of the week that volunteers were told about (queued counts)."""
    return db.scalar(select(func.max(NotificationRow.plan_version))
                     .where(NotificationRow.week_start == week_start,
                            NotificationRow.kind.in_(("publish", "change", "cancel"))))
