"""Alembic: upgrade from empty, models and migrations agree, downgrade/upgrade round trip."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from planner.store.db import get_engine, session
from planner.store.migrate import downgrade, migrate
from planner.store.models import Base
from planner.store.roster import list_volunteers

TABLES = {"applicant_tallies", "applicant_windows", "applicants", "attendance", "audit_log",
          "availability_exceptions", "availability_windows", "cancellations", "center_settings",
          "feed_tokens", "invitations", "leases", "notifications", "pins", "plan_assignments", "plans",
          "preferences", "sessions", "sign_in_tokens", "users", "volunteers", "weeks"}


def _tables(url: str) -> set[str]:
    return set(inspect(get_engine(url)).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_matches_the_models(db_url: str) -> None:
    assert _tables(db_url) == set()
    migrate(db_url)
    assert _tables(db_url) == TABLES
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_round_trip(db_url: str) -> None:
    migrate(db_url)
    downgrade(db_url, "base")
    assert _tables(db_url) == set()
    migrate(db_url)
    with session(db_url) as db:
        assert list_volunteers(db) == []
    assert _tables(db_url) == TABLES


def test_constraint_names_follow_the_convention(db_url: str) -> None:
    migrate(db_url)
    inspector = inspect(get_engine(db_url))
    # SQLite does not report primary key names.
    assert inspector.get_pk_constraint("volunteers")["name"] in ("pk_volunteers", None)
    fks = {fk["name"] for fk in inspector.get_foreign_keys("plan_assignments")}
    assert "fk_plan_assignments_plan_id_plans" in fks
    assert {u["name"] for u in inspector.get_unique_constraints("users")} == {"uq_users_username"}


def test_0005_rebuilds_notifications_with_the_link_kinds_and_keeps_its_rows(db_url: str) -> None:
    """SQLite cannot alter a CHECK constraint: 0005 rebuilds `notifications`; rows survive both ways."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from planner.core.domain import VolunteerRecord
    from planner.store import notifications
    from planner.store.roster import add_volunteer

    # The rows are read and written in SQL: today's models have columns the old schema lacks.
    insert = text("INSERT INTO notifications (key, volunteer_id, kind, subject, body, ics, status, attempts, "
                  "created_at) VALUES (:key, :v, :kind, 's', 'b', '', 'queued', 0, '2026-12-01')")
    migrate(db_url, "0004")
    with session(db_url) as db:
        person = add_volunteer(db, VolunteerRecord("Ana Reyes", email="ana@example.org"))
        db.execute(insert, {"key": "k1", "v": person.id, "kind": "publish"})
    migrate(db_url)
    with session(db_url) as db:
        notifications.queue(db, key="k2", volunteer_id=person.id, kind="invite", subject="s", body="b",
                            ics="")
        assert [n.kind for n in notifications.list_notifications(db)] == ["invite", "publish"]
    with pytest.raises(IntegrityError), session(db_url) as db:
        db.execute(insert, {"key": "k3", "v": person.id, "kind": "other"})
    downgrade(db_url, "0004")
    with session(db_url) as db:
        assert list(db.scalars(text("SELECT key FROM notifications"))) == ["k1"]
    assert "sessions" not in _tables(db_url)


def test_0008_keeps_messages_and_attendance_and_lets_messages_go_to_applicants(db_url: str) -> None:
    """0008 rebuilds `notifications` (an optional volunteer, an applicant) and `attendance` (trained by) on
    SQLite; their rows survive both ways, and a message goes to exactly one volunteer or applicant."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    migrate(db_url, "20261201_0006")
    with session(db_url) as db:
        db.execute(text("INSERT INTO volunteers (id, name, does_shifts, does_meals, trained, check_status, "
                        "max_shifts, max_meals, active, created_at, updated_at, row_version) VALUES "
                        "(1, 'Ana', true, false, false, 'none', 1, 0, true, '2026-12-01', '2026-12-01', 1)"))
        db.execute(text("INSERT INTO weeks (id, start) VALUES (1, '2026-11-30')"))
        db.execute(text("INSERT INTO attendance (week_id, slot, day, volunteer_id, no_show, created_at) "
                        "VALUES (1, '2026-12-04-am', '2026-12-04', 1, false, '2026-12-04')"))
        db.execute(text("INSERT INTO notifications (key, volunteer_id, kind, subject, body, ics, status, "
                        "attempts, created_at) VALUES ('k1', 1, 'publish', 's', 'b', '', 'queued', 0, "
                        "'2026-12-01')"))
    migrate(db_url)
    insert = text("INSERT INTO notifications (key, volunteer_id, applicant_id, kind, subject, body, ics, "
                  "status, attempts, created_at) VALUES (:key, :v, :a, 'applied', 's', 'b', '', 'queued', 0, "
                  "'2026-12-01')")
    with session(db_url) as db:
        db.execute(text("INSERT INTO applicants (id, name, wants_shifts, wants_meals, consent_at, stage, "
                        "applied_at) VALUES (7, 'Bea', true, false, '2026-12-01', 'new', '2026-12-01')"))
        db.execute(insert, {"key": "k2", "v": None, "a": 7})
        kept = list(db.scalars(text("SELECT slot FROM attendance WHERE trained_by IS NULL")))
        assert kept == ["2026-12-04-am"]
    for both_or_neither in ({"key": "k3", "v": 1, "a": 7}, {"key": "k4", "v": None, "a": None}):
        with pytest.raises(IntegrityError), session(db_url) as db:
            db.execute(insert, both_or_neither)
    with session(db_url) as db:
        db.execute(text("DELETE FROM applicants WHERE id = 7"))  # erasing an applicant takes their messages
        assert list(db.scalars(text("SELECT key FROM notifications ORDER BY key"))) == ["k1"]
        db.execute(insert, {"key": "k5", "v": 1, "a": None})  # "we have your details", to a volunteer
    downgrade(db_url, "20261201_0006")  # drops the applicants' kind of message with them
    with session(db_url) as db:
        assert list(db.scalars(text("SELECT key FROM notifications ORDER BY key"))) == ["k1"]
        assert list(db.scalars(text("SELECT slot FROM attendance"))) == ["2026-12-04-am"]
    assert "applicants" not in _tables(db_url)
