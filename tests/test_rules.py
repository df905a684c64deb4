"""One small hand-computed problem per hard rule (and per objective level), where only that
rule decides the answer. Each case is checked against the brute force (so the brute force is
itself tested against hand arithmetic) and against the engine with both back ends."""

from __future__ import annotations

import pytest

from planner.core.problem import ProblemError, read_problem
from planner.core.validate import validate
from tests import bruteforce
from tests.strategies import at, problem, slot, volunteer

SOLVERS = ("cp-sat", "highs")


def _engine():
    return pytest.importorskip("planner.engine")


def win(day: int, start: int, end: int) -> tuple[str, str]:
    return at(day, start), at(day, end)


# name -> (problem document, expected (unfilled, below_target))
CASES: dict[str, tuple[dict, tuple[int, int]]] = {
    # ---- rule 1: does
    "r1 volunteer who does only shifts is not put on a meal": (
        problem([slot("m", "meal", 12, 13)], [volunteer("v0", does=("shift",), max_meals=1)]), (1, 1)),
    "r1 volunteer who does meals is put on a meal": (
        problem([slot("m", "meal", 12, 13)], [volunteer("v0", does=("meal",), max_meals=1)]), (0, 0)),
    "r1 default does is shift only": (
        problem([slot("m", "meal", 12, 13)],
                [{"id": "v0", "max_meals": 1, "available": [{"start": at(0, 0), "end": at(1, 0)}]}]),
        (1, 1)),
    # ---- rule 1: availability
    "r1 adjacent windows 9-13 and 13-17 do not hold a 10-14 slot": (
        problem([slot("a", "shift", 10, 14)],
                [volunteer("v0", trained=True, windows=[win(0, 9, 13), win(0, 13, 17)])]), (1, 1)),
    "r1 a window exactly the slot holds it": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, windows=[win(0, 9, 13)])]),
        (0, 0)),
    "r1 a window ending an hour early does not hold the slot": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, windows=[win(0, 9, 12)])]),
        (1, 1)),
    "r1 a window starting late does not hold the slot": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, windows=[win(0, 10, 17)])]),
        (1, 1)),
    "r1 a window on another day does not hold the slot": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, windows=[win(1, 8, 18)])]),
        (1, 1)),
    "r1 no windows at all": (
        problem([slot("a", "shift", 9, 13)], [{"id": "v0", "trained": True,
                                                "background_check": {"status": "cleared"}}]), (1, 1)),
    # ---- rule 1: background check
    "r1 check expiring on the slot's day is still valid": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, expires="2026-12-04")]),
        (0, 0)),
    "r1 check expiring the day before the slot is not valid": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, expires="2026-12-03")]),
        (1, 1)),
    "r1 check valid on day 1 but expired on day 2's slot": (
        problem([slot("a", "shift", 9, 13, day=1)], [volunteer("v0", trained=True, expires="2026-12-04")]),
        (1, 1)),
    "r1 pending check": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, check="pending")]), (1, 1)),
    "r1 expired status without date": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, check="expired")]), (1, 1)),
    "r1 no check at all": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, check=None)]), (1, 1)),
    "r1 a shift that needs no check takes a volunteer without one": (
        problem([slot("a", "shift", 9, 13, check=False)], [volunteer("v0", trained=True, check="none")]),
        (0, 0)),
    "r1 a meal needs no check by default": (
        problem([slot("m", "meal", 12, 13)], [volunteer("v0", does=("meal",), max_meals=1, check=None)]),
        (0, 0)),
    "r1 a meal that needs a check refuses a volunteer without one": (
        problem([slot("m", "meal", 12, 13, check=True)],
                [volunteer("v0", does=("meal",), max_meals=1, check="pending")]), (1, 1)),
    # ---- rule 2: overlaps
    "r2 two overlapping shifts and one volunteer": (
        problem([slot("a", "shift", 9, 13), slot("b", "shift", 11, 15)],
                [volunteer("v0", trained=True, max_shifts=2)]), (1, 1)),
    "r2 touching shifts 9-13 and 13-17 do not overlap": (
        problem([slot("a", "shift", 9, 13), slot("b", "shift", 13, 17)],
                [volunteer("v0", trained=True, max_shifts=2)]), (0, 0)),
    "r2 a meal inside a shift overlaps it": (
        problem([slot("a", "shift", 11, 15), slot("m", "meal", 12, 13)],
                [volunteer("v0", trained=True, does=("shift", "meal"), max_meals=1)]), (1, 1)),
    "r2 a meal right after a shift does not overlap it": (
        problem([slot("a", "shift", 11, 15), slot("m", "meal", 15, 16)],
                [volunteer("v0", trained=True, does=("shift", "meal"), max_meals=1)]), (0, 0)),
    "r2 the same hours on two days do not overlap": (
        problem([slot("a", "shift", 9, 13), slot("b", "shift", 9, 13, day=1)],
                [volunteer("v0", trained=True, max_shifts=2)]), (0, 0)),
    # ---- rule 3: caps
    "r3 max_shifts 1 and two separate shifts": (
        problem([slot("a", "shift", 9, 13), slot("b", "shift", 13, 17)],
                [volunteer("v0", trained=True, max_shifts=1)]), (1, 1)),
    "r3 max_shifts 0": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, max_shifts=0)]), (1, 1)),
    "r3 max_meals 0 although the volunteer does meals": (
        problem([slot("m", "meal", 12, 13)], [volunteer("v0", does=("meal",), max_meals=0)]), (1, 1)),
    "r3 default max_meals is 0": (
        problem([slot("m", "meal", 12, 13)],
                [{"id": "v0", "does": ["meal"], "available": [{"start": at(0, 0), "end": at(1, 0)}]}]),
        (1, 1)),
    "r3 shift and meal caps are separate": (
        problem([slot("a", "shift", 9, 11), slot("m", "meal", 12, 13)],
                [volunteer("v0", trained=True, does=("shift", "meal"), max_shifts=1, max_meals=1)]), (0, 0)),
    "r3 two meals and max_meals 1": (
        problem([slot("m1", "meal", 12, 13), slot("m2", "meal", 17, 18)],
                [volunteer("v0", does=("meal",), max_meals=1)]), (1, 1)),
    # ---- rule 4: on-the-job training
    "r4 an untrained volunteer alone is not put on a shift": (
        problem([slot("a", "shift", 9, 13)], [volunteer("v0", trained=False)]), (1, 1)),
    "r4 two untrained volunteers are not put on a shift": (
        problem([slot("a", "shift", 9, 13, min=2)], [volunteer("v0"), volunteer("v1")]), (2, 2)),
    "r4 an untrained volunteer beside a trained one": (
        problem([slot("a", "shift", 9, 13, min=2)], [volunteer("v0", trained=True), volunteer("v1")]),
        (0, 0)),
    "r4 does not apply to meals": (
        problem([slot("m", "meal", 12, 13)], [volunteer("v0", does=("meal",), max_meals=1)]), (0, 0)),
    "r4 the trained volunteer is needed on the other shift": (
        problem([slot("a", "shift", 9, 13, target=2), slot("b", "shift", 10, 12)],
                [volunteer("v0", trained=True), volunteer("v1")]), (1, 1)),
    # ---- rule 5: capacity
    "r5 target 0": (
        problem([slot("a", "shift", 9, 13, min=0, target=0)], [volunteer("v0", trained=True)]), (0, 0)),
    # ---- objective
    "level 1 counts min_trained beyond min": (
        problem([slot("a", "shift", 9, 13, min=1, target=2, min_trained=2)],
                [volunteer("v0", trained=True), volunteer("v1")]), (1, 0)),
    "level 1 trained-only shortfall on a meal": (
        problem([slot("m", "meal", 12, 13, min=1, min_trained=1)],
                [volunteer("v0", does=("meal",), max_meals=1)]), (1, 0)),
    "level 1 counts min_trained above min with nobody": (
        problem([slot("a", "shift", 9, 13, min=1, min_trained=2, target=3)], []), (2, 3)),
    "level 2 counts positions below target": (
        problem([slot("a", "shift", 9, 13, min=1, target=3)],
                [volunteer("v0", trained=True), volunteer("v1")]), (0, 1)),
    "level 1 before level 2": (
        problem([slot("a", "shift", 9, 13, min=1, target=1), slot("b", "shift", 11, 15, min=0, target=3)],
                [volunteer("v0", trained=True)]), (0, 3)),
    "min 0 and target 0 slot": (
        problem([slot("a", "shift", 9, 13, min=0)], [volunteer("v0", trained=True)]), (0, 0)),
    # ---- rule 6: pins
    "r6 a pin holds although it costs a position": (
        problem([slot("a", "shift", 9, 13), slot("b", "shift", 11, 15, min=0, target=1)],
                [volunteer("v0", trained=True)], pinned=[("b", "v0")]), (1, 1)),
    "r6 a pinned trainee pulls the trained volunteer beside them": (
        problem([slot("a", "shift", 9, 13, target=2), slot("b", "shift", 9, 13)],
                [volunteer("v0", trained=True), volunteer("v1")], pinned=[("a", "v1")]), (1, 1)),
}

