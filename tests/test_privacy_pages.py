"""AppTest: the audit log; erasure (on the Roster page); leadership and volunteer pages show no contacts."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.present.applicants import COUNTED_IN_NOTE, ON_ROSTER_NOTE
from planner.present.text import unescape
from planner.services import auth, imports
from planner.store import accounts, audit, db
from planner.store.roster import get_volunteer, list_volunteers, update_volunteer
from planner.store.settings import load_settings, save_settings
from tests.apptest import open_app, shown
from tests.fixtures.browser import publish_demo_week

ROOT = Path(__file__).resolve().parents[1]
AUDIT = "pages/coordinator/audit.py"
ROSTER = "pages/coordinator/roster.py"
LEADERSHIP_PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages/leadership").glob("*.py"))
VOLUNTEER_PAGES = ["pages/volunteer/my_shifts.py", "pages/volunteer/availability.py"]
HTML_NAME = "<img src=x onerror=alert(1)>"
FORMULA_NAME = '=HYPERLINK("http://x")'


def _as(username: str, page: str | None = None) -> AppTest:
    at = open_app(username, page, timeout=60)
    assert not at.exception, at.exception
    return at


# ---------------------------------------------------------------- the audit page


def test_audit_log_shows_sign_ins_exports_and_filters_by_kind(demo_db):
    auth.authenticate("leadership", "wrong")
    auth.authenticate("coordinator", "demo")
    with db.session() as s:
        imports.export_roster("coordinator", db=s)
    at = _as("coordinator", AUDIT)
    assert at.title[0].value == "Audit log"
    table = at.dataframe[0].value
    assert {"sign-in", "sign-in failed", "roster exported"} <= set(table["Action"])
    assert [b.label for b in at.get("download_button")] == ["Download these entries (CSV)"]
    at.multiselect[0].set_value(["Exports"])
    at.run()
    assert not at.exception
    assert set(at.dataframe[0].value["Action"]) == {"roster exported"}


def test_erasing_needs_the_name_typed_then_removes_personal_data_and_the_account(demo_db):
    with db.session() as s:
        account = accounts.get_account(s, "volunteer")
        me = get_volunteer(s, account.volunteer_id)
    publish_demo_week()
    at = _as("coordinator", ROSTER)
    next(sb for sb in at.selectbox if sb.label == "Volunteer").set_value(me.id)
    next(t for t in at.text_input if t.label.startswith("Type the volunteer")).input("Someone else")
    next(b for b in at.button if b.label == "Erase permanently").click()
    at.run()
    assert "does not match" in unescape(at.error[-1].value)
    with db.session() as s:
        assert not get_volunteer(s, me.id).erased

    next(sb for sb in at.selectbox if sb.label == "Volunteer").set_value(me.id)
    next(t for t in at.text_input if t.label.startswith("Type the volunteer")).input(me.name)
    next(b for b in at.button if b.label == "Erase permanently").click()
    at.run()
    assert not at.exception
    assert "Erased: the volunteer's name" in [unescape(s.value) for s in at.success][0]
    with db.session() as s:
        gone = get_volunteer(s, me.id)
        assert gone.erased and gone.email is None and gone.phone is None and gone.name != me.name
        assert gone.availability == () and gone.check_status == "none"
        assert accounts.get_account(s, "volunteer") is None
        assert [e.target for e in audit.recent(s, action="volunteer erased")] == [f"volunteer {me.id}"]
    assert not auth.authenticate("volunteer", "demo").ok
    assert me.name not in shown(at)


# ---------------------------------------------------------------- leadership sees counts only


STAGE_COUNT = r"\d+ (new|contacted|background check requested|cleared|shadowing)"
PIPELINE = re.compile(rf"The pipeline has (no applicants|\d+ applicants?) free on [A-Z][a-z]+days"
                      rf"(: {STAGE_COUNT}(, {STAGE_COUNT})*)?\.")


def without_pipeline_counts(text: str) -> str:
    """The what-if's pipeline sentences name stages ("3 cleared") as counts only; what else the page says
    must name no one's background check. Fails on a pipeline sentence that says more than counts."""
    text = unescape(text)
    for said in re.findall(r"The pipeline has [^.]*\.", text):
        assert PIPELINE.fullmatch(said), said
    return PIPELINE.sub("", text).replace(ON_ROSTER_NOTE, "").replace(COUNTED_IN_NOTE, "")


