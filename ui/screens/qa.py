"""Hỏi đáp: search Q&A entries (same engine, hit_type "qa"), read one with its fine and citations.

Traffic-fine entries read as a lookup: the fine in large type, the extra penalties, the
remedial measures, and each cited điểm/khoản/Điều one tap away in the reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.questions import qa_query
from offline_index.search_types import SearchFilters
from ui.i18n import N_, tr
from ui.qt import QGuiApplication, QHBoxLayout, QLineEdit, QTimer, QWidget
from ui.screens.citations import citation_text, cited_names, open_citation
from ui.screens.registry import register_screen
from ui.scrolling import scroller
from ui.widgets import (
    LAPSED_ANSWER,
    Card,
    Screen,
    button,
    clear_layout,
    label,
    mark_html,
    not_advice,
    validity_text,
)

if TYPE_CHECKING:
    from offline_index.library import Library
    from offline_index.model import Citation, QAEntry
    from offline_index.search_types import Hit
    from ui.shell import Shell

QA_KIND = "Hỏi đáp"
LAPSED = N_(
    "Câu trả lời này dựa trên quy định nay đã hết hiệu lực ({c}). Quy định hiện hành có thể"
    " khác: hãy đọc văn bản đang có hiệu lực hoặc hỏi cán bộ tư pháp phường/xã."
)
Loaded = tuple["QAEntry", dict[str, str], tuple["Citation", ...]]  # entry, names, lapsed


class SessionBound:
    """Mixin: `wipe()` runs on every session wipe while the screen is on the stack.

    The hook is dropped when the shell removes the screen, so closed screens are not kept
    alive (or called) by the session.
    """

    def bind_session(self) -> None:
        self.shell.session.register_wipe_hook(self.wipe)

    def hideEvent(self, ev: Any) -> None:  # noqa: N802 - Qt override
        if self.shell.stack.indexOf(self) == -1:
            self.wipe()
            self.shell.session.unregister_wipe_hook(self.wipe)
        super().hideEvent(ev)


class QAScreen(SessionBound, Screen):
    """Search box, Q&A hits, and the ways to ask a question or read a ticket's answer."""

    def __init__(self, shell: Shell, query: str = "") -> None:
        super().__init__(shell, tr("Hỏi đáp pháp luật"))
        self.query = QLineEdit(objectName="qa_query")
        self.query.setPlaceholderText(tr("Gõ câu hỏi, ví dụ: vượt đèn đỏ xe máy phạt bao nhiêu"))
        self.query.textChanged.connect(lambda _t: self._debounce.start())
        self.layout_.addWidget(self.query)
        self.actions = QWidget(objectName="qa_actions")
        actions = QHBoxLayout(self.actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(button(tr("Đặt câu hỏi mới"), self.ask, role="primary", name="ask"))
        actions.addWidget(
            button(
                tr("Xem trả lời theo mã phiếu"),
                lambda: shell.navigate("ask", mode="ticket"),
                name="ticket",
            )
        )
        self.layout_.addWidget(self.actions)
        self.status = label("", "small", name="qa_status")
        self.layout_.addWidget(self.status)
        # Q&A holds the questions someone has answered; the laws hold the rest. A resident
        # whose question is not among them should not have to type it again to search.
        self.to_search = button(tr("Tìm trong văn bản pháp luật"), self.search_laws, name="qa_laws")
        self.to_search.hide()
        self.layout_.addWidget(self.to_search)
        self.results = Screen(shell)
        self.layout_.addWidget(scroller(self.results), 1)
        self.cards: list[Card] = []
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.search)
        self._seq = 0
        self.compact = False
        self._shown: list[Hit] | list[QAEntry] = []
        QGuiApplication.inputMethod().visibleChanged.connect(self._keyboard_changed)
        self.bind_session()
        self.query.setText(query)
        self.search()

    def search(self) -> None:
        text = self.query.text().strip()
        self._seq += 1
        seq = self._seq

        def run(lib: Library) -> list[Hit] | list[QAEntry]:
            if text:
                return lib.search(
                    qa_query(text), limit=20, filters=SearchFilters(kind=QA_KIND)
                ).hits
            return lib.qa_entries(public=True, limit=30)  # no private answers

        self.shell.with_library(run, lambda res: self._show(seq, res), owner=self)

    def _keyboard_changed(self) -> None:
        self.set_compact(QGuiApplication.inputMethod().isVisible())

    def set_compact(self, compact: bool) -> None:
        """While the keyboard is up (about half the screen) the questions alone, without the
        answer's first lines or the buttons: three fit above it, not one. All come back when
        it goes, or when nothing was found (the way on is to ask, or to search the laws)."""
        if compact == self.compact:
            return
        self.compact = compact
        self._show(self._seq, self._shown)

    def _show(self, seq: int, results: list[Hit] | list[QAEntry]) -> None:
        if seq != self._seq:
            return  # an older search finished late
        self._shown = results
        self.cards = []
        lay = self.results.layout_
        clear_layout(lay)
        for item in results:
            if hasattr(item, "snippet"):  # a search hit
                qa_id, title, snippet = (
                    item.doc_id.removeprefix("qa:"),
                    item.doc_title,
                    item.snippet,
                )
                lines = [(title, "title", False), (mark_html(snippet, self.theme), "", True)]
                lines = lines[:1] if self.compact else lines
                if item.validity == "not_in_force":
                    lines.append((tr(LAPSED_ANSWER), "banner", False))
            else:  # an entry listed without a query
                qa_id = item.id
                lines = [(item.question, "title", False)]
            card = Card(lines, name=f"qa_{qa_id}")
            card.clicked.connect(lambda i=qa_id: self.shell.navigate("qa_entry", qa_id=i))
            lay.addWidget(card)
            self.cards.append(card)
        lay.addStretch(1)
        asked = bool(self.query.text().strip())
        self.status.setText(
            tr("Không có câu hỏi nào giống câu của bạn. Bạn có thể tìm trong văn bản pháp luật "
               "hoặc đặt câu hỏi mới.")
            if asked and not results
            else ""
        )  # fmt: skip
        self.status.setVisible(bool(self.status.text()))  # an empty line is a gap above the list
        room = not self.compact or not results
        self.actions.setVisible(room)
        self.to_search.setVisible(asked and room)

    def ask(self) -> None:
        """The question form, holding what was typed here."""
        self.shell.navigate("ask", question=self.query.text().strip())

    def search_laws(self) -> None:
        """The same words in the law search."""
        self.shell.navigate("search", query=self.query.text().strip())

    def wipe(self) -> None:
        self.query.clear()


