"""The import directions this code relies on, read from the source (imports inside functions
count): notifications sit below agreements and meetings, services do not import the tasks
that call them, and meetings' reads do not import meetings' writes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from notifications.services.delivery import SEND_CHUNK_TASK
from tracker.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports, at any depth of the file."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def _offenders(folder: str, forbidden: tuple[str, ...]) -> dict[str, set[str]]:
    bad: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        hits = {m for m in _imports(path) if m.startswith(forbidden)}
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    return bad


def test_relative_imports_are_resolved_to_their_absolute_names() -> None:
    imports = _imports(ROOT / "notifications" / "services" / "sweep.py")
    assert "notifications.services.delivery" in imports
    assert "notifications.rules" in imports


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("notifications", ("agreements", "meetings", "dashboard")),
        ("notifications/services", ("notifications.tasks",)),
        ("meetings/selectors.py", ("meetings.services",)),
    ],
)
def test_no_import_goes_against_the_layers(folder: str, forbidden: tuple[str, ...]) -> None:
    target = ROOT / folder
    if target.is_file():
        hits = {m for m in _imports(target) if m.startswith(forbidden)}
        assert hits == set()
    else:
        assert _offenders(folder, forbidden) == {}


def test_the_task_the_services_enqueue_by_name_is_registered() -> None:
    assert SEND_CHUNK_TASK in celery_app.tasks
