"""Offers of open places, their recipients (accept links kept as hashes only), and the standby lists.

The use cases (who is offered, the claim) are `planner.services.offers`; here
are the rows and their state changes, each written to the audit log with the
caller's unit of work. Rows are never deleted, so who was offered what, and
what became of it, stays on record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.core.domain import volunteer_key
from planner.store import audit
from planner.store.models import OfferRecipientRow, OfferRow, StandbyRow, VolunteerRow, WeekRow

OPEN_RECIPIENT = ("waiting", "sent", "opened")  # may still take the place


@dataclass(frozen=True)
class Recipient:
    id: int
    volunteer: str  # volunteer key, `v07`
    rank: int
    standby: bool
    channel: str
    state: str  # waiting | sent | opened | accepted | filled | expired
    message_key: str
    sent_at: datetime | None
    opened_at: datetime | None
    accepted_at: datetime | None
    expired_at: datetime | None

    @property
    def volunteer_id(self) -> int:
        return int(self.volunteer[1:])


@dataclass(frozen=True)
class Offer:
    id: int
    week_start: date
    slot: str
    gap_id: int | None
    places: int
    taken: int
    state: str  # open | filled | expired | withdrawn
    auto: bool
    created_at: datetime
    created_by: str | None
    expires_at: datetime  # naive UTC
    closed_at: datetime | None
    link_base: str
    recipients: tuple[Recipient, ...]

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def recipient(self, recipient_id: int) -> Recipient:
        return next(r for r in self.recipients if r.id == recipient_id)


@dataclass(frozen=True)
class NewRecipient:
    volunteer_id: int
    standby: bool
    channel: str
    token_hash: str
    message_key: str
    waiting: bool


def _recipient(row: OfferRecipientRow) -> Recipient:
    return Recipient(row.id, volunteer_key(row.volunteer_id), row.rank, row.standby, row.channel, row.state,
                     row.message_key, row.sent_at, row.opened_at, row.accepted_at, row.expired_at)


def _offer(db: Session, row: OfferRow) -> Offer:
    week = db.get_one(WeekRow, row.week_id)
    return Offer(row.id, week.start, row.slot, row.gap_id, row.places, row.taken, row.state, row.auto,
                 row.created_at, row.created_by, row.expires_at, row.closed_at, row.link_base,
                 tuple(_recipient(r) for r in row.recipients))


def add(db: Session, week_start: date, slot_id: str, *, places: int, gap_id: int | None, expires_at: datetime,
        link_base: str, recipients: Iterable[NewRecipient], actor: str | None, auto: bool,
        now: datetime) -> Offer:
    """A new open offer and its recipients (in rank order); `waiting` ones are sent later."""
    week = db.scalar(select(WeekRow).where(WeekRow.start == week_start))
    if week is None:
        raise ValueError(f"week {week_start}: nothing is published")
    row = OfferRow(week_id=week.id, slot=slot_id, gap_id=gap_id, places=places, taken=0, state="open",
                   auto=auto, created_at=now, created_by=actor, expires_at=expires_at, link_base=link_base)
    row.recipients = [OfferRecipientRow(volunteer_id=r.volunteer_id, rank=rank, standby=r.standby,
                                        channel=r.channel, token_hash=r.token_hash, message_key=r.message_key,
                                        state="waiting" if r.waiting else "sent",
                                        sent_at=None if r.waiting else now)
                      for rank, r in enumerate(recipients, start=1)]
    db.add(row)
    db.flush()
    first = sum(1 for r in row.recipients if r.state == "sent")
    audit.record(db, actor, "offer sent", f"week {week_start}",
                 f"offer {row.id}: {slot_id}, {places} place(s), to {len(row.recipients)} volunteers"
                 + (f" ({first} on standby first)" if first < len(row.recipients) else "")
                 + (f", gap {gap_id}" if gap_id is not None else ""))
    return _offer(db, row)


def get(db: Session, offer_id: int, *, lock: bool = False) -> Offer | None:
    """The offer as stored now; `lock` holds it FOR UPDATE and reads past this session's cache."""
    row = db.get(OfferRow, offer_id, with_for_update=lock, populate_existing=lock)
    if row is not None and lock:
        for recipient in row.recipients:
            db.refresh(recipient)
    return _offer(db, row) if row is not None else None


