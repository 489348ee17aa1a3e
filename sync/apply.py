"""Apply a verified release: rebuild the library beside the live one, check it, switch atomically.

Why rebuild locally: a kiosk never opens an index it did not build (a planted index on a USB
stick or a tampered server cannot reach the library). The verified blobs are laid out as a
content source folder (hard links, no copies) and offline_index builds the next generation,
incrementally from the live one. A kill -9 at any step leaves the old generation live (or, after
the one-pointer switch, the new one): never a mix. Test hook: LAWSHELF_TEST_SYNC_KILL_AT=<step>
kills the process right after that step, so tests can prove this for every step.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from tuf.api.metadata import Metadata

from offline_index import generations as gens
from offline_index.build import build_generation
from offline_index.errors import LawShelfError, is_disk_full
from offline_index.fsutil import atomic_write_bytes
from offline_index.home import (
    blob_store,
    cache_dir,
    library_root,
    overlay_dir,
    partial_dir,
    release_metadata_dir,
    releases_dir,
    stage_dir,
    stage_dirs,
)
from sync.errors import ApplyError, SyncError
from sync.space import disk_full
from sync.verify import VerifiedRelease

log = logging.getLogger(__name__)

KILL_ENV = "LAWSHELF_TEST_SYNC_KILL_AT"
STEPS = ("verified", "fetched", "recorded", "staged", "built", "checked", "switched", "collected")


def checkpoint(step: str) -> None:
    """Test hook: die like a power cut right after `step` (only when the env var asks)."""
    if os.environ.get(KILL_ENV) == step:
        log.warning("test hook: killing the sync after step %s", step)
        os.kill(os.getpid(), signal.SIGKILL)


def live_release_version(home: Path) -> int | None:
    """The release version the live generation was built from (None: demo or local build)."""
    live = gens.live_generation(library_root(home))
    if live is None:
        return None
    try:
        version = gens.read_manifest(live).get("release_version")
    except LawShelfError:
        return None
    return int(version) if version is not None else None


def record_release(home: Path, release: VerifiedRelease) -> Path:
    """Keep the release's metadata exactly as published (export copies it to USB sticks)."""
    dest = release_metadata_dir(home, release.version)
    for name, data in release.metadata_bytes.items():
        atomic_write_bytes(dest / name, data)
    return dest.parent


def installed_targets(home: Path, version: int | None) -> dict[str, tuple[str, int]]:
    """path -> (sha256, length) of an applied release, from its recorded metadata."""
    if version is None:
        return {}
    path = release_metadata_dir(home, version) / f"{version}.targets.json"
    if not path.exists():
        return {}
    targets = Metadata.from_bytes(path.read_bytes()).signed.targets
    return {p: (tf.hashes["sha256"], tf.length) for p, tf in targets.items()}


def stage_source(home: Path, release: VerifiedRelease) -> Path:
    """Lay out the verified blobs as a content source folder (hard links where possible)."""
    stage = stage_dir(home, release.version)
    shutil.rmtree(stage, ignore_errors=True)
    store = blob_store(home)
    for path, (digest, _length) in release.targets.items():
        dest = stage / path
        if stage.resolve() not in dest.resolve().parents:
            raise ApplyError(f"target path {path!r} escapes the staging folder")
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(store / digest, dest)
        except OSError:
            shutil.copyfile(store / digest, dest)
    return stage


