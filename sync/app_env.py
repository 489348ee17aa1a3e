"""Build an app environment beside the running one, offline, from verified wheels only.

    python -m venv --without-pip APP_ROOT/venvs/<version>
    <running python> -m pip --python APP_ROOT/venvs/<version>/bin/python install --isolated \\
        --no-index --require-hashes --only-binary :all: --find-links STAGE/wheels -r STAGE/requirements.txt

Why this way: `--isolated` ignores pip's config files and environment (no index a machine's
pip.conf names can sneak in), `--no-index` + `--find-links` means the verified wheels are the
only candidates, `--require-hashes` makes pip check each one against the signed lock, and
`--only-binary` means nothing is ever built on a kiosk. The running environment's pip installs
(it is known to work); the lock carries pip too, so every environment can build the next one.
A venv's scripts carry absolute paths, so an environment is built where it will stay; it
counts as complete only once `.lawshelf-complete` is written, after the health check, and
the pointer is only ever switched to a complete environment.

Base site (documented, tested; used by the tests and development kiosks, not by the installer):
`base_site` names folders written into the new environment's `lawshelf-base.pth` before pip
runs, so packages there count as installed and are not installed again. The tests use it to
lend PySide6 and the other heavy packages of the developer's venv to each environment
instead of reinstalling them per test (docs/updates.md).
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import pwd
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging import tags
from packaging.utils import parse_wheel_filename

from offline_index.fsutil import atomic_copy_file, atomic_write_text, fsync_dir, fsync_tree
from sync.app_pins import LockEntry
from sync.app_publish import PROJECT
from sync.app_state import COMPLETE, AppRoot, write_json
from sync.app_verify import AppRelease
from sync.errors import ApplyError
from sync.release import sha256_file

log = logging.getLogger(__name__)

PIP_TIMEOUT_S = 1800
INSTALLED = ".lawshelf-installed"  # pip finished and everything is on disk (not yet checked)
BASE_PTH = "lawshelf-base.pth"


class AppInstallError(ApplyError):
    """An environment could not be built (pip failed, disk full, wrong Python)."""

    message_vi = "Không cài được phiên bản phần mềm mới; phiên bản đang chạy được giữ nguyên."


class NotForThisMachine(AppInstallError):
    """A package of the release has no wheel this machine's Python accepts (another platform,
    another Python): the same release would fail the same way every night, so it is recorded
    and never tried again."""

    message_vi = (
        "Phiên bản phần mềm mới không dành cho loại máy này; phiên bản đang chạy được giữ nguyên."
    )


def kiosk_user(home: Path) -> pwd.struct_passwd | None:
    """The account new code must run as: the owner of the kiosk's home, when this process is
    root and someone else owns it (an installed kiosk); None means "as this process"."""
    if os.geteuid() != 0:
        return None
    uid = home.stat().st_uid
    if uid == 0:
        return None
    try:
        return pwd.getpwuid(uid)
    except KeyError:
        return None


def give_to_kiosk(home: Path, *paths: Path) -> None:
    """Files root made or touched in the kiosk's home belong to the kiosk user (with SQLite's
    -wal/-shm: a root-owned one would stop the kiosk from opening its own database)."""
    user = kiosk_user(home)
    if user is None:
        return
    for path in paths:
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if p.exists() or p.is_symlink():
                os.lchown(p, user.pw_uid, user.pw_gid)


def run_as_kiosk(
    cmd: Sequence[str], env: dict[str, str], home: Path, *, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run new code with the kiosk user's rights, never root's (the installer step is root)."""
    user = kiosk_user(home)
    argv = list(cmd)
    if user is not None:
        env = {**env, "HOME": user.pw_dir, "USER": user.pw_name}
        argv = ["runuser", "-u", user.pw_name, "--", "env", "-i", *_pairs(env), *argv]
    # Its own session, so a timeout kills everything it started (a hung check's children
    # outlived it); subprocess.run would kill only the first process.
    proc = subprocess.Popen(
        argv,
        env=env,
        cwd="/",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def _pairs(env: dict[str, str]) -> list[str]:
    return [f"{k}={v}" for k, v in sorted(env.items())]


def check_platform(wheel_names: Iterable[str]) -> None:
    """Every package has a wheel whose tags this interpreter accepts (as pip reads them),
    checked before anything is built; a package may ship wheels for several machines."""
    supported = set(tags.sys_tags())
    usable: dict[str, bool] = {}
    for name in wheel_names:
        package, _, _, wheel_tags = parse_wheel_filename(name)
        usable[package] = usable.get(package, False) or bool(wheel_tags & supported)
    if wrong := sorted(p for p, ok in usable.items() if not ok):
        raise NotForThisMachine(
            f"no wheel of {', '.join(wrong)} is for this machine "
            f"({platform.machine()}, Python {platform.python_version()})"
        )


def requirements(release: AppRelease, entries: list[LockEntry]) -> str:
    """What pip installs: our wheel (with its extras) by hash, then every locked dependency."""
    extras = f"[{','.join(release.extras)}]" if release.extras else ""
    ours = release.wheels[release.wheel_name]
    lines = [f"{PROJECT}{extras}=={release.version} --hash=sha256:{ours}"]
    lines += [entry.line() for entry in entries]
    return "\n".join(lines) + "\n"


def stage_wheels(root: AppRoot, blobs: Path, release: AppRelease, reqs: str) -> Path:
    """Copy the verified wheels (checked again, byte for byte) to where pip can see them."""
    stage = root.staging / release.version
    shutil.rmtree(stage, ignore_errors=True)
    for name, digest in sorted(release.wheels.items()):

        def same(copy: Path, digest: str = digest, name: str = name) -> None:
            if sha256_file(copy)[0] != digest:
                raise AppInstallError(f"{name}: the stored wheel does not match its signed hash")

        source = blobs / digest
        if not source.is_file():
            raise AppInstallError(f"{name}: its verified blob is missing; the next sync fetches it")
        atomic_copy_file(source, stage / "wheels" / name, check=same)
    atomic_write_text(stage / "requirements.txt", reqs)
    return stage


def installed_as(env: Path) -> str | None:
    """The requirements an environment was completely (and durably) installed from, if any:
    an update killed after pip finished need not run pip again."""
    try:
        return (env / INSTALLED).read_text(encoding="utf-8")
    except OSError:
        return None


def base_interpreter() -> str:
    """The system Python the running environment was made from (venvs are made from it)."""
    base = getattr(sys, "_base_executable", "") or ""
    return base if base and os.path.exists(base) else (shutil.which("python3") or sys.executable)


def create_env(
    root: AppRoot,
    name: str,
    stage: Path,
    *,
    pip_python: str | None = None,
    base_site: Sequence[Path] = (),
) -> Path:
    """A new, not yet complete environment at APP_ROOT/venvs/<name> built from `stage`."""
    env = root.env(name)
    if env.exists():
        shutil.rmtree(env)
    root.venvs.mkdir(parents=True, exist_ok=True)
    _run([base_interpreter(), "-m", "venv", "--without-pip", str(env)], "creating the environment")
    if base_site:
        atomic_write_text(site_packages(env) / BASE_PTH, "".join(f"{p}\n" for p in base_site))
    pip = [pip_python or sys.executable, "-m", "pip", "--python", str(env / "bin" / "python")]
    pip += ["install", "--isolated", "--no-index", "--require-hashes", "--only-binary", ":all:"]
    pip += ["--no-cache-dir", "--disable-pip-version-check", "--no-input", "--quiet"]
    pip += ["--find-links", str(stage / "wheels"), "-r", str(stage / "requirements.txt")]
    _run(pip, "installing the wheels")
    fsync_tree(env)
    atomic_write_text(env / INSTALLED, (stage / "requirements.txt").read_text(encoding="utf-8"))
    return env


def site_packages(env: Path) -> Path:
    """The environment's own site-packages, as its interpreter names it."""
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    r = subprocess.run(
        [str(env / "bin" / "python"), "-c", code], capture_output=True, text=True, check=False
    )
    if r.returncode != 0:
        raise AppInstallError(f"the new environment's Python does not start: {r.stderr.strip()}")
    return Path(r.stdout.strip())


def _run(cmd: list[str], what: str) -> None:
    try:
        r = subprocess.run(
            cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, check=False, cwd="/"
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AppInstallError(f"{what} failed: {exc}") from None
    if r.returncode != 0:
        tail = " | ".join((r.stderr or r.stdout).strip().splitlines()[-4:])
        raise AppInstallError(f"{what} failed (exit {r.returncode}): {tail}")


def mark_complete(env: Path, record: dict) -> None:
    """The environment is whole, checked and durable: it may now be switched to."""
    write_json(env / COMPLETE, record)


def switch(link: Path, env: Path) -> None:
    """Point `link` at `env` with one atomic rename (a relative link: venvs/<name>)."""
    tmp = link.with_name(f".{link.name}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(env, link.parent), tmp)
    os.replace(tmp, link)
    fsync_dir(link.parent)


def unlink(link: Path) -> None:
    link.unlink(missing_ok=True)
    fsync_dir(link.parent)


def environments(root: AppRoot) -> list[str]:
    """Names of the environments present (not those retired, waiting to be deleted)."""
    if not root.venvs.is_dir():
        return []
    return sorted(p.name for p in root.venvs.iterdir() if not p.name.startswith("."))


def collect(root: AppRoot, keep: set[str]) -> list[str]:
    """Retire environments neither pointer names and `keep` does not list; returns their names.

    Retiring is one rename (venvs/.trash-<name>): deleting 700 MB takes seconds, and the guard
    runs while the kiosk screen waits. `empty_trash` deletes them later (the installer step;
    on a kiosk lawshelf-app.path starts it when trash appears)."""
    keep = set(keep)
    for link in (root.venv, root.previous_link):
        target = os.path.realpath(link) if os.path.islink(link) else None
        if target:
            keep.add(Path(target).name)
    retired = []
    for name in environments(root):
        if name not in keep:
            os.replace(root.env(name), root.venvs / f".trash-{name}-{os.getpid()}")
            retired.append(name)
    if retired:
        fsync_dir(root.venvs)
    return retired


def empty_trash(root: AppRoot) -> None:
    """Delete retired environments and half-built ones nothing points to."""
    for path in root.venvs.glob(".trash-*") if root.venvs.is_dir() else []:
        shutil.rmtree(path, ignore_errors=True)
