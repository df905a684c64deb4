"""Hours, coverage, no-shows and late cancellations, for the reports page and grant reports.

The numbers are pure functions of a `History` (no Streamlit, no SQL);
`load_history` reads one from the store. `DEFINITIONS` says how each number
is counted, in words a board packet can quote; the page shows them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.checkin import to_local
from planner.domain import monday_of, volunteer_key
from planner.io.my_calendar import center_now
from planner.io.safe_cells import neutralise
from planner.problem import Assignment, Slot
from planner.store import plans
from planner.store.attendance import Attendance, list_attendance
from planner.store.models import CancellationRow, VolunteerRow, WeekRow
from planner.store.settings import load_settings
from planner.views import WEEKDAYS

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


@dataclass(frozen=True)
class Cancellation:
    slot: str
    volunteer: str
    at: datetime  # center-local


@dataclass(frozen=True)
class History:
    """Past slots and what happened on them; every time is center-local."""

    slots: Sequence[Slot]
    planned: Sequence[Assignment]
    attendance: Sequence[Attendance] = ()
    cancellations: Sequence[Cancellation] = ()
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    slot: Slot
    volunteer: str
    state: str  # attended, no-show, untracked
    hours: float


def outcomes(history: History) -> list[Outcome]:
    """One per planned shift."""
    slots = {s.id: s for s in history.slots}
    seen = {(a.slot, a.volunteer): a for a in history.attendance}
    tracked = {a.day for a in history.attendance if a.checked_in_at is not None or a.no_show}
    out = []
    for a in history.planned:
        slot = slots.get(a.slot)
        if slot is None:
            continue
        row = seen.get((a.slot, a.volunteer))
        if row is not None and row.checked_in_at is not None:
            end = row.checked_out_at or max(slot.end, row.checked_in_at)
            worked = (end - row.checked_in_at).total_seconds() / 3600
            out.append(Outcome(slot, a.volunteer, "attended", worked))
        elif (row is not None and row.no_show) or slot.day in tracked:
            out.append(Outcome(slot, a.volunteer, "no-show", 0.0))
        else:
            out.append(Outcome(slot, a.volunteer, "untracked", 0.0))
    return out


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
    groups += [(WEEKDAYS[d], d) for d in sorted({s.day.weekday() for s in history.slots})]
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


def no_show_rate(history: History) -> float | None:
    """No-shows / (attended + no-shows) on tracked days, as a fraction; None without tracked shifts."""
    done = [o for o in outcomes(history) if o.state != "untracked"]
    return sum(o.state == "no-show" for o in done) / len(done) if done else None


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


def _safe(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for col in out.columns:
        out[col] = out[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per table, with formula-looking text neutralised."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, table in sheets.items():
            _safe(table).to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()


# ---------------------------------------------------------------- from the store


def load_history(db: Session, first_day: date, last_day: date, now_local: datetime | None = None) -> History:
    """Slots from `first_day` to `last_day` that have ended, with plans, attendance and cancellations.

    Uses the current center settings for slot times and minimums.
    """
    settings = load_settings(db)
    now_local = now_local or center_now(settings.timezone)
    weeks = db.scalars(select(WeekRow).where(WeekRow.start >= monday_of(first_day), WeekRow.start <= last_day)
                       .order_by(WeekRow.start)).all()
    slots: list[Slot] = []
    planned: list[Assignment] = []
    for week in weeks:
        latest = plans.latest_published(db, week.start)
        if latest is None:
            continue
        mine = [s for s in settings.week_slots(week.start)
                if first_day <= s.day <= last_day and s.end <= now_local]
        slots += mine
        ids = {s.id for s in mine}
        planned += [a for a in latest.assignments if a.slot in ids]
    zone = settings.timezone
    seen = [replace(a, checked_in_at=to_local(a.checked_in_at, zone),
                    checked_out_at=to_local(a.checked_out_at, zone))
            for a in list_attendance(db, first_day, last_day)]
    rows = db.execute(select(CancellationRow.slot, CancellationRow.volunteer_id, CancellationRow.created_at)
                      .where(CancellationRow.week_id.in_([w.id for w in weeks]))).all()
    cancels = [Cancellation(slot, volunteer_key(vid), to_local(at, zone) or at) for slot, vid, at in rows]
    names = {volunteer_key(r.id): r.name
             for r in db.scalars(select(VolunteerRow).where(VolunteerRow.erased_at.is_(None)))}
    return History(tuple(slots), tuple(planned), tuple(seen), tuple(cancels), names)


def measured_no_show_rate(db: Session, days: int = 365) -> float | None:
    """The no-show rate of the last `days` days as a fraction, or None when no attendance was taken."""
    today = center_now(load_settings(db).timezone).date()
    return no_show_rate(load_history(db, today - timedelta(days=days), today))


def buffer_percent(rate: float | None, default: int = 15, cap: int = 50) -> int:
    """The what-if buffer input's starting value: the measured rate in whole percent, else `default`."""
    return default if rate is None else min(cap, round(100 * rate))
