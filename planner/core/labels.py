"""The words for days, slots and counts that pages, emails and files share.

One wording everywhere: a day is `Fri 4 Dec`, a slot `Fri 4 Dec, Morning 09:00-13:00`,
a count `1 position` / `2 positions`.
"""

from __future__ import annotations

from datetime import date, time

from planner.core.problem import Slot

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def percent(rate: float) -> str:
    """`15%` (no `15.0%`)."""
    return f"{round(rate * 100, 1):g}%"


def day_label(day: date) -> str:
    """`Fri 4 Dec`."""
    return f"{day:%a} {day.day} {day:%b}"


def period_name(slot: Slot) -> str:
    if slot.kind == "meal":
        if slot.start.time() >= time(16, 0):
            return "Dinner"
        return "Lunch" if slot.start.time() >= time(11, 0) else "Breakfast"
    if slot.start.time() < time(12, 0):
        return "Morning"
    return "Afternoon" if slot.start.time() < time(17, 0) else "Evening"


def time_range(slot: Slot) -> str:
    return f"{slot.start:%H:%M}-{slot.end:%H:%M}"


def slot_column(slot: Slot) -> str:
    """The grid column of a slot: `Morning 09:00-13:00`."""
    return f"{period_name(slot)} {time_range(slot)}"


def slot_title(slot: Slot) -> str:
    """A slot in one line: `Fri 4 Dec, Morning 09:00-13:00`."""
    return f"{day_label(slot.start.date())}, {slot_column(slot)}"


def slot_what(slot: Slot) -> str:
    """`Morning shift`, `Afternoon shift` or `Dinner`, as a volunteer reads it."""
    period = period_name(slot)
    if slot.kind == "meal":
        return "Dinner" if period == "Dinner" else "Meal"
    return f"{period} shift"


def coverage_label(assigned: int, target: int) -> str:
    """`3 of 4`."""
    return f"{assigned} of {target}"


FIRST_NAME_MAX = 30


def first_name(display_name: str) -> str:
    """The first word of a display name: all a teammate may see (never surname, email or phone)."""
    words = display_name.split()
    return words[0][:FIRST_NAME_MAX] if words else ""


def short_name(display_name: str) -> str:
    """`Ana Reyes` -> `Ana R.` (the kiosk on a shared tablet); a single word stays as it is."""
    words = display_name.split()
    if not words:
        return "?"
    return words[0] if len(words) == 1 else f"{words[0]} {words[-1][0].upper()}."
