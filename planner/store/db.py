"""Engine, sessions and migrations.

One engine per process and URL (Streamlit reruns scripts, so creating engines
per run would leak connections); one `session()` per unit of work.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE = ROOT / "data" / "planner.sqlite3"

_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def database_url(url: str | None = None) -> str:
    """`url`, else `DATABASE_URL`, else the SQLite file; PostgreSQL always through psycopg 3."""
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def get_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    engine = _engines.get(url)
    if engine is None:
        if url.startswith("sqlite"):
            database = url.split(":///", 1)[-1]
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 5})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        _engines[url] = engine
        _factories[url] = sessionmaker(engine, expire_on_commit=False)
    return engine


def dispose_engine(url: str | None = None) -> None:
    """Close the pooled connections of one database (tests drop databases afterwards)."""
    url = database_url(url)
    engine = _engines.pop(url, None)
    _factories.pop(url, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def session(url: str | None = None) -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back if it raises."""
    get_engine(url)
    with _factories[database_url(url)]() as db, db.begin():
        yield db


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = database_url(url)
    return config


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database to `revision` (used by `init-db` and the tests)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
