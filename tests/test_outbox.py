"""Who a publish tells, the Outbox's failures and retries, reminders by the center's hours, the sender's
lease and its background thread: with a real SMTP server (aiosmtpd), on SQLite and PostgreSQL."""

from __future__ import annotations

import smtplib
import threading
import time
from datetime import date, datetime, timedelta

import pytest

from planner.core.clock import utcnow
from planner.core.domain import CenterSettings, VolunteerRecord, monday_of
from planner.core.errors import SettingsError
from planner.core.problem import Assignment
from planner.services import notify, outbox, publish, sender
from planner.services.notify import Contact, Told
from planner.store import audit, db, leases, notifications, plans
from planner.store.roster import add_volunteer, erase_volunteer
from planner.store.settings import save_settings
from tests.fixtures.smtp import SmtpServer

# Two weeks ahead, so every slot is still to come whenever the tests run.
WEEK = monday_of(date.today()) + timedelta(weeks=2)
FRI, SAT = (WEEK + timedelta(days=4)).isoformat(), (WEEK + timedelta(days=5)).isoformat()


@pytest.fixture
def url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Ana and Bea have email; Cy has only a phone, Dee neither; Eve will be erased."""
    monkeypatch.setenv("DATABASE_URL", store_url)
    with db.session(store_url) as s:
        for name, mail, phone in (("Ana Reyes", "ana@example.org", None),
                                  ("Bea Cole", "bea@example.org", None), ("Cy Nomail", None, "816-555-0100"),
                                  ("Dee Quiet", None, None), ("Eve Gone", "eve@example.org", "816-555-0101")):
            add_volunteer(s, VolunteerRecord(name, email=mail, phone=phone))
    return store_url


def _publish(pairs: list[tuple[str, str]]) -> publish.Published:
    return publish.publish(WEEK, [Assignment(slot, vol) for slot, vol in pairs],
                           based_on=publish.latest_version(WEEK), actor="coord")


def test_a_publish_says_who_is_emailed_and_whom_to_call_with_their_phone(url):
    done = _publish([(f"{FRI}-am", "v01"), (f"{FRI}-am", "v02"), (f"{FRI}-am", "v03"), (f"{SAT}-am", "v04"),
                     (f"{SAT}-am", "v05")])
    assert done.told == Told(3, ("Ana Reyes", "Bea Cole", "Eve Gone"),
                             (Contact("v03", "Cy Nomail", "816-555-0100"), Contact("v04", "Dee Quiet", "")))
    with db.session(url) as s:
        assert sorted(n.volunteer for n in notifications.list_notifications(s)) == ["v01", "v02", "v05"]
        erase_volunteer(s, 5)

    # Only the people whose shifts change count the next time; an erased person is neither told nor listed.
    later = [(f"{FRI}-am", "v01"), (f"{SAT}-pm", "v02"), (f"{FRI}-am", "v03"), (f"{SAT}-am", "v04")]
    done = _publish(later)
    assert done.told == Told(1, ("Bea Cole",), ())
    # The same request again (a double click) publishes and tells nothing new.
    again = publish.publish(WEEK, [Assignment(slot, vol) for slot, vol in later], based_on=1, actor="coord")
    assert again.told == Told() and again.version.version == 2


def test_a_refused_message_fails_for_good_is_shown_and_goes_out_on_retry(url, smtp):
    _publish([(f"{FRI}-am", "v01"), (f"{FRI}-am", "v02")])
    smtp.refuse("ana@example.org")
    assert notify.send_pending("test") == notify.SendReport(sent=1, failed=1)
    box = outbox.load()
    [failed] = [m for m in box.messages if m.status == "failed"]
    assert failed.gave_up and box.names[failed.volunteer] == "Ana Reyes"
    assert failed.last_error == "refused by the mail server: 550 5.7.1 Mailbox unavailable for this test"
    assert box.counts == {"sent": 1, "failed": 1}
    # Refused for good: the next rounds leave it alone, even with the server accepting again.
    smtp.accept_all()
    assert notify.send_pending("test") == notify.SendReport()
    assert outbox.retry(failed.id, "coord") == 1
    assert outbox.retry(failed.id, "coord") == 0  # queued now, no longer failed
    assert notify.send_pending("test") == notify.SendReport(sent=1)
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["ana@example.org", "bea@example.org"]
    assert smtp.inbox.refusals == 1
    with db.session(url) as s:
        [entry] = audit.recent(s, action="outbox retry")
        assert (entry.actor, entry.target) == ("coord", f"message {failed.id}")
        assert entry.detail == "1 queued again"


def test_retry_all_failed_and_the_reason_never_shows_an_address(url, smtp):
    _publish([(f"{FRI}-am", "v01"), (f"{FRI}-am", "v02")])
    smtp.refuse("ana@example.org")
    smtp.refuse("bea@example.org")
    assert notify.send_pending("test") == notify.SendReport(failed=2)
    smtp.accept_all()
    assert outbox.retry(None, "coord") == 2
    assert notify.send_pending("test") == notify.SendReport(sent=2)
    refused = smtplib.SMTPRecipientsRefused({"ana@example.org": (550, b"5.1.1 <ana@example.org>: no user")})
    assert notify._reason(refused) == ("refused by the mail server: 550 5.1.1 <(address)>: no user", True)
    assert notify._reason(smtplib.SMTPDataError(451, b"try later")) == (
        "refused by the mail server: 451 try later", False)


def test_an_erased_persons_messages_show_no_name_and_no_text(url):
    _publish([(f"{FRI}-am", "v05"), (f"{FRI}-am", "v01")])
    with db.session(url) as s:
        erase_volunteer(s, 5)
    box = outbox.load()
    [gone] = [m for m in box.messages if m.volunteer == "v05"]
    assert gone.volunteer not in box.names and gone.subject == "(erased)" and gone.body == ""
    assert outbox.body(gone.id) is None
    [ana] = [m for m in box.messages if m.volunteer == "v01"]
    assert "Hello Ana," in (outbox.body(ana.id) or "")


def test_email_not_set_up_names_the_setting(monkeypatch):
    from planner.services import mail

    monkeypatch.delenv("PLANNER_SMTP_HOST", raising=False)
    monkeypatch.setattr(mail, "SECRETS_FILES", ())
    assert "PLANNER_SMTP_HOST" in (outbox.email_problem() or "")
    monkeypatch.setenv("PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PLANNER_SMTP_PORT", "not-a-port")
    assert "PLANNER_SMTP_PORT" in (outbox.email_problem() or "")
    monkeypatch.setenv("PLANNER_SMTP_PORT", "2525")
    monkeypatch.setenv("PLANNER_SMTP_FROM", "c@example.org")
    assert outbox.email_problem() is None


def test_reminders_go_out_the_centers_hours_before_the_first_shift_of_the_day(url):
    with db.session(url) as s:
        save_settings(s, CenterSettings(reminder_hours=3))
    _publish([(f"{FRI}-am", "v01"), (f"{FRI}-pm", "v01"), (f"{FRI}-pm", "v02")])
    friday = datetime.fromisoformat(f"{FRI}T00:00")
    with db.session(url) as s:
        assert notify.queue_reminders(s, friday.replace(hour=5, minute=59)) == 0
        assert notify.queue_reminders(s, friday.replace(hour=6)) == 1  # Ana: 09:00 is 3 hours away
        assert notify.queue_reminders(s, friday.replace(hour=8)) == 0  # once
        assert notify.queue_reminders(s, friday.replace(hour=10)) == 1  # Bea: 13:00; Ana's day has begun
        reminders = [n for n in notifications.list_notifications(s) if n.kind == "reminder"]
    ana = next(n for n in reminders if n.volunteer == "v01")
    assert "09:00-13:00" in ana.body and "13:00-17:00" in ana.body  # both of her shifts that day
    assert ana.subject.endswith("reminder, your shift on " + f"{friday:%a} {friday.day} {friday:%b}"
                                + " (Morning shift 09:00-13:00)")
    with pytest.raises(SettingsError, match="reminder_hours"), db.session(url) as s:
        save_settings(s, CenterSettings(reminder_hours=0))


def test_the_lease_lets_one_sender_in_until_it_is_released_or_runs_out(store_url):
    now = datetime(2026, 12, 1, 12, 0)
    with db.session(store_url) as s:
        assert leases.take(s, "job", "a", now, 60)
    with db.session(store_url) as s:
        assert not leases.take(s, "job", "b", now + timedelta(seconds=30), 60)
        assert leases.take(s, "job", "a", now + timedelta(seconds=30), 60)  # renewed to 12:01:30
        assert not leases.take(s, "job", "b", now + timedelta(seconds=80), 60)
        assert leases.current(s, "job", now + timedelta(seconds=80)).holder == "a"
    with db.session(store_url) as s:
        assert leases.take(s, "job", "b", now + timedelta(seconds=91), 60)  # a's claim ran out
        leases.release(s, "job", "a")  # not a's any more: nothing happens
        assert leases.current(s, "job", now + timedelta(seconds=91)).holder == "b"
        leases.release(s, "job", "b")
        assert leases.current(s, "job", now + timedelta(seconds=91)) is None
        assert leases.take(s, "job", "a", now + timedelta(seconds=92), 60)


def test_two_takers_at_once_get_one_lease(store_url):
    won: list[str] = []
    start = threading.Barrier(2)

    def take(holder: str) -> None:
        start.wait()
        with db.session(store_url) as s:
            if leases.take(s, "race", holder, datetime(2026, 12, 1), 60):
                won.append(holder)

    threads = [threading.Thread(target=take, args=(h,)) for h in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1


def test_a_sender_without_the_lease_sends_nothing(url, smtp):
    _publish([(f"{FRI}-am", "v01")])
    with db.session(url) as s:
        leases.take(s, notify.LEASE, "the other process", utcnow(), 300)
    assert notify.run_round("me").busy
    assert notify.send_pending("me") == notify.SendReport()
    assert smtp.inbox.messages == []


def test_the_background_sender_sends_at_once_survives_a_failing_round_and_stops_cleanly(
        url, smtp, monkeypatch):
    real, calls = notify.run_round, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away for a moment")
        return real(*args, **kwargs)

    monkeypatch.setattr(notify, "run_round", flaky)
    running = sender.Sender(30).start()  # polls only every 30 s: a publish must wake it
    try:
        time.sleep(0.3)
        _publish([(f"{FRI}-am", "v01"), (f"{FRI}-am", "v02")])
        smtp.wait_for(lambda got: len(got) == 2, seconds=20)
    finally:
        running.stop()
    assert len(calls) >= 2 and not running._thread.is_alive()
    with db.session(url) as s:
        assert leases.current(s, notify.LEASE, utcnow()) is None  # released on stop
        assert {n.status for n in notifications.list_notifications(s)} == {"sent"}


def test_the_sender_is_off_with_zero_seconds(monkeypatch):
    monkeypatch.setenv("PLANNER_SENDER_SECONDS", "0")
    assert sender.start() is None
    monkeypatch.setenv("PLANNER_SENDER_SECONDS", "soon")
    assert sender.poll_seconds() == sender.DEFAULT_SECONDS


def test_queued_plans_and_reminders_are_caught_up_by_a_round(url, smtp):
    with db.session(url) as s:  # published without the service: nobody was told yet
        plans.save_draft(s, WEEK, [Assignment(f"{FRI}-am", "v02")])
        plans.publish_draft(s, WEEK)
    done = notify.run_round("me", now_local=datetime.fromisoformat(f"{FRI}T08:00"))
    assert (done.notices, done.reminders, done.report) == (1, 1, notify.SendReport(sent=2))
    assert [m["To"] for m in smtp.inbox.messages] == ["bea@example.org", "bea@example.org"]


def test_the_smtp_server_fixture_refuses_only_what_it_is_told(smtp_port):
    server = SmtpServer(smtp_port).start()
    try:
        server.refuse("x@example.org")
        client = smtplib.SMTP("127.0.0.1", smtp_port)
        with pytest.raises(smtplib.SMTPDataError):
            client.sendmail("a@example.org", ["x@example.org"], "Subject: x\n\nx")
        client.sendmail("a@example.org", ["y@example.org"], "Subject: y\n\ny")
        client.quit()
    finally:
        server.stop()
    assert len(server.inbox.messages) == 1 and server.inbox.refusals == 1


def test_failed_messages_pause_longer_each_time_and_are_given_up_after_ten_tries():
    assert [notifications.pause_after(n) for n in (0, 1, 2, 3)] == [
        timedelta(0), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert notifications.pause_after(9) == timedelta(minutes=256)
    total = sum((notifications.pause_after(n) for n in range(1, notifications.MAX_ATTEMPTS)), timedelta())
    assert timedelta(hours=8) < total < timedelta(hours=9)


def test_the_cron_verb_takes_the_same_lease_and_leaves_the_work_to_the_apps_sender(url, smtp, capsys):
    from planner.cli import main

    _publish([(f"{FRI}-am", "v01")])
    with db.session(url) as s:
        leases.take(s, notify.LEASE, "app host pid 1 abc", utcnow(), 300)
    assert main(["send-reminders"]) == 0
    assert "another sender (the app's) is sending email now" in capsys.readouterr().err
    assert smtp.inbox.messages == []
    with db.session(url) as s:
        leases.release(s, notify.LEASE, "app host pid 1 abc")
    assert main(["send-reminders"]) == 0
    assert [m["To"] for m in smtp.inbox.messages] == ["ana@example.org"]
    with db.session(url) as s:
        assert leases.current(s, notify.LEASE, utcnow()) is None  # released when it is done


def test_every_kind_of_message_has_a_readable_name_on_the_outbox():
    from planner.present.outbox import KIND_LABELS
    from planner.store.notifications import KINDS

    assert set(KIND_LABELS) == set(KINDS)
