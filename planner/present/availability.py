"""The availability editor: a weekday x period grid of checkboxes, and the upcoming time off.

Pure (no Streamlit, no SQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from typing import Any

import pandas as pd

from planner.core.domain import CenterSettings, VolunteerRecord, WeeklyWindow
from planner.core.labels import WEEKDAY_NAMES, day_label


def availability_grid(windows: Iterable[Any], settings: CenterSettings) -> pd.DataFrame:
    """Weekday x period checkboxes: ticked where a weekly window covers the whole period."""
    spans = settings.periods()
    windows = list(windows)
    rows = []
    for weekday, day_name in enumerate(WEEKDAY_NAMES):
        row: dict[str, Any] = {"Day": day_name}
        for name, (start, end) in spans.items():
            row[name] = any(w.weekday == weekday and w.start <= start and end <= w.end for w in windows)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Day", *spans])


def windows_from_grid(grid: pd.DataFrame, settings: CenterSettings) -> tuple[WeeklyWindow, ...]:
    """The weekly windows a ticked grid means, touching periods merged (09-13 + 13-17 = 09-17)."""

    spans = sorted(settings.periods().items(), key=lambda kv: kv[1][0])
    out = []
    for weekday, (_, row) in enumerate(grid.iterrows()):
        current: list[time] | None = None
        for name, (start, end) in spans:
            if bool(row.get(name, False)):
                if current is not None and current[1] >= start:
                    current[1] = max(current[1], end)
                else:
                    if current is not None:
                        out.append(WeeklyWindow(weekday, current[0], current[1]))
                    current = [start, end]
            elif current is not None:
                out.append(WeeklyWindow(weekday, current[0], current[1]))
                current = None
        if current is not None:
            out.append(WeeklyWindow(weekday, current[0], current[1]))
    return tuple(out)


def exceptions_table(exceptions: Iterable[Any], today: date | None = None) -> pd.DataFrame:
    rows = []
    for e in sorted(exceptions, key=lambda e: (e.day, e.start or time())):
        if today is not None and e.day < today:
            continue
        hours = "whole day" if e.start is None else f"{e.start:%H:%M}-{e.end:%H:%M}"
        rows.append({"Date": f"{day_label(e.day)} {e.day.year}", "Hours": hours,
                     "What": "Time off" if e.kind == "off" else "Extra availability", "id": e.id})
    return pd.DataFrame(rows, columns=["Date", "Hours", "What", "id"])


def volunteer_labels(records: Sequence[VolunteerRecord]) -> dict[int, str]:
    """Picker labels by volunteer id: the name, plus email (or key) where two people share a name."""
    counts: dict[str, int] = {}
    for r in records:
        counts[r.name.casefold()] = counts.get(r.name.casefold(), 0) + 1
    return {r.id: r.name if counts[r.name.casefold()] == 1 else f"{r.name} ({r.email or r.key})"
            for r in records if r.id is not None}
