"""The words for days, slots and counts that pages, emails and files share.

One wording everywhere: a day is `Fri 4 Dec`, a slot `Fri 4 Dec, Morning 09:00-13:00`,
a count `1 position` / `2 positions`.
"""

from __future__ import annotations

import re
from datetime import date, time

from planner.core.problem import Problem, Slot

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


_ID = re.compile(r"\bv\d+\b|\b\d{4}-\d{2}-\d{2}-[a-z0-9]+\b")


def readable(problem: Problem, message: str) -> str:
    """An engine message with ids (`v07`, `2026-12-04-am`) replaced by names and slot titles,
    and the place prefix (`pinned[2]: `) dropped: the words of a refused change, wherever it is shown."""
    message = re.sub(r"^[a-z_]+\[\d+\]: ", "", message)

    def name(match: re.Match[str]) -> str:
        key = match.group(0)
        if problem.has_volunteer(key):
            return problem.volunteer(key).name or key
        if problem.has_slot(key):
            return slot_title(problem.slot(key))
        return key

    return _ID.sub(name, message)
