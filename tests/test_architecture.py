"""The layering rules that import-linter cannot see: pages and app.py are scripts, not a package.

`make test` also runs `lint-imports` with the package contracts in pyproject.toml.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([ROOT / "app.py", *ROOT.glob("pages/**/*.py")])
# A page arranges widgets and calls use cases; the vocabulary of core may appear in it.
PAGE_MAY_IMPORT = ("planner.ui", "planner.present", "planner.services", "planner.core")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_import_only_ui_present_services_and_core(script: Path) -> None:
    planner = [m for m in _imports(script) if m == "planner" or m.startswith("planner.")]
    allowed = ("planner.ui",) if script.name == "app.py" else PAGE_MAY_IMPORT
    wrong = [m for m in planner if not m.startswith(allowed)]
    assert not wrong, f"{script.relative_to(ROOT)} imports {wrong}"
    assert not any(m.split(".")[0] in ("sqlalchemy", "alembic") for m in _imports(script))


def test_only_the_file_writer_renames_files() -> None:
    """Every verb and export writes through planner.core.files (a rename over /dev/null replaced it)."""
    callers = []
    for path in sorted((ROOT / "planner").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        renames = ("os.replace(", "os.rename(", ".rename(", "shutil.move(")
        if path.relative_to(ROOT) != Path("planner/core/files.py") and any(r in text for r in renames):
            callers.append(str(path.relative_to(ROOT)))
    assert callers == []
