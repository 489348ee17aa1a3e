"""Restart at an idle wipe, never in a resident's session: into a new app version, or for a
fresh process once a night.

When the installer step has built and checked a new version (sync/app_apply.py), the running
kiosk exits as soon as it is in the media loop (the session was just wiped, nobody is using
it); systemd's Restart=always starts it again, and the guard switches to the new version first
(sync/app_guard.py). A kiosk that has run half a day also exits once in its screen-off hours
(kiosk.maintenance.fresh_start_due), so slow native memory growth never adds up over weeks.
Only under systemd (INVOCATION_ID), or when LAWSHELF_APP_RESTART=1 asks (tests): a kiosk
started by hand must not vanish.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from importlib import metadata
from typing import TYPE_CHECKING

from kiosk import maintenance
from sync import app_state
from ui import events
from ui.qt import QApplication, QTimer

if TYPE_CHECKING:
    from ui.shell import Shell

log = logging.getLogger(__name__)

CHECK_S = 60  # also while the loop runs: an update may become ready at night, in the loop


def install(shell: Shell, clock: Callable[[], datetime] = datetime.now) -> QTimer | None:
    """Watch for a reason to restart; returns the timer (None when restarts are not ours)."""
    if not (os.environ.get("INVOCATION_ID") or os.environ.get("LAWSHELF_APP_RESTART") == "1"):
        return None
    root = app_state.app_root_for()
    running = metadata.version("lawshelf-kiosk")
    started = clock()

    def check(*_args: object) -> None:
        if not shell.in_loop or shell.leaving_loop:  # a resident has just touched the loop
            return
        if root is not None and app_state.restart_wanted(root, running):
            pending = (app_state.load(root).get("pending") or {}).get("version")
            log.info("app %s is ready; exiting at this idle wipe so it starts", pending)
            events.emit("app_restart", running=running, pending=pending)
        elif maintenance.fresh_start_due(started, clock(), shell.ctx.settings.screen_off_hours):
            log.info("running since %s; a fresh start at this idle wipe", started)
            events.emit("app_restart", running=running, pending=None, reason="nightly")
        else:
            return
        shell.allow_close()
        QApplication.instance().exit(0)

    timer = QTimer(shell)
    idle_s = float(shell.ctx.settings.idle_timeout_s)
    timer.setInterval(int(1000 * max(1.0, min(CHECK_S, idle_s))))  # as often as sessions end
    timer.timeout.connect(check)
    timer.start()
    shell.screen_changed.connect(check)
    return timer
