"""An app update for real: wheels N and N+1 of this project, published through the app role,
served by nginx, fetched by the running kiosk's own `lawshelf sync`, installed beside it,
checked, and started at an idle wipe; `status` says so."""

from __future__ import annotations

import json

import pytest
from apphelp import N1, N2, AppPublisher, Kiosk, N

from sync import app_env
from sync.release import sha256_file

pytestmark = pytest.mark.nginx


def test_update_runs_the_new_version(kiosk: Kiosk, app_pub: AppPublisher, nginx_factory) -> None:
    app_pub.release("N")
    app_pub.release("N1")
    srv = nginx_factory(root=app_pub.pub.repo)
    running = kiosk.start(LAWSHELF_APP_RESTART="1", LAWSHELF_IDLE_TIMEOUT_S="1")
    assert kiosk.wait_for(running, "home_painted")
    r = kiosk.lawshelf("sync", "--from", srv.url, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["app"]["outcome"] == "ready", report["app"]
    app = kiosk.status()["app"]
    assert (app["version"], app["pending"]) == (N, N1)

    # The running N exits by itself at an idle wipe; the guard switches before the restart.
    assert not kiosk.wait_for(running, "never", timeout=30)
    run = kiosk.stop(running)
    assert run["rc"] == 0 and "app_restart" in run["events"], run
    run = kiosk.session()
    assert kiosk.started_version() == N1 and "home_painted" in run["events"], run
    app = kiosk.status()["app"]
    assert (app["version"], app["pending"], app["previous"]) == (N1, None, N)
    assert app["last_update"]["outcome"] == "activated"

    # N+2 changes only our wheel: the unchanged dependency is the same blob, not fetched again;
    # no new migration, so the database is used as it is.
    app_pub.release("N2")
    srv.clear_log()
    r = kiosk.lawshelf("sync", "--from", srv.url, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["app"]["outcome"] == "ready", r.stderr
    fetched = {e.path.rsplit("/", 1)[-1] for e in srv.log_entries() if "/blobs/" in e.path}
    ours = sha256_file(app_pub.wheels.ours["N2"])[0]
    assert ours in fetched and sha256_file(app_pub.wheels.standin)[0] not in fetched
    assert json.loads(r.stdout)["app"]["bytes"] < 2 * app_pub.wheels.ours["N2"].stat().st_size
    kiosk.session()
    assert kiosk.started_version() == N2
    assert kiosk.status()["app"]["previous"] == N1
    assert app_env.environments(kiosk.root) == [N1, N2]  # the last two
    assert list(kiosk.root.venvs.glob(".trash-*"))  # N, retired at the switch, not yet deleted
    r = kiosk.lawshelf("app", "apply")  # what lawshelf-app.path starts when trash appears
    assert r.returncode == 0 and not list(kiosk.root.venvs.glob(".trash-*")), r.stderr
