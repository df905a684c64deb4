"""Concurrent edits: optimistic locking, idempotent publishing, a busy SQLite, 20 sessions x 100 edits."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planner.core.domain import CenterSettings, VolunteerRecord
from planner.core.errors import DatabaseBusy, PublishedMeanwhile, StaleEdit
from planner.core.problem import Assignment
from planner.store import db as store_db
from planner.store import plans, roster, settings
from planner.store.db import dispose_engine, session
from planner.store.migrate import migrate

WEEK = date(2026, 11, 30)
SESSIONS, EDITS, RECORDS = 20, 100, 8


def _load(url: str, vid: int) -> tuple[VolunteerRecord, int]:
    with session(url, readonly=True) as db:
        loaded = roster.get_for_edit(db, vid)
    assert loaded is not None
    return loaded


def test_a_stale_volunteer_save_names_the_change_and_keeps_both(store_url: str) -> None:
    with session(store_url) as db:
        vid = roster.add_volunteer(db, VolunteerRecord("Ana R.", max_shifts=1)).id
    assert vid is not None
    mine, version = _load(store_url, vid)
    theirs, _ = _load(store_url, vid)
    with session(store_url) as db:
        roster.update_volunteer(db, replace(theirs, name="Ana Rivera"), "coord", expected_version=version)
    yours = replace(mine, max_shifts=2)
    with pytest.raises(StaleEdit) as err, session(store_url) as db:
        roster.update_volunteer(db, yours, "volunteer", expected_version=version)
    assert isinstance(err.value, roster.RosterError), "pages that show RosterError messages show this too"
    assert err.value.yours == yours and err.value.current.name == "Ana Rivera"
    [message] = err.value.messages
    assert message.startswith(f"volunteer {vid} (Ana Rivera): changed by someone else")
    assert 'name "Ana Rivera" (yours: "Ana R.")' in message and "max_shifts 1 (yours: 2)" in message
    assert "database is locked" not in message
    stored, now = _load(store_url, vid)
    assert (stored.name, stored.max_shifts, now) == ("Ana Rivera", 1, version + 1)
    with session(store_url, readonly=True) as db:
        assert roster.list_for_edit(db) == [(stored, now)]
    with session(store_url) as db:  # redone from the fresh version, it saves
        roster.update_volunteer(db, replace(stored, max_shifts=2), expected_version=now)
    with session(store_url) as db, pytest.raises(roster.StaleVolunteer):
        roster.set_availability(db, vid, [], expected_version=now)


def test_a_stale_settings_save_is_refused(store_url: str) -> None:
    with session(store_url) as db:
        assert settings.load_for_edit(db) == (CenterSettings(), 0)
        settings.save_settings(db, CenterSettings(name="A"), expected_version=0)
    with session(store_url) as db:
        assert settings.load_for_edit(db) == (CenterSettings(name="A"), 1)
        settings.save_settings(db, CenterSettings(name="B"), expected_version=1)
    with pytest.raises(settings.SettingsError) as err, session(store_url) as db:
        settings.save_settings(db, CenterSettings(name="C"), expected_version=1)
    assert "name 'B' (yours: 'C')" in err.value.messages[0]
    with session(store_url) as db, pytest.raises(settings.StaleSettings):
        settings.save_settings(db, CenterSettings(name="D"), expected_version=0)
    with session(store_url) as db:
        assert settings.load_settings(db).name == "B"


def test_draft_locking_and_a_double_click_publishes_once(store_url: str) -> None:
    with session(store_url) as db:
        vid = roster.add_volunteer(db, VolunteerRecord("Ana R.")).id
        key = roster.get_volunteer(db, vid).key  # type: ignore[union-attr]
        saved = plans.save_draft(db, WEEK, [Assignment("2026-12-04-am", key)], expected_version=0)
        version = saved.row_version
    with session(store_url) as db:
        draft = plans.get_draft(db, WEEK)
        assert draft is not None and draft.row_version == version
    with session(store_url) as db, pytest.raises(plans.StaleDraft):
        plans.save_draft(db, WEEK, [], expected_version=version + 5)
    for _ in range(3):
        with session(store_url) as db:
            published = plans.publish_draft(db, WEEK, "coord", key="click-1", expected_version=version)
        assert published.version == 1
    with session(store_url) as db:
        assert [v.version for v in plans.list_versions(db, WEEK)] == [1]
        for _ in range(2):
            again = plans.publish_assignments(db, WEEK, [], based_on=1, key="cancel-7")
            assert again.version == 2
        assert [v.version for v in plans.list_versions(db, WEEK)] == [1, 2]


def test_simultaneous_publishes_with_one_key_make_one_version(store_url: str) -> None:
    with session(store_url) as db:
        vid = roster.add_volunteer(db, VolunteerRecord("Ana R.")).id
        plans.save_draft(db, WEEK, [Assignment("2026-12-04-am", f"v{vid:02d}")])
    results: list[int | None] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def click() -> None:
        start.wait()
        try:
            with session(store_url) as db:
                results.append(plans.publish_draft(db, WEEK, "coord", key="double").version)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=click) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [1, 1, 1, 1]
    with session(store_url) as db:
        assert [v.version for v in plans.list_versions(db, WEEK)] == [1]


def test_two_coordinators_publishing_different_plans_at_once_publish_one(
        store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: the second is refused with the plan published first, never told it was published."""
    from planner.services import publish

    monkeypatch.setenv("DATABASE_URL", store_url)
    with session(store_url) as db:
        ana, bea = (roster.add_volunteer(db, VolunteerRecord(n)).key for n in ("Ana R.", "Bea B."))
    mine = {"ana": [Assignment("2026-12-04-am", ana)], "bea": [Assignment("2026-12-04-am", bea)]}
    done: dict[str, int | None] = {}
    refused: dict[str, PublishedMeanwhile] = {}
    start = threading.Barrier(2)

    def click(who: str) -> None:
        start.wait()
        try:
            done[who] = publish.publish_plan(WEEK, mine[who], based_on=None, actor=who).version.version
        except PublishedMeanwhile as err:
            refused[who] = err

    threads = [threading.Thread(target=click, args=(who,)) for who in mine]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 1 and len(refused) == 1 and list(done.values()) == [1], (done, refused)
    [(winner, _)], [(loser, err)] = done.items(), refused.items()
    assert err.latest == 1 and list(err.theirs) == mine[winner] != mine[loser]
    with session(store_url) as db:
        [version] = plans.list_versions(db, WEEK)
        assert list(version.assignments) == mine[winner]
        assert plans.get_draft(db, WEEK) is None, "the refused plan did not stay behind as the draft"
    dispose_engine(store_url)


