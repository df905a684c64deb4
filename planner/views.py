"""Tables, sentences and charts the pages show: pure functions, no Streamlit, no SQL.

Pages only arrange widgets; everything they display is shaped here so it can be
unit-tested. Texts returned here are plain: pages show them with `st.text`,
`st.dataframe` or, for Markdown widgets, after `md_escape`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from planner.domain import monday_of
from planner.problem import Assignment, Problem, Slot

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# ---------------------------------------------------------------- plain text


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&])")


def md_escape(text: Any) -> str:
    """Text safe to hand to a Markdown widget: every Markdown/HTML character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def table_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy for `st.table`, which renders Markdown in cells: every text cell, the index and the
    column names escaped, so names show as typed and never as links, images or HTML."""
    out = table.copy()
    for col in out.columns:
        out[col] = out[col].map(lambda v: md_escape(v) if isinstance(v, str) else v)
    out.index = [md_escape(i) if isinstance(i, str) else i for i in out.index]
    out.index.name = md_escape(table.index.name) if isinstance(table.index.name, str) else table.index.name
    out.columns = [md_escape(c) if isinstance(c, str) else c for c in out.columns]
    return out


def unescape(text: str) -> str:
    """The inverse of `md_escape` (for tests and exports)."""
    return re.sub(r"\\(.)", r"\1", text)


def neutralise_cell(value: Any) -> Any:
    """A spreadsheet cell that cannot run as a formula (`= + - @`, tab, CR lead)."""
    from planner.io.safe_cells import neutralise

    return neutralise(value) if isinstance(value, str) else value


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV for download, with formula-looking cells neutralised."""
    safe = table.copy()
    for col in safe.columns:
        safe[col] = safe[col].map(neutralise_cell)
    buf = io.StringIO()
    safe.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# ---------------------------------------------------------------- slots and days


def day_label(day: date) -> str:
    """`Fri 4 Dec`."""
    return f"{day:%a} {day.day} {day:%b}"


def period_name(slot: Slot) -> str:
    if slot.kind == "meal":
        if slot.start.time() >= time(16, 0):
            return "Dinner"
        return "Lunch" if slot.start.time() >= time(11, 0) else "Breakfast"
    if slot.start.time() < time(12, 0):
        return "Morning"
    return "Afternoon" if slot.start.time() < time(17, 0) else "Evening"


def time_range(slot: Slot) -> str:
    return f"{slot.start:%H:%M}-{slot.end:%H:%M}"


def slot_column(slot: Slot) -> str:
    """The grid column of a slot: `Morning 09:00-13:00`."""
    return f"{period_name(slot)} {time_range(slot)}"


def slot_title(slot: Slot) -> str:
    """A slot in one line: `Fri 4 Dec, Morning 09:00-13:00`."""
    return f"{day_label(slot.start.date())}, {slot_column(slot)}"


def coverage_label(assigned: int, target: int) -> str:
    """`3 of 4`."""
    return f"{assigned} of {target}"


def _sorted_slots(slots: Iterable[Slot]) -> list[Slot]:
    return sorted(slots, key=lambda s: (s.start, s.kind != "shift", s.end, s.id))


def _columns(slots: Iterable[Slot]) -> list[str]:
    seen: dict[str, tuple[int, time, time]] = {}
    for s in slots:
        key = slot_column(s)
        order = (0 if s.kind == "shift" else 1, s.start.time(), s.end.time())
        seen.setdefault(key, order)
    return sorted(seen, key=lambda k: (seen[k][1], seen[k][0], seen[k][2]))


# ---------------------------------------------------------------- the week grid


@dataclass(frozen=True)
class WeekGrid:
    """Days x slots. `table` holds the text of each cell; `status` holds, per cell,
    `short` (below min), `below_target`, `full` or `` (no slot)."""

    table: pd.DataFrame
    status: pd.DataFrame


def slot_state(slot: Slot, assigned: int, trained: int) -> str:
    if assigned < slot.min or trained < slot.min_trained:
        return "short"
    if assigned < slot.target:
        return "below_target"
    return "full"


