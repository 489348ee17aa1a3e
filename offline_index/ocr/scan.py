"""Recognise the image-only pages of a PDF, and keep the result beside it as plain JSON.

`recognise_pdf` renders each page that has no text layer, runs tesseract on it in a child
process (several at once, each with a time limit), turns upside-down or sideways pages the
right way up (Tesseract OSD, else trying 180°), corrects the text with the corpus lexicon and
says plainly what it could not read. The result is a `Scan`; `write_sidecar` keeps it as
`<name>.pdf.ocr.json` beside the PDF (format in docs/content-format.md), so a scan is
recognised once: by the publisher, or by the kiosk when a librarian adds it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from offline_index.errors import ContentError
from offline_index.fsutil import atomic_write_text
from offline_index.ocr import engine
from offline_index.ocr.correct import Corrector, fix_headings
from offline_index.ocr.lexicon import Lexicon, default_lexicon, normalise, word_runs

log = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".ocr.json"
FORMAT = 1
OCR_VERSION = "1"  # bump when recognition or correction changes: keys the build's caches
Progress = Callable[[int, int], None]  # (pages done, pages to recognise)

# A page reads well when tesseract is confident and most words are known syllables.
GOOD_CONFIDENCE, GOOD_KNOWN = 0.75, 0.80
POOR_CONFIDENCE, POOR_KNOWN = 0.55, 0.50  # below either: try turning the page
UNREADABLE_CONFIDENCE, UNREADABLE_KNOWN = 0.45, 0.40  # below either after that: not text

MESSAGES = {
    "blank": "blank page",
    "unreadable": "no readable text (a photo, a drawing, handwriting or a very poor scan?)",
    "timeout": "recognition took longer than the time limit",
    "low_confidence": "read with low confidence: the text may contain errors",
}


@dataclass
class PageScan:
    page: int  # 1-based
    status: str  # text | ok | low_confidence | blank | unreadable | timeout | error
    confidence: float = 0.0  # tesseract's word confidence, 0..1, weighted by word length
    known: float = 0.0  # share of the words that are known Vietnamese syllables
    words: int = 0
    rotation: int = 0  # degrees the page image was turned to read it
    corrections: int = 0  # words changed by post-correction
    seconds: float = 0.0
    message: str = ""
    text: str = ""  # corrected text (what search and the parser use)
    raw: str = ""  # tesseract's text as read (kept so a new lexicon can re-correct it)

    @property
    def readable(self) -> bool:
        return self.status in ("text", "ok", "low_confidence")


@dataclass(frozen=True)
class PageSummary:
    page: int
    status: str
    confidence: float


@dataclass(frozen=True)
class ScanSummary:
    """What the reader says about a scanned PDF: how it was read, without the texts."""

    status: str  # ok | partly | unreadable | text
    confidence: float
    message: str
    pages: tuple[PageSummary, ...]  # the recognised pages

    def to_dict(self) -> dict[str, object]:
        return asdict(self) | {"pages": [asdict(p) for p in self.pages]}


@dataclass
class Scan:
    """What OCR made of one PDF: per page text, confidence and status."""

    source_sha256: str
    pages: list[PageScan]
    engine: str = ""
    language: str = "vie"
    lexicon: str = ""
    version: str = OCR_VERSION
    seconds: float = 0.0

    @property
    def recognised(self) -> list[PageScan]:
        return [p for p in self.pages if p.status != "text"]

    @property
    def confidence(self) -> float:
        """Mean confidence of the recognised readable pages, weighted by their text."""
        pages = [p for p in self.recognised if p.readable]
        total = sum(len(p.text) for p in pages)
        return sum(p.confidence * len(p.text) for p in pages) / total if total else 0.0

    @property
    def status(self) -> str:
        """ok, partly (some pages unreadable), unreadable (no page read), or text."""
        rec = self.recognised
        if not rec:
            return "text"
        readable = [p for p in rec if p.readable]
        if not readable:
            return "unreadable"
        return "ok" if len(readable) == len([p for p in rec if p.status != "blank"]) else "partly"

    def message(self) -> str:
        """One line for a librarian or a build report."""
        rec = self.recognised
        readable = [p for p in rec if p.readable]
        if self.status == "unreadable":
            reasons = sorted({p.message for p in rec if p.message})
            return "OCR could not read this scan: " + "; ".join(reasons or ["no text"])
        bad = [p.page for p in rec if not p.readable and p.status != "blank"]
        text = f"OCR read {len(readable)} of {len(rec)} scanned pages"
        text += f" (confidence {self.confidence:.0%})"
        if bad:
            text += f"; pages {', '.join(map(str, bad))} could not be read"
        return text

    def texts(self, count: int) -> list[str]:
        """Page texts for pages 1..count ('' for a page not recognised or not readable)."""
        out = [""] * count
        for p in self.pages:
            if 1 <= p.page <= count and p.readable:
                out[p.page - 1] = p.text
        return out

    def summary(self) -> ScanSummary:
        """Status and confidence without the texts: what a reader shows about a scan."""
        pages = tuple(PageSummary(p.page, p.status, p.confidence) for p in self.recognised)
        return ScanSummary(self.status, round(self.confidence, 4), self.message(), pages)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data = {"format": FORMAT, "type": "ocr", **data}
        data["confidence"] = round(self.confidence, 4)
        data["status"] = self.status
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Scan:
        if not isinstance(data, dict) or data.get("type") != "ocr" or data.get("format") != FORMAT:
            raise ContentError(where, f"not an OCR sidecar of format {FORMAT}")
        try:
            pages = [PageScan(**p) for p in data["pages"]]
            return cls(
                source_sha256=str(data["source_sha256"]),
                pages=pages,
                engine=str(data.get("engine", "")),
                language=str(data.get("language", "")),
                lexicon=str(data.get("lexicon", "")),
                version=str(data.get("version", "")),
                seconds=float(data.get("seconds", 0.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ContentError(where, f"malformed OCR sidecar: {exc}") from None


# ---------------------------------------------------------------- sidecars


def sidecar_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + SIDECAR_SUFFIX)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_sidecar(path: Path, scan: Scan) -> Path:
    atomic_write_text(path, json.dumps(scan.to_dict(), ensure_ascii=False, indent=1))
    return path


def read_sidecar(path: Path, sha256: str | None = None) -> Scan | None:
    """The scan stored at `path`, if it is one and (given sha256) belongs to that PDF."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        scan = Scan.from_dict(data, str(path))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, ContentError) as exc:
        log.warning("ignoring OCR sidecar %s: %s", path, exc)
        return None
    if sha256 and scan.source_sha256 != sha256:
        log.info("OCR sidecar %s belongs to another version of the PDF", path)
        return None
    return scan


