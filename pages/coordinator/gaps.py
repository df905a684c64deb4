"""Coordinator: mark who dropped out of the published plan, then fill each gap (by hand, or by offering
it to the volunteers who can take it) or re-plan around it; offer short slots; see each offer's state."""

from collections.abc import Callable

import streamlit as st

from planner.core.errors import PlannerError
from planner.core.labels import plural
from planner.present import gaps as shown
from planner.present.offers import offer_line, offered_sentence, offers_table
from planner.present.plan import plan_diff, readable
from planner.services import audit, gaps, offers, settings
from planner.ui import flash, session, told
from planner.ui.session import require_role
from planner.ui.week import week_picker

user = require_role("coordinator")

st.title("Gaps and cancellations")
flash.show("gaps")

center = settings.load()
chosen = week_picker("Week", center, key="gaps_week")
told.show("gaps", chosen, user)
replan_key = f"gaps_replan:{chosen.isoformat()}"
state = gaps.load(chosen)
problem = state.problem
if state.published is None:
    st.info("Nothing is published for this week yet: plan and publish it first.")
    st.stop()
st.caption(f"Published version {state.version}: {plural(len(state.current), 'assignment')}. "
           "Every change here is published at once as a new version; older versions stay readable.")


def _published(text: str, done: gaps.Published) -> None:
    flash.later("gaps", "success", f"{text} Published as version {done.version.version}.")
    told.later("gaps", chosen, done)


def _base_url() -> str | None:
    """Where offers' links point (PLANNER_PUBLIC_URL, else this browser's address)."""
    try:
        return session.base_url()
    except PlannerError:
        return None


def _offer(make: Callable[[str], offers.OfferReport]) -> None:
    """Offer a place (the links need the app's address), say to whom, and show the page again."""
    try:
        report = make(session.base_url())
    except PlannerError as err:
        flash.later("gaps", "error", flash.refused("Not offered", err))
    else:
        flash.later("gaps", "success" if report.offer is not None else "warning",
                    offered_sentence(report.offered, report.unreachable, report.waiting))
    st.rerun()


week_offers, offer_names = offers.week_offers(chosen)
gap_offers = {o.gap_id: o for o in reversed(week_offers) if o.gap_id is not None}  # the newest per gap


# ---------------------------------------------------------------- mark a cancellation
st.header("Mark a cancellation")
choices = shown.published_choices(problem, state.current)
if not choices:
    st.caption("The published plan has nobody on a slot.")
else:
    labels = dict(choices)
    # A new round after each mark starts the form afresh (nobody chosen, no reason); a refused click, or a
    # publish by someone else meanwhile, keeps what was chosen and typed.
    mark_round = st.session_state.get("mark_round", 0)
    with st.form(f"cancel_form:{mark_round}"):
        picked = st.selectbox("Who cannot make it", list(labels), format_func=labels.get, index=None,
                              placeholder="Choose the person and slot", key=f"cancel_pick:{mark_round}")
        reason = st.text_input("Reason (optional, kept in the history)", max_chars=gaps.MAX_REASON,
                               key=f"cancel_reason:{mark_round}")
        marked = st.form_submit_button("Mark cancellation")
    if marked and picked is None:
        flash.say("error", "Choose who cannot make it. Nothing was changed.")
    elif marked:
        label = labels[picked]
        try:
            done = gaps.cancel(chosen, picked.slot, picked.volunteer, reason, actor=user.username,
                               base_url=_base_url())
            flash.later("gaps", "success", f"Cancellation marked: {label}; the gap is listed below with "
                                           "who can fill it" + (", and offered to them at once."
                                                                if center.auto_offer else "."))
            told.later("gaps", chosen, done)
            st.session_state["mark_round"] = mark_round + 1
        except PlannerError as err:
            flash.later("gaps", "error", "Not marked: " + "; ".join(readable(problem, m)
                                                                    for m in err.messages))
        st.session_state.pop(replan_key, None)
        st.rerun()

