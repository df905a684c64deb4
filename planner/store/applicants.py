"""Applicants from the public sign-up page and the pipeline's anonymous counts (issue 17): all their SQL.

Rows are read `FOR UPDATE` before a change (SQLite's `BEGIN IMMEDIATE`
does the same), so two coordinators clicking at once move an applicant once.
Audit entries name an applicant by id only, never by name or contact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from planner.core.applicants import (
    BEFORE_ROSTER,
    IN_TRAINING,
    STAGES,
    Applicant,
    Application,
    stage_label,
)
from planner.core.domain import WeeklyWindow
from planner.core.errors import ApplicantError
from planner.store import audit
from planner.store.models import (
    ApplicantRow,
    ApplicantTallyRow,
    ApplicantWindowRow,
    NotificationRow,
    VolunteerRow,
)

# The column holding when each stage began.
_ENTERED = {stage: "applied_at" if stage == "new" else f"{stage}_at" for stage in STAGES}
# Any fixed number: PostgreSQL's transaction-level lock that lets one sign-up at a time count the minute's.
_INTAKE_LOCK = 17_0017


def _applicant(row: ApplicantRow) -> Applicant:
    entered = {stage: getattr(row, column) for stage, column in _ENTERED.items()}
    return Applicant(
        id=row.id, stage=row.stage, entered={s: at for s, at in entered.items() if at is not None},
        name=row.name or "", email=row.email, phone=row.phone, wants_shifts=row.wants_shifts,
        wants_meals=row.wants_meals,
        availability=tuple(WeeklyWindow(w.weekday, w.start, w.end) for w in row.windows),
        volunteer_id=row.volunteer_id, declined_at=row.declined_at)


def lock_intake(db: Session) -> None:
    """One sign-up at a time counts and adds (SQLite: the session's write lock does it already)."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INTAKE_LOCK})


def applied_since(db: Session, since: datetime) -> int:
    """Sign-ups stored after `since` (naive UTC), whatever became of them."""
    return db.scalar(select(func.count()).select_from(ApplicantRow).where(ApplicantRow.applied_at > since)) \
        or 0


def waiting(db: Session) -> int:
    """Applicants nobody has contacted yet."""
    return db.scalar(select(func.count()).select_from(ApplicantRow).where(
        ApplicantRow.stage == "new", ApplicantRow.declined_at.is_(None))) or 0


def known_contact(db: Session, email: str | None, phone: str | None) -> tuple[str, int] | None:
    """("applicant" or "volunteer", id) of someone already known by this email (or phone), else None.

    Emails compare without case; phones by their digits. Erased volunteers are not known.
    """
    if email:
        address = email.strip().lower()
        found = db.scalar(select(ApplicantRow.id).where(func.lower(ApplicantRow.email) == address).limit(1))
        if found is not None:
            return "applicant", found
        found = db.scalar(select(VolunteerRow.id).where(func.lower(VolunteerRow.email) == address,
                                                        VolunteerRow.erased_at.is_(None)).limit(1))
        if found is not None:
            return "volunteer", found
    digits = "".join(c for c in phone or "" if c.isdigit())
    if digits:
        for kind, rows in (("applicant", db.execute(select(ApplicantRow.id, ApplicantRow.phone)
                                                    .where(ApplicantRow.phone.is_not(None)))),
                           ("volunteer", db.execute(select(VolunteerRow.id, VolunteerRow.phone)
                                                    .where(VolunteerRow.phone.is_not(None),
                                                           VolunteerRow.erased_at.is_(None))))):
            for row_id, stored in rows:
                if "".join(c for c in stored if c.isdigit()) == digits:
                    return kind, row_id
    return None


def add(db: Session, application: Application, now: datetime) -> Applicant:
    """Store a sign-up as a new applicant (stage `new`, consent given now)."""
    row = ApplicantRow(name=application.name, email=application.email, phone=application.phone,
                       wants_shifts=application.wants_shifts, wants_meals=application.wants_meals,
                       consent_at=now, stage="new", applied_at=now,
                       windows=[ApplicantWindowRow(weekday=w.weekday, start=w.start, end=w.end)
                                for w in application.availability])
    db.add(row)
    db.flush()
    audit.record(db, "public page", "applicant signed up", f"applicant {row.id}")
    return _applicant(row)


def get(db: Session, applicant_id: int) -> Applicant | None:
    row = db.get(ApplicantRow, applicant_id)
    return _applicant(row) if row is not None else None


def list_applicants(db: Session) -> list[Applicant]:
    """Everyone in the pipeline (declined ones until they are erased), oldest sign-up first."""
    rows = db.scalars(select(ApplicantRow).order_by(ApplicantRow.applied_at, ApplicantRow.id))
    return [_applicant(r) for r in rows]


def locked(db: Session, applicant_id: int) -> Applicant:
    """The applicant, their row locked for this unit of work; ApplicantError when they are gone."""
    return _applicant(_locked(db, applicant_id, None))


def _locked(db: Session, applicant_id: int, expected_stage: str | None) -> ApplicantRow:
    row = db.get(ApplicantRow, applicant_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise ApplicantError(f"applicant {applicant_id}: not in the pipeline (erased?); nothing was changed")
    if expected_stage is not None and (row.stage != expected_stage or row.declined_at is not None):
        raise ApplicantError(f"applicant {applicant_id}: moved by someone else meanwhile (now "
                             f"{'declined' if row.declined_at else stage_label(row.stage)}); nothing "
                             "was changed. Look again and click once more if it still needs it.")
    return row


def move(db: Session, applicant_id: int, expected_stage: str, stage: str, now: datetime,
         actor: str | None) -> Applicant:
    """Move an applicant from `expected_stage` (refused when someone moved them meanwhile) to `stage`."""
    row = _locked(db, applicant_id, expected_stage)
    row.stage = stage
    setattr(row, _ENTERED[stage], now)
    db.flush()
    audit.record(db, actor, "applicant stage", f"applicant {applicant_id}",
                 f"{stage_label(expected_stage)} -> {stage_label(stage)}")
    return _applicant(row)


def link_volunteer(db: Session, applicant_id: int, volunteer_id: int) -> None:
    """The applicant is on the roster now: link them, and keep their details only there."""
    row = _locked(db, applicant_id, None)
    row.volunteer_id = volunteer_id
    row.name = row.email = row.phone = None
    row.windows = []
    db.flush()


def decline(db: Session, applicant_id: int, expected_stage: str, now: datetime, actor: str | None) -> None:
    row = _locked(db, applicant_id, expected_stage)
    if row.stage not in BEFORE_ROSTER:
        raise ApplicantError(f"applicant {applicant_id}: on the roster already; make them inactive there")
    row.declined_at = now
    db.flush()
    audit.record(db, actor, "applicant declined", f"applicant {applicant_id}", stage_label(row.stage))


def erase(db: Session, applicant_id: int, outcome: str, actor: str | None) -> None:
    """Delete the applicant and their messages; only the count of `outcome` at their stage is kept."""
    row = db.get(ApplicantRow, applicant_id, with_for_update=True)
    if row is None:
        return
    tally = db.get(ApplicantTallyRow, (outcome, row.stage), with_for_update=True)
    if tally is None:
        db.add(ApplicantTallyRow(outcome=outcome, stage=row.stage, count=1))
    else:
        tally.count += 1
    db.execute(delete(NotificationRow).where(NotificationRow.applicant_id == applicant_id))
    db.delete(row)
    db.flush()
    audit.record(db, actor, "applicant erased", f"applicant {applicant_id}", outcome)


def tallies(db: Session) -> dict[tuple[str, str], int]:
    """(outcome, stage) -> how many applicants were erased so."""
    return {(r.outcome, r.stage): r.count for r in db.scalars(select(ApplicantTallyRow))}


def emails(db: Session, applicant_ids: Iterable[int]) -> dict[int, str]:
    """Email by applicant id, for those who gave one and are not on the roster yet."""
    ids = set(applicant_ids)
    if not ids:
        return {}
    rows = db.execute(select(ApplicantRow.id, ApplicantRow.email).where(ApplicantRow.id.in_(ids),
                                                                        ApplicantRow.email.is_not(None)))
    return {row_id: email for row_id, email in rows if email.strip()}


def in_training(db: Session) -> dict[int, Applicant]:
    """Applicants on the roster whose training the pipeline waits on, by volunteer id."""
    rows = db.scalars(select(ApplicantRow).where(ApplicantRow.stage.in_(IN_TRAINING),
                                                 ApplicantRow.volunteer_id.is_not(None)))
    return {r.volunteer_id: _applicant(r) for r in rows if r.volunteer_id is not None}


def names(db: Session) -> dict[str, str]:
    """`applicant 12` -> display name: their own, or the roster's once they are on it (the Outbox's names)."""
    rows = db.execute(select(ApplicantRow.id, ApplicantRow.name, VolunteerRow.name)
                      .outerjoin(VolunteerRow, VolunteerRow.id == ApplicantRow.volunteer_id))
    return {f"applicant {row_id}": f"{own or on_roster or 'someone'} (applicant)"
            for row_id, own, on_roster in rows}
