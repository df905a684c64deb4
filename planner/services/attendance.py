"""Check-in: who came to today's published shifts, at the kiosk or corrected by the coordinator.

Where the center wants it (`kiosk_trained_by`), a trainee the applicants
pipeline waits on is asked at check-in who is training them; that counts the
shift as one beside a trained volunteer (`services.applicants`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from planner.core.clock import utcnow
from planner.core.domain import CenterSettings, volunteer_key
from planner.core.history import Attendance
from planner.core.problem import Assignment
from planner.store import applicants, attendance, roster
from planner.store.db import session
from planner.store.settings import load_settings


@dataclass(frozen=True)
class Day:
    settings: CenterSettings
    on_duty: list[Assignment]
    names: dict[str, str]
    seen: dict[tuple[str, str], Attendance]
    trainees: frozenset[str] = frozenset()  # volunteer keys the kiosk asks "who trained you?"
    trained: frozenset[str] = frozenset()  # volunteer keys of trained people


def day(when: date) -> Day:
    with session(readonly=True) as db:
        settings = load_settings(db)
        seen = {(a.slot, a.volunteer): a for a in attendance.list_attendance(db, when, when)}
        people = roster.list_volunteers(db)
        trainees = frozenset(map(volunteer_key, applicants.in_training(db))) if settings.kiosk_trained_by \
            else frozenset()
        return Day(settings, attendance.on_duty(db, when), roster.names(db), seen, trainees,
                   frozenset(p.key for p in people if p.trained))


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


def trained_by(slot_id: str, trainee: str, trainer: str) -> None:
    """The kiosk's answer to "who is training you today?"; AttendanceError when it does not fit the plan."""
    with session() as db:
        attendance.set_trained_by(db, slot_id, trainee, trainer, actor="kiosk")
