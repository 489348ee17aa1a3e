"""The architecture's rules, checked on the code itself (docs/architecture.md).

- Dependencies point down the stack: cli -> ui -> kiosk -> sync -> offline_index.
- Only ui/qt.py imports PySide6 (or shiboken6).
- No import cycles between our modules, not even through imports inside functions.
  Imports under `if TYPE_CHECKING:` (annotations only, never run) count for the layers
  but not as cycles: a screen may name the shell's class in its annotations.
- Importing every headless module loads no Qt at all.
- A missing module of our own raises: no `except ImportError` around our own imports.

Imports are read from the source (module level and inside functions, plus
importlib.import_module("...") with a literal name), so a lazy import counts too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# Each package and the packages it may import (besides itself).
ALLOWED = {
    "offline_index": set(),
    "sync": {"offline_index"},
    "kiosk": {"sync", "offline_index"},
    "ui": {"kiosk", "sync", "offline_index"},
    "cli": {"ui", "kiosk", "sync", "offline_index"},
}
QT = ("PySide6", "shiboken6")
QT_SHIM = "ui.qt"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in ALLOWED for p in sorted((PROJECT / pkg).rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")[: -node.level] if node.level else []
    return ".".join([*base, node.module] if node.module else base)


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The nodes under `if TYPE_CHECKING:` (imported for annotations, never at run time)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING":
            out.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return out


def _imports(module: str, path: Path, *, type_checking: bool = True) -> set[str]:
    """Every module name this file imports, wherever the import statement stands
    (without those under `if TYPE_CHECKING:` when `type_checking` is False)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set() if type_checking else _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            names.add(target)
            names.update(f"{target}.{a.name}" for a in node.names)  # `from pkg import mod`
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def _graph() -> dict[str, set[str]]:
    """Who imports whom at run time (the graph a cycle is looked for in)."""
    mods = _modules()
    return {
        m: {
            n
            for n in _imports(m, p, type_checking=False)
            if n in mods and n != m and not m.startswith(n + ".")
        }
        for m, p in mods.items()
    }


def test_dependencies_point_down_the_stack() -> None:
    wrong = []
    for module, path in _modules().items():
        pkg = module.split(".")[0]
        for name in _imports(module, path):
            top = name.split(".")[0]
            if top in ALLOWED and top != pkg and top not in ALLOWED[pkg]:
                wrong.append(f"{module} imports {name}")
    assert not wrong, "imports against the layer order:\n" + "\n".join(sorted(wrong))


def test_only_the_shim_imports_qt() -> None:
    wrong = [
        f"{module} imports {name}"
        for module, path in _modules().items()
        if module != QT_SHIM
        for name in _imports(module, path)
        if name.split(".")[0] in QT
    ]
    assert not wrong, "\n".join(sorted(wrong))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "modules that import each other: " + "; ".join(map(str, cycles))


def test_the_walkers_see_lazy_imports(tmp_path: Path) -> None:
    """Imports inside functions and through importlib count (else the rules could never fail)."""
    src = tmp_path / "mod.py"
    src.write_text(
        "def f():\n    import ui.app\n    importlib.import_module('PySide6.QtQuick')\n"
        "from .sibling import thing\n",
        encoding="utf-8",
    )
    names = _imports("kiosk.mod", src)
    assert {"ui.app", "PySide6.QtQuick", "kiosk.sibling", "kiosk.sibling.thing"} <= names
    src.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ui.shell import Shell\n",
        encoding="utf-8",
    )
    assert "ui.shell" in _imports("kiosk.mod", src)  # against the layers all the same
    assert "ui.shell" not in _imports("kiosk.mod", src, type_checking=False)  # no cycle
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]


_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _guarded_own_imports(source: str) -> list[str]:
    """Our own modules imported inside `try: ... except ImportError` (a missing one must raise;
    guards stay for optional third-party modules)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Try):
            continue
        caught = {
            n.id
            for h in node.handlers
            if h.type
            for n in ast.walk(h.type)
            if isinstance(n, ast.Name)
        }
        if not caught & _IMPORT_ERRORS:
            continue
        for inner in (n for stmt in node.body for n in ast.walk(stmt)):
            if isinstance(inner, ast.Import):
                found += [a.name for a in inner.names if a.name.split(".")[0] in ALLOWED]
            elif (
                isinstance(inner, ast.ImportFrom) and (inner.module or "").split(".")[0] in ALLOWED
            ):
                found.append(inner.module or "")
    return found


def test_a_missing_module_of_our_own_raises() -> None:
    wrong = [
        f"{module} guards the import of {name}"
        for module, path in _modules().items()
        for name in _guarded_own_imports(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "\n".join(sorted(wrong))
    sample = "try:\n    from sync import outbox\nexcept (ImportError, OSError):\n    pass\n"
    assert _guarded_own_imports(sample) == ["sync"]
    assert _guarded_own_imports("try:\n    import PySide6\nexcept ImportError:\n    pass\n") == []


@pytest.mark.parametrize("package", ["offline_index", "sync", "kiosk"])
def test_headless_packages_never_load_qt(package: str) -> None:
    """Import every module of a headless package in a fresh interpreter: no Qt gets loaded."""
    mods = sorted(m for m in _modules() if m.split(".")[0] == package)
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}:\n"
        "    importlib.import_module(m)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "", f"{package} loaded Qt: {res.stdout.strip()}"
