"""Admin settings: the librarian's kiosk settings, a new PIN, and maintenance mode.

Values are stored with kiosk.settings.set_value (the state table wins over config.toml).
Maintenance mode stops the kiosk session until the next boot: the flag is written, then
the app quits; the unit's ExecCondition keeps systemd from starting it again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk import admin, maintenance, settings
from offline_index.errors import LawShelfError
from ui import events
from ui.i18n import N_, error_message, tr
from ui.qt import QApplication, QGridLayout, QLineEdit, QtWidgets, QWidget
from ui.screens.accessibility import SIZES
from ui.screens.admin import register_admin
from ui.widgets import Screen, button, choices, label

if TYPE_CHECKING:
    from ui.shell import Shell

log = logging.getLogger(__name__)

# (setting, label, widget kind)
FIELDS = (
    ("ward_name", N_("Tên phường/xã"), "text"),
    ("idle_timeout_s", N_("Tự xóa phiên sau (giây)"), "int"),
    ("text_size", N_("Cỡ chữ mặc định"), "size"),
    ("volume", N_("Âm lượng (0-100)"), "int"),
    ("screen_off_hours", N_("Giờ tắt màn hình (22:00-06:00)"), "text"),
    ("print_limit", N_("Số trang in tối đa mỗi lượt"), "int"),
    ("sync_source", N_("Nguồn cập nhật"), "text"),
    ("stats_min_count", N_("Chỉ liệt kê mục được đếm từ (lượt)"), "int"),
)


def quit_for_maintenance() -> None:
    """Replaced in tests; in the kiosk the session ends and systemd does not restart it."""
    QApplication.instance().exit(0)


class SettingsScreen(Screen):
    scrolls = True

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell, tr("Cài đặt"))
        self.setObjectName("admin_settings")
        self.inputs: dict[str, Any] = {}
        values = self._load()
        box = QWidget()
        grid = QGridLayout(box)
        for i, (name, text, kind) in enumerate(FIELDS):
            grid.addWidget(label(tr(text)), i, 0)
            widget = self._input(name, kind, getattr(values, name))
            grid.addWidget(widget, i, 1)
        self.layout_.addWidget(box)
        self.message = label("", "notice", name="settings_message")
        self.message.hide()
        self.layout_.addWidget(
            button(tr("Lưu cài đặt"), self.save, role="primary", name="settings_save")
        )
        self.layout_.addWidget(self.message)
        pin_row = QWidget()
        pins = QGridLayout(pin_row)
        self.pin1 = QLineEdit(objectName="new_pin", echoMode=QLineEdit.EchoMode.Password)
        self.pin2 = QLineEdit(objectName="new_pin2", echoMode=QLineEdit.EchoMode.Password)
        pins.addWidget(label(tr("Mã PIN mới")), 0, 0)
        pins.addWidget(self.pin1, 0, 1)
        pins.addWidget(label(tr("Nhập lại")), 1, 0)
        pins.addWidget(self.pin2, 1, 1)
        pins.addWidget(button(tr("Đổi mã PIN"), self.change_pin, name="pin_change"), 2, 1)
        self.layout_.addWidget(pin_row)
        self.layout_.addWidget(
            label(
                tr(
                    "Chế độ bảo trì tắt màn hình tra cứu đến lần khởi động lại máy, để làm việc ở "
                    "bàn điều khiển."
                ),
                "small",
            )
        )
        self.layout_.addWidget(
            button(tr("Bật chế độ bảo trì"), self.maintenance, name="maintenance_on")
        )
        self.layout_.addStretch(1)

    def _db(self):  # noqa: ANN202 - sqlite_utils.Database
        from kiosk.state import open_state

        return open_state(self.shell.ctx.home)

    def _load(self) -> settings.Settings:
        db = self._db()
        try:
            return settings.load(self.shell.ctx.home, db)
        finally:
            db.conn.close()

    def _input(self, name: str, kind: str, value: Any) -> QWidget:
        if kind == "size":
            # the declared choices, shown as the residents' text-size buttons name them
            names = dict(SIZES)
            sizes = settings.BY_NAME[name].choices
            w = choices(f"set_{name}", [(tr(names.get(s, s)), s) for s in sizes])
            w.setCurrentIndex(max(0, w.findData(str(value))))
        else:
            w = QLineEdit(str(value), objectName=f"set_{name}")
        self.inputs[name] = w
        return w

    def values(self) -> dict[str, str]:
        return {
            n: (w.currentData() if isinstance(w, QtWidgets.QComboBox) else w.text().strip())
            for n, w in self.inputs.items()
        }

    def save(self) -> None:
        db = self._db()
        try:
            typed = {n: settings.coerce(settings.BY_NAME[n], v) for n, v in self.values().items()}
            for name, value in typed.items():
                settings.set_value(db, name, value)
        except LawShelfError as exc:
            self._say(tr("Không lưu được: {e}").format(e=exc.message), ok=False)
            return
        finally:
            db.conn.close()
        self.shell.ctx.settings = self.shell.ctx.settings.replace(**typed)
        self.shell.set_idle_timeout(typed["idle_timeout_s"])
        self.shell.ward_label.setText(typed["ward_name"])
        self._say(tr("Đã lưu cài đặt."))
        events.emit("admin_settings_saved")

    def change_pin(self) -> None:
        if self.pin1.text() != self.pin2.text():
            self._say(tr("Hai mã PIN không giống nhau."), ok=False)
            return
        db = self._db()
        try:
            admin.set_pin(db, self.pin1.text())
        except LawShelfError as exc:
            self._say(error_message(exc, exc.message), ok=False)
            return
        finally:
            db.conn.close()
            self.pin1.clear()
            self.pin2.clear()
        self._say(tr("Đã đổi mã PIN."))

    def maintenance(self) -> None:
        maintenance.set_mode(self.shell.ctx.home, True)
        events.emit("maintenance_on")
        self.shell.allow_close()
        quit_for_maintenance()

    def _say(self, text: str, ok: bool = True) -> None:
        self.message.setProperty("role", "notice" if ok else "banner")
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()


register_admin("admin_settings", lambda shell, **kw: SettingsScreen(shell))
