"""Load content sources (format v1 folders, raw legal files) into validated model objects.

Every file is validated with the model's `from_dict`; a bad file becomes a `ContentError`
naming the file, the field and the reason. Non-strict loads collect those as skipped and go
on; strict loads raise the first one, so a build never silently drops content.
Raw legal texts are parsed by `offline_index.parsers`, through a cache keyed by the hash of
the raw bytes, the sidecar metadata and the parser version (parsing is the slow part).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offline_index.errors import ContentError, LawShelfError
from offline_index.fsutil import atomic_write_text
from offline_index.model import (
    FORMAT_VERSION,
    Contest,
    Document,
    Media,
    Notice,
    Publication,
    QAEntry,
    SearchTopic,
    ThesaurusEntry,
    nfc,
)
from offline_index.ocr import cache as ocr_cache
from offline_index.playlists import Playlist, check_references

log = logging.getLogger(__name__)

MANIFEST_NAME = "lawshelf-content.json"
RAW_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
MAX_JSON_BYTES = 64 * 1024 * 1024  # a bigger JSON file is hostile or a mistake
MAX_RAW_BYTES = 256 * 1024 * 1024  # the biggest legal PDFs/books are far below this
KINDS_OF_FOLDERS = (
    "documents",
    "publications",
    "qa",
    "contests",
    "media",
    "notices",
    "thesaurus",
    "playlists",
    "topics",
)
DocumentSink = Callable[[Document, "str | None"], None]  # (document, source key or None)
Reuse = Callable[[str, Path], bool]  # (source key, source folder) -> taken from the base


@dataclass
class Content:
    """Everything one build will store, merged from all sources (later sources win)."""

    documents: dict[str, Document] = field(default_factory=dict)
    publications: dict[str, Publication] = field(default_factory=dict)
    qa: dict[str, QAEntry] = field(default_factory=dict)
    contests: dict[str, Contest] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)
    thesaurus: dict[str, ThesaurusEntry] = field(default_factory=dict)  # everyday -> legal words
    playlists: dict[str, Playlist] = field(default_factory=dict)  # public screens (signage)
    topics: dict[str, SearchTopic] = field(default_factory=dict)  # the search screen's chips
    files: dict[str, Path] = field(default_factory=dict)  # name under files/ -> source path
    sources: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[ContentError] = field(default_factory=list)
    cache_hits: int = 0
    cache_misses: int = 0
    parsed: list[str] = field(default_factory=list)  # raw files actually parsed (cache misses)

    def counts(self) -> dict[str, int]:
        return {
            "documents": len(self.documents),
            "articles": sum(len(d.articles()) for d in self.documents.values()),
            "publications": len(self.publications),
            "qa": len(self.qa),
            "contests": len(self.contests),
            "media": len(self.media),
            "notices": len(self.notices),
            "thesaurus": len(self.thesaurus),
            "playlists": len(self.playlists),
            "topics": len(self.topics),
            "files": len(self.files),
        }


# ---------------------------------------------------------------- parse cache


def parser_version() -> str:
    from offline_index import parsers

    return str(getattr(parsers, "PARSER_VERSION", "1"))


class ParseCache:
    """Parsed Documents as JSON, keyed by sha256 of raw bytes + sidecar meta + parser version.

    Writes are temp-file + rename, so a killed build leaves whole entries or none.
    """

    def __init__(self, root: Path | None) -> None:
        self.root = root / "parsed" if root else None
        if self.root:
            self.root.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(raw: bytes, meta: dict[str, Any] | None, version: str) -> str:
        h = hashlib.sha256(raw)
        h.update(b"\0meta\0" + json.dumps(meta or {}, sort_keys=True).encode())
        h.update(b"\0parser\0" + version.encode())
        return h.hexdigest()

    def get(self, key: str, path: str) -> Document | None:
        if not self.root:
            return None
        entry = self.root / f"{key}.json"
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            doc = Document.from_dict(data, path)
            os.utime(entry)  # recently used: kept by prune()
            return doc
        except FileNotFoundError:
            return None
        except (ValueError, LawShelfError) as exc:  # damaged entry: parse again
            log.warning("ignoring damaged cache entry %s: %s", entry, exc)
            return None

    def prune(self, max_age_days: float = 30) -> int:
        """Delete entries unused for max_age_days (old versions of edited raw files)."""
        if not self.root:
            return 0
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for entry in self.root.glob("*.json"):
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed += 1
        return removed

    def put(self, key: str, doc: Document) -> None:
        if not self.root:
            return
        text = json.dumps(doc.to_dict(), ensure_ascii=False)
        atomic_write_text(self.root / f"{key}.json", text, mode=0o600)  # 0600 as before


# ---------------------------------------------------------------- loading


class _Loader:
    """Accumulates content from several sources, honouring `strict`.

    With `on_document`, documents (the bulk of a library) are handed on one at a time
    instead of being kept: a build streams them into the store and the index.
    """

    def __init__(
        self,
        strict: bool,
        cache: ParseCache,
        on_document: DocumentSink | None,
        reuse: Reuse | None,
        cache_dir: Path | None = None,
    ) -> None:
        self.strict = strict
        self.cache = cache
        self.content = Content()
        self.on_document = on_document
        self.reuse = reuse
        self.source_key: str | None = None  # of the JSON document being loaded
        self.scans = ocr_cache.ScanCache(cache_dir, owner=self.content)  # OCR of scanned PDFs

    def document(self, doc: Document) -> None:
        if self.on_document is None:
            if doc.id in self.content.documents:
                log.info("%s overrides document %s", doc.number, doc.id)
            self.content.documents[doc.id] = doc
        else:
            self.on_document(doc, self.source_key)

    def fail(self, error: ContentError) -> None:
        if self.strict:
            raise error
        log.warning("skipped %s", error.message)
        self.content.skipped.append(error)

    def load(self, source: Path) -> None:
        if source.is_file():
            self.raw_file(source, source.name)
        elif (source / MANIFEST_NAME).is_file():
            self.content_folder(source)
        elif source.is_dir():
            if any((source / k).is_dir() for k in KINDS_OF_FOLDERS):
                self.fail(ContentError(str(source), f"content folder without {MANIFEST_NAME}"))
                return
            self.raw_folder(source)
        else:
            self.fail(ContentError(str(source), "no such file or folder"))

    def content_folder(self, root: Path) -> None:
        try:
            manifest = _read_json(root / MANIFEST_NAME)
            fmt = manifest.get("format") if isinstance(manifest, dict) else None
            if fmt != FORMAT_VERSION:
                raise ContentError(
                    str(root / MANIFEST_NAME), f"unsupported format {fmt!r} (expected 1)", "format"
                )
        except ContentError as exc:
            self.fail(exc)
            return
        self.content.sources.append(
            {"name": manifest.get("name", root.name), "updated": manifest.get("updated", "")}
        )
        self.json_items(root / "documents", Document, self.content.documents, root)
        self.json_items(root / "publications", Publication, self.content.publications, root)
        self.json_items(root / "qa", QAEntry, self.content.qa, root)
        self.json_items(root / "contests", Contest, self.content.contests, root)
        self.json_items(root / "media", Media, self.content.media, root)
        self.json_items(root / "notices", Notice, self.content.notices, root)
        self.json_items(root / "thesaurus", ThesaurusEntry, self.content.thesaurus, root)
        self.json_items(root / "playlists", Playlist, self.content.playlists, root)
        self.json_items(root / "topics", SearchTopic, self.content.topics, root)
        self.files(root / "files")
        if (root / "raw").is_dir():
            self.raw_folder(root / "raw")

    def json_items(self, folder: Path, cls: Any, into: dict, root: Path) -> None:
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            self.source_key = None
            try:
                if cls is Document and self.reuse is not None:
                    raw = _read_bytes(path)
                    self.source_key = "json:" + hashlib.sha256(raw).hexdigest()
                    if self.reuse(self.source_key, root):
                        continue  # unchanged since the base: its rows are copied
                    data = _parse_json(raw, path)
                else:
                    data = _read_json(path)
                listed = cls in (QAEntry, ThesaurusEntry, SearchTopic) and "entries" in data
                rows = data["entries"] if listed else [data]
                if not isinstance(rows, list):
                    raise ContentError(str(path), "must be a list", "entries")
                for i, row in enumerate(rows):
                    where = f"{path}[{i}]" if len(rows) > 1 else str(path)
                    self.add_item(cls.from_dict(row, where), into, where, root)
            except ContentError as exc:
                self.fail(exc)
            except RecursionError:
                self.fail(ContentError(str(path), "nested too deeply"))
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                self.fail(ContentError(str(path), f"malformed: {type(exc).__name__}: {exc}"))

    def add_item(self, item: Any, into: dict, where: str, root: Path) -> None:
        for ref_field, name in _file_refs(item):
            if not _safe_name(name):
                raise ContentError(
                    where, f"file name {name!r} must be relative to files/", ref_field
                )
            if not (root / "files" / name).is_file() and name not in self.content.files:
                raise ContentError(where, f"file {name!r} not found in files/", ref_field)
        if isinstance(item, Publication) and item.subtitles and not item.transcript:
            local = root / "files" / item.subtitles
            path = local if local.is_file() else self.content.files[item.subtitles]
            item.transcript = subtitle_text(path, where)
        if isinstance(item, Document):
            self.document(item)
            return
        if item.id in into:
            log.info("%s overrides %s %s", where, type(item).__name__, item.id)
        into[item.id] = item

    def files(self, folder: Path) -> None:
        if not folder.is_dir():
            return
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                self.content.files[path.relative_to(folder).as_posix()] = path

    def raw_folder(self, folder: Path) -> None:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in RAW_SUFFIXES and path.is_file():
                self.raw_file(path, path.relative_to(folder).as_posix())

    def raw_file(self, path: Path, name: str) -> None:
        self.source_key = None
        try:
            meta = _sidecar(path)
            if path.stat().st_size > MAX_RAW_BYTES:
                raise ContentError(str(path), f"larger than {MAX_RAW_BYTES} bytes")
            raw = path.read_bytes()
            # Scanned PDFs: OCR once (sidecar beside it, else the OCR cache), see ocr/cache.py.
            scan = self.scans.scan_for(path, raw) if path.suffix.lower() == ".pdf" else None
            salt = ocr_cache.cache_salt(scan[1]) if scan else ""
            key = ParseCache.key(raw, meta, parser_version() + salt)
            doc = self.cache.get(key, str(path))
            if doc is None:
                doc = _parse_raw(path, meta, scan[0] if scan else None)
                self.cache.put(key, doc)
                self.content.cache_misses += 1
                self.content.parsed.append(str(path))
            else:
                self.content.cache_hits += 1
        except ContentError as exc:
            self.fail(exc)
            return
        except OSError as exc:
            self.fail(ContentError(str(path), f"cannot read: {exc.strerror or exc}"))
            return
        if path.suffix.lower() == ".pdf" and not doc.pdf:
            doc.pdf = f"originals/{name}"
            self.content.files[doc.pdf] = path
            if scan:  # the recognised text and its confidence stay beside the PDF
                self.content.files[doc.pdf + ocr_cache.SIDECAR_SUFFIX] = scan[1]
        self.document(doc)


_CUE_TIMING = re.compile(r"^\s*(\d+|WEBVTT.*|NOTE.*|[\d:.,]+\s*-->\s*[\d:.,]+.*)\s*$")


def subtitle_text(path: Path, where: str) -> str:
    """Plain text of a .vtt/.srt file, so a video without a transcript is still searchable."""
    try:
        raw = path.read_bytes()[:MAX_JSON_BYTES].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(where, "subtitles are not UTF-8 text", "subtitles") from None
    except OSError as exc:
        raise ContentError(where, f"cannot read subtitles: {exc.strerror}", "subtitles") from None
    lines = (re.sub(r"<[^>]+>", "", line).strip() for line in raw.splitlines())
    return nfc(" ".join(x for x in lines if x and not _CUE_TIMING.match(x)))


def _safe_name(name: str) -> bool:
    """A referenced file must stay inside files/: relative, no `..`, no backslashes."""
    parts = name.split("/")
    return not name.startswith("/") and "\\" not in name and ".." not in parts and "" not in parts


def _file_refs(item: Any) -> list[tuple[str, str]]:
    """(field, name) of every file an item refers to, so a dangling name is caught at build."""
    refs: list[tuple[str, str]] = []
    for name in ("pdf", "file", "subtitles"):
        value = getattr(item, name, "")
        if value:
            refs.append((name, value))
    for i, q in enumerate(getattr(item, "questions", []) or []):
        if q.image:
            refs.append((f"questions[{i}].image", q.image))
    return refs


def _read_json(path: Path) -> Any:
    return _parse_json(_read_bytes(path), path)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise ContentError(str(path), f"larger than {MAX_JSON_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise ContentError(str(path), f"cannot read: {exc.strerror or exc}") from None


def _parse_json(raw: bytes, path: Path) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise ContentError(str(path), "JSON nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ContentError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ContentError(str(path), f"invalid JSON at line {exc.lineno}: {exc.msg}") from None


def _sidecar(path: Path) -> dict[str, Any] | None:
    """`<name>.meta.json` (or `<stem>.meta.json`) next to a raw file overrides parsed metadata."""
    for candidate in (path.with_name(path.name + ".meta.json"), path.with_suffix(".meta.json")):
        if candidate.is_file():
            meta = _read_json(candidate)
            if not isinstance(meta, dict):
                raise ContentError(str(candidate), "expected a JSON object")
            return meta
    return None


def _parse_raw(path: Path, meta: dict[str, Any] | None, scan: Any = None) -> Document:
    from offline_index.parsers import parse_file

    try:
        doc = parse_file(path, meta, scan=scan)
    except ContentError:
        raise
    except LawShelfError as exc:
        raise ContentError(str(path), exc.message) from None
    except Exception as exc:  # a hostile file must not stop the build
        log.exception("parser crashed on %s", path)
        raise ContentError(str(path), f"cannot parse: {type(exc).__name__}: {exc}") from None
    return doc  # parse_file applies the sidecar overrides and validates


def load_sources(
    sources: list[Path],
    *,
    strict: bool = False,
    cache_dir: Path | None = None,
    on_progress: Callable[[str], None] | None = None,
    on_document: DocumentSink | None = None,
    reuse: Reuse | None = None,
) -> Content:
    """Load and validate all sources in order; later sources override earlier ids.

    With `on_document`, each document goes there as soon as it is loaded, with the sha256
    key of its JSON file (a later one with the same id must replace it), and
    `Content.documents` stays empty. `reuse(key, source_root)` is asked first for each JSON
    document: True means the caller took that unchanged document from elsewhere (the base
    generation) and it is not parsed.
    """
    loader = _Loader(strict, ParseCache(cache_dir), on_document, reuse, cache_dir)
    for source in sources:
        if on_progress:
            on_progress(str(source))
        loader.load(Path(source))
    for error in check_references(loader.content.playlists, loader.content.media):
        loader.fail(error)  # a playlist naming media that no source has
    return loader.content
