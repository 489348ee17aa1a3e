"""Scans made from text, for tests, the OCR benchmark and demos.

`typeset` lays legal text out as an A4 document (13 pt serif, like the official form);
`image_pdf` rasterises a PDF's pages and rebuilds an image-only PDF (no text layer), either
clean or the way a cheap office scanner produces them: a slight skew, greyish paper and faded
ink, sensor noise and specks, soft optics and JPEG compression. Pure PyMuPDF and byte
arithmetic: no imaging library is needed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu")
FONTS = {
    "regular": ("NotoSerif-Regular.ttf", "DejaVuSerif.ttf"),
    "bold": ("NotoSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
}
A4 = (595.0, 842.0)
_HEADING = re.compile(r"^(Điều \d+[a-z]?[.:]|Chương [IVXLC\d]+|CHƯƠNG|Mục \d+|MỤC|PHẦN|Phần thứ)")


@dataclass(frozen=True)
class Scanner:
    """How a page is scanned: resolution and the defects of a cheap device."""

    dpi: int = 300
    cheap: bool = False
    seed: int = 0
    skew_deg: float = 1.2  # largest skew (cheap only)
    jpeg_quality: int = 55  # cheap only; clean scans are stored losslessly

    @property
    def name(self) -> str:
        return f"{'cheap' if self.cheap else 'clean'}{self.dpi}"


def font_file(weight: str) -> str:
    for folder in FONT_DIRS:
        for name in FONTS[weight]:
            path = Path(folder) / name
            if path.is_file():
                return str(path)
    raise FileNotFoundError("no serif font with Vietnamese glyphs (install fonts-noto-core)")


def _wrap(font: object, text: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.text_length(trial, fontsize=size) > width:  # type: ignore[attr-defined]
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def typeset(paragraphs: list[str], out: Path, *, size: float = 13.0, max_pages: int = 0) -> Path:
    """An A4 PDF with a text layer: headings (Chương, Điều) bold, the rest justified left."""
    import pymupdf

    fonts = {w: pymupdf.Font(fontfile=font_file(w)) for w in FONTS}
    doc = pymupdf.open()
    margin_l, margin_r, top, bottom = 85.0, 57.0, 57.0, 57.0
    width, leading = A4[0] - margin_l - margin_r, size * 1.35
    page, writer, y = None, None, 0.0

    def new_page() -> None:
        nonlocal page, writer, y
        if page is not None:
            writer.write_text(page)  # type: ignore[union-attr]
        page, writer, y = (
            doc.new_page(width=A4[0], height=A4[1]),
            pymupdf.TextWriter(pymupdf.Rect(0, 0, *A4)),
            top,
        )

    new_page()
    for para in paragraphs:
        weight = "bold" if _HEADING.match(para) or (para.isupper() and len(para) > 3) else "regular"
        for line in _wrap(fonts[weight], para, size, width):
            if y + leading > A4[1] - bottom:
                if max_pages and len(doc) >= max_pages:
                    writer.write_text(page)  # type: ignore[union-attr]
                    doc.save(out)
                    return out
                new_page()
            y += leading
            writer.append((margin_l, y), line, font=fonts[weight], fontsize=size)  # type: ignore[union-attr]
        y += size * 0.4
    writer.write_text(page)  # type: ignore[union-attr]
    doc.save(out, garbage=3, deflate=True)
    return out


# ---------------------------------------------------------------- scanning


def _degrade(samples: bytes, rng: random.Random) -> bytes:
    """Greyish paper, faded ink, sensor noise (±7 levels) and a few dark specks."""
    n = len(samples)
    tone = bytes(int(40 + v * (232 - 40) / 255) for v in range(256))
    out = samples.translate(tone)
    noise = int.from_bytes(rng.randbytes(n), "big") & int.from_bytes(b"\x07" * n, "big")
    out = (int.from_bytes(out, "big") ^ noise).to_bytes(n, "big")
    speck = rng.randbytes(n).translate(bytes([0] + [255] * 255))  # ~0.4 % candidates
    keep = rng.randbytes(n).translate(bytes([0] * 16 + [255] * 240))  # ... 1 in 16 of them
    specks = int.from_bytes(speck, "big") | int.from_bytes(keep, "big")
    return (int.from_bytes(out, "big") & specks).to_bytes(n, "big")


def scan_page(page: object, scanner: Scanner, rotate: int = 0) -> tuple[bytes, float, float]:
    """(image bytes, width pt, height pt) of one page as the scanner sees it."""
    import pymupdf

    rng = random.Random(f"{scanner.seed}-{page.number}")  # type: ignore[attr-defined]
    angle = rng.uniform(-scanner.skew_deg, scanner.skew_deg) if scanner.cheap else 0.0
    # Soft optics: a cheap scanner resolves ~70 % of its nominal resolution.
    sharp = scanner.dpi * (0.7 if scanner.cheap else 1.0)
    matrix = pymupdf.Matrix(sharp / 72, sharp / 72).prerotate(angle + rotate)
    pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)  # type: ignore[attr-defined]
    w_pt, h_pt = pix.width * 72 / sharp, pix.height * 72 / sharp
    if scanner.cheap:
        soft = pymupdf.open()
        tmp = soft.new_page(width=w_pt, height=h_pt)
        tmp.insert_image(tmp.rect, pixmap=pix)
        pix = tmp.get_pixmap(dpi=scanner.dpi, colorspace=pymupdf.csGRAY, alpha=False)
        noisy = _degrade(pix.samples, rng)
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, noisy, False)
        return pix.tobytes("jpeg", jpg_quality=scanner.jpeg_quality), w_pt, h_pt
    return pix.tobytes("png"), w_pt, h_pt


def image_pdf(
    source: Path, out: Path, scanner: Scanner, *, pages: list[int] | None = None, rotate: int = 0
) -> Path:
    """An image-only PDF of `source`'s pages (0-based `pages`, default all)."""
    import pymupdf

    with pymupdf.open(source) as src:
        dst = pymupdf.open()
        for n in pages if pages is not None else range(src.page_count):
            image, w_pt, h_pt = scan_page(src[n], scanner, rotate)
            page = dst.new_page(width=w_pt, height=h_pt)
            page.insert_image(page.rect, stream=image)
        dst.save(out, garbage=3, deflate=True)
    return out


