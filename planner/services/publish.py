"""Publishing a week: a new immutable version, and the notices that go with it, in one unit of work.

Every way of publishing goes through here (the plan page, a replacement, a
re-plan, a cancellation, an accepted offer), so none can forget to tell the
volunteers. A publish names the version it was made from (`based_on`): when
someone else published in between, it is refused with what they changed,
rather than silently undoing their work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from planner.core.errors import PlanError
from planner.core.problem import Assignment
from planner.core.validate import measure
from planner.services import notify
from planner.services.notify import Told
from planner.services.week import build_problem
from planner.store import plans
from planner.store.db import Session, session
from planner.store.plans import PlanVersion


@dataclass(frozen=True)
class Published:
    version: PlanVersion
    previous: PlanVersion | None
    told: Told = Told()  # who is emailed about their changes, and who has no email (to call)


def publish_key(week_start: date, based_on: int | None, assignments: Sequence[Assignment]) -> str:
    """One key per (week, version built on, plan): a double click publishes once, another plan is refused."""
    digest = hashlib.sha256(",".join(sorted(f"{a.slot}/{a.volunteer}" for a in set(assignments)))
                            .encode()).hexdigest()[:16]
    return f"{week_start}:{based_on or 0}:{digest}"


def counts(db: Session, week_start: date, assignments: Sequence[Assignment]) -> tuple[int, int]:
    """(unfilled, below target) of a week's assignments, counted the way the plan page counts them."""
    problem = build_problem(db, week_start)
    known = [a for a in assignments if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
    objective = measure(problem, known)
    return objective.unfilled, objective.below_target


def publish_in(db: Session, week_start: date, assignments: Sequence[Assignment], *, based_on: int | None,
               actor: str | None, status: str = "edited", why: str = "") -> Published:
    """Publish `assignments` as the week's next version inside the caller's unit of work, with notices."""
    previous = plans.latest_published(db, week_start)
    unfilled, below = counts(db, week_start, assignments)
    version = plans.publish_assignments(db, week_start, assignments, based_on=based_on, status=status,
                                        unfilled=unfilled, below_target=below, actor=actor, why=why,
                                        key=publish_key(week_start, based_on, assignments))
    if previous is not None and version.version == previous.version:
        return Published(version, None)  # the same request again: already published and told
    return Published(version, previous, notify.queue_plan_notices(db, week_start))


def publish(week_start: date, assignments: Sequence[Assignment], *, based_on: int | None, actor: str | None,
            status: str = "edited", why: str = "", discard_draft: bool = False) -> Published:
    """Publish a plan on top of version `based_on`; `discard_draft` when the plan came from the draft."""
    with session() as db:
        done = publish_in(db, week_start, assignments, based_on=based_on, actor=actor, status=status, why=why)
        if discard_draft:
            plans.discard_draft(db, week_start, actor=actor)
        return done


def publish_plan(week_start: date, assignments: Sequence[Assignment] | None, *, based_on: int | None,
                 actor: str | None, status: str = "") -> Published:
    """The plan page's publish: `assignments` (a fresh plan; None = the saved draft) becomes the next version.

    Saved as the draft first, so the draft and the published version agree. A
    double click returns the same version; someone else's publish in between
    raises `plans.PublishedMeanwhile` and publishes nothing.
    """
    with session() as db:
        plans.lock_week(db, week_start)  # a second click waits here, then finds the first one's version
        previous = plans.latest_published(db, week_start)
        fresh = assignments is not None
        if assignments is None:
            draft = plans.get_draft(db, week_start)
            if draft is None:
                raise PlanError(f"week {week_start}: there is no draft to publish")
            assignments = draft.assignments
        key = publish_key(week_start, based_on, assignments)
        already = plans.published_by_key(db, key, week_start)
        if already is not None:
            return Published(already, None)
        if fresh:
            unfilled, below = counts(db, week_start, assignments)
            plans.save_draft(db, week_start, assignments, status=status, unfilled=unfilled,
                             below_target=below, actor=actor)
        version = plans.publish_draft(db, week_start, actor=actor, key=key, based_on=based_on)
        return Published(version, previous, notify.queue_plan_notices(db, week_start))


def latest_version(week_start: date) -> int | None:
    with session(readonly=True) as db:
        latest = plans.latest_published(db, week_start)
        return latest.version if latest else None


__all__ = ["PlanError", "Published", "Told", "counts", "latest_version", "publish", "publish_in",
           "publish_key", "publish_plan"]
