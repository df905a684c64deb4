"""The center's domain as plain dataclasses: no Streamlit, no SQL.

The store converts its rows into these, the app edits them, and
`planner.services.week` turns them into a `volunteer-planner/1` problem. Times are
local wall-clock times in the center's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from planner.core.problem import CHECK_STATUSES, Slot

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Three shifts a day at most: a weekly cap above this is a typo.
MAX_CAP = 21
ROLES = ("coordinator", "leadership", "volunteer")
# Reminders go out this many hours before a volunteer's first shift of a day at most: a week.
MAX_REMINDER_HOURS = 168
# The "I can't make it" cut-off and the short-slot alert look at most a week ahead.
MAX_NOTICE_HOURS = 168
# The public sign-up page's text, the center's own call until the coordinator writes another.
DEFAULT_VOLUNTEER_TEXT = ("Sign up for a four-hour shift to volunteer with the women we welcome, or to "
                          "provide dinner. On-the-job training is provided and background checks are "
                          "required.")
MAX_PAGE_TEXT = 1000
MAX_RETENTION_DAYS = 730
MAX_SHADOW_SHIFTS = 20
EXCEPTION_KINDS = ("off", "extra")

ExceptionKind = Literal["off", "extra"]

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
# What the store takes for an email address (a volunteer's, the coordinators' alert address).
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_time(text: str) -> time:
    """`H:MM` or `HH:MM`, 00:00-23:59; raises ValueError otherwise."""
    match = _TIME.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f'"{text}" is not a time')
    return time(int(match[1]), int(match[2]))


def format_time(value: time) -> str:
    return value.strftime("%H:%M")


def parse_weekday(text: str) -> int:
    """`Fri`, `fri`, `Friday` -> 4 (Monday is 0); raises ValueError otherwise."""
    word = text.strip().lower()
    for index, name in enumerate(_DAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return index
    raise ValueError(f'"{text}" is not a weekday')


def volunteer_key(volunteer_id: int) -> str:
    """The volunteer's id in a problem or plan document."""
    return f"v{volunteer_id:02d}"


def volunteer_id_from_key(key: str) -> int:
    """Inverse of `volunteer_key`; raises ValueError for a key it did not make."""
    if not re.fullmatch(r"v\d+", key):
        raise ValueError(f"{key!r} is not a volunteer id")
    return int(key[1:])


def week_days(week_start: date) -> list[date]:
    return [week_start + timedelta(days=i) for i in range(7)]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def default_week(today: date, open_weekdays: Iterable[int]) -> date:
    """This week while it still has an open day to come, else next week."""
    days = list(open_weekdays)
    this = monday_of(today)
    if days and today.weekday() <= max(days):
        return this
    return this + timedelta(weeks=1)


