"""The package's rooms: which room may import which, and no import cycles anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import REPO

PACKAGE = REPO / "tonecheck"
# A room may import the rooms listed for it (and itself), never the others.
ALLOWED = {
    "model": {"model"},
    "reports": {"reports", "model"},
    "server": {"server", "reports", "model"},
    "cli": {"cli", "server", "reports", "model"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every tonecheck module `path` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tonecheck"))
        elif (
            isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tonecheck")
        ):
            found.add(node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {i for i in imports_of(path) if i in modules} for name, path in modules.items()}


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of two or more modules (or a self-import)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: finished

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, path)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_the_finder_sees_a_cycle_and_a_room_breach() -> None:
    graph = {"tonecheck.model.a": {"tonecheck.model.b"}, "tonecheck.model.b": {"tonecheck.model.a"}}
    assert cycles(graph) == [["tonecheck.model.a", "tonecheck.model.b", "tonecheck.model.a"]]
    assert room("tonecheck.server.api") == "server" and room("tonecheck.__main__") is None


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_no_room_imports_upward_or_sideways() -> None:
    breaches = [
        f"{source} imports {target}"
        for source, targets in import_graph().items()
        for target in targets
        if (mine := room(source)) and (theirs := room(target)) and theirs not in ALLOWED[mine]
    ]
    assert breaches == []


def test_benchmarks_import_no_test_module() -> None:
    """bench/ may use the helpers in tests/support/, never a test module or a fixture file."""
    offending = []
    for path in (REPO / "bench").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if module.startswith("tests") and not module.startswith("tests.support"):
                offending.append(f"{path.name}: {module}")
    assert offending == []


def test_main_is_three_lines() -> None:
    lines = (PACKAGE / "__main__.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and "tonecheck.cli" in lines[0]
