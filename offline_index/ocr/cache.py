"""OCR for library builds: each scanned raw PDF is recognised once, then reused.

Where a build finds a scan's text, in order: a valid `<name>.pdf.ocr.json` beside the PDF
(shipped by the publisher, so kiosks never OCR a release), the build cache
(`CACHE/ocr/<sha256>-v<OCR_VERSION>.ocr.json`), else it recognises the PDF now and stores the
result in the cache. A build without a cache keeps the result in a temporary folder that lives
as long as the content it was loaded into (its files are copied into the generation).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from offline_index.errors import ContentError
from offline_index.ocr.engine import OcrUnavailable
from offline_index.ocr.scan import (
    OCR_VERSION,
    SIDECAR_SUFFIX,
    Scan,
    has_scanned_pages,
    read_sidecar,
    recognise_pdf,
    sha256_file,
    sidecar_path,
    write_sidecar,
)

log = logging.getLogger(__name__)


class ScanCache:
    """Finds or makes the OCR sidecar of raw PDFs during one load of content sources."""

    def __init__(self, cache_root: Path | None, owner: object) -> None:
        self.root = cache_root / "ocr" if cache_root else None
        self.owner = owner  # the temporary folder (no cache) is removed when this goes
        self._tmp: Path | None = None

    def folder(self) -> Path:
        if self.root is not None:
            self.root.mkdir(parents=True, exist_ok=True)
            return self.root
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="lawshelf-ocr-"))
            weakref.finalize(self.owner, shutil.rmtree, self._tmp, True)
        return self._tmp

    def scan_for(self, pdf: Path, raw: bytes) -> tuple[Scan, Path] | None:
        """(scan, its sidecar file) for a PDF with image-only pages; None for a text PDF."""
        digest = hashlib.sha256(raw).hexdigest()
        beside = sidecar_path(pdf)
        scan = read_sidecar(beside, digest)
        if scan is not None:
            return scan, beside
        cached = self.folder() / f"{digest}-v{OCR_VERSION}{SIDECAR_SUFFIX}"
        scan = read_sidecar(cached, digest)
        if scan is not None:
            return scan, cached
        if not has_scanned_pages(pdf):
            return None
        try:
            scan = recognise_pdf(pdf)
        except OcrUnavailable as exc:
            log.warning("%s: %s", pdf, exc.message)
            return None  # the parser reports a PDF without any text; mixed PDFs keep their text
        write_sidecar(cached, scan)
        return scan, cached


def cache_salt(sidecar: Path) -> str:
    """Part of the parse-cache key: a parse made from other OCR text is another parse."""
    try:
        return "+ocr" + hashlib.sha256(sidecar.read_bytes()).hexdigest()[:16]
    except OSError as exc:
        raise ContentError(str(sidecar), f"cannot read: {exc.strerror or exc}") from None


def prepare_source(
    source: Path, on_file: Callable[[Path, int, int], None] | None = None
) -> list[tuple[Path, Scan]]:
    """Publisher side: OCR every scanned raw PDF of a content source that has no valid
    sidecar yet, and write `<name>.pdf.ocr.json` beside it (a release then ships it, so
    kiosks never OCR). `on_file(pdf, pages done, pages to read)` reports progress."""
    folder = source / "raw" if (source / "raw").is_dir() else source
    if source.is_file() or not folder.is_dir():
        return []
    done: list[tuple[Path, Scan]] = []
    for pdf in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()):
        if read_sidecar(sidecar_path(pdf), sha256_file(pdf)) or not has_scanned_pages(pdf):
            continue
        progress = (lambda d, t, p=pdf: on_file(p, d, t)) if on_file else None
        scan = recognise_pdf(pdf, on_progress=progress)
        write_sidecar(sidecar_path(pdf), scan)
        done.append((pdf, scan))
    return done