def by_token(db: Session, token_hash: str) -> tuple[Offer, Recipient] | None:
    row = db.scalar(select(OfferRecipientRow).where(OfferRecipientRow.token_hash == token_hash))
    if row is None:
        return None
    offer = _offer(db, row.offer)
    return offer, offer.recipient(row.id)


def mark_opened(db: Session, recipient_id: int, now: datetime) -> None:
    row = db.get_one(OfferRecipientRow, recipient_id)
    if row.state == "sent":
        row.state, row.opened_at = "opened", now
        db.flush()


def take(db: Session, offer_id: int, recipient_id: int | None, volunteer: str, now: datetime,
         actor: str | None) -> Offer:
    """One place of the offer is taken (through `recipient_id`'s link, or a sign-up: None); the last one
    fills the offer, and everyone else who had it is told it is filled."""
    row = db.get_one(OfferRow, offer_id)
    row.taken += 1
    for recipient in row.recipients:
        if recipient.id == recipient_id:
            recipient.state, recipient.accepted_at = "accepted", now
    how = "by its link" if recipient_id is not None else "by sign-up"
    audit.record(db, actor, "place claimed", f"week {_week_start(db, row)}",
                 f"offer {row.id}: {volunteer} took {row.slot} {how}")
    if row.taken >= row.places:
        _close(db, row, "filled", now, actor)
    db.flush()
    return _offer(db, row)


def close(db: Session, offer_id: int, state: str, now: datetime, actor: str | None) -> Offer:
    """End an open offer: `filled` (the slot is full), `withdrawn` or `expired`."""
    row = db.get_one(OfferRow, offer_id)
    if row.state == "open":
        _close(db, row, state, now, actor)
        db.flush()
    return _offer(db, row)


def _close(db: Session, row: OfferRow, state: str, now: datetime, actor: str | None) -> None:
    row.state, row.closed_at = state, now
    for recipient in row.recipients:
        if recipient.state in OPEN_RECIPIENT:
            recipient.state = "expired" if state in ("expired", "withdrawn") else "filled"
            if recipient.state == "expired":
                recipient.expired_at = now
    audit.record(db, actor, f"offer {state}", f"week {_week_start(db, row)}", f"offer {row.id}: {row.slot}")


def _week_start(db: Session, row: OfferRow) -> date:
    return db.get_one(WeekRow, row.week_id).start


def withdraw_for_gap(db: Session, gap_id: int, now: datetime, actor: str | None) -> None:
    """A gap resolved another way (a replacement, a re-plan, left open) ends its open offers."""
    for row in db.scalars(select(OfferRow).where(OfferRow.gap_id == gap_id, OfferRow.state == "open")):
        _close(db, row, "withdrawn", now, actor)
    db.flush()


def due_to_expire(db: Session, now: datetime) -> list[int]:
    return list(db.scalars(select(OfferRow.id).where(OfferRow.state == "open", OfferRow.expires_at <= now)
                           .order_by(OfferRow.id)))


def open_offers(db: Session, week_start: date | None = None, slot_id: str | None = None) -> list[Offer]:
    """Open offers, oldest first (of one week, or one slot of it)."""
    query = select(OfferRow).where(OfferRow.state == "open").order_by(OfferRow.created_at, OfferRow.id)
    if week_start is not None:
        query = query.join(WeekRow, WeekRow.id == OfferRow.week_id).where(WeekRow.start == week_start)
    if slot_id is not None:
        query = query.where(OfferRow.slot == slot_id)
    return [_offer(db, r) for r in db.scalars(query)]


