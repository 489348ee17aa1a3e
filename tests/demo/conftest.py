"""Demo bookshelf fixtures: a small library built once from the demo publications and media."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "offline_index" / "demo" / "content"


@pytest.fixture(scope="session")
def demo_src() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def pubs_library(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """Library built from the demo's publications, media and their files only (fast)."""
    from offline_index.build import build_generation
    from offline_index.library import Library

    src = tmp_path_factory.mktemp("pubs") / "src"
    for sub in ("publications", "media", "files/pubs", "files/media"):
        shutil.copytree(DEMO / sub, src / sub)
    manifest = {"format": 1, "name": "demo bookshelf", "updated": "2026-11-28"}
    (src / "lawshelf-content.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = tmp_path_factory.mktemp("gen") / "gen-pubs"
    report = build_generation([src], out, strict=True)
    assert not report.skipped
    lib = Library.open(out)
    yield lib
    lib.close()
