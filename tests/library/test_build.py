"""Builds: strict mode, incremental reuse (parse cache, index units, hard links), kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from library_content import dump, nd168

from offline_index.build import build_generation
from offline_index.errors import BuildError
from offline_index.generations import read_manifest, verify_generation
from offline_index.library import Library
from offline_index.search_types import SearchFilters


def test_manifest_lists_every_file_and_verifies(built) -> None:  # noqa: ANN001
    gen, _ = built
    manifest = read_manifest(gen)
    assert "content.sqlite" in manifest["files"] and "files/leaflet.pdf" in manifest["files"]
    assert any(name.startswith("index/") for name in manifest["files"])
    assert manifest["counts"]["documents"] == 5 and manifest["built_here"]["mac"]
    verify_generation(gen)


def test_strict_failure_leaves_no_partial_library(tmp_path: Path, content_src: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(content_src, src)
    (src / "documents" / "bad.json").write_text('{"number": "1/2020/QH14"}')
    out = tmp_path / "lib" / "gen-strict"
    with pytest.raises(BuildError, match="bad.json"):
        build_generation([src], out, strict=True)
    assert not out.exists() and os.listdir(out.parent) == []
    report = build_generation([src], out)  # non-strict: goes on and reports the skip
    assert [e.path for e in report.skipped] == [str(src / "documents" / "bad.json")]


def test_refuses_to_overwrite(built, content_src: Path) -> None:  # noqa: ANN001
    with pytest.raises(BuildError, match="already exists"):
        build_generation([content_src], built[0])


def test_incremental_rebuild_reuses_unchanged(tmp_path: Path, content_src: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(content_src, src)
    cache = tmp_path / "cache"
    first = build_generation([src], tmp_path / "gen-1", cache_dir=cache)
    assert first.cache_misses == 2 and first.units_reused == 0

    changed = nd168()
    changed["body"][2]["children"][0]["text"] = (
        "Phạt tiền từ 2.000.000 đồng khi không đội mũ bảo hiểm."
    )
    dump(src / "documents" / "nd168.json", changed)
    (src / "notices" / "n1.json").unlink()
    second = build_generation([src], tmp_path / "gen-2", cache_dir=cache, base=tmp_path / "gen-1")
    assert second.cache_hits == 2 and second.cache_misses == 0 and second.parsed == []
    assert second.units_indexed == 1 and second.units_dropped == 2  # nd168 re-added, notice gone
    assert second.units_reused == first.units_indexed - 2
    assert second.files_linked == first.files_copied and second.files_copied == 0
    a = (tmp_path / "gen-1" / "files" / "leaflet.pdf").stat()
    b = (tmp_path / "gen-2" / "files" / "leaflet.pdf").stat()
    assert a.st_ino == b.st_ino
    verify_generation(tmp_path / "gen-2")
    verify_generation(tmp_path / "gen-1")  # the base is never modified
    with Library.open(tmp_path / "gen-2") as lib:
        hits = lib.search("không đội mũ bảo hiểm").hits
        assert any("2.000.000" in h.snippet for h in hits if h.doc_id == "168-2024-nd-cp")
        assert not any("400.000" in h.snippet for h in hits if h.doc_id == "168-2024-nd-cp")
        assert lib.search("trợ giúp pháp lý").hits == [] or all(
            h.hit_type != "notice" for h in lib.search("trợ giúp pháp lý").hits
        )
        assert len(lib.search("thắt dây an toàn").hits) >= 1  # reused from the base index
    with Library.open(tmp_path / "gen-1") as lib:
        assert any(h.hit_type == "notice" for h in lib.search("trợ giúp pháp lý").hits)


def test_unchanged_documents_are_copied_from_the_base_not_parsed(
    tmp_path: Path, content_src: Path
) -> None:
    src = tmp_path / "src"
    shutil.copytree(content_src, src)
    build_generation([src], tmp_path / "gen-1")
    changed = nd168()
    changed["title"] = "Nghị định đã sửa"
    dump(src / "documents" / "nd168.json", changed)
    second = build_generation([src], tmp_path / "gen-2", base=tmp_path / "gen-1")
    third = build_generation([src], tmp_path / "gen-3", base=tmp_path / "gen-2")
    build_generation([src], tmp_path / "gen-4")
    json_documents = len(list((src / "documents").glob("*.json")))  # raw files: parse cache
    assert second.documents_reused == json_documents - 1  # nd168 changed
    assert third.documents_reused == json_documents and third.units_indexed == 0
    with Library.open(tmp_path / "gen-3") as a, Library.open(tmp_path / "gen-4") as b:
        assert a.info["counts"] == b.info["counts"]
        for doc in b.documents():
            assert a.document(doc.id) == b.document(doc.id)
        assert a.document("168-2024-nd-cp").title == "Nghị định đã sửa"
        first = b.document("168-2024-nd-cp").tree[0]
        number = next(n for n in first.children or [first] if n.level == "dieu").number
        assert a.article("168-2024-nd-cp", number) == b.article("168-2024-nd-cp", number)


def test_a_repeal_alone_reindexes_nothing(tmp_path: Path, content_src: Path) -> None:
    """Validity is read at query time from content.sqlite, not from the index segments."""
    src = tmp_path / "src"
    shutil.copytree(content_src, src)
    first = build_generation([src], tmp_path / "gen-1")
    repealed = nd168()
    repealed["validity"] = "not_in_force"
    dump(src / "documents" / "nd168.json", repealed)
    second = build_generation([src], tmp_path / "gen-2", base=tmp_path / "gen-1")
    assert second.units_indexed == 0 and second.units_reused == first.units_indexed
    with Library.open(tmp_path / "gen-2") as lib:
        hits = [h for h in lib.search("không đội mũ bảo hiểm").hits if h.doc_id == "168-2024-nd-cp"]
        assert hits and {h.validity for h in hits} == {"not_in_force"}
        kept = lib.search("không đội mũ bảo hiểm", filters=SearchFilters(validity="in_force"))
        assert "168-2024-nd-cp" not in {h.doc_id for h in kept.hits}


def test_base_from_elsewhere_is_not_reused(tmp_path: Path, content_src: Path) -> None:
    build_generation([content_src], tmp_path / "gen-1")
    manifest = json.loads((tmp_path / "gen-1" / "MANIFEST.json").read_text())
    manifest["built_here"]["mac"] = "0" * 64
    (tmp_path / "gen-1" / "MANIFEST.json").write_text(json.dumps(manifest))
    report = build_generation([content_src], tmp_path / "gen-2", base=tmp_path / "gen-1")
    assert report.units_reused == 0 and report.files_linked == 0


def test_too_many_segments_reindexes_all(tmp_path: Path, content_src: Path, monkeypatch) -> None:  # noqa: ANN001
    import offline_index.build as build

    src = tmp_path / "src"
    shutil.copytree(content_src, src)
    build_generation([src], tmp_path / "gen-1")
    dump(src / "documents" / "nd168.json", {**nd168(), "title": "Nghị định đã sửa"})
    assert build_generation([src], tmp_path / "gen-2", base=tmp_path / "gen-1").units_reused
    monkeypatch.setattr(build, "MAX_BASE_SEGMENTS", 1)
    report = build_generation([src], tmp_path / "gen-3", base=tmp_path / "gen-2")
    assert report.units_reused == 0 and report.files_linked > 0


KILLER = """
import sys, time
from pathlib import Path
import offline_index.search_engine as se
real = se.write_index
def slow(*a, **kw):
    print("indexing", flush=True)
    time.sleep(30)
    return real(*a, **kw)
