"""The gaps page: each gap in words, who can fill it, and the week's cancellations with their outcome.

Pure (no Streamlit, no SQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from planner.core.clock import to_local
from planner.core.labels import coverage_label, plural, slot_title
from planner.core.problem import Assignment, Problem


def slot_name(problem: Problem, slot_id: str) -> str:
    """A slot's title, or its id when the center's settings no longer have it."""
    return slot_title(problem.slot(slot_id)) if problem.has_slot(slot_id) else slot_id


def gap_line(problem: Problem, gap: Any, names: Mapping[str, str]) -> str:
    """`Fri 4 Dec, Morning 09:00-13:00: Ana R. cannot make it (sick).`"""
    who = names.get(gap.volunteer, gap.volunteer)
    reason = f" ({gap.reason})" if gap.reason else ""
    return f"{slot_name(problem, gap.slot)}: {who} cannot make it{reason}."


def slot_coverage(problem: Problem, assignments: Iterable[Assignment], slot_id: str) -> str:
    """`Now 2 of 4, below the minimum of 3` for one slot of a plan."""
    if not problem.has_slot(slot_id):
        return "This slot is no longer in the center's week."
    slot = problem.slot(slot_id)
    people = [a.volunteer for a in assignments if a.slot == slot_id and problem.has_volunteer(a.volunteer)]
    trained = sum(problem.volunteer(v).trained for v in people)
    text = f"Now {coverage_label(len(people), slot.target)}"
    if len(people) < slot.min:
        text += f", below the minimum of {slot.min}"
    if trained < slot.min_trained:
        text += f", {plural(slot.min_trained - trained, 'trained volunteer')} missing"
    return text + "."


SUGGESTION_COLUMNS = ["Rank", "Volunteer", "Assigned this week", "Prefers this slot", "Trained"]


def suggestion_table(suggestions: Sequence[Any]) -> pd.DataFrame:
    """Ranked replacements (`planner.engine.repair.Suggestion`) as the gaps page lists them."""
    rows = [{"Rank": i, "Volunteer": s.name, "Assigned this week": s.assigned_this_week,
             "Prefers this slot": "yes" if s.prefers else "", "Trained": "yes" if s.trained else ""}
            for i, s in enumerate(suggestions, start=1)]
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


RESOLUTION_WORDS = {"": "open", "replaced": "replaced", "replanned": "re-planned", "dismissed": "left open",
                    "undone": "undone: they came back"}


def cancellation_table(problem: Problem, gaps: Iterable[Any], names: Mapping[str, str],
                       timezone: str) -> pd.DataFrame:
    """Every cancellation of a week with how it was resolved (the history kept in the store), center time."""
    rows = []
    for g in gaps:
        outcome = RESOLUTION_WORDS.get(g.resolution, g.resolution)
        if g.replacement:
            outcome += f" by {names.get(g.replacement, g.replacement)}"
        rows.append({"Slot": slot_name(problem, g.slot), "Volunteer": names.get(g.volunteer, g.volunteer),
                     "Reason": g.reason, "Marked": f"{to_local(g.created_at, timezone):%Y-%m-%d %H:%M}",
                     "By": g.created_by or "", "Outcome": outcome})
    return pd.DataFrame(rows, columns=["Slot", "Volunteer", "Reason", "Marked", "By", "Outcome"])


def published_choices(problem: Problem, assignments: Iterable[Assignment]) -> list[tuple[Assignment, str]]:
    """Published assignments as (assignment, `Fri 4 Dec, Morning 09:00-13:00 - Ana R.`), in time order."""
    known = [a for a in assignments if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
    known.sort(key=lambda a: (problem.slot(a.slot).start, problem.volunteer(a.volunteer).name.casefold()))
    return [(a, f"{slot_title(problem.slot(a.slot))} - {problem.volunteer(a.volunteer).name}") for a in known]
