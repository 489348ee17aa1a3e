"""Shared fixtures: every test gets its own LAWSHELF_HOME under tmp_path."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Library builds sign their manifest with a per-user key (offline_index.generations);
# tests use a session key so they never write the developer's ~/.config/lawshelf/build.key.
os.environ.setdefault(
    "LAWSHELF_BUILD_KEY", os.path.join(tempfile.mkdtemp(prefix="lawshelf-key-"), "build.key")
)

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SHARED_DATA = SHARED / "data"


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
    import shutil

    from offline_index.generations import switch_generation
    from offline_index.home import library_root

    root = library_root(home)
    root.mkdir(parents=True, exist_ok=True)
    gen = root / demo_library.name
    shutil.copytree(demo_library, gen)
    switch_generation(root, gen)
    return home
