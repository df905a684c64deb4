"""`solve`: one integer model (rules.py, goals.py), a flow-based start that usually proves levels 1-2
and bounds the soft level (warmstart.py), the contract's levels minimised in order with CP-SAT or HiGHS
(backends.py), and every position it could not fill explained (explain.py)."""

from __future__ import annotations

import time

from planner.core.errors import ProblemError
from planner.core.plan import Plan
from planner.core.problem import Assignment, Problem
from planner.core.validate import check_pins, measure
from planner.engine.backends import BACKENDS, InfeasibleModel, LevelResult, choose_backend, solve_levels
from planner.engine.explain import unfilled_entries
from planner.engine.goals import positions_below_target, soft_goals, unfilled_positions, weighted
from planner.engine.linear import Level
from planner.engine.rules import build_rules
from planner.engine.warmstart import warm_start

SOLVERS = ("auto", *BACKENDS)


def _lonely_trainee_pins(problem: Problem) -> list[str]:
    trained_pinned = {p.slot for p in problem.pinned if problem.volunteer(p.volunteer).trained}
    return [f"pinned[{i}]: {p.volunteer} is untrained and no trained volunteer can join them on {p.slot}"
            for i, p in enumerate(problem.pinned)
            if problem.slot(p.slot).kind == "shift" and not problem.volunteer(p.volunteer).trained
            and p.slot not in trained_pinned]


def solve(problem: Problem, *, time_limit: float | None = None, solver: str = "auto",
          soft: bool = True) -> Plan:
    """The best plan by the contract's levels; raises ProblemError for bad pins.

    `soft=False` stops after level 2, for callers that only need the numbers.
    """
    if solver not in SOLVERS:
        raise ProblemError([f"solver: {solver!r} is not one of {', '.join(SOLVERS)}"])
    started = time.perf_counter()
    bad_pins = check_pins(problem)
    if bad_pins:
        raise ProblemError(bad_pins)
    model = build_rules(problem)
    levels = [Level("unfilled positions", unfilled_positions(model)),
              Level("positions below target", positions_below_target(model))]
    goals = soft_goals(model) if soft else []
    if goals:
        levels.append(Level("soft goals", weighted(goals), must_prove=False))
    backend = choose_backend(model.lp, soft=bool(goals)) if solver == "auto" else solver
    # A valid plan to start from, proven optimal on levels 1-2 when it meets the flow bound.
    start = warm_start(model, levels[0].expr, levels[1].expr, levels[2].expr if goals else None)
    try:
        solution = solve_levels(model.lp, levels, backend, time_limit, start, list(model.x.values()))
    except InfeasibleModel:
        raise ProblemError(_lonely_trainee_pins(problem)
                           or ["pinned: the pins together break the hard rules"]) from None
    slot_order = {s.id: i for i, s in enumerate(problem.slots)}
    volunteer_order = {v.id: i for i, v in enumerate(problem.volunteers)}
    assignments = sorted((Assignment(slot, vid) for (vid, slot), var in model.x.items()
                          if solution.values[var] == 1),
                         key=lambda a: (slot_order[a.slot], volunteer_order[a.volunteer]))
    proven = all(level.proven for level in solution.levels[:2])
    # No goal to weigh: level 3 is 0 for every plan. A bound on it means something
    # only at the optimum of levels 1-2.
    soft_level = solution.levels[2] if goals else LevelResult("soft goals", 0, soft, 0 if soft else None)
    soft_bound = soft_level.bound if proven else None
    return Plan(
        status="optimal" if proven else "feasible",
        assignments=tuple(assignments),
        unfilled=unfilled_entries(problem, assignments),
        objective=measure(problem, assignments),
        seconds=time.perf_counter() - started,
        soft={goal.name: goal.expr.value(solution.values) for goal in goals},
        solver=backend,
        soft_total=soft_level.value,
        soft_bound=soft_bound,
        soft_proven=soft_bound is not None and soft_bound >= soft_level.value,
    )
