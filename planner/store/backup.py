"""Full backups and restores, for SQLite and PostgreSQL alike, each carrying a SHA-256 of its content.

A JSON dump holds every table's rows plus the schema revision, so a backup
taken from SQLite restores into PostgreSQL and back. SQLite databases can also
be copied with SQLite's online backup API, which is safe while the app is
writing; such a copy restores like a dump. `restore` replaces every row in one
transaction: if anything fails, the database keeps exactly what it had.

Every backup carries `checksum(dump)`: the SHA-256 of the dump's canonical
JSON (keys sorted, no spaces, UTF-8, the `sha256` field left out). A JSON
dump holds it as its `sha256` field; a SQLite copy in a one-row table
`planner_backup` (format, sha256) written into the copy, which travels with
the file. `read_backup` recomputes it and refuses a file whose content does
not match (one byte edited in a text value), a damaged SQLite copy (half a
file, a timestamp no longer a time) or a file without a checksum, so a
restore never starts from a file it cannot vouch for.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from planner.core import jsontext
from planner.core.errors import BackupError
from planner.core.files import write_output
from planner.store.db import ROOT, database_url, read_connection, write_connection

FORMAT = "volunteer-planner-backup/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
CHECKSUM_TABLE = "planner_backup"  # in a SQLite copy only: (format, sha256) of the copy's content
_NOT_DATA = ("alembic_version", CHECKSUM_TABLE)


def _encode(value: Any) -> Any:
    """JSON has no dates; ISO text is read back by the target column's type."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _decode(value: Any, python_type: type | None) -> Any:
    if value is None or python_type is None or not isinstance(value, str):
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is time:
        return time.fromisoformat(value)
    return value


def _python_type(column: Any) -> type | None:
    try:
        return column.type.python_type  # type: ignore[no-any-return]
    except NotImplementedError:
        return None


def _reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata


def _revision(connection: Connection) -> str | None:
    from alembic.migration import MigrationContext

    heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def _dump_connection(connection: Connection) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table in _reflect(connection).sorted_tables:
        if table.name in _NOT_DATA:
            continue
        key = list(table.primary_key.columns) or list(table.columns)
        rows = connection.execute(select(table).order_by(*key)).all()
        tables[table.name] = {"columns": [c.name for c in table.columns],
                              "rows": [[_encode(v) for v in row] for row in rows]}
    return {"format": FORMAT, "dialect": connection.dialect.name, "revision": _revision(connection),
            "tables": tables}


def checksum(data: dict[str, Any]) -> str:
    """SHA-256 of a dump's canonical JSON, without its own `sha256` field."""
    body = {k: v for k, v in data.items() if k != "sha256"}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump(url: str | None = None) -> dict[str, Any]:
    """Every table's rows (by primary key) and the schema revision, as JSON-ready data."""
    with read_connection(url) as connection:
        return _dump_connection(connection)


def has_data(url: str | None = None) -> bool:
    """True when any table but Alembic's holds a row (an upgrade then deserves a backup)."""
    with read_connection(url) as connection:
        for table in _reflect(connection).sorted_tables:
            if table.name != "alembic_version" and connection.execute(
                    select(func.count()).select_from(table)).scalar():
                return True
    return False


def write_json(data: dict[str, Any], path: Path) -> Path:
    """With its checksum; written whole or not at all (`write_output`), so never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_output(path, json.dumps({**data, "sha256": checksum(data)}, ensure_ascii=False,
                                  separators=(",", ":")))
    return path


def sqlite_path(url: str | None = None) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def sqlite_copy(url: str | None, target: Path) -> Path:
    """A consistent copy of a live SQLite database through SQLite's online backup API."""
    source_path = sqlite_path(url)
    if source_path is None:
        raise BackupError("backup: the online backup API needs a SQLite database file")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    engine = create_engine("sqlite://", poolclass=StaticPool)  # one in-memory database, the copy
    try:
        with engine.connect() as connection:
            copy = connection.connection.driver_connection
            assert isinstance(copy, sqlite3.Connection)
            source.backup(copy)
            connection.execute(text(f"CREATE TABLE {CHECKSUM_TABLE} (format TEXT NOT NULL, "
                                    "sha256 TEXT NOT NULL)"))
            connection.execute(text(f"INSERT INTO {CHECKSUM_TABLE} VALUES (:format, :sha256)"),
                               {"format": FORMAT, "sha256": checksum(_dump_connection(connection))})
            connection.commit()
            data = copy.serialize()
    finally:
        engine.dispose()
        source.close()
    write_output(target, data)
    return target


