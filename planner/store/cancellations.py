"""Cancellations: someone drops out of a published slot, leaving a gap until it is resolved.

`cancel` publishes a new version without the person (the old version keeps
showing they were on), records the cancellation, drops their pin on that slot,
and adds time off for the slot's hours, so no later re-plan or suggestion puts
them back on a slot they said they cannot make. Rows are never deleted: the
history of who dropped out, when and why stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import DatedException, volunteer_id_from_key, volunteer_key
from planner.problem import Assignment
from planner.store import audit, plans
from planner.store.models import CancellationRow, WeekRow, utcnow
from planner.store.roster import add_exception
from planner.store.settings import load_settings
from planner.validate import measure
from planner.weekbuild import build_problem

RESOLUTIONS = ("replaced", "replanned", "dismissed")
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


def published_counts(db: Session, week_start: date, assignments: list[Assignment]) -> tuple[int, int]:
    """(unfilled, below target) of a week's assignments, counted the way the plan page counts them."""
    problem = build_problem(db, week_start)
    known = [a for a in assignments if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
    objective = measure(problem, known)
    return objective.unfilled, objective.below_target


def cancel(db: Session, week_start: date, slot_id: str, volunteer_id: int | str, reason: str = "",
           actor: str | None = None) -> Gap:
    """Record that a volunteer cannot make a published slot; raises PlanError when they are not on it."""
    try:
        key = _key(volunteer_id)
    except ValueError as err:
        raise plans.PlanError(f"volunteer: {err}") from None
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise plans.PlanError(f"reason: longer than {MAX_REASON} characters")
    latest = plans.latest_published(db, week_start)
    mine = Assignment(slot_id, key)
    if latest is None or mine not in latest.assignments:
        raise plans.PlanError(f"{slot_id}: {key} is not on this slot in the published plan")
    kept = [a for a in latest.assignments if a != mine]
    unfilled, below = published_counts(db, week_start, kept)
    plans.publish_assignments(db, week_start, kept, based_on=latest.version, unfilled=unfilled,
                              below_target=below, actor=actor, why=f"{key} cancelled {slot_id}")
    plans.remove_pin(db, week_start, mine, actor=actor)
    slot = next((s for s in load_settings(db).week_slots(week_start) if s.id == slot_id), None)
    if slot is not None:
        add_exception(db, volunteer_id_from_key(key),
                      DatedException(slot.day, "off", slot.start.time(), slot.end.time()), actor=actor)
    week = db.scalar(select(WeekRow).where(WeekRow.start == week_start))
    assert week is not None and latest.version is not None
    row = CancellationRow(week_id=week.id, slot=slot_id, volunteer_id=volunteer_id_from_key(key),
                          plan_version=latest.version, reason=reason, created_by=actor, resolution="")
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


def open_gaps(db: Session, week_start: date) -> list[Gap]:
    return [g for g in list_cancellations(db, week_start) if g.is_open]


def resolve_gap(db: Session, gap_id: int, resolution: str, *, replacement: int | str | None = None,
                actor: str | None = None) -> Gap:
    """Close a gap: `replaced` (with the replacement), `replanned` or `dismissed` (left open on purpose).

    Publishing the plan change is the caller's (same unit of work), so the two
    happen together or not at all.
    """
    if resolution not in RESOLUTIONS:
        raise plans.PlanError(f'resolution: "{resolution}" is not one of {", ".join(RESOLUTIONS)}')
    row = db.get(CancellationRow, gap_id)
    if row is None:
        raise plans.PlanError(f"gap: no gap {gap_id}")
    if row.resolution:
        raise plans.PlanError(f"gap {gap_id}: already resolved ({row.resolution})")
    if (resolution == "replaced") != (replacement is not None):
        raise plans.PlanError("replacement: give one exactly when the gap is replaced")
    try:
        replacement_id = volunteer_id_from_key(_key(replacement)) if replacement is not None else None
    except ValueError as err:
        raise plans.PlanError(f"replacement: {err}") from None
    row.resolution, row.replacement_id = resolution, replacement_id
    row.resolved_at, row.resolved_by = utcnow(), actor
    db.flush()
    week = db.get(WeekRow, row.week_id)
    assert week is not None
    week_start = week.start
    by = f" by {_key(replacement)}" if replacement is not None else ""
    audit.record(db, actor, "gap resolved", f"week {week_start}", f"{row.slot}: {resolution}{by}")
    return _gap(row, week_start)
