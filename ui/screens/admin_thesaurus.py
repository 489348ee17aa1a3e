"""Everyday words (Từ ngữ đời thường): the thesaurus the library searches with, for the librarian.

Each entry is what residents say and the law's wording the search adds for it
(offline_index/thesaurus.py: release content, which the publisher extends). The table is read
on the library thread; the filter is `offline_index.thesaurus.matching`, the same as
`lawshelf thesaurus WORD`. Several hundred entries scroll in one item view (rows painted by a
delegate, laid out once per width) rather than as hundreds of widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from offline_index import thesaurus as ths
from ui.i18n import N_, number, tr
from ui.qt import (
    QColor,
    QEvent,
    QFont,
    QFontMetrics,
    QLineEdit,
    QObject,
    QPainter,
    QRect,
    QSize,
    Qt,
    QtCore,
    QtWidgets,
    QWidget,
)
from ui.screens.admin import register_admin
from ui.scrolling import MoreBelow, touch_scroll
from ui.widgets import Screen, button, label, row

if TYPE_CHECKING:
    from offline_index.library import Library
    from offline_index.model import ThesaurusEntry
    from ui.shell import Shell
    from ui.theme import Theme

ROOMY_TARGETS = 8  # note and column names show on a screen this many targets high
LEFT = 0.36  # the share of a row (and of the header) for the everyday words
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
WRAP = int(Qt.TextFlag.TextWordWrap)


class EntryModel(QtCore.QAbstractListModel):
    """The entries shown (the filtered list); DisplayRole is `everyday → legal`."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[ThesaurusEntry] = []

    def set_entries(self, entries: list[ThesaurusEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: QtCore.QModelIndex | None = None) -> int:  # noqa: N802 - Qt
        return 0 if parent is not None and parent.isValid() else len(self.entries)

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == ENTRY_ROLE:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{entry.everyday} → {entry.legal}"
        return None


def detail_text(entry: ThesaurusEntry) -> str:
    """The fields of law an entry belongs to, whether it needs diacritics, and the publisher's
    note, on one small line."""
    parts = [tr("Lĩnh vực: {f}").format(f=", ".join(entry.fields))] if entry.fields else []
    if entry.accented_only:  # `chó` typed as `cho` is another word: the entry does not fire
        parts.append(tr("chỉ khi gõ có dấu"))
    return " · ".join([*parts, entry.note] if entry.note else parts)


Piece = tuple[QRect, QFont, str, str]  # where, in which font, the text, the palette colour


class EntryDelegate(QtWidgets.QStyledItemDelegate):
    """One entry as a touch-sized row: the everyday words large and bold on the left, the law's
    wording as large on the right, with its fields below in small text. Text wraps, never clips; row heights are
    cached per text and width, so filtering and scrolling do not measure text again."""

    def __init__(self, view: QtWidgets.QListView, theme: Theme) -> None:
        super().__init__(view)
        self.theme = theme
        self._heights: dict[tuple[str, str, str, int], int] = {}

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._heights.clear()

    def _fonts(self, base: QFont) -> tuple[QFont, QFont, QFont]:
        t = self.theme
        big, body, small = QFont(base), QFont(base), QFont(base)
        big.setPixelSize(t.title_px)
        big.setBold(True)
        body.setPixelSize(t.title_px)  # the law's wording reads as large, not as bold
        small.setPixelSize(t.small_px)
        return big, body, small

    def pieces(self, entry: ThesaurusEntry, rect: QRect, base: QFont) -> list[Piece]:
        pad = self.theme.gap
        inner = rect.adjusted(pad, pad // 2, -pad, -pad // 2)
        split = int(inner.width() * LEFT)
        big, body, small = self._fonts(base)
        x, w = inner.x() + split, inner.width() - split
        out = [
            (_wrapped(inner.x(), inner.y(), split - pad, entry.everyday, big), big, entry.everyday),
            (_wrapped(x, inner.y(), w, entry.legal, body), body, entry.legal),
        ]
        if extra := detail_text(entry):
            out.append((_wrapped(x, out[1][0].bottom() + 1, w, extra, small), small, extra))
        return [(r, f, text, "muted" if f is small else "fg") for r, f, text in out]

    def sizeHint(self, option: QtWidgets.QStyleOptionViewItem, index: QtCore.QModelIndex) -> QSize:  # noqa: N802
        entry = index.data(ENTRY_ROLE)
        width = self.parent().viewport().width()
        key = (entry.everyday, entry.legal, detail_text(entry), width)  # what is drawn
        if key not in self._heights:
            pieces = self.pieces(entry, QRect(0, 0, width, 0), option.font)
            bottom = max(r.bottom() + 1 for r, *_ in pieces) + self.theme.gap // 2
            self._heights[key] = max(self.theme.target, bottom)
        return QSize(width, self._heights[key])

    def paint(
        self, p: QPainter, option: QtWidgets.QStyleOptionViewItem, index: QtCore.QModelIndex
    ) -> None:
        colours = self.theme.colors
        p.save()
        p.setPen(QColor(colours.border))
        p.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        pieces = self.pieces(index.data(ENTRY_ROLE), option.rect, option.font)
        for rect, font, text, colour in pieces:
            p.setFont(font)
            p.setPen(QColor(getattr(colours, colour)))
            p.drawText(rect, WRAP, text)
        p.restore()


def _wrapped(x: int, y: int, width: int, text: str, font: QFont) -> QRect:
    """The rectangle `text` fills at (x, y) when wrapped to `width`."""
    height = QFontMetrics(font).boundingRect(QRect(0, 0, max(1, width), 1 << 20), WRAP, text)
    return QRect(x, y, max(1, width), height.height())


def entry_view(model: EntryModel, theme: Theme) -> QtWidgets.QListView:
    """A read-only list scrolled by the pixel with a finger, as the other long lists are."""
    view = QtWidgets.QListView(objectName="thesaurus_list")
    view.setProperty("role", "table")
    view.setModel(model)
    view.setItemDelegate(EntryDelegate(view, theme))
    view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)  # rows re-wrap to a new width
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    touch_scroll(view.viewport())
    MoreBelow(view)
    return view


class Header(QWidget):
    """Column names over the list, the left one as wide as the rows' everyday column."""

    def __init__(self, view: QtWidgets.QListView, theme: Theme) -> None:
        super().__init__(objectName="thesaurus_header")
        self.view = view
        self.left = label(tr("Người dân nói"), "field", name="thesaurus_head_everyday")
        self.right = label(tr("Luật viết (máy tìm thêm)"), "field", name="thesaurus_head_legal")
        lay = row(self.left, self.right, stretch_index=1)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.setLayout(lay)
        self.set_theme(theme)
        view.viewport().installEventFilter(self)

    def set_theme(self, theme: Theme) -> None:
        self.pad = theme.gap + self.view.frameWidth()
        self.layout().setContentsMargins(self.pad, 0, 0, 0)
        self.follow()

    def follow(self) -> None:
        inner = self.view.viewport().width() - 2 * (self.pad - self.view.frameWidth())
        self.left.setFixedWidth(max(1, int(inner * LEFT)))

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        if ev.type() == QEvent.Type.Resize:
            self.follow()
        return False


NOTE = N_(
    "Khi người dân gõ những từ ở cột trái, máy tìm thêm cả từ ngữ của luật ở cột phải. Bảng này"
    " là nội dung của bản dữ liệu: đơn vị phát hành soạn và bổ sung, máy nhận khi cập nhật;"
    " tại máy không sửa được."
)


class ThesaurusScreen(Screen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Từ ngữ đời thường"))
        self.setObjectName("admin_thesaurus")
        self.entries: list[ThesaurusEntry] | None = None
        self.filter = QLineEdit(objectName="thesaurus_filter")
        self.filter.setPlaceholderText(tr("Lọc: gõ từ đời thường hoặc từ của luật"))
        self.filter.textChanged.connect(lambda _text: self.apply_filter())
        clear = button(tr("Xóa"), self.filter.clear, name="thesaurus_clear")
        self.count = label(tr("Đang đọc…"), name="thesaurus_count", wrap=False)
        self.model = EntryModel()
        self.view = entry_view(self.model, self.theme)
        self.header = Header(self.view, self.theme)
        self.empty = label("", "notice", name="thesaurus_empty")
        self.note = label(tr(NOTE), "small", name="thesaurus_note")
        self.layout_.addWidget(self.note)
        self.layout_.addLayout(row(self.filter, clear, self.count, stretch_index=0))
        self.layout_.addWidget(self.header)
        self.layout_.addWidget(self.empty)
        self.layout_.addWidget(self.view, 1)
        self.refresh()

    def refresh(self) -> None:
        self.shell.with_library(_read, self.show_entries, on_error=self.show_error, owner=self)

    def show_entries(self, entries: list[ThesaurusEntry]) -> None:
        self.entries = entries
        self.apply_filter()

    def show_error(self, exc: BaseException) -> None:
        self.entries = None
        self.model.set_entries([])
        self.count.setText("")
        self.empty.setText(self.shell.ctx.error_text(exc))

    def apply_filter(self) -> None:
        if self.entries is None:
            return
        word = self.filter.text()
        shown = ths.matching(self.entries, word)
        self.model.set_entries(shown)
        total = len(self.entries)
        self.count.setText(
            tr("{n} mục").format(n=number(total))
            if len(shown) == total
            else tr("{k} trong {n} mục").format(k=number(len(shown)), n=number(total))
        )
        self.empty.setText(_empty_text(word, total) if not shown else "")

    def resizeEvent(self, ev: QEvent) -> None:  # noqa: N802 - Qt override
        """With the keyboard up (the screen ends above it) the note and the column names step
        aside, so the list keeps room for rows under the filter box."""
        super().resizeEvent(ev)
        roomy = self.height() >= ROOMY_TARGETS * self.theme.target
        self.note.setVisible(roomy)
        self.header.setVisible(roomy)

    def on_theme(self) -> None:
        self.view.itemDelegate().set_theme(self.theme)
        self.header.set_theme(self.theme)
        self.view.doItemsLayout()


def _empty_text(word: str, total: int) -> str:
    if not total:
        return tr("Thư viện này chưa có bảng từ ngữ đời thường.")
    return tr("Không có mục nào chứa “{w}”. Thử gõ ngắn hơn.").format(w=word.strip())


def _read(lib: Library) -> list[ThesaurusEntry]:
    return ths.in_dictionary_order(lib.thesaurus())


register_admin("admin_thesaurus", lambda shell, **kw: ThesaurusScreen(shell))
