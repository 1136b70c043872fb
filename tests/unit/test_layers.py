"""The import contract, read from the source: no import circle anywhere in posdesk (imports
inside functions and for the type checker included), and nothing outside posdesk/ui imports
Textual."""

from __future__ import annotations

import ast
from pathlib import Path

import posdesk

PACKAGE = Path(posdesk.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:`: imports for the type checker alone, never run."""
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def statements(tree: ast.AST, type_checking: bool):
    """Every node of `tree`: at the top, in classes and functions; under `if TYPE_CHECKING:`
    only when `type_checking` (those imports never run, but still tie two modules together)."""
    for node in ast.iter_child_nodes(tree):
        if is_type_checking(node) and not type_checking:
            for other in node.orelse:
                yield other
                yield from statements(other, type_checking)
            continue
        yield node
        yield from statements(node, type_checking)


def imported_names(path: Path, type_checking: bool = True) -> set[str]:
    """Every module `path` imports, wherever the import statement is (at the top, inside a
    function where posdesk imports what is slow to load, or for the type checker)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in statements(ast.parse(path.read_text(encoding="utf-8"), str(path)), type_checking):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import, from the module's own package upward
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # submodules
    return found


def posdesk_imports(path: Path, type_checking: bool = True) -> set[str]:
    """The posdesk modules `path` imports (a name imported from a module counts as that
    module; a package's face counts as the package's __init__)."""
    names = imported_names(path, type_checking)
    return {name for name in names if name in MODULES} - {module_name(path)}


def import_graph() -> dict[str, set[str]]:
    return {name: posdesk_imports(path) for name, path in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as the list of modules around it, or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_sees_function_level_imports():
    """Not vacuous: the main screen imports its dialogs inside functions, and they count."""
    graph = import_graph()
    assert "posdesk.ui.dialogs.mark_done" in graph["posdesk.ui.screens.main"]
    assert "posdesk.ui.panes.incidents" in graph["posdesk.ui.screens.main"]  # type-only too
    assert "posdesk.ui.screens.main" in graph["posdesk.ui.app"]


def test_a_circle_is_found_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_in_posdesk():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " → ".join(cycle)


def test_nothing_below_the_ui_imports_textual():
    below = [name for name in MODULES if not name.startswith("posdesk.ui")]
    assert "posdesk.desk" in below or "posdesk.desk" in {n.rpartition(".")[0] for n in below}
    offenders = {name: sorted(n for n in imported_names(MODULES[name])
                              if n.split(".")[0] == "textual")
                 for name in below}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_only_chain_mode_imports_psycopg_and_it_reaches_down_only():
    """psycopg is chain mode's alone (posdesk/central); central imports no store, desk or ui."""
    offenders = {name: sorted(n for n in imported_names(MODULES[name]) if n.split(".")[0] == "psycopg")
                 for name in MODULES if not name.startswith("posdesk.central")}
    assert {name: found for name, found in offenders.items() if found} == {}
    central = [name for name in MODULES if name.startswith("posdesk.central")]
    assert "posdesk.central.sync" in central
    upward = {name: sorted(n for n in posdesk_imports(MODULES[name])
                           if n.split(".")[1] in ("store", "desk", "ui", "cli", "kb"))
              for name in central}
    assert {name: found for name, found in upward.items() if found} == {}
