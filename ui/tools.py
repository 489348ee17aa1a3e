"""Reader tools: read aloud (espeak-ng), print (QPrinter), QR code of the source URL.

Each tool says plainly when the kiosk cannot do it (no loudspeaker, no printer, print
limit reached) instead of failing silently. Read-aloud runs espeak-ng as a subprocess
that is stopped when the resident leaves the screen or walks away.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ui.i18n import N_, tr
from ui.qt import QColor, QImage, QPainter, printsupport

if TYPE_CHECKING:
    from offline_index.document_view import DocumentInfo

log = logging.getLogger(__name__)


class ToolUnavailable(Exception):
    """The kiosk cannot do this right now; `args[0]` is the message for the resident."""


# ---------------------------------------------------------------- read aloud
def audio_available() -> bool:
    """A sound card or a sound server is present (checked before speaking)."""
    if os.environ.get("LAWSHELF_UI_NO_AUDIO") == "1":
        return False
    snd = Path("/dev/snd")
    if snd.is_dir() and any(p.name.startswith("pcm") for p in snd.iterdir()):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    return bool(os.environ.get("PULSE_SERVER")) or (
        bool(runtime) and (Path(runtime) / "pulse" / "native").exists()
    )


class Speaker:
    """One espeak-ng process at a time; `speak` replaces whatever was being read."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def speak(self, text: str, *, rate: int = 150) -> None:
        """Start reading; raises ToolUnavailable with a reason (no audio, no espeak-ng)."""
        self.stop()
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise ToolUnavailable("no_tts")
        if not audio_available():
            raise ToolUnavailable("no_audio")
        self.proc = subprocess.Popen(
            [exe, "-v", "vi", "-s", str(rate), "--stdin"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(text.encode("utf-8"))
            self.proc.stdin.close()
        except OSError as exc:
            self.stop()
            raise ToolUnavailable("no_audio") from exc

    @property
    def speaking(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None


# ---------------------------------------------------------------- print
def printer_available() -> bool:
    if os.environ.get("LAWSHELF_UI_NO_PRINTER") == "1":
        return False
    qps = printsupport()
    return bool(qps.QPrinterInfo.availablePrinters())


def print_html(html: str, pages_left: int) -> int:
    """Print on the default printer; returns pages used. GUI thread (Qt painting)."""
    if not printer_available():
        raise ToolUnavailable("no_printer")
    qps = printsupport()
    from ui.qt import QTextDocument

    doc = QTextDocument()
    doc.setHtml(html)
    printer = qps.QPrinter(qps.QPrinterInfo.defaultPrinter())
    doc.setPageSize(printer.pageRect(qps.QPrinter.Unit.Point).size())
    pages = max(1, doc.pageCount())
    if pages > pages_left:
        raise ToolUnavailable("print_limit")
    doc.print_(printer)
    return pages


# ---------------------------------------------------------------- official source
@dataclass(frozen=True)
class SourceLink:
    """Where the reader's QR code leads, and what it opens in the resident's words."""

    url: str
    caption: str


# Official hosts (a host or a subdomain of it) and how a resident would call each.
OFFICIAL_SITES = (
    ("vbpl.vn", N_("Cơ sở dữ liệu quốc gia về văn bản pháp luật")),
    ("anle.toaan.gov.vn", N_("trang Án lệ của Tòa án nhân dân tối cao")),
    ("chinhphu.vn", N_("Cổng Thông tin điện tử Chính phủ")),
    ("quochoi.vn", N_("Cổng Thông tin điện tử Quốc hội")),
    ("hanoi.gov.vn", N_("Cổng Giao tiếp điện tử thành phố Hà Nội")),
    ("gov.vn", N_("trang của cơ quan nhà nước")),
)
# vbpl.vn's own search by document number (its pages link numbers this way); the number is
# the official one the document carries, so the search lists the text first or alone.
VBPL_SEARCH = (
    "https://vbpl.vn/{area}/Pages/vbpq-timkiem.aspx?type=0&s=1&SearchIn=Title,Title1&IsRec=1"
    "&Keyword={number}"
)
VBPL_AREAS = {"central": "TW", "hanoi": "hanoi"}  # scope -> vbpl.vn's collection
NOT_ON_VBPL = {"Án lệ"}  # precedents are published by the Supreme Court, not in vbpl.vn


def official_site(url: str) -> str | None:
    """The official site's name when `url` is on one (https/http, exact host or subdomain)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("https", "http") or not host:
        return None
    for domain, name in OFFICIAL_SITES:
        if host == domain or host.endswith("." + domain):
            return tr(name)
    return None


def official_link(doc: DocumentInfo | None) -> SourceLink | None:
    """The official source of a document: its own `source_url` when that is on an official
    site, else vbpl.vn's search for its number (central and Hanoi texts), else None. A
    commercial page is never offered, and nothing else is called official."""
    if doc is None:
        return None  # not loaded yet
    url = (doc.source_url or "").strip()
    site = official_site(url)
    host = urlsplit(url).hostname or ""
    if site:
        return SourceLink(
            url,
            tr("Quét mã bằng điện thoại để mở văn bản này trên {site} ({host}).").format(
                site=site, host=host
            ),
        )
    number, area = (doc.number or "").strip(), VBPL_AREAS.get(doc.scope)
    if not number or area is None or doc.kind in NOT_ON_VBPL:
        return None
    return SourceLink(
        VBPL_SEARCH.format(area=area, number=quote(number, safe="/")),
        tr(
            "Quét mã bằng điện thoại để tìm số hiệu {number} trên Cơ sở dữ liệu quốc gia về"
            " văn bản pháp luật (vbpl.vn), rồi chọn văn bản trong kết quả để đọc bản chính thức."
        ).format(number=number),
    )


# ---------------------------------------------------------------- QR code
def qr_image(url: str, module_px: int = 10) -> QImage:
    """A QR code as a QImage, drawn from qrcode's matrix (no Pillow needed)."""
    import qrcode

    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    side = len(matrix) * module_px
    img = QImage(side, side, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    painter = QPainter(img)
    black = QColor("black")
    for y, line in enumerate(matrix):
        for x, dark in enumerate(line):
            if dark:
                painter.fillRect(x * module_px, y * module_px, module_px, module_px, black)
    painter.end()
    return img
