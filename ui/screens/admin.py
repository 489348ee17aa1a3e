"""Librarian mode: hidden corner gesture, PIN pad, admin menu.

Getting in: hold a finger on the bottom-right corner (the ward name, which does nothing
else) for HOLD_MS, then type the PIN. The PIN check and its lockout are kiosk.admin's;
when admin mode ends (leaving the admin screens by any route, a wipe, its idle time) is
kiosk.modes', driven by the shell (both Qt-free, tested alone). Every admin screen is
registered through `register_admin`, whose factory sends anyone not in admin mode to the
PIN pad instead and marks the real admin screens (Qt property `admin`) for the shell.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk import admin
from offline_index.errors import LawShelfError
from ui import events
from ui.i18n import N_, error_message, tr
from ui.qt import QApplication, QEvent, QGridLayout, QObject, QPoint, Qt, QTimer, QWidget
from ui.screens.registry import register_screen
from ui.widgets import Screen, button, label

if TYPE_CHECKING:
    from ui.shell import Shell

log = logging.getLogger(__name__)

HOLD_MS = 3000  # long enough that no resident triggers it by accident
CORNER_MM = 15.0  # the corner square, one touch target
ADMIN_SCREENS: set[str] = set()


# ---------------------------------------------------------------- admin mode


def mode(shell: Shell) -> bool:
    """Whether admin mode is on (kiosk.modes, driven by the shell)."""
    return bool(shell.admin_active)


def enter(shell: Shell) -> None:
    shell.enter_admin()


def register_admin(name: str, factory: Callable[..., QWidget]) -> None:
    """Register an admin screen: outside admin mode its factory shows the PIN pad instead."""
    ADMIN_SCREENS.add(name)

    def guarded(shell: Shell, **kw: Any) -> QWidget:
        if not mode(shell):
            return PinScreen(shell, then=name)
        widget = factory(shell, **kw)
        widget.setProperty("admin", True)
        return widget

    register_screen(name, guarded)


# ---------------------------------------------------------------- the gesture


class CornerGesture(QObject):
    """Application event filter: a long press in the bottom-right corner opens the PIN pad."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._window: QWidget | None = None
        self._swallow_release = False

    def _shell_of(self, obj: QObject) -> Shell | None:
        from ui.shell import Shell

        win = obj.window() if isinstance(obj, QWidget) else None
        return win if isinstance(win, Shell) else None

    def _in_corner(self, shell: Shell, global_pos: QPoint) -> bool:
        side = shell.ctx.theme.mm(CORNER_MM)
        p = shell.mapFromGlobal(global_pos)
        return p.x() >= shell.width() - side and p.y() >= shell.height() - side

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt override
        t = ev.type()
        if t not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.KeyPress,
        ):
            return False
        shell = self._shell_of(obj)
        if shell is None:
            return False
        if t == QEvent.Type.MouseButtonPress:
            pos = ev.globalPosition().toPoint()
            if not shell.in_loop and self._in_corner(shell, pos):
                self._window = shell
                self._timer.start(HOLD_MS)
        elif t == QEvent.Type.MouseButtonRelease:
            self._timer.stop()
            if self._swallow_release:
                self._swallow_release = False
                return True
        return False

    def _fire(self) -> None:
        shell, self._window = self._window, None
        if shell is None or shell.current_name in ADMIN_SCREENS | {"admin_pin"}:
            return
        self._swallow_release = True
        events.emit("admin_gesture")
        shell.navigate("admin" if mode(shell) else "admin_pin")


def install_gesture() -> CornerGesture | None:
    app = QApplication.instance()
    if app is None:
        return None
    existing = getattr(app, "_lawshelf_admin_gesture", None)
    if existing is None:
        existing = CornerGesture(app)
        app.installEventFilter(existing)
        app._lawshelf_admin_gesture = existing
    return existing


# ---------------------------------------------------------------- PIN pad