def week_grid(problem: Problem, assignments: Iterable[Assignment],
              pinned: Iterable[Assignment] = ()) -> WeekGrid:
    """The plan as a calendar: one row per day, one column per slot time.

    A cell reads `3 of 4: Ana R., Ben T. (pinned), Cleo M.`; a slot short of its
    minimum (or of trained people) starts with `Short:`.
    """
    pins = set(pinned)
    by_slot: dict[str, list[str]] = {}
    for a in assignments:
        by_slot.setdefault(a.slot, []).append(a.volunteer)
    slots = _sorted_slots(problem.slots)
    columns = _columns(slots)
    days = sorted({s.start.date() for s in slots})
    index = [day_label(d) for d in days]
    table = pd.DataFrame("", index=index, columns=columns, dtype=object)
    status = pd.DataFrame("", index=index, columns=columns, dtype=object)
    for slot in slots:
        people = [v for v in by_slot.get(slot.id, []) if problem.has_volunteer(v)]
        names = []
        trained = 0
        for vid in sorted(people, key=lambda v: problem.volunteer(v).name.casefold()):
            vol = problem.volunteer(vid)
            trained += vol.trained
            name = vol.name or vid
            if slot.kind == "shift" and vol.trained:
                name += " (trained)"
            if Assignment(slot.id, vid) in pins:
                name += " (pinned)"
            names.append(name)
        state = slot_state(slot, len(people), trained)
        text = coverage_label(len(people), slot.target)
        if state == "short":
            text = "Short: " + text
        if names:
            text += ": " + ", ".join(names)
        row, col = day_label(slot.start.date()), slot_column(slot)
        table.loc[row, col] = text
        status.loc[row, col] = state
    table.index.name = "Day"
    return WeekGrid(table, status)


GRID_COLOURS = {"short": "background-color: #fde2e1", "below_target": "background-color: #fff4d6",
                "full": "background-color: #e3f4e8", "": ""}


def grid_styles(grid: WeekGrid) -> pd.DataFrame:
    """CSS per cell, for `grid.table.style.apply(lambda _: grid_styles(grid), axis=None)`."""
    return grid.status.map(lambda s: GRID_COLOURS.get(s, ""))


def styled_grid(grid: WeekGrid) -> Any:
    """The grid for `st.table`: Markdown-escaped text, cells coloured by coverage."""
    safe = table_safe(grid.table)
    styles = grid_styles(grid)
    styles.index, styles.columns = safe.index, safe.columns
    return safe.style.apply(lambda _: styles, axis=None)


def unfilled_table(problem: Problem, unfilled: Iterable[Any]) -> pd.DataFrame:
    """Unfilled positions with their reasons (`plan.unfilled` items)."""
    rows = []
    for u in unfilled:
        if not problem.has_slot(u.slot):
            continue
        slot = problem.slot(u.slot)
        rows.append({"Day": day_label(slot.start.date()), "Slot": slot_column(slot),
                     "Missing": int(u.missing), "Missing trained": int(u.missing_trained),
                     "Why": "; ".join(u.reasons) or "no eligible volunteer left",
                     "_start": slot.start})
    table = pd.DataFrame(rows, columns=["Day", "Slot", "Missing", "Missing trained", "Why", "_start"])
    return table.sort_values("_start").drop(columns="_start").reset_index(drop=True)


def objective_summary(problem: Problem, plan: Any) -> list[str]:
    """A few plain sentences about a plan (`planner.plan.Plan`)."""
    n_slots = len(problem.slots)
    short_slots = {u.slot for u in plan.unfilled if u.missing or u.missing_trained}
    lines = [f"{n_slots - len(short_slots)} of {plural(n_slots, 'slot')} have at least their minimum."]
    if plan.objective.unfilled:
        lines.append(f"{plural(plan.objective.unfilled, 'position')} unfilled (below the minimum).")
    else:
        lines.append("No position is unfilled.")
    if plan.objective.below_target:
        lines.append(f"{plural(plan.objective.below_target, 'position')} below target.")
    else:
        lines.append("Every slot reaches its target.")
    for name, value in sorted((getattr(plan, "soft", None) or {}).items()):
        lines.append(f"{str(name).capitalize()}: {value}.")
    proof = "proven best" if plan.status == "optimal" else "best found in the time allowed"
    lines.append(f"Plan {proof} ({plan.seconds:.2f} s).")
    return lines


