"""Volunteer: my upcoming shifts and dinners, with coverage counts only (no other people)."""

from datetime import date, timedelta

import streamlit as st

from planner import views
from planner.domain import monday_of, volunteer_key
from planner.problem import Problem
from planner.store import db, plans
from planner.store.roster import get_volunteer
from planner.store.settings import load_settings
from planner.ui_session import require_role

user = require_role("volunteer")

WEEKS_AHEAD = 4
st.title("My shifts")

if user.volunteer_id is None:
    st.error("Your account is not linked to a volunteer. Please ask the coordinator.")
    st.stop()

today = date.today()
with db.session() as s:
    me = get_volunteer(s, user.volunteer_id)
    settings = load_settings(s)
    weeks = [(monday_of(today) + timedelta(weeks=i)) for i in range(WEEKS_AHEAD + 1)]
    published = {w: plans.latest_published(s, w) for w in weeks}
if me is None or me.erased:
    st.error("Your volunteer record was not found. Please ask the coordinator.")
    st.stop()

st.text(f"Hello {me.name.rstrip('.')}.")
key = volunteer_key(user.volunteer_id)
tables = []
for week, version in published.items():
    if version is None:
        continue
    problem = Problem(slots=settings.week_slots(week), volunteers=())
    tables.append(views.my_shifts_table(problem, version.assignments, key, settings.place, today=today))
rows = [t for t in tables if len(t)]
if rows:
    import pandas as pd

    mine = pd.concat(rows, ignore_index=True)
    st.table(views.table_safe(mine), hide_index=True)
    st.caption("Coverage: people on the slot (you included) of the number the center hopes for.")
else:
    st.info(f"You have no published shifts in the next {WEEKS_AHEAD} weeks.")
unpublished = [w for w, v in published.items() if v is None]
if unpublished and len(unpublished) < len(published):
    st.caption("Weeks not published yet: " + ", ".join(views.day_label(w) for w in unpublished) + ".")
