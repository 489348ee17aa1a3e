"""Scanned PDFs go through the same parser: their image-only pages are read by OCR first.

`pdf_pages` gives a PDF's page texts: the text layer where a page has one, the OCR text (a
valid `<name>.pdf.ocr.json` beside the PDF, else recognised now) where a page is an image.
The joined text then goes through the same header and structure parsing as any law, so a
scanned decree gets its Chương/Điều tree where the recognised text allows; `structure_note`
says plainly when it does not. A scan OCR cannot read is kept only with the metadata a
sidecar gives (number, kind, title); otherwise the build reports why it was skipped.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from offline_index.errors import ContentError
from offline_index.model import KINDS, Document, nfc
from offline_index.ocr import OcrUnavailable, Scan, read_sidecar, recognise_pdf, sidecar_path
from offline_index.ocr.scan import has_scanned_pages, sha256_file
from offline_index.parsers.readers import read_pdf

log = logging.getLogger(__name__)

# Kinds whose text is made of articles: a scan of one without any Điều is worth saying so.
ARTICLED_KINDS = frozenset(KINDS) - {
    "Quyết định",
    "Chỉ thị",
    "Án lệ",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Khác",
}


def pdf_pages(path: Path, scan: Scan | None = None) -> tuple[list[str], Scan | None]:
    """(page texts, the scan that filled image-only pages, or None for a text PDF)."""
    pages = [nfc(p) for p in read_pdf(path, allow_empty=True)]
    if all(p.strip() for p in pages):
        return pages, None
    if scan is None:
        scan = _scan(path, has_text=any(p.strip() for p in pages))
        if scan is None:
            return pages, None
    texts = scan.texts(len(pages))
    return [p if p.strip() else t for p, t in zip(pages, texts, strict=True)], scan


def _scan(path: Path, has_text: bool) -> Scan | None:
    """The sidecar beside the PDF if it is this PDF's, else OCR now (no cache here)."""
    found = read_sidecar(sidecar_path(path), sha256_file(path))
    if found is not None:
        return found
    if not has_scanned_pages(path):  # empty pages, nothing drawn: nothing to read
        if has_text:
            return None
        raise ContentError(str(path), "the PDF has no text layer and no scanned pages")
    try:
        return recognise_pdf(path)
    except OcrUnavailable as exc:
        if has_text:
            log.warning("%s: image-only pages not read: %s", path, exc.message)
            return None
        raise ContentError(
            str(path), f"the PDF has no text layer (scanned?) and {exc.message}"
        ) from None


def unreadable(name: str, scan: Scan, meta: dict[str, Any] | None) -> Document:
    """A scan without readable text, kept when its sidecar names it; else a clear error."""
    meta = meta or {}
    if not all(meta.get(k) for k in ("number", "kind", "title")):
        raise ContentError(
            name,
            f"{scan.message()}; to keep it, give its number, kind and title "
            "in a .meta.json sidecar",
        )
    log.warning("%s: %s; kept with its metadata only", name, scan.message())
    return Document(
        number=str(meta["number"]),
        kind=str(meta["kind"]),
        title=str(meta["title"]),
        pages=[str(meta["title"])],
    )


def structure_note(doc: Document, scan: Scan) -> str:
    """What the structure parser made of a scan, in one plain line."""
    articles = len(doc.articles())
    if articles:
        chapters = sum(1 for n in doc.body for x in n.walk() if x.level == "chuong")
        return f"scanned {doc.kind} {doc.number}: {chapters} chương, {articles} điều recognised"
    if doc.kind in ARTICLED_KINDS:
        return (
            f"scanned {doc.kind} {doc.number}: no Chương/Điều structure could be recognised "
            f"in the OCR text ({scan.message()}); it is kept and searched page by page"
        )
    return f"scanned {doc.kind} {doc.number}: kept page by page ({scan.message()})"
