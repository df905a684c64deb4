"""Check-in and check-out records, coordinator corrections, and the kiosk's pure helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from planner.core.domain import CenterSettings, VolunteerRecord
from planner.core.errors import AttendanceError
from planner.core.problem import Assignment
from planner.present import checkin
from planner.store import attendance, audit, db, plans
from planner.store.roster import add_volunteer

WEEK = date(2026, 12, 7)
FRI = date(2026, 12, 11)
AM = "2026-12-11-am"


@pytest.fixture
def url(store_url: str) -> Iterator[str]:
    """A migrated SQLite and PostgreSQL database with a published week."""
    url = store_url
    with db.session(url) as s:
        for name in ("Ana Reyes", "Bea Cole", "Cy"):
            add_volunteer(s, VolunteerRecord(name))
        plans.save_draft(s, WEEK, [Assignment(AM, "v01"), Assignment(AM, "v02"),
                                   Assignment("2026-12-12-am", "v03")])
        plans.publish_draft(s, WEEK)
    yield url


def test_check_in_then_out_is_recorded(url):
    with db.session(url) as s:
        assert attendance.on_duty(s, FRI) == [Assignment(AM, "v01"), Assignment(AM, "v02")]
        first = attendance.check_in(s, AM, "v01", datetime(2026, 12, 11, 15, 2), actor="kiosk")
        assert first.state == "in"
    with db.session(url) as s:
        done = attendance.check_out(s, AM, "v01", datetime(2026, 12, 11, 19, 0), actor="kiosk")
        [entry] = attendance.list_attendance(s, FRI, FRI)
        actions = [e.action for e in audit.recent(s)]
    assert done == entry
    assert (entry.checked_in_at, entry.checked_out_at, entry.state) == (
        datetime(2026, 12, 11, 15, 2), datetime(2026, 12, 11, 19, 0), "out")
    assert actions[:2] == ["check-out", "check-in"]


@pytest.mark.parametrize(("steps", "message"), [
    ([("in", "v03")], "is not on this slot"),
    ([("in", "v01"), ("in", "v01")], "already checked in"),
    ([("out", "v01")], "has not checked in"),
    ([("in", "v01"), ("out", "v01"), ("out", "v01")], "already checked out"),
])
def test_refused_taps_change_nothing(url, steps, message):
    now = datetime(2026, 12, 11, 15, 0)
    with db.session(url) as s:
        for action, who in steps[:-1]:
            (attendance.check_in if action == "in" else attendance.check_out)(s, AM, who, now)
        before = attendance.list_attendance(s, FRI, FRI)
    action, who = steps[-1]
    with pytest.raises(attendance.AttendanceError, match=message), db.session(url) as s:
        (attendance.check_in if action == "in" else attendance.check_out)(s, AM, who, now)
    with db.session(url) as s:
        assert attendance.list_attendance(s, FRI, FRI) == before


def test_the_coordinator_corrects_times_and_marks_no_shows(url):
    with db.session(url) as s:
        attendance.check_in(s, AM, "v01", datetime(2026, 12, 11, 16, 0))
        fixed = attendance.correct(s, AM, "v01", checked_in_at=datetime(2026, 12, 11, 15, 0),
                                   checked_out_at=datetime(2026, 12, 11, 19, 0), actor="coord")
        gone = attendance.correct(s, AM, "v02", checked_in_at=None, checked_out_at=None, no_show=True,
                                  actor="coord")
    assert (fixed.checked_in_at.hour, fixed.checked_out_at.hour, fixed.corrected_by) == (15, 19, "coord")
    assert gone.state == "no-show" and gone.corrected_at is not None
    with db.session(url) as s:  # a no-show who turns up after all can still check in
        assert attendance.check_in(s, AM, "v02", datetime(2026, 12, 11, 15, 30)).state == "in"
    for kwargs, message in [
        ({"checked_in_at": datetime(2026, 12, 11, 15), "checked_out_at": datetime(2026, 12, 11, 14)},
         "after the check-in"),
        ({"checked_in_at": None, "checked_out_at": datetime(2026, 12, 11, 14)}, "needs a check-in"),
        ({"checked_in_at": datetime(2026, 12, 11, 15), "checked_out_at": None, "no_show": True}, "no-show"),
    ]:
        with pytest.raises(attendance.AttendanceError, match=message), db.session(url) as s:
            attendance.correct(s, AM, "v01", **kwargs)


def test_kiosk_rows_show_first_name_and_last_initial_in_local_time():
    settings = CenterSettings()  # America/Chicago, UTC-6 in December
    seen = {(AM, "v01"): attendance.Attendance(AM, "v01", FRI, datetime(2026, 12, 11, 15, 2))}
    rows = checkin.kiosk_rows(settings, FRI, [Assignment(AM, "v02"), Assignment(AM, "v01"),
                                              Assignment("2026-12-11-dinner", "v03")],
                              {"v01": "Ana Maria Reyes", "v02": "bea cole", "v03": "Cy"}, seen)
    assert [checkin.button_label(r) for r in rows] == [
        "Ana R. - check out (in since 09:02)", "bea C. - check in", "Cy - check in"]
    assert [r.action for r in rows] == ["out", "in", "in"]
    table = checkin.attendance_table(rows, {"v01": "Ana Maria Reyes"}, seen)
    assert list(table["Name"]) == ["Ana Maria Reyes", "v02", "v03"]
    assert checkin.short_name("  ") == "?"


def test_clock_times_round_trip_through_the_center_zone():
    assert checkin.parse_clock("9:05", FRI, "America/Chicago", "in") == datetime(2026, 12, 11, 15, 5)
    assert checkin.clock(datetime(2026, 12, 11, 15, 5), "America/Chicago") == "09:05"
    assert checkin.parse_clock(" ", FRI, "America/Chicago", "in") is None
    with pytest.raises(AttendanceError, match=r"checked out: \"25:00\" is not a time \(use HH:MM\)"):
        checkin.parse_clock("25:00", FRI, "America/Chicago", "checked out")
