"""AppTest: a volunteer's own shifts (counts only) and availability."""

from __future__ import annotations

from datetime import date, time, timedelta

from streamlit.testing.v1 import AppTest

from planner.core.domain import default_week
from planner.core.labels import day_label
from planner.present.text import unescape
from planner.store import db
from planner.store.roster import get_volunteer, list_volunteers
from tests.apptest import open_app
from tests.fixtures.browser import publish_demo_week


def _volunteer(page: str | None = None) -> AppTest:
    at = open_app("volunteer")
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    for table in at.table:
        parts.append(table.value.to_csv())
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return unescape("\n".join(parts))


def test_no_published_plan_yet(demo_db):
    at = _volunteer()
    assert at.title[0].value == "My shifts"
    assert unescape(at.info[0].value).startswith("You have no published shifts")


def test_my_shifts_show_date_time_place_and_counts_but_nobody_else(demo_db):
    week, me, version = publish_demo_week()
    at = _volunteer()
    table = at.table[0].value
    assert [unescape(c) for c in table.columns] == ["Date", "Time", "Place", "What", "Coverage"]
    mine = [a for a in version.assignments if a.volunteer == me.key]
    assert len(table) == len([a for a in mine if date.fromisoformat(a.slot[:10]) >= date.today()]) >= 1
    assert all(unescape(c).count(" of ") == 1 for c in table[table.columns[-1]])
    assert "Drop-in center, main room" in unescape(table.iloc[0, 2])
    text = _all_text(at)
    with db.session() as s:
        others = [v for v in list_volunteers(s) if v.id != me.id]
    for other in others:
        assert other.name not in text
        if other.email:
            assert other.email not in text
        if other.phone:
            assert other.phone not in text


def test_weekly_availability_and_time_off(demo_db):
    at = _volunteer("pages/volunteer/availability.py")
    assert at.title[0].value == "My availability"
    key = at.session_state["avail_grid_key"]
    # Tick Sunday morning and afternoon (row 2 of the open days), then save.
    at.session_state[key] = {"edited_rows": {2: {"Morning": True, "Afternoon": True}}, "added_rows": [],
                             "deleted_rows": []}
    next(b for b in at.button if b.label == "Save my weekly availability").click()
    at.run()
    assert not at.exception
    assert unescape(at.success[0].value) == "Weekly availability saved."
    with db.session() as s:
        me = get_volunteer(s, at.session_state["planner_user"].volunteer_id)
    assert any(w.weekday == 6 and w.start <= time(9) and time(17) <= w.end for w in me.availability)
    # Add a day off.
    day = date.today() + timedelta(days=3)
    at.date_input[0].set_value(day)
    next(b for b in at.button if b.label == "Add").click()
    at.run()
    assert not at.exception
    assert unescape(at.success[0].value) == f"Added {day_label(day)}."
    with db.session() as s:
        me = get_volunteer(s, me.id)
    assert [(e.day, e.kind, e.start) for e in me.exceptions] == [(day, "off", None)]
    assert len(at.table) == 1
    next(b for b in at.button if b.label == "Remove").click()
    at.run()
    with db.session() as s:
        assert get_volunteer(s, me.id).exceptions == ()


def test_calendar_download_is_offered_for_my_shifts(demo_db):
    publish_demo_week()
    at = _volunteer()
    assert [b.label for b in at.get("download_button")] == ["Add my shifts to my calendar (.ics)"]


def _publish_next_week_with_me():
    """Next week's plan with just me and one other on its first slot, published (no solver needed)."""
    from planner.core.problem import Assignment
    from planner.store import accounts, plans
    from planner.store.settings import load_settings

    with db.session() as s:
        me = get_volunteer(s, accounts.get_account(s, "volunteer").volunteer_id)
        settings = load_settings(s)
        week = default_week(date.today(), settings.open_weekdays) + timedelta(days=7)
        slot = settings.week_slots(week)[0]
        other = next(v for v in list_volunteers(s) if v.id != me.id)
        plans.save_draft(s, week, [Assignment(slot.id, me.key), Assignment(slot.id, other.key)], actor="test")
        version = plans.publish_draft(s, week, actor="test")
    return week, me, version


def test_i_cant_make_it_takes_me_off_records_it_and_reaches_the_gap_list(demo_db):
    from planner.store import audit, cancellations, plans

    week, me, version = _publish_next_week_with_me()
    at = _volunteer()
    rows_before = len(at.table[0].value)
    choice = next(sb for sb in at.selectbox if sb.label == "Which shift?")
    title = choice.options[0]
    # Without the confirmation tick nothing happens, and what was entered stays.
    choice.set_value(0)
    next(t for t in at.text_input if t.label == "Reason (optional)").input("<b>sick</b> =1+1")
    next(b for b in at.button if b.label == "I can't make it").click()
    at.run()
    assert "tick the box" in unescape(at.error[0].value)
    with db.session() as s:
        assert cancellations.open_gaps(s, week) == []
    assert next(sb for sb in at.selectbox if sb.label == "Which shift?").value == 0  # the first shift
    assert next(t for t in at.text_input if t.label == "Reason (optional)").value == "<b>sick</b> =1+1"

    next(c for c in at.checkbox if c.label == "Yes, take me off this shift").check()
    next(b for b in at.button if b.label == "I can't make it").click()
    at.run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value).startswith(f"Thank you for telling us. You are off {title}")
    with db.session() as s:
        [gap] = cancellations.open_gaps(s, week)
        latest = plans.latest_published(s, week)
        assert gap.volunteer == me.key and gap.reason == "<b>sick</b> =1+1" and gap.created_by == "volunteer"
        assert gap.plan_version == version.version and latest.version == version.version + 1
        assert [e.detail for e in audit.recent(s, action="cancellation")] == [
            f"{me.key} cannot make {gap.slot}"]
    assert (len(at.table[0].value) if at.table else 0) == rows_before - 1
