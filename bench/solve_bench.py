"""Solve benchmark: the engine on each back end, a plain HiGHS run and the greedy baseline, one table.

    python bench/solve_bench.py [--sizes 40,200,600,1000] [--weeks 1,2,4] [--time-limit 120]

Problems (bench/generate.py, seed 1), every combination of volunteers x weeks x
demand x history:

- demand *easy*: shift minimums at about 30% of the roster's shift capacity;
  *tight*: at 90% of the shift positions the roster can fill at most;
- *plain*: no preferences, no published plan (the soft level is the min-max
  and the consecutive days); *re-plan*: half the volunteers prefer one slot
  and a published plan, made before this week's changes, is to be kept.

For each problem, one after another, in this process unless said:

- greedy: pins, then slots topped up in order of scarcity (warmstart.greedy),
  no solver; its time includes building the model;
- auto: `python -m planner solve` as a whole process (imports, reading, model,
  solve, explanations, writing), and the same solve in this process;
- cp-sat, highs: the engine with that back end;
- HiGHS plain: the same model and levels given to HiGHS the plain way (the
  MathOpt Python model, default settings, one level after another, no warm
  start): the yardstick of issue 16.

Every run is checked with planner.validate, every run that proves levels 1-2
must agree on them, and every repeat must give the same answer. Cells: levels
1-2 as `unfilled / below target` (greedy: then its soft level); the soft
level as `value = bound` (proven optimal), `value >= bound (gap%)` or `value`
(no bound); a run whose levels 1-2 differ from the proven ones shows them in
brackets. Times are medians of up to `--repeat` rounds, each running every
method once (so load changes hit them alike). Run benchmarks one at a time:
the machine has two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from planner import engine  # noqa: E402
from planner.core.problem import Assignment, Problem, read_problem  # noqa: E402
from planner.core.validate import measure, validate  # noqa: E402
from planner.engine import warmstart  # noqa: E402
from planner.engine.goals import positions_below_target, soft_goals, unfilled_positions, weighted  # noqa: E402
from planner.engine.linear import Level  # noqa: E402
from planner.engine.rules import build_rules  # noqa: E402

TIGHT = 0.9
PREFER = 0.5


@dataclass
class Run:
    seconds: float
    unfilled: int
    below: int
    levels_proven: bool
    soft: int | None
    soft_bound: int | None = None
    by: str = ""


def machine() -> dict[str, str]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    import ortools

    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": ram, "python": platform.python_version(),
            "ortools": ortools.__version__, "date": datetime.date.today().isoformat()}


def problem_doc(volunteers: int, weeks: int, tight: bool, replan: bool, seed: int) -> dict:
    return generate(volunteers, weeks, seed=seed, demand=TIGHT if tight else None,
                    prefer=PREFER if replan else 0.0, previous=replan)


def run_greedy(problem: Problem) -> Run:
    started = time.perf_counter()
    model = build_rules(problem)
    pairs = warmstart.greedy(model)
    seconds = time.perf_counter() - started
    assignments = [Assignment(slot, vid) for vid, slot in sorted(pairs)]
    assert not validate(problem, assignments), "greedy broke a hard rule"
    objective = measure(problem, assignments)
    soft = weighted(soft_goals(model))
    values = warmstart.complete(model.lp, {var: int(pair in pairs) for pair, var in model.x.items()})
    return Run(seconds, objective.unfilled, objective.below_target, False,
               soft.value(values) if values is not None else None)


def run_engine(problem: Problem, solver: str, time_limit: float | None,
               chosen: list[str] | None = None) -> Run:
    plan = engine.solve(problem, time_limit=time_limit, solver=solver)
    assert not validate(problem, list(plan.assignments)), f"{solver} broke a hard rule"
    if chosen is not None:
        chosen[:] = [plan.solver]
    return Run(plan.seconds, plan.objective.unfilled, plan.objective.below_target, plan.status == "optimal",
               plan.soft_total, plan.soft_bound)


def run_process(path: Path, time_limit: float) -> Run:
    """`python -m planner solve` as shipped (no time limit); `time_limit` only guards the bench."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.json"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "planner", "solve", str(path), "-o", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=time_limit * 3 + 60)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"planner solve exited {done.returncode}: {done.stderr.strip()[-300:]}")
        plan = json.loads(out.read_text())
        return Run(seconds, plan["objective"]["unfilled"], plan["objective"]["below_target"],
                   plan["status"] == "optimal", plan["soft_total"], plan["soft_bound"])


