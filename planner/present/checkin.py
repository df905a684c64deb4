"""What the check-in kiosk and its correction form show: pure, no Streamlit, no SQL.

The kiosk sits on a shared tablet in the center, so it shows only a first
name and last initial ("Ana R."), never contacts. Times are stored as naive
UTC and shown and entered in the center's time zone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from planner.core.clock import to_local, to_utc
from planner.core.domain import CenterSettings, monday_of, parse_time
from planner.core.errors import AttendanceError
from planner.core.history import Attendance
from planner.core.labels import short_name, slot_column
from planner.core.problem import Assignment, Slot


def clock(moment: datetime | None, timezone: str) -> str:
    local = to_local(moment, timezone)
    return "" if local is None else f"{local:%H:%M}"


def parse_clock(text: str, day: date, timezone: str, field: str) -> datetime | None:
    """`09:05` on `day` in the center's zone -> naive UTC; empty -> None; raises AttendanceError, placed."""
    if not text.strip():
        return None
    try:
        return to_utc(datetime.combine(day, parse_time(text)), timezone)
    except ValueError as err:
        raise AttendanceError(f"{field}: {err} (use HH:MM)") from None


@dataclass(frozen=True)
class KioskRow:
    slot: Slot
    volunteer: str
    label: str  # `Ana R.`
    state: str  # Attendance.state
    checked_in: str  # local `HH:MM` or ""
    checked_out: str

    @property
    def action(self) -> str | None:
        """What tapping the name does: `in`, `out`, or nothing."""
        return {"new": "in", "no-show": "in", "in": "out"}.get(self.state)


def kiosk_rows(settings: CenterSettings, day: date, on_duty: Sequence[Assignment], names: Mapping[str, str],
               attendance: Mapping[tuple[str, str], Attendance]) -> list[KioskRow]:
    """The day's people per slot, slots in time order, names alphabetical."""
    slots = {s.id: s for s in settings.week_slots(monday_of(day))}
    rows = []
    for a in on_duty:
        slot = slots.get(a.slot)
        if slot is None or slot.day != day:
            continue
        seen = attendance.get((a.slot, a.volunteer))
        rows.append(KioskRow(slot, a.volunteer, short_name(names.get(a.volunteer, "")),
                             seen.state if seen else "new",
                             clock(seen.checked_in_at if seen else None, settings.timezone),
                             clock(seen.checked_out_at if seen else None, settings.timezone)))
    return sorted(rows, key=lambda r: (r.slot.start, r.slot.id, r.label.casefold(), r.volunteer))


def trainers(rows: Sequence[KioskRow], slot_id: str, trainee: str, trained: Collection[str]
             ) -> list[KioskRow]:
    """Whom a trainee may name as training them: the trained people on their slot today."""
    return [r for r in rows if r.slot.id == slot_id and r.volunteer != trainee and r.volunteer in trained]


def button_label(row: KioskRow) -> str:
    """Plain text (the page escapes it): `Ana R. - check in`."""
    if row.state == "in":
        return f"{row.label} - check out (in since {row.checked_in})"
    if row.state == "out":
        return f"{row.label} - done {row.checked_in}-{row.checked_out}"
    return f"{row.label} - check in"


ATTENDANCE_COLUMNS = ["Slot", "Name", "In", "Out", "No-show", "Corrected by"]


def attendance_table(rows: Sequence[KioskRow], names: Mapping[str, str],
                     attendance: Mapping[tuple[str, str], Attendance]) -> pd.DataFrame:
    """The coordinator's view of a day: full display names (coordinator only), local times."""
    out = []
    for r in rows:
        seen = attendance.get((r.slot.id, r.volunteer))
        out.append({"Slot": slot_column(r.slot), "Name": names.get(r.volunteer, r.volunteer),
                    "In": r.checked_in, "Out": r.checked_out, "No-show": r.state == "no-show",
                    "Corrected by": (seen.corrected_by or "") if seen else ""})
    return pd.DataFrame(out, columns=ATTENDANCE_COLUMNS)
