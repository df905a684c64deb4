"""Coordinator: hours, coverage, no-shows and late cancellations, with CSV/XLSX exports for grant reports."""

from datetime import date

import streamlit as st

from planner import reports, views
from planner.io.my_calendar import center_now
from planner.store import audit, db
from planner.store.settings import load_settings
from planner.ui_session import require_role

user = require_role("coordinator")

st.title("Reports")
with st.expander("How these numbers are counted"):
    for line in reports.DEFINITIONS:
        st.text(line)

with db.session() as s:
    settings = load_settings(s)
today = center_now(settings.timezone).date()
left, right = st.columns(2)
first = left.date_input("From", date(today.year, 1, 1), key="reports_from", format="YYYY-MM-DD")
last = right.date_input("To", today, key="reports_to", format="YYYY-MM-DD")
if first > last:
    st.error("From: must be on or before To.")
    st.stop()

with db.session() as s:
    history = reports.load_history(s, first, last)
if not history.slots:
    st.info("No published shift has ended in this period yet.")
    st.stop()

by_month = reports.hours(history, "month")
by_year = reports.hours(history, "year")
cover = reports.coverage(history)
rates = reports.rates(history)
stem = f"planner-report-{first.isoformat()}-{last.isoformat()}"


def _record_export(what: str) -> None:
    """Exports hold names: the audit log says who took them (issue 6)."""
    with db.session() as s:
        audit.record(s, user.username, "report exported", what, f"{first} to {last}")


hours_tab, coverage_tab, rates_tab = st.tabs(["Hours", "Coverage", "No-shows and cancellations"])
with hours_tab:
    if by_month.empty:
        st.info("No check-ins recorded in this period.")
    else:
        st.altair_chart(reports.hours_chart(by_month), key="hours_chart")
    st.dataframe(by_month, hide_index=True, key="hours_month")
    st.dataframe(by_year, hide_index=True, key="hours_year")
    st.download_button("Hours per month (CSV)", views.csv_bytes(by_month), f"{stem}-hours-month.csv",
                       "text/csv", key="csv_hours_month", on_click=_record_export, args=("hours per month",))
    st.download_button("Hours per year (CSV)", views.csv_bytes(by_year), f"{stem}-hours-year.csv",
                       "text/csv", key="csv_hours_year", on_click=_record_export, args=("hours per year",))
with coverage_tab:
    st.altair_chart(reports.coverage_chart(cover), key="coverage_chart")
    st.dataframe(cover, hide_index=True, key="coverage_table")
    st.download_button("Coverage per week (CSV)", views.csv_bytes(cover), f"{stem}-coverage.csv", "text/csv",
                       key="csv_coverage", on_click=_record_export, args=("coverage",))
with rates_tab:
    st.altair_chart(reports.rates_chart(rates), key="rates_chart")
    st.dataframe(rates, hide_index=True, key="rates_table")
    st.download_button("Rates (CSV)", views.csv_bytes(rates), f"{stem}-rates.csv", "text/csv",
                       key="csv_rates", on_click=_record_export, args=("rates",))

workbook = reports.xlsx_bytes({"Hours by month": by_month, "Hours by year": by_year,
                               "Coverage by week": cover, "Rates": rates})
st.download_button("Everything as a workbook (XLSX)", workbook, f"{stem}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="xlsx_all",
                   on_click=_record_export, args=("workbook",), type="primary")
