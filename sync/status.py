"""Sync status and the time floor, kept in the kiosk state database.

The same row feeds `lawshelf status`, the librarian screen and the freshness line, so all
three always agree. The release version and content date shown are those of the live
generation (what residents see), even when a run died between the switch and its bookkeeping.
The time floor (sync/timefloor.py) is the earliest time expiry is ever judged at.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from offline_index import generations as gens
from offline_index.errors import LawShelfError
from offline_index.home import home_of_state_db, library_root, state_db_path, sync_lock_path
from offline_index.migrations import connect_wal, migrate
from offline_index.sqlite_salvage import ensure_sound, history
from sync import outbox_schema, status_schema

log = logging.getLogger(__name__)

TIMER = "lawshelf-sync.timer"
INTERRUPTED = (
    "the last sync was interrupted before it finished (power cut, or the kiosk was stopped). "
    "The library on the kiosk is still complete; the next sync continues the download."
)
INTERRUPTED_AFTER_SWITCH = (
    "the last sync was interrupted right after release {v} went live; the library on the "
    "kiosk is complete and the next sync finishes tidying up."
)

FIELDS = (
    "last_attempt",
    "last_success",
    "outcome",
    "exit_code",
    "version",
    "content_date",
    "bytes",
    "error",
    "error_vi",  # the failure's own sentence for the librarian (NULL: by exit code)
    "time_floor",
    "source",
    "next_sync",
)


def open_db(home: Path) -> sqlite_utils.Database:
    """Open the state DB with sync's tables (kiosk.state adds the rest when the kiosk opens it)."""
    ensure_sound(state_db_path(home))  # the nightly sync must not fail for good on a damaged file
    db = connect_wal(state_db_path(home))
    # the outbox upload at the end of a sync needs its tables too
    migrate(db, [*status_schema.MIGRATIONS, *outbox_schema.MIGRATIONS])
    return db


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def update(db: sqlite_utils.Database, **values: object) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown status fields {unknown}")
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO sync_status (id) VALUES (1)")
        if values:
            cols = ", ".join(f"{k} = ?" for k in values)
            db.execute(f"UPDATE sync_status SET {cols} WHERE id = 1", list(values.values()))


def read_status(db: sqlite_utils.Database, home: Path | None = None) -> dict:
    """Everything `lawshelf status --json` shows; missing values are None.

    `home` defaults to the folder holding the database. `version` and `content_date` are the
    live generation's. A row left at outcome "running" with nobody holding the sync lock
    means the run died (kill -9, power cut): it is reported as "interrupted", in plain words."""
    if "sync_status" not in db.table_names():
        return dict.fromkeys(FIELDS)
    home = home or home_of_state_db(db.conn)
    rows = list(db.query("SELECT * FROM sync_status WHERE id = 1"))
    row = rows[0] if rows else {}
    out = {k: row.get(k) for k in FIELDS}
    live = live_release(home) if home else None
    if live and live["version"] is not None:
        switched = live["version"] != out["version"]
        out.update(live)
    else:
        switched = False
    if out["outcome"] == "running" and not (home and _sync_running(home)):
        out["outcome"] = "interrupted"
        out["error"] = (
            INTERRUPTED_AFTER_SWITCH.format(v=out["version"]) if switched else INTERRUPTED
        )
    out["next_sync"] = timer_next_run() or out["next_sync"]
    out["state_repaired"] = last_repair(db)
    out["days_stale"] = days_stale(out)
    return out


# Days without a successful sync after which the library is called out of date: to the
# librarian (`lawshelf status`, the status screen) and to residents (the footer). Laws change
# every week; a kiosk cut off for a fortnight may be showing a text since replaced.
STALE_DAYS = 14


