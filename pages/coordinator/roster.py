"""Coordinator: the roster as an editable table (every edit validated before it is saved), and invitations."""

from datetime import date

import streamlit as st

from planner.core.errors import PlannerError
from planner.core.labels import plural
from planner.core.problem import CHECK_STATUSES
from planner.present import roster as shown
from planner.services import audit, invitations, roster, settings
from planner.ui import flash, session
from planner.ui.session import require_role

user = require_role("coordinator")

st.title("Roster")
st.caption("Edit a cell and it is checked and saved at once. Add a volunteer in the empty last row. "
           "To take someone off the roster, untick Active: their history is kept.")

flash.show("roster")
for line in st.session_state.pop("roster_errors", []):
    flash.say("error", line)  # names the row by the volunteer's name: user text

version = st.session_state.get("roster_version", 0)
key = st.session_state["roster_editor_key"] = f"roster_editor:{version}"
# The table as shown, with the version of each row, kept while an edit is on its way: a save over
# someone else's newer edit is then refused (StaleVolunteer, both values shown), and the editor keeps
# the rows its edit positions refer to (new data under the same editor would drop or shift the edit).
pending = st.session_state.get(key) or {}
if not any(pending.get(part) for part in ("edited_rows", "added_rows", "deleted_rows")):
    st.session_state[f"{key}:shown"] = roster.list_for_edit()
editable = st.session_state[f"{key}:shown"]
records = [record for record, _ in editable]
seen = {record.id: row_version for record, row_version in editable}
audit.contact_view(user.username, "roster", sum(1 for r in records if r.email or r.phone),
                   memo=st.session_state)

for warning in shown.check_warnings(records, today=date.today()):
    flash.say("warning", warning)

st.data_editor(
    shown.roster_table(records), key=key, hide_index=True, num_rows="add",
    column_order=list(shown.ROSTER_COLUMNS),
    column_config={
        "Name": st.column_config.TextColumn("Name", required=True, max_chars=100),
        "Email": st.column_config.TextColumn("Email", max_chars=254),
        "Phone": st.column_config.TextColumn("Phone", max_chars=40),
        "Check": st.column_config.SelectboxColumn("Check", options=list(CHECK_STATUSES), required=True),
        "Check expires": st.column_config.DateColumn("Check expires", format="YYYY-MM-DD"),
        "Max shifts/week": st.column_config.NumberColumn(min_value=0, max_value=21, step=1),
        "Max meals/week": st.column_config.NumberColumn(min_value=0, max_value=21, step=1),
        "Availability": st.column_config.TextColumn(
            "Availability", help='Weekly windows like "Fri 09:00-17:00; Sat 09:00-13:00"', width="large"),
    },
)
edit = shown.roster_edit(records, st.session_state.get(key) or {})
if not edit.empty:
    if edit.errors:
        st.session_state["roster_errors"] = [*edit.errors, "Nothing was saved from that edit."]
    else:
        try:
            roster.save_edits(edit.updated, edit.added, seen, user.username)
            flash.later("roster", "success", f"Saved: {plural(len(edit.updated), 'volunteer')} changed, "
                                             f"{len(edit.added)} added.")
        except PlannerError as err:
            st.session_state["roster_errors"] = [*err.messages, "Nothing was saved from that edit."]
    st.session_state.pop(f"{key}:shown", None)
    st.session_state["roster_version"] = version + 1
    st.rerun()

st.caption(f"{len(records)} volunteers, {sum(r.active for r in records)} active.")

# ---------------------------------------------------------------- invitations (issue 12)
st.divider()
st.subheader("Invitations")
st.caption("Invite volunteers to make their own account: each gets an email with a link that works once, "
           "for 7 days. Inviting someone again sends a new link and the old one stops working. For someone "
           "without email, print a one-time code.")
flash.show("invitations")
printable = st.session_state.pop("invitation_code", None)
if printable:
    st.warning("Shown once: print or copy it now. It is not stored and cannot be shown again.")
    st.code(printable, language=None)

lines = invitations.roster_statuses()
st.dataframe(shown.invitation_table(lines, settings.load().timezone), hide_index=True,
             key="invitations_table")
open_lines = {line.volunteer_id: line for line in lines if line.status != "joined"}
round_ = st.session_state.get("invite_round", 0)
chosen = st.multiselect("Volunteers to invite (or invite again)", list(open_lines),
                        key=f"invite_chosen:{round_}",
                        format_func=lambda v: f"{open_lines[v].name} ({open_lines[v].status})")
by_email = [v for v in chosen if open_lines[v].has_email]
not_yet = [v for v, line in open_lines.items() if line.status == "not invited" and line.has_email]
expired = [v for v, line in open_lines.items() if line.status == "expired" and line.has_email]


def _invite(volunteer_ids: list[int]) -> None:
    try:
        report = invitations.invite_by_email(volunteer_ids, session.base_url(), user.username)
    except PlannerError as err:
        flash.later("invitations", "error", flash.refused("Not invited", err))
    else:
        kind = "success" if report.invited and not (report.waiting or report.skipped) else "warning"
        flash.later("invitations", kind, shown.invite_summary(report.invited, report.skipped, report.waiting))
    st.session_state["invite_round"] = round_ + 1
    st.rerun()


c1, c2, c3 = st.columns(3)
if c1.button(f"Email invitations ({len(by_email)})", type="primary", disabled=not by_email,
             key="invite_chosen_by_email"):
    _invite(by_email)
if c2.button(f"Invite everyone not invited yet ({len(not_yet)})", disabled=not not_yet, key="invite_not_yet"):
    _invite(not_yet)
if c3.button(f"Resend expired invitations ({len(expired)})", disabled=not expired, key="invite_expired"):
    _invite(expired)
if st.button("Printable code (one chosen volunteer)", disabled=len(chosen) != 1, key="invite_code",
             help="For someone without email: a one-time code to hand over on paper."):
    try:
        st.session_state["invitation_code"] = invitations.printable_code(chosen[0], session.base_url(),
                                                                         user.username).text
    except PlannerError as err:
        flash.later("invitations", "error", flash.refused("No code made", err))
    st.session_state["invite_round"] = round_ + 1
    st.rerun()
