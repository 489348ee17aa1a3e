"""App-update test helpers: real wheels of this project, a real stand-in dependency, a kiosk.

What is real here: the project wheels are built from a copy of this checkout by its own build
backend (setuptools, offline); the stand-in dependency is a real wheel of a small pure-Python
package; environments are real venvs built by sync.app_env with pip; the guard runs through
installer/files/lawshelf-app-guard exactly as systemd runs it.

What is lent, and how (the "base site" of sync/app_env.py, docs/updates.md): PySide6, pymupdf
and the other heavy runtime dependencies are not locked in these test releases; a symlink farm
of the developer venv's site-packages (without this project) is named in every environment's
`lawshelf-base.pth`, so pip sees them installed and nothing is reinstalled per test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers_release import Publisher

from sync import app_env, app_state
from sync.app_keys import init_app_keys
from sync.app_pins import lock_for_wheels, wheel_identity
from sync.app_publish import Rollout, publish_app
from sync.release import sha256_file

PROJECT = Path(__file__).resolve().parents[2]
GUARD = PROJECT / "installer" / "files" / "lawshelf-app-guard"
N, N1, N2 = "0.2.0", "0.3.0", "0.4.0"  # versions of the test wheels (conftest.py)
Patch = Callable[[str], str]


# ----------------------------------------------------------------------------- wheels


def copy_checkout(dest: Path) -> Path:
    """The files git would ship (tracked + new, not ignored), as install.sh copies them."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for rel in filter(None, files):
        src = PROJECT / rel.decode()
        if src.is_file() and not rel.startswith(b"offline_index/demo/content/"):  # not in wheels
            target = dest / rel.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def build_wheel(src: Path, out: Path) -> Path:
    """Build a wheel of the project at `src` with its own backend (no network, no isolation)."""
    out.mkdir(parents=True, exist_ok=True)
    code = "import sys; from setuptools import build_meta as b; print(b.build_wheel(sys.argv[1]))"
    r = subprocess.run(
        [sys.executable, "-c", code, str(out)], cwd=src, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return out / r.stdout.strip().splitlines()[-1]


def project_wheel(work: Path, out: Path, version: str, patches: dict[str, Patch]) -> Path:
    """A wheel of this project at `version`, with source edits (a fault, a migration) applied."""
    src = copy_checkout(work / f"src-{version}-{len(list(work.iterdir()))}")
    pyproject = src / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace('version = "0.1.0"', f'version = "{version}"', 1))
    for rel, patch in patches.items():
        path = src / rel
        path.write_text(patch(path.read_text(encoding="utf-8")), encoding="utf-8")
    wheel = build_wheel(src, out)
    shutil.rmtree(src)
    return wheel


def repack(wheel: Path, out: Path, version: str, patches: dict[str, Patch]) -> Path:
    """Another build of a project wheel: new version, source edits, a correct RECORD.

    (The two versions the update tests revolve around, N and N+1, are built from source by
    the real backend; their broken and older siblings are repacked from them, in milliseconds.)
    """
    old_info = f"lawshelf_kiosk-{wheel_identity(wheel.name)[1]}.dist-info/"
    new_info = f"lawshelf_kiosk-{version}.dist-info/"
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if name in patches:
                data = patches[name](data.decode("utf-8")).encode("utf-8")
            files[name.replace(old_info, new_info)] = data
    meta = files[new_info + "METADATA"].decode()
    files[new_info + "METADATA"] = re.sub(
        r"(?m)^Version: .*$", f"Version: {version}", meta
    ).encode()
    record = [
        f"{name},sha256={_b64(hashlib.sha256(data).digest())},{len(data)}"
        for name, data in files.items()
        if name != new_info + "RECORD"
    ]
    files[new_info + "RECORD"] = ("\n".join([*record, f"{new_info}RECORD,,"]) + "\n").encode()
    out.mkdir(parents=True, exist_ok=True)
    dest = out / f"lawshelf_kiosk-{version}-py3-none-any.whl"
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return dest


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def standin_wheel(work: Path, out: Path, size: int = 300_000) -> Path:
    """A real wheel of a small pure-Python package standing in for the large dependencies."""
    src = work / "standin"
    (src / "lawshelf_standin").mkdir(parents=True)
    (src / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "lawshelf-standin"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
        '[tool.setuptools.package-data]\nlawshelf_standin = ["*.bin"]\n'
    )
    (src / "lawshelf_standin" / "__init__.py").write_text('"""Stand-in dependency."""\nVALUE = 1\n')
    (src / "lawshelf_standin" / "data.bin").write_bytes(os.urandom(size))  # incompressible
    return build_wheel(src, out)


