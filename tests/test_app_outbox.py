"""AppTest: what a publish says about email (plan and gaps pages), the Outbox page, the reminder setting,
and the calendar links on My shifts and Imports/exports."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from planner.present.outbox import told_sentence
from planner.present.text import unescape
from planner.services import feeds, mail
from planner.store import audit, db, notifications, plans
from planner.store.roster import erase_volunteer, list_volunteers, update_volunteer
from planner.store.settings import load_settings
from tests.apptest import messages, open_app, shown
from tests.fixtures.browser import first_choice, publish_demo_week

OUTBOX = "pages/coordinator/outbox.py"


@pytest.fixture
def no_email(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANNER_SMTP_HOST", raising=False)
    monkeypatch.setattr(mail, "SECRETS_FILES", ())


def _open(username: str, page: str | None = None) -> AppTest:
    at = open_app(username, page, timeout=60)
    assert not at.exception, at.exception
    return at


def _expected_told() -> tuple[int, list[tuple[str, str]]]:
    """(volunteers emailed, [(name, phone)] of changed volunteers without email), from the stored plan."""
    with db.session() as s:
        queued = {n.volunteer for n in notifications.list_notifications(s)}
        people = {v.key: v for v in list_volunteers(s)}
        [week] = {n.week_start for n in notifications.list_notifications(s)}
        changed = {a.volunteer for a in plans.latest_published(s, week).assignments}
    unreachable = sorted((people[k].name, people[k].phone or "no phone either") for k in changed
                         if not people[k].email)
    return len(queued), unreachable


def test_publishing_says_how_many_are_emailed_and_lists_whom_to_call(demo_db, no_email):
    with db.session() as s:  # in the demo nobody without email has a phone; give some of them one
        for i, v in enumerate(v for v in list_volunteers(s) if not v.email):
            if i % 2:
                update_volunteer(s, replace(v, phone=f"816-555-01{90 + i}"))
    at = _open("coordinator")
    at.button(key="plan_button").click()
    at.run()
    at.button(key="publish").click()
    at.run()
    assert not at.exception, at.exception
    emailed, to_call = _expected_told()
    assert emailed > 0 and to_call, "the demo has people with and without email"
    assert told_sentence(emailed, len(to_call)) in messages(at, "info")
    assert f"{emailed} volunteers will be emailed about their changes; {len(to_call)} have no email: " \
           "call them." in messages(at, "info")
    [warning] = messages(at, "warning")
    assert "Email is not set up" in warning and "PLANNER_SMTP_HOST" in warning and "Outbox" in warning
    [table] = [t.value.map(unescape) for t in at.table if list(t.value.columns) == ["Volunteer", "Phone"]]
    assert sorted(zip(table["Volunteer"], table["Phone"], strict=True)) == to_call
    assert any(phone.startswith("816-555") for _, phone in to_call)
    with db.session() as s:
        assert [e.target for e in audit.recent(s, action="contact view")] == ["plan"]
    # It stays while the coordinator phones people, until hidden.
    at.run()
    assert told_sentence(emailed, len(to_call)) in messages(at, "info")
    at.button(key="plan_told_hide").click()
    at.run()
    assert not any("will be emailed" in m for m in messages(at, "info"))


def test_a_cancellation_on_the_gaps_page_says_who_is_told(demo_db, no_email, monkeypatch):
    monkeypatch.setenv("PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PLANNER_SMTP_FROM", "center@example.org")
    week = publish_demo_week()[0]
    at = _open("coordinator", "pages/coordinator/gaps.py")
    next(s for s in at.selectbox if s.label == "Who cannot make it").set_value(first_choice(week))
    next(b for b in at.button if b.label == "Mark cancellation").click()
    at.run()
    assert not at.exception, at.exception
    emailed, to_call = _expected_told()  # the first notices of the week: everyone on it, and the one who left
    assert told_sentence(emailed, len(to_call)) in messages(at, "info")
    assert messages(at, "warning") == []  # email is set up


def test_the_outbox_lists_messages_retries_failures_and_hides_erased_peoples_words(demo_db, no_email):
    at = _open("coordinator", OUTBOX)
    assert at.title[0].value == "Outbox"
    assert "PLANNER_SMTP_HOST" in messages(at, "warning")[0]
    assert "No message was queued yet" in shown(at)
    with db.session() as s:
        people = [v for v in list_volunteers(s) if v.email][:3]
        for i, v in enumerate(people):
            notifications.queue(s, key=f"k{i}", volunteer_id=v.id or 0, kind="publish",
                                subject=f"Your shifts {i}", body=f"Hello {v.name}, body {i}", ics="")
        rows = {n.key: n.id for n in notifications.list_notifications(s)}
        notifications.mark_failed(s, rows["k0"], "refused by the mail server: 550 no", datetime.now(),
                                  give_up=True)
        notifications.mark_failed(s, rows["k1"], "cannot connect", datetime.now())
        erase_volunteer(s, people[2].id or 0)
    at = _open("coordinator", OUTBOX)
    table = at.dataframe[0].value
    assert sorted(table["To"]) == sorted([people[0].name, people[1].name, f"Erased volunteer {people[2].id}"])
    status = dict(zip(table["To"], table["Status"], strict=True))
    assert status[people[0].name] == "failed: refused by the mail server: 550 no (retry it)"
    assert status[people[1].name] == "failed: cannot connect (tried again automatically)"
    assert "(erased)" in list(table["Subject"]) and "body 2" not in shown(at)
    assert "Your shifts 2" not in shown(at) and people[2].name not in shown(at)
    assert at.button(key="outbox_retry_all").label == "Retry all failed (2)"
    # Read a message: never an erased person's.
    at.selectbox(key="outbox_read").set_value(rows["k0"])
    at.run()
    assert f"Hello {people[0].name}, body 0" in [t.value for t in at.text]

    at.selectbox(key="outbox_pick").set_value(rows["k0"])
    at.button(key="outbox_retry_one").click()
    at.run()
    assert not at.exception, at.exception
    assert messages(at, "success") == ["Queued again: it goes out in a few seconds."]
    with db.session() as s:
        assert notifications.get(s, rows["k0"]).status == "queued"
        assert notifications.get(s, rows["k1"]).status == "failed"
        assert [e.target for e in audit.recent(s, action="outbox retry")] == [f"message {rows['k0']}"]
    at.button(key="outbox_retry_all").click()
    at.run()
    assert messages(at, "success") == ["1 queued again: they go out in a few seconds."]
    with db.session() as s:
        assert notifications.counts(s) == {"queued": 3}


def test_the_outbox_is_for_coordinators(demo_db):
    at = _open("volunteer", OUTBOX)
    assert "This page is for Coordinator accounts" in messages(at, "error")[0]
    assert not at.dataframe


def test_reminder_hours_are_a_center_setting(demo_db):
    at = _open("coordinator", "pages/coordinator/settings.py")
    assert at.number_input(key="reminder_hours").value == 24
    at.number_input(key="reminder_hours").set_value(6)
    at.run()
    at.button(key="save_settings").click()
    at.run()
    assert not at.exception, at.exception
    with db.session() as s:
        assert load_settings(s).reminder_hours == 6


def test_a_volunteer_makes_sees_once_and_turns_off_their_calendar_link(demo_db, monkeypatch):
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "https://planner.example.org")
    week, me, _ = publish_demo_week()
    at = _open("volunteer", "pages/volunteer/my_shifts.py")
    assert "A private link that keeps your shifts in your phone's calendar" in shown(at)
    at.button(key=f"feed_token:volunteer:{me.id}:reset").click()
    at.run()
    assert not at.exception, at.exception
    [code] = at.code
    assert code.value.startswith("https://planner.example.org/feeds/") and code.value.endswith(".ics")
    token = code.value.rsplit("/", 1)[1].removesuffix(".ics")
    [button] = at.get("link_button")
    assert button.proto.url == f"webcal://planner.example.org/feeds/{token}.ics"
    assert "Drop-in center" in feeds.calendar(token).decode()
    with db.session() as s:
        [entry] = audit.recent(s, action="calendar feed reset")
    assert (entry.actor, entry.target) == ("volunteer", f"volunteer {me.id}") and token not in entry.detail

    at = _open("volunteer", "pages/volunteer/my_shifts.py")  # a new session: the link is not shown again
    assert not at.code and "It is shown only once" in shown(at)
    at.button(key=f"feed_token:volunteer:{me.id}:revoke").click()
    at.run()
    assert feeds.calendar(token) is None
    assert "A private link that keeps your shifts" in shown(at)


def test_coordinators_get_a_center_wide_calendar_link(demo_db, monkeypatch):
    monkeypatch.setenv("PLANNER_PUBLIC_URL", "https://planner.example.org")
    publish_demo_week()
    at = _open("coordinator", "pages/coordinator/imports_exports.py")
    reset = next(b for b in at.button if b.key and b.key.startswith("feed_token:user:"))
    reset.click()
    at.run()
    assert not at.exception, at.exception
    token = at.code[0].value.rsplit("/", 1)[1].removesuffix(".ics")
    text = feeds.calendar(token).decode()
    assert "Morning shift: " in text and "@example.org" not in text
