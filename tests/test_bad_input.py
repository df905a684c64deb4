"""The bad-input corpus (tests/data/bad/): refused with placed messages, the database row-for-row unchanged.

CSV files go through the importer their name says (`sg_*`: SignUpGenius,
`forms_*`: Google Forms, else the roster CSV): each is refused (every message
names the file or a row, and a full dump of the database is equal before and
after) or is awkward but valid and imports exactly. Problem JSON files go
through `python -m planner solve`, `whatif` and `check`: exit 2, every line
placed, no answer written; plan files through `check`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.io.roster_csv import parse_roster
from planner.present.roster import roster_edit, roster_table
from planner.present.text import md_escape
from planner.services import imports
from planner.store import backup, roster
from planner.store.db import session
from planner.store.roster import RosterError

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
GOOD_PROBLEM = str(ROOT / "tests" / "data" / "problem_small.json")
GOOD_PLAN = str(ROOT / "tests" / "data" / "plan_small.json")
PLACED = re.compile(r"^(file|row \d+)[,:] ")

REFUSED = {
    "empty.csv": "row 1, header: the first row must name the columns (the file is empty)",
    "header_only.csv": "row 2: no volunteers under the header",
    "encoding_cp1252.csv": 'file: not UTF-8 text (row 3: byte 0xe9); save it as "CSV UTF-8"',
    "encoding_utf16_no_bom.csv": "file: NUL bytes from row 1 on; is it UTF-16 without a byte order mark?",
    "oversized_rows.csv": "row 2002: more than 2,000 volunteers in one file; split it",
    "ragged_rows.csv": "row 3: 11 cells, but the header names 10",
    "duplicate_people.csv": 'row 4, email: "ana@example.org" is also on row 2',
    "end_before_start.csv": 'row 2, availability: "Fri 17:00-09:00" ends before it starts',
    "time_2400.csv": 'row 2, availability: "Fri 13:00-24:00" is not a time',
    "time_2500.csv": 'row 2, availability: "Fri 25:00-17:00" is not a time',
    "time_9-1.csv": 'row 2, availability: "Fri 9-1" is not a time',
    "unknown_day.csv": 'row 2, availability: "Fry 09:00-13:00" is not a weekday',
    "negative_cap.csv": 'row 2, max_shifts_per_week: "-1" is not a whole number >= 0',
    "non_numeric_cap.csv": 'row 2, max_shifts_per_week: "two" is not a whole number >= 0',
    "huge_cap.csv": 'row 2, max_shifts_per_week: "99999999999999999999" is more than 21',
    "impossible_date.csv": 'row 2, background_check_expires: "2027-02-30" is not a date YYYY-MM-DD',
    "unknown_check_status.csv": 'row 2, background_check: "approved" is not one of cleared, pending',
    "unknown_column.csv": 'row 1, header: unknown column "notes"',
    "long_email.csv": "row 2, email: longer than 254 characters",
    # Issue 15: one decoder and one row check for every importer, one reader of text fields.
    "sg_encoding_latin1.csv": 'file: not UTF-8 text (row 3: byte 0xeb); save it as "CSV UTF-8"',
    "forms_encoding_cp1252.csv": 'file: not UTF-8 text (row 3: byte 0xeb); save it as "CSV UTF-8"',
    "sg_email_column_twice.csv": 'row 1, header: column "Email" appears twice',
    "sg_short_row.csv": "row 3: 5 cells, but the header names 8",
    "sg_year_9999.csv": 'row 2, Start Date/Time (mm/dd/yyyy): "12/31/9999 11:00 PM" is not in the years 2000',
    "sg_one_email_two_names.csv": 'row 3, First Name: "Bob Smith" signs up with x1@example.org, which row 2 '
                                  'gives to "Ana Reyes"; one email is one person',
    "sg_bidi_override_name.csv": "row 2, First Name/Last Name: holds an invisible or direction-changing "
                                 "character (U+202E)",
    "forms_flexible_option.csv": 'row 3, Availability [Friday]: "Morning or Afternoon (flexible)" is not one '
                                 "of Morning, Afternoon, Dinner",
    "forms_not_available_and_morning.csv": 'row 3, Availability [Saturday]: "Not available, Morning" ticks '
                                           '"Not available" and a time of day',
    "forms_nul_in_name.csv": "row 3: a NUL character; cells hold text only",
    "forms_zero_width_name.csv": "row 3, Full name: holds an invisible or direction-changing character "
                                 "(U+200B)",
    "forms_line_break_in_phone.csv": "row 3, Phone number: holds a line break; it must be one line",
    "text_line_break_in_name.csv": "row 3, name: holds a line break; it must be one line",
    "text_cr_in_phone.csv": "row 2, phone: holds a line break; it must be one line",
    "text_bidi_isolate.csv": "row 3, name: holds an invisible or direction-changing character (U+2066)",
    "text_zero_width_duplicate.csv": "row 3, name: holds an invisible or direction-changing character "
                                     "(U+200B)",
    "text_nfc_nfd_duplicate.csv": 'row 3, name: "Zoë K." is also on row 2',
}
ACCEPTED = {
    "bom_utf8.csv": ["Ana R."],
    "encoding_utf16_bom.csv": ["Ana R.", "Zoë K."],
    "semicolon_delimiter.csv": ["Ana R."],
    "tab_delimiter.csv": ["Ana R."],
    "names_na_null.csv": ["#N/A", "N/A", "NA", "nan", "None", "NULL"],
    "html_and_formulas.csv": ["+cmd|calc", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
                              '=HYPERLINK("http://evil.example","click")'],
    "sg_encoding_utf16_bom.csv": ["Ana Reyes", "Zoë Keller"],
    "forms_encoding_utf16_bom.csv": ["Ana Reyes", "Zoë Keller"],
}
PROBLEMS = {
    "problem_empty.json": "problem_empty.json: line 1, column 1: not valid JSON",
    "problem_utf16.json": "problem_utf16.json: problem is not UTF-8 text",
    "problem_not_an_object.json": "problem: must be an object",
    "problem_end_before_start.json": "slots[0].end: before start",
    "problem_time_2400.json": "slots[0].end: '2026-12-04T24:00' is not a time",
    "problem_impossible_date.json": "volunteers[0].background_check.expires: '2027-02-30' is not a date",
    "problem_unknown_check_status.json": "volunteers[0].background_check.status: 'approved' is not one of",
    "problem_negative_and_text_caps.json": "slots[0].min: -1 is negative",
    "problem_nan_min.json": "slots[0].min: nan is not a whole number",
    "problem_unknown_kind.json": "slots[0].kind: 'brunch' is not shift or meal",
    "problem_pin_unknown_volunteer.json": "pinned[0].volunteer: no volunteer 'v99'",
    "problem_huge_target.json": "slots[0].target: 1000000000000000000000000000000 is more than 100000",
    # Issue 15: what Python's json module let through or crashed on.
    "problem_deep_nesting.json": "problem_deep_nesting.json: line 1, column 107: nested more than 64 levels",
    "problem_5000_digits.json": "problem_5000_digits.json: line 11, column 14: a number of 5,000 digits",
    "problem_duplicate_keys.json": "slots: given twice in one object",
    "problem_duplicate_nested_key.json": "volunteers[0].background_check.status: given twice in one object",
    "problem_min_above_target.json": "slots[2].target: below min",
    "problem_whatif_min_above_target.json": "whatif.candidates[0].slots[0].target: below min",
}
PLANS = {  # checked by `check` against a valid problem
    "plan_duplicate_assignments.json": "plan.assignments: given twice in one object",
}
PLACED_LINE = re.compile(r"^[\w./-]+(\[\d+\])?[\w.\[\]]*: ")


def kind_of(name: str) -> str:
    """The importer a corpus file is for, by its name."""
    return {"sg": "signupgenius", "forms": "google-forms"}.get(name.split("_")[0], "roster")


def test_the_corpus_is_complete() -> None:
    """One file per case, and every file in the folder has its expectation here."""
    assert {p.name for p in BAD.iterdir()} == set(REFUSED) | set(ACCEPTED) | set(PROBLEMS) | set(PLANS)


@pytest.fixture
def filled(store_url: str) -> str:
    with session(store_url) as db:
        imports.run("roster", (ROOT / "tests" / "data" / "roster.csv").read_bytes(), "setup", db=db)
    return store_url


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_files_change_nothing(filled: str, name: str) -> None:
    before = backup.dump(filled)
    with pytest.raises(RosterError) as err, session(filled) as db:
        imports.run(kind_of(name), (BAD / name).read_bytes(), "coord", db=db)
    assert err.value.messages[0].startswith(REFUSED[name]), err.value.messages
    assert all(PLACED.match(m) for m in err.value.messages), err.value.messages
    assert backup.dump(filled) == before


def test_a_refused_file_through_the_command_line_exits_2(filled: str, monkeypatch: pytest.MonkeyPatch,
                                                        capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", filled)
    before = backup.dump(filled)
    assert main(["import-roster", str(BAD / "unknown_day.csv")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        'row 2, availability: "Fry 09:00-13:00" is not a weekday',
        'row 2, availability: "Funday 09:00-13:00" is not a weekday']
    assert backup.dump(filled) == before


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_awkward_but_valid_files_import_exactly(store_url: str, name: str) -> None:
    with session(store_url) as db:
        result = imports.run(kind_of(name), (BAD / name).read_bytes(), db=db)
        names = sorted(v.name for v in roster.list_volunteers(db))
    assert result.added == len(ACCEPTED[name])
    assert names == sorted(ACCEPTED[name])


def test_semicolon_file_keeps_its_quoted_availability() -> None:
    [(_, ana)] = parse_roster((BAD / "semicolon_delimiter.csv").read_bytes())
    assert [str(w) for w in ana.availability] == ["Fri 09:00-13:00", "Sat 09:00-13:00"]
    assert (ana.email, ana.max_shifts, ana.check_status) == ("ana@example.org", 2, "cleared")


def test_na_and_null_stay_text_through_the_pandas_roster_table(store_url: str) -> None:


    with session(store_url) as db:
        imports.run("roster", (BAD / "names_na_null.csv").read_bytes(), db=db)
        records = roster.list_volunteers(db)
    table = roster_table(records)
    assert sorted(table["Name"]) == sorted(ACCEPTED["names_na_null.csv"])
    assert not table["Name"].isna().any()


def test_formulas_are_neutralised_on_export_and_restored_on_reimport(store_url: str) -> None:
    with session(store_url) as db:
        imports.run("roster", (BAD / "html_and_formulas.csv").read_bytes(), db=db)
        exported = imports.export_roster(db=db)
    lines = exported.splitlines()
    assert "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",link@example.org" in exported
    assert any(line.startswith("'+cmd|calc,plus@example.org,'@SUM(A1),") for line in lines)
    assert any(line.startswith("<img src=x onerror=alert(1)>,img@example.org,'=1+1,") for line in lines)
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in lines[1:] for cell in line.split(","))
    with session(store_url) as db:
        assert imports.run("roster", exported, db=db).updated == 4
        assert imports.export_roster(db=db) == exported


def test_html_is_escaped_for_markdown() -> None:


    shown = md_escape("<script>alert(1)</script>")
    assert "<script>" not in shown


def test_a_failure_half_way_through_the_writes_leaves_no_rows(filled: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a caller that catches the error inside its session keeps the rows it had."""
    before = backup.dump(filled)
    calls = []
    add = roster.add_volunteer

    def fail_second(db, record, actor=None):  # type: ignore[no-untyped-def]
        calls.append(record)
        if len(calls) == 2:
            raise RosterError(["row 3, name: refused by the test"])
        return add(db, record, actor)

    monkeypatch.setattr(roster, "add_volunteer", fail_second)
    with session(filled) as db:
        with pytest.raises(RosterError):
            imports.run("roster", "name\nNew One\nNew Two\n", db=db)
        assert [v.name for v in roster.list_volunteers(db)] == sorted(
            (v.name for v in roster.list_volunteers(db)), key=str.casefold)
    assert backup.dump(filled) == before


