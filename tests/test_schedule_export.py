"""The week's schedule as CSV, XLSX, printable HTML and ICS: same rows, hostile text kept harmless."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

from icalendar import Calendar
from openpyxl import load_workbook

from planner.core.problem import Assignment, BackgroundCheck, Problem, Slot, Volunteer, Window
from planner.io import schedule_export
from planner.io.ics import schedule_ics
from planner.io.spreadsheet import csv_bytes, xlsx_bytes

DAY = date(2026, 12, 4)
AM = Slot("2026-12-04-am", "shift", datetime.combine(DAY, time(9)), datetime.combine(DAY, time(13)), 1, 2, 0)
DINNER = Slot("2026-12-04-dinner", "meal", datetime.combine(DAY, time(17)), datetime.combine(DAY, time(18)),
              1, 1, 0, False)
ALL = (Window(datetime.combine(DAY, time(8)), datetime.combine(DAY, time(19))),)
HOSTILE = '=HYPERLINK("http://x","y")'
VOLS = (Volunteer("v01", "Ana <b>R.</b> & co", True, BackgroundCheck("cleared"), available=ALL),
        Volunteer("v02", HOSTILE, True, BackgroundCheck("cleared"), frozenset({"shift", "meal"}), 1, 1, ALL),
        Volunteer("v03", "@SUM(A1:A2); \\, x", True, BackgroundCheck("cleared"), available=ALL))
PROBLEM = Problem(slots=(AM, DINNER), volunteers=VOLS, timezone="America/Chicago")
PLAN = [Assignment(AM.id, "v01"), Assignment(DINNER.id, "v02"), Assignment(AM.id, "v03"),
        Assignment("gone-slot", "v01")]
TABLE = schedule_export.schedule(PROBLEM, PLAN, "-main room")


def test_the_table_has_one_row_per_known_assignment_in_time_order() -> None:
    assert list(TABLE.columns) == ["Date", "Start", "End", "Slot", "Place", "Volunteer"]
    assert list(TABLE["Volunteer"]) == ["@SUM(A1:A2); \\, x", "Ana <b>R.</b> & co", HOSTILE]


def test_csv_neutralises_formula_cells() -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(TABLE).decode("utf-8"))))
    assert rows[0] == ["Date", "Start", "End", "Slot", "Place", "Volunteer"]
    assert [r[5] for r in rows[1:]] == ["'@SUM(A1:A2); \\, x", "Ana <b>R.</b> & co", "'" + HOSTILE]
    assert {r[4] for r in rows[1:]} == {"'-main room"}


def test_xlsx_has_no_formula_cells() -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes({"Schedule": TABLE}, "=Week of 30 Nov")))
    sheet = book["Schedule"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Date", "Start", "End", "Slot", "Place", "Volunteer"]
    assert values[3][5] == "'" + HOSTILE and values[1][5] == "'@SUM(A1:A2); \\, x"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["A1"].font.bold


def test_the_printable_page_is_a_slot_by_day_grid_on_a_landscape_page() -> None:
    grid = schedule_export.wall_grid(PROBLEM, PLAN)
    assert list(grid.columns) == ["Fri 4 Dec"]  # days across, as on a wall calendar
    assert list(grid.index) == ["Morning 09:00-13:00", "Dinner 17:00-18:00"]
    morning = grid.loc["Morning 09:00-13:00", "Fri 4 Dec"]
    assert morning.split("\n") == ["@SUM(A1:A2); \\, x", "Ana <b>R.</b> & co"]
    assert grid.loc["Dinner 17:00-18:00", "Fri 4 Dec"] == HOSTILE
    page = schedule_export.to_html(grid, "Week <script>alert(1)</script>", "-main room").decode("utf-8")
    assert "size: landscape" in page
    assert "<script>" not in page and "<b>R.</b>" not in page
    assert "Ana &lt;b&gt;R.&lt;/b&gt; &amp; co" in page
    assert "<title>Week &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert page.count("<tr>") == 3  # the header and two slots
    assert "<thead><tr><th>Slot</th><th>Fri 4 Dec</th></tr></thead>" in page


def test_ics_has_one_event_per_assignment_in_the_center_time_zone() -> None:
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    data = schedule_ics(PROBLEM, PLAN, "Main room", "Schedule", now=now)
    assert b"\r\n" in data
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    first = events[0]
    assert first.decoded("dtstart").isoformat() == "2026-12-04T09:00:00-06:00"
    assert str(first["uid"]) == "2026-12-04-am-v01@volunteer-planner.local"
    summaries = sorted(str(e["summary"]) for e in events)
    assert "Morning shift: @SUM(A1:A2); \\, x" in summaries  # the library escapes ; , and \\ and reads back
    assert f"Dinner meal: {HOSTILE}" in summaries
    assert b"SUMMARY:Morning shift: @SUM(A1:A2)\\; \\\\\\, x" in data
    assert schedule_ics(PROBLEM, PLAN, "Main room", "Schedule", now=now) == data
