"""Notices volunteers get (by email, or by text when they chose texts): queued with every publish and
cancellation, sent later, never lost.

Queueing and sending are separate steps so a failure loses nothing: messages
are written to the queue (idempotent per key) inside the caller's unit of work,
and `send_pending` later sends whatever is still queued or failed, marking each
row as it goes. A crash between the SMTP answer and the commit can resend one
message (at least once, never zero times).

Only one sender works at a time, whichever process it runs in (the app's
background sender, `send-reminders` from cron): it holds the lease `LEASE`
(`planner.store.leases`), renewed before every message, and stops when it
has lost it. The database is never held while the SMTP server (or Twilio) is talking.

Reminders, offers and "your shift was picked up" go by text to volunteers who
chose texts (`planner.store.texting`) while texts are set up (`planner.services.sms`);
everything else, and everyone else, by email. A number that answers STOP is
never texted again.

Plan notices compare a week's latest published version with the version
volunteers were last told about, so a run after several quick re-publishes
sends one notice with the net change.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from planner.core.clock import center_now, utcnow
from planner.core.domain import monday_of, volunteer_id_from_key, volunteer_key
from planner.core.errors import NotifyError
from planner.services import outbox, sms
from planner.services.keys import fill_link
from planner.services.mail import SmtpSettings, build_email, connect, smtp_settings
from planner.services.notices import Message, plan_messages, reminder_messages
from planner.store import applicants, audit, leases, notifications, plans, roster, texting
from planner.store.db import Session, after_commit, session
from planner.store.notifications import Notification
from planner.store.settings import load_settings

log = logging.getLogger(__name__)

LEASE = outbox.SENDER_LEASE
# A sender renews its claim before each message, and an SMTP exchange times out long before this.
LEASE_SECONDS = 300
_ADDRESS = re.compile(r"[^\s<>@]+@[^\s<>@]+")


@dataclass(frozen=True)
class Contact:
    """Someone to call: a changed volunteer with no email address (coordinators only)."""

    volunteer: str  # volunteer key
    name: str
    phone: str


@dataclass(frozen=True)
class Told:
    """Who a publish tells: the changed volunteers emailed (by name), and the ones to call instead."""

    queued: int = 0  # new messages in the outbox
    emailed: tuple[str, ...] = ()
    no_email: tuple[Contact, ...] = ()


def _addressable(db: Session) -> dict[str, str]:
    """Volunteer key -> display name, for people with an email who were not erased."""
    names = roster.names(db)
    return {key: names[key] for key in map(volunteer_key, roster.emails(db)) if key in names}


def texters(db: Session) -> dict[int, str]:
    """Volunteers who get texts, with their number as Twilio takes it: they chose texts, never answered
    STOP, have a usable phone, and texts are set up (otherwise they are emailed)."""
    if not sms.configured():
        return {}
    found = {vid: sms.number(phone) for vid, phone in texting.numbers(db).items()}
    return {vid: number for vid, number in found.items() if number}


def queue_messages(db: Session, messages: Iterable[Message]) -> int:
    """Queue each message (once per key); the sender is woken when the unit of work commits."""
    count = 0
    for m in messages:
        count += notifications.queue(db, key=m.key, kind=m.kind, subject=m.subject, body=m.body, ics=m.ics,
                                     volunteer_id=volunteer_id_from_key(m.volunteer) if m.volunteer else None,
                                     week_start=m.week_start, plan_version=m.plan_version, channel=m.channel)
    if count:
        after_commit(db, outbox.wake)
    return count


def queue_plan_notices(db: Session, week_start: date, now_local: datetime | None = None) -> Told:
    """Queue notices for the week's latest published version: who is emailed, and who has no email.

    Call it right after publishing (same unit of work) or let the sender catch up.
    """
    settings = load_settings(db)
    versions = plans.list_versions(db, week_start)
    if not versions or versions[-1].version is None:
        return Told()
    latest = versions[-1]
    told = notifications.last_notified_version(db, week_start)
    if told == latest.version:
        return Told()
    before = next((v.assignments for v in versions if v.version == told), None)
    now_local = now_local or center_now(settings.timezone)
    names = roster.names(db)  # erased people are not in it, and not told
    reachable = _addressable(db)
    messages = [m for m in plan_messages(settings, week_start, latest.version, before, latest.assignments,
                                         now_local, names, datetime.now(UTC)) if m.volunteer in names]
    queued = queue_messages(db, [m for m in messages if m.volunteer in reachable])
    unreachable = [m.volunteer for m in messages if m.volunteer not in reachable]
    phones = roster.phones(db, map(volunteer_id_from_key, unreachable))
    for key in unreachable:
        log.info("no email address for %s: %s notice not queued", key, week_start)
    return Told(queued, tuple(names[m.volunteer] for m in messages if m.volunteer in reachable),
                tuple(Contact(key, names[key], phones.get(volunteer_id_from_key(key), ""))
                      for key in unreachable))


def queue_upcoming(db: Session, now_local: datetime | None = None) -> int:
    """Plan notices for every week from the current one on; each week locked as a publish locks it."""
    settings = load_settings(db)
    now_local = now_local or center_now(settings.timezone)
    total = 0
    for week in plans.weeks_from(db, monday_of(now_local.date())):
        plans.lock_week(db, week)  # a publish of this week queues its own notices: one after the other
        total += queue_plan_notices(db, week, now_local).queued
    return total


def queue_reminders(db: Session, now_local: datetime) -> int:
    """Reminders for slots starting within the center's `reminder_hours`; returns how many were new."""
    settings = load_settings(db)
    horizon = now_local + timedelta(hours=settings.reminder_hours)
    published = {}
    for week in sorted({monday_of(now_local.date()), monday_of(horizon.date())}):
        latest = plans.latest_published(db, week)
        if latest is not None and latest.version is not None:
            published[week] = (latest.version, latest.assignments)
    names = _addressable(db)
    texts = {volunteer_key(vid) for vid in texters(db)}
    names.update({key: name for key, name in roster.names(db).items() if key in texts})
    due = reminder_messages(settings, published, now_local, names, datetime.now(UTC), texts)
    return queue_messages(db, [m for m in due if m.volunteer in names])


