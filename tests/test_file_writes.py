"""Files are written through offline_index.fsutil (temp, fsync, rename), so a power cut
leaves the old file or the new one. This walks our packages for direct writes; the few
that are not replacements of a file a reader trusts are listed with the reason."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("offline_index", "sync", "kiosk", "ui", "cli")
ALLOWED = {
    "offline_index/fsutil.py": "the mechanism itself",
    "offline_index/generations.py": "the build key: temp, fsync, then link (first writer wins)",
    "offline_index/ocr/synthetic.py": "pymupdf's TextWriter.write_text draws on a page",
    "offline_index/postings.py": "a segment being built; the generation is switched after",
    "offline_index/unit_spool.py": "a build's scratch spool, never read after a crash",
    "sync/keys.py": "a private key created 0600 with O_EXCL, then fsynced",
    "sync/transfer.py": "a partial download and its ETag: a torn one means starting over",
    "ui/events.py": "an append-only event log for tests and benchmarks",
    "ui/testhooks.py": "test hooks: temp then os.replace",
}


def _writes(path: Path) -> list[int]:
    """Lines calling write_text/write_bytes, or open/fdopen with a writing mode."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("write_text", "write_bytes"):
            out.append(node.lineno)
        elif name in ("open", "fdopen"):
            mode = node.args[1] if len(node.args) > 1 else None
            mode = next((k.value for k in node.keywords if k.arg == "mode"), mode)
            if isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax+"):
                out.append(node.lineno)
    return out


def test_files_are_written_through_fsutil() -> None:
    found = {
        f"{rel}:{line}"
        for pkg in PACKAGES
        for path in sorted((ROOT / pkg).rglob("*.py"))
        if (rel := path.relative_to(ROOT).as_posix()) not in ALLOWED
        for line in _writes(path)
    }
    assert not found, f"write through offline_index.fsutil (or list why not): {sorted(found)}"


def test_the_walker_sees_a_direct_write(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('p.write_text("x")\nopen(p, "w")\nopen(p, mode="ab")\nopen(p)\n')
    assert _writes(bad) == [1, 2, 3]
