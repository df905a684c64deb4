"""Privacy (issue 6): first names only, contact-view audit, upload limits, single sign-on mapping,
formula payloads neutralised in every export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from planner.core.cells import TRIGGERS
from planner.core.domain import VolunteerRecord, default_week
from planner.core.errors import UploadTooLarge
from planner.core.labels import first_name
from planner.core.problem import Assignment
from planner.io.schedule_export import schedule
from planner.present.audit import AUDIT_COLUMNS, audit_kind, audit_table
from planner.present.my_shifts import teammates
from planner.present.text import csv_bytes
from planner.services import audit as audit_service
from planner.services import auth, imports
from planner.services.auth import sso_account
from planner.services.week import build_problem
from planner.store import accounts, audit, db, plans
from planner.store.audit import CONTACT_VIEW
from planner.store.roster import add_volunteer, get_volunteer, list_volunteers
from planner.store.settings import load_settings
from planner.ui.uploads import MAX_UPLOAD_BYTES, read_upload

HTML_NAME = "<img src=x onerror=alert(1)>"
FORMULA_NAME = '=HYPERLINK("http://x")'


# ---------------------------------------------------------------- first names


@pytest.mark.parametrize(("name", "first"), [("Ana R.", "Ana"), ("  Bea  ", "Bea"), ("", ""),
                                             (HTML_NAME, "<img"), ("x" * 50, "x" * 30)])
def test_first_name_is_the_first_word_only(name, first):
    assert first_name(name) == first


def test_teammates_are_the_others_on_the_slot_by_first_name():
    names = {"v01": "Ana R.", "v02": "Bea T.", "v03": "Cleo M.", "v04": "Dana Q."}
    plan = [Assignment("s1", "v01"), Assignment("s1", "v03"), Assignment("s1", "v02"),
            Assignment("s2", "v04"), Assignment("s1", "v09")]  # v09: erased, no name known
    assert teammates(plan, "s1", "v01", names) == ["Bea", "Cleo"]
    assert teammates(plan, "s2", "v01", names) == ["Dana"]
    assert teammates(plan, "s3", "v01", names) == []


# ---------------------------------------------------------------- contact views


def test_contact_view_is_recorded_once_per_page_per_interval(demo_db):
    memo: dict = {}
    assert audit_service.contact_view("coordinator", "roster", 40, memo=memo, now=1000.0)
    assert not audit_service.contact_view("coordinator", "roster", 40, memo=memo, now=1000.0 + 60)
    assert audit_service.contact_view("coordinator", "imports", 3, memo=memo, now=1000.0 + 60)
    assert not audit_service.contact_view("coordinator", "gaps", 0, memo=memo, now=1000.0)  # nothing shown
    assert audit_service.contact_view("coordinator", "roster", 40, memo=memo,
                                now=1000.0 + audit_service.CONTACT_VIEW_EVERY + 1)
    with db.session() as s:
        seen = audit.recent(s, action=CONTACT_VIEW)
    assert [(e.actor, e.target) for e in seen] == [("coordinator", "roster"), ("coordinator", "imports"),
                                                   ("coordinator", "roster")][::-1]
    assert seen[0].detail == "contact details of 40 volunteers shown"
    assert audit_kind(CONTACT_VIEW) == "Contact views"


# ---------------------------------------------------------------- uploads


class _Upload:
    def __init__(self, data: bytes, size: int | None = None):
        self.data, self.size = data, len(data) if size is None else size

    def getvalue(self) -> bytes:
        return self.data


def test_uploads_over_the_limit_are_refused_before_reading():
    assert read_upload(_Upload(b"name\nAna\n")) == b"name\nAna\n"
    with pytest.raises(UploadTooLarge, match="the limit is 1000 kB"):
        read_upload(_Upload(b"", size=MAX_UPLOAD_BYTES + 1))
    with pytest.raises(UploadTooLarge):  # a size that lies is caught on the bytes
        read_upload(_Upload(b"x" * 11, size=1), limit=10)


def test_server_upload_limit_is_small_and_xsrf_on():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit/config.toml").read_text())
    assert 1 <= config["server"]["maxUploadSize"] <= 5  # MB
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"


# ---------------------------------------------------------------- audit table


def test_audit_table_kinds_and_columns(demo_db):
    auth.authenticate("coordinator", "wrong")
    auth.authenticate("coordinator", "demo")
    with db.session() as s:
        table = audit_table(audit.recent(s, limit=5), {}, "America/Chicago")
    assert list(table.columns) == AUDIT_COLUMNS
    assert list(table["Action"][:2]) == ["sign-in", "sign-in failed"]
    assert set(table["Kind"][:2]) == {"Sign-ins"}
    assert audit_kind("plan published") == "Publishes"
    assert audit_kind("roster exported") == "Exports"
    assert audit_kind("something new") == "Other"


def test_the_audit_table_names_people_and_keeps_the_erased_anonymous():
    from datetime import datetime

    from planner.store.audit import AuditEntry

    at = datetime(2026, 12, 4, 15, 0)
    entries = [AuditEntry(at, "coordinator", "plan published", "week 2026-11-30",
                          "version 3: v39 replaces v09 on 2026-12-04-am"),
               AuditEntry(at, "coordinator", "volunteer edited", "volunteer 42", "")]
    table = audit_table(entries, {"v39": "Ana R.", "v42": "Bo T."}, "America/Chicago")
    assert table.loc[0, "Detail"] == "version 3: Ana R. replaces an erased volunteer on Fri 4 Dec morning"
    assert table.loc[1, "Target"] == "Bo T."
    assert table.loc[0, "When"] == "2026-12-04 09:00:00"  # 15:00 UTC in Chicago


# ---------------------------------------------------------------- single sign-on mapping


def test_sso_maps_an_account_domain_email_to_that_username(demo_db):
    with db.session() as s:
        account = sso_account(s, {"email": "Coordinator@Center.example", "email_verified": True},
                              ["center.example"])
        assert account is not None and account.role == "coordinator"
        # The same local part at any other domain is not the coordinator.
        assert sso_account(s, {"email": "coordinator@gmail.com"}, ["center.example"]) is None
        assert sso_account(s, {"email": "coordinator@center.example"}, []) is None


def test_sso_maps_a_volunteer_by_the_email_on_their_record(demo_db):
    with db.session() as s:
        mine = accounts.get_account(s, "volunteer")
        email = get_volunteer(s, mine.volunteer_id).email
        assert sso_account(s, {"email": email.upper()}, []) == mine
        assert sso_account(s, {"email": email, "email_verified": False}, []) is None
        assert sso_account(s, {"email": email, "email_verified": "false"}, []) is None
        # A volunteer on the roster without a planner account is refused.
        others = [v for v in list_volunteers(s) if v.email and v.id != mine.volunteer_id]
        assert sso_account(s, {"email": others[0].email}, []) is None
        assert sso_account(s, {"email": "nobody@example.org"}, []) is None
        assert sso_account(s, {}, []) is None
        assert sso_account(s, {"email": "not-an-email"}, ["not-an-email"]) is None


# ---------------------------------------------------------------- exports neutralise payloads


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _add_payload_volunteers() -> list[VolunteerRecord]:
    with db.session() as s:
        return [add_volunteer(s, VolunteerRecord(name=FORMULA_NAME, email="=cmd@example.org",
                                                 phone="+1 816-555-0199"), actor="test"),
                add_volunteer(s, VolunteerRecord(name=HTML_NAME, phone="@SUM(1+1)"), actor="test"),
                add_volunteer(s, VolunteerRecord(name="-2+3", phone="\t=1"), actor="test")]


def _assert_neutralised(cells: list[str]) -> None:
    assert cells
    for cell in cells:
        assert not cell.startswith(TRIGGERS), cell


def test_roster_export_neutralises_formula_payloads(demo_db):
    added = _add_payload_volunteers()
    with db.session() as s:
        text = imports.export_roster("coordinator", db=s)
    cells = _cells(text)
    _assert_neutralised(cells)
    assert "'" + FORMULA_NAME in cells and HTML_NAME in cells and "'-2+3" in cells
    assert "'+1 816-555-0199" in cells and "'@SUM(1+1)" in cells and "'=cmd@example.org" in cells
    assert len(added) == 3


def test_schedule_export_neutralises_formula_payloads(demo_db):
    added = _add_payload_volunteers()
    with db.session() as s:
        settings = load_settings(s)
        week = default_week(date.today(), settings.open_weekdays)
        slot = settings.week_slots(week)[0]
        plans.save_draft(s, week, [Assignment(slot.id, v.key) for v in added], actor="test")
    with db.session() as s:
        problem = build_problem(s, week)
        draft = plans.get_draft(s, week)
    text = csv_bytes(schedule(problem, draft.assignments, settings.place)).decode()
    cells = _cells(text)
    _assert_neutralised(cells)
    assert "'" + FORMULA_NAME in cells and "'-2+3" in cells


def test_audit_export_neutralises_a_formula_typed_as_username(demo_db):
    auth.authenticate(FORMULA_NAME, "whatever")
    with db.session() as s:
        text = csv_bytes(audit_table(audit.recent(s, limit=10), {}, "UTC")).decode()
    cells = _cells(text)
    _assert_neutralised(cells)
    assert "'" + FORMULA_NAME.lower() in cells
