"""Seeded synthetic weeks for benchmarks: every day open, two four-hour shifts and a dinner.

`tight` sets demand near 75% of the roster's shift capacity; otherwise demand
is well under supply.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

FIRST_DAY = date(2026, 12, 4)


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour)).strftime("%Y-%m-%dT%H:%M")


def generate(volunteers: int, weeks: int = 1, tight: bool = False, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    days = [FIRST_DAY + timedelta(days=i) for i in range(7 * weeks)]
    people = []
    for i in range(volunteers):
        does = ["shift"] + (["meal"] if rng.random() < 0.25 else [])
        windows = []
        for day in days:
            r = rng.random()
            if r < 0.25:
                windows.append((day, 9, 18))
            elif r < 0.35:
                windows.append((day, 9, 13))
            elif r < 0.45:
                windows.append((day, 13, 18))
        status = rng.choices(["cleared", "pending", "expired", "none"], [85, 8, 4, 3])[0]
        check: dict[str, Any] = {"status": status}
        if status == "cleared" and rng.random() < 0.1:
            check["expires"] = (FIRST_DAY + timedelta(days=rng.randrange(0, 7 * weeks))).isoformat()
        people.append({
            "id": f"v{i:04d}", "name": f"Volunteer {i}", "trained": rng.random() < 0.4,
            "background_check": check, "does": does,
            "max_shifts": rng.choice([1, 1, 2, 2, 3]) * weeks,
            "max_meals": (1 if "meal" in does else 0) * weeks,
            "available": [{"start": _at(d, a), "end": _at(d, b)} for d, a, b in windows],
            "prefers": [],
        })
    shifts = 2 * len(days)
    capacity = sum(p["max_shifts"] for p in people if p["background_check"]["status"] == "cleared")
    per_shift = max(1, round(0.75 * capacity / shifts)) if tight else max(1, round(0.3 * capacity / shifts))
    slots = []
    for day in days:
        for part, (a, b) in (("am", (9, 13)), ("pm", (13, 17))):
            slots.append({"id": f"{day}-{part}", "kind": "shift", "start": _at(day, a), "end": _at(day, b),
                          "min": per_shift, "target": per_shift + 1, "min_trained": 1})
        slots.append({"id": f"{day}-dinner", "kind": "meal", "start": _at(day, 17), "end": _at(day, 18),
                      "min": 1, "target": 1})
    for p in people:
        mine = [s["id"] for s in slots if rng.random() < 0.03]
        p["prefers"] = mine
    return {"format": "volunteer-planner/1", "timezone": "America/Chicago", "slots": slots,
            "volunteers": people}
