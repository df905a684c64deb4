"""Why a slot stays short: who could have come, and what keeps each of them off it.

Sorting the roster by what blocks each person explains a gap better (and far
cheaper) than asking the solver for an infeasibility core. `blockers` finds
the people; the plan's `reasons` count them (no names: a plan file may travel),
and the coordinator's page names them (`planner.present.plan`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from planner.core.plan import Unfilled
from planner.core.problem import Assignment, Problem, Slot, Volunteer
from planner.core.validate import slot_shortfall


def slot_label(slot: Slot) -> str:
    return f"{slot.start:%a} {slot.start.day} {slot.start:%b} {slot.start:%H:%M}-{slot.end:%H:%M}"


def _people(n: int, word: str = "volunteer") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


class _Week:
    """Who does what in one plan."""

    def __init__(self, problem: Problem, assignments: list[Assignment]):
        self.problem = problem
        self.slots_of: dict[str, list[Slot]] = defaultdict(list)
        self.people_on: dict[str, set[str]] = defaultdict(set)
        for a in assignments:
            if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer):
                self.slots_of[a.volunteer].append(problem.slot(a.slot))
                self.people_on[a.slot].add(a.volunteer)

    def at_cap(self, vol: Volunteer, kind: str) -> bool:
        return sum(1 for s in self.slots_of[vol.id] if s.kind == kind) >= vol.cap(kind)

    def on_overlap(self, vol: Volunteer, slot: Slot) -> bool:
        return any(s.id != slot.id and s.overlaps(slot) for s in self.slots_of[vol.id])


@dataclass(frozen=True)
class Blockers:
    """For one slot of a plan: the people off it who could come then, by what keeps them off.

    Each list holds volunteer ids; every available person off the slot is in
    exactly one of `unchecked`, `capped`, `overlapping`, `trainees` or `free`.
    """

    slot: Slot
    on_slot: tuple[str, ...]
    trained_on_slot: int
    available: tuple[str, ...]  # do the kind, have a cap above 0, a window holds the whole slot
    unchecked: tuple[str, ...]  # no background check valid on the slot's date
    capped: tuple[str, ...]  # at their weekly cap of this kind
    overlapping: tuple[str, ...]  # on another slot at the same time
    trainees: tuple[str, ...]  # untrained, and no trained volunteer on the shift to work beside
    free: tuple[str, ...]  # could be added as the plan stands


def _blockers(problem: Problem, week: _Week, slot: Slot) -> Blockers:
    on_slot = week.people_on[slot.id]
    trained_on = sum(1 for v in on_slot if problem.volunteer(v).trained)
    groups: dict[str, list[str]] = defaultdict(list)
    available = []
    for vol in problem.volunteers:
        if (slot.kind not in vol.does or vol.cap(slot.kind) <= 0
                or not any(w.contains(slot.start, slot.end) for w in vol.available)):
            continue
        available.append(vol.id)
        if vol.id in on_slot:
            continue
        if slot.needs_background_check and not vol.background_check.valid_on(slot.day):
            groups["unchecked"].append(vol.id)
        elif week.at_cap(vol, slot.kind):
            groups["capped"].append(vol.id)
        elif week.on_overlap(vol, slot):
            groups["overlapping"].append(vol.id)
        elif slot.kind == "shift" and not vol.trained and not trained_on:
            groups["trainees"].append(vol.id)
        else:
            groups["free"].append(vol.id)
    return Blockers(slot, tuple(sorted(on_slot)), trained_on, tuple(available),
                    *(tuple(groups[k]) for k in ("unchecked", "capped", "overlapping", "trainees", "free")))


def blockers(problem: Problem, assignments: list[Assignment]) -> dict[str, Blockers]:
    """Blockers of every slot short of its target, its minimum or its trained minimum, by slot id."""
    week = _Week(problem, assignments)

    def short(s: Slot) -> bool:
        people = week.people_on[s.id]
        trained = sum(1 for v in people if problem.volunteer(v).trained)
        return len(people) < max(s.target, s.min) or trained < s.min_trained

    return {s.id: _blockers(problem, week, s) for s in problem.slots if short(s)}


def _counted(b: Blockers, pool: tuple[str, ...] | list[str]) -> list[str]:
    """`2 hold no cleared background check on 2026-12-05`, ... for the people of `pool`."""
    parts = []
    for ids, text in ((b.unchecked, f"hold no cleared background check on {b.slot.day.isoformat()}"),
                      (b.capped, "at their weekly cap"), (b.overlapping, "on an overlapping slot")):
        n = sum(1 for v in ids if v in pool)
        if n:
            parts.append(f"{n} {text}" if ids is b.unchecked else f"{n} {_are(n)} {text}")
    return parts


def reasons(problem: Problem, b: Blockers, missing: int, missing_trained: int) -> list[str]:
    """The plan file's reasons for a short slot: counts, never names."""
    slot, label = b.slot, slot_label(b.slot)
    off = [*b.unchecked, *b.capped, *b.overlapping, *b.trainees, *b.free]
    out = []
    if missing_trained:
        trained = [v for v in off if problem.volunteer(v).trained]
        text = f"{label}: needs {_people(missing_trained, 'more trained volunteer')}"
        parts = _counted(b, trained)
        if not trained:
            text += "; no other trained volunteer is available at this time"
        elif parts:
            others = _people(len(trained), "other trained volunteer")
            text += f"; of the {others} available, " + ", ".join(parts)
        out.append(text)
    if missing:
        text = f"{label}: needs {_people(missing, 'more volunteer')}"
        if len(b.available) < slot.min:
            text += f"; only {_people(len(b.available))} {_are(len(b.available))} available"
        parts = _counted(b, off)
        if parts:
            text += f"; of the {len(off)} others available, " + ", ".join(parts)
        if b.trainees:
            text += "; trainees can only work beside a trained volunteer"
        out.append(text)
    return out


def unfilled_entries(problem: Problem, assignments: list[Assignment]) -> tuple[Unfilled, ...]:
    entries = []
    for b in blockers(problem, assignments).values():
        missing, missing_trained = slot_shortfall(b.slot, len(b.on_slot), b.trained_on_slot)
        if missing or missing_trained:
            entries.append(Unfilled(b.slot.id, missing, missing_trained,
                                    tuple(reasons(problem, b, missing, missing_trained))))
    return tuple(entries)