def base_farm(dest: Path) -> Path:
    """The developer venv's site-packages without this project (lent to every environment)."""
    site = Path(sysconfig.get_path("purelib"))
    dest.mkdir(parents=True)
    skip = ("lawshelf_kiosk", "__editable__", "lawshelf_standin", "_virtualenv")
    for entry in site.iterdir():
        if entry.name.startswith(skip) or entry.suffix == ".pth":
            continue
        (dest / entry.name).symlink_to(entry)
    return dest


@dataclass
class Wheels:
    """Every wheel the app tests use, built once per session."""

    folder: Path  # the publisher's wheelhouse: dependency wheels only
    deps: list[Path]  # the dependency wheels the releases lock
    farm: Path | None  # the base site lent to every environment (None: install everything)
    ours: dict[str, Path] = field(default_factory=dict)  # label -> project wheel

    @property
    def standin(self) -> Path:
        return self.deps[0]

    def lock(self, dest: Path) -> Path:
        path = dest / "app.lock"
        path.write_text(lock_for_wheels(self.deps))
        return path


# ----------------------------------------------------------------------------- publisher


@dataclass
class AppPublisher:
    pub: Publisher
    wheels: Wheels

    @classmethod
    def at(cls, base: Path, wheels: Wheels, titles: dict | None = None) -> AppPublisher:
        pub = Publisher.at(base)
        pub.publish(titles or {"a": "Luật A bản 1", "b": "Luật B bản 1"})
        init_app_keys(pub.repo, pub.keys)
        return cls(pub, wheels)

    def release(self, label: str, rollout: Rollout | None = None) -> None:
        lock = self.wheels.lock(self.pub.repo.parent)
        publish_app(
            self.wheels.ours[label],
            lock,
            self.wheels.folder,
            self.pub.repo,
            self.pub.keys,
            rollout=rollout,
        )


# ----------------------------------------------------------------------------- kiosk


