"""One sync at a time: an fcntl lock on HOME/sync/sync.lock.

Why fcntl: the kernel drops the lock when the holder dies (kill -9, power cut), so a crashed
sync never blocks the next nightly run, unlike a pid file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from offline_index.home import sync_lock_path
from sync.errors import BusyError


class SyncLock:
    def __init__(self, home: Path) -> None:
        self.path = sync_lock_path(home)
        self.fd: int | None = None

    def __enter__(self) -> SyncLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BusyError("another sync is running on this kiosk; try again later") from None
        self.fd = fd
        try:  # the pid is only a hint for people; a full disk must not leave the lock held
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            pass
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
