"""Coordinator: the roster (an add form, an editable table validated before saving, who is free when),
invitations, and erasing a volunteer."""

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
st.caption("Edit a cell and it is checked and saved at once. Add a volunteer with the form below or in "
           "the empty last row of the table. To take someone off the roster, untick Active: their history "
           "is kept.")

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

adding = st.session_state.get("add_round", 0)  # a new round after a success empties the form


def _k(name: str) -> str:
    return f"add_{name}:{adding}"


# Open after a refused entry: the messages above move it, so the browser draws it anew, closed by default.
refused = st.session_state.pop("add_refused", False)
with (st.expander("Add a volunteer", expanded=not records or refused, icon=":material/person_add:"),
      st.form("add_volunteer")):
    c1, c2, c3 = st.columns(3)
    cells = {"Name": c1.text_input("Name", max_chars=100, key=_k("name"),
                                   help="As the roster shows it, e.g. Ana R."),
             "Email": c2.text_input("Email (optional)", max_chars=254, key=_k("email")),
             "Phone": c3.text_input("Phone (optional)", max_chars=40, key=_k("phone"))}
    c1, c2, c3 = st.columns(3)
    cells["Shifts"] = c1.checkbox("Takes shifts", value=True, key=_k("shifts"))
    cells["Meals"] = c1.checkbox("Brings dinner", key=_k("meals"))
    cells["Trained"] = c1.checkbox("Trained", key=_k("trained"),
                                   help="Untrained volunteers always work beside a trained one.")
    cells["Check"] = c2.selectbox("Background check", list(CHECK_STATUSES), key=_k("check"),
                                  index=list(CHECK_STATUSES).index("none"))
    cells["Check expires"] = c2.date_input("Check expires", value=None, key=_k("expires"))
    cells["Max shifts/week"] = c3.number_input("Max shifts/week", 0, 21, 1, key=_k("max_shifts"))
    cells["Max meals/week"] = c3.number_input("Max meals/week", 0, 21, 0, key=_k("max_meals"))
    cells["Availability"] = st.text_input("Availability", placeholder="Fri 09:00-17:00; Sat 09:00-13:00",
                                          key=_k("availability"),
                                          help="Weekly windows; the volunteer can change them later.")
    added = st.form_submit_button("Add to the roster", type="primary")
if added:
    new, problems = shown.new_volunteer(cells)
    if problems:
        st.session_state["roster_errors"] = [*problems, "Nobody was added."]
        st.session_state["add_refused"] = True
    else:
        try:
            roster.save_edits([], [new], seen, user.username)
            flash.later("roster", "success", f"Added {new.name} to the roster.")
            st.session_state["add_round"] = adding + 1
        except PlannerError as err:
            st.session_state["roster_errors"] = [*err.messages, "Nobody was added."]
            st.session_state["add_refused"] = True
    st.session_state.pop(f"{key}:shown", None)
    st.session_state["roster_version"] = version + 1
    st.rerun()

st.data_editor(
    shown.roster_table(records), key=key, hide_index=True, num_rows="add",
    height=shown.editor_height(len(records)),
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

st.header("Who is usually free")
center = settings.load()
st.caption("Active volunteers whose weekly availability covers each slot of the open days "
           "(time off and weekly caps not counted).")
st.dataframe(shown.availability_overview(records, center), hide_index=True, key="availability_overview")

# ---------------------------------------------------------------- invitations (issue 12)
st.divider()
st.header("Invitations")
st.caption("Invite volunteers to make their own account: each gets an email with a link that works once, "
           "for 7 days. Inviting someone again sends a new link and the old one stops working. For someone "
           "without email, print a one-time code.")
flash.show("invitations")
printable = st.session_state.pop("invitation_code", None)
if printable:
    st.warning("Shown once: print or copy it now. It is not stored and cannot be shown again.")
    st.code(printable, language=None)

lines = invitations.roster_statuses()
st.dataframe(shown.invitation_table(lines, center.timezone), hide_index=True,
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

# ---------------------------------------------------------------- erasure (the right to be forgotten)
st.divider()
st.header("Erase a volunteer")
st.caption("Removes the person's name, contacts, check status, availability and sign-in account for good. "
           "Past plans keep an anonymous entry, so coverage counts stay right. This cannot be undone. "
           "The audit log records who erased whom.")
flash.show("erase")
people = {r.id: r.name for r in records if not r.erased}
with st.form("erase", clear_on_submit=True):
    doomed = st.selectbox("Volunteer", list(people), format_func=people.get, index=None,
                          placeholder="Choose a volunteer")
    typed = st.text_input("Type the volunteer's name to confirm", max_chars=100)
    erase = st.form_submit_button("Erase permanently")
if erase:
    if doomed is None:
        flash.say("error", "Choose the volunteer to erase.")
    else:
        try:
            roster.erase(doomed, typed, user.username)
        except PlannerError as err:
            flash.say("error", flash.refused("Not erased", err))
        else:  # the name is gone from here on, this page included
            flash.later("erase", "success",
                        "Erased: the volunteer's name, contacts, availability and account.")
            st.session_state.pop(f"{key}:shown", None)
            st.session_state["roster_version"] = version + 1
            st.rerun()
