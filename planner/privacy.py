"""Privacy helpers the pages call (issue 6). No Streamlit here.

- `contact_view`: a coordinator page that shows emails or phones records it in
  the audit log, at most once per page per session every few minutes (a
  Streamlit page reruns on every click; one entry per click would bury the log).
- `first_name`: what a volunteer may see of a teammate, when the center allows it.
- `read_upload`: uploads are refused above a small size in code as well as by
  `server.maxUploadSize`, which a deployment may change.
- `audit_table`: the audit log as the coordinators' page shows it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import Any, Protocol

import pandas as pd

from planner.store import audit, db
from planner.store.audit import AuditEntry

CONTACT_VIEW = "contact view"
CONTACT_VIEW_EVERY = 10 * 60  # seconds between two entries for the same page in one session
MAX_UPLOAD_BYTES = 1_000_000
FIRST_NAME_MAX = 30

# What the audit page filters by; an action not listed here shows under "Other".
AUDIT_KINDS: dict[str, tuple[str, ...]] = {
    "Sign-ins": ("sign-in", "sign-in failed", "sign-in refused", "locked out", "password changed",
                 "user created", "sign-out"),
    "Edits": ("volunteer added", "volunteer edited", "availability edited", "preferences edited",
              "time off added", "availability added", "exception removed", "settings saved", "pin added",
              "pin removed", "draft saved", "draft discarded", "roster imported", "cancellation",
              "gap resolved", "volunteer erased"),
    "Publishes": ("plan published",),
    "Exports": ("roster exported", "schedule exported", "audit exported", "calendar exported"),
    "Contact views": (CONTACT_VIEW,),
}
AUDIT_COLUMNS = ["When (UTC)", "Who", "Kind", "Action", "Target", "Detail"]


def contact_view(actor: str, page: str, shown: int, *, memo: MutableMapping[str, Any],
                 now: float | None = None, url: str | None = None) -> bool:
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
    with db.session(url) as s:
        audit.record(s, actor, CONTACT_VIEW, page, f"contact details of {shown} volunteers shown")
    memo[key] = now
    return True


def first_name(display_name: str) -> str:
    """The first word of a display name: all a teammate may see (never surname, email or phone)."""
    words = display_name.split()
    return words[0][:FIRST_NAME_MAX] if words else ""


def teammates(assignments: Iterable[Any], slot_id: str, me: str, names: Mapping[str, str]) -> list[str]:
    """First names of the others on `slot_id`, sorted; people without a known name are left out."""
    found = {first_name(names[a.volunteer]) for a in assignments
             if a.slot == slot_id and a.volunteer != me and a.volunteer in names}
    return sorted((n for n in found if n), key=str.casefold)


class UploadTooLarge(ValueError):
    """An upload over the limit, with a message fit to show."""


class _Upload(Protocol):
    size: int

    def getvalue(self) -> bytes: ...


def read_upload(upload: _Upload, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The uploaded bytes, or UploadTooLarge; the declared size is checked before the bytes."""
    if upload.size > limit:
        raise UploadTooLarge(f"The file is {upload.size // 1000} kB; the limit is {limit // 1000} kB.")
    data = upload.getvalue()
    if len(data) > limit:
        raise UploadTooLarge(f"The file is {len(data) // 1000} kB; the limit is {limit // 1000} kB.")
    return data


def audit_kind(action: str) -> str:
    return next((kind for kind, actions in AUDIT_KINDS.items() if action in actions), "Other")


def audit_table(entries: Sequence[AuditEntry]) -> pd.DataFrame:
    """Newest first, as stored; plain text cells for `st.dataframe` (never Markdown)."""
    rows = [{"When (UTC)": e.at.strftime("%Y-%m-%d %H:%M:%S"), "Who": e.actor or "",
             "Kind": audit_kind(e.action), "Action": e.action, "Target": e.target, "Detail": e.detail}
            for e in entries]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)
