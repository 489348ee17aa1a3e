"""Maintenance mode: the librarian stops the kiosk session until the next boot.

The flag records the kernel's boot id, so it switches itself off when the machine
restarts (no one can forget to turn a kiosk back on). While it is on, the kiosk unit's
ExecCondition and the watchdog see it and leave the console alone.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from offline_index.fsutil import atomic_write_text
from offline_index.home import maintenance_flag_path

log = logging.getLogger(__name__)

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
KIOSK_UNIT = "lawshelf-kiosk.service"
SIGNAGE_UNIT = "lawshelf-signage.service"  # a public screen (install.sh --signage) instead


def flag_path(home: Path) -> Path:
    return maintenance_flag_path(Path(home))


def boot_id() -> str:
    try:
        return BOOT_ID.read_text().strip()
    except OSError:
        return "unknown"


def is_on(home: Path) -> bool:
    """True only if maintenance was switched on during this boot."""
    try:
        data = json.loads(flag_path(home).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("boot_id") == boot_id()


def set_mode(home: Path, on: bool, *, stop_session: bool = True) -> str | None:
    """Switch maintenance on or off; with systemd running, stop or start the kiosk unit.
    Returns what kept the session from stopping or starting (None: done, or no systemd)."""
    path = flag_path(home)
    if on:
        data = {"boot_id": boot_id(), "since": datetime.now(UTC).isoformat(timespec="seconds")}
        atomic_write_text(path, json.dumps(data))
    else:
        path.unlink(missing_ok=True)
    log.info("maintenance mode %s", "on" if on else "off")
    if stop_session:
        return _systemctl("stop" if on else "start", _session_unit())
    return None


def _session_unit() -> str:
    """The session on tty1: the public screen's unit where install.sh --signage enabled it."""
    try:
        res = subprocess.run(
            ["systemctl", "is-enabled", SIGNAGE_UNIT], timeout=20, capture_output=True, text=True
        )
    except (OSError, subprocess.TimeoutExpired):
        return KIOSK_UNIT
    return SIGNAGE_UNIT if res.stdout.strip() == "enabled" else KIOSK_UNIT


SYSTEMD_RUN = Path("/run/systemd/system")  # present when systemd is the init system


def _systemctl(verb: str, unit: str) -> str | None:
    """Best effort: on a machine without systemd (CI, a developer laptop) nothing happens.
    A refusal (the console's `lawshelf` runs as the lawshelf user, which may not manage
    units) is returned in words with the command that works, never swallowed."""
    if not SYSTEMD_RUN.is_dir() or shutil.which("systemctl") is None:
        return None
    try:
        res = subprocess.run(
            ["systemctl", "--no-block", verb, unit],
            check=False,
            timeout=20,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = str(exc)
    else:
        if res.returncode == 0:
            return None
        problem = (
            res.stderr.strip().splitlines()[-1] if res.stderr.strip() else f"exit {res.returncode}"
        )
    log.warning("systemctl %s %s failed: %s", verb, unit, problem)
    return f"could not {verb} {unit} ({problem}); as root: systemctl {verb} {unit}"


def screen_off_now(hours: str, now: datetime | None = None) -> bool:
    """True inside the blanking window 'HH:MM-HH:MM' (may wrap midnight); '' means never."""
    try:
        window = parse_hours(hours)
    except ValueError:
        log.warning("screen_off_hours %r is not HH:MM-HH:MM; screen stays on", hours)
        return False
    if window is None:
        return False
    start, end = window
    now = now or datetime.now()
    t = now.hour * 60 + now.minute
    if start <= end:
        return start <= t < end
    return t >= start or t < end


def parse_hours(hours: str) -> tuple[int, int] | None:
    """The window 'HH:MM-HH:MM' as minutes after midnight, None for '' (never); ValueError
    otherwise. kiosk.settings checks a typed value with it too: one reading of the format, so a
    window the librarian can save is one the kiosk can use."""
    hours = (hours or "").strip()
    if not hours:
        return None
    start, end = hours.split("-")  # ValueError unless exactly one '-'
    return _minutes(start), _minutes(end)


# A kiosk runs for weeks; native memory (Qt, the keyboard, fragmentation) creeps up by about
# 11 MB per 100 resident visits (docs/benchmarks.md, "A kiosk's day"). A fresh process once a
# night, while nobody uses it, keeps a long-running kiosk where a new day starts.
FRESH_START_AFTER_H = 12.0
FRESH_START_HOURS = "03:00-05:00"  # when the librarian set no screen-off window


def fresh_start_due(started: datetime, now: datetime, screen_off_hours: str) -> bool:
    """Should the kiosk restart itself now (it is idle, in the media loop)? Once it has run
    FRESH_START_AFTER_H hours, inside the screen-off window (or the small hours)."""
    if (now - started).total_seconds() < FRESH_START_AFTER_H * 3600:
        return False
    return screen_off_now(screen_off_hours.strip() or FRESH_START_HOURS, now)


def _minutes(text: str) -> int:
    """'HH:MM' (hour 0-23, two-digit minute 00-59) as minutes after midnight."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip(), flags=re.ASCII)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(text)
    return int(match[1]) * 60 + int(match[2])
