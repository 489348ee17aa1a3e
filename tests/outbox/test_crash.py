"""A kiosk killed (-9) between action and upload, or mid-upload, loses nothing and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk.state import open_state
from sync import inbox, outbox

from .conftest import Kiosk, upload_records

PROJECT = Path(__file__).resolve().parents[2]

# The child does the action and its outbox record, then either commits or not, says so,
# and waits to be killed.
CHILD = """
import sys, time
from pathlib import Path
from kiosk.state import open_state
from sync import outbox
home, commit = Path(sys.argv[1]), sys.argv[2] == "commit"
db = open_state(home)
db.execute("CREATE TABLE IF NOT EXISTS actions (id INTEGER PRIMARY KEY, what TEXT)")
db.conn.execute("BEGIN")
db.execute("INSERT INTO actions (what) VALUES ('contest submitted')")
outbox.append(db, "contest_entry", {"contest_id": "c1", "correct": 7},
              personal={"name": "Trần Văn Bình", "phone": "0987654321"})
if commit:
    db.conn.commit()
print("ready", flush=True)
time.sleep(60)
"""

# The uploader is killed at the worst instant: the server answered 2xx (the batch is
# stored) but the kiosk has not yet recorded it. The only change is a pause at that point.
UPLOADER = """
import sys, time
from pathlib import Path
from kiosk.state import open_state
from sync import upload
def _pause(db, batch_id):
    print("stored", flush=True)
    time.sleep(60)
upload._mark_sent = _pause
home = Path(sys.argv[1])
upload.upload_pending(home, open_state(home), base_url=sys.argv[2], heartbeat=False,
                      deadline=time.monotonic() + 60)
"""


def _run_and_kill(script: str, *args: str, wait_for: str = "ready") -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout.readline().strip() == wait_for
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def _counts(home: Path) -> tuple[int, int]:
    db = open_state(home)
    actions = db.execute("SELECT count(*) FROM actions").fetchone()[0]
    return actions, outbox.pending_count(db)


def test_kill_after_commit_keeps_action_and_record(kiosk: Kiosk, central, tmp_path) -> None:
    _run_and_kill(CHILD, str(kiosk.home), "commit")
    assert _counts(kiosk.home) == (1, 1)
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    db = open_state(kiosk.home)
    assert upload_records(kiosk.home, db, base_url=str(stick), deadline=time.monotonic() + 30).ok
    assert inbox.collect(stick, central).records_loaded == 1


def test_kill_before_commit_keeps_neither(kiosk: Kiosk) -> None:
    _run_and_kill(CHILD, str(kiosk.home), "no-commit")
    assert _counts(kiosk.home) == (0, 0)


def test_kill_after_server_stored_batch_gives_one_record(
    kiosk: Kiosk, central, nginx_factory
) -> None:
    """nginx stored the batch, the kiosk dies before noting it; the next run resends."""
    _run_and_kill(CHILD, str(kiosk.home), "commit")
    srv = nginx_factory(users=kiosk.users)
    _run_and_kill(UPLOADER, str(kiosk.home), srv.url, wait_for="stored")
    assert len(list((srv.root / "inbox").rglob("*.json"))) == 1
    db = open_state(kiosk.home)
    assert outbox.pending_count(db) == 1  # not confirmed, so not marked sent
    rep = upload_records(kiosk.home, db, base_url=srv.url, deadline=time.monotonic() + 30)
    assert rep.ok and rep.records_sent == 1
    assert len(list((srv.root / "inbox").rglob("*.json"))) == 1  # same batch uuid
    puts = [e for e in srv.log_entries() if e.method == "PUT"]
    assert len(puts) == 2 and len({e.path for e in puts}) == 1
    assert all(200 <= e.status < 300 for e in puts)
    col = inbox.collect(srv.root, central)
    assert col.records_loaded == 1
    assert central.db.execute("SELECT count(*) FROM contest_entries").fetchone()[0] == 1
