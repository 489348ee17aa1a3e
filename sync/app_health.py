"""Run a new environment's health check before it may ever be switched to.

The check is the new version's own `lawshelf app health-check --json` (cli/app.py): it starts,
migrates a copy of the state database, opens the live library, renders Home offscreen and
answers a search. It runs with the kiosk user's rights in a scratch home (HOME/app/check):

    library -> HOME/library        the live library, which the check only reads
    config.toml -> HOME/config.toml
    state.sqlite                   a copy of the live state database (SQLite backup API)

so a check can never change what the running kiosk uses, and a migration that fails on the
kiosk's real data fails here, at night, not in front of a resident. The running version then
checks the answer from outside: exit 0, "ok", and the version it expects.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

from offline_index.home import app_check_home, config_path, library_root, state_db_path
from sync.app_env import give_to_kiosk, run_as_kiosk
from sync.errors import ApplyError

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 300
PASSED_ENV = ("PATH", "HOME", "XDG_CONFIG_HOME", "LAWSHELF_BUILD_KEY", "LANG", "LC_ALL", "TMPDIR")


class HealthCheckFailed(ApplyError):
    """The new version did not pass its health check; the running version stays."""

    message_vi = (
        "Phiên bản phần mềm mới không qua được kiểm tra; phiên bản đang chạy được giữ nguyên."
    )


def copy_database(src: Path, dest: Path) -> None:
    """A consistent copy of a live SQLite database (the kiosk may be writing to it).

    Run as root on a file in the kiosk user's home: the file must be a regular file of its
    own, never a link, or the kiosk user could have root copy any SQLite file it cannot read
    (its copy is handed to the kiosk user, and at activation becomes the live database)."""
    mode = os.lstat(src).st_mode
    if not stat.S_ISREG(mode):
        raise ApplyError(f"{src} is not a regular file (a link?); the state is not copied")
    dest.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prepare_scratch(home: Path) -> Path:
    """A throwaway home that sees the live library and a copy of the live state."""
    scratch = app_check_home(home)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True, mode=0o750)
    os.symlink(library_root(home).resolve(), library_root(scratch))
    if config_path(home).exists():
        os.symlink(config_path(home).resolve(), config_path(scratch))
    if state_db_path(home).exists():
        copy_database(state_db_path(home), state_db_path(scratch))
    give_to_kiosk(home, state_db_path(home), scratch, *scratch.iterdir())
    return scratch


def run_check(env: Path, home: Path, expected_version: str) -> dict:
    """The new environment's health report; raises HealthCheckFailed unless it passed."""
    scratch = prepare_scratch(home)
    environ = {k: os.environ[k] for k in PASSED_ENV if k in os.environ}
    environ.update(LAWSHELF_HOME=str(scratch), QT_QPA_PLATFORM="offscreen")
    environ.setdefault("PATH", "/usr/bin:/bin")
    cmd = [str(env / "bin" / "lawshelf"), "app", "health-check", "--json"]
    try:
        r = run_as_kiosk(cmd, environ, home, timeout=CHECK_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise HealthCheckFailed(f"the health check did not finish in {CHECK_TIMEOUT_S} s") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report = _last_json(r.stdout)
    if r.returncode != 0 or not report.get("ok"):
        why = report.get("error") or _tail(r.stderr) or f"exit status {r.returncode}"
        raise HealthCheckFailed(f"the health check of {expected_version} failed: {why}")
    if report.get("version") != expected_version:
        raise HealthCheckFailed(
            f"the new environment runs version {report.get('version')!r}, not {expected_version!r}"
        )
    return report


def _last_json(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-3:])
