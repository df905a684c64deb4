"""Leadership: how many more volunteers would each extra open day need? Counts only, no people."""

import logging
from datetime import date

import streamlit as st

from planner import leadership, reports, views
from planner.problem import ProblemError
from planner.store import db
from planner.store.settings import load_settings
from planner.ui_session import require_role
from planner.weekbuild import build_problem

require_role("leadership", "coordinator")

# Per solver call; the demo center answers in well under a second.
TIME_LIMIT = 20.0
RESULT_KEY = "whatif_results"
log = logging.getLogger(__name__)

st.title("What if we opened more days?")
st.caption("For each day on its own: the fewest people to recruit so that day is fully staffed "
           "while the days we already open stay as well covered as today.")

with db.session() as s:
    settings = load_settings(s)
    measured = reports.measured_no_show_rate(s)  # issue 8: history sets the buffer's default
week = views.default_week(date.today(), settings.open_weekdays)
closed = [d for d in range(7) if d not in settings.open_weekdays]
if not closed:
    st.info("The center already opens every day of the week.")
    st.stop()

if measured is not None:
    st.caption(f"Measured no-show rate over the last year: {leadership.percent(measured)}; "
               "the buffer starts there.")
with st.form("whatif_form"):
    days = st.multiselect("Candidate days", closed, default=closed, format_func=lambda d: views.WEEKDAYS[d],
                          key="whatif_days")
    st.markdown("**A new recruit**")
    c1, c2, c3 = st.columns(3)
    max_shifts = c1.number_input("Shifts a week, at most", 1, 14, 1, key="recruit_shifts")
    max_meals = c2.number_input("Meals a week, at most", 0, 7, 1, key="recruit_meals")
    buffer = c3.number_input("No-show buffer (%)", 0, 50, reports.buffer_percent(measured), step=5,
                             key="whatif_buffer",
                             help="Also plan each shift so that, with this share of people absent, "
                                  "its minimum still comes. 0 turns it off. "
                                  + ("Starts at the no-show rate measured at check-in over the last year."
                                     if measured is not None else ""))
    available = st.radio("Recruits are available", ["candidate", "any"], horizontal=True,
                         format_func={"candidate": "only on the new day",
                                      "any": "on any day we open"}.get, key="recruit_available")
    submitted = st.form_submit_button("Compute", type="primary")

if submitted:
    if not days:
        st.error("Choose at least one candidate day.")
    else:
        progress = st.progress(0.0, text="Reading this week's roster...")
        try:
            with db.session() as s:
                problem = build_problem(s, week)
            problem = views.with_whatif(problem, views.whatif_candidates(settings, week, days),
                                        int(max_shifts), int(max_meals), str(available))
            st.session_state[RESULT_KEY] = leadership.compute(
                problem, rate=int(buffer) / 100, open_now=len(set(settings.open_weekdays)),
                time_limit=TIME_LIMIT, progress=lambda done, text: progress.progress(done, text=text))
        except ProblemError as err:
            st.error("This week cannot be computed: " + views.md_escape("; ".join(err.messages)))
        except Exception:  # a traceback in the UI is a bug: log it, say it plainly
            log.exception("what-if failed")
            st.error("Something went wrong while computing. Please tell the coordinator; "
                     "the server log has the details.")
        finally:
            progress.empty()

results: leadership.Results | None = st.session_state.get(RESULT_KEY)
if results is not None:
    st.subheader(f"Recruits needed (based on the week of {views.day_label(week)})")
    for sentence in results.sentences():
        st.markdown("- " + views.md_escape(sentence))
    table = results.days_table()
    st.altair_chart(leadership.needs_chart(table, "Day", results.meal), key="whatif_chart")
    st.dataframe(table, hide_index=True, key="whatif_table")
    st.download_button("Download as CSV", leadership.csv_bytes(table), "whatif-days.csv", "text/csv",
                       key="whatif_csv")

    st.subheader("Opening more days together")
    st.caption("Days added one at a time, each time the one that costs fewest new recruits.")
    for sentence in results.ladder_sentences():
        st.markdown("- " + views.md_escape(sentence))
    ladder = results.ladder_table()
    if len(ladder):
        st.altair_chart(leadership.needs_chart(ladder, "Open days", results.meal, "Open days a week"),
                        key="whatif_ladder_chart")
        st.dataframe(ladder, hide_index=True, key="whatif_ladder_table")
        st.download_button("Download the ladder as CSV", leadership.csv_bytes(ladder), "whatif-ladder.csv",
                           "text/csv", key="whatif_ladder_csv")

    st.subheader("How fragile is this week?")
    for sentence in results.risk:
        st.markdown("- " + views.md_escape(sentence))
