"""Staffing above minimum on the weekdays where people often do not come (issue 8).

The measured no-show rate per weekday raises that day's shift minimums the
way the what-if buffer does (`with_no_show_buffer`: ceil(min / (1 - rate))),
so the plan asks for enough people that, after the usual absences, the real
minimum still comes. Days below the threshold keep their minimums: a buffer
costs volunteer time, and a few absences are noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.orm import Session

from planner.io.my_calendar import center_now
from planner.problem import Problem, ProblemError
from planner.reports import History, load_history, no_show_rate
from planner.store.settings import load_settings
from planner.views import WEEKDAYS
from planner.whatif import with_no_show_buffer

THRESHOLD = 0.1
# A weekday's rate is capped like the what-if buffer input (50%): a small sample with
# everyone absent must not ask for unbounded staff; a minimum at most doubles.
CAP = 0.5


def weekday_no_show_rates(history: History) -> dict[int, float]:
    """No-show rate (a fraction) per weekday (0 = Monday) with tracked shifts, counted as `no_show_rate`."""
    out = {}
    for weekday in sorted({s.day.weekday() for s in history.slots}):
        rate = no_show_rate(replace(history, slots=tuple(s for s in history.slots
                                                         if s.day.weekday() == weekday)))
        if rate is not None:
            out[weekday] = rate
    return out


def measured_weekday_rates(db: Session, days: int = 365) -> dict[int, float]:
    """The last `days` days' no-show rates per weekday; empty when no attendance was taken."""
    today = center_now(load_settings(db).timezone).date()
    return weekday_no_show_rates(load_history(db, today - timedelta(days=days), today))


def frequent_days(rates: Mapping[int, float], threshold: float = THRESHOLD) -> dict[int, float]:
    """The weekdays whose rate is at least `threshold`, by weekday, with their rates."""
    _check(rates, threshold)
    return {d: r for d, r in sorted(rates.items()) if r >= threshold}


def _check(rates: Mapping[int, float], threshold: float) -> None:
    problems = [f"rates[{d}]: not a weekday 0-6" for d in rates if d not in range(7)]
    problems += [f"rates[{d}]: {r} is not a rate between 0 and 1" for d, r in rates.items()
                 if not (isinstance(r, int | float) and 0 <= r <= 1)]
    if not (isinstance(threshold, int | float) and 0 < threshold <= 1):
        problems.append(f"threshold: {threshold} is not a rate above 0 and at most 1")
    if problems:
        raise ProblemError(problems)


def buffer_by_weekday(problem: Problem, rates: dict[int, float], threshold: float = THRESHOLD,
                      cap: float = CAP) -> Problem:
    """The problem with shift minimums (and targets below them) raised on weekdays with frequent no-shows.

    A shift on a weekday whose rate is at least `threshold` gets the minimum
    `with_no_show_buffer` gives it for min(rate, `cap`); meals, trained minimums
    and other days are unchanged. Bad rates or threshold raise ProblemError.
    """
    if not 0 <= cap < 1:
        raise ProblemError([f"cap: {cap} is not a rate between 0 and 1 (excluded)"])
    frequent = frequent_days(rates, threshold)
    if not frequent:
        return problem
    slots = []
    for slot in problem.slots:
        rate = frequent.get(slot.day.weekday())
        if rate is not None:  # the one rounding, shared with the what-if buffer
            slot = with_no_show_buffer(problem.with_slots((slot,)), min(rate, cap)).slots[0]
        slots.append(slot)
    return problem.with_slots(tuple(slots))


def option_label(rates: Mapping[int, float], threshold: float = THRESHOLD) -> str | None:
    """The plan page's checkbox text naming the days it affects; None when no day reaches the threshold."""
    frequent = frequent_days(rates, threshold)
    if not frequent:
        return None
    days = ", ".join(f"{WEEKDAYS[d][:3]} {r:.0%}" for d, r in frequent.items())
    return f"Staff above minimum on days with frequent no-shows (measured: {days})"