def week_offers(db: Session, week_start: date) -> list[Offer]:
    """Every offer of the week, newest first."""
    query = (select(OfferRow).join(WeekRow, WeekRow.id == OfferRow.week_id).where(WeekRow.start == week_start)
             .order_by(OfferRow.created_at.desc(), OfferRow.id.desc()))
    return [_offer(db, r) for r in db.scalars(query)]


def for_gaps(db: Session, gap_ids: Iterable[int]) -> dict[int, Offer]:
    """The newest offer of each of these gaps."""
    ids = set(gap_ids)
    if not ids:
        return {}
    rows = db.scalars(select(OfferRow).where(OfferRow.gap_id.in_(ids)).order_by(OfferRow.id))
    return {row.gap_id: _offer(db, row) for row in rows if row.gap_id is not None}


def offered_slots(db: Session, week_start: date) -> set[str]:
    """Slots of the week that were ever offered (the automatic offer goes out once per slot)."""
    return set(db.scalars(select(OfferRow.slot).join(WeekRow, WeekRow.id == OfferRow.week_id)
                          .where(WeekRow.start == week_start)))


def mark_sent(db: Session, recipient_id: int, now: datetime) -> None:
    """A waiting recipient's message is queued now."""
    row = db.get_one(OfferRecipientRow, recipient_id)
    if row.state == "waiting":
        row.state, row.sent_at = "sent", now
        db.flush()


def trained_among(db: Session, volunteer_ids: Iterable[int]) -> set[int]:
    """Which of these volunteers are trained (a slot's trained count, without loading the roster)."""
    ids = set(volunteer_ids)
    if not ids:
        return set()
    return set(db.scalars(select(VolunteerRow.id).where(VolunteerRow.id.in_(ids),
                                                        VolunteerRow.trained.is_(True))))


# ---------------------------------------------------------------- standby


def standby_days(db: Session, volunteer_id: int, first: date, last: date) -> set[date]:
    return set(db.scalars(select(StandbyRow.day).where(StandbyRow.volunteer_id == volunteer_id,
                                                       StandbyRow.day >= first, StandbyRow.day <= last)))


def set_standby(db: Session, volunteer_id: int, days: Iterable[date], first: date, last: date,
                actor: str | None) -> tuple[list[date], list[date]]:
    """The volunteer's standby days between `first` and `last` become `days`; (joined, left)."""
    wanted = {d for d in days if first <= d <= last}
    have = standby_days(db, volunteer_id, first, last)
    joined, left = sorted(wanted - have), sorted(have - wanted)
    if left:
        db.execute(delete(StandbyRow).where(StandbyRow.volunteer_id == volunteer_id,
                                            StandbyRow.day.in_(left)))
    for day in joined:
        db.add(StandbyRow(volunteer_id=volunteer_id, day=day))
    for action, changed in (("standby joined", joined), ("standby left", left)):
        if changed:
            audit.record(db, actor, action, f"volunteer {volunteer_id}",
                         ", ".join(d.isoformat() for d in changed))
    db.flush()
    return joined, left


def on_standby(db: Session, day: date) -> set[int]:
    """Who is on the day's standby list (people not erased)."""
    return set(db.scalars(select(StandbyRow.volunteer_id).join(VolunteerRow, VolunteerRow.id ==
                                                               StandbyRow.volunteer_id)
                          .where(StandbyRow.day == day, VolunteerRow.erased_at.is_(None))))


def forget_volunteer(db: Session, volunteer_id: int) -> None:
    """An erased volunteer is on no standby list; their offers' links stop working (rows stay, counted)."""
    db.execute(delete(StandbyRow).where(StandbyRow.volunteer_id == volunteer_id))
    for row in db.scalars(select(OfferRecipientRow).where(OfferRecipientRow.volunteer_id == volunteer_id,
                                                          OfferRecipientRow.state.in_(OPEN_RECIPIENT))):
        row.state = "expired"
