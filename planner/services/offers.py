"""Gaps fill themselves: open places offered with a one-tap accept link, self sign-up, standby, alerts.

An offer goes to the volunteers who can take the place without breaking a
hard rule, in the gaps page's ranking (fewest assignments first), standby
volunteers first: they are sent it at once, the others a little later
(`head_start`). Each gets an email, or a text if they chose texts, with a
single-use link (only its hash is stored; the token exists only in the message).

`claim` is the one way a volunteer takes a place, by an offer's link or by
signing up on My shifts: in one unit of work it locks the week, re-reads the
published plan, checks every hard rule (`planner.engine.repair`, judged by
`planner.core.validate`), publishes the new version with its notices, and
marks the offer. So two people never get the last place: the second finds it
filled and is told so. A volunteer who takes a place says they can come then,
so it is added to their availability, unless they took that time off.

`sweep` runs with the background sender (once a minute): offers past their
time expire, waiting recipients get their message, slots still short
`short_alert_hours` before they start are emailed to the alert address, and
with automatic offers on, short places are offered without a click.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from planner.core.clock import to_local, to_utc, utcnow
from planner.core.domain import (
    CenterSettings,
    DatedException,
    monday_of,
    volunteer_id_from_key,
    volunteer_key,
)
from planner.core.errors import ClaimError, OfferLinkError, PlaceFilled, PlanError, PlannerError
from planner.core.labels import readable
from planner.core.problem import Assignment, Problem, Slot
from planner.core.tokens import new_token, token_hash
from planner.core.validate import slot_shortfall, why_not_eligible
from planner.engine import repair
from planner.services import keys, linkmail, links, notices, notify
from planner.services.notices import slot_line
from planner.services.publish import Published, publish_in
from planner.services.week import build_problem, to_problem_volunteer
from planner.store import attendance, audit, cancellations, plans, roster
from planner.store import offers as stored
from planner.store.cancellations import Gap
from planner.store.db import Session, session
from planner.store.offers import NewRecipient, Offer
from planner.store.settings import load_settings

log = logging.getLogger(__name__)
_warned: list[bool] = []  # the sweep says once per process that automatic offers lack PLANNER_PUBLIC_URL

WEEKS_AHEAD = 4  # open places and standby days: this week and the next four (as My shifts shows them)
MAX_RECIPIENTS = 50
HEAD_START = timedelta(minutes=30)  # standby volunteers have an offer this long (at most) before the others
LINK_ACTOR = "offer link"  # who the audit log says acted when a volunteer took a place by an offer's link
LINK_REFUSED = "This link does not work: it is incomplete or was changed. Nothing was changed."
ENDED = ("This offer has ended: the shift has started, or the coordinator closed the offer. Nothing was "
         "changed. Thank you all the same.")
FILLED = "Already filled, thank you: another volunteer took this place first. Nothing was changed."
MINE = "You took this place already: it is on your shifts. Thank you!"


# ---------------------------------------------------------------- what pages show


@dataclass(frozen=True)
class OfferReport:
    """What offering a place did: the offer (None when nobody could be sent it) and who it went to."""

    offer: Offer | None
    offered: tuple[str, ...] = ()  # names, in rank order (coordinators only)
    unreachable: tuple[str, ...] = ()  # could take it, but have no email and no texts: call them
    waiting: str | None = None  # why the messages wait, when they do


@dataclass(frozen=True)
class Claimed:
    published: Published
    title: str  # `Fri 4 Dec, Morning shift 09:00-13:00`


@dataclass(frozen=True)
class LinkView:
    """What an offer's link shows: the place, and nothing about anyone else."""

    state: str  # open | mine | filled | ended
    title: str
    place: str
    until: datetime  # center-local

    @property
    def message(self) -> str | None:
        return {"mine": MINE, "filled": FILLED, "ended": ENDED}.get(self.state)


@dataclass(frozen=True)
class OpenPlace:
    week_start: date
    slot: Slot
    people: int  # on the slot now

    @property
    def title(self) -> str:
        return slot_line(self.slot)


@dataclass(frozen=True)
class ShortSlot:
    """A published slot below its minimum (reported no-shows count as absent)."""

    week_start: date
    slot: Slot
    missing: int
    people: int
    offer: Offer | None  # the open offer for it, if any

    @property
    def title(self) -> str:
        return slot_line(self.slot)


