"""The public "Volunteer with us" page: a newcomer signs up, without an account (issue 17).

Whatever happens to a sign-up that passes the form's checks (stored, already
known by its email or phone, or caught by the honeypot) the page shows the same
answer, so it never tells anyone who volunteers here. Only a new sign-up is
stored; a known address gets one "we have your details" email a day at most,
so nothing a visitor types can make the page store or send without bound.
Refusals by the limits (`services.limits`) store nothing either. The email is
queued with the sign-up and sent at once in the background, so every answer
comes as fast.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from planner.core.applicants import Application, SlotChoice, read_application
from planner.core.clock import utcnow
from planner.core.domain import CenterSettings
from planner.core.errors import ApplicantError
from planner.services import limits, linkmail
from planner.store import applicants, notifications
from planner.store.db import Session, session
from planner.store.settings import load_settings

log = logging.getLogger(__name__)

class SignUpLimited(ApplicantError):
    """Refused by a limit (this session's, or the page's per minute); nothing was stored."""


@dataclass(frozen=True)
class SignUp:
    """What became of a sign-up; the page shows the same answer for every outcome."""

    outcome: Literal["stored", "known", "honeypot"]
    applicant_id: int | None = None


def _offer(application: Application) -> str:
    if application.wants_shifts and application.wants_meals:
        return "volunteer on four-hour shifts and to provide dinner"
    return "volunteer on four-hour shifts" if application.wants_shifts else "provide dinner"


def confirmation(settings: CenterSettings, application: Application) -> tuple[str, str]:
    """The new applicant's email: no details of theirs in it but what they offered."""
    subject = f"{settings.name}: thank you for signing up to volunteer"
    body = (f"Hello,\n\nThank you for offering to {_offer(application)} with {settings.name}.\n\n"
            "The coordinator will contact you within a few days about the next steps: a background check, "
            "then your first shifts beside an experienced volunteer (on-the-job training).\n\n"
            "If you did not sign up, reply to this email and we will erase the details; otherwise they are "
            f"erased {settings.applicant_retention_days} days after the last step if you do not go on.\n")
    return subject, body


def known_again(settings: CenterSettings) -> tuple[str, str]:
    """The email to an address the center knows already: nothing new is stored."""
    subject = f"{settings.name}: we have your details already"
    body = (f"Hello,\n\nSomeone, probably you, signed up to volunteer with {settings.name} with this email "
            "address. We have your details already, so nothing new was saved, and the coordinator will be in "
            "touch. To change your times, reply to this email.\n\nIf this was not you, you can ignore it.\n")
    return subject, body


def _queue_known(db: Session, settings: CenterSettings, kind: str, person_id: int, now: datetime) -> bool:
    """At most one such email a day per person, however often their address is typed in; True when queued."""
    subject, body = known_again(settings)
    return notifications.queue(db, key=f"applied-again:{kind}:{person_id}:{now:%Y-%m-%d}",
                               volunteer_id=person_id if kind == "volunteer" else None,
                               applicant_id=person_id if kind == "applicant" else None,
                               kind="applied", subject=subject, body=body, ics="")


def sign_up(*, name: object, email: object, phone: object, offer: object, chosen: Iterable[SlotChoice],
            consent: bool, honeypot: object = "", session_limit: limits.SessionLimit | None = None,
            page_limit: limits.PageLimit | None = None,
            clock: Callable[[], datetime] = utcnow) -> SignUp:
    """Take one sign-up from the public page.

    Raises ApplicantError with one placed message per bad field, SignUpLimited
    when a limit refuses; either way nothing is stored or sent.
    """
    if str(honeypot or "").strip():  # a field people never see, filled in by a program
        log.info("public sign-up: honeypot filled, nothing stored")
        return SignUp("honeypot")
    application = read_application(name, email, phone, offer, chosen, consent)
    if session_limit is not None and not session_limit.allow():
        raise SignUpLimited(limits.SESSION_FULL)
    now = clock()
    with session() as db:
        refusal = (page_limit or limits.PageLimit()).refusal(db, now)
        if refusal is not None:
            raise SignUpLimited(refusal)
        settings = load_settings(db)
        known = applicants.known_contact(db, application.email, application.phone)
        if known is not None:
            queued = bool(application.email) and _queue_known(db, settings, known[0], known[1], now)
            result = SignUp("known")
        else:
            stored = applicants.add(db, application, now)
            queued = bool(application.email)
            if queued:
                subject, body = confirmation(settings, application)
                notifications.queue(db, key=f"applied:{stored.id}", volunteer_id=None, applicant_id=stored.id,
                                    kind="applied", subject=subject, body=body, ics="")
            result = SignUp("stored", stored.id)
    if queued:
        linkmail.send_soon()
    return result