def test_a_locked_sqlite_database_waits_retries_and_then_says_busy(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 100)
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    migrate(url)
    holder = sqlite3.connect(tmp_path / "busy.sqlite3", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(DatabaseBusy) as err, session(url) as db:
        roster.add_volunteer(db, VolunteerRecord("Ana R."))
    assert time.monotonic() - started >= 0.3, "three attempts, each waiting the busy timeout"
    assert "database is locked" not in str(err.value) and "try again" in str(err.value)
    threading.Timer(0.15, holder.rollback).start()  # released while the session waits
    with session(url) as db:
        roster.add_volunteer(db, VolunteerRecord("Bea B."))
    with session(url, readonly=True) as db:
        assert [v.name for v in roster.list_volunteers(db)] == ["Bea B."]
    holder.close()
    dispose_engine(url)


def test_sessions_begin_immediate_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imm.sqlite3'}"
    migrate(url)
    with session(url):
        other = sqlite3.connect(tmp_path / "imm.sqlite3", timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    dispose_engine(url)


@pytest.mark.slow
def test_twenty_sessions_times_a_hundred_edits_lose_nothing(store_url: str) -> None:
    """Each thread counts up in the phone field of random shared volunteers, redoing an edit on StaleEdit."""
    import random

    with session(store_url) as db:
        ids = [roster.add_volunteer(db, VolunteerRecord(f"Shared {i}", phone="0")).id
               for i in range(RECORDS)]
    done = {vid: 0 for vid in ids}
    retries, errors = [0], []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(EDITS):
                vid = rng.choice(ids)
                assert vid is not None
                while True:
                    record, version = _load(store_url, vid)
                    try:
                        with session(store_url) as db:
                            counted = replace(record, phone=str(int(record.phone or 0) + 1))
                            roster.update_volunteer(db, counted, f"s{seed}", expected_version=version)
                        break
                    except StaleEdit:
                        with lock:
                            retries[0] += 1
                with lock:
                    done[vid] += 1
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    assert errors == []
    with session(store_url, readonly=True) as db:
        final = {vid: int(roster.get_volunteer(db, vid).phone) for vid in ids}  # type: ignore[union-attr]
    assert final == done and sum(final.values()) == SESSIONS * EDITS
    print(f"\n{store_url.split(':')[0]}: {SESSIONS}x{EDITS} edits in {seconds:.1f} s, "
          f"{retries[0]} redone after StaleEdit, 0 lost")


def test_backups_read_while_a_writer_holds_the_lock_and_verbs_exit_3_when_busy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from planner.cli import main
    from planner.store import backup

    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    url = f"sqlite:///{tmp_path / 'held.sqlite3'}"
    migrate(url)
    monkeypatch.setenv("DATABASE_URL", url)
    holder = sqlite3.connect(tmp_path / "held.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    assert backup.dump(url)["tables"]["volunteers"]["rows"] == [], "a backup only reads"
    assert main(["import-roster", str(Path(__file__).parent / "data" / "roster.csv")]) == 3
    err = capsys.readouterr().err
    assert "try again" in err and "database is locked" not in err
    holder.rollback()
    holder.close()
    dispose_engine(url)
