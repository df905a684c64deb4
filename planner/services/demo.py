"""A seeded demo center, so `make run` shows something realistic.

Open Fri-Sun 9-5 with dinner, about 40 volunteers with invented names (the
`example.org` emails and `555-01xx` phones are reserved for fiction), mixed
availability, trainees, pending and soon-expiring checks, meal providers,
and a few applicants from the public sign-up page, free on Thursdays.
Dates are relative to `today` so the checks that are "about to expire" stay so.
Only in demo mode (`PLANNER_DEMO=1`) and only into an empty database.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, time, timedelta

from planner.core.applicants import STAGES, Application
from planner.core.clock import to_utc, utcnow
from planner.core.domain import (
    CenterSettings,
    DatedException,
    Preference,
    VolunteerRecord,
    WeeklyWindow,
    default_week,
    monday_of,
)
from planner.engine import solve
from planner.services import auth
from planner.services.gaps import cancel_in
from planner.services.week import build_problem
from planner.store import accounts, applicants, attendance, cancellations, plans
from planner.store.db import Session
from planner.store.roster import add_exception, add_volunteer, is_empty
from planner.store.settings import load_settings, save_settings

SEED = 20261204
DEMO_PASSWORD = "demo"
DEMO_HISTORY_WEEKS = 6
FIRST_NAMES = (
    "Ana", "Bea", "Carmen", "Dana", "Elena", "Fatima", "Grace", "Hana", "Imani", "Joy", "Keisha", "Lena",
    "Maya", "Nadia", "Olivia", "Priya", "Quinn", "Rosa", "Sofia", "Tamara", "Uma", "Vera", "Wren", "Ximena",
    "Yara", "Zoe", "Alma", "Brooke", "Celia", "Delia", "Esme", "Flor", "Gwen", "Hope", "Iris", "June",
    "Kira", "Lucia", "Mira", "Noor", "Opal", "Paz",
)
LAST_INITIALS = "ABCDEFGHJKLMNPRSTVWZ"
# (weekly windows, weight): most people give one or two of the center's days.
PATTERNS = (
    ("Fri 09:00-17:00", 3), ("Sat 09:00-17:00", 3), ("Sun 09:00-17:00", 2), ("Fri 09:00-13:00", 3),
    ("Fri 13:00-17:00", 1), ("Sat 09:00-13:00", 3), ("Sat 13:00-17:00", 2), ("Sun 09:00-13:00", 2),
    ("Sun 13:00-17:00", 3), ("Fri 09:00-17:00; Sat 09:00-13:00", 2), ("Sat 09:00-17:00; Sun 09:00-17:00", 2),
    ("Fri 13:00-17:00; Sun 13:00-17:00", 1), ("Fri 08:30-13:00; Sun 08:30-13:00", 1),
)
MEAL_WINDOWS = ("Fri 16:30-18:30", "Sat 17:00-18:00", "Sun 16:00-18:00", "Fri 17:00-18:00; Sun 17:00-18:00")


def _windows(text: str) -> tuple[WeeklyWindow, ...]:
    return tuple(WeeklyWindow.parse(part.strip()) for part in text.split(";"))


def demo_volunteers(today: date, count: int = 40) -> list[VolunteerRecord]:
    """The same people for the same `today`."""
    rng = random.Random(SEED)
    names = rng.sample(FIRST_NAMES, count)
    next_friday = monday_of(today) + timedelta(days=11)
    out = []
    for n, first in enumerate(names):
        name = f"{first} {rng.choice(LAST_INITIALS)}."
        meal_only = n % 10 == 9
        does_meals = meal_only or n % 5 == 2
        pattern = rng.choices([p for p, _ in PATTERNS], [w for _, w in PATTERNS])[0]
        text = rng.choice(MEAL_WINDOWS) if meal_only else pattern
        if does_meals and not meal_only:
            text += "; " + rng.choice(MEAL_WINDOWS)
        if n < 4:
            status, expires = "pending", None
        elif n < 7:
            status, expires = "cleared", today + timedelta(days=rng.randint(5, 20))
        elif n == 7:
            status, expires = "expired", today - timedelta(days=40)
        else:
            status, expires = "cleared", today + timedelta(days=rng.randint(120, 720))
        exceptions: tuple[DatedException, ...] = ()
        if n % 13 == 4:
            exceptions = (DatedException(next_friday, "off"),)
        elif n % 13 == 8:
            exceptions = (DatedException(next_friday + timedelta(days=1), "extra", time(13), time(17)),)
        preferences = ((Preference(rng.choice((4, 5, 6)), rng.choice(("am", "pm"))),)
                       if n % 4 == 1 and not meal_only else ())
        out.append(VolunteerRecord(
            name=name, email=f"{first.lower()}.{n + 1:02d}@example.org" if n % 6 else None,
            phone=f"816-555-01{n:02d}" if n % 3 else None,
            does_shifts=not meal_only, does_meals=does_meals,
            trained=not meal_only and (n % 5 in (0, 3) or n % 7 == 1),
            check_status="none" if meal_only else status, check_expires=None if meal_only else expires,
            max_shifts=0 if meal_only else rng.choice((1, 1, 1, 2)), max_meals=1 if does_meals else 0,
            availability=tuple(sorted(set(_windows(text)))), exceptions=exceptions, preferences=preferences,
            active=n not in (11, 23)))  # two on a break
    return out


# (name, email, phone, shifts, dinner, weekly times, stage, days since they signed up)
APPLICANTS = (
    ("Rina S.", "rina.s@example.org", None, True, False, "Thu 09:00-13:00; Fri 09:00-13:00", "new", 2),
    ("Tess O.", None, "816-555-0191", True, True, "Thu 13:00-17:00; Thu 17:00-18:00; Sat 13:00-17:00",
     "contacted", 6),
    ("Ada M.", "ada.m@example.org", "816-555-0192", True, False, "Thu 09:00-13:00; Thu 13:00-17:00",
     "check_requested", 12),
    ("Lou B.", "lou.b@example.org", None, False, True, "Thu 17:00-18:00; Sun 17:00-18:00", "new", 1),
)


def _applicants(db: Session, now: datetime) -> None:
    """People who signed up on the public page, at the first stages of the pipeline (none on the roster)."""
    for name, email, phone, shifts, dinner, times, stage, days in APPLICANTS:
        applied = now - timedelta(days=days)
        added = applicants.add(db, Application(name, email, phone, shifts, dinner, _windows(times)), applied)
        for step in range(1, STAGES.index(stage) + 1):
            applicants.move(db, added.id, STAGES[step - 1], STAGES[step], applied + timedelta(days=2 * step),
                            "demo")


def _away_this_saturday(db: Session, stored: list[VolunteerRecord], today: date, keep: int | None) -> None:
    """A real shortage in the coming week: many volunteers are away on its Saturday (a city-wide
    event), so the plan page has short slots, and their reasons, to show."""
    saturday = default_week(today, CenterSettings().open_weekdays) + timedelta(days=5)
    for n, v in enumerate(stored):
        if v.id not in (None, keep) and (n % 3 != 1 or v.trained and n % 2):
            assert v.id is not None
            add_exception(db, v.id, DatedException(saturday, "off"), "demo")


def _history(db: Session, today: date, weeks: int) -> None:
    """`weeks` past weeks planned, published and attended: check-ins, a few late arrivals, no-shows
    (Fridays more often, so the plan page offers staffing above minimum) and cancellations."""
    rng = random.Random(SEED + 1)
    settings = load_settings(db)
    for back in range(weeks, 0, -1):
        week = monday_of(today) - timedelta(weeks=back)
        plan = solve(build_problem(db, week), time_limit=10)
        plans.save_draft(db, week, plan.assignments, status=plan.status, unfilled=plan.objective.unfilled,
                         below_target=plan.objective.below_target, actor="demo")
        plans.publish_draft(db, week, actor="demo")
        slots = {s.id: s for s in settings.week_slots(week)}
        dropped = rng.choice(plan.assignments)
        reason = rng.choice(("", "family matter", "unwell"))
        gap = cancel_in(db, week, dropped.slot, dropped.volunteer, reason, actor="demo")
        cancellations.resolve_gap(db, gap.id, "dismissed", actor="demo")
        for a in plans.latest_published(db, week).assignments:  # type: ignore[union-attr]
            slot = slots[a.slot]
            absent = 0.2 if slot.day.weekday() == 4 else 0.05
            if rng.random() < absent:
                attendance.correct(db, a.slot, a.volunteer, checked_in_at=None, checked_out_at=None,
                                   no_show=True, actor="demo")
                continue
            came = slot.start + timedelta(minutes=rng.choice((-10, -5, 0, 5, 20)))
            went = slot.end + timedelta(minutes=rng.choice((-15, 0, 0, 10)))
            attendance.check_in(db, a.slot, a.volunteer, to_utc(came, settings.timezone), actor="demo")
            attendance.check_out(db, a.slot, a.volunteer, to_utc(went, settings.timezone), actor="demo")


def seed_demo(db: Session, today: date | None = None, history_weeks: int = 0) -> None:
    """Settings, roster, the three demo accounts (password `demo`), a short Saturday this week, and
    `history_weeks` past weeks (`make run` seeds 6; tests seed none unless they ask)."""
    today = today or date.today()
    save_settings(db, CenterSettings(name="Demo drop-in center", place="Drop-in center, main room"), "demo")
    stored = [add_volunteer(db, record, "demo") for record in demo_volunteers(today)]
    if history_weeks:
        _history(db, today, history_weeks)
    linked = next(v for v in stored if v.trained and v.check_status == "cleared" and v.email and v.phone)
    _away_this_saturday(db, stored, today, keep=linked.id)
    _applicants(db, utcnow())
    for username in ("coordinator", "leadership"):
        auth.create_user(username, DEMO_PASSWORD, username, db=db, actor="demo", allow_weak=True)
    auth.create_user("volunteer", DEMO_PASSWORD, "volunteer", linked.id, db=db, actor="demo", allow_weak=True)


def seed_if_demo(db: Session) -> bool:
    """Seed only in demo mode and only a database without volunteers or accounts."""
    if os.environ.get("PLANNER_DEMO") != "1" or not is_empty(db) or accounts.count_users(db):
        return False
    seed_demo(db, history_weeks=DEMO_HISTORY_WEEKS)
    return True
