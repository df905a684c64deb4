"""Coordinator: import the roster CSV, a SignUpGenius report or a Google Forms export (all rows or none);
export the roster and a week's schedule (CSV, XLSX, printable page, ICS)."""

import pandas as pd
import streamlit as st

from planner.core.errors import PlannerError
from planner.core.labels import plural
from planner.services import audit, exports, imports, settings
from planner.ui import feed_links, flash
from planner.ui.session import require_role
from planner.ui.uploads import read_upload
from planner.ui.week import week_picker

user = require_role("coordinator")

IMPORTS = (
    ("roster", "Import the roster",
     "A roster CSV with columns name, email, phone, does, trained, background_check, "
     "background_check_expires, max_shifts_per_week, max_meals_per_week, availability. "
     "A volunteer is matched by email, else by name. Every row is imported, or none."),
    ("signupgenius", "Import a SignUpGenius report",
     "The sign-up report CSV (title rows above the header are fine). Each sign-up becomes extra "
     "availability on its date and a preference for the matching slot; new people are added "
     "without a background check. Matched by email, else by name."),
    ("google-forms", "Import a Google Forms availability export",
     "The responses CSV with Timestamp, Email Address and grid columns like Availability [Friday] "
     "(Morning, Afternoon, Dinner). Each person's latest answer replaces their weekly availability."),
)

st.title("Imports and exports")
flash.show("io")


def importer(kind: str, title: str, caption: str) -> None:
    """Upload, preview with per-row problems, then import every row or none."""
    st.header(title)
    st.caption(caption)
    upload = st.file_uploader(title, type=["csv"], key=f"{kind}_upload:{st.session_state.get('io_v', 0)}",
                              label_visibility="collapsed")
    if upload is None:
        return
    try:
        data = read_upload(upload)
        checked = imports.check(kind, data)
    except PlannerError as err:
        flash.say("error", f"The file cannot be imported ({plural(len(err.messages), 'problem')}); "
                           "nothing was changed:")
        st.dataframe(pd.DataFrame({"Problem": err.messages}), hide_index=True, key=f"{kind}_problems")
        return
    audit.contact_view(user.username, f"{kind} import preview", checked.with_contacts, memo=st.session_state)
    st.dataframe(checked.table, hide_index=True, key=f"{kind}_preview")
    if st.button(f"Import: {checked.added} to add, {checked.updated} to update", type="primary",
                 key=f"{kind}_import"):
        try:
            result = imports.run(kind, data, user.username)
            flash.later("io", "success", f"Imported: {result.added} added, {result.updated} updated.")
            st.session_state["io_v"] = st.session_state.get("io_v", 0) + 1  # a fresh uploader
        except PlannerError as err:
            flash.later("io", "error", flash.refused("Nothing was imported", err))
        st.rerun()


for kind, title, caption in IMPORTS:
    importer(kind, title, caption)

st.header("Export")
st.download_button("Download the roster (CSV)", imports.export_roster().encode("utf-8"), "roster.csv",
                   "text/csv", key="export_roster", on_click=audit.record,
                   args=(user.username, "roster exported", "roster"))

chosen = week_picker("Week to export", settings.load(), key="export_week")
files = exports.schedule_files(chosen)
if files is None:
    st.info("This week has no saved or published plan yet.")
else:
    st.caption(f"Exports {files.which}: {plural(files.rows, 'assignment')}.")
    logged = (user.username, "schedule exported", f"week {chosen}", files.which)
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button("Schedule (CSV)", files.csv, f"{files.stem}.csv", "text/csv", key="export_schedule",
                       on_click=audit.record, args=logged)
    c2.download_button("Schedule (XLSX)", files.xlsx, f"{files.stem}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="export_xlsx",
                       on_click=audit.record, args=logged)
    c3.download_button("Printable page (HTML)", files.html, f"{files.stem}.html", "text/html",
                       key="export_html", on_click=audit.record, args=logged)
    c4.download_button("Calendar (ICS)", files.ics, f"{files.stem}.ics", "text/calendar", key="export_ics",
                       on_click=audit.record, args=logged)

st.header("Calendar subscription: every published shift")
st.caption("A private feed of all published weeks with the people on each slot (names only), for the "
           "coordinators' own calendars. It updates itself when a week is published again.")
if user.user_id is None:
    st.info("This account cannot have a calendar link.")
else:
    feed_links.panel(("user", int(user.user_id)), user.username, what="everyone's shifts and names")
