"""The volunteer's calendar file: own shifts only, right times and zone, text escaped by icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from icalendar import Calendar

from planner.core.domain import CenterSettings
from planner.core.problem import Assignment
from planner.core.shifts import my_upcoming
from planner.io.ics import shifts_ics
from planner.present.my_shifts import shifts_table

SETTINGS = CenterSettings(timezone="America/Chicago")
WEEK = date(2026, 11, 30)  # Fri 4, Sat 5, Sun 6 Dec are open
STAMP = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _plan() -> list[Assignment]:
    return [Assignment("2026-12-04-am", "v01"), Assignment("2026-12-04-am", "v02"),
            Assignment("2026-12-04-am", "v03"), Assignment("2026-12-05-dinner", "v01"),
            Assignment("2026-12-06-pm", "v02"), Assignment("2026-11-01-am", "v01")]  # not a slot any more


def test_my_upcoming_is_mine_only_in_time_order_with_counts():
    mine = my_upcoming(SETTINGS, {WEEK: _plan()}, "v01", today=date(2026, 12, 1))
    assert [(m.slot.id, m.assigned, m.what) for m in mine] == [("2026-12-04-am", 3, "Morning shift"),
                                                                ("2026-12-05-dinner", 1, "Dinner")]
    assert mine[0].title == "Fri 4 Dec, Morning shift 09:00-13:00"
    assert [m.slot.id for m in my_upcoming(SETTINGS, {WEEK: _plan()}, "v01", today=date(2026, 12, 5))] == [
        "2026-12-05-dinner"]


def test_shifts_table_counts_only_unless_first_names_given():
    mine = my_upcoming(SETTINGS, {WEEK: _plan()}, "v01", today=date(2026, 12, 1))
    table = shifts_table(mine, "Main room")
    assert list(table.columns) == ["Date", "Time", "Place", "What", "Coverage"]
    assert list(table["Coverage"]) == ["3 of 4", "1 of 1"]
    named = shifts_table(mine, "Main room", {"2026-12-04-am": ["Bea", "Cleo"]})
    assert list(named["With"]) == ["Bea, Cleo", "nobody yet"]


def test_ics_has_one_event_per_shift_in_the_center_time_zone():
    mine = my_upcoming(SETTINGS, {WEEK: _plan()}, "v01", today=date(2026, 12, 1))
    data = shifts_ics(mine, volunteer_key="v01", place="Main room", center_name="Drop-in center",
                      timezone=SETTINGS.timezone, stamp=STAMP)
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Morning shift: Drop-in center", "Dinner: Drop-in center"]
    start = events[0].decoded("dtstart")
    assert (start.date(), start.time(), str(start.tzinfo)) == (date(2026, 12, 4), time(9), "America/Chicago")
    assert events[0].decoded("dtend").time() == time(13)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]
    # Stable, opaque ids: a second download updates the events, and the id names nobody.
    again = Calendar.from_ical(shifts_ics(mine, volunteer_key="v01", place="Main room", center_name="x",
                                          timezone=SETTINGS.timezone))
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(e["uid"]) for e in events]
    assert all("v01" not in str(e["uid"]) and "2026" not in str(e["uid"]) for e in events)
    # Nobody else and no contacts in the file.
    text = data.decode()
    assert "v02" not in text and "v03" not in text and "@example" not in text


def test_ics_text_is_escaped_so_a_place_cannot_add_events_or_properties():
    mine = my_upcoming(SETTINGS, {WEEK: _plan()}, "v01", today=date(2026, 12, 1))
    place = "Room 1, back door; ring\r\nBEGIN:VEVENT\nSUMMARY:evil"
    name = "<b>Center</b>, \"quoted\"; =HYPERLINK(\"http://x\")"
    data = shifts_ics(mine, volunteer_key="v01", place=place, center_name=name, timezone="America/Chicago",
                      stamp=STAMP)
    lines = data.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 2 and not any(line.startswith("SUMMARY:evil") for line in lines)
    assert any(line.startswith("LOCATION:Room 1\\, back door\\; ring") for line in lines)
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert str(events[0]["location"]) == place.replace("\r\n", "\n")
    assert str(events[0]["summary"]) == f"Morning shift: {name}"


def test_ics_with_no_shifts_and_an_unknown_time_zone_is_still_a_calendar():
    data = shifts_ics([], volunteer_key="v01", place="", center_name="C", timezone="Not/AZone")
    cal = Calendar.from_ical(data)
    assert list(cal.walk("VEVENT")) == [] and str(cal["version"]) == "2.0"
