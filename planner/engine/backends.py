"""Lexicographic solving of a `LinearModel` with CP-SAT or HiGHS.

Levels are minimised in order, each fixed at its optimum before the next.
CP-SAT works in integers, so consecutive levels that must be proven are merged
into one weighted objective whose weights make it exactly lexicographic (each
weight exceeds the whole range of everything after it); one proof then covers
them all, which on 1000-volunteer weeks is far faster than proving level 1 on
its own. HiGHS works in floating point, so it solves one level at a time. A
level's value counts as proven only when the solver's bound meets it, or when
the warm start (planner.engine.warmstart) comes with a proof of its own.

The soft level (issue 16) starts from the warm start's bounds. HiGHS solves
its LP relaxation, rounds the LP's vertex into a plan, and closes what gap is
left with a MIP shrunk by reduced-cost fixing (`_soft_highs`); CP-SAT searches
on a deterministic work budget. Neither stops on the clock unless the caller
gives a time limit.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from planner.engine.linear import Expr, Level, LinearModel, Row
from planner.engine.warmstart import Start

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

BACKENDS = ("cp-sat", "highs")

# One worker and a fixed seed make CP-SAT's answer reproducible; the LP
# relaxation (linearization level 2) is what proves these models fast.
CPSAT_PARAMETERS: dict[str, Any] = {"num_workers": 1, "random_seed": 7, "linearization_level": 2}
# CP-SAT's soft stage gets a deterministic work budget, not a wall-clock one,
# so the same input gives the same plan (CP-SAT's work units ran at about
# 0.1-0.3 per second on 1000 x 4 weeks). Only a caller's time limit cuts it
# by the clock.
CPSAT_SOFT_WORK = 5.0
# A deterministic guard on every HiGHS MIP (the benchmark's need at most a few
# hundred nodes); a caller's time limit is the wall-clock one.
NODE_LIMIT = 100_000
# HiGHS on the reduced soft MIP (see docs/benchmarks.md).
SOFT_MIP_OPTIONS: dict[str, str] = {"presolve": "off"}
# Below this many rows the soft LP goes to dual simplex whatever its objective.
SMALL_LP_ROWS = 8000
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


def _late(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.05, deadline - time.monotonic())


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
    from ortools.sat.python import cp_model  # only CP-SAT runs pay for its import (0.4 s)

    cp = cp_model.CpModel()
    xs = [cp.new_int_var(lo, hi, name) for name, lo, hi in zip(model.names, model.lower, model.upper,
                                                                strict=True)]
    for row in model.rows:
        expr = _cp_sum(xs, row.terms)
        if row.lower is not None and row.upper is not None:
            cp.add_linear_constraint(expr, row.lower, row.upper)
        elif row.upper is not None:
            cp.add(expr <= row.upper)
        elif row.lower is not None:
            cp.add(expr >= row.lower)
    return cp, xs


def solve_cpsat(model: LinearModel, levels: list[Level], deadline: float | None,
                start: Start | None = None) -> Solution:
    """Consecutive must-prove levels as one exact weighted objective, then the soft level.

    The soft level runs on a deterministic work budget and starts from the
    warm start's bounds (they hold once levels 1-2 are at their optimum).
    """
    from ortools.sat.python import cp_model

    cp, xs = _cp_model(model)
    values, results = _start(model, levels, start)
    for level, result in zip(levels, results, strict=False):
        cp.add(_cp_sum(xs, level.expr.terms) <= result.value - level.expr.constant)
    if start is not None:
        for x, v in zip(xs, values, strict=True):
            cp.add_hint(x, v)
    # The start's bounds (set only when it proved levels 1-2) hold for the soft level.
    known = None
    if start is not None:
        known = start.soft_bound
        for var, low in start.lower.items():
            cp.add(xs[var] >= low)
    for group, weights in _groups(model, levels, len(results)):
        soft = not group[0].must_prove
        if soft and known is not None and group[0].expr.value(values) <= known:
            results.append(LevelResult(group[0].name, group[0].expr.value(values), True, known, "flow bound"))
            continue
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
        if soft:
            solver.parameters.max_deterministic_time = CPSAT_SOFT_WORK
            constant = group[0].expr.constant
            if known is not None:
                # The start's bound as a constraint lets CP-SAT stop once it meets it.
                cp.add(expr >= known - constant)
        status = solver.solve(cp)
        if status == cp_model.INFEASIBLE:
            raise InfeasibleModel()
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Out of time before any solution: keep the previous one (and the start's bound).
            low = known if soft else None
            for level in group:
                reached = level.expr.value(values)
                proven = low is not None and low >= reached
                results.append(LevelResult(level.name, reached, proven, low, "flow bound"))
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
    from ortools.sat.python import cp_model

    return cp_model.LinearExpr.weighted_sum([xs[v] for v in terms], list(terms.values()))


class _Highs:
    """A `LinearModel` as a MathOpt model proto, solved by HiGHS.

    Built straight into the proto (MathOpt's Python model objects took 2-3 s
    to build a 1000-volunteer, 4-week model); levels are fixed by added rows.
    """

    def __init__(self, model: LinearModel):
        from ortools.math_opt import model_pb2  # only HiGHS runs pay for these imports

        self.size = len(model.names)
        self.proto = model_pb2.ModelProto(name="plan")
        variables = self.proto.variables
        variables.ids.extend(range(self.size))
        variables.lower_bounds.extend(model.lower)
        variables.upper_bounds.extend(model.upper)
        variables.integers.extend([True] * self.size)
        self.add_rows(model.rows)

    def add_rows(self, rows: list[Row]) -> None:
        """Append rows (one call per batch: the proto's repeated fields are slow to grow one by one)."""
        first = len(self.proto.linear_constraints.ids)
        row_ids: list[int] = []
        column_ids: list[int] = []
        coefficients: list[int] = []
        for i, row in enumerate(rows, first):
            columns = sorted(v for v, c in row.terms.items() if c)
            row_ids += [i] * len(columns)
            column_ids += columns
            coefficients += [row.terms[v] for v in columns]
        constraints = self.proto.linear_constraints
        constraints.ids.extend(range(first, first + len(rows)))
        constraints.lower_bounds.extend(-math.inf if row.lower is None else row.lower for row in rows)
        constraints.upper_bounds.extend(math.inf if row.upper is None else row.upper for row in rows)
        matrix = self.proto.linear_constraint_matrix
        matrix.row_ids.extend(row_ids)
        matrix.column_ids.extend(column_ids)
        matrix.coefficients.extend(coefficients)

    def solve(self, objective: Expr, deadline: float | None, *, hint: list[int] | None = None,
              relax: bool = False, fix: dict[int, int] | None = None, gap: float = 0.0,
              options: dict[str, str] | None = None) -> _HighsResult:
        """Minimise `objective`; `relax` drops integrality, `fix` pins variables to values,
        `gap` is the relative gap to stop at."""
        from ortools.math_opt import (
            callback_pb2,
            model_parameters_pb2,
            model_pb2,
            parameters_pb2,
            result_pb2,
            solution_pb2,
        )
        from ortools.math_opt.core.python import solver

        proto = self.proto
        if relax or fix:
            proto = model_pb2.ModelProto()
            proto.CopyFrom(self.proto)
            if relax:
                del proto.variables.integers[:]
                proto.variables.integers.extend([False] * self.size)
            for var, value in (fix or {}).items():
                proto.variables.lower_bounds[var] = proto.variables.upper_bounds[var] = value
        proto.objective.Clear()
        proto.objective.offset = objective.constant
        columns = sorted(v for v, c in objective.terms.items() if c)
        proto.objective.linear_coefficients.ids.extend(columns)
        proto.objective.linear_coefficients.values.extend(objective.terms[v] for v in columns)
        # The objective is integral, so a gap below 1 proves optimality.
        params = parameters_pb2.SolveParametersProto(random_seed=7, relative_gap_tolerance=gap,
                                                     absolute_gap_tolerance=0.5, node_limit=NODE_LIMIT)
        for key, value in (options or {}).items():
            params.highs.string_options[key] = value
        limit = _remaining(deadline)
        if limit is not None:
            params.time_limit.FromTimedelta(timedelta(seconds=limit))
        model_params = model_parameters_pb2.ModelSolveParametersProto()
        if hint is not None:
            # HiGHS fails on a hint outside a variable's bounds, and a fix may exclude the hinted value.
            values = model_params.solution_hints.add().variable_values
            values.ids.extend(range(self.size))
            values.values.extend((fix or {}).get(var, value) for var, value in enumerate(hint))
        result = solver.solve(proto, parameters_pb2.SOLVER_TYPE_HIGHS,
                              parameters_pb2.SolverInitializerProto(), params, model_params, None,
                              callback_pb2.CallbackRegistrationProto(), None, None)
        reason = result.termination.reason
        if reason == result_pb2.TERMINATION_REASON_INFEASIBLE:
            raise InfeasibleModel()
        found = None
        if result.solutions and result.solutions[0].primal_solution.feasibility_status == \
                solution_pb2.SOLUTION_STATUS_FEASIBLE:
            found = [0.0] * self.size
            sparse = result.solutions[0].primal_solution.variable_values
            for var, value in zip(sparse.ids, sparse.values, strict=True):
                found[var] = value
        optimal = reason == result_pb2.TERMINATION_REASON_OPTIMAL
        reduced = None  # only an optimal LP's reduced costs may fix variables
        if relax and optimal and found is not None and result.solutions[0].HasField("dual_solution"):
            reduced = [0.0] * self.size
            sparse = result.solutions[0].dual_solution.reduced_costs
            for var, value in zip(sparse.ids, sparse.values, strict=True):
                reduced[var] = value
        dual = result.termination.objective_bounds.dual_bound
        low = math.ceil(dual - 1e-6) if math.isfinite(dual) else None
        return _HighsResult(found, low, optimal, dual, reduced)


@dataclass(frozen=True)
class _HighsResult:
    values: list[float] | None  # None: no solution
    bound: int | None  # the least integer the objective can take (None: none known)
    optimal: bool
    dual: float  # the solver's own bound
    reduced: list[float] | None = None  # an LP's reduced costs


def _lp_method(highs: _Highs, level: Level, decisions: list[int]) -> str:
    """Dual simplex when the soft level prices most decisions (a published plan prices every
    pair) or the model is small; interior point on large, degenerate LPs (min-max and days in
    a row only), where simplex took 2-6 times as long (docs/benchmarks.md)."""
    priced = sum(1 for v in decisions if level.expr.terms.get(v))
    small = len(highs.proto.linear_constraints.ids) < SMALL_LP_ROWS
    return "simplex" if small or 2 * priced >= len(decisions) else "ipm"


def _soft_highs(highs: _Highs, level: Level, values: list[int], bound: int | None,
                decisions: list[int], deadline: float | None) -> tuple[list[int], LevelResult]:
    """The soft level, from a valid plan: LP bound, an LP-guided plan, then a reduced MIP.

    Once the start's bounds are in, the LP relaxation's bound was within 1 of
    the optimum on all benchmark weeks but the tight plain 2-week ones (3.5
    and 4.5 below). Its vertex is nearly integral, so fixing the decisions it
    takes whole and solving the few left over (a small MIP) found the optimum,
    or a plan 1 above it, on every week. What gap is left, the MIP closes,
    with every variable whose LP reduced cost exceeds the gap fixed at its
    bound (reduced-cost fixing: moving it would cost more than any better
    plan can), which leaves a small MIP where the whole one took seconds.
    """
    value = level.expr.value(values)
    by = "flow bound"

    def better(found: list[float] | None) -> None:
        nonlocal values, value
        if found is not None and level.expr.value(rounded := [round(x) for x in found]) < value:
            values, value = rounded, level.expr.value(rounded)

    def tighter(low: int | None) -> None:
        nonlocal bound
        if low is not None and (bound is None or low > bound):
            bound = low

    def done() -> tuple[list[int], LevelResult]:
        return values, LevelResult(level.name, value, bound is not None and value <= bound, bound, by)

    # Each stage only starts before the caller's deadline: interior point checks
    # the clock too seldom to stop soon after it.
    if (bound is not None and value <= bound) or _late(deadline):
        return done()
    by = "LP bound"
    method = _lp_method(highs, level, decisions)
    relaxed = highs.solve(level.expr, deadline, relax=True, options={"solver": method})
    tighter(relaxed.bound)
    lp, reduced = relaxed.values, relaxed.reduced
    if lp is not None and (bound is None or value > bound) and not _late(deadline):
        whole = {v: round(lp[v]) for v in decisions if abs(lp[v] - round(lp[v])) < 1e-6}
        with contextlib.suppress(InfeasibleModel):  # the rounding may leave no plan; fine
            better(highs.solve(level.expr, deadline, fix=whole).values)
    if (bound is None or value > bound) and not _late(deadline):
        by = "highs"
        fix: dict[int, int] = {}
        if lp is not None and reduced is not None:
            # A plan better than `value` is at most `room` above the LP's optimum.
            room = value - 1 - relaxed.dual + 1e-6
            lower, upper = highs.proto.variables.lower_bounds, highs.proto.variables.upper_bounds
            for var, cost in enumerate(reduced):
                if cost > room and lp[var] <= lower[var] + 1e-9:
                    fix[var] = round(lower[var])
                elif -cost > room and lp[var] >= upper[var] - 1e-9:
                    fix[var] = round(upper[var])
        worst = value
        try:
            rest = highs.solve(level.expr, deadline, hint=values, fix=fix, options=SOFT_MIP_OPTIONS)
        except InfeasibleModel:  # no plan better than `value` is left
            tighter(worst)
        else:
            better(rest.values)
            tighter(None if rest.bound is None else min(rest.bound, worst))
    return done()


def solve_highs(model: LinearModel, levels: list[Level], deadline: float | None,
                start: Start | None = None, decisions: list[int] | None = None) -> Solution:
    """Levels 1-2 as whole MIPs (hinted with the start), the soft level by `_soft_highs`."""
    highs = _Highs(model)
    values, results = _start(model, levels, start)
    for level, done in zip(levels, results, strict=False):
        highs.add_rows([Row(level.expr.terms, None, done.value - level.expr.constant)])
    hinted = start is not None
    for level in levels[len(results):]:
        if not level.must_prove and hinted:
            # The start's bounds (set only when it proved levels 1-2) hold from here on.
            bound = None
            if start is not None:
                for var, low in start.lower.items():
                    highs.proto.variables.lower_bounds[var] = low
                bound = start.soft_bound
            values, done = _soft_highs(highs, level, values, bound, decisions or [], deadline)
        else:
            found = highs.solve(level.expr, deadline, hint=values if hinted else None)
            if found.values is None:
                results.append(LevelResult(level.name, level.expr.value(values), False))
                continue
            values, hinted = [round(x) for x in found.values], True
            value = level.expr.value(values)
            proven = found.optimal or (found.bound is not None and found.bound >= value)
            done = LevelResult(level.name, value, proven, found.bound, "highs")
        results.append(done)
        highs.add_rows([Row(level.expr.terms, None, done.value - level.expr.constant)])
    return Solution(values, tuple(results), "highs")


def choose_backend(model: LinearModel, soft: bool = False) -> str:
    """The back end for this shape of problem (see docs/benchmarks.md).

    With a soft level, HiGHS on every shape measured (40-1000 volunteers, 1-4
    weeks, easy and tight, plain and re-plan): its LP bound and reduced-cost
    fixing prove the soft level where CP-SAT's search took 10-70 s or stopped
    at a gap. Levels 1-2 alone (what-if, `soft=False`) stay on CP-SAT, which
    proves them at least as fast (issues 3 and 4).
    """
    return "highs" if soft else "cp-sat"


def solve_levels(model: LinearModel, levels: list[Level], backend: str,
                 time_limit: float | None = None, start: Start | None = None,
                 decisions: list[int] | None = None) -> Solution:
    """Minimise `levels` in order; `start`, a full valid solution, seeds the search.

    `decisions` are the variables a plan is made of (the others follow from
    them); HiGHS rounds an LP solution through them.
    """
    if model.infeasible:
        raise InfeasibleModel()
    deadline = None if time_limit is None else time.monotonic() + time_limit
    if backend == "cp-sat":
        return solve_cpsat(model, levels, deadline, start)
    if backend == "highs":
        return solve_highs(model, levels, deadline, start, decisions)
    raise ValueError(f"unknown solver {backend!r}; choose one of {', '.join(BACKENDS)}")
