"""The center's settings: one row, `CenterSettings()` defaults until first saved."""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlalchemy.orm import Session

from planner.domain import CenterSettings
from planner.store import audit
from planner.store.models import CenterSettingsRow


class SettingsError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def load_settings(db: Session) -> CenterSettings:
    row = db.get(CenterSettingsRow, 1)
    if row is None:
        return CenterSettings()
    values = {f.name: getattr(row, f.name) for f in fields(CenterSettings)}
    values["open_weekdays"] = tuple(int(d) for d in row.open_weekdays.split(",") if d)
    return CenterSettings(**values)


def save_settings(db: Session, settings: CenterSettings, actor: str | None = None) -> None:
    problems = settings.problems()
    if problems:
        raise SettingsError(problems)
    values = asdict(settings)
    values["open_weekdays"] = ",".join(str(d) for d in sorted(set(settings.open_weekdays)))
    row = db.get(CenterSettingsRow, 1)
    if row is None:
        db.add(CenterSettingsRow(id=1, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    audit.record(db, actor, "settings saved", "center")
