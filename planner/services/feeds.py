"""Calendar subscriptions: a private feed URL per volunteer (their own slots), per coordinator (everyone's).

A token is 32 random bytes (`secrets.token_urlsafe`); only its SHA-256 is
stored, so the link is shown once, when it is made. Making a new one revokes
the old one. A wrong, revoked or malformed token finds nothing (the route
answers 404) and changes nothing; tokens never go to a log or the audit log.

Events keep their UIDs (`planner.io.ics.shift_uid`), take the week's plan
version as SEQUENCE, and a slot someone had in an earlier published version
of a week but no longer has comes as CANCELLED, so subscribed calendars
update and drop events in place. A volunteer's feed holds only their own
slots and no other people; the center's feed names the people (display
names only, never contact details).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime, timedelta

from planner.core.clock import center_now, to_local
from planner.core.domain import CenterSettings, monday_of, volunteer_key
from planner.core.labels import slot_what
from planner.io.ics import FeedEvent, feed_ics
from planner.store import audit, plans, roster
from planner.store import feeds as stored
from planner.store.db import Session, session
from planner.store.feeds import Owner
from planner.store.plans import PlanVersion
from planner.store.settings import load_settings

WEEKS_BACK = 8  # past weeks a feed still shows, so recent shifts stay in the calendar
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _target(owner: Owner) -> str:
    kind, owner_id = owner
    return f"volunteer {owner_id}" if kind == "volunteer" else f"center feed of account {owner_id}"


def reset(owner: Owner, actor: str) -> str:
    """A new private feed token for `owner` (the old one stops working); shown once, never stored."""
    token = secrets.token_urlsafe(32)
    with session() as db:
        stored.replace(db, owner, _hash(token))
        audit.record(db, actor, "calendar feed reset", _target(owner))
    return token


def revoke(owner: Owner, actor: str) -> None:
    with session() as db:
        if stored.revoke(db, owner):
            audit.record(db, actor, "calendar feed revoked", _target(owner))


def made_at(owner: Owner) -> datetime | None:
    """When the owner's feed link was made (center-local), or None when they have none."""
    with session(readonly=True) as db:
        made = stored.created_at(db, owner)
        return to_local(made, load_settings(db).timezone)


def _weeks(db: Session, today: date) -> dict[date, list[PlanVersion]]:
    """Published versions (oldest first) of the weeks from WEEKS_BACK weeks ago on."""
    weeks = plans.weeks_from(db, monday_of(today) - timedelta(weeks=WEEKS_BACK))
    return {w: versions for w in weeks if (versions := plans.list_versions(db, w))}


def feed_events(settings: CenterSettings, weeks: dict[date, list[PlanVersion]], who: str | None,
                names: dict[str, str]) -> list[FeedEvent]:
    """Events for one volunteer's slots (`who`) or everyone's (None, summaries naming the person).

    Current slots are CONFIRMED; a slot held in an earlier version of the week
    but not the latest is CANCELLED. SEQUENCE is the week's latest version.
    """
    out = []
    for week, versions in sorted(weeks.items()):
        latest = versions[-1]
        assert latest.version is not None
        slots = {s.id: s for s in settings.week_slots(week)}
        now = {a for a in latest.assignments if who in (None, a.volunteer) and a.slot in slots}
        before = {a for v in versions[:-1] for a in v.assignments
                  if who in (None, a.volunteer) and a.slot in slots} - now
        for status, items in (("CONFIRMED", now), ("CANCELLED", before)):
            for a in sorted(items, key=lambda a: (slots[a.slot].start, a.volunteer)):
                slot = slots[a.slot]
                if who is None:
                    owner = f"center/{a.volunteer}"
                    summary = f"{slot_what(slot)}: {names.get(a.volunteer, 'a former volunteer')}"
                else:
                    owner, summary = a.volunteer, f"{slot_what(slot)}: {settings.name}"
                out.append(FeedEvent(slot, owner, summary, status, latest.version))
    return sorted(out, key=lambda e: (e.slot.start, e.owner))


def calendar(token: str) -> bytes | None:
    """The feed a token opens, as iCalendar bytes; None for a wrong, revoked or malformed token."""
    if not _TOKEN.fullmatch(token):
        return None
    with session(readonly=True) as db:
        owner = stored.owner_of(db, _hash(token))
        if owner is None:
            return None
        settings = load_settings(db)
        weeks = _weeks(db, center_now(settings.timezone).date())
        names = roster.names(db) if owner[0] == "user" else {}
    kind, owner_id = owner
    who = volunteer_key(owner_id) if kind == "volunteer" else None
    title = f"My shifts: {settings.name}" if who else f"{settings.name}: all shifts"
    return feed_ics(feed_events(settings, weeks, who, names), title=title, place=settings.place,
                    timezone=settings.timezone)
