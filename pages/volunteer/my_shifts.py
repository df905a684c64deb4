"""Volunteer: my upcoming shifts and dinners with coverage counts, my calendar file, "I can't make it"."""

import streamlit as st

from planner.core.errors import PlannerError
from planner.core.labels import day_label
from planner.present.my_shifts import shifts_table, teammates
from planner.present.text import table_safe
from planner.services import gaps, my_shifts
from planner.ui import feed_links, flash
from planner.ui.session import require_role

user = require_role("volunteer")

st.title("My shifts")
# The menu folds away on a phone: the other page is one tap from here too.
if st.button("My availability and time off", icon=":material/event_available:", key="to_availability"):
    st.switch_page("pages/volunteer/availability.py")
if user.volunteer_id is None:
    st.error("Your account is not linked to a volunteer. Please ask the coordinator.")
    st.stop()
flash.show("shifts")

weeks = my_shifts.load(user.volunteer_id)
if weeks is None:
    st.error("Your volunteer record was not found. Please ask the coordinator.")
    st.stop()

st.text(f"Hello {weeks.me.name.rstrip('.')}.")
if weeks.mine:
    team = None
    if weeks.names is not None:  # first names only, and only when the coordinator turned them on
        team = {m.slot.id: teammates(weeks.assignments[m.week_start], m.slot.id, weeks.key, weeks.names)
                for m in weeks.mine}
    st.table(table_safe(shifts_table(weeks.mine, weeks.settings.place, team)), hide_index=True)
    st.caption("Coverage: people on the slot (you included) of the number the center hopes for.")
    st.download_button("Add my shifts to my calendar (.ics)", weeks.calendar(), "my-shifts.ics",
                       "text/calendar",
                       key="my_shifts_ics", on_click=my_shifts.calendar_exported,
                       args=(user.volunteer_id, len(weeks.mine), user.username))
else:
    st.info(f"You have no published shifts in the next {my_shifts.WEEKS_AHEAD} weeks.")
if weeks.unpublished and len(weeks.unpublished) < my_shifts.WEEKS_AHEAD + 1:
    st.caption("Weeks not published yet: " + ", ".join(day_label(w) for w in weeks.unpublished) + ".")

st.header("Keep my phone's calendar up to date")
feed_links.panel(("volunteer", user.volunteer_id), user.username, what="your shifts")

upcoming = weeks.upcoming
if upcoming:
    st.header("I can't make it")
    # A fresh form only after it worked: a refused try keeps the chosen shift and the reason.
    with st.form(f"cancel:{st.session_state.get('cancel_form', 0)}"):
        choice = st.selectbox("Which shift?", range(len(upcoming)), format_func=lambda i: upcoming[i].title,
                              index=None, placeholder="Choose a shift")
        reason = st.text_input("Reason (optional)", max_chars=gaps.MAX_REASON,
                               help="The coordinator reads this. Please leave out health or other "
                                    "private details.")
        sure = st.checkbox("Yes, take me off this shift")
        submitted = st.form_submit_button("I can't make it")
    if submitted:
        if choice is None or not sure:
            st.error("Choose the shift and tick the box to confirm. Nothing was changed.")
        else:
            shift = upcoming[choice]
            try:
                my_shifts.cannot_come(user.volunteer_id, shift, reason, user.username)
                st.session_state["cancel_form"] = st.session_state.get("cancel_form", 0) + 1
                flash.later("shifts", "success", f"Thank you for telling us. You are off {shift.title}; "
                                                 "the coordinator will find someone else.")
                st.rerun()
            except PlannerError as err:
                flash.say("error", f"That did not work: {err}. Please reload the page or tell the "
                                   "coordinator.")
