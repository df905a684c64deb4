"""Volunteer: my upcoming shifts and dinners with coverage counts, my calendar file, "I can't make it"."""

from datetime import timedelta

import streamlit as st

from planner import notify, privacy, views
from planner.domain import monday_of, volunteer_key
from planner.io import my_calendar
from planner.store import audit, cancellations, db, plans
from planner.store.roster import get_volunteer, list_volunteers
from planner.store.settings import load_settings
from planner.ui_session import require_role

user = require_role("volunteer")

WEEKS_AHEAD = 4
st.title("My shifts")

if user.volunteer_id is None:
    st.error("Your account is not linked to a volunteer. Please ask the coordinator.")
    st.stop()
flash = st.session_state.pop("shifts_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

with db.session() as s:
    me = get_volunteer(s, user.volunteer_id)
    settings = load_settings(s)
    now = my_calendar.center_now(settings.timezone)
    weeks = [monday_of(now.date()) + timedelta(weeks=i) for i in range(WEEKS_AHEAD + 1)]
    published = {w: plans.latest_published(s, w) for w in weeks}
    # First names of teammates only when the coordinator turned them on; never surnames or contacts.
    names = {v.key: v.name for v in list_volunteers(s)} if settings.show_first_names else None
if me is None or me.erased:
    st.error("Your volunteer record was not found. Please ask the coordinator.")
    st.stop()



def _calendar_exported() -> None:
    with db.session() as s:
        audit.record(s, user.username, "calendar exported", f"volunteer {user.volunteer_id}",
                     views.plural(len(mine), "shift"))


st.text(f"Hello {me.name.rstrip('.')}.")
key = volunteer_key(user.volunteer_id)
assignments = {w: v.assignments for w, v in published.items() if v is not None}
mine = my_calendar.my_upcoming(settings, assignments, key, now.date())
if mine:
    team = None
    if names is not None:
        team = {m.slot.id: privacy.teammates(assignments[m.week_start], m.slot.id, key, names) for m in mine}
    st.table(views.table_safe(my_calendar.shifts_table(mine, settings.place, team)), hide_index=True)
    st.caption("Coverage: people on the slot (you included) of the number the center hopes for.")
    st.download_button("Add my shifts to my calendar (.ics)",
                       my_calendar.shifts_ics(mine, volunteer_key=key, place=settings.place,
                                              center_name=settings.name, timezone=settings.timezone),
                       "my-shifts.ics", "text/calendar", key="my_shifts_ics", on_click=_calendar_exported)
else:
    st.info(f"You have no published shifts in the next {WEEKS_AHEAD} weeks.")
unpublished = [w for w, v in published.items() if v is None]
if unpublished and len(unpublished) < len(published):
    st.caption("Weeks not published yet: " + ", ".join(views.day_label(w) for w in unpublished) + ".")

upcoming = [m for m in mine if m.slot.start > now]
if upcoming:
    st.subheader("I can't make it")
    with st.form("cancel", clear_on_submit=True):
        choice = st.selectbox("Which shift?", range(len(upcoming)), format_func=lambda i: upcoming[i].title,
                              index=None, placeholder="Choose a shift")
        reason = st.text_input("Reason (optional)", max_chars=cancellations.MAX_REASON,
                               help="The coordinator reads this. Please leave out health or other "
                                    "private details.")
        sure = st.checkbox("Yes, take me off this shift")
        submitted = st.form_submit_button("I can't make it")
    if submitted:
        if choice is None or not sure:
            st.error("Choose the shift and tick the box to confirm.")
        else:
            shift = upcoming[choice]
            try:
                with db.session() as s:
                    cancellations.cancel(s, shift.week_start, shift.slot.id, user.volunteer_id, reason,
                                         actor=user.username)
                    notify.queue_plan_notices(s, shift.week_start)
                st.session_state["shifts_flash"] = (
                    "success", f"Thank you for telling us. You are off {shift.title}; "
                               "the coordinator will find someone else.")
                st.rerun()
            except ValueError as err:  # PlanError, RosterError: e.g. the plan changed meanwhile
                st.error(f"That did not work: {views.md_escape(err)}. Please reload the page or tell "
                         "the coordinator.")
