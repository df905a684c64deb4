"""Applicants: people who offered their time on the public page, on their way to the roster. Pure.

The stages, in order: new, contacted, background check requested, cleared,
shadowing, trained. At `cleared` the person joins the roster (untrained,
with the availability they gave, `as_volunteer`); from then on the roster
holds the one copy of their name and contacts, and the applicant record keeps
only the pipeline's dates. A sign-up asks for the minimum and is read here
with the roster's own field reader (`core.cells.read_record`), so a name or
an email means the same on the public page as in the roster.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from planner.core.cells import read_record
from planner.core.domain import CenterSettings, VolunteerRecord, WeeklyWindow
from planner.core.errors import ApplicantError
from planner.core.history import Attendance
from planner.core.labels import WEEKDAY_NAMES
from planner.core.problem import Assignment, Slot

STAGES = ("new", "contacted", "check_requested", "cleared", "shadowing", "trained")
STAGE_LABELS = {"new": "New", "contacted": "Contacted", "check_requested": "Background check requested",
                "cleared": "Cleared", "shadowing": "Shadowing", "trained": "Trained"}
# Before the roster: the applicant record holds their details. Declining and going stale apply here only.
BEFORE_ROSTER = ("new", "contacted", "check_requested")
# On the roster, untrained: the pipeline waits on their training shifts.
IN_TRAINING = ("cleared", "shadowing")
OFFERS = {"shifts": (True, False), "dinner": (False, True), "both": (True, True)}
_PHONE = re.compile(r"[0-9+()./\s-]+")


@dataclass(frozen=True)
class Applicant:
    """One person in the pipeline; `entered` holds when each stage reached so far began (naive UTC)."""

    id: int
    stage: str
    entered: Mapping[str, datetime]
    name: str = ""  # empty once on the roster: the roster's name is shown then
    email: str | None = None
    phone: str | None = None
    wants_shifts: bool = True
    wants_meals: bool = False
    availability: tuple[WeeklyWindow, ...] = ()
    volunteer_id: int | None = None
    declined_at: datetime | None = None

    @property
    def next_stage(self) -> str | None:
        """The stage one click moves them to; None when trained or declined."""
        if self.declined_at is not None or self.stage == STAGES[-1]:
            return None
        return STAGES[STAGES.index(self.stage) + 1]

    @property
    def does(self) -> frozenset[str]:
        return frozenset({"shift"} if self.wants_shifts else set()) | frozenset(
            {"meal"} if self.wants_meals else set())

    @property
    def since(self) -> datetime:
        """When their current state began (the decline, for a declined applicant)."""
        return self.declined_at or self.entered[self.stage]

    def stage_times(self, now: datetime) -> list[tuple[str, timedelta]]:
        """(stage, time spent in it) for each stage reached, the current one counted until `now`."""
        reached = [(s, self.entered[s]) for s in STAGES if s in self.entered]
        ends = [at for _, at in reached[1:]] + [self.declined_at or now]
        return [(stage, max(end - start, timedelta(0)))
                for (stage, start), end in zip(reached, ends, strict=True)]


@dataclass(frozen=True)
class Entry:
    """One applicant as the coordinator's page shows them: the roster's details once they are on it."""

    applicant: Applicant
    name: str
    email: str | None
    phone: str | None
    does_shifts: bool
    does_meals: bool
    availability: tuple[WeeklyWindow, ...]
    shadow_shifts: int | None = None  # for cleared and shadowing applicants
    ready: bool = False  # reached the center's shadow shifts: ask to mark them trained


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


# ---------------------------------------------------------------- the public form


@dataclass(frozen=True, order=True)
class SlotChoice:
    """A time a newcomer can tick: a weekday's shift or dinner, the center open that day or not (yet)."""

    weekday: int
    start: time
    end: time
    kind: str = field(compare=False)  # shift | meal
    period: str = field(compare=False)  # `Morning`, `Afternoon`, `Dinner` (settings.periods)

    @property
    def window(self) -> WeeklyWindow:
        return WeeklyWindow(self.weekday, self.start, self.end)

    @property
    def label(self) -> str:
        """`Morning 09:00-13:00`, `Dinner 17:00-18:00` (the day is the group's label)."""
        times = f"{self.start:%H:%M}-{self.end:%H:%M}"
        return times if self.period == times else f"{self.period} {times}"


def slot_choices(settings: CenterSettings) -> dict[int, list[SlotChoice]]:
    """Every weekday with the day's shifts and dinner: the center's open days first, then those it might."""
    periods = settings.periods()
    days = sorted(range(7), key=lambda d: (d not in settings.open_weekdays, d))
    return {day: [SlotChoice(day, start, end, "meal" if period == "Dinner" else "shift", period)
                  for period, (start, end) in periods.items()] for day in days}


