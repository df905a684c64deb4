"""Notices volunteers get: queued with every publish and cancellation, sent later, never lost.

Queueing and sending are separate steps so a failure loses nothing: messages
are written to the queue (idempotent per key) inside the caller's unit of work,
and `send_pending` later sends whatever is still queued or failed, marking each
row as it goes. A crash between the SMTP answer and the commit can resend one
message (at least once, never zero times).

Plan notices compare a week's latest published version with the version
volunteers were last told about, so a run after several quick re-publishes
sends one notice with the net change.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from planner.core.clock import center_now, utcnow
from planner.core.domain import monday_of, volunteer_id_from_key, volunteer_key
from planner.core.errors import NotifyError
from planner.services.mail import SmtpSettings, build_email, connect, smtp_settings
from planner.services.notices import Message, plan_messages, reminder_messages
from planner.store import audit, notifications, plans, roster
from planner.store.db import Session, session
from planner.store.settings import load_settings

log = logging.getLogger(__name__)


def _addressable(db: Session) -> dict[str, str]:
    """Volunteer key -> display name, for people with an email who were not erased."""
    names = roster.names(db)
    return {key: names[key] for key in map(volunteer_key, roster.emails(db)) if key in names}


def _queue(db: Session, messages: Iterable[Message], names: Mapping[str, str]) -> int:
    count = 0
    for m in messages:
        if m.volunteer not in names:
            log.info("no email address for %s: %s not queued", m.volunteer, m.kind)
            continue
        count += notifications.queue(db, key=m.key, volunteer_id=volunteer_id_from_key(m.volunteer),
                                     kind=m.kind, subject=m.subject, body=m.body, ics=m.ics,
                                     week_start=m.week_start, plan_version=m.plan_version)
    return count


def queue_plan_notices(db: Session, week_start: date, now_local: datetime | None = None) -> int:
    """Queue notices for the week's latest published version; returns how many were new.

    Call it right after publishing (same unit of work) or let `send-reminders` catch up.
    """
    settings = load_settings(db)
    versions = plans.list_versions(db, week_start)
    if not versions or versions[-1].version is None:
        return 0
    latest = versions[-1]
    told = notifications.last_notified_version(db, week_start)
    if told == latest.version:
        return 0
    before = next((v.assignments for v in versions if v.version == told), None)
    now_local = now_local or center_now(settings.timezone)
    names = _addressable(db)
    return _queue(db, plan_messages(settings, week_start, latest.version, before, latest.assignments,
                                    now_local, names, datetime.now(UTC)), names)


def queue_upcoming(db: Session, now_local: datetime | None = None) -> int:
    """Plan notices for every week from the current one on."""
    settings = load_settings(db)
    now_local = now_local or center_now(settings.timezone)
    weeks = plans.weeks_from(db, monday_of(now_local.date()))
    return sum(queue_plan_notices(db, week, now_local) for week in weeks)


def queue_reminders(db: Session, today: date) -> int:
    """Reminders for tomorrow's slots in the latest published plan; returns how many were new."""
    settings = load_settings(db)
    tomorrow = today + timedelta(days=1)
    week = monday_of(tomorrow)
    latest = plans.latest_published(db, week)
    if latest is None or latest.version is None:
        return 0
    names = _addressable(db)
    return _queue(db, reminder_messages(settings, week, latest.version, latest.assignments, tomorrow, names,
                                        datetime.now(UTC)), names)


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed"


def send_pending(db: Session, now: datetime, settings: SmtpSettings | None = None) -> SendReport:
    """Send every queued (or earlier failed) message; failures are marked, logged and retried next run.

    `now` is naive UTC. Raises NotifyError, before touching any row, when SMTP is not configured.
    """
    settings = settings or smtp_settings()
    if settings is None:
        raise NotifyError("PLANNER_SMTP_HOST: not set, so no email can be sent (messages stay queued)")
    todo = notifications.pending(db)
    if not todo:
        return SendReport()
    try:
        server = connect(settings)
    except (OSError, smtplib.SMTPException) as err:
        error = f"cannot connect to {settings.host}:{settings.port}: {err}"
        log.warning("%s; %d messages kept for the next run", error, len(todo))
        for item in todo:
            notifications.mark_failed(db, item.id, error, now)
        return SendReport(failed=len(todo))
    sent = failed = 0
    addresses = roster.emails(db, {t.volunteer_id for t in todo})
    try:
        for item in todo:
            to = addresses.get(item.volunteer_id, "")
            if not to:
                notifications.mark_failed(db, item.id, "no email address (erased or removed)", now,
                                          give_up=True)
                failed += 1
                continue
            try:
                server.send_message(build_email(item, to, settings.sender, now))
            except (OSError, smtplib.SMTPException, ValueError) as err:
                log.warning("message %s (%s) failed: %s", item.id, item.key, err)
                notifications.mark_failed(db, item.id, str(err), now)
                failed += 1
            else:
                notifications.mark_sent(db, item.id, now)
                sent += 1
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
    if sent or failed:
        audit.record(db, "notify", "email sent", "notifications", f"{sent} sent, {failed} failed")
    return SendReport(sent, failed)


def queue_due(today: date | None = None) -> tuple[int, int, date]:
    """Plan notices for every upcoming week and reminders for the day after `today` (the center's today).

    (notices queued, reminders queued, the day reminded from); committed before anything is sent.
    """
    with session() as db:
        local_now = center_now(load_settings(db).timezone)
        today = today or local_now.date()
        return queue_upcoming(db, local_now), queue_reminders(db, today), today


def send_all() -> SendReport:
    """Send everything pending; raises NotifyError (nothing marked) when email is not configured."""
    with session() as db:
        return send_pending(db, utcnow())
