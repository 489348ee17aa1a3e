"""Librarian mode: PIN as a slow hash, wrong-PIN lockout, admin inactivity timeout.

The PIN is kept only as an scrypt hash (memory-hard, so a stolen state database does
not give the PIN away quickly). Wrong PINs are counted in SQLite, not in memory, so
restarting the kiosk (or pulling the plug) does not reset the counter: after
MAX_FAILURES wrong PINs admin mode is locked for a time that doubles on every lock.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from offline_index.errors import LawShelfError, full_disk_as_known

if TYPE_CHECKING:  # annotations only: the shell imports this module before the first paint
    import sqlite_utils

log = logging.getLogger(__name__)

MAX_FAILURES = 5
BASE_LOCK_S = 60.0
MAX_LOCK_S = 24 * 3600.0
# scrypt cost: N=2**15, r=8 takes ~32 MiB and ~0.1 s here, fine for one check per tap.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
PIN_RE = re.compile(r"^[0-9]{4,12}$")


class PinError(LawShelfError):
    message_vi = "Mã PIN phải gồm 4 đến 12 chữ số."


class NoPinSet(LawShelfError):
    message_vi = "Chưa đặt mã PIN quản trị. Hãy đặt bằng lệnh: lawshelf admin set-pin"


class AdminLocked(LawShelfError):
    """Too many wrong PINs: admin mode refuses even to check the PIN until `until`."""

    def __init__(self, until: float, now: float) -> None:
        self.until = until
        self.seconds_left = max(0, int(until - now + 0.999))
        mins = max(1, (self.seconds_left + 59) // 60)
        super().__init__(
            f"admin mode is locked for {self.seconds_left} s after too many wrong PINs",
            message_vi=f"Nhập sai mã PIN quá nhiều lần. Vui lòng thử lại sau {mins} phút.",
        )


# ---------------------------------------------------------------- hashing


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """Return 'scrypt$n$r$p$salt$hash'; the parameters travel with the hash so they can grow."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, n, r, p)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_hash(pin: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    got = _scrypt(pin, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(got, bytes.fromhex(digest))


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * r * n + 2**20, dklen=32
    )


# ---------------------------------------------------------------- PIN in the state DB


def set_pin(db: sqlite_utils.Database, pin: str) -> None:
    """Store a new PIN (hash only) and clear any lockout."""
    if not PIN_RE.match(pin or ""):
        raise PinError("the PIN must be 4 to 12 digits")
    from offline_index.migrations import writing  # noqa: PLC0415 - sqlite-utils after first paint

    stored = hash_pin(pin)
    with writing(db):
        db.execute(
            "INSERT OR REPLACE INTO admin_pin (id, hash, set_at) VALUES (1, ?, ?)",
            [stored, datetime.now(UTC).isoformat(timespec="seconds")],
        )
        db.execute("DELETE FROM admin_lockout")
    log.info("admin PIN changed")


