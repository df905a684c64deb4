"""Weeks, plan versions and pins.

A week has at most one draft (`version` NULL) that the coordinator edits and
re-solves; publishing turns it into version 1, 2, ... which is never changed
again, so what volunteers were told stays on record.

Reliability (issue 7): a publish writes the version and all its assignments
in one transaction, with the week's row locked so publishes of a week queue
up. A `key` (one per publish button shown) makes a publish idempotent: a
double click or a retried request returns the version the first one made. The
draft is optimistically locked: pass the draft's `row_version` as `expected_version`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.core.domain import volunteer_id_from_key, volunteer_key
from planner.core.errors import PlanError, PublishedMeanwhile, StaleDraft
from planner.core.problem import Assignment
from planner.store import audit
from planner.store.models import AssignmentRow, PinRow, PlanRow, VolunteerRow, WeekRow, utcnow


@dataclass(frozen=True)
class PlanVersion:
    week_start: date
    version: int | None  # None for the draft
    status: str
    unfilled: int | None
    below_target: int | None
    created_at: datetime
    created_by: str | None
    published_at: datetime | None
    published_by: str | None
    assignments: tuple[Assignment, ...]
    row_version: int = field(default=0, compare=False)  # the draft's `expected_version` for a save

    @property
    def is_draft(self) -> bool:
        return self.version is None


def _week(db: Session, week_start: date, create: bool = False, lock: bool = False) -> WeekRow | None:
    """The week's row; `lock` holds it FOR UPDATE, so a week's publishes run one after another."""
    query = select(WeekRow).where(WeekRow.start == week_start)
    query = query.with_for_update() if lock else query
    row = db.scalar(query)
    if row is None and create:
        try:
            with db.begin_nested():  # PostgreSQL: two first publishes of a week may both get here
                db.add(WeekRow(start=week_start))
        except IntegrityError:  # the other one created it (and has committed): use theirs
            pass
        row = db.scalar(query)
    return row


def lock_week(db: Session, week_start: date) -> None:
    """Hold the week's row until the unit of work ends: publishes of one week run one after another."""
    _week(db, week_start, create=True, lock=True)


def _version(row: PlanRow, week_start: date) -> PlanVersion:
    return PlanVersion(week_start, row.version, row.status, row.unfilled, row.below_target, row.created_at,
                       row.created_by, row.published_at, row.published_by,
                       tuple(Assignment(a.slot, volunteer_key(a.volunteer_id)) for a in row.assignments),
                       row.row_version)


def published_by_key(db: Session, key: str | None, week_start: date) -> PlanVersion | None:
    row = db.scalar(select(PlanRow).where(PlanRow.publish_key == key)) if key else None
    return _version(row, week_start) if row is not None else None


def _check_draft(row: PlanRow | None, expected: int | None, week_start: date) -> None:
    current = row.row_version if row is not None else 0
    if expected is not None and current != expected:
        what = "the draft was discarded or published" if row is None else "the draft was saved again"
        raise StaleDraft(f"week {week_start} draft", expected, current, [what])


def _draft_row(db: Session, week: WeekRow) -> PlanRow | None:
    return db.scalar(select(PlanRow).where(PlanRow.week_id == week.id, PlanRow.version.is_(None)))


def _volunteer_ids(db: Session, items: Iterable[Assignment]) -> list[tuple[str, int]]:
    pairs = []
    for item in dict.fromkeys(items):
        try:
            vid = volunteer_id_from_key(item.volunteer)
        except ValueError as err:
            raise PlanError(f"{item.slot}: {err}") from None
        row = db.get(VolunteerRow, vid)
        if row is None or row.erased_at is not None:
            raise PlanError(f"{item.slot}: no volunteer {item.volunteer}")
        pairs.append((item.slot, vid))
    return pairs


def save_draft(db: Session, week_start: date, assignments: Iterable[Assignment], *, status: str = "",
               unfilled: int | None = None, below_target: int | None = None,
               actor: str | None = None, expected_version: int | None = None) -> PlanVersion:
    """Replace the week's draft (creating it when there is none)."""
    week = _week(db, week_start, create=True, lock=True)
    assert week is not None
    pairs = _volunteer_ids(db, assignments)
    row = _draft_row(db, week)
    _check_draft(row, expected_version, week_start)
    if row is None:
        row = PlanRow(week_id=week.id, version=None)
        db.add(row)
    row.status, row.unfilled, row.below_target = status, unfilled, below_target
    row.created_at, row.created_by = utcnow(), actor
    row.assignments = [AssignmentRow(slot=slot, volunteer_id=vid) for slot, vid in pairs]
    db.flush()
    audit.record(db, actor, "draft saved", f"week {week_start}", f"{len(pairs)} assignments")
    return _version(row, week_start)


def get_draft(db: Session, week_start: date) -> PlanVersion | None:
    week = _week(db, week_start)
    row = _draft_row(db, week) if week else None
    return _version(row, week_start) if row else None


def discard_draft(db: Session, week_start: date, actor: str | None = None) -> None:
    week = _week(db, week_start)
    row = _draft_row(db, week) if week else None
    if row is not None:
        db.delete(row)
        audit.record(db, actor, "draft discarded", f"week {week_start}")


