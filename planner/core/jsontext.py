"""The one strict JSON reader for documents people hand in: problems, plans and backups.

Python's `json` accepts what a hand-edited or hostile file may hold and then
fails in ways no person can act on: 100,000 nested brackets raise
RecursionError, a 5,000-digit number raises ValueError, and a key given twice
silently keeps the last value (`"slots"` twice emptied a problem). Here each is
refused with a placed message, before or while parsing:

- nesting deeper than `MAX_DEPTH` and numbers longer than `MAX_DIGITS` digits:
  `FILE: line L, column C: ...`, found by a scan that skips strings;
- a key given twice in one object, at any depth: `slots[2].min: given twice`;
- anything else that is not JSON: `FILE: line L, column C: not valid JSON (...)`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from planner.core.errors import PlannerError

MAX_DEPTH = 64  # the formats nest 5 deep; Python's parser recurses once per level
MAX_DIGITS = 100  # no count in the formats has more than 6 digits; Python refuses ints over 4,300
# A string (unterminated ones run to the end), a bracket, or a run of digits outside strings.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]|\d+', re.DOTALL)


class JsonRefused(PlannerError):
    """A document that is not strict JSON; each message is placed."""


class _Object(dict[str, Any]):
    """A parsed object that remembers the keys it was given more than once."""

    twice: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    out = _Object(pairs)
    if len(out) < len(pairs):
        out.twice = tuple(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    return out


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - text.rfind(chr(10), 0, offset)}"


def _scan(text: str) -> str | None:
    """The first place nested too deep or holding too long a number, as a message; else None."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match[0]
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return f"{_where(text, match.start())}: nested more than {MAX_DEPTH} levels deep"
        elif token in "]}":
            depth -= 1
        elif token[0] != '"' and len(token) > MAX_DIGITS:
            return (f"{_where(text, match.start())}: a number of {len(token):,} digits; "
                    f"numbers here have at most {MAX_DIGITS}")
    return None


def _twice(value: Any, place: str) -> list[str]:
    """Placed messages for every key given twice, walking the parsed document (depth is bounded)."""
    out: list[str] = []
    if isinstance(value, _Object):
        out += [f"{place}.{k}: given twice in one object" if place else f"{k}: given twice in one object"
                for k in value.twice]
        for k, v in value.items():
            out += _twice(v, f"{place}.{k}" if place else k)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _twice(item, f"{place}[{i}]")
    return out


def loads(text: str, source: str, root: str = "") -> Any:
    """The parsed document, or JsonRefused; `source` names the file, `root` prefixes key places."""
    problem = _scan(text)
    if problem:
        raise JsonRefused([f"{source}: {problem}"])
    try:
        data = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        raise JsonRefused([f"{source}: line {err.lineno}, column {err.colno}: not valid JSON ({err.msg})"]) \
            from None
    twice = _twice(data, root)
    if twice:
        raise JsonRefused(twice)
    return data
