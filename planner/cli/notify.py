"""`python -m planner send-reminders`: the daily (or more frequent) email job for cron.

Queues plan notices for every upcoming week and reminders for tomorrow, then
sends everything pending. Queueing is committed before sending, so nothing is
lost when the SMTP server is down; the next run retries. Exit codes: 0 all
sent, 2 email is not configured (messages stay queued), 3 some messages
failed and will be retried.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = subparsers.add_parser("send-reminders", help="queue plan notices and tomorrow's reminders, "
                                "then send all pending email")
    cmd.add_argument("--today", type=date.fromisoformat, metavar="YYYY-MM-DD",
                     help="the center's date to remind from (default: today in the center's time zone)")
    cmd.set_defaults(handler=send_reminders_cmd)


def send_reminders_cmd(args: argparse.Namespace) -> int:
    from planner.services import maintenance, notify

    maintenance.upgrade()
    notices, reminders, today = notify.queue_due(args.today)
    print(f"queued {notices} plan notices and {reminders} reminders for {today}", file=sys.stderr)
    report = notify.send_all()
    print(f"email: {report}", file=sys.stderr)
    return 3 if report.failed else 0
