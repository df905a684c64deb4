"""Volunteer: my weekly availability and my time off."""

from datetime import date, time, timedelta

import streamlit as st

from planner import views
from planner.domain import DatedException
from planner.store import db
from planner.store.roster import RosterError, add_exception, get_volunteer, remove_exception, set_availability
from planner.store.settings import load_settings
from planner.ui_session import require_role

user = require_role("volunteer")

st.title("My availability")
if user.volunteer_id is None:
    st.error("Your account is not linked to a volunteer. Please ask the coordinator.")
    st.stop()
flash = st.session_state.pop("avail_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

with db.session() as s:
    me = get_volunteer(s, user.volunteer_id)
    settings = load_settings(s)
if me is None or me.erased:
    st.error("Your volunteer record was not found. Please ask the coordinator.")
    st.stop()

st.subheader("Every week")
st.caption("Tick when you can usually come. " + ", ".join(
    f"{name} {start:%H:%M}-{end:%H:%M}" for name, (start, end) in views.periods(settings).items()) + ".")
grid = views.availability_grid(me.availability, settings)
key = st.session_state["avail_grid_key"] = f"avail_grid:{st.session_state.get('avail_v', 0)}"
with st.form("weekly"):
    edited = st.data_editor(grid, key=key, hide_index=True, disabled=["Day"], width="stretch")
    if st.form_submit_button("Save my weekly availability", type="primary"):
        windows = views.windows_from_grid(edited, settings)
        try:
            with db.session() as s:
                set_availability(s, user.volunteer_id, windows, actor=user.username)
            st.session_state["avail_flash"] = ("success", "Weekly availability saved.")
        except RosterError as err:
            st.session_state["avail_flash"] = ("error", "Not saved: " + "; ".join(err.messages))
        st.session_state["avail_v"] = st.session_state.get("avail_v", 0) + 1
        st.rerun()

st.subheader("Time off and extra days")
today = date.today()
upcoming = views.exceptions_table(me.exceptions, today=today)
if len(upcoming):
    st.table(views.table_safe(upcoming.drop(columns="id")), hide_index=True)
    labels = {int(row.id): f"{row.Date}, {row.Hours}, {row.What}" for row in upcoming.itertuples()}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    chosen = c1.selectbox("Remove", list(labels), format_func=labels.get, key="remove_choice")
    if c2.button("Remove", key="remove_exception"):
        with db.session() as s:
            remove_exception(s, user.volunteer_id, chosen, actor=user.username)
        st.session_state["avail_flash"] = ("success", "Removed.")
        st.rerun()
else:
    st.caption("No time off planned.")

with st.form("add_exception", clear_on_submit=True):
    day = st.date_input("Date", today + timedelta(days=1), min_value=today,
                        max_value=today + timedelta(days=366))
    kind = st.radio("What", ["off", "extra"], horizontal=True,
                    format_func={"off": "I can't come (time off)", "extra": "I can come extra"}.get)
    whole = st.checkbox("The whole day", True)
    c1, c2 = st.columns(2)
    start = c1.time_input("From", time(9), step=1800)
    end = c2.time_input("Until", time(17), step=1800)
    if st.form_submit_button("Add"):
        exception = DatedException(day, kind, None if whole else start, None if whole else end)
        if not whole and (start is None or end is None or end <= start):
            st.error('"Until" must be after "From".')
        else:
            try:
                with db.session() as s:
                    add_exception(s, user.volunteer_id, exception, actor=user.username)
                st.session_state["avail_flash"] = ("success", f"Added {views.day_label(day)}.")
                st.rerun()
            except RosterError as err:
                st.error("Not added: " + "; ".join(err.messages))
