"""The center's settings: open days, hours, staffing, what volunteers may see."""

from __future__ import annotations

from planner.core.domain import CenterSettings
from planner.store import settings as stored
from planner.store.db import session


def load() -> CenterSettings:
    with session(readonly=True) as db:
        return stored.load_settings(db)


def load_for_edit() -> tuple[CenterSettings, int]:
    with session(readonly=True) as db:
        return stored.load_for_edit(db)


def save(settings: CenterSettings, actor: str | None, expected_version: int | None) -> None:
    """Raises SettingsError for settings that cannot make a week, StaleSettings over a newer save."""
    with session() as db:
        stored.save_settings(db, settings, actor=actor, expected_version=expected_version)
