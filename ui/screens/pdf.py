"""PDF reader: pages rendered by pymupdf off the GUI thread, zoom, highlighted hits,
and big page-turn buttons."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from offline_index.document_view import elide
from offline_index.marking import Marks, as_marks
from ui import events
from ui.i18n import tr
from ui.qt import QColor, QImage, QLabel, QPainter, QPixmap, Qt
from ui.render import marks_of
from ui.screens.registry import register_screen
from ui.scrolling import keep_view, panner, restore_view
from ui.widgets import TITLE_CHARS, Screen, button, label, row

if TYPE_CHECKING:
    from ui.shell import Shell

_LOCK = threading.Lock()  # one pymupdf call at a time: it is not thread-safe


def render_page(
    path: str, page_no: int, width_px: int, zoom: float, terms: Marks | list[str]
) -> tuple[QImage, int]:
    """Page image with search hits painted over; returns (image, page count)."""
    import pymupdf as fitz

    with _LOCK, fitz.open(path) as pdf:
        count = pdf.page_count
        page = pdf[max(0, min(page_no, count - 1)) if count else 0]
        scale = max(0.2, width_px / page.rect.width) * zoom
        pix = page.get_pixmap(matrix=fitz.Matrix(scale, scale), alpha=False)
        rects = _word_hits(page, terms)
        img = QImage(
            pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888
        ).copy()
    if rects:
        painter = QPainter(img)
        color = QColor(255, 214, 0, 110)
        for r in rects:
            painter.fillRect(
                int(r.x0 * scale),
                int(r.y0 * scale),
                int(r.width * scale) + 1,
                int(r.height * scale) + 1,
                color,
            )
        painter.end()
    return img, count


def _word_hits(page: Any, terms: Marks | list[str]) -> list[Any]:
    """Rectangles of whole words matching the terms, ignoring case and diacritics, except a
    word typed with diacritics: that reading only (offline_index/marking.py)."""
    import pymupdf

    marks = as_marks(terms)
    if not marks.words:
        return []
    found = page.get_text("words")
    took = marks.takes_each([w[4] for w in found])
    return [pymupdf.Rect(*w[:4]) for w, t in zip(found, took, strict=True) if t]


class PdfScreen(Screen):
    def __init__(
        self,
        shell: Shell,
        file: str | None = None,
        page: int = 1,
        terms: str = "",
        title: str = "",
        law: str = "",
    ) -> None:
        super().__init__(shell, title or tr("Xem tài liệu"))
        self.page, self.count, self.zoom = max(0, (page or 1) - 1), 0, 1.0
        self.marks = marks_of(terms, law)
        self.path: str | None = None
        self.image = QLabel(objectName="pdf_page")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image.setMinimumSize(1, 1)
        self.area = panner(self.image)  # zoomed in, the page is wider than the screen
        self._view: tuple[float, float] | None = None  # where the zoom keeps the view
        self.status = label(tr("Đang mở tài liệu…"), "small", name="pdf_status")
        self.prev_button = button(tr("◀ Trang trước"), lambda: self.turn(-1), name="pdf_prev")
        self.next_button = button(tr("Trang sau ▶"), lambda: self.turn(1), name="pdf_next")
        zoom_in = button(tr("Phóng to +"), lambda: self.set_zoom(1.25), name="zoom_in")
        zoom_out = button(tr("Thu nhỏ −"), lambda: self.set_zoom(0.8), name="zoom_out")
        for b in (self.prev_button, self.next_button):
            b.setMinimumHeight(self.theme.target * 3 // 2)
        if title and elide(title, TITLE_CHARS) != title:  # the title bar showed it cut
            self.layout_.addWidget(label(title, "small", name="pdf_title"))
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.area, 1)
        self.layout_.addLayout(row(self.prev_button, zoom_out, zoom_in, self.next_button))
        shell.with_library(
            lambda lib: str(lib.file_path(file or "")),
            self._located,
            on_error=self._failed,
            owner=self,
        )

    def _located(self, path: str) -> None:
        self.path = path
        self.render()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.shell.ctx.error_text(exc))

    def render(self) -> None:
        if not self.path:
            return
        # fitted beside the vertical scroll bar a page shows: no sideways scroll at zoom 1
        bar = self.area.verticalScrollBar().sizeHint().width()
        width = max(200, self.area.width() - bar - 4)
        self.shell.ctx.ops.run(
            render_page,
            self.path,
            self.page,
            width,
            self.zoom,
            self.marks,
            on_done=self._rendered,
            on_error=self._failed,
            owner=self,
            pool="general",
        )

    def _rendered(self, result: tuple[QImage, int]) -> None:
        img, self.count = result
        self.image.setPixmap(QPixmap.fromImage(img))
        self.image.adjustSize()  # its own size: the area scrolls both ways, nothing cut
        if self._view is not None:
            restore_view(self.area, self._view)
            self._view = None
        self.status.setText(tr("Trang {n} / {total}").format(n=self.page + 1, total=self.count))
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.count - 1)
        events.emit("pdf_page", page=self.page + 1, count=self.count)

    def turn(self, step: int) -> None:
        if 0 <= self.page + step < max(1, self.count):
            self.page += step
            self.render()
            self.area.verticalScrollBar().setValue(0)

    def set_zoom(self, factor: float) -> None:
        self.zoom = max(0.5, min(4.0, self.zoom * factor))
        self._view = keep_view(self.area)  # the part being read stays in the middle
        self.render()


register_screen("pdf", lambda shell, **kw: PdfScreen(shell, **kw))
