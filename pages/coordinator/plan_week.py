"""Coordinator: plan a week, pin people, re-plan, save a draft and publish."""

from datetime import date

import streamlit as st

from planner import buffer, gaps, notify, views
from planner.engine import solve
from planner.engine.explain import unfilled_entries
from planner.problem import Assignment, ProblemError
from planner.store import db, plans
from planner.store.settings import load_settings
from planner.ui_session import require_role
from planner.ui_week import week_picker
from planner.validate import measure
from planner.weekbuild import build_problem

user = require_role("coordinator")

PLAN_TIME_LIMIT = 20.0
st.title("Plan the week")

with db.session() as s:
    settings = load_settings(s)
week = week_picker("Week", settings, key="week")
fresh_key = f"plan:{week.isoformat()}"


def _load(week_start: date):
    with db.session() as s:
        return (build_problem(s, week_start), plans.get_draft(s, week_start),
                plans.latest_published(s, week_start), plans.list_versions(s, week_start))


try:
    problem, draft, published, versions = _load(week)
except (ProblemError, plans.PlanError, ValueError) as err:
    st.error(f"This week cannot be read: {err}")
    st.stop()

flash = st.session_state.pop("plan_flash", None)
if flash:  # flashes carry names (user text): shown escaped, never as Markdown or HTML
    getattr(st, flash[0])(views.md_escape(flash[1]))

fresh = st.session_state.get(fresh_key)
if not problem.slots:
    st.warning("The center is not open on any day of this week. Change the open days in Center settings.")
    st.stop()

with db.session() as s:
    measured = buffer.measured_weekday_rates(s)  # issue 8: absences measured at check-in
if measured:
    buffer_label = buffer.option_label(measured)
    if buffer_label is None:
        st.caption(f"Measured no-show rates are below {buffer.THRESHOLD:.0%} on every day; "
                   "minimums stay as set.")
    elif st.checkbox(buffer_label, key="plan_buffer",
                     help="Raises each shift's minimum on those days so that, with the usual share of "
                          "people absent, the real minimum still comes. Applies when you plan."):
        problem = buffer.buffer_by_weekday(problem, measured)

left, right = st.columns([1, 3], vertical_alignment="center")
shown_label = "Re-plan" if (fresh or draft or published) else "Plan"
if left.button(shown_label, type="primary", key="plan_button"):
    with st.spinner("Planning the week..."):
        try:
            st.session_state[fresh_key] = solve(problem, time_limit=PLAN_TIME_LIMIT)
        except ProblemError as err:
            st.session_state.pop(fresh_key, None)
            st.session_state["plan_flash"] = ("error", "The pins break the rules: " + "; ".join(
                views.readable(problem, m) for m in err.messages))
    st.rerun()
right.caption(f"{len(problem.volunteers)} active volunteers, {len(problem.slots)} slots, "
              f"{len(problem.pinned)} pinned. Pins hold; a re-plan changes the published plan as little "
              "as it can.")

# Which plan to show: a fresh (unsaved) plan, else the draft, else the latest published version.
if fresh is not None:
    source, assignments = "New plan (not saved yet)", list(fresh.assignments)
elif draft is not None:
    source, assignments = "Saved draft", list(draft.assignments)
elif published is not None:
    source, assignments = f"Published version {published.version}", list(published.assignments)
else:
    source, assignments = None, []
assignments = [a for a in assignments if problem.has_slot(a.slot) and problem.has_volunteer(a.volunteer)]


def show_plan() -> None:
    unfilled = fresh.unfilled if fresh is not None else unfilled_entries(problem, assignments)
    st.subheader(source)
    grid = views.week_grid(problem, assignments, problem.pinned)
    st.table(views.styled_grid(grid))
    if fresh is not None:
        summary = views.objective_summary(problem, fresh)
        st.markdown("\n".join("- " + views.md_escape(line) for line in summary))
    else:
        objective = measure(problem, assignments)
        st.text(f"{objective.unfilled} unfilled positions, {objective.below_target} below target.")
    if unfilled:
        st.subheader("Unfilled positions")
        st.table(views.table_safe(views.unfilled_table(problem, unfilled)), hide_index=True)
    else:
        st.success("Every slot has at least its minimum, with a trained volunteer on each shift.")


if source is None:
    st.info("No plan for this week yet. Press Plan.")
else:
    show_plan()

# ---------------------------------------------------------------- save and publish
save_col, publish_col, discard_col = st.columns(3)
if save_col.button("Save draft", disabled=fresh is None, key="save_draft"):
    try:
        with db.session() as s:
            plans.save_draft(s, week, fresh.assignments, status=fresh.status,
                             unfilled=fresh.objective.unfilled, below_target=fresh.objective.below_target,
                             actor=user.username)
        st.session_state.pop(fresh_key, None)
        st.session_state["plan_flash"] = ("success", "Draft saved.")
    except (plans.PlanError, ValueError) as err:
        st.session_state["plan_flash"] = ("error", f"The draft was not saved: {err}")
    st.rerun()
if publish_col.button("Publish", type="primary", disabled=fresh is None and draft is None, key="publish"):
    try:
        with db.session() as s:
            if fresh is not None:
                plans.save_draft(s, week, fresh.assignments, status=fresh.status,
                                 unfilled=fresh.objective.unfilled,
                                 below_target=fresh.objective.below_target, actor=user.username)
            # Publishing on top of the same version twice (a double click) gives one version.
            version = plans.publish_draft(s, week, actor=user.username,
                                          key=f"{week}:{published.version if published else 0}")
            notify.queue_plan_notices(s, week)  # sent by `send-reminders`; queued with the publish
        changes = views.plan_diff(problem, published.assignments if published else (), version.assignments)
        st.session_state.pop(fresh_key, None)
        text = f"Published as version {version.version}."
        if published is not None:
            text += " Changes: " + ("; ".join(changes) if changes else "none") + "."
        st.session_state["plan_flash"] = ("success", text)
    except (plans.PlanError, ValueError) as err:
        st.session_state["plan_flash"] = ("error", f"Not published: {err}")
    st.rerun()
