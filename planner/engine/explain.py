"""Plain-words reasons why a slot stays short, from counts of eligible people.

Counting who is available, cleared, free and under their cap explains a gap
better (and far cheaper) than asking the solver for an infeasibility core.
"""

from __future__ import annotations

from collections import defaultdict

from planner.core.plan import Unfilled
from planner.core.problem import Assignment, Problem, Slot, Volunteer
from planner.core.validate import slot_shortfall


def slot_label(slot: Slot) -> str:
    return f"{slot.start:%a %d %b} {slot.start:%H:%M}-{slot.end:%H:%M}"


def _people(n: int, word: str = "volunteer") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class _Week:
    """Who does what in one plan, for the reasons below."""

    def __init__(self, problem: Problem, assignments: list[Assignment]):
        self.problem = problem
        self.slots_of: dict[str, list[Slot]] = defaultdict(list)
        self.people_on: dict[str, set[str]] = defaultdict(set)
        for a in assignments:
            self.slots_of[a.volunteer].append(problem.slot(a.slot))
            self.people_on[a.slot].add(a.volunteer)

    def at_cap(self, vol: Volunteer, kind: str) -> bool:
        return sum(1 for s in self.slots_of[vol.id] if s.kind == kind) >= vol.cap(kind)

    def on_overlap(self, vol: Volunteer, slot: Slot) -> bool:
        return any(s.id != slot.id and s.overlaps(slot) for s in self.slots_of[vol.id])


def _blockers(week: _Week, slot: Slot, pool: list[Volunteer]) -> list[str]:
    """Why each person in `pool` (not on the slot) cannot be added."""
    day = slot.day
    unchecked = [v for v in pool if slot.needs_background_check and not v.background_check.valid_on(day)]
    cleared = [v for v in pool if v not in unchecked]
    capped = [v for v in cleared if week.at_cap(v, slot.kind)]
    overlapping = [v for v in cleared if v not in capped and week.on_overlap(v, slot)]
    parts = []
    if unchecked:
        parts.append(f"{len(unchecked)} hold no cleared background check on {day.isoformat()}")
    if capped:
        parts.append(f"{len(capped)} {'is' if len(capped) == 1 else 'are'} at their weekly cap")
    if overlapping:
        parts.append(f"{len(overlapping)} {'is' if len(overlapping) == 1 else 'are'} on an overlapping slot")
    return parts


def reasons(problem: Problem, week: _Week, slot: Slot, missing: int, missing_trained: int) -> list[str]:
    label = slot_label(slot)
    on_slot = week.people_on[slot.id]
    available = [v for v in problem.volunteers
                 if slot.kind in v.does and v.cap(slot.kind) > 0
                 and any(w.contains(slot.start, slot.end) for w in v.available)]
    free = [v for v in available if v.id not in on_slot]
    out = []
    if missing_trained:
        trained = [v for v in free if v.trained]
        text = f"{label}: needs {_people(missing_trained, 'more trained volunteer')}"
        blockers = _blockers(week, slot, trained)
        if not trained:
            text += "; no other trained volunteer is available at this time"
        elif blockers:
            text += (f"; of the {_people(len(trained), 'other trained volunteer')} available, "
                     + ", ".join(blockers))
        out.append(text)
    if missing:
        text = f"{label}: needs {_people(missing, 'more volunteer')}"
        if len(available) < slot.min:
            text += f"; only {_people(len(available))} {'is' if len(available) == 1 else 'are'} available"
        blockers = _blockers(week, slot, free)
        if blockers:
            text += f"; of the {len(free)} others available, " + ", ".join(blockers)
        untrained = [v for v in free if not v.trained and slot.kind == "shift"]
        if untrained and not any(problem.volunteer(v).trained for v in on_slot):
            text += "; trainees can only work beside a trained volunteer"
        out.append(text)
    return out


def unfilled_entries(problem: Problem, assignments: list[Assignment]) -> tuple[Unfilled, ...]:
    week = _Week(problem, assignments)
    entries = []
    for slot in problem.slots:
        on_slot = week.people_on[slot.id]
        trained = sum(1 for v in on_slot if problem.volunteer(v).trained)
        missing, missing_trained = slot_shortfall(slot, len(on_slot), trained)
        if missing or missing_trained:
            entries.append(Unfilled(slot.id, missing, missing_trained,
                                    tuple(reasons(problem, week, slot, missing, missing_trained))))
    return tuple(entries)
