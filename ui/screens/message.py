"""Plain message and crash screens: every bad state ends in words and a way Home."""

from __future__ import annotations

import logging

from ui.i18n import tr
from ui.screens.registry import register_screen
from ui.widgets import Screen, button, label

log = logging.getLogger(__name__)


class MessageScreen(Screen):
    def __init__(self, shell: object, title: str, text: str) -> None:
        super().__init__(shell, title)
        self.text_label = label(text, "title", name="message_text")
        self.layout_.addWidget(self.text_label)
        self.layout_.addStretch(1)
        self.layout_.addWidget(button(tr("◀ Quay lại"), shell.back, name="message_back"))


class CrashScreen(Screen):
    """Shown for an unexpected error: apologise, offer Home; details go to the log only."""

    def __init__(self, shell: object, error: BaseException | None = None) -> None:
        super().__init__(shell, tr("Đã có lỗi"))
        log.error("crash screen for %r", error)
        self.layout_.addWidget(label(tr("Xin lỗi, máy vừa gặp lỗi."), "title"))
        self.layout_.addWidget(
            label(
                tr(
                    "Những gì bạn đang xem chưa được lưu. Hãy chạm nút bên dưới để về trang chủ "
                    "và thử lại. Nếu lỗi lặp lại, vui lòng báo cán bộ phường/xã."
                )
            )
        )
        self.layout_.addStretch(1)
        home = button(tr("⌂ Về trang chủ"), shell.go_home, role="primary", name="crash_home")
        self.layout_.addWidget(home)


register_screen("message", lambda shell, **kw: MessageScreen(shell, **kw))
register_screen("crash", lambda shell, **kw: CrashScreen(shell, **kw))
