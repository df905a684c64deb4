"""Texts by choice: a volunteer turns texts on or off (off by default); a coordinator records a STOP.

A volunteer who chose texts gets reminders, offers and "your shift was picked
up" as texts to the phone on their record, while texts are set up
(`planner.services.sms`); everything else still comes by email. A number that
answered STOP is never texted again, and texts cannot be turned back on.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.clock import utcnow
from planner.core.domain import volunteer_id_from_key
from planner.core.errors import RosterError
from planner.services import sms
from planner.store import roster, texting
from planner.store.db import session


@dataclass(frozen=True)
class TextChoice:
    """What the volunteer's page shows about texts."""

    available: bool  # texts are set up on this server
    number: str | None  # the phone on record as texts go to it; None when it cannot take texts
    opted_in: bool
    stopped: bool  # the number answered STOP (or the coordinator recorded it): never texted again

    @property
    def texts(self) -> bool:
        return self.available and self.number is not None and self.opted_in and not self.stopped


@dataclass(frozen=True)
class Texter:
    """A volunteer who chose texts, as coordinators see them (to record a STOP)."""

    volunteer_id: int
    name: str
    stopped: bool


def choice(volunteer_id: int) -> TextChoice:
    with session(readonly=True) as db:
        record = roster.get_volunteer(db, volunteer_id)
        chosen = texting.choice(db, volunteer_id)
    return TextChoice(sms.configured(), sms.number(record.phone if record is not None else None),
                      bool(chosen and chosen.opted_in), bool(chosen and chosen.stopped_at))


def choose(volunteer_id: int, on: bool, actor: str) -> TextChoice:
    """Turn texts on or off; RosterError when they cannot be turned on (not set up, no usable phone, STOP)."""
    now = choice(volunteer_id)
    if on and not now.available:
        raise RosterError("texts: this planner does not send texts (ask the coordinator)")
    if on and now.number is None:
        raise RosterError("texts: the phone on your record cannot take texts; ask the coordinator to put it "
                          "in with the country code, like +1 816 555 0101")
    if on and now.stopped:
        raise RosterError("texts: your number answered STOP, so no texts are sent to it any more")
    with session() as db:
        texting.choose(db, volunteer_id, on, utcnow(), actor)
    return choice(volunteer_id)


def texters() -> list[Texter]:
    """Everyone who chose texts (or was stopped), by name."""
    with session(readonly=True) as db:
        names = {volunteer_id_from_key(key): name for key, name in roster.names(db).items()}
        found = [Texter(c.volunteer_id, names[c.volunteer_id], c.stopped_at is not None)
                 for c in texting.choices(db) if c.volunteer_id in names and (c.opted_in or c.stopped_at)]
    return sorted(found, key=lambda t: t.name.casefold())


def record_stop(volunteer_id: int, actor: str) -> bool:
    """The volunteer asked for no more texts (told the coordinator, or answered STOP); False if already."""
    with session() as db:
        return texting.stop(db, volunteer_id, utcnow(), actor, "recorded by a coordinator")
