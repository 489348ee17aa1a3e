"""Sync test helpers: a publisher with real keys and a tiny content source, a kiosk home."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from offline_index.library import Library
from sync import keys as keymod
from sync import release
from sync.transfer import TransferPolicy
from sync.verify import install_trusted_root

FAST = TransferPolicy(attempts=4, backoff_s=0.01, backoff_max_s=0.05, read_timeout=2.0)


def doc_json(key: str, title: str) -> str:
    n = sum(map(ord, key)) % 900 + 1
    doc = {
        "type": "document",
        "format": 1,
        "number": f"{n}/2020/QH14",
        "kind": "Luật",
        "title": title,
        "issued": "2020-01-01",
        "validity": "in_force",
        "body": [{"level": "dieu", "number": "1", "title": "Phạm vi", "text": f"{title} đất đai."}],
    }
    return json.dumps(doc, ensure_ascii=False)


@dataclass
class Publisher:
    src: Path
    repo: Path
    keys: Path

    def write(self, titles: dict[str, str | None], updated: str = "2026-01-01") -> None:
        self.src.mkdir(parents=True, exist_ok=True)
        manifest = {"format": 1, "name": "test", "updated": updated}
        (self.src / "lawshelf-content.json").write_text(json.dumps(manifest))
        for key, title in titles.items():
            path = self.src / "documents" / f"{key}.json"
            if title is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(doc_json(key, title), encoding="utf-8")

    def publish(self, titles: dict[str, str | None] | None = None, **kw) -> release.PublishReport:
        if titles:
            self.write(titles)
        return release.publish(self.src, self.repo, self.keys, **kw)

    @property
    def root_v1(self) -> Path:
        return self.repo / "metadata" / "1.root.json"


V1 = {"a": "Luật A bản 1", "b": "Luật B bản 1", "c": "Luật C bản 1"}


@pytest.fixture
def publisher(tmp_path: Path) -> Publisher:
    pub = Publisher(src=tmp_path / "src", repo=tmp_path / "repo", keys=tmp_path / "keys")
    keymod.init_keys(pub.keys)
    pub.write(V1)
    pub.publish()
    return pub


@pytest.fixture
def kiosk(home: Path, publisher: Publisher) -> Path:
    install_trusted_root(home, publisher.root_v1)
    return home


def live_titles(home: Path) -> dict[str, str]:
    """The live library's documents, read through the real Library API."""
    with Library.open(home) as lib:
        return {d["id"]: d["title"] for d in lib.documents()}


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
