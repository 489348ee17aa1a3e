"""The watchdog script's decisions, with a stand-in `systemctl` (no systemd runs in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import maintenance

PROJECT = Path(__file__).resolve().parents[2]
WATCHDOG = PROJECT / "installer" / "files" / "lawshelf-watchdog"
LAWSHELF = Path(sys.executable).with_name("lawshelf")


def run_watchdog(home: Path, tmp_path: Path, state: str, started: float) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "calls"
    log.write_text("")
    stamp = time.strftime("%a %Y-%m-%d %H:%M:%S UTC", time.gmtime(started))
    fake = bin_dir / "systemctl"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {log}\n'
        f'case "$1" in is-active) echo {state} ;; show) echo "{stamp}" ;; esac\n'
    )
    fake.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "LAWSHELF_HOME": str(home),
        "LAWSHELF_BIN": str(LAWSHELF),
    }
    subprocess.run(["sh", str(WATCHDOG)], env=env, check=True, capture_output=True, timeout=60)
    return [c for c in log.read_text().splitlines() if not c.startswith(("is-active", "show"))]


@pytest.mark.parametrize(
    ("state", "run_age", "beat_age", "expected"),
    [
        (
            "failed",
            0,
            None,
            ["reset-failed lawshelf-kiosk.service", "start --no-block lawshelf-kiosk.service"],
        ),
        (
            "inactive",
            0,
            None,
            ["reset-failed lawshelf-kiosk.service", "start --no-block lawshelf-kiosk.service"],
        ),
        ("active", 600, 20, []),  # beating: fine
        ("active", 600, 400, ["restart --no-block lawshelf-kiosk.service"]),  # hung
        ("active", 600, 900, []),  # stale beat from before this run: app never beat, not hung
        ("active", 600, None, []),  # no heartbeat file at all
    ],
)
def test_watchdog_decisions(home: Path, tmp_path: Path, state, run_age, beat_age, expected) -> None:
    now = time.time()
    if beat_age is not None:
        beat = home / "kiosk.heartbeat"
        beat.touch()
        os.utime(beat, (now - beat_age, now - beat_age))
    assert run_watchdog(home, tmp_path, state, now - run_age) == expected


def test_watchdog_leaves_maintenance_alone(home: Path, tmp_path: Path) -> None:
    maintenance.set_mode(home, True, stop_session=False)
    assert run_watchdog(home, tmp_path, "failed", time.time()) == []
