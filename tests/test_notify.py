"""Email notices and reminders, sent through a real local SMTP server (aiosmtpd) on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from email.message import Message

import pytest
from icalendar import Calendar

from planner.cli import main
from planner.core.domain import VolunteerRecord
from planner.core.errors import NotifyError
from planner.core.problem import Assignment
from planner.services import mail, notices, notify
from planner.store import db, notifications, plans
from planner.store.roster import add_volunteer
from tests.fixtures.smtp import SmtpServer

WEEK = date(2026, 12, 7)  # Monday; the default center opens Fri-Sun
NOW = datetime(2026, 12, 1, 8, 0)  # center-local, before the week


@pytest.fixture
def url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated SQLite and PostgreSQL database with three volunteers, two of them with email."""
    url = store_url
    monkeypatch.setenv("DATABASE_URL", url)
    with db.session(url) as s:
        for name, mail in (("Ana Reyes", "ana@example.org"), ("Bea Cole", "bea@example.org"),
                           ("Cy Nomail", None)):
            add_volunteer(s, VolunteerRecord(name, email=mail))
    yield url


def _publish(url: str, pairs: list[tuple[str, str]]) -> int:
    with db.session(url) as s:
        plans.save_draft(s, WEEK, [Assignment(slot, vol) for slot, vol in pairs], actor="test")
        version = plans.publish_draft(s, WEEK, actor="test").version
        notify.queue_plan_notices(s, WEEK, NOW)
    assert version is not None
    return version


def _send(url: str) -> notify.SendReport:
    with db.session(url) as s:
        return notify.send_pending(s, datetime(2026, 12, 1, 14, 0))


def _ics(msg: Message) -> Calendar:
    [part] = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "shifts.ics"
    return Calendar.from_ical(part.get_payload(decode=True))


def _events(msg: Message) -> dict[str, tuple[str, str, int, str]]:
    """start (local ISO) -> (end, status, sequence, uid)"""
    return {str(e.decoded("dtstart").isoformat()): (e.decoded("dtend").isoformat(), str(e["status"]),
                                                   int(e["sequence"]), str(e["uid"]))
            for e in _ics(msg).walk("VEVENT")}


def _by_recipient(messages: list[Message]) -> dict[str, Message]:
    return {m["To"]: m for m in messages}


def test_publish_then_change_emails_each_volunteer_with_the_right_ics(url, smtp):
    _publish(url, [("2026-12-11-am", "v01"), ("2026-12-12-pm", "v01"), ("2026-12-11-am", "v02"),
                   ("2026-12-11-am", "v03")])
    assert _send(url) == notify.SendReport(sent=2)
    mail = _by_recipient(smtp.inbox.messages)
    assert set(mail) == {"ana@example.org", "bea@example.org"}  # Cy has no email
    ana = mail["ana@example.org"]
    assert ana["From"] == "center@example.org"
    assert ana["Subject"] == "Drop-in center: your shifts for the week of Mon 7 Dec 2026"
    plain = next(p for p in ana.walk() if p.get_content_type() == "text/plain")
    text = plain.get_payload(decode=True).decode()
    assert text.startswith("Hello Ana,") and "Fri 11 Dec, Morning shift 09:00-13:00" in text
    assert "Sat 12 Dec, Afternoon shift 13:00-17:00" in text and "Bea" not in text
    events = _events(ana)
    assert set(events) == {"2026-12-11T09:00:00-06:00", "2026-12-12T13:00:00-06:00"}
    assert events["2026-12-11T09:00:00-06:00"][:3] == ("2026-12-11T13:00:00-06:00", "CONFIRMED", 1)
    assert _ics(ana).walk("VTIMEZONE")[0]["tzid"] == "America/Chicago"
    saturday_uid = events["2026-12-12T13:00:00-06:00"][3]

    # Version 2: Ana loses Saturday, Bea loses her only shift, nobody else changes.
    _publish(url, [("2026-12-11-am", "v01"), ("2026-12-11-am", "v03")])
    assert _send(url) == notify.SendReport(sent=2)
    mail = _by_recipient(smtp.inbox.messages[2:])
    ana, bea = mail["ana@example.org"], mail["bea@example.org"]
    assert "changed" in ana["Subject"] and "no longer" in bea["Subject"]
    events = _events(ana)
    assert events["2026-12-12T13:00:00-06:00"][1:] == ("CANCELLED", 2, saturday_uid)
    assert events["2026-12-11T09:00:00-06:00"][1:3] == ("CONFIRMED", 2)
    assert [v[1] for v in _events(bea).values()] == ["CANCELLED"]
    with db.session(url) as s:
        kinds = sorted((n.volunteer, n.kind, n.plan_version) for n in notifications.list_notifications(s))
    assert kinds == [("v01", "change", 2), ("v01", "publish", 1), ("v02", "cancel", 2), ("v02", "publish", 1)]


