"""The librarian adds a scanned PDF from a USB stick: OCR progress on the screen, a result line
saying how much was read, and the text searchable at once (offscreen Qt, real tesseract)."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.library import Library
from offline_index.search_types import SearchFilters
from tests.ocr.conftest import PRECEDENT, needs_tesseract

from .helpers import local_add_screen, shot

pytestmark = needs_tesseract


def test_a_scanned_pdf_from_a_stick_is_read_with_progress(
    qtbot,
    home: Path,
    tmp_path: Path,
    make_shell,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from offline_index.ocr.synthetic import Scanner, image_pdf

    stick = tmp_path / "media" / "KINGSTON"
    stick.mkdir(parents=True)
    image_pdf(PRECEDENT, stick / "thong-bao-quet.pdf", Scanner(300, cheap=True), pages=[1])
    sh = make_shell()
    screen = local_add_screen(qtbot, sh, home, tmp_path / "media", monkeypatch)
    screen.number.setText("35/TB-UBND")
    screen.doc_title.setText("Thông báo bản quét")
    steps: list[tuple[str, int, int]] = []
    screen._bridge.progressed.connect(lambda *a: steps.append((*a, screen.step.text())))
    screen.add()
    qtbot.waitUntil(lambda: screen.result.isVisible(), timeout=300000)
    assert "Đã thêm" in screen.result.text(), (screen.result.text(), steps)
    assert ("ocr", 1, 1, "Nhận dạng chữ trên bản quét") in steps
    assert "Đã nhận dạng chữ 1/1 trang quét" in screen.result.text()
    shot(sh, "admin-local-scan")
    with Library.open(home) as lib:  # the demo's own copy of that precedent is found too
        hits = [
            h.doc_id
            for h in lib.search(
                "hợp đồng thế chấp ngân hàng", filters=SearchFilters(scope="local")
            ).hits
        ]
    assert "35-tb-ubnd" in hits
