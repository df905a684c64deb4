"""Volunteer: my upcoming shifts and dinners with coverage counts, my calendar file, "I can't make it",
the open places I may take, standby days, and texts instead of email."""

import streamlit as st

from planner.core.errors import PlaceFilled, PlannerError
from planner.core.labels import coverage_label, day_label
from planner.present.my_shifts import shifts_table, teammates
from planner.present.offers import given_away_line, passed_sentence
from planner.present.text import table_safe
from planner.services import gaps, my_shifts, offers, texts
from planner.ui import feed_links, flash, session
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
                base = session.base_url()  # where the offer's links point
            except PlannerError:
                base = None
            try:
                passed = my_shifts.cannot_come(user.volunteer_id, shift, reason, user.username, base)
                st.session_state["cancel_form"] = st.session_state.get("cancel_form", 0) + 1
                flash.later("shifts", "success", passed_sentence(shift.title, passed.offered, passed.late,
                                                                 passed.cutoff_hours))
                st.rerun()
            except PlannerError as err:
                flash.say("error", f"That did not work: {err}. Please reload the page or tell the "
                                   "coordinator.")

given = offers.given_away(user.volunteer_id)
if given:
    st.header("Shifts you gave away")
    for item in given:
        st.text(given_away_line(item))

st.header("Open shifts")
places = offers.open_places(user.volunteer_id)
if not places:
    st.caption("No open place fits you right now (your check, your weekly cap, your other shifts). New ones "
               "appear here when someone cannot come.")
for place in places:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.text(f"{place.title}\n{coverage_label(place.people, place.slot.target)} people so far")
    if right.button("Take it", key=f"claim:{place.slot.id}"):
        try:
            done = offers.claim(user.volunteer_id, place.week_start, place.slot.id, user.username)
        except PlaceFilled as err:
            flash.later("shifts", "info", "; ".join(err.messages))
        except PlannerError as err:
            flash.later("shifts", "error", "; ".join(err.messages))
        else:
            flash.later("shifts", "success", f"It is yours: {done.title}. Thank you!")
        st.rerun()

st.header("Standby")
standing = offers.standby(user.volunteer_id)
st.caption("On a standby day you are offered open places first, by email or text, before anyone else.")
with st.form("standby"):
    days = st.multiselect("Days I can step in", standing.days, default=sorted(standing.chosen),
                          format_func=day_label)
    if st.form_submit_button("Save my standby days"):
        try:
            offers.set_standby(user.volunteer_id, days, user.username)
        except PlannerError as err:
            flash.later("shifts", "error", "; ".join(err.messages))
        else:
            flash.later("shifts", "success", "Standby days saved.")
        st.rerun()

chosen = texts.choice(user.volunteer_id)
if chosen.available:
    st.header("Texts")
    if chosen.stopped:
        st.info("Your number answered STOP, so you get no texts; reminders and offers come by email.")
    elif chosen.number is None:
        st.caption("The phone on your record cannot take texts; ask the coordinator to put it in with the "
                   "country code (like +1 816 555 0101).")
    else:
        st.caption(f"Texts go to {chosen.number}, the phone on your record. They say only the time and a "
                   "link: a phone may be shared. Reply STOP to stop them.")
        wanted = st.toggle("Text me reminders and offers instead of email", chosen.opted_in, key="texts_on")
        if wanted != chosen.opted_in:
            try:
                texts.choose(user.volunteer_id, wanted, user.username)
            except PlannerError as err:
                flash.later("shifts", "error", "; ".join(err.messages))
            else:
                flash.later("shifts", "success", "Texts are on." if wanted else "Texts are off: email again.")
            st.rerun()
