"""The no-show buffer: shifts staffed so that, after the usual absences, the minimum still comes.

One rounding for both uses: the what-if buffer (one rate for every shift) and
the plan's staffing above minimum on the weekdays where people often do not
come (a measured rate per weekday). A shift's minimum becomes
ceil(min / (1 - rate)). Days below the threshold keep their minimums: a buffer
costs volunteer time, and a few absences are noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from planner.core.errors import ProblemError
from planner.core.problem import Candidate, Problem, Slot, WhatIf

THRESHOLD = 0.1
# A weekday's rate is capped like the what-if buffer input (50%): a small sample with
# everyone absent must not ask for unbounded staff; a minimum at most doubles.
CAP = 0.5


def padded(slot: Slot, rate: float) -> Slot:
    """A shift whose minimum (and a target below it) allows for `rate` of people absent."""
    if slot.kind != "shift" or rate == 0:
        return slot
    need = math.ceil(slot.min / (1 - rate) - 1e-9)
    return replace(slot, min=need, target=max(slot.target, need))


def with_no_show_buffer(problem: Problem, rate: float) -> Problem:
    """Every shift, the what-if candidates' too, staffed for `rate` of people absent."""
    if not 0 <= rate < 1:
        raise ProblemError([f"buffer: {rate} is not a rate between 0 and 1"])
    buffered = problem.with_slots(tuple(padded(s, rate) for s in problem.slots))
    if problem.whatif is None:
        return buffered
    cands = tuple(Candidate(c.label, tuple(padded(s, rate) for s in c.slots))
                  for c in problem.whatif.candidates)
    return buffered.with_whatif(WhatIf(cands, problem.whatif.recruit))


def frequent_days(rates: Mapping[int, float], threshold: float = THRESHOLD) -> dict[int, float]:
    """The weekdays whose rate is at least `threshold`, by weekday, with their rates."""
    problems = [f"rates[{d}]: not a weekday 0-6" for d in rates if d not in range(7)]
    problems += [f"rates[{d}]: {r} is not a rate between 0 and 1" for d, r in rates.items()
                 if not (isinstance(r, int | float) and 0 <= r <= 1)]
    if not (isinstance(threshold, int | float) and 0 < threshold <= 1):
        problems.append(f"threshold: {threshold} is not a rate above 0 and at most 1")
    if problems:
        raise ProblemError(problems)
    return {d: r for d, r in sorted(rates.items()) if r >= threshold}


def buffer_by_weekday(problem: Problem, rates: dict[int, float], threshold: float = THRESHOLD,
                      cap: float = CAP) -> Problem:
    """The problem with shift minimums raised on weekdays with frequent no-shows.

    A shift on a weekday whose rate is at least `threshold` is `padded` for
    min(rate, `cap`); meals, trained minimums and other days are unchanged.
    Bad rates or threshold raise ProblemError.
    """
    if not 0 <= cap < 1:
        raise ProblemError([f"cap: {cap} is not a rate between 0 and 1 (excluded)"])
    frequent = frequent_days(rates, threshold)
    if not frequent:
        return problem
    return problem.with_slots(tuple(padded(s, min(frequent[s.day.weekday()], cap))
                                    if s.day.weekday() in frequent else s for s in problem.slots))
