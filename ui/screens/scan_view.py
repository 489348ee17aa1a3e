"""The scan itself in the reader, and plain words about what OCR could read.

A document whose PDF is a scan (the library has its `.ocr.json`, `Library.scan`) is found by
its recognised text, but the resident reads the page as it was scanned: the reader opens on
the page image, with a note that the text was read automatically (and how sure it was), and
one button switches to the recognised text (bigger text, read aloud) and back. A scanned law
whose Chương/Điều tree was recognised opens on the article's text, the button showing the
scanned page that holds it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from offline_index.parsers.scanned import ARTICLED_KINDS
from ui.i18n import tr
from ui.qt import QLabel, QPixmap, Qt, QWidget
from ui.scrolling import scroller
from ui.widgets import button, label

if TYPE_CHECKING:
    from offline_index.document_view import DocumentView
    from offline_index.ocr.scan import Scan
    from ui.render import Section
    from ui.screens.reader import ReaderScreen


def scan_result_text(scan: Scan | None) -> str:
    """What a librarian is told after adding a PDF (empty for a PDF with a text layer)."""
    if scan is None:
        return ""
    if scan.status == "unreadable":
        return " " + tr(
            "Không đọc được chữ trên bản quét (trang trắng, ảnh chụp hoặc bản quét quá mờ): "
            "tài liệu chỉ tra cứu được theo số hiệu và tên."
        )
    pages = scan.recognised
    readable = [p for p in pages if p.readable]
    text = " " + tr("Đã nhận dạng chữ {k}/{n} trang quét (độ tin cậy {c}%).").format(
        k=len(readable), n=len(pages), c=round(scan.confidence * 100)
    )
    bad = [str(p.page) for p in pages if not p.readable and p.status != "blank"]
    if bad:
        text += " " + tr("Không đọc được trang: {pages}.").format(pages=", ".join(bad))
    return text


def scan_note(doc: DocumentView) -> str:
    """One line under the reader's header: a scan, read automatically, how well."""
    scan = doc.scan
    text = tr(
        "Bản quét: chữ được nhận dạng tự động (độ tin cậy {c}%), có thể có lỗi; "
        "hãy đối chiếu với bản quét."
    ).format(c=round((scan.confidence if scan else 0) * 100))
    pages = scan.pages if scan else ()
    bad = [str(p.page) for p in pages if p.status in ("unreadable", "timeout")]
    if scan and scan.status == "unreadable":
        text = tr("Bản quét: không đọc được chữ, chỉ tra cứu được theo số hiệu và tên.")
    elif bad:
        text += " " + tr("Không đọc được trang: {pages}.").format(pages=", ".join(bad))
    if not doc.tree and doc.kind in ARTICLED_KINDS:
        text += " " + tr("Không nhận ra được các Chương, Điều: văn bản hiển thị theo trang.")
    return text


class ScanView(QWidget):
    """One scanned page, as large as the reader allows (rendered off the GUI thread)."""

    def __init__(self, reader: ReaderScreen, doc: DocumentView) -> None:
        super().__init__(objectName="scan_view")
        from ui.qt import QVBoxLayout

        self.reader, self.doc = reader, doc
        self.page_no = 0
        self.image = QLabel(objectName="scan_page")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image.setMinimumSize(1, 1)
        self.area = scroller(self.image)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.area)
        self.path: str | None = None
        reader.shell.with_library(
            lambda lib: str(lib.file_path(doc.pdf)), self._located, owner=self
        )

    def _located(self, path: str) -> None:
        self.path = path
        if self.page_no:
            self.show_page(self.page_no)

    def show_page(self, page_no: int) -> None:
        from ui.screens.pdf import render_page

        self.page_no = max(1, page_no)
        if not self.path:
            return
        width = max(200, self.area.viewport().width() - 4)
        self.reader.shell.ctx.ops.run(
            render_page,
            self.path,
            self.page_no - 1,
            width,
            1.0,
            [],
            on_done=self._rendered,
            owner=self,
            pool="general",
        )

    def _rendered(self, result: tuple[Any, int]) -> None:
        self.image.setPixmap(QPixmap.fromImage(result[0]))


class ScanMode:
    """Wires a ScanView into a ReaderScreen: note, toggle button, which view a section shows."""

    def __init__(self, reader: ReaderScreen, doc: DocumentView) -> None:
        self.reader, self.doc = reader, doc
        self.view = ScanView(reader, doc)
        reader.pages.addWidget(self.view)
        self.note = label(scan_note(doc), "notice", name="scan_note")
        reader.layout_.insertWidget(reader.layout_.indexOf(reader.banner) + 1, self.note)
        self.showing_scan = not doc.tree  # pages: the scan first; articles: the text
        self.toggle = button("", self.flip, name="scan_toggle")
        reader.tools.addWidget(self.toggle)
        if doc.scan and doc.scan.status == "unreadable":
            self.showing_scan = True  # no recognised text to switch to: the scan only
            self.toggle.hide()
        reader.pdf_button.hide()  # the scan is here already
        self._label()

    def _label(self) -> None:
        self.toggle.setText(tr("Xem chữ nhận dạng") if self.showing_scan else tr("Xem bản quét"))

    def flip(self) -> None:
        self.showing_scan = not self.showing_scan
        self._label()
        self.reader.show_section(self.reader.index)

    def section_shown(self, section: Section) -> None:
        """Called by the reader after it put a section's text up."""
        if self.showing_scan:
            self.view.show_page(page_of(section, self.doc.pages))
            self.reader.pages.setCurrentWidget(self.view)


def page_of(section: Section, pages: tuple[str, ...]) -> int:
    """1-based page of a section: `p3` is page 3; an article, the page where `Điều N.` starts."""
    key = section.key
    if key.startswith("p") and key[1:].isdigit():
        return int(key[1:])
    heading = re.compile(rf"^\s*Điều\s+{re.escape(key)}\s*[.:]", re.MULTILINE)
    for i, text in enumerate(pages, 1):
        if heading.search(text):
            return i
    return 1


def attach(reader: ReaderScreen, doc: DocumentView) -> ScanMode | None:
    """A ScanMode for a scanned document, else None (the reader is unchanged)."""
    return ScanMode(reader, doc) if doc.scan and doc.pdf else None
