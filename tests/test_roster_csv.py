"""The roster CSV of the spec: lenient reading, all-or-none import, stable and safe export."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from planner.core.cells import neutralise, restore
from planner.core.domain import Preference, VolunteerRecord, WeeklyWindow
from planner.io.roster_csv import parse_roster
from planner.services import imports
from planner.store import roster
from planner.store.db import session
from planner.store.roster import RosterError

DATA = Path(__file__).parent / "data"
CANONICAL = (DATA / "roster.csv").read_text(encoding="utf-8")
HEADER = CANONICAL.splitlines()[0]


@pytest.mark.parametrize("value", ["=1+1", "+1 816", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised_and_restored(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", ["816-555-0100", "Ana R.", "'quoted", "", "(816) 555-0100"])
def test_ordinary_cells_are_left_alone(value: str) -> None:
    assert neutralise(value) == value and restore(value) == value


def test_canonical_file_round_trips_byte_for_byte(store_url: str) -> None:
    with session(store_url) as db:
        result = imports.run("roster", (DATA / "roster.csv").read_bytes(), db=db)
        assert (result.added, result.updated) == (5, 0)
        assert imports.export_roster(db=db) == CANONICAL


def test_messy_file_windows_line_ends_bom_blank_rows_and_loose_headers(store_url: str) -> None:
    raw = (DATA / "roster_messy.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n\r\n" in raw
    with session(store_url) as db:
        imports.run("roster", raw, db=db)
        first = imports.export_roster(db=db)
    assert first == CANONICAL
    with session(store_url) as db:
        result = imports.run("roster", first, db=db)
        assert (result.added, result.updated) == (0, 5), "a re-import updates, it does not duplicate"
        assert imports.export_roster(db=db) == first


def test_second_export_is_identical_after_reimport_into_a_fresh_database(store_url: str, tmp_path) -> None:
    from planner.store.db import dispose_engine
    from planner.store.migrate import migrate

    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    migrate(other)
    with session(store_url) as db:
        imports.run("roster", (DATA / "roster_messy.csv").read_bytes(), db=db)
        first = imports.export_roster(db=db)
    with session(other) as db:
        imports.run("roster", first, db=db)
        assert imports.export_roster(db=db) == first
    dispose_engine(other)


def test_phone_with_a_plus_survives_rounds(store_url: str) -> None:
    with session(store_url) as db:
        imports.run("roster", f"{HEADER}\nAna R.,,+1 816 555 0100,shift,no,none,,1,0,\n", db=db)
        [ana] = roster.list_volunteers(db)
        assert ana.phone == "+1 816 555 0100"
        exported = imports.export_roster(db=db)
        assert ",'+1 816 555 0100," in exported
        imports.run("roster", exported, db=db)
        [ana] = roster.list_volunteers(db)
        assert ana.phone == "+1 816 555 0100" and imports.export_roster(db=db) == exported


def test_bad_file_gives_one_placed_message_per_problem_and_changes_nothing(store_url: str) -> None:
    with session(store_url) as db:
        imports.run("roster", CANONICAL, db=db)
    with pytest.raises(RosterError) as err, session(store_url) as db:
        imports.run("roster", (DATA / "roster_bad.csv").read_bytes(), db=db)
    assert err.value.messages == [
        "row 3, name: is required",
        'row 4, does: "cook" is not shift or meal',
        'row 4, trained: "maybe" is not yes or no',
        'row 4, availability: "Fri 25:00-17:00" is not a time',
        'row 4, availability: "Sat 13:00-09:00" ends before it starts',
        'row 4, availability: "Caturday 09:00-13:00" is not a weekday',
        'row 4, max_shifts_per_week: "two" is not a whole number >= 0',
        'row 4, email: "bea-at-example.org" is not an email address',
        'row 5, email: "ana@example.org" is also on row 2',
    ]
    with session(store_url) as db:
        assert imports.export_roster(db=db) == CANONICAL


@pytest.mark.parametrize(("text", "message"), [
    ("", "row 1, header: the first row must name the columns"),
    ("email,notes\nx@example.org,secret\n", 'row 1, header: unknown column "notes"'),
    ("email\nx@example.org\n", "row 1, header: no name column"),
    ("name,Name\nAna,Ana\n", 'row 1, header: column "name" appears twice'),
    ("name\nAna,extra\n", "row 2: 2 cells, but the header names 1"),
    ("name,background_check\nAna,cleared-ish\n", 'row 2, background_check: "cleared-ish" is not one of'),
    ("name,background check expires\nAna,30/06/2027\n", 'row 2, background_check_expires: "30/06/2027"'),
    (b"name\n\xff\n", "file: not UTF-8 text"),
])
def test_refused_files(text: str | bytes, message: str) -> None:
    with pytest.raises(RosterError) as err:
        parse_roster(text)
    assert err.value.messages[0].startswith(message)


def test_defaults_for_empty_and_missing_columns() -> None:
    [(row, ana), (_, bea)] = parse_roster("Name,does\nAna R.,\nBea B.,meal\n")
    assert row == 2
    assert (ana.does, ana.trained, ana.check_status, ana.max_shifts, ana.max_meals) == (
        frozenset({"shift"}), False, "none", 1, 0)
    assert (bea.does, bea.max_meals) == (frozenset({"meal"}), 1)


def test_name_matching_is_refused_when_ambiguous(store_url: str) -> None:
    with session(store_url) as db:
        roster.add_volunteer(db, VolunteerRecord("Maria G.", email="m1@example.org"))
        roster.add_volunteer(db, VolunteerRecord("Maria G.", email="m2@example.org"))
        with pytest.raises(RosterError, match='row 2, name: 2 volunteers are called "Maria G."'):
            imports.run("roster", "name\nMaria G.\n", db=db)
        imports.run("roster", "name,email\nMaria G.,m2@example.org\n", db=db)
        assert len(roster.list_volunteers(db)) == 2


def test_import_keeps_preferences_and_reactivates(store_url: str) -> None:
    with session(store_url) as db:
        stored = roster.add_volunteer(db, VolunteerRecord("Ana R.", active=False,
                                                          preferences=(Preference(4, "am"),)))
        imports.run("roster", "name,availability\nana r.,Fri 09:00-13:00\n", db=db)
        assert stored.id is not None
        ana = roster.get_volunteer(db, stored.id)
        assert ana is not None and ana.active and ana.preferences == (Preference(4, "am"),)
        assert ana.availability == (WeeklyWindow(4, time(9), time(13)),)


def test_export_neutralises_formula_names(store_url: str) -> None:
    with session(store_url) as db:
        roster.add_volunteer(db, VolunteerRecord("=cmd|' /C calc'!A0", email="x@example.org"))
        lines = imports.export_roster(db=db).splitlines()
    assert lines[1].startswith("'=cmd|' /C calc'!A0,x@example.org")
