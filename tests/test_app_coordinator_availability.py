"""AppTest: the coordinator edits a volunteer's weekly grid and time off (audited as the coordinator)."""

from __future__ import annotations

from datetime import date, time, timedelta

from streamlit.testing.v1 import AppTest

from planner.core.domain import VolunteerRecord, WeeklyWindow
from planner.core.labels import day_label
from planner.present.availability import volunteer_labels
from planner.present.text import unescape
from planner.store import audit, db
from planner.store.roster import add_volunteer, get_volunteer, list_volunteers, set_availability
from tests.apptest import open_app

PAGE = "pages/coordinator/availability.py"


def _page(role: str = "coordinator") -> AppTest:
    at = open_app(role)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _pick(at: AppTest, volunteer_id: int) -> None:
    at.selectbox(key="coord_avail_volunteer").set_value(volunteer_id)
    at.run()
    assert not at.exception, at.exception


def _tick_sunday(at: AppTest) -> None:
    """Rows are the open days, Fri, Sat, Sun: Sunday is row 2."""
    at.session_state[at.session_state["coord_avail_grid_key"]] = {
        "edited_rows": {2: {"Morning": True, "Afternoon": True}}, "added_rows": [], "deleted_rows": []}


def test_coordinator_edits_someones_grid_and_adds_time_off(demo_db):
    with db.session() as s:
        active = list_volunteers(s, active_only=True)
    them = active[2]
    at = _page()
    assert at.title[0].value == "Availability"
    assert at.selectbox(key="coord_avail_volunteer").options == [v.name for v in active]
    _pick(at, them.id)
    assert at.session_state["coord_avail_grid_key"].startswith(f"coord_avail_grid:{them.id}:")
    _tick_sunday(at)
    _button(at, "Save weekly availability").click()
    at.run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value) == "Weekly availability saved."
    with db.session() as s:
        after = get_volunteer(s, them.id)
        [entry] = audit.recent(s, limit=1, action="availability edited")
    assert any(w.weekday == 6 and w.start <= time(9) and time(17) <= w.end for w in after.availability)
    assert (entry.actor, entry.target) == ("coordinator", f"volunteer {them.id}")
    others = {v.id: v.availability for v in active if v.id != them.id}
    with db.session() as s:
        now = list_volunteers(s, active_only=True)
    assert {v.id: v.availability for v in now if v.id != them.id} == others

    # Time off from 10:00 to 12:00, then one with the times the wrong way round (refused, nothing added).
    day = date.today() + timedelta(days=4)
    assert not at.time_input, "whole day: no From and Until"
    next(c for c in at.checkbox if c.label == "The whole day").uncheck()
    at.run()
    at.date_input[0].set_value(day)
    at.time_input[0].set_value(time(10))
    at.time_input[1].set_value(time(12))
    _button(at, "Add").click()
    at.run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value) == f"Added {day_label(day)}."
    shown = at.table[0].value
    assert [unescape(c) for c in shown.iloc[0]] == [f"{day_label(day)} {day.year}", "10:00-12:00",
                                                           "Time off"]
    at.time_input[0].set_value(time(12))
    at.time_input[1].set_value(time(10))
    _button(at, "Add").click()
    at.run()
    assert unescape(at.error[0].value) == '"Until" must be after "From". Nothing was added.'
    with db.session() as s:
        assert [(e.day, e.kind, e.start, e.end) for e in get_volunteer(s, them.id).exceptions] == [
            (day, "off", time(10), time(12))]
        [entry] = audit.recent(s, limit=1, action="time off added")
    assert (entry.actor, entry.target) == ("coordinator", f"volunteer {them.id}")
    assert entry.detail == day.isoformat()

    # The grid still saves after the exception (its version follows the coordinator's own change).
    _tick_sunday(at)
    _button(at, "Save weekly availability").click()
    at.run()
    assert unescape(at.success[0].value) == "Weekly availability saved."


def test_a_save_over_the_volunteers_own_change_is_refused_and_changes_nothing(demo_db):
    with db.session() as s:
        them = list_volunteers(s, active_only=True)[0]
    at = _page()
    _pick(at, them.id)
    with db.session() as s:  # the volunteer saves meanwhile, from their own page
        set_availability(s, them.id, [WeeklyWindow(5, time(9), time(13))], actor="volunteer")
    _tick_sunday(at)
    _button(at, "Save weekly availability").click()
    at.run()
    assert not at.exception, at.exception
    assert unescape(at.error[0].value).startswith("Not saved: ")
    assert "changed by someone else" in unescape(at.error[0].value)
    with db.session() as s:
        assert [str(w) for w in get_volunteer(s, them.id).availability] == ["Sat 09:00-13:00"]


def test_names_in_the_picker_are_plain_and_namesakes_are_told_apart(demo_db):
    with db.session() as s:
        add_volunteer(s, VolunteerRecord("<b>Ana</b> [x](http://e.vil)", email="a1@example.org"))
        add_volunteer(s, VolunteerRecord("<b>Ana</b> [x](http://e.vil)"))
        people = list_volunteers(s, active_only=True)
    labels = volunteer_labels(people)
    twins = [p for p in people if p.name.startswith("<b>")]
    assert sorted(labels[p.id] for p in twins) == sorted([
        "<b>Ana</b> [x](http://e.vil) (a1@example.org)", f"<b>Ana</b> [x](http://e.vil) ({twins[1].key})"])
    at = _page()
    _pick(at, twins[0].id)  # options are plain text, never Markdown; the name shows nowhere else
    assert labels[twins[0].id] in at.selectbox(key="coord_avail_volunteer").options
    assert all("<b>" not in m.value for m in [*at.markdown, *at.caption, *at.success, *at.error])
