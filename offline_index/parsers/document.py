"""Raw legal text -> model.Document: the parse_text / parse_file / parse_folder API."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from offline_index.errors import ContentError
from offline_index.model import Document, nfc
from offline_index.ocr import Scan
from offline_index.parsers import header as hdr
from offline_index.parsers import scanned
from offline_index.parsers.fields import field_for_url, source_urls
from offline_index.parsers.readers import read_docx, read_html, read_txt
from offline_index.parsers.structure import Body, parse_body

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
EFFECTIVE_RE = re.compile(
    r"^(?:\d+\.\s*)?(?:Bộ luật|Luật|Nghị định|Nghị quyết|Pháp lệnh|Hiến pháp|Thông tư|Quyết định) này có hiệu lực"
    r"(?: thi hành)?(?: kể)? từ ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})"
)
# "Luat-Bien-gioi-Quoc-gia-2003-06-2003-QH11-51044" -> 06/2003/QH11 (file names carry the number).
FILENAME_NUMBER_RE = re.compile(r"(?:^|[-_])(\d{1,3})[-_](\d{4})[-_](QH\d{1,2})(?:[-_]|$)")
HOMOGLYPHS = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u00a0": " ", "\u200b": ""})
SEPARATOR_RE = re.compile(r"^[-_*=.·…\s]+$")


def clean_lines(text: str) -> list[str]:
    """NFC, one space between words, no empty or ruler lines."""
    # U+00D0/U+00F0 (Icelandic eth) stand in for Đ/đ in some sources: "Ðiều 317." is an article.
    text = nfc(text).translate(HOMOGLYPHS)
    lines = (re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.splitlines())
    return [line for line in lines if line and not SEPARATOR_RE.match(line)]


def _effective(lines: list[str]) -> str | None:
    for line in lines:  # the main clause comes first; exceptions for single articles follow
        m = EFFECTIVE_RE.search(line)
        if m:
            day, month, year = (int(g) for g in m.groups())
            if 1 <= day <= 31 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def parse_metadata(text: str, source: str = "") -> tuple[hdr.Header, Body]:
    """Header metadata and the body of a text (shared by parse_text and the corpus report)."""
    return _analyse(clean_lines(text), source)


def _analyse(lines: list[str], source: str) -> tuple[hdr.Header, Body]:
    body = parse_body(lines)
    head_lines = body.preamble[:60] or lines[:60]
    h = hdr.Header()
    h.number = hdr.find_number(head_lines)
    h.sources["number"] = "header" if h.number else ""
    if not h.number:
        m = FILENAME_NUMBER_RE.search(Path(source).stem) if source else None
        if m:
            h.number, h.sources["number"] = f"{m.group(1)}/{m.group(2)}/{m.group(3)}", "filename"
    h.kind, kind_line = hdr.find_kind(head_lines, h.number)
    h.title, h.sources["title"] = hdr.find_title(head_lines, h.kind, kind_line)
    h.issuer, h.sources["issuer"] = hdr.find_issuer(head_lines, h.number)
    h.issued = hdr.find_date(head_lines)
    if h.kind == "Án lệ":  # wrapped PDF lines: "thông qua ngày 24 / tháng 02 năm 2021"
        h.issued = hdr.find_date([" ".join(head_lines[:15])])
    h.sources["issued"] = "header" if h.issued else ""
    if not h.issued and body.closing:
        h.issued = hdr.find_date(body.closing)
        h.sources["issued"] = "closing" if h.issued else ""
    h.signer = hdr.find_signer(body.closing or lines[-8:])
    return h, body


def parse_text(text: str, source: str, hints: dict[str, Any] | None = None) -> Document:
    """Parse a legal text into a Document; ContentError names `source` when it is not one.

    `hints` (sidecar metadata) fill in a number, kind or title the header lacks.
    """
    lines = clean_lines(text)
    h, body = _analyse(lines, source)
    for key in ("number", "kind", "title"):
        if hints and hints.get(key) and not getattr(h, key):
            setattr(h, key, nfc(hints[key]))
    if not h.number:
        raise ContentError(
            source, "no official number found (give one in a .meta.json sidecar)", "number"
        )
    if not h.kind:
        raise ContentError(source, "cannot tell the kind of document (Luật, Nghị định, …)", "kind")
    if not h.title:
        h.title = f"{h.kind} {h.number}"
    # A precedent has no articles: its "Điều N" lines are citations of other laws.
    nodes = [] if h.kind == "Án lệ" else body.nodes
    doc = Document(
        number=h.number,
        kind=h.kind,
        title=h.title,
        issuer=h.issuer,
        signer=h.signer,
        issued=h.issued,
        effective=_effective(lines),
        body=nodes,
    )
    if not doc.body:
        doc.pages = ["\n".join(lines)]  # no articles (a precedent, a notice): keep the text whole
    return doc


def apply_meta(doc: Document, meta: dict[str, Any] | None, source: str) -> Document:
    """Sidecar/registry metadata overrides what was parsed; the result is validated (round trip)."""
    data = doc.to_dict()
    if meta:
        unknown = set(meta) - set(data) - {"type", "format"}
        if unknown:
            raise ContentError(
                source, f"unknown metadata keys: {', '.join(sorted(unknown))}", "meta"
            )
        data.update({k: v for k, v in meta.items() if k not in ("type", "format")})
        if "number" in meta and "id" not in meta:
            data["id"] = ""
    return Document.from_dict(data, source)


def parse_file(
    path: Path, meta: dict[str, Any] | None = None, *, scan: Scan | None = None
) -> Document:
    """Parse a .txt/.html/.htm/.docx/.pdf file; errors are ContentError naming the file.

    Image-only PDF pages are read by OCR (parsers/scanned.py); a build passes the `scan` it
    already has (from a sidecar or its OCR cache) so nothing is recognised twice.
    """
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ContentError(
            name, f"unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}"
        )
    if not path.is_file():
        raise ContentError(name, "file not found")
    pages: list[str] = []
    if suffix == ".txt":
        text = read_txt(path)
    elif suffix in (".html", ".htm"):
        text = read_html(path)
    elif suffix == ".docx":
        text = read_docx(path)
    else:
        pages, scan = scanned.pdf_pages(path, scan)
        text = "\n".join(pages)
    if not text.strip():
        if scan is not None:  # a scan OCR could not read: kept only with its metadata
            return apply_meta(scanned.unreadable(name, scan, meta), meta, name)
        raise ContentError(name, "the file contains no text")
    try:
        doc = parse_text(text, name, meta)
    except ContentError as exc:
        if scan is None:
            raise
        raise ContentError(
            name, f"scanned PDF ({scan.message()}): {exc.reason}", exc.field
        ) from None
    if pages:
        doc.pages = pages
    if scan is not None:
        log.info("%s: %s", name, scanned.structure_note(doc, scan))
    return apply_meta(doc, meta, name)


def load_sidecar(path: Path) -> dict[str, Any] | None:
    """`<name>.meta.json` beside a raw file, if any."""
    side = path.with_name(path.name + ".meta.json")
    if not side.exists():
        side = path.with_suffix(".meta.json")
    if not side.is_file():
        return None
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContentError(str(side), f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(str(side), "expected a JSON object")
    return data


def parse_folder(path: Path) -> tuple[list[Document], list[ContentError]]:
    """Every raw file in a folder (sorted); bad files are skipped and returned, never raised."""
    folder = Path(path)
    urls = source_urls(folder)
    docs: list[Document] = []
    skipped: list[ContentError] = []
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() not in SUFFIXES or file.name.startswith(("_", ".")):
            continue
        try:
            meta = load_sidecar(file) or {}
            url = urls.get(file.stem)
            if url:
                meta.setdefault("source_url", url)
                fld = field_for_url(url)
                if fld:
                    meta.setdefault("fields", [fld])
            docs.append(parse_file(file, meta or None))
        except ContentError as exc:
            log.warning("skipped %s", exc)
            skipped.append(exc)
    return docs, skipped
