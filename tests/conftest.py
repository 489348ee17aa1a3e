"""Shared fixtures: every test gets its own LAWSHELF_HOME under tmp_path."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Library builds sign their manifest with a per-user key (offline_index.generations);
# tests use a session key so they never write the developer's ~/.config/lawshelf/build.key.
# The folder is removed when the session ends, so runs leave no key folders in /tmp.
if "LAWSHELF_BUILD_KEY" not in os.environ:
    _KEY_DIR = tempfile.mkdtemp(prefix="lawshelf-key-")
    atexit.register(shutil.rmtree, _KEY_DIR, ignore_errors=True)
    os.environ["LAWSHELF_BUILD_KEY"] = os.path.join(_KEY_DIR, "build.key")

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SHARED_DATA = SHARED / "data"
DEMO = PROJECT / "offline_index" / "demo" / "content"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("LAWSHELF_HOME", str(path))
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home holding the embedded demo library, built once per session as the kiosk does
    (ensure_library; the slowest setup of the suite, so shared). Read-only: a test that changes
    its home copies the library in with `home_with_demo`."""
    from offline_index.build import ensure_library

    home = tmp_path_factory.mktemp("demo-home")
    ensure_library(home)
    return home


@pytest.fixture(scope="session")
def demo_library(demo_home: Path) -> Path:
    """The demo library's generation folder (read-only)."""
    from offline_index.generations import live_generation
    from offline_index.home import library_root

    gen = live_generation(library_root(demo_home))
    assert gen is not None
    return gen


@pytest.fixture
def home_with_demo(home: Path, demo_library: Path) -> Path:
    """This test's home with a copy of the demo library live in it (as if it had been built
    there), so a rebuild is incremental instead of a fresh 15 s build."""
    from offline_index.generations import switch_generation
    from offline_index.home import library_root

    root = library_root(home)
    root.mkdir(parents=True, exist_ok=True)
    gen = root / demo_library.name
    shutil.copytree(demo_library, gen)
    switch_generation(root, gen)
    return home


@pytest.fixture(scope="session")
def contest_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real library: the demo contests (open from yesterday for 60 days, whenever
    the suite runs), quiz images, notices, Q&A and a few laws."""
    from offline_index.build import build_generation

    src = tmp_path_factory.mktemp("content") / "src"
    src.mkdir()
    shutil.copy(DEMO / "lawshelf-content.json", src)
    for sub in ("contests", "notices", "qa", "files/quiz"):
        shutil.copytree(DEMO / sub, src / sub)
    now = datetime.now(UTC)
    for path in (src / "contests").glob("*.json"):  # keep the demo contests open whenever run
        data = json.loads(path.read_text(encoding="utf-8"))
        data["opens"] = (now - timedelta(days=1)).isoformat(timespec="seconds")
        data["closes"] = (now + timedelta(days=60)).isoformat(timespec="seconds")
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (src / "documents").mkdir()
    for doc in ("52-2014-qh13", "91-2015-qh13", "168-2024-nd-cp"):
        shutil.copy(DEMO / "documents" / f"{doc}.json", src / "documents")
    out = tmp_path_factory.mktemp("lib") / "gen-test"
    build_generation([src], out)
    return out


@pytest.fixture
def small_disk(tmp_path):
    """Factory: `small_disk("20m")` mounts a real tmpfs of that size (needs root)."""
    mounts = []

    def make(size: str):
        mnt = tmp_path / f"disk{len(mounts)}"
        mnt.mkdir()
        cmd = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)]
        if subprocess.run(cmd, check=False).returncode != 0:
            pytest.skip("cannot mount a small tmpfs here (needs root)")
        mounts.append(mnt)
        return mnt

    yield make
    for mnt in mounts:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


# Test modules that change the machine itself (install.sh into /opt, /etc and systemd's units,
# from one session-scoped install): all of each runs on one xdist worker, or two workers'
# sessions would each install at the same time (same venv folder, each removing the other's).
ONE_WORKER = ("tests/installer/test_installer.py",)


def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN001, ANN201
    """`-n` with the default `--dist load`, except that each ONE_WORKER module is one unit.

    xdist's own `--dist loadgroup` cannot do it here: with pytest 9.2 its group suffix
    (`item._nodeid`) no longer reaches the node id, so marked tests spread as under `load`.
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class OneWorkerModules(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path in ONE_WORKER else nodeid

    return OneWorkerModules(config, log)
