"""Plain message and crash screens: every bad state ends in words and a way Home."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ui.i18n import tr
from ui.screens.registry import register_screen
from ui.widgets import Screen, button, label

if TYPE_CHECKING:
    from ui.shell import Shell

log = logging.getLogger(__name__)


class MessageScreen(Screen):
    """What happened (title bar and `text`), then what the resident can do instead: `steps`
    in plain words, a `note` to copy down in large type, `actions` as buttons, and Back."""

    def __init__(
        self,
        shell: Shell,
        title: str,
        text: str,
        steps: Sequence[str] = (),
        note: str = "",
        actions: Sequence[tuple[str, str, Callable[[], None]]] = (),
    ) -> None:
        super().__init__(shell, title)
        self.text_label = label(text, "title", name="message_text")
        self.layout_.addWidget(self.text_label)
        if steps:
            self.layout_.addWidget(label(tr("Bạn vẫn có thể:"), "field", name="message_instead"))
            for i, step in enumerate(steps, 1):
                self.layout_.addWidget(label(f"{i}. {step}", name=f"message_step_{i}"))
        if note:  # large and bold: something to copy onto paper
            big = label(note, "notice", name="message_note")
            big.setStyleSheet(f"font-size: {self.theme.title_px}px; font-weight: bold;")
            self.layout_.addWidget(big)
        for name, text_, fn in actions:
            self.layout_.addWidget(button(text_, fn, role="primary", name=name))
        self.layout_.addStretch(1)
        self.layout_.addWidget(button(tr("◀ Quay lại"), shell.back, name="message_back"))


class CrashScreen(Screen):
    """Shown for an unexpected error: apologise, offer Home; details go to the log only."""

    def __init__(self, shell: Shell, error: BaseException | None = None) -> None:
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
