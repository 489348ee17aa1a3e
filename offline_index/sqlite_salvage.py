"""A damaged SQLite database set aside and replaced by what can still be read of it.

The kiosk state database (settings, the librarian's PIN, the outbox of residents' contest
entries and questions, usage counts, the sync status and time floor) lives on cheap flash
behind a wall switch. WAL with full sync means SQLite never tears a write, but a failing
card, a bad copy or a restored backup can still leave a file SQLite calls "malformed" or "not
a database". Every open then fails: the nightly sync could not even record its failure, so
the library would never be updated again, and the contest screens would show the crash
screen, for good, on a kiosk no technician visits. Browsers meet the same with their
history databases and do what is done here: the damaged file is kept beside the new one
(`state.sqlite.damaged-<UTC>`, with its WAL; nothing is deleted), and a new file takes its
place holding every table, row and sequence that can still be read, so the outbox's
unsent entries still go out and the librarian's settings and PIN still apply.

Checked once per process and path (`PRAGMA quick_check`), before its first connection.
Damage found later in a run surfaces as the error it is; the next process repairs it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from offline_index.errors import full_disk_as_known
from offline_index.fsutil import atomic_copy_file, fsync_dir

log = logging.getLogger(__name__)

DAMAGE = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
TABLE = "_salvaged"  # our own record of repairs, like _migrations
UNREADABLE = ("sqlite_master",)  # `incomplete` when not even the schema could be read
_SOUND: set[Path] = set()  # checked by this process


@dataclass(frozen=True)
class Salvage:
    """One repair: where the damaged file was kept and what was read back from it."""

    at: str
    kept_as: str  # the damaged copy's file name, beside the database
    rows: int
    incomplete: tuple[str, ...]  # tables not read whole (some of their rows are lost)

    @property
    def nothing_read(self) -> bool:
        return self.incomplete == UNREADABLE


def ensure_sound(path: Path) -> Salvage | None:
    """Before this process's first connection to `path`: a damaged file is set aside and
    replaced by a salvaged copy (None: the file is sound, absent, or was checked already)."""
    path = path.absolute()
    if path in _SOUND:
        return None
    result = None
    if path.exists() and not _sound(path):
        with full_disk_as_known(), _repair_lock(path):
            if not _sound(path):  # another process may have repaired it meanwhile
                result = _replace_with_salvage(path)
    _SOUND.add(path)
    return result


def history(db: sqlite_utils.Database) -> list[Salvage]:
    """Every repair of this database, newest first (for the librarian's status screen)."""
    if TABLE not in db.table_names():
        return []
    rows = db.execute(f"SELECT at, kept_as, rows, incomplete FROM {TABLE} ORDER BY at DESC")
    return [Salvage(a, k, n, tuple(filter(None, i.split(",")))) for a, k, n, i in rows]


def _sound(path: Path) -> bool:
    """quick_check says ok. A lock or a busy database is not damage: it is raised."""
    try:
        conn = sqlite3.connect(path, timeout=10)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) in DAMAGE:
            return False
        raise


