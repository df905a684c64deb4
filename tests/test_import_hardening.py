"""Issue 15, importers: the scriptable verbs end to end, one reader of text, one matcher of people.

The import verbs run as a person's cron job would run them (a subprocess of
`python -m planner`): exit 0 and a count, `--dry-run` changes nothing, a refused
file exits 2 with one placed line per problem and writes nothing. Text fields
of every importer and of the roster editor go through `core.cells`: NFC,
control characters, bidi overrides and zero-width characters refused, and
people compared after normalising.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from planner.core.domain import CenterSettings, VolunteerRecord
from planner.io import google_forms, signupgenius
from planner.present.roster import roster_edit
from planner.services import imports
from planner.store import backup, roster
from planner.store.db import dispose_engine, session
from planner.store.migrate import migrate
from planner.store.roster import RosterError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PLACED = re.compile(r"^(file|row \d+)[,:] ")
# verb -> (a good file, its counts, a refused file, its first message)
VERBS = {
    "import-roster": (DATA / "roster.csv", None, DATA / "bad" / "text_nfc_nfd_duplicate.csv",
                      'row 3, name: "Zoë K." is also on row 2'),
    "import-signupgenius": (DATA / "signupgenius_report.csv", "add 4 and update 0",
                            DATA / "bad" / "sg_one_email_two_names.csv",
                            'row 3, First Name: "Bob Smith" signs up with x1@example.org'),
    "import-google-forms": (DATA / "google_forms_availability.csv", "add 3 and update 0",
                            DATA / "bad" / "forms_flexible_option.csv",
                            'row 3, Availability [Friday]: "Morning or Afternoon (flexible)" is not one'),
}
NFD_ZOE, NFC_ZOE = unicodedata.normalize("NFD", "Zoë K."), unicodedata.normalize("NFC", "Zoë K.")


def _cli(url: str, *argv: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_DEMO"} | {"DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "planner", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.mark.slow
@pytest.mark.parametrize("verb", sorted(VERBS))
def test_import_verbs_exit_0_2_and_dry_run_change_nothing(tmp_path: Path, verb: str) -> None:
    good, counts, bad, first = VERBS[verb]
    url = f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    migrate(url)
    with session(url) as db:  # someone already on the roster, so "nothing changed" means something
        roster.add_volunteer(db, VolunteerRecord("Someone Else", email="else@example.org"))
    empty = backup.dump(url)

    dry = _cli(url, verb, good, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert re.search(r": would add \d+ and update \d+ \(nothing was changed\)$", dry.stderr.strip())
    assert counts is None or counts in dry.stderr
    assert backup.dump(url) == empty, "--dry-run writes nothing"

    refused = _cli(url, verb, bad)
    lines = refused.stderr.splitlines()
    assert refused.returncode == 2 and lines and lines[0].startswith(first), refused.stderr
    assert all(PLACED.match(line) for line in lines), lines
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert backup.dump(url) == empty, "a refused file writes nothing"
    refused_dry = _cli(url, verb, bad, "--dry-run")
    assert refused_dry.returncode == 2 and refused_dry.stderr.splitlines() == lines

    done = _cli(url, verb, good)
    assert done.returncode == 0, done.stderr
    assert re.search(r": \d+ added, \d+ updated$", done.stderr.strip())
    with session(url, readonly=True) as db:
        assert len(roster.list_volunteers(db)) > 1
    dispose_engine(url)


def test_a_file_that_cannot_be_read_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    assert main(["import-signupgenius", str(tmp_path / "missing.csv")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'missing.csv'}: No such file or directory"
    dispose_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")


# ---------------------------------------------------------------- one person, however it is typed


def _sg(*people: tuple[str, str, str]) -> str:
    header = ('"Sign Up","Start Date/Time (mm/dd/yyyy)","End Date/Time (mm/dd/yyyy)","Item","First Name",'
              '"Last Name","Email"\n')
    row = '"Friday","12/04/2026 09:00 AM","12/04/2026 01:00 PM","Shift","{}","{}","{}"\n'
    return header + "".join(row.format(*person) for person in people)


def _forms(name: str, email: str) -> str:
    return ('"Timestamp","Email Address","Full name","Availability [Friday]"\n'
            f'"11/20/2026 10:15:32","{email}","{name}","Morning"\n')


@pytest.mark.parametrize("kind, data", [
    ("roster", f"name,does\n{NFD_ZOE},shift\n"),
    ("signupgenius", _sg(("Zoe\u0308", "K.", ""))),
    ("google-forms", _forms(NFD_ZOE, "zoe@example.org")),
])
def test_nfd_names_are_stored_nfc_and_match_the_stored_person(store_url: str, kind: str, data: str) -> None:
    with session(store_url) as db:
        stored = roster.add_volunteer(db, VolunteerRecord(NFC_ZOE))
        result = imports.run(kind, data.encode(), db=db)
        people = roster.list_volunteers(db)
    assert (result.added, result.updated) == (0, 1)
    assert [(p.id, p.name) for p in people] == [(stored.id, NFC_ZOE)]


def test_signupgenius_never_attaches_a_row_to_someone_whose_stored_email_differs(store_url: str) -> None:
    with session(store_url) as db:
        ana = roster.add_volunteer(db, VolunteerRecord("Ana Reyes", email="ana@example.org"))
        result = imports.run("signupgenius", _sg(("Ana", "Reyes", "other.ana@example.org")).encode(), db=db)
        people = {p.email: p for p in roster.list_volunteers(db)}
    assert (result.added, result.updated) == (1, 0)
    assert people["ana@example.org"].id == ana.id and people["ana@example.org"].exceptions == ()
    assert people["other.ana@example.org"].name == "Ana Reyes"


def test_one_email_under_two_names_is_refused_and_nothing_is_written(store_url: str) -> None:
    data = _sg(("Ana", "Reyes", "x1@example.org"), ("Bob", "Smith", "X1@example.org"))
    with session(store_url) as db:
        ana = roster.add_volunteer(db, VolunteerRecord("Ana Reyes", email="x1@example.org"))
    before = backup.dump(store_url)
    with pytest.raises(RosterError) as err, session(store_url) as db:
        imports.run("signupgenius", data.encode(), db=db)
    assert err.value.messages == [
        'row 3, First Name: "Bob Smith" signs up with x1@example.org, which row 2 gives to "Ana Reyes"; one '
        "email is one person, so correct the name or the email"]
    assert backup.dump(store_url) == before
    with session(store_url) as db:
        assert roster.get_volunteer(db, ana.id).exceptions == ()  # type: ignore[union-attr]
    same_person = _sg(("Ana", "Reyes", "x1@example.org"), ("ana", "REYES", "x1@example.org"))
    changes = signupgenius.plan_changes(signupgenius.parse_signups(same_person, CenterSettings()), [],
                                        CenterSettings())
    assert [(record.name, len(signups)) for record, _, signups in changes] == [("Ana Reyes", 2)]


@pytest.mark.parametrize("cell, expected", [
    ("Morning, Afternoon", "Fri 09:00-17:00"),
    ("morning ,  AFTERNOON", "Fri 09:00-17:00"),
    ("Not available", ""),
    ("", ""),
    ("Morning or Afternoon (flexible)", '"Morning or Afternoon (flexible)" is not one of'),
    ("Mornings", '"Mornings" is not one of'),
    ("Not available, Morning", '"Not available, Morning" ticks "Not available" and a time of day'),
    ("Afternoon; None", '"Afternoon; None" ticks "None" and a time of day'),
])
def test_forms_options_match_exactly(cell: str, expected: str) -> None:
    form = _forms("Ana Reyes", "ana@example.org").replace('"Morning"', f'"{cell}"')
    preview = google_forms.parse_form(form, CenterSettings())
    if preview.problems:
        assert preview.problems[0].startswith(f"row 2, Availability [Friday]: {expected}"), preview.problems
    else:
        assert "; ".join(str(w) for w in preview.answers[0].windows) == expected


# ---------------------------------------------------------------- the roster editor reads text the same way


@pytest.mark.parametrize("cell, column, message", [
    ("Ana\x00 R.", "Name", "holds a NUL character"),
    ("Ana\nR.", "Name", "holds a line break; it must be one line"),
    ("Ana\rR.", "Name", "holds a line break; it must be one line"),
    ("816-555\n0101", "Phone", "holds a line break; it must be one line"),
    ("Ana \u202eR.", "Name", "holds an invisible or direction-changing character (U+202E)"),
    ("Ana \u202aR.", "Name", "holds an invisible or direction-changing character (U+202A)"),
    ("Ana \u2067R.\u2069", "Name", "holds an invisible or direction-changing character (U+2067)"),
    ("Ana\u200b R.", "Name", "holds an invisible or direction-changing character (U+200B)"),
    ("Ana\u200d R.", "Name", "holds an invisible or direction-changing character (U+200D)"),
])
def test_the_roster_editor_refuses_hidden_characters(cell: str, column: str, message: str) -> None:
    records = [VolunteerRecord("Ana R.", id=1)]
    edit = roster_edit(records, {"edited_rows": {0: {column: cell}}})
    assert edit.updated == [] and edit.errors == [f'Row 1 (Ana R.), column "{column}": {message}']
    added = roster_edit(records, {"added_rows": [{column: cell, "Name": cell if column == "Name" else "Bo"}]})
    assert added.added == [] and f'New row 1, column "{column}": {message}' in added.errors


def test_the_roster_editor_stores_names_nfc() -> None:
    edit = roster_edit([VolunteerRecord("Ana R.", id=1)], {"edited_rows": {0: {"Name": f"  {NFD_ZOE} "}},
                                                           "added_rows": [{"Name": NFD_ZOE}]})
    assert [r.name for r in edit.updated] == [NFC_ZOE] and [r.name for r in edit.added] == [NFC_ZOE]
