"""What volunteers are told about their shifts: publish/change/cancel notices and reminders before a shift,
offers of open places, and the coordinators' alert about a slot still short.

Pure: the texts and calendar files, from plans and settings. `planner.services.notify`
queues them. Only future slots are mentioned. Each message carries an ICS file
of the volunteer's own slots: kept slots as CONFIRMED, lost ones as CANCELLED,
with the plan version as SEQUENCE so calendars update in place.

Texts (for volunteers who chose them) are short and neutral: a phone may be
shared, so they name the center only when it turns that on, and say nothing
of what it does. No message names another volunteer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.core.domain import CenterSettings
from planner.core.labels import day_label, first_name, time_range
from planner.core.problem import Assignment, Slot
from planner.core.shifts import of_slot
from planner.io.ics import shifts_ics


@dataclass(frozen=True)
class Message:
    volunteer: str | None  # volunteer key; None for an alert to the center's alert address
    kind: str
    key: str
    subject: str
    body: str
    ics: str
    week_start: date | None
    plan_version: int | None
    channel: str = "email"  # `sms`: a text to the phone on the volunteer's record


def slot_line(slot: Slot) -> str:
    return of_slot(slot).title


def calendar(settings: CenterSettings, kept: Sequence[Slot], lost: Sequence[Slot], volunteer: str,
             sequence: int, stamp: datetime) -> str:
    """The volunteer's own slots as ICS: kept ones CONFIRMED, lost ones CANCELLED (same UIDs)."""
    return shifts_ics([of_slot(s) for s in kept], volunteer_key=volunteer, place=settings.place,
                      center_name=settings.name, timezone=settings.timezone, stamp=stamp, sequence=sequence,
                      cancelled=[of_slot(s) for s in lost]).decode("utf-8")


def _lines(slots: Iterable[Slot]) -> str:
    return "\n".join(f"- {slot_line(s)}" for s in slots)


def _week_label(week_start: date) -> str:
    return f"{week_start:%a} {week_start.day} {week_start:%b %Y}"


def _letter(name: str, text: str, settings: CenterSettings, calendar: bool = True) -> str:
    hello = f"Hello {first_name(name)}," if first_name(name) else "Hello,"
    attached = "The attached calendar file (.ics) puts this in your phone's calendar. " if calendar else ""
    return (f"{hello}\n\n{text}\n\n{attached}"
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


def reminder_messages(settings: CenterSettings, published: Mapping[date, tuple[int, Sequence[Assignment]]],
                      now_local: datetime, names: Mapping[str, str], stamp: datetime,
                      texting: Collection[str] = ()) -> list[Message]:
    """One reminder per volunteer and day, once their first slot that day is `reminder_hours` away or less.

    `published` maps a week to its latest version and assignments. The key
    names the volunteer and the day's slots but not the plan version, so a
    re-publish does not remind the same person of the same slots twice, and a
    reminder is not repeated once the day's first slot has started. People in
    `texting` get a text instead of an email.
    """
    horizon = now_local + timedelta(hours=settings.reminder_hours)
    out = []
    for week, (version, assignments) in sorted(published.items()):
        slots = {s.id: s for s in settings.week_slots(week)}
        days: dict[tuple[str, date], list[Slot]] = {}
        for a in assignments:
            if a.slot in slots:
                days.setdefault((a.volunteer, slots[a.slot].day), []).append(slots[a.slot])
        for (volunteer, day), mine in sorted(days.items()):
            mine.sort(key=lambda s: s.start)
            if not now_local < mine[0].start <= horizon:
                continue
            key = f"reminder:{volunteer}:{','.join(s.id for s in mine)}"
            if volunteer in texting:
                lines = "; ".join(f"{of_slot(s).what} {time_range(s)}" for s in mine)
                out.append(Message(volunteer, "reminder", key, TEXT_SUBJECT,
                                   text_body(settings, f"Reminder: {day_label(day)}, {lines}."), "", week,
                                   version, "sms"))
                continue
            first = f"{of_slot(mine[0]).what} {time_range(mine[0])}"
            subject = f"{settings.name}: reminder, your shift on {day_label(day)} ({first})"
            text = f"A reminder: on {day_label(day)} you are on\n{_lines(mine)}\n\nat {settings.place}."
            out.append(Message(volunteer, "reminder", key, _one_line(subject),
                               _letter(names.get(volunteer, ""), text, settings),
                               calendar(settings, mine, [], volunteer, version, stamp), week, version))
    return out


# ---------------------------------------------------------------- texts, offers, alerts

TEXT_SUBJECT = "(text message)"  # what the Outbox shows for a text: it has no subject
STOP_LINE = "Reply STOP to stop texts."


def text_body(settings: CenterSettings, text: str) -> str:
    """A text as sent: the center's name only when it allows that, and how to stop texts."""
    prefix = f"{_one_line(settings.name)}: " if settings.sms_show_center_name else ""
    return f"{prefix}{text} {STOP_LINE}"


def offer_message(settings: CenterSettings, slot: Slot, volunteer: str, name: str, key: str, link: str,
                  until: datetime, channel: str, week_start: date) -> Message:
    """An open place offered to one volunteer, with their one-time `link` (holding `keys.LINK_MARK`)."""
    what = slot_line(slot)
    if channel == "sms":
        return Message(volunteer, "offer", key, TEXT_SUBJECT,
                       text_body(settings, f"Open volunteer place: {what}. First to take it gets it: {link}"),
                       "", week_start, None, "sms")
    hello = f"Hello {first_name(name)}," if first_name(name) else "Hello,"
    body = (f"{hello}\n\nA place is open: {what}, at {settings.place}.\n\nIf you can take it, open this "
            "link and tap \"Take this shift\". The first volunteer to take it gets it; the link works once, "
            f"until {day_label(until.date())} {until:%H:%M}:\n\n{link}\n\nIf you cannot, there is nothing "
            f"to do.\n\nThank you,\n{settings.name}\n")
    return Message(volunteer, "offer", key, _one_line(f"{settings.name}: a place is open, {what}"), body, "",
                   week_start, None)


def taken_message(settings: CenterSettings, slot: Slot, volunteer: str, name: str, key: str, channel: str,
                  week_start: date) -> Message:
    """To the volunteer who gave a shift away: someone picked it up (never who)."""
    what = slot_line(slot)
    if channel == "sms":
        return Message(volunteer, "taken", key, TEXT_SUBJECT,
                       text_body(settings, f"The place you gave away ({what}) was picked up. Thank you."), "",
                       week_start, None, "sms")
    text = (f"Another volunteer picked up the place you could not make: {what}. Thank you for telling us in "
            "time.")
    return Message(volunteer, "taken", key, _one_line(f"{settings.name}: your shift was picked up ({what})"),
                   _letter(name, text, settings, calendar=False), "", week_start, None)


def alert_message(settings: CenterSettings, slot: Slot, missing: int, offered: str,
                  week_start: date) -> Message:
    """To the center's alert address: a slot is still short `short_alert_hours` before it starts."""
    title = slot_line(slot)
    body = (f"{title} is still short: {missing} more {'person is' if missing == 1 else 'people are'} needed "
            f"to reach its minimum.\n\n{offered}\n\nThe Gaps page of the planner shows who can take it.\n")
    return Message(None, "alert", f"alert:{slot.id}", _one_line(f"{settings.name}: {title} is still short"),
                   body, "", week_start, None)
