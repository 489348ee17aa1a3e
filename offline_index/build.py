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
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offline_index import currency, demo, store
from offline_index import generations as gens
from offline_index.errors import BuildError, ContentError, LawShelfError
from offline_index.fsutil import fsync_dir, fsync_tree
from offline_index.home import cache_dir as home_cache_dir
from offline_index.home import library_root, overlay_dir
from offline_index.source import Content, ParseCache, load_sources

log = logging.getLogger(__name__)

# Each incremental build adds a Whoosh segment; past this many, re-index everything once
# so years of small syncs cannot slow search down.
MAX_BASE_SEGMENTS = 8


@dataclass
class BuildReport:
    gen_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[ContentError] = field(default_factory=list)
    cache_hits: int = 0
    cache_misses: int = 0
    parsed: list[str] = field(default_factory=list)
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
    """Hash of the search code (search_engine and the offline_index modules it uses).

    An index written by other analysis code is never reused as a base. Computed once per
    process, so it describes the code actually loaded, not a file edited since.
    """
    import sys
    import types

    from offline_index import analysis, search_engine

    modules = {search_engine.__name__: search_engine, analysis.__name__: analysis}
    for value in vars(search_engine).values():
        mod = value if isinstance(value, types.ModuleType) else None
        mod = mod or sys.modules.get(getattr(value, "__module__", "") or "")
        if mod is not None and mod.__name__.startswith("offline_index."):
            modules[mod.__name__] = mod
    h = hashlib.sha256()
    for name in sorted(modules):
        h.update(name.encode() + b"\0" + Path(modules[name].__file__).read_bytes())
    return h.hexdigest()[:16]


def build_generation(
    sources: list[Path],
    out_dir: Path,
    *,
    cache_dir: Path | None = None,
    base: Path | None = None,
    strict: bool = False,
    release_info: dict | None = None,
) -> BuildReport:
    """Build a complete, signed generation at `out_dir` (which must not exist yet)."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        raise BuildError(f"{out_dir} already exists; a build never overwrites a library")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = out_dir.parent / f"{gens.BUILDING_PREFIX}{out_dir.name}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        report = _build(sources, work, out_dir, cache_dir, base, strict, release_info or {})
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
) -> BuildReport:
    t0 = time.perf_counter()
    report = BuildReport(gen_dir=out_dir)
    content = load_sources([Path(s) for s in sources], strict=strict, cache_dir=cache_dir)
    report.timings["load"] = time.perf_counter() - t0
    report.skipped, report.parsed = content.skipped, content.parsed
    report.cache_hits, report.cache_misses = content.cache_hits, content.cache_misses
    report.counts = content.counts()
    base_manifest = _usable_base(base)
    fingerprint = engine_fingerprint()

    t = time.perf_counter()
    meta = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "content_date": release.get("content_date") or _content_date(content),
        "schema": str(store.SCHEMA_VERSION),
    }
    store.write_store(work / "content.sqlite", content, meta)
    report.timings["store"] = time.perf_counter() - t

    t = time.perf_counter()  # one pass over the stored effect statements (offline_index/currency)
    report.currency = currency.apply(str(work / "content.sqlite"), meta["content_date"]).summary()
    report.timings["currency"] = time.perf_counter() - t

    t = time.perf_counter()
    known = _place_files(content, work, base, base_manifest, report)
    report.timings["files"] = time.perf_counter() - t

    t = time.perf_counter()
    reuse = bool(base_manifest) and base_manifest.get("engine") == fingerprint
    if reuse and len(list((Path(base) / "index").glob("*.seg"))) > MAX_BASE_SEGMENTS:
        log.info("base index has too many segments; re-indexing everything")
        reuse = False
    units = _write_index(content, work, base if reuse else None, report)
    store.write_index_units(work / "content.sqlite", units)
    report.timings["index"] = time.perf_counter() - t

    t = time.perf_counter()
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


def _try_link(src: Path, dest: Path) -> bool:
    try:
        os.link(src, dest)
        return True
    except OSError:
        return False


def _write_index(
    content: Content, work: Path, base: Path | None, report: BuildReport
) -> dict[str, str]:
    """Write the search index; with a base, add only changed units and drop stale ones."""
    from offline_index.search_engine import write_index

    units = store.index_units(content)
    hashes = {u: store.unit_hash(recs) for u, recs in units.items()}
    old = store.read_index_units(base / "content.sqlite") if base else {}
    if not old:
        base = None  # without the base's unit list, cloning it would duplicate every record
    same = {u for u, h in hashes.items() if old.get(u) == h} if base else set()
    drop = sorted(set(old) - same)
    todo = [u for u in units if u not in same]
    records = (rec for u in todo for rec in units[u])
    report.units_reused, report.units_indexed, report.units_dropped = (
        len(same),
        len(todo),
        len(drop),
    )
    if base:
        write_index(work / "index", records, base_dir=base / "index", drop_doc_ids=drop)
    else:
        write_index(work / "index", records)
    return hashes


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
