"""The center's data verbs: init-db, imports, export-roster, create-user, backup, restore.

Every verb but `backup` first brings the database to the newest schema, so a
fresh checkout works in any order (`restore` does so after restoring). The
imports take the same code path as the Imports page: every row or none; with
`--dry-run` they only say what they would do.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from planner.core.domain import ROLES
from planner.core.errors import AccountError, PlannerError
from planner.core.files import write_output

IMPORTS = {"import-roster": ("roster", "add or update volunteers from a roster CSV"),
           "import-signupgenius": ("signupgenius", "add sign-ups from a SignUpGenius sign-up report CSV"),
           "import-google-forms": ("google-forms", "replace availability from a Google Forms responses CSV")}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the verbs; each sets `handler(args) -> exit code`."""
    init = subparsers.add_parser("init-db", help="create or upgrade the database; "
                                 "seeds the demo center if PLANNER_DEMO=1 and it is empty")
    init.set_defaults(handler=init_db)
    for verb, (kind, text) in IMPORTS.items():
        imp = subparsers.add_parser(verb, help=f"{text}; every row or none")
        imp.add_argument("file", metavar="FILE.csv")
        imp.add_argument("--dry-run", action="store_true", help="check the file and say what it would change")
        imp.set_defaults(handler=import_cmd, kind=kind)
    exp = subparsers.add_parser("export-roster", help="write the roster CSV (standard output without FILE)")
    exp.add_argument("file", metavar="FILE", nargs="?", default="-")
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


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def init_db(_args: argparse.Namespace) -> int:
    from planner.services import maintenance

    shown, seeded = maintenance.init_db()
    _say(f"database ready: {shown}" + (" (demo center seeded)" if seeded else ""))
    return 0


def import_cmd(args: argparse.Namespace) -> int:
    from planner.services import imports, maintenance

    try:
        data = Path(args.file).read_bytes()
    except OSError as err:
        raise PlannerError(f"{args.file}: {err.strerror}") from None
    maintenance.upgrade()
    if args.dry_run:
        checked = imports.check(args.kind, data)
        _say(f"{args.file}: would add {checked.added} and update {checked.updated} (nothing was changed)")
        return 0
    result = imports.run(args.kind, data, actor="cli")
    _say(f"{args.file}: {result.added} added, {result.updated} updated")
    return 0


def export_roster_cmd(args: argparse.Namespace) -> int:
    from planner.services import imports, maintenance

    maintenance.upgrade()
    write_output(args.file, imports.export_roster(actor="cli"))
    return 0


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    return first if getpass.getpass("Password again: ") == first else None


def create_user_cmd(args: argparse.Namespace) -> int:
    from planner.services import auth, maintenance

    password = _read_password(args.password_stdin)
    if password is None:
        raise AccountError("password: the two entries differ")
    maintenance.upgrade()
    account = auth.create_user(args.username, password, args.role, args.volunteer, actor="cli")
    _say(f"created {account.role} {account.username}")
    return 0


def backup_cmd(args: argparse.Namespace) -> int:
    from planner.services import maintenance

    path = maintenance.backup(Path(args.file) if args.file else None)
    _say(f"backup written: {path}")
    return 0


def restore_cmd(args: argparse.Namespace) -> int:
    from planner.services import maintenance

    counts, saved = maintenance.restore(Path(args.file))
    if saved is not None:
        _say(f"the replaced data was backed up to {saved}")
    _say(f"{args.file}: restored {sum(counts.values())} rows in {len(counts)} tables")
    return 0
