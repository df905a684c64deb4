"""The audit log as people use it: what a coordinator saw or exported, and reading the log back.

A coordinator page that shows emails or phones records it (`contact_view`), at
most once per page per session every few minutes: a Streamlit page reruns on
every click, and one entry per click would bury the log.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from planner.store import audit
from planner.store.audit import CONTACT_VIEW, AuditEntry
from planner.store.db import session

CONTACT_VIEW_EVERY = 10 * 60  # seconds between two entries for the same page in one session


def record(actor: str | None, action: str, target: str = "", detail: str = "") -> None:
    """One entry in its own unit of work (an export click, a calendar download)."""
    with session() as db:
        audit.record(db, actor, action, target, detail)


def contact_view(actor: str, page: str, shown: int, *, memo: MutableMapping[str, Any],
                 now: float | None = None) -> bool:
    """Record that `actor` saw contact details of `shown` volunteers on `page`; True when written.

    `memo` is the caller's per-session store (`st.session_state`), which keeps
    the time of the last entry per page.
    """
    if shown <= 0:
        return False
    now = time.time() if now is None else now
    key = f"_contact_view:{page}"
    last = memo.get(key)
    if isinstance(last, int | float) and now - last < CONTACT_VIEW_EVERY:
        return False
    record(actor, CONTACT_VIEW, page, f"contact details of {shown} volunteers shown")
    memo[key] = now
    return True


def recent(limit: int = 200) -> list[AuditEntry]:
    """Newest first."""
    with session(readonly=True) as db:
        return audit.recent(db, limit=limit)
