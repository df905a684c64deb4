"""Imports: the roster CSV, a SignUpGenius report and a Google Forms export, every row or none.

The three go the same way, from the Imports page and from the command line:
the file is parsed (`planner.io`), each row is matched to the stored roster
(`planner.io.matching`: by email, else by an unambiguous name), and the changes
are saved in one unit of work. A file with any bad row is refused with one
placed message per problem, and the database is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from planner.core.domain import CenterSettings, DatedException, VolunteerRecord
from planner.core.errors import RosterError
from planner.io import google_forms, roster_csv, signupgenius
from planner.io.matching import RosterIndex
from planner.store import audit, roster
from planner.store.db import Session, unit
from planner.store.settings import load_settings


@dataclass(frozen=True)
class Change:
    record: VolunteerRecord  # as it will be stored
    match: VolunteerRecord | None  # the stored volunteer it updates; None adds a new one
    extra: tuple[DatedException, ...] = ()  # dated availability to add (SignUpGenius sign-ups)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


@dataclass(frozen=True)
class Checked:
    """What an import would do, shown before it runs."""

    table: pd.DataFrame
    added: int
    updated: int
    with_contacts: int  # rows showing an email or phone (the preview is a contact view)


def _roster(data: str | bytes, stored: list[VolunteerRecord],
            _settings: CenterSettings) -> tuple[pd.DataFrame, list[Change]]:
    rows = roster_csv.parse_roster(data)
    index = RosterIndex(stored)
    errors, changes = [], []
    for number, record in rows:
        found = index.candidates(record.email, record.name)
        if len(found) > 1:
            errors.append(f'row {number}, name: {len(found)} volunteers are called "{record.name}"; '
                          "add an email to tell them apart")
            continue
        match = found[0] if found else None
        changes.append(Change(replace(record, id=match.id, preferences=match.preferences,
                                      exceptions=match.exceptions) if match else record, match))
    if errors:
        raise RosterError(errors)
    return roster_csv.preview_table(rows), changes


def _signups(data: str | bytes, stored: list[VolunteerRecord],
             settings: CenterSettings) -> tuple[pd.DataFrame, list[Change]]:
    preview = signupgenius.parse_signups(data, settings)
    changes = [Change(record, match, tuple(DatedException(s.day, "extra", s.start, s.end) for s in signups))
               for record, match, signups in signupgenius.plan_changes(preview, stored, settings)]
    return preview.table(), changes


def _forms(data: str | bytes, stored: list[VolunteerRecord],
           settings: CenterSettings) -> tuple[pd.DataFrame, list[Change]]:
    preview = google_forms.parse_form(data, settings)
    return preview.table(), [Change(r, m) for r, m in google_forms.plan_changes(preview, stored)]


Planner = Callable[[str | bytes, list[VolunteerRecord], CenterSettings], tuple[pd.DataFrame, list[Change]]]
# kind -> (how to read it, the audit log's word for it)
KINDS: dict[str, tuple[Planner, str]] = {
    "roster": (_roster, "roster imported"),
    "signupgenius": (_signups, "signups imported"),
    "google-forms": (_forms, "availability form imported"),
}


def _plan(db: Session, kind: str, data: str | bytes) -> tuple[pd.DataFrame, list[Change]]:
    if kind not in KINDS:
        raise RosterError([f"kind: {kind!r} is not one of {', '.join(KINDS)}"])
    return KINDS[kind][0](data, roster.list_volunteers(db), load_settings(db))


def check(kind: str, data: str | bytes, *, db: Session | None = None) -> Checked:
    """What importing `data` would do, or RosterError with every problem; changes nothing."""
    with unit(db, readonly=True) as s:
        table, changes = _plan(s, kind, data)
    contacts = sum(1 for c in changes if c.record.email or c.record.phone)
    return Checked(table, sum(c.match is None for c in changes), sum(c.match is not None for c in changes),
                   contacts)


def run(kind: str, data: str | bytes, actor: str | None = None, *, db: Session | None = None) -> ImportResult:
    """Import every row, or raise RosterError and change nothing."""
    with unit(db) as s, s.begin_nested():  # every row or none, even inside a caller's unit of work
        _, changes = _plan(s, kind, data)
        for change in changes:
            stored = (roster.update_volunteer(s, change.record, actor) if change.match
                      else roster.add_volunteer(s, change.record, actor))
            have = {(e.day, e.kind, e.start, e.end) for e in stored.exceptions}
            for extra in change.extra:
                if (extra.day, extra.kind, extra.start, extra.end) not in have:
                    have.add((extra.day, extra.kind, extra.start, extra.end))
                    roster.add_exception(s, stored.id, extra, actor)
        added = sum(c.match is None for c in changes)
        audit.record(s, actor, KINDS[kind][1], "roster", f"{added} added, {len(changes) - added} updated")
        return ImportResult(added, len(changes) - added)


def export_roster(actor: str | None = None, *, db: Session | None = None) -> str:
    """The active roster as CSV text; with `actor` the export is written to the audit log."""
    with unit(db) as s:
        text = roster_csv.format_roster(roster.list_volunteers(s, active_only=True))
        if actor is not None:
            audit.record(s, actor, "roster exported", "roster")
    return text
