"""Hours, coverage, no-shows and late cancellations, for the reports page and grant reports.

The numbers are pure functions of a `planner.core.history.History` (no
Streamlit, no SQL); `planner.store.history.load_history` reads one. `DEFINITIONS`
says how each number is counted, in words a board packet can quote; the page shows them.
"""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from planner.core.domain import monday_of
from planner.core.history import History, outcomes
from planner.core.labels import WEEKDAY_NAMES

LATE = timedelta(hours=48)
DEFINITIONS = (
    "Planned shift: an assignment of a past slot in its week's latest published plan "
    "(people who cancelled are not in it).",
    "Tracked day: attendance was taken (someone checked in or was marked a no-show). On a tracked day a "
    "planned person without a check-in is a no-show; untracked days count for neither.",
    "Hours: from check-in to check-out; a missing check-out counts until the slot's scheduled end. "
    "Hours fall in the month and year of the shift.",
    "Coverage: each slot counts up to its minimum staffing; planned = people assigned, "
    "achieved = people who checked in (weeks with a tracked day only).",
    "Late cancellation: made 48 hours or less before the slot starts. Late-cancellation rate = "
    "late cancellations / (planned shifts + cancellations).",
    "No-show rate = no-shows / (attended + no-shows), on tracked days.",
)


def _name(history: History, volunteer: str) -> str:
    return history.names.get(volunteer, f"(erased) {volunteer}")


def hours(history: History, period: str) -> pd.DataFrame:
    """Attended hours per volunteer per `month` (`2026-12`) or `year`, most hours first within a period."""
    rows: dict[tuple[str, str], list[float]] = {}
    for o in outcomes(history):
        if o.state != "attended":
            continue
        when = f"{o.slot.day:%Y-%m}" if period == "month" else f"{o.slot.day:%Y}"
        rows.setdefault((when, o.volunteer), []).append(o.hours)
    column = "Month" if period == "month" else "Year"
    table = pd.DataFrame([{column: when, "Volunteer": _name(history, v), "Shifts": len(h),
                           "Hours": round(sum(h), 2)} for (when, v), h in rows.items()],
                         columns=[column, "Volunteer", "Shifts", "Hours"])
    return table.sort_values([column, "Hours", "Volunteer"], ascending=[True, False, True], ignore_index=True)


def coverage(history: History) -> pd.DataFrame:
    """Per week: positions needed (sum of minimums), filled as planned and as attended."""
    done = outcomes(history)
    tracked_days = {o.slot.day for o in done if o.state != "untracked"}
    weeks: dict[date, list[int]] = {}
    has_tracking: set[date] = set()
    for slot in history.slots:
        planned = sum(1 for o in done if o.slot.id == slot.id)
        came = sum(1 for o in done if o.slot.id == slot.id and o.state == "attended")
        week = weeks.setdefault(monday_of(slot.day), [0, 0, 0])
        week[0] += slot.min
        week[1] += min(planned, slot.min)
        week[2] += min(came, slot.min)
        if slot.day in tracked_days:
            has_tracking.add(monday_of(slot.day))
    rows = []
    for week, (needed, planned, came) in sorted(weeks.items()):
        achieved = came if week in has_tracking else None
        rows.append({"Week": week.isoformat(), "Positions needed": needed, "Filled as planned": planned,
                     "Filled as attended": achieved,
                     "Planned coverage %": _percent(planned, needed),
                     "Achieved coverage %": _percent(achieved, needed) if achieved is not None else None})
    return pd.DataFrame(rows, columns=["Week", "Positions needed", "Filled as planned", "Filled as attended",
                                       "Planned coverage %", "Achieved coverage %"])


def _percent(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rates(history: History) -> pd.DataFrame:
    """No-show and late-cancellation rates, overall and per weekday (weekdays with slots only)."""
    done = outcomes(history)
    slots = {s.id: s for s in history.slots}
    cancels = [(slots[c.slot], c) for c in history.cancellations if c.slot in slots]
    groups: list[tuple[str, int | None]] = [("Overall", None)]
    groups += [(WEEKDAY_NAMES[d], d) for d in sorted({s.day.weekday() for s in history.slots})]
    rows = []
    for label, weekday in groups:
        mine = [o for o in done if weekday is None or o.slot.day.weekday() == weekday]
        dropped = [(s, c) for s, c in cancels if weekday is None or s.day.weekday() == weekday]
        attended = sum(o.state == "attended" for o in mine)
        no_shows = sum(o.state == "no-show" for o in mine)
        late = sum(s.start - c.at <= LATE for s, c in dropped)
        rows.append({"Day": label, "Planned shifts": len(mine), "Attended": attended, "No-shows": no_shows,
                     "No-show rate %": _percent(no_shows, attended + no_shows),
                     "Cancellations": len(dropped), "Late cancellations": late,
                     "Late-cancellation rate %": _percent(late, len(mine) + len(dropped))})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- charts and exports


def hours_chart(by_month: pd.DataFrame) -> alt.Chart:
    data = by_month.groupby("Month", as_index=False)["Hours"].sum()
    return alt.Chart(data, title="Volunteer hours per month").mark_bar().encode(
        x=alt.X("Month:O"), y=alt.Y("Hours:Q"), tooltip=["Month", "Hours"])


def coverage_chart(table: pd.DataFrame) -> alt.Chart:
    data = table.melt("Week", ["Planned coverage %", "Achieved coverage %"], var_name="Measure",
                      value_name="Percent").dropna()
    return alt.Chart(data, title="Coverage of minimum staffing per week").mark_line(point=True).encode(
        x=alt.X("Week:O"), y=alt.Y("Percent:Q", scale=alt.Scale(domain=[0, 100])), color="Measure:N",
        tooltip=["Week", "Measure", "Percent"])


def rates_chart(table: pd.DataFrame) -> alt.Chart:
    data = table.melt("Day", ["No-show rate %", "Late-cancellation rate %"], var_name="Measure",
                      value_name="Percent").dropna()
    return alt.Chart(data, title="No-shows and late cancellations").mark_bar().encode(
        x=alt.X("Day:N", sort=None), xOffset="Measure:N", y=alt.Y("Percent:Q"), color="Measure:N",
        tooltip=["Day", "Measure", "Percent"])


def buffer_percent(rate: float | None, default: int = 15, cap: int = 50) -> int:
    """The what-if buffer input's starting value: the measured rate in whole percent, else `default`."""
    return default if rate is None else min(cap, round(100 * rate))
