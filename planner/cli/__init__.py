"""`python -m planner ...`: the engine's verbs as the format defines them, and the center's data verbs.

Only the answer goes to standard output; progress and problems go to standard
error. Bad input exits 2 with one placed line per problem and writes nothing;
a database kept locked by other writers exits 3; exit 1 means a bug. Each verb
imports what it needs when it runs, so `solve` does not pay for the database.
SIGTERM (a cron timeout, `kill`) ends a verb like an error: its unit of work
rolls back and a file being written leaves no temporary file behind.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from planner.cli import data, engine, notify
from planner.core.errors import DatabaseBusy, PlannerError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m planner", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (engine, data, notify):
        module.register(sub)
    return parser


def fail(messages: list[str]) -> int:
    for message in messages:
        print(message, file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except DatabaseBusy as err:
        fail(err.messages)
        return 3
    except PlannerError as err:
        return fail(err.messages)


def _terminated(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds: sessions roll back, `finally` removes temporary files


def run() -> int:
    """`python -m planner`: `main`, with SIGTERM unwinding like an error instead of stopping dead."""
    signal.signal(signal.SIGTERM, _terminated)
    return main()
