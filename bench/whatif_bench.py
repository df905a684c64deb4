"""Benchmark of the what-if (issue 4): whole processes, as a leader or a script would wait for them.

Problems: the demo center (fresh SQLite, open Fri-Sun, candidates Mon-Thu) and
generated weeks of 200 and 1000 volunteers (bench/generate.py, tight demand)
whose Mon-Thu slots become the candidates. Each is timed as

- `cli`: `python -m planner whatif PROBLEM.json` (the four single-day answers),
- `+ladder`: one process doing the same what-if and then the ladder (the CLI has
  no ladder verb, so this script runs itself with `--worker ladder`),
- `page` (demo only): one process doing what the leadership page computes
  (every day plain and with a 15% no-show buffer, both ladders, fragility).

Targets (issue 4): demo with 4 candidates + ladder < 2 s, 200 volunteers < 10 s.
Usage: `python bench/whatif_bench.py [--sizes 200 1000] [--time-limit S] [--markdown]`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CANDIDATE_DAYS = (0, 1, 2, 3)  # Monday to Thursday
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TARGETS = {"demo": 2.0, "200": 10.0}


def demo_problem(workdir: Path) -> dict[str, Any]:
    """The demo center's coming week from a fresh SQLite database, Mon-Thu as candidates."""
    from planner.core.domain import default_week
    from planner.core.problem import problem_to_json
    from planner.services import demo, leadership
    from planner.services.week import build_problem
    from planner.store import db
    from planner.store.migrate import migrate
    from planner.store.settings import load_settings

    url = f"sqlite:///{workdir / 'demo.sqlite3'}"
    migrate(url)
    with db.session(url) as s:
        demo.seed_demo(s)
    with db.session(url) as s:
        settings = load_settings(s)
        week = default_week(date.today(), settings.open_weekdays)
        problem = build_problem(s, week)
    db.dispose_engine(url)
    candidates = leadership.candidates(settings, week, CANDIDATE_DAYS)
    return problem_to_json(leadership.with_whatif(problem, candidates, 1, 1, "candidate"))


def generated_problem(volunteers: int, seed: int = 1) -> dict[str, Any]:
    """A generated week (every day open) whose Mon-Thu slots become the what-if candidates."""
    from bench.generate import generate

    doc = generate(volunteers, weeks=1, tight=True, seed=seed)
    existing, by_day = [], {}
    for slot in doc["slots"]:
        weekday = date.fromisoformat(slot["start"][:10]).weekday()
        if weekday in CANDIDATE_DAYS:
            by_day.setdefault(weekday, []).append(slot)
        else:
            existing.append(slot)
    doc["slots"] = existing
    taken = {s["id"] for s in existing}
    for vol in doc["volunteers"]:
        vol["prefers"] = [p for p in vol["prefers"] if p in taken]
    doc["whatif"] = {"candidates": [{"label": WEEKDAYS[d], "slots": by_day[d]} for d in sorted(by_day)],
                     "recruit": {"max_shifts": 1, "max_meals": 1, "available": "candidate"}}
    return doc


# ---------------------------------------------------------------- the timed processes


def worker(mode: str, path: str, time_limit: float | None) -> int:
    """`--worker ladder|page`: one whole process, the answer's proof status as JSON on stdout."""
    from planner.cli.engine import load_problem

    problem = load_problem(path)
    if mode == "ladder":
        from planner.engine.whatif import ladder, whatif

        answer = whatif(problem, time_limit=time_limit)
        steps = ladder(problem, time_limit=time_limit)
        proven = all(a.optimal for a in answer.candidates) and all(s.answer.optimal for s in steps)
    else:
        from planner.engine import study

        results = study(problem, rate=0.15, open_now=3, time_limit=time_limit)
        answers = [*results.days, *(results.buffered or ()), *(s.answer for s in results.steps),
                   *(results.buffered_steps or ())]
        proven = all(a.optimal for a in answers)
    json.dump({"optimal": proven}, sys.stdout)
    return 0


def timed(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return seconds, done.stdout


def run_case(name: str, doc: dict[str, Any], workdir: Path, time_limit: float | None,
             modes: tuple[str, ...]) -> list[dict[str, Any]]:
    path = workdir / f"{name}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    limit = [] if time_limit is None else ["--time-limit", str(time_limit)]
    rows = []
    size = f"{name} ({len(doc['volunteers'])} volunteers, {len(doc['slots'])} slots)"
    candidates = len(doc["whatif"]["candidates"])
    for mode in modes:
        if mode == "cli":
            seconds, out = timed([sys.executable, "-m", "planner", "whatif", str(path), *limit])
            answer = json.loads(out)
            optimal = all(c["optimal"] for c in answer["candidates"])
            counts = "; ".join(f"{c['label'][:3]} {c['extra_volunteers']}/{c['extra_trained']}/"
                               f"{c['extra_meal_providers']}" for c in answer["candidates"])
        else:
            script = str(Path(__file__))
            seconds, out = timed([sys.executable, script, "--worker", mode.lstrip("+"), str(path), *limit])
            optimal, counts = json.loads(out)["optimal"], ""
        target = TARGETS.get(name) if mode == "+ladder" else None
        rows.append({"size": size, "candidates": candidates, "run": mode, "seconds": seconds,
                     "optimal": optimal, "target": target, "answers": counts})
        print(f"{size:40} {mode:8} {seconds:7.2f} s  optimal={optimal}", file=sys.stderr)
    return rows


# ---------------------------------------------------------------- report


def machine() -> str:
    """nproc, CPU model, RAM and load: the figures mean little without them."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        ram = f"{kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "unknown RAM"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "planner", "bench/generate.py"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    generator = hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()).hexdigest()[:12]
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, {ram}; "
            f"Python {platform.python_version()}; load average {load:.2f} at start; "
            f"git {head.stdout.strip() or '?'}{' + local changes' if dirty else ''}; "
            f"bench/generate.py sha256 {generator}")


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| size | candidates | run | seconds | optimal | target | Mon..Thu: volunteers/trained/meal |",
             "|---|---:|---|---:|---|---|---|"]
    for r in rows:
        target = "" if r["target"] is None else (f"< {r['target']:g} s: "
                                                 f"{'met' if r['seconds'] < r['target'] else 'MISSED'}")
        lines.append(f"| {r['size']} | {r['candidates']} | {r['run']} | {r['seconds']:.2f} | "
                     f"{'yes' if r['optimal'] else 'no'} | {target} | {r['answers']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=("ladder", "page"), help=argparse.SUPPRESS)
    parser.add_argument("problem", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 1000])
    parser.add_argument("--time-limit", type=float, default=None, metavar="S")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args.problem, args.time_limit)
    where = machine()
    with tempfile.TemporaryDirectory(prefix="whatif-bench-") as tmp:
        workdir = Path(tmp)
        rows = run_case("demo", demo_problem(workdir), workdir, args.time_limit, ("cli", "+ladder", "page"))
        for n in args.sizes:
            rows += run_case(str(n), generated_problem(n), workdir, args.time_limit, ("cli", "+ladder"))
    print(f"{date.today().isoformat()}; {where}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
