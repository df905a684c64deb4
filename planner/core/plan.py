"""A plan (the answer of `solve`) and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.core.problem import FORMAT, Assignment, ProblemError


@dataclass(frozen=True)
class Objective:
    unfilled: int
    below_target: int


@dataclass(frozen=True)
class Unfilled:
    slot: str
    missing: int
    missing_trained: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    status: str
    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    objective: Objective
    seconds: float = 0.0
    # Level-3 goals by readable name, e.g. {"preferences missed": 2}.
    soft: dict[str, int] = field(default_factory=dict)
    solver: str = ""
    # Level 3 as one number (the goals' weighted sum), a proven lower bound on it
    # over the plans optimal on levels 1-2 (None: none known), and whether the
    # plan meets that bound.
    soft_total: int = 0
    soft_bound: int | None = None
    soft_proven: bool = False


def plan_to_json(plan: Plan) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "status": plan.status,
        "assignments": [{"slot": a.slot, "volunteer": a.volunteer} for a in plan.assignments],
        "unfilled": [{"slot": u.slot, "missing": u.missing, "missing_trained": u.missing_trained,
                      "reasons": list(u.reasons)} for u in plan.unfilled],
        "objective": {"unfilled": plan.objective.unfilled, "below_target": plan.objective.below_target},
        "soft": dict(plan.soft),
        "soft_total": plan.soft_total,
        "soft_bound": plan.soft_bound,
        "soft_proven": plan.soft_proven,
        "solver": plan.solver,
        "seconds": round(plan.seconds, 3),
    }


def read_assignments(data: Any) -> list[Assignment]:
    """The assignments of a plan document (only they matter to `check`)."""
    if not isinstance(data, dict) or not isinstance(data.get("assignments"), list):
        raise ProblemError(["plan.assignments: must be a list"])
    out, errors = [], []
    for i, item in enumerate(data["assignments"]):
        if (not isinstance(item, dict) or not isinstance(item.get("slot"), str)
                or not isinstance(item.get("volunteer"), str)):
            errors.append(f"plan.assignments[{i}]: needs a slot and a volunteer id")
            continue
        out.append(Assignment(item["slot"], item["volunteer"]))
    if errors:
        raise ProblemError(errors)
    return out
