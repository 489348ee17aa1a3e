"""Raw file readers: TXT, HTML, DOCX and PDF to plain lines (and PDF page texts).

Every reader refuses bad input with a ContentError that names the file and says
why, because librarians feed these files in by hand and a kiosk build must skip
a bad file rather than crash or hang on it.
"""

from __future__ import annotations

import functools
import html
import logging
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

from offline_index.errors import ContentError

MAX_TEXT_BYTES = 50_000_000
# DOCX limits: a real 700-article code is ~3 MB of XML at ~11:1; bombs run at 1000:1.
DOCX_MAX_MEMBER = 60_000_000
DOCX_MAX_TOTAL = 150_000_000
DOCX_MAX_RATIO = 100
DOCX_MAX_MEMBERS = 2000


def _plausible(text: str) -> bool:
    """Reject binary that a permissive codec (cp1258) would happily 'decode'."""
    if not text.strip():
        return False
    sample = text[:20000]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\v")
    letters = sum(1 for c in sample if c.isalpha())
    visible = sum(1 for c in sample if not c.isspace()) or 1
    return control <= 0.001 * len(sample) and letters >= 0.5 * visible


def decode_text(data: bytes, path: str) -> str:
    """utf-8 (BOM or not), utf-16 (BOM), then cp1258; anything else is refused."""
    if not data.strip():
        raise ContentError(path, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "cp1258"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    raise ContentError(path, "cannot decode the text: not UTF-8, UTF-16 or Windows-1258 (cp1258)")


def read_txt(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise ContentError(str(path), f"file too large for a legal text ({size} bytes)")
    return decode_text(path.read_bytes(), str(path))


class _HTMLText(HTMLParser):
    """Text of an HTML page with a line break at every block element."""

    BLOCKS = {
        "p",
        "div",
        "br",
        "tr",
        "td",
        "th",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "blockquote",
        "title",
        "ul",
        "ol",
    }
    SKIP = {"script", "style", "head", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        return "".join(self.parts)


def html_to_text(markup: str) -> str:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    return parser.text()


def read_html(path: Path) -> str:
    data = path.read_bytes()
    if len(data) > MAX_TEXT_BYTES:
        raise ContentError(str(path), "HTML file too large")
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else ""
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return html_to_text(data.decode(declared))
        except (LookupError, UnicodeDecodeError):
            pass
    return html_to_text(decode_text(data, str(path)))


def _check_zip(zf: zipfile.ZipFile, path: str) -> zipfile.ZipInfo:
    infos = zf.infolist()
    if len(infos) > DOCX_MAX_MEMBERS:
        raise ContentError(path, f"DOCX has {len(infos)} members: refusing a possible zip bomb")
    total = sum(i.file_size for i in infos)
    if total > DOCX_MAX_TOTAL:
        raise ContentError(path, f"DOCX unpacks to {total} bytes: refusing a possible zip bomb")
    try:
        main = zf.getinfo("word/document.xml")
    except KeyError:
        raise ContentError(path, "not a Word document: word/document.xml is missing") from None
    if main.file_size > DOCX_MAX_MEMBER:
        raise ContentError(path, f"document.xml declares {main.file_size} bytes: possible zip bomb")
    if main.file_size > 1_000_000 and main.file_size > DOCX_MAX_RATIO * max(main.compress_size, 1):
        raise ContentError(path, "document.xml compression ratio is implausible: possible zip bomb")
    return main


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> bytes:
    """Read a member but never more than it declared: a lying header is a bomb too."""
    limit = min(info.file_size, DOCX_MAX_MEMBER)
    chunks, size = [], 0
    with zf.open(info) as stream:
        while chunk := stream.read(1 << 16):
            size += len(chunk)
            if size > limit:
                raise ContentError(path, "document.xml is larger than declared: possible zip bomb")
            chunks.append(chunk)
    return b"".join(chunks)


_DOCX_TOKEN = re.compile(
    r"<w:p[ >/]|</w:p>|<w:br[ /]|<w:cr[ /]|<w:tab[ /]|<w:t(?:\s[^>]*)?>([^<]*)</w:t>"
)


def docx_xml_to_text(xml: str) -> str:
    """Paragraph text from WordprocessingML without an XML parser (no entity expansion at all)."""
    out: list[str] = []
    for m in _DOCX_TOKEN.finditer(xml):
        token = m.group(0)
        if m.group(1) is not None:
            out.append(html.unescape(m.group(1)))
        elif token.startswith("<w:tab"):
            out.append(" ")
        else:
            out.append("\n")
    return "".join(out)


def read_docx(path: Path) -> str:
    name = str(path)
    if not zipfile.is_zipfile(path):
        raise ContentError(name, "not a DOCX file (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as zf:
            info = _check_zip(zf, name)
            data = _read_capped(zf, info, name)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ContentError(name, f"broken DOCX: {exc}") from None
    try:
        xml = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(name, "document.xml is not UTF-8") from None
    return docx_xml_to_text(xml)


@functools.cache
def pymupdf_module() -> ModuleType:
    """pymupdf, with MuPDF's own messages sent to this package's log.

    By default PyMuPDF prints them ("MuPDF error: format error: object is not a stream")
    on standard output, where they break `--json` output; the file's fate (skipped, or read
    as far as it goes) is reported by the build, so the details are logged at INFO.
    """
    import pymupdf

    pymupdf.set_messages(
        pylogging_logger=logging.getLogger(f"{__name__}.mupdf"), pylogging_level=logging.INFO
    )
    return pymupdf


def read_pdf(path: Path, *, allow_empty: bool = False) -> list[str]:
    """Page texts (pymupdf). Broken, encrypted or text-less PDFs are refused.

    `allow_empty`: return empty page texts too (image-only pages go to OCR, parsers/scanned.py).
    """
    pymupdf = pymupdf_module()
    name = str(path)
    try:
        with pymupdf.open(path, filetype="pdf") as pdf:
            if pdf.needs_pass:
                raise ContentError(name, "the PDF is password protected")
            if pdf.page_count == 0:
                raise ContentError(name, "the PDF has no pages")
            pages = [page.get_text() for page in pdf]
    except ContentError:
        raise
    except Exception as exc:  # pymupdf raises its own types for damaged files
        raise ContentError(name, f"broken PDF: {exc}") from None
    if not allow_empty and not any(p.strip() for p in pages):
        raise ContentError(name, "the PDF has no text layer (scanned?): cannot index it")
    return pages
