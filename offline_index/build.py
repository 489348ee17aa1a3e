"""Build library generations from content sources, incrementally when a base is given.

A build writes into a hidden `.building-*` folder beside the target and renames it into place
only after MANIFEST.json and an fsync of every file: the target either does not exist or is
complete, whatever happens (strict failure, crash, kill -9). With a `base` generation the
build re-indexes only units whose index records changed (Whoosh analysis is the slow part),
hard-links unchanged files, and reuses parsed raw documents from the cache.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offline_index import currency, demo, index_units, store
from offline_index import generations as gens
from offline_index.errors import BuildError, ContentError, LawShelfError
from offline_index.fsutil import fsync_dir, fsync_tree
from offline_index.home import cache_dir as home_cache_dir
from offline_index.home import library_root, overlay_dir
from offline_index.model import Document
from offline_index.source import Content, ParseCache, load_sources
from offline_index.unit_spool import UnitSpool

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (what, done, total); total 0 when unknown

# Each incremental build adds a small Whoosh segment (merged once 8 pile up) and leaves the
# replaced records in the base's segments as deleted. Past these limits the index is rebuilt
# once, so years of small syncs cannot grow it or slow search down.
MAX_BASE_SEGMENTS = 24
MAX_DELETED_SHARE = 0.25
# A build that skips more than this share of its inputs (bad files, wrong folder) fails
# instead of becoming a library that is missing most of its content.
MAX_SKIPPED_SHARE = 0.5


@dataclass
class BuildReport:
    gen_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[ContentError] = field(default_factory=list)
    cache_hits: int = 0
    cache_misses: int = 0
    parsed: list[str] = field(default_factory=list)
    documents_reused: int = 0  # unchanged JSON documents copied from the base, not parsed
    units_reused: int = 0
    units_indexed: int = 0
    units_dropped: int = 0
    files_linked: int = 0
    files_copied: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    currency: dict[str, Any] = field(default_factory=dict)  # law currency derived from the texts

    def summary(self) -> dict[str, Any]:
        return {
            "generation": self.gen_dir.name,
            "counts": self.counts,
            "skipped": [e.message for e in self.skipped],
            "cache_hits": self.cache_hits,
            "cache_misses": self.cache_misses,
            "documents_reused": self.documents_reused,
            "units_reused": self.units_reused,
            "units_indexed": self.units_indexed,
            "units_dropped": self.units_dropped,
            "files_linked": self.files_linked,
            "files_copied": self.files_copied,
            "seconds": round(self.seconds, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "currency": self.currency,
        }


@functools.cache
def engine_fingerprint() -> str:
    """Hash of the search code (search_engine, analysis and the offline_index modules they use).

    An index written by other analysis code is never reused as a base. Computed once per
    process, so it describes the code actually loaded, not a file edited since.
    """
    modules = engine_modules()
    h = hashlib.sha256()
    for name in sorted(modules):
        h.update(name.encode() + b"\0" + Path(modules[name].__file__).read_bytes())
    return h.hexdigest()[:16]


def engine_modules() -> dict[str, types.ModuleType]:
    """search_engine, analysis, and the offline_index modules their names come from (folding,
    everyday, stopwords for analysis): a module split out of either stays covered."""
    from offline_index import analysis, search_engine

    modules = {m.__name__: m for m in (search_engine, analysis)}
    for base in (search_engine, analysis):
        for value in vars(base).values():
            mod = value if isinstance(value, types.ModuleType) else None
            mod = mod or sys.modules.get(getattr(value, "__module__", "") or "")
            if mod is not None and mod.__name__.startswith("offline_index."):
                modules[mod.__name__] = mod
    return modules


def build_generation(
    sources: list[Path],
    out_dir: Path,
    *,
    cache_dir: Path | None = None,
    base: Path | None = None,
    strict: bool = False,
    release_info: dict | None = None,
    progress: Progress | None = None,
    max_skipped: float = MAX_SKIPPED_SHARE,
    require_documents: bool = False,
) -> BuildReport:
    """Build a complete, signed generation at `out_dir` (which must not exist yet).

    Memory stays bounded whatever the size of the sources: documents stream through.
    `progress(what, done, total)` is called as it goes (`what`: load, index, postings,
    manifest; `total` 0 when not known yet). Fails (BuildError, nothing written) when more
    than `max_skipped` of the inputs were skipped, or, with `require_documents` (`lawshelf
    library build`), when the sources yield no documents; a bookshelf-only or empty content
    source is a valid library otherwise.
    """
    out_dir = Path(out_dir)
    if out_dir.exists():
        raise BuildError(f"{out_dir} already exists; a build never overwrites a library")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = out_dir.parent / f"{gens.BUILDING_PREFIX}{out_dir.name}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        guard = YieldGuard([Path(s) for s in sources], max_skipped, require_documents)
        report = _build(
            sources, work, out_dir, cache_dir, base, strict, release_info or {}, progress, guard
        )
        fsync_tree(work)
        os.rename(work, out_dir)
        fsync_dir(out_dir.parent)
    except ContentError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BuildError(f"strict build stopped, nothing written: {exc.message}") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return report


def _build(
    sources: list[Path],
    work: Path,
    out_dir: Path,
    cache_dir: Path | None,
    base: Path | None,
    strict: bool,
    release: dict,
    progress: Progress | None,
    guard: YieldGuard,
) -> BuildReport:
    """Stream the sources into content.sqlite and a spool of changed units, then index."""
    t0 = time.perf_counter()
    report = BuildReport(gen_dir=out_dir)
    base_manifest = _usable_base(base)
    fingerprint = engine_fingerprint()
    base_index = base if _reusable_index(base, base_manifest, fingerprint) else None
    old = store.read_index_units(base_index / "content.sqlite") if base_index else {}
    base_index = base_index if old else None  # without its unit list the base cannot be reused
    writer = store.StoreWriter(
        work / "content.sqlite", base_index / "content.sqlite" if base_index else None
    )
    spool = UnitSpool(work / ".spool.jsonl", old)  # removed before the manifest
    try:
        content = _load(sources, strict, cache_dir, writer, spool, progress)
        report.timings["load"] = time.perf_counter() - t0
        report.skipped, report.parsed = content.skipped, content.parsed
        report.cache_hits, report.cache_misses = content.cache_hits, content.cache_misses
        report.documents_reused = writer.copied
        articles = sum(writer.articles.values())
        report.counts = {
            **content.counts(),
            "documents": len(writer.articles),
            "articles": articles,
        }
        guard.check(report.counts, content.skipped)
        meta = {
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "content_date": release.get("content_date") or _content_date(content),
            "schema": str(store.SCHEMA_VERSION),
        }
        t = time.perf_counter()
        writer.finish(content, meta)
        report.timings["store"] = time.perf_counter() - t
        t = (
            time.perf_counter()
        )  # one pass over the stored effect statements (offline_index/currency)
        report.currency = currency.apply(
            str(work / "content.sqlite"), meta["content_date"]
        ).summary()
        report.timings["currency"] = time.perf_counter() - t
        known = _place_files(content, work, base, base_manifest, report)
        t = time.perf_counter()
        _write_index(spool, work, base_index, report, progress)
        store.write_index_units(work / "content.sqlite", spool.hashes)
        known.update(_shared_hashes(work, base, base_manifest))
        report.timings["index"] = time.perf_counter() - t
    finally:
        spool.close()
    t = time.perf_counter()
    if progress:
        progress("manifest", 0, 1)
    info = {
        "build_id": out_dir.name,
        "built_at": meta["built_at"],
        "content_date": meta["content_date"],
        "release_version": release.get("version"),
        "release": release,
        "engine": fingerprint,
        "counts": report.counts,
        "sources": content.sources,
        "skipped": [e.message for e in content.skipped],
        "currency": report.currency,
    }
    gens.write_manifest(work, info, known)
    report.timings["manifest"] = time.perf_counter() - t
    report.seconds = time.perf_counter() - t0
    log.info("built %s in %.1fs: %s", out_dir.name, report.seconds, report.counts)
    return report


@dataclass(frozen=True)
class YieldGuard:
    """What a build must yield: documents (if required), few enough inputs skipped."""

    sources: list[Path]
    max_skipped: float = MAX_SKIPPED_SHARE
    require_documents: bool = False

    def check(self, counts: dict[str, int], skipped: list[ContentError]) -> None:
        """Raise BuildError (the build then writes nothing) when the yield is not enough."""
        loaded = sum(v for k, v in counts.items() if k not in ("articles", "files"))
        first = f" (first: {skipped[0].message})" if skipped else ""
        where = ", ".join(map(str, self.sources[:3])) + (" …" if len(self.sources) > 3 else "")
        if self.require_documents and not counts.get("documents"):
            raise BuildError(
                f"no documents in {where}: {loaded} other item(s) read, {len(skipped)} "
                f"input(s) skipped{first}; nothing was built",
                message_vi="Không tìm thấy văn bản nào; thư viện không thay đổi.",
            )
        if len(skipped) > self.max_skipped * (loaded + len(skipped)):
            raise BuildError(
                f"{len(skipped)} of {loaded + len(skipped)} inputs skipped, more than "
                f"{self.max_skipped:.0%}{first}; nothing was built (fix the inputs, or allow "
                "more with --max-skipped)",
                message_vi="Quá nhiều tệp hỏng; thư viện không thay đổi.",
            )


def _load(
    sources: list[Path],
    strict: bool,
    cache_dir: Path | None,
    writer: store.StoreWriter,
    spool: UnitSpool,
    progress: Progress | None,
) -> Content:
    """Documents go to the store and the spool as they load; the rest is kept (small)."""

    def on_document(doc: Document, key: str | None) -> None:
        writer.add_document(doc, key)
        spool.add(doc.id, list(index_units.document_records(doc)))
        if progress:
            progress("load", len(writer.articles), 0)

    def reuse(key: str, root: Path) -> bool:
        """An unchanged JSON document whose rows and index unit the base already has."""
        doc_id, pdf = writer.base_sources.get(key, ("", ""))
        if not doc_id or doc_id not in spool.base or (pdf and not (root / "files" / pdf).is_file()):
            return False
        writer.copy_document(doc_id, key)
        spool.keep(doc_id, spool.base[doc_id])
        if progress:
            progress("load", len(writer.articles), 0)
        return True

    paths = [Path(s) for s in sources]
    content = load_sources(
        paths, strict=strict, cache_dir=cache_dir, on_document=on_document, reuse=reuse
    )
    units: dict[str, list] = {}
    for rec in index_units.other_records(content):
        units.setdefault(rec.doc_id, []).append(rec)
    for unit, records in units.items():
        spool.add(unit, records)
    return content


def _reusable_index(base: Path | None, manifest: dict | None, fingerprint: str) -> bool:
    """A base index is reused if built by this search code with few enough segments."""
    if base is None or not manifest or manifest.get("engine") != fingerprint:
        return False
    from offline_index.whoosh_adapter import index_stats

    segments, live, total = index_stats(Path(base) / "index")
    if segments > MAX_BASE_SEGMENTS or total - live > MAX_DELETED_SHARE * total:
        log.info(
            "base index has %d segments, %d of %d records deleted; re-indexing",
            segments,
            total - live,
            total,
        )
        return False
    return True


def _usable_base(base: Path | None) -> dict[str, Any] | None:
    """A base is reused only if it passes the open-time checks (built here, files intact)."""
    if base is None:
        return None
    try:
        return gens.check_generation(Path(base))
    except LawShelfError as exc:
        log.warning("not reusing base %s: %s", base, exc.message)
        return None


def _content_date(content: Content) -> str:
    dates = [s.get("updated") or "" for s in content.sources]
    return max(dates) if any(dates) else datetime.now(UTC).date().isoformat()


def _place_files(
    content: Content, work: Path, base: Path | None, base_manifest: dict | None, report: BuildReport
) -> dict[str, str]:
    """Copy content files into files/, hard-linking those identical to the base's copy."""
    base_files = (base_manifest or {}).get("files", {})
    known: dict[str, str] = {}
    for name, src in sorted(content.files.items()):
        dest = work / "files" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        digest = gens.sha256_file(src)
        entry = base_files.get(f"files/{name}")
        if base and entry and entry["sha256"] == digest and _try_link(base / "files" / name, dest):
            report.files_linked += 1
        else:
            shutil.copyfile(src, dest)
            report.files_copied += 1
        known[f"files/{name}"] = digest
    return known