@dataclass(frozen=True)
class GivenAway:
    """A shift the volunteer said they cannot make, and whether someone picked it up (never who)."""

    title: str
    state: str  # picked up | offered | with the coordinator


@dataclass(frozen=True)
class Swept:
    expired: int = 0
    sent: int = 0  # waiting recipients whose message was queued
    offered: int = 0  # automatic offers made
    alerts: int = 0


def head_start(created_at: datetime, expires_at: datetime) -> timedelta:
    """How long standby volunteers have an offer to themselves: 30 minutes, or a quarter of its time."""
    return min(HEAD_START, (expires_at - created_at) / 4)


# ---------------------------------------------------------------- helpers


def _slot(settings: CenterSettings, week_start: date, slot_id: str) -> Slot | None:
    return next((s for s in settings.week_slots(week_start) if s.id == slot_id), None)


def _known(problem: Problem, assignments: Iterable[Assignment]) -> tuple[list[Assignment], list[Assignment]]:
    """(assignments the week still knows, the others: of people since made inactive, or dropped slots)."""
    everyone = list(assignments)
    current = [a for a in everyone if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
    return current, [a for a in everyone if a not in current]


def _declaring(db: Session, problem: Problem, week_start: date, volunteer_ids: Iterable[int],
               slots: Sequence[Slot]) -> Problem:
    """The problem where each of `volunteer_ids` is available for `slots`, unless they took that time off:
    taking a place (or standing by for its day) says they can come then."""
    extra = tuple(DatedException(s.day, "extra", s.start.time(), s.end.time()) for s in slots)
    changed = {}
    for vid in volunteer_ids:
        record = roster.get_volunteer(db, vid)
        if record is not None and problem.has_volunteer(record.key):
            declared = replace(record, exceptions=(*record.exceptions, *extra))
            changed[record.key] = to_problem_volunteer(declared, week_start, problem.slots)
    if not changed:
        return problem
    return problem.with_volunteers(tuple(changed.get(v.id, v) for v in problem.volunteers))


def _ranked(db: Session, problem: Problem, current: Sequence[Assignment], slot: Slot,
            exclude: Iterable[str]) -> list[tuple[repair.Suggestion, bool]]:
    """Who can take a place on `slot` without breaking a rule, fairest first, standby volunteers first."""
    standby = stored.on_standby(db, slot.day)
    declared = _declaring(db, problem, monday_of(slot.day), standby, [slot])
    keys_on_standby = {volunteer_key(v) for v in standby}
    found = repair.suggestions(declared, current, slot.id, exclude=exclude)
    return sorted(((s, s.volunteer in keys_on_standby) for s in found), key=lambda pair: not pair[1])


def _queue_offer_messages(db: Session, settings: CenterSettings, offer: Offer, recipients: Iterable[
        stored.Recipient]) -> int:
    slot = _slot(settings, offer.week_start, offer.slot)
    until = to_local(offer.expires_at, settings.timezone)
    if slot is None or until is None:
        return 0
    names = roster.names(db)
    link = f"{offer.link_base}/offer?token={keys.LINK_MARK}"
    return notify.queue_messages(db, [
        notices.offer_message(settings, slot, r.volunteer, names.get(r.volunteer, ""), r.message_key, link,
                              until, r.channel, offer.week_start) for r in recipients])


def _people(assignments: Iterable[Assignment], slot_id: str, absent: Iterable[str] = ()) -> list[str]:
    gone = set(absent)
    return [a.volunteer for a in assignments if a.slot == slot_id and a.volunteer not in gone]


def _absent(db: Session, slots: Sequence[Slot]) -> dict[str, set[str]]:
    """Reported no-shows by slot id: they are on the plan, but not there."""
    if not slots:
        return {}
    out: dict[str, set[str]] = {}
    for seen in attendance.list_attendance(db, min(s.day for s in slots), max(s.day for s in slots)):
        if seen.no_show:
            out.setdefault(seen.slot, set()).add(seen.volunteer)
    return out


# ---------------------------------------------------------------- offering


def _offer_in(db: Session, week_start: date, slot_id: str, *, gap: Gap | None, base_url: str,
              actor: str | None, auto: bool, now: datetime) -> OfferReport:
    settings = load_settings(db)
    now_local = to_local(now, settings.timezone)
    assert now_local is not None
    slot = _slot(settings, week_start, slot_id)
    if slot is None:
        raise PlanError(f"{slot_id}: not a slot of the center's week any more")
    if slot.end <= now_local:
        raise PlanError(f"{slot_line(slot)}: is over, so there is nothing to offer")
    latest = plans.latest_published(db, week_start)
    if latest is None:
        raise PlanError(f"week {week_start}: nothing is published")
    for already in stored.open_offers(db, week_start, slot_id):  # a slot's own offer covers its gaps too
        if gap is None or already.gap_id in (gap.id, None):
            until = to_local(already.expires_at, settings.timezone)
            raise PlanError(f"{slot_line(slot)}: offered already; the offer is open until {until:%a %H:%M}")
    problem = build_problem(db, week_start)
    current, _ = _known(problem, latest.assignments)
    absent = _absent(db, [slot]).get(slot_id, set())
    room = slot.target - len(_people(current, slot_id))
    if room <= 0:
        why = (f"; {len(absent)} of them did not come: mark their cancellation first to offer their place"
               if absent else "")
        raise PlanError(f"{slot_line(slot)}: full ({slot.target - room} of {slot.target}){why}, so there is "
                        "nothing to offer")
    there = _people(current, slot_id, absent)
    trained = sum(problem.volunteer(v).trained for v in there)
    places = 1 if gap is not None else min(room, max(1, *slot_shortfall(slot, len(there), trained)))
    ranked = _ranked(db, problem, current, slot, [gap.volunteer] if gap is not None else [])
    ids = [volunteer_id_from_key(s.volunteer) for s, _ in ranked]
    emails, texts = roster.emails(db, ids), notify.texters(db)
    chosen: list[tuple[repair.Suggestion, bool, str]] = []
    unreachable = []
    for suggestion, standby in ranked:
        vid = volunteer_id_from_key(suggestion.volunteer)
        channel = "sms" if vid in texts else "email" if vid in emails else None
        if channel is None:
            unreachable.append(suggestion.name)
        elif len(chosen) < MAX_RECIPIENTS:
            chosen.append((suggestion, standby, channel))
    if not chosen:
        return OfferReport(None, (), tuple(unreachable))
    expires = to_utc(slot.start if now_local < slot.start else slot.end, settings.timezone)
    later = any(standby for _, standby, _ in chosen) and not all(standby for _, standby, _ in chosen)
    new = []
    for suggestion, standby, channel in chosen:
        key = f"offer:{slot_id}:{suggestion.volunteer}:{new_token()[:16]}"
        new.append(NewRecipient(volunteer_id_from_key(suggestion.volunteer), standby, channel,
                                token_hash(keys.link_token(key)), key, waiting=later and not standby))
    offer = stored.add(db, week_start, slot_id, places=places, gap_id=gap.id if gap is not None else None,
                       expires_at=expires, link_base=base_url, recipients=new, actor=actor, auto=auto,
                       now=now)
    _queue_offer_messages(db, settings, offer, [r for r in offer.recipients if r.state == "sent"])
    return OfferReport(offer, tuple(s.name for s, _, _ in chosen), tuple(unreachable))


def offer_gap_in(db: Session, gap_id: int, base_url: str, actor: str | None, *, auto: bool = False,
                 quiet: bool = False, now: datetime | None = None) -> OfferReport:
    """Offer a cancellation's place inside the caller's unit of work (the cancellation's own).

    PlanError when it cannot be offered (over, full, offered already), before
    anything is written; `quiet` returns an empty report instead.
    """
    gap = cancellations.get_gap(db, gap_id)
    try:
        if gap is None or not gap.is_open:
            raise PlanError(f"gap {gap_id}: not open any more")
        return _offer_in(db, gap.week_start, gap.slot, gap=gap, base_url=base_url, actor=actor, auto=auto,
                         now=now or utcnow())
    except PlanError:
        if quiet:
            return OfferReport(None)
        raise


def send_now(report: OfferReport) -> OfferReport:
    """Send the offer's first messages at once (the app's sender does, when it holds the lease)."""
    return replace(report, waiting=linkmail.send_now()) if report.offer is not None else report


def offer_gap(gap_id: int, base_url: str, actor: str, now: datetime | None = None) -> OfferReport:
    """Offer a cancellation's place to the volunteers who can take it; PlanError when it cannot be offered."""
    with session() as db:
        report = offer_gap_in(db, gap_id, base_url, actor, now=now)
    return send_now(report)


def offer_slot(week_start: date, slot_id: str, base_url: str, actor: str,
               now: datetime | None = None) -> OfferReport:
    """Offer the places a short slot lacks (up to its minimum) to the volunteers who can take them."""
    with session() as db:
        report = _offer_in(db, week_start, slot_id, gap=None, base_url=base_url, actor=actor, auto=False,
                           now=now or utcnow())
    return send_now(report)


def withdraw(offer_id: int, actor: str, now: datetime | None = None) -> None:
    """Close an open offer (the coordinator filled the place another way); its links then say it ended."""
    with session() as db:
        stored.close(db, offer_id, "withdrawn", now or utcnow(), actor)


# ---------------------------------------------------------------- the one claim


def _claim_in(db: Session, week_start: date, slot_id: str, volunteer_id: int, actor: str, now: datetime, *,
              offer_id: int | None = None, recipient_id: int | None = None) -> Claimed | PlannerError:
    """Take one place, or say why not: a refusal that wrote nothing is raised, one that closed a full
    slot's offers is returned (the caller raises it once that is committed)."""
    plans.lock_week(db, week_start)  # claims (and publishes) of a week run one after another from here
    settings = load_settings(db)
    now_local = to_local(now, settings.timezone)
    assert now_local is not None
    offer = stored.get(db, offer_id, lock=True) if offer_id is not None else None
    if offer is not None:
        mine = offer.recipient(recipient_id) if recipient_id is not None else None
        if mine is not None and mine.state == "accepted":
            raise ClaimError(MINE)
        if offer.state == "filled" or (mine is not None and mine.state == "filled"):
            raise PlaceFilled(FILLED)
        if (offer.state != "open" or now >= offer.expires_at or mine is None
                or mine.state not in ("sent", "opened")):
            raise OfferLinkError(ENDED)
    slot = _slot(settings, week_start, slot_id)
    if slot is None:
        raise ClaimError(f"{slot_id}: this place is no longer in the center's week. Nothing was changed.")
    if (slot.start if offer is None else slot.end) <= now_local:
        raise ClaimError(f"{slot_line(slot)} has started, so it cannot be taken here; please call the "
                         "coordinator. Nothing was changed.")
    record = roster.get_volunteer(db, volunteer_id)
    latest = plans.latest_published(db, week_start)
    if record is None or record.erased or not record.active or latest is None:
        raise ClaimError("Your volunteer record is not active, so no place can be taken; please ask the "
                         "coordinator. Nothing was changed.")
    problem = build_problem(db, week_start)
    current, hidden = _known(problem, latest.assignments)
    key = record.key
    if Assignment(slot_id, key) in current:
        raise ClaimError(f"You are on {slot_line(slot)} already. Nothing was changed.")
    if len(_people(current, slot_id)) >= slot.target:
        open_here = stored.open_offers(db, week_start, slot_id)
        if not open_here:
            raise PlaceFilled(FILLED)
        for full in open_here:
            stored.close(db, full.id, "filled", now, actor)
        return PlaceFilled(FILLED)
    declared = _declaring(db, problem, week_start, [volunteer_id], [slot])
    after, breaches = repair.add_person(declared, current, slot_id, key)
    if breaches:
        raise ClaimError([f"Not taken: {readable(declared, repair.describe(b))}" for b in breaches])
    if why_not_eligible(problem.volunteer(key), slot) is not None:  # outside their usual availability
        roster.add_exception(db, volunteer_id, DatedException(slot.day, "extra", slot.start.time(),
                                                              slot.end.time()), actor=actor)
    how = f"offer {offer.id}" if offer is not None else "sign-up"
    done = publish_in(db, week_start, [*after, *hidden], based_on=latest.version, actor=actor,
                      why=f"{key} took {slot_id} ({how})")
    credited = offer or next(iter(stored.open_offers(db, week_start, slot_id)), None)
    if credited is not None:
        credited = stored.take(db, credited.id, recipient_id if offer is not None else None, key, now, actor)
        if credited.state == "filled" and credited.gap_id is not None:
            _gap_filled(db, settings, credited.gap_id, slot, key, actor)
    if len(_people(after, slot_id)) >= slot.target:
        for full in stored.open_offers(db, week_start, slot_id):
            stored.close(db, full.id, "filled", now, actor)
    if credited is None:  # a place nobody offered: on record all the same
        audit.record(db, actor, "place claimed", f"week {week_start}", f"{key} took {slot_id} by sign-up")
    return Claimed(done, slot_line(slot))


def _gap_filled(db: Session, settings: CenterSettings, gap_id: int, slot: Slot, replacement: str,
                actor: str) -> None:
    """The cancellation's place is refilled: the gap is closed, and whoever gave it away is told."""
    gap = cancellations.get_gap(db, gap_id)
    if gap is None or not gap.is_open:
        return
    cancellations.resolve_gap(db, gap_id, "replaced", replacement=replacement, actor=actor)
    vid = volunteer_id_from_key(gap.volunteer)
    channel = "sms" if vid in notify.texters(db) else "email" if roster.emails(db, [vid]) else None
    if channel is not None:
        name = roster.names(db).get(gap.volunteer, "")
        told = notices.taken_message(settings, slot, gap.volunteer, name, f"taken:{gap_id}", channel,
                                     gap.week_start)
        notify.queue_messages(db, [told])


def _raise_or(outcome: Claimed | PlannerError) -> Claimed:
    if isinstance(outcome, PlannerError):
        raise outcome
    return outcome


def claim(volunteer_id: int, week_start: date, slot_id: str, actor: str,
          now: datetime | None = None) -> Claimed:
    """Self sign-up: take an open place (`open_places`). ClaimError names the rule a place breaks, or says
    it filled meanwhile (PlaceFilled); nothing is changed then."""
    with session() as db:
        outcome = _claim_in(db, week_start, slot_id, volunteer_id, actor, now or utcnow())
    return _raise_or(outcome)


# ---------------------------------------------------------------- an offer's link


def _found(db: Session, token: str) -> tuple[Offer, stored.Recipient]:
    usable = isinstance(token, str) and 0 < len(token) <= 100
    found = stored.by_token(db, token_hash(token)) if usable else None
    if found is None:
        raise OfferLinkError(LINK_REFUSED)
    return found


def _link_state(offer: Offer, mine: stored.Recipient, now: datetime) -> str:
    if mine.state == "accepted":
        return "mine"
    if offer.state == "filled" or mine.state == "filled":
        return "filled"
    if offer.state != "open" or now >= offer.expires_at or mine.state not in ("sent", "opened"):
        return "ended"
    return "open"


def look(token: str, now: datetime | None = None) -> LinkView:
    """What the link shows; opening an open offer's link marks it `opened` (nothing else changes).
    OfferLinkError for a wrong or tampered link."""
    now = now or utcnow()
    with session() as db:
        offer, mine = _found(db, token)
        settings = load_settings(db)
        slot = _slot(settings, offer.week_start, offer.slot)
        until = to_local(offer.expires_at, settings.timezone)
        if slot is None or until is None:
            raise OfferLinkError(ENDED)
        view = LinkView(_link_state(offer, mine, now), slot_line(slot), settings.place, until)
        if view.state == "open":
            stored.mark_opened(db, mine.id, now)
        return view


def accept(token: str, now: datetime | None = None) -> Claimed:
    """The one tap on an offer's link: the claim. OfferLinkError for a wrong or ended link, PlaceFilled when
    someone was first, ClaimError naming the rule it would break; nothing is changed then."""
    now = now or utcnow()
    with session() as db:
        offer, mine = _found(db, token)
        outcome = _claim_in(db, offer.week_start, offer.slot, mine.volunteer_id, LINK_ACTOR, now,
                            offer_id=offer.id, recipient_id=mine.id)
    return _raise_or(outcome)


# ---------------------------------------------------------------- self sign-up and standby


def _horizon(now_local: datetime) -> list[date]:
    first = monday_of(now_local.date())
    return [first + timedelta(weeks=i) for i in range(WEEKS_AHEAD + 1)]


def open_places(volunteer_id: int, now: datetime | None = None) -> list[OpenPlace]:
    """The places this volunteer may take now: every hard rule holds with them added (their check valid
    that day, under their caps, no overlap, a trainee only beside a trained volunteer). Time order."""
    now = now or utcnow()
    with session(readonly=True) as db:
        record = roster.get_volunteer(db, volunteer_id)
        if record is None or record.erased or not record.active:
            return []
        settings = load_settings(db)
        now_local = to_local(now, settings.timezone)
        assert now_local is not None
        active = roster.list_volunteers(db, active_only=True)
        out = []
        for week in _horizon(now_local):
            latest = plans.latest_published(db, week)
            if latest is None:
                continue
            problem = build_problem(db, week, active)
            current, _ = _known(problem, latest.assignments)
            slots = [s for s in problem.slots
                     if s.start > now_local and len(_people(current, s.id)) < s.target
                     and Assignment(s.id, record.key) not in current]
            declared = _declaring(db, problem, week, [volunteer_id], slots)
            for slot in slots:
                if not repair.add_person(declared, current, slot.id, record.key)[1]:
                    out.append(OpenPlace(week, slot, len(_people(current, slot.id))))
    return sorted(out, key=lambda p: p.slot.start)


@dataclass(frozen=True)
class Standby:
    days: list[date]  # the open days a volunteer may stand by for
    chosen: set[date]


def standby(volunteer_id: int, now: datetime | None = None) -> Standby:
    with session(readonly=True) as db:
        settings = load_settings(db)
        now_local = to_local(now or utcnow(), settings.timezone)
        assert now_local is not None
        days = [d for w in _horizon(now_local) for d in (w + timedelta(days=i) for i in range(7))
                if d.weekday() in settings.open_weekdays and d >= now_local.date()]
        chosen = stored.standby_days(db, volunteer_id, days[0], days[-1]) if days else set()
        return Standby(days, chosen)


def set_standby(volunteer_id: int, days: Iterable[date], actor: str,
                now: datetime | None = None) -> tuple[list[date], list[date]]:
    """Stand by on `days` (and on none of the other days offered); (joined, left)."""
    options = standby(volunteer_id, now).days
    if not options:
        return [], []
    wanted = set(days)
    if not wanted <= set(options):
        raise PlanError("standby: only the center's open days of the coming weeks can be chosen")
    with session() as db:
        return stored.set_standby(db, volunteer_id, wanted, options[0], options[-1], actor)


def given_away(volunteer_id: int, now: datetime | None = None) -> list[GivenAway]:
    """The volunteer's cancellations of coming shifts, and whether someone picked each up."""
    now = now or utcnow()
    key = volunteer_key(volunteer_id)
    with session(readonly=True) as db:
        settings = load_settings(db)
        now_local = to_local(now, settings.timezone)
        assert now_local is not None
        mine = [g for w in _horizon(now_local) for g in cancellations.list_cancellations(db, w)
                if g.volunteer == key]
        found = stored.for_gaps(db, [g.id for g in mine])
    out = []
    for gap in mine:
        slot = _slot(settings, gap.week_start, gap.slot)
        if slot is None or slot.end <= now_local:
            continue
        offer = found.get(gap.id)
        state = ("picked up" if gap.resolution == "replaced" else
                 "offered" if gap.is_open and offer is not None and offer.is_open else "with the coordinator")
        out.append(GivenAway(slot_line(slot), state))
    return out


# ---------------------------------------------------------------- short slots, alerts, the sweep


def _short_in(db: Session, settings: CenterSettings, week_start: date,
              now_local: datetime) -> list[ShortSlot]:
    latest = plans.latest_published(db, week_start)
    if latest is None:
        return []
    slots = [s for s in settings.week_slots(week_start) if s.end > now_local]
    if not slots:
        return []
    absent = _absent(db, slots)
    trained = {volunteer_key(v) for v in stored.trained_among(
        db, {volunteer_id_from_key(a.volunteer) for a in latest.assignments})}
    offered = {o.slot: o for o in stored.open_offers(db, week_start)}
    out = []
    for slot in slots:
        people = _people(latest.assignments, slot.id, absent.get(slot.id, ()))
        missing = max(slot_shortfall(slot, len(people), sum(p in trained for p in people)))
        if missing > 0:
            out.append(ShortSlot(week_start, slot, missing, len(people), offered.get(slot.id)))
    return out


def short_slots(week_start: date, now: datetime | None = None) -> list[ShortSlot]:
    """The week's published slots below their minimum that have not ended (the gaps page offers them)."""
    with session(readonly=True) as db:
        settings = load_settings(db)
        now_local = to_local(now or utcnow(), settings.timezone)
        assert now_local is not None
        return _short_in(db, settings, week_start, now_local)


def _alerts_in(db: Session, settings: CenterSettings, now_local: datetime) -> list[ShortSlot]:
    if settings.short_alert_hours <= 0:
        return []
    horizon = now_local + timedelta(hours=settings.short_alert_hours)
    weeks = sorted({monday_of(now_local.date()), monday_of(horizon.date())})
    return [s for w in weeks for s in _short_in(db, settings, w, now_local)
            if now_local < s.slot.start <= horizon]


def alerts(now: datetime | None = None) -> tuple[int, list[ShortSlot]]:
    """The center's `short_alert_hours`, and the slots still short that start within them (the banner)."""
    with session(readonly=True) as db:
        settings = load_settings(db)
        now_local = to_local(now or utcnow(), settings.timezone)
        assert now_local is not None
        return settings.short_alert_hours, _alerts_in(db, settings, now_local)


def week_offers(week_start: date) -> tuple[list[Offer], dict[str, str]]:
    """Every offer of the week, newest first, with the names of its recipients (coordinators only)."""
    with session(readonly=True) as db:
        return stored.week_offers(db, week_start), roster.names(db)


def _auto_offers(now: datetime, settings: CenterSettings, now_local: datetime) -> int:
    """Offer, once each, the open gaps and short slots nobody offered yet (needs PLANNER_PUBLIC_URL)."""
    base = links.public_url()
    if base is None:
        if not _warned:
            log.warning("automatic offers are on but %s is not set, so no link can be made: the sweep makes "
                        "none (a cancellation marked on a page still is offered)", links.PUBLIC_URL_ENV)
            _warned.append(True)
        return 0
    with session(readonly=True) as db:
        todo: list[tuple[date, str, int | None]] = []
        for week in _horizon(now_local):
            offered = stored.offered_slots(db, week)
            gaps = cancellations.open_gaps(db, week)
            found = stored.for_gaps(db, [g.id for g in gaps])
            todo += [(week, g.slot, g.id) for g in gaps if g.id not in found]
            todo += [(week, s.slot.id, None) for s in _short_in(db, settings, week, now_local)
                     if s.slot.id not in offered | {g.slot for g in gaps} and s.slot.start > now_local]
    made = 0
    for week, slot_id, gap_id in todo:
        try:
            with session() as db:
                gap = cancellations.get_gap(db, gap_id) if gap_id is not None else None
                report = _offer_in(db, week, slot_id, gap=gap, base_url=base, actor="auto offer", auto=True,
                                   now=now)
            made += report.offer is not None
        except PlannerError as err:  # full, over, offered meanwhile: nothing to do
            log.info("no automatic offer for %s: %s", slot_id, err)
    return made


def sweep(now_local: datetime | None = None) -> Swept:
    """Expire offers past their time, send waiting recipients theirs, queue due alerts, make automatic
    offers. Run by the background sender (and `send-reminders`); `now_local` is the center's time."""
    with session() as db:
        settings = load_settings(db)
        now = to_utc(now_local, settings.timezone) if now_local is not None else utcnow()
        local = to_local(now, settings.timezone)
        assert local is not None
        expired = 0
        for offer_id in stored.due_to_expire(db, now):
            stored.close(db, offer_id, "expired", now, "offers")
            expired += 1
        sent = 0
        for offer in stored.open_offers(db):
            later = [r for r in offer.recipients if r.state == "waiting"]
            if later and now >= offer.created_at + head_start(offer.created_at, offer.expires_at):
                sent += _queue_offer_messages(db, settings, offer, later)
                for recipient in later:
                    stored.mark_sent(db, recipient.id, now)
        queued = 0
        if settings.alert_email:
            for short in _alerts_in(db, settings, local):
                what = ("It is offered to the volunteers who can take it." if short.offer is not None
                        else "It is not offered to anyone yet.")
                alert = notices.alert_message(settings, short.slot, short.missing, what, short.week_start)
                queued += notify.queue_messages(db, [alert])
    made = _auto_offers(now, settings, local) if settings.auto_offer else 0
    return Swept(expired, sent, made, queued)
