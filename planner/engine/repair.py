"""Filling gaps and hand edits: who can step in, and is a changed plan still within the rules.

Pure (no Streamlit, no SQL). Every change is judged by `planner.core.validate`, the
same checker the engine's plans are held to, so a hand edit or a replacement
can never publish a plan the engine would refuse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.core.plan import Plan
from planner.core.problem import Assignment, Problem
from planner.core.validate import Breach, check_pins, validate
from planner.engine.solve import solve

RULE_NAMES = {
    0: "unknown slot or volunteer",
    1: "rule 1, eligibility (does the kind, available, background check)",
    2: "rule 2, no overlapping slots",
    3: "rule 3, weekly cap",
    4: "rule 4, a trainee needs a trained volunteer on the shift",
    5: "rule 5, at most the target, each person once",
    6: "rule 6, pins hold",
}


@dataclass(frozen=True)
class Suggestion:
    """A volunteer who can fill a gap, with what the ranking looked at."""

    volunteer: str
    name: str
    assigned_this_week: int
    prefers: bool
    trained: bool


def new_breaches(problem: Problem, before: Sequence[Assignment], after: Sequence[Assignment]) -> list[Breach]:
    """Breaches `after` has that `before` had not: a change is judged by what it breaks, not by
    older problems (a volunteer whose availability changed since publishing) it did not cause."""
    return _new(problem, _known(problem, before), after)


def _known(problem: Problem, assignments: Sequence[Assignment]) -> set[tuple[int, str]]:
    return {(b.rule, b.message) for b in validate(problem, list(assignments))}


def _new(problem: Problem, known: set[tuple[int, str]], after: Sequence[Assignment]) -> list[Breach]:
    return [b for b in validate(problem, list(after)) if (b.rule, b.message) not in known]


def describe(breach: Breach) -> str:
    """`Breaks rule 3, weekly cap: v07 has 2 shifts, more than the cap of 1`."""
    return f"Breaks {RULE_NAMES.get(breach.rule, f'rule {breach.rule}')}: {breach.message}"


def add_person(problem: Problem, assignments: Sequence[Assignment], slot_id: str,
               volunteer: str) -> tuple[list[Assignment], list[Breach]]:
    """The plan with `volunteer` added on `slot_id`, and what that breaks (empty = allowed)."""
    added = Assignment(slot_id, volunteer)
    if added in assignments:
        return list(assignments), [Breach(5, f"{volunteer} is already on {slot_id}")]
    after = [*assignments, added]
    return after, new_breaches(problem, assignments, after)


def remove_person(problem: Problem, assignments: Sequence[Assignment], slot_id: str,
                  volunteer: str) -> tuple[list[Assignment], list[Breach]]:
    """The plan without `volunteer` on `slot_id`, and what that breaks (a pin, a trainee left alone)."""
    removed = Assignment(slot_id, volunteer)
    if removed not in assignments:
        return list(assignments), [Breach(0, f"{volunteer} is not on {slot_id}")]
    after = [a for a in assignments if a != removed]
    return after, new_breaches(problem, assignments, after)


def suggestions(problem: Problem, assignments: Sequence[Assignment], slot_id: str,
                exclude: Iterable[str] = ()) -> list[Suggestion]:
    """Who can be added to the slot without breaking a rule, fairest first.

    Fair means: fewest assignments this week first, then those who prefer the
    slot, then by name. Eligibility, overlaps, caps, the target and the trainee
    rule are all checked by adding the person and validating the plan.
    """
    if not problem.has_slot(slot_id):
        return []
    skip = set(exclude) | {a.volunteer for a in assignments if a.slot == slot_id}
    counts = Counter(a.volunteer for a in assignments)
    known = _known(problem, assignments)
    out = []
    for vol in problem.volunteers:
        if vol.id in skip:
            continue
        if not _new(problem, known, [*assignments, Assignment(slot_id, vol.id)]):
            out.append(Suggestion(vol.id, vol.name or vol.id, counts[vol.id], slot_id in vol.prefers,
                                  vol.trained))
    return sorted(out, key=lambda s: (s.assigned_this_week, not s.prefers, s.name.casefold(), s.volunteer))


def keep_pins(problem: Problem, assignments: Iterable[Assignment]) -> Problem:
    """The problem with every still-valid assignment pinned (besides the coordinator's own pins).

    An assignment is kept only when it breaks no rule together with those kept
    before it, and an untrained volunteer on a shift only beside a kept trained
    one, so the re-plan can always honour the pins.
    """
    pins = list(dict.fromkeys(problem.pinned))
    for a in sorted(set(assignments) - set(pins),
                    key=lambda a: (not (problem.has_volunteer(a.volunteer)
                                        and problem.volunteer(a.volunteer).trained), a)):
        if not (problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)):
            continue
        if pin_problems(problem.with_pins(tuple(pins)), a):
            continue
        vol, slot = problem.volunteer(a.volunteer), problem.slot(a.slot)
        if slot.kind == "shift" and not vol.trained and not any(
                p.slot == a.slot and problem.volunteer(p.volunteer).trained for p in pins):
            continue
        pins.append(a)
    return problem.with_pins(tuple(pins))


def minimal_replan(problem: Problem, published: Sequence[Assignment], *,
                   time_limit: float | None = 20.0) -> Plan:
    """Re-plan keeping every published assignment that still holds; only the gaps are refilled.

    Raises `planner.core.errors.ProblemError` when the coordinator's own pins break the rules.
    """
    return solve(keep_pins(problem, published), time_limit=time_limit)


def pin_problems(problem: Problem, pin: Assignment) -> list[str]:
    """Why a new pin would break the rules together with the existing pins (empty when fine)."""
    if pin in problem.pinned:
        return []
    index = len(problem.pinned)
    trial = problem.with_pins((*problem.pinned, pin))
    return [m for m in check_pins(trial) if m.startswith(f"pinned[{index}]")]
