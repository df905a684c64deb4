"""An independent checker of the hard rules and the objective on any plan.

It shares nothing with the optimisation model but the rule-1 eligibility test,
so a plan the engine returns, a plan a coordinator edited by hand, and a plan
from another tool are all judged the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from planner.core.labels import plural
from planner.core.plan import Objective
from planner.core.problem import Assignment, Problem, Slot, Volunteer


@dataclass(frozen=True)
class Breach:
    rule: int
    message: str


def why_not_eligible(volunteer: Volunteer, slot: Slot) -> str | None:
    """Rule 1, or None when the volunteer may be put on the slot."""
    if slot.kind not in volunteer.does:
        return f"{volunteer.id} does not do {slot.kind}s"
    if not any(w.contains(slot.start, slot.end) for w in volunteer.available):
        return f"{volunteer.id} is not available for {slot.id}"
    if slot.needs_background_check and not volunteer.background_check.valid_on(slot.day):
        check = volunteer.background_check
        if check.status == "cleared":
            return f"{volunteer.id}'s background check expired on {check.expires} (before {slot.day})"
        return f"{volunteer.id} has no cleared background check ({check.status})"
    return None


def eligible(volunteer: Volunteer, slot: Slot) -> bool:
    return why_not_eligible(volunteer, slot) is None


def _by_volunteer(problem: Problem, assignments: list[Assignment]) -> dict[str, list[Slot]]:
    out: dict[str, list[Slot]] = defaultdict(list)
    for a in assignments:
        out[a.volunteer].append(problem.slot(a.slot))
    return out


def _by_slot(assignments: list[Assignment]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for a in assignments:
        out[a.slot].append(a.volunteer)
    return out


def rule_1_eligibility(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    return [Breach(1, reason) for a in assignments
            if (reason := why_not_eligible(problem.volunteer(a.volunteer), problem.slot(a.slot)))]


def rule_2_no_overlap(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    breaches = []
    for vid, slots in _by_volunteer(problem, assignments).items():
        for a, b in combinations(slots, 2):
            if a.id != b.id and a.overlaps(b):
                breaches.append(Breach(2, f"{vid} is on {a.id} and {b.id}, which overlap"))
    return breaches


def rule_3_weekly_caps(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    breaches = []
    for vid, slots in _by_volunteer(problem, assignments).items():
        volunteer = problem.volunteer(vid)
        for kind in ("shift", "meal"):
            count = sum(1 for s in slots if s.kind == kind)
            if count > volunteer.cap(kind):
                breaches.append(Breach(3, f"{vid} would have {plural(count, kind)}, more than their weekly "
                                          f"cap of {volunteer.cap(kind)}"))
    return breaches


def rule_4_trainee_beside_trained(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    breaches = []
    for slot_id, vids in _by_slot(assignments).items():
        slot = problem.slot(slot_id)
        if slot.kind != "shift" or any(problem.volunteer(v).trained for v in vids):
            continue
        breaches.extend(Breach(4, f"{v} is untrained on {slot_id} with no trained volunteer")
                        for v in vids)
    return breaches


def rule_5_capacity(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    breaches = []
    for slot_id, vids in _by_slot(assignments).items():
        slot = problem.slot(slot_id)
        if len(vids) > slot.target:
            breaches.append(Breach(5, f"{slot_id} has {len(vids)} people, more than its target of "
                                      f"{slot.target}"))
        for v in sorted({v for v in vids if vids.count(v) > 1}):
            breaches.append(Breach(5, f"{v} is on {slot_id} more than once"))
    return breaches


def rule_6_pins_hold(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    present = set(assignments)
    return [Breach(6, f"pinned {p.volunteer} on {p.slot} is missing") for p in problem.pinned
            if p not in present]


RULES = (rule_1_eligibility, rule_2_no_overlap, rule_3_weekly_caps,
         rule_4_trainee_beside_trained, rule_5_capacity, rule_6_pins_hold)


def unknown_references(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    breaches = []
    for i, a in enumerate(assignments):
        if not problem.has_slot(a.slot):
            breaches.append(Breach(0, f"assignments[{i}].slot: no slot {a.slot!r}"))
        elif not problem.has_volunteer(a.volunteer):
            breaches.append(Breach(0, f"assignments[{i}].volunteer: no volunteer {a.volunteer!r}"))
    return breaches


def validate(problem: Problem, assignments: list[Assignment]) -> list[Breach]:
    """Every breach of hard rules 1-6; empty when the plan is valid."""
    unknown = unknown_references(problem, assignments)
    if unknown:
        return unknown
    return [b for rule in RULES for b in rule(problem, assignments)]


def slot_shortfall(slot: Slot, assigned: int, trained: int) -> tuple[int, int]:
    """(missing, missing_trained) for one slot."""
    return max(0, slot.min - assigned), max(0, slot.min_trained - trained)


def measure(problem: Problem, assignments: list[Assignment]) -> Objective:
    """Objective levels 1 and 2, computed from the spec's formulas."""
    by_slot = _by_slot(assignments)
    unfilled = below = 0
    for slot in problem.slots:
        vids = by_slot.get(slot.id, [])
        trained = sum(1 for v in vids if problem.volunteer(v).trained)
        missing, missing_trained = slot_shortfall(slot, len(vids), trained)
        unfilled += max(missing, missing_trained)
        below += max(0, slot.target - len(vids))
    return Objective(unfilled, below)


def check_pins(problem: Problem) -> list[str]:
    """Pins that break rules 1-3 or 5 on their own, placed as `pinned[i]`.

    Rule 4 is left to the solver, which may add a trained volunteer beside a
    pinned trainee; when none can be added the solve reports it.
    """
    messages = []
    index = {pin: i for i, pin in enumerate(problem.pinned)}
    pins = list(problem.pinned)
    for pin in pins:
        reason = why_not_eligible(problem.volunteer(pin.volunteer), problem.slot(pin.slot))
        if reason:
            messages.append(f"pinned[{index[pin]}]: {reason}")
    for vid, slots in _by_volunteer(problem, pins).items():
        for a, b in combinations(slots, 2):
            if a.overlaps(b):
                messages.append(f"pinned[{index[Assignment(b.id, vid)]}]: {vid} is also pinned to "
                                f"{a.id}, which overlaps {b.id}")
        volunteer = problem.volunteer(vid)
        for kind in ("shift", "meal"):
            mine = [s for s in slots if s.kind == kind]
            if len(mine) > volunteer.cap(kind):
                last = index[Assignment(mine[-1].id, vid)]
                messages.append(f"pinned[{last}]: {vid} would be pinned to {plural(len(mine), kind)}, more "
                                f"than their weekly cap of {volunteer.cap(kind)}")
    for slot_id, vids in _by_slot(pins).items():
        slot = problem.slot(slot_id)
        if len(vids) > slot.target:
            last = index[Assignment(slot_id, vids[-1])]
            messages.append(f"pinned[{last}]: {len(vids)} people pinned to {slot_id}, more than its "
                            f"target of {slot.target}")
    return messages
