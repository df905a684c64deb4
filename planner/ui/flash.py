"""Messages shown after an action: always escaped, so user text (a name, a file's cell) is never Markdown.

A page sets a flash before `st.rerun()`, and shows it at its top on the next run.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from planner.core.errors import PlannerError
from planner.present.text import md_escape

Kind = Literal["success", "info", "warning", "error"]


def say(kind: Kind, text: str) -> None:
    """Show a message now."""
    getattr(st, kind)(md_escape(text))


def later(page: str, kind: Kind, text: str) -> None:
    """Show a message on the page's next run (after `st.rerun()`)."""
    st.session_state[f"{page}_flash"] = (kind, text)


def show(page: str) -> None:
    """The page's message from its last action, if any."""
    flash = st.session_state.pop(f"{page}_flash", None)
    if flash:
        say(*flash)


def refused(prefix: str, err: PlannerError) -> str:
    """`Not saved: reason one; reason two`."""
    return f"{prefix}: " + "; ".join(err.messages)