def queue_due(now_local: datetime | None = None) -> tuple[int, int]:
    """Plan notices for every upcoming week and the reminders due now: (notices, reminders) queued.

    `now_local` is the center's wall-clock time (default: now). Committed before anything is sent.
    """
    with session() as db:
        now_local = now_local or center_now(load_settings(db).timezone)
        return queue_upcoming(db, now_local), queue_reminders(db, now_local)


Delivery = Callable[[Notification], "tuple[str, bool] | None"]


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed"


def _reason(err: Exception) -> tuple[str, bool]:
    """(why, for good): a 5xx answer is final (retrying sends the same thing); anything else may pass later.

    Addresses are masked: the outbox shows names, never contact details.
    """
    code, text = None, str(err)
    if isinstance(err, smtplib.SMTPRecipientsRefused) and err.recipients:
        code, answer = next(iter(err.recipients.values()))
        text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    elif isinstance(err, smtplib.SMTPResponseException):
        code = err.smtp_code
        text = err.smtp_error.decode("utf-8", "replace") if isinstance(err.smtp_error, bytes) else str(
            err.smtp_error)
    text = _ADDRESS.sub("(address)", " ".join(text.split()))
    if code is None:
        return text, False
    return f"refused by the mail server: {code} {text}", 500 <= code < 600


def holds(holder: str) -> bool:
    """Take or renew the sender's lease; False when another sender holds it."""
    with session() as db:
        return leases.take(db, LEASE, holder, utcnow(), LEASE_SECONDS)


def _mark(item: Notification, error: str | None, now: datetime, give_up: bool = False) -> None:
    with session() as db:
        if error is None:
            notifications.mark_sent(db, item.id, now)
        else:
            notifications.mark_failed(db, item.id, error, now, give_up=give_up)


def _deliver_each(holder: str, todo: Iterable[Notification], deliver: Delivery,
                  stop: Callable[[], bool], clock: Callable[[], datetime]) -> SendReport:
    """Send each message while `holder` holds the lease: renew it and check the row is still to be sent
    (one short unit of work), `deliver` it (None: sent; else why, and whether that is for good), mark it."""
    sent = failed = 0
    for item in todo:
        if stop() or not holds(holder):
            break
        with session(readonly=True) as db:
            if not notifications.is_pending(db, item.id):
                continue  # sent, or retried and sent, meanwhile
        problem = deliver(item)
        if problem is None:
            _mark(item, None, clock())
            sent += 1
        else:
            log.warning("message %s (%s, %s) failed: %s", item.id, item.kind, item.channel, problem[0])
            _mark(item, problem[0], clock(), give_up=problem[1])
            failed += 1
    return SendReport(sent, failed)


