"""Accounts and sign-in: argon2 hashes, lock-out counted in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.core.clock import utcnow
from planner.core.domain import VolunteerRecord
from planner.services import auth
from planner.store import accounts, audit, roster
from planner.store.db import session
from planner.store.models import UserRow


def test_create_user_stores_an_argon2_hash_not_the_password(store_url: str) -> None:
    with session(store_url) as db:
        account = auth.create_user(" Coord ", "correct horse", "coordinator", db=db)
        assert account.username == "coord" and account.role == "coordinator"
        row = accounts.find_user(db, "COORD")
        assert row is not None and row.password_hash.startswith("$argon2")
        assert "correct horse" not in row.password_hash


@pytest.mark.parametrize(("args", "message"), [
    (("x y", "long enough pw", "coordinator"), "username"),
    (("lead", "long enough pw", "boss"), "role"),
    (("vol", "long enough pw", "volunteer"), "must be linked"),
    (("vol", "long enough pw", "volunteer", 999), "no volunteer with id 999"),
    (("short", "1234567", "leadership"), "at least 8"),
])
def test_bad_accounts_are_refused(store_url: str, args: tuple, message: str) -> None:
    with session(store_url) as db, pytest.raises(accounts.AccountError, match=message):
        auth.create_user(*args, db=db)


def test_username_must_be_unique(store_url: str) -> None:
    with session(store_url) as db:
        auth.create_user("lead", "long enough pw", "leadership", db=db)
        with pytest.raises(accounts.AccountError, match="taken"):
            auth.create_user("LEAD", "another long pw", "leadership", db=db)


def test_authenticate_right_and_wrong_password(store_url: str) -> None:
    with session(store_url) as db:
        vid = roster.add_volunteer(db, VolunteerRecord("Ana R.")).id
        auth.create_user("ana", "long enough pw", "volunteer", vid, db=db)
    with session(store_url) as db:
        assert auth.authenticate("ana", "wrong", db=db).ok is False
        ok = auth.authenticate("ana", "long enough pw", db=db)
        assert ok.ok and ok.account == accounts.Account(ok.account.id, "ana", "volunteer", vid)
        assert auth.authenticate("nobody", "long enough pw", db=db).ok is False
        actions = [e.action for e in audit.recent(db)]
        assert actions[:3] == ["sign-in failed", "sign-in", "sign-in failed"]


def test_five_failures_lock_for_fifteen_minutes_even_across_sessions(store_url: str) -> None:
    with session(store_url) as db:
        auth.create_user("coord", "long enough pw", "coordinator", db=db)
    now = utcnow()
    for _ in range(auth.MAX_FAILURES):
        with session(store_url) as db:
            assert not auth.authenticate("coord", "guess", db=db, now=now).ok
    with session(store_url) as db:
        locked = auth.authenticate("coord", "long enough pw", db=db, now=now + timedelta(minutes=14))
        assert not locked.ok and locked.locked_until == now + auth.LOCK_TIME
        assert audit.recent(db, action="locked out")
    with session(store_url) as db:
        later = auth.authenticate("coord", "long enough pw", db=db,
                                  now=now + timedelta(minutes=15, seconds=1))
        assert later.ok
        row = accounts.find_user(db, "coord")
        assert row is not None and row.failed_attempts == 0 and row.locked_until is None


def test_a_success_resets_the_failure_count(store_url: str) -> None:
    with session(store_url) as db:
        auth.create_user("coord", "long enough pw", "coordinator", db=db)
        for _ in range(auth.MAX_FAILURES - 1):
            auth.authenticate("coord", "guess", db=db)
        assert auth.authenticate("coord", "long enough pw", db=db).ok
        for _ in range(auth.MAX_FAILURES - 1):
            auth.authenticate("coord", "guess", db=db)
        assert auth.authenticate("coord", "long enough pw", db=db).ok


def test_unlock_set_password_and_roles(store_url: str) -> None:
    with session(store_url) as db:
        auth.create_user("coord", "long enough pw", "coordinator", db=db)
        for _ in range(auth.MAX_FAILURES):
            auth.authenticate("coord", "guess", db=db)
        accounts.unlock(db, "coord")
        assert auth.authenticate("coord", "long enough pw", db=db).ok
        auth.set_password("coord", "a new long password", db=db)
        assert not auth.authenticate("coord", "long enough pw", db=db).ok
        assert auth.authenticate("coord", "a new long password", db=db).ok
        assert accounts.set_role(db, "coord", "leadership").role == "leadership"
        assert [a.username for a in accounts.list_accounts(db)] == ["coord"]
        accounts.delete_account(db, "coord")
        assert accounts.get_account(db, "coord") is None


def test_authenticate_opens_its_own_session_by_default(store_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", store_url)
    auth.create_user("lead", "long enough pw", "leadership")
    assert auth.authenticate("lead", "long enough pw").ok
    for _ in range(auth.MAX_FAILURES):
        auth.authenticate("lead", "nope")
    with session(store_url) as db:
        row = db.query(UserRow).filter_by(username="lead").one()
        assert row.failed_attempts == auth.MAX_FAILURES and row.locked_until is not None
