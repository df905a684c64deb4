"""Keep spreadsheet programs from running exported text as a formula (CSV/XLSX injection).

A cell starting with `= + - @`, tab or CR gets a leading single quote on
export; `restore` takes that quote off again on import, so a phone like
`+1 816-555-0100` survives any number of export/import rounds unchanged.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(TRIGGERS) else value


def restore(value: str) -> str:
    """The inverse of `neutralise` on what it wrote; other text is left alone."""
    return value[1:] if value.startswith("'") and value[1:].startswith(TRIGGERS) else value
