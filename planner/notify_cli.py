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
    """Add the verb; it sets `handler(args) -> exit code`, as planner/cli.py expects."""
    cmd = subparsers.add_parser("send-reminders", help="queue plan notices and tomorrow's reminders, "
                                "then send all pending email")
    cmd.add_argument("--today", type=date.fromisoformat, metavar="YYYY-MM-DD",
                     help="the center's date to remind from (default: today in the center's time zone)")
    cmd.set_defaults(handler=send_reminders_cmd)


def send_reminders_cmd(args: argparse.Namespace) -> int:
    from planner import notify
    from planner.io.my_calendar import center_now
    from planner.store.db import migrate, session
    from planner.store.models import utcnow
    from planner.store.settings import load_settings

    migrate()
    with session() as db:
        local_now = center_now(load_settings(db).timezone)
        today = args.today or local_now.date()
        notices = notify.queue_upcoming(db, local_now)
        reminders = notify.queue_reminders(db, today)
    print(f"queued {notices} plan notices and {reminders} reminders for {today}", file=sys.stderr)
    try:
        with session() as db:
            report = notify.send_pending(db, utcnow())
    except notify.NotifyError as err:
        print(err, file=sys.stderr)
        return 2
    print(f"email: {report}", file=sys.stderr)
    return 3 if report.failed else 0
