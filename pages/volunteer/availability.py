"""Volunteer: my weekly availability and my time off."""

import streamlit as st

from planner.ui import availability
from planner.ui.session import require_role

user = require_role("volunteer")

st.title("My availability")
if st.button("My shifts", icon=":material/event:", key="to_my_shifts"):
    st.switch_page("pages/volunteer/my_shifts.py")
if user.volunteer_id is None:
    st.error("Your account is not linked to a volunteer. Please ask the coordinator.")
    st.stop()
if not availability.editor(user.volunteer_id, user.username, availability.FOR_VOLUNTEER, "avail"):
    st.error("Your volunteer record was not found. Please ask the coordinator.")
