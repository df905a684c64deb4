"""Leadership: how many more volunteers would each extra open day need? Counts only, no people."""

import logging
from datetime import date

import streamlit as st

from planner.core.domain import default_week
from planner.core.errors import PlannerError
from planner.core.labels import WEEKDAY_NAMES, day_label
from planner.present import leadership as shown
from planner.present.applicants import COUNTED_IN_NOTE, ON_ROSTER_NOTE
from planner.present.reports import buffer_percent
from planner.present.text import csv_bytes, md_escape
from planner.services import leadership, reports, settings
from planner.ui import flash
from planner.ui.session import require_role

require_role("leadership", "coordinator")

RESULT_KEY = "whatif_results"
LEVEL_KEY = "whatif_results_level"
PIPELINE_KEY = "whatif_results_pipeline"  # applicants free per candidate day, by stage: counts only
COUNTED_IN_KEY = "whatif_results_counted_in"
log = logging.getLogger(__name__)

st.title("What if we opened more days?")
st.caption("For each day on its own: the fewest people to recruit so that day is fully staffed "
           "while the days we already open stay as well covered as today.")

center = settings.load()
no_shows = reports.measured_no_show()  # history sets the buffer's default
week = default_week(date.today(), center.open_weekdays)
closed = [d for d in range(7) if d not in center.open_weekdays]
if not closed:
    st.info("The center already opens every day of the week.")
    st.stop()

start = buffer_percent(no_shows.rate)
st.caption(shown.buffer_source(no_shows.rate, no_shows.shifts, no_shows.since, start))
with st.form("whatif_form"):
    days = st.multiselect("Candidate days", closed, default=closed, format_func=lambda d: WEEKDAY_NAMES[d],
                          key="whatif_days")
    st.markdown("**A new recruit**")
    c1, c2, c3 = st.columns(3)
    max_shifts = c1.number_input("Shifts a week, at most", 1, 14, 1, key="recruit_shifts")
    max_meals = c2.number_input("Meals a week, at most", 0, 7, 1, key="recruit_meals")
    buffer = c3.number_input("No-show buffer (%)", 0, 50, start, step=5, key="whatif_buffer",
                             help="Also plan each shift so that, with this share of people absent, "
                                  "its minimum still comes. 0 turns it off.")
    level = st.radio("Count each new day staffed at", leadership.LEVELS, horizontal=True, key="whatif_level",
                     format_func={"minimum": "its minimum", "target": "its target"}.get,
                     help="The minimum is what a day needs to open; the target is what the center hopes for.")
    available = st.radio("Recruits are available", ["candidate", "any"], horizontal=True,
                         format_func={"candidate": "only on the new day", "any": "on any day we open"}.get,
                         key="recruit_available")
    counted_in = st.checkbox("Count the applicants in, as if they had all joined", key="whatif_applicants",
                             help="Everyone who signed up and is not on the roster yet, as an untrained "
                                  "volunteer with the times they gave.")
    submitted = st.form_submit_button("Compute", type="primary")

if submitted:
    if not days:
        st.error("Choose at least one candidate day.")
    else:
        progress = st.progress(0.0, text="Reading this week's roster...")
        try:
            st.session_state[LEVEL_KEY] = str(level)
            st.session_state[RESULT_KEY] = leadership.ask(
                center, week, days, max_shifts=int(max_shifts), max_meals=int(max_meals),
                available=str(available), buffer_rate=int(buffer) / 100, level=str(level),
                progress=lambda done, text: progress.progress(done, text=text), with_applicants=counted_in)
            st.session_state[PIPELINE_KEY] = leadership.pipeline(center, week, days)
            st.session_state[COUNTED_IN_KEY] = counted_in
        except PlannerError as err:
            flash.say("error", flash.refused("This week cannot be computed", err))
        except Exception:  # a traceback in the UI is a bug: log it, say it plainly
            log.exception("what-if failed")
            st.error("Something went wrong while computing. Please tell the coordinator; "
                     "the server log has the details.")
        finally:
            progress.empty()

study = st.session_state.get(RESULT_KEY)
if study is not None:
    meal = shown.meal_of(study)
    st.header(f"Recruits needed (based on the week of {day_label(week)})")
    st.caption(shown.staffing_assumption(study, st.session_state.get(LEVEL_KEY, "minimum")))
    for sentence in shown.day_sentences(study, st.session_state.get(PIPELINE_KEY)) + \
            shown.nobody_free_sentences(study):
        st.markdown("- " + md_escape(sentence))
    st.caption(COUNTED_IN_NOTE if st.session_state.get(COUNTED_IN_KEY) else ON_ROSTER_NOTE)
    table = shown.study_days_table(study)
    certainty = {shown.CERTAINTY: st.column_config.TextColumn(shown.CERTAINTY, help=shown.CERTAINTY_HELP)}
    st.altair_chart(shown.needs_chart(table, "Day", meal), key="whatif_chart")
    st.dataframe(table, hide_index=True, key="whatif_table", column_config=certainty)
    st.download_button("Download as CSV", csv_bytes(table), "whatif-days.csv", "text/csv", key="whatif_csv")

    st.header("Opening more days together")
    st.caption("Days added one at a time, each time the one that costs fewest new recruits.")
    for sentence in shown.ladder_sentences(study):
        st.markdown("- " + md_escape(sentence))
    ladder = shown.study_ladder_table(study)
    if len(ladder):
        st.altair_chart(shown.needs_chart(ladder, "Open days", meal, "Open days a week"),
                        key="whatif_ladder_chart")
        st.dataframe(ladder, hide_index=True, key="whatif_ladder_table", column_config=certainty)
        st.download_button("Download the ladder as CSV", csv_bytes(ladder), "whatif-ladder.csv", "text/csv",
                           key="whatif_ladder_csv")

    st.header("How fragile is this week?")
    for sentence in shown.risk_sentences(study):
        st.markdown("- " + md_escape(sentence))
