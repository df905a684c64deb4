"""The roster: who volunteers, their availability and time off, and erasing someone for good.

Edits are optimistically locked: a page keeps the versions it showed and a save
over someone else's newer edit raises `StaleVolunteer`, naming what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.core.domain import CenterSettings, DatedException, VolunteerRecord, WeeklyWindow
from planner.core.errors import RosterError
from planner.store import roster
from planner.store.db import session
from planner.store.settings import load_settings


def list_for_edit() -> list[tuple[VolunteerRecord, int]]:
    """Everyone not erased, with the version each was read at."""
    with session(readonly=True) as db:
        return roster.list_for_edit(db)


def active() -> list[VolunteerRecord]:
    with session(readonly=True) as db:
        return roster.list_volunteers(db, active_only=True)


def everyone() -> list[VolunteerRecord]:
    """Everyone not erased, active or not."""
    with session(readonly=True) as db:
        return roster.list_volunteers(db)


def save_edits(updated: Sequence[VolunteerRecord], added: Sequence[VolunteerRecord],
               versions: Mapping[int, int], actor: str | None) -> None:
    """Save the roster editor's changes together, or none of them (RosterError, StaleVolunteer)."""
    with session() as db:
        for record in updated:
            expected = versions.get(record.id) if record.id is not None else None
            roster.update_volunteer(db, record, actor=actor, expected_version=expected)
        for record in added:
            roster.add_volunteer(db, record, actor=actor)


def erase(volunteer_id: int, typed_name: str, actor: str | None) -> str:
    """Erase a volunteer for good once the coordinator typed their name; returns the name erased."""
    with session() as db:
        person = roster.get_volunteer(db, volunteer_id)
        if person is None or person.erased:
            raise RosterError([f"Volunteer {volunteer_id} is not on the roster (erased already?). "
                               "Nothing was erased."])
        if typed_name.strip() != person.name.strip():
            raise RosterError(["The name you typed does not match the chosen volunteer. Nothing was erased."])
        roster.erase_volunteer(db, volunteer_id, actor=actor)
        return person.name


@dataclass(frozen=True)
class Availability:
    """One volunteer's availability as the editor opens it."""

    record: VolunteerRecord
    version: int
    settings: CenterSettings


def availability(volunteer_id: int) -> Availability | None:
    """None when the volunteer is not there (erased meanwhile)."""
    with session(readonly=True) as db:
        found = roster.get_for_edit(db, volunteer_id)
        if found is None or found[0].erased:
            return None
        return Availability(found[0], found[1], load_settings(db))


def set_availability(volunteer_id: int, windows: Iterable[WeeklyWindow], actor: str | None,
                     expected_version: int | None) -> None:
    with session() as db:
        roster.set_availability(db, volunteer_id, windows, actor=actor, expected_version=expected_version)


def add_exception(volunteer_id: int, exception: DatedException, actor: str | None) -> None:
    with session() as db:
        roster.add_exception(db, volunteer_id, exception, actor=actor)


def remove_exception(volunteer_id: int, exception_id: int, actor: str | None) -> None:
    with session() as db:
        roster.remove_exception(db, volunteer_id, exception_id, actor=actor)
