"""Leadership's what-if: how many more volunteers each extra open day would take. Counts only.

Beside each candidate day, how far the applicants pipeline goes: applicants
free that day, counted by stage (never who). The what-if can also count the
applicants in, as if they had all joined: the roster plus each applicant not
on it yet as the untrained volunteer they would become (`core.applicants.as_volunteer`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from planner.core.applicants import BEFORE_ROSTER, STAGES, Applicant, as_volunteer, free_for, stage_counts
from planner.core.domain import CenterSettings
from planner.core.labels import WEEKDAY_NAMES
from planner.core.problem import Candidate, Problem, RecruitProfile, Slot, Volunteer, WhatIf
from planner.engine import Study, study
from planner.engine.whatif import Progress
from planner.services.week import build_problem, to_problem_volunteer
from planner.store import applicants, roster
from planner.store.db import Session, session

TIME_LIMIT = 20.0  # per solver call; the demo center answers in well under a second


LEVELS = ("minimum", "target")


def candidates(settings: CenterSettings, week_start: date, weekdays: Iterable[int],
               level: str = "minimum") -> tuple[Candidate, ...]:
    """One candidate per extra weekday, with the slots the center's settings give that day.

    At `level` "target" a new day counts as staffed only at its target (its minimum raised to it).
    """
    def staffed(slot: Slot) -> Slot:
        return replace(slot, min=max(slot.min, slot.target)) if level == "target" else slot

    return tuple(Candidate(WEEKDAY_NAMES[d], tuple(staffed(s) for s in replace(
        settings, open_weekdays=(d,)).week_slots(week_start))) for d in sorted(set(weekdays)))


def with_whatif(problem: Problem, cands: Iterable[Candidate], max_shifts: int, max_meals: int,
                available: str) -> Problem:
    """The week's problem with a `whatif` section (candidates and recruit profile)."""
    recruit = RecruitProfile(int(max_shifts), int(max_meals), "any" if available == "any" else "candidate")
    return problem.with_whatif(WhatIf(tuple(cands), recruit))


def _joining(db: Session) -> list[Applicant]:
    """Applicants not on the roster yet and not declined: the ones "counted in" would add."""
    return [a for a in applicants.list_applicants(db) if a.stage in BEFORE_ROSTER and a.declined_at is None]


def applicant_volunteers(db: Session, problem: Problem, week_start: date) -> tuple[Volunteer, ...]:
    """Each applicant not on the roster yet as the volunteer they would become (ids `a07`)."""
    return tuple(to_problem_volunteer(as_volunteer(a), week_start, problem.slots, key=f"a{a.id:02d}")
                 for a in _joining(db))


def pipeline(settings: CenterSettings, week_start: date, weekdays: Iterable[int]
             ) -> dict[str, dict[str, int]]:
    """Per candidate day (by label): applicants free that day, counted by stage. Counts only.

    Everyone in the pipeline before `trained`, declined ones left out; those on
    the roster already (cleared, shadowing) are judged by their roster availability.
    """
    with session(readonly=True) as db:
        people = {r.id: r for r in roster.list_volunteers(db)}
        offers = []
        for a in applicants.list_applicants(db):
            if a.declined_at is not None or a.stage == STAGES[-1]:
                continue
            if a.volunteer_id is None:
                offers.append((a.stage, a.availability, a.does))
            elif a.volunteer_id in people:
                offers.append((a.stage, people[a.volunteer_id].availability, people[a.volunteer_id].does))
    return {c.label: stage_counts(s for s, windows, does in offers if free_for(windows, does, c.slots))
            for c in candidates(settings, week_start, weekdays)}


def ask(settings: CenterSettings, week_start: date, weekdays: Iterable[int], *, max_shifts: int,
        max_meals: int, available: str, buffer_rate: float, level: str = "minimum",
        progress: Progress | None = None, with_applicants: bool = False) -> Study:
    """The what-if of the week: each extra day on its own, then added one at a time, with a no-show buffer.

    `with_applicants`: on the roster plus the applicants not on it yet, as if they had all joined.
    """
    with session(readonly=True) as db:
        problem = build_problem(db, week_start)
        if with_applicants:
            joining = applicant_volunteers(db, problem, week_start)
            problem = problem.with_volunteers(problem.volunteers + joining)
    asked = with_whatif(problem, candidates(settings, week_start, weekdays, level), max_shifts, max_meals,
                        available)
    return study(asked, rate=buffer_rate, open_now=len(set(settings.open_weekdays)), time_limit=TIME_LIMIT,
                 progress=progress)
