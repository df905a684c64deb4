"""What the offers show: the coordinators' table of offers and their recipients, the short-slot banner,
and the volunteer's sentences. Pure (no Streamlit, no SQL).

Volunteers' sentences never name another volunteer; the coordinators' table does (they chose whom to ask).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from planner.core.clock import to_local
from planner.core.labels import plural

STATE_WORDS = {"waiting": "waiting (standby first)", "sent": "sent", "opened": "opened",
               "accepted": "accepted", "filled": "filled by another", "expired": "expired"}
OFFER_WORDS = {"open": "open", "filled": "filled", "expired": "expired", "withdrawn": "withdrawn"}
OFFER_COLUMNS = ["Slot", "Offer", "Volunteer", "By", "State", "Sent", "Opened", "Accepted", "Expired"]
GIVEN_AWAY_WORDS = {"picked up": "picked up by another volunteer. Thank you!",
                    "offered": "offered to other volunteers; not picked up yet",
                    "with the coordinator": "the coordinator is finding someone"}


def _local(moment: datetime | None, timezone: str) -> str:
    local = to_local(moment, timezone)
    return "" if local is None else f"{local:%a %d %b %H:%M}"


def offer_line(offer: Any, slot_title: str, timezone: str) -> str:
    """`Fri 18 Dec, Morning 09:00-13:00: 1 place, open until Fri 18 Dec 09:00; 4 sent, 1 opened.`"""
    counts: dict[str, int] = {}
    for r in offer.recipients:
        counts[r.state] = counts.get(r.state, 0) + 1
    state = (f"open until {_local(offer.expires_at, timezone)}" if offer.state == "open"
             else f"{OFFER_WORDS.get(offer.state, offer.state)} {_local(offer.closed_at, timezone)}".strip())
    seen = ", ".join(f"{n} {STATE_WORDS.get(s, s)}" for s, n in counts.items())
    taken = f", {offer.taken} taken" if offer.taken else ""
    how = " (automatic)" if offer.auto else ""
    return f"{slot_title}: {plural(offer.places, 'place')}{taken}{how}, {state}; {seen}."


def offers_table(offers: Iterable[Any], titles: Mapping[str, str], names: Mapping[str, str],
                 timezone: str) -> pd.DataFrame:
    """One row per volunteer an offer went to, with its state and when it was sent, opened, accepted or
    expired (coordinators only). `titles` names each slot id."""
    rows = []
    for offer in offers:
        for r in offer.recipients:
            by = ("text" if r.channel == "sms" else "email") + (", standby" if r.standby else "")
            rows.append({"Slot": titles.get(offer.slot, offer.slot),
                         "Offer": OFFER_WORDS.get(offer.state, offer.state),
                         "Volunteer": names.get(r.volunteer, "an erased volunteer"), "By": by,
                         "State": STATE_WORDS.get(r.state, r.state), "Sent": _local(r.sent_at, timezone),
                         "Opened": _local(r.opened_at, timezone), "Accepted": _local(r.accepted_at, timezone),
                         "Expired": _local(r.expired_at, timezone)})
    return pd.DataFrame(rows, columns=OFFER_COLUMNS)


def offered_sentence(offered: Sequence[str], unreachable: Sequence[str], waiting: str | None) -> str:
    """What the coordinator is told after offering a place."""
    if not offered:
        text = "Nobody else can take this place without breaking a rule, so it was not offered."
        if unreachable:
            text = (f"Nobody could be sent the offer: {', '.join(unreachable)} could take it but have no "
                    "email and no texts. Call them.")
        return text
    text = f"Offered to {plural(len(offered), 'volunteer')}: {', '.join(offered)}."
    if unreachable:
        text += f" {', '.join(unreachable)} could take it too but have no email and no texts: call them."
    if waiting:
        text += f" {waiting}"
    return text


def banner(shorts: Sequence[Any], hours: int) -> str | None:
    """The coordinators' banner: slots still short that start within `hours`; None when there are none."""
    if not shorts:
        return None
    parts = [f"{s.title} ({s.missing} missing, {'offered' if s.offer is not None else 'not offered'})"
             for s in shorts]
    return (f"{plural(len(shorts), 'slot is', 'slots are')} still short and start within {hours} hours: "
            + "; ".join(parts) + ". The Gaps page offers them.")


def passed_sentence(title: str, offered: int, late: bool, cutoff_hours: int) -> str:
    """What a volunteer is told after "I can't make it"."""
    text = f"Thank you for telling us. You are off {title}"
    if late:
        return (f"{text}. It is less than {plural(cutoff_hours, 'hour')} away, so the coordinator will find "
                "someone else.")
    if offered:
        return (f"{text}. It was offered to other volunteers at once; \"Shifts you gave away\" below says "
                "when someone picks it up.")
    return f"{text}. Nobody else can take it right away, so the coordinator will find someone else."


def given_away_line(item: Any) -> str:
    return f"{item.title}: {GIVEN_AWAY_WORDS.get(item.state, item.state)}"
