"""The Outbox as coordinators see it: every message with its status, retries, and whether email can go out.

It also holds the process's wake-up call for the background sender (`wake`):
whatever queues or retries a message calls it once its unit of work has
committed, so the message goes out at once rather than at the next poll.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from planner.core.clock import utcnow
from planner.core.errors import NotifyError
from planner.services.mail import smtp_settings
from planner.store import applicants, audit, leases, notifications, roster
from planner.store.db import Session, after_commit, session
from planner.store.notifications import Notification
from planner.store.settings import load_settings

SENDER_LEASE = "email sender"
SMTP_HELP = ("set PLANNER_SMTP_HOST, PLANNER_SMTP_PORT and PLANNER_SMTP_FROM (with PLANNER_SMTP_USER and "
             "PLANNER_SMTP_PASSWORD if the mail server asks for them) in the server's environment, or the "
             "same values in an [smtp] section of .streamlit/secrets.toml, then restart the app")

_wake = threading.Event()


def wake() -> None:
    """Tell this process's background sender there is something to send."""
    _wake.set()


def wait_for_work(timeout: float) -> None:
    """The background sender's pause: until `wake()` or `timeout` seconds."""
    _wake.wait(timeout)
    _wake.clear()


def email_problem() -> str | None:
    """Why no email can go out, naming the setting that fixes it; None when email is set up."""
    try:
        settings = smtp_settings()
    except NotifyError as err:
        return f"The email settings are wrong ({err}), so no message can go out: {SMTP_HELP}."
    if settings is None:
        return f"Email is not set up, so no message can go out: {SMTP_HELP}."
    return None


@dataclass(frozen=True)
class Outbox:
    messages: list[Notification]  # newest first
    names: dict[str, str]  # display names by recipient (`v07`, `applicant 12`); erased people are not in it
    timezone: str
    counts: dict[str, int]
    email_problem: str | None
    sender_until: datetime | None  # naive UTC end of the running sender's claim; None: no sender now


def _recipients(db: Session) -> dict[str, str]:
    """Display names of everyone a message may be for: volunteers (`v07`) and applicants (`applicant 12`)."""
    return {**roster.names(db), **applicants.names(db)}


def load(limit: int = 500) -> Outbox:
    with session(readonly=True) as db:
        lease = leases.current(db, SENDER_LEASE, utcnow())
        return Outbox(notifications.list_notifications(db, limit=limit), _recipients(db),
                      load_settings(db).timezone, notifications.counts(db), email_problem(),
                      lease.expires_at if lease else None)


def body(notification_id: int) -> str | None:
    """The text of one message, or None when it is gone or its recipient was erased."""
    with session(readonly=True) as db:
        found = notifications.get(db, notification_id)
        if found is None or (found.recipient is not None and found.recipient not in _recipients(db)):
            return None
        return found.body


def retry(notification_id: int | None, actor: str) -> int:
    """Queue one failed message again (or every failed one, with None); how many. The sender wakes."""
    with session() as db:
        count = notifications.retry(db, notification_id)
        if count:
            target = "all failed messages" if notification_id is None else f"message {notification_id}"
            audit.record(db, actor, "outbox retry", target, f"{count} queued again")
            after_commit(db, wake)
        return count
