"""Run plain functions off the GUI thread and hand results back on it.

The GUI thread never touches SQLite, Whoosh, pymupdf or subprocesses: a resident's
touch must always be answered. `Ops.run` queues a callable on a worker pool and calls
`on_done(result)` or `on_error(exc)` on the GUI thread. Library objects are only safe
in one thread at a time, so library work goes to a pool with exactly one thread
(`pool="library"`); kiosk-state writes go to `pool="state"` (one thread, one SQLite
connection); other work (audio, rendering) goes to `pool="general"`.
Callbacks whose owner widget has been deleted meanwhile are dropped.

`Ops.latest(pool)` gives a slot for work where only the newest request matters (search as
you type): at most one request waits in the pool, a newer one replaces it, the one running
is told to stop through its cancel callable, and a superseded request's result is dropped.
"""

from __future__ import annotations

import logging
import threading
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
        fn, done, err, owner = self._fn, self._done, self._err, self._owner
        # PySide keeps some finished runnables' wrappers alive: holding the screen that
        # asked (its callbacks, its owner) would keep the closed screen and its pictures
        # (a 3.7 MB video frame each) for the rest of the day (issue 18).
        self._fn = self._done = self._err = self._owner = None
        try:
            value = fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI, never lost
            log.exception("background task failed")
            self._ops._dispatcher.delivered.emit((err or self._ops.default_error, owner, exc))
            return
        self._ops._dispatcher.delivered.emit((done, owner, value))


def logged_only(what: str) -> Callable[[BaseException], None]:
    """An on_error for work whose failure must not reach the screen (a usage count, a play
    count): a full disk or a state database that will not open loses the count, logged, and
    never shows the crash screen to a resident or on a public screen."""

    def report(exc: BaseException) -> None:
        log.warning("%s: %s", what, exc)

    return report


class Cancel:
    """A request's cancel flag: set when a newer request supersedes it (thread-safe).

    `cancelled` is the callable long work polls (the engine's cancel hook).
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def cancelled(self) -> bool:
        return self._event.is_set()


_Job = tuple[Callable[[Callable[[], bool]], Any], Callable | None, Callable | None, Any, Cancel]


class LatestSlot:
    """Latest-wins work on one pool: never more than one request queued.

    `submit(fn, ...)` runs fn(cancelled) on the pool. A newer submit cancels the request
    before it (queued: it never runs; running: its `cancelled()` turns True and its
    result or error is dropped). The newest request's result reaches on_done.
    """

    def __init__(self, ops: Ops, pool: str) -> None:
        self._ops, self._pool = ops, pool
        self._lock = threading.Lock()
        self._pending: _Job | None = None
        self._queued = False  # a task that will pick up _pending is in the pool
        self._current: Cancel | None = None
        self.started = 0  # requests that ran (tests: superseded ones never start)

    def submit(
        self,
        fn: Callable[[Callable[[], bool]], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        token = Cancel()
        with self._lock:
            if self._current is not None:
                self._current.cancel()
            self._current, self._pending = token, (fn, on_done, on_error, owner, token)
            start, self._queued = not self._queued, True
        if start:
            self._ops.pools[self._pool].start(_SlotTask(self))

    def cancel(self) -> None:
        """Drop the queued request and tell the running one to stop (screen closed)."""
        with self._lock:
            if self._current is not None:
                self._current.cancel()
            self._pending = None

    def _take(self) -> _Job | None:
        with self._lock:
            job, self._pending, self._queued = self._pending, None, False
        if job is not None:
            self.started += 1
        return job

    def _deliver(self, callback: Callable | None, owner: Any, value: Any, token: Cancel) -> None:
        if not token.cancelled():  # a superseded answer is stale: never shown
            self._ops._dispatcher.delivered.emit((callback, owner, value))


class _SlotTask(QRunnable):
    def __init__(self, slot: LatestSlot) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._slot = slot

    def run(self) -> None:
        job = self._slot._take()
        if job is None:
            return
        fn, on_done, on_error, owner, token = job
        try:
            value = fn(token.cancelled)
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI, never lost
            log.exception("background task failed")
            err = on_error or self._slot._ops.default_error
            self._slot._deliver(err, owner, exc, token)
            return
        self._slot._deliver(on_done, owner, value, token)


class Ops:
    """Worker pools plus the GUI-thread dispatcher. One per application."""

    def __init__(self) -> None:
        self._dispatcher = _Dispatcher()
        self.pools: dict[str, QThreadPool] = {}
        for name, threads in (("library", 1), ("state", 1), ("general", 2)):
            self.pools[name] = QThreadPool()
            self.pools[name].setMaxThreadCount(threads)
        self.default_error: Callable[[BaseException], None] = lambda exc: None

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        owner: QWidget | None = None,
        pool: str = "library",
        **kwargs: Any,
    ) -> None:
        """Queue fn(*args, **kwargs); on_done or on_error gets its outcome on the GUI thread."""
        task = _Task(self, lambda: fn(*args, **kwargs), on_done, on_error, owner)
        self.pools[pool].start(task)

    def latest(self, pool: str = "library") -> LatestSlot:
        """A latest-wins slot on `pool` (see LatestSlot)."""
        return LatestSlot(self, pool)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued work is done (tests, shutdown)."""
        return all(p.waitForDone(msecs) for p in self.pools.values())
