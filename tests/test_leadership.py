"""planner.present.leadership: what-if tables, sentences, chart data, CSV and fragility, counts only."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pandas as pd
import pytest

from planner.core.cells import restore
from planner.core.problem import (
    BackgroundCheck,
    Candidate,
    Problem,
    RecruitProfile,
    Slot,
    Volunteer,
    WhatIf,
    Window,
)
from planner.engine.whatif import CandidateAnswer, Fragility, LadderStep, study
from planner.present import leadership
from planner.present.text import csv_bytes


def ans(label: str = "Thursday", n: int | None = 4, t: int | None = 1, m: int | None = 1,
        optimal: bool = True, reason: str = "") -> CandidateAnswer:
    return CandidateAnswer(label, n, t, m, optimal, reason)


IMPOSSIBLE = ans("Monday", None, None, None, reason="no number of recruits can staff it fully")


# ---------------------------------------------------------------- sentences


@pytest.mark.parametrize(("n", "t", "m", "expected"), [
    (4, 1, 1, "Opening Thursday needs 4 more volunteers, 1 of them trained, and 1 more dinner provider."),
    (4, 2, 2, "Opening Thursday needs 4 more volunteers, 2 of them trained, and 2 more dinner providers."),
    (1, 0, 1, "Opening Thursday needs 1 more volunteer and 1 more dinner provider."),
    (1, 1, 0, "Opening Thursday needs 1 more trained volunteer."),
    (3, 3, 0, "Opening Thursday needs 3 more volunteers, all of them trained."),
    (2, 0, 0, "Opening Thursday needs 2 more volunteers."),
    (0, 0, 2, "Opening Thursday needs 2 more dinner providers; today's volunteers can staff its shifts."),
    (0, 0, 0, "Opening Thursday needs no more volunteers: today's roster can staff it."),
])
def test_day_sentence_counts_and_plurals(n, t, m, expected):
    assert leadership.day_sentence(ans(n=n, t=t, m=m)) == expected


def test_day_sentence_other_meals_impossible_and_not_proven():
    assert leadership.day_sentence(ans(m=1), meal="meal").endswith("and 1 more meal provider.")
    assert leadership.day_sentence(IMPOSSIBLE) == (
        "Opening Monday is not possible with recruits like these: no number of recruits can staff it fully.")
    unproven = leadership.day_sentence(ans(optimal=False))
    assert unproven.endswith("dinner provider (best found in the time allowed, not proven to be the fewest).")


def test_day_sentence_with_a_no_show_buffer():
    text = leadership.day_sentence(ans(), ans(n=6, t=1, m=1), rate=0.15)
    assert text == ("Opening Thursday needs 4 more volunteers, 1 of them trained, and 1 more dinner "
                    "provider. Allowing for 15% no-shows: 6 more volunteers, 1 of them trained, "
                    "and 1 more dinner provider.")
    assert leadership.day_sentence(ans(), IMPOSSIBLE, rate=0.125).endswith(
        "Allowing for 12.5% no-shows, it is not possible with recruits like these.")


def test_ladder_sentence():
    step = LadderStep(("Thursday", "Monday"), ans("Thursday + Monday", 8, 2, 2))
    assert leadership.ladder_sentence(step, 5) == (
        "Opening 5 days a week (adding Thursday and Monday) needs 8 more volunteers, 2 of them trained, "
        "and 2 more dinner providers.")
    one = LadderStep(("Thursday",), ans())
    assert leadership.ladder_sentence(one, 4).startswith("Opening 4 days a week (adding Thursday) needs 4")


def test_meal_word():
    day = datetime(2026, 12, 10)
    dinner = Slot("d", "meal", day.replace(hour=17), day.replace(hour=18), 1, 1)
    lunch = Slot("l", "meal", day.replace(hour=12), day.replace(hour=13), 1, 1)
    assert leadership.meal_word([dinner]) == "dinner"
    assert leadership.meal_word([dinner, lunch]) == "meal"
    assert leadership.meal_word([]) == "meal"


# ---------------------------------------------------------------- tables and chart


def test_days_table_with_impossible_day_and_buffer():
    table = leadership.days_table([ans(), IMPOSSIBLE], [ans(n=6), IMPOSSIBLE], rate=0.15)
    assert list(table.columns) == [
        "Day", "Extra volunteers", "Of them trained", "Extra dinner providers", "How sure",
        "Extra volunteers (15% no-shows)", "Of them trained (15% no-shows)",
        "Extra dinner providers (15% no-shows)", "Note"]
    assert table.loc[0, "Extra volunteers"] == 4 and table.loc[0, "Extra volunteers (15% no-shows)"] == 6
    assert table.loc[0, "Note"] == ""
    assert pd.isna(table.loc[1, "Extra volunteers"]) and "no number of recruits" in table.loc[1, "Note"]
    assert str(table["Extra volunteers"].dtype) == "Int64"


def test_days_table_without_buffer_has_plain_columns_only():
    table = leadership.days_table([ans()])
    assert list(table.columns) == ["Day", "Extra volunteers", "Of them trained", "Extra dinner providers",
                                   "How sure", "Note"]
    assert table.loc[0, "How sure"] == "Proven fewest"
    assert leadership.days_table([ans(optimal=False)]).loc[0, "How sure"] == "Best found, not proven"


def test_ladder_table_counts_open_days_from_today():
    steps = [LadderStep(("Thursday",), ans()), LadderStep(("Thursday", "Monday"), ans(n=8, t=2, m=2))]
    table = leadership.ladder_table(steps, 3, [ans(n=6), ans(n=11)], rate=0.2)
    assert list(table["Open days"]) == [4, 5]
    assert list(table["Days added"]) == ["Thursday", "Thursday, Monday"]
    assert list(table["Extra volunteers"]) == [4, 8]
    assert list(table["Extra volunteers (20% no-shows)"]) == [6, 11]


def test_chart_data_leaves_out_impossible_days_and_chart_is_valid_vega_lite():
    table = leadership.days_table([ans(), IMPOSSIBLE])
    long = leadership.chart_data(table, "Day")
    assert set(long["Day"]) == {"Thursday"}
    assert sorted(long["Need"]) == sorted(leadership.need_columns())
    assert list(long.sort_values("Need")["Count"]) == [1, 4, 1]
    spec = leadership.needs_chart(table, "Day").to_dict()
    assert spec["mark"]["type"] == "bar"
    ladder = leadership.ladder_table([LadderStep(("Thursday",), ans())], 3)
    assert leadership.needs_chart(ladder, "Open days", title="Open days a week").to_dict()["encoding"]


def test_csv_is_formula_safe_and_round_trips():
    table = leadership.days_table([ans("=HYPERLINK(\"http://x\")"), ans("+Friday"), ans("@sum")])
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8"))))
    assert rows[0][0] == "Day"
    days = [r[0] for r in rows[1:]]
    assert all(d.startswith("'") for d in days)
    assert [restore(d) for d in days] == ['=HYPERLINK("http://x")', "+Friday", "@sum"]
    assert rows[1][1:4] == ["4", "1", "1"]


# ---------------------------------------------------------------- fragility


DAY = datetime(2026, 12, 4)  # a Friday


def slot(sid: str, start: int, end: int, kind: str = "shift", minimum: int = 1, target: int = 1,
         min_trained: int = 0, day: datetime = DAY) -> Slot:
    return Slot(sid, kind, day.replace(hour=start), day.replace(hour=end), minimum, target, min_trained,
                kind == "shift")


def person(vid: str, name: str, *, trained: bool = True, does=("shift",), max_meals: int = 0,
           day: datetime = DAY) -> Volunteer:
    return Volunteer(vid, name, trained, BackgroundCheck("cleared"), frozenset(does), 1, max_meals,
                     (Window(day.replace(hour=8), day.replace(hour=19)),))


def test_fragility_sentences_give_counts_and_slot_times_never_ids():
    problem = Problem(slots=(slot("fri-am", 9, 13),), volunteers=(person("v07", "Ana R."),))
    lines = leadership.fragility_sentences(Fragility((("v07", 2), ("v08", 1)), ("fri-am",)), problem)
    assert lines == [
        "2 volunteers are key people this week: if the most relied-on one could not come, "
        "2 positions would go unfilled.",
        "1 slot has no backup (nobody else on the roster can step in): Fri 4 Dec, Morning 09:00-13:00."]
    assert "v07" not in " ".join(lines) and "Ana" not in " ".join(lines)
    calm = leadership.fragility_sentences(Fragility((), ()), problem)
    assert calm[0].startswith("No single volunteer's absence")


# ---------------------------------------------------------------- the whole computation


NO_MEAL_RECRUITS = RecruitProfile(max_shifts=1, max_meals=0, available="candidate")


def tiny_problem(recruit: RecruitProfile = NO_MEAL_RECRUITS) -> Problem:
    """Friday open with two people (one irreplaceable); Thursday's dinner has a cook, Monday's needs two
    cooks and has one (with no meal recruits, Monday cannot open)."""
    thu, mon = DAY.replace(day=3), DAY.replace(day=7)
    thursday = (slot("thu-am", 9, 13, minimum=3, target=4, min_trained=1, day=thu),
                slot("thu-dinner", 17, 18, "meal", day=thu))
    return Problem(
        slots=(slot("fri-am", 9, 13, minimum=2, target=2, min_trained=1),),
        volunteers=(person("v01", "Ana R. <ana@example.org>"), person("v02", "Ben T.", trained=False),
                    person("v03", "Cleo M.", trained=False, does=("meal",), max_meals=1, day=thu),
                    person("v04", "Dee K.", trained=False, does=("meal",), max_meals=1, day=mon)),
        whatif=WhatIf((Candidate("Thursday", thursday),
                       Candidate("Monday", (slot("mon-dinner", 17, 18, "meal", 2, 2, day=mon),))), recruit))


def test_compute_runs_each_day_then_the_ladder_with_a_moving_progress_bar():
    seen: list[tuple[float, str]] = []
    results = study(tiny_problem(), rate=0.25, open_now=3,
                                 progress=lambda done, text: seen.append((done, text)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1
    assert len(set(fractions)) >= 5
    assert [t for _, t in seen][:2] == ["Each day on its own...", "Thursday done..."]
    thursday, monday = results.days
    assert (thursday.extra_volunteers, thursday.extra_trained, thursday.extra_meal_providers) == (3, 1, 0)
    assert monday.total is None and monday.reason  # one cook for two places, recruits do no meals
    assert results.buffered is not None and results.buffered[0].extra_volunteers == 4  # ceil(3 / 0.75)
    assert [s.labels for s in results.steps] == [("Thursday",)]
    assert results.buffered_steps is not None and results.buffered_steps[0].extra_volunteers == 4
    assert list(leadership.study_ladder_table(results)["Open days"]) == [4]
    days, ladder, risk = (f(results) for f in (leadership.day_sentences, leadership.ladder_sentences,
                                                leadership.risk_sentences))
    assert ladder[-1] == "Beyond that, Monday cannot be added with recruits like these."
    assert days[0] == ("Opening Thursday needs 3 more volunteers, 1 of them trained. "
                       "Allowing for 25% no-shows: 4 more volunteers, 1 of them trained.")
    assert days[1].startswith("Opening Monday is not possible with recruits like these: ")
    assert risk[0] == ("2 volunteers are key people this week: if the most relied-on one could not "
                       "come, 2 positions would go unfilled.")  # the trained one takes Ben along
    assert risk[1] == ("1 slot has no backup (nobody else on the roster can step in): "
                       "Fri 4 Dec, Morning 09:00-13:00.")


def test_compute_without_buffer_and_results_never_name_anyone():
    problem = tiny_problem()
    results = study(problem)
    assert results.buffered is None and results.buffered_steps is None
    assert "no-shows" not in " ".join(leadership.study_days_table(results).columns)
    shown = json.dumps([leadership.day_sentences(results), leadership.ladder_sentences(results),
                        leadership.risk_sentences(results),
                        leadership.study_days_table(results).astype(str).values.tolist(),
                        leadership.study_ladder_table(results).astype(str).values.tolist()])
    for v in problem.volunteers:
        assert v.name.split()[0] not in shown and v.id not in shown
    assert "@" not in shown and "cleared" not in shown


def test_the_page_says_what_the_numbers_assume_and_where_the_buffer_comes_from():
    results = study(tiny_problem())
    assumption = leadership.staffing_assumption(results, "minimum")
    assert assumption.startswith("Each new day is counted at its minimum (3 volunteers per shift, 1 of them "
                                 "trained), while the days the center opens now keep at least today's "
                                 "coverage.")
    target = leadership.staffing_assumption(results, "target")
    assert target.startswith("Each new day is counted at its target")
    assert leadership.buffer_source(None, 0, None, 15) == (
        "The buffer starts at a default of 15%: no check-in history yet.")
    assert leadership.buffer_source(0.125, 40, date(2026, 9, 4), 13) == (
        "The buffer starts at the no-show rate measured at check-in: 12.5% over 40 shifts since "
        "Fri 4 Sep 2026.")


def test_a_day_nobody_on_the_roster_can_work_is_said_plainly():
    problem = tiny_problem()
    assert problem.whatif is not None
    monday_only = problem.with_whatif(WhatIf(problem.whatif.candidates[1:], problem.whatif.recruit))
    lines = leadership.nobody_free_sentences(study(monday_only.with_volunteers(problem.volunteers[:2])))
    assert lines == ["No current volunteer is free on Monday: every place there needs a recruit."]
    assert leadership.nobody_free_sentences(study(problem)) == []
