"""The store's command-line verbs, run in a subprocess-free way through `register`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from planner.cli import main
from planner.services import auth
from planner.store.db import session
from planner.store.roster import list_volunteers

DATA = Path(__file__).parent / "data"


def run(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def env_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.delenv("PLANNER_DEMO", raising=False)
    return db_url


def test_init_db_seeds_only_in_demo_mode(env_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    assert run("init-db") == 0
    with session(env_url) as db:
        assert list_volunteers(db) == []
    monkeypatch.setenv("PLANNER_DEMO", "1")
    assert run("init-db") == 0
    assert "demo center seeded" in capsys.readouterr().err
    with session(env_url) as db:
        assert len(list_volunteers(db)) == 40


def test_import_then_export_twice_is_byte_identical(env_url: str, tmp_path: Path, capsys) -> None:
    assert run("import-roster", str(DATA / "roster_messy.csv")) == 0
    assert run("export-roster", str(tmp_path / "first.csv")) == 0
    assert run("import-roster", str(tmp_path / "first.csv")) == 0
    capsys.readouterr()
    assert run("export-roster") == 0
    first = (tmp_path / "first.csv").read_bytes()
    assert capsys.readouterr().out.encode() == first == (DATA / "roster.csv").read_bytes()


def test_bad_roster_exits_2_with_placed_messages(env_url: str, capsys) -> None:
    assert run("import-roster", str(DATA / "roster_bad.csv")) == 2
    err = capsys.readouterr().err
    assert 'row 4, availability: "Fri 25:00-17:00" is not a time\n' in err
    assert run("import-roster", "/nonexistent.csv") == 2
    assert "No such file" in capsys.readouterr().err
    with session(env_url) as db:
        assert list_volunteers(db) == []


def test_create_user_from_stdin(env_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert run("create-user", "--role", "coordinator", "--password-stdin", "Lead.Coord") == 0
    assert auth.authenticate("lead.coord", "a long password").ok
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run("create-user", "--role", "leadership", "--password-stdin", "boss") == 2
    assert "password: at least 8 characters" in capsys.readouterr().err


def test_create_user_prompts_twice(env_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    answers = iter(["a long password", "a different one"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert run("create-user", "--role", "coordinator", "coord") == 2
    assert "the two entries differ" in capsys.readouterr().err
