"""The address people reach the app at, for links that leave the page (calendar feeds, invitations).

`PLANNER_PUBLIC_URL` in the environment, else `public_url` in the `[planner]`
section of `.streamlit/secrets.toml`, else the origin of the page the person
is on (what their browser used). Behind a proxy, set it: the page's own
origin may be an inside address. A setting that is not a web address is
refused (ConfigError), rather than emailing links that lead nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from planner.core.errors import ConfigError
from planner.services import config

PUBLIC_URL_ENV = "PLANNER_PUBLIC_URL"


def _checked(url: str) -> str:
    """`scheme://host[:port][/path]` without a trailing slash; ConfigError for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f'{PUBLIC_URL_ENV}: "{url}" is not a web address like https://planner.example.org')
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def origin(page_url: str | None) -> str | None:
    """`https://host:port` of a page's URL, or None."""
    if not page_url:
        return None
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def public_url(page_url: str | None = None, env: Mapping[str, str] | None = None,
               secrets_files: Iterable[Path] | None = None) -> str | None:
    """The base URL for links (no trailing slash), or None when nothing says it."""
    configured = config.setting(PUBLIC_URL_ENV, "planner", "public_url", env=env, secrets_files=secrets_files)
    return _checked(configured) if configured else origin(page_url)


def webcal(url: str) -> str:
    """The same address for a phone's calendar app to subscribe to (`webcal://`)."""
    return "webcal://" + url.split("://", 1)[1]
