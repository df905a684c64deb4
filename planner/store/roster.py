"""Volunteers with their availability, time off and preferences.

Edits are optimistically locked: a page keeps the `row_version` it loaded
(`get_for_edit`, `list_for_edit`) and passes it as `expected_version`; when
someone else saved the volunteer in between, the save raises `StaleVolunteer` (a
`RosterError` and a `StaleEdit`) naming what they changed, and writes nothing.
The row is read `FOR UPDATE`, so on PostgreSQL two saves cannot both pass the
check; on SQLite the session's `BEGIN IMMEDIATE` does the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session, selectinload

from planner.core.domain import (
    EXCEPTION_KINDS,
    DatedException,
    Preference,
    VolunteerRecord,
    WeeklyWindow,
    volunteer_key,
)
from planner.core.errors import RosterError, StaleVolunteer
from planner.store import audit, invitations, offers, sessions, texting
from planner.store.models import (
    CancellationRow,
    ExceptionRow,
    FeedTokenRow,
    NotificationRow,
    PinRow,
    PreferenceRow,
    UserRow,
    VolunteerRow,
    WindowRow,
    utcnow,
)

__all__ = ["RosterError", "StaleVolunteer"]

_FIELDS = ("name", "email", "phone", "does_shifts", "does_meals", "trained", "check_status",
           "check_expires", "max_shifts", "max_meals", "active")


def get_for_edit(db: Session, volunteer_id: int) -> tuple[VolunteerRecord, int] | None:
    """The record and the `row_version` to save it with, read from one row.

    A second query cannot be used for the version: loading the row again
    refreshes it, and the version would then belong to newer data than the
    record shows (a lost update on PostgreSQL).
    """
    row = db.get(VolunteerRow, volunteer_id)
    return (to_record(row), row.row_version) if row is not None else None


def _live(*, active_only: bool = False) -> Select[tuple[VolunteerRow]]:
    """Volunteers who were not erased: the one privacy filter every roster read goes through."""
    query = select(VolunteerRow).where(VolunteerRow.erased_at.is_(None))
    return query.where(VolunteerRow.active.is_(True)) if active_only else query


def list_for_edit(db: Session, *, active_only: bool = False) -> list[tuple[VolunteerRecord, int]]:
    """`list_volunteers` with each record's `row_version`, for a page that edits them."""
    rows = [(row, row.row_version) for row in db.scalars(_live(active_only=active_only))]
    pairs = [(to_record(row), version) for row, version in rows]
    return sorted(pairs, key=lambda pair: (pair[0].name.casefold(), pair[0].id or 0))


def _differences(current: VolunteerRecord, yours: VolunteerRecord) -> list[str]:
    names = (*_FIELDS, "availability", "preferences")
    return [f"{name} {_shown(getattr(current, name))} (yours: {_shown(getattr(yours, name))})"
            for name in names if getattr(current, name) != getattr(yours, name)]


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return '"' + "; ".join(str(v) for v in value) + '"'
    return f'"{value}"' if isinstance(value, str) else str(value)


def _check_version(row: VolunteerRow, expected: int | None, yours: VolunteerRecord | None = None) -> None:
    if expected is None or row.row_version == expected:
        return
    current = to_record(row)
    raise StaleVolunteer(f"volunteer {row.id} ({row.name})", expected, row.row_version,
                         _differences(current, yours) if yours is not None else [], current, yours)


def _touch(row: VolunteerRow) -> None:
    """Force an UPDATE of the row, so a change of its children bumps `row_version` too.

    Called before the first flush of a change, so one change bumps the version once.
    """
    row.updated_at = utcnow()


def to_record(row: VolunteerRow) -> VolunteerRecord:
    return VolunteerRecord(
        **{name: getattr(row, name) for name in _FIELDS},
        availability=tuple(WeeklyWindow(w.weekday, w.start, w.end) for w in row.windows),
        exceptions=tuple(DatedException(e.day, e.kind, e.start, e.end, e.id)  # type: ignore[arg-type]
                         for e in row.exceptions),
        preferences=tuple(Preference(p.weekday, p.label) for p in row.preferences),
        id=row.id, erased=row.erased_at is not None)


