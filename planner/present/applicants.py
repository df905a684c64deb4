"""What the public sign-up page and the coordinator's applicants page say: pure, no Streamlit, no SQL.

Texts are plain; pages escape them (`ui.flash`, `md_escape`) or show them in tables.
Leadership's sentence (`pipeline_sentence`) takes counts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

import pandas as pd

from planner.core.applicants import BEFORE_ROSTER, STAGES, Applicant, Entry, stage_label
from planner.core.labels import plural

THANKS = ("Thank you for offering your time! The coordinator will contact you within a few days. If you gave "
          "an email address, a confirmation is on its way.")
NOT_ASKED = ("We only ask what we need to reach you and plan shifts. We never ask about survivor status, "
             "your history or your health, and you do not need to tell us.")
OFFER_LABELS = {"shifts": "Volunteer on four-hour shifts", "dinner": "Provide dinner",
                "both": "Both: shifts and dinner"}
OUTCOME_WORDS = {"declined": "declined", "stale": "not followed up", "trained": "trained",
                 "left": "left the roster"}


def duration(span: timedelta) -> str:
    """`3 days`, `5 hours`, `less than an hour`."""
    if span >= timedelta(days=1):
        return plural(span.days, "day")
    hours = int(span.total_seconds() // 3600)
    return plural(hours, "hour") if hours else "less than an hour"


def offers(does_shifts: bool, does_meals: bool) -> str:
    return "Shifts and dinner" if does_shifts and does_meals else "Shifts" if does_shifts else "Dinner"


def status(applicant: Applicant) -> str:
    """`Contacted`, or `Declined (was: New)`."""
    if applicant.declined_at is not None:
        return f"Declined (was: {stage_label(applicant.stage)})"
    return stage_label(applicant.stage)


def stage_times(applicant: Applicant, now: datetime) -> str:
    """`New 2 days, Contacted 5 days` (the current stage until now)."""
    return ", ".join(f"{stage_label(s)} {duration(t)}" for s, t in applicant.stage_times(now))


def next_label(applicant: Applicant) -> str | None:
    """The one-click button's words, or None when there is no next stage."""
    target = applicant.next_stage
    if target is None:
        return None
    if target == "cleared":
        return "Cleared: add to the roster and invite"
    if target == "trained":
        return "Mark trained"
    return f"Move to {stage_label(target)}"


PIPELINE_COLUMNS = ["Name", "Email", "Phone", "Offers", "Can come", "Stage", "In this stage",
                    "Time per stage", "Shadow shifts"]


def pipeline_table(entries: Iterable[Entry], now: datetime) -> pd.DataFrame:
    """One row per applicant, with contacts: coordinators only."""
    out = []
    for e in entries:
        out.append({"Name": e.name, "Email": e.email or "", "Phone": e.phone or "",
                    "Offers": offers(e.does_shifts, e.does_meals),
                    "Can come": "; ".join(str(w) for w in e.availability), "Stage": status(e.applicant),
                    "In this stage": duration(now - e.applicant.since),
                    "Time per stage": stage_times(e.applicant, now),
                    "Shadow shifts": "" if e.shadow_shifts is None else str(e.shadow_shifts)})
    return pd.DataFrame(out, columns=PIPELINE_COLUMNS)


def ready_sentence(name: str, shadows: int, needed: int) -> str:
    return (f"{name} has worked {plural(shadows, 'shift')} beside trained volunteers (the center asks for "
            f"{needed}). Mark them trained?")


def stage_summary(applicants: Sequence[Applicant]) -> str:
    """`5 applicants: 2 New, 1 Contacted, 2 Cleared; 1 declined`."""
    active = [a for a in applicants if a.declined_at is None]
    if not applicants:
        return "No applicants yet."
    parts = [f"{sum(a.stage == s for a in active)} {stage_label(s)}" for s in STAGES
             if any(a.stage == s for a in active)]
    declined = len(applicants) - len(active)
    text = f"{plural(len(active), 'applicant')}" + (": " + ", ".join(parts) if parts else "")
    return text + (f"; {declined} declined" if declined else "")


def tally_sentence(tallies: Mapping[tuple[str, str], int]) -> str | None:
    """`Erased so far, counts only: 3 declined, 2 not followed up, 1 trained.`; None when nothing was."""
    totals: dict[str, int] = {}
    for (outcome, _stage), count in tallies.items():
        totals[outcome] = totals.get(outcome, 0) + count
    if not totals:
        return None
    parts = [f"{totals[o]} {word}" for o, word in OUTCOME_WORDS.items() if totals.get(o)]
    return "Erased from the pipeline so far (counts only): " + ", ".join(parts) + "."


def can_decline(applicant: Applicant) -> bool:
    return applicant.declined_at is None and applicant.stage in BEFORE_ROSTER


# ---------------------------------------------------------------- leadership: counts only


def pipeline_sentence(label: str, counts: Mapping[str, int]) -> str:
    """`The pipeline has 5 applicants free on Thursdays: 3 cleared, 1 shadowing, 1 new.`"""
    total = sum(counts.values())
    if not total:
        return f"The pipeline has no applicants free on {label}s."
    parts = [f"{counts[s]} {stage_label(s).lower()}" for s in reversed(STAGES) if counts.get(s)]
    return f"The pipeline has {plural(total, 'applicant')} free on {label}s: {', '.join(parts)}."


ON_ROSTER_NOTE = ("Cleared and shadowing applicants are on the roster already (untrained), so the numbers "
                  "above count them; the others count only when you ask with the applicants counted in.")
COUNTED_IN_NOTE = ("Applicants counted in: every applicant not on the roster yet is counted as an untrained "
                   "volunteer with a cleared check and the times they gave, as if they had all joined.")
