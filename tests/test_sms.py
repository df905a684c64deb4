"""Texts by choice, through the real `twilio` client pointed at a fake Twilio server on 127.0.0.1: an
opted-in volunteer's reminder and offer reach it, nobody else's ever does; STOP is honoured for good."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from planner.core.errors import NotifyError
from planner.services import gaps, keys, notify, offers, sms, texts
from planner.store import audit, cancellations, db, migrate, notifications, texting
from planner.store.settings import load_settings, save_settings
from tests.fixtures.sms import ACCOUNT, FROM, FakeTwilio
from tests.offer_center import SETTINGS, Center, small_center

BASE = "https://planner.example.org"


@pytest.fixture
def center(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, twilio: FakeTwilio) -> Iterator[Center]:
    url = f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    for name in ("PLANNER_PUBLIC_URL", "PLANNER_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    migrate.migrate(url)
    yield small_center(url)
    db.dispose_engine(url)


def _reminders_due(center: Center) -> None:
    """Queue the reminders of the morning, as the sender does a day before."""
    with db.session() as s:
        slot = next(sl for sl in load_settings(s).week_slots(center.week) if sl.id == center.am)
        notify.queue_reminders(s, slot.start - timedelta(hours=2))


def test_only_volunteers_who_chose_texts_are_texted(center: Center, twilio: FakeTwilio) -> None:
    texts.choose(center.id("Ana"), True, "ana")
    _reminders_due(center)
    with db.session() as s:
        queued = {(n.volunteer, n.channel) for n in notifications.list_notifications(s)
                  if n.kind == "reminder"}
    # Ana chose texts; Bea and Cy did not: theirs are emails (waiting, as email is not set up here).
    assert queued == {(center.key("Ana"), "sms"), (center.key("Bea"), "email"), (center.key("Cy"), "email")}
    done = notify.run_round("test", queue=False)
    assert done.texts == notify.SendReport(sent=1) and done.report is None
    [sent] = twilio.texts
    assert (sent["To"], sent["From"]) == ("+18165550100", FROM)  # Ana's 816-555-0100 on record
    assert sent["Body"].startswith("Reminder: Fri ") and "Morning shift 09:00-13:00" in sent["Body"]
    assert "Test center" not in sent["Body"] and sent["Body"].endswith("Reply STOP to stop texts.")
    assert notify.run_round("test", queue=False).texts == notify.SendReport()  # nothing more, ever


def test_an_offer_is_texted_with_its_link_and_the_center_named_only_when_allowed(
        center: Center, twilio: FakeTwilio) -> None:
    texts.choose(center.id("Gus"), True, "gus")
    texts.choose(center.id("Flo"), True, "flo")  # no email, but a phone: now reachable
    with db.session() as s:
        save_settings(s, replace(SETTINGS, sms_show_center_name=True))
    gaps.cancel(center.week, center.am, center.key("Bea"), "", actor="coord")
    with db.session() as s:
        [gap] = cancellations.open_gaps(s, center.week)
    report = offers.offer_gap(gap.id, BASE, "coord")
    assert report.offer is not None and report.unreachable == ()
    assert {r.volunteer: r.channel for r in report.offer.recipients} == {
        center.key("Di"): "email", center.key("Flo"): "sms", center.key("Gus"): "sms"}
    got = twilio.wait_for(2)
    assert {t["To"] for t in got} == {"+18165550105", "+18165550106"}
    with db.session() as s:
        keyed = {n.volunteer: keys.link_token(n.key) for n in notifications.list_notifications(s)
                 if n.kind == "offer"}
    gus = next(t for t in got if t["To"] == "+18165550106")
    assert gus["Body"].startswith("Test center: Open volunteer place: Fri ")
    assert f"{BASE}/offer?token={keyed[center.key('Gus')]}" in gus["Body"]
    offers.accept(keyed[center.key("Gus")])
    assert offers.look(keyed[center.key("Flo")]).state == "filled"


def test_stop_from_twilio_stops_texts_for_good(center: Center, twilio: FakeTwilio,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts.choose(center.id("Ana"), True, "ana")
    twilio.unsubscribe("+18165550100")
    _reminders_due(center)
    done = notify.run_round("test", queue=False)
    assert done.texts == notify.SendReport(failed=1) and twilio.refusals == 1
    with db.session() as s:
        [failed] = [n for n in notifications.list_notifications(s) if n.channel == "sms"]
        choice = texting.choice(s, center.id("Ana"))
        actions = [(e.action, e.target) for e in audit.recent(s, 20)]
    assert failed.status == "failed" and failed.gave_up and "STOP" in (failed.last_error or "")
    assert choice is not None and choice.stopped_at is not None
    assert ("texts stopped", f"volunteer {center.id('Ana')}") in actions
    assert not texts.choice(center.id("Ana")).texts
    # Never texted again: a retry of the failed text and the next reminder both stay off Twilio.
    with db.session() as s:
        notifications.retry(s)
    notify.run_round("test", queue=False)
    assert twilio.refusals == 1 and twilio.texts == []
    with db.session() as s:
        notify.queue_reminders(s, load_settings(s).week_slots(center.week)[1].start - timedelta(hours=2))
        assert {n.channel for n in notifications.list_notifications(s) if n.kind == "reminder"
                and n.volunteer == center.key("Ana")} == {"sms"}  # the first one, failed for good
    assert "+18165550100" not in caplog.text  # numbers are masked in the log too


def test_a_coordinator_records_stop(center: Center, twilio: FakeTwilio) -> None:
    texts.choose(center.id("Ana"), True, "ana")
    assert [(t.name, t.stopped) for t in texts.texters()] == [("Ana A.", False)]
    assert texts.record_stop(center.id("Ana"), "coord") and not texts.record_stop(center.id("Ana"), "coord")
    assert [(t.name, t.stopped) for t in texts.texters()] == [("Ana A.", True)]
    _reminders_due(center)
    with db.session() as s:
        assert {n.channel for n in notifications.list_notifications(s)} == {"email"}
    notify.run_round("test", queue=False)
    assert twilio.texts == []


def test_texts_off_on_this_server_means_email(center: Center, twilio: FakeTwilio,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    texts.choose(center.id("Ana"), True, "ana")
    monkeypatch.delenv("PLANNER_TWILIO_ACCOUNT_SID")
    assert not texts.choice(center.id("Ana")).available
    _reminders_due(center)
    with db.session() as s:
        assert {n.channel for n in notifications.list_notifications(s)} == {"email"}
    assert notify.run_round("test", queue=False).texts is None and twilio.texts == []


def test_settings_and_numbers() -> None:
    env = {"PLANNER_TWILIO_ACCOUNT_SID": ACCOUNT, "PLANNER_TWILIO_AUTH_TOKEN": "secret-auth-token",
           "PLANNER_TWILIO_FROM": FROM}
    found = sms.sms_settings(env=env, secrets_files=())
    assert found is not None and found.base_url == sms.DEFAULT_BASE_URL
    assert "secret-auth-token" not in repr(found)
    assert sms.sms_settings(env={}, secrets_files=()) is None
    with pytest.raises(NotifyError, match="PLANNER_TWILIO_AUTH_TOKEN: is required"):
        sms.sms_settings(env={"PLANNER_TWILIO_ACCOUNT_SID": ACCOUNT}, secrets_files=())
    with pytest.raises(NotifyError, match="PLANNER_TWILIO_BASE_URL"):
        sms.sms_settings(env={**env, "PLANNER_TWILIO_BASE_URL": "ftp://x"}, secrets_files=())
    assert sms.number("816-555-0100") == "+18165550100"
    assert sms.number("(816) 555 0100") == "+18165550100"
    assert sms.number("1 816 555 0100") == "+18165550100"
    assert sms.number("+44 20 7946 0958") == "+442079460958"
    assert [sms.number(p) for p in (None, "", "call the desk", "555-0100", "+0 12")] == [None] * 5
    assert sms.masked("refused: +1 816 555 0100 is not valid") == "refused: (number) is not valid"


def test_a_server_error_is_tried_again_and_a_refusal_is_final(center: Center, twilio: FakeTwilio) -> None:
    texts.choose(center.id("Ana"), True, "ana")
    _reminders_due(center)
    settings = sms.sms_settings()
    assert settings is not None
    wrong = sms.SmsSettings(settings.account_sid, settings.sender, "http://127.0.0.1:9", settings.auth_token)
    assert notify.send_texts("test", wrong) == notify.SendReport(failed=1)
    with db.session() as s:
        [item] = [n for n in notifications.list_notifications(s) if n.channel == "sms"]
    assert item.status == "failed" and not item.gave_up and "cannot reach Twilio" in (item.last_error or "")
    bad_sid = sms.SmsSettings("AC" + "1" * 32, settings.sender, settings.base_url, settings.auth_token)
    with db.session() as s:
        notifications.retry(s)
    assert notify.send_texts("test", bad_sid) == notify.SendReport(failed=1)
    with db.session() as s:
        [item] = [n for n in notifications.list_notifications(s) if n.channel == "sms"]
    assert item.gave_up and "(HTTP 404, error 20404)" in (item.last_error or "")
