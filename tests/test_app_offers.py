"""AppTest: every page state the offers added: the offer link (open, taken, filled, ended, wrong), the
volunteer's open shifts, standby and texts, "I can't make it" offered onward, the Gaps page's offers and
short slots, the settings, the coordinators' banner, a STOP recorded on the Outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from planner.core.problem import Assignment
from planner.services import gaps, keys, offers, texts
from planner.store import accounts, cancellations, db, notifications, plans
from planner.store import offers as stored
from planner.store.settings import load_settings, save_settings
from tests.apptest import messages, open_app, shown
from tests.fixtures.browser import publish_demo_week
from tests.fixtures.sms import ACCOUNT, FROM

HERE = "https://planner.example.org"
OFFER_PAGE = "pages/public/offer.py"
MY_SHIFTS = "pages/volunteer/my_shifts.py"
GAPS = "pages/coordinator/gaps.py"


@pytest.fixture
def center(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo center with its coming week published, links pointing at HERE, no email or texts."""
    monkeypatch.setenv("PLANNER_PUBLIC_URL", HERE)
    for name in ("PLANNER_SMTP_HOST", "PLANNER_TWILIO_ACCOUNT_SID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("planner.services.config.SECRETS_FILES", ())
    return demo_db


def _open(username: str | None, page: str, query: dict[str, str] | None = None) -> AppTest:
    at = open_app(username, page, 60, url=HERE + "/", query=query)
    assert not at.exception, at.exception
    return at


def _nobody_on(*weeks) -> None:
    """Publish the weeks with nobody on any slot: every coming slot is short."""
    with db.session() as s:
        for week in weeks:
            latest = plans.latest_published(s, week)
            plans.publish_assignments(s, week, [], based_on=latest.version if latest else None)


def _without(week, key: str) -> None:
    """Take `key` off every slot of the published week (their cap is free again)."""
    with db.session() as s:
        latest = plans.latest_published(s, week)
        assert latest is not None
        plans.publish_assignments(s, week, [a for a in latest.assignments if a.volunteer != key],
                                  based_on=latest.version)


def _offered(week, at_least: int = 2) -> tuple[int, dict[str, str]]:
    """Cancel published assignments until one's place goes to `at_least` volunteers by email: (offer id,
    volunteer key -> link token)."""
    with db.session() as s:
        latest = plans.latest_published(s, week)
    assert latest is not None
    tried: set[str] = set()
    for a in latest.assignments:
        if a.slot in tried:
            continue
        tried.add(a.slot)
        gaps.cancel(week, a.slot, a.volunteer, "", actor="coordinator")
        with db.session() as s:
            gap = next(g for g in cancellations.open_gaps(s, week) if g.volunteer == a.volunteer
                       and g.slot == a.slot)
        report = offers.offer_gap(gap.id, HERE, "coordinator")
        if report.offer is not None and len(report.offer.recipients) >= at_least:
            with db.session() as s:
                tokens = {n.volunteer: keys.link_token(n.key) for n in notifications.list_notifications(s)
                          if n.kind == "offer" and n.key in {r.message_key for r in report.offer.recipients}}
            return report.offer.id, tokens
    raise AssertionError("no place of the demo week could be offered to two volunteers")


def test_the_offer_link_takes_the_place_once_and_then_says_filled(center: str) -> None:
    week, _, _ = publish_demo_week()
    offer_id, tokens = _offered(week)
    first, second = list(tokens.values())[:2]

    at = _open(None, OFFER_PAGE, {"token": first})
    assert at.title[0].value == "An open volunteer place"
    assert at.button(key="accept_offer").label == "Take this shift"
    assert "Drop-in center, main room" in shown(at) and "@" not in shown(at)
    with db.session() as s:
        offer = stored.get(s, offer_id)
    assert offer is not None and sorted(r.state for r in offer.recipients)[0] == "opened"
    at.button(key="accept_offer").click().run()
    assert not at.exception, at.exception
    assert messages(at, "success")[0].startswith("It is yours: ")

    again = _open(None, OFFER_PAGE, {"token": first})
    assert messages(again, "success") == [offers.MINE] and not again.button
    late = _open(None, OFFER_PAGE, {"token": second})
    assert messages(late, "info") == [offers.FILLED] and not late.button
    wrong = _open(None, OFFER_PAGE, {"token": first[:-2] + "xx"})
    assert messages(wrong, "error") == [offers.LINK_REFUSED] and not wrong.button


def test_a_place_filled_while_the_page_was_open_says_already_filled(center: str) -> None:
    week, _, _ = publish_demo_week()
    _, tokens = _offered(week)
    first, second = list(tokens.values())[:2]
    at = _open(None, OFFER_PAGE, {"token": second})
    offers.accept(first)  # someone else was quicker
    at.button(key="accept_offer").click().run()
    assert messages(at, "info") == [offers.FILLED]


def test_an_ended_offer_says_so(center: str) -> None:
    week, _, _ = publish_demo_week()
    offer_id, tokens = _offered(week)
    offers.withdraw(offer_id, "coordinator")
    at = _open(None, OFFER_PAGE, {"token": next(iter(tokens.values()))})
    assert messages(at, "info") == [offers.ENDED] and not at.button


def test_a_volunteer_takes_an_open_shift_and_chooses_standby_days(center: str) -> None:
    week, me, _ = publish_demo_week()
    assert me.id is not None
    _without(week, me.key)
    places = offers.open_places(me.id)
    assert places, "an open demo slot the demo volunteer may take"
    at = _open("volunteer", MY_SHIFTS)
    assert "Texts" not in [h.value for h in at.header]  # texts are not set up here
    place = places[0]
    assert place.title in shown(at) and at.button(key=f"claim:{place.slot.id}").label == "Take it"
    at.button(key=f"claim:{place.slot.id}").click().run()
    assert not at.exception, at.exception
    assert messages(at, "success") == [f"It is yours: {place.title}. Thank you!"]
    with db.session() as s:
        latest = plans.latest_published(s, place.week_start)
    assert latest is not None and Assignment(place.slot.id, me.key) in latest.assignments
    standby = next(m for m in at.multiselect if m.label == "Days I can step in")
    days = offers.standby(me.id).days
    standby.set_value(days[:2])
    next(b for b in at.button if b.label == "Save my standby days").click()
    at.run()
    assert messages(at, "success") == ["Standby days saved."]
    assert offers.standby(me.id).chosen == set(days[:2])


def test_without_a_place_for_them_the_volunteer_is_told_when_places_appear(center: str) -> None:
    with db.session() as s:
        save_settings(s, replace(load_settings(s), open_weekdays=()))  # nothing open, nothing to take
    at = _open("volunteer", MY_SHIFTS)
    assert "No open place fits you right now" in shown(at)
    assert not [b for b in at.button if b.key and b.key.startswith("claim:")]


def test_i_cant_make_it_offers_it_onward_and_shows_it_as_given_away(center: str) -> None:
    week, me, _ = publish_demo_week()
    with db.session() as s:
        save_settings(s, replace(load_settings(s), claim_cutoff_hours=0))  # never too late here
    at = _open("volunteer", MY_SHIFTS)
    at.selectbox[0].set_value(0)
    at.checkbox[0].check()
    next(b for b in at.button if b.label == "I can't make it").click()
    at.run()
    assert not at.exception, at.exception
    [said] = messages(at, "success")
    assert said.startswith("Thank you for telling us. You are off ")
    given = offers.given_away(me.id or 0)
    assert [g.state for g in given] in (["offered"], ["with the coordinator"])
    if given[0].state == "offered":
        assert "It was offered to other volunteers at once" in said
        assert "offered to other volunteers; not picked up yet" in shown(at)
    else:
        assert "Nobody else can take it right away" in said


def test_a_volunteer_turns_texts_on_when_the_center_sends_texts(center: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"PLANNER_TWILIO_ACCOUNT_SID": ACCOUNT, "PLANNER_TWILIO_AUTH_TOKEN": "t",
                        "PLANNER_TWILIO_FROM": FROM}.items():
        monkeypatch.setenv(name, value)
    publish_demo_week()
    at = _open("volunteer", MY_SHIFTS)
    toggle = at.toggle(key="texts_on")
    assert toggle.value is False and "Texts go to +1816555" in shown(at)
    toggle.set_value(True).run()
    assert messages(at, "success") == ["Texts are on."]
    with db.session() as s:
        account = accounts.get_account(s, "volunteer")
    assert account is not None and texts.choice(account.volunteer_id or 0).texts
    texts.record_stop(account.volunteer_id or 0, "coordinator")
    at = _open("volunteer", MY_SHIFTS)
    assert "Your number answered STOP" in shown(at)


def test_the_gaps_page_offers_a_gap_shows_each_offer_and_withdraws_it(center: str) -> None:
    week, _, _ = publish_demo_week()
    with db.session() as s:
        latest = plans.latest_published(s, week)
    assert latest is not None
    for a in latest.assignments:  # a gap someone with email can fill
        gaps.cancel(week, a.slot, a.volunteer, "", actor="coordinator")
        state = gaps.load(week)
        gap = next(g for g in state.open_gaps if g.volunteer == a.volunteer and g.slot == a.slot)
        if any(int(r.volunteer[1:]) in _emails() for r in gaps.replacements(state, gap)):
            break
        gaps.leave_open(gap.id, "coordinator")
    at = _open("coordinator", GAPS)
    at.button(key=f"offer_{gap.id}").click().run()
    assert not at.exception, at.exception
    assert messages(at, "success")[0].startswith("Offered to ")
    with db.session() as s:
        [made] = stored.week_offers(s, week)
    assert "Offers" in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if "Opened" in d.value.columns)
    assert set(table["State"]) <= {"sent", "waiting (standby first)"} and len(table) == len(made.recipients)
    assert any(c.value.startswith("Offered: ") for c in at.caption)
    assert not [b for b in at.button if b.key == f"offer_{gap.id}"]  # offered: its state instead
    at.selectbox(key="withdraw_pick").set_value(made.id).run()
    at.button(key="withdraw_offer").click().run()
    assert "The offer is withdrawn; its links say it has ended." in messages(at, "info")
    with db.session() as s:
        assert stored.get(s, made.id).state == "withdrawn"  # type: ignore[union-attr]


