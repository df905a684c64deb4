"""Unit tests of planner.present: the tables, sentences and charts the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from planner.core.domain import CenterSettings
from planner.core.plan import Objective, Plan, Unfilled
from planner.core.problem import Assignment, BackgroundCheck, Problem, Volunteer, Window
from planner.present.plan import grid_styles, objective_summary, short_table, week_grid
from planner.present.roster import check_warnings
from planner.present.text import csv_bytes, md_escape

WEEK = date(2026, 11, 30)  # a Monday; the center opens Fri 4 - Sun 6 Dec


def _vol(vid: str, name: str, trained: bool = False) -> Volunteer:
    return Volunteer(vid, name, trained, BackgroundCheck("cleared"), frozenset({"shift", "meal"}), 3, 1,
                     (Window(datetime(2026, 12, 4, 8), datetime(2026, 12, 6, 20)),))


def _problem() -> Problem:
    slots = CenterSettings().week_slots(WEEK)
    vols = (_vol("v01", "Ana R.", True), _vol("v02", "Ben T."), _vol("v03", "<b>Cleo</b>"),
            _vol("v04", "Dee"))
    return Problem(slots=slots, volunteers=vols)


def test_week_grid_has_days_by_slots_with_names_and_counts():
    problem = _problem()
    assigned = [Assignment("2026-12-04-am", v) for v in ("v01", "v02", "v03")]
    assigned.append(Assignment("2026-12-04-dinner", "v04"))
    grid = week_grid(problem, assigned, pinned=[Assignment("2026-12-04-am", "v02")])
    assert list(grid.table.index) == ["Fri 4 Dec", "Sat 5 Dec", "Sun 6 Dec"]
    assert list(grid.table.columns) == ["Morning 09:00-13:00", "Afternoon 13:00-17:00", "Dinner 17:00-18:00"]
    cell = grid.table.loc["Fri 4 Dec", "Morning 09:00-13:00"]
    assert cell.startswith("3 of 4: ")
    assert "Ana R. (trained)" in cell and "Ben T. (pinned)" in cell and "<b>Cleo</b>" in cell
    assert grid.status.loc["Fri 4 Dec", "Morning 09:00-13:00"] == "below_target"
    assert grid.table.loc["Fri 4 Dec", "Dinner 17:00-18:00"] == "1 of 1: Dee"
    assert grid.status.loc["Fri 4 Dec", "Dinner 17:00-18:00"] == "full"
    assert grid.table.loc["Sat 5 Dec", "Afternoon 13:00-17:00"] == "Short: 0 of 4"
    assert grid.status.loc["Sat 5 Dec", "Afternoon 13:00-17:00"] == "short"
    styles = grid_styles(grid)
    assert "background-color" in styles.loc["Sat 5 Dec", "Afternoon 13:00-17:00"]


def test_grid_marks_a_slot_without_trained_person_short():
    problem = _problem()
    assigned = [Assignment("2026-12-05-am", v) for v in ("v02", "v03", "v04")]
    grid = week_grid(problem, assigned)
    assert grid.status.loc["Sat 5 Dec", "Morning 09:00-13:00"] == "short"
    assert grid.table.loc["Sat 5 Dec", "Morning 09:00-13:00"].startswith("Short: 3 of 4")


def test_every_short_cell_is_explained_with_names():
    """Unfilled and below-target slots alike, naming who is blocked and by what."""
    friday = ("2026-12-04-am", "2026-12-04-pm")
    slots = tuple(sl for sl in CenterSettings().week_slots(WEEK) if sl.id in friday)
    window = (Window(datetime(2026, 12, 4, 8), datetime(2026, 12, 4, 18)),)

    def person(vid: str, name: str, trained: bool, check: str) -> Volunteer:
        return Volunteer(vid, name, trained, BackgroundCheck(check), frozenset({"shift"}), 1, 0, window)

    people = (person("v01", "Ana R.", True, "cleared"), person("v02", "Bo T.", True, "cleared"),
              person("v03", "Cy D.", False, "pending"), person("v04", "Di E.", False, "cleared"))
    problem = Problem(slots=slots, volunteers=people)
    plan = [Assignment("2026-12-04-am", "v01"), Assignment("2026-12-04-am", "v04"),
            Assignment("2026-12-04-pm", "v02")]
    table = short_table(problem, plan).set_index("Slot")
    am, pm = table.loc["Morning 09:00-13:00"], table.loc["Afternoon 13:00-17:00"]
    assert (am["Day"], am["Coverage"], am["Short"]) == ("Fri 4 Dec", "2 of 4", "1 position below the minimum")
    assert am["Why"] == ("Cy D. has no cleared background check on Fri 4 Dec. "
                         "Bo T. is free then but at the weekly cap.")
    assert pm["Short"] == "2 positions below the minimum"
    assert "Ana R. and Di E. are free then but at their weekly cap." in pm["Why"]


def test_objective_summary():
    problem = _problem()
    plan = Plan("optimal", (), (Unfilled("2026-12-05-pm", 3, 1, ("only 2 available volunteers",)),
                               Unfilled("2026-12-04-am", 1, 0, ())),
                Objective(4, 9), 0.25, {"preferences missed": 2})
    lines = objective_summary(problem, plan)
    assert lines[0] == "7 of 9 slots have at least their minimum."
    assert "4 positions unfilled (below the minimum)." in lines
    assert "9 positions below target." in lines
    assert "Preferences missed: 2." in lines
    assert lines[-1].startswith("Plan proven best")


@dataclass
class _Cand:
    label: str
    extra_volunteers: int
    extra_trained: int
    extra_meal_providers: int
    optimal: bool = True


def test_csv_neutralises_formulas_and_markdown_is_escaped():
    table = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "@cmd", "Ana", "-1+1", "\tx"]})
    lines = csv_bytes(table).decode().splitlines()
    assert lines[1].startswith("\"'=HYPERLINK") and lines[2] == "'@cmd" and lines[3] == "Ana"
    assert lines[4] == "'-1+1"
    escaped = md_escape("[click](javascript:alert(1)) <img src=x> **b**")
    assert "[" not in escaped.replace("\\[", "") and "<" not in escaped.replace("\\<", "")
    assert "*" not in escaped.replace("\\*", "")




def test_check_warnings_follow_up_pending_expired_missing_and_expiring_checks():
    from planner.core.domain import VolunteerRecord

    def person(name: str, status: str, expires: date | None = None, **kw: object) -> VolunteerRecord:
        return VolunteerRecord(name, check_status=status, check_expires=expires, **kw)  # type: ignore[arg-type]

    records = [person("Ana", "cleared", date(2026, 12, 10)), person("Ben", "cleared", date(2027, 6, 1)),
               person("Cleo", "cleared", date(2026, 11, 1)), person("Dee", "pending"),
               person("Eve", "expired"),
               person("Fay", "none"), person("Gus", "pending", active=False),
               person("Hal", "none", does_shifts=False, does_meals=True)]
    assert check_warnings(records, today=date(2026, 11, 27)) == [
        "Background check expired (2, not planned on shifts): Cleo, Eve.",
        "Background check pending (1, not planned on shifts): Dee.",
        "Background check not started (1, not planned on shifts): Fay.",
        "Background check expiring within 30 days (1): Ana on Thu 10 Dec."]


def test_the_availability_overview_counts_and_names_who_is_free():
    from datetime import time

    from planner.core.domain import VolunteerRecord, WeeklyWindow
    from planner.present.roster import availability_overview

    ana = VolunteerRecord("Ana", availability=(WeeklyWindow(4, time(9), time(17)),))
    bo = VolunteerRecord("Bo", availability=(WeeklyWindow(4, time(9), time(13)),))
    cook = VolunteerRecord("Cy", does_shifts=False, does_meals=True,
                           availability=(WeeklyWindow(4, time(16), time(19)),))
    table = availability_overview([ana, bo, cook, VolunteerRecord("Off", active=False)], CenterSettings())
    friday = table.set_index("Day").loc["Friday"]
    assert (friday["Morning"], friday["Afternoon"], friday["Dinner"]) == ("2: Ana, Bo", "1: Ana", "1: Cy")
    assert list(table["Day"]) == ["Friday", "Saturday", "Sunday"]


def test_the_availability_grid_shows_open_days_only_and_keeps_the_others():
    from datetime import time

    from planner.core.domain import WeeklyWindow
    from planner.present.availability import availability_grid, next_open_day, windows_from_grid

    settings = CenterSettings()  # Fri-Sun
    thursday, friday = WeeklyWindow(3, time(9), time(17)), WeeklyWindow(4, time(9), time(13))
    grid = availability_grid((thursday, friday), settings)
    assert list(grid["Day"]) == ["Fri", "Sat", "Sun"]
    assert list(grid.columns) == ["Day", "Morning", "Afternoon", "Dinner"]
    assert grid.loc[0, "Morning"] and not grid.loc[0, "Afternoon"]
    grid.loc[2, ["Morning", "Afternoon"]] = True
    assert windows_from_grid(grid, settings, (thursday, friday)) == (
        thursday, friday, WeeklyWindow(6, time(9), time(17)))
    assert next_open_day(date(2026, 12, 1), settings) == date(2026, 12, 4)  # a Tuesday: Friday
    assert next_open_day(date(2026, 12, 4), settings) == date(2026, 12, 5)


def test_a_version_line_says_when_in_the_centers_time():
    from planner.present.plan import version_line
    from planner.store.plans import PlanVersion

    version = PlanVersion(WEEK, 3, "optimal", 1, 2, datetime(2026, 12, 4, 15, 12), "coord",
                          datetime(2026, 12, 4, 15, 12), "coord", ())
    assert version_line(version, "America/Chicago") == (
        "Version 3: published Fri 4 Dec 2026 09:12 by coord, 1 position unfilled.")
