"""The reader shows a scanned document's pages as scanned, says the text was read by OCR, and
switches to the recognised text (offscreen Qt, real OCR of a real precedent page)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.ocr.conftest import PRECEDENT, needs_tesseract

SHOTS = Path(os.environ.get("LAWSHELF_SCREENSHOTS", "/tmp/lawshelf-screenshots"))
pytestmark = needs_tesseract


@pytest.fixture(scope="module")
def scan_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library whose one document is a scanned precedent page (raw PDF, OCR at build)."""
    import json

    from offline_index.build import build_generation
    from offline_index.ocr.synthetic import Scanner, image_pdf

    tmp = tmp_path_factory.mktemp("scan-lib")
    raw = tmp / "raw"
    raw.mkdir()
    image_pdf(PRECEDENT, raw / "an-le-43.pdf", Scanner(300, cheap=True), pages=[1, 2])
    meta = {"number": "43/2021/AL", "kind": "Án lệ", "title": "Án lệ số 43/2021/AL (bản quét)"}
    meta |= {"issuer": "Hội đồng Thẩm phán Tòa án nhân dân tối cao", "issued": None}
    (raw / "an-le-43.pdf.meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    build_generation([raw], tmp / "gen")
    shutil.rmtree(raw)
    return tmp / "gen"


def test_the_reader_shows_the_scan_and_the_recognised_text(make_shell, qtbot, scan_library) -> None:  # noqa: ANN001
    from ui.qt import Qt

    shell = make_shell(library=scan_library)
    shell.resize(1920, 1080)
    reader = shell.navigate("reader", doc_id="43-2021-al", page=2, terms="thế chấp")
    qtbot.waitUntil(lambda: reader.scan is not None, timeout=30000)
    view = reader.scan.view
    qtbot.waitUntil(
        lambda: view.image.pixmap() is not None and not view.image.pixmap().isNull(), timeout=30000
    )
    assert reader.pages.currentWidget() is view and view.page_no == 2
    assert "nhận dạng tự động" in reader.scan.note.text() and "%" in reader.scan.note.text()
    assert not reader.pdf_button.isVisible()  # the scan is already on screen
    SHOTS.mkdir(parents=True, exist_ok=True)
    shell.grab().save(str(SHOTS / "reader-scan.png"))
    qtbot.mouseClick(reader.scan.toggle, Qt.MouseButton.LeftButton)
    assert reader.pages.currentWidget() is reader.text
    assert "thế chấp" in reader.text.toPlainText() and reader.scan.toggle.text() == "Xem bản quét"
