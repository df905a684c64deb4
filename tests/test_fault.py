"""Crash safety: a publishing process killed (SIGKILL) at random moments never leaves half a version.

Each run copies a SQLite database holding version 1 of a week, starts a
process that publishes version 2 (with many more assignments) in one
transaction, kills it after a random delay spanning the whole publish, and
then checks the file: `PRAGMA integrity_check` is ok, foreign keys hold, and
the week holds version 1 alone or versions 1 and 2 with every assignment and
the audit line of the publish; never a part of them.
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

from planner.core.domain import VolunteerRecord
from planner.core.problem import Assignment
from planner.store import backup, plans, roster
from planner.store.db import dispose_engine, session
from planner.store.migrate import migrate

ROOT = Path(__file__).resolve().parents[1]
RUNS = 50
VOLUNTEERS, OLD, NEW = 40, 200, 600
WEEK = date(2026, 11, 30)

CHILD = """
import sys
from datetime import date
from planner.core.problem import Assignment
from planner.store import plans
from planner.store.db import session
url, count, volunteers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
new = [Assignment(f"slot-{i // volunteers:03d}", f"v{i % volunteers + 1:02d}") for i in range(count)]
print("ready", flush=True)
sys.stdin.readline()
with session(url) as db:
    print("begun", flush=True)
    plans.publish_assignments(db, date(2026, 11, 30), new, based_on=1, key="fault-run", why="fault test")
print("done", flush=True)
"""


def _assignments(count: int) -> list[Assignment]:
    return [Assignment(f"slot-{i // VOLUNTEERS:03d}", f"v{i % VOLUNTEERS + 1:02d}") for i in range(count)]


def _base(path: Path) -> None:
    url = f"sqlite:///{path}"
    migrate(url)
    with session(url) as db:
        for i in range(VOLUNTEERS):
            roster.add_volunteer(db, VolunteerRecord(f"Volunteer {i + 1}"))
        plans.publish_assignments(db, WEEK, _assignments(OLD), based_on=None, key="base")
    dispose_engine(url)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _publish(db_path: Path, kill_after: float | None) -> tuple[list[str], float]:
    """(lines after ready: `begun` once the write transaction is open, `done` after commit; seconds)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, f"sqlite:///{db_path}", str(NEW), str(VOLUNTEERS)],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdin is not None and child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    started = time.monotonic()
    child.stdin.write("go\n")
    child.stdin.flush()
    if kill_after is not None:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
    lines = child.stdout.read().split()
    seconds = time.monotonic() - started
    child.wait(timeout=30)
    return lines, seconds


def _state(db_path: Path) -> dict[int | None, int]:
    """{plan version: assignment count} after checking the file is intact."""
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        versions = dict(conn.execute(
            "SELECT p.version, COUNT(a.id) FROM plans p LEFT JOIN plan_assignments a ON a.plan_id = p.id "
            "GROUP BY p.id").fetchall())
        published = {int(d.split()[1].rstrip(":")) for (d,) in conn.execute(
            "SELECT detail FROM audit_log WHERE action = 'plan published'")}
    assert published == set(versions), "the audit line and the version are written together"
    return versions


@pytest.mark.slow
def test_killing_a_publish_at_random_moments_leaves_one_whole_version(tmp_path: Path) -> None:
    base = tmp_path / "base.sqlite3"
    _base(base)
    calibrate = tmp_path / "calibrate.sqlite3"
    shutil.copy(base, calibrate)
    lines, publish_seconds = _publish(calibrate, None)
    assert lines == ["begun", "done"] and _state(calibrate) == {1: OLD, 2: NEW}
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0, "inside": 0}
    started = time.monotonic()
    for run in range(RUNS):
        path = tmp_path / f"run{run}.sqlite3"
        shutil.copy(base, path)
        lines, _ = _publish(path, rng.uniform(0, 1.6 * publish_seconds))
        state = _state(path)
        assert state in ({1: OLD}, {1: OLD, 2: NEW}), (run, state)
        if "done" in lines:
            assert state == {1: OLD, 2: NEW}, "a publish that said done is kept"
        outcomes["new" if 2 in state else "old"] += 1
        outcomes["inside"] += lines == ["begun"]
        path.unlink()
    print(f"\n{RUNS} kills in {time.monotonic() - started:.1f} s (publish of {NEW} assignments takes "
          f"{publish_seconds * 1000:.0f} ms): {outcomes['inside']} inside the open write transaction; "
          f"{outcomes['old']} left version 1, {outcomes['new']} version 2, none partial")
    assert outcomes["old"] > 0 and outcomes["new"] > 0, "kills landed before and after the commit"
    assert outcomes["inside"] >= RUNS // 5, "enough kills landed inside the transaction"


# ---------------------------------------------------------------- a backup killed mid-write (issue 15)

BACKUP_CHILD = """
import sys
import planner.core.files as files
if sys.argv[1] == "named":  # the path taken where the kernel refuses unnamed files (O_TMPFILE)
    files._linked_tmpfile = lambda *args: False
from planner.cli import run
sys.argv = ["planner", "backup", sys.argv[2]]
raise SystemExit(run())
"""


def _big_database(path: Path, rows: int = 40_000) -> str:
    url = f"sqlite:///{path}"
    migrate(url)
    dispose_engine(url)
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                         [("2026-11-27 10:00:00.000000", "coord", "roster edited", f"volunteer {i}",
                           "x" * 200) for i in range(rows)])
    return url


def _writing_into(pid: int, folder: Path) -> bool:
    """True while process `pid` holds a file open in `folder` (the backup's temporary file)."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return False
    return any(link.startswith(f"{folder}/") for link in links)


def _backup_killed_mid_write(url: str, target: Path, mode: str, sig: signal.Signals) -> int:
    """Start `python -m planner backup TARGET`, send `sig` once it writes into the folder; its exit code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
    child = subprocess.Popen([sys.executable, "-c", BACKUP_CHILD, mode, str(target)], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not _writing_into(child.pid, target.parent):
        assert child.poll() is None, "the backup ended before it wrote: make the database bigger"
        assert time.monotonic() < deadline
        time.sleep(0.0005)
    child.send_signal(sig)
    return child.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["unnamed", "named"])
def test_a_backup_killed_mid_write_leaves_no_temporary_file(tmp_path: Path, mode: str) -> None:
    """SIGKILL while the file is written: nothing but whole backups stays, at least after the next write.

    `unnamed`: the normal path (O_TMPFILE): the kernel drops the unnamed file
    with the process. `named`: the fallback writes `.NAME.PID.HEX.planner-tmp`;
    a kill leaves it, and the next backup into the folder sweeps it. SIGTERM
    unwinds and removes it at once.
    """
    url = _big_database(tmp_path / "big.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    code = _backup_killed_mid_write(url, folder / "first.sqlite3", mode, signal.SIGKILL)
    assert code == -signal.SIGKILL
    left = sorted(p.name for p in folder.iterdir())
    if mode == "unnamed":
        assert left == [], left
    else:
        assert len(left) == 1 and left[0].startswith(".first.sqlite3.") and left[0].endswith(".planner-tmp")
    code = _backup_killed_mid_write(url, folder / "second.json", mode, signal.SIGTERM)
    assert code == 128 + signal.SIGTERM
    assert list(folder.iterdir()) == [], "the killed backup's leftover swept, the terminated one's removed"
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-m", "planner", "backup", str(folder / "third.sqlite3")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in folder.iterdir()] == ["third.sqlite3"]
    assert backup.read_backup(folder / "third.sqlite3")["tables"]["audit_log"]["rows"]
