"""Will a release fit on this disk? Checked before any download, after leftovers are collected.

Why before: a disk filled to the brim would also stop residents' contest entries and questions
from being saved. Why name what uses the disk: "4.1 MB can be used" alone sends a librarian
hunting; "library generations 9.8 MB, other files 6.0 MB" says where the space went.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from offline_index.home import (
    blob_store,
    cache_dir,
    library_root,
    overlay_dir,
    partial_dir,
    stage_dirs,
)
from sync.errors import ApplyError

RESERVE_MAX = 64 * 1024 * 1024  # room always left for the kiosk's own writes (state, outbox)


def bytes_needed(home: Path, targets: dict[str, tuple[str, int]]) -> int:
    """Bytes still to fetch: blobs not in the store, less what their partial files hold."""
    store, partial = blob_store(home), partial_dir(home)
    need = 0
    for digest, length in set(targets.values()):
        if not (store / digest).is_file():
            part = partial / f"{digest}.part"
            need += max(0, length - (part.stat().st_size if part.is_file() else 0))
    return need


def check_space(home: Path, targets: dict[str, tuple[str, int]]) -> int:
    """Refuse (ApplyError, exit 7) if the missing blobs cannot fit; returns the bytes needed."""
    need = bytes_needed(home, targets)
    store = blob_store(home)
    store.mkdir(parents=True, exist_ok=True)
    disk = shutil.disk_usage(store)
    reserve = min(RESERVE_MAX, disk.total // 20)
    usable = max(0, disk.free - reserve)
    if need > usable:
        raise ApplyError(
            f"the disk is full for this release: it needs {mb(need)}, {mb(usable)} can be "
            f"used ({usage_text(home, disk.used)}); the live library is unchanged. "
            "Free some space."
        )
    return need


def disk_full(home: Path) -> ApplyError:
    """The error for a disk that filled up after the check (while the library was built):
    exit 7 with what uses the disk, as check_space says it."""
    used = shutil.disk_usage(home).used
    return ApplyError(
        f"the disk is full; the live library is unchanged ({usage_text(home, used)}). "
        "Free some space."
    )


def usage_text(home: Path, disk_used: int) -> str:
    """What uses the disk, biggest first: "library generations 9.8 MB, other files 6.0 MB"."""
    seen: set[tuple[int, int]] = set()  # hard links (stage -> blobs, generations) count once
    parts = {
        "library generations": _tree_size(library_root(home), seen),
        "downloaded releases": _tree_size(blob_store(home), seen)
        + sum(_tree_size(p, seen) for p in stage_dirs(home)),
        "unfinished downloads": _tree_size(partial_dir(home), seen),
        "build cache": _tree_size(cache_dir(home), seen),
        "local documents": _tree_size(overlay_dir(home), seen),
    }
    parts["kiosk data"] = _tree_size(home, seen)  # what is left under the home
    lawshelf = sum(parts.values())
    parts["other files on this disk"] = max(0, disk_used - lawshelf)
    shown = sorted(((n, b) for n, b in parts.items() if b >= 50_000), key=lambda p: -p[1])
    return "in use: " + ", ".join(f"{name} {mb(size)}" for name, size in shown)


def _tree_size(path: Path, seen: set[tuple[int, int]]) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_blocks * 512
    return total


def mb(n: int) -> str:
    """Bytes as every disk message says them: `12.0 MB`."""
    return f"{n / 1e6:.1f} MB"
