"""Run plain functions off the GUI thread and hand results back on it.

The GUI thread never touches SQLite, Whoosh, pymupdf or subprocesses: a resident's
touch must always be answered. `Ops.run` queues a callable on a worker pool and calls
`on_done(result)` or `on_error(exc)` on the GUI thread. Library objects are only safe
in one thread at a time, so library work goes to a pool with exactly one thread
(`pool="library"`); kiosk-state writes go to `pool="state"` (one thread, one SQLite
connection); other work (audio, rendering) goes to `pool="general"`.
Callbacks whose owner widget has been deleted meanwhile are dropped.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from ui.qt import QObject, QRunnable, QThreadPool, QWidget, Signal, Slot, isValid

log = logging.getLogger(__name__)


class _Dispatcher(QObject):
    """Lives in the GUI thread; queued signals from workers land in `_deliver` there."""

    delivered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._deliver)

    @Slot(object)
    def _deliver(self, payload: tuple) -> None:
        callback, owner, value = payload
        if callback is None or (owner is not None and not isValid(owner)):
            return
        callback(value)


class _Task(QRunnable):
    def __init__(
        self,
        ops: Ops,
        fn: Callable[[], Any],
        on_done: Callable | None,
        on_error: Callable | None,
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._ops, self._fn, self._done, self._err, self._owner = ops, fn, on_done, on_error, owner

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI, never lost
            log.exception("background task failed")
            self._ops._dispatcher.delivered.emit(
                (self._err or self._ops.default_error, self._owner, exc)
            )
            return
        self._ops._dispatcher.delivered.emit((self._done, self._owner, value))


class Ops:
    """Worker pools plus the GUI-thread dispatcher. One per application."""

    def __init__(self) -> None:
        self._dispatcher = _Dispatcher()
        self.pools: dict[str, QThreadPool] = {}
        for name, threads in (("library", 1), ("state", 1), ("general", 2)):
            self.pools[name] = QThreadPool()
            self.pools[name].setMaxThreadCount(threads)
        self.default_error: Callable[[BaseException], None] = lambda exc: None
        self._seq = itertools.count(1)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        owner: QWidget | None = None,
        pool: str = "library",
        **kwargs: Any,
    ) -> int:
        """Queue fn(*args, **kwargs); returns a ticket number (increasing) for latest-wins checks."""
        ticket = next(self._seq)
        task = _Task(self, lambda: fn(*args, **kwargs), on_done, on_error, owner)
        self.pools[pool].start(task)
        return ticket

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued work is done (tests, shutdown)."""
        return all(p.waitForDone(msecs) for p in self.pools.values())
