"""Lexicographic solving of a `LinearModel` with CP-SAT or HiGHS.

Levels are minimised in order, each fixed at its optimum before the next.
CP-SAT works in integers, so consecutive levels that must be proven are merged
into one weighted objective whose weights make it exactly lexicographic (each
weight exceeds the whole range of everything after it); one proof then covers
them all, which on 1000-volunteer weeks is far faster than proving level 1 on
its own. HiGHS works in floating point, so it solves one level at a time. A
level's value counts as proven only when the solver's bound meets it, or when
the warm start (planner.engine.warmstart) comes with a proof of its own.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ortools.sat.python import cp_model

from planner.engine.linear import Level, LinearModel
from planner.engine.warmstart import Start

BACKENDS = ("cp-sat", "highs")

# One worker and a fixed seed make CP-SAT's answer reproducible; the LP
# relaxation (linearization level 2) is what proves these models fast.
CPSAT_PARAMETERS: dict[str, Any] = {"num_workers": 1, "random_seed": 7, "linearization_level": 2}
# The soft level (not proven) gets a deterministic work budget, not a wall-clock
# one, so the same input gives the same plan: soft_seconds becomes
# max_deterministic_time = soft_seconds * SOFT_WORK_PER_SECOND (CP-SAT's work
# units run at about 0.1-1 per second here). Only a caller's time limit cuts it
# by the clock.
SOFT_WORK_PER_SECOND = 0.5
# Above this many variables CP-SAT's soft stage found no improvement on the
# benchmark weeks within 30 s (its presolve alone takes 3-6 s at 1000 x 4
# weeks), so the plan keeps the warm start's soft goals (see docs/benchmarks.md).
SOFT_MAX_VARIABLES = 20_000
# Weights above this are not merged (objective values stay exact in a double).
MAX_MERGED_WEIGHT = 2**40


@dataclass(frozen=True)
class LevelResult:
    name: str
    value: int
    proven: bool
    # The best lower bound known on the level (None: none), and what proved it.
    bound: int | None = None
    by: str = ""


@dataclass(frozen=True)
class Solution:
    values: list[int]
    levels: tuple[LevelResult, ...]
    backend: str


class InfeasibleModel(Exception):
    """Only pins can make a plan model infeasible."""


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.05, deadline - time.monotonic())


def _limit(level: Level, deadline: float | None, soft_seconds: float) -> float | None:
    limit = _remaining(deadline)
    if not level.must_prove:
        limit = soft_seconds if limit is None else min(limit, soft_seconds)
    return limit


def _range(model: LinearModel, level: Level) -> tuple[int, int]:
    """Least and greatest value of a level's terms (no constant) over the variable bounds."""
    lo = hi = 0
    for v, c in level.expr.terms.items():
        a, b = c * model.lower[v], c * model.upper[v]
        lo, hi = lo + min(a, b), hi + max(a, b)
    return lo, hi


def _groups(model: LinearModel, levels: list[Level], first: int) -> list[tuple[list[Level], list[int]]]:
    """Levels from `first` on, as (levels, weights) groups solved as one objective.

    Consecutive must-prove levels share a group while the weights stay small
    enough; a later level never outweighs one unit of an earlier one.
    """
    groups: list[tuple[list[Level], list[int]]] = []
    i = first
    while i < len(levels):
        j = i + 1
        while j < len(levels) and levels[i].must_prove and levels[j].must_prove:
            j += 1
        group = levels[i:j]
        while True:
            weights, after = [], 0
            for level in reversed(group):
                weights.append(after + 1)
                lo, hi = _range(model, level)
                after += weights[-1] * (hi - lo)
            if len(group) == 1 or weights[-1] <= MAX_MERGED_WEIGHT:
                break
            group = group[:-1]
        groups.append((group, weights[::-1]))
        i += len(group)
    return groups


