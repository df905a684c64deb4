"""Calendar files (iCalendar, RFC 5545): a volunteer's own shifts, calendar feeds, a week's whole schedule.

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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from planner.core.clock import zone
from planner.core.labels import period_name
from planner.core.problem import Assignment, Problem, Slot
from planner.core.shifts import MyShift

PRODID = "-//volunteer-planner//my shifts//EN"
SCHEDULE_PRODID = "-//Volunteer coverage planner//EN"
ICS_DOMAIN = "volunteer-planner.local"
FEED_REFRESH = timedelta(hours=1)


def _one_line(text: str) -> str:
    """An X- property is written raw, so a line break in a name would break the file."""
    return " ".join(text.split())


def shift_uid(slot_id: str, volunteer_key: str) -> str:
    """Stable across downloads, feeds and emails (a calendar updates the event, not doubles it); opaque."""
    digest = hashlib.sha256(f"{volunteer_key}/{slot_id}".encode()).hexdigest()[:24]
    return f"{digest}@volunteer-planner"


@dataclass(frozen=True)
class FeedEvent:
    """One event of a calendar: a slot, whose it is (for the UID), what it says, its status and SEQUENCE."""

    slot: Slot
    owner: str  # the volunteer key the UID is made from (`v07`, or `center/v07` in the center's feed)
    summary: str
    status: str = "CONFIRMED"  # or CANCELLED: the same UID, so the calendar drops the event
    sequence: int | None = None  # the plan version: goes up with every change, calendars take the newest


def _calendar(events: Iterable[FeedEvent], *, title: str, place: str, timezone: str,
              stamp: datetime | None = None, refresh: timedelta | None = None) -> bytes:
    tz = zone(timezone)
    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _one_line(title))
    if refresh is not None:  # how often a subscribed calendar should look again
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", refresh)
    events = list(events)
    for item in events:
        event = Event()
        event.add("uid", shift_uid(item.slot.id, item.owner))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.slot.start.replace(tzinfo=tz))
        event.add("dtend", item.slot.end.replace(tzinfo=tz))
        event.add("summary", item.summary)
        if place:
            event.add("location", place)
        if item.sequence is not None:
            event.add("sequence", item.sequence)
            event.add("status", item.status)
        cal.add_component(event)
    starts = [e.slot.start.date() for e in events]
    if starts:  # a VTIMEZONE covering just these dates keeps the file small
        cal.add_missing_timezones(min(starts) - timedelta(days=1), max(starts) + timedelta(days=2))
    return cal.to_ical()


def shifts_ics(shifts: Iterable[MyShift], *, volunteer_key: str, place: str, center_name: str,
               timezone: str, stamp: datetime | None = None, sequence: int | None = None,
               cancelled: Sequence[MyShift] = (), title: str | None = None) -> bytes:
    """One event per shift in the center's time zone; `cancelled` ones marked CANCELLED (same UIDs).

    `sequence` (the plan version) goes up with every change, so calendars take the newest.
    """
    everything = [(s, "CONFIRMED") for s in shifts] + [(s, "CANCELLED") for s in cancelled]
    return _calendar([FeedEvent(s.slot, volunteer_key, f"{s.what}: {center_name}", status, sequence)
                      for s, status in everything],
                     title=title or f"My shifts: {center_name}", place=place, timezone=timezone, stamp=stamp)


def feed_ics(events: Iterable[FeedEvent], *, title: str, place: str, timezone: str,
             stamp: datetime | None = None) -> bytes:
    """A subscribed calendar (a feed): each event with its own status and SEQUENCE; refreshed hourly."""
    return _calendar(events, title=title, place=place, timezone=timezone, stamp=stamp,
                     refresh=FEED_REFRESH)


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
