"""Offers through the service layer: who is offered, the one-tap link, the first acceptance, "already
filled", refused links that change nothing, "I can't make it" offered onward, the sweep, the audit log, no
token in logs.

SQLite, from a copy of one migrated small center (tests/offer_center.py); the concurrent claims run on
PostgreSQL too, in test_offers_concurrency.py.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.core.errors import ClaimError, OfferLinkError, PlaceFilled, PlanError, RosterError
from planner.core.problem import Assignment
from planner.core.shifts import MyShift
from planner.core.validate import validate
from planner.services import gaps, keys, my_shifts, offers, texts
from planner.services.week import build_problem
from planner.store import audit, cancellations, db, migrate, notifications, plans, roster
from planner.store import offers as stored
from planner.store.settings import load_settings, save_settings
from tests.offer_center import SETTINGS, Center, small_center
from tests.test_invitations import text_of

BASE = "https://planner.example.org"
ENV = ("PLANNER_PUBLIC_URL", "PLANNER_SMTP_HOST", "PLANNER_TWILIO_ACCOUNT_SID", "PLANNER_TWILIO_AUTH_TOKEN",
       "PLANNER_TWILIO_FROM", "PLANNER_TWILIO_BASE_URL")


@pytest.fixture(scope="module")
def template() -> Iterator[tuple[Path, Center]]:
    folder = Path(tempfile.mkdtemp(prefix="planner-offers-"))
    url = f"sqlite:///{folder / 'template.sqlite3'}"
    migrate.migrate(url)
    center = small_center(url)
    db.dispose_engine(url)
    yield folder / "template.sqlite3", center
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def center(template: tuple[Path, Center], tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Center]:
    """A fresh copy of the small center as `DATABASE_URL`; no email, texts or public address configured."""
    path = tmp_path / "planner.sqlite3"
    shutil.copyfile(template[0], path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    yield template[1]
    db.dispose_engine(url)


def _gap(center: Center, who: str = "Bea") -> int:
    """`who` cancels their morning: the gap's id."""
    gaps.cancel(center.week, center.am, center.key(who), "unwell", actor="coord")
    with db.session() as s:
        [gap] = cancellations.open_gaps(s, center.week)
    return gap.id


def _links(kind: str = "offer") -> dict[str, str]:
    """Volunteer key -> the token of the link in their queued message (as the sent email will carry it)."""
    with db.session() as s:
        return {n.volunteer: keys.link_token(n.key) for n in notifications.list_notifications(s)
                if n.kind == kind}


