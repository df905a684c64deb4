"""Replacement suggestions, hand edits and the minimal-change re-plan (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime, time

from planner.core.problem import Assignment, BackgroundCheck, Problem, Slot, Volunteer, Window
from planner.core.validate import validate
from planner.engine import repair as gaps

DAY = date(2026, 12, 4)
CLEARED = BackgroundCheck("cleared")


def _at(h: int) -> datetime:
    return datetime.combine(DAY, time(h))


AM = Slot("am", "shift", _at(9), _at(13), 2, 3, 1)
PM = Slot("pm", "shift", _at(13), _at(17), 1, 2, 1)
LONG = Slot("long", "shift", _at(11), _at(15), 1, 2, 0)
DINNER = Slot("dinner", "meal", _at(17), _at(18), 1, 1, 0, False)
ALL_DAY = (Window(_at(8), _at(19)),)


def _vol(vid: str, name: str, **kw) -> Volunteer:
    base = {"trained": True, "background_check": CLEARED, "available": ALL_DAY, "max_shifts": 2}
    return Volunteer(vid, name, **{**base, **kw})


def _problem(volunteers, pinned=()) -> Problem:
    return Problem(slots=(AM, PM, LONG, DINNER), volunteers=tuple(volunteers), pinned=tuple(pinned))


def test_suggestions_are_eligible_and_ranked_fairly() -> None:
    vols = [
        _vol("v1", "Zoe", max_shifts=2),                               # already on pm: 1 assignment
        _vol("v2", "Ana"),                                             # free, no preference
        _vol("v3", "Bea", prefers=frozenset({"am"})),                  # free, prefers am: ahead of Ana
        _vol("v4", "Cy", background_check=BackgroundCheck("pending")),  # rule 1: no check
        _vol("v5", "Di", max_shifts=1),                                # on pm, at cap: rule 3
        _vol("v6", "Ed"),                                              # on long, overlaps am: rule 2
        _vol("v7", "Flo", available=(Window(_at(10), _at(13)),)),      # rule 1: not available
        _vol("v8", "Gus", does=frozenset({"meal"}), max_meals=1),      # rule 1: meals only
        _vol("v9", "Hal"),                                             # on am already
    ]
    plan = [Assignment("pm", "v1"), Assignment("pm", "v5"), Assignment("long", "v6"), Assignment("am", "v9")]
    found = gaps.suggestions(_problem(vols), plan, "am")
    assert [s.name for s in found] == ["Bea", "Ana", "Zoe"]
    assert [(s.assigned_this_week, s.prefers) for s in found] == [(0, True), (0, False), (1, False)]
    for s in found:
        assert validate(_problem(vols), [*plan, Assignment("am", s.volunteer)]) == []
    assert gaps.suggestions(_problem(vols), plan, "am", exclude=["v3"])[0].name == "Ana"
    assert gaps.suggestions(_problem(vols), plan, "nope") == []


def test_a_trainee_is_suggested_only_beside_a_trained_volunteer() -> None:
    vols = [_vol("v1", "Trained"), _vol("v2", "Trainee", trained=False)]
    assert [s.name for s in gaps.suggestions(_problem(vols), [], "am")] == ["Trained"]
    with_trained = [Assignment("am", "v1")]
    assert [s.name for s in gaps.suggestions(_problem(vols), with_trained, "am")] == ["Trainee"]


def test_a_full_slot_gets_no_suggestions() -> None:
    vols = [_vol(f"v{i}", f"P{i}") for i in range(5)]
    full = [Assignment("pm", "v0"), Assignment("pm", "v1")]
    assert gaps.suggestions(_problem(vols), full, "pm") == []


def test_hand_edits_name_the_rule_they_break() -> None:
    vols = [_vol("v1", "Ana"), _vol("v2", "Trainee", trained=False), _vol("v3", "Pending",
                                                                           background_check=BackgroundCheck())]
    problem = _problem(vols, pinned=[Assignment("pm", "v1")])
    plan = [Assignment("am", "v1"), Assignment("am", "v2"), Assignment("pm", "v1")]
    after, breaks = gaps.remove_person(problem, plan, "am", "v1")
    assert [b.rule for b in breaks] == [4]
    assert gaps.describe(breaks[0]).startswith("Breaks rule 4, a trainee needs a trained volunteer")
    assert Assignment("am", "v1") not in after
    _, breaks = gaps.remove_person(problem, plan, "pm", "v1")
    assert [b.rule for b in breaks] == [6]
    _, breaks = gaps.add_person(problem, plan, "long", "v1")
    assert {b.rule for b in breaks} == {2, 3}
    _, breaks = gaps.add_person(problem, plan, "pm", "v3")
    assert [b.rule for b in breaks] == [1] and "no cleared background check" in breaks[0].message
    _, breaks = gaps.add_person(problem, plan, "am", "v1")
    assert "already on am" in breaks[0].message
    after, breaks = gaps.remove_person(problem, plan, "am", "v2")
    assert breaks == [] and len(after) == 2
    _, breaks = gaps.remove_person(problem, plan, "dinner", "v2")
    assert "not on dinner" in breaks[0].message


def test_older_breaches_do_not_block_an_unrelated_edit() -> None:
    vols = [_vol("v1", "Ana", available=()), _vol("v2", "Bea")]  # Ana's availability changed since
    plan = [Assignment("am", "v1")]
    _, breaks = gaps.add_person(_problem(vols), plan, "pm", "v2")
    assert breaks == []


def test_keep_pins_drops_assignments_that_no_longer_hold() -> None:
    vols = [_vol("v1", "Ana", available=()), _vol("v2", "Bea"), _vol("v3", "Trainee", trained=False)]
    published = [Assignment("am", "v1"), Assignment("pm", "v2"), Assignment("am", "v3")]
    kept = gaps.keep_pins(_problem(vols), published)
    assert set(kept.pinned) == {Assignment("pm", "v2")}  # Ana unavailable; trainee left without trained


def test_minimal_replan_keeps_the_published_plan_and_fills_the_gap() -> None:
    vols = [_vol("v1", "Ana", max_shifts=1), _vol("v2", "Bea", max_shifts=1), _vol("v3", "Cy", max_shifts=1),
            _vol("v4", "Di", max_shifts=1, does=frozenset({"shift", "meal"}), max_meals=1)]
    published = [Assignment("am", "v1"), Assignment("pm", "v2")]
    plan = gaps.minimal_replan(_problem(vols), published, time_limit=10)
    assert set(published) <= set(plan.assignments)
    assert validate(_problem(vols), list(plan.assignments)) == []
    assert plan.objective.unfilled < 3
