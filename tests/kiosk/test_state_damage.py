"""A damaged kiosk state database: the kiosk and the nightly sync go on, residents' unsent
entries and the librarian's settings are read back, and the librarian is told."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from kiosk import admin_ops, settings, stats
from kiosk.state import open_state
from offline_index import sqlite_salvage
from offline_index.home import state_db_path
from sync import outbox, status


@pytest.fixture(autouse=True)
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_salvage, "_SOUND", set())


def _spoil_table(home: Path, table: str) -> None:
    """Overwrite a table's root page with noise, as a failing card would."""
    path = state_db_path(home)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(page)))
    sqlite_salvage._SOUND.clear()  # as the next process to start would find it


def test_a_damaged_table_costs_its_rows_only(home: Path) -> None:
    db = open_state(home)
    settings.set_value(db, "ward_name", "Phường Láng")
    with db.conn:
        uuid = outbox.append_usage_daily(db, "2026-12-01", {"search": 3})
    stats.record(db, "search")
    db.conn.close()
    _spoil_table(home, "usage_daily")

    db = open_state(home)

    assert settings.load(home, db).ward_name == "Phường Láng"
    assert [r["uuid"] for r in db.query("SELECT uuid FROM outbox")] == [uuid]
    assert list(db.query("SELECT * FROM usage_daily")) == []
    stats.record(db, "search")  # the kiosk writes again
    summary = admin_ops.status_summary(home, db)
    event = summary["errors"][0]
    assert event["source"] == "state" and "có thể thiếu một phần: usage_daily" in event["message"]
    kept = sqlite_salvage.history(db)[0].kept_as
    assert kept in event["message"] and (home / kept).exists()
    out = CliRunner().invoke(cli, ["status"]).output
    assert f"the damaged file is kept as {kept}; not read whole: usage_daily" in out


def test_the_nightly_sync_records_its_run_on_a_file_that_is_not_a_database(home: Path) -> None:
    state_db_path(home).write_bytes(b"not a database " * 1000)
    db = status.open_db(home)  # what every sync run opens first
    status.update(db, last_attempt=status.now_iso(), outcome="failed", exit_code=2)
    assert status.read_status(db, home)["state_repaired"]["incomplete"] == ["sqlite_master"]
    db.conn.close()
    db = open_state(home)  # the kiosk's own tables are made on its next open
    settings.set_value(db, "ward_name", "Phường Láng")
    event = admin_ops.status_summary(home, db)["errors"]
    assert "không đọc lại được gì" in event[0]["message"]
