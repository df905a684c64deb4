"""Command-line verbs for the store: init-db, import-roster, export-roster, create-user, backup, restore.

Every verb but `backup` first brings the database to the newest schema, so a
fresh checkout works in any order (`restore` does so after restoring). Bad
input exits 2 with one line per problem on standard error; nothing is written
then. A database kept locked by other writers exits 3 ("try again"). The
database modules are imported inside each verb, so `solve` and `check` do not
pay for them at start-up.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from planner.domain import ROLES


def _busy_guard(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A database kept locked by other writers exits 3 with the store's message, not a traceback."""
    def run(args: argparse.Namespace) -> int:
        from planner.store.db import DatabaseBusy

        try:
            return handler(args)
        except DatabaseBusy as err:
            _fail(err.messages)
            return 3

    return run


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the verbs; each sets `handler(args) -> exit code`, as planner/cli.py expects."""
    init = subparsers.add_parser("init-db", help="create or upgrade the database; "
                                 "seeds the demo center if PLANNER_DEMO=1 and it is empty")
    init.set_defaults(handler=init_db)
    imp = subparsers.add_parser("import-roster", help="add or update volunteers from a roster CSV")
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(handler=import_roster_cmd)
    exp = subparsers.add_parser("export-roster", help="write the roster CSV (standard output without FILE)")
    exp.add_argument("file", metavar="FILE", nargs="?")
    exp.set_defaults(handler=export_roster_cmd)
    user = subparsers.add_parser("create-user", help="create a sign-in account")
    user.add_argument("--role", required=True, choices=ROLES)
    user.add_argument("--volunteer", type=int, metavar="ID", help="volunteer id (needed for role volunteer)")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.add_argument("username")
    user.set_defaults(handler=create_user_cmd)
    back = subparsers.add_parser("backup", help="write a full backup: FILE.json (any database) or "
                                 "FILE.sqlite3 (SQLite online backup); default: a stamped file beside "
                                 "the SQLite database or in data/backups/")
    back.add_argument("file", metavar="FILE", nargs="?")
    back.set_defaults(handler=backup_cmd)
    rest = subparsers.add_parser("restore", help="replace all data with a backup (JSON or SQLite copy), "
                                 "in one transaction; the data it replaces is backed up first")
    rest.add_argument("file", metavar="FILE")
    rest.set_defaults(handler=restore_cmd)
    for parser in subparsers.choices.values():
        if parser.get_default("handler") in _HANDLERS:
            parser.set_defaults(handler=_busy_guard(parser.get_default("handler")))


def _fail(messages: list[str]) -> int:
    for message in messages:
        print(message, file=sys.stderr)
    return 2


def init_db(_args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from planner.demo import seed_if_demo
    from planner.store.db import database_url, migrate, session

    migrate()
    with session() as db:
        seeded = seed_if_demo(db)
    shown = make_url(database_url()).render_as_string(hide_password=True)
    print(f"database ready: {shown}" + (" (demo center seeded)" if seeded else ""), file=sys.stderr)
    return 0


def import_roster_cmd(args: argparse.Namespace) -> int:
    from planner.io.roster_csv import import_roster
    from planner.store.db import migrate, session
    from planner.store.roster import RosterError

    try:
        data = Path(args.file).read_bytes()
    except OSError as err:
        return _fail([f"{args.file}: {err.strerror}"])
    migrate()
    try:
        with session() as db:
            result = import_roster(db, data, actor="cli")
    except RosterError as err:
        return _fail(err.messages)
    print(f"{args.file}: {result.added} added, {result.updated} updated", file=sys.stderr)
    return 0


def export_roster_cmd(args: argparse.Namespace) -> int:
    from planner.io.roster_csv import export_roster
    from planner.store.db import migrate, session

    migrate()
    with session() as db:
        text = export_roster(db, actor="cli")
    if args.file is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.file).write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        return _fail([f"{args.file}: {err.strerror}"])
    return 0


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    return first if getpass.getpass("Password again: ") == first else None


def create_user_cmd(args: argparse.Namespace) -> int:
    from planner import auth
    from planner.store.accounts import AccountError
    from planner.store.db import migrate

    password = _read_password(args.password_stdin)
    if password is None:
        return _fail(["password: the two entries differ"])
    migrate()
    try:
        account = auth.create_user(args.username, password, args.role, args.volunteer, actor="cli")
    except AccountError as err:
        return _fail([str(err)])
    print(f"created {account.role} {account.username}", file=sys.stderr)
    return 0


def backup_cmd(args: argparse.Namespace) -> int:
    from planner.store.backup import BackupError, backup

    try:
        path = backup(target=Path(args.file) if args.file else None)
    except (BackupError, OSError) as err:
        return _fail([f"backup: {err}"])
    print(f"backup written: {path}", file=sys.stderr)
    return 0


def restore_cmd(args: argparse.Namespace) -> int:
    """Into an empty database at the backup's schema revision, or one already at that revision."""
    from planner.store.backup import BackupError, backup, current_revision, has_data, read_backup, restore
    from planner.store.db import migrate

    try:
        data = read_backup(Path(args.file))
        revision = current_revision()
        if revision is None and data.get("revision"):
            migrate(revision=data["revision"])
        elif revision != data.get("revision"):
            return _fail([f"{args.file}: the backup is of schema revision {data.get('revision')}, the "
                          f"database is at {revision}; restore it into a new, empty database "
                          "(DATABASE_URL) instead"])
        saved = backup(reason="before-restore") if has_data() else None
        counts = restore(None, data)
    except BackupError as err:
        return _fail([str(err)])
    migrate()
    if saved is not None:
        print(f"the replaced data was backed up to {saved}", file=sys.stderr)
    print(f"{args.file}: restored {sum(counts.values())} rows in {len(counts)} tables", file=sys.stderr)
    return 0


_HANDLERS = (init_db, import_roster_cmd, export_roster_cmd, create_user_cmd, backup_cmd, restore_cmd)
