"""Coordinator: plan a week, pin people, re-plan, save a draft and publish."""

import streamlit as st

from planner.core.errors import PlannerError, PublishedMeanwhile
from planner.core.problem import Assignment
from planner.present import plan as shown
from planner.present.text import md_escape, table_safe
from planner.services import planning, publish, settings, week
from planner.ui import flash, told
from planner.ui.session import require_role
from planner.ui.week import week_picker

user = require_role("coordinator")

st.title("Plan the week")
chosen = week_picker("Week", settings.load(), key="week")
fresh_key = f"plan:{chosen.isoformat()}"
# The published version the plan on screen was made from (fresh) or shown beside (draft): a publish
# is based on it, so someone else's publish in between is refused, not silently replaced.
based_key = f"plan_based_on:{chosen.isoformat()}"
state = week.load_week(chosen)
problem = state.problem
draft, published = state.draft, state.published
flash.show("plan")
told.show("plan", chosen, user)

fresh = st.session_state.get(fresh_key)
if not problem.slots:
    st.warning("The center is not open on any day of this week. Change the open days in Center settings.")
    st.stop()

rates = planning.measured_weekday_rates()  # absences measured at check-in
if rates:
    label = shown.buffer_label(rates)
    if label is None:
        st.caption("Measured no-show rates are below 10% on every day; minimums stay as set.")
    elif st.checkbox(label, key="plan_buffer",
                     help="Raises each shift's minimum on those days so that, with the usual share of people "
                          "absent, the real minimum still comes. Applies when you plan."):
        problem = planning.staffed_for_no_shows(problem, rates)

left, right = st.columns([1, 3], vertical_alignment="center")
if left.button("Re-plan" if (fresh or draft or published) else "Plan", type="primary", key="plan_button"):
    with st.spinner("Planning the week..."):
        try:
            st.session_state[fresh_key] = planning.plan(problem)
            st.session_state[based_key] = published.version if published else None
        except PlannerError as err:
            st.session_state.pop(fresh_key, None)
            flash.later("plan", "error", "The pins break the rules: " + "; ".join(
                shown.readable(problem, m) for m in err.messages))
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
assignments = state.known(assignments)

if source is None:
    st.info("No plan for this week yet. Press Plan.")
else:
    st.header(source)
    st.table(shown.styled_grid(shown.week_grid(problem, assignments, problem.pinned)))
    st.caption(shown.GRID_LEGEND)
    st.markdown("\n".join("- " + md_escape(line) for line in shown.summary(problem, assignments, fresh)))
    short = shown.short_table(problem, assignments)
    if len(short):
        st.header("Why slots are short")
        st.table(table_safe(short), hide_index=True)
    else:
        st.success("Every slot has at least its minimum, with a trained volunteer on each shift.")

# ---------------------------------------------------------------- save and publish
save_col, publish_col, discard_col = st.columns(3)
if save_col.button("Save draft", disabled=fresh is None, key="save_draft"):
    try:
        planning.save_draft(chosen, fresh, user.username)
        st.session_state.pop(fresh_key, None)
        flash.later("plan", "success", "Draft saved.")
    except PlannerError as err:
        flash.later("plan", "error", flash.refused("The draft was not saved", err))
    st.rerun()
if publish_col.button("Publish", type="primary", disabled=fresh is None and draft is None, key="publish"):
    mine = fresh.assignments if fresh is not None else None
    try:
        done = publish.publish_plan(chosen, mine, based_on=st.session_state.get(based_key),
                                    actor=user.username, status=fresh.status if fresh is not None else "")
        st.session_state.pop(fresh_key, None)
        text = f"Published as version {done.version.version}."
        if done.previous is not None:
            changes = shown.plan_diff(problem, done.previous.assignments, done.version.assignments,
                                      state.names)
            text += " Changes: " + ("; ".join(changes) if changes else "none") + "."
        flash.later("plan", "success", text)
        told.later("plan", chosen, done)
    except PublishedMeanwhile as err:
        refused = mine if mine is not None else draft.assignments if draft is not None else ()
        theirs_vs_mine = shown.publish_conflict(problem, err.theirs, refused, err.latest, state.names)
        flash.later("plan", "error", flash.refused("Not published", err) + " " + theirs_vs_mine)
    except PlannerError as err:
        flash.later("plan", "error", flash.refused("Not published", err))
    st.rerun()
