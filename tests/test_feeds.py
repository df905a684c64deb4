"""Calendar feeds: a volunteer's own slots only, the center's with names, SEQUENCE and CANCELLED across
re-publishes, revoked and tampered tokens, tokens only as hashes; the public URL setting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from planner.core.domain import VolunteerRecord, monday_of
from planner.core.errors import ConfigError
from planner.core.problem import Assignment
from planner.services import feeds, links, publish
from planner.services.auth import create_user
from planner.store import accounts, audit, db
from planner.store.models import FeedTokenRow
from planner.store.roster import add_volunteer, erase_volunteer

WEEK = monday_of(date.today()) + timedelta(weeks=2)
FRI, SAT = (WEEK + timedelta(days=4)).isoformat(), (WEEK + timedelta(days=5)).isoformat()


@pytest.fixture
def url(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", store_url)
    with db.session(store_url) as s:
        add_volunteer(s, VolunteerRecord("Ana Reyes", email="ana@example.org", phone="816-555-0100"))
        add_volunteer(s, VolunteerRecord("Bea Cole", email="bea@example.org", phone="816-555-0101"))
    return store_url


def _publish(pairs: list[tuple[str, str]]) -> None:
    publish.publish(WEEK, [Assignment(slot, vol) for slot, vol in pairs],
                    based_on=publish.latest_version(WEEK), actor="coord")


def _events(data: bytes | None) -> dict[str, tuple[str, str, int, str]]:
    """start (local ISO) -> (summary, status, sequence, uid)"""
    assert data is not None
    return {e.decoded("dtstart").isoformat(): (str(e["summary"]), str(e["status"]), int(e["sequence"]),
                                                str(e["uid"]))
            for e in Calendar.from_ical(data).walk("VEVENT")}


def test_a_volunteers_feed_holds_only_their_slots_and_follows_each_publish(url):
    _publish([(f"{FRI}-am", "v01"), (f"{SAT}-pm", "v01"), (f"{FRI}-am", "v02")])
    token = feeds.reset(("volunteer", 1), "ana")
    first = feeds.calendar(token)
    events = _events(first)
    assert sorted(events) == [f"{FRI}T09:00:00-06:00", f"{SAT}T13:00:00-06:00"]
    assert {v[1:3] for v in events.values()} == {("CONFIRMED", 1)}
    assert events[f"{FRI}T09:00:00-06:00"][0] == "Morning shift: Drop-in center"
    text = first.decode()
    for other in ("Bea", "bea@example.org", "816-555", "ana@example.org"):
        assert other not in text  # no teammates, no contact details, not even her own
    saturday_uid = events[f"{SAT}T13:00:00-06:00"][3]

    _publish([(f"{FRI}-am", "v01"), (f"{FRI}-am", "v02")])  # version 2: Ana loses Saturday
    events = _events(feeds.calendar(token))
    assert events[f"{SAT}T13:00:00-06:00"][1:] == ("CANCELLED", 2, saturday_uid)
    assert events[f"{FRI}T09:00:00-06:00"][1:3] == ("CONFIRMED", 2)
    calendar = Calendar.from_ical(feeds.calendar(token))
    assert str(calendar["x-wr-calname"]) == "My shifts: Drop-in center"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "America/Chicago"


def test_a_reset_revokes_the_old_link_and_wrong_tokens_find_nothing(url):
    _publish([(f"{FRI}-am", "v01")])
    old = feeds.reset(("volunteer", 1), "ana")
    new = feeds.reset(("volunteer", 1), "ana")
    assert feeds.calendar(old) is None and feeds.calendar(new) is not None
    tampered = new[:-1] + ("A" if new[-1] != "A" else "B")
    for wrong in (tampered, new[:-1], "", "../../etc/passwd", new + "x", "A" * 43):
        assert feeds.calendar(wrong) is None
    assert feeds.made_at(("volunteer", 1)) is not None
    feeds.revoke(("volunteer", 1), "ana")
    assert feeds.calendar(new) is None and feeds.made_at(("volunteer", 1)) is None
    with db.session(url) as s:
        stored = [r.token_hash for r in s.query(FeedTokenRow)]
        entries = audit.recent(s)
    assert old not in str(stored) and new not in str(stored)
    assert [e.action for e in entries if "feed" in e.action] == [
        "calendar feed revoked", "calendar feed reset", "calendar feed reset"]
    for e in entries:
        assert old not in f"{e.target} {e.detail}" and new not in f"{e.target} {e.detail}"


def test_erasing_a_volunteer_ends_their_feed(url):
    _publish([(f"{FRI}-am", "v01")])
    token = feeds.reset(("volunteer", 1), "ana")
    with db.session(url) as s:
        erase_volunteer(s, 1)
    assert feeds.calendar(token) is None


def test_the_center_feed_names_the_people_for_coordinators_only(url):
    coordinator = create_user("coord", "a long passphrase here", "coordinator")
    _publish([(f"{FRI}-am", "v01"), (f"{FRI}-am", "v02")])
    _publish([(f"{FRI}-am", "v01")])
    token = feeds.reset(("user", coordinator.id), "coord")
    events = Calendar.from_ical(feeds.calendar(token)).walk("VEVENT")
    assert sorted((str(e["summary"]), str(e["status"]), int(e["sequence"])) for e in events) == [
        ("Morning shift: Ana Reyes", "CONFIRMED", 2), ("Morning shift: Bea Cole", "CANCELLED", 2)]
    text = feeds.calendar(token).decode()
    assert "@example.org" not in text and "816-555" not in text
    with db.session(url) as s:  # no longer a coordinator: the feed is gone with the role
        accounts.set_role(s, "coord", "leadership")
    assert feeds.calendar(token) is None


def test_the_public_url_comes_from_the_environment_then_secrets_then_the_page(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[planner]\npublic_url = "https://planner.example.org/"\n', encoding="utf-8")
    page = "http://10.0.0.5:8501/my-shifts"
    assert links.public_url(page, {"PLANNER_PUBLIC_URL": "https://shifts.example.org"}, [secrets]) == \
        "https://shifts.example.org"
    assert links.public_url(page, {}, [secrets]) == "https://planner.example.org"
    assert links.public_url(page, {}, []) == "http://10.0.0.5:8501"
    with pytest.raises(ConfigError, match="PLANNER_PUBLIC_URL"):
        links.public_url(page, {"PLANNER_PUBLIC_URL": "planner.example.org"}, [])
    assert links.public_url(None, {}, []) is None
    assert links.webcal("https://planner.example.org/feeds/x.ics") == "webcal://planner.example.org/feeds/x.ics"


def _request(token: str):
    from starlette.requests import Request

    return Request({"type": "http", "method": "GET", "path": f"/feeds/{token}.ics", "headers": [],
                    "path_params": {"token": token}, "query_string": b""})


def test_the_route_answers_text_calendar_404_or_503_and_never_logs_the_token(url, monkeypatch, caplog):
    from planner.ui import web

    _publish([(f"{FRI}-am", "v01")])
    token = feeds.reset(("volunteer", 1), "ana")
    ok = web.calendar_feed(_request(token))
    assert (ok.status_code, ok.media_type) == (200, "text/calendar; charset=utf-8")
    assert ok.headers["cache-control"] == "private, max-age=300"
    assert web.calendar_feed(_request("x" * 43)).status_code == 404

    def broken(_token: str) -> bytes:
        raise RuntimeError(f"the database is gone while reading {_token}")

    monkeypatch.setattr(feeds, "calendar", broken)
    assert web.calendar_feed(_request(token)).status_code == 503
    assert "calendar feed failed: RuntimeError" in caplog.text and token not in caplog.text
