"""Coordinator: the audit log (sign-ins, edits, publishes, exports, contact views, erasures)."""

import streamlit as st

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
st.caption("Who signed in, edited, published, exported, looked at contact details or erased a volunteer, "
           f"newest first. Times are the center's ({center.timezone}). Erasing a volunteer starts on the "
           "Roster page.")
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