# ---------------------------------------------------------------- which pages


def pages_to_recognise(doc: Any) -> list[int]:
    """0-based pages with no text layer but something drawn on them (a scanned page)."""
    out = []
    for page in doc:
        if page.get_text("text").strip():
            continue
        if page.get_images() or page.get_drawings():
            out.append(page.number)
    return out


def has_scanned_pages(path: Path) -> bool:
    """Does the PDF have a page to read by OCR? (False for a PDF pymupdf cannot open: the
    parser reports that with its reason.)"""
    from offline_index.parsers.readers import pymupdf_module

    pymupdf = pymupdf_module()

    try:
        with pymupdf.open(path, filetype="pdf") as doc:
            return bool(pages_to_recognise(doc))
    except Exception:  # noqa: BLE001 - pymupdf raises its own types for damaged files
        return False


# ---------------------------------------------------------------- recognition


@dataclass
class _Job:
    page: int  # 0-based
    rotation: int = 0
    osd: bool = False  # this job asks for orientation, not text
    tried: list[int] = field(default_factory=list)  # rotations already read


class _Recogniser:
    """Schedules page jobs on a thread pool of tesseract processes; judges each result."""

    def __init__(self, doc: Any, options: engine.OcrOptions, corrector: Corrector) -> None:
        self.doc, self.options, self.corrector = doc, options, corrector
        self.best: dict[int, PageScan] = {}
        self.queue: deque[_Job] = deque()

    def run(self, pages: list[int], on_progress: Progress | None) -> list[PageScan]:
        for n in pages:
            if engine.is_blank(self.doc[n]):
                self.best[n] = PageScan(n + 1, "blank", message=MESSAGES["blank"])
            else:
                self.queue.append(_Job(n))
        done = len(self.best)
        if on_progress:
            on_progress(done, len(pages))
        running: dict[Future[Any], _Job] = {}
        with ThreadPoolExecutor(max_workers=self.options.workers) as pool:
            while self.queue or running:
                while self.queue and len(running) < self.options.workers:
                    job = self.queue.popleft()
                    running[self._submit(pool, job)] = job
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    job = running.pop(fut)
                    if self._handle(job, fut.result()):
                        done += 1
                        if on_progress:
                            on_progress(done, len(pages))
        return [self.best[n] for n in sorted(self.best)]

    def _submit(self, pool: ThreadPoolExecutor, job: _Job) -> Future[Any]:
        page = self.doc[job.page]  # rendering stays on this thread (MuPDF is not thread-safe)
        dpi = engine.render_dpi(page, self.options)
        if job.osd:
            image = engine.render(page, min(dpi, 300))
            return pool.submit(engine.detect_rotation, image, min(dpi, 300), self.options)
        image = engine.render(page, dpi, job.rotation)
        return pool.submit(engine.recognise_image, image, dpi, self.options)

    def _handle(self, job: _Job, result: Any) -> bool:
        """Record a finished job; True when that page is final."""
        if job.osd:  # result: degrees to turn, 0 when OSD is sure it is upright, else None
            turn = 180 if result is None else result  # OSD missing or unsure: try upside down
            if turn not in job.tried:
                self.queue.append(_Job(job.page, turn, tried=job.tried))
                return False
            return self._finish(job.page)
        scan = self._judge(job, result)
        previous = self.best.get(job.page)
        if previous is None or _quality(scan) > _quality(previous):
            self.best[job.page] = scan
        tried = [*job.tried, job.rotation]
        if _poor(self.best[job.page]) and len(tried) == 1:
            self.queue.append(_Job(job.page, osd=True, tried=tried))
            return False
        return self._finish(job.page)

    def _judge(self, job: _Job, result: engine.Recognised) -> PageScan:
        page = PageScan(job.page + 1, "ok", rotation=job.rotation, seconds=result.seconds)
        if result.error:
            page.status = "timeout" if result.timed_out else "error"
            page.message = MESSAGES["timeout"] if result.timed_out else result.error
            return page
        page.raw = normalise(result.text())
        page.words = len(result.words)
        page.confidence = round(result.confidence(), 4)
        page.known = round(known_share(page.raw, self.corrector.lex), 4)
        return page

    def _finish(self, n: int) -> bool:
        page = self.best[n]
        if page.status in ("timeout", "error"):
            return True
        if (
            not page.words
            or page.confidence < UNREADABLE_CONFIDENCE
            or page.known < UNREADABLE_KNOWN
        ):
            page.status, page.message, page.text = "unreadable", MESSAGES["unreadable"], ""
            return True
        text, page.corrections = self.corrector.correct_text(page.raw)
        page.text = fix_headings(text)
        if page.confidence < GOOD_CONFIDENCE or page.known < GOOD_KNOWN:
            page.status, page.message = "low_confidence", MESSAGES["low_confidence"]
        return True


