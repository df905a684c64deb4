"""What a plan optimises: the contract's two levels, then the project's soft goals.

Every term carries a name a coordinator can read, so the app can say what a
plan traded away ("2 preferred slots not given").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from planner.core.problem import Slot
from planner.engine.linear import Expr
from planner.engine.rules import PlanModel


def unfilled_positions(m: PlanModel, slots: Iterable[Slot] | None = None) -> Expr:
    """Level 1: sum over slots of max(0, min - assigned, min_trained - assigned_trained)."""
    total = Expr()
    for slot in m.problem.slots if slots is None else slots:
        need = max(slot.min, slot.min_trained)
        if need == 0:
            continue
        u = m.lp.var(f"unfilled[{slot.id}]", 0, need)
        total.add(u)
        assigned = m.assigned(slot)
        m.lp.add({u: 1, **assigned.terms}, lower=slot.min)
        if slot.min_trained:
            trained = m.assigned(slot, trained_only=True)
            m.lp.add({u: 1, **trained.terms}, lower=slot.min_trained)
    return total


def positions_below_target(m: PlanModel) -> Expr:
    """Level 2: sum over slots of target - assigned (rule 5 keeps it >= 0)."""
    total = Expr(constant=sum(slot.target for slot in m.problem.slots))
    for slot in m.problem.slots:
        for var in m.assigned(slot).terms:
            total.add(var, -1)
    return total


@dataclass(frozen=True)
class SoftGoal:
    name: str
    weight: int
    expr: Expr


def changes_from_published_plan(m: PlanModel) -> Expr:
    """Each previous assignment dropped and each new one added counts once."""
    slots = {s.id for s in m.problem.slots}
    volunteers = {v.id for v in m.problem.volunteers}
    previous = {(a.volunteer, a.slot) for a in m.problem.previous
                if a.slot in slots and a.volunteer in volunteers}
    expr = Expr()
    if not previous:
        return expr
    expr.constant = len(previous)
    for pair, var in m.x.items():
        expr.add(var, -1 if pair in previous else 1)
    return expr


def preferred_slots_not_given(m: PlanModel) -> Expr:
    """Each slot a volunteer prefers and is not given counts once (also when they cannot take it)."""
    slots = {s.id for s in m.problem.slots}
    expr = Expr(constant=sum(len(v.prefers & slots) for v in m.problem.volunteers))
    for (vid, slot_id), var in m.x.items():
        if slot_id in m.problem.volunteer(vid).prefers:
            expr.add(var, -1)
    return expr


def most_shifts_for_one_person(m: PlanModel) -> Expr:
    """Min-max load: the most shifts any one person is given, so nobody is far above their share."""
    shifts = {vid: [s for s in slots if s.kind == "shift"] for vid, slots in m.by_volunteer.items()}
    shifts = {vid: slots for vid, slots in shifts.items() if slots}
    if not shifts:
        return Expr()
    most = max(min(m.problem.volunteer(vid).max_shifts, len(slots)) for vid, slots in shifts.items())
    top = m.lp.var("most_shifts", 0, most)
    for vid, slots in shifts.items():
        m.lp.add({top: 1, **{m.x[vid, s.id]: -1 for s in slots}}, lower=0)
    m.most_shifts = top
    return Expr({top: 1})


def consecutive_days_not_asked_for(m: PlanModel) -> Expr:
    """A person on two days in a row, unless they prefer slots on both days."""
    expr = Expr()
    for vid, slots in m.by_volunteer.items():
        vol = m.problem.volunteer(vid)
        if vol.max_shifts + vol.max_meals < 2:
            continue
        days: dict = defaultdict(list)
        for slot in slots:
            days[slot.day].append(slot)
        preferred_days = {s.day for s in m.problem.slots if s.id in vol.prefers}
        on_day: dict = {}
        for day in sorted(days):
            after = day + timedelta(days=1)
            if after not in days or {day, after} <= preferred_days:
                continue
            for d in (day, after):
                if d not in on_day:
                    on_day[d] = m.lp.var(f"works[{vid},{d}]")
                    for slot in days[d]:
                        m.lp.add({on_day[d]: 1, m.x[vid, slot.id]: -1}, lower=0)
            both = m.lp.var(f"consecutive[{vid},{day}]")
            m.lp.add({both: 1, on_day[day]: -1, on_day[after]: -1}, lower=-1)
            expr.add(both)
    return expr


def shifts_not_given_to_trainees(m: PlanModel) -> Expr:
    """Each shift a trainee the pipeline waits on (`in_training`) could take and is not given counts once.

    Up to their weekly cap and the shifts they could take at all; rule 4 keeps
    each of them beside a trained volunteer, so these shifts are their training.
    """
    expr = Expr()
    for vid, slots in m.by_volunteer.items():
        vol = m.problem.volunteer(vid)
        shifts = [s for s in slots if s.kind == "shift"]
        if not vol.in_training or vol.trained or not shifts:
            continue
        expr.constant += min(vol.max_shifts, len(shifts))
        for slot in shifts:
            expr.add(m.x[vid, slot.id], -1)
    return expr


def soft_goals(m: PlanModel) -> list[SoftGoal]:
    goals = [
        SoftGoal("changes from the published plan", 4, changes_from_published_plan(m)),
        SoftGoal("preferred slots not given", 2, preferred_slots_not_given(m)),
        SoftGoal("most shifts for one person", 2, most_shifts_for_one_person(m)),
        SoftGoal("consecutive days not asked for", 1, consecutive_days_not_asked_for(m)),
        SoftGoal("shifts not given to trainees", 3, shifts_not_given_to_trainees(m)),
    ]
    # A goal no plan can move (no terms, no constant) is left out of the plan's report.
    return [g for g in goals if g.expr.terms or g.expr.constant]


def weighted(goals: list[SoftGoal]) -> Expr:
    total = Expr()
    for goal in goals:
        total.constant += goal.weight * goal.expr.constant
        for var, coef in goal.expr.terms.items():
            total.add(var, goal.weight * coef)
    return total
