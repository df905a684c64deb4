"""Planning a week: solve it, keep a draft, pin people, change it by hand.

Publishing is `planner.services.publish`. Every hand change is judged by the
independent validator (through `planner.engine.repair`), so the draft never
holds a plan the engine would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from planner import engine
from planner.core.clock import center_now
from planner.core.errors import PlanError
from planner.core.history import weekday_no_show_rates
from planner.core.plan import Plan
from planner.core.problem import Assignment, Problem
from planner.core.validate import measure
from planner.engine import buffer_by_weekday, repair
from planner.store import history, plans
from planner.store.db import session
from planner.store.settings import load_settings

PLAN_TIME_LIMIT = 20.0
HISTORY_DAYS = 365


def measured_weekday_rates(days: int = HISTORY_DAYS) -> dict[int, float]:
    """The last `days` days' no-show rates per weekday; empty when no attendance was taken."""
    with session(readonly=True) as db:
        today = center_now(load_settings(db).timezone).date()
        return weekday_no_show_rates(history.load_history(db, today - timedelta(days=days), today))


def staffed_for_no_shows(problem: Problem, weekday_rates: dict[int, float]) -> Problem:
    """Shift minimums raised on the weekdays where no-shows are frequent (the plan page's option)."""
    return buffer_by_weekday(problem, weekday_rates)


def plan(problem: Problem, *, time_limit: float | None = PLAN_TIME_LIMIT) -> Plan:
    """The best plan; raises ProblemError when the coordinator's pins break the rules."""
    return engine.solve(problem, time_limit=time_limit)


def save_draft(week_start: date, result: Plan, actor: str | None) -> None:
    with session() as db:
        plans.save_draft(db, week_start, result.assignments, status=result.status,
                         unfilled=result.objective.unfilled, below_target=result.objective.below_target,
                         actor=actor)


def discard_draft(week_start: date, actor: str | None) -> None:
    with session() as db:
        plans.discard_draft(db, week_start, actor=actor)


def change_pins(week_start: date, pin: Sequence[Assignment], unpin: Sequence[Assignment],
                actor: str | None) -> None:
    with session() as db:
        for a in pin:
            plans.add_pin(db, week_start, a, actor=actor)
        for a in unpin:
            plans.remove_pin(db, week_start, a, actor=actor)


def add_pin(week_start: date, problem: Problem, pin: Assignment, actor: str | None) -> None:
    """Pin someone to a slot; raises PlanError with the engine's reasons when the pin breaks a rule."""
    problems = repair.pin_problems(problem, pin)
    if problems:
        raise PlanError(problems)
    with session() as db:
        plans.add_pin(db, week_start, pin, actor=actor)


def hand_edit(week_start: date, problem: Problem, assignments: Sequence[Assignment], slot_id: str,
              volunteer: str, *, add: bool, actor: str | None) -> list[Assignment]:
    """Add or remove one person and save the result as the draft; raises PlanError naming the rule broken."""
    change = repair.add_person if add else repair.remove_person
    edited, breaks = change(problem, assignments, slot_id, volunteer)
    if breaks:
        raise PlanError([repair.describe(b) for b in breaks])
    objective = measure(problem, edited)
    with session() as db:
        plans.save_draft(db, week_start, edited, status="edited", unfilled=objective.unfilled,
                         below_target=objective.below_target, actor=actor)
    return edited