def build_and_switch(
    home: Path,
    release: VerifiedRelease,
    stage: Path,
    before_switch: Callable[[], None] | None = None,
) -> Path:
    """Build next generation from `stage` (+ the librarian's overlay), verify, switch, gc.

    `before_switch` runs after the checks, right before the pointer moves: a cancelled job
    raises there, and the new generation is deleted with the live library untouched."""
    root = library_root(home)
    overlay = overlay_dir(home)
    sources = [stage] + ([overlay] if overlay.is_dir() and any(overlay.iterdir()) else [])
    info = {"version": release.version, **release.info}
    with gens.library_lock(root):
        base = gens.live_generation(root)
        gen = gens.new_generation_dir(root)
        try:
            build_generation(sources, gen, cache_dir=cache_dir(home), base=base, release_info=info)
            checkpoint("built")
            gens.verify_generation(gen)
            checkpoint("checked")
            if before_switch:
                before_switch()
        except (OSError, sqlite3.OperationalError) as exc:
            shutil.rmtree(gen, ignore_errors=True)
            if is_disk_full(exc):
                raise disk_full(home) from None
            if isinstance(exc, sqlite3.OperationalError):
                raise
            raise ApplyError(f"could not build the new library: {exc}") from None
        except SyncError:  # cancelled before the switch
            shutil.rmtree(gen, ignore_errors=True)
            raise
        except LawShelfError as exc:
            shutil.rmtree(gen, ignore_errors=True)
            if is_disk_full(exc):
                raise disk_full(home) from None
            raise ApplyError(f"the new library failed its checks: {exc.message}") from None
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        gens.switch_generation(root, gen)
        checkpoint("switched")
        gens.gc_unlocked(root)
    return gen


def kept_versions(home: Path) -> set[int]:
    """Release versions the live and the previous generation were built from."""
    root = library_root(home)
    keep: set[int] = set()
    for gen in (gens.live_generation(root), gens.previous_generation(root)):
        if gen is None:
            continue
        try:
            v = gens.read_manifest(gen).get("release_version")
        except LawShelfError:
            continue
        if v is not None:
            keep.add(int(v))
    return keep


def collect_garbage(home: Path, staged: Iterable[str] = ()) -> list[Path]:
    """Drop what neither generation nor the release being applied (`staged` blob names) needs:
    blobs, release records, stages, stale partials, and generations no pointer names.
    Returns what it removed. The caller holds the sync lock (a running sync owns its stage).

    Runs before the space check too, so leftovers of a failed run (a disk-full build) never
    block the next release."""
    keep_versions = kept_versions(home)
    keep_blobs = set(staged)
    for v in keep_versions:
        keep_blobs |= {d for d, _ in installed_targets(home, v).values()}
    from sync import app_state  # the wheels of the app environments kept (docs/updates.md)

    keep_blobs |= app_state.blobs_to_keep(home, app_state.app_root_for())
    removed = _drop_releases(home, keep_versions) + _drop_blobs(home, keep_blobs)
    for p in stage_dirs(home):
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    removed += _drop_partials(home, set(staged), keep_blobs)
    return removed + gens.gc_generations(library_root(home))


def _drop_releases(home: Path, keep_versions: set[int]) -> list[Path]:
    rdir = releases_dir(home)
    gone = [
        p
        for p in (rdir.iterdir() if rdir.is_dir() else [])
        if not (p.name.isdigit() and int(p.name) in keep_versions)
    ]
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone


def _drop_blobs(home: Path, keep_blobs: set[str]) -> list[Path]:
    store = blob_store(home)
    gone = [p for p in (store.iterdir() if store.is_dir() else []) if p.name not in keep_blobs]
    for p in gone:
        p.unlink(missing_ok=True)
    return gone


def _drop_partials(home: Path, wanted: set[str], keep_blobs: set[str]) -> list[Path]:
    """Before a space check (`wanted` set) every other partial goes; after an apply they wait
    a week, so an interrupted download can still resume."""
    week_ago = time.time() - 7 * 86400
    partial = partial_dir(home)
    gone = []
    for p in partial.iterdir() if partial.is_dir() else []:
        digest = p.name.split(".", 1)[0]
        if digest in wanted:
            continue  # resumes in this run
        if wanted or digest in keep_blobs or p.stat().st_mtime < week_ago:
            p.unlink(missing_ok=True)
            gone.append(p)
    return gone
