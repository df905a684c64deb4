"""Solve benchmarks: greedy baseline, CP-SAT and HiGHS on seeded weeks, as a Markdown table.

    python bench/solve_bench.py [--time-limit 60] [--sizes 40,200,1000] [--weeks 1,4] [--no-alone]

For every problem (volunteers x weeks, easy and tight; bench/generate.py,
seed 1) it runs, one after another:

- greedy: pins, then slots topped up in order of scarcity (warmstart.greedy),
  no solver; its time includes building the model (which finds who is eligible);
- the engine (`planner.engine.solve`) on each back end, as shipped: flow warm
  start, then the solver;
- each back end without the warm start ("alone"), to show what the start buys;
- for the 1000 x 4 weeks problems, the whole `python -m planner solve`
  process per back end, as a subprocess on a written problem file.

Columns: status (optimal = levels 1-2 proven), levels 1-2, the weighted soft
level, the plan's `seconds`, the whole process's seconds, what proved levels
1-2 ("flow bound" = the warm start met the flow relaxation's bound), and the
gap (value - lower bound of the first unproven level) where not proven.
Run benchmarks one at a time: the machine has two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from planner import engine  # noqa: E402
from planner.core.problem import Assignment, read_problem  # noqa: E402
from planner.core.validate import measure, validate  # noqa: E402
from planner.engine import backends, warmstart  # noqa: E402
from planner.engine.rules import build_rules  # noqa: E402

PARAMETERS = {
    "cp-sat": "1 worker, seed 7, linearization_level 2; levels 1-2 as one exact weighted objective",
    "highs": "MathOpt, seed 7, abs gap 0.5, rel gap 0; levels one at a time",
}


@contextlib.contextmanager
def capture() -> Iterator[list]:
    """The Solution objects the engine gets from its back end during the block."""
    seen: list = []
    original = engine.solve_levels

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        solution = original(*args, **kwargs)
        seen.append(solution)
        return solution

    engine.solve_levels = spy
    try:
        yield seen
    finally:
        engine.solve_levels = original


@contextlib.contextmanager
def without_warm_start() -> Iterator[None]:
    original = engine.warm_start
    engine.warm_start = lambda *args: None
    try:
        yield
    finally:
        engine.warm_start = original


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


def row(name: str, method: str, **cells: object) -> dict[str, object]:
    return {"problem": name, "method": method, **cells}


def run_greedy(name: str, problem) -> dict[str, object]:  # noqa: ANN001
    started = time.perf_counter()
    model = build_rules(problem)
    pairs = warmstart.greedy(model)
    seconds = time.perf_counter() - started
    assignments = [Assignment(slot, vid) for vid, slot in sorted(pairs)]
    assert not validate(problem, assignments), "greedy broke a hard rule"
    objective = measure(problem, assignments)
    return row(name, "greedy", status="-", unfilled=objective.unfilled, below=objective.below_target,
               soft="-", seconds=seconds)


def run_engine(name: str, problem, solver: str, time_limit: float, alone: bool) -> dict[str, object]:  # noqa: ANN001
    with capture() as seen, (without_warm_start() if alone else contextlib.nullcontext()):
        plan = engine.solve(problem, time_limit=time_limit, solver=solver)
    assert not validate(problem, list(plan.assignments)), f"{solver} broke a hard rule"
    levels = seen[-1].levels
    gap = "-"
    for level in levels[:2]:
        if not level.proven:
            gap = f"{level.name}: {level.value - level.bound}" if level.bound is not None else \
                f"{level.name}: no bound"
            break
    by = "/".join(sorted({level.by for level in levels[:2] if level.proven})) or "-"
    soft = levels[2].value if len(levels) > 2 else "-"
    return row(name, f"{solver}{' alone' if alone else ''}", status=plan.status,
               unfilled=plan.objective.unfilled, below=plan.objective.below_target, soft=soft,
               seconds=plan.seconds, proof=by, gap=gap)


def run_process(path: Path, solver: str, time_limit: float) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.json"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "planner", "solve", str(path), "--solver", solver,
                               "--time-limit", str(time_limit), "-o", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=time_limit * 3 + 60)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            return seconds, f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
        return seconds, json.loads(out.read_text())["status"]


def fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


COLUMNS = (("problem", "problem"), ("method", "method"), ("status", "status"), ("unfilled", "unfilled"),
           ("below", "below target"), ("soft", "soft (weighted)"), ("seconds", "plan s"),
           ("process", "process s"), ("proof", "levels 1-2 proven by"), ("gap", "gap"))


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| " + " | ".join(title for _, title in COLUMNS) + " |",
             "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(fmt(r.get(key, "")) for key, _ in COLUMNS) + " |")
    return "\n".join(lines)


def bench_problem(volunteers: int, weeks: int, tight: bool, args: argparse.Namespace,
                  tmp: Path) -> list[dict[str, object]]:
    name = f"{volunteers} x {weeks} wk {'tight' if tight else 'easy'}"
    doc = generate(volunteers, weeks, tight, args.seed)
    problem = read_problem(doc)
    done = [run_greedy(name, problem)]
    for alone in (False, True):
        if alone and args.no_alone:
            continue
        for solver in backends.BACKENDS:
            done.append(run_engine(name, problem, solver, args.time_limit, alone))
    if volunteers >= 1000 and weeks >= 4:
        path = tmp / f"{volunteers}x{weeks}{'t' if tight else 'e'}.json"
        path.write_text(json.dumps(doc))
        for r in done[1:]:
            if not str(r["method"]).endswith("alone"):
                seconds, status = run_process(path, str(r["method"]), args.time_limit)
                r["process"] = seconds if status == r["status"] else f"{seconds:.2f} ({status})"
    for r in done:
        print(table([r]).splitlines()[-1], file=sys.stderr, flush=True)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="per run, seconds (default 60)")
    parser.add_argument("--sizes", default="40,200,1000")
    parser.add_argument("--weeks", default="1,4")
    parser.add_argument("--no-alone", action="store_true", help="skip the back ends without warm start")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['cpu']}, {info['ram']} RAM; Python {info['python']}, "
          f"OR-Tools {info['ortools']}; {info['date']}", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for volunteers in map(int, args.sizes.split(",")):
            for weeks in map(int, args.weeks.split(",")):
                for tight in (False, True):
                    rows.extend(bench_problem(volunteers, weeks, tight, args, Path(tmp)))
    print(f"Machine: {info['nproc']} cores ({info['cpu']}), {info['ram']} RAM; Python {info['python']}; "
          f"OR-Tools {info['ortools']}; {info['date']}; per-run time limit {args.time_limit:g} s.\n")
    for solver, text in PARAMETERS.items():
        print(f"- {solver}: {text}")
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
