"""The parts of the app channel one by one: the lock, the root pin, the rollout, the guard's
bookkeeping. Fast: no environment is built here."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apphelp import AppPublisher, Kiosk
from helpers_release import Publisher

from sync import app_env, app_guard, app_state
from sync.app_keys import ROLE, app_pin, init_app_keys
from sync.app_pins import LockError, lock_for_wheels, match_wheels, parse_lock
from sync.app_verify import eligible, rollout_bucket
from sync.errors import SigningKeyError, VerificationError
from sync.release import Repo
from sync.run import run_sync

H1, H2 = "a" * 64, "b" * 64


@pytest.mark.parametrize(
    "text",
    [
        "click>=8 --hash=sha256:" + H1,  # not pinned
        "click==8.1",  # no hash
        "-e ./src",  # editable
        "https://example.org/click-8.1-py3-none-any.whl",  # a URL
        "-r other.txt",  # an include
        "click==8.1 --hash=md5:abc",  # not sha256
        "click==8.1 --hash=sha256:" + H1 + "\nClick==8.2 --hash=sha256:" + H2,  # twice
    ],
)
def test_lock_refuses_anything_but_pinned_hashed_wheels(text: str) -> None:
    with pytest.raises(LockError):
        parse_lock(text)


def test_lock_round_trip_and_matching(tmp_path: Path, wheels) -> None:  # noqa: ANN001
    text = lock_for_wheels([wheels.standin])
    (entry,) = parse_lock(text)
    digest = next(iter(entry.hashes))
    name = wheels.standin.name
    assert match_wheels([entry], {name: digest}) == {"lawshelf-standin": name}
    with pytest.raises(VerificationError, match="no wheel with its hash"):
        match_wheels([entry], {name: H1})
    with pytest.raises(VerificationError, match="does not name"):
        match_wheels([entry], {name: digest, "extra-1.0-py3-none-any.whl": H2})


def test_root_pins_the_app_keys(tmp_path: Path) -> None:
    pub = Publisher.at(tmp_path)
    pub.publish({"a": "Luật A"})
    keyids = init_app_keys(pub.repo, pub.keys)
    repo = Repo.load(pub.repo)
    pin = app_pin(repo.root.signed)
    assert sorted(pin["keys"]) == sorted(keyids) and pin["threshold"] == 2
    role = repo.targets.signed.delegations.roles[ROLE]
    assert sorted(role.keyids) == sorted(keyids) and role.threshold == 2
    assert role.paths == ["app/*"] and role.terminating
    # Publishing content again keeps the delegation (and the snapshot pins the app role).
    pub.publish({"a": "Luật A bản 2"})
    assert Repo.load(pub.repo).targets.signed.delegations.roles[ROLE].keyids == role.keyids
    snap = Repo.load(pub.repo).snapshot.signed
    assert f"{ROLE}.json" in snap.meta
    with pytest.raises(SigningKeyError, match="already pinned"):
        init_app_keys(pub.repo, pub.keys)


def test_rotating_app_keys_needs_the_root_and_moves_old_keys(tmp_path: Path) -> None:
    pub = Publisher.at(tmp_path)
    pub.publish({"a": "Luật A"})
    first = init_app_keys(pub.repo, pub.keys)
    second = init_app_keys(pub.repo, pub.keys, rotate=True)
    assert not set(first) & set(second)
    assert sorted(app_pin(Repo.load(pub.repo).root.signed)["keys"]) == sorted(second)
    assert len(list((pub.keys / "revoked").glob("app-*"))) == 3
    for name in ("root-1", "root-2", "root-3"):  # without two root keys: no new pin
        (pub.keys / name).rename(tmp_path / name)
    with pytest.raises(SigningKeyError, match="root"):
        init_app_keys(pub.repo, pub.keys, rotate=True)


def test_rollout_is_stable_and_widening_only_adds_kiosks() -> None:
    ids = [f"kiosk-{i:03d}" for i in range(400)]
    assert rollout_bucket("kiosk-001") == rollout_bucket("kiosk-001")
    chosen = {p: {k for k in ids if eligible({"percent": p}, k)} for p in (0, 10, 50, 100)}
    assert chosen[0] == set() and chosen[100] == set(ids)
    assert chosen[10] <= chosen[50] and 20 <= len(chosen[10]) <= 60
    assert eligible({"percent": 0, "pilots": ["kiosk-007"]}, "kiosk-007")
    assert not eligible({"percent": 50}, None)  # not enrolled: only full rollouts
    assert eligible({"percent": 100}, None)


def test_rollout_selects_this_kiosk_or_not(
    kiosk_n: Kiosk, app_pub: AppPublisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.app_publish import Rollout, set_rollout
    from sync.enroll import enroll

    monkeypatch.setenv("LAWSHELF_APP_ROOT", str(kiosk_n.root.path))
    enroll(kiosk_n.home, kiosk_id="kiosk-pilot")
    app_pub.release("N1", rollout=Rollout(percent=0))
    report = run_sync(kiosk_n.home, str(app_pub.pub.repo), upload=False)
    assert report.app["outcome"] == "not_selected" and report.app["bytes"] == 0
    assert report.exit_code == 0
    set_rollout(app_pub.pub.repo, app_pub.pub.keys, Rollout(percent=0, pilots=("kiosk-pilot",)))
    report = run_sync(kiosk_n.home, str(app_pub.pub.repo), dry_run=True, upload=False)
    assert report.app["outcome"] == "dry_run" and report.app["version"] == "0.3.0"


def _state(root: app_state.AppRoot, **probation: object) -> None:
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    prob = {
        "version": "0.3.0",
        "since": since,
        "starts": 1,
        "crashes": 0,
        "open": True,
        "errors": [],
        **probation,
    }
    app_state.save(root, {**app_state.EMPTY, "probation": prob})


def test_guard_counts_unclean_ends(tmp_path: Path) -> None:
    root = app_state.AppRoot(tmp_path / "opt")
    _state(root)
    app_guard.on_stop(root, "success", "0")
    assert app_state.load(root)["probation"]["crashes"] == 0
    app_guard.on_stop(root, "exit-code", "1")
    prob = app_state.load(root)["probation"]
    assert prob["crashes"] == 1 and "exited with status 1" in prob["errors"][-1]
    _state(root, open=True)  # started, then no stop at all: a power cut
    app_guard.on_start(tmp_path / "home", root)
    prob = app_state.load(root)["probation"]
    assert prob["crashes"] == 1 and "without a clean exit" in prob["errors"][-1]
    assert prob["open"] and prob["starts"] == 2


def test_probation_ends_after_an_hour(tmp_path: Path) -> None:
    root = app_state.AppRoot(tmp_path / "opt")
    old = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    _state(root, since=old, open=False, crashes=2)
    app_state.save(root, {**app_state.load(root), "last_update": {"outcome": "activated"}})
    app_guard.on_start(tmp_path / "home", root)
    state = app_state.load(root)
    assert state["probation"] is None and state["last_update"]["outcome"] == "stable"


def test_status_without_an_app_root(home: Path) -> None:
    status = app_state.status(None, home)
    assert status["managed"] is False and status["version"] is None


def test_recorded_metadata_is_verified_again(kiosk: Kiosk, app_pub: AppPublisher) -> None:
    """The installer step trusts nothing the sync left: an app role changed on disk after the
    sync verified and recorded it is refused there, and nothing is installed."""
    from offline_index.home import blob_store, partial_dir
    from sync.app_apply import apply_requested
    from sync.app_sync import sync_app
    from sync.transfer import BlobFetcher
    from sync.verify import refresh

    app_pub.release("N1")
    src, home = str(app_pub.pub.repo), kiosk.home
    fetcher = BlobFetcher(src, blob_store(home), partial_dir(home), deadline=time.monotonic() + 60)
    report = sync_app(home, refresh(home, src), fetcher, kiosk.root, install=False)
    assert report.outcome == "requested", report
    from offline_index.home import app_releases_dir

    record = next(app_releases_dir(home).iterdir())
    app_file = next((record / "metadata").glob(f"*.{ROLE}.json"))
    md = json.loads(app_file.read_bytes())
    md["signed"]["x-lawshelf"]["rollout"]["percent"] = 99  # one signed field changed
    app_file.write_bytes(json.dumps(md).encode())
    done = apply_requested(home, kiosk.root)
    assert done["outcome"] == "refused", done
    assert app_env.environments(kiosk.root) == ["installed"]
    assert app_state.status(kiosk.root, home)["last_update"]["outcome"] == "refused"


def test_publisher_commands_as_documented(tmp_path: Path, wheels) -> None:  # noqa: ANN001
    """docs/updates.md's publisher steps: keys init, lock, publish, rollout."""
    from click.testing import CliRunner

    from cli.main import cli

    pub = Publisher.at(tmp_path)
    pub.publish({"a": "Luật A"})
    repo, keys = str(pub.repo), str(pub.keys)
    run = CliRunner().invoke
    assert run(cli, ["app", "keys", "init", "--repo", repo, "--keys", keys]).exit_code == 0
    lock = tmp_path / "app.lock"
    r = run(cli, ["app", "lock", str(wheels.folder), "-o", str(lock)])
    assert r.exit_code == 0 and "1 wheels locked" in r.output, r.output
    publish = ["app", "publish", "--lock", str(lock), "--wheels", str(wheels.folder)]
    publish += ["--repo", repo, "--keys", keys]
    r = run(cli, [*publish, str(wheels.ours["N"]), "--percent", "10", "--pilot", "kiosk-a"])
    assert r.exit_code == 0 and "app 0.2.0" in r.output, r.output
    r = run(cli, ["app", "rollout", "--percent", "100", "--repo", repo, "--keys", keys])
    assert r.exit_code == 0 and "100%" in r.output, r.output
    r = run(cli, [*publish, str(wheels.ours["old"])])
    assert r.exit_code != 0 and "not newer" in r.output


