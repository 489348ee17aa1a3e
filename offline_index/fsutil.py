"""Durable, atomic file writes: the one place that does temp -> fsync -> rename -> fsync dir.

Why: a kiosk is switched off at the wall, a USB stick is pulled, a build is killed. Writing a file
in place can leave it half-written; writing a temp file in the same folder, fsyncing it, renaming
it over the target (atomic on POSIX) and then fsyncing the folder means a kill -9 or a power cut
at any instant leaves the old file or the new one, never a mix.

Temp files are named `.<name>.<random>.tmp` in the target's folder: hidden (tree walkers that skip
dot files, e.g. the release publisher, never see them), not matching `*.json`, unique per writer,
and removed again if the write fails.

This is the lowest layer (offline_index), so sync, kiosk and ui may all use it.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "atomic_copy_file",
    "atomic_write_bytes",
    "atomic_write_text",
    "fsync_dir",
    "fsync_tree",
]


def atomic_write_bytes(path: Path | str, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically and durably; creates the parent folder.

    `mode`: permissions of the new file, set on the temp file before the rename (a private key
    is never visible with wider permissions, even briefly). None: like open() (0o666 & ~umask).
    """
    view = memoryview(data)  # a TypeError here, before any temp file exists

    def fill(fd: int) -> None:
        rest = view
        while rest:
            rest = rest[os.write(fd, rest) :]

    _replace(Path(path), fill, mode, None)


def atomic_write_text(
    path: Path | str, text: str, *, mode: int | None = None, encoding: str = "utf-8"
) -> None:
    """atomic_write_bytes for text (UTF-8 unless told; no newline translation)."""
    atomic_write_bytes(path, text.encode(encoding), mode=mode)


def atomic_copy_file(
    src: Path | str,
    dest: Path | str,
    *,
    mode: int | None = None,
    check: Callable[[Path], None] | None = None,
) -> None:
    """Copy `src` over `dest` atomically and durably (streamed, for big PDFs and blobs).

    `check(temp)` runs on the complete, fsynced copy before the rename; if it raises, the copy
    is removed and `dest` keeps its old content (e.g. a hash check of a file that changed).
    """

    def fill(fd: int) -> None:
        with open(src, "rb") as fh, open(fd, "wb", closefd=False) as out:
            shutil.copyfileobj(fh, out, 1 << 20)

    _replace(Path(dest), fill, mode, check)


def _replace(
    path: Path,
    fill: Callable[[int], None],
    mode: int | None,
    check: Callable[[Path], None] | None,
) -> None:
    """The one mechanism: temp file -> fill -> fsync -> (check) -> rename -> fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)  # the umask may have cleared bits the caller asked for
            fill(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        if check is not None:
            check(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _temp_name(path: Path) -> Path:
    """Hidden, unique per writer, never matching `*.json` or the target's own suffix."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def fsync_dir(path: Path | str) -> None:
    """fsync a folder, so a rename or a new entry in it survives a power cut."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path | str) -> None:
    """fsync every file and folder below root, so a rename of root publishes durable data."""
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(dirpath)
