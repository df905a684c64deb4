"""What the Outbox and the publish pages say about email: pure, no Streamlit, no SQL.

The Outbox names recipients by display name only (never an address), and an
erased person's messages show neither their name nor what they said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import pandas as pd

from planner.core.clock import to_local
from planner.core.labels import plural
from planner.store.notifications import Notification

KIND_LABELS = {"publish": "Shifts published", "change": "Shifts changed", "cancel": "No longer on a shift",
               "reminder": "Reminder", "invite": "Invitation", "signin": "Sign-in link",
               "offer": "Open place offered", "taken": "Given-away shift picked up",
               "alert": "Alert: slot still short", "applied": "Sign-up confirmation"}
ALERT_RECIPIENT = "Coordinators (alert address)"


def told_sentence(emailed: int, no_email: int) -> str:
    """`3 volunteers will be emailed about their changes; 2 have no email: call them.`"""
    if not emailed and not no_email:
        return "Nobody's shifts changed, so no volunteer is emailed."
    text = f"{plural(emailed, 'volunteer')} will be emailed about their changes"
    if no_email:
        text += f"; {no_email} {'has' if no_email == 1 else 'have'} no email: call them"
    return text + "."


def call_table(people: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Name and phone of each changed volunteer who has no email (coordinators only)."""
    return pd.DataFrame([{"Volunteer": name, "Phone": phone or "no phone either"} for name, phone in people],
                        columns=["Volunteer", "Phone"])


def recipient(message: Notification, names: Mapping[str, str]) -> str:
    if message.recipient is None:
        return ALERT_RECIPIENT
    if message.applicant_id is not None:
        return names.get(message.recipient) or "Erased applicant"
    return names.get(message.recipient) or f"Erased volunteer {message.volunteer_id}"


def erased(message: Notification, names: Mapping[str, str]) -> bool:
    return message.recipient is not None and message.recipient not in names


def kind_label(message: Notification) -> str:
    """`Reminder`, or `Reminder (text)` for a text."""
    label = KIND_LABELS.get(message.kind, message.kind)
    return f"{label} (text)" if message.channel == "sms" else label


def status_label(message: Notification) -> str:
    """`queued`, `sent`, `failed: <why> (tried again automatically)` or `failed: <why> (retry it)`."""
    if message.status != "failed":
        return message.status
    why = message.last_error or "unknown reason"
    return f"failed: {why} ({'retry it' if message.gave_up else 'tried again automatically'})"


def _local(moment: datetime | None, timezone: str) -> str:
    local = to_local(moment, timezone)
    return "" if local is None else f"{local:%Y-%m-%d %H:%M}"


def outbox_table(messages: Iterable[Notification], names: Mapping[str, str], timezone: str) -> pd.DataFrame:
    rows = [{"Queued": _local(m.created_at, timezone), "To": recipient(m, names),
             "Message": kind_label(m),
             "Subject": "(erased)" if erased(m, names) else m.subject,
             "Status": status_label(m), "Attempts": m.attempts, "Sent": _local(m.sent_at, timezone)}
            for m in messages]
    return pd.DataFrame(rows, columns=["Queued", "To", "Message", "Subject", "Status", "Attempts", "Sent"])


def counts_line(counts: Mapping[str, int]) -> str:
    """`12 sent, 3 queued, 1 failed`."""
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in ("sent", "queued", "failed"))


def failed_choice(message: Notification, names: Mapping[str, str]) -> str:
    """One failed message in a choice list: who, what, why."""
    return f"{recipient(message, names)}: {kind_label(message)} ({status_label(message)})"

