"""Reader for legal documents: one article at a time, opened at the hit, terms highlighted.

The document is fetched and its outline built on the library thread; the GUI thread only
sets one article's HTML (fast even for a 700-article code). A text no longer in force gets
a loud banner with a link to its replacement; amended articles are marked; a standing line
says the kiosk informs and does not give legal advice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from offline_index.errors import LibraryNotFound
from ui import events
from ui.i18n import N_, day, tr
from ui.pictures import QrCode
from ui.qt import QListWidget, QListWidgetItem, QStackedWidget, Qt, QTextBrowser
from ui.render import (
    Cited,
    Outline,
    Section,
    clause_anchor,
    marks_of,
    outline,
    plain_text,
    section_html,
)
from ui.screens import scan_view
from ui.screens.reader_currency import (
    NO_NOTE,
    Note,
    Target,
    article_notes,
    currency_target,
    relation_targets,
    unnamed_note,
)
from ui.screens.reader_tools import (
    COPY_STEP,
    QR_STEP,
    TOOL_MESSAGES,
    printable_html,
    reference,
)
from ui.screens.registry import register_screen
from ui.scrolling import touch_scroll
from ui.theme import TEXT_SIZES
from ui.tools import Speaker, ToolUnavailable, official_link, print_html
from ui.widgets import FlowLayout, Screen, button, label, not_advice, row, validity_text

BIGGER = N_("A+ Chữ to hơn")
SMALLER = N_("A− Về cỡ chữ thường")  # on the biggest size the same button goes back

MAX_TARGETS = 3  # buttons under the banner: a text is rarely replaced by more

if TYPE_CHECKING:
    from offline_index.document_view import DocumentView
    from offline_index.library import Library
    from ui.shell import Shell


def load_document(lib: Library, doc_id: str) -> tuple[DocumentView, Outline]:
    doc = lib.document(doc_id)
    return doc, outline(doc)


class ReaderScreen(Screen):
    def __init__(
        self,
        shell: Shell,
        doc_id: str,
        article: str | None = None,
        page: int | None = None,
        terms: str = "",
        law: str = "",
        clause: str | None = None,
        point: str | None = None,
        number: str = "",
    ) -> None:
        super().__init__(shell, tr("Đọc văn bản"))
        # As the search gave them (the words typed, the law's words it added): the PDF gets them.
        self.doc_id, self.typed, self.law = doc_id, terms, law
        self.marks = marks_of(terms, law)
        self.number = number  # the official number a citation gave, searched if the text is missing
        self.start_key = str(article) if article else (f"p{page}" if page else None)
        # The clause the search's snippet showed: a 40-clause decree article opens there.
        self.start_clause = clause if article else None
        self.at_clause: str | None = None  # the clause shown, until the resident goes elsewhere
        self._reading: int | None = None  # where the text read starts, across a size change
        # A citation (Q&A, contest) names its clause and point: shown marked while on the article.
        self.start_cited: Cited | None = (
            (clause, point or "") if clause and point is not None else None
        )
        self.cited: Cited | None = None
        self.doc: DocumentView | None = None
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
        # The sentence of the newer text the status was read from, as that text words it.
        self.source_line = label("", "small", name="validity_source")
        self.source_line.hide()
        # One tap per text that changed this one (a law replaced by two has two).
        self.replacements = [
            button("", lambda i=i: self._open_replacement(i), name=f"replacement{i or ''}")
            for i in range(MAX_TARGETS)
        ]
        self.replacement = self.replacements[0]
        self._targets: list[Target] = []
        self._doc_targets: list[Target] = []
        self.notes: dict[str, Note] = {}
        self.layout_.addWidget(self.header)
        self.layout_.addWidget(self.meta)
        self.layout_.addWidget(self.banner)
        self.layout_.addWidget(self.source_line)
        self.layout_.addLayout(row(*self.replacements))
        self._show_targets([])
        self.tools = FlowLayout(spacing=self.theme.gap)
        from ui.qt import QWidget

        self.tools_box = tools_box = QWidget(objectName="reader_tools")
        tools_box.setLayout(self.tools)
        self.toc_button = button(tr("☰ Mục lục"), self.toggle_toc, checkable=True, name="toc")
        self.prev_button = button(tr("◀ Điều trước"), self.previous, name="prev")
        self.next_button = button(tr("Điều sau ▶"), self.next, name="next")
        self.bigger = button(tr(BIGGER), self.text_bigger, name="bigger")
        self._bigger_label()
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
        # Opened at a clause (the search's snippet, a citation): where the article starts.
        self.to_start = button("", self._to_article_start, name="to_article_start")
        self.to_start.hide()
        self.layout_.addWidget(self.to_start)
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
        self.qr = QrCode("qr_image")
        self.qr_text = label("", "small", name="qr_url")
        from ui.qt import QVBoxLayout
        from ui.qt import QWidget as W

        qr_box = W()
        qr_lay = QVBoxLayout(qr_box)
        self.qr_caption = label("", "title", name="qr_caption")
        qr_lay.addWidget(self.qr_caption)
        qr_lay.addWidget(self.qr, 1)
        qr_lay.addWidget(self.qr_text)
        self.qr_page = qr_box
        touch_scroll(self.text.viewport())
        touch_scroll(self.toc.viewport())
        for w in (self.text, self.toc, qr_box):
            self.pages.addWidget(w)
        self.layout_.addWidget(self.pages, 1)
        self.layout_.addWidget(not_advice())

    # ---------------------------------------------------------------- loading
    def _loaded(self, payload: tuple[DocumentView, Outline]) -> None:
        self.doc, self.outline = payload
        doc = self.doc
        self.shell.set_title(self, f"{doc.kind} {doc.number}".strip())
        self.header.setText(doc.title)
        issued, effective = day(doc.issued), day(doc.effective)
        self.meta.setText(
            " · ".join(
                x
                for x in (
                    f"{doc.kind} {doc.number}".strip(),
                    doc.issuer,
                    tr("Ban hành: {d}").format(d=issued),
                    tr("Hiệu lực từ: {d}").format(d=effective),
                    validity_text(doc.validity),
                )
                if x
            )
        )
        self._status_banner(doc)
        self.pdf_button.setVisible(bool(doc.pdf))
        self.scan = scan_view.attach(self, doc)  # a scan: the page image and an OCR note
        self._fill_toc()
        self.notes = article_notes(doc)
        self.show_section(self.outline.index_of(self.start_key))
        self.shell.record("document_open", doc.number)
        events.emit("document_open", doc_id=self.doc_id, article=self.current_key())

    def _failed(self, exc: BaseException) -> None:
        self.header.setText(self.shell.ctx.error_text(exc))
        self.tools_box.hide()  # nothing to read: no tools and no empty page, Back and Home stay
        self.pages.hide()
        if isinstance(exc, LibraryNotFound) and self.number:
            # A citation to a text this library lacks: still a next step, search its number
            # (a publication, a Q&A answer or a newer library may hold it).
            label_ = tr("Tìm văn bản: {n}").format(n=self.number)
            self._show_targets([("search", {"query": self.number, "label": label_})])
        events.emit("document_error", doc_id=self.doc_id, error=repr(exc))

    def _status_banner(self, doc: DocumentView) -> None:
        target = currency_target(doc)
        self._doc_targets = [target] if target else relation_targets(doc)
        if doc.in_force:
            return
        from ui.i18n import language

        notice = doc.status_notice if language() == "en" else doc.status_notice_vi
        self.banner.setText("⚠ " + (notice or validity_text(doc.validity)))
        self.banner.show()
        currency = doc.currency
        source = currency.source if currency else None
        if source and currency and (currency.validity == "not_in_force" or currency.kept):
            said = source.sentence
            said = said if len(said) <= 240 else said[:240].rsplit(" ", 1)[0] + " …"
            self.source_line.setText(f"{source.cite}: “{said}”")
            self.source_line.show()

    def _show_targets(self, targets: list[Target]) -> None:
        """The buttons under the banner: open the text that changed this one (at its
        article), or search for it when it is not in this library."""
        self._targets = targets[:MAX_TARGETS]
        for i, b in enumerate(self.replacements):
            b.setVisible(i < len(self._targets))
            b.setText(self._targets[i][1]["label"] if i < len(self._targets) else "")

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
        index = max(0, min(index, len(secs) - 1))
        self.cited = self.cited if index == self.index else None
        self.index, sec = index, secs[index]
        if self.start_clause and sec.key == self.start_key:
            self.cited, self.start_cited = self.start_cited, None
        note = self._note(sec)
        body = section_html(
            sec, self.marks, note.text or None, {"amended": "{by}"}, self.cited, note.in_force
        )
        target = note.target
        self._show_targets([target] if target else self._doc_targets)
        self.text.document().setDefaultStyleSheet(self.theme.mark_css())
        self.text.setHtml(f"<html><body>{body}</body></html>")
        self.text.verticalScrollBar().setValue(0)
        self._open_at_clause(sec)
        self.pages.setCurrentWidget(self.text)
        self.toc_button.setChecked(False)
        self.qr_button.setChecked(False)
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(secs) - 1)
        if self.scan is not None:
            self.scan.section_shown(sec)
        self.speaker.stop()
        events.emit("section", doc_id=self.doc_id, key=sec.key)

    def _open_at_clause(self, sec: Section) -> None:
        """The first time the start article shows, scroll to the clause the search's snippet
        or the citation named; once: coming back to the article starts at its top."""
        self.at_clause = None
        if self.start_clause and sec.key == self.start_key:
            self.text.scrollToAnchor(clause_anchor(self.start_clause))
            if self.text.verticalScrollBar().value() > 0:
                self.at_clause = self.start_clause
            self.start_clause = None
        self._clause_button()

    def _clause_button(self) -> None:
        """Opened at a clause: say so, with one tap to where the article starts."""
        if self.at_clause:
            key = self.current_key()
            text = tr("Đang xem khoản {k} · ▲ Về đầu Điều {a}").format(k=self.at_clause, a=key)
            self.to_start.setText(text)
        self.to_start.setVisible(bool(self.at_clause))

    def _top_position(self) -> int:
        """Where in the article the first line shown starts (0 at its top): read one line
        down, since the top pixels may be the margin below the paragraph before."""
        from ui.qt import QPoint

        if self.text.verticalScrollBar().value() == 0:
            return 0
        return self.text.cursorForPosition(QPoint(8, self.text.fontMetrics().height())).position()

    def _scroll_to(self, position: int) -> None:
        """Scroll so that the paragraph holding this position of the article is first shown:
        after the text grows, the same pixel offset would show an earlier clause."""
        doc = self.text.document()
        top = doc.documentLayout().blockBoundingRect(doc.findBlock(position)).top()
        self.text.verticalScrollBar().setValue(int(top) if position else 0)

    def _to_article_start(self) -> None:
        self.text.verticalScrollBar().setValue(0)
        self.at_clause = None
        self._clause_button()

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
        for n in range(self.toc.count()):
            item = self.toc.item(n)
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
        """One size bigger; from the biggest, back to the usual size (the button says so)."""
        nxt = TEXT_SIZES[(TEXT_SIZES.index(self.theme.text_size) + 1) % len(TEXT_SIZES)]
        self._reading = self._top_position()  # read before the new style reflows the text
        self.shell.ctx.theme = self.theme.with_(text_size=nxt)
        self.shell.apply_theme()

    def _bigger_label(self) -> None:
        biggest = self.theme.text_size == TEXT_SIZES[-1]
        self.bigger.setText(tr(SMALLER if biggest else BIGGER))

    def on_theme(self) -> None:
        page = self.pages.currentWidget()
        self._bigger_label()
        if self.outline.sections:
            top, at = self._reading or self._top_position(), self.at_clause
            self._reading = None
            self.show_section(self.index)
            self._scroll_to(top)  # the line the resident was reading, not the same pixels
            self.at_clause = at  # bigger text: still where the search led
            self._clause_button()
        if page is self.toc:
            self.toc_button.setChecked(True)
            self.toggle_toc()

    # ---------------------------------------------------------------- tools
    def _tool_message(self, reason: str) -> None:
        """Say plainly what did not work and what to do instead (QR, copy the article)."""
        title, what, steps = TOOL_MESSAGES[reason]
        has_qr = official_link(self.doc) is not None
        actions = [("message_qr", tr("Xem mã QR"), self._back_to_qr)] if has_qr else []
        self.shell.navigate(
            "message",
            title=tr(title),
            text=tr(what),
            steps=[tr(s) for s in steps if has_qr or s != QR_STEP],
            note=self._reference() if COPY_STEP in steps else "",
            actions=actions,
        )

    def _reference(self) -> str:
        """What to copy down to find this text again (reader_tools.reference)."""
        secs = self.outline.sections
        return reference(self.doc, secs[self.index].label if secs else "", self.at_clause)

    def _back_to_qr(self) -> None:
        self.shell.back()
        self.qr_button.setChecked(True)
        self.show_qr()

    def read_aloud(self) -> None:
        if self.speaker.speaking:
            self.speaker.stop()
            return
        secs = self.outline.sections
        if not secs:
            return
        try:
            self.speaker.speak(plain_text(secs[self.index], from_clause=self.at_clause))
        except ToolUnavailable as exc:
            self._tool_message(exc.args[0])

    def print_section(self) -> None:
        secs, doc = self.outline.sections, self.doc
        if not secs or doc is None:
            return
        session = self.shell.session
        left = self.shell.ctx.settings.print_limit - session.printed_pages
        if left <= 0:
            self._tool_message("print_limit")
            return
        try:
            session.printed_pages += print_html(self.printable(), left)
            events.emit("printed", pages=session.printed_pages)
        except ToolUnavailable as exc:
            self._tool_message(exc.args[0])

    def printable(self) -> str:
        """HTML of what the print button prints (reader_tools.printable_html)."""
        sec = self.outline.sections[self.index]
        return printable_html(self.doc, sec, self._note(sec), self.at_clause)

    def _note(self, sec: Section) -> Note:
        """What the reader says under this article's title (reader_currency)."""
        note = self.notes.get(sec.key)
        if note is None and sec.node is not None and self.doc is not None:
            note = unnamed_note(self.doc, sec.key)
        return note or NO_NOTE

    def show_qr(self) -> None:
        if not self.qr_button.isChecked():
            self.pages.setCurrentWidget(self.text)
            return
        link = official_link(self.doc)
        if link is None:
            self.qr_button.setChecked(False)
            self.shell.show_message(
                tr("Chưa có mã QR"), tr("Văn bản này chưa có đường dẫn nguồn chính thức.")
            )
            return
        self.qr.set_data(link.url)
        self.qr_caption.setText(link.caption)
        self.qr_text.setText(unquote(link.url))  # Đ as Đ, not %C4%90
        self.toc_button.setChecked(False)
        self.pages.setCurrentWidget(self.qr_page)

    def open_pdf(self) -> None:
        if self.doc is None:
            return  # the button shows once the document is loaded
        self.shell.navigate(
            "pdf", file=self.doc.pdf, title=self.doc.title, terms=self.typed, law=self.law
        )

    def _open_replacement(self, i: int = 0) -> None:
        if i >= len(self._targets):
            return
        kind, where = self._targets[i]
        if kind == "open":
            self.shell.navigate("reader", doc_id=where["doc_id"], article=where.get("article"))
        else:
            self.shell.navigate("search", query=where["query"])

    def wipe(self) -> None:
        self.speaker.stop()
        self.shell.session.close_doc(self.doc_id)

    def hideEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        self.speaker.stop()
        super().hideEvent(ev)


register_screen("reader", lambda shell, **kw: ReaderScreen(shell, **kw))
