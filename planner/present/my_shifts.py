"""A volunteer's own shifts as their phone shows them: counts only, teammates' first names when allowed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from planner.core.labels import coverage_label, day_label, first_name, time_range
from planner.core.problem import Assignment
from planner.core.shifts import MyShift

SHIFT_COLUMNS = ["Date", "Time", "Place", "What", "Coverage"]


def teammates(assignments: Iterable[Assignment], slot_id: str, me: str,
              names: Mapping[str, str]) -> list[str]:
    """First names of the others on `slot_id`, sorted; people without a known name are left out."""
    found = {first_name(names[a.volunteer]) for a in assignments
             if a.slot == slot_id and a.volunteer != me and a.volunteer in names}
    return sorted((n for n in found if n), key=str.casefold)


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