se.write_index = slow
from offline_index.build import build_into_home
build_into_home(Path(sys.argv[1]), [Path(sys.argv[2])])
"""


def test_kill_during_build_leaves_live_untouched(home: Path, content_src: Path) -> None:
    from offline_index.build import build_into_home
    from offline_index.generations import gc_generations, live_generation
    from offline_index.home import library_root

    live = build_into_home(home, [content_src])
    before = read_manifest(live)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(home), str(content_src)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout.readline().strip() == "indexing"
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    root = library_root(home)
    assert live_generation(root) == live and read_manifest(live) == before
    leftovers = [p for p in root.iterdir() if p.name.startswith(".building-")]
    assert leftovers  # the half-built folder is hidden, never a generation
    with Library.open(home) as lib:
        assert lib.path == live and lib.search("mũ bảo hiểm").hits
    assert set(gc_generations(root)) == set(leftovers)


def _hostile_raw(folder: Path) -> None:
    """A zip-bomb DOCX, a broken PDF and an undecodable TXT beside one good law."""
    import zipfile

    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:t>" + b"A" * 20_000_000 + b"</w:t>")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage")
    (folder / "garbled.txt").write_bytes(bytes(range(128, 256)) * 50)


def test_hostile_raw_files_are_skipped_or_fail_strict(tmp_path: Path, shared_data: Path) -> None:
    raw = tmp_path / "raw"
    _hostile_raw(raw)
    law = shared_data / "laws/uts_vlc/Luat-quyen-tu-do-hoi-hop-1957-101-SL-L-003-36793.txt"
    shutil.copy(law, raw / "good.txt")
    report = build_generation([raw], tmp_path / "gen-ok", max_skipped=1)  # 3 of 4 are bad
    assert report.counts["documents"] == 1
    skipped = {Path(e.path).name: e.reason for e in report.skipped}
    assert set(skipped) == {"bomb.docx", "broken.pdf", "garbled.txt"}
    assert "zip bomb" in skipped["bomb.docx"]
    assert read_manifest(tmp_path / "gen-ok")["skipped"]  # recorded with the generation
    with pytest.raises(BuildError):
        build_generation([raw], tmp_path / "gen-strict", strict=True)
    assert not (tmp_path / "gen-strict").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".building-")]


def test_the_engine_fingerprint_covers_the_modules_analysis_is_built_on() -> None:
    """Folding, everyday words and stop words left analysis.py; an index written with other
    versions of them is still not reused as a base."""
    from offline_index.build import engine_modules

    names = set(engine_modules())
    assert {"offline_index.folding", "offline_index.everyday", "offline_index.stopwords"} <= names
    assert "offline_index.library" not in names  # not search code: no reindex for it
