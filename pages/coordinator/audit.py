"""Coordinator: the audit log (sign-ins, edits, publishes, exports, contact views) and erasing a volunteer."""

import streamlit as st

from planner import privacy, views
from planner.store import audit, db
from planner.store.roster import RosterError, erase_volunteer, list_volunteers
from planner.ui_session import require_role

user = require_role("coordinator")

LIMITS = (200, 1000, 5000)
st.title("Audit log")
flash = st.session_state.pop("audit_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])

st.caption("Who signed in, edited, published, exported or looked at contact details, newest first. "
           "Times are UTC.")
c1, c2 = st.columns([3, 1])
kinds = c1.multiselect("Show", list(privacy.AUDIT_KINDS) + ["Other"], key="audit_kinds",
                       placeholder="Everything")
limit = c2.selectbox("Entries", LIMITS, key="audit_limit")
with db.session() as s:
    entries = audit.recent(s, limit=limit)
table = privacy.audit_table(entries)
if kinds:
    table = table[table["Kind"].isin(kinds)]
st.dataframe(table, hide_index=True, key="audit_table", width="stretch")


def _exported() -> None:
    with db.session() as s:
        audit.record(s, user.username, "audit exported", "audit log", f"{len(table)} entries")


st.download_button("Download these entries (CSV)", views.csv_bytes(table), "audit-log.csv", "text/csv",
                   key="audit_csv", on_click=_exported)

st.subheader("Erase a volunteer")
st.caption("Removes the person's name, contacts, check status, availability and sign-in account for good. "
           "Past plans keep an anonymous entry, so coverage counts stay right. This cannot be undone.")
with db.session() as s:
    people = {v.id: v.name for v in list_volunteers(s)}
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
        st.error("Choose the volunteer to erase.")
    elif typed.strip() != people[chosen].strip():
        st.error("The name you typed does not match the chosen volunteer. Nothing was erased.")
    else:
        try:
            with db.session() as s:
                erase_volunteer(s, chosen, actor=user.username)
            st.session_state["audit_flash"] = ("success", f"Volunteer {chosen} was erased.")
        except RosterError as err:
            st.session_state["audit_flash"] = ("error", "Not erased: " + "; ".join(err.messages))
        st.rerun()
