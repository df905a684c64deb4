"""Schema migrations (Alembic), each upgrade backed up first when the database holds data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from planner.core.errors import DatabaseBusy
from planner.store import backup
from planner.store.db import ROOT, database_url, is_locked, read_connection


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = database_url(url)
    return config


def pending_upgrade(url: str | None = None, revision: str = "head") -> str | None:
    """The revision an upgrade to `revision` would reach, or None when it would run nothing."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))
    with read_connection(url) as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    wanted = {r.revision for r in script.get_revisions(revision) if r is not None}
    reached = {r.revision for head in current for r in script.iterate_revisions(head, "base")}
    return None if wanted <= reached else ",".join(sorted(wanted))


def migrate(url: str | None = None, revision: str = "head") -> Path | None:
    """Upgrade the database to `revision`; returns the backup taken first when it held data.

    The backup is a SQLite copy beside the database file, or a JSON dump in
    `data/backups/` for PostgreSQL (see `planner.store.backup.default_path`),
    so a failed or regretted upgrade can be undone with `restore`.
    """
    from alembic import command

    target = pending_upgrade(url, revision)
    if target is None:
        return None
    taken = backup.backup(url, reason=f"before-{target}") if backup.has_data(url) else None
    try:
        command.upgrade(alembic_config(url), revision)
    except OperationalError as err:
        if is_locked(err):
            raise DatabaseBusy() from None
        raise
    return taken


def downgrade(url: str | None = None, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
