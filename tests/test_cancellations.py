"""Cancellations and gaps in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time

import pytest

from planner.core.domain import VolunteerRecord, WeeklyWindow
from planner.core.problem import Assignment
from planner.services import gaps
from planner.services.gaps import cancel_in
from planner.store import audit, cancellations, plans, roster
from planner.store.db import session
from planner.store.settings import load_settings

WEEK = date(2026, 11, 30)
FRI_AM = "2026-12-04-am"


@pytest.fixture
def keys(store_url: str) -> list[str]:
    friday = (WeeklyWindow(4, time(9), time(17)),)
    with session(store_url) as db:
        return [roster.add_volunteer(db, VolunteerRecord(n, trained=True, check_status="cleared",
                                                         availability=friday)).key
                for n in ("Ana R.", "Bea B.", "Cy D.")]


def _publish(store_url: str, assignments: list[Assignment]) -> plans.PlanVersion:
    with session(store_url) as db:
        plans.save_draft(db, WEEK, assignments, actor="coord")
        return plans.publish_draft(db, WEEK, actor="coord")


def test_cancel_publishes_a_version_without_the_person_and_opens_a_gap(store_url: str,
                                                                      keys: list[str]) -> None:
    ana, bea, _ = keys
    first = _publish(store_url, [Assignment(FRI_AM, ana), Assignment(FRI_AM, bea)])
    with session(store_url) as db:
        plans.add_pin(db, WEEK, Assignment(FRI_AM, ana))
        gap = cancel_in(db, WEEK, FRI_AM, int(ana[1:]), reason=" sick ", actor="volunteer")
    assert (gap.slot, gap.volunteer, gap.plan_version, gap.reason) == (FRI_AM, ana, 1, "sick")
    assert gap.is_open
    with session(store_url) as db:
        versions = plans.list_versions(db, WEEK)
        assert [v.version for v in versions] == [1, 2]
        assert versions[0] == first  # history unchanged
        assert versions[1].assignments == (Assignment(FRI_AM, bea),)
        assert versions[1].published_by == "volunteer"
        assert versions[1].unfilled == 20  # 6 shifts x 3 + 3 dinners x 1, less Bea
        assert plans.list_pins(db, WEEK) == []
        me = roster.get_volunteer(db, int(ana[1:]))
        assert me is not None and [(e.day, e.kind, e.start, e.end) for e in me.exceptions] == [
            (date(2026, 12, 4), "off", time(9), time(13))]
        assert cancellations.open_gaps(db, WEEK) == [gap]
        assert audit.recent(db, action="cancellation")[0].detail == f"{ana} cannot make {FRI_AM}"


def test_cancel_refuses_someone_not_on_the_slot_and_changes_nothing(store_url: str, keys: list[str]) -> None:
    ana, bea, _ = keys
    with session(store_url) as db, pytest.raises(plans.PlanError, match="not on this slot"):
        cancel_in(db, WEEK, FRI_AM, ana)  # nothing published yet
    _publish(store_url, [Assignment(FRI_AM, ana)])
    with session(store_url) as db:
        with pytest.raises(plans.PlanError, match=f"{bea} is not on this slot"):
            cancel_in(db, WEEK, FRI_AM, bea)
        with pytest.raises(plans.PlanError, match="reason: longer than 200"):
            cancel_in(db, WEEK, FRI_AM, ana, reason="x" * 201)
        with pytest.raises(plans.PlanError, match="not a volunteer id"):
            cancel_in(db, WEEK, FRI_AM, "ana")
    with session(store_url) as db:
        assert len(plans.list_versions(db, WEEK)) == 1 and cancellations.open_gaps(db, WEEK) == []


def test_resolve_gap_with_a_replacement_keeps_history(store_url: str, keys: list[str]) -> None:
    ana, bea, cy = keys
    _publish(store_url, [Assignment(FRI_AM, ana), Assignment(FRI_AM, bea)])
    with session(store_url) as db:
        gap = cancel_in(db, WEEK, FRI_AM, ana, actor="coord")
    with session(store_url) as db:
        latest = plans.latest_published(db, WEEK)
        assert latest is not None
        plans.publish_assignments(db, WEEK, [*latest.assignments, Assignment(FRI_AM, cy)],
                                  based_on=latest.version, actor="coord", why="replacement")
        done = cancellations.resolve_gap(db, gap.id, "replaced", replacement=cy, actor="coord")
    assert (done.resolution, done.replacement, done.resolved_by) == ("replaced", cy, "coord")
    assert not done.is_open
    with session(store_url) as db:
        assert cancellations.open_gaps(db, WEEK) == []
        assert cancellations.list_cancellations(db, WEEK) == [done]
        assert [v.version for v in plans.list_versions(db, WEEK)] == [1, 2, 3]
        with pytest.raises(plans.PlanError, match="already resolved"):
            cancellations.resolve_gap(db, gap.id, "dismissed")
        with pytest.raises(plans.PlanError, match="no gap 999"):
            cancellations.resolve_gap(db, 999, "dismissed")
        with pytest.raises(plans.PlanError, match='"later" is not one of'):
            cancellations.resolve_gap(db, gap.id, "later")


def test_publish_assignments_refuses_a_stale_base(store_url: str, keys: list[str]) -> None:
    ana, _, _ = keys
    _publish(store_url, [Assignment(FRI_AM, ana)])
    with session(store_url) as db, pytest.raises(plans.PlanError, match="published by someone else"):
        plans.publish_assignments(db, WEEK, [], based_on=None)


def test_show_first_names_reads_the_one_team_names_setting(store_url: str) -> None:
    with session(store_url) as db:
        assert load_settings(db).show_first_names is False


def test_erasing_a_volunteer_blanks_their_cancellation_reasons_but_keeps_the_count(
        store_url: str, keys: list[str]) -> None:
    ana, bea, _ = keys
    _publish(store_url, [Assignment(FRI_AM, ana), Assignment(FRI_AM, bea)])
    with session(store_url) as db:
        cancel_in(db, WEEK, FRI_AM, ana, reason="my daughter's hospital visit", actor="volunteer")
    with session(store_url) as db:
        roster.erase_volunteer(db, int(ana[1:]), actor="coord")
    with session(store_url) as db:
        history = cancellations.list_cancellations(db, WEEK)
    assert [(g.volunteer, g.reason) for g in history] == [(ana, "")]


def test_undo_puts_them_back_removes_the_time_off_and_closes_the_gap(
        store_url: str, keys: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", store_url)
    ana, bea, _ = keys
    _publish(store_url, [Assignment(FRI_AM, ana), Assignment(FRI_AM, bea)])
    with session(store_url) as db:
        cancel_in(db, WEEK, FRI_AM, ana, actor="coord")
    state = gaps.load(WEEK)
    done = gaps.undo(state, state.open_gaps[0], "coord")
    assert done.version.version == 3
    assert set(done.version.assignments) == {Assignment(FRI_AM, ana), Assignment(FRI_AM, bea)}
    with session(store_url) as db:
        assert roster.get_volunteer(db, int(ana[1:])).exceptions == ()
        (gap,) = cancellations.list_cancellations(db, WEEK)
        assert (gap.resolution, gap.resolved_by) == ("undone", "coord")
    with pytest.raises(plans.PlanError, match="already closed"):
        gaps.undo(state, gap, "coord")


def test_undo_is_refused_with_the_rule_when_the_place_went_meanwhile(
        store_url: str, keys: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", store_url)
    friday = (WeeklyWindow(4, time(9), time(17)),)
    with session(store_url) as db:
        di, eve = (roster.add_volunteer(db, VolunteerRecord(name, trained=True, check_status="cleared",
                                                            availability=friday)).key
                   for name in ("Di E.", "Eve F."))
        target = load_settings(db).shift_target
    full = [*keys, di][:target]
    _publish(store_url, [Assignment(FRI_AM, v) for v in full])
    with session(store_url) as db:
        cancel_in(db, WEEK, FRI_AM, full[0], actor="coord")
    with session(store_url) as db:  # someone else takes the place first, behind the gaps page
        latest = plans.latest_published(db, WEEK)
        plans.publish_assignments(db, WEEK, [*latest.assignments, Assignment(FRI_AM, eve)],
                                  based_on=latest.version, actor="coord", why="filled")
    state = gaps.load(WEEK)
    with pytest.raises(plans.PlanError, match="target") as refused:
        gaps.undo(state, state.open_gaps[0], "coord")
    assert refused.value.messages[0].startswith("Breaks")
    with session(store_url) as db:  # nothing changed: the time off and the open gap stay
        assert len(roster.get_volunteer(db, int(full[0][1:])).exceptions) == 1
        assert len(cancellations.open_gaps(db, WEEK)) == 1
        assert len(plans.list_versions(db, WEEK)) == 3
