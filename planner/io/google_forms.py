"""Google Forms availability export: one answer per row, a grid question per weekday.

Columns: `Timestamp`, `Email Address`, optionally a name and a phone, and grid
columns `Availability [Friday]` holding the center's periods (`Morning,
Afternoon`, `Dinner`). An answer replaces the person's weekly availability; a
person who answered twice is taken from their latest answer. Ticking Dinner
means they offer to bring dinner. A grid cell must name the form's options
exactly (the center's periods, or one of the "not available" words alone): a
near miss such as `Morning or Afternoon (flexible)` is refused rather than read
as Morning. Names, emails and phones are read by `planner.core.cells.read_record`.
Pure; `planner.services.imports` saves every row or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time

import pandas as pd

from planner.core.cells import read_record, same_text
from planner.core.domain import CenterSettings, VolunteerRecord, WeeklyWindow, parse_weekday
from planner.core.errors import RosterError
from planner.core.labels import WEEKDAY_NAMES
from planner.io.csv_text import key, read_table
from planner.io.matching import RosterIndex

TIMESTAMP, EMAIL = "Timestamp", "Email Address"
NAME_COLUMNS = ("Name", "Full name", "Your name")
PHONE_COLUMNS = ("Phone", "Phone number")
_GRID = re.compile(r"\[([a-z]+)\]$")
NOT_AVAILABLE = "Not available"
_NONE_WORDS = {same_text(w) for w in (NOT_AVAILABLE, "none", "unavailable", "n/a", "na", "-")}
_STAMP_FORMATS = ("%m/%d/%Y %H:%M:%S", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S", "%m/%d/%Y %H:%M",
                  "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class FormAnswer:
    row: int
    at: datetime
    name: str
    email: str
    phone: str | None
    windows: tuple[WeeklyWindow, ...]
    dinner: bool
    replaced_by: int | None = None  # the row of a later answer from the same email


@dataclass(frozen=True)
class FormsPreview:
    answers: tuple[FormAnswer, ...]
    problems: tuple[str, ...]

    @property
    def latest(self) -> list[FormAnswer]:
        return [a for a in self.answers if a.replaced_by is None]

    def table(self) -> pd.DataFrame:
        rows = [{"Row": a.row, "Name": a.name, "Email": a.email,
                 "Availability": "; ".join(str(w) for w in a.windows) or "none",
                 "Dinner": "yes" if a.dinner else "",
                 "Note": f"replaced by the later answer on row {a.replaced_by}" if a.replaced_by else ""}
                for a in self.answers]
        return pd.DataFrame(rows, columns=["Row", "Name", "Email", "Availability", "Dinner", "Note"])


def _stamp(text: str) -> datetime:
    """Google's `11/20/2026 10:15:32` (or `2026/11/20 10:15:32 AM CST`); raises ValueError."""
    bare = re.sub(r"\s+[A-Z]{2,5}$", "", text.strip())  # a time zone name at the end
    for form in _STAMP_FORMATS:
        try:
            return datetime.strptime(bare, form)
        except ValueError:
            continue
    raise ValueError(f'"{text}" is not a date and time like 11/20/2026 10:15:32')


