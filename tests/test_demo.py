"""The demo center: seeded, realistic, only in demo mode and only into an empty database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.core.domain import monday_of
from planner.core.problem import problem_to_json, read_problem
from planner.services import auth
from planner.services.demo import demo_volunteers, seed_demo, seed_if_demo
from planner.services.week import build_problem
from planner.store import accounts, roster
from planner.store.db import session

TODAY = date(2026, 11, 27)


def test_demo_roster_is_fixed_by_the_seed_and_mixed() -> None:
    people = demo_volunteers(TODAY)
    assert people == demo_volunteers(TODAY)
    assert len(people) == 40 and len({p.name for p in people}) == 40
    assert 10 <= sum(p.trained for p in people) <= 30
    assert sum(p.does_meals for p in people) >= 6
    assert sum(p.check_status == "pending" for p in people) >= 2
    soon = [p for p in people if p.check_expires and TODAY <= p.check_expires <= TODAY + timedelta(days=30)]
    assert len(soon) >= 2
    assert all(p.email is None or p.email.endswith("@example.org") for p in people)
    assert all(p.phone is None or p.phone.startswith("816-555-01") for p in people)


def test_seed_demo_gives_a_solvable_looking_week_and_three_accounts(store_url: str) -> None:
    with session(store_url) as db:
        seed_demo(db, TODAY)
    with session(store_url) as db:
        assert len(roster.list_volunteers(db)) == 40
        assert [a.role for a in accounts.list_accounts(db)] == ["coordinator", "leadership", "volunteer"]
        for username in ("coordinator", "leadership", "volunteer"):
            assert auth.authenticate(username, "demo", db=db).ok
        linked = accounts.get_account(db, "volunteer")
        assert linked is not None and linked.volunteer_id is not None
        problem = build_problem(db, monday_of(TODAY) + timedelta(days=7))
    assert read_problem(problem_to_json(problem)) == problem
    for slot in problem.slots:
        able = [v for v in problem.volunteers if slot.kind in v.does
                and any(w.contains(slot.start, slot.end) for w in v.available)]
        assert len(able) >= slot.min, f"{slot.id}: only {len(able)} available"


def test_seed_only_in_demo_mode_and_only_when_empty(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_DEMO", raising=False)
    with session(store_url) as db:
        assert seed_if_demo(db) is False
        assert roster.list_volunteers(db) == []
    monkeypatch.setenv("PLANNER_DEMO", "1")
    with session(store_url) as db:
        auth.create_user("realcoord", "long enough pw", "coordinator", db=db)
        assert seed_if_demo(db) is False, "a database with an account is not new"
        accounts.delete_account(db, "realcoord")
        assert seed_if_demo(db) is True
        assert seed_if_demo(db) is False
