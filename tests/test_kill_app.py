"""kill -9 in the middle of a publish and of an import, 50 times each: never a partial change (issue 15).

What is killed: the app's own use-case code in a process of its own. A
"zygote" process imports the planner once (as a running Streamlit server has),
then forks a child per run that calls exactly what the pages call,
`services.publish.publish_plan` or `services.imports.run`, on a copy of one
SQLite database; the test sends SIGKILL to the child at a random moment over
1.3 times the call's measured duration. After each kill `PRAGMA
integrity_check` is `ok`, no foreign key is broken, and every table holds
exactly the rows of before the call or of after it. Then a real `streamlit run`
server is started on killed databases (hot WAL and all) and used in Chromium,
and that server itself is killed with SIGKILL during a clicked publish and
started again.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from planner.core.domain import default_week
from planner.store.db import dispose_engine, session
from planner.store.migrate import migrate
from tests.fixtures.browser import run_streamlit
from tests.test_browser_signin import log_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
RUNS = 50
IMPORTED = 40  # volunteers in the imported roster CSV

ZYGOTE = r"""
import os, sys
from datetime import date
from planner.core.problem import Assignment
from planner.services import imports, publish  # loaded once, as in a running server
from planner.store.db import session
from planner.store import roster
week, data = date.fromisoformat(sys.argv[1]), open(sys.argv[2], "rb").read()
new = [Assignment(*line.split()) for line in open(sys.argv[3]).read().splitlines()]
print("loaded", flush=True)
for line in sys.stdin:
    kind, url = line.split()
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go_write)
        os.environ["DATABASE_URL"] = url
        with session(readonly=True) as db:  # the engine and its connection, ready as in a server
            roster.list_volunteers(db)
        print(f"ready {os.getpid()}", flush=True)
        os.read(go_read, 1)
        if kind == "publish":
            publish.publish_plan(week, new, based_on=1, actor="coordinator")
        else:
            imports.run("roster", data, actor="coordinator")
        print("done", flush=True)
        os._exit(0)
    os.close(go_read)
    sys.stdin.readline()  # "go"
    os.write(go_write, b"g")
    os.close(go_write)
    sys.stdin.readline()  # "reap": until then a finished child stays a zombie, so its pid is not reused
    _, status = os.waitpid(pid, 0)
    print(f"exit {status}", flush=True)
"""


def _counts(path: Path) -> dict[str, int]:
    """Rows per table, after checking the file is intact."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return counts


def _versions(path: Path) -> dict[int | None, int]:
    with sqlite3.connect(path) as conn:
        found = dict(conn.execute("SELECT p.version, COUNT(a.id) FROM plans p LEFT JOIN plan_assignments a "
                                  "ON a.plan_id = p.id GROUP BY p.id").fetchall())
    conn.close()
    return found


