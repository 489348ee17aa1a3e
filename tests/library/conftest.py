"""Library test fixtures: one test content source and one built generation per session.

The build key (proof that an index was built here) goes to the session's temp folder
(tests/conftest.py), never to the developer's real ~/.config.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from library_content import make_content  # noqa: E402


@pytest.fixture(scope="session")
def content_src(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    return make_content(tmp_path_factory.mktemp("content") / "src", shared_data)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, content_src: Path):  # noqa: ANN201
    """(generation dir, BuildReport) of the test content, built once."""
    from offline_index.build import build_generation

    out = tmp_path_factory.mktemp("built") / "gen-test"
    report = build_generation([content_src], out, cache_dir=out.parent / "cache")
    return out, report


@pytest.fixture(scope="session")
def lib(built):  # noqa: ANN001, ANN201
    from offline_index.library import Library

    library = Library.open(built[0])
    yield library
    library.close()


@pytest.fixture(scope="session")
def demo(demo_home: Path):  # noqa: ANN201
    """The demo library (tests/conftest.py's `demo_home`), open for searching."""
    from offline_index.library import Library

    with Library.open(demo_home) as lib:
        yield lib