def _merged_bounds(model: LinearModel, group: list[Level], weights: list[int], values: list[int],
                   bound: int) -> list[int | None]:
    """Lower bounds the merged objective's bound gives on each level of its group.

    With the earlier levels at their values, sum(w * level) >= bound and every
    later level at most its greatest value give a lower bound on this level;
    it only means something while the earlier levels are proven (else None).
    """
    own = [level.expr.value(values) - level.expr.constant for level in group]
    highest = [_range(model, level)[1] for level in group]
    bounds: list[int | None] = []
    before = 0
    for k, weight in enumerate(weights):
        if k and (bounds[-1] is None or bounds[-1] < own[k - 1]):
            bounds.append(None)
            continue
        rest = bound - before - sum(w * h for w, h in zip(weights[k + 1:], highest[k + 1:], strict=True))
        bounds.append(-(-rest // weight))
        before += weight * own[k]
    return [None if b is None else b + level.expr.constant for b, level in zip(bounds, group, strict=True)]


def _start(model: LinearModel, levels: list[Level],
           start: Start | None) -> tuple[list[int], list[LevelResult]]:
    """The values to start from, and the results of the levels the start proves."""
    if start is None:
        return list(model.lower), []
    values = list(start.values)
    return values, [LevelResult(level.name, level.expr.value(values), True, level.expr.value(values),
                                "flow bound") for level in levels[:start.proven]]


def _cp_model(model: LinearModel) -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    cp = cp_model.CpModel()
    xs = [cp.new_int_var(lo, hi, name) for name, lo, hi in zip(model.names, model.lower, model.upper,
                                                                strict=True)]
    for row in model.rows:
        expr = cp_model.LinearExpr.weighted_sum([xs[v] for v in row.terms], list(row.terms.values()))
        if row.lower is not None and row.upper is not None:
            cp.add_linear_constraint(expr, row.lower, row.upper)
        elif row.upper is not None:
            cp.add(expr <= row.upper)
        elif row.lower is not None:
            cp.add(expr >= row.lower)
    return cp, xs


def solve_cpsat(model: LinearModel, levels: list[Level], deadline: float | None,
                soft_seconds: float, start: Start | None = None) -> Solution:
    cp, xs = _cp_model(model)
    values, results = _start(model, levels, start)
    for level, result in zip(levels, results, strict=False):
        cp.add(_cp_sum(xs, level.expr.terms) <= result.value - level.expr.constant)
    if start is not None:
        for x, v in zip(xs, values, strict=True):
            cp.add_hint(x, v)
    for group, weights in _groups(model, levels, len(results)):
        terms: dict[int, int] = {}
        for level, weight in zip(group, weights, strict=True):
            for v, c in level.expr.terms.items():
                terms[v] = terms.get(v, 0) + weight * c
        expr = _cp_sum(xs, terms)
        cp.minimize(expr)
        solver = cp_model.CpSolver()
        for key, value in CPSAT_PARAMETERS.items():
            setattr(solver.parameters, key, value)
        limit = _remaining(deadline)
        solver.parameters.max_time_in_seconds = limit if limit is not None else 1e9
        if not group[0].must_prove:
            if len(xs) > SOFT_MAX_VARIABLES and results:
                results.extend(LevelResult(level.name, level.expr.value(values), False) for level in group)
                continue
            solver.parameters.max_deterministic_time = soft_seconds * SOFT_WORK_PER_SECOND
        status = solver.solve(cp)
        if status == cp_model.INFEASIBLE:
            raise InfeasibleModel()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Out of time before any solution: keep the previous one.
            results.extend(LevelResult(level.name, level.expr.value(values), False) for level in group)
            continue
        values = [int(solver.value(x)) for x in xs]
        value = int(round(solver.objective_value))
        bound = math.ceil(solver.best_objective_bound - 1e-6)
        bounds = _merged_bounds(model, group, weights, values, bound)
        for level, low in zip(group, bounds, strict=True):
            reached = level.expr.value(values)
            proven = low is not None and low >= reached
            results.append(LevelResult(level.name, reached, proven, low, "cp-sat"))
        cp.add(expr <= value)
        cp.clear_hints()
        for x, v in zip(xs, values, strict=True):
            cp.add_hint(x, v)
    return Solution(values, tuple(results), "cp-sat")


def _cp_sum(xs: list[cp_model.IntVar], terms: dict[int, int]) -> cp_model.LinearExprT:
    return cp_model.LinearExpr.weighted_sum([xs[v] for v in terms], list(terms.values()))


def solve_highs(model: LinearModel, levels: list[Level], deadline: float | None,
                soft_seconds: float, start: Start | None = None) -> Solution:
    """HiGHS through MathOpt (quiet, unlike pywraplp's HiGHS, which prints to stdout)."""
    from ortools.math_opt.python import mathopt  # only HiGHS runs pay for its import

    mo = mathopt.Model(name="plan")
    xs = [mo.add_integer_variable(lb=lo, ub=hi, name=name)
          for name, lo, hi in zip(model.names, model.lower, model.upper, strict=True)]

    def linear(terms: dict[int, int]):  # noqa: ANN202 - mathopt is imported lazily
        return mathopt.LinearSum(mathopt.LinearTerm(xs[v], c) for v, c in terms.items())

    for row in model.rows:
        mo.add_linear_constraint(lb=-math.inf if row.lower is None else row.lower,
                                 ub=math.inf if row.upper is None else row.upper, expr=linear(row.terms))
    values, results = _start(model, levels, start)
    for level, result in zip(levels, results, strict=False):
        mo.add_linear_constraint(ub=result.value - level.expr.constant, expr=linear(level.expr.terms))
    hinted = start is not None
    for level in levels[len(results):]:
        expr = linear(level.expr.terms)
        mo.minimize(expr)
        limit = _limit(level, deadline, soft_seconds)
        # The objective is integral, so a gap below 1 proves optimality.
        params = mathopt.SolveParameters(random_seed=7, relative_gap_tolerance=0.0,
                                         absolute_gap_tolerance=0.5, enable_output=False,
                                         time_limit=None if limit is None else timedelta(seconds=limit))
        hint = mathopt.ModelSolveParameters(solution_hints=[mathopt.SolutionHint(
            variable_values=dict(zip(xs, values, strict=True)))]) if hinted else None
        result = mathopt.solve(mo, mathopt.SolverType.HIGHS, params=params, model_params=hint)
        reason = result.termination.reason
        if reason == mathopt.TerminationReason.INFEASIBLE:
            raise InfeasibleModel()
        if not result.has_primal_feasible_solution():
            results.append(LevelResult(level.name, level.expr.value(values), False))
            continue
        solved = result.variable_values()
        values = [int(round(solved[x])) for x in xs]
        hinted = True
        value = level.expr.value(values) - level.expr.constant
        bound = result.termination.objective_bounds.dual_bound
        proven = reason == mathopt.TerminationReason.OPTIMAL and bound > value - 1 + 1e-6
        low = math.ceil(bound - 1e-6) + level.expr.constant if math.isfinite(bound) else None
        results.append(LevelResult(level.name, value + level.expr.constant, proven, low, "highs"))
        mo.add_linear_constraint(ub=value, expr=expr)
    return Solution(values, tuple(results), "highs")


def choose_backend(model: LinearModel) -> str:
    """The back end for this shape of problem (see docs/benchmarks.md).

    CP-SAT on every shape measured (40-1000 volunteers, 1-4 weeks, easy and
    tight): with the flow warm start it proves levels 1-2 as fast as HiGHS or
    faster (1.4 s against 5-8 s at 1000 x 4 weeks), its soft stage is
    deterministic and as good or better, and it works in exact integers.
    HiGHS stays selectable (`--solver highs`).
    """
    return "cp-sat"


def solve_levels(model: LinearModel, levels: list[Level], backend: str,
                 time_limit: float | None = None, soft_seconds: float = 2.0,
                 start: Start | None = None) -> Solution:
    """Minimise `levels` in order; `start`, a full valid solution, seeds the search."""
    if model.infeasible:
        raise InfeasibleModel()
    deadline = None if time_limit is None else time.monotonic() + time_limit
    if backend == "cp-sat":
        return solve_cpsat(model, levels, deadline, soft_seconds, start)
    if backend == "highs":
        return solve_highs(model, levels, deadline, soft_seconds, start)
    raise ValueError(f"unknown solver {backend!r}; choose one of {', '.join(BACKENDS)}")