def _base(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[date, list[str]]:
    """The demo center with this week's version 1 published; (the week, a different plan for version 2)."""
    from planner.services import demo, planning, publish, week

    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    migrate(url)
    with session(url) as db:
        demo.seed_demo(db)
    monday = default_week(date.today(), week.load_week(date.today()).settings.open_weekdays)
    first = planning.plan(week.load_week(monday).problem)
    publish.publish_plan(monday, first.assignments, based_on=None, actor="coordinator")
    second = sorted(first.assignments)[1:]  # someone taken off: another plan, fewer people
    dispose_engine(url)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return monday, [f"{a.slot} {a.volunteer}" for a in second]


class Zygote:
    def __init__(self, tmp: Path, monday: date, new: list[str]) -> None:
        roster_csv = tmp / "import.csv"
        roster_csv.write_text("name,email\n" + "".join(f"Imported {i:03d},imported.{i:03d}@example.org\n"
                                                        for i in range(IMPORTED)), encoding="utf-8")
        plan = tmp / "plan.txt"
        plan.write_text("\n".join(new), encoding="utf-8")
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE, monday.isoformat(), str(roster_csv),
                                      str(plan)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                     text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        assert self.stdout.readline().strip() == "loaded"

    def run(self, kind: str, path: Path, kill_after: float | None) -> tuple[bool, float]:
        """(whether the call said done, seconds from go to its end or the kill)."""
        self.stdin.write(f"{kind} sqlite:///{path}\n")
        self.stdin.flush()
        ready, pid = self.stdout.readline().split()
        assert ready == "ready"
        started = time.monotonic()
        self.stdin.write("go\n")
        self.stdin.flush()
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(int(pid), signal.SIGKILL)  # our child, alive or a zombie: its pid is not reused yet
        self.stdin.write("reap\n")
        self.stdin.flush()
        lines = []
        while not (line := self.stdout.readline().strip()).startswith("exit"):
            lines.append(line)
        return "done" in lines, time.monotonic() - started

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait(timeout=30)


def _kill_runs(zygote: Zygote, kind: str, base: Path, tmp: Path, rng: random.Random) -> dict[str, object]:
    calibrate = tmp / f"{kind}-calibrate.sqlite3"
    shutil.copy(base, calibrate)
    before = _counts(base)
    done, seconds = zygote.run(kind, calibrate, None)
    assert done
    after = _counts(calibrate)
    assert after != before
    outcomes = {"old": 0, "new": 0}
    for run in range(RUNS):
        path = tmp / f"{kind}-{run}.sqlite3"
        shutil.copy(base, path)
        said_done, _ = zygote.run(kind, path, rng.uniform(0, 1.3 * seconds))
        counts = _counts(path)
        assert counts in (before, after), (kind, run, {t: (before[t], counts[t], after[t]) for t in counts
                                                       if counts[t] not in (before[t], after[t])})
        if said_done:
            assert counts == after, "a call that returned is kept"
        outcomes["new" if counts == after else "old"] += 1
        if run < RUNS - 1:
            for leftover in tmp.glob(f"{kind}-{run}.sqlite3*"):
                leftover.unlink()
    return {"seconds": seconds, **outcomes, "last": tmp / f"{kind}-{RUNS - 1}.sqlite3"}


def _fresh_page(browser: Browser, previous: Page | None = None) -> Page:
    """A new browser for each restarted server: cookies are per host, not per port, so a session from the
    last server would otherwise sign the next one in and hide the sign-in form."""
    if previous is not None:
        previous.context.close()
    page = browser.new_context().new_page()
    page.set_default_timeout(30_000)
    return page


def test_kill_9_during_publish_and_import_never_leaves_a_partial_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser) -> None:
    base = tmp_path / "base.sqlite3"
    monday, new = _base(base, monkeypatch)
    zygote = Zygote(tmp_path, monday, new)
    rng = random.Random(15)
    started = time.monotonic()
    try:
        publish = _kill_runs(zygote, "publish", base, tmp_path, rng)
        imported = _kill_runs(zygote, "import", base, tmp_path, rng)
    finally:
        zygote.close()
    kills = time.monotonic() - started
    print(f"\n{2 * RUNS} kills in {kills:.1f} s: publish ({publish['seconds'] * 1000:.0f} ms) kept the old "
          f"state {publish['old']} times, the new {publish['new']}; import of {IMPORTED} rows "
          f"({imported['seconds'] * 1000:.0f} ms) old {imported['old']}, new {imported['new']}; none partial")
    for outcome in (publish, imported):
        assert outcome["old"] and outcome["new"], "kills landed before and after the commit"

    # The next start works: a real server on the last killed databases, used in the browser.
    expect.set_options(timeout=30_000)
    last_publish, last_import = Path(str(publish["last"])), Path(str(imported["last"]))
    latest = max(v for v in _versions(last_publish) if v is not None)
    page = _fresh_page(browser)
    with run_streamlit({"DATABASE_URL": f"sqlite:///{last_publish}", "PLANNER_DEMO": "0"}) as server:
        log_in(page, server.url, "coordinator")
        expect(page.get_by_role("heading", name=f"Published version {latest}")).to_be_visible()
        # ... and the server itself killed with SIGKILL in the middle of a clicked publish.
        page.get_by_role("button", name="Re-plan", exact=True).click()
        expect(page.get_by_text("New plan (not saved yet)")).to_be_visible()
        page.get_by_role("button", name="Publish", exact=True).click()
        time.sleep(rng.uniform(0, 0.3))
        os.killpg(server.pid, signal.SIGKILL)
    _counts(last_publish)  # intact
    versions = _versions(last_publish)
    after_kill = max(v for v in versions if v is not None)
    assert set(versions) == set(range(1, after_kill + 1)) and after_kill in (latest, latest + 1), versions
    page = _fresh_page(browser, page)
    with run_streamlit({"DATABASE_URL": f"sqlite:///{last_publish}", "PLANNER_DEMO": "0"}) as server:
        log_in(page, server.url, "coordinator")
        expect(page.get_by_role("heading", name=f"Published version {after_kill}")).to_be_visible()
    people = _counts(last_import)["volunteers"]
    page = _fresh_page(browser, page)
    with run_streamlit({"DATABASE_URL": f"sqlite:///{last_import}", "PLANNER_DEMO": "0"}) as server:
        log_in(page, server.url, "coordinator")
        page.get_by_role("link", name="Roster", exact=True).first.click()
        expect(page.get_by_text(f"{people} volunteers, ")).to_be_visible()
    page.context.close()
