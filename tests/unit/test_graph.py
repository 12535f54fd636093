"""The package's import graph, read from the source: every import, at any level, counts.

The rules it keeps: no import cycles between modules; each part of the house imports only the
parts below it (storage -> rules -> services -> screens); and a module of the package imported
inside a function says why on that line or the line above (in this package: start-up time).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import netmaint_tui

ROOT = Path(netmaint_tui.__file__).parent
PACKAGE = "netmaint_tui"

# What each part may import besides itself. A part is a top-level module or package of the
# package; an entry for one module (ui.app) overrides its part's.
ALLOWED = {
    "rules": set(),
    "clock": {"rules"},
    # Desktop notifications: a client run as a process, the text made safe by the rules.
    "notify": {"rules"},
    "paths": set(),
    "safe_yaml": set(),
    "io": {"rules"},
    # Settings are written with the same guard every output file has (nothing written onto the database).
    "config": {"rules", "paths", "safe_yaml", "store.guard", "store.errors"},
    "store": {"rules", "paths", "clock"},
    "services": {"store", "rules", "io", "config", "clock", "paths", "safe_yaml"},
    # Screens call services; from storage they know only its errors, to say them.
    "ui": {"services", "rules", "config", "clock", "paths", "safe_yaml", "io.formats", "store.errors"},
    # The app's shell opens the file, watches it for other writers and keeps the day's copy.
    "ui.app": {"services", "rules", "config", "clock", "paths", "safe_yaml", "store"},
    "demo": {"services", "store", "rules", "clock", "paths"},
    # The command line may open the app: that one module, and no screen.
    "cli": {"services", "store", "rules", "io", "config", "clock", "paths", "safe_yaml", "demo", "ui.app", "notify"},
    "__main__": {"cli"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module of the package a dotted name lives in (a module, or a name inside one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


class Import:
    def __init__(self, source: str, target: str, line: int, in_function: bool, says_why: bool) -> None:
        self.source, self.target, self.line, self.in_function, self.says_why = source, target, line, in_function, says_why

    def __repr__(self) -> str:
        return f"{self.source}:{self.line} -> {self.target}"


def _imports(name: str, path: Path) -> list[Import]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def targets(node) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        base = node.module or ""
        if node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        # `from a import b` imports the module a.b when there is one, else the name b of a.
        return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]

    def said_why(node) -> bool:
        here = lines[node.lineno - 1 : node.end_lineno]
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        return any("#" in line for line in here) or above.startswith("#")

    def visit(node, in_function: bool, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            function = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            typing = typing_only or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test))
            if isinstance(child, (ast.Import, ast.ImportFrom)) and not typing:
                for target in targets(child):
                    owner = _owner(target) if target.startswith(PACKAGE) else None
                    if owner and owner != name:
                        found.append(Import(name, owner, child.lineno, function, said_why(child)))
            visit(child, function, typing)

    visit(ast.parse(text), False, False)
    return found


IMPORTS = [i for name, path in sorted(MODULES.items()) for i in _imports(name, path)]


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def _rule(module: str) -> set[str]:
    inner = module.split(".", 1)[1] if "." in module else module
    return ALLOWED.get(inner, ALLOWED[_part(module)])


def _allowed(source: str, target: str) -> bool:
    inner = target.split(".", 1)[1] if "." in target else target
    if _part(target) == _part(source):
        return True
    return any(inner == a or inner.startswith(a + ".") for a in _rule(source))


def test_the_graph_was_read():
    assert len(MODULES) > 60 and len(IMPORTS) > 200
    assert {p for p in ALLOWED if "." not in p} >= {_part(m) for m in MODULES if m != PACKAGE}
    assert any(i.in_function for i in IMPORTS)


def test_each_part_imports_only_the_parts_below_it():
    wrong = [i for i in IMPORTS if _part(i.source) in ALLOWED and not _allowed(i.source, i.target)]
    assert wrong == []


def test_no_import_cycles():
    graph: dict[str, set[str]] = {}
    for i in IMPORTS:
        graph.setdefault(i.source, set()).add(i.target)
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def connect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(MODULES):
        if module not in index:
            connect(module)
    assert cycles == []


def test_an_import_inside_a_function_says_why():
    assert [i for i in IMPORTS if i.in_function and not i.says_why] == []


@pytest.mark.parametrize("bad", ["netmaint_tui.ui.screens.main -> netmaint_tui.store.db",
                                 "netmaint_tui.rules.text -> netmaint_tui.store.models",
                                 "netmaint_tui.io.vcard -> netmaint_tui.services.common"])
def test_the_layer_rule_would_catch_a_wrong_import(bad):
    source, target = bad.split(" -> ")
    assert not _allowed(source, target)
