"""Touch widgets shared by the screens: a screen base, tappable cards, chips, flow layout.

Cards are QFrames with word-wrapped QLabels rather than QPushButtons because a button's
text does not wrap: at the largest text size a long Vietnamese title must reflow, not clip.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ui.i18n import N_, tr
from ui.qt import (
    QEvent,
    QFrame,
    QHBoxLayout,
    QIcon,
    QLabel,
    QLayout,
    QPoint,
    QPushButton,
    QRect,
    QSize,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    Qt,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.scrolling import scroller

if TYPE_CHECKING:
    from ui.shell import Shell
    from ui.theme import Theme

TITLE_CHARS = 70  # the title bar keeps to one or two lines; the screen shows the whole title

VALIDITY_LABELS = {
    "in_force": N_("Còn hiệu lực"),
    "partly_in_force": N_("Hết hiệu lực một phần"),
    "not_in_force": N_("Hết hiệu lực"),
    "not_yet_in_force": N_("Chưa có hiệu lực"),
    "unknown": N_("Chưa rõ hiệu lực"),
}


# A Q&A answer whose cited article is no longer in force (Library.citation_validity).
LAPSED_ANSWER = N_("⚠ Dựa trên quy định đã hết hiệu lực")


def validity_text(validity: str) -> str:
    return tr(VALIDITY_LABELS.get(validity or "unknown", VALIDITY_LABELS["unknown"]))


class Screen(QWidget):
    """Base for screens: object name for styling, a title, the shell, a vertical layout.

    It offers what ui.screens.registry.ScreenProtocol lists; each hook does nothing until a
    screen overrides it."""

    title = ""
    # Forms whose rows keep their touch height: at large text they scroll instead of
    # squeezing rows into each other.
    scrolls = False

    def __init__(self, shell: Shell, title: str = "") -> None:
        super().__init__()
        self.setObjectName("screen")
        self.shell = shell
        self.title = title
        self.layout_ = QVBoxLayout(self)
        if self.scrolls:
            inner = QWidget()
            self.layout_.setContentsMargins(0, 0, 0, 0)
            self.layout_.addWidget(scroller(inner))
            self.layout_ = QVBoxLayout(inner)
        gap = self.theme.gap
        self.layout_.setContentsMargins(gap, gap, gap, gap)
        self.layout_.setSpacing(gap)

    @property
    def theme(self) -> Theme:
        return self.shell.ctx.theme

    # The hooks of ScreenProtocol, no-ops by default.
    def on_shown(self) -> None:
        """Just after it became the visible screen."""

    def wipe(self) -> None:
        """The session is being wiped."""

    def on_theme(self) -> None:
        """The text size or contrast changed."""

    def refresh(self) -> None:
        """The library's state changed."""

    def on_screens_loaded(self) -> None:
        """Every screen module has registered."""

    def leaving_loses(self) -> tuple[str, str] | None:
        """What a tap on Back or Home would lose here: (question, what is lost), or None."""
        return None


BOXED_ROLES = ("notice", "banner", "cta")  # drawn with a border or a background


class BoxLabel(QLabel):
    """A bordered label hides while it has no text: an empty box under a form reads as a
    broken field (the policy-dialogue opinion form showed one under its send button)."""

    _hidden_empty = False

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        if not text and not self.isHidden():
            self.hide()
            self._hidden_empty = True
        elif text and self._hidden_empty:
            self._hidden_empty = False
            self.show()


