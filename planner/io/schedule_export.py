"""A week's schedule as a table (for CSV and XLSX through `planner.io.spreadsheet`) and a printable page.

The files start from `schedule` (one row per assignment), so they agree. The
HTML page escapes every text; the calendar is `planner.io.ics.schedule_ics`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from planner.core.labels import period_name
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
