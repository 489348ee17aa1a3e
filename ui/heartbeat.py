"""The kiosk's heartbeat for the watchdog: proof that a resident would get an answer.

A screen that still paints is not enough: a search that never ended once left every later
search on "Đang tìm…" while the GUI thread kept beating (issue 18). So every HEARTBEAT_MS
the GUI thread sends a small search to the library thread, and HOME/kiosk.heartbeat is
touched only when its answer is back on the GUI thread. A wedged library thread or a hung
GUI thread both stop the beat, and the watchdog (installer/files/lawshelf-watchdog)
restarts a kiosk whose heartbeat is older than three minutes. A kiosk without a library
still beats: its library thread answers (with an error), and a restart would not help.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from offline_index.errors import LawShelfError
from offline_index.home import heartbeat_path
from ui.qt import QObject, QTimer

if TYPE_CHECKING:
    from ui.app import AppContext
    from ui.shell import Shell

log = logging.getLogger(__name__)

HEARTBEAT_MS = 30_000
PROBE_QUERY = "pháp luật"
SLOW_PROBE_S = 5.0


def probe(ctx: AppContext) -> str:
    """Library thread: one small search, as a resident's would run."""
    try:
        ctx.call_library(lambda lib: lib.search(PROBE_QUERY, limit=1))
    except LawShelfError as exc:  # no library: the thread still answered
        return type(exc).__name__
    return "ok"


class Heartbeat(QObject):
    """One per shell: a probe search every HEARTBEAT_MS, never more than one in flight."""

    def __init__(self, shell: Shell, interval_ms: int = HEARTBEAT_MS) -> None:
        super().__init__(shell)
        self.shell = shell
        self.sent_at: float | None = None  # the probe in flight, if any
        self.beats = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.send)
        self.timer.start(interval_ms)
        QTimer.singleShot(0, self.send)

    def send(self) -> None:
        if self.sent_at is not None:
            return  # the last probe has not come back: no beat until it does
        self.sent_at = time.monotonic()
        ctx = self.shell.ctx
        ctx.ops.run(probe, ctx, on_done=self._answered, on_error=self._answered, owner=self)

    def _answered(self, outcome: object) -> None:
        took = time.monotonic() - (self.sent_at or time.monotonic())
        self.sent_at = None
        if took > SLOW_PROBE_S:
            log.warning("heartbeat search took %.1f s (%s)", took, outcome)
        path = heartbeat_path(self.shell.ctx.home)
        try:
            path.touch()
        except OSError as exc:
            log.warning("heartbeat %s not written: %s", path, exc)
            return
        self.beats += 1
