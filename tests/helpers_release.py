"""A real signed release repository with a tiny content source, for sync and admin tests.

Why one module: the sync tests and the admin tests both publish with sync's own keys and
publisher; two copies of the document JSON and the publisher drifted apart before.
Importable as `helpers_release` (tests/ is on sys.path through tests/conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sync import keys as keymod
from sync import release
from sync.verify import install_trusted_root


def doc_json(number: int, title: str) -> str:
    """A minimal valid content-v1 document numbered `<number>/2020/QH14`."""
    doc = {
        "type": "document",
        "format": 1,
        "number": f"{number}/2020/QH14",
        "kind": "Luật",
        "title": title,
        "issued": "2020-01-01",
        "validity": "in_force",
        "body": [{"level": "dieu", "number": "1", "title": "Phạm vi", "text": f"{title} đất đai."}],
    }
    return json.dumps(doc, ensure_ascii=False)


def doc_file(key: str | int) -> tuple[str, int]:
    """File stem and document number for a key: int n -> `d<n>` numbered n; a str key -> itself,
    with a number derived from the key (stable across runs)."""
    if isinstance(key, int):
        return f"d{key}", key
    return key, sum(map(ord, key)) % 900 + 1


@dataclass
class Publisher:
    src: Path
    repo: Path
    keys: Path

    @classmethod
    def at(cls, base: Path) -> Publisher:
        """src/, repo/ and fresh signing keys/ below base."""
        pub = cls(src=base / "src", repo=base / "repo", keys=base / "keys")
        keymod.init_keys(pub.keys)
        return pub

    def write(
        self,
        titles: Mapping[str, str | None] | Mapping[int, str | None],
        updated: str = "2026-01-01",
    ) -> None:
        """Write the source manifest and the documents; a None title removes that document."""
        self.src.mkdir(parents=True, exist_ok=True)
        manifest = {"format": 1, "name": "test", "updated": updated}
        (self.src / "lawshelf-content.json").write_text(json.dumps(manifest))
        for key, title in titles.items():
            stem, number = doc_file(key)
            path = self.src / "documents" / f"{stem}.json"
            if title is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(doc_json(number, title), encoding="utf-8")

    def publish(
        self,
        titles: Mapping[str, str | None] | Mapping[int, str | None] | None = None,
        *,
        updated: str = "2026-01-01",
        **kw,
    ) -> release.PublishReport:
        """Write `titles` (if any), then publish the next release with sync's publisher."""
        if titles:
            self.write(titles, updated)
        return release.publish(self.src, self.repo, self.keys, **kw)

    @property
    def root_v1(self) -> Path:
        return self.repo / "metadata" / "1.root.json"

    def trust(self, home: Path) -> None:
        """Install this publisher's first root as the kiosk's trusted root."""
        install_trusted_root(home, self.root_v1)


def demo_documents_library(base: Path, *stems: str) -> Path:
    """A real library (generation) of some demo documents, e.g. "68-2020-qh14" (the Law on
    Residence): for checking citations against what residents will read."""
    import shutil

    from offline_index.build import build_generation
    from offline_index.demo import CONTENT

    src = base / "docs-src"
    (src / "documents").mkdir(parents=True)
    (src / "lawshelf-content.json").write_text(
        '{"format": 1, "name": "t", "updated": "2026-01-01"}'
    )
    for stem in stems:
        shutil.copy(CONTENT / "documents" / f"{stem}.json", src / "documents")
    build_generation([src], base / "docs-lib")
    return base / "docs-lib"
