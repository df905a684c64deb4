"""Gaps: someone cannot come, and the place is filled again (a replacement or a re-plan) or left open.

`cancel` publishes a version without the person (the old version keeps
showing they were on), records the cancellation, drops their pin on that slot,
and adds time off for the slot's hours, so no later re-plan or suggestion puts
them back on a slot they said they cannot make; the notices go with it. Every
change is checked by `planner.core.validate` through `planner.engine.repair`,
so a replacement can never publish a plan the engine would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from planner.core.clock import utcnow
from planner.core.domain import DatedException, volunteer_id_from_key, volunteer_key
from planner.core.errors import PlanError
from planner.core.plan import Objective, Plan
from planner.core.problem import Assignment, Problem
from planner.core.validate import measure
from planner.engine import repair
from planner.services import offers
from planner.services.publish import Published, publish_in
from planner.services.week import build_problem
from planner.store import cancellations, plans, roster
from planner.store import offers as offered
from planner.store.cancellations import Gap
from planner.store.db import Session, session
from planner.store.plans import PlanVersion
from planner.store.settings import load_settings

REPLAN_TIME_LIMIT = 20.0
MAX_REASON = cancellations.MAX_REASON


@dataclass(frozen=True)
class GapsState:
    """A week's published plan and its gaps, as the coordinator's gaps page shows them."""

    week_start: date
    problem: Problem
    published: PlanVersion | None
    current: tuple[Assignment, ...]  # published assignments the week still knows
    hidden: tuple[Assignment, ...]  # of people since made inactive, or of slots the settings dropped
    open_gaps: tuple[Gap, ...]
    history: tuple[Gap, ...]
    names: dict[str, str]

    @property
    def version(self) -> int | None:
        return self.published.version if self.published else None

    def objective(self) -> Objective:
        return measure(self.problem, list(self.current))


def load(week_start: date) -> GapsState:
    with session(readonly=True) as db:
        problem = build_problem(db, week_start)
        published = plans.latest_published(db, week_start)
        everyone = published.assignments if published else ()
        current = tuple(a for a in everyone
                        if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer))
        return GapsState(week_start, problem, published, current,
                         tuple(a for a in everyone if a not in current),
                         tuple(cancellations.open_gaps(db, week_start)),
                         tuple(cancellations.list_cancellations(db, week_start)), roster.names(db))


def cancel_in(db: Session, week_start: date, slot_id: str, volunteer: int | str, reason: str = "",
              actor: str | None = None) -> Gap:
    """`cancel` inside the caller's unit of work; the recorded gap."""
    return _cancel_in(db, week_start, slot_id, volunteer, reason, actor)[0]


def _cancel_in(db: Session, week_start: date, slot_id: str, volunteer: int | str, reason: str,
               actor: str | None) -> tuple[Gap, Published]:
    try:
        key = volunteer if isinstance(volunteer, str) else volunteer_key(volunteer)
        volunteer_id_from_key(key)
    except ValueError as err:
        raise PlanError(f"volunteer: {err}") from None
    reason = cancellations.checked_reason(reason)
    plans.lock_week(db, week_start)  # a publish meanwhile waits, so "I can't make it" is never refused for it
    latest = plans.latest_published(db, week_start)
    mine = Assignment(slot_id, key)
    if latest is None or mine not in latest.assignments:
        raise PlanError(f"{slot_id}: {key} is not on this slot in the published plan")
    kept = [a for a in latest.assignments if a != mine]
    done = publish_in(db, week_start, kept, based_on=latest.version, actor=actor,
                      why=f"{key} cancelled {slot_id}")
    plans.remove_pin(db, week_start, mine, actor=actor)
    time_off = _time_off(db, week_start, slot_id)
    if time_off is not None:
        roster.add_exception(db, volunteer_id_from_key(key), time_off, actor=actor)
    assert latest.version is not None
    return cancellations.record(db, week_start, slot_id, key, latest.version, reason, actor), done


def _time_off(db: Session, week_start: date, slot_id: str) -> DatedException | None:
    """The time off a cancellation adds: the slot's hours (None for a slot the settings dropped)."""
    slot = next((s for s in load_settings(db).week_slots(week_start) if s.id == slot_id), None)
    return None if slot is None else DatedException(slot.day, "off", slot.start.time(), slot.end.time())


