"""The settings page: what a change of settings changes in a week's staffing needs."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from planner.core.problem import Slot


def staffing_needs(slots: Iterable[Slot]) -> dict[str, int]:
    """What a week of slots asks for: open days, slots, and positions at minimum and target."""
    slots = list(slots)
    shifts = [s for s in slots if s.kind == "shift"]
    meals = [s for s in slots if s.kind == "meal"]
    return {"Open days": len({s.start.date() for s in slots}),
            "Shifts": len(shifts),
            "Shift positions (minimum)": sum(s.min for s in shifts),
            "Shift positions (target)": sum(s.target for s in shifts),
            "Trained positions (minimum)": sum(s.min_trained for s in shifts),
            "Meal slots": len(meals),
            "Meal positions (minimum)": sum(s.min for s in meals)}


def needs_comparison(before: Iterable[Slot], after: Iterable[Slot]) -> pd.DataFrame:
    old, new = staffing_needs(before), staffing_needs(after)
    return pd.DataFrame([{"Need per week": k, "Now": old[k], "With these settings": new[k],
                          "Change": new[k] - old[k]} for k in old])