def assignment_choices(problem: Problem, assignments: Iterable[Assignment],
                       pinned: Iterable[Assignment] = ()) -> pd.DataFrame:
    """One row per assignment, for pinning: Slot, Volunteer, Pinned, and ids."""
    pins = set(pinned)
    rows = []
    for a in sorted(set(assignments) | pins,
                    key=lambda a: (problem.slot(a.slot).start if problem.has_slot(a.slot) else datetime.max,
                                   a.volunteer)):
        if not (problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)):
            continue
        rows.append({"Slot": slot_title(problem.slot(a.slot)),
                     "Volunteer": problem.volunteer(a.volunteer).name or a.volunteer,
                     "Pinned": a in pins, "slot_id": a.slot, "volunteer_id": a.volunteer})
    return pd.DataFrame(rows, columns=["Slot", "Volunteer", "Pinned", "slot_id", "volunteer_id"])


# ---------------------------------------------------------------- a volunteer's own shifts


# ---------------------------------------------------------------- what-if


# ---------------------------------------------------------------- check expiry


def check_warnings(rows: Sequence[Mapping[str, Any]], today: date, within_days: int = 30) -> list[str]:
    """Warnings for cleared background checks expiring within `within_days` (or expired).

    `rows` hold `name`, `background_check` (status) and `background_check_expires` (a date or None).
    """
    out = []
    horizon = today + timedelta(days=within_days)
    for row in rows:
        expires = row.get("background_check_expires")
        if isinstance(expires, str) and expires:
            try:
                expires = date.fromisoformat(expires)
            except ValueError:
                continue
        if isinstance(expires, datetime):
            expires = expires.date()
        if not isinstance(expires, date) or row.get("background_check") != "cleared":
            continue
        if expires < today:
            out.append(f"{row.get('name')}: background check expired on {expires.isoformat()}.")
        elif expires <= horizon:
            days = (expires - today).days
            out.append(f"{row.get('name')}: background check expires on {expires.isoformat()} "
                       f"(in {plural(days, 'day')}).")
    return out


# ---------------------------------------------------------------- pins


def pin_changes(choices: pd.DataFrame, edited_rows: Mapping[Any, Mapping[str, Any]]
                ) -> tuple[list[Assignment], list[Assignment]]:
    """(to pin, to unpin) from a `st.data_editor` diff over `assignment_choices` (Pinned column)."""
    pin, unpin = [], []
    for position, change in edited_rows.items():
        i = int(position)
        if "Pinned" not in change or not 0 <= i < len(choices):
            continue
        row = choices.iloc[i]
        a = Assignment(str(row["slot_id"]), str(row["volunteer_id"]))
        now, before = bool(change["Pinned"]), bool(row["Pinned"])
        if now and not before:
            pin.append(a)
        elif before and not now:
            unpin.append(a)
    return pin, unpin


# ---------------------------------------------------------------- roster editing

ROSTER_COLUMNS = {  # editor column -> VolunteerRecord field
    "Name": "name", "Email": "email", "Phone": "phone", "Shifts": "does_shifts", "Meals": "does_meals",
    "Trained": "trained", "Check": "check_status", "Check expires": "check_expires",
    "Max shifts/week": "max_shifts", "Max meals/week": "max_meals", "Active": "active",
    "Availability": "availability",
}
_FIELD_COLUMNS = {v: k for k, v in ROSTER_COLUMNS.items()}
_FIELD_COLUMNS.update({"background_check": "Check", "max per week": "Max shifts/week"})


def availability_text(windows: Iterable[Any]) -> str:
    return "; ".join(str(w) for w in windows)


def roster_table(records: Sequence[Any]) -> pd.DataFrame:
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
    updated: list[Any]
    added: list[Any]
    errors: list[str]

    @property
    def empty(self) -> bool:
        return not (self.updated or self.added or self.errors)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (
        isinstance(value, str) and not value.strip()) or value is pd.NaT