def day_caption(weekday: int, settings: CenterSettings) -> str:
    """`Friday (open now)` or `Thursday (if we open it)`."""
    state = "open now" if weekday in settings.open_weekdays else "if we open it"
    return f"{WEEKDAY_NAMES[weekday]} ({state})"


@dataclass(frozen=True)
class Application:
    """A sign-up as read from the public form: the minimum, nothing about anyone's history or health."""

    name: str
    email: str | None
    phone: str | None
    wants_shifts: bool
    wants_meals: bool
    availability: tuple[WeeklyWindow, ...]


def read_application(name: object, email: object, phone: object, offer: object,
                     chosen: Iterable[SlotChoice], consent: bool) -> Application:
    """The form's fields read by the roster's rules; ApplicantError with one placed message per problem."""
    record, found = read_record({"name": name, "email": email, "phone": phone})
    problems = [f"{place}: {text}" for place, text in found]
    if record.phone and not _problems_in("phone", problems):
        digits = sum(c.isdigit() for c in record.phone)
        if not _PHONE.fullmatch(record.phone) or not 7 <= digits <= 15:
            problems.append(f'phone: "{record.phone}" is not a phone number (7 to 15 digits; spaces, + - ( ) '
                            "allowed)")
    if not record.email and not record.phone and not _problems_in("email", problems) \
            and not _problems_in("phone", problems):
        problems.append("email or phone: give at least one, so the coordinator can reach you")
    wants = OFFERS.get(str(offer))
    if wants is None:
        problems.append("offer: choose shifts, dinner or both")
        wants = (False, False)
    picked = sorted(set(chosen))
    kinds = {kind for kind, wanted in zip(("shift", "meal"), wants, strict=True) if wanted}
    if kinds and not any(c.kind in kinds for c in picked):
        what = " or ".join(word for kind, word in (("shift", "a shift"), ("meal", "dinner")) if kind in kinds)
        problems.append(f"availability: choose at least one time for {what} that you could come")
    if not consent:
        problems.append("background check: please agree to it; the center needs one before you volunteer")
    if problems:
        raise ApplicantError(problems)
    windows = tuple(sorted({c.window for c in picked if c.kind in kinds}))
    return Application(record.name, record.email, record.phone, wants[0], wants[1], windows)


def _problems_in(place: str, problems: Iterable[str]) -> bool:
    return any(p.startswith(place + ":") for p in problems)


def as_volunteer(applicant: Applicant) -> VolunteerRecord:
    """The roster volunteer a cleared applicant becomes: untrained, check cleared, their form's availability.

    The what-if "with the applicants counted in" adds applicants as exactly this.
    """
    return VolunteerRecord(name=applicant.name, email=applicant.email, phone=applicant.phone,
                           does_shifts=applicant.wants_shifts, does_meals=applicant.wants_meals,
                           trained=False, check_status="cleared", max_shifts=1,
                           max_meals=1 if applicant.wants_meals else 0,
                           availability=tuple(sorted(set(applicant.availability))))


# ---------------------------------------------------------------- counts


def free_for(availability: Iterable[WeeklyWindow], does: Iterable[str], slots: Iterable[Slot]) -> bool:
    """Some weekly window holds one of `slots` (of a kind they do) whole."""
    kinds = set(does)
    windows = list(availability)
    return any(slot.kind in kinds and any(
        w.weekday == slot.day.weekday() and w.start <= slot.start.time() and slot.end.time() <= w.end
        for w in windows) for slot in slots)


def stage_counts(stages: Iterable[str]) -> dict[str, int]:
    """Applicants per stage, in pipeline order, stages nobody is in left out."""
    found: dict[str, int] = defaultdict(int)
    for stage in stages:
        found[stage] += 1
    return {s: found[s] for s in STAGES if found[s]}


def shadow_shifts(trainee: str, planned: Iterable[Assignment], shift_ids: Iterable[str],
                  attendance: Iterable[Attendance], trained: Iterable[str]) -> int:
    """The shifts a trainee (volunteer key) worked beside a trained volunteer, from plans and check-ins.

    A shift counts when the trainee is on it in the published plan and checked
    in, and a trained volunteer was beside them: the kiosk's "trained by", or a
    trained volunteer on the same published shift who checked in too.
    """
    shifts, experienced = set(shift_ids), set(trained)
    seen = {(a.slot, a.volunteer): a for a in attendance}
    on_slot: dict[str, set[str]] = defaultdict(set)
    for a in planned:
        on_slot[a.slot].add(a.volunteer)

    def came(slot: str, who: str) -> bool:
        row = seen.get((slot, who))
        return row is not None and row.checked_in_at is not None

    count = 0
    for slot, people in on_slot.items():
        if slot not in shifts or trainee not in people or not came(slot, trainee):
            continue
        named = seen[slot, trainee].trained_by
        if named is not None or any(v in experienced and came(slot, v) for v in people - {trainee}):
            count += 1
    return count
