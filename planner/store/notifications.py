"""The outgoing queue of emails and texts: queued once per idempotency key, sent later, never deleted.

A message is written whole (subject, body, ICS) when it is queued, so a retry
after an SMTP failure sends exactly the same thing. `planner.services.notify` decides
what to queue and does the sending; this module only keeps the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.core.domain import volunteer_key
from planner.store.models import NotificationRow

# `invite`, `signin` and `offer` carry a one-time link (see `planner.services.keys.link_token`); `taken` tells
# someone who gave a shift away that it was picked up; an `alert` goes to the center's alert address;
# `applied` goes to an applicant (the public sign-up's confirmation). Every other kind goes to a volunteer.
KINDS = ("publish", "change", "cancel", "reminder", "invite", "signin", "offer", "taken", "alert", "applied")
CHANNELS = ("email", "sms")
# After this many failed attempts a message stays `failed` (and listed) but is no longer retried.
MAX_ATTEMPTS = 10
# A failed message waits before its next try: 1 minute after the first failure, doubling, so the last try
# comes about 8.5 hours after the first and a mail server that is down for a while loses nothing.
FIRST_PAUSE = timedelta(minutes=1)


def pause_after(attempts: int) -> timedelta:
    """How long a message that failed `attempts` times waits before the next try (none before the first)."""
    return FIRST_PAUSE * 2 ** (attempts - 1) if attempts > 0 else timedelta(0)


@dataclass(frozen=True)
class Notification:
    id: int
    key: str
    volunteer: str | None  # volunteer key, `v07`; None for an applicant or an alert to the center's address
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
    channel: str = "email"
    applicant_id: int | None = None

    @property
    def volunteer_id(self) -> int | None:
        return int(self.volunteer[1:]) if self.volunteer is not None else None

    @property
    def recipient(self) -> str | None:
        """Whom it is for, as the Outbox's names are keyed: `v07`, `applicant 12`; None for an alert."""
        if self.applicant_id is not None:
            return f"applicant {self.applicant_id}"
        return self.volunteer

    @property
    def gave_up(self) -> bool:
        """Failed for good (refused by the mail server, or tried too often): only a retry sends it."""
        return self.status == "failed" and self.attempts >= MAX_ATTEMPTS


def _notification(row: NotificationRow) -> Notification:
    return Notification(row.id, row.key,
                        volunteer_key(row.volunteer_id) if row.volunteer_id is not None else None, row.kind,
                        row.week_start, row.plan_version, row.subject, row.body, row.ics, row.status,
                        row.attempts, row.last_error, row.created_at, row.last_attempt_at, row.sent_at,
                        row.channel, row.applicant_id)


def queue(db: Session, *, key: str, volunteer_id: int | None, kind: str, subject: str, body: str, ics: str,
          week_start: date | None = None, plan_version: int | None = None, channel: str = "email",
          applicant_id: int | None = None) -> bool:
    """Queue a message to a volunteer, an applicant or (an alert) the center unless its key was queued
    before; True when it is new."""
    if kind not in KINDS:
        raise ValueError(f'kind: "{kind}" is not one of {", ".join(KINDS)}')
    if channel not in CHANNELS:
        raise ValueError(f'channel: "{channel}" is not one of {", ".join(CHANNELS)}')
    if volunteer_id is not None and applicant_id is not None:
        raise ValueError("a message goes to one volunteer or one applicant")
    if (kind == "alert") != (volunteer_id is None and applicant_id is None):
        raise ValueError("an alert, and only an alert, goes to no volunteer or applicant")
    if db.scalar(select(NotificationRow.id).where(NotificationRow.key == key)) is not None:
        return False
    db.add(NotificationRow(key=key[:200], volunteer_id=volunteer_id, applicant_id=applicant_id, kind=kind,
                           week_start=week_start, plan_version=plan_version, subject=subject[:200], body=body,
                           ics=ics, status="queued", attempts=0, channel=channel))
    db.flush()
    return True


def _to_try():  # noqa: ANN202 - a SQLAlchemy condition
    return NotificationRow.status.in_(("queued", "failed")) & (NotificationRow.attempts < MAX_ATTEMPTS)


def pending(db: Session, now: datetime, channel: str = "email") -> list[Notification]:
    """Queued messages of `channel`, and failed ones whose pause (`pause_after`) is over at `now`, oldest
    first.

    Only the holder of the sender's lease sends (`planner.services.notify`), so
    two processes never work through this list at once.
    """
    query = (select(NotificationRow).where(_to_try(), NotificationRow.channel == channel)
             .order_by(NotificationRow.created_at, NotificationRow.id))
    return [_notification(r) for r in db.scalars(query)
            if r.last_attempt_at is None or r.last_attempt_at + pause_after(r.attempts) <= now]


def is_pending(db: Session, notification_id: int) -> bool:
    """Still to be tried (not sent meanwhile, nor given up)."""
    return db.scalar(select(NotificationRow.id).where(NotificationRow.id == notification_id, _to_try())) \
        is not None


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


def get(db: Session, notification_id: int) -> Notification | None:
    row = db.get(NotificationRow, notification_id)
    return _notification(row) if row is not None else None


def retry(db: Session, notification_id: int | None = None) -> int:
    """Queue failed messages again with a fresh count of attempts (one, or all when no id); how many."""
    query = select(NotificationRow).where(NotificationRow.status == "failed")
    if notification_id is not None:
        query = query.where(NotificationRow.id == notification_id)
    rows = list(db.scalars(query.with_for_update()))
    for row in rows:
        row.status, row.attempts = "queued", 0
    db.flush()
    return len(rows)


def counts(db: Session) -> dict[str, int]:
    """Messages per status."""
    rows = db.execute(select(NotificationRow.status, func.count()).group_by(NotificationRow.status))
    return {status: count for status, count in rows}


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
