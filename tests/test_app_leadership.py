"""AppTest: leadership's what-if page drives the engine to sentences, charts, tables and CSVs, counts only."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from planner.present.text import unescape
from planner.services import leadership as asked
from planner.store import db
from planner.store.roster import list_volunteers
from tests.apptest import open_app
from tests.test_privacy_pages import without_pipeline_counts

PHONE = re.compile(r"\d{3}-\d{3}-\d{4}")


def _leadership() -> AppTest:
    at = open_app("leadership", timeout=120)
    assert not at.exception, at.exception
    return at


def _compute(at: AppTest, days: list[int] | None = None, buffer: int | None = None) -> AppTest:
    if days is not None:
        at.multiselect(key="whatif_days").set_value(days)
    if buffer is not None:
        at.number_input(key="whatif_buffer").set_value(buffer)
    next(b for b in at.button if b.label == "Compute").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _bullets(at: AppTest) -> list[str]:
    return [unescape(m.value)[2:] for m in at.markdown if m.value.startswith("- ")]


def _shown(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                     + [str(t.value) for t in at.title] + [str(h.value) for h in at.header]
                     + [d.value.to_csv() for d in at.dataframe] + [unescape(e.value) for e in at.error])


def test_first_view_offers_the_closed_days_and_computes_nothing(demo_db, monkeypatch):
    monkeypatch.setattr(asked, "study", lambda *a, **k: pytest.fail("computed before the button"))
    at = _leadership()
    assert at.title[0].value == "What if we opened more days?"
    assert at.multiselect(key="whatif_days").value == [0, 1, 2, 3]  # the demo center opens Fri-Sun
    assert at.number_input(key="whatif_buffer").value == 15
    assert not at.dataframe and not at.get("vega_lite_chart")


def test_whatif_page_computes_sentences_charts_tables_and_csv(demo_db):
    at = _compute(_leadership(), days=[3])
    days, ladder = at.dataframe[0].value, at.dataframe[1].value
    assert list(days["Day"]) == ["Thursday"]
    assert list(days.columns[:5]) == ["Day", "Extra volunteers", "Of them trained", "Extra dinner providers",
                                      "How sure"]
    assert "Extra volunteers (15% no-shows)" in days.columns
    assert int(days.loc[0, "Extra volunteers (15% no-shows)"]) >= int(days.loc[0, "Extra volunteers"]) > 0
    assert list(ladder["Open days"]) == [4]
    bullets = _bullets(at)
    assert bullets[0].startswith("Opening Thursday needs ") and "Allowing for 15% no-shows" in bullets[0]
    assert any(b.startswith("Opening 4 days a week (adding Thursday) needs ") for b in bullets)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2 and all('"bar"' in c.proto.spec for c in charts)
    assert [b.label for b in at.get("download_button")] == ["Download as CSV", "Download the ladder as CSV"]
    assert [s.value for s in at.header][-1] == "How fragile is this week?"


def test_results_stay_on_rerun_and_a_zero_buffer_shows_plain_numbers_only(demo_db, monkeypatch):
    at = _compute(_leadership(), days=[0, 3], buffer=0)
    table = at.dataframe[0].value
    assert list(table["Day"]) == ["Monday", "Thursday"]
    assert not any("no-shows" in c for c in table.columns)
    assert list(at.dataframe[1].value["Open days"]) == [4, 5]
    monkeypatch.setattr(asked, "study", lambda *a, **k: pytest.fail("computed again on a rerun"))
    at.run()
    assert not at.exception and list(at.dataframe[0].value["Day"]) == ["Monday", "Thursday"]


def test_no_day_chosen_and_engine_failure_are_plain_messages(demo_db, monkeypatch):
    at = _compute(_leadership(), days=[])
    assert unescape(at.error[0].value) == "Choose at least one candidate day."

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(asked, "study", broken)
    at = _compute(_leadership(), days=[3])
    assert "Something went wrong while computing" in unescape(at.error[0].value)
    assert "solver exploded" not in _shown(at) and not at.dataframe


def test_leadership_sees_no_names_contact_or_check_data_after_computing(demo_db):
    at = _compute(_leadership())
    shown = without_pipeline_counts(_shown(at))
    assert "The pipeline has 4 applicants free on Thursdays" in unescape(_shown(at))
    with db.session() as s:
        roster = list_volunteers(s)
    for v in roster:
        assert v.name not in shown
        assert not v.email or v.email not in shown
        assert not v.phone or v.phone not in shown
    assert "@" not in shown and not PHONE.search(shown)
    for word in ("cleared", "pending", "expired", "expires", "background"):
        assert word not in shown.lower()


