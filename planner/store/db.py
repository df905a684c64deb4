"""Engine, sessions and migrations.

One engine per process and URL (Streamlit reruns scripts, so creating engines
per run would leak connections); one `session()` per unit of work.

SQLite allows one writer at a time. A session therefore starts with
`BEGIN IMMEDIATE`, taking the write lock before the caller reads anything:
two sessions can no longer both read a record and then overwrite each other,
and a busy database makes the session wait (busy timeout) and retry at its
start, where nothing has been done yet. A database still locked after that
surfaces as `DatabaseBusy`, a message fit to show, never SQLite's raw text.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planner.core.errors import DatabaseBusy

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE = ROOT / "data" / "planner.sqlite3"
BUSY_TIMEOUT_MS = 5000
BEGIN_ATTEMPTS = 3  # each waits up to the busy timeout
# Enough pooled connections for tens of Streamlit sessions at once; PostgreSQL allows 100 by default.
POOL = {"pool_size": 10, "max_overflow": 20}

_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def database_url(url: str | None = None) -> str:
    """`url`, else `DATABASE_URL`, else the SQLite file; PostgreSQL always through psycopg 3."""
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def data_folder(url: str | None = None) -> Path:
    """Where the server keeps its own files (the generated secret key): beside a SQLite file, else `data/`."""
    from sqlalchemy.engine import make_url

    parsed = make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database).resolve().parent
    return ROOT / "data"


def shown_url(url: str | None = None) -> str:
    """The database URL as it may be printed: the password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(database_url(url)).render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Leave BEGIN to `_sqlite_begin` (pysqlite's own deferred BEGIN cannot be made IMMEDIATE)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    readonly = connection.get_execution_options().get("planner_readonly", False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def is_locked(err: BaseException) -> bool:
    """SQLite's `database is locked` / `database table is locked` / busy errors."""
    text = str(getattr(err, "orig", err)).lower()
    return "database is locked" in text or "is busy" in text or "table is locked" in text


def get_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    engine = _engines.get(url)
    if engine is None:
        if url.startswith("sqlite"):
            database = url.split(":///", 1)[-1]
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **POOL)
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_pre_ping=True, **POOL)
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


def _open(url: str | None, readonly: bool) -> Session:
    """A session whose transaction has begun; a locked SQLite database is retried here."""
    get_engine(url)
    factory = _factories[database_url(url)]
    for attempt in range(BEGIN_ATTEMPTS):
        db = factory()
        try:
            db.connection(execution_options={"planner_readonly": readonly})
            return db
        except OperationalError as err:
            db.close()
            if not is_locked(err):
                raise
            if attempt == BEGIN_ATTEMPTS - 1:
                raise DatabaseBusy() from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def session(url: str | None = None, *, readonly: bool = False) -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back if it raises.

    On SQLite the write lock is taken at the start (see the module docstring);
    `readonly=True` skips that for blocks that only read. Do not nest sessions
    on one SQLite database in one thread: the inner one would wait for the outer.
    """
    db = _open(url, readonly)
    try:
        yield db
        db.commit()
    except OperationalError as err:
        db.rollback()
        if is_locked(err):
            raise DatabaseBusy() from None
        raise
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


@contextmanager
def unit(db: Session | None = None, *, readonly: bool = False) -> Iterator[Session]:
    """The caller's unit of work when it has one (`db`), else a new `session()`.

    Lets a use case run on its own or as part of a larger unit of work.
    """
    if db is not None:
        yield db
    else:
        with session(readonly=readonly) as own:
            yield own


def after_commit(db: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once the unit of work `db` has committed (not when it rolls back)."""
    event.listen(db, "after_commit", lambda _session: callback(), once=True)


@contextmanager
def write_connection(url: str | None = None) -> Iterator[Connection]:
    """A Core connection inside one write transaction (restores work table by table)."""
    with session(url) as db:
        yield db.connection()


@contextmanager
def read_connection(url: str | None = None) -> Iterator[Connection]:
    """A Core connection reading one snapshot without taking SQLite's write lock.

    SQLite's deferred BEGIN in WAL mode and PostgreSQL's REPEATABLE READ both
    show every table as of one moment, so a backup taken under load is consistent.
    """
    engine = get_engine(url)
    options: dict[str, Any] = {"planner_readonly": True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect().execution_options(**options) as connection:
        yield connection
