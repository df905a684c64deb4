"""AppTest: the coordinator's pages (plan the week, roster, settings, imports/exports)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from streamlit.testing.v1 import AppTest

from planner.core.domain import CenterSettings, VolunteerRecord, default_week
from planner.core.problem import Assignment
from planner.core.validate import why_not_eligible
from planner.present.text import unescape
from planner.services.week import build_problem
from planner.store import db, plans
from planner.store.roster import add_volunteer, list_volunteers
from planner.store.settings import load_settings, save_settings
from tests.apptest import open_app
from tests.fixtures.browser import publish_demo_week


def _coordinator(page: str | None = None) -> AppTest:
    at = open_app("coordinator")
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _table(at: AppTest, i: int):
    """The i-th st.table as shown, Markdown escapes taken off."""
    table = at.table[i].value
    table = table.map(lambda v: unescape(v) if isinstance(v, str) else v)
    table.columns = [unescape(c) for c in table.columns]
    return table


def _week() -> date:
    return default_week(date.today(), CenterSettings().open_weekdays)


def test_plan_the_week_shows_grid_unfilled_and_summary_then_saves_and_publishes(demo_db):
    at = _coordinator()
    assert at.title[0].value == "Plan the week"
    assert "No plan for this week yet. Press Plan." in [unescape(i.value) for i in at.info]
    at.button(key="plan_button").click()
    at.run()
    assert not at.exception
    assert at.header[0].value == "New plan (not saved yet)"
    grid = _table(at, 0)
    assert list(grid.columns) == ["Morning 09:00-13:00", "Afternoon 13:00-17:00", "Dinner 17:00-18:00"]
    assert len(grid) == 3 and all(" of " in cell for cell in grid.iloc[0])
    texts = [unescape(line[2:]) for m in at.markdown for line in m.value.splitlines()]
    assert any(t.endswith("slots have at least their minimum.") for t in texts)
    assert any(t.startswith("Plan proven best") or t.startswith("Plan best found") for t in texts)
    # Save the draft, then publish it.
    at.button(key="save_draft").click()
    at.run()
    assert unescape(at.success[0].value) == "Draft saved."
    assert at.header[0].value == "Saved draft"
    at.button(key="publish").click()
    at.run()
    assert unescape(at.success[0].value).startswith("Published as version 1.")
    with db.session() as s:
        version = plans.latest_published(s, _week())
    assert version is not None and version.version == 1 and version.assignments


def test_pin_and_unpin_then_replan_keeps_the_pin(demo_db):
    at = _coordinator()
    at.button(key="plan_button").click()
    at.run()
    pins_key = at.session_state["pins_editor_key"]
    at.session_state[pins_key] = {"edited_rows": {0: {"Pinned": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert unescape(at.success[0].value).startswith("Pins saved (1 pinned, 0 unpinned)")
    with db.session() as s:
        pins = plans.list_pins(s, _week())
    assert len(pins) == 1
    at.button(key="plan_button").click()
    at.run()
    grid = _table(at, 0)
    assert "(pinned)" in "".join(grid.to_numpy().ravel())


def test_only_people_who_can_work_the_slot_are_offered_and_a_refused_pin_says_why(demo_db):
    at = _coordinator()
    with db.session() as s:
        settings = load_settings(s)
        roster = list_volunteers(s, active_only=True)
    slots = settings.week_slots(_week())
    blocked = next(v for v in roster if v.check_status != "cleared" and v.does_shifts)
    at.selectbox(key="by_hand_slot").set_value(slots[0].id)
    at.run()
    offered = at.selectbox(key=f"by_hand_volunteer:{slots[0].id}")
    assert blocked.name not in offered.options, "no cleared check: not offered at all"
    # Someone with a cap of one shift a week, pinned twice: the second pin is refused, in plain words.
    with db.session() as s:
        problem = build_problem(s, _week())
    one = next(v for v in problem.volunteers if v.max_shifts == 1
               and sum(1 for sl in slots if sl.kind == "shift" and why_not_eligible(v, sl) is None) >= 2)
    first, second = [sl for sl in slots if sl.kind == "shift" and why_not_eligible(one, sl) is None][:2]
    for sl in (first, second):
        at.selectbox(key="by_hand_slot").set_value(sl.id)
        at.run()
        at.selectbox(key=f"by_hand_volunteer:{sl.id}").set_value(one.id)
        at.button(key="by_hand_pin").click()
        at.run()
        assert not at.exception, at.exception
    message = unescape(at.error[0].value)
    assert message == f"Not pinned: {one.name} would be pinned to 2 shifts, more than their weekly cap of 1."
    with db.session() as s:
        assert plans.list_pins(s, _week()) == [Assignment(first.id, one.id)]


def test_hand_edits_are_checked_against_the_rules_and_saved_as_the_draft(demo_db):
    at = _coordinator()
    at.button(key="plan_button").click()
    at.run()
    with db.session() as s:
        settings = load_settings(s)
        roster = list_volunteers(s, active_only=True)
    slot = settings.week_slots(_week())[0]
    blocked = next(v for v in roster if v.check_status != "cleared" and v.does_shifts)
    # A person without a cleared check is not offered at all; nothing was saved.
    at.selectbox(key="by_hand_slot").set_value(slot.id)
    at.run()
    assert blocked.name not in at.selectbox(key=f"by_hand_volunteer:{slot.id}").options
    with db.session() as s:
        assert plans.get_draft(s, _week()) is None
    # Removing someone who is on the slot (a trainee if any, so rule 4 still holds): saved as the draft.
    fresh = at.session_state[f"plan:{_week().isoformat()}"]
    trained = {r.key for r in roster if r.trained}
    on_slot = sorted((a.volunteer for a in fresh.assignments if a.slot == slot.id),
                     key=lambda v: v in trained)
    at.selectbox(key=f"by_hand_volunteer:{slot.id}").set_value(on_slot[0])
    at.run()
    at.button(key="by_hand_remove").click()
    at.run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value).endswith("saved as the draft.")
    with db.session() as s:
        draft = plans.get_draft(s, _week())
    assert draft is not None and draft.status == "edited"
    assert set(draft.assignments) == set(fresh.assignments) - {Assignment(slot.id, on_slot[0])}
    assert at.header[0].value == "Saved draft"


def test_roster_edit_is_validated_and_saved(demo_db):
    at = _coordinator("pages/coordinator/roster.py")
    assert at.title[0].value == "Roster"
    warnings = [unescape(w.value) for w in at.warning]
    for kind in ("expired", "pending", "expiring within 30 days"):
        assert any(w.startswith(f"Background check {kind}") for w in warnings), kind
    key = at.session_state["roster_editor_key"]
    at.session_state[key] = {"edited_rows": {0: {"Email": "not-an-email"}}, "added_rows": [],
                             "deleted_rows": []}
    at.run()
    errors = [unescape(e.value) for e in at.error]
    assert any(e.startswith('Row 1 (') and 'column "Email"' in e for e in errors), errors
    assert "Nothing was saved from that edit." in errors
    with db.session() as s:
        first = list_volunteers(s)[0]
    assert first.email != "not-an-email"
    key = at.session_state["roster_editor_key"]
    new_name = "<b>New</b> [x](javascript:alert(1))"
    at.session_state[key] = {"edited_rows": {0: {"Max shifts/week": 3, "Availability": "Sat 09:00-17:00"}},
                             "added_rows": [{"Name": new_name, "Check": "pending"}], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert unescape(at.success[0].value) == "Saved: 1 volunteer changed, 1 added."
    with db.session() as s:
        stored = {v.name: v for v in list_volunteers(s)}
    assert stored[first.name].max_shifts == 3 and str(stored[first.name].availability[0]) == "Sat 09:00-17:00"
    assert "<b>New</b> [x](javascript:alert(1))" in stored
    # The name is shown as data, never as HTML or Markdown.
    assert all("<b>New</b>" not in m.value for m in at.markdown)


def test_settings_preview_then_save(demo_db):
    at = _coordinator("pages/coordinator/settings.py")
    assert at.title[0].value == "Center settings"
    at.multiselect[0].set_value([3, 4, 5, 6])
    at.run()
    needs = at.dataframe[0].value
    row = needs[needs["Need per week"] == "Open days"].iloc[0]
    assert (row["Now"], row["With these settings"], row["Change"]) == (3, 4, 1)
    at.button(key="save_settings").click()
    at.run()
    assert unescape(at.success[0].value).startswith("Settings saved.")
    with db.session() as s:
        assert load_settings(s).open_weekdays == (3, 4, 5, 6)


def test_bad_settings_are_explained_and_not_saveable(demo_db):
    at = _coordinator("pages/coordinator/settings.py")
    at.number_input[2].set_value(1)  # a target below the minimum of 3
    at.run()
    assert "shift_target: below shift_min" in [unescape(e.value) for e in at.error]
    assert at.button(key="save_settings").disabled


def test_imports_preview_and_refusal(demo_db, tmp_path):
    at = _coordinator("pages/coordinator/imports_exports.py")
    assert at.title[0].value == "Imports and exports"
    labels = [b.label for b in at.get("download_button")]
    assert "Download the roster (CSV)" in labels


def test_imports_page_offers_both_new_importers_and_every_schedule_format(demo_db):
    publish_demo_week()
    at = _coordinator("pages/coordinator/imports_exports.py")
    assert not at.exception, at.exception
    headings = [h.value for h in at.header]
    assert "Import a SignUpGenius report" in headings
    assert "Import a Google Forms availability export" in headings
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download the roster (CSV)", "Schedule (CSV)", "Schedule (XLSX)",
                      "Printable page (HTML)", "Calendar (ICS)"]
    assert any(c.value.startswith("Exports published version 1:") for c in at.caption)


def test_a_settings_save_over_someone_elses_newer_save_is_refused_once(demo_db):
    at = _coordinator("pages/coordinator/settings.py")
    with db.session() as s:
        save_settings(s, replace(load_settings(s), name="Renamed meanwhile"), actor="someone else")
    at.multiselect[0].set_value([3, 4, 5, 6])
    at.run()
    at.button(key="save_settings").click()
    at.run()
    assert any("changed by someone else" in unescape(e.value) for e in at.error)
    with db.session() as s:
        assert load_settings(s).open_weekdays != (3, 4, 5, 6)
    at.button(key="save_settings").click()  # having seen what changed, a second save goes through
    at.run()
    with db.session() as s:
        assert load_settings(s).open_weekdays == (3, 4, 5, 6)


def test_a_roster_edit_lands_on_the_row_shown_when_someone_added_a_volunteer_meanwhile(demo_db):
    """The editor's edit positions refer to the table as shown; a row someone else added sorts first."""
    at = _coordinator("pages/coordinator/roster.py")
    with db.session() as s:
        first = list_volunteers(s)[0]
        add_volunteer(s, VolunteerRecord("Aaron Added-Meanwhile"), actor="other coordinator")
    key = at.session_state["roster_editor_key"]
    at.session_state[key] = {"edited_rows": {0: {"Phone": "816-555-0199"}}, "added_rows": [],
                             "deleted_rows": []}
    at.run()
    assert unescape(at.success[0].value) == "Saved: 1 volunteer changed, 0 added."
    with db.session() as s:
        stored = {v.name: v for v in list_volunteers(s)}
    assert stored[first.name].phone == "816-555-0199" and stored["Aaron Added-Meanwhile"].phone is None


