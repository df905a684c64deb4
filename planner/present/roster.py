"""The roster page: the editor's table, its edits read back (the one cell reader), check warnings.

Pure (no Streamlit, no SQL). An edit is read with `planner.core.cells.read_record`,
the same reader as the roster CSV, so a blank cap means the same in both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import pandas as pd

from planner.core.cells import blank, read_record
from planner.core.clock import to_local
from planner.core.domain import CenterSettings, VolunteerRecord
from planner.core.labels import WEEKDAY_NAMES, day_label, plural


def check_warnings(records: Sequence[VolunteerRecord], today: date, within_days: int = 30) -> list[str]:
    """What to follow up about background checks, one line per kind, active shift volunteers only.

    Pending and missing checks keep someone off every shift; expired ones too;
    a check about to expire is named with its date, so it can be renewed in time.
    """
    people = [r for r in records if r.active and r.does_shifts and not r.erased]
    horizon = today + timedelta(days=within_days)

    def names(rs: Sequence[VolunteerRecord]) -> str:
        return ", ".join(r.name for r in sorted(rs, key=lambda r: r.name.casefold()))

    expired = [r for r in people if r.check_status == "expired"
               or (r.check_status == "cleared" and r.check_expires is not None and r.check_expires < today)]
    soon = sorted((r for r in people if r.check_status == "cleared" and r.check_expires is not None
                   and today <= r.check_expires <= horizon), key=lambda r: (r.check_expires, r.name))
    lines = []
    for group, text in ((expired, "expired"), ([r for r in people if r.check_status == "pending"], "pending"),
                        ([r for r in people if r.check_status == "none"], "not started")):
        if group:
            lines.append(f"Background check {text} ({len(group)}, not planned on shifts): {names(group)}.")
    if soon:
        dated = ", ".join(f"{r.name} on {day_label(r.check_expires)}" for r in soon if r.check_expires)
        lines.append(f"Background check expiring within {within_days} days ({len(soon)}): {dated}.")
    return lines


def availability_overview(records: Sequence[VolunteerRecord], settings: CenterSettings) -> pd.DataFrame:
    """Open days x the day's periods: how many active volunteers are usually free then, and who."""
    spans = settings.periods()
    active = [r for r in records if r.active and not r.erased]
    rows = []
    for weekday in sorted(set(settings.open_weekdays)):
        row = {"Day": WEEKDAY_NAMES[weekday]}
        for period, (start, end) in spans.items():
            kind = "meal" if period == "Dinner" else "shift"
            free = sorted((r.name for r in active if kind in r.does and any(
                w.weekday == weekday and w.start <= start and end <= w.end for w in r.availability)),
                key=str.casefold)
            row[period] = f"{len(free)}: {', '.join(free)}" if free else "0"
        rows.append(row)
    return pd.DataFrame(rows, columns=["Day", *spans])


ROSTER_COLUMNS = {  # editor column -> VolunteerRecord field
    "Name": "name", "Email": "email", "Phone": "phone", "Shifts": "does_shifts", "Meals": "does_meals",
    "Trained": "trained", "Check": "check_status", "Check expires": "check_expires",
    "Max shifts/week": "max_shifts", "Max meals/week": "max_meals", "Active": "active",
    "Availability": "availability",
}
_FIELD_COLUMNS = {v: k for k, v in ROSTER_COLUMNS.items()}


def availability_text(windows: Iterable[Any]) -> str:
    return "; ".join(str(w) for w in windows)


def roster_table(records: Sequence[VolunteerRecord]) -> pd.DataFrame:
    """The roster as the coordinator's editor shows it, one row per volunteer (`id` hidden)."""
    rows = []
    for r in records:
        rows.append({"id": r.id, "Name": r.name, "Email": r.email or "", "Phone": r.phone or "",
                     "Shifts": bool(r.does_shifts), "Meals": bool(r.does_meals), "Trained": bool(r.trained),
                     "Check": r.check_status, "Check expires": r.check_expires,
                     "Max shifts/week": int(r.max_shifts), "Max meals/week": int(r.max_meals),
                     "Active": bool(r.active), "Availability": availability_text(r.availability)})
    table = pd.DataFrame(rows, columns=["id", *ROSTER_COLUMNS])
    table["Check expires"] = pd.to_datetime(table["Check expires"]).dt.date
    return table


