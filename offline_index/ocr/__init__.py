"""OCR of scanned PDFs: Tesseract per page, corrected with the corpus's syllables.

- `recognise_pdf(path)` -> `Scan` (per page text, confidence, status), see `scan.py`;
- `write_sidecar` / `read_sidecar`: the scan kept beside the PDF as `<name>.pdf.ocr.json`;
- `Corrector` and `Lexicon`: post-correction with syllable and syllable-bigram counts.

See docs/parsing.md (scanned documents) and docs/benchmarks.md (OCR) for what it achieves.
"""

from offline_index.ocr.correct import Corrector, Costs
from offline_index.ocr.engine import OcrOptions, OcrUnavailable, check_available
from offline_index.ocr.lexicon import Lexicon, default_lexicon
from offline_index.ocr.scan import (
    OCR_VERSION,
    SIDECAR_SUFFIX,
    PageScan,
    Scan,
    has_scanned_pages,
    pages_to_recognise,
    read_sidecar,
    recognise_pdf,
    sidecar_path,
    write_sidecar,
)

__all__ = [
    "OCR_VERSION",
    "SIDECAR_SUFFIX",
    "Corrector",
    "Costs",
    "Lexicon",
    "OcrOptions",
    "OcrUnavailable",
    "PageScan",
    "Scan",
    "check_available",
    "default_lexicon",
    "has_scanned_pages",
    "pages_to_recognise",
    "read_sidecar",
    "recognise_pdf",
    "sidecar_path",
    "write_sidecar",
]
