"""The audit log as the coordinators' page shows it: people by name, times in the center's zone.

The log itself keeps ids (`volunteer 42`, `v39`), so it outlives an erasure;
here they become names, and an erased person stays anonymous.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from planner.core.clock import to_local
from planner.core.domain import volunteer_key
from planner.core.labels import day_label
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
    "Email and calendars": ("email sent", "outbox retry", "calendar feed reset", "calendar feed revoked"),
    "Offers and texts": ("offer sent", "offer filled", "offer expired", "offer withdrawn", "place claimed",
                         "standby joined", "standby left", "texts turned on", "texts turned off",
                         "texts stopped", "texts sent"),
}
AUDIT_COLUMNS = ["When", "Who", "Kind", "Action", "Target", "Detail"]
_PERSON = re.compile(r"\bvolunteer (\d+)\b|\bv(\d{2,})\b")
_SLOT = re.compile(r"\b(\d{4}-\d{2}-\d{2})-([a-z0-9]+)\b")
_PARTS = {"am": "morning", "pm": "afternoon", "dinner": "dinner"}


def audit_kind(action: str) -> str:
    return next((kind for kind, actions in AUDIT_KINDS.items() if action in actions), "Other")


def with_names(text: str, names: Mapping[str, str]) -> str:
    """Ids as people read them: `v39`, `volunteer 42` -> names (someone erased stays anonymous), and a
    slot id `2026-12-04-am` -> `Fri 4 Dec morning`."""
    def name(match: re.Match[str]) -> str:
        key = volunteer_key(int(match.group(1) or match.group(2)))
        return names.get(key, "an erased volunteer")

    def slot(match: re.Match[str]) -> str:
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            return match.group(0)
        return f"{day_label(day)} {_PARTS.get(match.group(2), match.group(2))}"

    return _SLOT.sub(slot, _PERSON.sub(name, text))


def audit_table(entries: Sequence[AuditEntry], names: Mapping[str, str], timezone: str) -> pd.DataFrame:
    """Newest first, as stored; plain text cells for `st.dataframe` (never Markdown)."""
    rows = [{"When": f"{to_local(e.at, timezone):%Y-%m-%d %H:%M:%S}", "Who": e.actor or "",
             "Kind": audit_kind(e.action), "Action": e.action, "Target": with_names(e.target, names),
             "Detail": with_names(e.detail, names)} for e in entries]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)
