"""A volunteer's own view: their coming shifts, the weeks not published yet, and their calendar file.

"I can't make it" offers the shift onward at once (issue 13) until the
center's cut-off before it; later, it goes to the coordinator only, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.core.clock import center_now
from planner.core.domain import CenterSettings, VolunteerRecord, monday_of, volunteer_key
from planner.core.problem import Assignment
from planner.core.shifts import MyShift, my_upcoming
from planner.io.ics import shifts_ics
from planner.services import offers
from planner.services.gaps import cancel_in
from planner.store import audit, plans, roster
from planner.store.db import session
from planner.store.settings import load_settings

WEEKS_AHEAD = offers.WEEKS_AHEAD


@dataclass(frozen=True)
class MyWeeks:
    me: VolunteerRecord
    settings: CenterSettings
    now: datetime  # center-local
    mine: list[MyShift]
    assignments: dict[date, tuple[Assignment, ...]]  # published weeks' assignments, for teammates
    unpublished: list[date]
    names: dict[str, str] | None  # display names, only when the center shows teammates' first names

    @property
    def key(self) -> str:
        return volunteer_key(self.me.id or 0)

    @property
    def upcoming(self) -> list[MyShift]:
        """Shifts not started yet: the ones "I can't make it" offers."""
        return [m for m in self.mine if m.slot.start > self.now]

    def calendar(self) -> bytes:
        return shifts_ics(self.mine, volunteer_key=self.key, place=self.settings.place,
                          center_name=self.settings.name, timezone=self.settings.timezone)


def load(volunteer_id: int) -> MyWeeks | None:
    """None when the volunteer record is gone (erased)."""
    with session(readonly=True) as db:
        me = roster.get_volunteer(db, volunteer_id)
        if me is None or me.erased:
            return None
        settings = load_settings(db)
        now = center_now(settings.timezone)
        weeks = [monday_of(now.date()) + timedelta(weeks=i) for i in range(WEEKS_AHEAD + 1)]
        published = {w: plans.latest_published(db, w) for w in weeks}
        names = roster.names(db) if settings.show_first_names else None
    assignments = {w: v.assignments for w, v in published.items() if v is not None}
    mine = my_upcoming(settings, assignments, volunteer_key(volunteer_id), now.date())
    unpublished = [w for w, v in published.items() if v is None]
    return MyWeeks(me, settings, now, mine, assignments, unpublished, names)


@dataclass(frozen=True)
class Passed:
    """What became of a shift the volunteer cannot make."""

    offered: int = 0  # volunteers it was offered to at once
    late: bool = False  # within the center's cut-off: the coordinator finds someone
    cutoff_hours: int = 0


def cannot_come(volunteer_id: int, shift: MyShift, reason: str, actor: str,
                base_url: str | None = None) -> Passed:
    """"I can't make it": off the shift at once, published with the notices, and (before the center's
    cut-off, with `base_url` for the links) offered onward to the volunteers who can take it. PlanError
    when they are not on it."""
    with session() as db:
        gap = cancel_in(db, shift.week_start, shift.slot.id, volunteer_id, reason, actor)
        settings = load_settings(db)
        cutoff = timedelta(hours=settings.claim_cutoff_hours)
        late = shift.slot.start - center_now(settings.timezone) <= cutoff
        report = (offers.offer_gap_in(db, gap.id, base_url, actor, quiet=True)
                  if not late and base_url is not None else None)
    if report is None or report.offer is None:
        return Passed(0, late, settings.claim_cutoff_hours)
    offers.send_now(report)
    return Passed(len(report.offer.recipients), late, settings.claim_cutoff_hours)


def calendar_exported(volunteer_id: int, shifts: int, actor: str) -> None:
    with session() as db:
        audit.record(db, actor, "calendar exported", f"volunteer {volunteer_id}",
                     f"{shifts} shift" + ("" if shifts == 1 else "s"))