def test_the_state_copied_as_root_must_be_a_file_of_the_kiosk_s_own(tmp_path: Path) -> None:
    """The health check and the guard copy HOME/state.sqlite as root and hand the copy to the
    kiosk user: a state file planted as a link to a root-only database is refused, not read."""
    import sqlite3

    from sync.app_health import copy_database
    from sync.errors import ApplyError

    secret = tmp_path / "root-only.sqlite"
    conn = sqlite3.connect(secret)
    conn.execute("CREATE TABLE s (v TEXT)")
    conn.execute("INSERT INTO s VALUES ('secret')")
    conn.commit()
    conn.close()
    secret.chmod(0o600)
    planted = tmp_path / "state.sqlite"
    planted.symlink_to(secret)
    with pytest.raises(ApplyError, match="not a regular file"):
        copy_database(planted, tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()
    copy_database(secret, tmp_path / "copy.sqlite")  # a real file is copied as before
    assert sqlite3.connect(tmp_path / "copy.sqlite").execute("SELECT v FROM s").fetchone() == (
        "secret",
    )


def test_a_run_as_the_kiosk_user_that_times_out_leaves_no_process_behind(tmp_path: Path) -> None:
    """A hung health check's children outlived its timeout (only the first process was
    killed): the whole session it started is killed now."""
    import subprocess

    marker = f"sleep {4000 + os.getpid() % 1000}"
    cmd = ["sh", "-c", f"{marker} & {marker}"]
    with pytest.raises(subprocess.TimeoutExpired):
        app_env.run_as_kiosk(cmd, {"PATH": os.environ["PATH"]}, tmp_path, timeout=1)
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout
    assert left.strip() == "", left
