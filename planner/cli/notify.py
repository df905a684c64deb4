"""`python -m planner send-reminders`: the email job for cron, beside (or instead of) the app's own sender.

Takes the same lease as the app's background sender, so only one of them
sends at a time; when the app's sender holds it, this run does nothing (the
app sends). Otherwise it queues plan notices for every upcoming week and the
reminders due (the center's "hours before a shift"), then sends everything
pending (emails, and texts when they are set up), after the offers' sweep
(expiries, the next wave, alerts, automatic offers). Queueing is committed
before sending, so nothing is lost when the SMTP server is down; the next run
retries. It also erases the applicants whose retention time is up. Exit codes:
0 all sent (or the app's sender is on duty), 2 email is not configured
(messages stay queued), 3 some messages failed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = subparsers.add_parser("send-reminders", help="queue plan notices and due reminders, "
                                "then send all pending email")
    cmd.add_argument("--now", type=datetime.fromisoformat, metavar="YYYY-MM-DDTHH:MM",
                     help="the center's wall-clock time to remind from (default: now)")
    cmd.set_defaults(handler=send_reminders_cmd)


def send_reminders_cmd(args: argparse.Namespace) -> int:
    from planner.core.errors import NotifyError
    from planner.services import maintenance, notify, offers, outbox, retention, sender

    maintenance.upgrade()
    erased = retention.erase_due()
    if erased:
        print(f"erased {erased} applicants whose retention time was up", file=sys.stderr)
    holder = sender.holder_name("cron")
    try:
        if notify.holds(holder):
            swept = offers.sweep(args.now)
            print(f"offers: {swept.expired} expired, {swept.offered} made automatically, {swept.sent} sent "
                  f"to the next wave; {swept.alerts} alerts", file=sys.stderr)
        done = notify.run_round(holder, now_local=args.now)
    except NotifyError as err:
        print(f"email: {err}", file=sys.stderr)
        return 2
    finally:
        notify.release(holder)
    if done.busy:
        print("another sender (the app's) is sending email now; nothing to do", file=sys.stderr)
        return 0
    print(f"queued {done.notices} plan notices and {done.reminders} reminders", file=sys.stderr)
    if done.report is None:
        print(f"email: {outbox.email_problem()} Messages stay queued.", file=sys.stderr)
        return 2
    print(f"email: {done.report}", file=sys.stderr)
    if done.texts is not None:
        print(f"texts: {done.texts}", file=sys.stderr)
    return 3 if done.report.failed or (done.texts is not None and done.texts.failed) else 0
