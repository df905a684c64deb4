"""Secrets and settings files the server reads: `.streamlit/secrets.toml` beside the app, then in $HOME.

The environment always wins over these files (each reader checks it first);
the files are never committed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SECRETS_FILES = (ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def secrets_tables(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Each readable secrets file's contents, in order (unreadable or broken files are skipped)."""
    for path in paths:
        try:
            yield tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
