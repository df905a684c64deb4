"""AppTest: the reports page, and the what-if page's buffer defaulting to the measured no-show rate."""

from __future__ import annotations

from datetime import datetime, timedelta

from streamlit.testing.v1 import AppTest

from planner.core.clock import center_now, to_utc
from planner.core.domain import monday_of
from planner.core.problem import Assignment
from planner.present.text import unescape
from planner.store import attendance, db, plans
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings
from tests.apptest import open_app

PAGE = "pages/coordinator/reports.py"


def _last_week_history() -> None:
    """Four people on last week's first slot: three came (09:00-12:00), one did not."""
    with db.session() as s:
        settings = load_settings(s)
        week = monday_of(center_now(settings.timezone).date()) - timedelta(days=7)
        slot = settings.week_slots(week)[0]
        people = [v.key for v in list_volunteers(s)[:4]]
        plans.save_draft(s, week, [Assignment(slot.id, p) for p in people])
        plans.publish_draft(s, week)
    with db.session() as s:
        start = to_utc(datetime.combine(slot.day, slot.start.time()), settings.timezone)
        for p in people[:3]:
            attendance.correct(s, slot.id, p, checked_in_at=start, checked_out_at=start + timedelta(hours=3),
                               actor="test")


def _page(role: str = "coordinator", page: str = PAGE) -> AppTest:
    at = open_app(role)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_without_history_the_page_says_so(demo_db):
    at = _page()
    assert at.title[0].value == "Reports"
    assert "No published shift has ended" in unescape(at.info[0].value)


def test_reports_show_hours_coverage_and_rates(demo_db):
    _last_week_history()
    at = _page()
    to = at.date_input(key="reports_to").value
    at.date_input(key="reports_from").set_value(to - timedelta(days=30)).run()  # early January too
    month = at.dataframe[0].value
    assert list(month["Hours"]) == [3.0, 3.0, 3.0] and set(month["Shifts"]) == {1}
    rates = at.dataframe[-1].value.set_index("Day")
    assert rates.loc["Overall", "No-shows"] == 1 and rates.loc["Overall", "No-show rate %"] == 25.0
    cover = at.dataframe[2].value
    assert list(cover["Filled as attended"]) == [3]
    assert len(at.get("download_button")) == 5
    after = at.date_input(key="reports_to").value + timedelta(days=1)
    at.date_input(key="reports_from").set_value(after).run()
    assert "From: must be on or before To." in unescape(at.error[0].value)


def test_the_whatif_buffer_starts_at_the_measured_rate(demo_db):
    at = _page("leadership", "pages/leadership/whatif.py")
    assert at.number_input(key="whatif_buffer").value == 15  # no attendance taken yet
    assert "The buffer starts at a default of 15%: no check-in history yet." in [c.value for c in at.caption]
    _last_week_history()
    at = _page("leadership", "pages/leadership/whatif.py")
    assert at.number_input(key="whatif_buffer").value == 25
    assert any(c.value.startswith("The buffer starts at the no-show rate measured at check-in: 25% over 4 "
                                  "shifts since ") for c in at.caption)
