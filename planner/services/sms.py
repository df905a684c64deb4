"""Texts through Twilio's REST API (the `twilio` package): settings, phone numbers, one send.

Settings come from the environment or `.streamlit/secrets.toml` (`[twilio]`
`account_sid`, `auth_token`, `from`, `base_url`): `PLANNER_TWILIO_ACCOUNT_SID`,
`PLANNER_TWILIO_AUTH_TOKEN`, `PLANNER_TWILIO_FROM` (the number or messaging
service texts come from) and `PLANNER_TWILIO_BASE_URL` (default Twilio's own;
tests point it at a fake server on 127.0.0.1). Without an account SID, texts
are off and everyone is emailed. The body of a text (it may hold a one-time
link) is never logged: the `twilio` package's own request log is kept quiet.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from planner.core.errors import NotifyError
from planner.services import config

DEFAULT_BASE_URL = "https://api.twilio.com"
# Twilio's error for a number that answered STOP: it is never texted again.
UNSUBSCRIBED = 21610
TIMEOUT_SECONDS = 30
ENV = {"account_sid": "PLANNER_TWILIO_ACCOUNT_SID", "auth_token": "PLANNER_TWILIO_AUTH_TOKEN",
       "sender": "PLANNER_TWILIO_FROM", "base_url": "PLANNER_TWILIO_BASE_URL"}
HELP = ("set PLANNER_TWILIO_ACCOUNT_SID, PLANNER_TWILIO_AUTH_TOKEN and PLANNER_TWILIO_FROM in the server's "
        "environment (or account_sid, auth_token and from in a [twilio] section of .streamlit/secrets.toml), "
        "then restart the app")
_NUMBER = re.compile(r"\+?\d[\d\s().-]{5,}\d")

for _name in ("twilio", "twilio.http_client"):  # request lines and headers at INFO; never a text's body
    logging.getLogger(_name).setLevel(logging.WARNING)


@dataclass(frozen=True)
class SmsSettings:
    account_sid: str
    sender: str
    base_url: str = DEFAULT_BASE_URL
    auth_token: str = field(default="", repr=False)  # kept out of logs and tracebacks


class SmsFailed(Exception):
    """A text that did not go: why (numbers masked), whether retrying can help, and whether it was STOP."""

    def __init__(self, reason: str, final: bool, unsubscribed: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.final, self.unsubscribed = reason, final, unsubscribed


def sms_settings(env: Mapping[str, str] | None = None,
                 secrets_files: Iterable[Path] | None = None) -> SmsSettings | None:
    """The Twilio settings, or None when texts are off (no account SID); NotifyError when incomplete."""
    keys = {"account_sid": "account_sid", "auth_token": "auth_token", "sender": "from",
            "base_url": "base_url"}
    value = {name: config.setting(ENV[name], "twilio", key, env=env, secrets_files=secrets_files)
             for name, key in keys.items()}
    if not value["account_sid"]:
        return None
    for name in ("auth_token", "sender"):
        if not value[name]:
            raise NotifyError(f"{ENV[name]}: is required when {ENV['account_sid']} is set")
    base = value["base_url"] or DEFAULT_BASE_URL
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", base):
        raise NotifyError(f'{ENV["base_url"]}: "{base}" is not a web address like {DEFAULT_BASE_URL}')
    return SmsSettings(value["account_sid"], value["sender"], base.rstrip("/"), value["auth_token"])


def configured() -> bool:
    """Texts are set up (an account SID is given); a volunteer may then choose them."""
    return bool(config.setting(ENV["account_sid"], "twilio", "account_sid"))


def problem() -> str | None:
    """Why no text can go out, naming the setting that fixes it; None when texts are set up (or off)."""
    try:
        sms_settings()
    except NotifyError as err:
        return f"The text settings are wrong ({err}), so no text can go out: {HELP}."
    return None


def number(phone: str | None) -> str | None:
    """A phone on record as Twilio takes it (`+18165550101`), or None when it cannot be one.

    `+` and the country code always work; ten digits (or eleven starting with 1) are read as a North
    American number.
    """
    if not phone:
        return None
    text = phone.strip()
    digits = re.sub(r"[\s().-]", "", text)
    if re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        return digits
    if re.fullmatch(r"[2-9]\d{9}", digits):
        return "+1" + digits
    if re.fullmatch(r"1[2-9]\d{9}", digits):
        return "+" + digits
    return None


def masked(text: str) -> str:
    """A reason fit for the Outbox and the log: phone numbers hidden."""
    return _NUMBER.sub("(number)", " ".join(text.split()))


def send(settings: SmsSettings, to: str, body: str) -> None:
    """Send one text; raises SmsFailed (4xx answers are final, STOP is `unsubscribed`)."""
    from requests import RequestException
    from twilio.base.exceptions import TwilioException, TwilioRestException
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    client = Client(settings.account_sid, settings.auth_token,
                    http_client=TwilioHttpClient(timeout=TIMEOUT_SECONDS))
    client.api.base_url = settings.base_url
    try:
        client.messages.create(to=to, from_=settings.sender, body=body)
    except TwilioRestException as err:
        status = int(err.status or 0)
        if err.code == UNSUBSCRIBED:
            raise SmsFailed("the number answered STOP: no more texts go to it", True, True) from None
        why = f"refused by Twilio (HTTP {status}, error {err.code or 'none'}): {masked(str(err.msg or ''))}"
        raise SmsFailed(why, 400 <= status < 500 and status != 429) from None
    except (RequestException, TwilioException, OSError) as err:
        raise SmsFailed(masked(f"cannot reach Twilio: {type(err).__name__}"), False) from None
