"""The address people reach the app at, for links that leave the page (calendar feeds, invitations).

`PLANNER_PUBLIC_URL` in the environment, else `public_url` in the `[planner]`
section of `.streamlit/secrets.toml`, else the origin of the page the person
is on (what their browser used). Behind a proxy, set it: the page's own
origin may be an inside address.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from planner.services import config

log = logging.getLogger(__name__)


def _checked(url: str) -> str | None:
    """`scheme://host[:port][/path]` without a trailing slash, or None (logged) for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        log.warning("the public URL %r is not like https://planner.example.org; it is ignored", url)
        return None
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
    env = os.environ if env is None else env
    configured = env.get("PLANNER_PUBLIC_URL", "").strip()
    if not configured:
        for data in config.secrets_tables(config.SECRETS_FILES if secrets_files is None else secrets_files):
            section = data.get("planner")
            if isinstance(section, dict) and str(section.get("public_url", "")).strip():
                configured = str(section["public_url"])
                break
    return (_checked(configured) if configured else None) or origin(page_url)


def webcal(url: str) -> str:
    """The same address for a phone's calendar app to subscribe to (`webcal://`)."""
    return "webcal://" + url.split("://", 1)[1]
