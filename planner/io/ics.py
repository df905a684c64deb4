"""Calendar files (iCalendar, RFC 5545): a volunteer's own shifts, and a week's whole schedule.

Only the volunteer's own slots go into their calendar, with no other people
and no contacts, because phone calendars are often synced to outside services.
All text goes through the icalendar library, which escapes commas, semicolons
and line breaks, so a place label or center name cannot add properties or
events of its own. UIDs are stable, so a calendar updates an event in place;
SEQUENCE and STATUS (CANCELLED for a shift no longer yours) tell it how.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from planner.core.clock import zone
from planner.core.labels import period_name
from planner.core.problem import Assignment, Problem
from planner.core.shifts import MyShift

PRODID = "-//volunteer-planner//my shifts//EN"
SCHEDULE_PRODID = "-//Volunteer coverage planner//EN"
ICS_DOMAIN = "volunteer-planner.local"


def _one_line(text: str) -> str:
    """An X- property is written raw, so a line break in a name would break the file."""
    return " ".join(text.split())


def shift_uid(slot_id: str, volunteer_key: str) -> str:
    """Stable across downloads, feeds and emails (a calendar updates the event, not doubles it); opaque."""
    digest = hashlib.sha256(f"{volunteer_key}/{slot_id}".encode()).hexdigest()[:24]
    return f"{digest}@volunteer-planner"


def shifts_ics(shifts: Iterable[MyShift], *, volunteer_key: str, place: str, center_name: str,
               timezone: str, stamp: datetime | None = None, sequence: int | None = None,
               cancelled: Sequence[MyShift] = (), title: str | None = None) -> bytes:
    """One event per shift in the center's time zone; `cancelled` ones marked CANCELLED (same UIDs).

    `sequence` (the plan version) goes up with every change, so calendars take the newest.
    """
    tz = zone(timezone)
    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _one_line(title or f"My shifts: {center_name}"))
    kept = list(shifts)
    everything = [(s, "CONFIRMED") for s in kept] + [(s, "CANCELLED") for s in cancelled]
    for shift, status in everything:
        event = Event()
        event.add("uid", shift_uid(shift.slot.id, volunteer_key))
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.slot.start.replace(tzinfo=tz))
        event.add("dtend", shift.slot.end.replace(tzinfo=tz))
        event.add("summary", f"{shift.what}: {center_name}")
        if place:
            event.add("location", place)
        if sequence is not None:
            event.add("sequence", sequence)
            event.add("status", status)
        cal.add_component(event)
    starts = [s.slot.start.date() for s, _ in everything]
    if starts:  # a VTIMEZONE covering just these dates keeps the file small
        cal.add_missing_timezones(min(starts) - timedelta(days=1), max(starts) + timedelta(days=2))
    return cal.to_ical()


def schedule_ics(problem: Problem, assignments: Iterable[Assignment], place: str = "", title: str = "",
                 now: datetime | None = None) -> bytes:
    """The coordinator's calendar of a week: one event per assignment, with the person's name."""
    tz = zone(problem.timezone)
    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", SCHEDULE_PRODID)
    calendar.add("version", "2.0")
    if title:
        calendar.add("x-wr-calname", _one_line(title))
    known = [a for a in assignments if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
    for a in sorted(known, key=lambda a: (problem.slot(a.slot).start, a.volunteer)):
        slot, person = problem.slot(a.slot), problem.volunteer(a.volunteer)
        event = Event()
        event.add("uid", f"{a.slot}-{a.volunteer}@{ICS_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.start.replace(tzinfo=tz))
        event.add("dtend", slot.end.replace(tzinfo=tz))
        event.add("summary", f"{period_name(slot)} {slot.kind}: {person.name or a.volunteer}")
        if place:
            event.add("location", place)
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE, so calendars read the wall-clock times right
    return calendar.to_ical()
