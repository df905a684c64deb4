"""The plan page: the week as a grid, what is short and why, pins, and what changed.

Pure (no Streamlit, no SQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

import pandas as pd

from planner.core.clock import to_local
from planner.core.labels import WEEKDAY_NAMES, coverage_label, day_label, plural, slot_column, slot_title
from planner.core.labels import readable as readable  # the pages' name for it, beside the other sentences
from planner.core.plan import Plan
from planner.core.problem import Assignment, Problem, Slot
from planner.core.validate import eligible, measure, slot_shortfall
from planner.engine.buffer import THRESHOLD, frequent_days
from planner.engine.explain import Blockers, blockers
from planner.present.text import table_safe
from planner.store.plans import PlanVersion


def _sorted_slots(slots: Iterable[Slot]) -> list[Slot]:
    return sorted(slots, key=lambda s: (s.start, s.kind != "shift", s.end, s.id))


def _columns(slots: Iterable[Slot]) -> list[str]:
    seen: dict[str, tuple[int, time, time]] = {}
    for s in slots:
        key = slot_column(s)
        order = (0 if s.kind == "shift" else 1, s.start.time(), s.end.time())
        seen.setdefault(key, order)
    return sorted(seen, key=lambda k: (seen[k][1], seen[k][0], seen[k][2]))


# ---------------------------------------------------------------- the week grid


@dataclass(frozen=True)
class WeekGrid:
    """Days x slots. `table` holds the text of each cell; `status` holds, per cell,
    `short` (below min), `below_target`, `full` or `` (no slot)."""

    table: pd.DataFrame
    status: pd.DataFrame


def slot_state(slot: Slot, assigned: int, trained: int) -> str:
    if assigned < slot.min or trained < slot.min_trained:
        return "short"
    if assigned < slot.target:
        return "below_target"
    return "full"


def week_grid(problem: Problem, assignments: Iterable[Assignment],
              pinned: Iterable[Assignment] = ()) -> WeekGrid:
    """The plan as a calendar: one row per day, one column per slot time.

    A cell reads `3 of 4: Ana R., Ben T. (pinned), Cleo M.`; a slot short of its
    minimum (or of trained people) starts with `Short:`.
    """
    pins = set(pinned)
    by_slot: dict[str, list[str]] = {}
    for a in assignments:
        by_slot.setdefault(a.slot, []).append(a.volunteer)
    slots = _sorted_slots(problem.slots)
    columns = _columns(slots)
    days = sorted({s.start.date() for s in slots})
    index = [day_label(d) for d in days]
    table = pd.DataFrame("", index=index, columns=columns, dtype=object)
    status = pd.DataFrame("", index=index, columns=columns, dtype=object)
    for slot in slots:
        people = [v for v in by_slot.get(slot.id, []) if problem.has_volunteer(v)]
        names = []
        trained = 0
        for vid in sorted(people, key=lambda v: problem.volunteer(v).name.casefold()):
            vol = problem.volunteer(vid)
            trained += vol.trained
            name = vol.name or vid
            if slot.kind == "shift" and vol.trained:
                name += " (trained)"
            if Assignment(slot.id, vid) in pins:
                name += " (pinned)"
            names.append(name)
        state = slot_state(slot, len(people), trained)
        text = coverage_label(len(people), slot.target)
        if state == "short":
            text = "Short: " + text
        if names:
            text += ": " + ", ".join(names)
        row, col = day_label(slot.start.date()), slot_column(slot)
        table.loc[row, col] = text
        status.loc[row, col] = state
    table.index.name = "Day"
    return WeekGrid(table, status)


GRID_COLOURS = {"short": "background-color: #fde2e1", "below_target": "background-color: #fff4d6",
                "full": "background-color: #e3f4e8", "": ""}


def grid_styles(grid: WeekGrid) -> pd.DataFrame:
    """CSS per cell, for `grid.table.style.apply(lambda _: grid_styles(grid), axis=None)`."""
    return grid.status.map(lambda s: GRID_COLOURS.get(s, ""))


def styled_grid(grid: WeekGrid) -> Any:
    """The grid for `st.table`: Markdown-escaped text, cells coloured by coverage."""
    safe = table_safe(grid.table)
    styles = grid_styles(grid)
    styles.index, styles.columns = safe.index, safe.columns
    return safe.style.apply(lambda _: styles, axis=None)


# Every colour and mark the grid uses; "Short:" repeats red in words, for those who cannot tell colours.
GRID_LEGEND = ("Red, marked Short: short of the minimum, or of trained volunteers. Yellow: at least the "
               "minimum, below the target. Green: at the target. (trained): a trained volunteer. "
               "(pinned): kept on the slot in every re-plan.")
NAMES_SHOWN = 4  # more people than this are counted, not named


def _names(problem: Problem, ids: Iterable[str]) -> str:
    """`Ana R.`, `Ana R. and Bo T.`, `Ana R., Bo T. and Cy D.`; a longer list is a count."""
    names = sorted((problem.volunteer(v).name or v for v in ids), key=str.casefold)
    if len(names) > NAMES_SHOWN:
        return f"{len(names)} volunteers"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _are(ids: Iterable[str]) -> str:
    return "is" if len(list(ids)) == 1 else "are"


def why_short(problem: Problem, b: Blockers) -> list[str]:
    """What keeps the slot short, naming the people (the coordinator's page only)."""
    slot, day = b.slot, day_label(b.slot.day)
    lines = []
    if slot.target < slot.min:
        lines.append(f"Its target ({slot.target}) is below its minimum ({slot.min}).")
    trained_missing = max(0, slot.min_trained - b.trained_on_slot)
    if trained_missing:
        trained_off = [v for v in (*b.unchecked, *b.capped, *b.overlapping, *b.free)
                       if problem.volunteer(v).trained]
        lines.append(f"Needs {plural(trained_missing, 'more trained volunteer')}"
                     + ("; no other trained volunteer is available then." if not trained_off else "."))
    if not b.available:
        lines.append("Nobody on the roster is available then.")
    elif len(b.available) < max(slot.min, slot.target):
        lines.append(f"Only {plural(len(b.available), 'volunteer')} {_are(b.available)} available then.")
    if b.unchecked:
        has = "has" if len(b.unchecked) == 1 else "have"
        lines.append(f"{_names(problem, b.unchecked)} {has} no cleared background check on {day}.")
    if b.capped:
        lines.append(f"{_names(problem, b.capped)} {_are(b.capped)} free then but at "
                     f"{'their' if len(b.capped) > 1 else 'the'} weekly cap.")
    if b.overlapping:
        lines.append(f"{_names(problem, b.overlapping)} {_are(b.overlapping)} on another slot at that time.")
    if b.trainees:
        lines.append(f"{_names(problem, b.trainees)} {_are(b.trainees)} still in training and can only "
                     "come beside a trained volunteer.")
    if b.free:
        lines.append(f"{_names(problem, b.free)} could still be added.")
    if len(lines) == 0:
        lines.append("Everyone available then is already on it.")
    return lines


SHORT_COLUMNS = ["Day", "Slot", "Coverage", "Short", "Why"]


def short_table(problem: Problem, assignments: list[Assignment]) -> pd.DataFrame:
    """Every slot below its target (short of its minimum or not), with why, in time order."""
    rows = []
    for b in sorted(blockers(problem, assignments).values(), key=lambda b: (b.slot.start, b.slot.id)):
        slot = b.slot
        missing, missing_trained = slot_shortfall(slot, len(b.on_slot), b.trained_on_slot)
        if missing or missing_trained:
            short = (f"{plural(missing, 'position')} below the minimum" if missing
                     else f"{plural(missing_trained, 'trained volunteer')} missing")
        else:
            short = f"{plural(slot.target - len(b.on_slot), 'position')} below the target"
        rows.append({"Day": day_label(slot.day), "Slot": slot_column(slot),
                     "Coverage": coverage_label(len(b.on_slot), slot.target), "Short": short,
                     "Why": " ".join(why_short(problem, b))})
    return pd.DataFrame(rows, columns=SHORT_COLUMNS)


def objective_summary(problem: Problem, plan: Any) -> list[str]:
    """A few plain sentences about a plan (`planner.core.plan.Plan`)."""
    n_slots = len(problem.slots)
    short_slots = {u.slot for u in plan.unfilled if u.missing or u.missing_trained}
    lines = [f"{n_slots - len(short_slots)} of {plural(n_slots, 'slot')} have at least their minimum."]
    if plan.objective.unfilled:
        lines.append(f"{plural(plan.objective.unfilled, 'position')} unfilled (below the minimum).")
    else:
        lines.append("No position is unfilled.")
    if plan.objective.below_target:
        lines.append(f"{plural(plan.objective.below_target, 'position')} below target.")
    else:
        lines.append("Every slot reaches its target.")
    for name, value in sorted((getattr(plan, "soft", None) or {}).items()):
        lines.append(f"{str(name).capitalize()}: {value}.")
    proof = "proven best" if plan.status == "optimal" else "best found in the time allowed"
    lines.append(f"Plan {proof} ({plan.seconds:.2f} s).")
    return lines


def assignment_choices(problem: Problem, assignments: Iterable[Assignment],
                       pinned: Iterable[Assignment] = ()) -> pd.DataFrame:
    """One row per assignment, for pinning: Slot, Volunteer, Pinned, and ids."""
    pins = set(pinned)
    rows = []
    for a in sorted(set(assignments) | pins,
                    key=lambda a: (problem.slot(a.slot).start if problem.has_slot(a.slot) else datetime.max,
                                   a.volunteer)):
        if not (problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)):
            continue
        rows.append({"Slot": slot_title(problem.slot(a.slot)),
                     "Volunteer": problem.volunteer(a.volunteer).name or a.volunteer,
                     "Pinned": a in pins, "slot_id": a.slot, "volunteer_id": a.volunteer})
    return pd.DataFrame(rows, columns=["Slot", "Volunteer", "Pinned", "slot_id", "volunteer_id"])


