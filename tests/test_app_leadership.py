"""AppTest: leadership's what-if page drives the engine to a table, sentences, a chart and a CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import views
from planner.store import db
from planner.store.roster import list_volunteers
from tests.fixtures.browser import signed_in

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _leadership() -> AppTest:
    at = signed_in(AppTest.from_file(APP, default_timeout=60), "leadership").run()
    assert not at.exception, at.exception
    return at


def test_whatif_page_computes_table_sentences_chart_and_csv(demo_db):
    pytest.importorskip("planner.whatif")
    at = _leadership()
    assert at.title[0].value == "What if we opened more days?"
    assert at.multiselect[0].value == [0, 1, 2, 3]  # the demo center opens Fri-Sun
    at.multiselect[0].set_value([3])
    next(b for b in at.button if b.label == "Compute").click()
    at.run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == views.WHATIF_COLUMNS
    assert list(table["Day"]) == ["Thursday"]
    sentences = [views.unescape(m.value) for m in at.markdown if m.value.startswith("- ")]
    assert len(sentences) == 1 and sentences[0].startswith("- Opening Thursday needs")
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert [b.label for b in at.get("download_button")] == ["Download as CSV"]


def test_leadership_sees_no_contact_or_check_data(demo_db):
    at = _leadership()
    shown = "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                      + [str(t.value) for t in at.title] + [d.value.to_csv() for d in at.dataframe])
    with db.session() as s:
        roster = list_volunteers(s)
    for v in roster:
        assert v.name not in shown
        assert not v.email or v.email not in shown
    assert "cleared" not in shown and "expires" not in shown


def test_a_leader_cannot_open_the_roster(demo_db):
    at = _leadership()
    at.switch_page("pages/coordinator/roster.py").run()
    assert "is not shown" in at.error[0].value
    assert not at.dataframe
