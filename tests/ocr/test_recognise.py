"""OCR of real rendered pages: accuracy, upside-down pages, blank pages and photos."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.ocr import OcrOptions, Scan, read_sidecar, recognise_pdf, write_sidecar
from offline_index.ocr.quality import word_accuracy
from tests.ocr.conftest import needs_tesseract, reference

pytestmark = needs_tesseract


@pytest.fixture(scope="module")
def read(scans: dict[str, Path]) -> dict[str, Scan]:
    return {name: recognise_pdf(pdf) for name, pdf in scans.items() if name != "decree"}


def test_a_precedent_page_at_300_dpi_reads_at_least_95_percent_of_words(read) -> None:  # noqa: ANN001
    page = read["precedent"].pages[0]
    assert page.status == "ok" and page.rotation == 0 and page.confidence > 0.85
    raw, fixed = word_accuracy(reference(), page.raw), word_accuracy(reference(), page.text)
    assert fixed >= 0.95, (raw, fixed)
    assert fixed >= raw  # the correction never made this page worse
    assert read["precedent"].status == "ok" and "1 of 1" in read["precedent"].message()


def test_an_upside_down_page_is_turned_and_read(read) -> None:  # noqa: ANN001
    page = read["upside_down"].pages[0]
    assert page.rotation == 180 and page.status == "ok"
    assert word_accuracy(reference(), page.text) >= 0.95


@pytest.mark.parametrize(("name", "reason"), [("blank", "blank page"), ("photo", "a photo")])
def test_blank_pages_and_photos_get_a_plain_reason(read, name: str, reason: str) -> None:  # noqa: ANN001
    scan = read[name]
    assert scan.status == "unreadable" and scan.texts(1) == [""]
    assert scan.message().startswith("OCR could not read this scan") and reason in scan.message()


def test_the_sidecar_is_plain_json_and_belongs_to_its_pdf(read, scans, tmp_path) -> None:  # noqa: ANN001
    side = write_sidecar(tmp_path / "x.pdf.ocr.json", read["precedent"])
    text = side.read_text(encoding="utf-8")
    assert text.lstrip().startswith("{") and '"type": "ocr"' in text and '"confidence"' in text
    from offline_index.ocr.scan import sha256_file

    again = read_sidecar(side, sha256_file(scans["precedent"]))
    assert again is not None and again.pages[0].text == read["precedent"].pages[0].text
    assert read_sidecar(side, "0" * 64) is None  # another version of the PDF: read it again


def test_a_page_over_its_time_limit_is_reported_not_fatal(scans) -> None:  # noqa: ANN001
    scan = recognise_pdf(scans["precedent"], options=OcrOptions(page_timeout_s=0.05))
    assert scan.pages[0].status == "timeout" and "time limit" in scan.message()


@needs_tesseract
def test_a_file_that_is_no_pdf_is_refused_and_nothing_written(tmp_path) -> None:  # noqa: ANN001
    """`lawshelf scans ocr README.md` said `OCR read 0 of 0 scanned pages` and wrote a
    sidecar beside it."""
    from click.testing import CliRunner

    from cli.main import cli
    from offline_index.errors import ContentError

    text = tmp_path / "README.md"
    text.write_text("# not a PDF\n")
    with pytest.raises(ContentError, match="not a PDF with pages"):
        recognise_pdf(text)
    res = CliRunner().invoke(cli, ["scans", "ocr", str(text)])
    assert res.exit_code != 0 and "not a PDF with pages" in res.output, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
