"""The availability editor: a weekday x period grid of checkboxes, and the upcoming time off.

Pure (no Streamlit, no SQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from typing import Any

import pandas as pd

from planner.core.domain import WEEKDAYS, CenterSettings, VolunteerRecord, WeeklyWindow, parse_weekday
from planner.core.labels import day_label


def availability_grid(windows: Iterable[WeeklyWindow], settings: CenterSettings) -> pd.DataFrame:
    """The center's open days x periods as checkboxes: ticked where a weekly window covers the period.

    Closed days are left out (a volunteer cannot be planned on them), and days
    are short (`Fri`), so the grid fits a phone 390 px wide.
    """
    spans = settings.periods()
    windows = list(windows)
    rows = []
    for weekday in sorted(set(settings.open_weekdays)):
        row: dict[str, Any] = {"Day": WEEKDAYS[weekday]}
        for name, (start, end) in spans.items():
            row[name] = any(w.weekday == weekday and w.start <= start and end <= w.end for w in windows)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Day", *spans])


def windows_from_grid(grid: pd.DataFrame, settings: CenterSettings,
                      kept: Iterable[WeeklyWindow] = ()) -> tuple[WeeklyWindow, ...]:
    """The weekly windows a ticked grid means, touching periods merged (09-13 + 13-17 = 09-17).

    `kept` (the volunteer's windows so far) survive on the days the grid does not show, so saving the
    open days never erases availability on a day the center may open later.
    """
    spans = sorted(settings.periods().items(), key=lambda kv: kv[1][0])
    shown = {parse_weekday(str(day)) for day in grid["Day"]}
    out = [w for w in kept if w.weekday not in shown]
    for _, row in grid.iterrows():
        weekday = parse_weekday(str(row["Day"]))
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
    return tuple(sorted(set(out)))


def next_open_day(today: date, settings: CenterSettings) -> date:
    """The first day after `today` the center is open (time off is asked for days it opens)."""
    days = set(settings.open_weekdays) or set(range(7))
    return next(day for day in (today + timedelta(days=n) for n in range(1, 8)) if day.weekday() in days)


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
