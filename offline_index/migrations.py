"""Schema migrations recorded in the database itself (as sqlite-utils' migrations do).

Each package declares an ordered list of `Migration`s under its own namespace; a
migration runs once, inside a transaction, and is recorded in `_migrations`.

Why not `sqlite_utils.Migrations` (new in sqlite-utils 4.0): it opens each migration with
`db.atomic()`, a plain BEGIN, and reads what was applied before it, outside that
transaction. Two processes opening one state database at once (the kiosk and a nightly
sync, or the app update migrating its copy of the state while the old app still runs)
would then both apply the same migration. Ours takes the write lock first (BEGIN
IMMEDIATE) and checks again inside it. Deployed kiosks and libraries also record their
history in `_migrations` (namespace, name), which `_sqlite_migrations` does not read.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from offline_index.errors import full_disk_as_known

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    namespace: str  # the owning package, e.g. "sync"
    name: str  # unique within the namespace, e.g. "0001_outbox"
    apply: Callable[[sqlite_utils.Database], None]


def connect_wal(path: Path, *, secure_delete: bool = False) -> sqlite_utils.Database:
    """A writable database in WAL mode with full durability (a power cut loses nothing
    committed) and a 10 s busy timeout. Several threads or processes opening a new file at once
    race to switch it to WAL, and SQLite answers the losers "database is locked" at once, without
    its busy handler: the switch is retried for up to 10 s."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA busy_timeout=10000")
    deadline = time.monotonic() + 10
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    db.execute("PRAGMA synchronous=FULL")
    if secure_delete:  # deleted rows are zeroed in the file, not just unlinked
        db.execute("PRAGMA secure_delete=ON")
    return db


@contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[None]:
    """db.atomic() for what a resident's action writes (a question, a contest's answers, a
    count): all of it or none, and a full disk raised as StorageFull, which the screens show
    in plain words while the resident's input stays where it was typed."""
    with full_disk_as_known(), db.atomic():
        yield


def applied(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    if "_migrations" not in db.table_names():
        return set()
    return {(r["namespace"], r["name"]) for r in db["_migrations"].rows}


def migrate(db: sqlite_utils.Database, migrations: Iterable[Migration]) -> list[str]:
    """Apply pending migrations in order; return the names applied now."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (namespace TEXT, name TEXT, applied_at TEXT,"
        " PRIMARY KEY (namespace, name))"
    )
    done = applied(db)
    ran: list[str] = []
    for m in migrations:
        if (m.namespace, m.name) in done:
            continue
        with _writer(db):
            if (m.namespace, m.name) in applied(db):
                continue  # another connection (another thread) applied it meanwhile
            m.apply(db)
            db.execute(
                "INSERT INTO _migrations VALUES (?, ?, ?)",
                [m.namespace, m.name, datetime.now(UTC).isoformat()],
            )
        log.info("applied migration %s/%s", m.namespace, m.name)
        ran.append(f"{m.namespace}/{m.name}")
    return ran


@contextmanager
def _writer(db: sqlite_utils.Database) -> Iterator[None]:
    """A transaction that holds the write lock from its start (BEGIN IMMEDIATE): two threads
    opening a new state database at once then migrate one after the other, and the second
    sees what the first recorded (a plain BEGIN let both apply the same migration)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.execute("COMMIT")