# bad pins: (problem, a text the one stderr/ProblemError line should contain)
BAD_PINS: dict[str, dict] = {
    "pin of an unavailable volunteer": problem(
        [slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, windows=[win(0, 9, 12)])],
        pinned=[("a", "v0")]),
    "pin past the check's expiry": problem(
        [slot("a", "shift", 9, 13)], [volunteer("v0", trained=True, expires="2026-12-03")],
        pinned=[("a", "v0")]),
    "two overlapping pins": problem(
        [slot("a", "shift", 9, 13), slot("b", "shift", 12, 15)],
        [volunteer("v0", trained=True, max_shifts=2)], pinned=[("a", "v0"), ("b", "v0")]),
    "pins over the cap": problem(
        [slot("a", "shift", 9, 13), slot("b", "shift", 13, 17)],
        [volunteer("v0", trained=True)], pinned=[("a", "v0"), ("b", "v0")]),
    "pins over the target": problem(
        [slot("a", "shift", 9, 13, min=1, target=1)],
        [volunteer("v0", trained=True), volunteer("v1", trained=True)], pinned=[("a", "v0"), ("a", "v1")]),
    "pinned trainee with no trained volunteer to join": problem(
        [slot("a", "shift", 9, 13)], [volunteer("v0")], pinned=[("a", "v0")]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bruteforce_matches_hand_count(name: str) -> None:
    doc, expected = CASES[name]
    best = bruteforce.solve(read_problem(doc))
    assert best is not None
    assert (best.unfilled, best.below_target) == expected


@pytest.mark.parametrize("name", list(BAD_PINS))
def test_bruteforce_finds_no_plan_for_bad_pins(name: str) -> None:
    assert bruteforce.solve(read_problem(BAD_PINS[name])) is None


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("name", list(CASES))
def test_engine_matches_hand_count(name: str, solver: str) -> None:
    engine = _engine()
    doc, expected = CASES[name]
    prob = read_problem(doc)
    plan = engine.solve(prob, solver=solver)
    assert (plan.objective.unfilled, plan.objective.below_target) == expected
    assert plan.status == "optimal"
    assert validate(prob, list(plan.assignments)) == []


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("name", list(BAD_PINS))
def test_engine_refuses_bad_pins(name: str, solver: str) -> None:
    engine = _engine()
    with pytest.raises(ProblemError) as err:
        engine.solve(read_problem(BAD_PINS[name]), solver=solver)
    assert err.value.messages
    assert all(m.startswith("pinned[") for m in err.value.messages), err.value.messages


@pytest.mark.parametrize("solver", SOLVERS)
def test_engine_puts_trained_beside_pinned_trainee(solver: str) -> None:
    engine = _engine()
    doc, _ = CASES["r6 a pinned trainee pulls the trained volunteer beside them"]
    plan = engine.solve(read_problem(doc), solver=solver)
    assert {(a.slot, a.volunteer) for a in plan.assignments} == {("a", "v0"), ("a", "v1")}


@pytest.mark.parametrize("solver", SOLVERS)
def test_engine_stays_at_target(solver: str) -> None:
    engine = _engine()
    doc = problem([slot("a", "shift", 9, 13, min=2)], [volunteer(f"v{i}", trained=True) for i in range(4)])
    plan = engine.solve(read_problem(doc), solver=solver)
    assert len(plan.assignments) == 2
    assert plan.unfilled == ()


@pytest.mark.parametrize("solver", SOLVERS)
def test_engine_reports_unfilled_with_reasons(solver: str) -> None:
    engine = _engine()
    doc, _ = CASES["level 1 counts min_trained beyond min"]
    plan = engine.solve(read_problem(doc), solver=solver)
    assert [(u.slot, u.missing, u.missing_trained) for u in plan.unfilled] == [("a", 0, 1)]
    assert plan.unfilled[0].reasons and all(r.strip() for r in plan.unfilled[0].reasons)


