"""The inbox web server's password file: one `kiosk-id:{SSHA}...` line per kiosk.

Why {SSHA} (salted SHA-1, understood by nginx's auth_basic): upload passwords are 24 random
bytes from `lawshelf enroll` (secrets.token_urlsafe), so no dictionary or brute force applies,
and nginx needs no crypt(3) scheme. The file is rewritten atomically, keeping its owner,
group and mode (nginx's worker reads it through its group; new files are 0640).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from offline_index.fsutil import atomic_write_text
from sync.enroll import EnrolmentError, check_kiosk_id

DEFAULT_PATH = Path("/etc/nginx/lawshelf-inbox.htpasswd")
PATH_ENV = "LAWSHELF_INBOX_HTPASSWD"


def ssha(password: str) -> str:
    """An htpasswd {SSHA} value for `password` (fresh 8-byte salt)."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt, usedforsecurity=False).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _write(path: Path, lines: list[str]) -> None:
    st = path.stat() if path.exists() else None
    atomic_write_text(
        path, "".join(f"{line}\n" for line in lines), mode=(st.st_mode & 0o777) if st else 0o640
    )
    if st is not None and os.geteuid() == 0:
        os.chown(path, st.st_uid, st.st_gid)


def set_password(path: Path, kiosk_id: str, password: str) -> bool:
    """Add or replace the kiosk's line; True if it replaced one."""
    check_kiosk_id(kiosk_id)
    if not password or any(c in password for c in ":\r\n") or len(password) < 16:
        raise EnrolmentError(
            "an upload password is the one `lawshelf enroll` printed (16+ characters)"
        )
    lines = _lines(path)
    kept = [line for line in lines if line.split(":", 1)[0] != kiosk_id]
    _write(path, [*kept, f"{kiosk_id}:{ssha(password)}"])
    return len(kept) != len(lines)


def remove(path: Path, kiosk_id: str) -> bool:
    """Drop the kiosk's line (a revoked kiosk can no longer upload); True if there was one."""
    lines = _lines(path)
    kept = [line for line in lines if line.split(":", 1)[0] != kiosk_id]
    if len(kept) != len(lines):
        _write(path, kept)
    return len(kept) != len(lines)


def check(path: Path, kiosk_id: str, password: str) -> bool:
    """Does the file accept this kiosk's password (as nginx would)?"""
    for line in _lines(path):
        user, _, value = line.partition(":")
        if user == kiosk_id and value.startswith("{SSHA}"):
            raw = base64.b64decode(value[6:])
            digest, salt = raw[:20], raw[20:]
            return hashlib.sha1(password.encode() + salt, usedforsecurity=False).digest() == digest
    return False