def _poor(page: PageScan) -> bool:
    if page.status in ("timeout", "error"):
        return False  # another run would only hit the same limit
    return not page.words or page.confidence < POOR_CONFIDENCE or page.known < POOR_KNOWN


def _quality(page: PageScan) -> float:
    return page.known * page.confidence * min(1.0, page.words / 20)


def known_share(text: str, lexicon: Lexicon) -> float:
    words = [w for run in word_runs(text) for w in run]
    if not words:
        return 0.0
    return sum(1 for w in words if w in lexicon.syllables) / len(words)


def recognise_pdf(
    path: Path,
    *,
    options: engine.OcrOptions | None = None,
    lexicon: Lexicon | None = None,
    on_progress: Progress | None = None,
    pages: list[int] | None = None,
) -> Scan:
    """OCR the image-only pages of a PDF (or the 0-based `pages` given)."""
    from offline_index.parsers.readers import pymupdf_module

    pymupdf = pymupdf_module()

    options = options or engine.OcrOptions()
    engine.check_available(options)
    lexicon = lexicon or default_lexicon()
    t0 = time.perf_counter()
    digest = sha256_file(path)
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # pymupdf raises its own types for damaged files
        raise ContentError(str(path), f"broken PDF: {exc}") from None
    with doc:
        if not doc.is_pdf or doc.page_count == 0:  # pymupdf "repairs" any file into 0 pages
            raise ContentError(str(path), "not a PDF with pages; nothing written")
        todo = pages_to_recognise(doc) if pages is None else pages
        scans = _Recogniser(doc, options, Corrector(lexicon)).run(todo, on_progress)
        others = [PageScan(n + 1, "text") for n in range(doc.page_count) if n not in todo]
    result = Scan(
        source_sha256=digest,
        pages=sorted(scans + others, key=lambda p: p.page),
        engine=engine.tesseract_version(options.tesseract),
        language=options.language,
        lexicon=lexicon.name,
        seconds=round(time.perf_counter() - t0, 2),
    )
    log.info("%s: %s in %.1f s", path.name, result.message(), result.seconds)
    return result
