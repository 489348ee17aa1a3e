"""The kiosk's main window: title bar, navigation stack, freshness line, idle and lockdown.

Screens never create windows of their own. They are pushed on one stack with
`navigate(name, **kw)`; the title bar always offers Back and Home, so there is no dead
end. The shell owns the idle timer (wipe + media loop) and the lockdown filter (no close
keys, no context menus). Library work goes through `with_library`, which runs on the
single library worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.session import Session
from ui import events
from ui.i18n import tr
from ui.keyboard import KeyboardSpace
from ui.qt import (
    QApplication,
    QEvent,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QObject,
    QPushButton,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.screens import registry

log = logging.getLogger(__name__)

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.InputMethod,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
}
_MODS = Qt.KeyboardModifier


def is_escape_key(key: int, mods: Qt.KeyboardModifier) -> bool:
    """Keys that could close the app or reach the window manager."""
    k = Qt.Key
    if key in (
        k.Key_Meta,
        k.Key_Super_L,
        k.Key_Super_R,
        k.Key_Menu,
        k.Key_F11,
        k.Key_Close,
        k.Key_Escape,
        k.Key_Launch0,
        k.Key_Explorer,
        k.Key_Sleep,
        k.Key_PowerOff,
    ):
        return True
    if mods & (_MODS.AltModifier | _MODS.MetaModifier):
        return True  # Alt+F4, Alt+Tab, Alt+Esc, Super+anything
    ctrl = bool(mods & _MODS.ControlModifier)
    return ctrl and key in (
        k.Key_Q,
        k.Key_W,
        k.Key_Escape,
        k.Key_Tab,
        k.Key_P,
        k.Key_O,
        k.Key_S,
        k.Key_N,
        k.Key_F4,
    )


def _short(title: str, limit: int = 70) -> str:
    """Keep the title bar to one or two lines; the screen itself shows the full title."""
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


class _Guard(QObject):
    """Application-wide event filter: lockdown and activity tracking."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self._shell = shell

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        t = ev.type()
        if t == QEvent.Type.ContextMenu:
            return True
        if t in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and is_escape_key(
            ev.key(), ev.modifiers()
        ):
            events.emit("key_blocked", key=int(ev.key()))
            return True
        if t in _ACTIVITY:
            self._shell.activity()
        return False


