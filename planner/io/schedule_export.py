"""A week's schedule as CSV, XLSX, a printable HTML page and ICS.

All four start from `views.schedule_table` (one row per assignment), so they
agree. Spreadsheet cells that a program could run as a formula are
neutralised (`safe_cells`); the HTML page escapes every text; the ICS text is
escaped by the `icalendar` library.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Font

from planner import views
from planner.problem import Assignment, Problem

ICS_DOMAIN = "volunteer-planner.local"


def schedule(problem: Problem, assignments: Iterable[Assignment], place: str = "") -> pd.DataFrame:
    """Date, Start, End, Slot, Place, Volunteer; one row per assignment, in time order."""
    return views.schedule_table(problem, assignments, place)


def to_csv(table: pd.DataFrame) -> bytes:
    return views.csv_bytes(table)


def to_xlsx(table: pd.DataFrame, title: str) -> bytes:
    """One sheet with a bold header row; text cells neutralised so none runs as a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Schedule"
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        sheet.append([views.neutralise_cell(v) for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    book.properties.title = views.neutralise_cell(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_html(table: pd.DataFrame, title: str) -> bytes:
    """A self-contained page to print: one table, every text escaped, no scripts, no outside links."""
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in table.columns)
    body = "\n".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                     for row in table.itertuples(index=False))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{e(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5cm; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #999; padding: 4px 8px; text-align: left; }}
th {{ background: #eee; }}
@media print {{ body {{ margin: 0; }} tr {{ page-break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{e(title)}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
    return page.encode("utf-8")


def to_ics(problem: Problem, assignments: Iterable[Assignment], place: str = "", title: str = "",
           now: datetime | None = None) -> bytes:
    """One event per assignment in the center's time zone; stable UIDs, so a re-import updates."""
    zone = ZoneInfo(problem.timezone)
    stamp = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//Volunteer coverage planner//EN")
    calendar.add("version", "2.0")
    if title:
        calendar.add("x-wr-calname", title)
    known = [a for a in assignments if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
    for a in sorted(known, key=lambda a: (problem.slot(a.slot).start, a.volunteer)):
        slot, person = problem.slot(a.slot), problem.volunteer(a.volunteer)
        event = Event()
        event.add("uid", f"{a.slot}-{a.volunteer}@{ICS_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.start.replace(tzinfo=zone))
        event.add("dtend", slot.end.replace(tzinfo=zone))
        event.add("summary", f"{views.period_name(slot)} {slot.kind}: {person.name or a.volunteer}")
        if place:
            event.add("location", place)
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE, so calendars read the wall-clock times right
    return calendar.to_ical()
