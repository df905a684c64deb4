"""Leadership: how many more volunteers would each extra open day need? Counts only, no people."""

from datetime import date

import streamlit as st

from planner import views
from planner.problem import ProblemError
from planner.store import db
from planner.store.settings import load_settings
from planner.ui_session import require_role
from planner.weekbuild import build_problem

user = require_role("leadership", "coordinator")

WHATIF_TIME_LIMIT = 30.0
RESULT_KEY = "whatif_result"

st.title("What if we opened more days?")
st.caption("For each day on its own: the fewest people to recruit so that day is fully staffed "
           "while the days we already open stay as well covered as today.")

with db.session() as s:
    settings = load_settings(s)
week = views.default_week(date.today(), settings.open_weekdays)
closed = [d for d in range(7) if d not in settings.open_weekdays]
if not closed:
    st.info("The center already opens every day of the week.")
    st.stop()

with st.form("whatif_form"):
    days = st.multiselect("Candidate days", closed, default=closed, format_func=lambda d: views.WEEKDAYS[d])
    st.markdown("**A new recruit**")
    c1, c2 = st.columns(2)
    max_shifts = c1.number_input("Shifts a week, at most", 1, 14, 1, key="recruit_shifts")
    max_meals = c2.number_input("Dinners a week, at most", 1, 7, 1, key="recruit_meals")
    available = st.radio("Recruits are available", ["candidate", "any"], horizontal=True,
                         format_func={"candidate": "only on the new day",
                                      "any": "on any open day"}.get, key="recruit_available")
    submitted = st.form_submit_button("Compute", type="primary")

if submitted:
    if not days:
        st.error("Choose at least one candidate day.")
    else:
        try:
            from planner.whatif import whatif
        except ImportError:
            st.error("The what-if engine is not installed on this server.")
            st.stop()
        answers = []
        progress = st.progress(0.0, text="Computing...")
        try:
            with st.spinner("Finding the fewest recruits for each day..."):
                with db.session() as s:
                    problem = build_problem(s, week)
                candidates = views.whatif_candidates(settings, week, days)
                for i, candidate in enumerate(candidates):
                    progress.progress(i / len(candidates), text=f"{candidate.label}...")
                    answer = whatif(views.with_whatif(problem, [candidate], max_shifts, max_meals, available),
                                    time_limit=WHATIF_TIME_LIMIT)
                    answers.extend(answer.candidates)
            progress.empty()
            st.session_state[RESULT_KEY] = views.whatif_table(answers)
            st.session_state["whatif_sentences"] = [views.whatif_sentence(a) for a in answers]
        except ProblemError as err:
            progress.empty()
            st.error("The week cannot be computed: " + "; ".join(err.messages))

table = st.session_state.get(RESULT_KEY)
if table is not None and len(table):
    st.subheader(f"Recruits needed (based on the week of {views.day_label(week)})")
    for sentence in st.session_state.get("whatif_sentences", []):
        st.markdown("- " + views.md_escape(sentence))
    st.altair_chart(views.whatif_chart(table), key="whatif_chart")
    st.dataframe(table, hide_index=True, key="whatif_table")
    st.download_button("Download as CSV", views.csv_bytes(table), "whatif.csv", "text/csv", key="whatif_csv")
