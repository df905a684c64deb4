"""Backups: JSON dumps and SQLite copies restore to equal data, on and across both databases."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import text

from planner.cli import main
from planner.core.domain import DatedException, VolunteerRecord
from planner.core.problem import Assignment
from planner.services.demo import seed_demo
from planner.store import backup, plans, roster
from planner.store.db import dispose_engine, session
from planner.store.migrate import migrate

WEEK = date(2026, 11, 30)


def fill(url: str) -> None:
    """The demo center plus awkward values: Unicode, NULLs, times, a published plan and a draft."""
    with session(url) as db:
        seed_demo(db, today=date(2026, 11, 27))
        odd = roster.add_volunteer(db, VolunteerRecord(
            "Zoë \"NULL\" O'Brien, <b>NA</b>", email=None, phone="=1+1", check_status="cleared",
            check_expires=date(2027, 2, 28)), "coord")
        assert odd.id is not None
        roster.add_exception(db, odd.id, DatedException(date(2026, 12, 4), "extra", time(9, 30), time(13)))
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-am", odd.key)], status="optimal", unfilled=3)
        plans.publish_draft(db, WEEK, "coord")
        plans.save_draft(db, WEEK, [Assignment("2026-12-05-am", odd.key)], status="feasible")
        plans.add_pin(db, WEEK, Assignment("2026-12-05-am", odd.key), "coord")


def run(*argv: str) -> int:
    return main(list(argv))


def test_json_round_trip_into_a_fresh_database_is_equal(store_url: str, tmp_path: Path) -> None:
    fill(store_url)
    before = backup.dump(store_url)
    assert sum(len(t["rows"]) for t in before["tables"].values()) > 100
    path = backup.backup(store_url, tmp_path / "b.json")
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    migrate(other)
    counts = backup.restore(other, backup.read_backup(path))
    assert counts["volunteers"] == 41 and counts["plan_assignments"] == 2
    assert backup.dump(other)["tables"] == before["tables"]
    dispose_engine(other)


def test_restore_replaces_changed_data_and_ids_continue(store_url: str, tmp_path: Path) -> None:
    fill(store_url)
    before = backup.dump(store_url)
    path = backup.backup(store_url, tmp_path / "b.json")
    with session(store_url) as db:
        roster.add_volunteer(db, VolunteerRecord("Added after the backup"))
        plans.discard_draft(db, WEEK)
    backup.restore(store_url, backup.read_backup(path))
    assert backup.dump(store_url)["tables"] == before["tables"]
    with session(store_url) as db:
        new = roster.add_volunteer(db, VolunteerRecord("Next one"))
    assert new.id == max(r[0] for r in before["tables"]["volunteers"]["rows"]) + 1


def test_a_bad_backup_changes_nothing(store_url: str, tmp_path: Path) -> None:
    fill(store_url)
    before = backup.dump(store_url)
    broken = json.loads(json.dumps(before))
    vols = broken["tables"]["volunteers"]
    vols["rows"][-1][vols["columns"].index("check_status")] = "bogus"
    broken["tables"]["plan_assignments"]["rows"] = []
    with pytest.raises(backup.BackupError, match="table volunteers"):
        backup.restore(store_url, broken)
    assert backup.dump(store_url) == before
    with pytest.raises(backup.BackupError, match="schema revision"):
        backup.restore(store_url, {**before, "revision": "0001"})
    (tmp_path / "x.json").write_text('{"format": "other"}')
    with pytest.raises(backup.BackupError, match="not a planner backup"):
        backup.read_backup(tmp_path / "x.json")


def test_sqlite_online_backup_copy_restores(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    migrate(url)
    fill(url)
    before = backup.dump(url)
    copy = backup.backup(url, tmp_path / "copy.sqlite3")
    assert copy.read_bytes()[:16] == backup.SQLITE_MAGIC
    with session(url) as db:
        roster.erase_volunteer(db, 1)
    backup.restore(url, backup.read_backup(copy))
    assert backup.dump(url)["tables"] == before["tables"]
    dispose_engine(url)


@pytest.mark.postgres
def test_restores_across_sqlite_and_postgres(tmp_path: Path, postgres_url: str) -> None:
    sqlite = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    migrate(sqlite)
    fill(sqlite)
    original = backup.dump(sqlite)
    migrate(postgres_url)
    backup.restore(postgres_url, backup.read_backup(backup.backup(sqlite, tmp_path / "s.json")))
    assert backup.dump(postgres_url)["tables"] == original["tables"]
    back = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    migrate(back)
    backup.restore(back, backup.read_backup(backup.backup(postgres_url, tmp_path / "p.json")))
    assert backup.dump(back)["tables"] == original["tables"]
    for url in (sqlite, back, postgres_url):
        dispose_engine(url)


def test_upgrade_takes_a_backup_first_when_there_is_data(db_url: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_BACKUP_DIR", str(tmp_path / "backups"))
    assert migrate(db_url, "0002") is None, "an empty database needs no backup"
    with session(db_url) as db:  # the models are ahead of 0002, so plain SQL
        db.execute(text("INSERT INTO weeks (start) VALUES ('2026-11-30')"))
    before = backup.dump(db_url)
    taken = migrate(db_url)
    assert taken is not None and taken.exists() and "before-" in taken.name
    assert backup.read_backup(taken)["tables"] == before["tables"]
    assert migrate(db_url) is None, "nothing to upgrade, no backup"


def test_cli_backup_and_restore(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("PLANNER_BACKUP_DIR", str(tmp_path / "auto"))
    migrate(db_url)
    fill(db_url)
    before = backup.dump(db_url)
    assert run("backup", str(tmp_path / "cron.json")) == 0
    assert run("backup") == 0
    assert len(list((tmp_path / "auto").iterdir())) == 1
    with session(db_url) as db:
        roster.erase_volunteer(db, 2)
    assert run("restore", str(tmp_path / "cron.json")) == 0
    assert "the replaced data was backed up to" in capsys.readouterr().err
    assert backup.dump(db_url)["tables"] == before["tables"]
    assert run("restore", str(tmp_path / "missing.json")) == 2
    assert "missing.json" in capsys.readouterr().err


def test_cli_restores_into_an_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    migrate(source)
    fill(source)
    path = backup.backup(source, tmp_path / "a.json")
    empty = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", empty)
    assert run("restore", str(path)) == 0
    assert backup.dump(empty)["tables"] == backup.dump(source)["tables"]
    for url in (source, empty):
        dispose_engine(url)


# ---------------------------------------------------------------- issue 15: every backup is verified


@pytest.fixture
def live(tmp_path: Path) -> Iterator[str]:
    """A filled SQLite database file (`fill`), as a URL."""
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    migrate(url)
    fill(url)
    yield url
    dispose_engine(url)


def _cli_restore(url: str, path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    code = run("restore", str(path))
    return code, capsys.readouterr().err


def test_every_backup_carries_a_sha256_of_its_content(live: str, tmp_path: Path) -> None:
    url = live
    dumped = backup.dump(url)
    as_json = json.loads(backup.backup(url, tmp_path / "b.json").read_text(encoding="utf-8"))
    assert as_json["sha256"] == backup.checksum(dumped) and len(as_json["sha256"]) == 64
    copy = backup.backup(url, tmp_path / "b.sqlite3")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT format, sha256 FROM planner_backup").fetchall() == [
            (backup.FORMAT, backup.checksum(dumped))]
    assert backup.read_backup(copy)["tables"] == backup.read_backup(tmp_path / "b.json")["tables"]


@pytest.mark.parametrize("edit", ["one byte of a name", "a timestamp", "the checksum removed", "a key twice"])
def test_an_edited_json_backup_is_refused_and_changes_nothing(
        live: str, tmp_path: Path, edit: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    url = live
    path = backup.backup(url, tmp_path / "b.json")
    raw = path.read_bytes()
    if edit == "one byte of a name":
        raw = raw.replace(b"O'Brien", b"O'Brian", 1)
    elif edit == "a timestamp":
        at = json.loads(raw)["tables"]["audit_log"]["rows"][0][1]
        raw = raw.replace(at.encode(), at.replace("-", "/", 1).encode(), 1)
    elif edit == "the checksum removed":
        raw = raw.replace(b',"sha256":"' + json.loads(raw)["sha256"].encode() + b'"', b"")
    else:
        raw = raw.replace(b'{"format":', b'{"tables":{},"format":', 1)
    assert raw != path.read_bytes()
    path.write_bytes(raw)
    with session(url) as db:
        roster.erase_volunteer(db, 3)  # the change a restore would undo
    before = backup.dump(url)
    code, err = _cli_restore(url, path, monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err
    expected = {"one byte of a name": "damaged or edited since it was written",
                "a timestamp": "damaged or edited since it was written",
                "the checksum removed": "has no SHA-256 of its content",
                "a key twice": "not a planner backup"}[edit]
    assert err.startswith(f"{path}: {expected}"), err
    assert backup.dump(url) == before
    assert not list(tmp_path.glob("*before-restore*")), "nothing was even backed up: refused first"


@pytest.mark.parametrize("damage", ["half the file", "a text edited", "a timestamp flipped", "no checksum"])
def test_a_damaged_sqlite_copy_is_refused_and_changes_nothing(
        live: str, tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    url = live
    copy = backup.backup(url, tmp_path / "b.sqlite3")
    if damage == "half the file":
        copy.write_bytes(copy.read_bytes()[: copy.stat().st_size // 2])
    else:
        with sqlite3.connect(copy) as conn:
            conn.execute({
                "a text edited": "UPDATE volunteers SET name = 'Someone else' WHERE id = 1",
                "a timestamp flipped": "UPDATE audit_log SET at = '2026-11-27 25:61:00.000000' WHERE id = 1",
                "no checksum": "DROP TABLE planner_backup"}[damage])
        conn.close()
    before = backup.dump(url)
    code, err = _cli_restore(url, copy, monkeypatch, capsys)
    assert code == 2 and "Traceback" not in err, err
    expected = {"half the file": "a damaged SQLite copy", "a text edited": "damaged or edited",
                "a timestamp flipped": "a damaged SQLite copy", "no checksum": "has no SHA-256"}[damage]
    assert err.startswith(f"{copy}: {expected}"), err
    assert backup.dump(url) == before
