"""Property tests: on tiny random problems the engine's plan is valid and exactly optimal on
objective levels 1 and 2, as an exhaustive search written from the spec finds it, and on the
soft goals (level 3, the README's table) as the third level."""

from __future__ import annotations

from contextlib import nullcontext
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, event, given, settings

from planner.core.problem import ProblemError, read_problem
from planner.core.validate import measure, validate
from planner.engine import solve
from tests import bruteforce
from tests.strategies import problems_st, roomy_problems_st

SOLVERS = ("cp-sat", "highs")
MAX_STATES = 200_000

STABLE = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def truth(prob, soft: bool = False):
    assume(bruteforce.search_size(prob) <= MAX_STATES)
    try:
        best = bruteforce.solve(prob, soft=soft)
    except bruteforce.TooBig:
        assume(False)
    event(f"no valid plan, pins {len(prob.pinned)}" if best is None else
          f"unfilled {min(best.unfilled, 3)}{'+' if best.unfilled > 3 else ''}, pins {len(prob.pinned)}")
    return best


def check_plan(prob, plan, best) -> None:
    assignments = list(plan.assignments)
    assert validate(prob, assignments) == []
    assert plan.status == "optimal"
    assert (plan.objective.unfilled, plan.objective.below_target) == (best.unfilled, best.below_target)
    assert measure(prob, assignments) == plan.objective
    # unfilled entries: exactly the short slots, with the formula's numbers
    by_slot: dict[str, list[str]] = {}
    for a in assignments:
        by_slot.setdefault(a.slot, []).append(a.volunteer)
    expected = {}
    for s in prob.slots:
        people = by_slot.get(s.id, [])
        trained = sum(1 for v in people if prob.volunteer(v).trained)
        missing, missing_trained = max(0, s.min - len(people)), max(0, s.min_trained - trained)
        if max(missing, missing_trained):
            expected[s.id] = (missing, missing_trained)
    got = {u.slot: (u.missing, u.missing_trained) for u in plan.unfilled}
    assert len(got) == len(plan.unfilled), "one entry per slot"
    assert got == expected
    assert sum(max(m, t) for m, t in got.values()) == plan.objective.unfilled
    for u in plan.unfilled:
        assert u.reasons and all(isinstance(r, str) and r.strip() for r in u.reasons), u
    if best.soft is not None:
        goals = bruteforce.soft_goals(prob, [(a.slot, a.volunteer) for a in assignments])
        assert {name: plan.soft.get(name, 0) for name in goals} == goals
        assert plan.soft_total == bruteforce.soft_total(goals) == best.soft
        assert plan.soft_proven and plan.soft_bound == best.soft


@pytest.mark.parametrize("solver", SOLVERS)
@STABLE
@given(doc=problems_st(soft=True))
def test_engine_is_optimal_and_valid(doc, solver: str) -> None:
    prob = read_problem(doc)
    best = truth(prob, soft=True)
    if best is None:
        # no valid plan: the pins break the hard rules, which is bad input
        with pytest.raises(ProblemError):
            solve(prob, solver=solver)
        return
    plan = solve(prob, solver=solver)
    check_plan(prob, plan, best)
    again = solve(prob, solver=solver)
    assert again.assignments == plan.assignments, "same input, same plan"


@STABLE
@given(doc=problems_st())
def test_bruteforce_plan_is_valid(doc) -> None:
    """The brute force's plan passes planner.core.validate and measures to its optimum."""
    from planner.core.problem import Assignment

    prob = read_problem(doc)
    best = truth(prob)
    if best is None:
        return
    plan = [Assignment(s, v) for s, v in best.plan]
    assert validate(prob, plan) == []
    objective = measure(prob, plan)
    assert (objective.unfilled, objective.below_target) == (best.unfilled, best.below_target)


@STABLE
@given(doc=problems_st(max_slots=3, max_volunteers=3, soft=True))
def test_auto_matches_bruteforce(doc) -> None:
    prob = read_problem(doc)
    best = truth(prob, soft=True)
    if best is None:
        with pytest.raises(ProblemError):
            solve(prob)
        return
    check_plan(prob, solve(prob), best)


@pytest.mark.parametrize("warm", [True, False], ids=["warm start", "solver alone"])
@pytest.mark.parametrize("solver", SOLVERS)
@STABLE
@given(doc=roomy_problems_st(max_slots=6, max_volunteers=5))
def test_soft_level_matches_bruteforce(doc, solver: str, warm: bool) -> None:
    """Plans that tie on levels 1-2 by the dozen: the soft goals decide, as the third level.
    Without the warm start the back end proves all three levels on its own."""
    prob = read_problem(doc)
    best = truth(prob, soft=True)
    with mock.patch("planner.engine.solve.warm_start", return_value=None) if not warm else nullcontext():
        plan = solve(prob, solver=solver)
    check_plan(prob, plan, best)
