"""Which pages go to OCR: blank sheets do not; faded text on grey paper does."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from offline_index.ocr.engine import is_blank
from offline_index.ocr.synthetic import Scanner, blank_pdf, image_pdf
from tests.ocr.conftest import DATA


def test_a_short_last_page_from_a_cheap_200_dpi_scanner_is_not_blank(tmp_path: Path) -> None:
    # The last page of precedent 55 (242 words): at 36 dpi against a fixed grey level its faded
    # ink on grey paper vanished, and the page was skipped as blank.
    src = DATA / "documents" / "an_le_so_552022AL.pdf"
    pdf = image_pdf(src, tmp_path / "p9.pdf", Scanner(200, cheap=True), pages=[8])
    with pymupdf.open(pdf) as doc:
        assert not is_blank(doc[0])


def test_a_blank_sheet_with_dust_is_blank(tmp_path: Path) -> None:
    with pymupdf.open(blank_pdf(tmp_path / "blank.pdf")) as doc:
        assert is_blank(doc[0])