def default_path(url: str | None = None, reason: str = "backup", when: datetime | None = None) -> Path:
    """Beside a SQLite file (`planner.<stamp>.<reason>.sqlite3`), else a JSON file in `data/backups/`.

    `PLANNER_BACKUP_DIR` overrides the folder for both.
    """
    stamp = (when or datetime.now()).strftime("%Y%m%dT%H%M%S%f")
    folder = os.environ.get("PLANNER_BACKUP_DIR")
    source = sqlite_path(url)
    if source is not None:
        return Path(folder or source.parent) / f"{source.stem}.{stamp}.{reason}.sqlite3"
    name = make_url(database_url(url)).database or "planner"
    return Path(folder or ROOT / "data" / "backups") / f"{name}.{stamp}.{reason}.json"


def backup(url: str | None = None, target: Path | None = None, reason: str = "backup") -> Path:
    """Write a full backup: a SQLite copy when `target` ends in .sqlite3/.db, else a JSON dump."""
    target = target or default_path(url, reason)
    if target.suffix in (".sqlite3", ".db", ".sqlite"):
        return sqlite_copy(url, target)
    return write_json(dump(url), target)


def _read_sqlite_copy(path: Path) -> tuple[dict[str, Any], str | None]:
    """(the copy's content as a dump, the checksum stored in it); BackupError when it cannot be read."""
    engine: Engine = create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true")
    try:
        with engine.connect() as connection:
            problems = [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]
            if problems != ["ok"]:
                raise BackupError(f"{path}: a damaged SQLite copy ({problems[0]}); nothing was restored")
            stored = None
            if CHECKSUM_TABLE in _reflect(connection).tables:
                stored = connection.execute(text(f"SELECT sha256 FROM {CHECKSUM_TABLE} "
                                                 "WHERE format = :format"), {"format": FORMAT}).scalar()
            return _dump_connection(connection), stored
    except (SQLAlchemyError, ValueError, TypeError) as err:  # half a file; a time that no longer parses
        reason = getattr(err, "orig", None) or err
        raise BackupError(f"{path}: a damaged SQLite copy ({reason}); nothing was restored") from None
    finally:
        engine.dispose()


def read_backup(path: Path) -> dict[str, Any]:
    """A backup file as dump data, its checksum verified: JSON as written by `backup`, or a SQLite copy."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as err:
        raise BackupError(f"{path}: {err.strerror}") from None
    if head == SQLITE_MAGIC:
        data, stored = _read_sqlite_copy(path)
    else:
        try:
            data = jsontext.loads(path.read_text(encoding="utf-8"), str(path), root="backup")
        except UnicodeDecodeError as err:
            raise BackupError(f"{path}: not a planner backup ({err})") from None
        except jsontext.JsonRefused as err:
            raise BackupError([f"{path}: not a planner backup", *err.messages]) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tables"),
                                                                                         dict):
            raise BackupError(f"{path}: not a planner backup (format {FORMAT} expected)")
        stored = data.pop("sha256", None)
    if stored is None:
        raise BackupError(f"{path}: has no SHA-256 of its content (made before backups carried one, or "
                          "edited), so it cannot be verified; nothing was restored")
    if stored != checksum(data):
        raise BackupError(f"{path}: damaged or edited since it was written (its content does not match its "
                          "SHA-256); nothing was restored")
    return data


def current_revision(url: str | None = None) -> str | None:
    with read_connection(url) as connection:
        return _revision(connection)


def restore(url: str | None, data: dict[str, Any]) -> dict[str, int]:
    """Replace every row with the backup's, in one transaction; rows restored per table.

    The database must be at the backup's schema revision (the CLI prepares an
    empty database for that); a mismatch or a bad row raises BackupError and
    changes nothing.
    """
    with write_connection(url) as connection:
        revision = _revision(connection)
        if revision != data.get("revision"):
            raise BackupError(f"restore: the backup is of schema revision {data.get('revision')}, "
                              f"the database is at {revision}")
        metadata = _reflect(connection)
        tables = [t for t in metadata.sorted_tables if t.name not in _NOT_DATA]
        unknown = sorted(set(data["tables"]) - {t.name for t in tables})
        if unknown:
            raise BackupError(f"restore: the database has no table {', '.join(unknown)}")
        for table in reversed(tables):
            connection.execute(table.delete())
        counts: dict[str, int] = {}
        for table in tables:
            part = data["tables"].get(table.name, {"columns": [], "rows": []})
            columns = [table.columns.get(name) for name in part["columns"]]
            missing = [n for n, c in zip(part["columns"], columns, strict=True) if c is None]
            if missing:
                raise BackupError(f"restore: table {table.name} has no column {', '.join(missing)}")
            types = [_python_type(c) for c in columns]
            try:
                rows = [{name: _decode(value, kind) for name, value, kind in zip(part["columns"], row, types,
                                                                                  strict=True)}
                        for row in part["rows"]]
            except (ValueError, TypeError) as err:
                raise BackupError(f"restore: table {table.name}: {err}") from None
            if rows:
                try:
                    connection.execute(table.insert(), rows)
                except DBAPIError as err:
                    raise BackupError(f"restore: table {table.name}: {err.orig}") from None
            counts[table.name] = len(rows)
            if connection.dialect.name == "postgresql" and "id" in table.columns:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return counts
