"""Unit tests: staffing above minimum on weekdays with frequent no-shows (planner.engine.buffer)."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from planner.core.errors import ProblemError
from planner.core.history import Attendance, History, weekday_no_show_rates
from planner.core.problem import Assignment, Problem, Slot, Volunteer
from planner.engine import buffer
from planner.engine.buffer import with_no_show_buffer
from planner.present.plan import buffer_label

THU, FRI = date(2026, 12, 10), date(2026, 12, 11)  # weekdays 3 and 4


def _slot(day: date, hour: int, kind: str = "shift", minimum: int = 2, target: int = 3,
          trained: int = 1) -> Slot:
    start = datetime(day.year, day.month, day.day, hour)
    return Slot(f"{day.isoformat()}-{kind}-{hour}", kind, start, start.replace(hour=hour + 4), minimum,
                target, trained if kind == "shift" else 0)


PROBLEM = Problem(slots=(_slot(THU, 9), _slot(FRI, 9), _slot(FRI, 13, minimum=4, target=4),
                         _slot(FRI, 17, kind="meal", minimum=1, target=1)),
                  volunteers=(Volunteer("v01", "Ana"),), timezone="America/Chicago")


def _by_id(problem: Problem) -> dict[str, tuple[int, int, int]]:
    return {s.id: (s.min, s.target, s.min_trained) for s in problem.slots}


def test_frequent_weekday_shifts_get_the_what_if_rounding_and_others_stay():
    out = buffer.buffer_by_weekday(PROBLEM, {3: 0.05, 4: 0.25})
    got = _by_id(out)
    # Thursday (5% < 10%) and the Friday meal are unchanged; trained minimums never change.
    assert got["2026-12-10-shift-9"] == (2, 3, 1)
    assert got["2026-12-11-meal-17"] == (1, 1, 0)
    # Friday: ceil(2 / 0.75) = 3 (target 3 kept); ceil(4 / 0.75) = 6 (target raised to 6).
    assert got["2026-12-11-shift-9"] == (3, 3, 1) == (math.ceil(2 / 0.75), 3, 1)
    assert got["2026-12-11-shift-13"] == (6, 6, 1)
    # The same numbers as the what-if buffer at that rate, on Friday's shifts.
    whatif = _by_id(with_no_show_buffer(PROBLEM, 0.25))
    assert {k: v for k, v in got.items() if "11-shift" in k} == {k: v for k, v in whatif.items()
                                                                  if "11-shift" in k}
    assert out.volunteers == PROBLEM.volunteers and out.timezone == PROBLEM.timezone
    assert out.slot("2026-12-11-shift-13").min == 6  # the slot index is rebuilt


def test_threshold_is_inclusive_and_adjustable():
    assert _by_id(buffer.buffer_by_weekday(PROBLEM, {4: 0.1}))["2026-12-11-shift-13"] == (5, 5, 1)
    assert buffer.buffer_by_weekday(PROBLEM, {4: 0.099}) is PROBLEM
    assert buffer.buffer_by_weekday(PROBLEM, {4: 0.2}, threshold=0.3) is PROBLEM
    assert buffer.buffer_by_weekday(PROBLEM, {}) is PROBLEM


def test_a_rate_of_one_is_capped_so_a_minimum_at_most_doubles():
    got = _by_id(buffer.buffer_by_weekday(PROBLEM, {4: 1.0}))
    assert got["2026-12-11-shift-9"] == (4, 4, 1) and got["2026-12-11-shift-13"] == (8, 8, 1)
    assert _by_id(buffer.buffer_by_weekday(PROBLEM, {4: 1.0}, cap=0.2))["2026-12-11-shift-13"] == (5, 5, 1)


@pytest.mark.parametrize(("rates", "threshold", "cap", "place"), [
    ({4: -0.1}, 0.1, 0.5, "rates[4]"), ({4: 1.5}, 0.1, 0.5, "rates[4]"),
    ({4: float("nan")}, 0.1, 0.5, "rates[4]"),
    ({7: 0.2}, 0.1, 0.5, "rates[7]"), ({4: 0.2}, 0, 0.5, "threshold"), ({4: 0.2}, 0.1, 1.0, "cap"),
])
def test_bad_input_names_its_place(rates, threshold, cap, place):
    with pytest.raises(ProblemError) as err:
        buffer.buffer_by_weekday(PROBLEM, rates, threshold, cap)
    assert err.value.messages[0].startswith(place + ":")


def test_weekday_rates_from_a_fixed_history():
    """Thursday: 1 of 4 tracked shifts missed. Friday: 2 of 3 (one marked, one without a check-in on a
    tracked day). A Monday with no attendance taken has no rate."""
    mon = date(2026, 12, 7)
    slots = (_slot(mon, 9), _slot(THU, 9), _slot(FRI, 9))
    m, t, f = (s.id for s in slots)
    planned = [Assignment(m, "v01"), *(Assignment(t, v) for v in ("v01", "v02", "v03", "v04")),
               *(Assignment(f, v) for v in ("v01", "v02", "v03"))]
    came = datetime(2026, 12, 10, 15)
    seen = [Attendance(t, v, THU, checked_in_at=came) for v in ("v01", "v02", "v03")]
    seen += [Attendance(f, "v01", FRI, checked_in_at=came.replace(day=11)),
             Attendance(f, "v02", FRI, no_show=True)]
    rates = weekday_no_show_rates(History(slots, planned, seen))
    assert rates == {3: pytest.approx(0.25), 4: pytest.approx(2 / 3)}
    assert buffer_label(rates) == ("Staff above minimum on days with frequent no-shows "
                                          "(measured: Thu 25%, Fri 67%)")
    assert buffer.frequent_days(rates, threshold=0.5) == {4: pytest.approx(2 / 3)}
    assert buffer_label({3: 0.05}) is None
    assert weekday_no_show_rates(History(slots, planned)) == {}
