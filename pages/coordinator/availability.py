"""Coordinator: any active volunteer's weekly availability and dated exceptions, edited on their behalf."""

import streamlit as st

from planner.present.availability import volunteer_labels
from planner.services import roster
from planner.ui import availability
from planner.ui.session import require_role

user = require_role("coordinator")

st.title("Availability")
labels = volunteer_labels(roster.active())
if not labels:
    st.info("There are no active volunteers. Add them on the Roster page.")
    st.stop()
chosen = st.selectbox("Volunteer", list(labels), format_func=labels.get, key="coord_avail_volunteer")
st.caption("Changes are saved under your name in the audit log.")
if not availability.editor(chosen, user.username, availability.FOR_COORDINATOR, "coord_avail"):
    st.error("This volunteer was not found (erased meanwhile?). Choose another.")
