"""20 volunteers claim the last place at once, through the service layer, on SQLite and PostgreSQL: exactly
one gets it, everyone else is told it filled, and nothing else changes."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text

from planner.core.errors import PlaceFilled
from planner.core.problem import Assignment
from planner.core.validate import validate
from planner.services import gaps, keys, offers
from planner.services.week import build_problem
from planner.store import cancellations, db, notifications, plans
from planner.store import offers as stored
from tests.offer_center import Center, small_center

CLAIMS = 20
BASE = "https://planner.example.org"


@pytest.fixture
def center(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Center:
    """The small center with 20 more trained volunteers; Bea has cancelled, so the morning lacks one."""
    monkeypatch.setenv("DATABASE_URL", store_url)
    for name in ("PLANNER_PUBLIC_URL", "PLANNER_SMTP_HOST", "PLANNER_TWILIO_ACCOUNT_SID"):
        monkeypatch.delenv(name, raising=False)
    center = small_center(store_url, extra=CLAIMS)
    gaps.cancel(center.week, center.am, center.key("Bea"), "", actor="coord")
    return center


def _all_at_once(claims: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    won: list[object] = []
    lost: list[BaseException] = []
    start = threading.Barrier(len(claims))

    def run(claim: Callable[[], object]) -> None:
        start.wait()
        try:
            won.append(claim())
        except BaseException as err:  # noqa: BLE001 - counted below
            lost.append(err)

    threads = [threading.Thread(target=run, args=(c,)) for c in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return won, lost


def _published() -> list[tuple[int | None, tuple[Assignment, ...]]]:
    with db.session(readonly=True) as s:
        week = s.execute(text("SELECT start FROM weeks")).scalar_one()
        return [(v.version, v.assignments) for v in plans.list_versions(s, week)]


def _check_one_winner(center: Center, before: list, won: list, lost: list[BaseException]) -> str:
    """The winner's key, after checking that only their assignment was added, in one new valid version."""
    assert len(won) == 1, lost
    assert len(lost) == CLAIMS - 1 and all(isinstance(e, PlaceFilled) for e in lost), lost
    after = _published()
    assert after[:-1] == before and after[-1][0] == before[-1][0] + 1
    [added] = set(after[-1][1]) - set(before[-1][1])
    assert added.slot == center.am and set(before[-1][1]) <= set(after[-1][1])
    with db.session(readonly=True) as s:
        assert validate(build_problem(s, center.week), list(after[-1][1])) == []
    return added.volunteer


def test_twenty_concurrent_accepts_of_one_offered_place_make_one_winner(center: Center) -> None:
    with db.session() as s:
        [gap] = cancellations.open_gaps(s, center.week)
    report = offers.offer_gap(gap.id, BASE, "coord")
    assert report.offer is not None and len(report.offer.recipients) >= CLAIMS
    with db.session() as s:
        extras = {center.key(f"Extra {i:02d}") for i in range(1, CLAIMS + 1)}
        tokens = {n.volunteer: keys.link_token(n.key) for n in notifications.list_notifications(s)
                  if n.kind == "offer" and n.volunteer in extras}
    assert len(tokens) == CLAIMS
    before = _published()
    won, lost = _all_at_once([lambda t=t: offers.accept(t) for t in tokens.values()])
    winner = _check_one_winner(center, before, won, lost)
    with db.session(readonly=True) as s:
        offer = stored.get(s, report.offer.id)
        gap_now = cancellations.get_gap(s, gap.id)
        claimed = s.execute(text("SELECT count(*) FROM audit_log WHERE action = 'place claimed'")).scalar()
    assert offer is not None and (offer.state, offer.taken) == ("filled", 1)
    assert [r.volunteer for r in offer.recipients if r.state == "accepted"] == [winner]
    assert {r.state for r in offer.recipients if r.volunteer != winner} == {"filled"}
    assert gap_now is not None and gap_now.replacement == winner and claimed == 1


def test_twenty_concurrent_sign_ups_for_the_last_place_make_one_winner(center: Center) -> None:
    people = [center.id(f"Extra {i:02d}") for i in range(1, CLAIMS + 1)]
    assert all(any(p.slot.id == center.am for p in offers.open_places(v)) for v in people[:3])
    before = _published()
    won, lost = _all_at_once([lambda v=v: offers.claim(v, center.week, center.am, f"v{v}") for v in people])
    _check_one_winner(center, before, won, lost)
    assert all(center.am not in {p.slot.id for p in offers.open_places(v)} for v in people[:3])
