"""Coordinator: people who signed up on the public page, one click per stage; trainees to mark trained."""

import streamlit as st

from planner.core.applicants import STAGES, Entry, stage_label
from planner.core.errors import PlannerError
from planner.core.labels import plural
from planner.present import applicants as shown
from planner.present.text import md_escape
from planner.services import applicants, audit
from planner.ui import flash, session
from planner.ui.session import require_role

user = require_role("coordinator")

st.title("Applicants")
flash.show("applicants")
try:
    share = f"{session.base_url()}/volunteer"
except PlannerError:
    share = "/volunteer"
st.caption("People who signed up on the center's public page. Share its link wherever you ask for "
           "volunteers:")
st.code(share, language=None)

data = applicants.pipeline()
entries = data.entries
audit.contact_view(user.username, "applicants", sum(1 for e in entries if e.email or e.phone),
                   memo=st.session_state)
st.caption(md_escape(shown.stage_summary([e.applicant for e in entries])))
tallied = shown.tally_sentence(data.tallies)
if tallied:
    st.caption(tallied)


def _move(entry: Entry, to: str | None = None) -> None:
    try:
        base = session.base_url()
    except PlannerError:
        base = None
    try:
        moved = applicants.advance(entry.applicant.id, entry.applicant.stage, user.username, base, to=to)
    except PlannerError as err:
        flash.later("applicants", "error", flash.refused("Not moved", err))
    else:
        flash.later("applicants", "warning" if moved.warning else "success",
                    moved.text + (f" {moved.warning}" if moved.warning else ""))
    st.rerun()


def _decline(entry: Entry) -> None:
    try:
        text = applicants.decline(entry.applicant.id, entry.applicant.stage, user.username)
    except PlannerError as err:
        flash.later("applicants", "error", flash.refused("Not declined", err))
    else:
        flash.later("applicants", "success", f"{entry.name}: {text}")
    st.rerun()


ready = [e for e in entries if e.ready]
if ready:
    st.header("Ready to be marked trained")
    for e in ready:
        with st.container(border=True, key=f"ready_{e.applicant.id}"):
            st.markdown(md_escape(shown.ready_sentence(e.name, e.shadow_shifts or 0,
                                                       data.settings.shadow_shifts_needed)))
            if st.button(f"Mark {e.name} trained", type="primary",
                         key=f"train_{e.applicant.id}_{e.applicant.stage}"):
                _move(e, to="trained")

if not entries:
    st.info("Nobody has signed up yet. When someone sends the form on the public page, they appear here as "
            "New; each click then moves them one stage on.")
for stage in STAGES:
    group = [e for e in entries if e.applicant.stage == stage and e.applicant.declined_at is None]
    if not group:
        continue
    st.header(f"{stage_label(stage)} ({len(group)})")
    for e in group:
        applicant = e.applicant
        with st.container(border=True, key=f"applicant_{applicant.id}"):
            left, middle, right = st.columns([3, 2, 2], vertical_alignment="center")
            left.markdown(f"**{md_escape(e.name)}**: {md_escape(shown.offers(e.does_shifts, e.does_meals))}")
            left.text(" · ".join(x for x in (e.email, e.phone) if x) or "no contact details")  # no links
            times = "; ".join(str(w) for w in e.availability)
            middle.caption(md_escape(f"In this stage {shown.duration(data.now - applicant.since)}. "
                                     f"Can come: {times or 'no times given'}."))
            if e.shadow_shifts is not None:
                middle.caption(f"{plural(e.shadow_shifts, 'shift')} beside trained volunteers so far "
                               f"({data.settings.shadow_shifts_needed} asked for).")
            label = shown.next_label(applicant)
            # The stage is in each key: a click that reaches the server after the applicant moved on (a double
            # click, another coordinator) finds no such button and does nothing.
            if label and right.button(label, key=f"next_{applicant.id}_{stage}", width="stretch"):
                _move(e)
            if shown.can_decline(applicant):
                with right.popover("Decline", width="stretch"):
                    st.caption(f"Declined applicants are erased after "
                               f"{data.settings.applicant_retention_days} days; only a count stays.")
                    if st.button("Decline for good", key=f"decline_{applicant.id}_{stage}"):
                        _decline(e)

declined = [e for e in entries if e.applicant.declined_at is not None]
if declined:
    st.header(f"Declined ({len(declined)})")
    st.caption(f"Erased {data.settings.applicant_retention_days} days after they were declined.")
    for e in declined:
        st.markdown(md_escape(f"{e.name}: {shown.status(e.applicant)}, "
                              f"{shown.duration(data.now - e.applicant.since)} ago"))

if entries:
    st.header("All applicants")
    st.dataframe(shown.pipeline_table(entries, data.now), hide_index=True, key="applicants_table")
