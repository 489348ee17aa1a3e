"""kill -9 at every step of an update (from a USB stick): the kiosk runs N or N+1, never a mix.

One update is driven through all its steps; at each step the process doing it is killed like
a power cut (LAWSHELF_TEST_SYNC_KILL_AT), the kiosk is checked, and the next attempt resumes
from whatever the killed one left. The last attempt finishes and N+1 serves.
"""

from __future__ import annotations

from pathlib import Path

from apphelp import N1, AppPublisher, Kiosk, N, whole_env

from offline_index.home import app_state_copies, state_db_path
from sync import app_guard, app_state
from sync.lock import SyncLock
from sync.usb import export_repo

SYNC_STEPS = (
    "app_fetched",
    "app_recorded",
    "app_staged",
    "app_installed",
    "app_checked",
    "app_ready",
)
GUARD_STEPS = ("app_db_migrated", "app_db_swapped", "app_switched")
KILLED = -9


def runs_n_or_n1(kiosk: Kiosk) -> str:
    """What would start now: a whole environment, and the state and the state database of
    that same version (N+1's migration is in the database if and only if N+1 runs)."""
    version = whole_env(kiosk)
    state = app_state.load(kiosk.root)
    assert (state.get("current") or {"version": N})["version"] == version
    assert not state.get("journal")
    migrated = "update_probe" in state_db_path(kiosk.home).read_bytes().decode("latin-1")
    assert migrated == (version == N1)
    return version


def test_kill_at_every_step(kiosk: Kiosk, app_pub: AppPublisher, tmp_path: Path) -> None:
    """The update comes on a USB stick the publisher made (no network at all)."""
    kiosk.session()  # N has run: its state database exists
    app_pub.release("N1")
    stick = tmp_path / "usb" / "lawshelf"
    stick.parent.mkdir()  # plugged in
    export_repo(app_pub.pub.repo, app_pub.pub.keys, stick)
    for step in SYNC_STEPS:
        r = kiosk.lawshelf("sync", "--from", str(stick), env={"LAWSHELF_TEST_SYNC_KILL_AT": step})
        assert r.returncode == KILLED, (step, r.returncode, r.stderr[-800:])
        assert runs_n_or_n1(kiosk) == N, step
    r = kiosk.lawshelf("sync", "--from", str(stick))
    assert r.returncode == 0, r.stderr
    assert app_state.status(kiosk.root, kiosk.home)["pending"] == N1

    # The kiosk restarts for the update and its guard (ExecStartPre) is killed at each step.
    # Nothing starts until a guard run completes (systemd runs ExecStartPre first, after every
    # boot too), so in between the pointer must only ever name a whole environment.
    for step in GUARD_STEPS:
        said = kiosk.guard("start", env={"LAWSHELF_TEST_SYNC_KILL_AT": step})
        assert "failed" in said, (step, said)
        assert whole_env(kiosk) == (N1 if step == "app_switched" else N), step
    kiosk.session()  # a whole guard run finishes the activation, then N+1 starts
    assert kiosk.started_version() == N1
    assert runs_n_or_n1(kiosk) == N1
    assert app_state.status(kiosk.root, kiosk.home)["last_update"]["outcome"] == "activated"


def test_an_activation_cut_off_again_and_again_is_given_up(
    kiosk: Kiosk, app_pub: AppPublisher, tmp_path: Path
) -> None:
    """A guard killed at every start (power cuts, or systemd's start timeout while a large
    database is copied) must not keep the screen dark for ever: after MAX_ACTIVATIONS tries the
    version is recorded as failed, the database it had swapped is put back, and N starts."""
    kiosk.session()
    app_pub.release("N1")
    stick = tmp_path / "usb" / "lawshelf"
    stick.parent.mkdir()  # plugged in
    export_repo(app_pub.pub.repo, app_pub.pub.keys, stick)
    assert kiosk.lawshelf("sync", "--from", str(stick)).returncode == 0
    # Killed after migrating the copy, twice, then after swapping it in: each start resumes.
    steps = ["app_db_migrated"] * (app_guard.MAX_ACTIVATIONS - 1) + ["app_db_swapped"]
    for step in steps:
        said = kiosk.guard("start", env={"LAWSHELF_TEST_SYNC_KILL_AT": step})
        assert "failed" in said, (step, said)
    with SyncLock(kiosk.home):  # a sync writing the database: giving up waits a start
        said = kiosk.guard("start")
    assert f"giving up {N1} waits: a sync is running" in said, said
    assert app_state.status(kiosk.root, kiosk.home)["pending"] == N1
    said = kiosk.guard("start")
    assert f"{N1} not activated" in said and f"cut off {app_guard.MAX_ACTIVATIONS} times" in said
    assert runs_n_or_n1(kiosk) == N  # N's own database: the migrated one is gone
    st = app_state.status(kiosk.root, kiosk.home)
    assert st["pending"] is None and st["last_update"]["outcome"] == "failed_activation"
    assert N1 in st["failed"]
    assert not list(app_state_copies(kiosk.home).glob("next.*"))  # no migrated copy left over
    kiosk.session()
    assert kiosk.started_version() == N
