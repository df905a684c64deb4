"""SignUpGenius sign-up report CSV: each row is a person signed up for an item on a date.

A sign-up becomes extra availability on that date (a dated exception), and a
preference for the center's slot when the sign-up's times match one, so the
planner puts the person where they signed up. New people are added without a
background check (the coordinator records it), as SignUpGenius knows nothing
of it. Comments and other columns are not kept: only what the planner needs.
Names, emails and phones are read by `planner.core.cells.read_record`, like
every importer's. One email is one person: a file that gives one email to two
names is refused rather than putting one person's sign-ups on the other's record.
Pure; `planner.services.imports` saves every row or none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time

import pandas as pd

from planner.core.cells import read_record, same_text
from planner.core.domain import CenterSettings, Preference, VolunteerRecord, monday_of
from planner.core.errors import RosterError
from planner.io.csv_text import key, read_table
from planner.io.matching import RosterIndex

START, END = "Start Date/Time (mm/dd/yyyy)", "End Date/Time (mm/dd/yyyy)"
FIRST, LAST = "First Name", "Last Name"
EMAIL, PHONE = "Email", "Phone"
_COLUMN_OF = {"name": f"{FIRST}/{LAST}", "email": EMAIL, "phone": PHONE}  # record field -> its column
YEARS = range(2000, 2101)  # far enough for any sign-up; keeps week arithmetic inside Python's calendar
_MEAL_WORDS = re.compile(r"dinner|meal|food|lunch|breakfast|supper|cook", re.IGNORECASE)
_MOMENT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap])?\.?m?\.?$",
                     re.IGNORECASE)


@dataclass(frozen=True)
class SignUp:
    row: int
    name: str
    email: str | None
    phone: str | None
    item: str
    kind: str  # shift or meal
    day: date
    start: time
    end: time

    @property
    def person(self) -> str:
        """Who this is across rows: the email, else the name (compared as `same_text`)."""
        return same_text(self.email or self.name)


@dataclass(frozen=True)
class SignUpPreview:
    signups: tuple[SignUp, ...]
    problems: tuple[str, ...]

    def table(self) -> pd.DataFrame:
        rows = [{"Row": s.row, "Name": s.name, "Email": s.email or "", "Date": s.day.isoformat(),
                 "Time": f"{s.start:%H:%M}-{s.end:%H:%M}", "Item": s.item, "Kind": s.kind}
                for s in self.signups]
        return pd.DataFrame(rows, columns=["Row", "Name", "Email", "Date", "Time", "Item", "Kind"])


def _moment(text: str) -> datetime:
    """`12/04/2026 09:00 AM`, `12/4/2026 9:00am` or `12/04/2026 13:00`; raises ValueError."""
    match = _MOMENT.match(text.strip())
    if not match:
        raise ValueError(f'"{text}" is not a date and time like 12/04/2026 09:00 AM')
    month, day, year, hour, minute = (int(match[i]) for i in range(1, 6))
    if year not in YEARS:
        raise ValueError(f'"{text}" is not in the years {YEARS[0]} to {YEARS[-1]}')
    half = (match[6] or "").lower()
    if half and not 1 <= hour <= 12:
        raise ValueError(f'"{text}" has no hour {hour} on a 12-hour clock')
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        raise ValueError(f'"{text}" is not a real date and time') from None


def _cell_moment(cells: dict[str, str], column: str, found: list[str]) -> datetime | None:
    try:
        return _moment(cells.get(key(column), ""))
    except ValueError as err:
        found.append(f"{column}: {err}")
        return None


def _slot_for(settings: CenterSettings, start: datetime, end: datetime) -> tuple[str, str] | None:
    """(kind, label) of the center's slot with exactly these times, if any."""
    for slot in settings.week_slots(monday_of(start.date())):
        if slot.start == start and slot.end == end:
            return slot.kind, slot.id[11:]
    return None


def parse_signups(data: str | bytes, settings: CenterSettings) -> SignUpPreview:
    """Every sign-up row, with one placed problem per bad cell (`row 7, Start Date/Time ...: ...`)."""
    table = read_table(data, [START, END, FIRST, LAST], "SignUpGenius sign-up report")
    signups, problems = [], []
    for number, cells in table.rows:
        found = []
        name = " ".join(p for p in (cells.get(key(FIRST), ""), cells.get(key(LAST), "")) if p)
        person, problems_of_person = read_record({"name": name, "email": cells.get(key(EMAIL), ""),
                                                  "phone": cells.get(key(PHONE), "")})
        found += [f"{FIRST}: a first or last name is required" if (field, text) == ("name", "is required")
                  else f"{_COLUMN_OF.get(field, field)}: {text}" for field, text in problems_of_person]
        item = cells.get(key("Item"), "") or cells.get(key("Sign Up"), "")
        start, end = _cell_moment(cells, START, found), _cell_moment(cells, END, found)
        if start is not None and end is not None:
            if end <= start:
                found.append(f"{END}: ends before it starts")
            elif end.date() != start.date():
                found.append(f"{END}: a sign-up past midnight is not a slot the center has")
        if found or start is None or end is None:
            problems += [f"row {number}, {p}" for p in found]
            continue
        matched = _slot_for(settings, start, end)
        kind = matched[0] if matched else ("meal" if _MEAL_WORDS.search(item) else "shift")
        signups.append(SignUp(number, person.name, person.email, person.phone, item, kind, start.date(),
                              start.time(), end.time()))
    return SignUpPreview(tuple(signups), tuple(problems))


def plan_changes(preview: SignUpPreview, stored: list[VolunteerRecord],
             settings: CenterSettings) -> list[tuple[VolunteerRecord, VolunteerRecord | None, list[SignUp]]]:
    """(new or changed record, the stored one or None, that person's sign-ups) per person."""
    if preview.problems:
        raise RosterError(list(preview.problems))
    index = RosterIndex(stored)
    people: dict[str, list[SignUp]] = {}
    for s in preview.signups:
        people.setdefault(s.person, []).append(s)
    out, errors = [], []
    for signups in people.values():
        first = signups[0]
        errors += [f'row {s.row}, {FIRST}: "{s.name}" signs up with {s.email}, which row {first.row} '
                   f'gives to "{first.name}"; one email is one person, so correct the name or the email'
                   for s in signups if same_text(s.name) != same_text(first.name)]
        found = index.candidates(first.email, first.name)
        if len(found) > 1:
            errors.append(f'row {first.row}, {FIRST}: {len(found)} volunteers are called "{first.name}"; '
                          "add an email to tell them apart")
        match = found[0] if len(found) == 1 else None
        prefs = set(match.preferences if match else ())
        for s in signups:
            slot = _slot_for(settings, datetime.combine(s.day, s.start), datetime.combine(s.day, s.end))
            if slot:
                prefs.add(Preference(s.day.weekday(), slot[1]))
        per_week = {k: Counter(monday_of(s.day) for s in signups if s.kind == k) for k in ("shift", "meal")}
        most = {k: max(c.values(), default=0) for k, c in per_week.items()}
        base = match or VolunteerRecord(name=first.name, email=first.email, phone=first.phone,
                                        does_shifts=False, max_shifts=0)
        record = replace(base, does_shifts=base.does_shifts or most["shift"] > 0,
                         does_meals=base.does_meals or most["meal"] > 0,
                         max_shifts=max(base.max_shifts, most["shift"]),
                         max_meals=max(base.max_meals, most["meal"]), preferences=tuple(sorted(prefs)))
        out.append((record, match, signups))
    if errors:
        raise RosterError(errors)
    return out
