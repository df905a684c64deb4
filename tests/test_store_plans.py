"""Drafts, immutable published versions and pins, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from planner.core.domain import VolunteerRecord
from planner.core.problem import Assignment
from planner.store import plans, roster
from planner.store.db import session

WEEK = date(2026, 11, 30)


@pytest.fixture
def keys(store_url: str) -> list[str]:
    with session(store_url) as db:
        return [roster.add_volunteer(db, VolunteerRecord(n)).key for n in ("Ana R.", "Bea B.", "Cy D.")]


def test_draft_is_replaced_then_published_as_numbered_versions(store_url: str, keys: list[str]) -> None:
    ana, bea, cy = keys
    with session(store_url) as db:
        assert plans.get_draft(db, WEEK) is None and plans.latest_published(db, WEEK) is None
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-am", ana)], actor="coord")
        twice = [Assignment("2026-12-04-am", bea), Assignment("2026-12-04-am", bea)]
        draft = plans.save_draft(db, WEEK, twice, status="optimal", unfilled=2, below_target=5, actor="coord")
        assert draft.is_draft and draft.assignments == (Assignment("2026-12-04-am", bea),)
        first = plans.publish_draft(db, WEEK, actor="coord")
    assert (first.version, first.unfilled, first.published_by) == (1, 2, "coord")
    assert first.published_at is not None
    with session(store_url) as db:
        assert plans.get_draft(db, WEEK) is None
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-pm", cy)])
        second = plans.publish_draft(db, WEEK)
        plans.save_draft(db, WEEK, [])
    with session(store_url) as db:
        assert [v.version for v in plans.list_versions(db, WEEK)] == [1, 2]
        assert plans.list_versions(db, WEEK)[0].assignments == (Assignment("2026-12-04-am", bea),)
        latest = plans.latest_published(db, WEEK)
        assert latest == second and latest.assignments == (Assignment("2026-12-04-pm", cy),)
        draft = plans.get_draft(db, WEEK)
        assert draft is not None and draft.assignments == ()
        plans.discard_draft(db, WEEK)
        assert plans.get_draft(db, WEEK) is None
        with pytest.raises(plans.PlanError, match="no draft"):
            plans.publish_draft(db, WEEK)


def test_unknown_volunteers_are_refused(store_url: str, keys: list[str]) -> None:
    with session(store_url) as db:
        with pytest.raises(plans.PlanError, match="no volunteer v999"):
            plans.save_draft(db, WEEK, [Assignment("2026-12-04-am", "v999")])
        with pytest.raises(plans.PlanError, match="not a volunteer id"):
            plans.add_pin(db, WEEK, Assignment("2026-12-04-am", "ana"))


def test_assignments_of_a_volunteer_come_from_latest_published(store_url: str, keys: list[str]) -> None:
    ana, bea, _ = keys
    with session(store_url) as db:
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-am", ana), Assignment("2026-12-06-pm", ana),
                                    Assignment("2026-12-04-am", bea)])
        plans.publish_draft(db, WEEK)
        plans.save_draft(db, date(2026, 12, 7), [Assignment("2026-12-11-dinner", ana)])  # a draft only
    with session(store_url) as db:
        vid = int(ana[1:])
        assert plans.assignments_of(db, vid, date(2026, 12, 5)) == [Assignment("2026-12-06-pm", ana)]
        assert len(plans.assignments_of(db, vid, date(2026, 11, 1))) == 2


def test_pins_are_added_once_and_removed(store_url: str, keys: list[str]) -> None:
    ana, bea, _ = keys
    with session(store_url) as db:
        plans.add_pin(db, WEEK, Assignment("2026-12-05-am", bea))
        plans.add_pin(db, WEEK, Assignment("2026-12-04-am", ana))
        plans.add_pin(db, WEEK, Assignment("2026-12-04-am", ana))
    with session(store_url) as db:
        assert plans.list_pins(db, WEEK) == [Assignment("2026-12-04-am", ana),
                                             Assignment("2026-12-05-am", bea)]
        plans.remove_pin(db, WEEK, Assignment("2026-12-04-am", ana))
        assert plans.list_pins(db, WEEK) == [Assignment("2026-12-05-am", bea)]
        assert plans.list_pins(db, date(2027, 1, 4)) == []


def test_erasing_a_volunteer_keeps_published_history(store_url: str, keys: list[str]) -> None:
    ana = keys[0]
    with session(store_url) as db:
        plans.add_pin(db, WEEK, Assignment("2026-12-04-am", ana))
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-am", ana)])
        plans.publish_draft(db, WEEK)
        roster.erase_volunteer(db, int(ana[1:]))
    with session(store_url) as db:
        latest = plans.latest_published(db, WEEK)
        assert latest is not None and latest.assignments == (Assignment("2026-12-04-am", ana),)
        assert plans.list_pins(db, WEEK) == []