# ---------------------------------------------------------------- open gaps
st.header("Open gaps")
if not state.open_gaps:
    st.success("No open gaps this week.")
for gap in state.open_gaps:
    with st.container(border=True):
        st.text(shown.gap_line(problem, gap, state.names))
        st.caption(shown.slot_coverage(problem, state.current, gap.slot))
        found = gaps.replacements(state, gap)
        asked = st.session_state.get(f"ask_{gap.id}")  # the replacement picked, awaiting confirmation
        if asked is not None and asked not in {f.volunteer for f in found}:  # no longer possible
            st.session_state.pop(f"ask_{gap.id}", None)
            asked = None
        if found and asked is None:
            st.dataframe(shown.suggestion_table(found), hide_index=True, key=f"suggestions_{gap.id}")
            options = {f.volunteer: f"{f.name} ({plural(f.assigned_this_week, 'slot')} this week)"
                       for f in found}
            left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
            pick = left.selectbox("Replacement", list(options), format_func=options.get, index=None,
                                  placeholder="Choose who to ask", key=f"pick_{gap.id}")
            if mid.button("Apply", type="primary", key=f"apply_{gap.id}", disabled=pick is None):
                st.session_state[f"ask_{gap.id}"] = pick
                st.rerun()
        elif asked is not None:
            contact = gaps.contact(asked)
            audit.contact_view(user.username, "gaps", 1, memo=st.session_state)
            st.info(f"Ask {contact.name} first: {contact.line}. Then publish: they are told by the usual "
                    "notice.", icon=":material/call:")
            left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
            if left.button(f"{contact.name} said yes: publish", type="primary", key=f"confirm_{gap.id}"):
                st.session_state.pop(f"ask_{gap.id}", None)
                try:
                    done = gaps.replace_person(state, gap, asked, user.username)
                except PlannerError as err:
                    flash.later("gaps", "error", "Not applied: " + "; ".join(readable(problem, m)
                                                                             for m in err.messages))
                else:
                    gone = state.names.get(gap.volunteer, gap.volunteer)
                    _published(f"{contact.name} replaces {gone} on {shown.slot_name(problem, gap.slot)}.",
                               done)
                    st.session_state.pop(replan_key, None)
                st.rerun()
            if mid.button("Back", key=f"back_{gap.id}"):
                st.session_state.pop(f"ask_{gap.id}", None)
                st.rerun()
        else:
            st.warning("Nobody else can take this slot without breaking a rule (availability, check, caps, "
                       "overlaps, trainee pairing). Try the re-plan below, or leave it open.")
            right = st.columns([4, 1])[1]
        if right.button("Leave open", key=f"dismiss_{gap.id}", help="Close the gap without filling it"):
            st.session_state.pop(f"ask_{gap.id}", None)
            gaps.leave_open(gap.id, user.username)
            flash.later("gaps", "info", "The gap is closed without a replacement.")
            st.rerun()
        gone = state.names.get(gap.volunteer, gap.volunteer)
        if st.button(f"Undo: {gone} can come after all", key=f"undo_{gap.id}", icon=":material/undo:",
                     help="Removes the time off the cancellation added, puts them back on this slot and "
                          "publishes; they are told by the usual notice."):
            st.session_state.pop(f"ask_{gap.id}", None)
            try:
                done = gaps.undo(state, gap, user.username)
            except PlannerError as err:
                flash.later("gaps", "error", "Not undone: " + "; ".join(readable(problem, m)
                                                                        for m in err.messages))
            else:
                back = shown.slot_name(problem, gap.slot)
                _published(f"Cancellation undone: {gone} is back on {back}.", done)
                st.session_state.pop(replan_key, None)
            st.rerun()
        offered = gap_offers.get(gap.id)
        if offered is not None and offered.is_open:
            st.caption("Offered: " + offer_line(offered, shown.slot_name(problem, gap.slot), center.timezone))
        elif st.button("Offer it to everyone who can take it", key=f"offer_{gap.id}",
                       help="Each gets an email (or a text) with a link; the first to take it gets it"):
            _offer(lambda base, gap_id=gap.id: offers.offer_gap(gap_id, base, user.username))