def _merge(weekday: int, spans: list[tuple[time, time]]) -> list[WeeklyWindow]:
    """Touching periods become one window: Morning + Afternoon = 09:00-17:00."""
    out: list[list[time]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [WeeklyWindow(weekday, s, e) for s, e in out]


def _options(cell: str, named: dict[str, tuple[time, time]], settings: CenterSettings
             ) -> list[tuple[time, time]]:
    """The periods ticked in one grid cell, each an exact option; raises ValueError naming a near miss.

    Google Forms joins ticked boxes with ", ". "Not available" ticked beside a
    period contradicts it, so neither is guessed.
    """
    ticked = [t.strip() for t in re.split(r"[,;]", cell) if t.strip()]
    spans, none = [], []
    for token in ticked:
        if same_text(token) in _NONE_WORDS:
            none.append(token)
        elif same_text(token) in named:
            spans.append(named[same_text(token)])
        else:
            raise ValueError(f'"{token}" is not one of {", ".join(settings.periods())} (or {NOT_AVAILABLE})')
    if none and spans:
        raise ValueError(f'"{cell.strip()}" ticks "{none[0]}" and a time of day; keep one')
    return spans


def parse_form(data: str | bytes, settings: CenterSettings) -> FormsPreview:
    """Every answer, with one placed problem per bad cell (`row 4, Availability [Friday]: ...`)."""
    table = read_table(data, [TIMESTAMP, EMAIL], "Google Forms availability export")
    named = {same_text(name): span for name, span in settings.periods().items()}
    grid: list[tuple[str, int]] = []
    problems: list[str] = []
    for column in table.keys:
        match = _GRID.search(column)
        if match:
            try:
                grid.append((column, parse_weekday(match[1])))
            except ValueError:
                problems.append(f'row {table.header_row}, header: "{match[1]}" in a grid column '
                                "is not a weekday")
    if not grid:
        problems.append(f"row {table.header_row}, header: no grid columns like Availability [Friday]")
    answers: list[FormAnswer] = []
    column_of = {"name": next((c for c in NAME_COLUMNS if key(c) in table.keys), NAME_COLUMNS[0]),
                 "email": EMAIL,
                 "phone": next((c for c in PHONE_COLUMNS if key(c) in table.keys), PHONE_COLUMNS[0])}
    for number, cells in table.rows:
        found = []
        at = datetime.min
        try:
            at = _stamp(cells.get(key(TIMESTAMP), ""))
        except ValueError as err:
            found.append(f"{TIMESTAMP}: {err}")
        person, read_problems = read_record({field: cells.get(key(column), "")
                                             for field, column in column_of.items()})
        # A blank name is fine for someone on the roster already (see plan_changes).
        found += [f"{column_of[field]}: {text}" for field, text in read_problems
                  if (field, text) != ("name", "is required")]
        windows: list[WeeklyWindow] = []
        dinner = False
        for column, weekday in grid:
            place = f"Availability [{WEEKDAY_NAMES[weekday]}]"
            try:
                spans = _options(cells.get(column, ""), named, settings)
            except ValueError as err:
                found.append(f"{place}: {err}")
                continue
            dinner = dinner or (settings.meals and (settings.meal_start, settings.meal_end) in spans)
            windows += _merge(weekday, spans)
        if not person.email:
            found.append(f"{EMAIL}: is required (it tells answers of different people apart)")
        if found:
            problems += [f"row {number}, {p}" for p in found]
            continue
        assert person.email is not None
        answers.append(FormAnswer(number, at, person.name, person.email, person.phone, tuple(windows),
                                  dinner))
    latest: dict[str, FormAnswer] = {}
    for a in sorted(answers, key=lambda a: (a.at, a.row)):
        latest[a.email] = a
    marked = tuple(a if latest[a.email] is a else replace(a, replaced_by=latest[a.email].row)
                   for a in answers)
    return FormsPreview(marked, tuple(problems))


def plan_changes(preview: FormsPreview, stored: list[VolunteerRecord]
             ) -> list[tuple[VolunteerRecord, VolunteerRecord | None]]:
    """(new or changed record, the stored one or None) per person, from their latest answer."""
    if preview.problems:
        raise RosterError(list(preview.problems))
    index = RosterIndex(stored)
    out, errors = [], []
    for a in preview.latest:
        found = index.candidates(a.email, a.name)
        match = found[0] if len(found) == 1 else None
        if match is None and not a.name:
            errors.append(f"row {a.row}, name: {a.email} is not on the roster yet, so a name is required "
                          "(add a Name question to the form)")
            continue
        base = match or VolunteerRecord(name=a.name, email=a.email, phone=a.phone)
        out.append((replace(base, availability=a.windows, email=base.email or a.email,
                            does_meals=base.does_meals or a.dinner,
                            max_meals=max(base.max_meals, 1) if a.dinner else base.max_meals), match))
    if errors:
        raise RosterError(errors)
    return out