class ElidedLabel(QLabel):
    """One line that ends in `…` when it does not fit, so a cut is seen as a cut (a row
    clipped mid-word at the frame's edge reads as the whole title). The full text stays in
    `full_text`, the tooltip and the accessible name."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.full_text = ""
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override
        super().resizeEvent(ev)
        self._elide()

    def changeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override: text size changed
        super().changeEvent(ev)
        if ev.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        super().setText(shown if width > 0 else self.full_text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override: any width will do
        return QSize(0, super().minimumSizeHint().height())


def label(
    text: str = "", role: str = "", *, wrap: bool = True, rich: bool = False, name: str = ""
) -> QLabel:
    lab = BoxLabel(text) if role in BOXED_ROLES else QLabel(text)
    if role in BOXED_ROLES and not text:
        lab.hide()
        lab._hidden_empty = True
    if role:
        lab.setProperty("role", role)
    if name:
        lab.setObjectName(name)
    lab.setWordWrap(wrap)
    lab.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return lab


NOT_ADVICE = N_(
    "Thông tin chỉ để tham khảo, không thay thế tư vấn pháp lý. Cần hỗ trợ, "
    "hãy liên hệ Trợ giúp pháp lý."
)


def not_advice() -> QLabel:
    """The one reminder under a law's text and under answers: reference, not advice, and
    where help is (the same words on every screen)."""
    return label(tr(NOT_ADVICE), "small", name="not_advice")


REQUIRED = N_(" (bắt buộc)")
OPTIONAL = N_(" (không bắt buộc)")


def labelled(text: str, field: QWidget, *, required: bool, name: str = "") -> QWidget:
    """A form field with its name in large text above it, marked required or optional in
    words. Placeholders vanish as soon as one types; this label stays (elderly residents
    lose track of which box is which otherwise). The shell scrolls the whole group, label
    included, above the on-screen keyboard."""
    group = QWidget()
    group.setProperty("role", "field_group")  # the shell scrolls the whole group into view
    if name:
        group.setObjectName(name)
    lay = QVBoxLayout(group)
    lay.setContentsMargins(0, 0, 0, 0)
    lab = label(text + tr(REQUIRED if required else OPTIONAL), "field")
    lab.setBuddy(field)
    lay.addWidget(lab)
    lay.addWidget(field)
    field.setAccessibleName(text)
    return group


# A word joiner after each `/` and `-`: Qt may break a line there, and an official number
# split (`11/2017/` | `QH14`, `NĐ-` | `CP`) no longer reads as one.
_UNBROKEN = str.maketrans({"/": "/\u2060", "-": "-\u2060"})


class PanelButton(QPushButton):
    """A button that keeps its text (what tests and a screen reader read) but paints only its
    panel: labels inside draw the words, so they wrap instead of being clipped (the home tiles,
    WrapButton). Pressed, only its border lights up (ui/theme.py): the words stay readable."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("panel", True)

    def paintEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        opt.text, opt.icon = "", QIcon()
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, opt)


