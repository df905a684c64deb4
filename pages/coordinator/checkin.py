"""Check-in: the coordinator's attendance view with corrections, and the kiosk for the center's tablet."""

from datetime import date

import streamlit as st

from planner import auth, checkin, views
from planner.io.my_calendar import center_now
from planner.store import attendance, db
from planner.store.models import utcnow
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings
from planner.ui_session import require_role

user = require_role("coordinator")

with db.session() as s:
    settings = load_settings(s)
today = center_now(settings.timezone).date()
kiosk = bool(st.session_state.get(checkin.KIOSK_KEY))
flash = st.session_state.pop("checkin_flash", None)


def _day(day: date) -> tuple[list[checkin.KioskRow], dict, dict]:
    with db.session() as s:
        seen = {(a.slot, a.volunteer): a for a in attendance.list_attendance(s, day, day)}
        names = {v.key: v.name for v in list_volunteers(s)}
        rows = checkin.kiosk_rows(settings, day, attendance.on_duty(s, day), names, seen)
    return rows, names, seen


if kiosk:
    st.title(f"Welcome! {views.day_label(today)}")
    st.caption("Tap your name when you arrive and again when you leave.")
    if flash:
        getattr(st, flash[0])(views.md_escape(flash[1]))
    rows, _, _ = _day(today)
    if not rows:
        st.info("Nobody is on today's published plan.")
    heading = None
    for row in rows:
        if row.slot.id != heading:
            heading = row.slot.id
            st.subheader(views.slot_column(row.slot))
        action = row.action
        clicked = st.button(views.md_escape(checkin.button_label(row)),
                            key=f"tap_{row.slot.id}_{row.volunteer}", disabled=action is None,
                            width="stretch", type="primary" if action == "in" else "secondary")
        if clicked and action is not None:
            try:
                with db.session() as s:
                    if action == "in":
                        attendance.check_in(s, row.slot.id, row.volunteer, utcnow(), actor="kiosk")
                    else:
                        attendance.check_out(s, row.slot.id, row.volunteer, utcnow(), actor="kiosk")
                word = "Welcome" if action == "in" else "Thank you, see you soon"
                st.session_state["checkin_flash"] = ("success", f"{word}, {row.label}!")
            except attendance.AttendanceError as err:
                st.session_state["checkin_flash"] = ("error", f"Not recorded: {err}")
            st.rerun()
    with st.expander("Coordinator: leave kiosk mode"), st.form("kiosk_exit"):
        password = st.text_input("Your password", type="password", key="kiosk_password")
        if st.form_submit_button("Leave kiosk mode"):
            if auth.authenticate(user.username, password).ok:
                st.session_state.pop(checkin.KIOSK_KEY, None)
                st.rerun()
            st.error("Wrong password: the kiosk stays open.")
    st.stop()

st.title("Check-in and attendance")
if flash:
    getattr(st, flash[0])(views.md_escape(flash[1]))
st.caption("Open kiosk mode on the center's tablet: volunteers then see only today's names "
           "(first name and last initial) and no other page until you leave it with your password.")
if st.button("Open kiosk mode", type="primary", key="open_kiosk"):
    st.session_state[checkin.KIOSK_KEY] = True
    st.rerun()

day = st.date_input("Day", today, key="checkin_day", format="YYYY-MM-DD")
rows, names, seen = _day(day)
if not rows:
    st.info("Nobody is on the published plan that day.")
    st.stop()
st.dataframe(checkin.attendance_table(rows, names, seen), hide_index=True, key="attendance_table")

st.subheader("Correct a record")
labels = {i: f"{views.slot_column(r.slot)}: {names.get(r.volunteer, r.volunteer)}"
          for i, r in enumerate(rows)}
with st.form("correct_form"):
    picked = st.selectbox("Who", list(labels), format_func=labels.get, key="correct_who")
    left, right = st.columns(2)
    came = left.text_input("Checked in (HH:MM, empty for none)", key="correct_in")
    went = right.text_input("Checked out (HH:MM, empty for none)", key="correct_out")
    no_show = st.checkbox("Did not come (no-show)", key="correct_no_show")
    if st.form_submit_button("Save correction"):
        row = rows[picked]
        try:
            start = checkin.parse_clock(came, day, settings.timezone, "checked in")
            end = checkin.parse_clock(went, day, settings.timezone, "checked out")
            with db.session() as s:
                attendance.correct(s, row.slot.id, row.volunteer, checked_in_at=start, checked_out_at=end,
                                   no_show=no_show, actor=user.username)
        except ValueError as err:  # AttendanceError too
            st.error(views.md_escape(f"Not saved: {err}"))
        else:
            st.session_state["checkin_flash"] = ("success", f"Saved: {labels[picked]}.")
            st.rerun()
