"""The roster CSV of the spec: import all rows or none, export in a stable form.

Import matches a row to a stored volunteer by email, else by name, and
overwrites the CSV's fields and weekly availability (time off and preferences
are kept). Export writes active volunteers sorted by name, so exporting,
importing and exporting again gives the same bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from planner.domain import VolunteerRecord, WeeklyWindow
from planner.io.matching import RosterIndex
from planner.io.safe_cells import neutralise, restore
from planner.problem import CHECK_STATUSES
from planner.store import audit
from planner.store.roster import RosterError, add_volunteer, list_volunteers, update_volunteer

COLUMNS = ("name", "email", "phone", "does", "trained", "background_check", "background_check_expires",
           "max_shifts_per_week", "max_meals_per_week", "availability")
MAX_BYTES = 1_000_000  # about 5,000 full rows; a center has tens
MAX_ROWS = 2_000
MAX_CAP = 21  # three shifts a day, as the roster editor allows
MAX_EMAIL = 254  # the column's length
DELIMITERS = (",", ";", "\t")
_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def _key(header: str) -> str:
    return re.sub(r"[\s_-]", "", header.lower())


_KEYS = {_key(c): c for c in COLUMNS}


def _header(cells: list[str], errors: list[str]) -> list[str | None]:
    columns: list[str | None] = []
    for cell in cells:
        column = _KEYS.get(_key(cell))
        if column is None and cell.strip():
            errors.append(f'row 1, header: unknown column "{cell.strip()}" (known: {", ".join(COLUMNS)})')
        elif column is not None and column in columns:
            errors.append(f'row 1, header: column "{column}" appears twice')
        columns.append(column)
    if "name" not in columns:
        errors.append("row 1, header: no name column")
    return columns


def _whole(text: str, default: int, place: str, errors: list[str]) -> int:
    """ASCII digits only (`"١".isdigit()` is true), and small, so a typo cannot overflow a column."""
    if not text:
        return default
    if not re.fullmatch(r"[0-9]+", text):
        errors.append(f'{place}: "{text}" is not a whole number >= 0')
        return default
    if int(text) > MAX_CAP:
        errors.append(f'{place}: "{text}" is more than {MAX_CAP}')
        return default
    return int(text)


def _record(cells: dict[str, str], place: str, errors: list[str]) -> VolunteerRecord:
    """One row as a record; problems are appended to `errors` as `row N, column: ...`."""
    found: list[str] = []
    does = {d.lower() for d in re.split(r"[;,\s]+", cells.get("does", "")) if d} or {"shift"}
    for d in sorted(does - {"shift", "meal"}):
        found.append(f'does: "{d}" is not shift or meal')
    trained = _YES.get(cells.get("trained", "").lower() or "no")
    if trained is None:
        found.append(f'trained: "{cells["trained"]}" is not yes or no')
    status = cells.get("background_check", "").lower() or "none"
    if status not in CHECK_STATUSES:
        found.append(f'background_check: "{cells["background_check"]}" is not one of '
                     f'{", ".join(CHECK_STATUSES)}')
    expires = None
    if cells.get("background_check_expires"):
        try:
            expires = date.fromisoformat(cells["background_check_expires"])
        except ValueError:
            found.append(f'background_check_expires: "{cells["background_check_expires"]}" is not a date '
                         "YYYY-MM-DD")
    windows = []
    for part in (p.strip() for p in cells.get("availability", "").split(";")):
        if part:
            try:
                windows.append(WeeklyWindow.parse(part))
            except ValueError as err:
                found.append(f"availability: {err}")
    max_shifts = _whole(cells.get("max_shifts_per_week", ""), 1, "max_shifts_per_week", found)
    max_meals = _whole(cells.get("max_meals_per_week", ""), 1 if "meal" in does else 0, "max_meals_per_week",
                       found)
    record = VolunteerRecord(
        name=cells.get("name", ""), email=cells.get("email", "").lower() or None,
        phone=cells.get("phone") or None,
        does_shifts="shift" in does, does_meals="meal" in does, trained=bool(trained), check_status=status,
        check_expires=expires, max_shifts=max_shifts, max_meals=max_meals,
        availability=tuple(sorted(set(windows))))
    if len(cells.get("email", "")) > MAX_EMAIL:
        found.append(f"email: longer than {MAX_EMAIL} characters")
    reported = {message.split(":")[0] for message in found}
    found += [m for m in record.problems() if m.split(":")[0] not in reported]
    errors.extend(f"{place}, {message}" for message in found)
    return record


def decode(data: str | bytes) -> str:
    """UTF-8 (a BOM is fine) or UTF-16 with its BOM; other bytes are refused, naming the row.

    Guessing Windows-1252 would import a wrong letter without a word, so the
    coordinator is asked to save the file as CSV UTF-8 instead.
    """
    if len(data) > MAX_BYTES:
        raise RosterError([f"file: {len(data):,} bytes, more than the {MAX_BYTES:,} a roster may have"])
    if isinstance(data, str):
        text = data
    elif b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        row = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise RosterError([f"file: NUL bytes from row {row} on; is it UTF-16 without a byte order mark? "
                           'Save it as "CSV UTF-8" and import it again'])
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise RosterError([f"file: not UTF-16 text (byte {err.start}) although it starts like it"]) \
                from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            row = data.count(b"\n", 0, err.start) + 1
            raise RosterError([f"file: not UTF-8 text (row {row}: byte 0x{data[err.start]:02x}); "
                               'save it as "CSV UTF-8" and import it again']) from None
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise RosterError([f"row {row}: a NUL character; roster cells hold text only"])
    return text.removeprefix("\ufeff")


def _delimiter(first_line: str) -> str:
    """Comma, else the semicolon or tab that splits the header into the most known columns.

    Spreadsheets set to a European locale save semicolons; "Unicode text" saves tabs.
    """
    def known(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(_key(c) in _KEYS for c in cells)

    return max(DELIMITERS, key=known)  # ties go to the comma, listed first


def _rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    delimiter = _delimiter(lines[0]) if lines else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for cells in reader:
            rows.append(cells)
            if len(rows) > MAX_ROWS + 1:
                raise RosterError([f"row {len(rows)}: more than {MAX_ROWS:,} volunteers in one file; "
                                   "split it"])
    except csv.Error as err:
        raise RosterError([f"row {len(rows) + 1}: {err}"]) from None
    return rows


def parse_roster(text: str | bytes) -> list[tuple[int, VolunteerRecord]]:
    """(row number, record) for every non-blank row, or RosterError naming every problem."""
    rows = _rows(decode(text))
    errors: list[str] = []
    if not rows or not any(c.strip() for c in rows[0]):
        raise RosterError(["row 1, header: the first row must name the columns"
                           + ("" if rows else " (the file is empty)")])
    columns = _header(rows[0], errors)
    if errors:
        raise RosterError(errors)
    out, seen = [], {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            errors.append(f"row {number}: {len(cells)} cells, but the header names {len(columns)}")
            continue
        values = {col: restore(cell.strip()) for col, cell in zip(columns, cells, strict=True) if col}
        record = _record(values, f"row {number}", errors)
        key = (record.email or "").casefold() or record.name.casefold()
        field = "email" if record.email else "name"
        if key in seen:
            errors.append(f'row {number}, {field}: "{getattr(record, field)}" is also on row {seen[key]}')
        seen[key] = number
        out.append((number, record))
    if not out and not errors:
        errors.append("row 2: no volunteers under the header")
    if errors:
        raise RosterError(errors)
    return out


def import_roster(db: Session, text: str | bytes, actor: str | None = None) -> ImportResult:
    """Add or update every row, or raise RosterError and change nothing."""
    rows = parse_roster(text)
    index = RosterIndex(list_volunteers(db))
    errors, plan = [], []
    for number, record in rows:
        found = index.candidates(record.email, record.name)
        if len(found) > 1:
            errors.append(f'row {number}, name: {len(found)} volunteers are called "{record.name}"; '
                          "add an email to tell them apart")
        plan.append((record, found[0] if len(found) == 1 else None))
    if errors:
        raise RosterError(errors)
    added = updated = 0
    with db.begin_nested():  # all rows or none, even when the caller goes on after an error
        for record, match in plan:
            if match is None:
                add_volunteer(db, record, actor)
                added += 1
            else:
                update_volunteer(db, replace(record, id=match.id, preferences=match.preferences), actor)
                updated += 1
    audit.record(db, actor, "roster imported", "roster", f"{added} added, {updated} updated")
    return ImportResult(added, updated)


def export_roster(db: Session, actor: str | None = None) -> str:
    """The active roster as CSV text (LF line ends, no BOM), formula-looking cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for v in list_volunteers(db, active_only=True):
        writer.writerow([
            neutralise(v.name), neutralise(v.email or ""), neutralise(v.phone or ""),
            ";".join(k for k in ("shift", "meal") if k in v.does), "yes" if v.trained else "no",
            v.check_status, v.check_expires.isoformat() if v.check_expires else "",
            v.max_shifts, v.max_meals, "; ".join(str(w) for w in v.availability)])
    if actor is not None:  # a page builds the file on every render and logs the click instead
        audit.record(db, actor, "roster exported", "roster")
    return out.getvalue()
