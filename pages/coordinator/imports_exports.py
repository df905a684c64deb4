"""Coordinator: import the roster CSV, a SignUpGenius report or a Google Forms export (all rows or none);
export the roster and a week's schedule (CSV, XLSX, printable page, ICS)."""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from planner import privacy, views
from planner.io import google_forms, schedule_export, signupgenius
from planner.io.roster_csv import export_roster, import_roster, parse_roster
from planner.store import audit, db, plans
from planner.store.roster import RosterError
from planner.store.settings import load_settings
from planner.ui_session import require_role
from planner.ui_week import week_picker
from planner.weekbuild import build_problem

user = require_role("coordinator")


def run_import(run: Callable[..., Any], data: bytes) -> None:
    """Import every row or none, say which, and show a fresh uploader."""
    try:
        with db.session() as s:
            result = run(s, data, actor=user.username)
        st.session_state["io_flash"] = ("success",
                                        f"Imported: {result.added} added, {result.updated} updated.")
        st.session_state["io_v"] = st.session_state.get("io_v", 0) + 1
    except RosterError as err:
        st.session_state["io_flash"] = ("error", "Nothing was imported: " + "; ".join(err.messages))
    st.rerun()


st.title("Imports and exports")
flash = st.session_state.pop("io_flash", None)
if flash:  # may quote the file's cells: shown escaped, never as Markdown or HTML
    getattr(st, flash[0])(views.md_escape(flash[1]))

st.subheader("Import the roster")
st.caption("A roster CSV with columns name, email, phone, does, trained, background_check, "
           "background_check_expires, max_shifts_per_week, max_meals_per_week, availability. "
           "A volunteer is matched by email, else by name. Every row is imported, or none.")
upload = st.file_uploader("Roster CSV", type=["csv"], key=f"roster_upload:{st.session_state.get('io_v', 0)}")
if upload is not None:
    try:
        data = privacy.read_upload(upload)
    except privacy.UploadTooLarge as err:
        st.error(str(err))
    else:
        try:
            rows = parse_roster(data)
        except RosterError as err:
            st.error(f"The file cannot be imported ({views.plural(len(err.messages), 'problem')}); "
                     "nothing was changed:")
            st.dataframe(pd.DataFrame({"Problem": err.messages}), hide_index=True, key="import_problems")
        else:
            privacy.contact_view(user.username, "roster import preview", sum(1 for _, r in rows if r.email),
                                 memo=st.session_state)
            preview = pd.DataFrame([{"Row": n, "Name": r.name, "Email": r.email or "", "Does": ", ".join(
                sorted(r.does)), "Trained": r.trained, "Check": r.check_status,
                "Availability": views.availability_text(r.availability)} for n, r in rows])
            st.dataframe(preview, hide_index=True, key="import_preview")
            if st.button(f"Import all {len(rows)} rows", type="primary", key="import_roster"):
                run_import(import_roster, data)



def other_import(title: str, caption: str, name: str, parse: Callable[[bytes, Any], Any],
                 check: Callable[[Any, bytes], tuple[int, int]],
                 run: Callable[..., Any]) -> None:
    """Upload, preview with per-row problems, then import every row or none."""
    st.subheader(title)
    st.caption(caption)
    upload = st.file_uploader(title, type=["csv"], key=f"{name}_upload:{st.session_state.get('io_v', 0)}",
                              label_visibility="collapsed")
    if upload is None:
        return
    try:
        data = privacy.read_upload(upload)
    except privacy.UploadTooLarge as err:
        st.error(str(err))
        return
    try:
        with db.session() as s:
            preview = parse(data, load_settings(s))
            problems = list(preview.problems)
            if not problems:
                added, updated = check(s, data)
    except RosterError as err:
        problems = err.messages
    else:
        st.dataframe(preview.table(), hide_index=True, key=f"{name}_preview")
    if problems:
        st.error(f"The file cannot be imported ({views.plural(len(problems), 'problem')}); "
                 "nothing was changed:")
        st.dataframe(pd.DataFrame({"Problem": problems}), hide_index=True, key=f"{name}_problems")
        return
    if st.button(f"Import: {added} to add, {updated} to update", type="primary", key=f"{name}_import"):
        run_import(run, data)


other_import("Import a SignUpGenius report",
             "The sign-up report CSV (title rows above the header are fine). Each sign-up becomes extra "
             "availability on its date and a preference for the matching slot; new people are added "
             "without a background check. Matched by email, else by name.",
             "signupgenius", signupgenius.parse_signups, signupgenius.check_import,
             signupgenius.import_signups)
other_import("Import a Google Forms availability export",
             "The responses CSV with Timestamp, Email Address and grid columns like Availability [Friday] "
             "(Morning, Afternoon, Dinner). Each person's latest answer replaces their weekly availability.",
             "forms", google_forms.parse_form, google_forms.check_import, google_forms.import_form)

st.subheader("Export")
def _record_roster_export() -> None:
    with db.session() as s:
        audit.record(s, user.username, "roster exported", "roster")


with db.session() as s:
    roster_csv = export_roster(s)
st.download_button("Download the roster (CSV)", roster_csv.encode("utf-8"), "roster.csv", "text/csv",
                   key="export_roster", on_click=_record_roster_export)

with db.session() as s:
    settings = load_settings(s)
week = week_picker("Week to export", settings, key="export_week")
with db.session() as s:
    published = plans.latest_published(s, week)
    draft = plans.get_draft(s, week)
    problem = build_problem(s, week)
version = published or draft
if version is None:
    st.info("This week has no saved or published plan yet.")
else:
    which = f"published version {version.version}" if version.version else "the saved draft"
    schedule = schedule_export.schedule(problem, version.assignments, settings.place)
    st.caption(f"Exports {which}: {views.plural(len(schedule), 'assignment')}.")
    title = f"{settings.name}: week of {views.day_label(week)} {week.year}"
    stem = f"schedule-{week.isoformat()}"
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button("Schedule (CSV)", schedule_export.to_csv(schedule), f"{stem}.csv", "text/csv",
                       key="export_schedule")
    c2.download_button("Schedule (XLSX)", schedule_export.to_xlsx(schedule, title), f"{stem}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="export_xlsx")
    c3.download_button("Printable page (HTML)", schedule_export.to_html(schedule, title), f"{stem}.html",
                       "text/html", key="export_html")
    c4.download_button("Calendar (ICS)", schedule_export.to_ics(problem, version.assignments, settings.place,
                                                                title), f"{stem}.ics", "text/calendar",
                       key="export_ics")
