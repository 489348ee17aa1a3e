"""Before the idle wipe, a notice over the whole screen that counts down.

A resident reading a long article, or thinking over a contest's question, touches nothing
for the idle time and lost it all with no warning: the answers typed, the article open. The
notice says what is about to happen and when; any touch keeps everything where it was (the
shell's activity filter ends it). Only when the count reaches nought does the wipe come.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ui.i18n import N_, tr
from ui.qt import QFrame, Qt, QTimer, QVBoxLayout, QWidget
from ui.widgets import button, label

WARN_S = 20.0  # the notice's time; a third of the idle time when that is shorter (tests)
STILL_HERE = N_("Bạn còn dùng máy không?")
COUNTDOWN = N_(
    "Chạm vào màn hình để tiếp tục. Sau {n} giây, máy sẽ xóa những gì bạn đã xem, đã nhập"
    " và trở về màn hình chờ."
)


class IdleWarning(QFrame):
    """The count-down notice, a child of the main window laid over all of it."""

    def __init__(self, parent: QWidget, on_expire: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("idle_warning")
        self.setProperty("role", "card")
        self.on_expire = on_expire
        self.deadline = 0.0
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(label(tr(STILL_HERE), "title", name="idle_title"))
        self.text = label("", name="idle_text")
        lay.addWidget(self.text)
        lay.addWidget(
            button(tr("Tôi vẫn đang dùng"), self.cancel, role="primary", name="idle_stay")
        )
        lay.addStretch(1)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tick = QTimer(self)
        self.tick.timeout.connect(self._tick)
        self.hide()

    @property
    def active(self) -> bool:
        return self.tick.isActive()

    def start(self, seconds: float) -> None:
        """Show the notice for `seconds`, over whatever the resident has open."""
        self.deadline = time.monotonic() + seconds
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.tick.start(max(50, min(1000, int(seconds * 1000 / 4))))
        self._tick()

    def cancel(self) -> None:
        self.tick.stop()
        self.hide()

    def _tick(self) -> None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.cancel()
            self.on_expire()
            return
        self.text.setText(tr(COUNTDOWN).format(n=math.ceil(left)))


def warning_seconds(idle_s: float) -> float:
    return min(WARN_S, idle_s / 3)