def _emails() -> set[int]:
    from planner.store import roster

    with db.session(readonly=True) as s:
        return set(roster.emails(s))


def test_short_slots_are_listed_with_an_offer_button(center: str) -> None:
    week, _, _ = publish_demo_week()
    _nobody_on(week)
    shorts = offers.short_slots(week)
    assert shorts
    at = _open("coordinator", GAPS)
    assert "Short slots" in [h.value for h in at.header]
    button = at.button(key=f"offer_slot_{shorts[-1].slot.id}")
    assert button.label == f"Offer {shorts[-1].missing} place" + ("s" if shorts[-1].missing > 1 else "")
    button.click().run()
    assert not at.exception, at.exception
    assert messages(at, "success")[0].startswith("Offered to ")
    with db.session() as s:
        [made] = stored.week_offers(s, week)
    assert made.slot == shorts[-1].slot.id and made.places == shorts[-1].missing


def test_the_settings_page_saves_the_offer_settings(center: str) -> None:
    at = _open("coordinator", "pages/coordinator/settings.py")
    at.toggle(key="auto_offer").set_value(True)
    at.number_input(key="claim_cutoff_hours").set_value(12)
    at.number_input(key="short_alert_hours").set_value(72)
    at.text_input(key="alert_email").set_value("coordinators@example.org")
    at.toggle(key="sms_center_name").set_value(True)
    at.run()
    at.button(key="save_settings").click().run()
    assert not at.exception, at.exception
    with db.session() as s:
        saved = load_settings(s)
    assert (saved.auto_offer, saved.claim_cutoff_hours, saved.short_alert_hours, saved.alert_email,
            saved.sms_show_center_name) == (True, 12, 72, "coordinators@example.org", True)
    at.text_input(key="alert_email").set_value("not an address").run()
    assert 'alert_email: "not an address" is not an email address' in messages(at, "error")


