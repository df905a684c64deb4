"""AppTest: "Plan the week" offers to staff above minimum on weekdays with frequent no-shows (issue 8)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

import planner.engine
from planner.core.clock import center_now, to_utc
from planner.core.domain import monday_of
from planner.core.problem import Assignment
from planner.store import attendance, db, plans
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings
from tests.apptest import open_app

LABEL = "Staff above minimum on days with frequent no-shows (measured: Fri 50%)"


def _last_friday_history(came: int) -> None:
    """Four people on last week's first slot (Friday morning in the demo center); `came` of them came."""
    with db.session() as s:
        settings = load_settings(s)
        week = monday_of(center_now(settings.timezone).date()) - timedelta(days=7)
        slot = settings.week_slots(week)[0]
        assert slot.day.weekday() == 4
        people = [v.key for v in list_volunteers(s)[:4]]
        plans.save_draft(s, week, [Assignment(slot.id, p) for p in people], actor="test")
        plans.publish_draft(s, week, actor="test")
    with db.session() as s:
        start = to_utc(datetime.combine(slot.day, slot.start.time()), settings.timezone)
        for p in people[:came]:
            attendance.correct(s, slot.id, p, checked_in_at=start, checked_out_at=start + timedelta(hours=3),
                               actor="test")


@pytest.fixture
def solved(monkeypatch: pytest.MonkeyPatch) -> list:
    """The problems the page hands to the solver (the page imports `solve` on every run)."""
    seen: list = []
    real = planner.engine.solve

    def spy(problem, *args, **kwargs):
        seen.append(problem)
        return real(problem, *args, **kwargs)

    monkeypatch.setattr(planner.engine, "solve", spy)
    return seen


def _page() -> AppTest:
    at = open_app("coordinator", timeout=60)
    assert not at.exception, at.exception
    assert at.title[0].value == "Plan the week"
    return at


def _shift_needs(problem) -> set[tuple[int, int, int]]:
    """(weekday, min, target) of the shifts."""
    return {(s.day.weekday(), s.min, s.target) for s in problem.slots if s.kind == "shift"}


def test_without_attendance_history_there_is_no_option(demo_db):
    at = _page()
    assert not [c for c in at.checkbox if c.key == "plan_buffer"]
    assert not any("no-show" in c.value for c in at.caption)


def test_the_option_is_off_by_default_and_raises_fridays_minimums_before_solving(demo_db, solved):
    _last_friday_history(came=2)  # Friday: 2 of 4 did not come, 50%
    at = _page()
    option = at.checkbox(key="plan_buffer")
    assert option.label == LABEL and option.value is False
    at.button(key="plan_button").click()
    at.run()
    assert not at.exception, at.exception
    assert _shift_needs(solved[-1]) == {(4, 3, 4), (5, 3, 4), (6, 3, 4)}  # as set: min 3, target 4

    at.checkbox(key="plan_buffer").check()
    at.run()
    at.button(key="plan_button").click()
    at.run()
    assert not at.exception, at.exception
    # Friday: ceil(3 / (1 - 0.5)) = 6, and the target rises with it; the weekend is unchanged.
    assert _shift_needs(solved[-1]) == {(4, 6, 6), (5, 3, 4), (6, 3, 4)}
    grid = at.table[0].value
    friday = next(i for i in grid.index if i.startswith("Fri"))
    shifts = [c for c in grid.columns if not c.startswith("Dinner")]
    assert all(" of 6" in grid.loc[friday, c] for c in shifts)  # the page shows the raised needs
    with db.session() as s:  # nothing about the center's own settings changed
        assert (load_settings(s).shift_min, load_settings(s).shift_target) == (3, 4)


def test_rates_below_the_threshold_are_reported_without_an_option(demo_db):
    _last_friday_history(came=4)
    at = _page()
    assert not [c for c in at.checkbox if c.key == "plan_buffer"]
    assert "Measured no-show rates are below 10% on every day; minimums stay as set." in [
        c.value for c in at.caption]