def send_pending(holder: str, settings: SmtpSettings | None = None,
                 stop: Callable[[], bool] = lambda: False, now: datetime | None = None) -> SendReport:
    """Send every queued email, and failed ones whose pause is over, while `holder` holds the lease.

    Each message: renew the lease and check the row is still to be sent (one
    short unit of work), send it, mark it (another). A 5xx refusal is marked
    failed for good (the Outbox retries it); other failures are tried again
    after a pause (`notifications.pause_after`). Stops between messages when
    `stop()` says so or the lease was lost. `now` is naive UTC (default: now).
    Raises NotifyError, before touching any row, when SMTP is not configured.
    """
    settings = settings or smtp_settings()
    if settings is None:
        raise NotifyError("PLANNER_SMTP_HOST: not set, so no email can be sent (messages stay queued)")
    fixed = now

    def clock() -> datetime:
        return fixed or utcnow()

    with session(readonly=True) as db:
        todo = notifications.pending(db, clock())
        addresses = roster.emails(db, {t.volunteer_id for t in todo if t.volunteer_id is not None})
        alerts_to = load_settings(db).alert_email or ""
        to_applicants = applicants.emails(db, {t.applicant_id for t in todo if t.applicant_id is not None})
    if not todo or not holds(holder):
        return SendReport()
    try:
        server = connect(settings)
    except (OSError, smtplib.SMTPException) as err:
        error = f"cannot connect to {settings.host}:{settings.port}: {_reason(err)[0]}"
        log.warning("%s; %d messages kept for the next run", error, len(todo))
        with session() as db:
            for item in todo:
                if notifications.is_pending(db, item.id):
                    notifications.mark_failed(db, item.id, error, clock())
        return SendReport(failed=len(todo))

    def deliver(item: Notification) -> tuple[str, bool] | None:
        if item.recipient is None:
            to = alerts_to
        elif item.applicant_id is not None:
            to = to_applicants.get(item.applicant_id, "")
        else:
            to = addresses.get(item.volunteer_id or 0, "")
        if not to:
            return ("no alert address in the center settings" if item.recipient is None
                    else "no email address (erased or removed)", True)
        try:
            server.send_message(build_email(item, to, settings.sender, clock()))
        except (OSError, smtplib.SMTPException, ValueError) as err:
            return _reason(err)
        return None

    try:
        report = _deliver_each(holder, todo, deliver, stop, clock)
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
    if report.sent or report.failed:
        with session() as db:
            audit.record(db, "notify", "email sent", "notifications", str(report))
    return report


def send_texts(holder: str, settings: sms.SmsSettings | None = None,
               stop: Callable[[], bool] = lambda: False, now: datetime | None = None) -> SendReport:
    """Send every queued text (and failed ones whose pause is over), as `send_pending` sends email.

    A text goes only to a volunteer who still chose texts and never answered
    STOP; Twilio's STOP answer (21610) stops their texts for good. Raises
    NotifyError when texts are not set up.
    """
    settings = settings or sms.sms_settings()
    if settings is None:
        raise NotifyError(f"{sms.ENV['account_sid']}: not set, so no text can be sent (texts stay queued)")
    fixed = now

    def clock() -> datetime:
        return fixed or utcnow()

    with session(readonly=True) as db:
        todo = notifications.pending(db, clock(), "sms")
        numbers = {vid: sms.number(phone) for vid, phone in texting.numbers(db).items()}
    if not todo or not holds(holder):
        return SendReport()

    def deliver(item: Notification) -> tuple[str, bool] | None:
        to = numbers.get(item.volunteer_id) if item.volunteer_id is not None else None
        if not to:
            return "texts are off for this volunteer (turned off, STOP, erased or no usable phone)", True
        try:
            sms.send(settings, to, fill_link(item.body, item.key))  # a link's token exists only in the text
        except sms.SmsFailed as err:
            if err.unsubscribed and item.volunteer_id is not None:
                with session() as db:
                    texting.stop(db, item.volunteer_id, clock(), "notify", "the number answered STOP")
                numbers.pop(item.volunteer_id, None)
            return err.reason, err.final
        return None

    report = _deliver_each(holder, todo, deliver, stop, clock)
    if report.sent or report.failed:
        with session() as db:
            audit.record(db, "notify", "texts sent", "notifications", str(report))
    return report


@dataclass(frozen=True)
class Round:
    """One round of a sender: what it queued, and what it sent (None: email is not configured)."""

    notices: int = 0
    reminders: int = 0
    report: SendReport | None = None
    busy: bool = False  # another sender holds the lease: this one did nothing
    texts: SendReport | None = None  # None: texts are not set up


def run_round(holder: str, *, queue: bool = True, now_local: datetime | None = None,
              stop: Callable[[], bool] = lambda: False) -> Round:
    """Take (or renew) the sender's lease, queue what is due (`queue`), send what is pending.

    Raises NotifyError when the SMTP settings are wrong (a bad port, no sender address).
    """
    if not holds(holder):
        return Round(busy=True)
    notices, reminders = queue_due(now_local) if queue else (0, 0)
    settings = smtp_settings()
    report = send_pending(holder, settings, stop) if settings is not None else None
    try:
        text_settings = sms.sms_settings()
    except NotifyError as err:  # email still goes; the Outbox says what is wrong with texts
        log.warning("texts: %s", err)
        text_settings = None
    texts = send_texts(holder, text_settings, stop) if text_settings is not None else None
    return Round(notices, reminders, report, texts=texts)


def release(holder: str) -> None:
    """Give the sender's lease up, so another process's sender can start at once."""
    with session() as db:
        leases.release(db, LEASE, holder)
