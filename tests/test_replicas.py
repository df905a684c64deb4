"""Two app replicas on one PostgreSQL database, driven at once (issue 15).

Two `streamlit run serve.py` processes share one PostgreSQL database, as
docs/deploy.md describes. While 20 simulated coordinators work through the
service layer (each takes someone else off the published week and
publishes, and raises one shared volunteer's dinner cap by one), a coordinator
in a browser on each replica does their own work: one marks a cancellation,
the other edits a phone number on the Roster page.

Then no update is lost: every published version is the one before it plus
exactly the change whose author was told "published", the shared cap went
up by exactly 20, both browser edits are there. And each notice the
publishes queued reached the SMTP server exactly once, although both
replicas run the background sender.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

import pytest
from playwright.sync_api import Browser, expect

from planner.core.errors import PublishedMeanwhile, StaleEdit
from planner.core.problem import Assignment
from planner.engine import repair
from planner.present.gaps import published_choices
from planner.services import gaps, maintenance, publish, roster
from planner.store import db, notifications, plans
from tests.fixtures.browser import choose, edit_first_phone, go, publish_demo_week, run_streamlit
from tests.fixtures.postgres import scratch_database
from tests.fixtures.smtp import smtp_env
from tests.test_browser_signin import log_in

pytestmark = [pytest.mark.postgres, pytest.mark.browser, pytest.mark.slow]

COORDINATORS = 20
PHONE = "816-555-0142"


@dataclass(frozen=True)
class Change:
    """One publish a coordinator was told succeeded: the version, and what it added or removed."""

    version: int
    added: frozenset[Assignment]
    removed: frozenset[Assignment]


class Coordinator(threading.Thread):
    """Takes someone off a slot and publishes that; raises the shared dinner cap once.

    A refusal (someone published or saved first) is met the way a person meets
    it: read the week again and redo the change.
    """

    def __init__(self, n: int, week: date, shared: int, changes: list[Change], lock: threading.Lock) -> None:
        super().__init__(name=f"coordinator-{n}")
        self.n, self.week, self.shared, self.changes, self.lock = n, week, shared, changes, lock
        self.retries = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            random.seed(self.n)
            self._publish(self._take_off)
            self._raise_cap()
        except BaseException as err:  # reported by the test
            self.error = err

    def _take_off(self, state: gaps.GapsState) -> list[Assignment] | None:
        """Someone off their slot (the n-th of those whose leaving breaks no rule)."""
        for mine in sorted(state.current)[self.n:] + sorted(state.current)[:self.n]:
            after, breaks = repair.remove_person(state.problem, state.current, mine.slot, mine.volunteer)
            if not breaks:
                return after
        return None

    def _publish(self, change) -> None:  # noqa: ANN001 - a function of the state
        for attempt in range(200):
            time.sleep(random.uniform(0, 0.1 * 2 ** min(attempt, 5)))  # as people do: wait, then again
            state = gaps.load(self.week)
            after = change(state)
            if after is None:
                return
            try:
                done = publish.publish(self.week, [*after, *state.hidden], based_on=state.version,
                                       actor=f"coordinator {self.n}", why=f"test change by {self.n}")
            except PublishedMeanwhile:
                self.retries += 1
                continue
            before, now = set(state.current), set(after)
            with self.lock:
                self.changes.append(Change(done.version.version, frozenset(now - before),
                                           frozenset(before - now)))
            return
        raise AssertionError(f"coordinator {self.n}: 200 refusals in a row")

    def _raise_cap(self) -> None:
        for attempt in range(200):
            mine = next((r, v) for r, v in roster.list_for_edit() if r.id == self.shared)
            record, version = mine
            try:
                roster.save_edits([replace(record, max_meals=record.max_meals + 1)], [], {record.id: version},
                                  f"coordinator {self.n}")
                return
            except StaleEdit:
                self.retries += 1
                time.sleep(random.uniform(0, 0.1 * 2 ** min(attempt, 5)))
        raise AssertionError(f"coordinator {self.n}: the shared volunteer never saved")


def test_two_replicas_on_one_postgresql_lose_no_update_and_send_each_notice_once(
        postgres_server, smtp, browser: Browser, monkeypatch, artifacts):
    with scratch_database(postgres_server) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("PLANNER_DEMO", "1")
        maintenance.start_up()  # migrated and seeded once, before either replica starts
        week, _, first = publish_demo_week(url)
        everyone = roster.list_for_edit()
        phone_owner = everyone[0][0]  # the browser edits the first row; the crowd another volunteer
        shared = next(r for r, _ in everyone[1:] if r.does_meals)
        start_cap = shared.max_meals
        assert start_cap + COORDINATORS <= 21 or pytest.fail("the demo's caps leave no room for the test")
        cancelled, label = published_choices(gaps.load(week).problem, first.assignments)[0]
        env = {**smtp_env(smtp.port), "DATABASE_URL": url, "PLANNER_SENDER_SECONDS": "0.5"}
        with run_streamlit(env) as one, run_streamlit(env) as two:
            pages = []
            for server in (one, two):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                page.set_default_timeout(60_000)
                log_in(page, server.url, "coordinator")
                expect(page.get_by_role("heading", name="Plan the week")).to_be_visible()
                pages.append(page)
            go(pages[0], "Gaps")
            go(pages[1], "Roster")
            expect(pages[1].get_by_role("heading", name="Roster")).to_be_visible()

            changes: list[Change] = []
            lock = threading.Lock()
            crowd = [Coordinator(n, week, shared.id, changes, lock) for n in range(COORDINATORS)]
            started = time.monotonic()
            for c in crowd:
                c.start()
            # Meanwhile, one person on each replica.
            cancelled_at = _mark_cancellation(pages[0], week, label)
            edit_first_phone(pages[1], PHONE)
            expect(pages[1].get_by_text("Saved: 1 volunteer changed, 0 added.")).to_be_visible(timeout=60_000)
            for c in crowd:
                c.join(timeout=300)
            seconds = time.monotonic() - started
            assert [c.error for c in crowd if c.error] == []
            retries = sum(c.retries for c in crowd)
            print(f"\n{COORDINATORS} coordinators + 2 browsers on 2 replicas: {len(changes)} publishes, "
                  f"{retries} refusals redone, {seconds:.1f} s")
            for i, page in enumerate(pages):
                page.mouse.move(5, 5)
                page.screenshot(path=artifacts / f"replica-{i + 1}.png", full_page=True)

            # No lost update: each version is the one before plus exactly the change its author was told of.
            with db.session(url, readonly=True) as s:
                versions = {v.version: set(v.assignments) for v in plans.list_versions(s, week)}
            told = {c.version: c for c in changes}
            told[cancelled_at] = Change(cancelled_at, frozenset(), frozenset({cancelled}))
            assert sorted(versions) == list(range(1, max(versions) + 1))
            assert sorted(told) == list(range(first.version + 1, max(versions) + 1)), "one author per version"
            for number, change in told.items():
                assert versions[number] == (versions[number - 1] - change.removed) | change.added, number
            assert len(changes) == COORDINATORS
            after = {r.id: r for r, _ in roster.list_for_edit()}
            assert after[shared.id].max_meals == start_cap + COORDINATORS
            assert after[phone_owner.id].phone == PHONE

            # Each notice once, although both replicas run the sender.
            with db.session(url, readonly=True) as s:
                queued = sum(notifications.counts(s).values())
            assert queued > 0
            smtp.wait_for(queued, seconds=120)
            time.sleep(2)  # four more sender rounds on each replica: nothing goes twice
        ids = Counter(m["Message-ID"] for m in smtp.inbox.messages)
        print(f"{queued} notices queued, {len(smtp.inbox.messages)} received, {len(ids)} distinct")
        assert len(ids) == queued and set(ids.values()) == {1}, ids.most_common(3)
        with db.session(url, readonly=True) as s:
            assert notifications.counts(s) == {"sent": queued}


def _mark_cancellation(page, week: date, label: str) -> int:  # noqa: ANN001 - a Playwright Page
    """Mark `label` as a cancellation on the Gaps page; the version that published it."""
    expect(page.get_by_role("heading", name="Gaps and cancellations")).to_be_visible()
    choose(page, "Who cannot make it", label)
    page.get_by_label("Reason (optional, kept in the history)").fill("replica test")
    page.get_by_role("button", name="Mark cancellation", exact=True).click()
    expect(page.get_by_text("Cancellation marked")).to_be_visible(timeout=60_000)
    [gap] = [g for g in gaps.load(week).history if g.reason == "replica test"]
    return gap.plan_version + 1  # the week is locked while a cancellation publishes: the next version