@dataclass
class Kiosk:
    home: Path
    root: app_state.AppRoot
    farm: Path | None
    events: Path = field(init=False)

    def __post_init__(self) -> None:
        self.events = self.home.parent / "ui-events.jsonl"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "LAWSHELF_HOME": str(self.home),
            "LAWSHELF_APP_ROOT": str(self.root.path),
            "LAWSHELF_APP_BASE_SITE": str(self.farm or ""),
            "QT_QPA_PLATFORM": "offscreen",
            "LAWSHELF_UI_NO_VKB": "1",
        }

    def install_first(self, wheel: Path, deps: list[Path]) -> Path:
        """What installer/install.sh does: a first environment, the pointer, the trust anchor."""
        stage = self.root.staging / "first"
        (stage / "wheels").mkdir(parents=True)
        for path in [wheel, *deps]:
            shutil.copy(path, stage / "wheels" / path.name)
        version = wheel_identity(wheel.name)[1]
        ours = f"lawshelf-kiosk[ui]=={version} --hash=sha256:{sha256_file(wheel)[0]}\n"
        (stage / "requirements.txt").write_text(ours + lock_for_wheels(deps))
        base = [self.farm] if self.farm else []
        env = app_env.create_env(self.root, "installed", stage, base_site=base)
        shutil.rmtree(self.root.staging)
        app_env.switch(self.root.venv, env)
        return env

    def lawshelf(self, *args: str, env: dict | None = None, timeout: float = 300):
        """The running environment's own `lawshelf` (what systemd and the console run)."""
        return subprocess.run(
            [str(self.root.venv / "bin" / "lawshelf"), *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd="/",
        )

    def status(self) -> dict:
        r = self.lawshelf("status", "--json")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    def guard(
        self, event: str, result: str = "success", status: str = "0", env: dict | None = None
    ) -> str:
        env = {**self.env, "SERVICE_RESULT": result, "EXIT_STATUS": status, **(env or {})}
        r = subprocess.run(
            ["sh", str(GUARD), event], env=env, capture_output=True, text=True, cwd="/"
        )
        assert r.returncode == 0, r.stderr
        return r.stdout + r.stderr

    def running_version(self) -> str | None:
        return app_state.env_version(self.root.venv.resolve())

    def start(self, **extra: str) -> subprocess.Popen:
        """Start lawshelf-kiosk.service as systemd does: ExecStartPre (the guard), then ExecStart
        (the pointer's `lawshelf kiosk`)."""
        self.guard("start")
        self.events.unlink(missing_ok=True)
        env = {**self.env, "LAWSHELF_UI_EVENTS": str(self.events), **extra}
        return subprocess.Popen(
            [str(self.root.venv / "bin" / "lawshelf"), "kiosk", "--windowed"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd="/",
        )

    def wait_for(self, proc: subprocess.Popen, until: str, timeout: float = 60) -> bool:
        """Until the kiosk reports `until` (True) or exits by itself (False)."""
        end = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < end:
            if until in self.seen():
                return True
            time.sleep(0.1)
        return until in self.seen()

    def stop(self, proc: subprocess.Popen) -> dict:
        """systemctl stop (SIGTERM) unless it ended by itself, then ExecStopPost with the result."""
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=30)
        result, status = systemd_result(rc)
        self.guard("stop", result, status)
        return {"rc": rc, "result": result, "events": self.seen(), "stderr": proc.stderr.read()}

    def session(self, *, until: str = "home_painted", timeout: float = 60, **extra: str) -> dict:
        """One whole run of the kiosk session: ends by itself or is stopped once `until` shows."""
        proc = self.start(**extra)
        self.wait_for(proc, until, timeout)
        return self.stop(proc)

    def seen(self) -> list[str]:
        if not self.events.exists():
            return []
        return [json.loads(line)["event"] for line in self.events.read_text().splitlines()]

    def started_version(self) -> str | None:
        for line in self.events.read_text().splitlines():
            record = json.loads(line)
            if record["event"] == "started":
                return record.get("version")
        return None


def whole_env(kiosk: Kiosk) -> str:
    """The pointer names a whole environment of N or N+1, whose code imports."""
    env = kiosk.root.venv.resolve()
    code = "import cli.main, sync.run, kiosk.state; from importlib.metadata import version as v; "
    code += "print(v('lawshelf-kiosk'))"
    r = subprocess.run(
        [str(env / "bin" / "python"), "-c", code], capture_output=True, text=True, cwd="/"
    )
    assert r.returncode == 0, r.stderr
    version = r.stdout.strip()
    assert version in (N, N1, N2)
    if env.name != "installed":
        assert app_state.is_complete(env)
    return version


def systemd_result(rc: int) -> tuple[str, str]:
    """systemd's $SERVICE_RESULT/$EXIT_STATUS for a main process exit code (SIGTERM is clean)."""
    if rc in (0, -signal.SIGTERM):
        return "success", "0" if rc == 0 else "TERM"
    if rc < 0:
        sig = signal.Signals(-rc).name.removeprefix("SIG")
        return ("core-dump" if -rc in (signal.SIGABRT, signal.SIGSEGV) else "signal"), sig
    return "exit-code", str(rc)