def publish_draft(db: Session, week_start: date, actor: str | None = None, *, key: str | None = None,
                  expected_version: int | None = None, based_on: int | None | bool = False) -> PlanVersion:
    """The draft becomes the next numbered, immutable version; a repeated `key` returns that version.

    With `based_on` (the version the draft was made from; None for the first),
    a version published by someone else in between refuses it (`_check_based_on`).
    """
    week = _week(db, week_start, lock=True)
    done = published_by_key(db, key, week_start)
    if done is not None:
        return done
    row = _draft_row(db, week) if week else None
    if week is None or row is None:
        raise PlanError(f"week {week_start}: there is no draft to publish")
    _check_draft(row, expected_version, week_start)
    last = db.scalar(select(func.max(PlanRow.version)).where(PlanRow.week_id == week.id))
    if based_on is not False:
        _check_based_on(db, week, last, based_on)
    row.publish_key = key
    row.version = (last or 0) + 1
    row.published_at, row.published_by = utcnow(), actor
    db.flush()
    audit.record(db, actor, "plan published", f"week {week_start}", f"version {row.version}")
    return _version(row, week_start)


def publish_assignments(db: Session, week_start: date, assignments: Iterable[Assignment], *,
                        based_on: int | None, status: str = "edited", unfilled: int | None = None,
                        below_target: int | None = None, actor: str | None = None,
                        why: str = "", key: str | None = None) -> PlanVersion:
    """Publish a changed plan at once (a cancellation, a replacement), leaving any draft alone.

    `based_on` is the version the change was made from; when someone published
    in between, the change is refused rather than silently undoing theirs. A
    repeated `key` returns the version the first request made.
    """
    week = _week(db, week_start, create=True, lock=True)
    assert week is not None
    done = published_by_key(db, key, week_start)
    if done is not None:
        return done
    last = db.scalar(select(func.max(PlanRow.version)).where(PlanRow.week_id == week.id))
    _check_based_on(db, week, last, based_on)
    pairs = _volunteer_ids(db, assignments)
    now = utcnow()
    row = PlanRow(week_id=week.id, version=(last or 0) + 1, status=status, unfilled=unfilled,
                  below_target=below_target, created_at=now, created_by=actor, published_at=now,
                  published_by=actor, publish_key=key,
                  assignments=[AssignmentRow(slot=slot, volunteer_id=vid) for slot, vid in pairs])
    db.add(row)
    db.flush()
    detail = f"version {row.version}" + (f": {why}" if why else "")
    audit.record(db, actor, "plan published", f"week {week_start}", detail)
    return _version(row, week_start)


def _check_based_on(db: Session, week: WeekRow, last: int | None, based_on: int | None) -> None:
    """Refuse a change made from an older version, naming the plan that is published now."""
    if last != based_on:
        row = db.scalar(select(PlanRow).where(PlanRow.week_id == week.id, PlanRow.version == last))
        theirs = _version(row, week.start).assignments if row is not None else ()
        raise PublishedMeanwhile(week.start, last or 0, based_on, theirs)


def list_versions(db: Session, week_start: date) -> list[PlanVersion]:
    """Published versions, oldest first."""
    week = _week(db, week_start)
    if week is None:
        return []
    rows = db.scalars(select(PlanRow).where(PlanRow.week_id == week.id, PlanRow.version.is_not(None))
                      .order_by(PlanRow.version))
    return [_version(r, week_start) for r in rows]


def latest_published(db: Session, week_start: date) -> PlanVersion | None:
    versions = list_versions(db, week_start)
    return versions[-1] if versions else None


def assignments_of(db: Session, volunteer_id: int, from_day: date) -> list[Assignment]:
    """A volunteer's slots from `from_day` on, in each week's latest published version."""
    weeks = db.scalars(select(WeekRow).where(WeekRow.start > from_day - timedelta(days=7))
                       .order_by(WeekRow.start)).all()
    key, first = volunteer_key(volunteer_id), from_day.isoformat()
    out: list[Assignment] = []
    for week in weeks:
        latest = latest_published(db, week.start)
        if latest is not None:
            out += [a for a in latest.assignments if a.volunteer == key and a.slot[:10] >= first]
    return out


def list_pins(db: Session, week_start: date) -> list[Assignment]:
    week = _week(db, week_start)
    if week is None:
        return []
    rows = db.scalars(select(PinRow).where(PinRow.week_id == week.id)
                      .order_by(PinRow.slot, PinRow.volunteer_id))
    return [Assignment(r.slot, volunteer_key(r.volunteer_id)) for r in rows]


def add_pin(db: Session, week_start: date, pin: Assignment, actor: str | None = None) -> None:
    week = _week(db, week_start, create=True)
    assert week is not None
    [(slot, vid)] = _volunteer_ids(db, [pin])
    exists = db.scalar(select(PinRow).where(PinRow.week_id == week.id, PinRow.slot == slot,
                                            PinRow.volunteer_id == vid))
    if exists is None:
        db.add(PinRow(week_id=week.id, slot=slot, volunteer_id=vid))
        audit.record(db, actor, "pin added", f"week {week_start}", f"{pin.volunteer} on {pin.slot}")


def remove_pin(db: Session, week_start: date, pin: Assignment, actor: str | None = None) -> None:
    week = _week(db, week_start)
    if week is None:
        return
    [(slot, vid)] = _volunteer_ids(db, [pin])
    row = db.scalar(select(PinRow).where(PinRow.week_id == week.id, PinRow.slot == slot,
                                         PinRow.volunteer_id == vid))
    if row is not None:
        db.delete(row)
        audit.record(db, actor, "pin removed", f"week {week_start}", f"{pin.volunteer} on {pin.slot}")


def weeks_from(db: Session, first: date) -> list[date]:
    """The weeks with a plan (draft or published) from `first` on."""
    return list(db.scalars(select(WeekRow.start).where(WeekRow.start >= first).order_by(WeekRow.start)))