def days_stale(st: dict, now: datetime | None = None) -> int | None:
    """Whole days since the last successful sync when that is STALE_DAYS or more; None when
    it is recent, or when this kiosk has never synced (the demo library is not a release)."""
    try:
        last = datetime.fromisoformat(str(st.get("last_success") or ""))
    except ValueError:
        return None
    last = last if last.tzinfo else last.replace(tzinfo=UTC)
    days = ((now or datetime.now(UTC)) - last).days
    return days if days >= STALE_DAYS else None


def last_repair(db: sqlite_utils.Database) -> dict | None:
    """The newest repair of the state database (offline_index.sqlite_salvage), if any."""
    if not (repairs := history(db)):
        return None
    last = repairs[0]
    return {**asdict(last), "incomplete": list(last.incomplete), "nothing_read": last.nothing_read}


def live_release(home: Path) -> dict | None:
    """Release version and content date of the live generation (None: none, or not a release)."""
    live = gens.live_generation(library_root(home))
    if live is None:
        return None
    try:
        manifest = gens.read_manifest(live)
    except LawShelfError:
        return None
    version = manifest.get("release_version")
    return {
        "version": None if version is None else int(version),
        "content_date": manifest.get("content_date"),
    }


def _sync_running(home: Path) -> bool:
    """Is this home's sync lock held right now (by any process)?"""
    lock = sync_lock_path(home)
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops our shared lock too
    return False


def timer_next_run() -> str | None:
    """When systemd's lawshelf-sync.timer fires next (ISO UTC), or None if not scheduled.

    Why ask systemd: the timer is the schedule; a guess from the last attempt would lie
    whenever the timer is disabled, missing or runs at another hour."""
    exe = shutil.which("systemctl")
    if exe is None:
        return None
    cmd = [exe, "show", TIMER, "-p", "NextElapseUSecRealtime", "--value", "--timestamp=unix"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=3, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("systemctl not usable: %s", exc)
        return None
    return parse_timer_value(res.stdout) if res.returncode == 0 else None


def parse_timer_value(text: str) -> str | None:
    """`@1764381600` (or systemd's `Sun 2026-11-29 02:00:00 UTC`) -> ISO UTC; else None."""
    value = text.strip()
    try:
        if value.startswith("@"):
            seconds = int(value[1:])
            return _iso(datetime.fromtimestamp(seconds, UTC)) if seconds > 0 else None
        if value.endswith((" UTC", " GMT")):
            t = datetime.strptime(value[:-4], "%a %Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            return _iso(t)
    except (ValueError, OverflowError):
        pass
    return None


def _iso(t: datetime) -> str:
    return t.replace(microsecond=0).isoformat()


def time_floor(db: sqlite_utils.Database) -> datetime | None:
    """The floor recorded by the last run (sync.timefloor computes it)."""
    rows = list(db.query("SELECT time_floor FROM sync_status WHERE id = 1"))
    raw = rows[0]["time_floor"] if rows else None
    return datetime.fromisoformat(raw) if raw else None


def error_vi(exit_code: int | None, outcome: str | None, said: str | None = None) -> str:
    """The failed run in Vietnamese plain words: the failure's own sentence (`said`, kept in
    the row), else the one for its exit code."""
    from sync import errors as e

    if said and outcome == "failed":
        return said
    if outcome == "interrupted":
        return (
            "Lần cập nhật trước bị ngắt giữa chừng (mất điện hoặc máy bị tắt). Thư viện trên máy "
            "vẫn đầy đủ; lần cập nhật sau sẽ tải tiếp."
        )
    by_code = {
        cls.exit_code: cls.message_vi
        for cls in (e.NetworkError, e.VerificationError, e.ExpiredError, e.BusyError, e.ApplyError)
    }
    by_code[e.EXIT_USAGE] = e.NotConfigured.message_vi
    by_code[e.EXIT_CANCELLED] = e.Cancelled.message_vi
    fallback = "Cập nhật gặp lỗi ngoài dự kiến; thư viện trên máy vẫn đầy đủ."
    return by_code.get(exit_code or 0, fallback)
