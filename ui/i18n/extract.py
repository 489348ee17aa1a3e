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