def _cell(column: str, value: Any) -> tuple[Any, str | None]:
    """(value for the record field, or an error message) for one edited cell."""
    from planner.domain import WeeklyWindow
    from planner.problem import CHECK_STATUSES

    field = ROSTER_COLUMNS[column]
    if field in ("name", "email", "phone"):
        text = "" if _blank(value) else str(value).strip()
        if field == "name" and not text:
            return None, "a name is required"
        return (text if field == "name" else (text or None)), None
    if field in ("does_shifts", "does_meals", "trained", "active"):
        if _blank(value):
            return False, None
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in ("yes", "true", "1", "y"):
            return True, None
        if text in ("no", "false", "0", "n"):
            return False, None
        return None, f'"{value}" is not yes or no'
    if field == "check_status":
        text = "none" if _blank(value) else str(value).strip().lower()
        if text not in CHECK_STATUSES:
            return None, f'"{value}" is not one of {", ".join(CHECK_STATUSES)}'
        return text, None
    if field == "check_expires":
        if _blank(value):
            return None, None
        if isinstance(value, datetime):
            return value.date(), None
        if isinstance(value, date):
            return value, None
        try:
            return date.fromisoformat(str(value).strip()[:10]), None
        except ValueError:
            return None, f'"{value}" is not a date YYYY-MM-DD'
    if field in ("max_shifts", "max_meals"):
        if _blank(value):
            return 0, None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None, f'"{value}" is not a whole number'
        if not number.is_integer() or number < 0 or number > 21:
            return None, f'"{value}" is not a whole number from 0 to 21'
        return int(number), None
    # availability
    windows = []
    for part in ("" if _blank(value) else str(value)).split(";"):
        if not part.strip():
            continue
        try:
            windows.append(WeeklyWindow.parse(part.strip()))
        except ValueError as err:
            return None, str(err)
    return tuple(sorted(set(windows))), None


def _cells(where: str, row: Mapping[str, Any], errors: list[str]) -> tuple[dict[str, Any], bool]:
    """The editor's cells as record fields; each bad cell adds a message naming its row and column."""
    values: dict[str, Any] = {}
    bad = False
    for column, value in row.items():
        if column not in ROSTER_COLUMNS:
            continue
        parsed, error = _cell(column, value)
        if error:
            errors.append(f'{where}, column "{column}": {error}')
            bad = True
        else:
            values[ROSTER_COLUMNS[column]] = parsed
    return values, bad


def _record_errors(where: str, record: Any) -> list[str]:
    out = []
    for problem in record.problems():
        field, _, message = problem.partition(": ")
        column = _FIELD_COLUMNS.get(field, field)
        out.append(f'{where}, column "{column}": {message}')
    return out


def roster_edit(records: Sequence[Any], state: Mapping[str, Any]) -> RosterEdit:
    """Validate a `st.data_editor` diff over `roster_table(records)`.

    Returns the changed and new `VolunteerRecord`s, or errors naming the row and
    the column (`Row 3 (Ana R.), column "Email": "x" is not an email address`). The
    caller saves nothing when there is any error.
    """
    from dataclasses import replace

    from planner.domain import VolunteerRecord

    errors: list[str] = []
    updated, added = [], []
    if state.get("deleted_rows"):
        errors.append("Rows cannot be deleted: untick Active to deactivate a volunteer "
                      "(their history is kept).")
    for position, change in sorted((state.get("edited_rows") or {}).items(), key=lambda kv: int(kv[0])):
        i = int(position)
        if not 0 <= i < len(records):
            continue
        record = records[i]
        where = f"Row {i + 1} ({record.name})"
        values, bad = _cells(where, change, errors)
        if bad or not values:
            continue
        new = replace(record, **values)
        problems = _record_errors(where, new)
        if problems:
            errors.extend(problems)
        elif new != record:
            updated.append(new)
    for j, row in enumerate(state.get("added_rows") or []):
        where = f"New row {j + 1}"
        values, bad = _cells(where, row, errors)
        if not values and not bad:
            continue  # an empty row the editor added
        if "name" not in values and not bad:
            errors.append(f'{where}, column "Name": a name is required')
            continue
        if bad:
            continue
        values.setdefault("active", True)
        values.setdefault("does_shifts", True)
        if "max_shifts" not in values:
            values["max_shifts"] = 1
        new = VolunteerRecord(**values)
        problems = _record_errors(where, new)
        if problems:
            errors.extend(problems)
        else:
            added.append(new)
    if errors:
        return RosterEdit([], [], errors)
    return RosterEdit(updated, added, [])


# ---------------------------------------------------------------- weekly availability grid

