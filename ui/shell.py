"""The kiosk's main window: title bar, navigation stack, freshness line, idle and lockdown.

Screens never create windows of their own. They are pushed on one stack with
`navigate(name, **kw)`; the title bar always offers Back and Home, so there is no dead
end. The shell owns the idle timer (wipe + media loop), admin mode's timer and the
lockdown filter (no close keys, no context menus). Which of them run, and whether the
bars show, follows one Qt-free state machine (kiosk.modes): every screen change, touch and
timer goes through it. Library work goes through `with_library`, which runs on the single
library worker thread; the heartbeat (ui.heartbeat) proves to the watchdog that a search
still comes back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.modes import Do, Mode, Modes
from kiosk.session import Session
from offline_index.document_view import elide
from offline_index.errors import LawShelfError
from ui import events, memory
from ui.heartbeat import Heartbeat
from ui.i18n import tr
from ui.keyboard import KeyboardSpace
from ui.ops import logged_only
from ui.overlay import ConfirmLeave, IdleWarning, warning_seconds
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
from ui.widgets import TITLE_CHARS, Screen

if TYPE_CHECKING:
    from offline_index.library import Library
    from ui.app import AppContext

log = logging.getLogger(__name__)
T = TypeVar("T")
TIDY_FIRST_MS = 3_000  # into the loop: the closed screens are deleted by then
TIDY_MS = 60_000  # then every minute of loop (a trim takes tens of ms; nobody is waiting)

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

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.session: Session = ctx.session
        self._allow_close = False
        self._stack_names: list[str] = []
        self.modes = Modes()
        self.modes.on_admin_left = self._admin_left
        self.leaving_loop = False  # a touch ended the loop; Home comes on the next turn
        self.library_state = "loading"  # "ready" | "error", set on the GUI thread
        self._after_paint: list[Callable[[], None]] = []
        self._painted = False
        self._build()
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._idle_warning)
        self.idle_warning = IdleWarning(self, self.go_idle)  # a touch keeps the session
        self.confirm_leave = ConfirmLeave(self)
        self._idle.setInterval(self._seconds_ms(ctx.settings.idle_timeout_s))
        self._admin_timer = QTimer(self)
        self._admin_timer.timeout.connect(self._admin_tick)
        self._tidy = QTimer(self)
        self._tidy.timeout.connect(self._release_memory)
        self._guard = _Guard(self)
        QApplication.instance().installEventFilter(self._guard)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.keyboard = KeyboardSpace(self)
        self.heartbeat = Heartbeat(self)
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
        self.back_button.clicked.connect(lambda: self._leave_then(self.back))
        self.title_label = QLabel(objectName="title")
        self.title_label.setProperty("role", "title")
        self.title_label.setWordWrap(True)
        self.access_button = QPushButton(tr("Aa Cỡ chữ"), objectName="access")
        self.access_button.clicked.connect(lambda: self.navigate("accessibility"))
        self.home_button = QPushButton(tr("⌂ Trang chủ"), objectName="home")
        self.home_button.setProperty("role", "primary")
        self.home_button.clicked.connect(lambda: self._leave_then(self.go_home))
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
        self.ward_label = QLabel(self.ctx.settings.ward_name, objectName="ward")
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
        self.bottombar.setVisible(covered == 0 and self.modes.outputs().bars)
        if covered:
            QTimer.singleShot(0, self.keyboard.reveal_focus)

    def update_freshness(self) -> None:
        self.fresh_label.setText(self.ctx.freshness_text())

    # -------------------------------------------------------------- navigation
    @property
    def current(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def screens(self) -> list[Screen]:
        """The screens on the stack, Home first."""
        widgets = (self.stack.widget(i) for i in range(self.stack.count()))
        return [w for w in widgets if isinstance(w, Screen)]

    @property
    def current_name(self) -> str:
        return self._stack_names[-1] if self._stack_names else ""

    def navigate(self, name: str, **kwargs: Any) -> Screen | None:
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
            if not isinstance(widget, Screen):
                raise TypeError(f"screen {name} is a {type(widget).__name__}, not a Screen")
        except LawShelfError as exc:  # a known condition (a full disk): said in plain words
            log.warning("screen %s not opened: %s", name, exc)
            if name == "message":
                return self.show_crash(exc)
            return self.show_message(tr("Chưa mở được mục này"), self.ctx.error_text(exc))
        except Exception as exc:  # noqa: BLE001 - a broken screen must not strand the resident
            log.exception("screen %s failed to open", name)
            return self.show_crash(exc)
        widget.setObjectName(widget.objectName() or "screen")
        self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        self._stack_names.append(name)
        self._after_change()
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

    def _leave_then(self, go: Callable[[], None]) -> None:
        """A tap on Back or Home: first ask when leaving would lose the resident's work."""
        loses = self.current.leaving_loses() if isinstance(self.current, Screen) else None
        if loses:
            self.confirm_leave.ask(*loses, go)
        else:
            go()

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
        widget = self.current
        self.title_label.setText(elide(widget.title if widget is not None else "", TITLE_CHARS))
        at_home = self.current_name == "home"
        self.back_button.setVisible(not at_home)
        self.home_button.setVisible(not at_home)
        self.access_button.setVisible(self.current_name != "accessibility")  # it is this screen
        # The keyboard belongs to the screen that raised it; a new screen raises its own
        # (search does in on_shown, a text field does when tapped).
        QGuiApplication.inputMethod().hide()
        admin_screen = bool(widget is not None and widget.property("admin"))
        self.modes.shown(admin_screen, loop=self.current_name == "media_loop")
        self._apply_mode()
        self.screen_changed.emit(self.current_name)

    def set_title(self, widget: Screen, title: str) -> None:
        widget.title = title
        if widget is self.stack.currentWidget():
            self.title_label.setText(elide(title, TITLE_CHARS))

    def show_message(self, title: str, text: str) -> Screen | None:
        return self.navigate("message", title=title, text=text)

    def show_crash(self, exc: BaseException | None = None) -> Screen | None:
        if self.current_name == "crash":
            return self.current
        events.emit("crash", error=repr(exc))
        return self.navigate("crash", error=exc)

    # ------------------------------------------------------------ library work
    @property
    def library(self) -> Library | None:
        return self.ctx.library

    def with_library(
        self,
        fn: Callable[[Library], T],
        on_done: Callable[[T], None],
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
        """Usage counters (kiosk.stats), written off the GUI thread. A count is not worth a
        resident's visit: where it cannot be written (a full disk, a state database that will
        not open) it is logged and lost, never shown as the crash screen."""
        self.ctx.ops.run(
            self.ctx.record_stat,
            event,
            topic,
            pool="state",
            on_error=logged_only("usage count not written"),
        )

    # -------------------------------------------------------------- idle/loop
    @staticmethod
    def _seconds_ms(seconds: float) -> int:
        return max(1, int(float(seconds) * 1000))

    def set_idle_timeout(self, seconds: float) -> None:
        """A new resident idle time; it starts counting now (on resident screens)."""
        self._idle.setInterval(self._seconds_ms(seconds))
        self._apply_mode()

    def _apply_mode(self) -> None:
        """Bars and timers as kiosk.modes says: the one place that sets them."""
        out = self.modes.outputs()
        covered = self.centralWidget().layout().contentsMargins().bottom()
        self.topbar.setVisible(out.bars)
        self.bottombar.setVisible(out.bars and covered == 0)
        if out.idle_timer:
            self._idle.start()
        else:
            self._idle.stop()
            self.idle_warning.cancel()
        if not out.admin_timer:
            self._admin_timer.stop()
        elif not self._admin_timer.isActive():
            self._admin_timer.start()
        if not out.tidy_timer:
            self._tidy.stop()
        elif not self._tidy.isActive():
            self._tidy.start(TIDY_FIRST_MS)

    def _release_memory(self) -> None:
        """While the loop plays: hand freed memory back to the system (ui.memory)."""
        took = memory.release()
        self._tidy.start(TIDY_MS)
        events.emit("memory_released", seconds=round(took, 3))

    def _do(self, do: Do) -> None:
        if do is Do.HOME:
            self.go_home()
        elif do is Do.WIPE:
            self._wipe_and_loop()

    def activity(self) -> None:
        """Any touch, key or wheel (the application-wide filter calls this)."""
        if self.modes.touch() is Do.HOME:
            self.leaving_loop = True  # until end_loop runs: a restart must not take this turn
            QTimer.singleShot(0, self.end_loop)  # after the touch is delivered
            return
        self.idle_warning.cancel()  # still here: the session stays as it was
        if self.modes.mode is Mode.RESIDENT:
            if self.session.touch():
                self.record("session")
            self._idle.start()

    def _idle_warning(self) -> None:
        """The idle time is up: first say so, with a count-down (ui/overlay.py)."""
        self.idle_warning.start(warning_seconds(self._idle.interval() / 1000))
        events.emit("idle_warning")

    def go_idle(self) -> None:
        """Nobody is here any more: wipe everything, refresh the library, start the loop."""
        self.idle_warning.cancel()
        self.confirm_leave.hide()  # nobody is there to answer it
        self._do(self.modes.idle())

    def _wipe_and_loop(self) -> None:
        events.emit("idle")
        self.wipe_session()
        self.ctx.refresh_library(self._library_refreshed)
        self.navigate("media_loop")

    def end_loop(self) -> None:
        """A touch on the loop: back to a clean Home."""
        self.leaving_loop = False
        if not self.in_loop:
            return
        self.go_home()
        events.emit("loop_end")

    @property
    def in_loop(self) -> bool:
        return self.modes.mode is Mode.LOOP

    # -------------------------------------------------------------- admin mode
    @property
    def admin_active(self) -> bool:
        return self.modes.admin_active

    def enter_admin(self) -> None:
        """The right PIN was typed; admin screens opened next keep admin mode on."""
        idle_s = float(self.ctx.settings.admin_idle_s)
        self.modes.enter_admin(idle_s)
        self._admin_timer.setInterval(min(1000, max(100, int(idle_s * 250))))
        events.emit("admin_entered")

    def admin_exit(self) -> None:
        self._do(self.modes.admin_exit())

    def _admin_tick(self) -> None:
        working = bool(getattr(self.current, "busy", False))  # an admin action's progress
        self._do(self.modes.admin_tick(working))

    def _admin_left(self, reason: str) -> None:
        log.info("admin mode ended (%s)", reason)
        events.emit("admin_left", reason=reason)

    def wipe_session(self) -> None:
        for widget in self.screens():
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
            text_size=st.text_size,
            high_contrast=st.high_contrast,
        )
        if default != self.ctx.theme:
            self.ctx.theme = default
            self.apply_theme()
        if language() != st.language:
            set_language(st.language)
            self.rebuild_home()

    def _library_refreshed(self, changed: bool) -> None:
        if changed:
            self.update_freshness()
            if self.current_name == "home" and self.current is not None:
                self.current.refresh()

    # ---------------------------------------------------------------- theme
    def apply_theme(self) -> None:
        """Restyle everything after a text-size or contrast change; screens reflow."""
        QApplication.instance().setStyleSheet(self.ctx.theme.stylesheet())
        for widget in self.screens():
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
