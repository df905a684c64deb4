"""The audit log as the coordinators' page shows it: plain text cells, filterable by kind."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from planner.store.audit import CONTACT_VIEW, AuditEntry

# What the audit page filters by; an action not listed here shows under "Other".
AUDIT_KINDS: dict[str, tuple[str, ...]] = {
    "Sign-ins": ("sign-in", "sign-in failed", "sign-in refused", "locked out", "password changed",
                 "user created", "sign-out", "session ended", "sign-in link sent"),
    "Invitations": ("invitation sent", "joined"),
    "Edits": ("volunteer added", "volunteer edited", "availability edited", "preferences edited",
              "time off added", "availability added", "exception removed", "settings saved", "pin added",
              "pin removed", "draft saved", "draft discarded", "roster imported", "cancellation",
              "gap resolved", "volunteer erased"),
    "Publishes": ("plan published",),
    "Exports": ("roster exported", "schedule exported", "audit exported", "calendar exported"),
    "Contact views": (CONTACT_VIEW,),
}
AUDIT_COLUMNS = ["When (UTC)", "Who", "Kind", "Action", "Target", "Detail"]


def audit_kind(action: str) -> str:
    return next((kind for kind, actions in AUDIT_KINDS.items() if action in actions), "Other")


def audit_table(entries: Sequence[AuditEntry]) -> pd.DataFrame:
    """Newest first, as stored; plain text cells for `st.dataframe` (never Markdown)."""
    rows = [{"When (UTC)": e.at.strftime("%Y-%m-%d %H:%M:%S"), "Who": e.actor or "",
             "Kind": audit_kind(e.action), "Action": e.action, "Target": e.target, "Detail": e.detail}
            for e in entries]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)
