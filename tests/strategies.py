"""Hypothesis strategies for tiny `volunteer-planner/1` problems, and JSON builders for hand tests.

Strategies draw problem *documents* (plain JSON dicts), so every example also goes
through `read_problem`; tests read them with `read_problem(doc)`.

Times sit on a coarse grid over two days so that slots overlap, touch (13:00/13:00),
and availability windows contain, miss, touch or sit next to them; background checks
expire the day before, on, or after the slot days.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from planner.core.problem import read_problem
from tests.bruteforce import may_take
from tests.bruteforce import solve as bf_solve

DAYS = ("2026-12-04", "2026-12-05", "2026-12-06")  # the third only in roomy problems
EXPIRIES = (None, "2026-12-03", "2026-12-04", "2026-12-05")


def at(day: int, hour: int) -> str:
    return f"{DAYS[day]}T{hour:02d}:00"


# ---------------------------------------------------------------- builders for hand-written tests


def slot(sid: str, kind: str = "shift", start: str | int = 9, end: str | int = 13, *, day: int = 0,
         min: int = 1, target: int | None = None, min_trained: int | None = None,
         check: bool | None = None) -> dict[str, Any]:
    """A slot document; hours as ints on `day`, or full `YYYY-MM-DDTHH:MM` texts."""
    doc: dict[str, Any] = {
        "id": sid, "kind": kind,
        "start": at(day, start) if isinstance(start, int) else start,
        "end": at(day, end) if isinstance(end, int) else end,
        "min": min,
    }
    if target is not None:
        doc["target"] = target
    if min_trained is not None:
        doc["min_trained"] = min_trained
    if check is not None:
        doc["needs_background_check"] = check
    return doc


ALWAYS = (f"{DAYS[0]}T00:00", "2026-12-06T00:00")


def volunteer(vid: str, *, trained: bool = False, check: str | None = "cleared",
              expires: str | None = None, does: tuple[str, ...] = ("shift",), max_shifts: int = 1,
              max_meals: int = 0, windows: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """A volunteer document; available all the time unless `windows` says otherwise."""
    doc: dict[str, Any] = {"id": vid, "name": vid.upper(), "trained": trained, "does": list(does),
                           "max_shifts": max_shifts, "max_meals": max_meals,
                           "available": [{"start": s, "end": e} for s, e in (windows or [ALWAYS])]}
    if check is not None:
        doc["background_check"] = {"status": check}
        if expires is not None:
            doc["background_check"]["expires"] = expires
    return doc


def problem(slots: list[dict[str, Any]], volunteers: list[dict[str, Any]],
            pinned: list[tuple[str, str]] = (), whatif: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "volunteer-planner/1", "timezone": "America/Chicago",
                           "slots": slots, "volunteers": volunteers,
                           "pinned": [{"slot": s, "volunteer": v} for s, v in pinned]}
    if whatif is not None:
        doc["whatif"] = whatif
    return doc


# ---------------------------------------------------------------- strategies

SHIFT_TIMES = [(9, 13), (13, 17), (11, 15), (9, 11), (15, 17), (10, 14)]
MEAL_TIMES = [(12, 13), (13, 14), (17, 18), (11, 13), (9, 10)]


@st.composite
def slots_st(draw: st.DrawFn, sid: str, *, plain_meals: bool = False,
             fillable: bool = False) -> dict[str, Any]:
    """One slot. `plain_meals`: meals need no check and no trained person (what-if tests).
    `fillable`: target leaves room for min and min_trained (candidate slots)."""
    kind = draw(st.sampled_from(["shift", "shift", "meal"]))
    day = draw(st.sampled_from([0, 0, 0, 1]))
    start, end = draw(st.sampled_from(SHIFT_TIMES if kind == "shift" else MEAL_TIMES))
    minimum = draw(st.integers(0, 2))
    min_trained = draw(st.sampled_from([0, 0, 0, 1, 1, 2]))
    check = draw(st.sampled_from([None, None, None, kind != "shift"]))
    if plain_meals and kind == "meal":
        min_trained, check = 0, None
    if fillable:
        minimum = max(minimum, 1 if draw(st.booleans()) else 0)
        least = max(minimum, min_trained)
        target = draw(st.sampled_from([least] * 6 + [least + 1] * 3 + [max(minimum, least - 1)]))
    else:
        target = draw(st.sampled_from([minimum, minimum, minimum + 1, minimum + 2]))
    doc = slot(sid, kind, start, end, day=day, min=minimum, target=target,
               min_trained=min_trained if min_trained else None, check=check)
    if target == minimum and draw(st.booleans()):
        del doc["target"]  # the default
    return doc


@st.composite
def windows_st(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Availability: all week, or one or two windows on the grid (adjacent ones included)."""
    shape = draw(st.sampled_from(["always"] * 4 + ["one", "two", "adjacent", "none"]))
    if shape == "always":
        return [ALWAYS]
    if shape == "none":
        return []
    day = draw(st.sampled_from([0, 0, 1]))
    hours = st.sampled_from([8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19])
    if shape == "adjacent":
        a, b, c = sorted(draw(st.lists(hours, min_size=3, max_size=3, unique=True)))
        return [(at(day, a), at(day, b)), (at(day, b), at(day, c))]
    out = []
    for _ in range(1 if shape == "one" else 2):
        a, b = sorted(draw(st.lists(hours, min_size=2, max_size=2, unique=True)))
        out.append((at(day, a), at(day, b)))
        day = draw(st.sampled_from([0, 1]))
    return out


