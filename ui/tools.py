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
from pathlib import Path

from ui.qt import QColor, QImage, QPainter, printsupport

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
