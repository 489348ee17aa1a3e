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
import time
from pathlib import Path

from tuf.api.metadata import Metadata

from offline_index import generations as gens
from offline_index.build import build_generation
from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_bytes
from offline_index.home import cache_dir, library_root, overlay_dir, sync_dir
from sync.errors import ApplyError
from sync.verify import VerifiedRelease

log = logging.getLogger(__name__)

KILL_ENV = "LAWSHELF_TEST_SYNC_KILL_AT"
STEPS = ("verified", "fetched", "recorded", "staged", "built", "checked", "switched", "collected")


def checkpoint(step: str) -> None:
    """Test hook: die like a power cut right after `step` (only when the env var asks)."""
    if os.environ.get(KILL_ENV) == step:
        log.warning("test hook: killing the sync after step %s", step)
        os.kill(os.getpid(), signal.SIGKILL)


def blob_store(home: Path) -> Path:
    return sync_dir(home) / "blobs"


def partial_dir(home: Path) -> Path:
    return sync_dir(home) / "partial"


def releases_dir(home: Path) -> Path:
    return sync_dir(home) / "releases"


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
    dest = releases_dir(home) / str(release.version)
    for name, data in release.metadata_bytes.items():
        atomic_write_bytes(dest / "metadata" / name, data)
    return dest


def installed_targets(home: Path, version: int | None) -> dict[str, tuple[str, int]]:
    """path -> (sha256, length) of an applied release, from its recorded metadata."""
    if version is None:
        return {}
    path = releases_dir(home) / str(version) / "metadata" / f"{version}.targets.json"
    if not path.exists():
        return {}
    targets = Metadata.from_bytes(path.read_bytes()).signed.targets
    return {p: (tf.hashes["sha256"], tf.length) for p, tf in targets.items()}


def stage_source(home: Path, release: VerifiedRelease) -> Path:
    """Lay out the verified blobs as a content source folder (hard links where possible)."""
    stage = sync_dir(home) / f"stage-{release.version}"
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


def build_and_switch(home: Path, release: VerifiedRelease, stage: Path) -> Path:
    """Build next generation from `stage` (+ the librarian's overlay), verify, switch, gc."""
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
        except OSError as exc:
            shutil.rmtree(gen, ignore_errors=True)
            raise ApplyError(f"could not build the new library: {exc}") from None
        except LawShelfError as exc:
            shutil.rmtree(gen, ignore_errors=True)
            raise ApplyError(f"the new library failed its checks: {exc.message}") from None
        gens.switch_generation(root, gen)
        checkpoint("switched")
        gens.gc_unlocked(root)
    return gen


def collect_garbage(home: Path) -> None:
    """Drop blobs, release records, stages and partials that neither generation needs."""
    root = library_root(home)
    keep_versions = set()
    for gen in (gens.live_generation(root), gens.previous_generation(root)):
        if gen is not None:
            v = gens.read_manifest(gen).get("release_version")
            if v is not None:
                keep_versions.add(str(v))
    keep_blobs: set[str] = set()
    for v in keep_versions:
        keep_blobs |= {d for d, _ in installed_targets(home, int(v)).values()}
    from sync import app_state  # the wheels of the app environments kept (docs/updates.md)

    keep_blobs |= app_state.blobs_to_keep(home, app_state.app_root_for())
    rdir = releases_dir(home)
    for p in rdir.iterdir() if rdir.is_dir() else []:
        if p.name not in keep_versions:
            shutil.rmtree(p, ignore_errors=True)
    for p in blob_store(home).iterdir() if blob_store(home).is_dir() else []:
        if p.name not in keep_blobs:
            p.unlink(missing_ok=True)
    for p in sync_dir(home).glob("stage-*"):
        shutil.rmtree(p, ignore_errors=True)
    week_ago = time.time() - 7 * 86400
    for p in partial_dir(home).iterdir() if partial_dir(home).is_dir() else []:
        if p.name.split(".", 1)[0] in keep_blobs or p.stat().st_mtime < week_ago:
            p.unlink(missing_ok=True)
