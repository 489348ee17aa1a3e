"""dev.sh and install.sh wait (bounded) for another package manager instead of failing at once.

The lock is held the way apt and dpkg hold it (fcntl locks, which flock(1) does not see), from
this process, while installer/apt.sh's apt_get runs in a child. The dpkg case runs a harmless
`apt-get check` (it takes the dpkg frontend lock and changes nothing); the `apt-get update` case
points apt at a scratch lists folder with no sources, so the machine's package lists are untouched.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
DPKG_LOCK = Path("/var/lib/dpkg/lock-frontend")

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="apt-get needs root to take its locks")


@contextmanager
def held(lock: Path, seconds: float) -> Iterator[None]:
    """Hold an apt/dpkg lock file for `seconds` (released earlier if the block ends first)."""
    with open("/tmp/lawshelf-apt.lock", "w") as guard:  # the shared machine's apt etiquette
        fcntl.flock(guard, fcntl.LOCK_EX)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o640)
        fcntl.lockf(fd, fcntl.LOCK_EX)
        timer = threading.Timer(seconds, lambda: fcntl.lockf(fd, fcntl.LOCK_UN))
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            os.close(fd)


def apt_get(args: str, wait: int) -> tuple[subprocess.CompletedProcess, float]:
    script = f". {INSTALLER / 'apt.sh'}; apt_get {args}"
    env = {**os.environ, "LAWSHELF_APT_WAIT": str(wait)}
    t0 = time.monotonic()
    res = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    return res, time.monotonic() - t0


def test_waits_for_the_dpkg_lock_then_runs() -> None:
    with held(DPKG_LOCK, 3):
        res, seconds = apt_get("check -qq", wait=60)
    assert res.returncode == 0, res.stderr
    assert seconds >= 2.5
    assert "waiting up to 60s for another package manager" in res.stderr


def test_gives_up_after_the_timeout_with_a_clear_message() -> None:
    with held(DPKG_LOCK, 20):
        res, seconds = apt_get("check -qq", wait=2)
    assert res.returncode != 0
    assert seconds < 15
    assert "still holds the apt/dpkg lock after waiting 2s" in res.stderr
    assert "/var/lib/dpkg/lock-frontend" in res.stderr and "LAWSHELF_APT_WAIT" in res.stderr


def test_waits_for_the_package_lists_lock_of_apt_get_update(tmp_path: Path) -> None:
    """apt waits by itself for the dpkg lock only; `update` takes the lists lock."""
    lists = tmp_path / "lists"
    (lists / "partial").mkdir(parents=True)
    (tmp_path / "parts").mkdir()
    (tmp_path / "sources.list").write_text("")
    opts = (
        f"-o Dir::State::Lists={lists} -o Dir::Etc::sourcelist={tmp_path / 'sources.list'} "
        f"-o Dir::Etc::sourceparts={tmp_path / 'parts'} update -qq"
    )
    with held(lists / "lock", 3):
        res, seconds = apt_get(opts, wait=60)
    assert res.returncode == 0, res.stderr
    assert seconds >= 2.5 and "waiting up to 60s" in res.stderr


def test_every_apt_get_of_the_two_commands_waits() -> None:
    """dev.sh and install.sh run apt-get only through apt_get."""
    for script in ("dev.sh", "install.sh"):
        text = (INSTALLER / script).read_text()
        assert ". installer/apt.sh" in text or '. "$HERE/apt.sh"' in text, script
        bare = re.findall(r"^\s*(?:\$SUDO\s+)?apt-get\s+(?:update|install)\b.*$", text, re.M)
        assert not bare, f"{script}: {bare}"
