"""The house's shape, checked: imports run one way. No module-level import circle in xxgk,
nothing below the annual report (the domains it counts, and core) imports ``reports``, and
no domain imports the API that sits on top of it."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"
# The apps the report counts, and what they stand on: none may import ``xxgk.reports``.
BELOW_REPORTS = ("core", "agencies", "holidays", "applications", "appeals", "catalog",
                 "consultations", "documents")


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "xxgk").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _module_level_imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The xxgk modules ``name`` imports at module level (imports inside functions are
    deliberate deferrals and do not make a circle at import time)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rsplit(".", 1)[0] if "." in target else ""
            if target and target != name:
                out.add(target)
    return out


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _module_level_imports(name, path, known) for name, path in known.items()}


def test_there_is_no_import_circle():
    graph = _graph()
    state: dict[str, str] = {}
    circles = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                circles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_nothing_the_report_counts_imports_the_report():
    offenders = sorted(
        f"{name} → {target}" for name, targets in _graph().items() for target in targets
        if name.split(".")[1] in BELOW_REPORTS and target.startswith("xxgk.reports"))
    assert offenders == []


def test_no_domain_imports_the_api():
    offenders = sorted(
        f"{name} → {target}" for name, targets in _graph().items() for target in targets
        if name.split(".")[1] in BELOW_REPORTS and target.startswith("xxgk.api"))
    assert offenders == []