@contextlib.contextmanager
def _repair_lock(path: Path) -> Iterator[None]:
    """One repairer at a time (the kiosk and the nightly sync may both find the damage)."""
    fd = os.open(path.with_name(f".{path.name}.repair-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _replace_with_salvage(path: Path) -> Salvage:
    """Keep a copy of the damaged file (and its WAL), build the salvage beside it, then put
    it in place. A kill at any point leaves the damaged file in place, found again next time."""
    at = datetime.now(UTC).replace(microsecond=0)
    kept = path.with_name(f"{path.name}.damaged-{at:%Y%m%dT%H%M%SZ}")
    mode = path.stat().st_mode & 0o777
    tmp = path.with_name(f".{path.name}.salvage.tmp")
    tmp.unlink(missing_ok=True)
    try:
        for suffix in ("", "-wal"):
            if Path(f"{path}{suffix}").exists():
                atomic_copy_file(f"{path}{suffix}", f"{kept}{suffix}", mode=mode)
        rows, incomplete = _salvage(kept, tmp)
        result = Salvage(at.isoformat(), kept.name, rows, tuple(incomplete))
        _record(tmp, result)
        os.chmod(tmp, mode)
        for suffix in ("-wal", "-shm"):  # never let the old WAL be replayed onto the new file
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        # A repair cut short (a full disk) leaves the damaged file where it was and no copy
        # of it: each later try would otherwise add one until the disk is full.
        for suffix in ("", "-wal"):
            Path(f"{kept}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        tmp.unlink(missing_ok=True)  # and no half file
    fsync_dir(path.parent)
    log.error(
        "%s was damaged; kept as %s, %d rows read back, tables not read whole: %s",
        path.name,
        kept.name,
        rows,
        ", ".join(incomplete) or "none",
    )
    return result


def _salvage(src: Path, dst: Path) -> tuple[int, list[str]]:
    """Copy every object whose definition can be read: tables and their rows, then indexes
    and triggers, then AUTOINCREMENT counters (an outbox number is never handed out twice)."""
    source = sqlite3.connect(src)
    target = sqlite3.connect(dst, isolation_level=None)
    try:
        objects = _schema(source)
        rows, incomplete = 0, []
        target.execute("BEGIN")
        virtual = [n for n, sql in objects["table"] if sql.upper().startswith("CREATE VIRTUAL")]
        for name, sql in objects["table"]:
            if any(name.startswith(f"{v}_") for v in virtual):
                continue  # a full-text table's own storage, refilled through that table
            if not _create(target, name, sql):
                incomplete.append(name)
                continue
            copied, whole = _copy_rows(source, target, name)
            rows += copied
            if not whole:
                incomplete.append(name)
        for sql in objects["index"] + objects["trigger"] + objects["view"]:
            with contextlib.suppress(sqlite3.Error):  # e.g. a unique index the rows now break
                target.execute(sql)
        _copy_sequences(source, target)
        target.execute("COMMIT")
        return rows, incomplete if objects["readable"] else list(UNREADABLE)
    finally:
        source.close()
        target.close()


def _create(target: sqlite3.Connection, name: str, sql: str) -> bool:
    """Create a table as the damaged file defined it (False: it cannot be made here)."""
    try:
        target.execute(sql)
    except sqlite3.OperationalError as exc:
        log.warning("table %s not made again: %s", name, exc)
        return False
    return True


def _schema(conn: sqlite3.Connection) -> dict:
    """The damaged file's own definitions (none if even its schema cannot be read)."""
    found: dict = {"table": [], "index": [], "trigger": [], "view": [], "readable": True}
    try:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    except sqlite3.DatabaseError as exc:
        log.warning("schema unreadable: %s", exc)
        found["readable"] = False
        return found
    for kind, name, sql in rows:
        if sql and kind in found and not name.startswith("sqlite_"):
            found[kind].append((name, sql) if kind == "table" else sql)
    return found


def _copy_rows(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str
) -> tuple[int, bool]:
    """Rows in rowid order; past an unreadable page, reading resumes at rowids further on
    (doubling the jump), so one bad page loses the rows on it, not every row after it."""
    cols = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")')]
    if not _has_rowid(source, table):
        return _copy_plain(source, target, table, cols)
    names = ", ".join(f'"{c}"' for c in ["rowid", *cols]) if cols else ""
    insert = (
        f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * (len(cols) + 1))})'
    )
    copied, whole, after, jump = 0, True, None, 1
    while jump < 2**40:
        try:
            for row in _rows_after(source, table, names, after):
                target.execute(insert, row)
                copied, after, jump = copied + 1, row[0], 1
            return copied, whole
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in DAMAGE:
                log.warning("table %s not copied: %s", table, exc)
                return copied, False
            whole = False
            after, jump = (after or 0) + jump, jump * 2
    return copied, False


def _has_rowid(source: sqlite3.Connection, table: str) -> bool:
    try:
        source.execute(f'SELECT rowid FROM "{table}" LIMIT 0')
    except sqlite3.OperationalError:
        return False  # WITHOUT ROWID (a full-text table's shadow tables among them)
    return True


def _copy_plain(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str, cols: list[str]
) -> tuple[int, bool]:
    """A table without rowids, in its key's order, up to the first unreadable page."""
    names = ", ".join(f'"{c}"' for c in cols)
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})'
    copied = 0
    try:
        for row in source.execute(f'SELECT {names} FROM "{table}"'):
            target.execute(insert, row)
            copied += 1
    except sqlite3.DatabaseError as exc:
        log.warning("table %s read in part: %s", table, exc)
        return copied, False
    return copied, True


def _rows_after(
    source: sqlite3.Connection, table: str, names: str, after: int | None
) -> Iterator[tuple]:
    where = "" if after is None else f" WHERE rowid > {int(after)}"
    yield from source.execute(f'SELECT {names} FROM "{table}"{where} ORDER BY rowid')


def _copy_sequences(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    try:
        seqs = source.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except sqlite3.DatabaseError:
        return
    for name, seq in seqs:
        with contextlib.suppress(sqlite3.Error):
            target.execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", [seq, name]
            )
            if not target.execute(
                "SELECT 1 FROM sqlite_sequence WHERE name = ?", [name]
            ).fetchone():
                target.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [name, seq])


def _record(db_path: Path, s: Salvage) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (at TEXT, kept_as TEXT, rows INTEGER, incomplete TEXT)"
        )
        conn.execute(
            f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?)",
            [s.at, s.kept_as, s.rows, ",".join(s.incomplete)],
        )
    finally:
        conn.close()
