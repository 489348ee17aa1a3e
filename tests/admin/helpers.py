"""Small real inputs for the admin tests: a PDF with Vietnamese text; the release publisher."""

from __future__ import annotations

from pathlib import Path

from helpers_release import Publisher

__all__ = ["NOTO", "Publisher", "make_pdf"]

NOTO = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


def make_pdf(path: Path, pages: list[str]) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        if NOTO.exists():
            page.insert_font(fontname="noto", fontfile=str(NOTO))
            page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontname="noto")
        else:
            page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path
