"""Text safe for Markdown widgets, and tables safe for `st.table` and downloads.

Texts the present modules return are plain: pages show them with `st.text`,
`st.dataframe` or, for Markdown widgets, after `md_escape` (the flash helper in
`planner.ui.flash` always escapes).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from planner.io.spreadsheet import csv_bytes, xlsx_bytes

__all__ = ["csv_bytes", "md_escape", "table_safe", "unescape", "xlsx_bytes"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&])")


def md_escape(text: Any) -> str:
    """Text safe to hand to a Markdown widget: every Markdown/HTML character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def table_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy for `st.table`, which renders Markdown in cells: every text cell, the index and the
    column names escaped, so names show as typed and never as links, images or HTML."""
    out = table.copy()
    for col in out.columns:
        out[col] = out[col].map(lambda v: md_escape(v) if isinstance(v, str) else v)
    out.index = [md_escape(i) if isinstance(i, str) else i for i in out.index]
    out.index.name = md_escape(table.index.name) if isinstance(table.index.name, str) else table.index.name
    out.columns = [md_escape(c) if isinstance(c, str) else c for c in out.columns]
    return out


def unescape(text: str) -> str:
    """The inverse of `md_escape` (for tests and exports)."""
    return re.sub(r"\\(.)", r"\1", text)
