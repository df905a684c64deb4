"""Emails that carry a one-time link (invitations, sign-in links): queued whole, then sent at once.

They go through the same queue as every notice (`planner.store.notifications`),
so a failed send is retried by whatever sends the queue later. The queued body
holds `keys.LINK_MARK` where the token goes; the token itself is never stored.
"""

from __future__ import annotations

import logging
import threading

from planner.core.errors import PlannerError
from planner.services import keys, notify, sender
from planner.store import notifications
from planner.store.db import Session

log = logging.getLogger(__name__)


def queue(db: Session, *, key: str, volunteer_id: int, kind: str, subject: str, body: str) -> str:
    """Queue the email and return the token its link will carry (the caller stores only its hash)."""
    if keys.LINK_MARK not in body:
        raise ValueError("a link email needs keys.LINK_MARK in its body")
    notifications.queue(db, key=key, volunteer_id=volunteer_id, kind=kind, subject=subject, body=body, ics="")
    return keys.link_token(key)


def send_now() -> str | None:
    """Send what is queued, under the one sender's lease; None when it went (or the app's sender, which
    holds the lease, sends it in a moment), else a sentence saying why some email waits."""
    holder = sender.holder_name("link")
    try:
        done = notify.run_round(holder, queue=False)
    except PlannerError as err:  # email set up wrongly, or the database busy: the queue keeps it
        return "; ".join(err.messages)
    except Exception:  # a bug in sending must not undo what was already committed
        log.exception("sending queued email failed")
        return "Sending failed; the server log has the details. The email stays queued."
    finally:
        notify.release(holder)
    if done.busy:
        return None
    if done.report is None:
        return "Email is not set up (PLANNER_SMTP_HOST), so the email waits in the Outbox."
    if done.report.failed:
        return f"{done.report.failed} email(s) could not be sent now and stay queued for a retry."
    return None


def send_soon() -> None:
    """`send_now` in the background: the page answers at once and as fast whether or not an email went."""
    threading.Thread(target=send_now, name="planner-link-mail", daemon=True).start()
