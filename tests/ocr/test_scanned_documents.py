"""Scanned PDFs through the parser, the library build, publishing and the librarian's local add."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from offline_index.errors import ContentError
from offline_index.ocr import engine as ocr_engine
from offline_index.ocr import read_sidecar, recognise_pdf, sidecar_path
from offline_index.parsers import parse_file
from offline_index.parsers.scanned import structure_note
from tests.ocr.conftest import needs_tesseract

pytestmark = needs_tesseract


@pytest.fixture(scope="module")
def decree(scans: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scanned decree in a raw folder, read once (its sidecar beside it)."""
    from cli.scans import prepare

    raw = tmp_path_factory.mktemp("raw")
    shutil.copy(scans["decree"], raw / "nd-21-2021.pdf")
    done = prepare(raw)  # what `lawshelf publish` does first
    assert [p.name for p, _s in done] == ["nd-21-2021.pdf"]
    assert prepare(raw) == []  # read once: the sidecar is valid for this PDF
    return raw / "nd-21-2021.pdf"


def test_a_scanned_decree_gets_its_chapter_and_article_tree(decree: Path) -> None:
    doc = parse_file(decree)
    assert (doc.number, doc.kind) == ("21/2021/NĐ-CP", "Nghị định")
    assert [a.number for a in doc.articles()] == ["1", "2", "3"]
    assert [c.number for c in doc.body if c.level == "chuong"] == ["I"]
    assert "Đối tượng áp dụng" in doc.articles()[1].title
    scan = read_sidecar(sidecar_path(decree))
    assert scan is not None and structure_note(doc, scan).endswith("1 chương, 3 điều recognised")


def test_a_scanned_law_without_articles_says_so_plainly(scans, tmp_path) -> None:  # noqa: ANN001
    pdf = tmp_path / "luat.pdf"
    shutil.copy(scans["precedent"], pdf)
    meta = {"number": "99/2099/QH99", "kind": "Luật", "title": "Luật thử"}
    scan = recognise_pdf(pdf)
    doc = parse_file(pdf, meta, scan=scan)
    note = structure_note(doc, scan)
    assert not doc.articles() and doc.pages and "no Chương/Điều structure" in note


def test_build_uses_the_sidecar_beside_the_pdf_and_never_ocrs_again(
    decree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kiosk building a release that ships the OCR text needs no tesseract at all."""
    from offline_index.build import build_generation
    from offline_index.library import Library

    monkeypatch.setenv("PATH", "/nonexistent")
    ocr_engine.tesseract_languages.cache_clear()
    try:
        report = build_generation([decree.parent], tmp_path / "gen", cache_dir=tmp_path / "cache")
    finally:
        ocr_engine.tesseract_languages.cache_clear()
    assert report.counts["articles"] == 3 and not report.skipped
    with Library.open(tmp_path / "gen") as lib:
        doc = lib.document("21-2021-nd-cp")
        assert doc.scan and doc.scan.status == "ok" and doc.pdf == "originals/nd-21-2021.pdf"
        hits = lib.search("quyền của bên nhận bảo đảm").hits
        assert hits and hits[0].doc_id == "21-2021-nd-cp" and hits[0].article == "3"


def test_build_ocrs_a_scan_once_then_uses_its_cache(decree: Path, tmp_path: Path) -> None:
    from offline_index.build import build_generation

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(decree, raw / decree.name)  # no sidecar: the build reads it
    cache = tmp_path / "cache"
    first = build_generation([raw], tmp_path / "g1", cache_dir=cache)
    assert first.counts["articles"] == 3 and len(list((cache / "ocr").glob("*.ocr.json"))) == 1
    assert (tmp_path / "g1" / "files" / "originals" / f"{decree.name}.ocr.json").is_file()
    second = build_generation([raw], tmp_path / "g2", cache_dir=cache)
    assert second.cache_hits == 1 and second.counts["articles"] == 3


def test_an_unreadable_scan_is_skipped_with_the_reason_or_kept_with_its_metadata(
    scans,
    tmp_path,  # noqa: ANN001
) -> None:
    from offline_index.build import build_generation
    from offline_index.library import Library

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(scans["blank"], raw / "trang.pdf")
    report = build_generation([raw], tmp_path / "g1", max_skipped=1.0)  # its only input
    assert len(report.skipped) == 1
    message = report.skipped[0].message
    assert "trang.pdf" in message and "blank page" in message and ".meta.json" in message
    meta = {"number": "5/TB-UBND", "kind": "Thông báo", "title": "Thông báo lịch tiếp dân"}
    (raw / "trang.pdf.meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    report = build_generation([raw], tmp_path / "g2")
    assert not report.skipped and report.counts["documents"] == 1
    with Library.open(tmp_path / "g2") as lib:
        scan = lib.document("5-tb-ubnd").scan
        assert scan and scan.status == "unreadable"
        assert lib.search("lịch tiếp dân").hits[0].doc_id == "5-tb-ubnd"


def test_a_photo_added_by_the_librarian_is_kept_with_a_clear_message(scans, tmp_path) -> None:  # noqa: ANN001
    from cli.scans import describe
    from kiosk import local_docs

    progress: list[tuple[int, int]] = []
    doc = local_docs.add_local(
        tmp_path,
        scans["photo"],
        number="7/TB-UBND",
        title="Ảnh bảng tin",
        on_progress=lambda d, t: progress.append((d, t)),
    )
    scan = local_docs.scan_of(tmp_path, doc)
    assert scan is not None and scan.status == "unreadable" and doc.pages == ["Ảnh bảng tin"]
    assert "a photo" in describe(scan)[0] and progress[-1] == (1, 1)
    assert [d.number for d in local_docs.list_local(tmp_path)] == ["7/TB-UBND"]
    local_docs.remove_local(tmp_path, "7/TB-UBND")
    assert not list((tmp_path / "overlay" / "files" / "local").iterdir())  # sidecar gone too


def test_a_scanned_notice_added_by_the_librarian_is_searchable(scans, tmp_path) -> None:  # noqa: ANN001
    from kiosk import local_docs

    doc = local_docs.add_local(
        tmp_path, scans["precedent"], number="8/TB-UBND", title="Thông báo quét"
    )
    assert "thế chấp" in doc.pages[0]
    scan = local_docs.scan_of(tmp_path, doc)
    assert scan is not None and scan.status == "ok"


def test_a_broken_pdf_is_a_content_error_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\0" * 100)
    with pytest.raises(ContentError, match="bad.pdf"):
        parse_file(bad)
