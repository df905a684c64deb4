"""Check-in: the coordinator's attendance view with corrections, and the kiosk for the center's tablet."""

import streamlit as st

from planner.core.clock import center_now
from planner.core.errors import PlannerError
from planner.core.labels import day_label, slot_column
from planner.present import checkin as shown
from planner.present.text import md_escape
from planner.services import attendance, auth, settings
from planner.ui import flash
from planner.ui.session import KIOSK_KEY, enter_kiosk, leave_kiosk, require_role

user = require_role("coordinator")
ASK_KEY = "kiosk_ask_trained_by"  # (slot, trainee): the kiosk asks who is training them

today = center_now(settings.load().timezone).date()
kiosk = bool(st.session_state.get(KIOSK_KEY))

if kiosk:
    st.title(f"Welcome! {day_label(today)}")
    st.caption("Tap your name when you arrive and again when you leave.")
    flash.show("checkin")
    day = attendance.day(today)
    rows = shown.kiosk_rows(day.settings, today, day.on_duty, day.names, day.seen)
    if not rows:
        st.info("Nobody is on today's published plan. Names appear here on the days of a published week.")
    asking = st.session_state.get(ASK_KEY)
    trainee = next((r for r in rows if asking and (r.slot.id, r.volunteer) == tuple(asking)), None)
    teachers = shown.trainers(rows, trainee.slot.id, trainee.volunteer, day.trained) if trainee else []
    if trainee is not None and teachers:
        with st.container(border=True, key="kiosk_trained_by"):
            st.subheader(md_escape(f"{trainee.label}, who is training you today?"))
            for teacher in teachers:
                if st.button(md_escape(teacher.label), key=f"trainer_{teacher.volunteer}", width="stretch"):
                    try:
                        attendance.trained_by(trainee.slot.id, trainee.volunteer, teacher.volunteer)
                        flash.later("checkin", "success", f"Have a good shift, {trainee.label}!")
                    except PlannerError as err:
                        flash.later("checkin", "error", flash.refused("Not recorded", err))
                    st.session_state.pop(ASK_KEY, None)
                    st.rerun()
            if st.button("Not sure: skip", key="trainer_skip"):
                st.session_state.pop(ASK_KEY, None)
                st.rerun()
    heading = None
    for row in rows:
        if row.slot.id != heading:
            heading = row.slot.id
            st.header(slot_column(row.slot))
        action = row.action
        clicked = st.button(md_escape(shown.button_label(row)), key=f"tap_{row.slot.id}_{row.volunteer}",
                            disabled=action is None, width="stretch",
                            type="primary" if action == "in" else "secondary")
        if clicked and action is not None:
            try:
                attendance.tap(row.slot.id, row.volunteer, action)
                word = "Welcome" if action == "in" else "Thank you, see you soon"
                flash.later("checkin", "success", f"{word}, {row.label}!")
                if action == "in" and row.volunteer in day.trainees:
                    st.session_state[ASK_KEY] = (row.slot.id, row.volunteer)
            except PlannerError as err:
                flash.later("checkin", "error", flash.refused("Not recorded", err))
            st.rerun()
    with st.expander("Coordinator: leave kiosk mode"), st.form("kiosk_exit"):
        password = st.text_input("Your password", type="password", key="kiosk_password")
        if st.form_submit_button("Leave kiosk mode"):
            if auth.authenticate(user.username, password).ok:
                leave_kiosk()
                st.rerun()
            st.error("Wrong password: the kiosk stays open.")
    st.stop()

st.title("Check-in and attendance")
flash.show("checkin")
st.caption("Open kiosk mode on the center's tablet: volunteers then see only today's names "
           "(first name and last initial) and no other page until you leave it with your password.")
if st.button("Open kiosk mode", type="primary", key="open_kiosk"):
    enter_kiosk()
    st.rerun()

when = st.date_input("Day", today, key="checkin_day", format="YYYY-MM-DD")
day = attendance.day(when)
rows = shown.kiosk_rows(day.settings, when, day.on_duty, day.names, day.seen)
if not rows:
    st.info("Nobody is on the published plan that day. Publish the week on Plan the week: the people on "
            "it then appear here to check in, and you can correct their times.")
    st.stop()
st.dataframe(shown.attendance_table(rows, day.names, day.seen), hide_index=True, key="attendance_table")

st.header("Correct a record")
labels = {i: f"{slot_column(r.slot)}: {day.names.get(r.volunteer, r.volunteer)}" for i, r in enumerate(rows)}
with st.form("correct_form"):
    picked = st.selectbox("Who", list(labels), format_func=labels.get, key="correct_who")
    left, right = st.columns(2)
    came = left.text_input("Checked in (HH:MM, empty for none)", key="correct_in")
    went = right.text_input("Checked out (HH:MM, empty for none)", key="correct_out")
    no_show = st.checkbox("Did not come (no-show)", key="correct_no_show")
    if st.form_submit_button("Save correction"):
        row = rows[picked]
        timezone = day.settings.timezone
        try:
            attendance.correct(row.slot.id, row.volunteer,
                               checked_in_at=shown.parse_clock(came, when, timezone, "checked in"),
                               checked_out_at=shown.parse_clock(went, when, timezone, "checked out"),
                               no_show=no_show, actor=user.username)
        except PlannerError as err:
            flash.say("error", flash.refused("Not saved", err))
        else:
            flash.later("checkin", "success", f"Saved: {labels[picked]}.")
            st.rerun()