class QAEntryScreen(Screen):
    """One entry: question, answer, fine, extra penalties, remedial, cited articles."""

    def __init__(
        self,
        shell: Shell,
        qa_id: str = "",
        entry: QAEntry | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        """qa_id: read from the library; or `entry` (a ticket's answer) with `names`, the
        laws it cites as cited_names gave them (shown at once, no second library trip)."""
        super().__init__(shell, tr("Hỏi đáp pháp luật"))
        self.inner = Screen(shell)
        self.layout_.addWidget(scroller(self.inner, more_below=True), 1)
        self.citations: list[Citation] = []
        if entry is not None:
            self._show((entry, names or {}, ()))
            cites = entry.citations
            shell.with_library(lambda lib: lib.lapsed(cites), self._lapsed, owner=self)
        else:
            shell.with_library(lambda lib: self._load(lib, qa_id), self._show, owner=self)

    @staticmethod
    def _load(lib: Library, qa_id: str) -> Loaded:
        """On the library thread: the entry, the names of the laws it cites, and which of
        its citations are no longer in force."""
        entry = lib.qa_entry(qa_id)
        return entry, cited_names(lib, entry.citations), lib.lapsed(entry.citations)

    def _lapsed(self, lapsed: tuple[Citation, ...]) -> None:
        """A ticket's answer, shown at once: said again if a text it relies on has lapsed."""
        if lapsed:
            clear_layout(self.inner.layout_)
            self.citations.clear()
            self._show((self.entry, self.names, lapsed))

    def _show(self, loaded: Loaded) -> None:
        e, names, lapsed = loaded
        self.entry, self.names = e, names
        lay = self.inner.layout_
        lay.addWidget(label(e.question, "title", name="qa_question"))
        if lapsed:  # an answer written under a text since replaced: not the law as it stands
            cites = "; ".join(citation_text(c, names) for c in lapsed)
            lay.addWidget(label("⚠ " + tr(LAPSED).format(c=cites), "banner", name="qa_lapsed"))
        if e.fine:
            lay.addWidget(label(tr("Mức phạt: {f}").format(f=e.fine), "banner", name="qa_fine"))
        if e.subject:
            lay.addWidget(label(tr("Áp dụng với: {s}").format(s=e.subject), "small"))
        if e.extra_penalties:
            lay.addWidget(
                label(
                    tr("Hình thức xử phạt bổ sung: {p}").format(p=e.extra_penalties),
                    "notice",
                    name="qa_extra",
                )
            )
        if e.remedial:
            lay.addWidget(
                label(tr("Biện pháp khắc phục hậu quả: {r}").format(r=e.remedial), "notice")
            )
        shown = (
            tr("Mức phạt:"),
            tr("Hình thức xử phạt bổ sung:"),
            "Mức phạt:",
            "Hình thức xử phạt bổ sung:",
        )
        answer = "\n".join(
            line for line in e.answer.splitlines() if not (e.fine and line.startswith(shown))
        )  # said above already
        lay.addWidget(label(answer, name="qa_answer"))
        for i, c in enumerate(e.citations):
            self.citations.append(c)
            lay.addWidget(
                button(
                    tr("Đọc căn cứ: {c}").format(c=citation_text(c, names))
                    + (" · " + validity_text("not_in_force") if c in lapsed else ""),
                    lambda c=c: self.open_citation(c),
                    name=f"qa_cite_{i}",
                    wrap=True,
                )
            )
        lay.addWidget(not_advice())
        lay.addStretch(1)

    def open_citation(self, c: Citation) -> None:
        open_citation(self.shell, c)


register_screen("qa", lambda shell, **kw: QAScreen(shell, **kw))
register_screen("qa_entry", lambda shell, **kw: QAEntryScreen(shell, **kw))
