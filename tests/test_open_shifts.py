"""Self sign-up: a volunteer's "Open shifts" list holds only places the hard rules allow them, and a claim
crafted for any other place is refused, naming the rule, changing nothing.

The list is checked against the rules written out here, independently of the engine's checker: the
background check valid on the day, under the weekly cap, no overlap with their other slots, a trainee only
beside a trained volunteer (and the kind they do, time they did not take off, a place left below target).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import text

from planner.core.clock import center_now
from planner.core.domain import DatedException, VolunteerRecord
from planner.core.errors import ClaimError
from planner.core.problem import Assignment, Slot
from planner.core.validate import validate
from planner.services import gaps, offers
from planner.services.week import build_problem
from planner.store import db, migrate, plans, roster
from planner.store.roster import list_volunteers
from planner.store.settings import load_settings
from tests.offer_center import SETTINGS, small_center


def _snapshot() -> dict[str, list[tuple]]:
    tables = ("plans", "plan_assignments", "offers", "offer_recipients", "availability_exceptions",
              "audit_log", "notifications")
    with db.session(readonly=True) as s:
        return {t: [tuple(r) for r in s.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in tables}


def _refused(volunteer_id: int, week: date, slot_id: str) -> str:
    before = _snapshot()
    with pytest.raises(ClaimError) as err:
        offers.claim(volunteer_id, week, slot_id, "crafted")
    assert _snapshot() == before
    return "; ".join(err.value.messages)


@pytest.fixture
def url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    migrate.migrate(url)
    return url


def test_each_hard_rule_hides_the_place_and_refuses_a_crafted_claim(url: str) -> None:
    # Dinner 16:00-17:00 overlaps the afternoon shift, so rule 2 can be met.
    center = small_center(url, settings=replace(SETTINGS, meals=True, meal_start=time(16), meal_end=time(17)))
    with db.session() as s:
        cy = roster.get_volunteer(s, center.id("Cy"))
        assert cy is not None
        roster.update_volunteer(s, replace(cy, does_meals=True, max_meals=1))
        dinner = next(sl for sl in load_settings(s).week_slots(center.week) if sl.kind == "meal")

    def listed(name: str) -> set[str]:
        return {p.slot.id for p in offers.open_places(center.id(name))}

    assert listed("Gus") == {center.pm}  # the morning is full (Ana, Bea); Gus does no meals
    assert listed("Ed") == set()
    assert "rule 1, eligibility" in _refused(center.id("Ed"), center.week, center.pm)
    assert "background check" in _refused(center.id("Ed"), center.week, center.pm)
    assert center.pm not in listed("Bea")  # on the morning already, weekly cap 1
    assert "rule 3, weekly cap" in _refused(center.id("Bea"), center.week, center.pm)
    assert dinner.id not in listed("Cy")  # does meals, but dinner overlaps their afternoon
    assert "rule 2, no overlapping slots" in _refused(center.id("Cy"), center.week, dinner.id)
    assert "Already filled" in _refused(center.id("Gus"), center.week, center.am)  # 2 of 2
    assert "You are on" in _refused(center.id("Ana"), center.week, center.am)

    gaps.cancel(center.week, center.pm, center.key("Cy"), "", actor="coord")  # pm now has nobody
    assert center.pm not in listed("Di")  # a trainee only beside a trained volunteer
    assert "rule 4, a trainee needs a trained volunteer" in _refused(center.id("Di"), center.week, center.pm)
    offers.claim(center.id("Gus"), center.week, center.pm, "gus")
    assert center.pm in listed("Di")  # Gus (trained) is on it now

    with db.session() as s:  # time off wins: taking a place says you can come, unless you said you cannot
        friday = dinner.day
        roster.add_exception(s, center.id("Di"), DatedException(friday, "off", time(13), time(17)))
    assert center.pm not in listed("Di")
    assert "rule 1, eligibility" in _refused(center.id("Di"), center.week, center.pm)


def test_a_place_outside_usual_hours_is_open_and_taking_it_keeps_the_plan_valid(url: str) -> None:
    center = small_center(url)
    with db.session() as s:
        gus = roster.get_volunteer(s, center.id("Gus"))
        assert gus is not None
        roster.update_volunteer(s, replace(gus, availability=()))  # never said when they come
    assert {p.slot.id for p in offers.open_places(center.id("Gus"))} == {center.pm}
    offers.claim(center.id("Gus"), center.week, center.pm, "gus")
    with db.session() as s:
        latest = plans.latest_published(s, center.week)
        problem = build_problem(s, center.week)
    assert latest is not None and Assignment(center.pm, center.key("Gus")) in latest.assignments
    assert validate(problem, list(latest.assignments)) == []  # their availability now holds the slot


def _allowed(record: VolunteerRecord, slot: Slot, plan: list[Assignment], trained: set[str],
             week: date) -> bool:
    """The hard rules for adding `record` to `slot`, written out (not the engine's checker)."""
    mine = [a.slot for a in plan if a.volunteer == record.key]
    on_slot = [a.volunteer for a in plan if a.slot == slot.id]
    slots = {s.id: s for s in load_settings_cached(week)}
    if slot.id in mine or len(on_slot) >= slot.target or slot.kind not in record.does:
        return False
    if slot.needs_background_check and not (record.check_status == "cleared" and (
            record.check_expires is None or slot.day <= record.check_expires)):
        return False
    cap = record.max_shifts if slot.kind == "shift" else record.max_meals
    if sum(1 for m in mine if slots[m].kind == slot.kind) >= cap:
        return False
    if any(slots[m].start < slot.end and slot.start < slots[m].end for m in mine):
        return False
    if slot.kind == "shift" and not record.trained and not any(v in trained for v in on_slot):
        return False
    for off in (e for e in record.exceptions if e.kind == "off" and e.day == slot.day):
        start, end = off.span()
        if start < slot.end and slot.start < end:
            return False
    return True


_SLOTS: dict[date, tuple[Slot, ...]] = {}


def load_settings_cached(week: date) -> tuple[Slot, ...]:
    if week not in _SLOTS:
        with db.session(readonly=True) as s:
            _SLOTS[week] = load_settings(s).week_slots(week)
    return _SLOTS[week]


@pytest.mark.slow
def test_on_the_demo_center_the_list_is_exactly_the_allowed_places(demo_db) -> None:
    from tests.fixtures.browser import publish_demo_week

    week, _, _ = publish_demo_week()
    _SLOTS.clear()
    with db.session(readonly=True) as s:
        now = center_now(load_settings(s).timezone)
        people = [v for v in list_volunteers(s, active_only=True)]
        latest = plans.latest_published(s, week)
    assert latest is not None
    plan = list(latest.assignments)
    trained = {v.key for v in people if v.trained}
    future = [s for s in load_settings_cached(week) if s.start > now]
    rng = random.Random(13)
    refused = 0
    for person in people:
        assert person.id is not None
        listed = {p.slot.id for p in offers.open_places(person.id) if p.week_start == week}
        expected = {s.id for s in future if _allowed(person, s, plan, trained, week)}
        assert listed == expected, person.name
        others = [s for s in future if s.id not in listed]
        for slot in rng.sample(others, min(2, len(others))):
            _refused(person.id, week, slot.id)
            refused += 1
    assert refused > 40
    # And a listed place can be taken: a few people take theirs, each leaving a valid plan.
    taken = 0
    while taken < 3 and (takers := [(p.id, places[0]) for p in people
                                     if (places := offers.open_places(p.id or 0))]):
        person_id, place = rng.choice(takers)
        taken += 1
        assert person_id is not None
        offers.claim(person_id, place.week_start, place.slot.id, "test")
        with db.session(readonly=True) as s:
            after = plans.latest_published(s, place.week_start)
            assert after is not None
            assert validate(build_problem(s, place.week_start), list(after.assignments)) == []
    assert taken >= 1
