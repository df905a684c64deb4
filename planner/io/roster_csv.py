"""The roster CSV of the format: parse every row (or refuse the file), and write the roster back.

Pure: `planner.services.imports` matches the rows to the stored roster and saves
them. A row's cells are read by `planner.core.cells.read_record`, the same reader
as the roster editor's, so a blank cap means the same in both (see there).
Export writes active volunteers sorted by name, so exporting, importing and
exporting again gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pandas as pd

from planner.core.cells import neutralise, read_record, same_text
from planner.core.domain import VolunteerRecord
from planner.core.errors import RosterError
from planner.io import csv_text

COLUMNS = ("name", "email", "phone", "does", "trained", "background_check", "background_check_expires",
           "max_shifts_per_week", "max_meals_per_week", "availability")
# CSV column -> the record field `read_record` reads it into.
FIELDS = {"name": "name", "email": "email", "phone": "phone", "does": "does", "trained": "trained",
          "background_check": "check_status", "background_check_expires": "check_expires",
          "max_shifts_per_week": "max_shifts", "max_meals_per_week": "max_meals",
          "availability": "availability"}
MAX_ROWS = 2_000  # a center has tens of volunteers; thousands of rows is the wrong file
_COLUMN_OF = {field: column for column, field in FIELDS.items()} | {"does_shifts": "does",
                                                                     "does_meals": "does"}


def _key(header: str) -> str:
    return csv_text.key(header).replace("[", "").replace("]", "")


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


def _record(cells: dict[str, str], place: str, errors: list[str]) -> VolunteerRecord:
    """One row as a record; problems are appended to `errors` as `row N, column: ...`."""
    record, problems = read_record({FIELDS[column]: value for column, value in cells.items()})
    errors.extend(f"{place}, {_COLUMN_OF.get(field, field)}: {message}" for field, message in problems)
    return record


def parse_roster(data: str | bytes) -> list[tuple[int, VolunteerRecord]]:
    """(row number, record) for every non-blank row, or RosterError naming every problem."""
    text = csv_text.decode(data)
    first = text.splitlines()[0] if text.strip() else ""
    lines = csv_text.rows(text, csv_text.delimiter(first, lambda c: _key(c) in _KEYS), most=MAX_ROWS,
                          what="volunteers")
    errors: list[str] = []
    if not lines or csv_text.blank_row(lines[0]):
        raise RosterError(["row 1, header: the first row must name the columns"
                           + ("" if lines else " (the file is empty)")])
    columns = _header(lines[0], errors)
    if errors:
        raise RosterError(errors)
    out, seen = [], {}
    for number, cells in enumerate(lines[1:], start=2):
        if csv_text.blank_row(cells):
            continue
        problem = csv_text.ragged(number, cells, len(columns))
        if problem:
            errors.append(problem)
            continue
        values = {col: csv_text.restore(cell.strip())
                  for col, cell in zip(columns, cells, strict=True) if col}
        record = _record(values, f"row {number}", errors)
        field = "email" if record.email else "name"
        key = same_text(record.email or record.name)
        if key in seen:
            errors.append(f'row {number}, {field}: "{getattr(record, field)}" is also on row {seen[key]}')
        seen[key] = number
        out.append((number, record))
    if not out and not errors:
        errors.append("row 2: no volunteers under the header")
    if errors:
        raise RosterError(errors)
    return out


def format_roster(records: Iterable[VolunteerRecord]) -> str:
    """The roster as CSV text (LF line ends, no BOM), formula-looking cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for v in sorted(records, key=lambda v: (v.name.casefold(), v.id or 0)):
        writer.writerow([
            neutralise(v.name), neutralise(v.email or ""), neutralise(v.phone or ""),
            ";".join(k for k in ("shift", "meal") if k in v.does), "yes" if v.trained else "no",
            v.check_status, v.check_expires.isoformat() if v.check_expires else "",
            v.max_shifts, v.max_meals, "; ".join(str(w) for w in v.availability)])
    return out.getvalue()


def preview_table(rows: Iterable[tuple[int, VolunteerRecord]]) -> pd.DataFrame:
    """The parsed rows as the import preview lists them."""
    return pd.DataFrame([{"Row": n, "Name": r.name, "Email": r.email or "", "Does": ", ".join(sorted(r.does)),
                          "Trained": r.trained, "Check": r.check_status,
                          "Availability": "; ".join(str(w) for w in r.availability)} for n, r in rows],
                        columns=["Row", "Name", "Email", "Does", "Trained", "Check", "Availability"])
