"""`python -m planner ...`: the engine's command line, as the contract defines it.

Only the JSON answer goes to standard output; progress and problems go to
standard error. Bad input exits 2 with one placed line per problem and
writes nothing; exit 1 means a bug.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.problem import Problem, ProblemError, read_problem


def load_json(path: str, what: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ProblemError([f"{path}: cannot read {what} ({err.strerror})"]) from None
    except UnicodeDecodeError:
        raise ProblemError([f"{path}: {what} is not UTF-8 text"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ProblemError([f"{path}: line {err.lineno}, column {err.colno}: not valid JSON ({err.msg})"]) \
            from None


def load_problem(path: str) -> Problem:
    return read_problem(load_json(path, "problem"))


def emit(answer: dict[str, Any], output: str | None) -> None:
    text = json.dumps(answer, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    # Write beside the target and rename, so a reader never sees half a file.
    target = Path(output)
    fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, target)


def cmd_solve(args: argparse.Namespace) -> int:
    from planner.engine import solve
    from planner.plan import plan_to_json

    problem = load_problem(args.problem)
    plan = solve(problem, time_limit=args.time_limit, solver=args.solver)
    print(f"{plan.status}: {plan.objective.unfilled} unfilled, {plan.objective.below_target} below target "
          f"in {plan.seconds:.2f} s ({plan.solver})", file=sys.stderr)
    emit(plan_to_json(plan), args.output)
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    from planner.whatif import answer_to_json, whatif

    answer = whatif(load_problem(args.problem), time_limit=args.time_limit)
    emit(answer_to_json(answer), args.output)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from planner.plan import read_assignments
    from planner.validate import measure, validate

    problem = load_problem(args.problem)
    assignments = read_assignments(load_json(args.plan, "plan"))
    breaches = validate(problem, assignments)
    report: dict[str, Any] = {"valid": not breaches,
                              "breaches": [{"rule": b.rule, "message": b.message} for b in breaches]}
    if not any(b.rule == 0 for b in breaches):
        objective = measure(problem, assignments)
        report["objective"] = {"unfilled": objective.unfilled, "below_target": objective.below_target}
    for b in breaches:
        print(f"rule {b.rule}: {b.message}" if b.rule else b.message, file=sys.stderr)
    emit(report, None)
    return 2 if breaches else 0


def _add_time_limit(p: argparse.ArgumentParser) -> None:
    p.add_argument("--time-limit", type=float, default=None, metavar="S",
                   help="stop after S seconds; the answer then says whether it is proven")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("solve", help="plan a week: PROBLEM.json -> plan JSON")
    p.add_argument("problem", metavar="PROBLEM.json")
    _add_time_limit(p)
    p.add_argument("--solver", choices=("auto", "cp-sat", "highs"), default="auto")
    p.add_argument("-o", "--output", metavar="PLAN.json")
    p.set_defaults(handler=cmd_solve)
    p = sub.add_parser("whatif", help="recruits needed to open each candidate day")
    p.add_argument("problem", metavar="PROBLEM.json")
    _add_time_limit(p)
    p.add_argument("-o", "--output", metavar="ANSWER.json")
    p.set_defaults(handler=cmd_whatif)
    p = sub.add_parser("check", help="check a plan against every hard rule")
    p.add_argument("problem", metavar="PROBLEM.json")
    p.add_argument("plan", metavar="PLAN.json")
    p.set_defaults(handler=cmd_check)
    for register in _store_commands():
        register(sub)
    return parser


def _store_commands() -> list[Callable[[Any], None]]:
    from planner.notify_cli import register as register_notify
    from planner.store.cli import register as register_store

    return [register_store, register_notify]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ProblemError as err:
        for message in err.messages:
            print(message, file=sys.stderr)
        return 2