def run_plain_highs(problem: Problem, time_limit: float) -> Run:
    """The three levels given to HiGHS the plain way: MathOpt's Python model, default settings."""
    from ortools.math_opt.python import mathopt

    started = time.perf_counter()
    deadline = started + time_limit
    model = build_rules(problem)
    levels = [Level("unfilled", unfilled_positions(model)), Level("below", positions_below_target(model))]
    goals = soft_goals(model)
    if goals:
        levels.append(Level("soft", weighted(goals)))
    mo = mathopt.Model(name="plan")
    xs = [mo.add_integer_variable(lb=lo, ub=hi)
          for lo, hi in zip(model.lp.lower, model.lp.upper, strict=True)]

    def linear(terms: dict[int, int]):  # noqa: ANN202
        return mathopt.LinearSum(mathopt.LinearTerm(xs[v], c) for v, c in terms.items())

    for row in model.lp.rows:
        mo.add_linear_constraint(lb=-math.inf if row.lower is None else row.lower,
                                 ub=math.inf if row.upper is None else row.upper, expr=linear(row.terms))
    found: list[tuple[int, int | None]] = []
    values: list[int] = []
    for level in levels:
        mo.minimize(linear(level.expr.terms))
        left = datetime.timedelta(seconds=max(0.1, deadline - time.perf_counter()))
        params = mathopt.SolveParameters(time_limit=left)
        result = mathopt.solve(mo, mathopt.SolverType.HIGHS, params=params)
        if not result.has_primal_feasible_solution():
            break
        values = [round(result.variable_values(x)) for x in xs]
        value = level.expr.value(values) - level.expr.constant
        dual = result.termination.objective_bounds.dual_bound
        bound = math.ceil(dual - 1e-6) + level.expr.constant if math.isfinite(dual) else None
        found.append((value + level.expr.constant, bound))
        mo.add_linear_constraint(ub=value, expr=linear(level.expr.terms))
    seconds = time.perf_counter() - started
    assignments = [Assignment(slot, vid) for (vid, slot), var in model.x.items() if values and values[var]]
    assert not validate(problem, assignments), "plain HiGHS broke a hard rule"
    if len(found) < 2:
        return Run(seconds, -1, -1, False, None)
    proven = all(bound is not None and bound >= value for value, bound in found[:2])
    soft, soft_bound = found[2] if len(found) > 2 else (None, None) if goals else (0, 0)
    return Run(seconds, found[0][0], found[1][0], proven, soft, soft_bound if proven else None)


def soft_cell(run: Run) -> str:
    if run.soft is None:
        return "-"
    if run.soft_bound is None:
        return f"{run.soft}"
    if run.soft_bound >= run.soft:
        return f"{run.soft} = {run.soft_bound}"
    return f"{run.soft} >= {run.soft_bound} ({100 * (run.soft - run.soft_bound) / run.soft:.2f}%)"


def levels_cell(run: Run, proven: tuple[int, int]) -> str:
    """Empty when the run proved levels 1-2 at the common optimum; else its values."""
    if run.levels_proven and (run.unfilled, run.below) == proven:
        return ""
    return f" [{run.unfilled} / {run.below}{'' if run.levels_proven else ' unproven'}]"


COLUMNS = ("problem", "levels 1-2", "greedy s", "greedy", "auto", "process s", "plan s", "soft", "cp-sat s",
           "cp-sat soft", "highs s", "highs soft", "HiGHS plain s", "HiGHS plain soft")


