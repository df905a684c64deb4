"""An independent exhaustive solver for tiny problems, written from the spec's words.

It shares no code with the engine or with `planner.core.validate`: eligibility, overlap,
caps, on-the-job training, capacity and pins are re-implemented here straight from
../shared/spec/planner-json.md, on the plain fields of the `planner.core.problem` dataclasses.

Search: slot by slot, every subset of the people who may still take the slot
(branch and bound on a lower bound that only grows, so the optimum is exact).
The soft goals (level 3, from the README's table) are counted on the slots
decided so far; each count only grows as more slots are decided, so they
join the bound as a third, lexicographic level.
What-if recruits are interchangeable within their pool (shift/meal x trained/not),
so a fresh recruit is only taken after the lower-numbered fresh ones of its pool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import combinations, product
from math import comb

from planner.core.problem import Candidate, Problem, Slot, Volunteer

LIMIT = 400_000  # search nodes before giving up (the caller skips the example)


class TooBig(Exception):
    """The exhaustive search would take too long; skip this example."""


# ---------------------------------------------------------------- the rules, from the spec


def may_take(volunteer: Volunteer, slot: Slot) -> bool:
    """Rule 1: kind in `does`, one window holds the whole slot, a check valid on the slot's date."""
    if slot.kind not in volunteer.does:
        return False
    if not any(w.start <= slot.start and slot.end <= w.end for w in volunteer.available):
        return False
    if slot.needs_background_check:
        check = volunteer.background_check
        if check.status != "cleared":
            return False
        if check.expires is not None and slot.start.date() > check.expires:
            return False
    return True


def overlap(a: Slot, b: Slot) -> bool:
    """Rule 2: 09-13 and 13-17 do not overlap."""
    return a.start < b.end and b.start < a.end


def slot_unfilled(slot: Slot, assigned: int, trained: int) -> int:
    return max(0, slot.min - assigned, slot.min_trained - trained)


def slot_below(slot: Slot, assigned: int) -> int:
    return max(0, slot.target - assigned)


# ---------------------------------------------------------------- the soft goals, from the README

SOFT_WEIGHTS = {"changes from the published plan": 4, "preferred slots not given": 2,
                "most shifts for one person": 2, "consecutive days not asked for": 1,
                "shifts not given to trainees": 3}


def trainee_shifts(problem: Problem, volunteer: Volunteer) -> list[Slot]:
    """The shifts a trainee could take: rule 1 allows them and rule 4 can hold there (a trained person
    could join), or they are pinned there."""
    pinned = {(p.slot, p.volunteer) for p in problem.pinned}
    return [s for s in problem.slots
            if s.kind == "shift" and volunteer.max_shifts > 0 and may_take(volunteer, s)
            and ((s.id, volunteer.id) in pinned
                 or any(u.trained and u.max_shifts > 0 and may_take(u, s) for u in problem.volunteers))]


