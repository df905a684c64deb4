"""What happened on past slots, read as a `planner.core.history.History` for reports and the buffer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.clock import center_now, to_local
from planner.core.domain import monday_of, volunteer_key
from planner.core.history import Cancellation, History
from planner.core.problem import Assignment, Slot
from planner.store import plans, roster
from planner.store.attendance import list_attendance
from planner.store.models import CancellationRow, WeekRow
from planner.store.settings import load_settings


def load_history(db: Session, first_day: date, last_day: date, now_local: datetime | None = None) -> History:
    """Slots from `first_day` to `last_day` that have ended, with plans, attendance and cancellations.

    Uses the current center settings for slot times and minimums; times come back center-local.
    """
    settings = load_settings(db)
    now_local = now_local or center_now(settings.timezone)
    weeks = db.scalars(select(WeekRow).where(WeekRow.start >= monday_of(first_day), WeekRow.start <= last_day)
                       .order_by(WeekRow.start)).all()
    slots: list[Slot] = []
    planned: list[Assignment] = []
    for week in weeks:
        latest = plans.latest_published(db, week.start)
        if latest is None:
            continue
        mine = [s for s in settings.week_slots(week.start)
                if first_day <= s.day <= last_day and s.end <= now_local]
        slots += mine
        ids = {s.id for s in mine}
        planned += [a for a in latest.assignments if a.slot in ids]
    zone = settings.timezone
    seen = [replace(a, checked_in_at=to_local(a.checked_in_at, zone),
                    checked_out_at=to_local(a.checked_out_at, zone))
            for a in list_attendance(db, first_day, last_day)]
    rows = db.execute(select(CancellationRow.slot, CancellationRow.volunteer_id, CancellationRow.created_at)
                      .where(CancellationRow.week_id.in_([w.id for w in weeks]))).all()
    cancels = [Cancellation(slot, volunteer_key(vid), to_local(at, zone) or at) for slot, vid, at in rows]
    return History(tuple(slots), tuple(planned), tuple(seen), tuple(cancels), roster.names(db))