PERIOD_COLUMNS = ("Morning", "Afternoon", "Dinner")


def periods(settings: Any) -> dict[str, tuple[time, time]]:
    """The center's periods (`Morning`, `Afternoon`, ... `Dinner`) with their times."""
    out: dict[str, tuple[time, time]] = {}
    shifts = settings.shift_times()
    names = ["Morning", "Afternoon"] if len(shifts) == 2 else [
        f"{s:%H:%M}-{e:%H:%M}" for s, e in shifts]
    for name, span in zip(names, shifts, strict=True):
        out[name] = span
    if settings.meals:
        out["Dinner"] = (settings.meal_start, settings.meal_end)
    return out


def availability_grid(windows: Iterable[Any], settings: Any) -> pd.DataFrame:
    """Weekday x period checkboxes: ticked where a weekly window covers the whole period."""
    spans = periods(settings)
    windows = list(windows)
    rows = []
    for weekday, day_name in enumerate(WEEKDAYS):
        row: dict[str, Any] = {"Day": day_name}
        for name, (start, end) in spans.items():
            row[name] = any(w.weekday == weekday and w.start <= start and end <= w.end for w in windows)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Day", *spans])


def windows_from_grid(grid: pd.DataFrame, settings: Any) -> tuple[Any, ...]:
    """The weekly windows a ticked grid means, touching periods merged (09-13 + 13-17 = 09-17)."""
    from planner.domain import WeeklyWindow

    spans = sorted(periods(settings).items(), key=lambda kv: kv[1][0])
    out = []
    for weekday, (_, row) in enumerate(grid.iterrows()):
        current: list[time] | None = None
        for name, (start, end) in spans:
            if bool(row.get(name, False)):
                if current is not None and current[1] >= start:
                    current[1] = max(current[1], end)
                else:
                    if current is not None:
                        out.append(WeeklyWindow(weekday, current[0], current[1]))
                    current = [start, end]
            elif current is not None:
                out.append(WeeklyWindow(weekday, current[0], current[1]))
                current = None
        if current is not None:
            out.append(WeeklyWindow(weekday, current[0], current[1]))
    return tuple(out)


def exceptions_table(exceptions: Iterable[Any], today: date | None = None) -> pd.DataFrame:
    rows = []
    for e in sorted(exceptions, key=lambda e: (e.day, e.start or time())):
        if today is not None and e.day < today:
            continue
        hours = "whole day" if e.start is None else f"{e.start:%H:%M}-{e.end:%H:%M}"
        rows.append({"Date": f"{day_label(e.day)} {e.day.year}", "Hours": hours,
                     "What": "Time off" if e.kind == "off" else "Extra availability", "id": e.id})
    return pd.DataFrame(rows, columns=["Date", "Hours", "What", "id"])


# ---------------------------------------------------------------- center settings


def staffing_needs(slots: Iterable[Slot]) -> dict[str, int]:
    """What a week of slots asks for: open days, slots, and positions at minimum and target."""
    slots = list(slots)
    shifts = [s for s in slots if s.kind == "shift"]
    meals = [s for s in slots if s.kind == "meal"]
    return {"Open days": len({s.start.date() for s in slots}),
            "Shifts": len(shifts),
            "Shift positions (minimum)": sum(s.min for s in shifts),
            "Shift positions (target)": sum(s.target for s in shifts),
            "Trained positions (minimum)": sum(s.min_trained for s in shifts),
            "Meal slots": len(meals),
            "Meal positions (minimum)": sum(s.min for s in meals)}


def needs_comparison(before: Iterable[Slot], after: Iterable[Slot]) -> pd.DataFrame:
    old, new = staffing_needs(before), staffing_needs(after)
    return pd.DataFrame([{"Need per week": k, "Now": old[k], "With these settings": new[k],
                          "Change": new[k] - old[k]} for k in old])


# ---------------------------------------------------------------- schedule export