def _shared_hashes(work: Path, base: Path | None, base_manifest: dict | None) -> dict[str, str]:
    """sha256 of index files hard-linked from the base (the same inode): no need to re-read
    a gigabyte of unchanged segments for the manifest."""
    files = (base_manifest or {}).get("files", {})
    known = {}
    for path in (work / "index").iterdir():
        name = f"index/{path.name}"
        other = Path(base or "") / name
        if name in files and other.exists() and os.path.samefile(path, other):
            known[name] = files[name]["sha256"]
    return known


def _try_link(src: Path, dest: Path) -> bool:
    try:
        os.link(src, dest)
        return True
    except OSError:
        return False


def _write_index(
    spool: UnitSpool, work: Path, base: Path | None, report: BuildReport, progress: Progress | None
) -> None:
    """Write the search index; with a base, add only changed units and drop stale ones."""
    from offline_index.search_engine import write_index

    same = spool.reused if base else set()
    old = store.read_index_units(base / "content.sqlite") if base else {}
    drop = sorted(set(old) - same)
    report.units_reused, report.units_indexed, report.units_dropped = (
        len(same),
        len(spool.units()),
        len(drop),
    )
    write_index(
        work / "index",
        spool.records(),
        base_dir=base / "index" if base else None,
        drop_doc_ids=drop,
        progress=progress,
        expected=spool.pending,
    )


