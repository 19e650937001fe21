"""No import circles in shop_desk (issue 16): modules import downwards only.

Read from the source with ``ast``: every import of a shop_desk module counts, at module level
and inside functions alike (a function-level import is how a circle hides: it runs later, but
the two modules still need each other). Imports under ``if TYPE_CHECKING:`` do not count; nor
does a module's implicit import of its own package. ``ui/`` counts too (its desks import
``ui/shell`` and the services, never each other).
"""

from __future__ import annotations

import ast
from pathlib import Path

import shop_desk

PACKAGE = Path(shop_desk.__file__).resolve().parent
EXCLUDED: tuple[str, ...] = ()  # every package, ui included


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """``(module_level, in_functions)``: for each shop_desk module, the shop_desk modules it
    imports at module level, and those it imports only inside functions."""
    modules = _modules()

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    top: dict[str, set[str]] = {name: set() for name in modules}
    inner: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, is_package) in modules.items():

        def visit(node: ast.AST, at_top: bool, name: str = name, is_package: bool = is_package):
            for child in ast.iter_child_nodes(node):
                if _type_checking(child):
                    continue
                child_top = at_top and not isinstance(
                    child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                )
                targets: list[str] = []
                if isinstance(child, ast.Import):
                    targets = [alias.name for alias in child.names]
                elif isinstance(child, ast.ImportFrom):
                    if child.level:
                        base = name.split(".")[: None if is_package else -1]
                        base = base[: len(base) - child.level + 1]
                        source = ".".join(base + ([child.module] if child.module else []))
                    else:
                        source = child.module or ""
                    # `from package import module` imports the module itself
                    targets = [
                        f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                        for alias in child.names
                    ]
                for target in targets:
                    found = known(target) if target.startswith("shop_desk") else None
                    if found and found != name:
                        (top if child_top else inner)[name].add(found)
                visit(child, child_top)

        visit(ast.parse(path.read_text(encoding="utf-8")), True)
    for name in top:
        inner[name] -= top[name]
    return top, inner


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def _kept(name: str) -> bool:
    return not any(name == ex or name.startswith(ex + ".") for ex in EXCLUDED)


def test_the_graph_is_read():
    top, inner = import_graph()
    assert "shop_desk.models.base" in top["shop_desk.db"]
    assert "shop_desk.migrations" in inner["shop_desk.db"]  # imported in open_database


def test_no_import_circles():
    top, inner = import_graph()
    edges = {name: {t for t in top[name] | inner[name] if _kept(t)} for name in top if _kept(name)}
    found = circles(edges)
    report = "\n".join(
        f"{len(c)} modules: "
        + "; ".join(f"{m} -> {', '.join(sorted((top[m] | inner[m]) & set(c)))}" for m in c)
        for c in found
    )
    assert not found, "import circles (move what both sides need to where it belongs):\n" + report


def test_circles_are_found():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []
