"""Dependencies point one way (SYSTEM.md "Modules", CONVENTIONS.md "Our own rules").

Read from the source (ast), every import counted, also the ones inside a function (a lazy import
hides a dependency, it does not remove it):

- no module imports a module that comes later in SYSTEM.md's order;
- the cross-cutting modules import no domain module: a later module fills their registries
  from its `apps.py` (access rules, key holders, retention, navigation);
- no import cycle between modules of different apps.

Shipped code only: a test may set up data with any module, and nothing imports a test.
Migrations and management commands are checked for direction too, but as nothing imports them
they cannot close a cycle.
"""

import ast
import functools
import pathlib

PACKAGE = "integriteit"
ROOT = pathlib.Path(__file__).resolve().parents[1]

# SYSTEM.md "Modules", in the order in which they are built; not every one exists yet.
ORDER = (
    "organisations",
    "accounts",
    "reports",
    "cases",
    "investigations",
    "registry",
    "advisers",
    # Notifications hears of the earlier modules' events through signals; none imports it.
    "notifications",
    "prevention",
    "monitoring",
    "incidents",
    "portal",
)
CROSS_CUTTING = frozenset({"access", "crypto", "audit", "deadlines", "ui", "figures", "outbox"})

# The only imports against the rules above, each with its reason.
# ADR 0002: need to know is decided over the rows that hold it: a person's roles
# (accounts), the organisation, the report and its exclusions (reports). `access` reads their
# models and constants, nothing else of them, and no later module.
ALLOWED = {
    ("access", "integriteit.organisations.models"),
    ("access", "integriteit.accounts.constants"),
    ("access", "integriteit.accounts.models"),
    ("access", "integriteit.reports.models"),
    # The auditors' page sits behind the staff login (password and second factor), which
    # accounts holds; moving `staff_required` into access changes every view of every app.
    ("audit", "integriteit.accounts.decorators"),
}


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _shipped_files() -> list[pathlib.Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts and path.name != "conftest.py"
    )


def _imported(path: pathlib.Path) -> set[str]:
    """The names of the project's modules this file imports, as written (absolute)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _level in range(1, node.level):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else node.module
            target = target or base
            found.add(target)
            # `from integriteit.x import y` may import the module x.y.
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return {name for name in found if name == PACKAGE or name.startswith(PACKAGE + ".")}


@functools.cache
def _graph() -> dict[str, set[str]]:
    files = _shipped_files()
    modules = {_module_name(path) for path in files}
    return {
        _module_name(path): {name for name in _imported(path) if name in modules} for path in files
    }


def _app(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def _forbidden(source: str, target: str) -> bool:
    here, there = _app(source), _app(target)
    if here == there or there not in ORDER or (here, target) in ALLOWED:
        return False
    if here in CROSS_CUTTING:
        return True
    return here in ORDER and ORDER.index(there) > ORDER.index(here)


def test_the_order_names_the_apps_that_exist():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(ORDER) | CROSS_CUTTING, apps - set(ORDER) - CROSS_CUTTING


def test_no_module_imports_a_later_one():
    wrong = sorted(
        f"{source} -> {target}"
        for source, targets in _graph().items()
        for target in targets
        if _forbidden(source, target)
    )
    assert wrong == []


def test_every_allowed_exception_is_still_needed():
    used = {(_app(source), target) for source, targets in _graph().items() for target in targets}
    assert used >= ALLOWED, ALLOWED - used


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _without_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """`from integriteit.x import y` also names the package x: importing a package runs only
    its (here empty) __init__, so an edge to a package closes no cycle."""
    packages = {module for module in graph if (ROOT.parent / module.replace(".", "/")).is_dir()}
    return {source: targets - packages for source, targets in graph.items()}


def test_no_import_cycle_between_apps():
    """A cycle inside one app is that app's own business; one through two apps means an
    earlier module depends on a later one, however lazily it imports it."""
    between_apps = [
        cycle
        for cycle in _cycles(_without_packages(_graph()))
        if len({_app(module) for module in cycle}) > 1
    ]
    assert between_apps == []


def test_the_check_sees_a_later_import_and_a_cycle():
    """The check itself can fail: an earlier module importing a later one, a cross-cutting one
    importing a domain module, and two modules importing each other."""
    assert _forbidden("integriteit.reports.views", "integriteit.cases.models")
    assert _forbidden("integriteit.ui.views", "integriteit.organisations.models")
    assert not _forbidden("integriteit.cases.views", "integriteit.reports.models")
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert "integriteit.access.rules" in _graph()["integriteit.reports.selectors"]
