"""Scrolling for touch: a finger-dragged area, content sized to its text, a "more below" bar.

A resident who has never used a tablet misses a scroll bar; these make the hidden part of a
page visible and reachable by a tap (MoreBelow) and keep a page from scrolling into blank
space (FitHeight).
"""

from __future__ import annotations

from ui.i18n import N_, tr
from ui.qt import (
    QApplication,
    QEvent,
    QFrame,
    QObject,
    QPushButton,
    QScrollArea,
    QScroller,
    Qt,
    QtWidgets,
    QWidget,
)


def touch_scroll(view: QWidget) -> None:
    """A finger drag scrolls (kinetic), as on a phone; the scroll bar stays for those who
    prefer it. Touch only: mouse clicks (and tests) are untouched."""
    QScroller.grabGesture(view, QScroller.ScrollerGestureType.TouchGesture)


def scroller(inner: QWidget, *, more_below: bool = False) -> QScrollArea:
    """A finger-scrolled area. `more_below`: forms whose end (consent, start button) a
    resident must reach get a visible "more below" bar while anything is hidden below."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    touch_scroll(area.viewport())
    FitHeight(area)
    if more_below:
        MoreBelow(area)
    return area


def panner(inner: QWidget) -> QScrollArea:
    """A finger-panned area for content wider than the screen (a PDF page zoomed in): the
    content keeps its own size and scrolls both ways, centred while it is narrower. A page
    fitted to the width was cut on both sides at the zoom residents need, its amounts too."""
    area = QScrollArea()
    area.setWidgetResizable(False)
    area.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    touch_scroll(area.viewport())
    return area


def keep_view(area: QScrollArea) -> tuple[float, float]:
    """Where the middle of the view is, as shares of the content's width and height."""

    def middle(bar: QtWidgets.QScrollBar) -> float:
        return (bar.value() + bar.pageStep() / 2) / max(1, bar.maximum() + bar.pageStep())

    return middle(area.horizontalScrollBar()), middle(area.verticalScrollBar())


def restore_view(area: QScrollArea, view: tuple[float, float]) -> None:
    """Put the same point of the content back in the middle (after a zoom)."""
    bars = (area.horizontalScrollBar(), area.verticalScrollBar())
    for bar, share in zip(bars, view, strict=True):
        bar.setValue(round(share * (bar.maximum() + bar.pageStep()) - bar.pageStep() / 2))


class FitHeight(QObject):
    """Keeps a scroll area's content as tall as its text needs at the area's width, no taller.

    Labels keep their whole height (vertical policy Minimum: never clipped), and Qt sizes a
    wrapped label for a narrow guess at its width: summed, a page of notices claimed 1,176
    pixels where its text takes 663 at the kiosk's width, and the area scrolled into blank
    space (and the "more below" bar pointed at nothing)."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area, self.view = area, area.viewport()
        self.view.installEventFilter(self)
        area.widget().installEventFilter(self)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        # The viewport's width, or the content's layout, changed; the content's own resize
        # follows from either and needs no second pass.
        kind = ev.type()
        if kind == QEvent.Type.LayoutRequest or (kind == QEvent.Type.Resize and obj is self.view):
            self.fit()
        return False

    def fit(self) -> None:
        inner = self.area.widget()
        if inner is None:
            return
        # Content with no wrapped text (one-line result rows while the keyboard is up) is
        # sized by its layout: a height fitted to what it held before (the help page's) would
        # squeeze twenty rows into the help's 213 pixels. 0 hands the minimum back to Qt.
        wraps = inner.hasHeightForWidth()
        height = max(1, inner.heightForWidth(self.view.width())) if wraps else 0
        if inner.minimumHeight() != height:
            inner.setMinimumHeight(height)


MORE_BELOW = N_("▼ Còn tiếp bên dưới: chạm để xem")


class MoreBelow(QPushButton):
    """A bar over the bottom of a scroll area while part of its content is hidden below;
    a tap scrolls down most of a page. It goes at the end, so it never hides the last
    widget. A scroll bar alone is easy to miss for someone who has never used a tablet."""

    def __init__(self, area: QtWidgets.QAbstractScrollArea) -> None:
        super().__init__(tr(MORE_BELOW), area)  # a child of the area: it does not scroll
        self.setObjectName("more_below")
        self.setProperty("role", "more")
        self.area = area
        bar = area.verticalScrollBar()
        bar.rangeChanged.connect(lambda _lo, _hi: self.update_state())
        bar.valueChanged.connect(lambda _v: self.update_state())
        self.clicked.connect(self.page_down)
        area.installEventFilter(self)
        area.viewport().installEventFilter(self)  # narrowed when the scroll bar appears
        QApplication.instance().focusChanged.connect(self._focus_changed)  # gone with self
        self.hide()

    def eventFilter(self, obj: QWidget, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        if ev.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.update_state()
        return False

    def update_state(self) -> None:
        bar = self.area.verticalScrollBar()
        # A few pixels of margin below the last widget are not "more": half the bar's height.
        hidden_below = bar.maximum() - bar.value() > self.sizeHint().height() // 2
        # While a field here is being typed into, the keyboard has the bottom of the screen:
        # the bar would lie over the very field (the contest form's ward, keyboard up).
        typing = self._typing_here()
        self.setVisible(hidden_below and not typing)
        if typing:
            return
        if hidden_below:
            view = self.area.viewport().geometry()
            height = self.sizeHint().height()
            self.setGeometry(view.x(), view.bottom() + 1 - height, view.width(), height)
            self.raise_()

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.update_state()

    def _typing_here(self) -> bool:
        focus = QApplication.focusWidget()
        editing = isinstance(focus, QtWidgets.QLineEdit | QtWidgets.QPlainTextEdit)
        return editing and self.area.isAncestorOf(focus)

    def page_down(self) -> None:
        bar = self.area.verticalScrollBar()
        bar.setValue(bar.value() + max(1, self.area.viewport().height() * 3 // 4))
