from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from contest_helpers import FakeClock, install_publisher_key  # noqa: E402

from kiosk.state import open_state  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(home: Path):
    database = open_state(home)
    yield database
    database.close()


@pytest.fixture
def publisher_key(home: Path, tmp_path: Path) -> Path:
    return install_publisher_key(home, tmp_path / "publisher-keys")