@dataclass(frozen=True)
class RosterEdit:
    updated: list[VolunteerRecord]
    added: list[VolunteerRecord]
    errors: list[str]

    @property
    def empty(self) -> bool:
        return not (self.updated or self.added or self.errors)


def _read(where: str, cells: Mapping[str, Any], base: VolunteerRecord | None,
          errors: list[str]) -> VolunteerRecord | None:
    """The edited row as a record, or None after adding a message per bad cell, naming row and column."""
    fields = {ROSTER_COLUMNS[c]: v for c, v in cells.items() if c in ROSTER_COLUMNS}
    record, problems = read_record(fields, base)
    for field, message in problems:
        errors.append(f'{where}, column "{_FIELD_COLUMNS.get(field, field)}": {message}')
    return None if problems else record


def roster_edit(records: Sequence[VolunteerRecord], state: Mapping[str, Any]) -> RosterEdit:
    """Validate a `st.data_editor` diff over `roster_table(records)`.

    Returns the changed and new `VolunteerRecord`s, or errors naming the row and
    the column (`Row 3 (Ana R.), column "Email": "x" is not an email address`). The
    caller saves nothing when there is any error.
    """
    errors: list[str] = []
    updated, added = [], []
    if state.get("deleted_rows"):
        errors.append("Rows cannot be deleted: untick Active to deactivate a volunteer "
                      "(their history is kept).")
    for position, change in sorted((state.get("edited_rows") or {}).items(), key=lambda kv: int(kv[0])):
        i = int(position)
        if not 0 <= i < len(records) or not any(c in ROSTER_COLUMNS for c in change):
            continue
        new = _read(f"Row {i + 1} ({records[i].name})", change, records[i], errors)
        if new is not None and new != records[i]:
            updated.append(new)
    for j, row in enumerate(state.get("added_rows") or []):
        if not any(c in ROSTER_COLUMNS and not blank(v) for c, v in row.items()):
            continue  # an empty row the editor added
        new = _read(f"New row {j + 1}", {"Name": "", "Shifts": True, "Active": True, **row}, None, errors)
        if new is not None:
            added.append(new)
    if errors:
        return RosterEdit([], [], errors)
    return RosterEdit(updated, added, [])


def new_volunteer(cells: Mapping[str, Any]) -> tuple[VolunteerRecord | None, list[str]]:
    """The "Add a volunteer" form read like a new editor row, so both ways in obey one set of rules."""
    errors: list[str] = []
    record = _read("New volunteer", {"Active": True, **cells}, None, errors)
    return record, errors


EDITOR_ROW_PX = 35


def editor_height(rows: int, visible: int = 40) -> int:
    """Tall enough to scan `visible` people at once, plus the header and the empty row for adding one."""
    return (min(rows, visible) + 2) * EDITOR_ROW_PX + 3


class InvitationLine(Protocol):
    """One volunteer's invitation as `planner.services.invitations.RosterInvitation` gives it."""

    name: str
    has_email: bool
    status: str
    method: str | None
    sent_at: datetime | None
    valid_until: datetime | None


INVITATION_METHODS = {"email": "email link", "code": "printed code"}


def invitation_table(lines: Sequence[InvitationLine], timezone: str) -> pd.DataFrame:
    """Name, email on file, status (not invited, invited, joined, expired), how and when: center time."""
    def local(moment: datetime | None) -> str:
        shown = to_local(moment, timezone)
        return f"{shown:%Y-%m-%d %H:%M}" if shown else ""

    return pd.DataFrame([{"Name": line.name, "Email on file": "yes" if line.has_email else "no",
                          "Status": line.status, "Sent as": INVITATION_METHODS.get(line.method or "", ""),
                          "Sent": local(line.sent_at),
                          "Valid until": local(line.valid_until) if line.status == "invited" else ""}
                         for line in lines],
                        columns=["Name", "Email on file", "Status", "Sent as", "Sent", "Valid until"])


def invite_summary(invited: Sequence[str], skipped: Sequence[str], waiting: str | None) -> str:
    """One sentence for the coordinator after sending invitations."""
    parts = []
    if invited:
        done = "queued for" if waiting else "emailed to"
        parts.append(f"Invitation {done} {plural(len(invited), 'volunteer')} ({', '.join(invited)}).")
    if waiting:
        parts.append(f"Not sent yet: {waiting}")
    if skipped:
        parts.append(f"Not invited: {'; '.join(skipped)}.")
    return " ".join(parts) or "Nobody to invite."
