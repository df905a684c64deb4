"""A volunteer's own published shifts: the list and table the page shows, and the `.ics` file.

Pure (no Streamlit, no SQL). Only the volunteer's own slots go into the
calendar, with no other people and no contacts, because phone calendars are
often synced to outside services. All text goes through the icalendar
library, which escapes commas, semicolons and line breaks, so a place label or
center name cannot add properties or events of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from icalendar import Calendar, Event

from planner.domain import CenterSettings
from planner.problem import Assignment, Slot
from planner.views import coverage_label, day_label, period_name, time_range

PRODID = "-//volunteer-planner//my shifts//EN"


@dataclass(frozen=True)
class MyShift:
    """One of my slots in a week's latest published plan."""

    week_start: date
    slot: Slot
    assigned: int  # people on the slot in that plan, me included

    @property
    def what(self) -> str:
        """`Morning shift`, `Afternoon shift` or `Dinner`, as the volunteer reads it."""
        period = period_name(self.slot)
        if self.slot.kind == "meal":
            return "Dinner" if period == "Dinner" else "Meal"
        return f"{period} shift"

    @property
    def title(self) -> str:
        """`Fri 4 Dec, Morning shift 09:00-13:00`, for a choice list."""
        return f"{day_label(self.slot.day)}, {self.what} {time_range(self.slot)}"


def my_upcoming(settings: CenterSettings, published: Mapping[date, Sequence[Assignment]],
                volunteer_key: str, today: date) -> list[MyShift]:
    """My slots from `today` on, from each week's published assignments, in time order.

    Slots the current settings no longer have (opening hours changed after
    publishing) are left out, as the page cannot say when they are.
    """
    out = []
    for week, assignments in published.items():
        slots = {s.id: s for s in settings.week_slots(week)}
        counts: dict[str, int] = {}
        for a in assignments:
            counts[a.slot] = counts.get(a.slot, 0) + 1
        for a in assignments:
            slot = slots.get(a.slot)
            if a.volunteer == volunteer_key and slot is not None and slot.start.date() >= today:
                out.append(MyShift(week, slot, counts[a.slot]))
    return sorted(out, key=lambda m: (m.slot.start, m.slot.id))


SHIFT_COLUMNS = ["Date", "Time", "Place", "What", "Coverage"]


def shifts_table(shifts: Iterable[MyShift], place: str,
                 team: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """What the volunteer sees: counts only, plus teammates' first names when `team` is given
    (slot id -> first names; only when the center turned first names on)."""
    shifts = list(shifts)
    rows = [{"Date": day_label(m.slot.day), "Time": time_range(m.slot), "Place": place, "What": m.what,
             "Coverage": coverage_label(m.assigned, m.slot.target)} for m in shifts]
    if team is None:
        return pd.DataFrame(rows, columns=SHIFT_COLUMNS)
    for row, m in zip(rows, shifts, strict=True):
        row["With"] = ", ".join(team.get(m.slot.id, ())) or "nobody yet"
    return pd.DataFrame(rows, columns=[*SHIFT_COLUMNS, "With"])


def center_now(timezone: str) -> datetime:
    """The center's wall-clock time now, naive like the slots."""
    return datetime.now(_zone(timezone)).replace(tzinfo=None)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _uid(slot_id: str, volunteer_key: str) -> str:
    """Stable across downloads (a calendar updates the event instead of doubling it); opaque."""
    digest = hashlib.sha256(f"{volunteer_key}/{slot_id}".encode()).hexdigest()[:24]
    return f"{digest}@volunteer-planner"


def shifts_ics(shifts: Iterable[MyShift], *, volunteer_key: str, place: str, center_name: str,
               timezone: str, stamp: datetime | None = None) -> bytes:
    """An iCalendar (RFC 5545) file with one event per shift, in the center's time zone."""
    zone = _zone(timezone)
    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # An X- property is written raw, so a line break in the name would break the file.
    cal.add("x-wr-calname", "My shifts: " + " ".join(center_name.split()))
    shifts = list(shifts)
    for shift in shifts:
        event = Event()
        event.add("uid", _uid(shift.slot.id, volunteer_key))
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.slot.start.replace(tzinfo=zone))
        event.add("dtend", shift.slot.end.replace(tzinfo=zone))
        event.add("summary", f"{shift.what}: {center_name}")
        if place:
            event.add("location", place)
        cal.add_component(event)
    starts = [s.slot.start.date() for s in shifts]
    if starts:  # a VTIMEZONE covering just these dates keeps the file small
        cal.add_missing_timezones(min(starts) - timedelta(days=1), max(starts) + timedelta(days=2))
    return cal.to_ical()
