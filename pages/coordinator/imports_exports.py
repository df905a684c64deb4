"""Coordinator: import the roster CSV (all rows or none); export the roster and a week's schedule."""

from datetime import date

import pandas as pd
import streamlit as st

from planner import views
from planner.io.roster_csv import export_roster, import_roster, parse_roster
from planner.store import db, plans
from planner.store.roster import RosterError
from planner.store.settings import load_settings
from planner.ui_session import require_role
from planner.weekbuild import build_problem

user = require_role("coordinator")
MAX_UPLOAD_BYTES = 1_000_000

st.title("Imports and exports")
flash = st.session_state.pop("io_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

st.subheader("Import the roster")
st.caption("A roster CSV with columns name, email, phone, does, trained, background_check, "
           "background_check_expires, max_shifts_per_week, max_meals_per_week, availability. "
           "A volunteer is matched by email, else by name. Every row is imported, or none.")
upload = st.file_uploader("Roster CSV", type=["csv"], key=f"roster_upload:{st.session_state.get('io_v', 0)}")
if upload is not None:
    data = upload.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:
        st.error(f"The file is {len(data) // 1000} kB; the limit is {MAX_UPLOAD_BYTES // 1000} kB.")
    else:
        try:
            rows = parse_roster(data)
        except RosterError as err:
            st.error(f"The file cannot be imported ({views.plural(len(err.messages), 'problem')}); "
                     "nothing was changed:")
            st.dataframe(pd.DataFrame({"Problem": err.messages}), hide_index=True, key="import_problems")
        else:
            preview = pd.DataFrame([{"Row": n, "Name": r.name, "Email": r.email or "", "Does": ", ".join(
                sorted(r.does)), "Trained": r.trained, "Check": r.check_status,
                "Availability": views.availability_text(r.availability)} for n, r in rows])
            st.dataframe(preview, hide_index=True, key="import_preview")
            if st.button(f"Import all {len(rows)} rows", type="primary", key="import_roster"):
                try:
                    with db.session() as s:
                        result = import_roster(s, data, actor=user.username)
                    st.session_state["io_flash"] = ("success", f"Imported: {result.added} added, "
                                                               f"{result.updated} updated.")
                    st.session_state["io_v"] = st.session_state.get("io_v", 0) + 1
                except RosterError as err:
                    st.session_state["io_flash"] = ("error",
                                                    "Nothing was imported: " + "; ".join(err.messages))
                st.rerun()

st.subheader("Export")
with db.session() as s:
    roster_csv = export_roster(s, actor=None)
st.download_button("Download the roster (CSV)", roster_csv.encode("utf-8"), "roster.csv", "text/csv",
                   key="export_roster")

with db.session() as s:
    settings = load_settings(s)
weeks = dict(views.week_choices(date.today()))
default = views.default_week(date.today(), settings.open_weekdays)
week = st.selectbox("Week to export", list(weeks), format_func=weeks.get, index=list(weeks).index(default),
                    key="export_week")
with db.session() as s:
    published = plans.latest_published(s, week)
    draft = plans.get_draft(s, week)
    problem = build_problem(s, week)
version = published or draft
if version is None:
    st.info("This week has no saved or published plan yet.")
else:
    which = f"published version {version.version}" if version.version else "the saved draft"
    schedule = views.schedule_table(problem, version.assignments, settings.place)
    st.caption(f"Exports {which}: {views.plural(len(schedule), 'assignment')}.")
    st.download_button("Download the week's schedule (CSV)", views.csv_bytes(schedule),
                       f"schedule-{week.isoformat()}.csv", "text/csv", key="export_schedule")
