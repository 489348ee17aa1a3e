"""A damaged SQLite file is kept aside and replaced by every row that can still be read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from offline_index import sqlite_salvage
from offline_index.sqlite_salvage import ensure_sound


@pytest.fixture(autouse=True)
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test opens its files as a new process would: not checked yet."""
    monkeypatch.setattr(sqlite_salvage, "_SOUND", set())


def _fill(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, tag INT, body TEXT)")
    conn.execute("CREATE INDEX notes_tag ON notes (tag)")
    conn.execute("CREATE TABLE small (k TEXT PRIMARY KEY, v TEXT)")
    conn.executemany(
        "INSERT INTO notes (tag, body) VALUES (?, ?)",
        [(i % 7, f"row-{i:05d}-marker " + "x" * 80) for i in range(1, rows + 1)],
    )
    conn.execute("INSERT INTO small VALUES ('pin', 'hash')")
    conn.execute("DELETE FROM notes WHERE id = ?", [rows])  # the counter stays above it
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _spoil_page_holding(path: Path, marker: bytes) -> None:
    """Overwrite the page that holds `marker` with noise, as a failing card would."""
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    at = data.index(marker) // page_size * page_size
    with path.open("r+b") as fh:
        fh.seek(at)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))


def _bodies(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [int(b[4:9]) for (b,) in conn.execute("SELECT body FROM notes ORDER BY id")]
    finally:
        conn.close()


def test_a_sound_file_is_left_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    _fill(db, 50)
    before = db.read_bytes()
    assert ensure_sound(db) is None
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "damaged" in p.name] == []


def test_one_bad_page_loses_its_rows_only(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    _fill(db, 3000)
    _spoil_page_holding(db, b"row-01500-marker")
    damaged = db.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        _bodies(db)

    repair = ensure_sound(db)

    assert repair is not None and repair.incomplete == ("notes",)
    kept = tmp_path / repair.kept_as
    assert kept.read_bytes() == damaged  # the damaged file itself, kept for a technician
    got = _bodies(db)
    assert 1 in got and 1500 not in got  # the bad page's rows are gone
    assert 2999 in got  # the rows after it are read back
    assert 2900 < len(got) < 2999 and repair.rows == len(got) + 1  # + the small table's row
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT v FROM small WHERE k = 'pin'").fetchone() == ("hash",)
    indexes = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    assert sorted(indexes) == [("notes_tag",), ("sqlite_autoindex_small_1",)]
    conn.execute("INSERT INTO notes (body) VALUES ('new')")  # never a number handed out before
    assert conn.execute("SELECT max(id) FROM notes").fetchone() == (3001,)


def test_a_file_that_is_not_a_database_is_replaced_by_an_empty_one(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    noise = bytes((i * 91 + 7) % 256 for i in range(20000))
    db.write_bytes(noise)
    repair = ensure_sound(db)
    assert repair is not None and repair.rows == 0 and repair.incomplete == ("sqlite_master",)
    assert (tmp_path / repair.kept_as).read_bytes() == noise
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT kept_as FROM _salvaged").fetchall() == [(repair.kept_as,)]
    assert ensure_sound(db) is None  # checked once per process


def test_a_busy_database_is_not_damaged(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    _fill(db, 10)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO small VALUES ('busy', 'yes')")
    try:
        assert ensure_sound(db) is None
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert not [p for p in tmp_path.iterdir() if "damaged" in p.name]


def test_a_full_text_table_is_read_back_through_its_own_tables(tmp_path: Path) -> None:
    """A virtual table makes its own storage tables; its rows go in through the table itself
    (copying its old storage blocks beside the new ones found nothing)."""
    db = tmp_path / "state.sqlite"
    _fill(db, 3000)
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(body)")
    conn.executemany("INSERT INTO docs VALUES (?)", [("luật đất đai",), ("bộ luật dân sự",)])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _spoil_page_holding(db, b"row-01500-marker")

    repair = ensure_sound(db)

    assert repair is not None and repair.incomplete == ("notes",)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT body FROM docs WHERE docs MATCH 'dân'").fetchall() == [
        ("bộ luật dân sự",)
    ]
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_a_table_without_rowids_is_read_back_too(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    _fill(db, 3000)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    conn.executemany("INSERT INTO kv VALUES (?, ?)", [("ward", "Láng"), ("volume", "60")])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _spoil_page_holding(db, b"row-01500-marker")
    assert ensure_sound(db).incomplete == ("notes",)
    rows = sqlite3.connect(db).execute("SELECT k, v FROM kv ORDER BY k").fetchall()
    assert rows == [("volume", "60"), ("ward", "Láng")]


def test_a_full_disk_leaves_the_damaged_file_as_it_was_and_nothing_beside_it(
    small_disk,  # noqa: ANN001
) -> None:
    """Room for the damaged file's copy but not for the salvage: StorageFull is raised, the
    damaged file stays in place for the next try, and neither the copy nor a half-written
    salvage is left to fill the disk a little more at each start."""
    from offline_index.errors import StorageFull

    disk = small_disk("2m")
    db = disk / "state.sqlite"
    _fill(db, 6000)  # some 0.78 MB: its copy fits in 2 MB, the copy and the salvage do not
    _spoil_page_holding(db, b"row-03000-marker")
    damaged = db.read_bytes()
    with pytest.raises(StorageFull):
        ensure_sound(db)
    assert db.read_bytes() == damaged
    assert sorted(p.name for p in disk.iterdir()) == [".state.sqlite.repair-lock", "state.sqlite"]
