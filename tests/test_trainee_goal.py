"""The soft goal "shifts not given to trainees" (issue 17): off unless a volunteer is `in_training`, then
plans prefer to give that trainee the shifts, beside a trained volunteer, and report it by name."""

from __future__ import annotations

import pytest

from planner.core.problem import problem_to_json, read_problem
from planner.engine import solve
from tests.strategies import problem, slot, volunteer

SOLVERS = ("cp-sat", "highs")
GOAL = "shifts not given to trainees"


def _week(trainee: str | None) -> dict:
    """One shift with room for a trained person and one untrained; two untrained people want it."""
    people = [volunteer("t", trained=True), volunteer("u1"), volunteer("u2")]
    for person in people:
        if person["id"] == trainee:
            person["in_training"] = True
    return problem([slot("am", "shift", 9, 13, min=1, target=2, min_trained=1)], people)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("trainee", ["u1", "u2"])
def test_the_trainee_the_pipeline_waits_on_gets_the_shift(solver, trainee):
    plan = solve(read_problem(_week(trainee)), solver=solver)
    assert {a.volunteer for a in plan.assignments} == {"t", trainee}
    assert plan.soft[GOAL] == 0
    assert (plan.objective.unfilled, plan.objective.below_target) == (0, 0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_without_trainees_the_goal_is_not_there_and_levels_1_2_are_unchanged(solver):
    plain = solve(read_problem(_week(None)), solver=solver)
    assert GOAL not in plain.soft
    flagged = solve(read_problem(_week("u2")), solver=solver)
    assert flagged.objective == plain.objective


def test_a_trainee_nobody_trained_can_join_is_counted_but_never_alone():
    doc = problem([slot("am", "shift", 9, 13, min=1, target=2), slot("pm", "shift", 13, 17, min=1, target=2)],
                  [volunteer("t", trained=True, windows=[("2026-12-04T09:00", "2026-12-04T13:00")]),
                   volunteer("u", max_shifts=2)])
    doc["volunteers"][1]["in_training"] = True
    plan = solve(read_problem(doc))
    assert sorted((a.slot, a.volunteer) for a in plan.assignments) == [("am", "t"), ("am", "u")]
    assert plan.soft[GOAL] == 0  # the afternoon has no trained person, so it is no training shift for them


def test_in_training_is_read_and_written_only_when_set():
    read = read_problem(_week("u2"))
    assert [v.in_training for v in read.volunteers] == [False, False, True]
    written = problem_to_json(read)
    assert ["in_training" in v for v in written["volunteers"]] == [False, False, True]
    assert read_problem(written) == read
    bad = _week(None)
    bad["volunteers"][0]["in_training"] = "yes"
    with pytest.raises(Exception, match=r"volunteers\[0\].in_training: 'yes' is not true or false"):
        read_problem(bad)