if discard_col.button("Discard draft", disabled=draft is None, key="discard"):
    planning.discard_draft(chosen, user.username)
    st.session_state.pop(fresh_key, None)
    flash.later("plan", "info", "Draft discarded.")
    st.rerun()
if published is not None and (fresh is not None or draft is not None):
    changes = shown.plan_diff(problem, published.assignments, assignments, state.names)
    with st.expander(f"Changes against published version {published.version} ({len(changes)})"):
        for line in changes or ["No changes."]:
            st.text(line)

# ---------------------------------------------------------------- pins
st.header("Pins")
st.caption("A pinned person stays on the slot when you re-plan. Tick or untick Pinned.")
choices = shown.assignment_choices(problem, assignments, problem.pinned)
pins_version = st.session_state.get("pins_version", 0)
pin_key = st.session_state["pins_editor_key"] = f"pins_editor:{chosen}:{pins_version}"
if len(choices):
    st.data_editor(choices, key=pin_key, hide_index=True, disabled=["Slot", "Volunteer"],
                   column_order=["Slot", "Volunteer", "Pinned"])
to_pin, to_unpin = shown.pin_changes(choices, (st.session_state.get(pin_key) or {}).get("edited_rows", {}))
if to_pin or to_unpin:
    planning.change_pins(chosen, to_pin, to_unpin, user.username)
    st.session_state["pins_version"] = pins_version + 1
    flash.later("plan", "success", f"Pins saved ({len(to_pin)} pinned, {len(to_unpin)} unpinned). "
                                   "Re-plan to use them.")
    st.rerun()

# ---------------------------------------------------------------- by hand
st.header("Put someone on a slot, or take them off")
st.caption("Pin: they stay on the slot in every re-plan until you unpin them. Add: they join the plan shown "
           "here, saved as the draft, and a re-plan may move them. Both are checked against the rules.")
slot_ids = [sl.id for sl in sorted(problem.slots, key=lambda sl: sl.start)]
left, right = st.columns(2)
slot_id = left.selectbox("Slot", slot_ids, format_func=lambda i: shown.slot_title(problem.slot(i)),
                         key="by_hand_slot")
choices = shown.people_for(problem, slot_id, assignments)
if not choices:
    right.caption("Nobody on the roster can work this slot (kind, availability, background check).")
else:
    vid = right.selectbox("Volunteer", list(choices), format_func=choices.get,
                          key=f"by_hand_volunteer:{slot_id}",
                          help="Only people who do this kind of slot, are available then and hold a valid "
                               "check.")
    picked = Assignment(slot_id, vid)
    pin_col, add_col, remove_col = st.columns(3)
    pin = pin_col.button("Pin to this slot", key="by_hand_pin", disabled=picked in problem.pinned,
                         help="Kept on this slot in every re-plan, until unpinned.")
    add = add_col.button("Add to this plan", key="by_hand_add", disabled=picked in assignments,
                         help="Added to the plan shown above and saved as the draft; a re-plan may move "
                              "them.")
    remove = remove_col.button("Remove from this plan", key="by_hand_remove",
                               disabled=picked not in assignments)
    who, where = problem.volunteer(vid).name, shown.slot_title(problem.slot(slot_id))
    if pin:
        try:
            planning.add_pin(chosen, problem, picked, user.username)
        except PlannerError as err:
            reasons = "; ".join(shown.readable(problem, m) for m in err.messages)
            flash.say("error", f"Not pinned: {reasons}.")
        else:
            flash.later("plan", "success", f"Pinned {who} to {where}. Re-plan to fit everyone else around "
                                           "it.")
            st.session_state["pins_version"] = pins_version + 1
            st.rerun()
    if add or remove:
        try:
            planning.hand_edit(chosen, problem, assignments, slot_id, vid, add=add, actor=user.username)
        except PlannerError as err:
            reasons = "; ".join(shown.readable(problem, m) for m in err.messages)
            flash.say("error", f"Not changed. {reasons}.")
        else:
            st.session_state.pop(fresh_key, None)
            done = "added to" if add else "removed from"
            flash.later("plan", "success", f"{who} {done} {where}; saved as the draft.")
            st.rerun()

if st.session_state.get(fresh_key) is None:  # a draft or the published plan: based on what was shown
    st.session_state[based_key] = published.version if published else None

if state.versions:
    with st.expander("Published versions"):
        for v in state.versions:
            if v.version is not None:
                st.text(shown.version_line(v, state.settings.timezone))
