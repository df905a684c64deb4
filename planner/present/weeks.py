"""Choosing a week: the Mondays around today, labelled as people say them."""

from __future__ import annotations

from datetime import date, timedelta

from planner.core.domain import monday_of
from planner.core.labels import day_label


def week_choices(today: date, weeks_back: int = 4, weeks_ahead: int = 8) -> list[tuple[date, str]]:
    """Mondays around today with labels `Week of Mon 30 Nov 2026`."""
    this = monday_of(today)
    out = []
    for i in range(-weeks_back, weeks_ahead + 1):
        monday = this + timedelta(weeks=i)
        note = " (this week)" if i == 0 else ""
        out.append((monday, f"Week of {day_label(monday)} {monday.year}{note}"))
    return out
