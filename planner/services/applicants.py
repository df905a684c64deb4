"""The coordinator's applicants pipeline: stages, joining the roster, training tracked (issue 17).

One click moves an applicant to the next stage. At `cleared` they become a
roster volunteer (untrained, background check cleared, the availability they
gave) and are invited to an account by the invitation service; from then on
their shifts beside trained volunteers are counted from the published plans
and check-ins, and once they reach the center's number the page asks to mark
them trained. Coordinators only: leadership gets counts (`services.leadership`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from planner.core.applicants import (
    IN_TRAINING,
    Applicant,
    Entry,
    as_volunteer,
    shadow_shifts,
    stage_label,
)
from planner.core.clock import to_local, utcnow
from planner.core.domain import CenterSettings, VolunteerRecord, monday_of, volunteer_key
from planner.core.errors import ApplicantError, PlannerError
from planner.core.history import Attendance
from planner.core.problem import Assignment
from planner.services import invitations, retention
from planner.store import applicants, attendance, plans, roster
from planner.store.db import Session, session
from planner.store.settings import load_settings


@dataclass(frozen=True)
class Pipeline:
    entries: list[Entry]
    tallies: dict[tuple[str, str], int]
    settings: CenterSettings
    now: datetime  # naive UTC


def _training_record(db: Session, since: date, settings: CenterSettings
                     ) -> tuple[list[Assignment], set[str], list[Attendance]]:
    """Published assignments (latest version of each week), shift ids and attendance from `since` on."""
    planned: list[Assignment] = []
    shift_ids: set[str] = set()
    for week in plans.weeks_from(db, monday_of(since)):
        latest = plans.latest_published(db, week)
        if latest is None:
            continue
        shifts = {s.id for s in settings.week_slots(week) if s.kind == "shift" and s.day >= since}
        shift_ids |= shifts
        planned += [a for a in latest.assignments if a.slot in shifts]
    last = max((date.fromisoformat(s[:10]) for s in shift_ids), default=since)
    return planned, shift_ids, attendance.list_attendance(db, since, last)


def shadow_counts(db: Session, trainees: Mapping[int, Applicant], settings: CenterSettings) -> dict[int, int]:
    """Shadow shifts per trainee's volunteer id, since each was cleared."""
    if not trainees:
        return {}
    cleared = {vid: to_local(a.entered.get("cleared"), settings.timezone) for vid, a in trainees.items()}
    first = min((at.date() for at in cleared.values() if at is not None), default=date.today())
    planned, shift_ids, seen = _training_record(db, first, settings)
    trained = {r.key for r in roster.list_volunteers(db) if r.trained}
    out = {}
    for vid, at in cleared.items():
        since = at.date().isoformat() if at is not None else ""
        out[vid] = shadow_shifts(volunteer_key(vid), [a for a in planned if a.slot[:10] >= since], shift_ids,
                                 seen, trained)
    return out


def _entry(applicant: Applicant, person: VolunteerRecord | None, shadows: Mapping[int, int],
           needed: int) -> Entry:
    if person is None:
        return Entry(applicant, applicant.name, applicant.email, applicant.phone, applicant.wants_shifts,
                     applicant.wants_meals, applicant.availability)
    count = shadows.get(person.id or 0) if applicant.stage in IN_TRAINING else None
    return Entry(applicant, person.name, person.email, person.phone, person.does_shifts, person.does_meals,
                 person.availability, count, count is not None and count >= needed and not person.trained)


def pipeline(now: datetime | None = None) -> Pipeline:
    """Everyone in the pipeline with the page's details; applicants due for erasure are erased first."""
    now = now or utcnow()
    retention.erase_due(now)
    with session(readonly=True) as db:
        settings = load_settings(db)
        everyone = applicants.list_applicants(db)
        people = {r.id: r for r in roster.list_volunteers(db)}
        trainees = {a.volunteer_id: a for a in everyone
                    if a.stage in IN_TRAINING and a.volunteer_id in people}
        shadows = shadow_counts(db, trainees, settings)
        entries = [_entry(a, people.get(a.volunteer_id) if a.volunteer_id is not None else None, shadows,
                          settings.shadow_shifts_needed) for a in everyone]
        return Pipeline(entries, applicants.tallies(db), settings, now)


@dataclass(frozen=True)
class Moved:
    """What a click did, in words for the page."""

    text: str
    warning: str | None = None  # the invitation could not go out (no email, email not set up)


def advance(applicant_id: int, expected_stage: str, actor: str, base_url: str | None = None, *,
            to: str | None = None, now: datetime | None = None) -> Moved:
    """Move an applicant one stage on (or, with `to="trained"`, a trainee straight to trained).

    `expected_stage` is the stage the page showed: a click after someone else
    moved them is refused (ApplicantError), changing nothing. Cleared: added to
    the roster, then invited (email link) when they gave an email. Trained: the
    roster volunteer is marked trained.
    """
    now = now or utcnow()
    with session() as db:
        found = applicants.locked(db, applicant_id)
        if found.declined_at is not None:
            raise ApplicantError(f"applicant {applicant_id}: declined; nothing was changed")
        target = to or found.next_stage
        if target is None or (to is not None and (to != "trained" or found.stage not in IN_TRAINING)):
            raise ApplicantError(f"applicant {applicant_id}: cannot move from {stage_label(found.stage)} to "
                                 f"{stage_label(to or 'the next stage')}; nothing was changed")
        moved = applicants.move(db, applicant_id, expected_stage, target, now, actor)
        if target == "cleared":
            person = roster.add_volunteer(db, as_volunteer(found), actor)
            assert person.id is not None
            applicants.link_volunteer(db, applicant_id, person.id)
            name, volunteer_id, email = person.name, person.id, person.email
        else:
            name = found.name
            volunteer_id, email = moved.volunteer_id, None
            if volunteer_id is not None:
                record = roster.get_volunteer(db, volunteer_id)
                if record is None or record.erased:
                    raise ApplicantError(f"applicant {applicant_id}: their roster record was erased")
                name = record.name
                if target == "trained":
                    roster.update_volunteer(db, replace(record, trained=True), actor)
    if target == "trained":
        return Moved(f"{name} is trained: the roster says so, and plans no longer need a trained volunteer "
                     "beside them.")
    if target != "cleared":
        return Moved(f"{name}: {stage_label(target)}.")
    text = (f"{name} is cleared: on the roster now, untrained, with the times they gave. Plans put them "
            "beside a trained volunteer.")
    if not email:
        return Moved(text, "No email address: print an invitation code for them on the Roster page.")
    if base_url is None:
        return Moved(text, "Not invited yet: invite them from the Roster page.")
    try:
        report = invitations.invite_by_email([volunteer_id], base_url, actor, now=now)
    except PlannerError as err:
        return Moved(text, "The invitation was not sent: " + "; ".join(err.messages))
    if report.invited:
        return Moved(text + " They are invited to make an account (email link).", report.waiting)
    return Moved(text, "Not invited: " + "; ".join(report.skipped))


def decline(applicant_id: int, expected_stage: str, actor: str, now: datetime | None = None) -> str:
    """Decline an applicant not on the roster yet; they are erased after the center's retention days."""
    with session() as db:
        applicants.decline(db, applicant_id, expected_stage, now or utcnow(), actor)
        days = load_settings(db).applicant_retention_days
    return f"Declined. Their details are erased in {days} days; only a count stays."

