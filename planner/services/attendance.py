"""Check-in: who came to today's published shifts, at the kiosk or corrected by the coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from planner.core.clock import utcnow
from planner.core.domain import CenterSettings
from planner.core.history import Attendance
from planner.core.problem import Assignment
from planner.store import attendance, roster
from planner.store.db import session
from planner.store.settings import load_settings


@dataclass(frozen=True)
class Day:
    settings: CenterSettings
    on_duty: list[Assignment]
    names: dict[str, str]
    seen: dict[tuple[str, str], Attendance]


def day(when: date) -> Day:
    with session(readonly=True) as db:
        settings = load_settings(db)
        seen = {(a.slot, a.volunteer): a for a in attendance.list_attendance(db, when, when)}
        return Day(settings, attendance.on_duty(db, when), roster.names(db), seen)


def tap(slot_id: str, volunteer: str, action: str) -> None:
    """A kiosk tap: `in` or `out`, now. Raises AttendanceError when it does not fit the record."""
    with session() as db:
        if action == "in":
            attendance.check_in(db, slot_id, volunteer, utcnow(), actor="kiosk")
        else:
            attendance.check_out(db, slot_id, volunteer, utcnow(), actor="kiosk")


def correct(slot_id: str, volunteer: str, *, checked_in_at: datetime | None, checked_out_at: datetime | None,
            no_show: bool, actor: str | None) -> None:
    with session() as db:
        attendance.correct(db, slot_id, volunteer, checked_in_at=checked_in_at, checked_out_at=checked_out_at,
                           no_show=no_show, actor=actor)
