"""Typed errors for known conditions.

Known conditions (bad input, missing library, corrupt file) are `LawShelfError`
subclasses carrying a plain message for people; anything else is a bug.
Each error has an English `message` and a Vietnamese `message_vi` for the kiosk UI.
"""

from __future__ import annotations


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
