"""Coordinator: the audit log (sign-ins, edits, publishes, exports, contact views) and erasing a volunteer."""

import streamlit as st

from planner.core.errors import PlannerError
from planner.present import audit as shown
from planner.present.text import csv_bytes
from planner.services import audit, roster, settings
from planner.ui import flash
from planner.ui.session import require_role

user = require_role("coordinator")

LIMITS = (200, 1000, 5000)
st.title("Audit log")
flash.show("audit")

center = settings.load()
st.caption("Who signed in, edited, published, exported or looked at contact details, newest first. "
           f"Times are the center's ({center.timezone}).")
c1, c2 = st.columns([3, 1])
kinds = c1.multiselect("Show", list(shown.AUDIT_KINDS) + ["Other"], key="audit_kinds",
                       placeholder="Everything")
limit = c2.selectbox("Entries", LIMITS, key="audit_limit")
people = roster.everyone()
table = shown.audit_table(audit.recent(limit), {v.key: v.name for v in people}, center.timezone)
if kinds:
    table = table[table["Kind"].isin(kinds)]
st.dataframe(table, hide_index=True, key="audit_table", width="stretch")
st.download_button("Download these entries (CSV)", csv_bytes(table), "audit-log.csv", "text/csv",
                   key="audit_csv", on_click=audit.record,
                   args=(user.username, "audit exported", "audit log", f"{len(table)} entries"))

st.header("Erase a volunteer")
st.caption("Removes the person's name, contacts, check status, availability and sign-in account for good. "
           "Past plans keep an anonymous entry, so coverage counts stay right. This cannot be undone.")
people = {v.id: v.name for v in people}
if not people:
    st.info("There is nobody on the roster.")
    st.stop()
with st.form("erase", clear_on_submit=True):
    chosen = st.selectbox("Volunteer", list(people), format_func=lambda i: f"{people[i]} (volunteer {i})",
                          index=None, placeholder="Choose a volunteer")
    typed = st.text_input("Type the volunteer's name to confirm", max_chars=100)
    submitted = st.form_submit_button("Erase permanently", type="primary")
if submitted:
    if chosen is None:
        flash.say("error", "Choose the volunteer to erase.")
    else:
        try:
            roster.erase(chosen, typed, user.username)
            flash.later("audit", "success", f"Volunteer {chosen} was erased.")
            st.rerun()
        except PlannerError as err:
            flash.say("error", str(err))
