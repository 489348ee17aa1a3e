"""The files of an index folder besides Whoosh's: cloning a base, JSON sidecars.

Whoosh never rewrites a segment file in place, and neither do we (offline_index/postings.py),
so an incremental build shares the base's segment files by hard links. The TOC and the JSON
sidecars are copied: they are replaced on every write.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from offline_index.fsutil import atomic_write_text


def _link_or_copy(src: Path, dst: Path) -> None:
    """Reuse an immutable segment file without copying its bytes when possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def clone_base(base_dir: Path, index_dir: Path) -> None:
    for src in base_dir.iterdir():
        if src.name.endswith("LOCK") or not src.is_file():
            continue
        if src.suffix in (".toc", ".json"):
            shutil.copy2(src, index_dir / src.name)
        else:
            _link_or_copy(src, index_dir / src.name)


def write_sidecars(index_dir: Path, files: dict[str, object]) -> None:
    for name, data in files.items():
        atomic_write_text(index_dir / name, json.dumps(data, ensure_ascii=False))


def write_meta(path: Path, meta: dict) -> None:
    atomic_write_text(path, json.dumps(meta))


def read_json(path: Path, default: object) -> object:
    if not path.exists():
        return default
    with open(path, encoding="utf-8") as f:
        return json.load(f)