def soft_goals(problem: Problem, plan: list[tuple[str, str]],
               decided: tuple[Slot, ...] | None = None) -> dict[str, int]:
    """Each soft goal of a plan ((slot, volunteer) pairs), counted on the `decided` slots (default all).

    - changes: a published (`previous`) assignment not kept, or an assignment not published;
      nothing when there is no published plan;
    - preferred slots not given: a slot in someone's `prefers` they are not on;
    - most shifts for one person: the largest number of shift slots anyone has;
    - consecutive days: a person on slots on two calendar days in a row, unless they prefer
      a slot on each of the two days;
    - shifts not given to trainees: per untrained volunteer `in_training`, the shifts they could
      take (up to their cap) minus those they are given. On part of the slots: what no choice on the
      rest can lower (never below 0).
    """
    slots = {s.id: s for s in problem.slots}
    people = {v.id: v for v in problem.volunteers}
    decided_ids = set(slots) if decided is None else {s.id for s in decided}
    given = set(plan)
    published = {(a.slot, a.volunteer) for a in problem.previous if a.slot in slots and a.volunteer in people}
    changes = 0
    if published:
        changes = sum(1 for pair in published if pair[0] in decided_ids and pair not in given)
        changes += sum(1 for pair in given if pair not in published)
    missed = sum(1 for v in problem.volunteers for sid in v.prefers
                 if sid in decided_ids and (sid, v.id) not in given)
    shifts: dict[str, int] = {}
    days: dict[str, set] = {}
    for sid, vid in given:
        if slots[sid].kind == "shift":
            shifts[vid] = shifts.get(vid, 0) + 1
        days.setdefault(vid, set()).add(slots[sid].start.date())
    in_a_row = 0
    for vid, worked in days.items():
        liked = {slots[sid].start.date() for sid in people[vid].prefers if sid in slots}
        in_a_row += sum(1 for d in worked if d + timedelta(days=1) in worked
                        and not {d, d + timedelta(days=1)} <= liked)
    untrained = 0
    for v in problem.volunteers:
        if v.in_training and not v.trained:
            could = trainee_shifts(problem, v)
            open_ = sum(1 for s in could if s.id not in decided_ids)
            untrained += max(0, min(v.max_shifts, len(could)) - shifts.get(v.id, 0) - open_)
    return {"changes from the published plan": changes, "preferred slots not given": missed,
            "most shifts for one person": max(shifts.values(), default=0),
            "consecutive days not asked for": in_a_row, "shifts not given to trainees": untrained}


def soft_total(goals: dict[str, int]) -> int:
    return sum(SOFT_WEIGHTS[name] * value for name, value in goals.items())


# ---------------------------------------------------------------- search


@dataclass
class _Person:
    id: str
    trained: bool
    caps: dict[str, int]
    ok: frozenset[str]  # slot ids rule 1 allows
    pool: int | None = None  # index of the recruit pool, None for a volunteer
    taken: list[Slot] = field(default_factory=list)

    def free_for(self, slot: Slot) -> bool:
        if slot.id not in self.ok:
            return False
        if sum(1 for s in self.taken if s.kind == slot.kind) >= self.caps.get(slot.kind, 0):
            return False
        return not any(overlap(s, slot) for s in self.taken)


@dataclass(frozen=True)
class Pool:
    """Recruits of one kind: `limit` of them (None: as many as useful)."""
    name: str
    trained: bool
    caps: tuple[tuple[str, int], ...]
    ok: frozenset[str]
    limit: int | None