def has_pin(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM admin_pin WHERE id = 1").fetchone() is not None


def lock_duration(lock_count: int) -> float:
    """Lock length for the lock_count-th lock (1-based): 60 s, 120 s, 240 s, ... capped at a day."""
    return min(MAX_LOCK_S, BASE_LOCK_S * 2 ** max(0, lock_count - 1))


@dataclass(frozen=True)
class LockState:
    failures: int
    lock_count: int
    locked_until: float

    def seconds_left(self, now: float) -> int:
        return max(0, int(self.locked_until - now + 0.999))


def lock_state(db: sqlite_utils.Database, now: float | None = None) -> LockState:
    """Current counters; a clock set backwards cannot stretch or skip a lock."""
    now = time.time() if now is None else now
    row = db.execute(
        "SELECT failures, lock_count, locked_until FROM admin_lockout WHERE id = 1"
    ).fetchone()
    if row is None:
        return LockState(0, 0, 0.0)
    failures, lock_count, until = row
    longest = lock_duration(lock_count) if lock_count else 0.0
    if until - now > longest:  # the clock went back: lock for the full duration from now
        until = now + longest
    return LockState(failures, lock_count, until)


def clear_lockout(db: sqlite_utils.Database, now: float | None = None) -> bool:
    """Forget wrong-PIN counts and any lock (console access is already trusted); returns
    whether admin mode was locked, so the console can say there was nothing to clear."""
    now = time.time() if now is None else now
    with db.atomic():
        locked = lock_state(db, now).locked_until > now
        db.execute("DELETE FROM admin_lockout")
    if locked:
        log.info("admin lockout cleared from the console")
    return locked


def check_pin(db: sqlite_utils.Database, pin: str, now: float | None = None) -> bool:
    """True if the PIN is right. Raises AdminLocked while locked, NoPinSet if none is set.

    Runs in one IMMEDIATE transaction so two processes cannot both use the same
    remaining attempt.
    """
    now = time.time() if now is None else now
    stored = db.execute("SELECT hash FROM admin_pin WHERE id = 1").fetchone()
    if stored is None:
        raise NoPinSet("no admin PIN is set; run `lawshelf admin set-pin`")
    with full_disk_as_known():  # a failure that cannot be counted refuses the PIN, said plainly
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            ok = _check_locked(db, pin, stored[0], now)
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
    return ok


def _check_locked(db: sqlite_utils.Database, pin: str, stored: str, now: float) -> bool:
    state = lock_state(db, now)
    if state.locked_until > now:
        _save(db, state.failures, state.lock_count, state.locked_until)
        raise AdminLocked(state.locked_until, now)
    if verify_hash(pin, stored):
        db.execute("DELETE FROM admin_lockout")
        return True
    failures, lock_count, until = state.failures + 1, state.lock_count, state.locked_until
    if failures >= MAX_FAILURES:
        lock_count += 1
        until = now + lock_duration(lock_count)
        failures = 0
        log.warning("admin mode locked for %.0f s after %d wrong PINs", until - now, MAX_FAILURES)
        log_event(db, "warning", "admin", f"{MAX_FAILURES} wrong PINs: locked", commit=False)
    _save(db, failures, lock_count, until)
    return False


def _save(db: sqlite_utils.Database, failures: int, lock_count: int, until: float) -> None:
    db.execute(
        "INSERT OR REPLACE INTO admin_lockout (id, failures, lock_count, locked_until,"
        " last_failure) VALUES (1, ?, ?, ?, ?)",
        [failures, lock_count, until, time.time()],
    )


# ---------------------------------------------------------------- recent events


def log_event(
    db: sqlite_utils.Database, level: str, source: str, message: str, *, commit: bool = True
) -> None:
    """Keep a short history of problems for the librarian's status screen (last 200)."""
    sql = "INSERT INTO admin_events (at, level, source, message) VALUES (?, ?, ?, ?)"
    args = [datetime.now(UTC).isoformat(timespec="seconds"), level, source, message[:500]]
    trim = "DELETE FROM admin_events WHERE id <= (SELECT MAX(id) - 200 FROM admin_events)"
    if commit:
        with db.atomic():
            db.execute(sql, args)
            db.execute(trim)
    else:
        db.execute(sql, args)
        db.execute(trim)


def recent_events(
    db: sqlite_utils.Database, limit: int = 10, levels: tuple[str, ...] = ("error", "warning")
) -> list[dict]:
    marks = ",".join("?" * len(levels))
    rows = db.execute(
        f"SELECT at, level, source, message FROM admin_events WHERE level IN ({marks})"
        " ORDER BY id DESC LIMIT ?",
        [*levels, limit],
    ).fetchall()
    return [dict(zip(("at", "level", "source", "message"), r, strict=True)) for r in rows]


# ---------------------------------------------------------------- admin session


class AdminSession:
    """Admin mode that leaves itself after `timeout_s` without activity.

    Qt-free: the UI calls touch() on every event and polls expired() from a timer.
    Uses a monotonic clock so a clock change cannot extend the session.
    """

    def __init__(self, timeout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_s = float(timeout_s)
        self._clock = clock
        self._last = clock()
        self.active = True

    def touch(self) -> None:
        if self.active:
            self._last = self._clock()

    def remaining(self) -> float:
        if not self.active:
            return 0.0
        return max(0.0, self.timeout_s - (self._clock() - self._last))

    def expired(self) -> bool:
        if self.active and self.remaining() <= 0:
            self.active = False
        return not self.active

    def end(self) -> None:
        self.active = False
