"""Reports: what happened on past shifts (hours, coverage, no-shows), and the no-show rate measured."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planner.core.clock import center_now
from planner.core.history import History, no_show_rate, tracked
from planner.store import history
from planner.store.db import Session, session, unit
from planner.store.settings import load_settings

HISTORY_DAYS = 365


def load_history(first_day: date, last_day: date) -> History:
    with session(readonly=True) as db:
        return history.load_history(db, first_day, last_day)


@dataclass(frozen=True)
class NoShows:
    """The no-show rate measured at check-in, and what it is measured over."""

    rate: float | None  # None: no check-in history yet
    shifts: int
    since: date | None


def measured_no_show(days: int = HISTORY_DAYS, *, db: Session | None = None) -> NoShows:
    """The no-show rate of the last `days` days."""
    with unit(db, readonly=True) as s:
        today = center_now(load_settings(s).timezone).date()
        past = history.load_history(s, today - timedelta(days=days), today)
    return NoShows(no_show_rate(past), *tracked(past))
