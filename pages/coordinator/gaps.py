"""Coordinator: mark who dropped out of the published plan, then fill each gap or re-plan around it."""


import streamlit as st

from planner import gaps, notify, views
from planner.problem import ProblemError
from planner.store import cancellations, db, plans
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings
from planner.ui_session import require_role
from planner.ui_week import week_picker
from planner.validate import measure
from planner.weekbuild import build_problem

user = require_role("coordinator")

REPLAN_TIME_LIMIT = 20.0
st.title("Gaps and cancellations")
flash = st.session_state.pop("gaps_flash", None)
if flash:  # names are user text: shown escaped, never as Markdown or HTML
    getattr(st, flash[0])(views.md_escape(flash[1]))

with db.session() as s:
    settings = load_settings(s)
week = week_picker("Week", settings, key="gaps_week")
replan_key = f"gaps_replan:{week.isoformat()}"

try:
    with db.session() as s:
        problem = build_problem(s, week)
        published = plans.latest_published(s, week)
        open_gaps = cancellations.open_gaps(s, week)
        history = cancellations.list_cancellations(s, week)
        names = {r.key: r.name for r in list_volunteers(s)}
except (ProblemError, plans.PlanError, ValueError) as err:
    st.error(f"This week cannot be read: {err}")
    st.stop()

if published is None or published.version is None:
    st.info("Nothing is published for this week yet: plan and publish it first.")
    st.stop()
current = [a for a in published.assignments
           if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]
# Assignments of people since made inactive (or of slots the settings dropped) are kept as they are.
hidden = [a for a in published.assignments if a not in current]
st.caption(f"Published version {published.version}: {views.plural(len(current), 'assignment')}. "
           "Every change here is published at once as a new version; older versions stay readable.")


def _publish(session, assignments: list, why: str) -> plans.PlanVersion:
    """Publish a changed plan on top of the version this page was showing."""
    objective = measure(problem, assignments)
    version = plans.publish_assignments(session, week, [*assignments, *hidden], based_on=published.version,
                                        unfilled=objective.unfilled, below_target=objective.below_target,
                                        actor=user.username, why=why)
    notify.queue_plan_notices(session, week)
    return version


# ---------------------------------------------------------------- mark a cancellation
st.subheader("Mark a cancellation")
choices = views.published_choices(problem, current)
if not choices:
    st.caption("The published plan has nobody on a slot.")
else:
    labels = dict(enumerate(label for _, label in choices))
    with st.form("cancel_form"):
        picked = st.selectbox("Who cannot make it", list(labels), format_func=labels.get, key="cancel_pick")
        reason = st.text_input("Reason (optional, kept in the history)", max_chars=cancellations.MAX_REASON,
                               key="cancel_reason")
        if st.form_submit_button("Mark cancellation"):
            gone, label = choices[picked]
            try:
                with db.session() as s:
                    cancellations.cancel(s, week, gone.slot, gone.volunteer, reason, actor=user.username)
                    notify.queue_plan_notices(s, week)
                st.session_state["gaps_flash"] = ("success", f"Cancellation marked: {label}; the gap is "
                                                             "listed below with who can fill it.")
            except plans.PlanError as err:
                st.session_state["gaps_flash"] = ("error", f"Not marked: {views.readable(problem, str(err))}")
            st.session_state.pop(replan_key, None)
            st.rerun()

# ---------------------------------------------------------------- open gaps
st.subheader("Open gaps")
if not open_gaps:
    st.success("No open gaps this week.")
for gap in open_gaps:
    with st.container(border=True):
        st.text(views.gap_line(problem, gap, names))
        st.caption(views.slot_coverage(problem, current, gap.slot))
        found = gaps.suggestions(problem, current, gap.slot, exclude=[gap.volunteer])
        if found:
            st.dataframe(views.suggestion_table(found), hide_index=True, key=f"suggestions_{gap.id}")
            options = {f.volunteer: f"{f.name} ({views.plural(f.assigned_this_week, 'slot')} this week)"
                       for f in found}
            left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
            chosen = left.selectbox("Replacement", list(options), format_func=options.get,
                                    key=f"pick_{gap.id}")
            apply = mid.button("Apply", type="primary", key=f"apply_{gap.id}")
        else:
            st.warning("Nobody else can take this slot without breaking a rule (availability, check, caps, "
                       "overlaps, trainee pairing). Try the re-plan below, or leave it open.")
            right, apply, chosen = st.columns([4, 1])[1], False, None
        if right.button("Leave open", key=f"dismiss_{gap.id}", help="Close the gap without filling it"):
            with db.session() as s:
                cancellations.resolve_gap(s, gap.id, "dismissed", actor=user.username)
            st.session_state["gaps_flash"] = ("info", "The gap is closed without a replacement.")
            st.rerun()
        if apply and chosen is not None:
            after, breaks = gaps.add_person(problem, current, gap.slot, chosen)
            if breaks:
                st.error(views.md_escape("Not applied: " + "; ".join(
                    views.readable(problem, gaps.describe(b)) for b in breaks)))
            else:
                try:
                    with db.session() as s:
                        version = _publish(s, after, f"{chosen} replaces {gap.volunteer} on {gap.slot}")
                        cancellations.resolve_gap(s, gap.id, "replaced", replacement=chosen,
                                                  actor=user.username)
                    st.session_state["gaps_flash"] = (
                        "success", f"{problem.volunteer(chosen).name} replaces "
                                   f"{names.get(gap.volunteer, gap.volunteer)} on "
                                   f"{views.slot_name(problem, gap.slot)}. "
                                   f"Published as version {version.version}.")
                except plans.PlanError as err:
                    st.session_state["gaps_flash"] = ("error", f"Not applied: {err}")
                st.session_state.pop(replan_key, None)
                st.rerun()

# ---------------------------------------------------------------- minimal-change re-plan
if open_gaps:
    st.subheader("Re-plan around the gaps")
    st.caption("Keeps everyone on the published plan who still can come, and fills the gaps from the rest "
               "of the roster.")
    if st.button("Re-plan the gaps", key="replan_gaps"):
        with st.spinner("Re-planning..."):
            try:
                st.session_state[replan_key] = gaps.minimal_replan(problem, current,
                                                                   time_limit=REPLAN_TIME_LIMIT)
            except ProblemError as err:
                st.error(views.md_escape("The pins break the rules: " + "; ".join(
                    views.readable(problem, m) for m in err.messages)))
    replan = st.session_state.get(replan_key)
    if replan is not None:
        changes = views.plan_diff(problem, current, replan.assignments)
        before = measure(problem, current)
        st.text(f"Unfilled positions: {before.unfilled} now, {replan.objective.unfilled} after the re-plan.")
        for line in changes or ["No change: nobody else can fill these gaps."]:
            st.text(line)
        if changes and st.button("Publish the re-plan", type="primary", key="publish_replan"):
            try:
                with db.session() as s:
                    version = _publish(s, list(replan.assignments), "minimal re-plan")
                    for gap in open_gaps:
                        cancellations.resolve_gap(s, gap.id, "replanned", actor=user.username)
                st.session_state["gaps_flash"] = ("success", f"Published as version {version.version}. "
                                                             "Changes: " + "; ".join(changes) + ".")
            except plans.PlanError as err:
                st.session_state["gaps_flash"] = ("error", f"Not published: {err}")
            st.session_state.pop(replan_key, None)
            st.rerun()

if history:
    with st.expander(f"Cancellations this week ({len(history)})"):
        st.dataframe(views.cancellation_table(problem, history, names), hide_index=True, key="gap_history")
