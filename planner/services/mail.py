"""Email: SMTP settings from the environment or `secrets.toml`, and a connection that never leaks a password.

SMTP settings come from the environment (`PLANNER_SMTP_HOST`, `_PORT`,
`_USER`, `_PASSWORD`, `_FROM`) or `.streamlit/secrets.toml` (the same names
at the top level, or `host`, `port`, `user`, `password`, `from` in an
`[smtp]` section); the environment wins.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from planner.core.errors import NotifyError
from planner.services.config import SECRETS_FILES, secrets_documents
from planner.services.keys import fill_link
from planner.store.notifications import Notification

_FIELDS = ("host", "port", "user", "password", "from")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)  # kept out of logs and tracebacks


def _secrets(paths: Iterable[Path]) -> dict[str, str]:
    """SMTP values from the first readable secrets file that has any."""
    for data in secrets_documents(paths):
        section = data.get("smtp") if isinstance(data.get("smtp"), dict) else {}
        found = {f: str(data.get(f"PLANNER_SMTP_{f.upper()}", section.get(f, ""))) for f in _FIELDS}
        if any(found.values()):
            return found
    return {}


def smtp_settings(env: Mapping[str, str] | None = None,
                  secrets_files: Iterable[Path] | None = None) -> SmtpSettings | None:
    """The SMTP settings, or None when no host is configured; raises NotifyError for a bad port."""
    env = os.environ if env is None else env
    stored = _secrets(SECRETS_FILES if secrets_files is None else secrets_files)
    value = {f: env.get(f"PLANNER_SMTP_{f.upper()}") or stored.get(f, "") for f in _FIELDS}
    if not value["host"]:
        return None
    try:
        port = int(value["port"] or 587)
    except ValueError:
        raise NotifyError(f'PLANNER_SMTP_PORT: "{value["port"]}" is not a port number') from None
    sender = value["from"] or (value["user"] if "@" in value["user"] else "")
    if not sender:
        raise NotifyError("PLANNER_SMTP_FROM: is required (the address messages come from)")
    return SmtpSettings(value["host"], port, sender, value["user"], value["password"])


def _one_line(text: str) -> str:
    """Email headers may not hold line breaks (a name or center name could)."""
    return " ".join(text.split())


def build_email(item: Notification, to: str, sender: str, now: datetime) -> EmailMessage:
    """The message for one queued row; the same Message-ID on every retry, so receivers can dedupe."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = _one_line(item.subject)
    msg["Date"] = format_datetime(now.replace(tzinfo=UTC))
    digest = hashlib.sha256(item.key.encode()).hexdigest()[:32]
    msg["Message-ID"] = f"<{digest}@volunteer-planner>"
    msg.set_content(fill_link(item.body, item.key))  # a one-time link's token exists only in the email
    if item.ics:
        msg.add_attachment(item.ics.encode("utf-8"), maintype="text", subtype="calendar",
                           filename="shifts.ics", params={"method": "PUBLISH"})
    return msg


def connect(settings: SmtpSettings, timeout: float = 30) -> smtplib.SMTP:
    """An SMTP connection: TLS on port 465, STARTTLS when offered; a password only over TLS
    (or to this machine)."""
    context = ssl.create_default_context()
    if settings.port == 465:
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout,
                                                context=context)
        secure = True
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        server.ehlo()
        secure = server.has_extn("starttls")
        if secure:
            server.starttls(context=context)
            server.ehlo()
    if settings.user:
        if not secure and settings.host not in LOCAL_HOSTS:
            server.close()
            raise NotifyError(f"{settings.host} offers no TLS: the SMTP password is not sent in clear")
        server.login(settings.user, settings.password)
    return server