def test_coordinators_see_a_banner_while_a_slot_is_still_short(center: str) -> None:
    week, _, _ = publish_demo_week()
    _nobody_on(week, week + timedelta(weeks=1))  # some slot of these starts within the coming 7 days
    with db.session() as s:
        save_settings(s, replace(load_settings(s), short_alert_hours=168))
    hours, due = offers.alerts()
    assert hours == 168 and due
    at = _open("coordinator", "pages/coordinator/roster.py")
    [banner] = [w for w in messages(at, "warning") if "still short" in w]
    assert banner.startswith(f"{len(due)} slot") and "start within 168 hours" in banner
    assert "The Gaps page offers them." in banner
    with db.session() as s:
        save_settings(s, replace(load_settings(s), short_alert_hours=0))  # 0: no alert
    at = _open("coordinator", "pages/coordinator/roster.py")
    assert not [w for w in messages(at, "warning") if "still short" in w]
    volunteer = _open("volunteer", MY_SHIFTS)
    assert not [w for w in messages(volunteer, "warning") if "still short" in w]


def test_a_coordinator_records_a_stop_on_the_outbox(center: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"PLANNER_TWILIO_ACCOUNT_SID": ACCOUNT, "PLANNER_TWILIO_AUTH_TOKEN": "t",
                        "PLANNER_TWILIO_FROM": FROM}.items():
        monkeypatch.setenv(name, value)
    with db.session() as s:
        account = accounts.get_account(s, "volunteer")
    assert account is not None and account.volunteer_id is not None
    texts.choose(account.volunteer_id, True, "volunteer")
    at = _open("coordinator", "pages/coordinator/outbox.py")
    assert "Texts" in [h.value for h in at.subheader]
    at.selectbox(key="texts_stop_pick").set_value(account.volunteer_id).run()
    at.button(key="texts_stop").click().run()
    assert messages(at, "success")[0].startswith("No more texts go to ")
    assert texts.choice(account.volunteer_id).stopped
