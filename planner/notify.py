"""Email volunteers about their shifts: publish/change/cancel notices and day-before reminders.

Queueing and sending are separate steps so a failure loses nothing: messages
are written to the queue (idempotent per key) inside the caller's unit of work,
and `send_pending` later sends whatever is still queued or failed, marking each
row as it goes. A crash between the SMTP answer and the commit can resend one
message (at least once, never zero times).

Plan notices compare a week's latest published version with the version
volunteers were last told about, so a run after several quick re-publishes
sends one notice with the net change. Only future slots are mentioned. Each
message carries an ICS file of the volunteer's own slots (built by
`planner.io.my_calendar`): kept slots as CONFIRMED, lost ones as CANCELLED,
with the plan version as SEQUENCE so calendars update in place.

SMTP settings come from the environment (`PLANNER_SMTP_HOST`, `_PORT`,
`_USER`, `_PASSWORD`, `_FROM`) or `.streamlit/secrets.toml` (the same names
at the top level, or `host`, `port`, `user`, `password`, `from` in an
`[smtp]` section); the environment wins. No Streamlit here.
"""

from __future__ import annotations

import hashlib
import logging
import os
import smtplib
import ssl
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CenterSettings, monday_of, volunteer_id_from_key
from planner.io.my_calendar import MyShift, center_now, shifts_ics
from planner.privacy import first_name
from planner.problem import Assignment, Slot
from planner.store import audit, notifications, plans
from planner.store.models import VolunteerRow, WeekRow
from planner.store.settings import load_settings

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SECRETS_FILES = (ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")
_FIELDS = ("host", "port", "user", "password", "from")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class NotifyError(ValueError):
    """Email cannot be sent at all (settings missing or unsafe); nothing was marked."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)  # kept out of logs and tracebacks


def _secrets(paths: Iterable[Path]) -> dict[str, str]:
    """SMTP values from the first readable secrets file that has any."""
    for path in paths:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        section = data.get("smtp") if isinstance(data.get("smtp"), dict) else {}
        found = {f: str(data.get(f"PLANNER_SMTP_{f.upper()}", section.get(f, ""))) for f in _FIELDS}
        if any(found.values()):
            return found
    return {}


def smtp_settings(env: Mapping[str, str] | None = None,
                  secrets_files: Iterable[Path] | None = None) -> SmtpSettings | None:
    """The SMTP settings, or None when no host is configured; raises NotifyError for a bad port."""
    env = os.environ if env is None else env
    stored = _secrets(SECRETS_FILES if secrets_files is None else secrets_files)
    value = {f: env.get(f"PLANNER_SMTP_{f.upper()}") or stored.get(f, "") for f in _FIELDS}
    if not value["host"]:
        return None
    try:
        port = int(value["port"] or 587)
    except ValueError:
        raise NotifyError(f'PLANNER_SMTP_PORT: "{value["port"]}" is not a port number') from None
    sender = value["from"] or (value["user"] if "@" in value["user"] else "")
    if not sender:
        raise NotifyError("PLANNER_SMTP_FROM: is required (the address messages come from)")
    return SmtpSettings(value["host"], port, sender, value["user"], value["password"])


# ---------------------------------------------------------------- what to say (pure)


@dataclass(frozen=True)
class Message:
    volunteer: str  # volunteer key
    kind: str
    key: str
    subject: str
    body: str
    ics: str
    week_start: date
    plan_version: int


def slot_line(slot: Slot) -> str:
    return MyShift(monday_of(slot.day), slot, 0).title


def calendar(settings: CenterSettings, kept: Sequence[Slot], lost: Sequence[Slot], volunteer: str,
             sequence: int, stamp: datetime) -> str:
    """The volunteer's own slots as ICS: kept ones CONFIRMED, lost ones CANCELLED (same UIDs)."""
    shifts = [MyShift(monday_of(s.day), s, 0) for s in [*kept, *lost]]
    # One line each: shifts_ics puts the center name into X-WR-CALNAME unescaped.
    data = shifts_ics(shifts, volunteer_key=volunteer, place=_one_line(settings.place),
                      center_name=_one_line(settings.name), timezone=settings.timezone, stamp=stamp)
    cal = Calendar.from_ical(data)
    for index, event in enumerate(cal.walk("VEVENT")):
        event.add("sequence", sequence)
        event.add("status", "CONFIRMED" if index < len(kept) else "CANCELLED")
    return cal.to_ical().decode("utf-8")


def _lines(slots: Iterable[Slot]) -> str:
    return "\n".join(f"- {slot_line(s)}" for s in slots)


def _week_label(week_start: date) -> str:
    return f"{week_start:%a} {week_start.day} {week_start:%b %Y}"


def _letter(name: str, text: str, settings: CenterSettings) -> str:
    hello = f"Hello {first_name(name)}," if first_name(name) else "Hello,"
    return (f"{hello}\n\n{text}\n\nThe attached calendar file (.ics) puts this in your phone's calendar. "
            "If you cannot make a shift, please tell the coordinator as soon as you can.\n\n"
            f"Thank you,\n{settings.name}\n")


def _one_line(text: str) -> str:
    """Email headers may not hold line breaks (a name or center name could)."""
    return " ".join(text.split())


def plan_messages(settings: CenterSettings, week_start: date, version: int,
                  before: Sequence[Assignment] | None, after: Sequence[Assignment], now_local: datetime,
                  names: Mapping[str, str], stamp: datetime) -> list[Message]:
    """Notices for everyone whose future slots differ between `before` (None: never told) and `after`.

    `publish`: they had no future slot before; `cancel`: they have none now;
    `change`: anything else that differs.
    """
    slots = {s.id: s for s in settings.week_slots(week_start) if s.start > now_local}

    def mine(items: Sequence[Assignment] | None) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for a in items or ():
            if a.slot in slots:
                out.setdefault(a.volunteer, set()).add(a.slot)
        return out

    old, new = mine(before), mine(after)
    week = _week_label(week_start)
    out = []
    for volunteer in sorted(set(old) | set(new)):
        had, has = old.get(volunteer, set()), new.get(volunteer, set())
        if had == has:
            continue
        kept = sorted((slots[s] for s in has), key=lambda s: s.start)
        gained = [s for s in kept if s.id not in had]
        lost = sorted((slots[s] for s in had - has), key=lambda s: s.start)
        if not had:
            kind, subject = "publish", f"{settings.name}: your shifts for the week of {week}"
            text = f"You are on the plan for the week of {week}:\n{_lines(kept)}"
        elif not has:
            kind, subject = "cancel", f"{settings.name}: you are no longer on a shift in the week of {week}"
            text = (f"The plan for the week of {week} changed. You are no longer on:\n{_lines(lost)}\n\n"
                    "You have no other shift that week.")
        else:
            kind, subject = "change", f"{settings.name}: your shifts changed for the week of {week}"
            parts = [f"The plan for the week of {week} changed."]
            if gained:
                parts.append(f"Added:\n{_lines(gained)}")
            if lost:
                parts.append(f"No longer yours:\n{_lines(lost)}")
            parts.append(f"Your shifts that week are now:\n{_lines(kept)}")
            text = "\n\n".join(parts)
        out.append(Message(volunteer, kind, f"{kind}:{week_start.isoformat()}:v{version}:{volunteer}",
                           _one_line(subject), _letter(names.get(volunteer, ""), text, settings),
                           calendar(settings, kept, lost, volunteer, version, stamp), week_start, version))
    return out


def reminder_messages(settings: CenterSettings, week_start: date, version: int,
                      assignments: Sequence[Assignment], day: date, names: Mapping[str, str],
                      stamp: datetime) -> list[Message]:
    """One reminder per volunteer for their slots on `day`.

    The key names the volunteer and slots but not the plan version, so a
    re-publish on the eve does not remind the same person of the same slot twice.
    """
    slots = {s.id: s for s in settings.week_slots(week_start) if s.day == day}
    theirs: dict[str, list[Slot]] = {}
    for a in assignments:
        if a.slot in slots:
            theirs.setdefault(a.volunteer, []).append(slots[a.slot])
    out = []
    for volunteer, mine in sorted(theirs.items()):
        mine.sort(key=lambda s: s.start)
        key = f"reminder:{volunteer}:{','.join(s.id for s in mine)}"
        subject = f"{settings.name}: reminder, your shift tomorrow ({MyShift(week_start, mine[0], 0).title})"
        text = f"A reminder: tomorrow you are on\n{_lines(mine)}\n\nat {settings.place}."
        out.append(Message(volunteer, "reminder", key, _one_line(subject),
                           _letter(names.get(volunteer, ""), text, settings),
                           calendar(settings, mine, [], volunteer, version, stamp), week_start, version))
    return out


# ---------------------------------------------------------------- queueing (store)


def _addressable(db: Session) -> dict[str, str]:
    """Volunteer key -> display name, for people with an email who were not erased."""
    rows = db.scalars(select(VolunteerRow).where(VolunteerRow.erased_at.is_(None),
                                                 VolunteerRow.email.is_not(None)))
    return {f"v{r.id:02d}": r.name for r in rows if (r.email or "").strip()}


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
    weeks = db.scalars(select(WeekRow.start).where(WeekRow.start >= monday_of(now_local.date()))
                       .order_by(WeekRow.start)).all()
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


# ---------------------------------------------------------------- sending


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed"


def build_email(item: notifications.Notification, to: str, sender: str, now: datetime) -> EmailMessage:
    """The message for one queued row; the same Message-ID on every retry, so receivers can dedupe."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = _one_line(item.subject)
    msg["Date"] = format_datetime(now.replace(tzinfo=UTC))
    digest = hashlib.sha256(item.key.encode()).hexdigest()[:32]
    msg["Message-ID"] = f"<{digest}@volunteer-planner>"
    msg.set_content(item.body)
    msg.add_attachment(item.ics.encode("utf-8"), maintype="text", subtype="calendar",
                       filename="shifts.ics", params={"method": "PUBLISH"})
    return msg


def connect(settings: SmtpSettings, timeout: float = 30) -> smtplib.SMTP:
    """An SMTP connection: TLS on port 465, STARTTLS when offered; a password only over TLS
    (or to this machine)."""
    context = ssl.create_default_context()
    if settings.port == 465:
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout,
                                                context=context)
        secure = True
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        server.ehlo()
        secure = server.has_extn("starttls")
        if secure:
            server.starttls(context=context)
            server.ehlo()
    if settings.user:
        if not secure and settings.host not in LOCAL_HOSTS:
            server.close()
            raise NotifyError(f"{settings.host} offers no TLS: the SMTP password is not sent in clear")
        server.login(settings.user, settings.password)
    return server


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
    addresses = {r.id: (r.email or "").strip() for r in db.scalars(
        select(VolunteerRow).where(VolunteerRow.id.in_({t.volunteer_id for t in todo}),
                                   VolunteerRow.erased_at.is_(None)))}
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
