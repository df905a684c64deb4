"""Cancellations: someone drops out of a published slot, leaving a gap until it is resolved.

The use case (publish a version without the person, time off for the slot,
notices) is `planner.services.cancel`; here are the rows. Rows are never
deleted: the history of who dropped out, when and why stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.domain import volunteer_id_from_key, volunteer_key
from planner.core.errors import PlanError
from planner.store import audit
from planner.store.models import CancellationRow, WeekRow, utcnow

RESOLUTIONS = ("replaced", "replanned", "dismissed", "undone")
MAX_REASON = 200


@dataclass(frozen=True)
class Gap:
    """One cancellation; open while `resolution` is empty."""

    id: int
    week_start: date
    slot: str
    volunteer: str  # volunteer key, `v07`
    plan_version: int
    reason: str
    created_at: datetime
    created_by: str | None
    resolution: str = ""
    replacement: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None

    @property
    def is_open(self) -> bool:
        return not self.resolution


def _gap(row: CancellationRow, week_start: date) -> Gap:
    return Gap(row.id, week_start, row.slot, volunteer_key(row.volunteer_id), row.plan_version, row.reason,
               row.created_at, row.created_by, row.resolution,
               volunteer_key(row.replacement_id) if row.replacement_id is not None else None,
               row.resolved_at, row.resolved_by)


def _key(volunteer: int | str) -> str:
    """Callers hold either the stored id (7) or the plan key (`v07`)."""
    if isinstance(volunteer, int):
        return volunteer_key(volunteer)
    volunteer_id_from_key(volunteer)  # raises ValueError for a key it did not make
    return volunteer


def checked_reason(reason: str) -> str:
    """The reason as kept; raises PlanError when it is too long to keep."""
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise PlanError(f"reason: longer than {MAX_REASON} characters")
    return reason


def record(db: Session, week_start: date, slot_id: str, volunteer: int | str, plan_version: int,
           reason: str = "", actor: str | None = None) -> Gap:
    """Keep on record that a volunteer dropped out of `plan_version`; the plan change is the caller's."""
    try:
        key = _key(volunteer)
    except ValueError as err:
        raise PlanError(f"volunteer: {err}") from None
    reason = checked_reason(reason)
    week = db.scalar(select(WeekRow).where(WeekRow.start == week_start))
    if week is None:
        raise PlanError(f"week {week_start}: nothing is published")
    row = CancellationRow(week_id=week.id, slot=slot_id, volunteer_id=volunteer_id_from_key(key),
                          plan_version=plan_version, reason=reason, created_by=actor, resolution="")
    db.add(row)
    db.flush()
    audit.record(db, actor, "cancellation", f"week {week_start}", f"{key} cannot make {slot_id}")
    return _gap(row, week_start)


def list_cancellations(db: Session, week_start: date) -> list[Gap]:
    """Every cancellation of the week, open and resolved, by slot then time."""
    week = db.scalar(select(WeekRow).where(WeekRow.start == week_start))
    if week is None:
        return []
    rows = db.scalars(select(CancellationRow).where(CancellationRow.week_id == week.id)
                      .order_by(CancellationRow.slot, CancellationRow.created_at, CancellationRow.id))
    return [_gap(r, week_start) for r in rows]


def get_gap(db: Session, gap_id: int) -> Gap | None:
    row = db.get(CancellationRow, gap_id)
    if row is None:
        return None
    return _gap(row, db.get_one(WeekRow, row.week_id).start)


def open_gaps(db: Session, week_start: date) -> list[Gap]:
    return [g for g in list_cancellations(db, week_start) if g.is_open]


def resolve_gap(db: Session, gap_id: int, resolution: str, *, replacement: int | str | None = None,
                actor: str | None = None) -> Gap:
    """Close a gap: `replaced` (with the replacement), `replanned`, `dismissed` (left open on purpose)
    or `undone` (they can come after all).

    Publishing the plan change is the caller's (same unit of work), so the two
    happen together or not at all.
    """
    if resolution not in RESOLUTIONS:
        raise PlanError(f'resolution: "{resolution}" is not one of {", ".join(RESOLUTIONS)}')
    row = db.get(CancellationRow, gap_id)
    if row is None:
        raise PlanError(f"gap: no gap {gap_id}")
    if row.resolution:
        raise PlanError(f"gap {gap_id}: already resolved ({row.resolution})")
    if (resolution == "replaced") != (replacement is not None):
        raise PlanError("replacement: give one exactly when the gap is replaced")
    try:
        replacement_id = volunteer_id_from_key(_key(replacement)) if replacement is not None else None
    except ValueError as err:
        raise PlanError(f"replacement: {err}") from None
    row.resolution, row.replacement_id = resolution, replacement_id
    row.resolved_at, row.resolved_by = utcnow(), actor
    db.flush()
    week = db.get(WeekRow, row.week_id)
    assert week is not None
    week_start = week.start
    by = f" by {_key(replacement)}" if replacement is not None else ""
    audit.record(db, actor, "gap resolved", f"week {week_start}", f"{row.slot}: {resolution}{by}")
    return _gap(row, week_start)