def interleaved(methods: dict[str, Callable[[], Run]], times: int, budget: float) -> dict[str, Run]:
    """Each method's answer and median time over up to `times` rounds of one run each.

    Rounds run every method once, so a change in the machine's load hits them
    alike; a method sits out once another run would take it past `budget`
    seconds in all. Every repeat must give the same answer (the engine is
    deterministic).
    """
    runs: dict[str, list[Run]] = {name: [] for name in methods}
    for _ in range(times):
        for name, method in methods.items():
            done = runs[name]
            if done and sum(r.seconds for r in done) + done[-1].seconds > budget:
                continue
            done.append(method())
            assert replace(done[-1], seconds=0) == replace(done[0], seconds=0), f"{name}: repeats differ"
    return {name: replace(done[0], seconds=statistics.median(r.seconds for r in done))
            for name, done in runs.items()}


def bench_problem(volunteers: int, weeks: int, tight: bool, replan: bool, args: argparse.Namespace,
                  tmp: Path) -> list[str]:
    name = f"{volunteers} x {weeks} wk {'tight' if tight else 'easy'} {'re-plan' if replan else 'plain'}"
    doc = problem_doc(volunteers, weeks, tight, replan, args.seed)
    problem = read_problem(doc)
    path = tmp / "problem.json"
    path.write_text(json.dumps(doc))
    greedy = run_greedy(problem)
    chosen: list[str] = []
    methods: dict[str, Callable[[], Run]] = {
        "process": lambda: run_process(path, args.time_limit),
        "auto": lambda: run_engine(problem, "auto", None, chosen),
        **{solver: lambda s=solver: run_engine(problem, s, args.time_limit) for solver in engine.BACKENDS},
        "plain": lambda: run_plain_highs(problem, args.time_limit),
    }
    done = interleaved(methods, args.repeat, args.repeat_budget)
    process, auto, plain = done["process"], done["auto"], done["plain"]
    runs = {solver: done[solver] for solver in engine.BACKENDS}
    assert replace(process, seconds=0) == replace(auto, seconds=0), "the process and the engine differ"
    proven = {(r.unfilled, r.below) for r in (auto, *runs.values(), plain) if r.levels_proven}
    assert len(proven) <= 1, f"{name}: proven levels 1-2 differ: {proven}"
    common = proven.pop() if proven else (-1, -1)
    status = "proven" if auto.levels_proven else "unproven"
    cells = [name, f"{auto.unfilled} / {auto.below} {status}", f"{greedy.seconds:.2f}",
             f"{greedy.unfilled} / {greedy.below}; {greedy.soft}", chosen[0], f"{process.seconds:.2f}",
             f"{auto.seconds:.2f}",
             soft_cell(auto) + levels_cell(auto, common)]
    for solver in engine.BACKENDS:
        run = runs[solver]
        cells += [f"{run.seconds:.2f}", soft_cell(run) + levels_cell(run, common)]
    cells += [f"{plain.seconds:.2f}", soft_cell(plain) + levels_cell(plain, common)]
    line = "| " + " | ".join(cells) + " |"
    print(line, file=sys.stderr, flush=True)
    return [line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=120.0, help="per run, seconds (default 120)")
    parser.add_argument("--sizes", default="40,200,600,1000")
    parser.add_argument("--weeks", default="1,2,4")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of runs, median time (default 3)")
    parser.add_argument("--repeat-budget", type=float, default=8.0,
                        help="no repeat that would take a method past this many seconds (default 8)")
    args = parser.parse_args(argv)
    info = machine()
    started = time.perf_counter()
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    with tempfile.TemporaryDirectory() as tmp:
        for volunteers in map(int, args.sizes.split(",")):
            for weeks in map(int, args.weeks.split(",")):
                for tight in (False, True):
                    for replan in (False, True):
                        lines += bench_problem(volunteers, weeks, tight, replan, args, Path(tmp))
    print(f"Machine: {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM; Python {info['python']}; "
          f"OR-Tools {info['ortools']}; {info['date']}; per-run time limit {args.time_limit:g} s; "
          f"times are medians of up to {args.repeat} runs ({args.repeat_budget:g} s per method and problem); "
          f"whole table {time.perf_counter() - started:.0f} s.\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
