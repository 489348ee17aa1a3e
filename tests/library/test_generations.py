"""Generation pointers, garbage collection, and refusing indexes not built here."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from offline_index.build import build_generation, build_home, build_into_home
from offline_index.errors import LibraryCorrupt, LibraryNotFound
from offline_index.generations import (
    gc_generations,
    live_generation,
    previous_generation,
    rollback_generation,
    switch_generation,
    verify_generation,
)
from offline_index.home import library_root
from offline_index.library import Library


def test_switch_previous_and_gc(home: Path, content_src: Path) -> None:
    root = library_root(home)
    g1 = build_into_home(home, [content_src])
    assert live_generation(root) == g1 and previous_generation(root) is None
    assert os.readlink(root / "current") == g1.name  # relative: the home can move
    g2 = build_into_home(home, [content_src])
    assert (live_generation(root), previous_generation(root)) == (g2, g1)
    assert build_home(home, [content_src]).units_reused > 0  # incremental from the live one
    g3 = live_generation(root)
    assert previous_generation(root) == g2 and not g1.exists()  # gc'd: no pointer uses it
    assert rollback_generation(root) == g2
    assert (live_generation(root), previous_generation(root)) == (g2, g3)
    stray = build_generation([content_src], root / "gen-stray").gen_dir
    assert gc_generations(root) == [stray]
    moved = home.parent / "moved-home"
    shutil.move(home, moved)
    with Library.open(moved) as lib:
        assert lib.path.name == g2.name


def test_overlay_documents_survive_rebuilds(home: Path, content_src: Path) -> None:
    overlay = home / "overlay"
    (overlay / "documents").mkdir(parents=True)
    (overlay / "lawshelf-content.json").write_text(json.dumps({"format": 1, "name": "overlay"}))
    doc = json.loads((content_src / "documents" / "land.json").read_text())
    doc.update(
        number="12/2025/QĐ-UBND",
        kind="Quyết định",
        title="Quy định về phí vệ sinh",
        scope="local",
        relations=[],
    )
    (overlay / "documents" / "local.json").write_text(json.dumps(doc, ensure_ascii=False))
    build_into_home(home, [content_src])
    with Library.open(home) as lib:
        assert lib.document("12-2025-qd-ubnd").scope == "local"


def test_foreign_index_is_refused(tmp_path: Path, built, monkeypatch) -> None:  # noqa: ANN001
    gen, _ = built
    copy = tmp_path / "gen-copy"
    shutil.copytree(gen, copy)
    Library.open(copy).close()  # same key: fine
    monkeypatch.setenv("LAWSHELF_BUILD_KEY", str(tmp_path / "other.key"))
    with pytest.raises(LibraryCorrupt, match="not built on this machine"):
        Library.open(copy)
    with pytest.raises(LibraryCorrupt):
        verify_generation(copy)


def test_injected_or_tampered_index_file_is_refused(tmp_path: Path, built) -> None:  # noqa: ANN001
    gen, _ = built
    copy = tmp_path / "gen-copy"
    shutil.copytree(gen, copy)
    (copy / "index" / "_MAIN_99.toc").write_bytes(b"cos\nsystem\n(S'true'\ntR.")
    with pytest.raises(LibraryCorrupt, match="files differ from manifest"):
        Library.open(copy)
    (copy / "index" / "_MAIN_99.toc").unlink()
    manifest = json.loads((copy / "MANIFEST.json").read_text())
    manifest["counts"]["documents"] = 1000  # any edit breaks the MAC
    (copy / "MANIFEST.json").write_text(json.dumps(manifest))
    with pytest.raises(LibraryCorrupt):
        Library.open(copy)


def test_corrupt_file_fails_full_verification(tmp_path: Path, built) -> None:  # noqa: ANN001
    copy = tmp_path / "gen-copy"
    shutil.copytree(built[0], copy)
    path = copy / "files" / "leaflet.pdf"
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(LibraryCorrupt, match="checksum"):
        verify_generation(copy)


def test_open_falls_back_to_previous(home: Path, content_src: Path) -> None:
    g1 = build_into_home(home, [content_src])
    g2 = build_into_home(home, [content_src])
    db = g2 / "content.sqlite"
    db.write_bytes(b"garbage!" * (db.stat().st_size // 8) + b"x" * (db.stat().st_size % 8))
    with Library.open(home) as lib:  # same size, so only opening it finds the damage
        assert lib.path == g1


def test_rollback_needs_a_previous(home: Path, content_src: Path) -> None:
    root = library_root(home)
    g1 = build_into_home(home, [content_src])
    with pytest.raises(LibraryNotFound):
        rollback_generation(root)
    switch_generation(root, g1)  # switching to the live one keeps no self-pointer
    assert previous_generation(root) is None


def test_no_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryNotFound):
        Library.open(tmp_path)
    incomplete = tmp_path / "gen-x"
    incomplete.mkdir()
    with pytest.raises(LibraryNotFound):
        Library.open(incomplete)
