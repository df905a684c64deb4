"""The center's settings: one row, `CenterSettings()` defaults until first saved.

Saves are optimistically locked like volunteers: pass the version from
`load_for_edit` as `expected_version`, and a save made after someone
else's raises `StaleSettings` naming what they changed, writing nothing.
"""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.core.domain import CenterSettings
from planner.core.errors import SettingsError, StaleSettings
from planner.store import audit
from planner.store.models import CenterSettingsRow


def _settings(row: CenterSettingsRow) -> CenterSettings:
    values = {f.name: getattr(row, f.name) for f in fields(CenterSettings)}
    values["open_weekdays"] = tuple(int(d) for d in row.open_weekdays.split(",") if d)
    return CenterSettings(**values)


def load_settings(db: Session) -> CenterSettings:
    row = db.get(CenterSettingsRow, 1)
    return CenterSettings() if row is None else _settings(row)


def load_for_edit(db: Session) -> tuple[CenterSettings, int]:
    """The settings and the `row_version` to save them with (0 while the defaults apply), from one row."""
    row = db.get(CenterSettingsRow, 1)
    return (CenterSettings(), 0) if row is None else (_settings(row), row.row_version)


def _stale(current: CenterSettings, version: int, expected: int, yours: CenterSettings) -> StaleSettings:
    changes = [f"{f.name} {getattr(current, f.name)!r} (yours: {getattr(yours, f.name)!r})"
               for f in fields(CenterSettings) if getattr(current, f.name) != getattr(yours, f.name)]
    return StaleSettings("center settings", expected, version, changes, current, yours)


def save_settings(db: Session, settings: CenterSettings, actor: str | None = None, *,
                  expected_version: int | None = None) -> None:
    """Store the settings; with `expected_version`, refuse when someone saved since it was read."""
    problems = settings.problems()
    if problems:
        raise SettingsError(problems)
    values = asdict(settings)
    values["open_weekdays"] = ",".join(str(d) for d in sorted(set(settings.open_weekdays)))
    row = db.get(CenterSettingsRow, 1, with_for_update=True)
    if row is None:
        if expected_version not in (None, 0):
            raise _stale(CenterSettings(), 0, expected_version, settings)
        try:
            with db.begin_nested():  # two first saves at once: the later one is stale, not an error page
                db.add(CenterSettingsRow(id=1, **values))
        except IntegrityError:
            row = db.get(CenterSettingsRow, 1, with_for_update=True, populate_existing=True)
            assert row is not None
            raise _stale(_settings(row), row.row_version, 0, settings) from None
    else:
        if expected_version is not None and row.row_version != expected_version:
            raise _stale(_settings(row), row.row_version, expected_version, settings)
        for key, value in values.items():
            setattr(row, key, value)
    audit.record(db, actor, "settings saved", "center")
