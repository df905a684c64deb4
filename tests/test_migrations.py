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
          "feed_tokens", "invitations", "leases", "notifications", "offer_recipients", "offers", "pins",
          "plan_assignments", "plans", "preferences", "sessions", "sign_in_tokens", "sms_choices", "standby",
          "users", "volunteers", "weeks"}


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


def _kinds(url: str) -> list[tuple[str, str]]:
    """(key, kind) of every queued message, read with SQL: the ORM knows only the newest schema."""
    from sqlalchemy import text

    with session(url) as db:
        return [tuple(r) for r in db.execute(text("SELECT key, kind FROM notifications ORDER BY key"))]


def _queue_sql(url: str, key: str, volunteer_id: int, kind: str) -> None:
    from sqlalchemy import text

    with session(url) as db:
        db.execute(text("INSERT INTO notifications (key, volunteer_id, kind, subject, body, ics, status, "
                        "attempts, created_at) VALUES (:k, :v, :kind, 's', 'b', '', 'queued', 0, "
                        "'2026-12-01')"), {"k": key, "v": volunteer_id, "kind": kind})


def test_0005_rebuilds_notifications_with_the_link_kinds_and_keeps_its_rows(db_url: str) -> None:
    """SQLite cannot alter a CHECK constraint: 0005 rebuilds `notifications`; rows survive both ways."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    migrate(db_url, "0004")
    with session(db_url) as db:
        db.execute(text("INSERT INTO volunteers (name, does_shifts, does_meals, trained, check_status, "
                        "max_shifts, max_meals, active, created_at, updated_at, row_version) VALUES "
                        "('Ana Reyes', true, false, false, 'none', 1, 0, true, '2026-12-01', '2026-12-01', "
                        "1)"))
        person = db.execute(text("SELECT id FROM volunteers")).scalar_one()
    _queue_sql(db_url, "k1", person, "publish")
    migrate(db_url, "20261201_0006")
    _queue_sql(db_url, "k2", person, "invite")
    assert _kinds(db_url) == [("k1", "publish"), ("k2", "invite")]
    with pytest.raises(IntegrityError):
        _queue_sql(db_url, "k3", person, "other")
    downgrade(db_url, "0004")
    assert _kinds(db_url) == [("k1", "publish")]
    assert "sessions" not in _tables(db_url)


def test_0008_notifications_take_texts_offers_and_alerts_and_keep_their_rows(db_url: str) -> None:
    """0008 rebuilds `notifications` (kinds, channel, no volunteer for an alert); a downgrade drops only
    the messages the older schema cannot hold."""
    from planner.core.domain import VolunteerRecord
    from planner.store import notifications
    from planner.store.roster import add_volunteer

    migrate(db_url, "20261202_0007")
    with session(db_url) as db:
        person = add_volunteer(db, VolunteerRecord("Ana Reyes", email="ana@example.org")).id
    _queue_sql(db_url, "k1", person, "publish")
    migrate(db_url)
    with session(db_url) as db:
        assert notifications.queue(db, key="k2", volunteer_id=person, kind="offer", subject="s", body="b",
                                   ics="", channel="sms")
        assert notifications.queue(db, key="k3", volunteer_id=None, kind="alert", subject="s", body="b",
                                   ics="")
        assert [(n.key, n.channel) for n in notifications.list_notifications(db)] == [
            ("k3", "email"), ("k2", "sms"), ("k1", "email")]
    downgrade(db_url, "20261202_0007")
    assert _kinds(db_url) == [("k1", "publish")]
    assert {"offers", "offer_recipients", "standby", "sms_choices"}.isdisjoint(_tables(db_url))
    migrate(db_url)
    assert _tables(db_url) == TABLES


def test_0009_keeps_messages_and_attendance_and_lets_messages_go_to_applicants(db_url: str) -> None:
    """0009 rebuilds `notifications` (an optional volunteer, an applicant) and `attendance` (trained by) on
    SQLite; their rows survive both ways, and a message goes to one volunteer or applicant, never both."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    migrate(db_url, "20261202_0008")
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
    downgrade(db_url, "20261202_0008")  # drops the applicants' kind of message with them
    with session(db_url) as db:
        assert list(db.scalars(text("SELECT key FROM notifications ORDER BY key"))) == ["k1"]
        assert list(db.scalars(text("SELECT slot FROM attendance"))) == ["2026-12-04-am"]
    assert "applicants" not in _tables(db_url)
