"""A week's schedule as a table (for CSV and XLSX through `planner.io.spreadsheet`) and a wall chart.

The spreadsheets list one row per assignment (`schedule`); the printable page
is a slot x day grid on one landscape page (`wall_grid`, `to_html`), days across
as on a wall calendar, escaping every text. The calendar is `planner.io.ics.schedule_ics`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from planner.core.labels import day_label, period_name, slot_column
from planner.core.problem import Assignment, Problem


def schedule(problem: Problem, assignments: Iterable[Assignment], place: str = "") -> pd.DataFrame:
    """Date, Start, End, Slot, Place, Volunteer; one row per assignment, in time order."""
    rows = []
    for a in assignments:
        if not (problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)):
            continue
        s = problem.slot(a.slot)
        rows.append({"Date": s.start.date().isoformat(), "Start": f"{s.start:%H:%M}",
                     "End": f"{s.end:%H:%M}", "Slot": period_name(s), "Place": place,
                     "Volunteer": problem.volunteer(a.volunteer).name, "_start": s.start})
    table = pd.DataFrame(rows, columns=["Date", "Start", "End", "Slot", "Place", "Volunteer", "_start"])
    return table.sort_values(["_start", "Volunteer"]).drop(columns="_start").reset_index(drop=True)


def wall_grid(problem: Problem, assignments: Iterable[Assignment]) -> pd.DataFrame:
    """The wall chart: days across (as on a wall calendar), the day's slots down (`Morning 09:00-13:00`,
    ...), names in each cell."""
    names: dict[str, list[str]] = {}
    for a in assignments:
        if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer):
            names.setdefault(a.slot, []).append(problem.volunteer(a.volunteer).name or a.volunteer)
    slots = sorted(problem.slots, key=lambda s: (s.start, s.kind != "shift", s.id))
    rows = list(dict.fromkeys(slot_column(s) for s in sorted(slots, key=lambda s: (s.start.time(), s.id))))
    days = list(dict.fromkeys(day_label(s.day) for s in slots))
    grid = pd.DataFrame("", index=rows, columns=days, dtype=object)
    for slot in slots:
        people = sorted(names.get(slot.id, []), key=str.casefold)
        grid.loc[slot_column(slot), day_label(slot.day)] = "\n".join(people) or "(nobody yet)"
    grid.index.name = "Slot"
    return grid


def to_html(grid: pd.DataFrame, title: str, place: str = "") -> bytes:
    """One landscape page to post on the wall: `wall_grid`'s slots by days, every text escaped, no scripts,
    no links."""
    e = html.escape
    corner = e(str(grid.index.name or ""))
    head = f"<th>{corner}</th>" + "".join(f"<th>{e(str(c))}</th>" for c in grid.columns)
    body = "\n".join(f"<tr><th>{e(str(label))}</th>"
                     + "".join("<td>" + "<br>".join(e(n) for n in str(v).split("\n")) + "</td>" for v in row)
                     + "</tr>" for label, row in zip(grid.index, grid.itertuples(index=False), strict=True))
    where = f"<p>{e(place)}</p>" if place else ""
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{e(title)}</title>
<style>
@page {{ size: landscape; margin: 1cm; }}
body {{ font-family: sans-serif; margin: 1cm; }}
h1 {{ font-size: 1.4em; margin: 0 0 .3em; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
th, td {{ border: 1px solid #555; padding: 6px 8px; text-align: left; vertical-align: top; }}
thead th {{ background: #eee; }}
tbody th {{ width: 9em; background: #f6f6f6; }}
@media print {{ body {{ margin: 0; }} tr {{ page-break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{e(title)}</h1>
{where}
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