# ---------------------------------------------------------------- short slots and offers
shorts = offers.short_slots(chosen)
if shorts:
    st.header("Short slots")
    st.caption("Published slots below their minimum (reported no-shows count as absent). Offering one sends "
               "each volunteer who can take a place an email or text with a link; the first to take each "
               "place gets it. " + ("Automatic offers are on: short places are offered without a click."
                                    if center.auto_offer else
                                    "Center settings can make offers go out automatically."))
for short in shorts:
    with st.container(border=True):
        st.text(f"{short.title}: {plural(short.missing, 'person', 'people')} missing "
                f"({short.people} of {short.slot.target} on it)")
        if short.offer is not None:
            st.caption("Offered: " + offer_line(short.offer, short.title, center.timezone))
        elif st.button(f"Offer {plural(short.missing, 'place')}", key=f"offer_slot_{short.slot.id}"):
            _offer(lambda base, slot_id=short.slot.id: offers.offer_slot(chosen, slot_id, base,
                                                                         user.username))

if week_offers:
    st.header("Offers")
    titles = {o.slot: shown.slot_name(problem, o.slot) for o in week_offers}
    for line in (offer_line(o, titles[o.slot], center.timezone) for o in week_offers):
        st.text(line)
    st.dataframe(offers_table(week_offers, titles, offer_names, center.timezone), hide_index=True,
                 key="offers_table")
    still = {o.id: offer_line(o, titles[o.slot], center.timezone) for o in week_offers if o.is_open}
    if still:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        pick = left.selectbox("Open offer", list(still), format_func=still.get, index=None,
                              placeholder="Choose an offer to withdraw", key="withdraw_pick")
        if right.button("Withdraw", key="withdraw_offer", disabled=pick is None,
                        help="Its links then say the offer has ended"):
            offers.withdraw(pick, user.username)
            flash.later("gaps", "info", "The offer is withdrawn; its links say it has ended.")
            st.rerun()

# ---------------------------------------------------------------- minimal-change re-plan
if state.open_gaps:
    st.header("Re-plan around the gaps")
    st.caption("Keeps everyone on the published plan who still can come, and fills the gaps from the rest "
               "of the roster.")
    if st.button("Re-plan the gaps", key="replan_gaps"):
        with st.spinner("Re-planning..."):
            try:
                st.session_state[replan_key] = gaps.replan(state)
            except PlannerError as err:
                flash.say("error", "The pins break the rules: " + "; ".join(readable(problem, m)
                                                                           for m in err.messages))
    replan = st.session_state.get(replan_key)
    if replan is not None:
        changes = plan_diff(problem, state.current, replan.assignments)
        st.text(f"Unfilled positions: {state.objective().unfilled} now, {replan.objective.unfilled} after "
                "the re-plan.")
        for line in changes or ["No change: nobody else can fill these gaps."]:
            st.text(line)
        if changes and st.button("Publish the re-plan", type="primary", key="publish_replan"):
            try:
                done = gaps.publish_replan(state, list(replan.assignments), user.username)
                flash.later("gaps", "success", f"Published as version {done.version.version}. "
                                               "Changes: " + "; ".join(changes) + ".")
                told.later("gaps", chosen, done)
            except PlannerError as err:
                flash.later("gaps", "error", flash.refused("Not published", err))
            st.session_state.pop(replan_key, None)
            st.rerun()

if state.history:
    with st.expander(f"Cancellations this week ({len(state.history)})"):
        st.dataframe(shown.cancellation_table(problem, state.history, state.names, center.timezone),
                     hide_index=True, key="gap_history")
