"""Cells of the roster: the one reader of a volunteer's fields, and safe spreadsheet cells.

The roster editor, the roster CSV and the other importers all read a
volunteer's fields here, so a blank or odd cell means the same everywhere:

- a blank cap takes the contract's default: 1 shift a week, and 1 meal a week
  for someone who provides meals (else 0);
- yes/no cells take yes, no, y, n, true, false, 1, 0 (any case); blank is no;
- text is NFC-normalised, and control characters, bidi overrides and
  zero-width characters are refused, because they hide what a name says.

A cell starting with `= + - @`, tab or CR gets a leading single quote on
export (`neutralise`); `restore` takes it off on import, so a phone like
`+1 816-555-0100` survives any number of export/import rounds unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date, datetime
from typing import Any

from planner.core.domain import MAX_CAP, VolunteerRecord, WeeklyWindow
from planner.core.problem import CHECK_STATUSES

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_YES = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}
# NUL and other C0/C1 controls, bidi embeddings/overrides/isolates, zero-width characters and the BOM.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                     "\u2066-\u2069\ufeff]")
_LINE_BREAK = re.compile("[\r\n\u2028\u2029]")
_FIELDS = {f.name for f in fields(VolunteerRecord)}


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(TRIGGERS) else value


def neutralise_cell(value: Any) -> Any:
    """`neutralise` for any table cell: only text can run as a formula."""
    return neutralise(value) if isinstance(value, str) else value


def restore(value: str) -> str:
    """The inverse of `neutralise` on what it wrote; other text is left alone."""
    return value[1:] if value.startswith("'") and value[1:].startswith(TRIGGERS) else value


def blank(value: Any) -> bool:
    """Empty text, None, NaN or NaT (what a spreadsheet or an editor gives for an empty cell)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def clean_text(value: Any, *, one_line: bool = True) -> str:
    """Stripped, NFC-normalised text; raises ValueError naming what is hidden in it."""
    text = unicodedata.normalize("NFC", "" if blank(value) else str(value)).strip()
    if "\x00" in text:
        raise ValueError("holds a NUL character")
    if one_line and _LINE_BREAK.search(text):
        raise ValueError("holds a line break; it must be one line")
    if one_line and "\t" in text:
        raise ValueError("holds a tab; it must be one line of text")
    hidden = _HIDDEN.search(text)
    if hidden:
        raise ValueError(f"holds an invisible or direction-changing character (U+{ord(hidden[0]):04X})")
    return text


def same_text(text: str) -> str:
    """What two spellings of one name compare as: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def parse_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if blank(value):
        return False
    found = _YES.get(str(value).strip().lower())
    if found is None:
        raise ValueError(f'"{value}" is not yes or no')
    return found


def parse_cap(value: Any, default: int) -> int:
    """A weekly cap, 0 to MAX_CAP; ASCII digits only (`"١".isdigit()` is true)."""
    if blank(value):
        return default
    if isinstance(value, bool):
        raise ValueError(f'"{value}" is not a whole number')
    if isinstance(value, int | float):
        if value != int(value):
            raise ValueError(f'"{value}" is not a whole number')
        number = int(value)
    else:
        text = str(value).strip()
        if re.fullmatch(r"[0-9]+\.0*", text):
            text = text.split(".")[0]
        if not re.fullmatch(r"[0-9]+", text):
            raise ValueError(f'"{value}" is not a whole number >= 0')
        number = int(text)
    if number < 0:
        raise ValueError(f'"{value}" is not a whole number >= 0')
    if number > MAX_CAP:
        raise ValueError(f'"{value}" is more than {MAX_CAP}')
    return number


def parse_check_status(value: Any) -> str:
    status = "none" if blank(value) else str(value).strip().lower()
    if status not in CHECK_STATUSES:
        raise ValueError(f'"{value}" is not one of {", ".join(CHECK_STATUSES)}')
    return status


def parse_date(value: Any) -> date | None:
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f'"{value}" is not a date YYYY-MM-DD') from None


class CellProblems(ValueError):
    """Several problems in one cell (an availability with two bad windows), each said on its own."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_availability(value: Any) -> tuple[WeeklyWindow, ...]:
    """`Fri 09:00-17:00; Sat 09:00-13:00` (or windows already parsed); each bad window is named."""
    if isinstance(value, tuple | list) and all(isinstance(w, WeeklyWindow) for w in value):
        return tuple(sorted(set(value)))
    windows, problems = [], []
    for part in ("" if blank(value) else str(value)).split(";"):
        if part.strip():
            try:
                windows.append(WeeklyWindow.parse(part.strip()))
            except ValueError as err:
                problems.append(str(err))
    if problems:
        raise CellProblems(problems)
    return tuple(sorted(set(windows)))


def parse_does(value: Any) -> tuple[bool, bool]:
    """`shift`, `meal`, `shift;meal` -> (does shifts, does meals); blank = shifts."""
    words = {d.lower() for d in re.split(r"[;,\s]+", "" if blank(value) else str(value)) if d} or {"shift"}
    unknown = sorted(words - {"shift", "meal"})
    if unknown:
        raise ValueError(f'"{unknown[0]}" is not shift or meal')
    return "shift" in words, "meal" in words


def read_record(cells: Mapping[str, Any], base: VolunteerRecord | None = None
                ) -> tuple[VolunteerRecord, list[tuple[str, str]]]:
    """A volunteer from cells by record field (plus `does`, as the CSV writes it), and its problems.

    Fields not in `cells` keep `base`'s values (a new person: the defaults).
    Problems are (field, message) pairs, the record's own checks included, so
    each caller can place them in its own words (`row 7, email: ...`).
    """
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []

    def read(field: str, parse: Any, *args: Any, new_default: bool = False) -> None:
        if field not in cells and not (new_default and base is None):
            return
        try:
            values[field] = parse(cells.get(field), *args)
        except CellProblems as err:
            problems.extend((field, message) for message in err.messages)
        except ValueError as err:
            problems.append((field, str(err)))

    for field in ("name", "email", "phone"):
        read(field, clean_text)
    if "email" in values:
        values["email"] = values["email"].lower() or None
    if "phone" in values:
        values["phone"] = values["phone"] or None
    if "does" in cells:
        try:
            values["does_shifts"], values["does_meals"] = parse_does(cells["does"])
        except ValueError as err:
            problems.append(("does", str(err)))
    for field in ("does_shifts", "does_meals", "trained", "active"):
        read(field, parse_flag)
    read("check_status", parse_check_status)
    read("check_expires", parse_date)
    read("availability", parse_availability)
    start = base or VolunteerRecord(name="")
    does_meals = values.get("does_meals", start.does_meals)
    read("max_shifts", parse_cap, 1, new_default=True)  # a new person without the column: the default too
    read("max_meals", parse_cap, 1 if does_meals else 0, new_default=True)
    record = replace(start, **{k: v for k, v in values.items() if k in _FIELDS})
    reported = {field for field, _ in problems}
    for message in record.problems():
        field, _, text = message.partition(": ")
        if field not in reported:
            problems.append((field, text))
    return record, problems