@st.composite
def volunteers_st(draw: st.DrawFn, vid: str) -> dict[str, Any]:
    doc = volunteer(
        vid,
        trained=draw(st.booleans()),
        check=draw(st.sampled_from(["cleared"] * 5 + ["pending", "expired", "none", None])),
        expires=draw(st.sampled_from(EXPIRIES)),
        does=draw(st.sampled_from([("shift",), ("shift",), ("meal",), ("shift", "meal"),
                                   ("shift", "meal"), ("shift", "meal"), ()])),
        max_shifts=draw(st.sampled_from([0, 1, 1, 2, 2])),
        max_meals=draw(st.sampled_from([0, 1, 1, 2])),
        windows=draw(windows_st()),
    )
    if not doc["available"]:
        del doc["available"]
    return doc


@st.composite
def problems_st(draw: st.DrawFn, *, max_slots: int = 4, max_volunteers: int = 4, max_pins: int = 2,
                min_slots: int = 1, plain_meals: bool = False, soft: bool = False) -> dict[str, Any]:
    """A problem; `soft` adds preferences, trainees and a published plan (any pairs, possible or not)."""
    n_slots = draw(st.integers(min_slots, max_slots))
    n_vols = draw(st.integers(0, max_volunteers))
    slots = [draw(slots_st(f"s{i}", plain_meals=plain_meals)) for i in range(n_slots)]
    vols = [draw(volunteers_st(f"v{i}")) for i in range(n_vols)]
    previous: list[tuple[str, str]] = []
    if soft:
        ids = [s["id"] for s in slots] + ["gone"]  # a slot no longer in the week
        for v in vols:
            v["prefers"] = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
            if not v["trained"] and draw(st.sampled_from([False, False, True])):
                v["in_training"] = True
        if vols and draw(st.booleans()):
            people = [v["id"] for v in vols]
            previous = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(people)),
                                     max_size=5, unique=True))
    pins: list[tuple[str, str]] = []
    if slots and vols and max_pins:
        # mostly pins rule 1 allows (else nearly every pin is bad input), sometimes any pair
        read = read_problem(problem(slots, vols))
        fine = [(s.id, v.id) for s in read.slots for v in read.volunteers
                if may_take(v, s) and s.target and (v.max_shifts if s.kind == "shift" else v.max_meals)]
        anyhow = [(s["id"], v["id"]) for s in slots for v in vols]
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2][: 3 + 2 * max_pins]))):
            pick = draw(st.sampled_from(["fine", "fine", "fine", "any"]))
            pool = fine if fine and pick == "fine" else anyhow
            pin = draw(st.sampled_from(pool))
            if pin not in pins:
                pins.append(pin)
    doc = problem(slots, vols, pins)
    if previous:
        doc["previous"] = [{"slot": s, "volunteer": v} for s, v in previous]
    return doc