def _no_people_or_checks(text: str) -> None:
    text = without_pipeline_counts(text)
    with db.session() as s:
        roster = list_volunteers(s)
    for v in roster:
        assert v.name not in text, v.name
        for contact in (v.email, v.phone):
            assert not contact or contact not in text, contact
        if v.check_expires:
            assert v.check_expires.isoformat() not in text
    for word in ("cleared", "pending", "expired", "background", "@"):
        assert word not in text.lower(), word


@pytest.mark.parametrize("page", LEADERSHIP_PAGES)
def test_leadership_pages_show_no_contact_or_background_check_data(demo_db, page):
    publish_demo_week()
    at = _as("leadership", page)
    assert at.title, page
    _no_people_or_checks(shown(at))


def test_whatif_results_show_no_contact_or_background_check_data(demo_db):
    pytest.importorskip("planner.engine.whatif")
    at = _as("leadership", "pages/leadership/whatif.py")
    at.multiselect[0].set_value([3])
    next(b for b in at.button if b.label == "Compute").click()
    at.run()
    assert not at.exception, at.exception
    assert at.dataframe, "the what-if table"
    _no_people_or_checks(shown(at))


# ---------------------------------------------------------------- volunteers see only their own


def test_volunteer_pages_show_no_other_volunteers_contacts_and_first_names_only_when_on(demo_db):
    week, me, version = publish_demo_week()
    with db.session() as s:
        others = [v for v in list_volunteers(s) if v.id != me.id]
    team = {a.volunteer for a in version.assignments
            if a.volunteer != me.key and any(m.slot == a.slot for m in version.assignments
                                              if m.volunteer == me.key)}

    def check(text: str) -> None:
        for other in others:
            assert other.name not in text, other.name  # never a full name
            for contact in (other.email, other.phone):
                assert not contact or contact not in text, contact

    for page in VOLUNTEER_PAGES:
        at = _as("volunteer", page)
        check(shown(at))
    assert "With" not in [unescape(c) for c in _as("volunteer").table[0].value.columns]

    with db.session() as s:
        save_settings(s, replace(load_settings(s), show_team_first_names=True), actor="coordinator")
    at = _as("volunteer")
    table = at.table[0].value
    columns = [unescape(c) for c in table.columns]
    assert columns[-1] == "With"
    text = shown(at)
    check(text)
    firsts = {v.name.split()[0] for v in others if v.key in team}
    assert firsts and all(f in text for f in firsts)
    with_column = " ".join(unescape(c) for c in table[table.columns[-1]])
    assert "@" not in with_column and not any(ch.isdigit() for ch in with_column)


def test_html_and_formula_names_show_as_plain_text(demo_db):
    week, me, version = publish_demo_week()
    with db.session() as s:
        update_volunteer(s, replace(me, name=HTML_NAME), actor="test")
        mate = next(a.volunteer for a in version.assignments
                    if a.volunteer != me.key and any(m.slot == a.slot and m.volunteer == me.key
                                                     for m in version.assignments))
        mate_record = get_volunteer(s, int(mate[1:]))
        update_volunteer(s, replace(mate_record, name=FORMULA_NAME), actor="test")
        save_settings(s, replace(load_settings(s), show_team_first_names=True), actor="coordinator")
    at = _as("volunteer")
    assert at.text[0].value == f"Hello {HTML_NAME}."  # st.text: never Markdown or HTML
    cells = at.table[0].value[at.table[0].value.columns[-1]]
    assert any(FORMULA_NAME in unescape(c).split(", ") for c in cells)
    assert all("<" not in c.replace("\\<", "") for c in cells)  # escaped for st.table's Markdown
