"""Reader for legal documents: one article at a time, opened at the hit, terms highlighted.

The document is fetched and its outline built on the library thread; the GUI thread only
sets one article's HTML (fast even for a 700-article code). A text no longer in force gets
a loud banner with a link to its replacement; amended articles are marked; a standing line
says the kiosk informs and does not give legal advice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ui import events
from ui.i18n import N_, tr
from ui.qt import QLabel, QListWidget, QListWidgetItem, QPixmap, QStackedWidget, Qt, QTextBrowser
from ui.render import Outline, amended_articles, outline, plain_text, section_html, terms_of
from ui.screens import scan_view
from ui.screens.registry import register_screen
from ui.tools import Speaker, ToolUnavailable, print_html, qr_image
from ui.widgets import FlowLayout, Screen, button, label, touch_scroll, validity_text

TOOL_MESSAGES = {
    "no_audio": N_("Máy này chưa có loa hoặc thiết bị âm thanh, nên chưa đọc to được."),
    "no_tts": N_("Máy này chưa cài bộ đọc tiếng Việt (espeak-ng)."),
    "no_printer": N_("Máy in chưa sẵn sàng. Bạn có thể quét mã QR để xem trên điện thoại."),
    "print_limit": N_("Bạn đã in hết số trang cho phép trong lượt này."),
}


def load_document(lib: Any, doc_id: str) -> tuple[dict[str, Any], Outline]:
    doc = lib.document(doc_id)
    return doc, outline(doc)


def _vn_date(value: Any) -> str:
    try:
        d = date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return "—"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


class ReaderScreen(Screen):
    def __init__(
        self,
        shell: Any,
        doc_id: str,
        article: str | None = None,
        page: int | None = None,
        terms: str = "",
    ) -> None:
        super().__init__(shell, tr("Đọc văn bản"))
        self.doc_id, self.terms = doc_id, terms_of(terms)
        self.start_key = str(article) if article else (f"p{page}" if page else None)
        self.doc: dict[str, Any] = {}
        self.scan: scan_view.ScanMode | None = None
        self.outline = Outline()
        self.index = 0
        self.speaker = Speaker()
        self._build()
        shell.session.open_doc(doc_id)
        shell.with_library(
            lambda lib: load_document(lib, doc_id), self._loaded, on_error=self._failed, owner=self
        )

    def _build(self) -> None:
        self.header = label(tr("Đang mở văn bản…"), "title", name="doc_header")
        self.meta = label("", "small", name="doc_meta")
        self.banner = label("", "banner", name="validity_banner")
        self.banner.hide()
        self.replacement = button("", self._open_replacement, name="replacement")
        self.replacement.hide()
        self.layout_.addWidget(self.header)
        self.layout_.addWidget(self.meta)
        self.layout_.addWidget(self.banner)
        self.layout_.addWidget(self.replacement)
        self.tools = FlowLayout(spacing=self.theme.gap)
        from ui.qt import QWidget

        tools_box = QWidget(objectName="reader_tools")
        tools_box.setLayout(self.tools)
        self.toc_button = button(tr("☰ Mục lục"), self.toggle_toc, checkable=True, name="toc")
        self.prev_button = button(tr("◀ Điều trước"), self.previous, name="prev")
        self.next_button = button(tr("Điều sau ▶"), self.next, name="next")
        self.bigger = button(tr("A+ Chữ to hơn"), self.text_bigger, name="bigger")
        self.speak_button = button(tr("🔊 Đọc to"), self.read_aloud, name="speak")
        self.print_button = button(tr("🖨 In"), self.print_section, name="print")
        self.qr_button = button(tr("Mã QR"), self.show_qr, checkable=True, name="qr")
        self.pdf_button = button(tr("Xem bản PDF"), self.open_pdf, name="pdf")
        self.pdf_button.hide()
        for b in (
            self.toc_button,
            self.prev_button,
            self.next_button,
            self.bigger,
            self.speak_button,
            self.print_button,
            self.qr_button,
            self.pdf_button,
        ):
            self.tools.addWidget(b)
        self.layout_.addWidget(tools_box)
        self.pages = QStackedWidget()
        self.text = QTextBrowser(objectName="article_text")
        self.text.setOpenLinks(False)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.toc = QListWidget(objectName="toc_list")
        self.toc.setWordWrap(True)  # long article titles wrap instead of scrolling sideways
        self.toc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.toc.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.toc.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.toc.itemClicked.connect(self._toc_clicked)
        self.qr = QLabel(objectName="qr_image")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(1, 1)  # a big pixmap must not grow the window
        self.qr_text = label("", "small", name="qr_url")
        from ui.qt import QVBoxLayout
        from ui.qt import QWidget as W

        qr_box = W()
        qr_lay = QVBoxLayout(qr_box)
        qr_lay.addWidget(label(tr("Quét mã này bằng điện thoại để đọc bản chính thức."), "title"))
        qr_lay.addWidget(self.qr, 1)
        qr_lay.addWidget(self.qr_text)
        self.qr_page = qr_box
        touch_scroll(self.text.viewport())
        touch_scroll(self.toc.viewport())
        for w in (self.text, self.toc, qr_box):
            self.pages.addWidget(w)
        self.layout_.addWidget(self.pages, 1)
        self.layout_.addWidget(
            label(
                tr(
                    "Thông tin chỉ để tham khảo, không thay thế tư vấn pháp lý. Cần hỗ trợ, "
                    "hãy liên hệ Trợ giúp pháp lý."
                ),
                "small",
                name="not_advice",
            )
        )

    # ---------------------------------------------------------------- loading
    def _loaded(self, payload: tuple[dict[str, Any], Outline]) -> None:
        self.doc, self.outline = payload
        doc = self.doc
        self.shell.set_title(self, f"{doc.get('kind', '')} {doc.get('number', '')}".strip())
        self.header.setText(doc.get("title", ""))
        issued, effective = _vn_date(doc.get("issued")), _vn_date(doc.get("effective"))
        self.meta.setText(
            " · ".join(
                x
                for x in (
                    f"{doc.get('kind', '')} {doc.get('number', '')}".strip(),
                    doc.get("issuer") or "",
                    tr("Ban hành: {d}").format(d=issued),
                    tr("Hiệu lực từ: {d}").format(d=effective),
                    validity_text(doc.get("validity", "unknown")),
                )
                if x
            )
        )
        self._status_banner(doc)
        self.pdf_button.setVisible(bool(doc.get("pdf")))
        self.scan = scan_view.attach(self, doc)  # a scan: the page image and an OCR note
        self._fill_toc()
        self.amended = amended_articles(doc)
        self.show_section(self.outline.index_of(self.start_key))
        self.shell.record("document_open", doc.get("number"))
        events.emit("document_open", doc_id=self.doc_id, article=self.current_key())

    def _failed(self, exc: BaseException) -> None:
        self.header.setText(self.shell.ctx.error_text(exc))
        events.emit("document_error", doc_id=self.doc_id, error=repr(exc))

    def _status_banner(self, doc: dict[str, Any]) -> None:
        if doc.get("in_force", True):
            return
        from ui.i18n import language

        notice = doc.get("status_notice") if language() == "en" else doc.get("status_notice_vi")
        self.banner.setText("⚠ " + (notice or validity_text(doc.get("validity", ""))))
        self.banner.show()
        repl = [r for r in doc.get("relations", []) if r.get("type") == "replaced_by"]
        held = [r for r in repl if r.get("target_doc_id")]
        if held:
            self._replacement_id = held[0]["target_doc_id"]
            self.replacement.setText(tr("Xem văn bản thay thế: {n}").format(n=held[0]["target"]))
            self.replacement.show()
        elif repl and repl[0].get("target"):
            # Not in this library: still a next step, search by its number (it may be a
            # publication, a Q&A or a newer generation's document).
            self._replacement_id = None
            self._replacement_query = repl[0]["target"]
            self.replacement.setText(tr("Tìm văn bản thay thế: {n}").format(n=repl[0]["target"]))
            self.replacement.show()

    def _fill_toc(self) -> None:
        self.toc.clear()
        chapter = None
        for i, sec in enumerate(self.outline.sections):
            if sec.chapter and sec.chapter != chapter:
                chapter = sec.chapter
                head = QListWidgetItem(chapter)
                head.setFlags(Qt.ItemFlag.NoItemFlags)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                self.toc.addItem(head)
            item = QListWidgetItem(sec.label)
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.toc.addItem(item)

    # ---------------------------------------------------------------- reading
    def current_key(self) -> str | None:
        secs = self.outline.sections
        return secs[self.index].key if secs else None

    def show_section(self, index: int) -> None:
        secs = self.outline.sections
        if not secs:
            self.text.setHtml("<p>" + tr("Văn bản này chưa có nội dung để hiển thị.") + "</p>")
            return
        self.index = max(0, min(index, len(secs) - 1))
        sec = secs[self.index]
        labels = {"amended": tr("Điều này đã được sửa đổi, bổ sung bởi {by}.")}
        body = section_html(sec, self.terms, self.amended.get(sec.key), labels)
        self.text.document().setDefaultStyleSheet(self.theme.mark_css())
        self.text.setHtml(f"<html><body>{body}</body></html>")
        self.text.verticalScrollBar().setValue(0)
        self.pages.setCurrentWidget(self.text)
        self.toc_button.setChecked(False)
        self.qr_button.setChecked(False)
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(secs) - 1)
        if self.scan is not None:
            self.scan.section_shown(sec)
        self.speaker.stop()
        events.emit("section", doc_id=self.doc_id, key=sec.key)

    def next(self) -> None:
        self.show_section(self.index + 1)

    def previous(self) -> None:
        self.show_section(self.index - 1)

    def _size_toc(self) -> None:
        """Give each TOC row the height its wrapped text needs (the view elides otherwise)."""
        from ui.qt import QFontMetrics, QRect, QSize

        gap = self.theme.gap
        width = max(100, self.toc.viewport().width() - 2 * gap - 8)
        flags = int(Qt.TextFlag.TextWordWrap)
        for row in range(self.toc.count()):
            item = self.toc.item(row)
            font = item.font() if item.font().bold() else self.toc.font()
            rect = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100000), flags, item.text())
            item.setSizeHint(QSize(width, max(self.theme.target, rect.height() + gap)))

    def toggle_toc(self) -> None:
        if self.toc_button.isChecked():
            self.pages.setCurrentWidget(self.toc)
            self._size_toc()
            self.qr_button.setChecked(False)
            row = next(
                (
                    r
                    for r in range(self.toc.count())
                    if self.toc.item(r).data(Qt.ItemDataRole.UserRole) == self.index
                ),
                0,
            )
            self.toc.setCurrentRow(row)
            self.toc.scrollToItem(self.toc.item(row))
        else:
            self.pages.setCurrentWidget(self.text)

    def _toc_clicked(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        if index is not None:
            self.show_section(int(index))

    def text_bigger(self) -> None:
        sizes = ("normal", "large", "xlarge")
        nxt = sizes[(sizes.index(self.theme.text_size) + 1) % len(sizes)]
        self.shell.ctx.theme = self.theme.with_(text_size=nxt)
        self.shell.apply_theme()

    def on_theme(self) -> None:
        page = self.pages.currentWidget()
        if self.outline.sections:
            keep = self.text.verticalScrollBar().value()
            self.show_section(self.index)
            self.text.verticalScrollBar().setValue(keep)
        if page is self.toc:
            self.toc_button.setChecked(True)
            self.toggle_toc()

    # ---------------------------------------------------------------- tools
    def _tool_message(self, reason: str) -> None:
        self.shell.show_message(tr("Chưa làm được"), tr(TOOL_MESSAGES.get(reason, reason)))

    def read_aloud(self) -> None:
        if self.speaker.speaking:
            self.speaker.stop()
            return
        secs = self.outline.sections
        if not secs:
            return
        try:
            self.speaker.speak(plain_text(secs[self.index]))
        except ToolUnavailable as exc:
            self._tool_message(exc.args[0])

    def print_section(self) -> None:
        secs = self.outline.sections
        if not secs:
            return
        session = self.shell.session
        left = int(self.shell.ctx.settings.get("print_limit", 10)) - session.printed_pages
        if left <= 0:
            self._tool_message("print_limit")
            return
        sec = secs[self.index]
        head = f"<p>{self.doc.get('kind', '')} {self.doc.get('number', '')}: {self.doc.get('title', '')}</p>"
        html = head + section_html(sec, [], self.amended.get(sec.key), {"amended": "{by}"})
        try:
            session.printed_pages += print_html(html, left)
            events.emit("printed", pages=session.printed_pages)
        except ToolUnavailable as exc:
            self._tool_message(exc.args[0])

    def show_qr(self) -> None:
        if not self.qr_button.isChecked():
            self.pages.setCurrentWidget(self.text)
            return
        url = self.doc.get("source_url") or ""
        if not url:
            self.qr_button.setChecked(False)
            self.shell.show_message(
                tr("Chưa có mã QR"), tr("Văn bản này chưa có đường dẫn nguồn chính thức.")
            )
            return
        side = min(self.pages.width(), self.pages.height()) - self.theme.target * 2
        img = qr_image(url)
        self.qr.setPixmap(QPixmap.fromImage(img).scaled(max(side, 200), max(side, 200)))
        self.qr_text.setText(url)
        self.toc_button.setChecked(False)
        self.pages.setCurrentWidget(self.qr_page)

    def open_pdf(self) -> None:
        self.shell.navigate(
            "pdf",
            file=self.doc.get("pdf"),
            title=self.doc.get("title", ""),
            terms=" ".join(self.terms),
        )

    def _open_replacement(self) -> None:
        if self._replacement_id:
            self.shell.navigate("reader", doc_id=self._replacement_id)
        else:
            self.shell.navigate("search", query=self._replacement_query)

    def wipe(self) -> None:
        self.speaker.stop()
        self.shell.session.close_doc(self.doc_id)

    def hideEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        self.speaker.stop()
        super().hideEvent(ev)


register_screen("reader", lambda shell, **kw: ReaderScreen(shell, **kw))