# ---------------------------------------------------------------- home library


def build_home(home: Path, sources: list[Path], **kw: Any) -> BuildReport:
    """Build (incrementally from the live generation) into HOME, verify, switch, gc."""
    root = library_root(home)
    overlay = overlay_dir(home)
    all_sources = list(sources) + ([overlay] if overlay.is_dir() and any(overlay.iterdir()) else [])
    kw.setdefault("cache_dir", home_cache_dir(home))
    with gens.library_lock(root):
        kw.setdefault("base", gens.live_generation(root))
        gen = gens.new_generation_dir(root)
        report = build_generation(all_sources, gen, **kw)
        try:
            gens.verify_generation(gen)
        except LawShelfError:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        gens.switch_generation(root, gen)
        gens.gc_unlocked(root)
    ParseCache(kw["cache_dir"]).prune()
    return report


def build_into_home(home: Path, sources: list[Path], **kw: Any) -> Path:
    return build_home(home, sources, **kw).gen_dir


def ensure_library(home: Path) -> Path:
    """A usable live (else previous) generation, else build the embedded demo library into home."""
    root = library_root(home)
    for gen in (gens.live_generation(root), gens.previous_generation(root)):
        if gen is None:
            continue
        try:
            gens.check_generation(gen)
            return gen
        except LawShelfError as exc:
            log.warning("library %s unusable: %s", gen.name, exc.message)
    return build_into_home(home, [demo.CONTENT], base=None)
