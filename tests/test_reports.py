"""Report numbers against values computed by hand on a fixed history (see the comments)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.core.domain import CenterSettings, VolunteerRecord
from planner.core.history import Attendance, Cancellation, History, no_show_rate, outcomes, tracked
from planner.core.problem import Assignment
from planner.io.spreadsheet import xlsx_bytes
from planner.present import reports
from planner.services.gaps import cancel_in
from planner.services.reports import measured_no_show
from planner.store import attendance, db, migrate, plans
from planner.store.history import load_history
from planner.store.roster import add_volunteer

SETTINGS = CenterSettings()  # Fri-Sun; 09-13 and 13-17 shifts (minimum 3), dinner 17-18
F11, S12, F18, J08 = "2026-12-11-am", "2026-12-12-am", "2026-12-18-am", "2027-01-08-am"


def _slots():
    everything = {s.id: s for w in (date(2026, 12, 7), date(2026, 12, 14), date(2027, 1, 4))
                  for s in SETTINGS.week_slots(w)}
    return [everything[i] for i in (F11, S12, F18, J08)]


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A December 2026 time."""
    return datetime(2026, 12, day, hour, minute)


HISTORY = History(
    slots=_slots(),
    planned=[Assignment(F11, "v01"), Assignment(F11, "v02"), Assignment(F11, "v03"),
             Assignment(S12, "v01"), Assignment(S12, "v02"),
             Assignment(F18, "v01"), Assignment(F18, "v03"), Assignment(J08, "v01")],
    attendance=[
        Attendance(F11, "v01", date(2026, 12, 11), _at(11, 9), _at(11, 13)),  # 4 h
        Attendance(F11, "v02", date(2026, 12, 11), _at(11, 9, 30)),  # no check-out: to 13:00, 3.5 h
        # v03 has no row on a tracked day: a no-show. Saturday has no rows at all: untracked.
        Attendance(F18, "v01", date(2026, 12, 18), _at(18, 9), _at(18, 11)),  # 2 h
        Attendance(F18, "v03", date(2026, 12, 18), no_show=True),
        Attendance(J08, "v01", date(2027, 1, 8), datetime(2027, 1, 8, 9), datetime(2027, 1, 8, 13)),
    ],
    cancellations=[
        Cancellation(F11, "v04", _at(10, 12)),  # 21 h before: late
        Cancellation(S12, "v04", _at(8, 9)),  # 4 days before: not late
        Cancellation(F18, "v02", _at(16, 9)),  # exactly 48 h before: late
    ],
    names={"v01": "Ana Reyes", "v02": "=Bea Cole", "v03": "Cy"},
)


def test_outcomes_per_planned_shift():
    got = [(o.slot.id, o.volunteer, o.state, o.hours) for o in outcomes(HISTORY)]
    assert got == [(F11, "v01", "attended", 4.0), (F11, "v02", "attended", 3.5), (F11, "v03", "no-show", 0.0),
                   (S12, "v01", "untracked", 0.0), (S12, "v02", "untracked", 0.0),
                   (F18, "v01", "attended", 2.0), (F18, "v03", "no-show", 0.0), (J08, "v01", "attended", 4.0)]


def test_hours_per_volunteer_per_month_and_year():
    by_month = reports.hours(HISTORY, "month")
    assert by_month.to_dict("records") == [
        {"Month": "2026-12", "Volunteer": "Ana Reyes", "Shifts": 2, "Hours": 6.0},
        {"Month": "2026-12", "Volunteer": "=Bea Cole", "Shifts": 1, "Hours": 3.5},
        {"Month": "2027-01", "Volunteer": "Ana Reyes", "Shifts": 1, "Hours": 4.0},
    ]
    assert reports.hours(HISTORY, "year").to_dict("records") == [
        {"Year": "2026", "Volunteer": "Ana Reyes", "Shifts": 2, "Hours": 6.0},
        {"Year": "2026", "Volunteer": "=Bea Cole", "Shifts": 1, "Hours": 3.5},
        {"Year": "2027", "Volunteer": "Ana Reyes", "Shifts": 1, "Hours": 4.0},
    ]


