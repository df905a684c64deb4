"""Coordinator: any active volunteer's weekly availability and dated exceptions, edited on their behalf."""

import streamlit as st

from planner import ui_availability
from planner.store import db
from planner.store.roster import list_volunteers
from planner.ui_session import require_role

user = require_role("coordinator")

st.title("Availability")
with db.session() as s:
    labels = ui_availability.volunteer_labels(list_volunteers(s, active_only=True))
if not labels:
    st.info("There are no active volunteers. Add them on the Roster page.")
    st.stop()
chosen = st.selectbox("Volunteer", list(labels), format_func=labels.get, key="coord_avail_volunteer")
st.caption("Changes are saved under your name in the audit log.")
if not ui_availability.editor(chosen, user.username, ui_availability.FOR_COORDINATOR, "coord_avail"):
    st.error("This volunteer was not found (erased meanwhile?). Choose another.")
