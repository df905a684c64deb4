"""Seeded synthetic weeks for benchmarks: every day open, two four-hour shifts and a dinner.

Volunteers keep a weekly pattern (most people come on the same weekdays every
week, with some noise): weekends are well covered, weekday mornings are
scarce, and trained people are fewer. `tight` sets demand near 75% of the
roster's shift capacity, spread evenly over the shifts, so the scarce shifts
stay short (unfilled positions) while the busy ones fill; otherwise demand is
well under supply (about 30% of capacity) and every minimum can be met.
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


def generate(volunteers: int, weeks: int = 1, tight: bool = False, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    days = [FIRST_DAY + timedelta(days=i) for i in range(7 * weeks)]
    people = []
    for i in range(volunteers):
        does = ["shift"] + (["meal"] if rng.random() < 0.25 else [])
        pattern = {wd: _window(rng, wd) for wd in range(7)}
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
    return {"format": "volunteer-planner/1", "timezone": "America/Chicago", "slots": slots,
            "volunteers": people}