def _snapshot() -> dict[str, list[tuple]]:
    """Every row that a claim could change."""
    tables = ("plans", "plan_assignments", "offers", "offer_recipients", "cancellations", "notifications",
              "availability_exceptions", "audit_log")
    with db.session(readonly=True) as s:
        return {t: [tuple(r) for r in s.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in tables}


def test_a_cancellation_is_offered_to_who_can_take_it_and_the_link_takes_the_place(center: Center) -> None:
    gap_id = _gap(center)
    report = offers.offer_gap(gap_id, BASE, "coord")
    assert report.offer is not None and report.offer.places == 1
    # Di (a trainee beside Ana) and Gus can; Cy is at their cap, Ed's check expired, Ana is on it, Bea left;
    # Flo could but has neither email nor texts.
    assert report.offered == ("Di D.", "Gus G.") and report.unreachable == ("Flo F.",)
    assert [(r.volunteer, r.state, r.channel) for r in report.offer.recipients] == [
        (center.key("Di"), "sent", "email"), (center.key("Gus"), "sent", "email")]
    tokens = _links()
    assert set(tokens) == {center.key("Di"), center.key("Gus")}
    with db.session() as s:
        [message] = [n for n in notifications.list_notifications(s) if n.volunteer == center.key("Di")
                     and n.kind == "offer"]
        hashes = [r[0] for r in s.execute(text("SELECT token_hash FROM offer_recipients"))]
    assert f"{BASE}/offer?token={keys.LINK_MARK}" in message.body  # the token is only in the email sent
    assert all(token not in message.body and token not in hashes for token in tokens.values())
    assert "Ana" not in message.body and "Gus" not in message.body  # no other volunteer's name

    view = offers.look(tokens[center.key("Gus")])
    assert (view.state, view.place) == ("open", "Main room") and view.title.startswith("Fri ")
    assert view.title.endswith("Morning shift 09:00-13:00")
    done = offers.accept(tokens[center.key("Gus")])
    assert done.title == view.title
    with db.session() as s:
        latest = plans.latest_published(s, center.week)
        problem = build_problem(s, center.week)
        offer = stored.get(s, report.offer.id)
        gap = cancellations.get_gap(s, gap_id)
    assert latest is not None and latest.version == 3  # published, cancelled, taken
    assert sorted(latest.assignments) == sorted([Assignment(center.am, center.key("Ana")),
                                                 Assignment(center.am, center.key("Gus")),
                                                 Assignment(center.pm, center.key("Cy"))])
    assert validate(problem, list(latest.assignments)) == []
    assert offer is not None and (offer.state, offer.taken) == ("filled", 1)
    assert {r.volunteer: r.state for r in offer.recipients} == {center.key("Gus"): "accepted",
                                                                center.key("Di"): "filled"}
    assert gap is not None and (gap.resolution, gap.replacement) == ("replaced", center.key("Gus"))

    assert offers.look(tokens[center.key("Di")]).message == offers.FILLED
    before = _snapshot()
    with pytest.raises(PlaceFilled) as err:
        offers.accept(tokens[center.key("Di")])
    assert err.value.messages == [offers.FILLED]
    with pytest.raises(ClaimError, match="You took this place already"):
        offers.accept(tokens[center.key("Gus")])  # a used link
    assert _snapshot() == before


def test_the_usual_notices_follow_and_the_one_who_gave_it_away_is_told(center: Center) -> None:
    offers.offer_gap(_gap(center), BASE, "coord")
    offers.accept(_links()[center.key("Gus")])
    with db.session() as s:
        queued = {(n.volunteer, n.kind) for n in notifications.list_notifications(s)}
        [told] = [n for n in notifications.list_notifications(s) if n.kind == "taken"]
    assert (center.key("Gus"), "publish") in queued  # the notice of the new version
    assert told.volunteer == center.key("Bea") and "picked up" in told.body and "Gus" not in told.body
    assert [g.state for g in offers.given_away(center.id("Bea"))] == ["picked up"]


@pytest.mark.parametrize("token", ["", "x" * 101, "not-a-token", "tampered"])
def test_a_wrong_or_tampered_link_is_refused_and_changes_nothing(center: Center, token: str) -> None:
    offers.offer_gap(_gap(center), BASE, "coord")
    if token == "tampered":
        real = _links()[center.key("Gus")]
        token = real[:-1] + ("A" if real[-1] != "A" else "B")
    before = _snapshot()
    for attempt in (offers.look, offers.accept):
        with pytest.raises(OfferLinkError) as err:
            attempt(token)
        assert err.value.messages == [offers.LINK_REFUSED]
    assert _snapshot() == before


def test_an_expired_or_withdrawn_offer_says_it_ended_and_changes_nothing(center: Center) -> None:
    report = offers.offer_gap(_gap(center), BASE, "coord")
    assert report.offer is not None
    token = _links()[center.key("Gus")]
    later = report.offer.expires_at + timedelta(minutes=1)
    before = _snapshot()
    assert offers.look(token, now=later).message == offers.ENDED
    with pytest.raises(OfferLinkError, match="This offer has ended"):
        offers.accept(token, now=later)
    assert _snapshot() == before
    offers.withdraw(report.offer.id, "coord")
    with pytest.raises(OfferLinkError, match="This offer has ended"):
        offers.accept(token)


def test_opening_marks_opened_and_a_claim_the_rules_forbid_names_the_rule(center: Center) -> None:
    report = offers.offer_gap(_gap(center), BASE, "coord")
    assert report.offer is not None
    token = _links()[center.key("Di")]
    offers.look(token)
    with db.session() as s:
        offer = stored.get(s, report.offer.id)
        # Meanwhile Di's check expired: the claim re-checks every rule against the plan of now.
        record = roster.get_volunteer(s, center.id("Di"))
        assert offer is not None and record is not None
        roster.update_volunteer(s, replace(record, check_status="expired"))
    assert {r.volunteer: r.state for r in offer.recipients}[center.key("Di")] == "opened"
    before = _snapshot()
    with pytest.raises(ClaimError) as err:
        offers.accept(token)
    assert err.value.messages == [
        "Not taken: Breaks rule 1, eligibility (does the kind, available, background check): Di D. has no "
        "cleared background check (expired)"]
    assert _snapshot() == before


def test_i_cant_make_it_offers_the_shift_onward_until_the_cutoff(center: Center,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with db.session() as s:
        settings = load_settings(s)
        slot = next(sl for sl in settings.week_slots(center.week) if sl.id == center.am)
    passed = my_shifts.cannot_come(center.id("Bea"), MyShift(center.week, slot), "", "bea", BASE)
    assert (passed.offered, passed.late) == (2, False)
    assert [g.state for g in offers.given_away(center.id("Bea"))] == ["offered"]
    assert set(_links()) == {center.key("Di"), center.key("Gus")}

    # Within the cut-off (24 hours) it goes to the coordinator only, as before.
    with db.session() as s:
        pm = next(sl for sl in load_settings(s).week_slots(center.week) if sl.id == center.pm)
    monkeypatch.setattr(my_shifts, "center_now", lambda _zone: pm.start - timedelta(hours=23))
    passed = my_shifts.cannot_come(center.id("Cy"), MyShift(center.week, pm), "", "cy", BASE)
    assert (passed.offered, passed.late) == (0, True)
    with db.session() as s:
        assert [o.slot for o in stored.week_offers(s, center.week)] == [center.am]
    assert [g.state for g in offers.given_away(center.id("Cy"))] == ["with the coordinator"]


def test_standby_volunteers_are_offered_first_and_the_others_after_the_head_start(center: Center) -> None:
    with db.session(readonly=True) as s:
        friday = next(sl.day for sl in load_settings(s).week_slots(center.week))
    offers.set_standby(center.id("Gus"), [friday], "gus")
    report = offers.offer_gap(_gap(center), BASE, "coord")
    assert report.offer is not None
    assert [(r.volunteer, r.standby, r.state) for r in report.offer.recipients] == [
        (center.key("Gus"), True, "sent"), (center.key("Di"), False, "waiting")]
    assert set(_links()) == {center.key("Gus")}
    assert offers.sweep().sent == 0  # the head start is not over
    start = report.offer.created_at + offers.head_start(report.offer.created_at, report.offer.expires_at)
    assert offers.sweep(now_local=start + timedelta(seconds=1)).sent == 1
    assert set(_links()) == {center.key("Gus"), center.key("Di")}


def test_standby_extends_to_the_whole_day_but_not_over_time_off(center: Center) -> None:
    """Standing by for a day says you can come that day: someone not available that morning is offered
    its place; time off still wins."""
    from planner.core.domain import DatedException, WeeklyWindow

    with db.session() as s:
        gus = roster.get_volunteer(s, center.id("Gus"))
        assert gus is not None
        roster.update_volunteer(s, replace(gus, availability=(WeeklyWindow(4, time(13), time(17)),)))
        friday = next(sl.day for sl in load_settings(s).week_slots(center.week))
    gap_id = _gap(center)
    assert offers.offer_gap(gap_id, BASE, "coord").offered == ("Di D.",)
    with db.session() as s:
        stored.close(s, stored.open_offers(s)[0].id, "withdrawn", datetime.now(), "test")
    offers.set_standby(center.id("Gus"), [friday], "gus")
    assert offers.offer_gap(gap_id, BASE, "coord").offered == ("Gus G.", "Di D.")
    with db.session() as s:
        stored.close(s, stored.open_offers(s)[0].id, "withdrawn", datetime.now(), "test")
        roster.add_exception(s, center.id("Gus"), DatedException(friday, "off", time(9), time(13)))
    assert offers.offer_gap(gap_id, BASE, "coord").offered == ("Di D.",)


def test_the_sweep_expires_offers_alerts_once_and_offers_automatically(center: Center,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    report = offers.offer_gap(_gap(center), BASE, "coord")
    assert report.offer is not None
    with db.session() as s:
        save_settings(s, replace(SETTINGS, alert_email="coordinators@example.org", auto_offer=True))
    monkeypatch.setenv("PLANNER_PUBLIC_URL", BASE)
    start = report.offer.expires_at  # the morning's start (UTC is the center's time here)
    # The pm slot (1 of 2, min 2) is short and was never offered: offered now; no alert 49 hours ahead.
    first = offers.sweep(start - timedelta(hours=49))
    assert (first.expired, first.offered, first.alerts) == (0, 1, 0)
    assert offers.sweep(start - timedelta(hours=24)).alerts == 2  # within 48 hours: both short slots
    again = offers.sweep(start - timedelta(hours=23))
    assert (again.alerts, again.offered) == (0, 0)
    hours, shorts = offers.alerts(now=start - timedelta(hours=24))
    assert hours == 48 and [s.slot.id for s in shorts] == [center.am, center.pm]
    assert all(s.offer is not None for s in shorts)
    assert offers.alerts()[1] == []  # two weeks ahead: no banner yet
    with db.session() as s:
        alerts = [n for n in notifications.list_notifications(s) if n.kind == "alert"]
        pm_offer = next(o for o in stored.week_offers(s, center.week) if o.slot == center.pm)
    assert {a.volunteer for a in alerts} == {None} and len(alerts) == 2
    assert "still short" in alerts[0].subject
    assert pm_offer.auto and pm_offer.places == 1 and pm_offer.link_base == BASE

    assert offers.sweep(start).expired == 1  # the morning's offer; the afternoon's runs until 13:00
    with db.session() as s:
        ended = stored.get(s, report.offer.id)
        actions = [e.action for e in audit.recent(s, 50)]
    assert ended is not None and ended.state == "expired"
    assert {r.state for r in ended.recipients} == {"expired"}
    assert all(r.expired_at is not None for r in ended.recipients)
    assert {"offer sent", "offer expired"} <= set(actions)


def test_the_audit_log_records_offers_claims_and_expiry(center: Center) -> None:
    report = offers.offer_gap(_gap(center), BASE, "coord")
    assert report.offer is not None
    offers.accept(_links()[center.key("Gus")])
    with db.session() as s:
        entries = {(e.action, e.detail) for e in audit.recent(s, 50)}
    oid = report.offer.id
    assert ("offer sent", f"offer {oid}: {center.am}, 1 place(s), to 2 volunteers, gap 1") in entries
    assert ("place claimed", f"offer {oid}: {center.key('Gus')} took {center.am} by its link") in entries
    assert ("offer filled", f"offer {oid}: {center.am}") in entries


def test_a_replacement_by_hand_withdraws_the_offer(center: Center) -> None:
    gap_id = _gap(center)
    offers.offer_gap(gap_id, BASE, "coord")
    state = gaps.load(center.week)
    [gap] = state.open_gaps
    gaps.replace_person(state, gap, center.key("Gus"), "coord")
    with pytest.raises(OfferLinkError, match="has ended"):
        offers.accept(_links()[center.key("Di")])
    with pytest.raises(PlanError, match="not open any more"):
        offers.offer_gap(gap_id, BASE, "coord")


def test_an_offered_place_cannot_be_offered_twice_and_a_full_slot_not_at_all(center: Center) -> None:
    gap_id = _gap(center)
    offers.offer_gap(gap_id, BASE, "coord")
    with pytest.raises(PlanError, match="offered already"):
        offers.offer_gap(gap_id, BASE, "coord")
    with pytest.raises(PlanError, match="offered already"):
        offers.offer_slot(center.week, center.am, BASE, "coord")  # the gap's offer covers the slot
    offers.accept(_links()[center.key("Gus")])
    with pytest.raises(PlanError, match="full"):
        offers.offer_slot(center.week, center.am, BASE, "coord")


def test_automatic_offers_follow_a_marked_cancellation(center: Center) -> None:
    with db.session() as s:
        save_settings(s, replace(SETTINGS, auto_offer=True))
    gaps.cancel(center.week, center.am, center.key("Bea"), "", actor="coord", base_url=BASE)
    with db.session() as s:
        [offer] = stored.week_offers(s, center.week)
    assert offer.auto and offer.gap_id is not None and len(offer.recipients) == 2


def test_no_token_reaches_the_log(center: Center, caplog: pytest.LogCaptureFixture, smtp) -> None:
    caplog.set_level(logging.DEBUG)
    offers.offer_gap(_gap(center), BASE, "coord")
    tokens = _links()
    got = smtp.wait_for(lambda m: sum("a place is open" in x["Subject"] for x in m) == 2)
    bodies = [text_of(m) for m in got if "a place is open" in m["Subject"]]
    assert sorted(any(t in b for b in bodies) for t in tokens.values()) == [True, True]  # emails hold them
    offers.look(tokens[center.key("Di")])
    offers.accept(tokens[center.key("Gus")])
    with pytest.raises(PlaceFilled):
        offers.accept(tokens[center.key("Di")])
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]  # not the test's SMTP server
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in ours)
    assert not any(t in logged for t in tokens.values())
    assert not re.search(r"token=[A-Za-z0-9_-]{20,}", logged)


def test_texts_choice_needs_texts_set_up_and_a_usable_phone(center: Center, twilio) -> None:
    with db.session() as s:
        flo = roster.get_volunteer(s, center.id("Flo"))
        assert flo is not None
        roster.update_volunteer(s, replace(flo, phone="call the front desk"))
    with pytest.raises(RosterError, match="cannot take texts"):
        texts.choose(center.id("Flo"), True, "flo")
    assert texts.choose(center.id("Gus"), True, "gus").texts
    assert texts.record_stop(center.id("Gus"), "coord")
    assert not texts.choice(center.id("Gus")).texts
    with pytest.raises(RosterError, match="answered STOP"):
        texts.choose(center.id("Gus"), True, "gus")


def test_the_background_sender_sweeps_and_a_failing_task_stops_no_email(
        center: Center, smtp, monkeypatch: pytest.MonkeyPatch) -> None:
    """What `serve.py` runs: the sender with the sweep as its task makes the automatic offer and emails
    it, even when another task fails."""
    from planner.services import sender

    with db.session() as s:
        save_settings(s, replace(SETTINGS, auto_offer=True))
    monkeypatch.setenv("PLANNER_PUBLIC_URL", BASE)

    def broken() -> None:
        raise RuntimeError("a task that fails")

    running = sender.Sender(30, (broken, offers.sweep)).start()
    try:
        got = smtp.wait_for(lambda m: sum("a place is open" in x["Subject"] for x in m) == 3, seconds=30)
    finally:
        running.stop()
    with db.session() as s:
        [offer] = stored.week_offers(s, center.week)
    assert offer.auto and offer.slot == center.pm  # the short afternoon, offered without a click
    offered = {m["To"] for m in got if "a place is open" in m["Subject"]}
    assert offered == {"ana@example.org", "di@example.org", "gus@example.org"}  # Ana's cap is 2


def test_a_reported_no_show_makes_its_slot_short_and_offerable(center: Center) -> None:
    """A no-show is on the plan but not there: the slot counts as short. With room below its target
    the place is offered at once; at its target the coordinator is told to mark the cancellation first."""
    from planner.store import attendance

    with db.session() as s:
        attendance.correct(s, center.pm, center.key("Cy"), checked_in_at=None, checked_out_at=None,
                           no_show=True, actor="coord")
        attendance.correct(s, center.am, center.key("Bea"), checked_in_at=None, checked_out_at=None,
                           no_show=True, actor="coord")
    short = {s.slot.id: (s.missing, s.people) for s in offers.short_slots(center.week)}
    assert short == {center.am: (1, 1), center.pm: (2, 0)}  # pm: 1 of 2 on the plan, and they did not come
    report = offers.offer_slot(center.week, center.pm, BASE, "coord")
    assert report.offer is not None and report.offer.places == 1  # only one place left below target
    with pytest.raises(PlanError, match=r"full \(2 of 2\); 1 of them did not come: mark their cancellation"):
        offers.offer_slot(center.week, center.am, BASE, "coord")


def test_erasing_a_volunteer_ends_their_links_standby_and_texts(center: Center, twilio) -> None:
    with db.session(readonly=True) as s:
        friday = next(sl.day for sl in load_settings(s).week_slots(center.week))
    offers.set_standby(center.id("Gus"), [friday], "gus")
    texts.choose(center.id("Gus"), True, "gus")
    offers.offer_gap(_gap(center), BASE, "coord")
    with db.session() as s:
        token = next(keys.link_token(n.key) for n in notifications.list_notifications(s)
                     if n.kind == "offer" and n.volunteer == center.key("Gus"))
        roster.erase_volunteer(s, center.id("Gus"), actor="coord")
    assert offers.look(token).state == "ended"
    with pytest.raises(OfferLinkError):
        offers.accept(token)
    assert offers.standby(center.id("Gus")).chosen == set()
    with db.session(readonly=True) as s:
        assert s.execute(text("SELECT count(*) FROM sms_choices")).scalar() == 0
