"""Applicants are kept only as long as the center says: declined or stale ones are erased, counts kept.

The center's `applicant_retention_days` after an applicant was declined, or
after they last moved while not on the roster yet (stale), they are deleted
with their messages; after the same time a trained one's pipeline record
goes too (the roster keeps the person), and at once one whose roster record
was erased. Only an anonymous count per outcome and stage stays
(`applicant_tallies`), and the audit log says which applicant id went, and why.
The app's background sender runs this once a minute, as does `send-reminders`
from cron, and the applicants page when it opens.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from planner.core.applicants import BEFORE_ROSTER, Applicant
from planner.core.clock import utcnow
from planner.store import applicants, roster
from planner.store.db import Session, session
from planner.store.settings import load_settings

ACTOR = "retention"


def outcome(applicant: Applicant, cutoff: datetime, erased_volunteers: set[int]) -> str | None:
    """Why `applicant` is erased now (`declined`, `stale`, `trained`, `left`), or None to keep them."""
    if applicant.volunteer_id is not None and applicant.volunteer_id in erased_volunteers:
        return "left"
    if applicant.declined_at is not None:
        return "declined" if applicant.declined_at <= cutoff else None
    if applicant.stage in BEFORE_ROSTER or applicant.stage == "trained":
        reason = "trained" if applicant.stage == "trained" else "stale"
        return reason if applicant.since <= cutoff else None
    return None


def _due(db: Session, now: datetime) -> list[tuple[int, str]]:
    cutoff = now - timedelta(days=load_settings(db).applicant_retention_days)
    everyone = applicants.list_applicants(db)
    linked = {a.volunteer_id for a in everyone if a.volunteer_id is not None}
    kept = {r.id for r in roster.list_volunteers(db)}  # not erased
    return [(a.id, why) for a in everyone if (why := outcome(a, cutoff, linked - kept)) is not None]


def erase_due(now: datetime | None = None) -> int:
    """Erase every applicant whose time is up; how many went. Writes only when someone is due."""
    now = now or utcnow()
    with session(readonly=True) as db:
        if not _due(db, now):
            return 0
    with session() as db:
        due = _due(db, now)  # again under the write lock: someone may have moved them meanwhile
        for applicant_id, why in due:
            applicants.erase(db, applicant_id, why, ACTOR)
        return len(due)