def test_coverage_planned_and_achieved_per_week():
    # Week of 7 Dec: Fri 3 planned/2 came, Sat 2 planned/0 came, minimum 3 each -> 5/6 and 2/6.
    assert reports.coverage(HISTORY).to_dict("records") == [
        {"Week": "2026-12-07", "Positions needed": 6, "Filled as planned": 5, "Filled as attended": 2,
         "Planned coverage %": 83.3, "Achieved coverage %": 33.3},
        {"Week": "2026-12-14", "Positions needed": 3, "Filled as planned": 2, "Filled as attended": 1,
         "Planned coverage %": 66.7, "Achieved coverage %": 33.3},
        {"Week": "2027-01-04", "Positions needed": 3, "Filled as planned": 1, "Filled as attended": 1,
         "Planned coverage %": 33.3, "Achieved coverage %": 33.3},
    ]


def test_no_show_and_late_cancellation_rates_overall_and_per_weekday():
    table = reports.rates(HISTORY).set_index("Day")
    # Overall: 8 planned, 4 attended, 2 no-shows -> 2/6; 3 cancellations, 2 late -> 2/(8+3).
    assert table.loc["Overall"].to_dict() == {
        "Planned shifts": 8, "Attended": 4, "No-shows": 2, "No-show rate %": 33.3, "Cancellations": 3,
        "Late cancellations": 2, "Late-cancellation rate %": 18.2}
    # Fridays: 6 planned, 4 attended, 2 no-shows; 2 cancellations, both late -> 2/8.
    assert table.loc["Friday"].to_dict() == {
        "Planned shifts": 6, "Attended": 4, "No-shows": 2, "No-show rate %": 33.3, "Cancellations": 2,
        "Late cancellations": 2, "Late-cancellation rate %": 25.0}
    saturday = table.loc["Saturday"]
    assert (saturday["Planned shifts"], saturday["Late-cancellation rate %"]) == (2, 0.0)
    assert pd.isna(saturday["No-show rate %"])  # nothing tracked on Saturdays
    assert no_show_rate(HISTORY) == pytest.approx(2 / 6)
    assert no_show_rate(History(HISTORY.slots, HISTORY.planned)) is None


def test_exports_neutralise_formula_cells_and_charts_build():
    by_month = reports.hours(HISTORY, "month")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Hours by month": by_month})))
    names = [row[1] for row in book["Hours by month"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Ana Reyes", "'=Bea Cole", "Ana Reyes"]
    for chart in (reports.hours_chart(by_month), reports.coverage_chart(reports.coverage(HISTORY)),
                  reports.rates_chart(reports.rates(HISTORY))):
        assert chart.to_dict()["data"]


def test_buffer_percent():
    assert reports.buffer_percent(None) == 15
    assert reports.buffer_percent(2 / 6) == 33
    assert reports.buffer_percent(0.9) == 50


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    migrate.migrate(url)
    yield url
    db.dispose_engine(url)


def test_history_and_measured_rate_from_the_store(url):
    week = date(2026, 12, 7)
    with db.session(url) as s:
        assert measured_no_show(db=s).rate is None
        for name in ("Ana Reyes", "Bea Cole", "Cy", "Di"):
            add_volunteer(s, VolunteerRecord(name))
        plans.save_draft(s, week, [Assignment(F11, v) for v in ("v01", "v02", "v03", "v04")])
        plans.publish_draft(s, week)
    with db.session(url) as s:
        cancel_in(s, week, F11, "v04", actor="test")  # recorded now: long before the slot
        attendance.check_in(s, F11, "v01", datetime(2026, 12, 11, 15, 0))  # 09:00 in Chicago
        attendance.check_out(s, F11, "v01", datetime(2026, 12, 11, 18, 30))  # 12:30
        attendance.correct(s, F11, "v02", checked_in_at=None, checked_out_at=None, no_show=True)
        history = load_history(s, date(2026, 12, 1), date(2026, 12, 31), datetime(2026, 12, 20))
    assert sorted(a.volunteer for a in history.planned) == ["v01", "v02", "v03"]
    assert [(o.volunteer, o.state, o.hours) for o in outcomes(history)] == [
        ("v01", "attended", 3.5), ("v02", "no-show", 0.0), ("v03", "no-show", 0.0)]
    assert [(c.slot, c.volunteer) for c in history.cancellations] == [(F11, "v04")]
    rates = reports.rates(history).set_index("Day").loc["Overall"]
    assert (rates["No-show rate %"], rates["Late cancellations"]) == (66.7, 0)
    assert no_show_rate(history) == pytest.approx(2 / 3)
    assert tracked(history) == (3, date(2026, 12, 11))
