"""The one way a CSV file is read: strict decoding, one row check, spreadsheet row numbers.

Accepted: UTF-8 with or without a BOM, and UTF-16 with a BOM. Anything else is
refused with the "save it as CSV UTF-8" message rather than guessed (guessing
Windows-1252 would import a wrong letter without a word). Rows are numbered as
a spreadsheet program shows them (the file's first row is 1), so a coordinator
finds `row 7` where they look for it. Ragged rows and repeated headers are
refused: a short row would shift its cells into the wrong columns, and a second
`Email` column would silently win over the first.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.core.cells import restore
from planner.core.errors import RosterError

MAX_BYTES = 1_000_000  # about 5,000 full roster rows; a center has tens
MAX_ROWS = 5_000
DELIMITERS = (",", ";", "\t")
SAVE_AS = 'save it as "CSV UTF-8" and import it again'


def decode(data: str | bytes) -> str:
    """The file's text, or RosterError naming the row where it stops being text."""
    if len(data) > MAX_BYTES:
        raise RosterError([f"file: {len(data):,} bytes, more than the {MAX_BYTES:,} an import may have"])
    if isinstance(data, str):
        text = data
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise RosterError([f"file: not UTF-16 text (byte {err.start}) although it starts like it; "
                               f"{SAVE_AS}"]) from None
    elif data.count(b"\x00") * 4 >= len(data) > 0:  # UTF-16 text has a NUL beside most letters
        row = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise RosterError([f"file: NUL bytes from row {row} on; is it UTF-16 without a byte order mark? "
                           f"{SAVE_AS[0].upper()}{SAVE_AS[1:]}"])
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            row = data.count(b"\n", 0, err.start) + 1
            raise RosterError([f"file: not UTF-8 text (row {row}: byte 0x{data[err.start]:02x}); "
                               f"{SAVE_AS}"]) from None
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise RosterError([f"row {row}: a NUL character; cells hold text only"])
    return text.removeprefix("\ufeff")


def key(header: str) -> str:
    """A header compared without case, spaces or punctuation: `Email Address` -> `emailaddress`."""
    return re.sub(r"[^a-z0-9\[\]]", "", header.lower())


def rows(data: str | bytes, delimiter: str = ",", *, most: int = MAX_ROWS, what: str = "rows"
         ) -> list[list[str]]:
    """Every row of the file (blank ones too, so numbers stay right), or RosterError.

    More than `most` rows under the header are refused, naming them as `what`.
    """
    out: list[list[str]] = []
    reader = csv.reader(io.StringIO(decode(data), newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            out.append(cells)
            if len(out) > most + 1:
                raise RosterError([f"row {len(out)}: more than {most:,} {what} in one file; split it"])
    except csv.Error as err:
        raise RosterError([f"row {len(out) + 1}: {err}"]) from None
    return out


def delimiter(first_line: str, known: Callable[[str], bool]) -> str:
    """Comma, else the semicolon or tab that splits the header into the most `known` columns.

    Spreadsheets set to a European locale save semicolons; "Unicode text" saves tabs.
    """
    def count(candidate: str) -> int:
        return sum(known(c) for c in next(csv.reader([first_line], delimiter=candidate), []))

    return max(DELIMITERS, key=count)  # ties go to the comma, listed first


def blank_row(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


def ragged(number: int, cells: list[str], width: int) -> str | None:
    """The placed message for a row whose cells do not line up with the header, else None."""
    if len(cells) == width:
        return None
    return f"row {number}: {len(cells)} cells, but the header names {width}"


@dataclass(frozen=True)
class Table:
    header_row: int
    keys: list[str]  # the header's column keys (see `key`)
    rows: list[tuple[int, dict[str, str]]]  # (row number, column key -> stripped cell), blank rows left out


def read_table(data: str | bytes, required: Iterable[str], what: str) -> Table:
    """Another tool's export: the rows under the first row that holds every `required` header key.

    Title rows above the header are fine (tools print them). Raises RosterError
    naming the missing columns, a repeated header, or every ragged row.
    """
    needed = {key(r) for r in required}
    lines = rows(data)
    for index, header in enumerate(lines):
        keys = [key(c) for c in header]
        if not needed <= set(keys):
            continue
        problems = [f'row {index + 1}, header: column "{cell.strip()}" appears twice'
                    for i, (cell, k) in enumerate(zip(header, keys, strict=True)) if k and k in keys[:i]]
        table = []
        for number, cells in enumerate(lines[index + 1:], start=index + 2):
            if blank_row(cells):
                continue
            trailing = len(cells) > len(keys) and blank_row(cells[len(keys):])
            problem = None if trailing else ragged(number, cells, len(keys))
            if problem:
                problems.append(problem)
                continue
            table.append((number, {k: restore(v.strip()) for k, v in zip(keys, cells, strict=False) if k}))
        if problems:
            raise RosterError(problems)
        return Table(index + 1, keys, table)
    names = ", ".join(sorted(required))
    raise RosterError([f"file: no header row with the columns {names}; is this a {what}?"])