@st.composite
def whatif_problems_st(draw: st.DrawFn, *, max_slots: int = 3, max_volunteers: int = 3,
                       max_candidates: int = 2, max_candidate_slots: int = 3,
                       plain_meals: bool = True) -> dict[str, Any]:
    """A problem with a `whatif` section; candidate slots may overlap each other and existing ones."""
    doc = draw(problems_st(max_slots=max_slots, max_volunteers=max_volunteers, max_pins=1,
                           min_slots=0, plain_meals=plain_meals))
    if doc["pinned"] and bf_solve(read_problem(doc)) is None:
        doc["pinned"] = []  # the pins allow no plan: bad input, for another test
    candidates = []
    for c in range(draw(st.integers(1, max_candidates))):
        n = draw(st.integers(1, max_candidate_slots))
        candidates.append({"label": f"cand{c}",
                           "slots": [draw(slots_st(f"c{c}s{i}", plain_meals=plain_meals, fillable=True))
                                     for i in range(n)]})
    recruit: dict[str, Any] = {"max_shifts": draw(st.sampled_from([1, 1, 2, 2, 0])),
                               "max_meals": draw(st.sampled_from([1, 1, 2, 0]))}
    available = draw(st.sampled_from(["candidate", "any", None]))
    if available is not None:
        recruit["available"] = available
    doc["whatif"] = {"candidates": candidates, "recruit": recruit}
    return doc


@st.composite
def roomy_problems_st(draw: st.DrawFn, *, max_slots: int = 5, max_volunteers: int = 4) -> dict[str, Any]:
    """More people and caps than the slots need, over three days: many plans tie on levels 1-2,
    so the soft goals decide between them."""
    slots = []
    for i in range(draw(st.integers(2, max_slots))):
        kind = draw(st.sampled_from(["shift", "shift", "meal"]))
        start, end = draw(st.sampled_from(SHIFT_TIMES if kind == "shift" else MEAL_TIMES))
        minimum = draw(st.integers(0, 2))
        slots.append(slot(f"s{i}", kind, start, end, day=draw(st.sampled_from([0, 1, 2])), min=minimum,
                          target=minimum + draw(st.integers(0, 1)),
                          min_trained=draw(st.sampled_from([None, None, 1])) if kind == "shift" else None))
    vols = [volunteer(f"v{i}", trained=draw(st.booleans()),
                      check=draw(st.sampled_from(["cleared"] * 4 + ["none"])),
                      does=draw(st.sampled_from([("shift",), ("shift", "meal"), ("meal",)])),
                      max_shifts=draw(st.integers(1, 3)), max_meals=draw(st.integers(0, 2)),
                      windows=draw(st.sampled_from([[(at(0, 0), "2026-12-07T00:00")]] * 3
                                                   + [[(at(0, 8), at(0, 19)), (at(2, 8), at(2, 19))]])))
            for i in range(draw(st.integers(2, max_volunteers)))]
    ids = [s["id"] for s in slots] + ["gone"]
    for v in vols:
        v["prefers"] = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        if not v["trained"] and draw(st.sampled_from([False, False, True])):
            v["in_training"] = True  # goal "shifts not given to trainees"
    doc = problem(slots, vols)
    if draw(st.booleans()):
        pairs = st.tuples(st.sampled_from(ids), st.sampled_from([v["id"] for v in vols]))
        published = draw(st.lists(pairs, max_size=6, unique=True))
        doc["previous"] = [{"slot": s, "volunteer": v} for s, v in published]
    return doc