def pin_changes(choices: pd.DataFrame, edited_rows: Mapping[Any, Mapping[str, Any]]
                ) -> tuple[list[Assignment], list[Assignment]]:
    """(to pin, to unpin) from a `st.data_editor` diff over `assignment_choices` (Pinned column)."""
    pin, unpin = [], []
    for position, change in edited_rows.items():
        i = int(position)
        if "Pinned" not in change or not 0 <= i < len(choices):
            continue
        row = choices.iloc[i]
        a = Assignment(str(row["slot_id"]), str(row["volunteer_id"]))
        now, before = bool(change["Pinned"]), bool(row["Pinned"])
        if now and not before:
            pin.append(a)
        elif before and not now:
            unpin.append(a)
    return pin, unpin


def plan_diff(problem: Problem, old: Iterable[Assignment], new: Iterable[Assignment],
              names: Mapping[str, str] | None = None) -> list[str]:
    """Who was added, moved or removed between two versions, one plain line each.

    `names` names people the week's problem no longer has (made inactive since).
    """
    def by_person(items: Iterable[Assignment]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for a in items:
            out.setdefault(a.volunteer, set()).add(a.slot)
        return out

    before, after = by_person(old), by_person(new)

    def name(vid: str) -> str:
        return problem.volunteer(vid).name if problem.has_volunteer(vid) else (names or {}).get(vid, vid)

    def title(slot_id: str) -> str:
        return slot_title(problem.slot(slot_id)) if problem.has_slot(slot_id) else slot_id

    lines = []
    for vid in sorted(set(before) | set(after), key=name):
        gone = sorted(before.get(vid, set()) - after.get(vid, set()))
        came = sorted(after.get(vid, set()) - before.get(vid, set()))
        if gone and came and len(gone) == len(came):
            lines += [f"{name(vid)} moved from {title(g)} to {title(c)}" for g, c in zip(gone, came,
                                                                                       strict=True)]
            continue
        lines += [f"{name(vid)} added to {title(c)}" for c in came]
        lines += [f"{name(vid)} removed from {title(g)}" for g in gone]
    return lines


def publish_conflict(problem: Problem, theirs: Iterable[Assignment], mine: Iterable[Assignment],
                     latest: int, names: Mapping[str, str] | None = None) -> str:
    """Said after a refused publish: how the plan differs from the version someone published meanwhile."""
    changes = plan_diff(problem, theirs, mine, names)
    return (f"How your plan differs from version {latest}, published meanwhile: "
            + ("; ".join(changes) if changes else "it has the same people on the same slots") + ".")


def buffer_label(rates: Mapping[int, float], threshold: float = THRESHOLD) -> str | None:
    """The plan page's checkbox text naming the days it affects; None when no day reaches the threshold."""
    frequent = frequent_days(rates, threshold)
    if not frequent:
        return None
    days = ", ".join(f"{WEEKDAY_NAMES[d][:3]} {r:.0%}" for d, r in frequent.items())
    return f"Staff above minimum on days with frequent no-shows (measured: {days})"


def summary(problem: Problem, assignments: list[Assignment], plan: Plan | None) -> list[str]:
    """Sentences under the grid: a fresh plan's objective and proof, else the counts of what is shown."""
    if plan is not None:
        return objective_summary(problem, plan)
    objective = measure(problem, assignments)
    return [f"{plural(objective.unfilled, 'position')} unfilled, {objective.below_target} below target."]


def people_for(problem: Problem, slot_id: str, assignments: Iterable[Assignment]) -> dict[str, str]:
    """Who may be put on the slot by hand, by name: the people on it, then everyone rule 1 allows there.

    People who cannot work it at all (kind, availability, check) are not offered.
    """
    slot = problem.slot(slot_id)
    on = {a.volunteer for a in assignments if a.slot == slot_id}
    people = sorted(problem.volunteers, key=lambda v: (v.id not in on, v.name.casefold(), v.id))
    return {v.id: v.name + (" (on this slot)" if v.id in on else "") for v in people
            if v.id in on or (v.cap(slot.kind) > 0 and eligible(v, slot))}


def version_line(version: PlanVersion, timezone: str) -> str:
    """`Version 3: published Fri 4 Dec 2026 09:12 by coordinator, 1 position unfilled.`"""
    when = to_local(version.published_at, timezone)
    at = f"{day_label(when.date())} {when.year} {when:%H:%M}" if when else "at an unknown time"
    unfilled = "" if version.unfilled is None else f", {plural(version.unfilled, 'position')} unfilled"
    return f"Version {version.version}: published {at} by {version.published_by or 'unknown'}{unfilled}."
