"""Leadership's what-if: how many more volunteers each extra open day would take. Counts only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from planner.core.domain import CenterSettings
from planner.core.labels import WEEKDAY_NAMES
from planner.core.problem import Candidate, Problem, RecruitProfile, Slot, WhatIf
from planner.engine import Study, study
from planner.engine.whatif import Progress
from planner.services.week import build_problem
from planner.store.db import session

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


def ask(settings: CenterSettings, week_start: date, weekdays: Iterable[int], *, max_shifts: int,
        max_meals: int, available: str, buffer_rate: float, level: str = "minimum",
        progress: Progress | None = None) -> Study:
    """The what-if of the week: each extra day on its own, then added one at a time, with a no-show buffer."""
    with session(readonly=True) as db:
        problem = build_problem(db, week_start)
    asked = with_whatif(problem, candidates(settings, week_start, weekdays, level), max_shifts, max_meals,
                        available)
    return study(asked, rate=buffer_rate, open_now=len(set(settings.open_weekdays)), time_limit=TIME_LIMIT,
                 progress=progress)