class Shell(QMainWindow):
    """Main window. `ctx` is the ui.app.AppContext (home, settings, theme, ops, library)."""

    screen_changed = Signal(str)

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.session: Session = ctx.session
        self._allow_close = False
        self._stack_names: list[str] = []
        self._in_loop = False
        self.library_state = "loading"  # "ready" | "error", set on the GUI thread
        self._after_paint: list[Callable[[], None]] = []
        self._painted = False
        self._build()
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.go_idle)
        self.set_idle_timeout(ctx.settings.get("idle_timeout_s", 90))
        self._guard = _Guard(self)
        QApplication.instance().installEventFilter(self._guard)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.keyboard = KeyboardSpace(self)
        self.navigate("home")

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.setObjectName("shell")
        self.setWindowTitle("LawShelf")
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.topbar = QFrame(objectName="topbar")
        top = QHBoxLayout(self.topbar)
        self.back_button = QPushButton(tr("◀ Quay lại"), objectName="back")
        self.back_button.clicked.connect(self.back)
        self.title_label = QLabel(objectName="title")
        self.title_label.setProperty("role", "title")
        self.title_label.setWordWrap(True)
        self.access_button = QPushButton(tr("Aa Cỡ chữ"), objectName="access")
        self.access_button.clicked.connect(lambda: self.navigate("accessibility"))
        self.home_button = QPushButton(tr("⌂ Trang chủ"), objectName="home")
        self.home_button.setProperty("role", "primary")
        self.home_button.clicked.connect(self.go_home)
        top.addWidget(self.back_button)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.access_button)
        top.addWidget(self.home_button)
        self.stack = QStackedWidget()
        # Word-wrapped labels report the height they would need at their narrowest; summed
        # up at the largest text size that "minimum" exceeded 1080 px and pushed the window
        # (and the freshness line) off the bottom of the screen. The screen gets the room
        # there is; the clipping tests check that what is shown fits at the real width.
        self.stack.setMinimumSize(1, 1)
        self.bottombar = QFrame(objectName="bottombar")
        bottom = QHBoxLayout(self.bottombar)
        self.fresh_label = QLabel(objectName="fresh")
        self.fresh_label.setProperty("role", "fresh")
        self.fresh_label.setWordWrap(True)
        self.ward_label = QLabel(self.ctx.settings.get("ward_name", ""), objectName="ward")
        self.ward_label.setProperty("role", "fresh")
        bottom.addWidget(self.fresh_label, 1)
        bottom.addWidget(self.ward_label)
        lay.addWidget(self.topbar)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.bottombar)
        self.setCentralWidget(central)
        self.update_freshness()

    def after_first_paint(self, fn: Callable[[], None]) -> None:
        """Run fn once the first screen has been painted (start-up work the resident need not wait for)."""
        if self._painted:
            fn()
        else:
            self._after_paint.append(fn)

    def first_paint_done(self) -> None:
        if self._painted:
            return
        self._painted = True
        for fn in self._after_paint:
            fn()
        self._after_paint.clear()

    def keyboard_covers(self, covered: int) -> None:
        """End the window's content above the keyboard. While it is up (about 55 % of the
        screen) the freshness line steps aside so one more result row fits; it is back as
        soon as the keyboard goes."""
        self.centralWidget().layout().setContentsMargins(0, 0, 0, covered)
        self.bottombar.setVisible(covered == 0 and not self._in_loop)
        if covered:
            QTimer.singleShot(0, self.keyboard.reveal_focus)

    def update_freshness(self) -> None:
        self.fresh_label.setText(self.ctx.freshness_text())

    # -------------------------------------------------------------- navigation
    @property
    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    @property
    def current_name(self) -> str:
        return self._stack_names[-1] if self._stack_names else ""

    def navigate(self, name: str, **kwargs: Any) -> QWidget | None:
        """Create screen `name` and push it; unknown screens show a "coming soon" message."""
        if not registry.has_screen(name) and not registry.loaded:
            registry.load_all()  # asked for before Home's first paint loaded the other screens
        if not registry.has_screen(name):
            log.warning("no screen named %s", name)
            if name == "message":
                return None
            return self.show_message(tr("Sắp có"), tr("Mục này sắp có. Vui lòng quay lại sau."))
        try:
            widget = registry.factory(name)(self, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a broken screen must not strand the resident
            log.exception("screen %s failed to open", name)
            return self.show_crash(exc)
        widget.setObjectName(widget.objectName() or "screen")
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self._stack_names.append(name)
        self._after_change()
        if hasattr(widget, "on_shown"):
            QTimer.singleShot(0, widget.on_shown)
        events.emit("screen", name=name)
        return widget

    def back(self) -> None:
        if len(self._stack_names) <= 1:
            return
        widget = self.stack.currentWidget()
        self._stack_names.pop()
        self._drop(widget)
        self._after_change()
        events.emit("screen", name=self.current_name)

    def go_home(self) -> None:
        """Back to Home, closing every other screen (their state goes with them)."""
        while len(self._stack_names) > 1:
            self._stack_names.pop()
            self._drop(self.stack.widget(self.stack.count() - 1))
        if not self._stack_names:
            self.navigate("home")
        self._after_change()
        events.emit("screen", name="home")

    def rebuild_home(self) -> None:
        """Recreate every screen (after a language switch), ending on a fresh Home."""
        while self._stack_names:
            self._stack_names.pop()
            self._drop(self.stack.widget(self.stack.count() - 1))
        self.back_button.setText(tr("◀ Quay lại"))
        self.home_button.setText(tr("⌂ Trang chủ"))
        self.access_button.setText(tr("Aa Cỡ chữ"))
        self.update_freshness()
        self.navigate("home")

    def _drop(self, widget: QWidget | None) -> None:
        if widget is None:
            return
        self.stack.removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    def _after_change(self) -> None:
        widget = self.stack.currentWidget()
        self.title_label.setText(_short(getattr(widget, "title", "") or ""))
        at_home = self.current_name == "home"
        self.back_button.setVisible(not at_home)
        self.home_button.setVisible(not at_home)
        # The keyboard belongs to the screen that raised it; a new screen raises its own
        # (search does in on_shown, a text field does when tapped).
        QGuiApplication.inputMethod().hide()
        self.screen_changed.emit(self.current_name)

    def set_title(self, widget: QWidget, title: str) -> None:
        widget.title = title
        if widget is self.stack.currentWidget():
            self.title_label.setText(_short(title))

    def show_message(self, title: str, text: str) -> QWidget | None:
        return self.navigate("message", title=title, text=text)

    def show_crash(self, exc: BaseException | None = None) -> QWidget | None:
        if self.current_name == "crash":
            return self.current
        events.emit("crash", error=repr(exc))
        return self.navigate("crash", error=exc)

    # ------------------------------------------------------------ library work
    @property
    def library(self) -> Any:
        return self.ctx.library

    def with_library(
        self,
        fn: Callable[[Any], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        owner: QWidget | None = None,
    ) -> int:
        """Run fn(library) on the library thread; results come back on the GUI thread."""
        return self.ctx.ops.run(
            self.ctx.call_library,
            fn,
            on_done=on_done,
            on_error=on_error or self._library_error,
            owner=owner,
        )

    def _library_error(self, exc: BaseException) -> None:
        self.show_message(tr("Không mở được thư viện"), self.ctx.error_text(exc))

    def record(self, event: str, topic: str | None = None) -> None:
        """Usage counters (kiosk.stats), written off the GUI thread."""
        self.ctx.ops.run(self.ctx.record_stat, event, topic, pool="state")

    # -------------------------------------------------------------- idle/loop
    def set_idle_timeout(self, seconds: float) -> None:
        self._idle.setInterval(max(1, int(seconds * 1000)))
        self._idle.start()

    def activity(self) -> None:
        if self._in_loop:
            return
        if self.session.touch():
            self.record("session")
        self._idle.start()

    def go_idle(self) -> None:
        """Nobody is here any more: wipe everything, refresh the library, start the loop."""
        events.emit("idle")
        self.wipe_session()
        self.ctx.refresh_library(self._library_refreshed)
        self._in_loop = True
        self.topbar.hide()
        self.bottombar.hide()
        self.navigate("media_loop")

    def end_loop(self) -> None:
        """A touch on the loop: back to a clean Home."""
        self._in_loop = False
        self.topbar.show()
        self.bottombar.show()
        self.go_home()
        self._idle.start()
        events.emit("loop_end")

    @property
    def in_loop(self) -> bool:
        return self._in_loop

    def wipe_session(self) -> None:
        for i in range(self.stack.count()):
            widget = self.stack.widget(i)
            if hasattr(widget, "wipe"):
                try:
                    widget.wipe()
                except Exception:  # noqa: BLE001 - keep wiping the rest
                    log.exception("screen wipe failed")
        self.session.wipe()
        self._reset_preferences()
        self.go_home()
        events.emit("wiped")

    def _reset_preferences(self) -> None:
        """The next visitor starts with the kiosk's defaults, not the last person's choices."""
        from ui.i18n import language, set_language

        st = self.ctx.settings
        default = self.ctx.theme.with_(
            text_size=st.get("text_size", "normal"),
            high_contrast=bool(st.get("high_contrast", False)),
        )
        if default != self.ctx.theme:
            self.ctx.theme = default
            self.apply_theme()
        if language() != st.get("language", "vi"):
            set_language(st.get("language", "vi"))
            self.rebuild_home()

    def _library_refreshed(self, changed: bool) -> None:
        if changed:
            self.update_freshness()
            if self.current_name == "home" and hasattr(self.current, "refresh"):
                self.current.refresh()

    # ---------------------------------------------------------------- theme
    def apply_theme(self) -> None:
        """Restyle everything after a text-size or contrast change; screens reflow."""
        QApplication.instance().setStyleSheet(self.ctx.theme.stylesheet())
        for i in range(self.stack.count()):
            widget = self.stack.widget(i)
            if hasattr(widget, "on_theme"):
                widget.on_theme()
        events.emit(
            "theme", text_size=self.ctx.theme.text_size, high_contrast=self.ctx.theme.high_contrast
        )

    # ------------------------------------------------------------- lockdown
    def allow_close(self) -> None:
        """Only the admin screen and tests may close the window."""
        self._allow_close = True

    def closeEvent(self, ev: QEvent) -> None:  # noqa: N802 - Qt override
        if self._allow_close:
            QApplication.instance().removeEventFilter(self._guard)
            ev.accept()
        else:
            events.emit("close_blocked")
            ev.ignore()
