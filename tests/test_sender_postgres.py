"""Two app processes (`streamlit run serve.py`) on one PostgreSQL database send each message once.

Both run the background sender; the lease lets one of them send. Halfway,
the sending process is stopped (SIGTERM, as a service manager does): it
finishes the message in hand and releases the lease, and the other process
takes over. The SMTP server counts every message it receives by Message-ID.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter

import pytest

from planner.core.clock import utcnow
from planner.services import maintenance, notify
from planner.store import db, leases, notifications
from planner.store.roster import list_volunteers
from tests.fixtures.browser import run_streamlit
from tests.fixtures.postgres import scratch_database
from tests.fixtures.smtp import smtp_env

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

MESSAGES = 60


def _holder(url: str) -> str | None:
    with db.session(url) as s:
        lease = leases.current(s, notify.LEASE, utcnow())
        return lease.holder if lease else None


def test_two_app_processes_on_one_postgresql_database_send_each_message_once(
        postgres_server, smtp, monkeypatch):
    with scratch_database(postgres_server) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("PLANNER_DEMO", "1")
        maintenance.start_up()  # migrated and seeded once, before either process starts
        env = {**smtp_env(smtp.port), "DATABASE_URL": url, "PLANNER_SENDER_SECONDS": "0.5"}
        smtp.inbox.delay = 0.05  # a slow mail server: the sending takes a few seconds
        with contextlib.ExitStack() as both:
            stacks = [both.enter_context(contextlib.ExitStack()) for _ in range(2)]
            servers = [stack.enter_context(run_streamlit(env)) for stack in stacks]
            with db.session(url) as s:
                people = [v for v in list_volunteers(s) if v.email]
                for i in range(MESSAGES):
                    v = people[i % len(people)]
                    notifications.queue(s, key=f"load:{i}", volunteer_id=v.id or 0, kind="publish",
                                        subject=f"Message {i}", body=f"Hello, message {i}", ics="")
            smtp.wait_for(lambda got: len(got) >= MESSAGES // 3)
            sending = _holder(url) or ""
            [stopped] = [i for i, server in enumerate(servers) if f"pid {server.pid} " in sending]
            stacks[stopped].close()  # SIGTERM: its sender finishes the message in hand, releases the lease
            assert len(smtp.inbox.messages) < MESSAGES, "all sent before the stop: make the server slower"
            smtp.wait_for(lambda got: len(got) >= MESSAGES)
            assert f"pid {servers[1 - stopped].pid} " in (_holder(url) or "")  # the other one took over
            time.sleep(2)  # four more rounds: nothing is sent twice
        ids = Counter(m["Message-ID"] for m in smtp.inbox.messages)
        assert len(ids) == MESSAGES and set(ids.values()) == {1}, ids.most_common(3)
        with db.session(url) as s:
            assert notifications.counts(s) == {"sent": MESSAGES}
