"""Lexicographic solving of a `LinearModel` with CP-SAT or HiGHS.

Each level is minimised, then fixed at its optimum before the next, which keeps
every level exact (a weighted sum with big weights can lose precision in a MIP
solver). A level's value counts as proven only when the solver's bound meets it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from ortools.sat.python import cp_model

from planner.engine.linear import Level, LinearModel

BACKENDS = ("cp-sat", "highs")


@dataclass(frozen=True)
class LevelResult:
    name: str
    value: int
    proven: bool


@dataclass(frozen=True)
class Solution:
    values: list[int]
    levels: tuple[LevelResult, ...]
    backend: str


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.05, deadline - time.monotonic())


def solve_cpsat(model: LinearModel, levels: list[Level], deadline: float | None,
                soft_seconds: float) -> Solution:
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
    solver = cp_model.CpSolver()
    # One worker and a fixed seed make the answer reproducible; the LP
    # relaxation (linearization level 2) is what proves these models fast.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 7
    solver.parameters.linearization_level = 2
    values = [lo for lo in model.lower]
    results = []
    for level in levels:
        expr = cp_model.LinearExpr.weighted_sum([xs[v] for v in level.expr.terms],
                                                list(level.expr.terms.values()))
        cp.minimize(expr)
        limit = _remaining(deadline)
        if not level.must_prove:
            limit = soft_seconds if limit is None else min(limit, soft_seconds)
        solver.parameters.max_time_in_seconds = limit if limit is not None else 1e9
        status = solver.solve(cp)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if status == cp_model.INFEASIBLE:
                raise InfeasibleModel()
            # Out of time before any solution: keep the previous level's one.
            results.append(LevelResult(level.name, level.expr.value(values), False))
            continue
        values = [int(solver.value(x)) for x in xs]
        value = int(round(solver.objective_value))
        proven = status == cp_model.OPTIMAL and round(solver.best_objective_bound) == value
        results.append(LevelResult(level.name, value + level.expr.constant, proven))
        cp.add(expr <= value)
        cp.clear_hints()
        for x, v in zip(xs, values, strict=True):
            cp.add_hint(x, v)
    return Solution(values, tuple(results), "cp-sat")


def solve_highs(model: LinearModel, levels: list[Level], deadline: float | None,
                soft_seconds: float) -> Solution:
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
    values = list(model.lower)
    results = []
    for level in levels:
        expr = linear(level.expr.terms)
        mo.minimize(expr)
        limit = _remaining(deadline)
        if not level.must_prove:
            limit = soft_seconds if limit is None else min(limit, soft_seconds)
        # The objective is integral, so a gap below 1 proves optimality.
        params = mathopt.SolveParameters(random_seed=7, relative_gap_tolerance=0.0,
                                         absolute_gap_tolerance=0.5, enable_output=False,
                                         time_limit=None if limit is None else timedelta(seconds=limit))
        result = mathopt.solve(mo, mathopt.SolverType.HIGHS, params=params)
        reason = result.termination.reason
        if reason == mathopt.TerminationReason.INFEASIBLE:
            raise InfeasibleModel()
        if not result.has_primal_feasible_solution():
            results.append(LevelResult(level.name, level.expr.value(values), False))
            continue
        solved = result.variable_values()
        values = [int(round(solved[x])) for x in xs]
        value = level.expr.value(values) - level.expr.constant
        bound = result.termination.objective_bounds.dual_bound
        proven = reason == mathopt.TerminationReason.OPTIMAL and bound > value - 1 + 1e-6
        results.append(LevelResult(level.name, value + level.expr.constant, proven))
        mo.add_linear_constraint(ub=value, expr=expr)
    return Solution(values, tuple(results), "highs")


class InfeasibleModel(Exception):
    """Only pins can make a plan model infeasible."""


def choose_backend(model: LinearModel) -> str:
    """The faster back end for this shape of problem (see docs/benchmarks.md)."""
    return "cp-sat"


def solve_levels(model: LinearModel, levels: list[Level], backend: str,
                 time_limit: float | None = None, soft_seconds: float = 2.0) -> Solution:
    deadline = None if time_limit is None else time.monotonic() + time_limit
    if backend == "cp-sat":
        return solve_cpsat(model, levels, deadline, soft_seconds)
    if backend == "highs":
        return solve_highs(model, levels, deadline, soft_seconds)
    raise ValueError(f"unknown solver {backend!r}; choose one of {', '.join(BACKENDS)}")
