"""Inviting volunteers to make their own account: an emailed link, or a printed code for people without email.

Each invitation is single use and valid 7 days; a new one for the same person
revokes the older (a resend), and only its hash is stored. The link opens the
join page, which only looks the invitation up; it is spent when the person
submits the form (mail scanners open links in advance).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from planner.core.clock import to_local, utcnow
from planner.core.errors import InvitationError
from planner.core.tokens import new_code, new_token, normalise_code, token_hash
from planner.services import auth, keys, linkmail, sessions
from planner.store import accounts, audit, invitations, roster
from planner.store.accounts import Account
from planner.store.db import Session, session
from planner.store.invitations import Invitation
from planner.store.settings import load_settings

VALID_FOR = timedelta(days=7)
REFUSED = ("This invitation does not work: it was used already, replaced by a newer one, more than 7 days "
           "old, or not complete. Ask the coordinator for a new one.")
CODE_REFUSED = ("That code does not work: check it against the paper, or ask the coordinator for a new one "
                "(a code works once, for 7 days).")
STATUSES = ("not invited", "invited", "joined", "expired")


@dataclass(frozen=True)
class RosterInvitation:
    """One volunteer's line in the roster's Invitations section."""

    volunteer_id: int
    name: str
    has_email: bool
    status: str  # one of STATUSES
    method: str | None = None  # email | code, for the latest invitation
    sent_at: datetime | None = None  # naive UTC
    valid_until: datetime | None = None  # naive UTC


@dataclass(frozen=True)
class InviteReport:
    invited: list[str] = field(default_factory=list)  # names
    skipped: list[str] = field(default_factory=list)  # "Name: why"
    waiting: str | None = None  # why the email is still queued, when it is


@dataclass(frozen=True)
class PrintableCode:
    code: str
    text: str  # what to print and hand over


@dataclass(frozen=True)
class Invitee:
    """What the join page may show before the person acts: nothing about anyone else."""

    center: str
    suggested_username: str


def status_of(has_account: bool, latest: Invitation | None, now: datetime) -> str:
    if has_account:
        return "joined"
    if latest is None or latest.used_at is not None or latest.revoked_at is not None:
        return "not invited"  # a used invitation whose account was deleted since
    return "invited" if now < latest.expires_at else "expired"


def roster_statuses(now: datetime | None = None) -> list[RosterInvitation]:
    """Every active volunteer with their invitation status, in roster order."""
    now = now or utcnow()
    with session(readonly=True) as db:
        people = roster.list_volunteers(db, active_only=True)
        latest = invitations.latest(db)
        linked = accounts.linked_volunteers(db)
    out = []
    for person in people:
        assert person.id is not None
        last = latest.get(person.id)
        shown = last if last is not None and last.used_at is None and last.revoked_at is None else None
        out.append(RosterInvitation(person.id, person.name, bool(person.email and person.email.strip()),
                                    status_of(person.id in linked, last, now),
                                    shown.method if shown else None, shown.created_at if shown else None,
                                    shown.expires_at if shown else None))
    return out


def _invitation_email(center: str, link: str, valid_until: str) -> tuple[str, str]:
    subject = f"{center}: your invitation to the volunteer planner"
    body = (f"Hello,\n\n{center} invites you to its volunteer planner, where you see your shifts and give "
            f"your availability.\n\nTo choose your username and password, open this link (it works once, "
            f"until {valid_until}):\n\n{link}\n\nIf you did not expect this email, ignore it.\n")
    return subject, body


def invite_by_email(volunteer_ids: Iterable[int], base_url: str, actor: str,
                    now: datetime | None = None) -> InviteReport:
    """Email an invitation to each volunteer (a new link: an older one stops working), then send at once.

    People without an email or with an account already are skipped, and said so.
    """
    now = now or utcnow()
    invited, skipped = [], []
    with session() as db:
        settings = load_settings(db)
        wanted = sorted(set(volunteer_ids))
        emails = roster.emails(db, wanted)
        names = {p.id: p.name for p in roster.list_volunteers(db)}
        linked = accounts.linked_volunteers(db)
        until = to_local(now + VALID_FOR, settings.timezone)
        assert until is not None
        for vid in wanted:
            name = names.get(vid)
            if name is None:
                skipped.append(f"volunteer {vid}: not on the roster")
            elif vid in linked:
                skipped.append(f"{name}: has an account already")
            elif vid not in emails:
                skipped.append(f"{name}: no email address (print a code instead)")
            else:
                key = f"invite:{vid}:{new_token()[:16]}"
                subject, body = _invitation_email(settings.name, f"{base_url}/join?token={keys.LINK_MARK}",
                                                  f"{until:%a %d %b %Y}")
                token = linkmail.queue(db, key=key, volunteer_id=vid, kind="invite", subject=subject,
                                       body=body)
                invitations.add(db, vid, token_hash(token), "email", now, now + VALID_FOR, actor)
                audit.record(db, actor, "invitation sent", f"volunteer {vid}", "email")
                invited.append(name)
    waiting = linkmail.send_now() if invited else None
    return InviteReport(invited, skipped, waiting)


def printable_code(volunteer_id: int, base_url: str, actor: str,
                   now: datetime | None = None) -> PrintableCode:
    """A one-time code for someone without email, shown once; an older link or code stops working."""
    now = now or utcnow()
    with session() as db:
        settings = load_settings(db)
        person = roster.get_volunteer(db, volunteer_id)
        if person is None or person.erased:
            raise InvitationError(f"volunteer {volunteer_id}: not on the roster")
        if volunteer_id in accounts.linked_volunteers(db):
            raise InvitationError(f"{person.name}: has an account already")
        code = new_code()
        invitations.add(db, volunteer_id, token_hash(normalise_code(code)), "code", now, now + VALID_FOR,
                        actor)
        audit.record(db, actor, "invitation sent", f"volunteer {volunteer_id}", "printable code")
    until = to_local(now + VALID_FOR, settings.timezone)
    assert until is not None
    text = (f"{settings.name} invites you to its volunteer planner.\n\n"
            f"1. Open {base_url}/join\n"
            f"2. Enter this code: {code}\n"
            f"3. Choose your username and password.\n\n"
            f"The code works once, until {until:%a %d %b %Y}. Keep it private.")
    return PrintableCode(code, text)


def _open_invitation(db: Session, token: str | None, code: str | None, now: datetime, *,
                     lock: bool = False) -> Invitation:
    if token:
        found = invitations.find(db, token_hash(token), "email", lock=lock) if len(token) <= 100 else None
        refused = REFUSED
    else:
        typed = normalise_code(code or "")
        found = invitations.find(db, token_hash(typed), "code", lock=lock) if 0 < len(typed) <= 40 else None
        refused = CODE_REFUSED
    if found is None or not found.is_open(now):
        raise InvitationError(refused)
    person = roster.get_volunteer(db, found.volunteer_id)
    if person is None or person.erased or found.volunteer_id in accounts.linked_volunteers(db):
        raise InvitationError(refused)
    return found


def check(token: str | None = None, code: str | None = None, now: datetime | None = None) -> Invitee:
    """Look an invitation up without spending it; InvitationError when it does not work."""
    with session(readonly=True) as db:
        found = _open_invitation(db, token, code, now or utcnow())
        person = roster.get_volunteer(db, found.volunteer_id)
        assert person is not None
        return Invitee(load_settings(db).name, accounts.suggest_username(db, person.name))


def join(username: str, password: str, *, token: str | None = None, code: str | None = None,
         browser: str | None = None, now: datetime | None = None) -> tuple[Account, str]:
    """Spend the invitation and make the volunteer's account; (account, a ticket for the cookie route).

    A refused username or password (AccountError) or invitation (InvitationError) changes nothing.
    """
    now = now or utcnow()
    with session() as db:
        found = _open_invitation(db, token, code, now, lock=True)
        person = roster.get_volunteer(db, found.volunteer_id)
        assert person is not None
        name = username.strip() or accounts.suggest_username(db, person.name)
        account = auth.create_user(name, password, "volunteer", found.volunteer_id, db=db, actor=name.lower())
        invitations.mark_used(db, found.id, now)
        audit.record(db, account.username, "joined", f"volunteer {found.volunteer_id}", found.method)
        return account, sessions.issue_ticket(account.id, browser, db=db, now=now)
