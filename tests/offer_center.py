"""A small published center for the offer tests: one Friday, two shifts, people who differ by one rule each.

Two weeks from today (so every slot is in the future), Friday 09-13 (`am`) and
13-17 (`pm`), each wanting 2 people with 1 trained, no dinner, times in UTC.
Everyone is available all Friday and has an email, except as named:

| name | trained | check | weekly cap | plan |
|---|---|---|---|---|
| Ana | yes | cleared | 2 | am |
| Bea | yes | cleared | 1 | am |
| Cy | yes | cleared | 1 | pm |
| Di | trainee | cleared | 1 | - |
| Ed | yes | expired | 1 | - |
| Flo | yes | cleared | 1 | - (no email; a phone) |
| Gus | yes | cleared | 1 | - |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from planner.core.domain import CenterSettings, VolunteerRecord, WeeklyWindow, monday_of
from planner.core.problem import Assignment
from planner.store import db, plans, roster
from planner.store.settings import save_settings

SETTINGS = CenterSettings(name="Test center", place="Main room", open_weekdays=(4,), meals=False, shift_min=2,
                          shift_target=2, shift_min_trained=1, timezone="UTC")
FRIDAY = (WeeklyWindow(4, time(9), time(17)),)
PEOPLE = {
    "Ana": {"trained": True, "max_shifts": 2},
    "Bea": {"trained": True},
    "Cy": {"trained": True},
    "Di": {"trained": False},
    "Ed": {"trained": True, "check_status": "expired", "check_expires": date(2020, 1, 1)},
    "Flo": {"trained": True, "email": None},
    "Gus": {"trained": True},
}


@dataclass(frozen=True)
class Center:
    week: date
    am: str
    pm: str
    people: dict[str, VolunteerRecord]

    def key(self, name: str) -> str:
        return self.people[name].key

    def id(self, name: str) -> int:
        vid = self.people[name].id
        assert vid is not None
        return vid


def small_center(url: str | None = None, extra: int = 0, settings: CenterSettings = SETTINGS) -> Center:
    """The center above (plus `extra` trained, cleared volunteers `Extra 01`...), its week published."""
    week = monday_of(date.today()) + timedelta(weeks=2)
    people = {}
    with db.session(url) as s:
        save_settings(s, settings)
        wanted = dict(PEOPLE) | {f"Extra {n:02d}": {"trained": True} for n in range(1, extra + 1)}
        for n, (name, fields) in enumerate(wanted.items()):
            values = {"email": f"{name.lower().replace(' ', '.')}@example.org", "phone": f"816-555-01{n:02d}",
                      "check_status": "cleared", "availability": FRIDAY, **fields}
            people[name] = roster.add_volunteer(s, VolunteerRecord(f"{name} {name[0]}.", **values))
    friday = week + timedelta(days=4)
    am, pm = f"{friday}-am", f"{friday}-pm"
    with db.session(url) as s:
        plans.save_draft(s, week, [Assignment(am, people["Ana"].key), Assignment(am, people["Bea"].key),
                                   Assignment(pm, people["Cy"].key)])
        plans.publish_draft(s, week, actor="test")
    return Center(week, am, pm, people)
