"""Coordinator: hours, coverage, no-shows and late cancellations, with CSV/XLSX exports for grant reports."""

from datetime import date

import streamlit as st

from planner.core.clock import center_now
from planner.present import reports as shown
from planner.present.text import csv_bytes, xlsx_bytes
from planner.services import audit, reports, settings
from planner.ui.session import require_role

user = require_role("coordinator")

st.title("Reports")
with st.expander("How these numbers are counted"):
    for line in shown.DEFINITIONS:
        st.text(line)

today = center_now(settings.load().timezone).date()
left, right = st.columns(2)
first = left.date_input("From", date(today.year, 1, 1), key="reports_from", format="YYYY-MM-DD")
last = right.date_input("To", today, key="reports_to", format="YYYY-MM-DD")
if first > last:
    st.error("From: must be on or before To.")
    st.stop()

history = reports.load_history(first, last)
if not history.slots:
    st.info("No published shift has ended in this period yet. Hours, coverage and no-show rates appear here "
            "after the first published shift ends, from the check-ins taken at the kiosk.")
    st.stop()

by_month = shown.hours(history, "month")
by_year = shown.hours(history, "year")
cover = shown.coverage(history)
rates = shown.rates(history)
stem = f"planner-report-{first.isoformat()}-{last.isoformat()}"


def _logged(what: str) -> tuple[str, str, str, str]:
    """Exports hold names: the audit log says who took them."""
    return (user.username, "report exported", what, f"{first} to {last}")


hours_tab, coverage_tab, rates_tab = st.tabs(["Hours", "Coverage", "No-shows and cancellations"])
with hours_tab:
    if by_month.empty:
        st.info("No check-ins recorded in this period. Hours appear once volunteers check in and out at the "
                "kiosk (Check-in page), or you enter their times there.")
    else:
        st.altair_chart(shown.hours_chart(by_month), key="hours_chart")
    st.dataframe(by_month, hide_index=True, key="hours_month")
    st.dataframe(by_year, hide_index=True, key="hours_year")
    st.download_button("Hours per month (CSV)", csv_bytes(by_month), f"{stem}-hours-month.csv",
                       "text/csv", key="csv_hours_month", on_click=audit.record,
                       args=_logged("hours per month"))
    st.download_button("Hours per year (CSV)", csv_bytes(by_year), f"{stem}-hours-year.csv",
                       "text/csv", key="csv_hours_year", on_click=audit.record,
                       args=_logged("hours per year"))
with coverage_tab:
    st.altair_chart(shown.coverage_chart(cover), key="coverage_chart")
    st.dataframe(cover, hide_index=True, key="coverage_table")
    st.download_button("Coverage per week (CSV)", csv_bytes(cover), f"{stem}-coverage.csv", "text/csv",
                       key="csv_coverage", on_click=audit.record, args=_logged("coverage"))
with rates_tab:
    st.altair_chart(shown.rates_chart(rates), key="rates_chart")
    st.dataframe(rates, hide_index=True, key="rates_table")
    st.download_button("Rates (CSV)", csv_bytes(rates), f"{stem}-rates.csv", "text/csv",
                       key="csv_rates", on_click=audit.record, args=_logged("rates"))

workbook = xlsx_bytes({"Hours by month": by_month, "Hours by year": by_year, "Coverage by week": cover,
                       "Rates": rates})
st.download_button("Everything as a workbook (XLSX)", workbook, f"{stem}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="xlsx_all",
                   on_click=audit.record, args=_logged("workbook"), type="primary")