def list_volunteers(db: Session, *, active_only: bool = False) -> list[VolunteerRecord]:
    """Not erased volunteers by name; only active ones when asked. Their availability, time off and
    preferences come in three queries, not three per person (offers rank a 200-person roster in time)."""
    query = _live(active_only=active_only).order_by(VolunteerRow.name, VolunteerRow.id).options(
        selectinload(VolunteerRow.windows), selectinload(VolunteerRow.exceptions),
        selectinload(VolunteerRow.preferences))
    rows = db.scalars(query).all()
    return sorted((to_record(r) for r in rows), key=lambda v: (v.name.casefold(), v.id or 0))


def names(db: Session) -> dict[str, str]:
    """Display name by volunteer key (`v07`) of everyone not erased, active or not."""
    return {volunteer_key(r.id): r.name for r in db.scalars(_live())}


def emails(db: Session, volunteer_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Email by volunteer id, of people not erased who have one (only `volunteer_ids` when given)."""
    return _contacts(db, "email", volunteer_ids)


def phones(db: Session, volunteer_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Phone by volunteer id, of people not erased who have one (only `volunteer_ids` when given)."""
    return _contacts(db, "phone", volunteer_ids)


def _contacts(db: Session, field: str, volunteer_ids: Iterable[int] | None) -> dict[int, str]:
    column = getattr(VolunteerRow, field)
    query = _live().where(column.is_not(None))
    if volunteer_ids is not None:
        query = query.where(VolunteerRow.id.in_(set(volunteer_ids)))
    return {r.id: getattr(r, field).strip() for r in db.scalars(query) if (getattr(r, field) or "").strip()}


def is_empty(db: Session) -> bool:
    """No volunteer was ever stored (erased ones count: their history is there)."""
    return db.scalar(select(VolunteerRow.id).limit(1)) is None


def get_volunteer(db: Session, volunteer_id: int) -> VolunteerRecord | None:
    row = db.get(VolunteerRow, volunteer_id)
    return to_record(row) if row is not None else None


def add_volunteer(db: Session, record: VolunteerRecord, actor: str | None = None) -> VolunteerRecord:
    """Store a new volunteer with availability, exceptions and preferences."""
    _check(record)
    row = VolunteerRow(**{name: getattr(record, name) for name in _FIELDS})
    db.add(row)
    _replace_children(db, row, record)
    row.exceptions = [_exception_row(e) for e in record.exceptions]
    db.flush()
    audit.record(db, actor, "volunteer added", f"volunteer {row.id}")
    return to_record(row)


def update_volunteer(db: Session, record: VolunteerRecord, actor: str | None = None, *,
                     expected_version: int | None = None) -> VolunteerRecord:
    """Overwrite fields, weekly availability and preferences; exceptions have their own functions.

    With `expected_version`, a volunteer saved by someone else since raises StaleVolunteer.
    """
    row = _row(db, record.id)
    _check(record)
    _check_version(row, expected_version, record)
    for name in _FIELDS:
        setattr(row, name, getattr(record, name))
    _touch(row)
    _replace_children(db, row, record)
    audit.record(db, actor, "volunteer edited", f"volunteer {row.id}")
    return to_record(row)


def set_availability(db: Session, volunteer_id: int, windows: Iterable[WeeklyWindow],
                     actor: str | None = None, *, expected_version: int | None = None) -> None:
    row = _row(db, volunteer_id)
    windows = tuple(sorted(set(windows)))
    _check_version(row, expected_version, replace(to_record(row), availability=windows))
    _touch(row)
    _replace(db, row, "windows", _window_rows(windows))
    audit.record(db, actor, "availability edited", f"volunteer {volunteer_id}")


def set_preferences(db: Session, volunteer_id: int, preferences: Iterable[Preference],
                    actor: str | None = None, *, expected_version: int | None = None) -> None:
    row = _row(db, volunteer_id)
    preferences = tuple(sorted(set(preferences)))
    _check_version(row, expected_version, replace(to_record(row), preferences=preferences))
    _touch(row)
    _replace(db, row, "preferences", _preference_rows(preferences))
    audit.record(db, actor, "preferences edited", f"volunteer {volunteer_id}")


def add_exception(db: Session, volunteer_id: int, exception: DatedException,
                  actor: str | None = None) -> DatedException:
    row = _row(db, volunteer_id)
    new = _exception_row(exception)
    row.exceptions.append(new)
    _touch(row)
    db.flush()
    audit.record(db, actor, "time off added" if exception.kind == "off" else "availability added",
                 f"volunteer {volunteer_id}", exception.day.isoformat())
    return DatedException(new.day, exception.kind, new.start, new.end, new.id)


def remove_exception(db: Session, volunteer_id: int, exception_id: int, actor: str | None = None) -> None:
    row = _row(db, volunteer_id)
    kept = [e for e in row.exceptions if e.id != exception_id]
    if len(kept) == len(row.exceptions):
        raise RosterError([f"exception: no exception {exception_id} for volunteer {volunteer_id}"])
    row.exceptions = kept
    _touch(row)
    audit.record(db, actor, "exception removed", f"volunteer {volunteer_id}")


def erase_volunteer(db: Session, volunteer_id: int, actor: str | None = None) -> None:
    """Remove the person's data but keep the row, so past plans still count a volunteer."""
    row = _row(db, volunteer_id)
    row.name, row.email, row.phone = f"Erased volunteer {row.id}", None, None
    row.check_status, row.check_expires, row.active = "none", None, False
    row.windows, row.exceptions, row.preferences = [], [], []
    row.erased_at = utcnow()
    for pin in db.scalars(select(PinRow).where(PinRow.volunteer_id == volunteer_id)):
        db.delete(pin)
    for user in db.scalars(select(UserRow).where(UserRow.volunteer_id == volunteer_id)):
        sessions.end_user_sessions(db, user.id, row.erased_at, "account erased", actor)
        db.delete(user)
    db.execute(delete(FeedTokenRow).where(FeedTokenRow.volunteer_id == volunteer_id))  # their calendar feed
    invitations.forget_volunteer(db, volunteer_id)
    offers.forget_volunteer(db, volunteer_id)  # standby days; their open offer links stop working
    texting.forget_volunteer(db, volunteer_id)
    # Free text and stored messages may name the person; the counts stay.
    db.execute(update(CancellationRow).where(CancellationRow.volunteer_id == volunteer_id).values(reason=""))
    db.execute(update(NotificationRow).where(NotificationRow.volunteer_id == volunteer_id)
               .values(subject="(erased)", body="", ics=""))
    audit.record(db, actor, "volunteer erased", f"volunteer {volunteer_id}")


def _row(db: Session, volunteer_id: int | None) -> VolunteerRow:
    """The live row, locked for this transaction (FOR UPDATE; SQLite holds its write lock already)."""
    row = db.get(VolunteerRow, volunteer_id, with_for_update=True) if volunteer_id is not None else None
    if row is None or row.erased_at is not None:
        raise RosterError([f"volunteer: no volunteer {volunteer_id}"])
    return row


def _check(record: VolunteerRecord) -> None:
    problems = record.problems()
    if problems:
        raise RosterError(problems)


def _window_rows(windows: Iterable[WeeklyWindow]) -> list[WindowRow]:
    out = sorted(set(windows))
    bad = [f"availability: {w} ends before it starts" for w in out if w.end <= w.start]
    if bad:
        raise RosterError(bad)
    return [WindowRow(weekday=w.weekday, start=w.start, end=w.end) for w in out]


def _preference_rows(preferences: Iterable[Preference]) -> list[PreferenceRow]:
    return [PreferenceRow(weekday=p.weekday, label=p.label) for p in sorted(set(preferences))]


def _exception_row(exception: DatedException) -> ExceptionRow:
    if (exception.start is None) != (exception.end is None):
        raise RosterError(["exception: give both times or neither (the whole day)"])
    if exception.start is not None and exception.end is not None and exception.end <= exception.start:
        raise RosterError(["exception.end: must be after start"])
    if exception.kind not in EXCEPTION_KINDS:
        raise RosterError([f'exception.kind: "{exception.kind}" is not off or extra'])
    return ExceptionRow(day=exception.day, kind=exception.kind, start=exception.start, end=exception.end)


def _replace(db: Session, row: VolunteerRow, attribute: str, new: list[Any]) -> None:
    """Delete the old children before inserting the new, or unique constraints would trip."""
    getattr(row, attribute).clear()
    db.flush()
    setattr(row, attribute, new)
    db.flush()


def _replace_children(db: Session, row: VolunteerRow, record: VolunteerRecord) -> None:
    _replace(db, row, "windows", _window_rows(record.availability))
    _replace(db, row, "preferences", _preference_rows(record.preferences))
