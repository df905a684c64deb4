"""Invitations: emailed through a real local SMTP server, joined once, resent, expired, printed as codes.

Each test runs on SQLite and PostgreSQL (`store_url`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message

import pytest

from planner.core.clock import utcnow
from planner.core.domain import VolunteerRecord
from planner.core.errors import AccountError, InvitationError
from planner.services import auth, invitations, keys, sessions
from planner.store import accounts, audit, backup, db, notifications
from planner.store.roster import add_volunteer

BASE = "https://planner.example.org"
KEY = "k" * 48
LINK = re.compile(r"https://planner\.example\.org/join\?token=([A-Za-z0-9_-]+)")


@pytest.fixture
def url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Ana and Bea with email, Cy without; a configured secret key (PostgreSQL has no data folder)."""
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("PLANNER_SECRET_KEY", KEY)
    with db.session(store_url) as s:
        for name, mail in (("Ana Reyes", "ana@example.org"), ("Bea Cole", "bea@example.org"),
                           ("Cy Nomail", None)):
            add_volunteer(s, VolunteerRecord(name, email=mail))
    yield store_url


def _ids(url: str) -> dict[str, int]:
    from planner.store.roster import list_volunteers

    with db.session(url) as s:
        return {v.name.split()[0]: v.id for v in list_volunteers(s)}


def text_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes), "a single text part"
    return payload.decode("utf-8")


def _token(message: Message) -> str:
    found = LINK.search(text_of(message))
    assert found, text_of(message)
    return found.group(1)


def _statuses() -> dict[str, str]:
    return {line.name.split()[0]: line.status for line in invitations.roster_statuses()}


def _everything_stored(url: str) -> str:
    return json.dumps(backup.dump(url))


def test_an_emailed_invitation_is_joined_once_and_stored_only_as_a_hash(url, smtp, caplog):
    caplog.set_level(logging.DEBUG)
    ids = _ids(url)
    assert _statuses() == {"Ana": "not invited", "Bea": "not invited", "Cy": "not invited"}
    report = invitations.invite_by_email([ids["Ana"], ids["Cy"]], BASE, "coordinator")
    assert report.invited == ["Ana Reyes"] and report.waiting is None
    assert report.skipped == ["Cy Nomail: no email address (print a code instead)"]
    [message] = smtp.wait_for(1)
    assert message["To"] == "ana@example.org"
    assert "Drop-in center invites you" in text_of(message)
    assert not message.is_multipart()  # no calendar file
    token = _token(message)
    assert _statuses()["Ana"] == "invited"
    # The token is nowhere in the database (only its hash), the audit log or the log.
    stored = _everything_stored(url)
    assert token not in stored and keys.LINK_MARK in stored
    assert not any(token in r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))

    invitee = invitations.check(token=token)
    assert (invitee.center, invitee.suggested_username) == ("Drop-in center", "ana.reyes")
    invitations.check(token=token)  # looking (a mail scanner) spends nothing
    account, ticket = invitations.join("", "a long password", token=token)
    assert (account.username, account.role, account.volunteer_id) == ("ana.reyes", "volunteer", ids["Ana"])
    assert sessions.open_session(ticket, None) is not None
    assert _statuses()["Ana"] == "joined"
    with pytest.raises(InvitationError, match="used already"):
        invitations.join("ana2", "a long password", token=token)
    with pytest.raises(InvitationError):
        invitations.check(token=token)
    with db.session(url) as s:
        entries = audit.recent(s)
    assert {"invitation sent", "user created", "joined"} <= {e.action for e in entries}
    assert not any(token in f"{e.target} {e.detail}" for e in entries)
    assert auth.authenticate("ana.reyes", "a long password").ok


def test_resending_gives_a_new_link_and_the_old_one_stops_working(url, smtp):
    ana = _ids(url)["Ana"]
    invitations.invite_by_email([ana], BASE, "coordinator")
    invitations.invite_by_email([ana], BASE, "coordinator")
    first, second = (_token(m) for m in smtp.wait_for(2))
    assert first != second
    with pytest.raises(InvitationError):
        invitations.join("ana", "a long password", token=first)
    account, _ = invitations.join("ana", "a long password", token=second)
    assert account.volunteer_id == ana
    again = invitations.invite_by_email([ana], BASE, "coordinator")
    assert again.skipped == ["Ana Reyes: has an account already"]