def test_oversized_bytes_and_giant_cells_are_refused() -> None:
    with pytest.raises(RosterError, match=r"^file: 1,000,001 bytes, more than the 1,000,000"):
        parse_roster(b"name\n" + b"x" * 999_996)
    with pytest.raises(RosterError, match=r"^row 2: field larger than field limit"):
        parse_roster("name\n" + "x" * 200_000 + "\n")
    with pytest.raises(RosterError, match=r"^row 2: a NUL character"):
        parse_roster("name\nA\x00na\n")


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_bad_problem_json_exits_2_with_placed_lines_and_writes_nothing(tmp_path: Path, name: str) -> None:
    out = tmp_path / "plan.json"
    done = subprocess.run([sys.executable, "-m", "planner", "solve", str(BAD / name), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr
    assert lines and lines[0].endswith(PROBLEMS[name]) or PROBLEMS[name] in lines[0], lines
    assert all(PLACED_LINE.match(line) for line in lines), lines
    assert not out.exists() and done.stdout == ""


@pytest.mark.parametrize("verb", ["whatif", "check"])
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_whatif_and_check_refuse_bad_problems_alike(tmp_path: Path, name: str, verb: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The same reader: in-process (the subprocess path is proven by `solve` above)."""
    out = tmp_path / "answer.json"
    argv = [verb, str(BAD / name), "-o", str(out)] if verb == "whatif" else [verb, str(BAD / name), GOOD_PLAN]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert PROBLEMS[name] in lines[0] and all(PLACED_LINE.match(line) for line in lines), lines
    assert captured.out == "" and not out.exists()


@pytest.mark.parametrize("name", sorted(PLANS))
def test_bad_plan_files_are_refused_by_check(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", GOOD_PROBLEM, str(BAD / name)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [PLANS[name]] and captured.out == ""


def test_a_missing_output_folder_and_bad_time_limits_exit_2(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no such folder" / "plan.json"
    assert main(["solve", GOOD_PROBLEM, "-o", str(missing)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"{missing}: cannot write (No such file or directory)"
    assert not missing.parent.exists()
    for verb in ("solve", "whatif"):
        for limit in ("nan", "-1", "0", "inf", "ten"):
            with pytest.raises(SystemExit) as done:
                main([verb, GOOD_PROBLEM, "--time-limit", limit])
            assert done.value.code == 2
            err = capsys.readouterr().err
            assert f"argument --time-limit: '{limit}' is not a " in err and "Traceback" not in err


def test_roster_editor_form_fields_refuse_with_row_and_column() -> None:
    """The coordinator's table editor (planner.present.roster_edit) follows the same rules."""

    from planner.core.domain import VolunteerRecord

    records = [VolunteerRecord("Ana R.", id=1), VolunteerRecord("Bea B.", id=2)]
    edit = roster_edit(records, {"edited_rows": {
        0: {"Max shifts/week": "-1", "Availability": "Fri 25:00-17:00"},
        1: {"Check": "approved", "Check expires": "2027-02-30"}}})
    assert edit.updated == [] and edit.errors == [
        'Row 1 (Ana R.), column "Availability": "Fri 25:00-17:00" is not a time',
        'Row 1 (Ana R.), column "Max shifts/week": "-1" is not a whole number >= 0',
        'Row 2 (Bea B.), column "Check": "approved" is not one of cleared, pending, expired, none',
        'Row 2 (Bea B.), column "Check expires": "2027-02-30" is not a date YYYY-MM-DD']
    kept = roster_edit(records, {"added_rows": [{"Name": "NA"}, {"Name": "NULL"}]})
    assert [r.name for r in kept.added] == ["NA", "NULL"] and kept.errors == []
