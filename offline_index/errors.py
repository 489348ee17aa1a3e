"""Typed errors for known conditions.

Known conditions (bad input, missing library, corrupt file) are `LawShelfError`
subclasses carrying a plain message for people; anything else is a bug.
Each error has an English `message` and a Vietnamese `message_vi` for the kiosk UI.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator


class LawShelfError(Exception):
    """Base class of every known, user-explainable condition."""

    message_vi: str = "Đã xảy ra lỗi. Vui lòng thử lại sau."

    def __init__(self, message: str, *, message_vi: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if message_vi is not None:
            self.message_vi = message_vi


class ContentError(LawShelfError):
    """A content file failed validation or could not be parsed.

    Always names the file, and the field where one is at fault.
    """

    message_vi = "Tệp nội dung không hợp lệ."

    def __init__(self, path: str, reason: str, field: str | None = None) -> None:
        where = f"{path}: {field}: " if field else f"{path}: "
        super().__init__(where + reason)
        self.path = path
        self.field = field
        self.reason = reason


class LibraryNotFound(LawShelfError):
    """No usable library generation at the given path."""

    message_vi = "Chưa có thư viện pháp luật trên máy này."


class LibraryCorrupt(LawShelfError):
    """A library generation exists but fails its checks."""

    message_vi = "Thư viện pháp luật bị hỏng. Đang dùng bản dự phòng nếu có."


class BuildError(LawShelfError):
    """A build failed (for example with --strict and a bad input)."""

    message_vi = "Không dựng được thư viện."


class StorageFull(LawShelfError):
    """The disk, or the database's size limit, is full: the write was rolled back whole."""

    message_vi = (
        "Máy đã hết chỗ lưu nên chưa ghi được. Nội dung bạn nhập vẫn còn; vui lòng báo cán bộ"
        " phường/xã."
    )


def is_disk_full(exc: BaseException) -> bool:
    """Whether a failure is a full disk: SQLite's SQLITE_FULL, an OSError ENOSPC, or the
    StorageFull one of these became."""
    if isinstance(exc, StorageFull):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


@contextlib.contextmanager
def full_disk_as_known() -> Iterator[None]:
    """A full disk raised inside becomes StorageFull: a known condition the kiosk tells a
    resident about, not a bug for the crash screen."""
    try:
        yield
    except (sqlite3.OperationalError, OSError) as exc:
        if is_disk_full(exc):
            raise StorageFull(str(exc)) from exc
        raise
