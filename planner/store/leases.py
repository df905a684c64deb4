"""Leases: a job only one process may run at a time (the email sender), claimed for a while and renewed.

`take` is atomic on both databases: the lease row is read FOR UPDATE on
PostgreSQL (a second taker waits, then sees the first one's claim), and
SQLite's `BEGIN IMMEDIATE` lets one writer in at a time. A holder that dies
without `release` blocks the job only until its claim runs out. Times are the
store's naive UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.store.models import LeaseRow


@dataclass(frozen=True)
class Lease:
    name: str
    holder: str
    expires_at: datetime


def take(db: Session, name: str, holder: str, now: datetime, seconds: float) -> bool:
    """Claim (or renew) `name` for `holder` until `now + seconds`; False while someone else holds it."""
    until = now + timedelta(seconds=seconds)
    row = db.get(LeaseRow, name, with_for_update=True, populate_existing=True)
    if row is None:
        try:
            with db.begin_nested():  # two first takers at once: one inserts, the other is refused
                db.add(LeaseRow(name=name, holder=holder, expires_at=until))
        except IntegrityError:
            return False
        return True
    if row.holder not in (None, holder) and row.expires_at is not None and row.expires_at > now:
        return False
    row.holder, row.expires_at = holder, until
    db.flush()
    return True


def release(db: Session, name: str, holder: str) -> None:
    """Give the lease up at once (a clean stop), if `holder` still has it."""
    row = db.get(LeaseRow, name, with_for_update=True, populate_existing=True)
    if row is not None and row.holder == holder:
        row.holder, row.expires_at = None, None
        db.flush()


def current(db: Session, name: str, now: datetime) -> Lease | None:
    """Who holds `name` now, or None when nobody's claim is running."""
    row = db.get(LeaseRow, name)
    if row is None or row.holder is None or row.expires_at is None or row.expires_at <= now:
        return None
    return Lease(row.name, row.holder, row.expires_at)
