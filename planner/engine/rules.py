"""The hard rules of a plan, one function each, as constraints on the model.

Rule 1 decides which (volunteer, slot) variables exist at all, so the model
holds no variable that rule 1 already forbids.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.core.problem import Problem, Slot, Volunteer
from planner.core.validate import eligible
from planner.engine.linear import Expr, LinearModel


@dataclass
class PlanModel:
    problem: Problem
    lp: LinearModel = field(default_factory=LinearModel)
    # x[(volunteer id, slot id)] -> variable index, for eligible pairs only
    x: dict[tuple[str, str], int] = field(default_factory=dict)
    by_slot: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_volunteer: dict[str, list[Slot]] = field(default_factory=lambda: defaultdict(list))
    # People from outside the roster (what-if recruits): per slot, integer
    # count variables with whether they are trained.
    outside: dict[str, list[tuple[int, bool]]] = field(default_factory=lambda: defaultdict(list))
    # The variable of the "most shifts for one person" goal (goals.py), for the warm start.
    most_shifts: int | None = None

    def assigned(self, slot: Slot, trained_only: bool = False) -> Expr:
        expr = Expr()
        for vid in self.by_slot[slot.id]:
            if not trained_only or self.problem.volunteer(vid).trained:
                expr.add(self.x[vid, slot.id])
        for var, trained in self.outside[slot.id]:
            if trained or not trained_only:
                expr.add(var)
        return expr

    def trained_can_join(self, slot_id: str) -> bool:
        return any(trained for _, trained in self.outside[slot_id])


def _around(problem: Problem) -> dict[str, list[Volunteer]]:
    """Per slot, in roster order, the volunteers with a window that contains it.

    A sweep over slots sorted by start, so rule 1 is checked only on these
    pairs rather than on every volunteer and slot (a third of the time of
    building a 1000-volunteer model went there).
    """
    slots = sorted(problem.slots, key=lambda s: s.start)
    starts = [s.start for s in slots]
    around: dict[str, list[Volunteer]] = defaultdict(list)
    for vol in problem.volunteers:
        seen: set[str] = set()
        for window in vol.available:
            for slot in slots[bisect_left(starts, window.start):bisect_right(starts, window.end)]:
                if slot.end <= window.end and slot.id not in seen:
                    seen.add(slot.id)
                    around[slot.id].append(vol)
    return around


def rule_1_eligibility(m: PlanModel) -> None:
    """One variable per pair allowed by kind, availability and background check.

    An untrained volunteer gets no variable on a shift where no trained
    volunteer is eligible, since rule 4 could never let them work it.
    """
    trained_on: set[str] = {slot.id for slot in m.problem.slots if m.trained_can_join(slot.id)}
    around = _around(m.problem)
    pairs = []
    for slot in m.problem.slots:
        for vol in around[slot.id]:
            if vol.cap(slot.kind) > 0 and eligible(vol, slot):
                pairs.append((vol, slot))
                if vol.trained:
                    trained_on.add(slot.id)
    pinned = set(m.problem.pinned)
    for vol, slot in pairs:
        lonely_trainee = slot.kind == "shift" and not vol.trained and slot.id not in trained_on
        if lonely_trainee and not any(p.volunteer == vol.id and p.slot == slot.id for p in pinned):
            continue
        m.x[vol.id, slot.id] = m.lp.var(f"x[{vol.id},{slot.id}]")
        m.by_slot[slot.id].append(vol.id)
        m.by_volunteer[vol.id].append(slot)


def overlap_groups(slots: list[Slot]) -> list[list[Slot]]:
    """Maximal groups of pairwise-overlapping slots (cliques of an interval graph).

    A sweep over start times: the slots running at a start time form a clique,
    and every maximal clique is one of these.
    """
    starts: dict = defaultdict(list)
    for slot in slots:
        starts[slot.start].append(slot)
    groups: list[list[Slot]] = []
    active: list[Slot] = []
    for start in sorted(starts):
        active = [s for s in active if s.end > start] + starts[start]
        if len(active) > 1:
            if groups and set(map(id, groups[-1])) <= set(map(id, active)):
                groups.pop()
            groups.append(list(active))
    return groups


def rule_2_no_overlap(m: PlanModel) -> None:
    for vid, slots in m.by_volunteer.items():
        for group in overlap_groups(slots):
            m.lp.add({m.x[vid, s.id]: 1 for s in group}, upper=1)


def rule_3_weekly_caps(m: PlanModel) -> None:
    for vid, slots in m.by_volunteer.items():
        vol = m.problem.volunteer(vid)
        for kind in ("shift", "meal"):
            mine = [s for s in slots if s.kind == kind]
            if len(mine) > vol.cap(kind):
                m.lp.add({m.x[vid, s.id]: 1 for s in mine}, upper=vol.cap(kind))


def rule_4_trainee_beside_trained(m: PlanModel) -> None:
    """x[trainee, s] <= led[s] <= sum of trained x on s.

    The per-slot "led" flag keeps the model linear in size; tying each
    trainee to the whole trained sum would grow as trainees x trained.
    """
    for slot in m.problem.slots:
        trainees = [m.x[v, slot.id] for v in m.by_slot[slot.id] if not m.problem.volunteer(v).trained]
        outside = [var for var, trained in m.outside[slot.id] if not trained]
        if slot.kind != "shift" or not (trainees or outside):
            continue
        led = m.lp.var(f"led[{slot.id}]")
        trained = m.assigned(slot, trained_only=True)
        m.lp.add({led: 1, **{v: -c for v, c in trained.terms.items()}}, upper=0)
        for var in trainees:
            m.lp.add({var: 1, led: -1}, upper=0)
        for var in outside:
            m.lp.add({var: 1, led: -slot.target}, upper=0)


def rule_5_capacity(m: PlanModel) -> None:
    for slot in m.problem.slots:
        if len(m.by_slot[slot.id]) > slot.target or m.outside[slot.id]:
            m.lp.add(dict(m.assigned(slot).terms), upper=slot.target)


def rule_6_pins_hold(m: PlanModel) -> None:
    for pin in m.problem.pinned:
        var = m.x[pin.volunteer, pin.slot]
        m.lp.lower[var] = 1


RULES = (rule_1_eligibility, rule_2_no_overlap, rule_3_weekly_caps,
         rule_4_trainee_beside_trained, rule_5_capacity, rule_6_pins_hold)


def build_rules(problem: Problem, outside: Callable[[PlanModel], None] | None = None) -> PlanModel:
    """The model of every hard rule; `outside` adds non-roster people first."""
    model = PlanModel(problem)
    if outside is not None:
        outside(model)
    for rule in RULES:
        rule(model)
    return model