def test_a_reminder_run_twice_sends_once(url, smtp):
    _publish(url, [("2026-12-11-am", "v01"), ("2026-12-11-dinner", "v01"), ("2026-12-12-am", "v02")])
    _send(url)
    smtp.inbox.messages.clear()
    for _ in range(2):
        with db.session(url) as s:
            notify.queue_reminders(s, date(2026, 12, 10))
            notify.queue_plan_notices(s, WEEK, NOW)  # nothing new to say either
        _send(url)
    [reminder] = smtp.inbox.messages
    assert reminder["To"] == "ana@example.org" and "reminder" in reminder["Subject"]
    assert sorted(_events(reminder)) == ["2026-12-11T09:00:00-06:00", "2026-12-11T17:00:00-06:00"]


def test_an_smtp_failure_is_kept_and_retried_on_the_next_run(url, smtp_port, caplog):
    _publish(url, [("2026-12-11-am", "v01")])
    assert _send(url) == notify.SendReport(failed=1)  # nothing listens on the port yet
    assert "kept for the next run" in caplog.text
    with db.session(url) as s:
        [row] = notifications.list_notifications(s)
    assert (row.status, row.attempts) == ("failed", 1) and "cannot connect" in (row.last_error or "")
    server = SmtpServer(smtp_port).start()
    try:
        assert _send(url) == notify.SendReport(sent=1)
        assert _send(url) == notify.SendReport()
    finally:
        server.stop()
    assert [m["To"] for m in server.inbox.messages] == ["ana@example.org"]
    with db.session(url) as s:
        [row] = notifications.list_notifications(s)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_the_cli_verb_queues_and_sends(url, smtp, capsys):
    with db.session(url) as s:
        plans.save_draft(s, WEEK, [Assignment("2026-12-11-am", "v02")])
        plans.publish_draft(s, WEEK)
    assert main(["send-reminders", "--today", "2026-12-10"]) == 0
    # The plan notice (only when the week is still ahead) and the reminder go to Bea.
    assert {m["To"] for m in smtp.inbox.messages} == {"bea@example.org"}
    assert any("reminder" in m["Subject"] for m in smtp.inbox.messages)
    assert "sent, 0 failed" in capsys.readouterr().err
    assert main(["send-reminders", "--today", "2026-12-10"]) == 0
    assert len([m for m in smtp.inbox.messages if "reminder" in m["Subject"]]) == 1


def test_the_cli_without_smtp_keeps_messages_queued(url, monkeypatch, capsys):
    monkeypatch.delenv("PLANNER_SMTP_HOST", raising=False)
    monkeypatch.setattr(mail, "SECRETS_FILES", ())
    with db.session(url) as s:
        plans.save_draft(s, WEEK, [Assignment("2026-12-11-am", "v02")])
        plans.publish_draft(s, WEEK)
    assert main(["send-reminders", "--today", "2026-12-10"]) == 2
    assert "PLANNER_SMTP_HOST" in capsys.readouterr().err
    with db.session(url) as s:
        assert {n.status for n in notifications.list_notifications(s)} == {"queued"}


def test_settings_from_secrets_toml_and_the_environment(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\nhost = "mail.example.org"\nport = 465\nuser = "me@example.org"\n'
                       'password = "s3cret"\n', encoding="utf-8")
    found = mail.smtp_settings({}, [secrets])
    assert found == mail.SmtpSettings("mail.example.org", 465, "me@example.org", "me@example.org", "s3cret")
    assert "s3cret" not in repr(found)
    override = mail.smtp_settings({"PLANNER_SMTP_PORT": "2525", "PLANNER_SMTP_FROM": "c@example.org"},
                                    [secrets])
    assert (override.port, override.sender) == (2525, "c@example.org")
    assert mail.smtp_settings({}, [tmp_path / "missing.toml"]) is None
    with pytest.raises(NotifyError, match="PLANNER_SMTP_PORT"):
        mail.smtp_settings({"PLANNER_SMTP_HOST": "h", "PLANNER_SMTP_PORT": "x"}, [])


def test_subjects_stay_one_line_whatever_the_center_name():
    from planner.core.domain import CenterSettings

    settings = CenterSettings(name="Hope\r\nBcc: all@example.org")
    [m] = notices.plan_messages(settings, WEEK, 1, None, [Assignment("2026-12-11-am", "v01")], NOW,
                               {"v01": "Ana"}, NOW)
    assert "\n" not in m.subject and "\r" not in m.subject
