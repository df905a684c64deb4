"""Attendance: who checked in and out of their published slots, and coordinator corrections.

Rows are keyed by (week, slot, volunteer) and only for people on the slot in
the week's latest published plan, so hours always belong to a planned shift.
Times are naive UTC like every timestamp in the store; pages show them in the
center's time zone. A no-show is a row with `no_show` set and no times.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.core.domain import monday_of, volunteer_id_from_key, volunteer_key
from planner.core.errors import AttendanceError
from planner.core.history import Attendance
from planner.core.problem import Assignment
from planner.store import audit, plans
from planner.store.models import AttendanceRow, WeekRow, utcnow


def _attendance(row: AttendanceRow) -> Attendance:
    return Attendance(row.slot, volunteer_key(row.volunteer_id), row.day, row.checked_in_at,
                      row.checked_out_at, row.no_show, row.corrected_by, row.corrected_at,
                      None if row.trained_by is None else volunteer_key(row.trained_by))


def slot_day(slot_id: str) -> date:
    """Slot ids start with their date (`2026-12-04-am`)."""
    try:
        return date.fromisoformat(slot_id[:10])
    except ValueError:
        raise AttendanceError(f'slot: "{slot_id}" is not a slot') from None


def on_duty(db: Session, day: date) -> list[Assignment]:
    """The day's assignments in the latest published plan of its week, by slot."""
    latest = plans.latest_published(db, monday_of(day))
    if latest is None:
        return []
    return sorted(a for a in latest.assignments if a.slot.startswith(day.isoformat()))


def list_attendance(db: Session, first_day: date, last_day: date) -> list[Attendance]:
    rows = db.scalars(select(AttendanceRow)
                      .where(AttendanceRow.day >= first_day, AttendanceRow.day <= last_day)
                      .order_by(AttendanceRow.day, AttendanceRow.slot, AttendanceRow.volunteer_id))
    return [_attendance(r) for r in rows]


def _row(db: Session, slot_id: str, volunteer: str, *, create: bool) -> AttendanceRow | None:
    """The row of a published assignment; refuses people who are not on the slot."""
    day = slot_day(slot_id)
    try:
        vid = volunteer_id_from_key(volunteer)
    except ValueError as err:
        raise AttendanceError(f"volunteer: {err}") from None
    week = db.scalar(select(WeekRow).where(WeekRow.start == monday_of(day)))
    row = None if week is None else db.scalar(select(AttendanceRow).where(
        AttendanceRow.week_id == week.id, AttendanceRow.slot == slot_id, AttendanceRow.volunteer_id == vid))
    if row is not None or not create:
        return row
    if week is None or Assignment(slot_id, volunteer) not in on_duty(db, day):
        raise AttendanceError(f"{slot_id}: {volunteer} is not on this slot in the published plan")
    row = AttendanceRow(week_id=week.id, slot=slot_id, day=day, volunteer_id=vid, no_show=False)
    db.add(row)
    return row


def check_in(db: Session, slot_id: str, volunteer: str, now: datetime,
             actor: str | None = None) -> Attendance:
    """Record arrival (naive UTC `now`); refused when already checked in."""
    row = _row(db, slot_id, volunteer, create=True)
    assert row is not None
    if row.checked_in_at is not None:
        raise AttendanceError(f"{slot_id}: {volunteer} is already checked in")
    row.checked_in_at, row.no_show = now, False
    db.flush()
    audit.record(db, actor, "check-in", slot_id, volunteer)
    return _attendance(row)


def check_out(db: Session, slot_id: str, volunteer: str, now: datetime,
              actor: str | None = None) -> Attendance:
    """Record leaving; refused before a check-in, twice, or before the check-in time."""
    row = _row(db, slot_id, volunteer, create=False)
    if row is None or row.checked_in_at is None:
        raise AttendanceError(f"{slot_id}: {volunteer} has not checked in")
    if row.checked_out_at is not None:
        raise AttendanceError(f"{slot_id}: {volunteer} has already checked out")
    if now < row.checked_in_at:
        raise AttendanceError(f"{slot_id}: check-out before the check-in time")
    row.checked_out_at = now
    db.flush()
    audit.record(db, actor, "check-out", slot_id, volunteer)
    return _attendance(row)


def correct(db: Session, slot_id: str, volunteer: str, *, checked_in_at: datetime | None,
            checked_out_at: datetime | None, no_show: bool = False, actor: str | None = None) -> Attendance:
    """The coordinator sets the times (or marks a no-show); the row remembers who corrected it."""
    if no_show and (checked_in_at or checked_out_at):
        raise AttendanceError("no-show: a no-show has no check-in or check-out time")
    if checked_out_at is not None and checked_in_at is None:
        raise AttendanceError("checked out: needs a check-in time too")
    if checked_in_at and checked_out_at and checked_out_at < checked_in_at:
        raise AttendanceError("checked out: must be after the check-in time")
    row = _row(db, slot_id, volunteer, create=True)
    assert row is not None
    row.checked_in_at, row.checked_out_at, row.no_show = checked_in_at, checked_out_at, no_show
    row.corrected_by, row.corrected_at = actor, utcnow()
    db.flush()
    what = "no-show" if no_show else f"in {checked_in_at:%H:%M}" if checked_in_at else "cleared"
    audit.record(db, actor, "attendance corrected", slot_id, f"{volunteer}: {what} (UTC)")
    return _attendance(row)


def set_trained_by(db: Session, slot_id: str, trainee: str, trainer: str, actor: str | None = None) -> None:
    """Record who trained `trainee` on the slot (both on it in the published plan, the trainee checked in)."""
    row = _row(db, slot_id, trainee, create=False)
    if row is None or row.checked_in_at is None:
        raise AttendanceError(f"{slot_id}: {trainee} has not checked in")
    if Assignment(slot_id, trainer) not in on_duty(db, slot_day(slot_id)) or trainer == trainee:
        raise AttendanceError(f"{slot_id}: {trainer} is not on this slot beside {trainee}")
    row.trained_by = volunteer_id_from_key(trainer)
    db.flush()
    audit.record(db, actor, "trained by", slot_id, f"{trainee} by {trainer}")
