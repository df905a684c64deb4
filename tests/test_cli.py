"""`python -m planner solve|whatif|check` as a subprocess: output, files and exit codes per the spec."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.core.problem import read_problem
from tests import bruteforce
from tests.strategies import at, problem, slot, volunteer

ROOT = Path(__file__).resolve().parent.parent

GOOD = problem(
    [slot("fri-am", "shift", 9, 13, min=2, target=3, min_trained=1),
     slot("fri-pm", "shift", 13, 17, min=1),
     slot("fri-dinner", "meal", 17, 18, min=1)],
    [volunteer("v01", trained=True, does=("shift", "meal"), max_shifts=2, max_meals=1),
     volunteer("v02"),
     volunteer("v03", does=("meal",), max_meals=1, check=None, windows=[(at(0, 16), at(0, 19))])],
    pinned=[("fri-am", "v01")],
)
WHATIF = dict(GOOD, whatif={
    "candidates": [{"label": "Saturday",
                    "slots": [slot("sat-am", "shift", 9, 13, day=1, min=2, min_trained=1),
                              slot("sat-lunch", "meal", 12, 13, day=1, min=1)]}],
    "recruit": {"max_shifts": 1, "max_meals": 1, "available": "candidate"},
})


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "planner", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_solve_writes_only_json_to_stdout(tmp_path: Path) -> None:
    result = run("solve", write(tmp_path / "p.json", GOOD))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)  # nothing but the JSON answer
    assert answer["format"] == "volunteer-planner/1"
    assert answer["status"] == "optimal"
    best = bruteforce.solve(read_problem(GOOD), soft=True)
    assert best is not None
    assert answer["objective"] == {"unfilled": best.unfilled, "below_target": best.below_target}
    # level 3: the goals by name, their weighted total, its proven bound
    assert answer["soft_total"] == best.soft == answer["soft_bound"] and answer["soft_proven"] is True
    assert answer["soft"] == {name: value for name, value in bruteforce.soft_goals(
        read_problem(GOOD), [(a["slot"], a["volunteer"]) for a in answer["assignments"]]).items()
        if name in answer["soft"]}
    assert {"slot": "fri-am", "volunteer": "v01"} in answer["assignments"]
    assert isinstance(answer["seconds"], int | float)
    for entry in answer["unfilled"]:
        assert set(entry) >= {"slot", "missing", "missing_trained", "reasons"}


def test_solve_output_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run("solve", write(tmp_path / "p.json", GOOD), "--time-limit", "10", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert plan["status"] == "optimal"
    assert [p.name for p in tmp_path.iterdir()] != [] and not any(
        p.name.startswith(".plan.json") for p in tmp_path.iterdir()), "no temporary file left"


def test_check_passes_the_engines_plan(tmp_path: Path) -> None:
    prob = write(tmp_path / "p.json", GOOD)
    out = tmp_path / "plan.json"
    assert run("solve", prob, "-o", out).returncode == 0
    result = run("check", prob, out)
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)


@pytest.mark.parametrize(("assignments", "rule"), [
    ([("fri-am", "v01"), ("fri-pm", "v01"), ("fri-dinner", "v03"), ("fri-dinner", "v01")], 5),
    ([("fri-am", "v01"), ("fri-am", "v02"), ("fri-pm", "v02")], 3),
    ([("fri-am", "v01"), ("fri-pm", "v02")], 4),
    ([("fri-am", "v01"), ("fri-dinner", "v02")], 1),
    ([("fri-pm", "v01")], 6),
])
def test_check_names_the_broken_rule(tmp_path: Path, assignments, rule: int) -> None:
    prob = write(tmp_path / "p.json", GOOD)
    plan = write(tmp_path / "plan.json",
                 {"format": "volunteer-planner/1",
                  "assignments": [{"slot": s, "volunteer": v} for s, v in assignments]})
    result = run("check", prob, plan)
    assert result.returncode != 0
    assert result.returncode != 1, "status 1 is a bug"
    assert f"rule {rule}" in result.stderr.lower()
    if result.stdout.strip():
        json.loads(result.stdout)


def bad_input(tmp_path: Path, doc: object,
              verb: str = "solve") -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path / "answer.json"
    src = tmp_path / "p.json"
    if isinstance(doc, str):
        src.write_text(doc, encoding="utf-8")
    else:
        write(src, doc)
    result = run(verb, src, "-o", out)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert not out.exists(), "nothing is written"
    assert result.stdout.strip() == ""
    return result, out


def lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.parametrize("verb", ["solve", "whatif"])
def test_end_before_start_is_placed(tmp_path: Path, verb: str) -> None:
    doc = json.loads(json.dumps(WHATIF))
    doc["slots"][1]["end"] = at(0, 12)
    result, _ = bad_input(tmp_path, doc, verb)
    assert lines(result) == ["slots[1].end: before start"]


def test_one_line_per_problem(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(GOOD))
    doc["slots"][1]["end"] = at(0, 12)
    doc["slots"][2]["kind"] = "brunch"
    doc["volunteers"][1]["max_shifts"] = -1
    result, _ = bad_input(tmp_path, doc)
    got = lines(result)
    assert len(got) == 3, got
    assert any(line.startswith("slots[1].end: ") for line in got)
    assert any(line.startswith("slots[2].kind: ") for line in got)
    assert any(line.startswith("volunteers[1].max_shifts: ") for line in got)


def test_unavailable_pin_is_placed(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(GOOD))
    doc["pinned"] = [{"slot": "fri-am", "volunteer": "v03"}]  # v03 is there from 16:00, and does meals
    result, _ = bad_input(tmp_path, doc)
    got = lines(result)
    assert len(got) == 1, got
    assert got[0].startswith("pinned[0]: ")
    assert "v03" in got[0]


def test_pin_outside_windows_names_availability(tmp_path: Path) -> None:
    doc = problem([slot("fri-am", "shift", 9, 13)],
                  [volunteer("v07", trained=True, windows=[(at(0, 10), at(0, 17))])],
                  pinned=[("fri-am", "v07")])
    result, _ = bad_input(tmp_path, doc)
    assert lines(result) == ["pinned[0]: v07 is not available for fri-am"]


def test_bad_pin_leaves_an_existing_output_alone(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    out.write_text("old", encoding="utf-8")
    doc = problem([slot("a", "shift", 9, 13)], [volunteer("v0")], pinned=[("a", "v0")])  # trainee alone
    result = run("solve", write(tmp_path / "p.json", doc), "-o", out)
    assert result.returncode == 2
    assert lines(result) and all(line.startswith("pinned[0]") for line in lines(result))
    assert out.read_text(encoding="utf-8") == "old"


def test_not_json_exits_2(tmp_path: Path) -> None:
    result, _ = bad_input(tmp_path, "{not json")
    assert len(lines(result)) == 1


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("solve", tmp_path / "absent.json")
    assert result.returncode == 2
    assert result.stdout.strip() == ""


def test_whatif_answer(tmp_path: Path) -> None:
    src = write(tmp_path / "p.json", WHATIF)
    result = run("whatif", src)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    base, truths = bruteforce.whatif(read_problem(WHATIF))
    assert answer["baseline"] == {"unfilled": base.unfilled, "below_target": base.below_target}
    [cand] = answer["candidates"]
    assert cand["label"] == "Saturday"
    assert cand["optimal"] is True
    # Saturday: 2 on the shift, one trained (nobody of the roster is free on day 2... all are, by
    # default windows, but v01 has 2 shifts of cap and v02 is untrained), and one lunch
    assert cand["extra_volunteers"] + cand["extra_meal_providers"] == truths[0].total
    assert cand["extra_trained"] == truths[0].trained
    out = tmp_path / "answer.json"
    result = run("whatif", src, "-o", out)
    assert result.returncode == 0 and result.stdout.strip() == ""
    assert json.loads(out.read_text(encoding="utf-8"))["candidates"][0]["label"] == "Saturday"
