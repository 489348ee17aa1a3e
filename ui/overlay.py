"""Notices laid over the whole window: before the idle wipe (a count-down), and before
leaving a screen would lose what the resident did there (a contest's answers).

A resident who taps `◀ Quay lại` in the middle of a quiz, or who stopped to think for the
idle time, lost every answer with no word. Each notice says what is about to happen; a
touch on `stay` keeps everything as it was.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ui.i18n import N_, tr
from ui.qt import QFrame, Qt, QTimer, QVBoxLayout, QWidget
from ui.widgets import button, label, row

WARN_S = 20.0  # the idle notice's time; a third of the idle time when that is shorter (tests)
STILL_HERE = N_("Bạn còn dùng máy không?")
STAY = N_("Tôi vẫn đang dùng")
COUNTDOWN = N_(
    "Chạm vào màn hình để tiếp tục. Sau {n} giây, máy sẽ xóa những gì bạn đã xem, đã nhập"
    " và trở về màn hình chờ."
)


class Overlay(QFrame):
    """A card over the whole main window, its title and text centred, buttons below."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "card")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.title = label("", "title", name=f"{name}_title")
        self.text = label("", name=f"{name}_text")
        for widget in (self.title, self.text):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(widget)
        self.buttons = QVBoxLayout()
        lay.addLayout(self.buttons)
        lay.addStretch(1)
        self.hide()

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()


class IdleWarning(Overlay):
    """The count-down before the idle wipe; the shell's activity filter ends it on a touch."""

    def __init__(self, parent: QWidget, on_expire: Callable[[], None]) -> None:
        super().__init__(parent, "idle_warning")
        self.on_expire = on_expire
        self.deadline = 0.0
        self.stay = button("", self.cancel, role="primary", name="idle_stay")
        self.buttons.addWidget(self.stay)
        self.tick = QTimer(self)
        self.tick.timeout.connect(self._tick)

    def start(self, seconds: float) -> None:
        """Show the notice for `seconds`, over whatever the resident has open (its words in
        the language chosen now: the notice outlives a language switch)."""
        self.deadline = time.monotonic() + seconds
        self.title.setText(tr(STILL_HERE))
        self.stay.setText(tr(STAY))
        self.cover()
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


KEEP_ON, LEAVE = N_("Ở lại làm tiếp"), N_("Bỏ và thoát")


class ConfirmLeave(Overlay):
    """`Bỏ bài thi?` before a tap on Back or Home leaves a screen holding unsaved work."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "confirm_leave")
        self._go: Callable[[], None] = lambda: None
        self.stay = button("", self.hide, role="primary", name="leave_stay")
        self.leave = button("", self._leave, name="leave_go")
        self.buttons.addLayout(row(self.stay, self.leave))

    def ask(self, question: str, what: str, go: Callable[[], None]) -> None:
        self.title.setText(question)
        self.text.setText(what)
        self.stay.setText(tr(KEEP_ON))
        self.leave.setText(tr(LEAVE))
        self._go = go
        self.cover()

    def _leave(self) -> None:
        self.hide()
        self._go()