class PinScreen(Screen):
    """Big digit keys (no keyboard needed); the PIN is never shown, only dots."""

    def __init__(self, shell: Shell, then: str = "admin") -> None:
        super().__init__(shell, tr("Quản trị"))
        self.setObjectName("admin_pin")
        self.then = then
        self.pin = ""
        self.prompt = label(tr("Nhập mã PIN của cán bộ quản lý"), "title", name="pin_prompt")
        self.dots = label("", "title", name="pin_dots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label("", "banner", name="pin_message")
        self.message.hide()
        pad = QWidget()
        grid = QGridLayout(pad)
        grid.setSpacing(self.theme.gap)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        self.keys: dict[str, Any] = {}
        for i, key in enumerate(keys):
            b = button(key, lambda k=key: self.press(k), role="tile", name=f"pin_{key}")
            b.setProperty("primary", key == "OK")  # the same size as the digits, in the accent
            b.setMinimumSize(self.theme.target * 2, self.theme.target * 3 // 2)
            grid.addWidget(b, i // 3, i % 3)
            self.keys[key] = b
        self.layout_.addWidget(self.prompt)
        self.layout_.addWidget(self.dots)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(pad, 0, Qt.AlignmentFlag.AlignHCenter)
        self.layout_.addStretch(1)
        self._countdown = QTimer(self)
        self._countdown.timeout.connect(self._show_lock)
        self._show_lock()

    def press(self, key: str) -> None:
        if key == "⌫":
            self.pin = self.pin[:-1]
        elif key == "OK":
            self.submit()
            return
        elif len(self.pin) < 12:
            self.pin += key
        self.dots.setText("●" * len(self.pin))

    def _db(self):  # noqa: ANN202 - sqlite_utils.Database
        from kiosk.state import open_state

        return open_state(self.shell.ctx.home)

    def submit(self) -> None:
        pin, self.pin = self.pin, ""
        self.dots.setText("")
        db = self._db()
        try:
            ok = admin.check_pin(db, pin)
            tries = admin.MAX_FAILURES - admin.lock_state(db).failures  # read while open
        except admin.AdminLocked:
            self._show_lock()
            return
        except LawShelfError as exc:  # no PIN set; the disk full (no failure could be counted)
            self._say(error_message(exc, exc.message))
            return
        finally:
            db.conn.close()
        if not ok:
            self._say(tr("Sai mã PIN. Còn {n} lần thử trước khi máy tạm khóa.").format(n=tries))
            self._show_lock()  # after the last try: the lock's count-down instead
            events.emit("admin_pin_wrong")
            return
        self.shell.back()  # the PIN pad does not stay on the stack
        enter(self.shell)
        self.shell.navigate(self.then)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show_lock(self) -> None:
        """While locked: keys disabled and a countdown; a restart does not unlock (it's in SQLite)."""
        db = self._db()
        try:
            left = admin.lock_state(db).seconds_left(time.time())
        finally:
            db.conn.close()
        for b in self.keys.values():
            b.setEnabled(left == 0)
        if left:
            mins, secs = divmod(left, 60)
            self._say(
                tr("Nhập sai quá nhiều lần. Thử lại sau {m} phút {s} giây.").format(m=mins, s=secs)
            )
            self._countdown.start(1000)
        elif self._countdown.isActive():
            self._countdown.stop()
            self.message.hide()


# ---------------------------------------------------------------- the menu

MENU = (
    ("admin_status", N_("Tình trạng máy")),
    ("admin_sync", N_("Cập nhật ngay")),
    ("admin_usb_import", N_("Nạp dữ liệu từ USB")),
    ("admin_local", N_("Thêm tài liệu địa phương")),
    ("admin_usb_export", N_("Xuất dữ liệu ra USB")),
    ("admin_settings", N_("Cài đặt")),
    ("admin_report", N_("Báo cáo sử dụng")),
    ("admin_thesaurus", N_("Từ ngữ đời thường")),
)


class AdminMenu(Screen):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Quản trị"))
        self.setObjectName("admin_menu")
        self.layout_.addWidget(label(tr("Chế độ quản trị. Máy tự thoát khi không dùng."), "small"))
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setSpacing(self.theme.gap)
        for i, (name, text) in enumerate(MENU):
            b = button(
                tr(text), lambda n=name: self.shell.navigate(n), role="tile", name=f"menu_{name}"
            )
            b.setMinimumHeight(self.theme.target * 3 // 2)
            grid.addWidget(b, i // 2, i % 2)
        self.layout_.addWidget(grid_box, 1)
        self.layout_.addWidget(
            button(tr("Thoát chế độ quản trị"), self.leave, role="primary", name="admin_exit")
        )

    def leave(self) -> None:
        self.shell.admin_exit()


register_screen("admin_pin", lambda shell, **kw: PinScreen(shell, **kw))
register_admin("admin", lambda shell, **kw: AdminMenu(shell))
install_gesture()
