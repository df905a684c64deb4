"""How much the public sign-up page takes: a limit per browser session, and one per minute for the whole page.

- **Per session, kept in process** (the browser session's `st.session_state`).
  A Streamlit session lives in one server process for as long as its
  websocket does, so no other replica could see it anyway. It stops one tab
  (a double click, a script reusing one connection) from sending the form
  again and again; a new session starts afresh, so it is a courtesy, not the
  guard.
- **Per minute for the whole page, kept in the database**: the sign-ups
  stored in the last minute are counted under a lock
  (`store.applicants.lock_intake`) in the unit of work that would store the
  next one. With several app replicas, an in-process counter would give
  each replica its own allowance, so the database is the honest place. A cap
  on applicants nobody has contacted yet bounds what a slow, patient flood
  could store.

Both take an injectable clock, so tests step through time without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from planner.store import applicants
from planner.store.db import Session

PER_SESSION = 3  # sign-ups one browser session may send in SESSION_WINDOW
SESSION_WINDOW = 3600.0  # seconds
PER_MINUTE = 10  # sign-ups the whole page stores per minute, over every replica
MAX_WAITING = 200  # applicants not contacted yet; beyond it the form asks people to come back later

SESSION_FULL = ("You have sent this form several times already, thank you. The coordinator will contact "
                "you; to change what you sent, reply to the confirmation email.")
PAGE_BUSY = ("Many people are signing up right now. Please try again in a few minutes; nothing was saved.")
PAGE_FULL = ("We have many sign-ups to go through right now. Please try again in a few days; nothing was "
             "saved.")


@dataclass
class SessionLimit:
    """At most `most` sign-ups per `window` seconds from one browser session."""

    most: int = PER_SESSION
    window: float = SESSION_WINDOW
    clock: Callable[[], float] = time.monotonic
    sent: list[float] = field(default_factory=list)

    def allow(self) -> bool:
        """Count one sign-up; False (and not counted) when the session has sent `most` in the window."""
        now = self.clock()
        self.sent = [t for t in self.sent if now - t < self.window]
        if len(self.sent) >= self.most:
            return False
        self.sent.append(now)
        return True


@dataclass(frozen=True)
class PageLimit:
    """At most `per_minute` sign-ups stored per minute, and `max_waiting` nobody has contacted yet."""

    per_minute: int = PER_MINUTE
    max_waiting: int = MAX_WAITING

    def refusal(self, db: Session, now: datetime) -> str | None:
        """Why the page takes no sign-up at `now` (naive UTC), or None; holds the intake lock until `db`
        ends."""
        applicants.lock_intake(db)
        if applicants.applied_since(db, now - timedelta(minutes=1)) >= self.per_minute:
            return PAGE_BUSY
        if applicants.waiting(db) >= self.max_waiting:
            return PAGE_FULL
        return None