def schedule_table(problem: Problem, assignments: Iterable[Assignment], place: str = "") -> pd.DataFrame:
    """One row per assignment: Date, Start, End, Slot, Place, Volunteer (coordinator export)."""
    rows = []
    for a in assignments:
        if not (problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)):
            continue
        s = problem.slot(a.slot)
        rows.append({"Date": s.start.date().isoformat(), "Start": f"{s.start:%H:%M}",
                     "End": f"{s.end:%H:%M}", "Slot": period_name(s), "Place": place,
                     "Volunteer": problem.volunteer(a.volunteer).name, "_start": s.start})
    table = pd.DataFrame(rows, columns=["Date", "Start", "End", "Slot", "Place", "Volunteer", "_start"])
    return table.sort_values(["_start", "Volunteer"]).drop(columns="_start").reset_index(drop=True)


def plan_diff(problem: Problem, old: Iterable[Assignment], new: Iterable[Assignment]) -> list[str]:
    """Who was added, moved or removed between two versions, one plain line each."""
    def by_person(items: Iterable[Assignment]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for a in items:
            out.setdefault(a.volunteer, set()).add(a.slot)
        return out

    before, after = by_person(old), by_person(new)

    def name(vid: str) -> str:
        return problem.volunteer(vid).name if problem.has_volunteer(vid) else vid

    def title(slot_id: str) -> str:
        return slot_title(problem.slot(slot_id)) if problem.has_slot(slot_id) else slot_id

    lines = []
    for vid in sorted(set(before) | set(after), key=name):
        gone = sorted(before.get(vid, set()) - after.get(vid, set()))
        came = sorted(after.get(vid, set()) - before.get(vid, set()))
        if gone and came and len(gone) == len(came):
            lines += [f"{name(vid)} moved from {title(g)} to {title(c)}" for g, c in zip(gone, came,
                                                                                       strict=True)]
            continue
        lines += [f"{name(vid)} added to {title(c)}" for c in came]
        lines += [f"{name(vid)} removed from {title(g)}" for g in gone]
    return lines


# ---------------------------------------------------------------- readable engine messages

_ID = re.compile(r"\bv\d+\b|\b\d{4}-\d{2}-\d{2}-[a-z0-9]+\b")


def readable(problem: Problem, message: str) -> str:
    """An engine message with ids (`v07`, `2026-12-04-am`) replaced by names and slot titles,
    and the place prefix (`pinned[2]: `) dropped."""
    message = re.sub(r"^[a-z_]+\[\d+\]: ", "", message)

    def name(match: re.Match[str]) -> str:
        key = match.group(0)
        if problem.has_volunteer(key):
            return problem.volunteer(key).name or key
        if problem.has_slot(key):
            return slot_title(problem.slot(key))
        return key

    return _ID.sub(name, message)


def pin_problems(problem: Problem, pin: Assignment) -> list[str]:
    """Why a new pin would break the rules together with the existing pins (empty when fine)."""
    from planner.validate import check_pins

    if pin in problem.pinned:
        return []
    trial = Problem(slots=problem.slots, volunteers=problem.volunteers, pinned=(*problem.pinned, pin),
                    previous=problem.previous, timezone=problem.timezone)
    index = len(problem.pinned)
    return [readable(problem, m) for m in check_pins(trial) if m.startswith(f"pinned[{index}]")]


# ---------------------------------------------------------------- choosing a week


def week_choices(today: date, weeks_back: int = 4, weeks_ahead: int = 8) -> list[tuple[date, str]]:
    """Mondays around today with labels `Week of Mon 30 Nov 2026`."""
    this = monday_of(today)
    out = []
    for i in range(-weeks_back, weeks_ahead + 1):
        monday = this + timedelta(weeks=i)
        note = " (this week)" if i == 0 else ""
        out.append((monday, f"Week of {day_label(monday)} {monday.year}{note}"))
    return out


def default_week(today: date, open_weekdays: Iterable[int]) -> date:
    """This week while it still has an open day to come, else next week."""
    days = list(open_weekdays)
    this = monday_of(today)
    if days and today.weekday() <= max(days):
        return this
    return this + timedelta(weeks=1)


# ---------------------------------------------------------------- what-if problems


def whatif_candidates(settings: Any, week_start: date, weekdays: Iterable[int]) -> tuple[Any, ...]:
    """One candidate per extra weekday, with the slots the center's settings give that day."""
    from dataclasses import replace

    from planner.problem import Candidate

    out = []
    for weekday in sorted(set(weekdays)):
        day_settings = replace(settings, open_weekdays=(weekday,))
        out.append(Candidate(WEEKDAYS[weekday], tuple(day_settings.week_slots(week_start))))
    return tuple(out)


def with_whatif(problem: Problem, candidates: Iterable[Any], max_shifts: int, max_meals: int,
                available: str) -> Problem:
    """The week's problem with a `whatif` section (candidates and recruit profile)."""
    from planner.problem import RecruitProfile, WhatIf

    recruit = RecruitProfile(int(max_shifts), int(max_meals), "any" if available == "any" else "candidate")
    return Problem(slots=problem.slots, volunteers=problem.volunteers, pinned=problem.pinned,
                   previous=problem.previous, timezone=problem.timezone,
                   whatif=WhatIf(tuple(candidates), recruit))


# ---------------------------------------------------------------- gaps and cancellations


def slot_name(problem: Problem, slot_id: str) -> str:
    """A slot's title, or its id when the center's settings no longer have it."""
    return slot_title(problem.slot(slot_id)) if problem.has_slot(slot_id) else slot_id


def gap_line(problem: Problem, gap: Any, names: Mapping[str, str]) -> str:
    """`Fri 4 Dec, Morning 09:00-13:00: Ana R. cannot make it (sick).`"""
    who = names.get(gap.volunteer, gap.volunteer)
    reason = f" ({gap.reason})" if gap.reason else ""
    return f"{slot_name(problem, gap.slot)}: {who} cannot make it{reason}."


def slot_coverage(problem: Problem, assignments: Iterable[Assignment], slot_id: str) -> str:
    """`Now 2 of 4, below the minimum of 3` for one slot of a plan."""
    if not problem.has_slot(slot_id):
        return "This slot is no longer in the center's week."
    slot = problem.slot(slot_id)
    people = [a.volunteer for a in assignments if a.slot == slot_id and problem.has_volunteer(a.volunteer)]
    trained = sum(problem.volunteer(v).trained for v in people)
    text = f"Now {coverage_label(len(people), slot.target)}"
    if len(people) < slot.min:
        text += f", below the minimum of {slot.min}"
    if trained < slot.min_trained:
        text += f", {plural(slot.min_trained - trained, 'trained volunteer')} missing"
    return text + "."


SUGGESTION_COLUMNS = ["Rank", "Volunteer", "Assigned this week", "Prefers this slot", "Trained"]


def suggestion_table(suggestions: Sequence[Any]) -> pd.DataFrame:
    """Ranked replacements (`planner.gaps.Suggestion`) as the gaps page lists them."""
    rows = [{"Rank": i, "Volunteer": s.name, "Assigned this week": s.assigned_this_week,
             "Prefers this slot": "yes" if s.prefers else "", "Trained": "yes" if s.trained else ""}
            for i, s in enumerate(suggestions, start=1)]
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


RESOLUTION_WORDS = {"": "open", "replaced": "replaced", "replanned": "re-planned", "dismissed": "left open"}


def cancellation_table(problem: Problem, gaps: Iterable[Any], names: Mapping[str, str]) -> pd.DataFrame:
    """Every cancellation of a week with how it was resolved (the history kept in the store)."""
    rows = []
    for g in gaps:
        outcome = RESOLUTION_WORDS.get(g.resolution, g.resolution)
        if g.replacement:
            outcome += f" by {names.get(g.replacement, g.replacement)}"
        rows.append({"Slot": slot_name(problem, g.slot), "Volunteer": names.get(g.volunteer, g.volunteer),
                     "Reason": g.reason, "Marked": f"{g.created_at:%Y-%m-%d %H:%M} UTC",
                     "By": g.created_by or "", "Outcome": outcome})
    return pd.DataFrame(rows, columns=["Slot", "Volunteer", "Reason", "Marked", "By", "Outcome"])


def published_choices(problem: Problem, assignments: Iterable[Assignment]) -> list[tuple[Assignment, str]]:
    """Published assignments as (assignment, `Fri 4 Dec, Morning 09:00-13:00 - Ana R.`), in time order."""
    known = [a for a in assignments if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
    known.sort(key=lambda a: (problem.slot(a.slot).start, problem.volunteer(a.volunteer).name.casefold()))
    return [(a, f"{slot_title(problem.slot(a.slot))} - {problem.volunteer(a.volunteer).name}") for a in known]
