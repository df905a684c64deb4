"""A stored week: its `volunteer-planner/1` problem, and its draft and published versions.

Weekly availability is expanded to dated windows for the week, extra
availability is added, and time off is cut out last, so time off wins over
an extra window on the same day. Times are local wall-clock times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.core.domain import CenterSettings, VolunteerRecord, week_days
from planner.core.problem import Assignment, BackgroundCheck, Problem, Slot, Volunteer, Window
from planner.store import applicants, plans
from planner.store.db import Session, session
from planner.store.plans import PlanVersion
from planner.store.roster import list_volunteers
from planner.store.roster import names as roster_names
from planner.store.settings import load_settings

Span = tuple[datetime, datetime]


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping or touching spans become one, so a slot across 9-13 + 13-17 still fits."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _subtract(spans: list[Span], cut: Span) -> list[Span]:
    out = []
    for start, end in spans:
        if cut[1] <= start or end <= cut[0]:
            out.append((start, end))
            continue
        if start < cut[0]:
            out.append((start, cut[0]))
        if cut[1] < end:
            out.append((cut[1], end))
    return out


def dated_windows(record: VolunteerRecord, week_start: date) -> tuple[Window, ...]:
    """The volunteer's availability in the 7 days from `week_start`."""
    days = week_days(week_start)
    spans = [(datetime.combine(day, w.start), datetime.combine(day, w.end))
             for day in days for w in record.availability if w.weekday == day.weekday()]
    in_week = [e for e in record.exceptions if week_start <= e.day < week_start + timedelta(days=7)]
    spans = _merge(spans + [e.span() for e in in_week if e.kind == "extra"])
    for off in (e for e in in_week if e.kind == "off"):
        spans = _subtract(spans, off.span())
    return tuple(Window(start, end) for start, end in spans)


def to_problem_volunteer(record: VolunteerRecord, week_start: date, slots: tuple[Slot, ...], *,
                         key: str | None = None, in_training: bool = False) -> Volunteer:
    """The week's volunteer; `key` for someone not on the roster (an applicant counted in a what-if)."""
    return Volunteer(
        id=key or record.key, name=record.name, trained=record.trained,
        background_check=BackgroundCheck(record.check_status, record.check_expires),
        does=record.does, max_shifts=record.max_shifts, max_meals=record.max_meals,
        available=dated_windows(record, week_start),
        prefers=frozenset(s.id for s in slots if any(p.matches(s) for p in record.preferences)),
        in_training=in_training and not record.trained)


def build_problem(db: Session, week_start: date, roster: list[VolunteerRecord] | None = None) -> Problem:
    """Settings + active roster + the week's pins + the last published plan as `previous`.

    Pins whose slot or volunteer is gone (settings changed, volunteer made
    inactive) are left out rather than making the whole week unreadable.
    `roster` (the active volunteers) saves reading it again for each of several weeks. Trainees the
    applicants pipeline waits on are marked `in_training`.
    """
    settings = load_settings(db)
    slots = settings.week_slots(week_start)
    roster = list_volunteers(db, active_only=True) if roster is None else roster
    trainees = applicants.in_training(db)
    volunteers = tuple(to_problem_volunteer(r, week_start, slots, in_training=r.id in trainees)
                       for r in roster)
    slot_ids = {s.id for s in slots}
    keys = {v.id for v in volunteers}
    pinned = tuple(p for p in plans.list_pins(db, week_start) if p.slot in slot_ids and p.volunteer in keys)
    latest = plans.latest_published(db, week_start)
    return Problem(slots=slots, volunteers=volunteers, pinned=pinned,
                   previous=latest.assignments if latest else (), timezone=settings.timezone)


@dataclass(frozen=True)
class WeekState:
    """A week as the coordinator's pages show it."""

    week_start: date
    settings: CenterSettings
    problem: Problem
    draft: PlanVersion | None
    published: PlanVersion | None
    versions: tuple[PlanVersion, ...]
    names: Mapping[str, str] = field(default_factory=dict)  # everyone not erased, inactive people too

    def known(self, assignments: tuple[Assignment, ...] | list[Assignment]) -> list[Assignment]:
        """Assignments whose slot and volunteer the week still has (settings and roster may have changed)."""
        return [a for a in assignments
                if self.problem.has_slot(a.slot) and self.problem.has_volunteer(a.volunteer)]


def load_week(week_start: date) -> WeekState:
    with session(readonly=True) as db:
        return WeekState(week_start, load_settings(db), build_problem(db, week_start),
                         plans.get_draft(db, week_start), plans.latest_published(db, week_start),
                         tuple(plans.list_versions(db, week_start)), roster_names(db))
