"""The background email sender: one thread per app process, one sender at a time per database.

`serve.py` starts it with the server (`planner.ui.web.lifespan`) and stops it
on shutdown. Every few seconds (`PLANNER_SENDER_SECONDS`, 0 turns it off), or
at once when something is queued in this process, it runs a round of
`planner.services.notify.run_round`: take or renew the sender's lease, queue
due plan notices and reminders (at most once a minute, after its `tasks`: the
offers' sweep), send what is pending. Once a minute it also erases the
applicants whose time is up (`planner.services.retention`).
Another process's sender waits while the lease is held, and takes over when
it is released (a clean stop) or runs out (a crash). A failing round is
logged and tried again; it never stops the thread or the app.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence

from planner.services import notify, outbox, retention

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 5.0
QUEUE_EVERY = 60.0  # seconds between two looks for due reminders (each publish queues its own notices)
STOP_SECONDS = 45.0  # longest wait for a round to finish on shutdown (an SMTP exchange times out at 30 s)


def poll_seconds() -> float:
    """`PLANNER_SENDER_SECONDS` (default 5); 0 or less: no background sender."""
    try:
        return float(os.environ.get("PLANNER_SENDER_SECONDS", DEFAULT_SECONDS))
    except ValueError:
        log.warning("PLANNER_SENDER_SECONDS is not a number; using %s", DEFAULT_SECONDS)
        return DEFAULT_SECONDS


def holder_name(kind: str) -> str:
    """Who holds the lease, as the Outbox and the logs can say it: host, process, a random tag."""
    return f"{kind} {socket.gethostname()[:40]} pid {os.getpid()} {secrets.token_hex(3)}"


class Sender:
    """A daemon thread sending the outbox; `stop()` finishes the message in hand and releases the lease."""

    def __init__(self, seconds: float, tasks: Sequence[Callable[[], object]] = ()) -> None:
        self.seconds = seconds
        self.tasks = tuple(tasks)  # run once a minute before the queueing, by the lease holder only
        self.holder = holder_name("app")
        self._stopping = threading.Event()
        self._last_failure = ""
        self._thread = threading.Thread(target=self._run, name="planner-email-sender", daemon=True)

    def start(self) -> Sender:
        self._thread.start()
        log.info("email sender started (%s, every %s s)", self.holder, self.seconds)
        return self

    def stop(self) -> None:
        self._stopping.set()
        outbox.wake()
        self._thread.join(STOP_SECONDS)
        try:
            notify.release(self.holder)
        except Exception:  # the database may be gone at shutdown; the lease then simply runs out
            log.warning("email sender: could not release its lease", exc_info=True)
        log.info("email sender stopped")

    def _run(self) -> None:
        last_queued = last_erased = float("-inf")
        while not self._stopping.is_set():
            try:
                due = time.monotonic() - last_queued >= QUEUE_EVERY
                if due and notify.holds(self.holder):
                    self._run_tasks()
                done = notify.run_round(self.holder, queue=due, stop=self._stopping.is_set)
                if due and not done.busy:
                    last_queued = time.monotonic()
                if time.monotonic() - last_erased >= QUEUE_EVERY:
                    last_erased = time.monotonic()
                    retention.erase_due()
                if done.report is not None and (done.report.sent or done.report.failed):
                    log.info("email sender: %s", done.report)
            except Exception as err:  # logged once per kind of failure, not every few seconds
                if str(err) != self._last_failure:
                    log.exception("email sender: the round failed; trying again every %s s", self.seconds)
                self._last_failure = str(err)
            else:
                self._last_failure = ""
            if not self._stopping.is_set():
                outbox.wait_for_work(self.seconds)

    def _run_tasks(self) -> None:
        """Each task on its own: a failing one is logged, and the email still goes out."""
        for task in self.tasks:
            try:
                task()
            except Exception:
                log.exception("email sender: the task %s failed", getattr(task, "__qualname__", task))


def start(tasks: Sequence[Callable[[], object]] = ()) -> Sender | None:
    """The process's sender, unless turned off; never raises (the app runs without one)."""
    seconds = poll_seconds()
    if seconds <= 0:
        log.info("PLANNER_SENDER_SECONDS=%s: no background email sender in this process", seconds)
        return None
    try:
        return Sender(seconds, tasks).start()
    except Exception:
        log.exception("the email sender did not start")
        return None
