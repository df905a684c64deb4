"""The engine's verbs: `solve`, `whatif` and `check`, reading and writing the planner JSON format."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from planner.core import jsontext
from planner.core.errors import ProblemError
from planner.core.files import write_output
from planner.core.problem import Problem, read_problem


def load_json(path: str, what: str, root: str = "") -> Any:
    """A problem or plan file through the strict reader; `root` prefixes the places of its keys."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ProblemError([f"{path}: cannot read {what} ({err.strerror})"]) from None
    except UnicodeDecodeError:
        raise ProblemError([f"{path}: {what} is not UTF-8 text"]) from None
    try:
        return jsontext.loads(text, path, root)
    except jsontext.JsonRefused as err:
        raise ProblemError(err.messages) from None


def load_problem(path: str) -> Problem:
    return read_problem(load_json(path, "problem"))


def emit(answer: dict[str, Any], output: str | None) -> None:
    """The JSON answer to `output` (standard output when None or `-`), through the one safe writer."""
    write_output(output or "-", json.dumps(answer, indent=2, ensure_ascii=False) + "\n")


def cmd_solve(args: argparse.Namespace) -> int:
    from planner.core.plan import plan_to_json
    from planner.engine import solve

    problem = load_problem(args.problem)
    plan = solve(problem, time_limit=args.time_limit, solver=args.solver)
    print(f"{plan.status}: {plan.objective.unfilled} unfilled, {plan.objective.below_target} below target "
          f"in {plan.seconds:.2f} s ({plan.solver})", file=sys.stderr)
    emit(plan_to_json(plan), args.output)
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    from planner.engine import answer_to_json, whatif

    answer = whatif(load_problem(args.problem), time_limit=args.time_limit)
    emit(answer_to_json(answer), args.output)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from planner.core.plan import read_assignments
    from planner.core.validate import measure, validate

    problem = load_problem(args.problem)
    assignments = read_assignments(load_json(args.plan, "plan", root="plan"))
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


def _seconds(text: str) -> float:
    """A time limit: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _add_time_limit(p: argparse.ArgumentParser) -> None:
    p.add_argument("--time-limit", type=_seconds, default=None, metavar="S",
                   help="stop after S seconds; the answer then says whether it is proven")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("solve", help="plan a week: PROBLEM.json -> plan JSON")
    p.add_argument("problem", metavar="PROBLEM.json")
    _add_time_limit(p)
    p.add_argument("--solver", choices=("auto", "cp-sat", "highs"), default="auto")
    p.add_argument("-o", "--output", metavar="PLAN.json",
                   help="where to write the plan (- = standard output)")
    p.set_defaults(handler=cmd_solve)
    p = sub.add_parser("whatif", help="recruits needed to open each candidate day")
    p.add_argument("problem", metavar="PROBLEM.json")
    _add_time_limit(p)
    p.add_argument("-o", "--output", metavar="ANSWER.json",
                   help="where to write the answer (- = standard output)")
    p.set_defaults(handler=cmd_whatif)
    p = sub.add_parser("check", help="check a plan against every hard rule")
    p.add_argument("problem", metavar="PROBLEM.json")
    p.add_argument("plan", metavar="PLAN.json")
    p.set_defaults(handler=cmd_check)