def cancel(week_start: date, slot_id: str, volunteer: int | str, reason: str = "",
           actor: str | None = None, base_url: str | None = None) -> Published:
    """Take a volunteer off a published slot (published at once); raises PlanError when they are not on it.

    With the center's automatic offers on (and `base_url` for the links), the
    place is offered at once to the volunteers who can take it.
    """
    with session() as db:
        gap, done = _cancel_in(db, week_start, slot_id, volunteer, reason, actor)
        report = (offers.offer_gap_in(db, gap.id, base_url, actor, auto=True, quiet=True)
                  if base_url is not None and load_settings(db).auto_offer else None)
    if report is not None:
        offers.send_now(report)
    return done


def replacements(state: GapsState, gap: Gap) -> list[repair.Suggestion]:
    """Who can fill the gap without breaking a rule, fairest first."""
    return repair.suggestions(state.problem, state.current, gap.slot, exclude=[gap.volunteer])


def replace_person(state: GapsState, gap: Gap, volunteer: str, actor: str | None) -> Published:
    """Put `volunteer` on the gap's slot and publish; raises PlanError naming the rule it would break."""
    after, breaks = repair.add_person(state.problem, state.current, gap.slot, volunteer)
    if breaks:
        raise PlanError([repair.describe(b) for b in breaks])
    with session() as db:
        done = publish_in(db, state.week_start, [*after, *state.hidden], based_on=state.version, actor=actor,
                          why=f"{volunteer} replaces {gap.volunteer} on {gap.slot}")
        cancellations.resolve_gap(db, gap.id, "replaced", replacement=volunteer, actor=actor)
        offered.withdraw_for_gap(db, gap.id, utcnow(), actor)
        return done


def undo(state: GapsState, gap: Gap, actor: str | None) -> Published:
    """They can come after all: the slot's time off goes, they are back on it, and that is published.

    Refused (PlanError naming the rule) when the slot or their week changed so
    they no longer fit; nothing changes then.
    """
    if not gap.is_open:
        raise PlanError(f"gap {gap.id}: already closed, so there is nothing to undo")
    person = volunteer_id_from_key(gap.volunteer)
    with session() as db:
        time_off = _time_off(db, state.week_start, gap.slot)
        record = roster.get_volunteer(db, person)
        if record is None or record.erased or not record.active:
            raise PlanError(f"{gap.volunteer}: not on the active roster any more")
        for off in record.exceptions:
            if time_off is not None and off.id is not None and (off.day, off.kind, off.start, off.end) == (
                    time_off.day, time_off.kind, time_off.start, time_off.end):
                roster.remove_exception(db, person, off.id, actor=actor)
        problem = build_problem(db, state.week_start)
        after, breaks = repair.add_person(problem, state.current, gap.slot, gap.volunteer)
        if breaks:
            raise PlanError([repair.describe(b) for b in breaks])
        done = publish_in(db, state.week_start, [*after, *state.hidden], based_on=state.version, actor=actor,
                          why=f"{gap.volunteer} is back on {gap.slot} (cancellation undone)")
        cancellations.resolve_gap(db, gap.id, "undone", actor=actor)
        return done


@dataclass(frozen=True)
class Contact:
    """How the coordinator reaches a volunteer before asking them to step in."""

    name: str
    email: str | None
    phone: str | None

    @property
    def line(self) -> str:
        ways = [w for w in (self.phone, self.email) if w]
        return ", ".join(ways) if ways else "no phone or email on the roster"


def contact(volunteer: str) -> Contact:
    """The replacement's contact details (the page records that it showed them)."""
    with session(readonly=True) as db:
        record = roster.get_volunteer(db, volunteer_id_from_key(volunteer))
    if record is None or record.erased:
        raise PlanError(f"{volunteer}: not on the roster any more")
    return Contact(record.name, record.email, record.phone)


def leave_open(gap_id: int, actor: str | None) -> None:
    with session() as db:
        cancellations.resolve_gap(db, gap_id, "dismissed", actor=actor)
        offered.withdraw_for_gap(db, gap_id, utcnow(), actor)


def replan(state: GapsState, time_limit: float | None = REPLAN_TIME_LIMIT) -> Plan:
    """Keep everyone on the published plan who still can come; fill the gaps from the rest of the roster.

    Raises ProblemError when the coordinator's own pins break the rules.
    """
    return repair.minimal_replan(state.problem, state.current, time_limit=time_limit)


def publish_replan(state: GapsState, assignments: Sequence[Assignment], actor: str | None) -> Published:
    """Publish a re-plan and close every open gap as re-planned."""
    with session() as db:
        done = publish_in(db, state.week_start, [*assignments, *state.hidden], based_on=state.version,
                          actor=actor, why="minimal re-plan")
        for gap in state.open_gaps:
            cancellations.resolve_gap(db, gap.id, "replanned", actor=actor)
            offered.withdraw_for_gap(db, gap.id, utcnow(), actor)
        return done
