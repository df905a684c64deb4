"""SignUpGenius sign-up report: parsing realistic exports, preview problems, all-or-none import."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from planner.core.domain import CenterSettings, Preference, VolunteerRecord
from planner.io import signupgenius
from planner.services import imports
from planner.store import roster
from planner.store.db import session
from planner.store.roster import RosterError

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "signupgenius_report.csv").read_bytes()
BAD = (DATA / "signupgenius_bad.csv").read_bytes()


def test_the_report_is_read_past_titles_bom_crlf_and_blank_rows() -> None:
    preview = signupgenius.parse_signups(GOOD, CenterSettings())
    assert preview.problems == ()
    rows = [(s.row, s.name, s.email, s.day, s.start, s.end, s.kind) for s in preview.signups]
    assert rows == [
        (5, "Ana Reyes", "ana.reyes@example.org", date(2026, 12, 4), time(9), time(13), "shift"),
        (6, "Bea Brown", "bea.b@example.org", date(2026, 12, 4), time(17), time(18), "meal"),
        (8, "Ana Reyes", "ana.reyes@example.org", date(2026, 12, 5), time(13), time(17), "shift"),
        (9, "Cleo Moss", None, date(2026, 12, 5), time(10), time(12), "shift"),
        (11, "Dee O'Neil", "dee@example.org", date(2026, 12, 6), time(9), time(13), "shift"),
    ]
    assert preview.signups[3].phone == "+1 816-555-0199"
    assert list(preview.table().columns) == ["Row", "Name", "Email", "Date", "Time", "Item", "Kind"]


def test_every_bad_cell_is_named_by_row_and_column() -> None:
    preview = signupgenius.parse_signups(BAD, CenterSettings())
    assert preview.problems == (
        'row 3, Start Date/Time (mm/dd/yyyy): "13/45/2026 09:00 AM" is not a real date and time',
        "row 4, End Date/Time (mm/dd/yyyy): ends before it starts",
        "row 6, First Name: a first or last name is required",
        'row 7, Email: "not-an-email" is not an email address',
    )
    assert [s.row for s in preview.signups] == [8]


def test_a_file_that_is_not_a_report_is_refused() -> None:
    with pytest.raises(RosterError, match="no header row with the columns"):
        signupgenius.parse_signups(b"name,email\nAna,ana@example.org\n", CenterSettings())


def test_import_adds_people_with_dated_availability_and_preferences(store_url: str) -> None:
    with session(store_url) as db:
        ana = roster.add_volunteer(db, VolunteerRecord("Ana R.", email="ana.reyes@example.org", trained=True,
                                                       check_status="cleared", max_shifts=1))
        checked = imports.check("signupgenius", GOOD, db=db)
        assert (checked.added, checked.updated) == (3, 1)
        result = imports.run("signupgenius", GOOD, "coord", db=db)
    assert (result.added, result.updated) == (3, 1)
    with session(store_url) as db:
        people = {v.name: v for v in roster.list_volunteers(db)}
        again = imports.run("signupgenius", GOOD, db=db)  # a second import adds nothing twice
    assert (again.added, again.updated) == (0, 4)
    stored = people["Ana R."]
    assert stored.id == ana.id and stored.trained and stored.check_status == "cleared"  # kept
    assert stored.max_shifts == 2  # raised: she signed up for two shifts that week
    assert {(e.day, e.kind, e.start, e.end) for e in stored.exceptions} == {
        (date(2026, 12, 4), "extra", time(9), time(13)), (date(2026, 12, 5), "extra", time(13), time(17))}
    assert set(stored.preferences) == {Preference(4, "am"), Preference(5, "pm")}
    bea = people["Bea Brown"]
    assert (bea.does_shifts, bea.does_meals, bea.max_meals, bea.check_status) == (False, True, 1, "none")
    cleo = people["Cleo Moss"]
    assert cleo.phone == "+1 816-555-0199" and cleo.preferences == ()  # 10-12 is no slot of the center
    with session(store_url) as db:
        assert len(roster.get_volunteer(db, ana.id).exceptions) == 2


def test_a_bad_file_changes_nothing(store_url: str) -> None:
    with session(store_url) as db:
        with pytest.raises(RosterError) as err:
            imports.run("signupgenius", BAD, db=db)
        assert len(err.value.messages) == 4
    with session(store_url) as db:
        assert roster.list_volunteers(db) == []
