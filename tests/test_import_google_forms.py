"""Google Forms availability export: parsing, latest answer wins, preview problems, all-or-none import."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from planner.core.domain import CenterSettings, VolunteerRecord, WeeklyWindow
from planner.io import google_forms
from planner.services import imports
from planner.store import roster
from planner.store.db import session
from planner.store.roster import RosterError

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "google_forms_availability.csv").read_bytes()
BAD = (DATA / "google_forms_bad.csv").read_bytes()


def _w(day: int, start: int, end: int) -> WeeklyWindow:
    return WeeklyWindow(day, time(start), time(end))


def test_answers_become_weekly_windows_and_the_latest_answer_wins() -> None:
    preview = google_forms.parse_form(GOOD, CenterSettings())
    assert preview.problems == ()
    by_row = {a.row: a for a in preview.answers}
    assert set(by_row) == {2, 3, 5, 6}  # the blank row 4 is skipped
    assert by_row[2].windows == (_w(4, 9, 17), _w(6, 17, 18)) and by_row[2].dinner
    assert by_row[3].replaced_by == 6 and by_row[6].replaced_by is None
    assert by_row[6].email == "bea.b@example.org" and by_row[6].windows == (_w(4, 9, 13), _w(5, 9, 13))
    assert by_row[5].windows == (_w(5, 9, 18), _w(6, 9, 13))  # touching periods merged
    assert [a.row for a in preview.latest] == [2, 5, 6]
    assert preview.table().loc[1, "Note"] == "replaced by the later answer on row 6"


def test_every_bad_cell_is_named() -> None:
    preview = google_forms.parse_form(BAD, CenterSettings())
    assert preview.problems == (
        'row 1, header: "funday" in a grid column is not a weekday',
        'row 2, Availability [Friday]: "Evening" is not one of Morning, Afternoon, Dinner (or Not available)',
        'row 3, Timestamp: "yesterday" is not a date and time like 11/20/2026 10:15:32',
        "row 4, Email Address: is required (it tells answers of different people apart)",
    )


def test_import_replaces_weekly_availability_and_adds_new_people(store_url: str) -> None:
    with session(store_url) as db:
        bea = roster.add_volunteer(db, VolunteerRecord("Bea B.", email="bea.b@example.org", trained=True,
                                                       availability=(_w(6, 9, 17),)))
        checked = imports.check("google-forms", GOOD, db=db)
        assert (checked.added, checked.updated) == (2, 1)
        result = imports.run("google-forms", GOOD, "coord", db=db)
    assert (result.added, result.updated) == (2, 1)
    with session(store_url) as db:
        people = {v.name: v for v in roster.list_volunteers(db)}
    assert people["Bea B."].id == bea.id and people["Bea B."].trained
    assert people["Bea B."].availability == (_w(4, 9, 13), _w(5, 9, 13))
    ana = people["Ana Reyes"]
    assert ana.does_meals and ana.max_meals == 1 and ana.phone == "816-555-0101"
    assert people["Cleo Moss"].phone == "+1 816-555-0199"


def test_a_bad_file_or_a_nameless_newcomer_changes_nothing(store_url: str) -> None:
    nameless = GOOD.decode("utf-8-sig").replace('"Cleo Moss"', '""').encode()
    with session(store_url) as db:
        with pytest.raises(RosterError) as err:
            imports.run("google-forms", BAD, db=db)
        assert len(err.value.messages) == 4
        with pytest.raises(RosterError, match="row 5, name: cleo@example.org is not on the roster yet"):
            imports.run("google-forms", nameless, db=db)
    with session(store_url) as db:
        assert roster.list_volunteers(db) == []
