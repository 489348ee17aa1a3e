"""What a release changes, in words a librarian understands.

Why: a release is a set of content paths (`documents/x.json`), but a librarian deciding whether
to import a USB stick thinks in documents ("45/2019/QH14 Bộ luật Lao động") and titles. New
names and titles are read from the verified blobs of the release; old and removed ones from the
verified blobs the live library was built from, else from the live library itself. The paths
stay in the report for `--json` and scripts.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from offline_index.library import Library

log = logging.getLogger(__name__)

MAX_JSON = 64 * 1024 * 1024  # the content format's own per-file limit
FOLDER_KIND = {
    "documents": "document",
    "publications": "publication",
    "qa": "qa",
    "contests": "contest",
    "media": "media",
    "notices": "notice",
    "files": "file",
    "raw": "raw",
}
KIND_VI = {
    "document": "Văn bản",
    "publication": "Ấn phẩm",
    "qa": "Bộ hỏi đáp",
    "contest": "Cuộc thi",
    "media": "Video/ảnh",
    "notice": "Thông báo",
    "file": "Tệp đính kèm",
    "raw": "Văn bản gốc",
}
KIND_EN = {
    "document": "documents",
    "publication": "publications",
    "qa": "Q&A sets",
    "contest": "contests",
    "media": "media",
    "notice": "notices",
    "file": "attached files",
    "raw": "raw legal texts",
}
CHANGE_VI = {"added": "Thêm", "changed": "Sửa", "removed": "Bỏ"}
Reader = Callable[[str], bytes | None]  # content path -> verified bytes, or None if not at hand


@dataclass
class ChangeItem:
    """One content item a release adds, changes or removes."""

    change: str  # added | changed | removed
    kind: str  # document | publication | qa | contest | media | notice | file | raw
    path: str
    id: str = ""
    number: str = ""  # official number (documents)
    title: str = ""
    count: int = 0  # questions in a Q&A set

    @property
    def label(self) -> str:
        """`45/2019/QH14 — Bộ luật Lao động`, or the title, or the file name."""
        name = self.title or PurePosixPath(self.path).name
        if self.kind == "qa" and self.count > 1:
            name = f"{name} ({self.count} câu hỏi)"
        return f"{self.number} — {name}" if self.number else name

    @property
    def label_vi(self) -> str:
        return f"{KIND_VI.get(self.kind, 'Tệp')}: {self.label}"


@dataclass
class Changes:
    """Content paths added/changed/removed (as signed), plus the items they mean."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    items: list[ChangeItem] = field(default_factory=list)

    def by_change(self, change: str) -> list[ChangeItem]:
        return [i for i in self.items if i.change == change]

    def for_librarian(self) -> dict[str, Any]:
        """added/changed/removed as Vietnamese plain words, with the paths kept apart."""
        out: dict[str, Any] = {c: [i.label_vi for i in self.by_change(c)] for c in CHANGE_VI}
        out["items"] = [{**vars(i), "label": i.label} for i in self.items]
        out["paths"] = {"added": self.added, "changed": self.changed, "removed": self.removed}
        return out


def diff_targets(old: dict[str, tuple[str, int]], new: dict[str, tuple[str, int]]) -> Changes:
    return Changes(
        added=sorted(set(new) - set(old)),
        changed=sorted(p for p in set(new) & set(old) if new[p][0] != old[p][0]),
        removed=sorted(set(old) - set(new)),
    )


def kind_of(path: str) -> str | None:
    """The item kind a content path holds; None for the release manifest and unknown files."""
    parts = PurePosixPath(path).parts
    if len(parts) < 2:
        return None
    return FOLDER_KIND.get(parts[0])


def needs_blob(path: str) -> bool:
    """Only item JSON (and raw sidecars) carry names and titles worth fetching for a dry run."""
    kind = kind_of(path)
    if kind in (None, "file"):
        return False
    return path.endswith(".meta.json") if kind == "raw" else path.endswith(".json")