def test_the_add_form_checks_every_field_keeps_the_entry_on_error_then_adds(demo_db):
    at = _coordinator("pages/coordinator/roster.py")
    assert at.expander[0].label == "Add a volunteer" and not at.expander[0].proto.expanded
    before = len(list_volunteers_all())
    field = {t.label: t for t in at.text_input}
    field["Name"].input("Zora Q.")
    field["Email (optional)"].input("zora@")
    field["Availability"].input("Fri 09:00-25:00")
    _button(at, "Add to the roster").click()
    at.run()
    errors = [unescape(e.value) for e in at.error]
    assert any(e.startswith('New volunteer, column "Email"') for e in errors), errors
    assert any(e.startswith('New volunteer, column "Availability"') for e in errors), errors
    assert "Nobody was added." in errors
    assert len(list_volunteers_all()) == before
    field = {t.label: t for t in at.text_input}
    assert field["Name"].value == "Zora Q." and field["Email (optional)"].value == "zora@"  # kept
    assert at.expander[0].proto.expanded, "and in sight, to be corrected"

    field["Email (optional)"].input("zora@example.org")
    field["Availability"].input("Fri 09:00-17:00")
    _button(at, "Add to the roster").click()
    at.run()
    assert not at.exception
    assert unescape(at.success[0].value) == "Added Zora Q. to the roster."
    added = next(v for v in list_volunteers_all() if v.name == "Zora Q.")
    assert (added.email, added.does_shifts, added.trained, added.check_status) == (
        "zora@example.org", True, False, "none")
    assert {t.label: t.value for t in at.text_input}["Name"] == ""  # emptied for the next person


def test_the_roster_shows_who_is_free_when(demo_db):
    at = _coordinator("pages/coordinator/roster.py")
    overview = next(d.value for d in at.dataframe if "Day" in d.value.columns)
    with db.session() as s:
        center = load_settings(s)
    assert len(overview) == len(center.open_weekdays)
    first = overview.iloc[0, 1]
    assert first.split(":")[0].isdigit() and int(first.split(":")[0]) > 0


def list_volunteers_all() -> list[VolunteerRecord]:
    with db.session() as s:
        return list_volunteers(s)
