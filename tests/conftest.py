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
