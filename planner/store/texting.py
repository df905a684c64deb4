"""Who chose texts for reminders and offers (off by default), and whose number answered STOP.

A number that answered STOP is never texted again: `numbers` leaves it out
for good, and the choice cannot be turned back on from the volunteer's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.store import audit
from planner.store.models import SmsChoiceRow, VolunteerRow


@dataclass(frozen=True)
class SmsChoice:
    volunteer_id: int
    opted_in: bool
    changed_at: datetime
    stopped_at: datetime | None

    @property
    def texts(self) -> bool:
        return self.opted_in and self.stopped_at is None


def _choice(row: SmsChoiceRow) -> SmsChoice:
    return SmsChoice(row.volunteer_id, row.opted_in, row.changed_at, row.stopped_at)


def choice(db: Session, volunteer_id: int) -> SmsChoice | None:
    row = db.get(SmsChoiceRow, volunteer_id)
    return _choice(row) if row is not None else None


def choose(db: Session, volunteer_id: int, opted_in: bool, now: datetime, actor: str | None) -> SmsChoice:
    """Turn texts on or off; a number that answered STOP stays stopped (only the choice is kept)."""
    row = db.get(SmsChoiceRow, volunteer_id, with_for_update=True)
    if row is None:
        row = SmsChoiceRow(volunteer_id=volunteer_id, opted_in=opted_in, changed_at=now)
        db.add(row)
    elif row.opted_in != opted_in:
        row.opted_in, row.changed_at = opted_in, now
    else:
        return _choice(row)
    db.flush()
    audit.record(db, actor, "texts turned on" if opted_in else "texts turned off",
                 f"volunteer {volunteer_id}")
    return _choice(row)


def stop(db: Session, volunteer_id: int, now: datetime, actor: str | None, why: str) -> bool:
    """Never text this volunteer again; False when they were stopped already."""
    row = db.get(SmsChoiceRow, volunteer_id, with_for_update=True)
    if row is None:
        row = SmsChoiceRow(volunteer_id=volunteer_id, opted_in=False, changed_at=now)
        db.add(row)
    if row.stopped_at is not None:
        return False
    row.stopped_at = now
    db.flush()
    audit.record(db, actor, "texts stopped", f"volunteer {volunteer_id}", why)
    return True


def numbers(db: Session, volunteer_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The phone on record of each volunteer who chose texts and never answered STOP (not erased)."""
    query = (select(VolunteerRow.id, VolunteerRow.phone).join(SmsChoiceRow, SmsChoiceRow.volunteer_id ==
                                                              VolunteerRow.id)
             .where(SmsChoiceRow.opted_in.is_(True), SmsChoiceRow.stopped_at.is_(None),
                    VolunteerRow.erased_at.is_(None), VolunteerRow.phone.is_not(None)))
    if volunteer_ids is not None:
        query = query.where(VolunteerRow.id.in_(set(volunteer_ids)))
    return {vid: phone.strip() for vid, phone in db.execute(query) if phone and phone.strip()}


def choices(db: Session) -> list[SmsChoice]:
    """Everyone who ever chose texts or was stopped, by volunteer id (coordinators record STOP here)."""
    rows = db.scalars(select(SmsChoiceRow).join(VolunteerRow, VolunteerRow.id == SmsChoiceRow.volunteer_id)
                      .where(VolunteerRow.erased_at.is_(None)).order_by(SmsChoiceRow.volunteer_id))
    return [_choice(r) for r in rows]


def forget_volunteer(db: Session, volunteer_id: int) -> None:
    db.execute(delete(SmsChoiceRow).where(SmsChoiceRow.volunteer_id == volunteer_id))