@dataclass
class _Search:
    slots: tuple[Slot, ...]
    people: list[_Person]
    pins: dict[str, set[str]]
    pools: tuple[Pool, ...] = ()
    # what-if mode: slots that must end with 0 unfilled, and a budget for the others' unfilled
    must_fill: frozenset[str] | None = None
    budget: int = 0
    stop_at_first: bool = False
    # solve mode: also minimise the soft goals, as a third level
    problem: Problem | None = None
    nodes: int = 0
    best: tuple[int, ...] | None = None
    best_plan: list[tuple[str, str]] | None = None
    fresh_made: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fresh_made = [0] * len(self.pools)

    # cost in solve mode: (unfilled, below target[, soft]); in what-if mode: (recruits, trained recruits)
    def run(self) -> None:
        self._dfs(0, (0, 0, 0) if self.problem is not None else (0, 0), 0, [])

    def _done(self, cost: tuple[int, ...]) -> bool:
        return self.best is not None and (self.stop_at_first or cost >= self.best)

    def _dfs(self, i: int, cost: tuple[int, ...], spent: int, plan: list[tuple[str, str]]) -> None:
        self.nodes += 1
        if self.nodes > LIMIT:
            raise TooBig(f"more than {LIMIT} nodes")
        if self._done(cost):
            return
        if i == len(self.slots):
            self.best, self.best_plan = cost, list(plan)
            return
        slot = self.slots[i]
        pinned = [p for p in self.people if p.pool is None and p.id in self.pins.get(slot.id, ())]
        if len(pinned) > slot.target or not all(p.free_for(slot) for p in pinned):
            return
        optional = [p for p in self.people if p not in pinned and p.free_for(slot)]
        room = slot.target - len(pinned)
        fresh_room = []
        for k, pool in enumerate(self.pools):
            if slot.id not in pool.ok or dict(pool.caps).get(slot.kind, 0) < 1:
                fresh_room.append(0)
                continue
            left = room if pool.limit is None else pool.limit - self.fresh_made[k]
            fresh_room.append(max(0, min(room, left)))
        choices = []
        for size in range(room, -1, -1):
            for chosen in combinations(optional, size):
                choices.append(list(chosen))
        options = []
        for chosen in choices:
            for fresh in product(*(range(n + 1) for n in fresh_room)):
                if len(chosen) + sum(fresh) <= room:
                    options.append((chosen, fresh))
        # what-if: fewer recruits first; solve: more people first (both only speed up the bound)
        if self.must_fill is not None:
            options.sort(key=lambda o: (sum(o[1]), -len(o[0])))
        for chosen, fresh in options:
            new_people = []
            for k, n in enumerate(fresh):
                pool = self.pools[k]
                for j in range(n):
                    new_people.append(_Person(f"{pool.name}#{self.fresh_made[k] + j}", pool.trained,
                                              dict(pool.caps), pool.ok, pool=k))
            team = pinned + chosen + new_people
            trained = sum(1 for p in team if p.trained)
            # rule 4: an untrained person on a shift only beside a trained one
            if slot.kind == "shift" and trained == 0 and team:
                continue
            missing = slot_unfilled(slot, len(team), trained)
            if self.must_fill is None:
                step: tuple[int, ...] = (cost[0] + missing, cost[1] + slot_below(slot, len(team)))
                if self.problem is not None:
                    pairs = plan + [(slot.id, p.id) for p in team]
                    step = (*step, soft_total(soft_goals(self.problem, pairs, self.slots[:i + 1])))
                new_spent = spent
            else:
                if slot.id in self.must_fill:
                    if missing:
                        continue
                    new_spent = spent
                else:
                    new_spent = spent + missing
                    if new_spent > self.budget:
                        continue
                step = (cost[0] + len(new_people), cost[1] + sum(1 for p in new_people if p.trained))
            for p in team:
                p.taken.append(slot)
            for k, n in enumerate(fresh):
                self.fresh_made[k] += n
            self.people.extend(new_people)
            plan.extend((slot.id, p.id) for p in team)
            try:
                self._dfs(i + 1, step, new_spent, plan)
            finally:
                del plan[len(plan) - len(team):]
                del self.people[len(self.people) - len(new_people):]
                for k, n in enumerate(fresh):
                    self.fresh_made[k] -= n
                for p in team:
                    p.taken.pop()
            if self.stop_at_first and self.best is not None:
                return


def _people(problem: Problem, slots: tuple[Slot, ...]) -> list[_Person]:
    return [_Person(v.id, v.trained, {"shift": v.max_shifts, "meal": v.max_meals},
                    frozenset(s.id for s in slots if may_take(v, s)))
            for v in problem.volunteers]


def _pins(problem: Problem) -> dict[str, set[str]]:
    pins: dict[str, set[str]] = {}
    for a in problem.pinned:
        pins.setdefault(a.slot, set()).add(a.volunteer)
    return pins


def search_size(problem: Problem, slots: tuple[Slot, ...] | None = None, extra: int = 0) -> int:
    """An upper bound on the leaves of the plain search (to skip examples that are too big)."""
    slots = problem.slots if slots is None else slots
    total = 1
    for slot in slots:
        n = sum(1 for v in problem.volunteers if may_take(v, slot)) + extra
        total *= sum(comb(n, k) for k in range(0, min(n, slot.target) + 1))
    return total


@dataclass(frozen=True)
class Optimum:
    unfilled: int
    below_target: int
    plan: tuple[tuple[str, str], ...]  # (slot, volunteer), one optimal plan
    soft: int | None = None  # the weighted soft goals (None: not searched)


def solve(problem: Problem, *, soft: bool = False) -> Optimum | None:
    """The lexicographic optimum (unfilled, below target[, weighted soft goals]) over all valid
    plans; None if none is valid."""
    search = _Search(problem.slots, _people(problem, problem.slots), _pins(problem),
                     problem=problem if soft else None)
    search.run()
    if search.best is None:
        return None
    assert search.best_plan is not None
    return Optimum(search.best[0], search.best[1], tuple(search.best_plan),
                   search.best[2] if soft else None)