class WrapButton(PanelButton):
    """A plain button whose text wraps onto more lines instead of being clipped: a citation
    naming its law (`Đọc căn cứ: điểm đ khoản 12 Điều 123 Luật …`) is wider than the screen
    at the largest text size. A word-wrapped label inside draws the words (PanelButton)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.words = label()  # first: the size overrides below read it
        self.words.setParent(self)
        self.words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setText(text)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:  # noqa: N802 - the words wrap with it
        super().setText(text)
        self.words.setText(text.translate(_UNBROKEN))
        self.updateGeometry()

    def _contents(self, width: int, height: int) -> QRect:
        """Where the words go in a button of this size: inside the style sheet's border and
        padding."""
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        opt.rect = QRect(0, 0, width, height)
        return self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, self)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        tall = 1000  # any height: only the border and padding around the words are wanted
        inner = self._contents(width, tall)
        wrapped = self.words.heightForWidth(inner.width()) + tall - inner.height()
        return max(wrapped, super().sizeHint().height())  # never under the one-line target

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = super().sizeHint().width()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override: the words wrap
        side = super().sizeHint().height()  # one line's height: a square touch target at least
        return QSize(side, side)

    def resizeEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override
        self.words.setGeometry(self._contents(self.width(), self.height()))
        super().resizeEvent(ev)


def button(
    text: str,
    on_click: Callable[[], None] | None = None,
    *,
    role: str = "",
    name: str = "",
    checkable: bool = False,
    wrap: bool = False,
) -> QPushButton:
    """A touch button; `wrap`: a plain one whose long text wraps (WrapButton)."""
    btn = WrapButton(text) if wrap else QPushButton(text)
    if role:
        btn.setProperty("role", role)
    if name:
        btn.setObjectName(name)
    btn.setCheckable(checkable)
    if on_click is not None:
        btn.clicked.connect(lambda _checked=False: on_click())
    return btn


def choices(name: str, items: Iterable[tuple[str, str]]) -> QtWidgets.QComboBox:
    """A drop-down of (shown text, value) pairs whose open list has touch-sized rows: the
    style's own delegate ignores the style sheet's item height, the styled one does not."""
    box = QtWidgets.QComboBox(objectName=name)
    box.setItemDelegate(QtWidgets.QStyledItemDelegate(box))
    for text, value in items:
        box.addItem(text, value)
    return box


class Card(QFrame):
    """A tappable panel of word-wrapped lines (search hits, shelf items, tiles)."""

    clicked = Signal()

    def __init__(
        self,
        lines: Iterable[tuple[str, str, bool]],
        *,
        name: str = "",
        role: str = "card",
        one_line: bool = False,
        min_height: int = 0,
    ) -> None:
        """lines: (text, role, rich) for each line; one_line: plain lines cut with `…`;
        min_height: at least this tall (a touch target), and taller when its text needs it."""
        super().__init__()
        self.min_height = min_height
        self.setProperty("role", role)
        if name:
            self.setObjectName(name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QVBoxLayout(self)
        self.labels: list[QLabel] = []
        for text, line_role, rich in lines:
            lab = ElidedLabel(text) if one_line else label(text, line_role, rich=rich)
            if one_line and line_role:
                lab.setProperty("role", line_role)
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            lay.addWidget(lab)
            self.labels.append(lab)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Not setMinimumHeight: an explicit minimum would replace the text's own height, and
        # at the largest text size a one-line row cut the descenders of `g`, `y`, `ụ`.
        return super().minimumSizeHint().expandedTo(QSize(0, self.min_height))

    def changeEvent(self, ev: QEvent) -> None:  # noqa: N802 - Qt override
        """A card that cannot be tapped (a contest not open) says so by an `off` property: a
        style sheet's `:disabled` on a card does not reach the labels inside it (Qt matched
        every card's labels, and greyed the open contests' `Dự thi ▶` on blue)."""
        if ev.type() == QEvent.Type.EnabledChange:
            self.setProperty("off", not self.isEnabled())
            for widget in (self, *self.labels):
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        super().changeEvent(ev)

    def mousePressEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override
        self.setProperty("down", True)
        self.style().polish(self)
        ev.accept()

    def mouseReleaseEvent(self, ev) -> None:  # noqa: ANN001, N802 - Qt override
        self.setProperty("down", False)
        self.style().polish(self)
        if self.rect().contains(ev.position().toPoint()):
            self.clicked.emit()


class FlowLayout(QLayout):
    """Lays children left to right and wraps, so chips reflow at any text size."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list = []
        self._space = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: ANN001, N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i: int):  # noqa: ANN201, N802
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i: int):  # noqa: ANN201, N802
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._do(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._do(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do(self, rect: QRect, apply: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            w = min(hint.width(), rect.width())
            if x + w > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._space, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(w, hint.height())))
            x += w + self._space
            line = max(line, hint.height())
        return y + line - rect.y()


def chip_row(
    items: Iterable[tuple[str, Callable[[], None]]], *, checkable: bool = False, name: str = ""
) -> tuple[QWidget, list[QPushButton]]:
    box = QWidget()
    if name:
        box.setObjectName(name)
    flow = FlowLayout(box)
    buttons = []
    for text, fn in items:
        btn = button(text, fn, role="chip", checkable=checkable)
        flow.addWidget(btn)
        buttons.append(btn)
    return box, buttons


def clear_layout(lay: QLayout, keep: int = 0, *, detach: bool = False) -> None:
    """Empty a layout but for its last `keep` items (a closing stretch): each widget leaves
    the screen at once, so no stale card can be tapped, and is deleted when the event loop
    next runs, so no signal handler loses the widget it runs in. `detach`: also out of its
    parent now (a lookup by name finds the new items only), where no handler runs inside it."""
    while lay.count() > keep:
        widget = lay.takeAt(0).widget()
        if widget is not None:
            widget.hide()
            if detach:
                widget.setParent(None)
            widget.deleteLater()


def row(*widgets: QWidget, stretch_index: int = -1) -> QHBoxLayout:
    lay = QHBoxLayout()
    for i, w in enumerate(widgets):
        lay.addWidget(w, 1 if i == stretch_index else 0)
    return lay


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def mark_html(snippet: str, theme: object) -> str:
    """Turn the engine's escaped snippet with <mark> into QLabel rich text.

    The snippet is already HTML-escaped by the search engine; anything but <mark> is
    escaped again here so a stray tag in a document can never style the kiosk.
    """
    c = theme.colors  # type: ignore[attr-defined]
    out, pos = [], 0
    for m in _MARK.finditer(snippet):
        out.append(_safe(snippet[pos : m.start()]))
        out.append(
            f'<span style="background-color:{c.mark_bg}; color:{c.mark_fg};">'
            f"{_safe(m.group(1))}</span>"
        )
        pos = m.end()
    out.append(_safe(snippet[pos:]))
    return "".join(out)


def _safe(text: str) -> str:
    return html.escape(html.unescape(text), quote=False)
