"""Seeded synthetic weeks for benchmarks: every day open, two four-hour shifts and a dinner.

Volunteers keep a weekly pattern (most people come on the same weekdays every
week, with some noise): weekends are well covered, weekday mornings are
scarce, and trained people are fewer. `tight` sets demand near 75% of the
roster's shift capacity, spread evenly over the shifts, so the scarce shifts
stay short (unfilled positions) while the busy ones fill; otherwise demand is
well under supply (about 30% of capacity) and every minimum can be met.
`demand` sets the minimums to that share (0.8, 0.9) of the shift positions
the roster can fill at most (caps and windows counted, not overlaps or days).

`prefer` (say 0.5) gives that share of volunteers one preferred slot among
those they can work, in place of the default sprinkle of preferences.
`previous` adds a published plan made from people's usual weekly patterns
before this week's changes, so a re-plan has real changes to weigh. Each
option draws from its own seeded stream, so the weeks without it are the
same as before it existed.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

FIRST_DAY = date(2026, 12, 4)  # a Friday

# Chance that a person comes on a weekday (Mon=0 .. Sun=6) in their pattern,
# and how: (all day 9-18, morning 9-13, afternoon and dinner 13-18).
COMES = {0: 0.22, 1: 0.22, 2: 0.25, 3: 0.25, 4: 0.35, 5: 0.6, 6: 0.5}
HOW = {"weekday": (0.25, 0.2, 0.55), "weekend": (0.55, 0.2, 0.25)}
WINDOWS = ((9, 18), (9, 13), (13, 18))


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour)).strftime("%Y-%m-%dT%H:%M")


def _window(rng: random.Random, weekday: int) -> tuple[int, int] | None:
    if rng.random() >= COMES[weekday]:
        return None
    return rng.choices(WINDOWS, HOW["weekend" if weekday >= 5 else "weekday"])[0]


def generate(volunteers: int, weeks: int = 1, tight: bool = False, seed: int = 1, *,
             demand: float | None = None, prefer: float | None = None,
             previous: bool = False) -> dict[str, Any]:
    rng = random.Random(seed)
    days = [FIRST_DAY + timedelta(days=i) for i in range(7 * weeks)]
    people = []
    patterns = []
    for i in range(volunteers):
        does = ["shift"] + (["meal"] if rng.random() < 0.25 else [])
        pattern = {wd: _window(rng, wd) for wd in range(7)}
        patterns.append(pattern)
        windows = []
        for day in days:
            # One week in five a person's day differs from their pattern.
            hours = pattern[day.weekday()] if rng.random() < 0.8 else _window(rng, day.weekday())
            if hours is not None:
                windows.append((day, *hours))
        status = rng.choices(["cleared", "pending", "expired", "none"], [85, 8, 4, 3])[0]
        check: dict[str, Any] = {"status": status}
        if status == "cleared" and rng.random() < 0.1:
            check["expires"] = (FIRST_DAY + timedelta(days=rng.randrange(0, 7 * weeks))).isoformat()
        people.append({
            "id": f"v{i:04d}", "name": f"Volunteer {i}", "trained": rng.random() < 0.3,
            "background_check": check, "does": does,
            "max_shifts": rng.choice([1, 1, 2, 2, 3]) * weeks,
            "max_meals": (1 if "meal" in does else 0) * weeks,
            "available": [{"start": _at(d, a), "end": _at(d, b)} for d, a, b in windows],
            "prefers": [],
        })
    shifts = 2 * len(days)
    capacity = sum(p["max_shifts"] for p in people if p["background_check"]["status"] == "cleared")
    per_shift = max(1, round((0.75 if tight else 0.3) * capacity / shifts))
    if demand is not None:
        per_shift = max(1, round(demand * _supply(people, days) / shifts))
    slots = []
    for day in days:
        for part, (a, b) in (("am", (9, 13)), ("pm", (13, 17))):
            slots.append({"id": f"{day}-{part}", "kind": "shift", "start": _at(day, a), "end": _at(day, b),
                          "min": per_shift, "target": per_shift + 1 + per_shift // 10, "min_trained": 1})
        slots.append({"id": f"{day}-dinner", "kind": "meal", "start": _at(day, 17), "end": _at(day, 18),
                      "min": 1, "target": 1})
    for p in people:
        # Preferences follow the person's own days (people ask for what they can do).
        mine = [s["id"] for s in slots if rng.random() < 0.03]
        p["prefers"] = mine
    doc: dict[str, Any] = {"format": "volunteer-planner/1", "timezone": "America/Chicago", "slots": slots,
                           "volunteers": people}
    if prefer is not None:
        _prefer_one_slot(doc, prefer, random.Random(f"{seed}-prefer"))
    if previous:
        doc["previous"] = _published_plan(doc, patterns, random.Random(f"{seed}-previous"))
    return doc


def _supply(people: list[dict[str, Any]], days: list[date]) -> int:
    """Shift positions the roster can fill at most: per cleared person, their cap or
    the shifts their windows cover, whichever is fewer."""
    total = 0
    for p in people:
        if p["background_check"]["status"] == "cleared":
            covered = sum(1 for day in days for a, b in ((9, 13), (13, 17))
                          if _fits({"start": _at(day, a), "end": _at(day, b)}, p["available"]))
            total += min(p["max_shifts"], covered)
    return total


def _fits(slot: dict[str, Any], windows: list[dict[str, str]]) -> bool:
    return any(w["start"] <= slot["start"] and slot["end"] <= w["end"] for w in windows)


def _can_work(person: dict[str, Any], slot: dict[str, Any]) -> bool:
    cleared = person["background_check"]["status"] == "cleared" or slot["kind"] == "meal"
    return slot["kind"] in person["does"] and cleared


def _prefer_one_slot(doc: dict[str, Any], share: float, rng: random.Random) -> None:
    """`share` of the volunteers prefer one slot they can work; nobody else prefers any."""
    for p in doc["volunteers"]:
        mine = [s["id"] for s in doc["slots"] if _can_work(p, s) and _fits(s, p["available"])]
        p["prefers"] = [rng.choice(mine)] if mine and rng.random() < share else []


def _published_plan(doc: dict[str, Any], patterns: list[dict[int, tuple[int, int] | None]],
                    rng: random.Random) -> list[dict[str, str]]:
    """A plan published before this week's changes: slots in random order, each filled to
    target (a trained person first on a shift) from the people whose usual weekly pattern
    covers it, within their caps. Where this week differs from the pattern, it breaks."""
    slots = list(doc["slots"])
    rng.shuffle(slots)
    used: dict[tuple[int, str], int] = {}
    plan = []
    for slot in slots:
        day = datetime.fromisoformat(slot["start"]).date()
        hours = int(slot["start"][11:13]), int(slot["end"][11:13])
        pool = [i for i, p in enumerate(doc["volunteers"])
                if _can_work(p, slot) and patterns[i][day.weekday()] is not None
                and patterns[i][day.weekday()][0] <= hours[0] and hours[1] <= patterns[i][day.weekday()][1]
                and used.get((i, slot["kind"]), 0) < doc["volunteers"][i][f"max_{slot['kind']}s"]]
        rng.shuffle(pool)
        trained = [i for i in pool if doc["volunteers"][i]["trained"]]
        if slot["kind"] == "shift" and trained:
            pool.remove(trained[0])
            pool.insert(0, trained[0])
        for i in pool[:slot.get("target", slot["min"])]:
            used[i, slot["kind"]] = used.get((i, slot["kind"]), 0) + 1
            plan.append({"slot": slot["id"], "volunteer": doc["volunteers"][i]["id"]})
    return plan
