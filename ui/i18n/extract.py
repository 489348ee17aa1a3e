"""List translatable literals (tr("...") and N_("...")) and which lack an English entry.

python -m ui.i18n.extract [FILES...]   # prints missing strings as a JSON object to fill in
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from ui.i18n import load_catalogue

UI_DIR = Path(__file__).resolve().parent.parent
# The layers whose known errors carry a Vietnamese message a screen may show (message_vi).
ERROR_DIRS = ("offline_index", "sync", "kiosk", "cli")


def literals(path: Path) -> list[str]:
    """Every string literal passed directly to tr() or N_() in a Python file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("tr", "N_")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            out.append(node.args[0].value)
    return out


def error_literals(path: Path) -> list[str]:
    """Every fixed `message_vi` in a Python file: a class's own, or one given when raised.
    One built with values (an f-string) is left out: it shows the English `message`."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        value = _message_vi(node)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            out.append(value.value)
    return out


def _message_vi(node: ast.AST) -> ast.expr | None:
    """The value given to `message_vi` by this node, if it gives one."""
    if isinstance(node, ast.Assign):
        named = any(isinstance(t, ast.Name) and t.id == "message_vi" for t in node.targets)
        return node.value if named else None
    if isinstance(node, ast.keyword) and node.arg == "message_vi":
        return node.value
    return None


def error_files() -> list[Path]:
    root = UI_DIR.parent
    return sorted(p for d in ERROR_DIRS for p in (root / d).rglob("*.py"))


def missing_errors(lang: str = "en") -> list[str]:
    """The known errors' fixed Vietnamese messages with no entry in the catalogue."""
    cat = load_catalogue(lang)
    return sorted({t for p in error_files() for t in error_literals(p) if t not in cat})


def missing(paths: list[Path], lang: str = "en") -> list[str]:
    cat = load_catalogue(lang)
    seen: dict[str, None] = {}
    for path in paths:
        for text in literals(path):
            if text not in cat:
                seen[text] = None
    return list(seen)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(UI_DIR.rglob("*.py"))
    print(json.dumps({t: "" for t in missing(paths)}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
