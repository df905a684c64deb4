"""Running the database: create or upgrade it (the demo center in demo mode), back it up, restore it."""

from __future__ import annotations

import os
from pathlib import Path

from planner.core.errors import BackupError
from planner.services import demo
from planner.store import backup as backups
from planner.store import db, migrate


def init_db() -> tuple[str, bool]:
    """Migrate to the newest schema; (the URL without its password, whether the demo was seeded)."""
    migrate.migrate()
    with db.session() as s:
        seeded = demo.seed_if_demo(s)
    return db.shown_url(), seeded


def upgrade() -> None:
    migrate.migrate()


def start_up() -> None:
    """What a server process does first: migrate the database; in demo mode (`PLANNER_DEMO=1`) seed it."""
    init_db() if os.environ.get("PLANNER_DEMO") == "1" else upgrade()


def backup(target: Path | None = None) -> Path:
    return backups.backup(target=target)


def restore(path: Path) -> tuple[dict[str, int], Path | None]:
    """Replace all data with a backup: (rows restored per table, the backup of the data it replaced).

    Into an empty database at the backup's schema revision, or one already at
    that revision; the database is brought to the newest schema afterwards.
    """
    data = backups.read_backup(path)
    revision = backups.current_revision()
    if revision is None and data.get("revision"):
        migrate.migrate(revision=data["revision"])
    elif revision != data.get("revision"):
        raise BackupError(f"{path}: the backup is of schema revision {data.get('revision')}, the database is "
                          f"at {revision}; restore it into a new, empty database (DATABASE_URL) instead")
    saved = backups.backup(reason="before-restore") if backups.has_data() else None
    counts = backups.restore(None, data)
    migrate.migrate()
    return counts, saved