# ---------------------------------------------------------------- what-if


def _pools(problem: Problem, candidate: Candidate, limits: tuple[int | None, ...],
           meal_recruit_cleared: bool) -> tuple[Pool, ...]:
    assert problem.whatif is not None
    rec = problem.whatif.recruit
    cand_ids = {s.id for s in candidate.slots}
    slots = problem.slots + candidate.slots
    reach = [s for s in slots if rec.available == "any" or s.id in cand_ids]
    shift_ok = frozenset(s.id for s in reach if s.kind == "shift")  # cleared, no expiry
    meal_ok = frozenset(s.id for s in reach if s.kind == "meal"
                        and (meal_recruit_cleared or not s.needs_background_check))
    shift_caps = (("shift", rec.max_shifts), ("meal", 0))
    meal_caps = (("shift", 0), ("meal", rec.max_meals))
    return (Pool("shift-untrained", False, shift_caps, shift_ok, limits[0]),
            Pool("shift-trained", True, shift_caps, shift_ok, limits[1]),
            Pool("meal-untrained", False, meal_caps, meal_ok, limits[2]),
            Pool("meal-trained", True, meal_caps, meal_ok, limits[3]))


def _whatif_search(problem: Problem, candidate: Candidate, budget: int,
                   limits: tuple[int | None, ...], stop_at_first: bool,
                   meal_recruit_cleared: bool) -> _Search:
    slots = problem.slots + candidate.slots
    search = _Search(slots, _people(problem, slots), _pins(problem),
                     _pools(problem, candidate, limits, meal_recruit_cleared),
                     must_fill=frozenset(s.id for s in candidate.slots), budget=budget,
                     stop_at_first=stop_at_first)
    search.run()
    return search


@dataclass(frozen=True)
class WhatIfTruth:
    label: str
    total: int | None  # shift recruits + meal recruits, fewest; None: no number of recruits can do it
    trained: int | None  # among the fewest in total, the fewest trained


def whatif(problem: Problem, *, meal_recruit_cleared: bool = False) -> tuple[Optimum, list[WhatIfTruth]]:
    """The baseline optimum and, per candidate, the fewest (recruits, trained recruits).

    A meal recruit holds no background check unless `meal_recruit_cleared` (the spec gives
    the shift recruit a cleared check and says nothing of the meal recruit's).
    """
    assert problem.whatif is not None
    base = solve(problem)
    if base is None:
        raise ValueError("the pins allow no valid plan")
    out = []
    for cand in problem.whatif.candidates:
        search = _whatif_search(problem, cand, base.unfilled, (None,) * 4, False, meal_recruit_cleared)
        if search.best is None:
            out.append(WhatIfTruth(cand.label, None, None))
        else:
            out.append(WhatIfTruth(cand.label, search.best[0], search.best[1]))
    return base, out


def whatif_feasible(problem: Problem, candidate: Candidate, budget: int, shift_untrained: int,
                    shift_trained: int, meal_untrained: int, meal_trained: int,
                    *, meal_recruit_cleared: bool = False) -> bool:
    """Can exactly these recruits (or fewer) staff the candidate fully, existing unfilled <= budget?"""
    search = _whatif_search(problem, candidate, budget,
                            (shift_untrained, shift_trained, meal_untrained, meal_trained), True,
                            meal_recruit_cleared)
    return search.best is not None


def split_feasible(problem: Problem, candidate: Candidate, budget: int, shift: int, trained: int,
                   meal: int, *, meal_recruit_cleared: bool = False) -> bool:
    """Is there a way to make `trained` of the shift+meal recruits trained that works?"""
    for shift_trained in range(0, min(shift, trained) + 1):
        meal_trained = trained - shift_trained
        if meal_trained > meal:
            continue
        if whatif_feasible(problem, candidate, budget, shift - shift_trained, shift_trained,
                           meal - meal_trained, meal_trained,
                           meal_recruit_cleared=meal_recruit_cleared):
            return True
    return False
