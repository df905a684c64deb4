"""Reading CSV exports of other tools: text with or without a BOM, titles above the header, blank rows.

Row numbers are those a spreadsheet program shows (the first row of the file is
1), so a coordinator finds `row 7` where they look for it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from planner.io.safe_cells import restore
from planner.store.roster import RosterError


@dataclass(frozen=True)
class Table:
    header_row: int
    keys: list[str]  # the header's column keys (see `key`)
    rows: list[tuple[int, dict[str, str]]]  # (row number, column key -> stripped cell), blank rows left out


def key(header: str) -> str:
    """A header compared without case, spaces or punctuation: `Email Address` -> `emailaddress`."""
    return re.sub(r"[^a-z0-9\[\]]", "", header.lower())


def decode(data: str | bytes) -> str:
    """UTF-8 (a BOM is fine); Excel's Windows-1252 as a fallback, since exports get re-saved there."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_table(data: str | bytes, required: Iterable[str], what: str) -> Table:
    """The rows under the first row that holds every `required` header key.

    Raises `RosterError` naming the missing columns when no such row exists.
    """
    needed = {key(r) for r in required}
    rows = list(csv.reader(io.StringIO(decode(data), newline="")))
    for index, header in enumerate(rows):
        keys = [key(c) for c in header]
        if needed <= set(keys):
            table = []
            for number, values in enumerate(rows[index + 1:], start=index + 2):
                if not any(v.strip() for v in values):
                    continue
                cells_by_key = {k: restore(v.strip()) for k, v in zip(keys, values, strict=False) if k}
                table.append((number, cells_by_key))
            return Table(index + 1, keys, table)
    names = ", ".join(sorted(required))
    raise RosterError([f"file: no header row with the columns {names}; is this a {what}?"])
