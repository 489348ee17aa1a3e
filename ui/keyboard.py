"""The on-screen keyboard and the kiosk window: where the keyboard sits, and the room it takes.

Qt Virtual Keyboard's desktop panel is a top-level window of its own, which the panel sizes
to the whole screen each time it shows. Two rules follow:

- **Inside the window.** The panel is moved and sized to the kiosk window, and the keyboard
  scales with its width (the style keeps its aspect ratio). Full screen this changes nothing;
  in `--windowed` mode the keyboard stays within the window, in the kiosk's proportions.
- **Nothing moves under a finger.** A press on a button takes the focus from the text field,
  so the keyboard hides itself at once. If the window then gave the keyboard's room back, the
  button would move before the release came, and the release would land beside it: the tap
  would be lost (seen on `Nộp bài ✔`, 423 px -> 696 px). So while a finger (or the mouse) is
  down, the room kept for the keyboard and any scrolling to the focused field wait for the
  release; the tap acts on the button where the resident saw it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui import events
from ui.qt import (
    QApplication,
    QEvent,
    QGuiApplication,
    QObject,
    QRect,
    QScrollArea,
    Qt,
    QTimer,
    QWidget,
    isValid,
)

if TYPE_CHECKING:
    from ui.shell import Shell

_DOWN = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.TabletPress}
_UP = {
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
    QEvent.Type.TabletRelease,
}
PANEL_CLASS = "QtVirtualKeyboard::InputView"
STUCK_PRESS_MS = 3000  # a press whose release never came (widget deleted) stops holding then


def _is_panel(win: Any) -> bool:
    return win.metaObject().className() == PANEL_CLASS


def keyboard_view() -> Any:
    """The keyboard's own window (a QQuickView), or None without Qt Virtual Keyboard."""
    if not any(_is_panel(w) for w in QGuiApplication.topLevelWindows()):
        return None
    # Qt Quick's Python types are loaded only now (they cost start-up time), and before a
    # wrapper of the panel is kept: kept as a bare QWindow it would stay one.
    from ui.qt import quick

    quick()
    return next((w for w in QGuiApplication.topLevelWindows() if _is_panel(w)), None)


def keyboard_rect() -> QRect | None:
    """Where the keyboard is on the screen (global coordinates), or None when it is down.

    Qt reports the rectangle in the panel window's coordinates; the panel may have been
    moved into the kiosk window, so its position is added."""
    im = QGuiApplication.inputMethod()
    if not im.isVisible():
        return None
    rect = im.keyboardRectangle().toRect()
    if rect.isEmpty():
        return None
    view = keyboard_view()
    return rect.translated(view.position()) if view is not None else rect


class KeyboardSpace(QObject):
    """Keeps the shell's content above the keyboard (shell.keyboard_covers) by the rules above."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self._down = False
        self._pending = False
        self._watched: Any = None
        self._stuck = QTimer(self, singleShot=True, interval=STUCK_PRESS_MS)
        self._stuck.timeout.connect(self._release)
        im = QGuiApplication.inputMethod()
        im.keyboardRectangleChanged.connect(self.changed)
        im.visibleChanged.connect(self.changed)
        QApplication.instance().focusChanged.connect(self._focus_moved)
        QApplication.instance().installEventFilter(self)

    # ------------------------------------------------------------ press tracking
    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        t = ev.type()
        if t in _DOWN:
            self._down = True
            self._stuck.start()
        elif t in _UP and self._down:
            self._release()
        elif obj is self.shell and t in (QEvent.Type.Move, QEvent.Type.Resize):
            self.place()
        elif t == QEvent.Type.Resize and self._covered() and _holds_focus(obj):
            # The page settled after the reveal (a loaded machine lays out late): again.
            QTimer.singleShot(0, self.reveal_focus)
        return False

    def _covered(self) -> bool:
        """Whether the content now ends above the keyboard (shell.keyboard_covers)."""
        return (
            isValid(self.shell)
            and self.shell.centralWidget().layout().contentsMargins().bottom() > 0
        )

    def _release(self) -> None:
        self._down = False
        self._stuck.stop()
        if self._pending:
            # After the release has reached the widget under the finger (its click included).
            QTimer.singleShot(0, self.changed)

    @property
    def holding(self) -> bool:
        """True while a finger is down: the layout must not move now."""
        return self._down

    # ------------------------------------------------------------ placement
    def place(self) -> None:
        """Put the keyboard's window over the kiosk window (no-op when it is there already)."""
        view = keyboard_view()
        if view is not None and view is not self._watched:
            self._watched = view  # the panel re-sizes itself to the screen on every show
            for signal in (view.xChanged, view.yChanged, view.widthChanged, view.heightChanged):
                signal.connect(lambda _v: QTimer.singleShot(0, self.place))
        if view is None or not view.isVisible() or not isValid(self.shell):
            return
        if not self.shell.isVisible():
            return
        target = self.shell.geometry()  # a top-level window: global, without its frame
        if view.geometry() != target:
            view.setGeometry(target)
        root = _root_item(view)
        if root is not None and (root.width(), root.height()) != (target.width(), target.height()):
            root.setSize(view.size().toSizeF())  # the keyboard's width follows; height by style

    # ------------------------------------------------------------ room for the keyboard
    def changed(self) -> None:
        """The keyboard moved, showed or hid: give it room, unless a finger is down."""
        if not isValid(self.shell):
            return  # application-wide signals can reach us while the shell is destroyed
        self.place()
        if self._down:
            self._pending = True
            return
        self._pending = False
        rect = keyboard_rect()
        covered = 0
        if rect is not None:
            bottom = self.shell.mapToGlobal(self.shell.rect().bottomLeft()).y()
            covered = max(0, bottom - rect.top())
        self.shell.keyboard_covers(covered)
        events.emit("keyboard", visible=rect is not None, rect=str(rect), covered=covered)

    def _focus_moved(self, _old: Any, _new: Any) -> None:
        if self._covered():
            QTimer.singleShot(0, self.reveal_focus)

    def reveal_focus(self) -> None:
        """Scroll the field being typed into (and its label) back above the keyboard. Only
        text fields: a button that took the focus from a press stays where it was tapped."""
        focus = QApplication.focusWidget()
        if (
            not isValid(self.shell)
            or focus is None
            or not focus.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
        ):
            return
        if self._down:
            self._pending = True  # changed() after the release calls us again
            return
        area = focus.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None:
            return
        gap = self.shell.ctx.theme.gap
        group = focus.parentWidget()
        if group is not None and group.property("role") == "field_group":
            area.ensureWidgetVisible(group, 0, gap)  # its label too
        area.ensureWidgetVisible(focus, 0, gap)


def _holds_focus(obj: QObject) -> bool:
    """Whether obj is a widget the field being typed into sits in (its size moves the field)."""
    focus = QApplication.focusWidget()
    return focus is not None and isinstance(obj, QWidget) and obj.isAncestorOf(focus)


def _root_item(view: Any) -> Any:
    """The keyboard's InputPanel item (the view's root object)."""
    from ui.qt import quick

    return view.rootObject() if isinstance(view, quick().QQuickView) else None
