"""A volunteer's own published shifts, as their page, their calendar and their emails list them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from planner.core.domain import CenterSettings, monday_of
from planner.core.labels import day_label, slot_what, time_range
from planner.core.problem import Assignment, Slot


@dataclass(frozen=True)
class MyShift:
    """One of my slots in a week's latest published plan."""

    week_start: date
    slot: Slot
    assigned: int = 0  # people on the slot in that plan, me included

    @property
    def what(self) -> str:
        return slot_what(self.slot)

    @property
    def title(self) -> str:
        """`Fri 4 Dec, Morning shift 09:00-13:00`, for a choice list."""
        return f"{day_label(self.slot.day)}, {self.what} {time_range(self.slot)}"


def of_slot(slot: Slot) -> MyShift:
    return MyShift(monday_of(slot.day), slot)


def my_upcoming(settings: CenterSettings, published: Mapping[date, Sequence[Assignment]],
                volunteer_key: str, today: date) -> list[MyShift]:
    """My slots from `today` on, from each week's published assignments, in time order.

    Slots the current settings no longer have (opening hours changed after
    publishing) are left out, as nobody can say when they are.
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