if discard_col.button("Discard draft", disabled=draft is None, key="discard"):
    with db.session() as s:
        plans.discard_draft(s, week, actor=user.username)
    st.session_state.pop(fresh_key, None)
    st.session_state["plan_flash"] = ("info", "Draft discarded.")
    st.rerun()
if published is not None and (fresh is not None or draft is not None):
    changes = views.plan_diff(problem, published.assignments, assignments)
    with st.expander(f"Changes against published version {published.version} ({len(changes)})"):
        for line in changes or ["No changes."]:
            st.text(line)

# ---------------------------------------------------------------- pins
st.subheader("Pins")
st.caption("A pinned person stays on the slot when you re-plan. Tick or untick Pinned.")
choices = views.assignment_choices(problem, assignments, problem.pinned)
pins_version = st.session_state.get("pins_version", 0)
pin_key = st.session_state["pins_editor_key"] = f"pins_editor:{week}:{pins_version}"
if len(choices):
    st.data_editor(choices, key=pin_key, hide_index=True, disabled=["Slot", "Volunteer"],
                   column_order=["Slot", "Volunteer", "Pinned"])
to_pin, to_unpin = views.pin_changes(choices, (st.session_state.get(pin_key) or {}).get("edited_rows", {}))
if to_pin or to_unpin:
    with db.session() as s:
        for pin in to_pin:
            plans.add_pin(s, week, pin, actor=user.username)
        for pin in to_unpin:
            plans.remove_pin(s, week, pin, actor=user.username)
    st.session_state["pins_version"] = st.session_state.get("pins_version", 0) + 1
    st.session_state["plan_flash"] = ("success", f"Pins saved ({len(to_pin)} pinned, {len(to_unpin)} "
                                                 "unpinned). Re-plan to use them.")
    st.rerun()

with st.form("add_pin"):
    st.caption("Put someone on a slot by hand: the pin is checked against the rules.")
    slot_ids = [sl.id for sl in sorted(problem.slots, key=lambda sl: sl.start)]
    slot_id = st.selectbox("Slot", slot_ids, format_func=lambda i: views.slot_title(problem.slot(i)))
    people = sorted(problem.volunteers, key=lambda v: v.name.casefold())
    vid = st.selectbox("Volunteer", [v.id for v in people], format_func=lambda i: problem.volunteer(i).name)
    if st.form_submit_button("Pin to slot"):
        pin = Assignment(slot_id, vid)
        problems = views.pin_problems(problem, pin)
        if pin in problem.pinned:
            st.info("Already pinned.")
        elif problems:
            st.error(views.md_escape("This pin breaks the rules: " + "; ".join(problems)
                                     + ". Nothing was pinned."))
        else:
            with db.session() as s:
                plans.add_pin(s, week, pin, actor=user.username)
            st.session_state["plan_flash"] = ("success", f"Pinned {problem.volunteer(vid).name} to "
                                                         f"{views.slot_title(problem.slot(slot_id))}. "
                                                         "Re-plan to fit everyone else around it.")
            st.session_state["pins_version"] = st.session_state.get("pins_version", 0) + 1
            st.rerun()

# ---------------------------------------------------------------- hand edits
st.subheader("Change by hand")
st.caption("Add or remove someone on a slot of the plan shown above. The change is checked against the "
           "rules and saved as the draft; publish to tell the volunteers.")
with st.form("hand_edit"):
    edit_slot = st.selectbox("Slot", slot_ids, format_func=lambda i: views.slot_title(problem.slot(i)),
                             key="hand_slot")
    edit_vid = st.selectbox("Volunteer", [v.id for v in people],
                            format_func=lambda i: problem.volunteer(i).name, key="hand_volunteer")
    add_col, remove_col = st.columns(2)
    add = add_col.form_submit_button("Add to slot")
    remove = remove_col.form_submit_button("Remove from slot")
if add or remove:
    edit = gaps.add_person if add else gaps.remove_person
    edited, breaks = edit(problem, assignments, edit_slot, edit_vid)
    if breaks:
        st.error(views.md_escape("Not changed. " + "; ".join(views.readable(problem, gaps.describe(b))
                                                             for b in breaks) + "."))
    else:
        objective = measure(problem, edited)
        try:
            with db.session() as s:
                plans.save_draft(s, week, edited, status="edited", unfilled=objective.unfilled,
                                 below_target=objective.below_target, actor=user.username)
            st.session_state.pop(fresh_key, None)
            verb = "added to" if add else "removed from"
            st.session_state["plan_flash"] = ("success", f"{problem.volunteer(edit_vid).name} {verb} "
                                                         f"{views.slot_title(problem.slot(edit_slot))}; "
                                                         "saved as the draft.")
        except plans.PlanError as err:
            st.session_state["plan_flash"] = ("error", f"Not changed: {err}")
        st.rerun()

if versions:
    with st.expander("Published versions"):
        for v in versions:
            if v.version is not None:
                st.text(f"Version {v.version}: published {v.published_at:%Y-%m-%d %H:%M} UTC "
                        f"by {v.published_by or 'unknown'}, {v.unfilled} unfilled.")
