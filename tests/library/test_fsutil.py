"""offline_index.fsutil: atomic, durable writes on real files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from offline_index import fsutil


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_bytes_and_creates_parent(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.bin"
    fsutil.atomic_write_bytes(target, b"\x00\x01hello")
    assert target.read_bytes() == b"\x00\x01hello"
    assert _leftovers(target.parent) == []


def test_replaces_old_content(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    target.write_text("old")
    fsutil.atomic_write_text(target, "mới\nnew\n")
    assert target.read_bytes() == "mới\nnew\n".encode()
    assert os.listdir(tmp_path) == ["f.json"]


def test_default_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        fsutil.atomic_write_bytes(tmp_path / "pub", b"x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "pub") == 0o644


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664])
def test_explicit_mode_ignores_umask(tmp_path: Path, mode: int) -> None:
    old = os.umask(0o077)
    try:
        fsutil.atomic_write_bytes(tmp_path / "k", b"x", mode=mode)
    finally:
        os.umask(old)
    assert _mode(tmp_path / "k") == mode


def test_mode_is_set_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A private key must never sit under its final name with wider permissions."""
    seen: list[tuple[str, int]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((Path(src).name, _mode(Path(src))))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    old = os.umask(0o000)
    try:
        fsutil.atomic_write_bytes(tmp_path / "secret.key", b"k", mode=0o600)
    finally:
        os.umask(old)
    assert len(seen) == 1
    name, mode = seen[0]
    assert name.startswith(".secret.key.") and name.endswith(".tmp")
    assert mode == 0o600


def test_failed_write_leaves_old_content_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text("old")
    with pytest.raises(TypeError):
        fsutil.atomic_write_bytes(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_failed_rename_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    (target / "inside").mkdir(parents=True)  # a non-empty folder cannot be replaced by a file
    with pytest.raises(OSError):
        fsutil.atomic_write_bytes(target, b"new")
    assert (target / "inside").is_dir()
    assert _leftovers(tmp_path) == []


def test_fsync_dir_and_tree_on_real_folders(tmp_path: Path) -> None:
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "f").write_bytes(b"1")
    fsutil.fsync_dir(tmp_path)
    fsutil.fsync_tree(tmp_path / "x")
    with pytest.raises(NotADirectoryError):
        fsutil.fsync_dir(tmp_path / "x" / "y" / "f")


def test_copy_file_streams_and_applies_mode(tmp_path: Path) -> None:
    src = tmp_path / "src.pdf"
    src.write_bytes(os.urandom(3 << 20))  # several copy chunks
    dest = tmp_path / "out" / "doc.pdf"
    fsutil.atomic_copy_file(src, dest, mode=0o640)
    assert dest.read_bytes() == src.read_bytes()
    assert _mode(dest) == 0o640
    assert _leftovers(dest.parent) == []


def test_copy_file_failed_check_keeps_old_and_no_temp(tmp_path: Path) -> None:
    src = tmp_path / "new"
    src.write_bytes(b"new")
    dest = tmp_path / "blobs" / "abc"
    dest.parent.mkdir()
    dest.write_bytes(b"old")
    checked: list[bytes] = []

    def reject(copy: Path) -> None:
        checked.append(copy.read_bytes())
        raise ValueError("hash differs")

    with pytest.raises(ValueError):
        fsutil.atomic_copy_file(src, dest, check=reject)
    assert checked == [b"new"]  # the check saw the complete copy
    assert dest.read_bytes() == b"old"
    assert _leftovers(dest.parent) == []


def test_copy_missing_source_leaves_no_temp(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        fsutil.atomic_copy_file(tmp_path / "nope", tmp_path / "d" / "x")
    assert _leftovers(tmp_path / "d") == []