@dataclass(frozen=True)
class CenterSettings:
    """How the center opens; one row in the store, these defaults when none."""

    name: str = "Drop-in center"
    place: str = "Drop-in center"
    timezone: str = "America/Chicago"
    open_weekdays: tuple[int, ...] = (4, 5, 6)
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    shift_hours: int = 4
    shift_min: int = 3
    shift_target: int = 4
    shift_min_trained: int = 1
    meals: bool = True
    meal_start: time = time(17, 0)
    meal_end: time = time(18, 0)
    meal_min: int = 1
    meal_target: int = 1
    # Issue 6: volunteers see only counts unless the coordinator turns this on.
    show_team_first_names: bool = False
    # How long before a volunteer's first slot of a day their reminder goes out.
    reminder_hours: int = 24
    # Issue 12: people may sign in by a link emailed to the address on their roster record.
    email_sign_in: bool = False
    # Issue 13: a place short after publishing is offered to the eligible volunteers without a click.
    auto_offer: bool = False
    # "I can't make it" offers the shift onward until this many hours before it; later, only the coordinator.
    claim_cutoff_hours: int = 24
    # The coordinator is alerted (banner, email) when a slot is still short this many hours before it starts.
    short_alert_hours: int = 48
    # Where that alert is emailed (the coordinators' address); none: the banner only.
    alert_email: str | None = None
    # Texts say nothing about the center unless this is on: phones may be shared.
    sms_show_center_name: bool = False
    # Issue 17: the public "Volunteer with us" page, the applicants pipeline, on-the-job training.
    volunteer_page_text: str = DEFAULT_VOLUNTEER_TEXT
    # A declined or stale applicant (and a trained one's pipeline record) is erased this many days on.
    applicant_retention_days: int = 60
    # Shifts beside trained volunteers before the coordinator is asked to mark a trainee trained.
    shadow_shifts_needed: int = 3
    # The check-in kiosk asks a trainee who trained them.
    kiosk_trained_by: bool = False

    @property
    def show_first_names(self) -> bool:
        """The name the volunteer pages use for `show_team_first_names` (one setting, one column)."""
        return self.show_team_first_names

    def problems(self) -> list[str]:
        """Placed messages for settings that cannot produce a week (empty when fine)."""
        out = []
        if self.closes <= self.opens:
            out.append("closes: must be after opens")
        elif self.shift_hours <= 0 or not self.shift_times():
            out.append("shift_hours: no whole shift fits between opens and closes")
        if self.shift_target < self.shift_min:
            out.append("shift_target: below shift_min")
        if self.shift_min_trained > self.shift_target:
            out.append("shift_min_trained: above shift_target")
        if self.meals and self.meal_end <= self.meal_start:
            out.append("meal_end: must be after meal_start")
        if self.meals and self.meal_target < self.meal_min:
            out.append("meal_target: below meal_min")
        if any(d not in range(7) for d in self.open_weekdays):
            out.append("open_weekdays: weekdays are 0 (Mon) to 6 (Sun)")
        if not 1 <= self.reminder_hours <= MAX_REMINDER_HOURS:
            out.append(f"reminder_hours: {self.reminder_hours} is not a whole number from 1 to "
                       f"{MAX_REMINDER_HOURS}")
        for field in ("claim_cutoff_hours", "short_alert_hours"):
            value = getattr(self, field)
            if not 0 <= value <= MAX_NOTICE_HOURS:
                out.append(f"{field}: {value} is not a whole number from 0 to {MAX_NOTICE_HOURS}")
        if self.alert_email and (len(self.alert_email) > 254
                                 or not EMAIL.fullmatch(self.alert_email)):
            out.append(f'alert_email: "{self.alert_email}" is not an email address')
        if len(self.volunteer_page_text) > MAX_PAGE_TEXT:
            out.append(f"volunteer_page_text: longer than {MAX_PAGE_TEXT} characters")
        if not 1 <= self.applicant_retention_days <= MAX_RETENTION_DAYS:
            out.append(f"applicant_retention_days: {self.applicant_retention_days} is not a whole number "
                       f"from 1 to {MAX_RETENTION_DAYS}")
        if not 1 <= self.shadow_shifts_needed <= MAX_SHADOW_SHIFTS:
            out.append(f"shadow_shifts_needed: {self.shadow_shifts_needed} is not a whole number from 1 to "
                       f"{MAX_SHADOW_SHIFTS}")
        return out

    def shift_times(self) -> list[tuple[time, time]]:
        """Whole shifts from opening; a remainder shorter than a shift is not a shift."""
        out = []
        day = date(2000, 1, 3)
        start = datetime.combine(day, self.opens)
        close = datetime.combine(day, self.closes)
        step = timedelta(hours=self.shift_hours)
        while self.shift_hours > 0 and start + step <= close:
            out.append((start.time(), (start + step).time()))
            start += step
        return out

    def periods(self) -> dict[str, tuple[time, time]]:
        """The day's parts as people name them (`Morning`, `Afternoon`, ... `Dinner`), with their times."""
        shifts = self.shift_times()
        names = ["Morning", "Afternoon"] if len(shifts) == 2 else [f"{s:%H:%M}-{e:%H:%M}" for s, e in shifts]
        out = dict(zip(names, shifts, strict=True))
        if self.meals:
            out["Dinner"] = (self.meal_start, self.meal_end)
        return out

    def shift_labels(self) -> list[str]:
        """`am`/`pm` for the usual two shifts; the start time (`0900`) otherwise."""
        times = self.shift_times()
        if len(times) == 2 and times[0][0] < time(12) <= times[1][0]:
            return ["am", "pm"]
        return [start.strftime("%H%M") for start, _ in times]

    def week_slots(self, week_start: date) -> tuple[Slot, ...]:
        """The week's slots, ids like `2026-12-04-am`, `2026-12-04-pm`, `2026-12-04-dinner`."""
        slots: list[Slot] = []
        for day in week_days(week_start):
            if day.weekday() not in self.open_weekdays:
                continue
            for label, (start, end) in zip(self.shift_labels(), self.shift_times(), strict=True):
                slots.append(Slot(f"{day.isoformat()}-{label}", "shift", datetime.combine(day, start),
                                  datetime.combine(day, end), self.shift_min, self.shift_target,
                                  self.shift_min_trained, True))
            if self.meals:
                slots.append(Slot(f"{day.isoformat()}-dinner", "meal", datetime.combine(day, self.meal_start),
                                  datetime.combine(day, self.meal_end), self.meal_min, self.meal_target,
                                  0, False))
        return tuple(slots)