def describe(changes: Changes, new: Reader, old: Reader, live: Reader | None = None) -> None:
    """Fill `changes.items`: one per content item, in change then kind then label order."""
    items: list[ChangeItem] = []
    for change, paths in (
        ("added", changes.added),
        ("changed", changes.changed),
        ("removed", changes.removed),
    ):
        for path in paths:
            kind = kind_of(path)
            if kind is None:
                continue
            data = _load(new(path)) if change != "removed" else None
            if data is None and change != "added":
                data = _load(old(path))
            item = ChangeItem(change, kind, path)
            _fill(item, data)
            if not item.title and change != "added" and live is not None:
                _fill(item, _load(live(path)))
            items.append(item)
    order = list(FOLDER_KIND.values())
    items.sort(key=lambda i: (list(CHANGE_VI).index(i.change), order.index(i.kind), i.label))
    changes.items = items


def _load(data: bytes | None) -> Any:
    if data is None or len(data) > MAX_JSON:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _fill(item: ChangeItem, data: Any) -> None:
    if item.kind == "file":
        item.title = str(PurePosixPath(*PurePosixPath(item.path).parts[1:]))
        return
    if isinstance(data, dict) and item.kind == "qa" and isinstance(data.get("entries"), list):
        item.count = len(data["entries"])
        first = data["entries"][0] if data["entries"] else {}
        title = _text(data.get("title")) or (
            _text(first.get("question")) if item.count == 1 else ""
        )
        item.title = title or PurePosixPath(item.path).stem
        return
    if not isinstance(data, dict):
        return
    item.id = _text(data.get("id")) or item.id
    item.number = _text(data.get("number")) or item.number
    item.title = _text(data.get("title")) or _text(data.get("question")) or item.title
    if item.kind == "qa" and data.get("question"):
        item.count = 1


def store_reader(targets: dict[str, tuple[str, int]], store: Path) -> Reader:
    """Read a path's verified blob from the local blob store (None when it is not there)."""

    def read(path: str) -> bytes | None:
        entry = targets.get(path)
        if entry is None or entry[1] > MAX_JSON or not needs_blob(path):
            return None
        blob = store / entry[0]
        try:
            if blob.stat().st_size != entry[1]:
                return None
            return blob.read_bytes()
        except OSError:
            return None

    return read


class LiveTitles:
    """Titles of old items from the live library, by the item id their file is named after.

    Opened only when a blob is not at hand (the library is not needed on most runs)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.lib: Library | None = None
        self.tried = False

    def __call__(self, path: str) -> bytes | None:
        if not self.tried:
            self.tried = True
            self.lib = _open_library(self.home)
        if self.lib is None:
            return None
        try:
            found = _lookup(self.lib, kind_of(path), PurePosixPath(path).name.split(".", 1)[0])
        except Exception as exc:  # noqa: BLE001 - a title is nice to have, never a failure
            log.info("no live title for %s: %s", path, exc)
            return None
        return json.dumps(found, ensure_ascii=False).encode() if found else None

    def close(self) -> None:
        if self.lib is not None:
            self.lib.close()
            self.lib = None


def _open_library(home: Path) -> Library | None:
    from offline_index.library import Library

    try:
        return Library.open(home)
    except Exception as exc:  # noqa: BLE001 - no live library (first sync): no old titles
        log.info("live library not readable for change titles: %s", exc)
        return None


def _lookup(lib: Library, kind: str | None, item_id: str) -> dict | None:
    if kind == "document":
        doc = lib.document(item_id)
        return {"id": item_id, "number": doc.number, "title": doc.title}
    getter = {"publication": lib.publication, "contest": lib.contest, "qa": lib.qa_entry}.get(
        kind or ""
    )
    if getter is not None:
        obj = getter(item_id)
        return {"id": item_id, "title": getattr(obj, "title", "") or getattr(obj, "question", "")}
    many = {"media": lib.media, "notice": lib.notices}.get(kind or "")
    for obj in many() if many else []:
        if obj.id == item_id:
            return {"id": item_id, "title": obj.title}
    return None
