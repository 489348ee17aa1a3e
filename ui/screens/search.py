"""Search: type (on-screen keyboard), see article hits as you type, tap one to read it.

Every query runs on the library thread after a short debounce, through a latest-wins slot
(ui.ops.LatestSlot): a newer query replaces a queued one and cancels the one running, so
at most one search waits behind another and a stale answer is never shown. The field
takes at most analysis.MAX_QUERY_CHARS characters (a paste is cut there). Empty and
no-result states always offer a next step: popular topics, spelling help, and asking a
question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kiosk import stats
from offline_index.analysis import MAX_QUERY_CHARS, analyse_query
from offline_index.document_view import where_line
from offline_index.errors import LawShelfError
from offline_index.search_types import Hit, SearchFilters, SearchResult, Suggestion
from ui import events
from ui.i18n import N_, number, tr
from ui.qt import QLineEdit, QTimer, QWidget
from ui.screens.bookshelf import open_publication, publication_item
from ui.screens.registry import has_screen, register_screen
from ui.scrolling import scroller
from ui.widgets import (
    LAPSED_ANSWER,
    Card,
    FlowLayout,
    Screen,
    button,
    chip_row,
    clear_layout,
    label,
    mark_html,
    row,
    validity_text,
)

if TYPE_CHECKING:
    from offline_index.library import Library
    from ui.shell import Shell

DEBOUNCE_MS = 150
# A number the library does not hold (the text that replaced a repealed one, often): the
# spelling hint sent residents looking for a typo that was not there.
NOT_HELD = N_(
    "Máy này chưa có văn bản mang số hiệu này: văn bản có thể mới ban hành, chưa được đưa vào"
    " thư viện. Hãy hỏi cán bộ thư viện, hoặc mở văn bản cũ và quét mã QR để đọc trên trang"
    " chính thức."
)
# The kinds filtered on, as the library names them; a chip shows tr(kind).
KINDS = (
    N_("Luật"),
    N_("Bộ luật"),
    N_("Nghị định"),
    N_("Thông tư"),
    N_("Nghị quyết"),
    N_("Quyết định"),
    N_("Án lệ"),
)
SCOPES = (("central", N_("Trung ương")), ("hanoi", N_("Hà Nội")), ("local", N_("Địa phương")))


@dataclass
class Answer:
    query: str
    result: SearchResult
    suggestions: list[Suggestion] = field(default_factory=list)
    topic: str = ""  # what it was about, in the library's words (usage counts; never the query)
    lacks_number: bool = False  # no hit for a document number: the library lacks that text


def _never() -> bool:
    return False


def run_search(
    lib: Library, text: str, filters: SearchFilters, cancelled: Callable[[], bool] = _never
) -> Answer:
    """Runs on the library thread; `cancelled()` turns True once a newer query supersedes
    this one, and the engine stops early on it."""
    result = lib.search(text, limit=20, filters=filters, cancel=cancelled)
    suggestions = lib.suggest(text, limit=4) if len(text) >= 2 and not cancelled() else []
    lacks = not result.hits and analyse_query(text).number_only
    return Answer(text, result, suggestions, usage_topic(lib, result.hits), lacks)


def chip_text(s: Suggestion) -> str:
    """A suggested title; one no longer in force says so, with its number (`Luật Doanh
    nghiệp` was two laws, 2014 and 2020, and only one of them applies)."""
    if s.validity != "not_in_force":
        return s.title
    return f"⚠ {validity_text(s.validity)} · {s.title} {s.number}".strip()


def usage_topic(lib: Library, hits: list[Hit]) -> str:
    """kiosk.stats.search_topic, with the field of a Q&A answer looked up."""
    qa_field = None
    if hits and hits[0].hit_type == "qa":
        try:
            fields = lib.qa_entry(hits[0].key.split(":", 1)[1]).fields
            qa_field = fields[0] if fields else None
        except (LawShelfError, LookupError):
            qa_field = None
    return stats.search_topic(hits, qa_field)


def load_facets(lib: Library) -> dict[str, list]:
    years = sorted({d.year for d in lib.documents() if d.year}, reverse=True)
    fields = [f for f, _n in lib.fields()[:10]]
    return {"fields": fields, "years": years[:8], "topics": [t.text for t in lib.popular_topics()]}


class SearchScreen(Screen):
    def __init__(self, shell: Shell, query: str = "") -> None:
        super().__init__(shell, tr("Tra cứu pháp luật"))
        self.filters = SearchFilters()
        self.latest = 0
        self.answer: Answer | None = None
        self.popular: list[str] = []  # the library's topic chips, once its facets are read
        self.searches = shell.ctx.ops.latest("library")
        self._build()
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        self.query.textChanged.connect(self._typed)
        self.query.returnPressed.connect(self._entered)
        self.compact = False
        self._watch_keyboard()
        shell.with_library(load_facets, self._facets, on_error=lambda exc: None, owner=self)
        if query:
            self.query.setText(query)
        self._show_empty()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.query = QLineEdit(objectName="query")
        self.query.setMaxLength(MAX_QUERY_CHARS)
        self.query.setPlaceholderText(tr("Gõ điều bạn cần tìm, ví dụ: phat vuot den do xe may"))
        self.query.setClearButtonEnabled(False)
        clear = button(tr("Xóa"), self.clear, name="clear")
        self.filter_button = button(
            tr("Bộ lọc"), self._toggle_filters, checkable=True, name="filters_toggle"
        )
        self.layout_.addLayout(row(self.query, clear, self.filter_button, stretch_index=0))
        self.filter_panel = QWidget(objectName="filter_panel")
        self.filter_flow = FlowLayout(self.filter_panel, spacing=self.theme.gap)
        self.filter_panel.hide()
        self.layout_.addWidget(self.filter_panel)
        self.suggest_box = QWidget(objectName="suggestions")
        self.suggest_flow = FlowLayout(self.suggest_box, spacing=self.theme.gap)
        self.layout_.addWidget(self.suggest_box)
        self.dym = button("", self._accept_dym, name="did_you_mean")
        self.dym.hide()
        self.layout_.addWidget(self.dym)
        self.status = label("", "small", name="status")
        self.layout_.addWidget(self.status)
        self.results = QWidget(objectName="results")
        from ui.qt import QVBoxLayout

        self.results_lay = QVBoxLayout(self.results)
        self.results_lay.setSpacing(self.theme.gap)
        self.results_lay.addStretch(1)
        self.area = scroller(self.results)
        self.layout_.addWidget(self.area, 1)
        self._filter_chips()

    def _filter_chips(self, facets: dict[str, list] | None = None) -> None:
        clear_layout(self.filter_flow)
        self.chips: dict[str, list] = {}
        groups = [
            ("kind", [(k, tr(k)) for k in KINDS]),
            ("scope", [(v, tr(t)) for v, t in SCOPES]),
            ("field", [(f, f) for f in (facets or {}).get("fields", [])]),
            ("year", [(y, str(y)) for y in (facets or {}).get("years", [])]),
            ("validity", [("in_force", tr("Chỉ văn bản còn hiệu lực"))]),
        ]
        for group, options in groups:
            for value, text in options:
                chip = button(
                    text,
                    lambda g=group, v=value: self.set_filter(g, v),
                    role="chip",
                    checkable=True,
                    name=f"chip_{group}_{value}",
                )
                chip.setChecked(getattr(self.filters, group) == value)
                self.filter_flow.addWidget(chip)
                self.chips.setdefault(group, []).append((value, chip))

    # ------------------------------------------------------ on-screen keyboard
    def _watch_keyboard(self) -> None:
        """The keyboard takes about half the screen: while it is up, results are one line
        each so four or five fit above it; scrolling or tapping the results puts it away."""
        from ui.qt import QGuiApplication

        im = QGuiApplication.inputMethod()
        im.visibleChanged.connect(self._keyboard_changed)
        bar = self.area.verticalScrollBar()
        bar.sliderPressed.connect(self.hide_keyboard)
        bar.actionTriggered.connect(lambda _action: self.hide_keyboard())  # wheel, track taps
        from ui.qt import QScroller

        QScroller.scroller(self.area.viewport()).stateChanged.connect(
            lambda state: state == QScroller.State.Dragging and self.hide_keyboard()
        )
        self.area.viewport().installEventFilter(self)
        self.results.installEventFilter(self)

    def eventFilter(self, obj: Any, ev: Any) -> bool:  # noqa: N802 - Qt override
        from ui.qt import QEvent

        if ev.type() in (QEvent.Type.Wheel, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.hide_keyboard()
        return False

    def hide_keyboard(self) -> None:
        from ui.qt import QGuiApplication

        if QGuiApplication.inputMethod().isVisible():
            QGuiApplication.inputMethod().hide()
        self.set_compact(False)

    def _keyboard_changed(self) -> None:
        from ui.qt import QGuiApplication

        self.set_compact(QGuiApplication.inputMethod().isVisible())

    def set_compact(self, compact: bool) -> None:
        """One-line result rows (keyboard up) or full cards with snippets (keyboard down)."""
        if compact == self.compact:
            return
        self.compact = compact
        gap, tight = self.theme.gap, self.theme.mm(1)
        self.results_lay.setSpacing(tight if compact else gap)
        self.layout_.setSpacing(tight if compact else gap)  # every pixel above the keyboard
        edge = tight if compact else gap
        self.layout_.setContentsMargins(gap, edge, gap, edge)
        self.suggest_box.setVisible(not compact and self.suggest_flow.count() > 0)
        if self.answer is not None and self.answer.result.hits:
            self._show_results(self.answer)

    def _facets(self, facets: dict[str, list]) -> None:
        self._filter_chips(facets)
        topics = [str(t) for t in facets.get("topics", [])]
        if topics == self.popular:
            return
        self.popular = topics  # the help (empty or no results) shows the library's topics
        if not self.query.text().strip():
            self._show_empty()
        elif self.answer is not None and not self.answer.result.hits:
            self._show_results(self.answer)

    # ----------------------------------------------------------------- actions
    def _typed(self, text: str) -> None:
        self.shell.session.query = text
        self.debounce.start()

    def _entered(self) -> None:
        """The keyboard's Enter: the resident has finished typing, so the results are searched
        at once and shown in full, the keyboard put away (it hid all but four one-line rows).
        The field gives up the focus: Qt Virtual Keyboard raised itself again for a focused
        field (seen under Xvfb); a tap on the field brings it back. Text already searched is
        not searched again: each search counts once in the usage report."""
        if self.debounce.isActive():
            self.search_now()
        self.query.clearFocus()
        self.hide_keyboard()

    def clear(self) -> None:
        self.query.clear()
        self.filters = SearchFilters()
        self._filter_chips(None)
        self.shell.with_library(load_facets, self._facets, on_error=lambda exc: None, owner=self)
        self._show_empty()

    def _toggle_filters(self) -> None:
        self.filter_panel.setVisible(self.filter_button.isChecked())

    def set_filter(self, group: str, value: Any) -> None:
        current = getattr(self.filters, group)
        self.filters = replace(self.filters, **{group: None if current == value else value})
        for v, chip in self.chips.get(group, []):
            chip.setChecked(getattr(self.filters, group) == v)
        self.search_now()

    def search_now(self) -> None:
        self.debounce.stop()
        text = self.query.text().strip()
        if not text:
            self._show_empty()
            return
        self.status.setText(tr("Đang tìm…"))
        filters = self.filters
        self.latest += 1
        seq = self.latest
        call = self.shell.ctx.call_library
        self.searches.submit(
            lambda cancelled: call(lambda lib: run_search(lib, text, filters, cancelled)),
            lambda a: self._answered(a, seq),
            on_error=self._failed,
            owner=self,
        )
        events.emit("search_sent", query=text)

    def _answered(self, answer: Answer, seq: int) -> None:
        if seq != self.latest:
            return  # an older query; the newer answer is on its way
        self.answer = answer
        self.shell.session.note("search:" + answer.query)
        self.shell.record("search", answer.topic)  # never the typed text (issue 18)
        self._show_results(answer)
        events.emit(
            "results",
            query=answer.query,
            total=answer.result.total,
            first=answer.result.hits[0].key if answer.result.hits else None,
        )

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.shell.ctx.error_text(exc))

    def _accept_dym(self) -> None:
        if self.answer and self.answer.result.did_you_mean:
            self.query.setText(self.answer.result.did_you_mean)
            self.search_now()

    # ----------------------------------------------------------------- results
    def _clear_results(self) -> None:
        clear_layout(self.results_lay, keep=1)  # the closing stretch

    def _add(self, widget: QWidget) -> None:
        self.results_lay.insertWidget(self.results_lay.count() - 1, widget)

    def _show_results(self, answer: Answer) -> None:
        self._clear_results()
        res = answer.result
        self._suggestions(answer.suggestions)
        self.dym.setVisible(bool(res.did_you_mean))
        if res.did_you_mean:
            self.dym.setText(tr("Có phải bạn muốn tìm: «{q}»?").format(q=res.did_you_mean))
        if not res.hits:
            self.status.setText(tr("Không tìm thấy kết quả cho «{q}».").format(q=answer.query))
            self._help(no_results=True, number=answer.lacks_number)
            return
        status = tr("{n} kết quả").format(n=number(res.total))
        if getattr(res, "partial", False):  # the engine stopped at its time budget
            status += " · " + tr("Tìm quá lâu nên chưa xét hết; gõ ít từ hơn để có kết quả đầy đủ.")
        self.status.setText(status)
        if res.missing and not self.compact:
            self._add(self._missing_note(res.missing))
        for i, hit in enumerate(res.hits):
            lines = self._compact_line(hit) if self.compact else self._hit_lines(hit)
            # While typing, one line each, as promised: a long article title is cut with `…`.
            card = Card(
                lines,
                name=f"hit_{i}",
                role="hit",
                one_line=self.compact,
                min_height=self.theme.target,
            )
            card.clicked.connect(lambda h=hit: self.open_hit(h))
            self._add(card)
        self.area.verticalScrollBar().setValue(0)

    @staticmethod
    def _missing_note(missing: list[str]) -> QWidget:
        """The best hit matched only part of a topic search: say which words it lacks, so
        `vứt rác bừa bãi` is not read as answered by `Tội … vứt bỏ con mới đẻ`."""
        words = ", ".join(f"«{w}»" for w in missing)
        text = tr("Lưu ý: kết quả đầu tiên không có từ {words}; có thể không nói về việc bạn tìm.")
        return label(text.format(words=words), "notice", name="missing_words")

    def _compact_line(self, hit: Hit) -> list[tuple[str, str, bool]]:
        """While typing: what and where on one line; a text no longer in force says so."""
        head, where = self._head_where(hit)
        short = hit.doc_number or where
        # The number first: a cut title must not hide which decree (168/2024 or 100/2019).
        text = head if short in head else f"{short} · {head}"
        if hit.validity == "not_in_force":
            text = "⚠ " + validity_text(hit.validity) + " · " + text
        return [(text, "", False)]

    @staticmethod
    def _validity_line(hit: Hit) -> str:
        """The hit's status; for a text no longer in force, what replaced it: a resident
        reads at once which law applies now, even one this library does not hold."""
        text = validity_text(hit.validity)
        if hit.validity == "not_in_force" and hit.replaced_by:
            text += " · " + tr("Văn bản thay thế: {n}").format(n=hit.replaced_by)
        return f"⚠ {text}" if hit.validity == "not_in_force" else text  # a warning, not a button

    @staticmethod
    def _head_where(hit: Hit) -> tuple[str, str]:
        """The big line names what the resident will read (an article, the question itself,
        a publication); the small line says where it comes from."""
        where = f"{hit.doc_number} · {hit.doc_title}" if hit.doc_number else hit.doc_title
        if hit.hit_type == "article" and hit.article:
            head = tr("Điều {n}").format(n=hit.article)
            head += f". {hit.article_title}" if hit.article_title else ""
            # Which part of the law: `trợ cấp tuất` of the voluntary or the compulsory regime.
            # A decree's long title and headings are cut: the reader shows them whole.
            where = where_line(where, hit.part)
        elif hit.hit_type == "page" and hit.page:
            head, where = hit.doc_title, tr("Trang {n}").format(n=hit.page)
        elif hit.hit_type == "qa":
            head, where = hit.article_title or hit.doc_title, tr("Hỏi đáp")
        else:
            head = hit.article_title or hit.doc_title
        return head, where

    def _hit_lines(self, hit: Hit) -> list[tuple[str, str, bool]]:
        head, where = self._head_where(hit)
        lines = [
            (head, "title", False),
            (where, "small", False),
            (mark_html(hit.snippet, self.theme), "", True),
        ]
        if hit.hit_type in ("article", "page") and hit.validity:
            role = "banner" if hit.validity == "not_in_force" else "small"
            lines.append((self._validity_line(hit), role, False))
        elif hit.hit_type == "qa" and hit.validity == "not_in_force":
            lines.append((tr(LAPSED_ANSWER), "banner", False))
        return lines

    def _suggestions(self, suggestions: list[Suggestion]) -> None:
        clear_layout(self.suggest_flow)
        for s in suggestions:
            chip = button(chip_text(s), lambda d=s.doc_id: self.open_doc(d), role="chip")
            self.suggest_flow.addWidget(chip)
        self.suggest_box.setVisible(bool(suggestions) and not self.compact)

    def _show_empty(self) -> None:
        self._clear_results()
        self._suggestions([])
        self.dym.hide()
        self.status.setText(
            tr("Gõ vài từ, có dấu hoặc không dấu, hoặc số hiệu văn bản (vd 100/2019).")
        )
        self._help(no_results=False)

    def _help(self, no_results: bool, number: bool = False) -> None:
        if no_results and number:  # a text this library does not hold: spelling is not it
            self._add(label(tr(NOT_HELD), "notice", name="number_help"))
        elif no_results:
            self._add(
                label(
                    tr(
                        "Gợi ý: kiểm tra chính tả; gõ ít từ hơn; gõ không dấu cũng được "
                        "(vd «ly hon»); hoặc bỏ bộ lọc."
                    ),
                    "notice",
                    name="spelling_help",
                )
            )
        if self.popular:
            self._add(label(tr("Nhiều người tìm:"), "title"))
            chips = [(t, lambda t=t: self._popular(t)) for t in self.popular]
            self._add(chip_row(chips, name="popular")[0])
        ask = button(
            tr("Không thấy câu trả lời? Gửi câu hỏi cho cán bộ pháp lý"),
            lambda: self.shell.navigate("qa"),
            name="ask",
        )
        ask.setEnabled(has_screen("qa"))
        self._add(ask)

    def _popular(self, text: str) -> None:
        self.query.setText(text)
        self.search_now()

    def open_hit(self, hit: Hit) -> None:
        self.shell.session.note(f"doc:{hit.doc_id}#{hit.article or hit.page or ''}")
        if hit.hit_type == "qa" and has_screen("qa_entry"):
            self.shell.navigate("qa_entry", qa_id=hit.key.split(":", 1)[1])
        elif hit.hit_type == "notice":
            self.shell.navigate("notices")
        elif hit.key.startswith("pub:"):  # index_units.publication_records: `pub:<id>`
            pub_id, page, marks = hit.doc_id.removeprefix("pub:"), hit.page or 1, self.marks()
            law = self.law_words()
            self.shell.with_library(
                lambda lib: publication_item(lib.publication(pub_id)),
                lambda it: open_publication(self.shell, it, page, terms=marks, law=law),
                on_error=self._failed,
                owner=self,
            )
        else:
            self.shell.navigate(
                "reader",
                doc_id=hit.doc_id,
                article=hit.article,
                page=hit.page,
                terms=self.marks(),
                law=self.law_words(),
                clause=hit.clause,
            )

    def open_doc(self, doc_id: str) -> None:
        self.shell.navigate("reader", doc_id=doc_id, terms=self.marks(), law=self.law_words())

    def marks(self) -> str:
        """What the reader marks: the words typed."""
        return self.query.text().strip()

    def law_words(self) -> str:
        """And the law's wording the search added for everyday words, as it read them (the
        snippets marked them too)."""
        answer = self.answer
        res = answer.result if answer and answer.query == self.marks() else None
        return " ".join([*res.marks, *res.meant] if res else [])

    def on_shown(self) -> None:
        """Focus the query and raise the on-screen keyboard (a tap would do the same)."""
        from ui.qt import QGuiApplication

        self.query.setFocus()
        QGuiApplication.inputMethod().show()

    def wipe(self) -> None:
        self.debounce.stop()
        self.searches.cancel()
        self.query.clear()


register_screen("search", lambda shell, **kw: SearchScreen(shell, **kw))
