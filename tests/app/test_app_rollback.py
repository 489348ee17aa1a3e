"""Rollback without a technician: a version N+1 that fails its health check never runs; one
that crashes after it starts is rolled back to N by the guard, with the state database as it
was before N+1 migrated a copy of it (plus the outbox records N+1 queued)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from apphelp import N1, AppPublisher, Kiosk, N, whole_env

from offline_index.home import state_db_path
from sync import app_env, app_state, outbox
from sync.app_guard import MAX_CRASHES
from sync.errors import EXIT_APP
from sync.lock import SyncLock

pytestmark = pytest.mark.nginx


def sync(kiosk: Kiosk, url: str) -> tuple[int, dict]:
    r = kiosk.lawshelf("sync", "--from", url, "--json")
    return r.returncode, (json.loads(r.stdout)["app"] if r.stdout.strip() else {"err": r.stderr})


def dump(db_path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [line for line in conn.iterdump() if "sqlite_sequence" not in line]
    finally:
        conn.close()


def test_failed_health_check_never_runs(kiosk: Kiosk, app_pub: AppPublisher, nginx_factory) -> None:
    app_pub.release("N1-bad-check")
    srv = nginx_factory(root=app_pub.pub.repo)
    code, app = sync(kiosk, srv.url)
    assert (code, app["outcome"]) == (EXIT_APP, "failed_check"), app
    assert "search is broken" in app["error"]
    status = kiosk.status()["app"]
    assert (status["version"], status["pending"]) == (N, None)
    assert status["last_update"]["outcome"] == "failed_check"
    assert app_env.environments(kiosk.root) == ["installed"]
    # The next night it is not tried again; N keeps running and starting.
    r = kiosk.lawshelf("sync", "--from", srv.url)
    assert r.returncode == 0 and "software: 0.3.0 failed here before" in r.stdout, r.stdout
    kiosk.session()
    assert kiosk.started_version() == N


def test_a_release_for_another_machine_is_not_tried_every_night(
    kiosk: Kiosk, app_pub: AppPublisher, nginx_factory, tmp_path: Path
) -> None:
    """A dependency shipped only as a Windows wheel: refused before anything is built, recorded,
    and not installed again the next night (pip would fail the same way every time)."""
    alien = tmp_path / "wheelhouse" / app_pub.wheels.standin.name.replace("-any.", "-win_amd64.")
    alien.parent.mkdir()
    shutil.copy(app_pub.wheels.standin, alien)
    app_pub.wheels = dataclasses.replace(app_pub.wheels, folder=alien.parent, deps=[alien])
    app_pub.release("N1")
    srv = nginx_factory(root=app_pub.pub.repo)
    code, app = sync(kiosk, srv.url)
    assert (code, app["outcome"]) == (EXIT_APP, "failed_install"), app
    assert "no wheel of lawshelf-standin is for this machine" in app["error"]
    assert app_env.environments(kiosk.root) == ["installed"]  # nothing was built
    assert sync(kiosk, srv.url)[1]["outcome"] == "known_bad"


def test_crash_after_start_rolls_back(
    kiosk: Kiosk, app_pub: AppPublisher, nginx_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_pub.release("N1-crash")
    srv = nginx_factory(root=app_pub.pub.repo)
    code, app = sync(kiosk, srv.url)
    assert (code, app["outcome"]) == (0, "ready"), app
    before = dump(state_db_path(kiosk.home))  # what N leaves behind

    for run in range(MAX_CRASHES):
        result = kiosk.session(until="never", timeout=60)
        assert kiosk.started_version() == N1 and result["result"] == "core-dump", result
        if run == 0:  # N+1 migrated a copy; a resident's entry is queued while it runs
            assert "update_probe" in "".join(dump(state_db_path(kiosk.home)))
            queue_entry(kiosk)

    # A sync writing the database at that start: the rollback waits for the next start
    # (a sync's writes must not land in the database being put aside).
    with SyncLock(kiosk.home):
        said = kiosk.guard("start")
    assert f"rolling back {N1} waits: a sync is running" in said, said
    assert whole_env(kiosk) == N1
    # The guard rolls back before the next start; kill -9 it at each step of the rollback.
    for step in ("app_rb_database", "app_rb_switched"):
        said = kiosk.guard("start", env={"LAWSHELF_TEST_SYNC_KILL_AT": step})
        assert "failed" in said, (step, said)
        assert whole_env(kiosk) == (N if step == "app_rb_switched" else N1)
    kiosk.session()  # a whole guard run finishes the rollback, then N starts
    assert kiosk.started_version() == N
    status = kiosk.status()["app"]
    assert (status["version"], status["pending"], status["previous"]) == (N, None, None)
    last = status["last_update"]
    assert (last["version"], last["outcome"]) == (N1, "rolled_back")
    assert f"{MAX_CRASHES} crashes" in last["error"] and "ABRT" in last["error"]
    after = dump(state_db_path(kiosk.home))
    assert not any("update_probe" in line for line in after)
    carried = [line for line in after if line not in before]
    assert carried and all("outbox" in line and "probation-entry" in line for line in carried)
    # N+1 is never installed again, and its environment is gone.
    assert N1 in app_state.load(kiosk.root)["failed"]
    assert app_env.environments(kiosk.root) == ["installed"]
    assert sync(kiosk, srv.url)[1]["outcome"] == "known_bad"
    # What the next heartbeat tells the centre's fleet view.
    monkeypatch.setenv("LAWSHELF_APP_ROOT", str(kiosk.root.path))
    beat = outbox.app_heartbeat(kiosk.home)
    assert beat["version"] == N and beat["update"]["outcome"] == "rolled_back"
    assert "crashes" in beat["update"]["error"]


def queue_entry(kiosk: Kiosk) -> None:
    """An outbox record written while N+1 runs (as its contest screen would)."""
    from kiosk.state import open_state
    from sync import outbox

    db = open_state(kiosk.home)
    try:
        with db.atomic():
            outbox.append(db, "opinion", {"text": "probation-entry"})
    finally:
        db.conn.close()
