"""Store basics on SQLite and PostgreSQL: URLs, settings, roster, erasure, audit."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import text

from planner.core.domain import CenterSettings, DatedException, Preference, VolunteerRecord, WeeklyWindow
from planner.store import audit, roster
from planner.store.db import database_url, get_engine, session
from planner.store.settings import SettingsError, load_settings, save_settings

FRI = WeeklyWindow(4, time(9), time(17))


def test_urls_are_normalised_to_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@h:5/db")
    assert database_url() == "postgresql+psycopg://u:p@h:5/db"
    assert database_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    monkeypatch.delenv("DATABASE_URL")
    assert database_url().endswith("/data/planner.sqlite3")


def test_one_engine_per_url(store_url: str) -> None:
    assert get_engine(store_url) is get_engine(store_url)


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    with get_engine(url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_session_rolls_back_when_the_block_raises(store_url: str) -> None:
    with pytest.raises(RuntimeError), session(store_url) as db:
        roster.add_volunteer(db, VolunteerRecord("Ana R."))
        raise RuntimeError
    with session(store_url) as db:
        assert roster.list_volunteers(db) == []


def test_settings_default_until_saved_then_round_trip(store_url: str) -> None:
    with session(store_url) as db:
        assert load_settings(db) == CenterSettings()
        custom = CenterSettings(name="Night center", open_weekdays=(0, 4), opens=time(8, 30),
                                closes=time(20, 30), shift_hours=4, meals=False, show_team_first_names=True)
        save_settings(db, custom, "coord")
    with session(store_url) as db:
        assert load_settings(db) == custom
        with pytest.raises(SettingsError, match="closes: must be after opens"):
            save_settings(db, CenterSettings(opens=time(17), closes=time(9)))


def test_volunteer_round_trip_and_update(store_url: str) -> None:
    record = VolunteerRecord(
        "Ana R.", email="ana@example.org", phone="816-555-0100", does_meals=True, trained=True,
        check_status="cleared", check_expires=date(2027, 6, 30), max_shifts=2, max_meals=1,
        availability=(FRI, WeeklyWindow(5, time(9), time(13))),
        exceptions=(DatedException(date(2026, 12, 4)),), preferences=(Preference(4, "am"),))
    with session(store_url) as db:
        stored = roster.add_volunteer(db, record, "coord")
    assert stored.id is not None and stored.key.startswith("v")
    with session(store_url) as db:
        again = roster.get_volunteer(db, stored.id)
        assert again is not None
        assert again.availability == record.availability and again.preferences == record.preferences
        assert [(e.day, e.kind) for e in again.exceptions] == [(date(2026, 12, 4), "off")]
        assert (again.email, again.check_expires, again.does) == (
            "ana@example.org", date(2027, 6, 30), frozenset({"shift", "meal"}))
        roster.update_volunteer(db, VolunteerRecord("Ana Rivera", id=stored.id, availability=(FRI,)))
    with session(store_url) as db:
        updated = roster.get_volunteer(db, stored.id)
        assert updated is not None and updated.name == "Ana Rivera" and updated.preferences == ()
        assert len(updated.exceptions) == 1, "update leaves exceptions to their own functions"


def test_bad_records_are_refused_with_placed_messages(store_url: str) -> None:
    with session(store_url) as db, pytest.raises(roster.RosterError) as err:
        roster.add_volunteer(db, VolunteerRecord(" ", email="x", check_status="maybe", does_shifts=False))
    assert err.value.messages == ["name: is required", 'email: "x" is not an email address',
                                  'check_status: "maybe" is not one of cleared, pending, expired, none',
                                  "does: shift, meal or both"]


def test_exceptions_availability_and_preferences(store_url: str) -> None:
    with session(store_url) as db:
        vid = roster.add_volunteer(db, VolunteerRecord("Bea B.")).id
        assert vid is not None
        roster.set_availability(db, vid, [FRI, FRI, WeeklyWindow(6, time(13), time(17))])
        roster.set_preferences(db, vid, [Preference(6, "pm")])
        extra = roster.add_exception(db, vid, DatedException(date(2026, 12, 5), "extra", time(9), time(13)))
        with pytest.raises(roster.RosterError, match="both times or neither"):
            roster.add_exception(db, vid, DatedException(date(2026, 12, 5), "off", time(9)))
    with session(store_url) as db:
        got = roster.get_volunteer(db, vid)
        assert got is not None and len(got.availability) == 2 and got.preferences == (Preference(6, "pm"),)
        assert extra.id is not None and got.exceptions == (extra,)
        roster.remove_exception(db, vid, extra.id)
    with session(store_url) as db:
        got = roster.get_volunteer(db, vid)
        assert got is not None and got.exceptions == ()


def test_list_volunteers_sorts_by_name_and_filters_inactive(store_url: str) -> None:
    with session(store_url) as db:
        for name, active in (("carmen", True), ("Ana", False), ("Bea", True)):
            roster.add_volunteer(db, VolunteerRecord(name, active=active))
    with session(store_url) as db:
        assert [v.name for v in roster.list_volunteers(db)] == ["Ana", "Bea", "carmen"]
        assert [v.name for v in roster.list_volunteers(db, active_only=True)] == ["Bea", "carmen"]


def test_erase_keeps_an_anonymous_row_and_drops_personal_data(store_url: str) -> None:
    from planner.services import auth

    with session(store_url) as db:
        ana = VolunteerRecord("Ana R.", email="ana@example.org", phone="816-555-0100", availability=(FRI,))
        vid = roster.add_volunteer(db, ana).id
        assert vid is not None
        auth.create_user("ana", "long enough pw", "volunteer", vid, db=db)
        roster.erase_volunteer(db, vid, "coord")
    with session(store_url) as db:
        assert roster.list_volunteers(db) == []
        gone = roster.get_volunteer(db, vid)
        assert gone is not None and gone.erased and gone.email is None and gone.phone is None
        assert "Ana" not in gone.name and gone.availability == ()
        assert auth.authenticate("ana", "long enough pw", db=db).ok is False
        assert audit.recent(db, action="volunteer erased")[0].actor == "coord"


def test_audit_log_is_newest_first(store_url: str) -> None:
    with session(store_url) as db:
        audit.record(db, "coord", "contact viewed", "volunteer 1")
        audit.record(db, "coord", "roster exported", "roster")
    with session(store_url) as db:
        assert [e.action for e in audit.recent(db, limit=2)] == ["roster exported", "contact viewed"]
