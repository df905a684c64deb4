"""Deployment settings: the environment first, then `.streamlit/secrets.toml` (never the repository).

Streamlit reads the same file as `st.secrets`; services cannot import
Streamlit, and the command line runs without it, so they read it here.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SECRETS_FILES = (ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def secrets_documents(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Each readable secrets file, parsed, in order; unreadable or broken files are passed over."""
    for path in paths:
        try:
            yield tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue


def setting(env_name: str, section: str, key: str, *, env: Mapping[str, str] | None = None,
            secrets_files: Iterable[Path] | None = None) -> str:
    """`env_name` from the environment, else `[section] key` from the first secrets file that has it.

    "" when neither has it."""
    value = (os.environ if env is None else env).get(env_name, "").strip()
    if value:
        return value
    for document in secrets_documents(SECRETS_FILES if secrets_files is None else secrets_files):
        table = document.get(section)
        if isinstance(table, dict) and str(table.get(key, "")).strip():
            return str(table[key]).strip()
    return ""
