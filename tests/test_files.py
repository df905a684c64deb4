"""Output files: written whole into regular files, in place into devices and pipes, never over a symlink.

`python -m planner solve ... -o /dev/null` run as root once renamed a temporary
file over /dev/null. These tests never touch the real /dev/null: a FIFO in a
temporary folder stands in for a device.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from planner.core.files import OutputError, write_output

ROOT = Path(__file__).resolve().parents[1]
PROBLEM = {"format": "volunteer-planner/1", "slots": [
    {"id": "a", "kind": "shift", "start": "2026-12-04T09:00", "end": "2026-12-04T13:00", "min": 1}],
    "volunteers": [{"id": "v1", "trained": True, "background_check": {"status": "cleared"},
                    "available": [{"start": "2026-12-04T08:00", "end": "2026-12-04T18:00"}]}]}


# Root ignores folder permissions; without these capabilities it keeps to them like anyone else.
AS_ROOT_WITHOUT_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner",
                            "--inh-caps", "-all", "--"]


def _solve(*args: str | Path, keep_permissions: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "planner", "solve", *map(str, args)]
    if keep_permissions and os.geteuid() == 0:
        command = [*AS_ROOT_WITHOUT_OVERRIDE, *command]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def problem(tmp_path: Path) -> Path:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(PROBLEM), encoding="utf-8")
    return path


def test_a_fifo_receives_the_answer_and_stays_a_fifo(tmp_path: Path, problem: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = _solve(problem, "-o", fifo)
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(received[0])["status"] == "optimal"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo", "problem.json"]


def test_a_symlink_stays_a_symlink_and_its_target_gets_the_answer(tmp_path: Path, problem: Path) -> None:
    target, link = tmp_path / "real.json", tmp_path / "link.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    link.symlink_to(target)
    result = _solve(problem, "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["status"] == "optimal"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640  # an existing file keeps its permissions


def test_a_new_file_gets_the_umask_and_nothing_else_is_left(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_output(tmp_path / "new.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["new.json"]


def test_dash_means_standard_output(problem: Path) -> None:
    result = _solve(problem, "-o", "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "optimal"


def test_a_folder_that_does_not_exist_exits_2_with_a_message(tmp_path: Path, problem: Path) -> None:
    result = _solve(problem, "-o", tmp_path / "absent" / "plan.json")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("plan.json: cannot write (No such file or directory)")
    assert result.stdout == ""


def test_a_read_only_folder_exits_2_with_a_message_and_writes_nothing(tmp_path: Path, problem: Path) -> None:
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is missing: a read-only folder cannot be tested as root")
    folder = tmp_path / "locked"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        result = _solve(problem, "-o", folder / "plan.json", keep_permissions=True)
    finally:
        os.chmod(folder, 0o755)
    assert result.returncode == 2, result.stderr
    assert "plan.json: cannot write (Permission denied)" in result.stderr
    assert list(folder.iterdir()) == []


def test_writing_into_a_folder_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        write_output(tmp_path, "{}")


def test_what_a_killed_writer_left_is_swept_by_the_next_write(tmp_path: Path) -> None:
    leftover = tmp_path / ".plan.json.123.abcd.planner-tmp"
    leftover.write_text("half", encoding="utf-8")
    write_output(tmp_path / "plan.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]