def blank_pdf(out: Path, pages: int = 1) -> Path:
    """A scan of empty sheets: white pages with a few specks of dust."""
    import pymupdf

    doc = pymupdf.open()
    rng = random.Random(7)
    for _ in range(pages):
        sheet = doc.new_page(width=A4[0], height=A4[1])
        for _ in range(6):
            x, y = rng.uniform(50, 540), rng.uniform(50, 790)
            sheet.draw_circle((x, y), 0.4, color=(0.3, 0.3, 0.3), fill=(0.3, 0.3, 0.3))
        pix = sheet.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_image(page.rect, stream=pix.tobytes("png"))
        doc.delete_page(page.number - 1)
    doc.save(out)
    return out


def photo_pdf(out: Path) -> Path:
    """A 'photo' (shaded shapes, no text) saved as a scanned page."""
    import pymupdf

    src = pymupdf.open()
    sheet = src.new_page(width=A4[0], height=A4[1])
    rng = random.Random(11)
    for i in range(40):
        shade = rng.uniform(0.1, 0.9)
        rect = pymupdf.Rect(rng.uniform(0, 500), rng.uniform(0, 760), 0, 0)
        rect.x1, rect.y1 = rect.x0 + rng.uniform(40, 260), rect.y0 + rng.uniform(40, 260)
        if i % 2:
            sheet.draw_oval(rect, color=None, fill=(shade, shade * 0.9, shade * 0.8))
        else:
            sheet.draw_rect(rect, color=None, fill=(shade * 0.8, shade, shade * 0.9))
    out_doc = pymupdf.open()
    page = out_doc.new_page(width=A4[0], height=A4[1])
    pix = sheet.get_pixmap(dpi=150)
    page.insert_image(page.rect, stream=pix.tobytes("jpeg", jpg_quality=70))
    out_doc.save(out)
    return out
