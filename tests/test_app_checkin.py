"""AppTest: the check-in page, its kiosk mode (short names, taps, locked navigation) and corrections."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from planner.core.clock import center_now
from planner.core.domain import monday_of
from planner.core.problem import Assignment
from planner.present.text import unescape
from planner.store import attendance, db, plans
from planner.store.roster import list_volunteers, update_volunteer
from planner.store.settings import load_settings, save_settings
from tests.apptest import open_app

PAGE = "pages/coordinator/checkin.py"


def _publish_today():
    """Open every day, and publish today's first slot with two demo volunteers on it."""
    with db.session() as s:
        settings = replace(load_settings(s), open_weekdays=tuple(range(7)))
        save_settings(s, settings)
        today = center_now(settings.timezone).date()
        slot = next(sl for sl in settings.week_slots(monday_of(today)) if sl.day == today)
        first = list_volunteers(s)[0]  # a full surname, which the kiosk must shorten
        people = [update_volunteer(s, replace(first, name="Alma Quintero")), list_volunteers(s)[1]]
        plans.save_draft(s, monday_of(today), [Assignment(slot.id, p.key) for p in people])
        plans.publish_draft(s, monday_of(today))
    return today, slot, people


def _page() -> AppTest:
    at = open_app("coordinator")
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_kiosk_taps_check_in_and_out_and_lock_the_menu(demo_db):
    today, slot, people = _publish_today()
    at = _page()
    assert at.title[0].value == "Check-in and attendance"
    at.button(key="open_kiosk").click().run()
    assert not at.exception, at.exception
    first, last = people[0].name.split()[0], people[0].name.split()[-1][0]
    me = at.button(key=f"tap_{slot.id}_{people[0].key}")
    assert unescape(me.label) == f"{first} {last}. - check in"
    assert people[0].name not in " ".join(unescape(b.label) for b in at.button)
    me.click().run()
    assert unescape(at.success[0].value) == f"Welcome, {first} {last}.!"
    at.button(key=f"tap_{slot.id}_{people[0].key}").click().run()
    assert unescape(at.success[0].value).startswith("Thank you")
    with db.session() as s:
        [row] = attendance.list_attendance(s, today, today)
    assert row.volunteer == people[0].key and row.state == "out"
    # While the kiosk is open, other pages are not reachable from this session.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/coordinator/roster.py")
    assert at.title[0].value.startswith("Welcome!")
    at.text_input(key="kiosk_password").set_value("wrong")
    at.button(key="FormSubmitter:kiosk_exit-Leave kiosk mode").click().run()
    assert "Wrong password" in unescape(at.error[0].value)
    at.text_input(key="kiosk_password").set_value("demo")
    at.button(key="FormSubmitter:kiosk_exit-Leave kiosk mode").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Check-in and attendance"
    table = at.dataframe[0].value
    assert list(table["Name"])[:2] == sorted([people[0].name, people[1].name], key=str.casefold)


def test_a_bad_correction_is_refused_and_a_good_one_saved(demo_db):
    today, slot, people = _publish_today()
    at = _page()
    at.text_input(key="correct_in").set_value("25:99")
    at.button(key="FormSubmitter:correct_form-Save correction").click().run()
    assert not at.exception, at.exception
    assert "checked in" in unescape(at.error[0].value)
    with db.session() as s:
        assert attendance.list_attendance(s, today, today) == []
    at.text_input(key="correct_in").set_value("09:00")
    at.text_input(key="correct_out").set_value("12:30")
    at.button(key="FormSubmitter:correct_form-Save correction").click().run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value).startswith("Saved:")
    with db.session() as s:
        [row] = attendance.list_attendance(s, today, today)
    assert row.corrected_by == "coordinator" and row.state == "out"
    table = at.dataframe[0].value
    assert "09:00" in list(table["In"]) and "12:30" in list(table["Out"])
