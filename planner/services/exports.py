"""A week's schedule as files: CSV and XLSX for spreadsheets, a page to print, a calendar (ICS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.core.labels import day_label
from planner.io import ics, schedule_export, spreadsheet
from planner.services.week import build_problem
from planner.store import plans
from planner.store.db import session
from planner.store.settings import load_settings


@dataclass(frozen=True)
class ScheduleFiles:
    which: str  # `published version 3` or `the saved draft`
    rows: int
    stem: str  # file name without extension
    csv: bytes
    xlsx: bytes
    html: bytes
    ics: bytes


def schedule_files(week_start: date) -> ScheduleFiles | None:
    """The week's latest published version (else its draft) as files; None when it has neither."""
    with session(readonly=True) as db:
        settings = load_settings(db)
        version = plans.latest_published(db, week_start) or plans.get_draft(db, week_start)
        problem = build_problem(db, week_start)
    if version is None:
        return None
    table = schedule_export.schedule(problem, version.assignments, settings.place)
    title = f"{settings.name}: week of {day_label(week_start)} {week_start.year}"
    return ScheduleFiles(
        which=f"published version {version.version}" if version.version else "the saved draft",
        rows=len(table), stem=f"schedule-{week_start.isoformat()}",
        csv=spreadsheet.csv_bytes(table), xlsx=spreadsheet.xlsx_bytes({"Schedule": table}, title),
        html=schedule_export.to_html(schedule_export.wall_grid(problem, version.assignments), title,
                                   settings.place),
        ics=ics.schedule_ics(problem, version.assignments, settings.place, title))
