"""Chromium and plain HTTP against a real `streamlit run serve.py`: a volunteer's calendar subscription.

The volunteer makes their link on My shifts and subscribes (webcal:) or
copies it; a calendar app (urllib here) fetches it as text/calendar, with
their slots only. A re-publish that drops one of their shifts bumps SEQUENCE
and sends it as CANCELLED. A revoked, wrong or tampered token answers 404
and changes nothing; the token is in no log.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from planner.core.problem import Assignment
from planner.store import audit, db, plans
from tests.fixtures.browser import publish_demo_week, run_streamlit
from tests.test_browser_signin import log_in

pytestmark = pytest.mark.browser


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["content-type"], response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["content-type"], err.read()


def _events(body: bytes, week: date) -> dict[str, tuple[str, int, str]]:
    """slot start -> (status, sequence, summary), for the week starting `week` (the demo's past weeks are
    in the feed too)."""
    return {e.decoded("dtstart").strftime("%Y-%m-%d %H:%M"): (str(e["status"]), int(e["sequence"]),
                                                              str(e["summary"]))
            for e in Calendar.from_ical(body).walk("VEVENT")
            if week <= e.decoded("dtstart").date() < week + timedelta(days=7)}


@pytest.mark.slow
def test_a_volunteer_subscribes_to_their_own_shifts_and_the_feed_follows_the_plan(app_page):
    page = app_page
    with run_streamlit({"PLANNER_SENDER_SECONDS": "0"}) as server:
        url = server.database_url
        week, me, first = publish_demo_week(url)
        mine = {a.slot for a in first.assignments if a.volunteer == me.key}
        assert mine

        log_in(page, server.url, "volunteer")
        expect(page.get_by_role("heading", name="My shifts", exact=True)).to_be_visible()
        page.get_by_role("button", name="Make my calendar link", exact=True).click()
        code = page.locator("[data-testid='stCode'] code")
        expect(code).to_contain_text("/feeds/")
        feed = code.inner_text().strip()
        assert feed.startswith(f"{server.url}/feeds/") and feed.endswith(".ics")
        subscribe = page.get_by_role("link", name="Subscribe on this phone or computer")
        expect(subscribe).to_have_attribute("href", "webcal://" + feed.split("://", 1)[1])
        token = feed.rsplit("/", 1)[1].removesuffix(".ics")

        status, kind, body = _get(feed)
        assert (status, kind) == (200, "text/calendar; charset=utf-8")
        events = _events(body, week)
        with db.session(url) as s:
            problem_slots = {a.slot for a in plans.latest_published(s, week).assignments}
        assert len(events) == len(mine) and len(problem_slots) > len(mine)  # only theirs of many
        assert {v[:2] for v in events.values()} == {("CONFIRMED", 1)}
        text = body.decode()
        assert me.name not in text and (me.email or "@") not in text and (me.phone or "555") not in text

        # Version 2 drops one of their shifts: it comes back CANCELLED, everything at SEQUENCE 2.
        dropped = sorted(mine)[0]
        with db.session(url) as s:
            plans.save_draft(s, week, [a for a in first.assignments if a != Assignment(dropped, me.key)])
            plans.publish_draft(s, week)
        events = _events(_get(feed)[2], week)
        statuses = sorted(v[:2] for v in events.values())
        assert statuses == sorted([("CANCELLED", 2)] + [("CONFIRMED", 2)] * (len(mine) - 1))

        # Wrong, tampered and revoked tokens: 404, nothing changes, nothing logged.
        with db.session(url) as s:
            before = len(audit.recent(s, limit=10_000))
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        for wrong in (tampered, "nope", token + "x"):
            assert _get(f"{server.url}/feeds/{wrong}.ics")[0] == 404
        page.get_by_role("button", name="Turn the link off", exact=True).click()
        expect(page.get_by_role("button", name="Make my calendar link", exact=True)).to_be_visible()
        assert _get(feed)[0] == 404
        with db.session(url) as s:
            entries = audit.recent(s, limit=10_000)
        assert [e.action for e in entries[: len(entries) - before]] == ["calendar feed revoked"]
        assert all(token not in f"{e.target} {e.detail}" for e in entries)
        assert token not in server.log_text()
