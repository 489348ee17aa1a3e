"""Tesseract, one page at a time, each in its own process with a time limit.

Why the command-line tesseract and not PyMuPDF's built-in OCR: on the same 300 dpi page
PyMuPDF's OCR text layer kept only 0.68 of the words (it rebuilds spaces from glyph gaps and
glues syllables: `sởhữu`, `vịtrí`), the tesseract command 0.97, and it ran 2.4 s instead of
7 s (docs/benchmarks.md, OCR). Each page is rendered here (MuPDF is not thread-safe, so on the
calling thread) and recognised by a `tesseract` child process that is killed after
`page_timeout_s`: a hostile or huge page costs one page, never the build or the kiosk.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from offline_index.errors import LawShelfError

log = logging.getLogger(__name__)

MAX_PIXELS = 40_000_000  # an A4 page at 400 dpi is 15.5 MP; a poster must not exhaust memory
INK_CONTRAST = 60  # a pixel this much darker than the paper is ink
BLANK_INK_SHARE = 0.001  # less ink than this on a page is a blank page (or scanner dust)


class OcrUnavailable(LawShelfError):
    """Tesseract (or its Vietnamese model) is not installed."""

    message_vi = "Máy chưa cài phần mềm nhận dạng chữ (OCR) cho tiếng Việt."


@dataclass(frozen=True)
class OcrOptions:
    """How pages are recognised. Defaults suit a 2-core kiosk and office scanners."""

    language: str = "vie"
    dpi: int = 300  # pages are rendered at least this sharp (tesseract is tuned for ~300 dpi)
    max_dpi: int = 400  # ... and at most this (a 600 dpi scan gains nothing above 400)
    page_timeout_s: float = 90.0  # one tesseract run; a page may take up to three runs
    workers: int = 2  # tesseract processes at once (each single-threaded)
    tesseract: str = "tesseract"

    def __post_init__(self) -> None:
        if self.workers < 1 or self.dpi < 70 or self.page_timeout_s <= 0:
            raise ValueError("OcrOptions: workers >= 1, dpi >= 70, page_timeout_s > 0")


@dataclass
class Word:
    text: str
    conf: float  # 0..100 as tesseract reports it
    block: int
    par: int
    line: int


@dataclass
class Recognised:
    """What one tesseract run read on one image."""

    words: list[Word] = field(default_factory=list)
    seconds: float = 0.0
    timed_out: bool = False
    error: str = ""

    def text(self) -> str:
        """Lines as tesseract found them; a blank line between paragraphs."""
        out: list[str] = []
        key = None
        for w in self.words:
            k = (w.block, w.par, w.line)
            if key is None:
                out.append(w.text)
            elif k == key:
                out[-1] += " " + w.text
            else:
                if k[:2] != key[:2]:
                    out.append("")
                out.append(w.text)
            key = k
        return "\n".join(out)

    def confidence(self) -> float:
        """Mean word confidence (0..1) weighted by word length."""
        total = sum(len(w.text) for w in self.words)
        if not total:
            return 0.0
        return sum(w.conf * len(w.text) for w in self.words) / total / 100.0


# ---------------------------------------------------------------- tesseract


@functools.cache
def tesseract_languages(binary: str = "tesseract") -> frozenset[str]:
    """Installed traineddata names (empty when tesseract is missing)."""
    exe = shutil.which(binary)
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


@functools.cache
def tesseract_version(binary: str = "tesseract") -> str:
    exe = shutil.which(binary)
    if exe is None:
        return ""
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    first = (out.stdout or out.stderr).splitlines()
    return first[0].strip() if first else ""


def check_available(options: OcrOptions) -> None:
    """Raise OcrUnavailable with the package to install when OCR cannot run here."""
    langs = tesseract_languages(options.tesseract)
    if not langs:
        raise OcrUnavailable(
            "OCR is not available: install tesseract (apt-get install tesseract-ocr "
            f"tesseract-ocr-{options.language})"
        )
    if options.language not in langs:
        raise OcrUnavailable(
            f"OCR language {options.language!r} is not installed "
            f"(apt-get install tesseract-ocr-{options.language})"
        )


def _env() -> dict[str, str]:
    # One thread per tesseract: with OpenMP on a busy 2-core box a page took 13-16 s instead
    # of 2.4-4 s. Parallelism comes from running `workers` pages at once instead.
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _run(argv: list[str], image: bytes, timeout: float) -> tuple[str, float, str]:
    """Run tesseract on image bytes (stdin); (stdout, seconds, error) where error is
    "timeout" or a message, "" on success."""
    t0 = time.perf_counter()
    try:
        done = subprocess.run(
            argv, input=image, capture_output=True, timeout=timeout, env=_env(), check=False
        )
    except subprocess.TimeoutExpired:
        return "", time.perf_counter() - t0, "timeout"
    except OSError as exc:
        return "", time.perf_counter() - t0, f"cannot run tesseract: {exc.strerror or exc}"
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return "", seconds, f"tesseract failed ({done.returncode}): {' '.join(err[-2:])[:200]}"
    return done.stdout.decode("utf-8", "replace"), seconds, ""


def recognise_image(image: bytes, dpi: int, options: OcrOptions) -> Recognised:
    """Words of one page image (PNM/PNG bytes), read by a tesseract child process."""
    argv = [options.tesseract, "stdin", "stdout", "-l", options.language, "--dpi", str(dpi)]
    out, seconds, error = _run([*argv, "tsv"], image, options.page_timeout_s)
    result = Recognised(seconds=seconds, timed_out=error == "timeout")
    if error:
        result.error = error
        return result
    result.words = parse_tsv(out)
    return result


def parse_tsv(tsv: str) -> list[Word]:
    words = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            conf = float(cols[10])
            block, par, ln = int(cols[2]), int(cols[3]), int(cols[4])
        except ValueError:
            continue
        words.append(Word(cols[11].strip(), max(0.0, conf), block, par, ln))
    return words


_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENT_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_rotation(image: bytes, dpi: int, options: OcrOptions) -> int | None:
    """Degrees to turn the page clockwise so its text is upright (Tesseract OSD), or None
    when OSD is not installed or not sure."""
    if "osd" not in tesseract_languages(options.tesseract):
        return None
    argv = [options.tesseract, "stdin", "stdout", "-l", "osd", "--psm", "0", "--dpi", str(dpi)]
    out, _s, error = _run(argv, image, options.page_timeout_s)
    rot, conf = _ROTATE.search(out), _ORIENT_CONF.search(out)
    if error or not rot or not conf or float(conf.group(1)) < 2.0:
        return None
    return int(rot.group(1)) % 360


# ---------------------------------------------------------------- rendering


def native_dpi(page: Any) -> float:
    """Resolution of the biggest image on the page (a scan is one full-page image)."""
    best = 0.0
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        if x1 - x0 > 1 and info.get("width"):
            best = max(best, info["width"] / ((x1 - x0) / 72.0))
    return best


def render_dpi(page: Any, options: OcrOptions) -> int:
    native = native_dpi(page)
    dpi = max(options.dpi, min(native, options.max_dpi)) if native else options.dpi
    w_in, h_in = page.rect.width / 72.0, page.rect.height / 72.0
    cap = (MAX_PIXELS / max(w_in * h_in, 1e-6)) ** 0.5
    return int(max(70, min(dpi, cap)))


def render(page: Any, dpi: int, rotation: int = 0) -> bytes:
    """The page as a grey PNM image, turned `rotation` degrees clockwise."""
    from offline_index.parsers.readers import pymupdf_module

    pymupdf = pymupdf_module()

    matrix = pymupdf.Matrix(dpi / 72.0, dpi / 72.0).prerotate(rotation)
    pix = page.get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
    return pix.tobytes("pnm")


def ink_share(page: Any) -> float:
    """Share of pixels clearly darker than the paper, at 72 dpi: ~0 for a blank sheet (or a few
    specks of dust). Relative to the paper's own grey, so faded ink on grey recycled paper from
    a cheap scanner still counts as ink."""
    from offline_index.parsers.readers import pymupdf_module

    pymupdf = pymupdf_module()

    pix = page.get_pixmap(dpi=72, colorspace=pymupdf.csGRAY, alpha=False)
    samples = pix.samples
    if not samples:
        return 0.0
    sample = sorted(samples[:: max(1, len(samples) // 4000)])
    paper = sample[len(sample) // 2]  # the median grey: most of any page is paper
    ink = bytes(1 if v < paper - INK_CONTRAST else 0 for v in range(256))
    return samples.translate(ink).count(1) / len(samples)


def is_blank(page: Any) -> bool:
    return ink_share(page) < BLANK_INK_SHARE
