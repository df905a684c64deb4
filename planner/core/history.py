"""What happened on past slots: attendance, cancellations, and the outcomes counted from them.

Pure: the store reads a `History`, reports and the no-show buffer count from it.
Every time in a `History` is center-local.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from planner.core.problem import Assignment, Slot


@dataclass(frozen=True)
class Attendance:
    slot: str
    volunteer: str  # volunteer key, `v07`
    day: date
    checked_in_at: datetime | None = None
    checked_out_at: datetime | None = None
    no_show: bool = False
    corrected_by: str | None = None
    corrected_at: datetime | None = None
    trained_by: str | None = None  # volunteer key of who trained this trainee on the slot (the kiosk asks)

    @property
    def state(self) -> str:
        """`new` (not yet here), `in`, `out` or `no-show`."""
        if self.no_show:
            return "no-show"
        if self.checked_out_at is not None:
            return "out"
        return "in" if self.checked_in_at is not None else "new"


@dataclass(frozen=True)
class Cancellation:
    slot: str
    volunteer: str
    at: datetime  # center-local


@dataclass(frozen=True)
class History:
    """Past slots and what happened on them."""

    slots: Sequence[Slot]
    planned: Sequence[Assignment]
    attendance: Sequence[Attendance] = ()
    cancellations: Sequence[Cancellation] = ()
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    slot: Slot
    volunteer: str
    state: str  # attended, no-show, untracked
    hours: float


def outcomes(history: History) -> list[Outcome]:
    """One per planned shift. On a tracked day (someone checked in or was marked a no-show) a planned
    person without a check-in is a no-show; untracked days count for neither."""
    slots = {s.id: s for s in history.slots}
    seen = {(a.slot, a.volunteer): a for a in history.attendance}
    tracked = {a.day for a in history.attendance if a.checked_in_at is not None or a.no_show}
    out = []
    for a in history.planned:
        slot = slots.get(a.slot)
        if slot is None:
            continue
        row = seen.get((a.slot, a.volunteer))
        if row is not None and row.checked_in_at is not None:
            end = row.checked_out_at or max(slot.end, row.checked_in_at)
            worked = (end - row.checked_in_at).total_seconds() / 3600
            out.append(Outcome(slot, a.volunteer, "attended", worked))
        elif (row is not None and row.no_show) or slot.day in tracked:
            out.append(Outcome(slot, a.volunteer, "no-show", 0.0))
        else:
            out.append(Outcome(slot, a.volunteer, "untracked", 0.0))
    return out


def no_show_rate(history: History) -> float | None:
    """No-shows / (attended + no-shows) on tracked days, as a fraction; None without tracked shifts."""
    done = [o for o in outcomes(history) if o.state != "untracked"]
    return sum(o.state == "no-show" for o in done) / len(done) if done else None


def tracked(history: History) -> tuple[int, date | None]:
    """How many planned shifts the no-show rate is measured over, and the first day of them."""
    days = [o.slot.day for o in outcomes(history) if o.state != "untracked"]
    return len(days), min(days, default=None)


def weekday_no_show_rates(history: History) -> dict[int, float]:
    """No-show rate (a fraction) per weekday (0 = Monday) with tracked shifts, counted as `no_show_rate`."""
    out = {}
    for weekday in sorted({s.day.weekday() for s in history.slots}):
        rate = no_show_rate(replace(history, slots=tuple(s for s in history.slots
                                                         if s.day.weekday() == weekday)))
        if rate is not None:
            out[weekday] = rate
    return out
