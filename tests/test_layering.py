"""The import graph of ``src/keyguard``, read from the source (imports inside functions and
under ``TYPE_CHECKING`` included): no cycles, and the layers of docs/design.md hold."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

# (importer prefix, forbidden prefixes): each layer sees only the layers below it.
FORBIDDEN = [
    ("keyguard.formats", ("keyguard.scan", "keyguard.migrate", "keyguard.vault", "keyguard.cli",
                          "keyguard.hooks", "keyguard.redact")),
    ("keyguard.scan", ("keyguard.migrate", "keyguard.vault", "keyguard.cli", "keyguard.hooks",
                       "keyguard.redact")),
    ("keyguard.vault", ("keyguard.scan", "keyguard.migrate", "keyguard.cli", "keyguard.hooks")),
    ("keyguard.redact", ("keyguard.migrate", "keyguard.cli", "keyguard.hooks")),
    ("keyguard.migrate", ("keyguard.cli", "keyguard.hooks")),
    ("keyguard.hooks", ("keyguard.cli",)),
]  # fmt: skip
# The base layer imports nothing of keyguard's above it.
BASE = ("keyguard.errors", "keyguard.record", "keyguard.entrypoints", "keyguard.lazyre",
        "keyguard.paths", "keyguard.atomic", "keyguard.fingerprint", "keyguard.process",
        "keyguard.git", "keyguard.config")  # fmt: skip


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "keyguard").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The keyguard modules ``name`` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            # ``from pkg import mod`` imports the module; ``from mod import attr`` the module
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]  # fmt: skip
        else:
            continue
        out.update(t for t in targets if t in known and t != name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize(("layer", "forbidden"), FORBIDDEN, ids=[f[0] for f in FORBIDDEN])
def test_layers(layer: str, forbidden: tuple[str, ...]) -> None:
    graph = _graph()
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if name == layer or name.startswith(layer + ".")
        for target in targets
        if any(target == f or target.startswith(f + ".") for f in forbidden)
    )
    assert wrong == []


def test_base_layer_imports_only_base() -> None:
    graph = _graph()
    wrong = sorted(
        f"{name} imports {target}"
        for name in BASE
        for target in graph[name]
        if target not in BASE and target != "keyguard"
    )
    assert wrong == []


def test_the_graph_is_read() -> None:
    """The walk sees imports inside functions (the test above could not fail otherwise)."""
    graph = _graph()
    assert "keyguard.scan.readers.decoded" in graph["keyguard.scan.pipeline"]  # in a function
    assert "keyguard.formats.kinds" in graph["keyguard.scan.pipeline"]