@dataclass(frozen=True, order=True)
class WeeklyWindow:
    """A recurring availability: every `weekday` from `start` to `end`."""

    weekday: int
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> WeeklyWindow:
        """`Fri 09:00-17:00`; raises ValueError with a message fit for a placed error."""
        parts = text.split()
        if len(parts) != 2 or parts[1].count("-") != 1:
            raise ValueError(f'"{text}" is not like "Fri 09:00-17:00"')
        try:
            weekday = parse_weekday(parts[0])
            start_text, end_text = parts[1].split("-")
            start, end = parse_time(start_text), parse_time(end_text)
        except ValueError as err:
            raise ValueError(f'"{text}" {str(err).split(" ", 1)[1]}') from None
        if end <= start:
            raise ValueError(f'"{text}" ends before it starts')
        return cls(weekday, start, end)

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {format_time(self.start)}-{format_time(self.end)}"


@dataclass(frozen=True)
class DatedException:
    """Time off (`off`) or extra availability (`extra`) on one date; no times = the whole day."""

    day: date
    kind: ExceptionKind = "off"
    start: time | None = None
    end: time | None = None
    id: int | None = None

    def span(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.day, self.start or time(0))
        end = datetime.combine(self.day, self.end) if self.end else datetime.combine(
            self.day + timedelta(days=1), time(0))
        return start, end


@dataclass(frozen=True, order=True)
class Preference:
    """A volunteer likes a kind of slot on a weekday, e.g. (4, "am") = Friday mornings."""

    weekday: int
    label: str

    def matches(self, slot: Slot) -> bool:
        return slot.day.weekday() == self.weekday and slot.id.endswith(f"-{self.label}")


@dataclass(frozen=True)
class VolunteerRecord:
    """What the center keeps about a volunteer, and nothing more (issue 6)."""

    name: str
    email: str | None = None
    phone: str | None = None
    does_shifts: bool = True
    does_meals: bool = False
    trained: bool = False
    check_status: str = "none"
    check_expires: date | None = None
    max_shifts: int = 1
    max_meals: int = 0
    active: bool = True
    availability: tuple[WeeklyWindow, ...] = ()
    exceptions: tuple[DatedException, ...] = ()
    preferences: tuple[Preference, ...] = ()
    id: int | None = None
    erased: bool = False

    @property
    def key(self) -> str:
        """The id used in problems and plans (`v07`); only for stored volunteers."""
        if self.id is None:
            raise ValueError("volunteer is not stored yet")
        return volunteer_key(self.id)

    @property
    def does(self) -> frozenset[str]:
        return frozenset({"shift"} if self.does_shifts else set()) | frozenset(
            {"meal"} if self.does_meals else set())

    def problems(self) -> list[str]:
        """Placed messages for values the store refuses (empty when fine)."""
        out = []
        if not self.name.strip():
            out.append("name: is required")
        if len(self.name) > 100:
            out.append("name: longer than 100 characters")
        if self.email and len(self.email) > 254:
            out.append("email: longer than 254 characters")
        elif self.email and not EMAIL.fullmatch(self.email):
            out.append(f'email: "{self.email}" is not an email address')
        if self.phone and len(self.phone) > 40:
            out.append("phone: longer than 40 characters")
        if self.check_status not in CHECK_STATUSES:
            out.append(f'check_status: "{self.check_status}" is not one of {", ".join(CHECK_STATUSES)}')
        if not (self.does_shifts or self.does_meals):
            out.append("does: shift, meal or both")
        for field in ("max_shifts", "max_meals"):
            value = getattr(self, field)
            if not 0 <= value <= MAX_CAP:
                out.append(f"{field}: {value} is not a whole number from 0 to {MAX_CAP}")
        return out
