"""What-if staffing: the fewest recruits that would let the center open more.

For a candidate (say, Thursday's slots) the model is the week's plan model
over the existing and the candidate slots, plus recruits as integer counts:
the center must fill the candidate completely while the existing slots keep
at most the unfilled positions of today's best plan. Recruits are counted per
*pattern*, a maximal set of non-overlapping slots a recruit may take within
their weekly cap; a recruit with a pattern can serve any of its slots, so a
slot can take as many recruits as there are patterns through it. That makes
the aggregated counts exact, caps and overlapping slots included, where a
per-slot count alone would not be.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from planner.core.plan import Objective
from planner.core.problem import (
    FORMAT,
    Candidate,
    Problem,
    ProblemError,
    RecruitProfile,
    Slot,
    WhatIf,
)
from planner.core.validate import eligible
from planner.engine.backends import InfeasibleModel, choose_backend, solve_levels
from planner.engine.buffer import with_no_show_buffer
from planner.engine.goals import unfilled_positions
from planner.engine.linear import Expr, Level
from planner.engine.rules import PlanModel, build_rules, overlap_groups
from planner.engine.solve import solve

# Beyond this many patterns a kind of recruit is modelled one by one instead.
PATTERN_LIMIT = 4000


@dataclass(frozen=True)
class CandidateAnswer:
    label: str
    extra_volunteers: int | None
    extra_trained: int | None
    extra_meal_providers: int | None
    optimal: bool
    reason: str = ""

    @property
    def total(self) -> int | None:
        if self.extra_volunteers is None or self.extra_meal_providers is None:
            return None
        return self.extra_volunteers + self.extra_meal_providers


@dataclass(frozen=True)
class WhatIfAnswer:
    baseline: Objective
    candidates: tuple[CandidateAnswer, ...]
    seconds: float
    baseline_optimal: bool = True


def patterns(slots: list[Slot], cap: int) -> list[tuple[Slot, ...]] | None:
    """Maximal sets of pairwise non-overlapping slots of size <= cap (None past the limit)."""
    ordered = sorted(slots, key=lambda s: (s.start, s.end, s.id))
    found: list[tuple[Slot, ...]] = []
    visits = 0

    def fits(slot: Slot, chosen: list[Slot]) -> bool:
        return slot not in chosen and all(not slot.overlaps(c) for c in chosen)

    def extend(chosen: list[Slot], start: int) -> bool:
        nonlocal visits
        visits += 1
        if visits > 50 * PATTERN_LIMIT or len(found) > PATTERN_LIMIT:
            return False
        grew = False
        if len(chosen) < cap:
            for i in range(start, len(ordered)):
                if fits(ordered[i], chosen):
                    grew = True
                    if not extend([*chosen, ordered[i]], i + 1):
                        return False
        # A set no later slot extends is maximal unless an earlier, skipped one fits.
        if not grew and chosen and (len(chosen) == cap or not any(fits(s, chosen) for s in ordered)):
            found.append(tuple(chosen))
        return True

    return found if extend([], 0) else None


@dataclass
class _Recruits:
    """The recruit variables of one kind (shift or meal) in a what-if model."""

    kind: str
    counts: dict[bool, list[int]]  # trained -> variables counting recruits


def _add_recruit_kind(m: PlanModel, kind: str, slots: list[Slot], cap: int, bound: int) -> _Recruits:
    counts: dict[bool, list[int]] = {False: [], True: []}
    if cap == 0 or not slots or bound == 0:
        return _Recruits(kind, counts)
    found = patterns(slots, cap)
    for trained in (False, True):
        tag = "trained" if trained else "untrained"
        per_slot: dict[str, int] = {}
        for slot in slots:
            per_slot[slot.id] = m.lp.var(f"recruits[{tag},{slot.id}]", 0, slot.target)
            m.outside[slot.id].append((per_slot[slot.id], trained))
        if found is not None:
            for p in range(len(found)):
                n = m.lp.var(f"pattern[{kind},{tag},{p}]", 0, bound)
                counts[trained].append(n)
            for slot in slots:
                through = [counts[trained][p] for p, pattern in enumerate(found) if slot in pattern]
                m.lp.add({per_slot[slot.id]: 1, **{n: -1 for n in through}}, upper=0)
            continue
        # Too many patterns: one boolean per possible recruit, symmetry broken by order.
        used = []
        takes: dict[str, list[int]] = {slot.id: [] for slot in slots}
        for i in range(bound):
            u = m.lp.var(f"recruit[{kind},{tag},{i}]")
            if used:
                m.lp.add({used[-1]: 1, u: -1}, lower=0)
            used.append(u)
            mine = {slot.id: m.lp.var(f"recruit[{kind},{tag},{i},{slot.id}]") for slot in slots}
            for slot in slots:
                m.lp.add({mine[slot.id]: 1, u: -1}, upper=0)
                takes[slot.id].append(mine[slot.id])
            m.lp.add(dict.fromkeys(mine.values(), 1), upper=cap)
            for group in overlap_groups(slots):
                m.lp.add({mine[s.id]: 1 for s in group}, upper=1)
        counts[trained] = used
        for slot in slots:
            m.lp.add({per_slot[slot.id]: 1, **{v: -1 for v in takes[slot.id]}}, lower=0, upper=0)
    return _Recruits(kind, counts)


def _fill_completely(m: PlanModel, slots: tuple[Slot, ...]) -> None:
    for slot in slots:
        m.lp.add(dict(m.assigned(slot).terms), lower=slot.min)
        if slot.min_trained:
            m.lp.add(dict(m.assigned(slot, trained_only=True).terms), lower=slot.min_trained)


def open_slots(problem: Problem, label: str, extra: tuple[Slot, ...], baseline_unfilled: int,
               recruit: RecruitProfile, time_limit: float | None = None) -> CandidateAnswer:
    """The fewest recruits (then the fewest trained) to staff `extra` fully."""
    existing = problem.slots
    whole = problem.with_slots(existing + extra)
    bound = sum(max(s.min, s.min_trained) for s in extra)
    kinds: list[_Recruits] = []

    def add_recruits(m: PlanModel) -> None:
        reach = whole.slots if recruit.available == "any" else extra
        # A shift recruit holds a cleared check; the contract gives a meal recruit none.
        for kind, cap in (("shift", recruit.max_shifts), ("meal", recruit.max_meals)):
            usable = [s for s in reach if s.kind == kind
                      and (kind == "shift" or not s.needs_background_check)]
            kinds.append(_add_recruit_kind(m, kind, usable, cap, bound))

    m = build_rules(whole, outside=add_recruits)
    m.lp.at_most(unfilled_positions(m, existing), baseline_unfilled)
    _fill_completely(m, extra)
    everyone, trained, shift = Expr(), Expr(), Expr()
    for group in kinds:
        for is_trained, variables in group.counts.items():
            for var in variables:
                everyone.add(var)
                if is_trained:
                    trained.add(var)
                if group.kind == "shift":
                    shift.add(var)
    levels = [Level("recruits", everyone), Level("trained recruits", trained),
              Level("shift recruits", shift)]
    try:
        solution = solve_levels(m.lp, levels, choose_backend(m.lp), time_limit)
    except InfeasibleModel:
        return CandidateAnswer(label, None, None, None, optimal=True,
                               reason="no number of recruits can staff it fully (check its minimums, "
                                      "targets and the recruit profile)")
    values = solution.values

    def count(kind: str, only_trained: bool = False) -> int:
        return sum(values[v] for g in kinds if g.kind == kind
                   for t, vs in g.counts.items() if t or not only_trained for v in vs)

    return CandidateAnswer(label, count("shift"), count("shift", only_trained=True), count("meal"),
                           optimal=all(level.proven for level in solution.levels))


def _candidates(problem: Problem) -> WhatIf:
    if problem.whatif is None or not problem.whatif.candidates:
        raise ProblemError(["whatif.candidates: at least one candidate is needed"])
    return problem.whatif


def whatif(problem: Problem, *, time_limit: float | None = None,
           on_answer: Callable[[CandidateAnswer], None] | None = None) -> WhatIfAnswer:
    """The contract's what-if: each candidate on its own against today's best plan.

    `on_answer` hears each candidate's answer as it comes, for a progress bar.
    """
    started = time.perf_counter()
    spec = _candidates(problem)
    share = None if time_limit is None else time_limit / (1 + len(spec.candidates))
    base = solve(problem, time_limit=share, soft=False)
    proven = base.status == "optimal"
    answers = []
    for cand in spec.candidates:
        answer = open_slots(problem, cand.label, cand.slots, base.objective.unfilled, spec.recruit, share)
        answers.append(answer if proven else replace(answer, optimal=False))
        if on_answer is not None:
            on_answer(answers[-1])
    return WhatIfAnswer(base.objective, tuple(answers), time.perf_counter() - started, proven)


def answer_to_json(answer: WhatIfAnswer) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "baseline": {"unfilled": answer.baseline.unfilled, "below_target": answer.baseline.below_target},
        "candidates": [{"label": a.label, "extra_volunteers": a.extra_volunteers,
                        "extra_trained": a.extra_trained, "extra_meal_providers": a.extra_meal_providers,
                        "optimal": a.optimal, **({"reason": a.reason} if a.reason else {})}
                       for a in answer.candidates],
        "seconds": round(answer.seconds, 3),
    }


# ---------------------------------------------------------------- leadership's further questions


@dataclass(frozen=True)
class LadderStep:
    labels: tuple[str, ...]
    answer: CandidateAnswer


def combined(problem: Problem, labels: list[str], *, time_limit: float | None = None,
             baseline_unfilled: int | None = None) -> CandidateAnswer:
    """Recruits needed to open several candidates together."""
    spec = _candidates(problem)
    chosen = [c for c in spec.candidates if c.label in labels]
    if baseline_unfilled is None:
        baseline_unfilled = solve(problem, time_limit=time_limit, soft=False).objective.unfilled
    slots = tuple(s for c in chosen for s in c.slots)
    return open_slots(problem, " + ".join(c.label for c in chosen), slots, baseline_unfilled,
                      spec.recruit, time_limit)


def ladder(problem: Problem, *, time_limit: float | None = None,
           answer: WhatIfAnswer | None = None) -> list[LadderStep]:
    """Open candidates one more at a time, each time adding the one that costs fewest recruits.

    `answer`, the plain what-if of the same problem, saves the baseline and
    the first rung. A step is proven only when every answer it compared was.
    """
    spec = _candidates(problem)
    answer = answer or whatif(problem, time_limit=time_limit)
    opened: list[Candidate] = []
    steps: list[LadderStep] = []
    remaining = list(spec.candidates)
    known = {c.label: a for c, a in zip(spec.candidates, answer.candidates, strict=True)}
    while remaining:
        options = []
        for cand in remaining:
            slots = tuple(s for c in [*opened, cand] for s in c.slots)
            ans = known[cand.label] if not opened else open_slots(
                problem, cand.label, slots, answer.baseline.unfilled, spec.recruit, time_limit)
            options.append((cand, ans))
        feasible = [(c, a) for c, a in options if a.total is not None]
        if not feasible:
            break
        cand, ans = min(feasible, key=lambda ca: (ca[1].total, ca[1].extra_trained or 0))
        proven = all(a.optimal for _, a in options) and answer.baseline_optimal
        opened.append(cand)
        remaining.remove(cand)
        labels = tuple(c.label for c in opened)
        steps.append(LadderStep(labels, replace(ans, label=" + ".join(labels), optimal=proven)))
    return steps


@dataclass(frozen=True)
class Fragility:
    # (volunteer id, positions that would go unfilled without them), worst first
    key_people: tuple[tuple[str, int], ...]
    # slots with nobody else able to step in
    no_backup: tuple[str, ...]


def fragility(problem: Problem, *, top: int | None = None) -> Fragility:
    """Key-person risk: whose single absence would leave most positions unfilled."""
    plan = solve(problem, soft=False)
    on_plan = sorted({a.volunteer for a in plan.assignments})
    losses = []
    for vid in on_plan:
        without = Problem(slots=problem.slots,
                          volunteers=tuple(v for v in problem.volunteers if v.id != vid),
                          pinned=tuple(p for p in problem.pinned if p.volunteer != vid),
                          timezone=problem.timezone)
        extra = solve(without, soft=False).objective.unfilled - plan.objective.unfilled
        if extra > 0:
            losses.append((vid, extra))
    losses.sort(key=lambda item: (-item[1], item[0]))
    assigned: dict[str, set[str]] = {}
    for a in plan.assignments:
        assigned.setdefault(a.slot, set()).add(a.volunteer)
    no_backup = tuple(s.id for s in problem.slots
                      if assigned.get(s.id) and not any(eligible(v, s) for v in problem.volunteers
                                                        if v.id not in assigned[s.id]))
    return Fragility(tuple(losses[:top] if top is not None else losses), no_backup)


# ---------------------------------------------------------------- the leadership page's study


@dataclass(frozen=True)
class Study:
    """Every answer the what-if page shows, kept in the session so a rerun does not solve again."""

    days: tuple[CandidateAnswer, ...]
    buffered: tuple[CandidateAnswer, ...] | None
    steps: tuple[LadderStep, ...]
    buffered_steps: tuple[CandidateAnswer, ...] | None
    fragility: Fragility
    problem: Problem  # the week asked about, for slot times; never shown by name
    rate: float
    open_now: int


Progress = Callable[[float, str], None]


def study(problem: Problem, *, rate: float = 0.0, open_now: int = 0, time_limit: float | None = None,
          progress: Progress | None = None) -> Study:
    """One what-if per day (so a progress bar moves), the ladder, the buffered answers, fragility.

    With `rate` > 0 each answer is also planned with that no-show rate. The
    buffered ladder opens the plain ladder's days in the same order, so the two
    rows of a step compare like with like.
    """
    spec = _candidates(problem)
    buffered_problem = with_no_show_buffer(problem, rate) if rate > 0 else None
    total = len(spec.candidates) * (2 if buffered_problem else 1) + (3 if buffered_problem else 2)
    done = 0

    def step(text: str) -> None:
        if progress is not None:
            progress(done / total, text)

    def heard(answer: CandidateAnswer) -> None:
        nonlocal done
        done += 1
        step(f"{answer.label} done...")

    step("Each day on its own...")
    plain = whatif(problem, time_limit=time_limit, on_answer=heard)
    buffered: tuple[CandidateAnswer, ...] | None = None
    baseline_buffered = 0
    if buffered_problem is not None:
        step("Allowing for no-shows...")
        padded = whatif(buffered_problem, time_limit=time_limit, on_answer=heard)
        baseline_buffered = padded.baseline.unfilled
        buffered = padded.candidates
    step("Adding days one at a time, cheapest first...")
    steps = tuple(ladder(problem, time_limit=time_limit, answer=plain))
    done += 1
    buffered_steps = None
    if buffered_problem is not None:
        step("The same days, allowing for no-shows...")
        buffered_steps = tuple(combined(buffered_problem, list(s.labels), time_limit=time_limit,
                                        baseline_unfilled=baseline_buffered) for s in steps)
        done += 1
    step("Looking for key people and shifts without backup...")
    risk = fragility(problem)
    done += 1
    step("Done.")
    return Study(plain.candidates, buffered, steps, buffered_steps, risk, problem, rate, open_now)
