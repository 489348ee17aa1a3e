"""Sync test helpers: a kiosk home trusting a publisher (tests/helpers_release.py), and readers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers_release import Publisher

from offline_index.library import Library
from sync import release
from sync.transfer import TransferPolicy

FAST = TransferPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.05, read_timeout=2.0)


V1 = {"a": "Luật A bản 1", "b": "Luật B bản 1", "c": "Luật C bản 1"}


@pytest.fixture
def publisher(tmp_path: Path) -> Publisher:
    pub = Publisher.at(tmp_path)
    pub.write(V1)
    pub.publish()
    return pub


@pytest.fixture
def kiosk(home: Path, publisher: Publisher) -> Path:
    publisher.trust(home)
    return home


def live_titles(home: Path) -> dict[str, str]:
    """The live library's documents, read through the real Library API."""
    with Library.open(home) as lib:
        return {d.id: d.title for d in lib.documents()}


def snapshot_tree(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def copy_repo(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def blob_of(pub: Publisher, key: str) -> str:
    """The blob name (sha256) of a document of the publisher's source."""
    return release.sha256_file(pub.src / "documents" / f"{key}.json")[0]