def test_an_expired_invitation_is_refused_and_changes_nothing(url, smtp):
    ana = _ids(url)["Ana"]
    sent = utcnow() - timedelta(days=7, minutes=1)
    invitations.invite_by_email([ana], BASE, "coordinator", now=sent)
    token = _token(smtp.wait_for(1)[0])
    assert _statuses()["Ana"] == "expired"
    with pytest.raises(InvitationError, match="more than 7 days old"):
        invitations.check(token=token)
    with pytest.raises(InvitationError):
        invitations.join("ana", "a long password", token=token)
    with db.session(url) as s:
        assert accounts.account_for_volunteer(s, ana) is None


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "A" * 5000])
def test_a_wrong_or_tampered_link_is_refused(url, smtp, token):
    invitations.invite_by_email([_ids(url)["Ana"]], BASE, "coordinator")
    real = _token(smtp.wait_for(1)[0])
    with pytest.raises(InvitationError):
        invitations.check(token=token or None, code=None)
    with pytest.raises(InvitationError):
        invitations.join("ana", "a long password", token=real[:-1] + ("A" if real[-1] != "A" else "B"))
    invitations.check(token=real)  # still open


def test_a_refused_password_or_username_leaves_the_invitation_open(url, smtp):
    ids = _ids(url)
    with db.session(url) as s:
        auth.create_user("taken", "a long password", "coordinator", db=s)
    invitations.invite_by_email([ids["Ana"]], BASE, "coordinator")
    token = _token(smtp.wait_for(1)[0])
    with pytest.raises(AccountError, match="at least 8"):
        invitations.join("ana", "short", token=token)
    with pytest.raises(AccountError, match="is taken"):
        invitations.join("Taken", "a long password", token=token)
    with pytest.raises(AccountError, match="must be 2-40"):
        invitations.join("<b>", "a long password", token=token)
    assert invitations.join("ana", "a long password", token=token)[0].username == "ana"


def test_a_printable_code_for_someone_without_email(url):
    cy = _ids(url)["Cy"]
    printed = invitations.printable_code(cy, BASE, "coordinator")
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", printed.code)
    assert f"Open {BASE}/join" in printed.text and printed.code in printed.text
    assert _statuses()["Cy"] == "invited"
    assert printed.code.replace("-", "") not in _everything_stored(url)
    with pytest.raises(InvitationError, match="check it against the paper"):
        invitations.check(code="2222-2222-2222")
    typed = " " + printed.code.lower().replace("-", " ") + " "  # as someone types it from paper
    assert invitations.check(code=typed).suggested_username == "cy.nomail"
    account, _ = invitations.join("", "a long password", code=typed)
    assert (account.username, account.volunteer_id) == ("cy.nomail", cy)
    with pytest.raises(InvitationError):
        invitations.join("", "a long password", code=printed.code)
    # A new code for someone who joined is refused; a new code for someone else revokes their old one.
    with pytest.raises(InvitationError, match="has an account already"):
        invitations.printable_code(cy, BASE, "coordinator")
    ana = _ids(url)["Ana"]
    old, new = (invitations.printable_code(ana, BASE, "coordinator") for _ in range(2))
    with pytest.raises(InvitationError):
        invitations.check(code=old.code)
    invitations.check(code=new.code)


def test_without_smtp_the_invitation_waits_and_a_later_send_carries_the_same_working_link(url, smtp_port,
                                                                                          monkeypatch):
    from planner.services import linkmail
    from tests.fixtures.smtp import SmtpServer

    monkeypatch.delenv("PLANNER_SMTP_HOST")
    monkeypatch.setattr("planner.services.mail.SECRETS_FILES", ())
    report = invitations.invite_by_email([_ids(url)["Bea"]], BASE, "coordinator")
    assert report.invited == ["Bea Cole"] and "PLANNER_SMTP_HOST" in (report.waiting or "")
    with db.session(url) as s:
        [queued] = notifications.list_notifications(s)
    assert (queued.kind, queued.status) == ("invite", "queued") and keys.LINK_MARK in queued.body
    monkeypatch.setenv("PLANNER_SMTP_HOST", "127.0.0.1")
    server = SmtpServer(smtp_port).start()
    try:
        assert linkmail.send_now() is None  # sent: the later send carries the same working link
        [message] = server.wait_for(1)
    finally:
        server.stop()
    assert invitations.join("bea", "a long password", token=_token(message))[0].username == "bea"


def test_erasing_a_volunteer_removes_their_invitations(url, smtp):
    from planner.services import roster

    ana = _ids(url)["Ana"]
    invitations.invite_by_email([ana], BASE, "coordinator")
    token = _token(smtp.wait_for(1)[0])
    roster.erase(ana, "Ana Reyes", "coordinator")
    with pytest.raises(InvitationError):
        invitations.check(token=token)
    assert "Ana" not in _statuses()


def test_the_audit_page_files_the_new_actions_under_their_kind():
    from planner.present.audit import audit_kind

    assert [audit_kind(a) for a in ("invitation sent", "joined")] == ["Invitations"] * 2
    assert [audit_kind(a) for a in ("session ended", "sign-in link sent")] == ["Sign-ins"] * 2
