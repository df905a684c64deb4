"""`planner.core.validate` flags each hard rule's breach, names the rule, and passes a valid plan."""

from __future__ import annotations

import pytest

from planner.core.plan import Objective
from planner.core.problem import Assignment, read_problem
from planner.core.validate import check_pins, measure, validate
from tests.strategies import at, problem, slot, volunteer

ROSTER = [
    volunteer("lead", trained=True, does=("shift", "meal"), max_shifts=2, max_meals=1),
    volunteer("new", trained=False, does=("shift",), max_shifts=2),
    volunteer("cook", does=("meal",), max_meals=1, check=None),
    volunteer("late", trained=True, windows=[(at(0, 13), at(0, 17))]),
    volunteer("lapsed", trained=True, expires="2026-12-03"),
]
SLOTS = [
    slot("am", "shift", 9, 13, min=2, target=2),
    slot("mid", "shift", 11, 15, min=1, target=2),
    slot("pm", "shift", 13, 17, min=1, target=2),
    slot("lunch", "meal", 12, 13, min=1, target=2),
]
DOC = problem(SLOTS, ROSTER, pinned=[("lunch", "cook")])


def plan(*pairs: str) -> list[Assignment]:
    return [Assignment(*p.split("/")) for p in pairs]


VALID = plan("am/lead", "am/new", "lunch/cook", "pm/late")

# name -> (assignments, the one rule it breaks)
BROKEN = {
    "rule 1, does": (plan("am/lead", "am/new", "lunch/cook", "pm/late", "pm/cook"), 1),
    "rule 1, availability": (plan("am/lead", "am/new", "lunch/cook", "mid/late"), 1),
    "rule 1, expired check": (plan("am/lead", "am/new", "lunch/cook", "pm/lapsed"), 1),
    "rule 2, overlap": (plan("am/lead", "am/new", "lunch/cook", "mid/lead"), 2),
    "rule 2, meal inside a shift": (plan("lunch/cook", "lunch/lead", "mid/lead"), 2),
    "rule 4, trainee alone": (plan("am/lead", "lunch/cook", "pm/new"), 4),
    "rule 5, over target": (plan("lunch/cook", "pm/late", "pm/lead", "pm/new"), 5),
    "rule 5, twice on a slot": (plan("lunch/cook", "am/lead", "am/lead"), 5),
    "rule 6, pin missing": (plan("am/lead", "am/new"), 6),
}


def test_valid_plan_has_no_breach() -> None:
    prob = read_problem(DOC)
    assert validate(prob, VALID) == []
    assert check_pins(prob) == []


@pytest.mark.parametrize("name", list(BROKEN))
def test_each_breach_is_flagged_with_its_rule(name: str) -> None:
    assignments, rule = BROKEN[name]
    breaches = validate(read_problem(DOC), assignments)
    assert breaches, name
    assert {b.rule for b in breaches} == {rule}
    assert all(b.message for b in breaches)


def test_cap_breach() -> None:
    doc = problem([slot("a", "shift", 9, 13), slot("b", "shift", 13, 17), slot("m1", "meal", 12, 13),
                   slot("m2", "meal", 17, 18)],
                  [volunteer("v", trained=True, does=("shift", "meal"), max_shifts=1, max_meals=1)])
    prob = read_problem(doc)
    assert validate(prob, plan("a/v", "m2/v")) == []
    assert {b.rule for b in validate(prob, plan("a/v", "b/v"))} == {3}
    assert {b.rule for b in validate(prob, plan("m1/v", "m2/v"))} == {3}


def test_touching_slots_are_no_breach() -> None:
    doc = problem([slot("a", "shift", 9, 13), slot("b", "shift", 13, 17)],
                  [volunteer("v", trained=True, max_shifts=2)])
    assert validate(read_problem(doc), plan("a/v", "b/v")) == []


def test_check_expiring_on_the_slot_day_is_no_breach() -> None:
    doc = problem([slot("a", "shift", 9, 13)], [volunteer("v", trained=True, expires="2026-12-04")])
    assert validate(read_problem(doc), plan("a/v")) == []


def test_adjacent_windows_do_not_hold_a_slot_across_them() -> None:
    doc = problem([slot("a", "shift", 10, 14)],
                  [volunteer("v", trained=True, windows=[(at(0, 9), at(0, 13)), (at(0, 13), at(0, 17))])])
    assert {b.rule for b in validate(read_problem(doc), plan("a/v"))} == {1}


def test_unknown_ids_are_reported() -> None:
    breaches = validate(read_problem(DOC), plan("nowhere/lead", "am/nobody"))
    assert len(breaches) == 2


def test_measure_follows_the_formulas() -> None:
    prob = read_problem(DOC)
    # am 2/2, mid 0 of min 1 target 2, pm 1 of 2, lunch 1 of 2
    assert measure(prob, VALID) == Objective(unfilled=1, below_target=4)
    doc = problem([slot("a", "shift", 9, 13, min=1, target=3, min_trained=2)],
                  [volunteer("t", trained=True), volunteer("u")])
    assert measure(read_problem(doc), plan("a/t", "a/u")) == Objective(unfilled=1, below_target=1)
    assert measure(read_problem(doc), []) == Objective(unfilled=2, below_target=3)
