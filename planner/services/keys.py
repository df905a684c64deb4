"""The server's secret key, what it signs, and the public address put in emailed links.

The key comes from `PLANNER_SECRET_KEY` or `[planner] secret_key` in
`secrets.toml`. Without either (a laptop, the demo), one is generated once into
the data folder (`secret_key`, mode 0600, never in the repository); servers
that share a database must share one configured key, or each signs cookies
and links the others refuse.

It signs two things:
- the session cookie: a random session id plus an HMAC, so a tampered cookie
  is refused before the store is asked;
- the token of an emailed one-time link, derived from the queued message's key.
  The queued email keeps `LINK_MARK` where the token goes and `fill_link`
  puts the token in when the email is built, so a retry sends the same link
  while the database holds only the token's hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
from pathlib import Path

from planner.core.errors import ConfigError
from planner.core.files import write_new
from planner.core.tokens import new_token
from planner.services import config
from planner.store.db import data_folder

KEY_ENV = "PLANNER_SECRET_KEY"
KEY_FILE = "secret_key"
MIN_KEY_LENGTH = 32
# Where an emailed link's token goes in a queued message body.
LINK_MARK = "{one-time-token}"

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_generated: dict[Path, bytes] = {}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def secret_key() -> bytes:
    """The configured key, else the one generated into the data folder (created on first use)."""
    configured = config.setting(KEY_ENV, "planner", "secret_key")
    if configured:
        if len(configured) < MIN_KEY_LENGTH:
            raise ConfigError(f"{KEY_ENV}: at least {MIN_KEY_LENGTH} characters "
                              "(python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        return configured.encode("utf-8")
    path = data_folder() / KEY_FILE
    with _lock:
        if path not in _generated:
            if write_new(path, new_token().encode("ascii")):
                _log.warning("%s and [planner] secret_key are not set: generated %s. Servers sharing a "
                             "database must share one configured key.", KEY_ENV, path)
            key = path.read_bytes().strip()
            if len(key) < MIN_KEY_LENGTH:
                raise ConfigError(f"{path}: the generated secret key is damaged; delete it (everyone "
                                  f"signs in again) or set {KEY_ENV}")
            _generated[path] = key
        return _generated[path]


def _mac(purpose: str, value: str) -> bytes:
    return hmac.new(secret_key(), f"{purpose}\0{value}".encode(), hashlib.sha256).digest()


def sign(value: str, purpose: str) -> str:
    """`value.signature`; `value` must not contain a dot."""
    return f"{value}.{_b64(_mac(purpose, value))}"


def unsign(signed: object, purpose: str) -> str | None:
    """The value of a signature made by `sign` with this key and purpose, else None (never raises)."""
    if not isinstance(signed, str) or signed.count(".") != 1 or len(signed) > 200:
        return None
    value, signature = signed.split(".")
    if not value or not hmac.compare_digest(signature, _b64(_mac(purpose, value))):
        return None
    return value


def link_token(message_key: str) -> str:
    """The token of the one-time link in the queued message `message_key`."""
    return _b64(_mac("link", message_key))


def fill_link(body: str, message_key: str) -> str:
    """The body as it is sent: the link's token in place of `LINK_MARK`."""
    return body.replace(LINK_MARK, link_token(message_key)) if LINK_MARK in body else body
