"""AppTest: the coordinator's Gaps page (mark a cancellation, apply a replacement, re-plan the gaps)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from planner.present.text import unescape
from planner.services import gaps
from planner.services.gaps import cancel_in
from planner.store import cancellations, db, plans
from planner.store.roster import get_volunteer
from tests.apptest import messages, open_app
from tests.fixtures.browser import first_choice, publish_demo_week

PAGE = "pages/coordinator/gaps.py"


def _gaps_page() -> AppTest:
    at = open_app("coordinator", timeout=60)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_without_a_published_plan_the_page_says_so(demo_db):
    at = _gaps_page()
    assert at.title[0].value == "Gaps and cancellations"
    assert "Nothing is published for this week yet" in unescape(at.info[0].value)


def test_mark_a_cancellation_then_apply_the_first_suggestion(demo_db):
    week, me, first = publish_demo_week()
    at = _gaps_page()
    assert "No open gaps this week." in [unescape(s.value) for s in at.success]
    reason = "<b>sick</b> [x](javascript:alert(1))"
    pick = at.selectbox(key="cancel_pick:0")
    assert pick.value is None, "nobody is pre-chosen"
    at.text_input(key="cancel_reason:0").set_value(reason)
    next(b for b in at.button if b.label == "Mark cancellation").click()
    at.run()
    assert messages(at, "error") == ["Choose who cannot make it. Nothing was changed."]
    assert at.text_input(key="cancel_reason:0").value == reason, "what was typed is kept"
    with db.session() as s:
        assert cancellations.open_gaps(s, week) == []
        assert plans.latest_published(s, week).version == first.version
    at.selectbox(key="cancel_pick:0").set_value(first_choice(week))
    next(b for b in at.button if b.label == "Mark cancellation").click()
    at.run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value).startswith("Cancellation marked")
    assert at.text_input(key="cancel_reason:1").value == "", "a fresh form after an action"
    assert at.selectbox(key="cancel_pick:1").value is None
    with db.session() as s:
        [gap] = cancellations.open_gaps(s, week)
        assert plans.latest_published(s, week).version == first.version + 1
    lines = [t.value for t in at.text]
    assert any("cannot make it (<b>sick</b> [x](javascript:alert(1)))." in line for line in lines)
    suggestions = at.dataframe[0].value
    assert list(suggestions["Rank"])[:2] == [1, 2]
    assert list(suggestions["Assigned this week"]) == sorted(suggestions["Assigned this week"])
    pick = at.selectbox(key=f"pick_{gap.id}")
    assert pick.value is None and at.button(key=f"apply_{gap.id}").disabled  # the coordinator chooses
    best = gaps.replacements(gaps.load(week), gap)[0].volunteer
    pick.set_value(best)
    at.run()
    chosen = at.selectbox(key=f"pick_{gap.id}").value
    at.button(key=f"apply_{gap.id}").click()
    at.run()
    # Before anything is published: how to reach them, and a confirmation.
    with db.session() as s:
        them = get_volunteer(s, int(chosen[1:]))
    asked = next(m for m in messages(at, "info") if m.startswith("Ask "))
    assert asked.startswith(f"Ask {them.name} first: ") and (them.phone or them.email or "no phone") in asked
    with db.session() as s:
        assert cancellations.open_gaps(s, week) == [gap], "nothing published before the confirmation"
    at.button(key=f"confirm_{gap.id}").click()
    at.run()
    assert not at.exception, at.exception
    shown = unescape(at.success[0].value)
    assert " replaces " in shown and "Published as version" in shown
    with db.session() as s:
        assert cancellations.open_gaps(s, week) == []
        [done] = cancellations.list_cancellations(s, week)
        latest = plans.latest_published(s, week)
    assert (done.resolution, done.replacement) == ("replaced", chosen)
    assert latest.version == first.version + 2
    assert (gap.slot, chosen) in {(a.slot, a.volunteer) for a in latest.assignments}
    assert (gap.slot, gap.volunteer) not in {(a.slot, a.volunteer) for a in latest.assignments}
    # The history keeps the cancellation and its outcome.
    history = at.dataframe[-1].value
    assert history.iloc[0]["Outcome"].startswith("replaced by ")


def test_replan_the_gaps_keeps_the_rest_and_resolves_them(demo_db):
    week, me, first = publish_demo_week()
    with db.session() as s:
        mine = next(a for a in first.assignments if a.volunteer == me.key)
        cancel_in(s, week, mine.slot, me.id, actor="volunteer")
    at = _gaps_page()
    at.button(key="replan_gaps").click()
    at.run()
    assert not at.exception, at.exception
    assert any(t.value.startswith("Unfilled positions:") for t in at.text)
    at.button(key="publish_replan").click()
    at.run()
    assert unescape(at.success[0].value).startswith("Published as version")
    with db.session() as s:
        assert cancellations.open_gaps(s, week) == []
        latest = plans.latest_published(s, week)
    assert set(first.assignments) - {mine} <= set(latest.assignments)  # everyone else stays
    assert mine not in latest.assignments


def test_leave_a_gap_open(demo_db):
    week, me, first = publish_demo_week()
    with db.session() as s:
        mine = next(a for a in first.assignments if a.volunteer == me.key)
        gap = cancel_in(s, week, mine.slot, me.id)
    at = _gaps_page()
    at.button(key=f"dismiss_{gap.id}").click()
    at.run()
    assert unescape(at.info[0].value).startswith("The gap is closed")
    with db.session() as s:
        assert cancellations.list_cancellations(s, week)[0].resolution == "dismissed"


def test_undo_a_cancellation_puts_the_person_back_and_publishes(demo_db):
    week, me, first = publish_demo_week()
    mine = next(a for a in first.assignments if a.volunteer == me.key)
    with db.session() as s:
        cancel_in(s, week, mine.slot, me.key, "flu", actor="volunteer")
    at = _gaps_page()
    undo = at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("undo_")))
    assert undo.label == f"Undo: {me.name} can come after all"
    undo.click()
    at.run()
    assert not at.exception, at.exception
    assert messages(at, "success")[0].startswith(f"Cancellation undone: {me.name} is back on ")
    with db.session() as s:
        latest = plans.latest_published(s, week)
        assert cancellations.open_gaps(s, week) == []
        assert get_volunteer(s, me.id).exceptions == ()
    assert mine in latest.assignments and latest.version == first.version + 2
    assert at.dataframe[-1].value.iloc[0]["Outcome"] == "undone: they came back"


def test_a_publish_by_someone_else_keeps_the_choice_made_in_the_cancellation_form(demo_db):
    """Another coordinator publishes between the choice and the click: the choice still counts."""
    week, me, first = publish_demo_week()
    at = _gaps_page()
    gone = first_choice(week)
    at.selectbox(key="cancel_pick:0").set_value(gone)
    other = next(a for a in first.assignments if a != gone)
    with db.session() as s:  # the other coordinator takes someone else off and publishes version 2
        plans.save_draft(s, week, [a for a in first.assignments if a != other])
        plans.publish_draft(s, week)
    next(b for b in at.button if b.label == "Mark cancellation").click()
    at.run()
    assert not at.exception, at.exception
    assert unescape(at.success[0].value).startswith("Cancellation marked")
    with db.session() as s:
        [gap] = cancellations.open_gaps(s, week)
        assert (gap.slot, gap.volunteer) == (gone.slot, gone.volunteer)
        assert plans.latest_published(s, week).version == first.version + 2
