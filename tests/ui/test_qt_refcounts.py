"""A kiosk runs for weeks: the Qt binding must not leak references to None/True/False.

PySide6 6.12.0 dropped a reference to None on every posted event delivered to Python, so a
kiosk aborted ("none_dealloc") after a few thousand events; pyproject pins PySide6 below 6.12.
This runs the real event loop in a subprocess (the crash aborts the interpreter).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])

    class Filter(QObject):
        def eventFilter(self, obj, ev):
            return False

    class Widget(QWidget):
        def event(self, ev):
            return super().event(ev)

    w, f = Widget(), Filter()
    app.installEventFilter(f)
    start = [sys.getrefcount(x) for x in (None, True, False)]
    ticks = [0]

    def tick():
        for _ in range(50):
            QCoreApplication.postEvent(w, QEvent(QEvent.Type.User))
        ticks[0] += 1
        if ticks[0] == 200:
            end = [sys.getrefcount(x) for x in (None, True, False)]
            print(*[e - s for s, e in zip(start, end)])
            app.quit()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(0)
    app.exec()
    """
)


def test_ten_thousand_events_leak_no_singleton_references() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    drift = [int(x) for x in run.stdout.split()]
    assert all(abs(d) < 500 for d in drift), f"None/True/False reference drift: {drift}"
