"""`lawshelf library gc` removes what a killed sync left (stages, stale partial downloads,
blobs no kept release names) as well as unused generations, and never while a sync runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from offline_index.home import blob_store, partial_dir, sync_dir
from sync.lock import SyncLock


def _gc(home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LAWSHELF_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "library", "gc"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _leftovers(home: Path) -> dict[str, Path]:
    stage = sync_dir(home) / "stage-7"
    (stage / "blobs").mkdir(parents=True)
    blob = blob_store(home) / ("ab" * 32)
    old = partial_dir(home) / ("cd" * 32 + ".part")
    fresh = partial_dir(home) / ("ef" * 32 + ".part")
    for path in (blob, old, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
    week_and_a_day = time.time() - 8 * 86400
    os.utime(old, (week_and_a_day, week_and_a_day))
    return {"stage": stage, "blob": blob, "old": old, "fresh": fresh}


def test_gc_removes_sync_leftovers_and_keeps_a_resumable_download(home: Path) -> None:
    left = _leftovers(home)
    done = _gc(home)
    assert done.returncode == 0, done.stderr
    gone = {name for name, path in left.items() if not path.exists()}
    assert gone == {"stage", "blob", "old"}  # a download of this week can still resume
    assert f"removed {left['stage']}" in done.stdout
    assert "nothing to remove" in _gc(home).stdout


def test_gc_waits_for_a_running_sync(home: Path) -> None:
    left = _leftovers(home)
    with SyncLock(home):
        done = _gc(home)
    assert done.returncode != 0 and "another sync is running" in done.stderr
    assert all(path.exists() for path in left.values())
