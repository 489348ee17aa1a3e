"""USB sticks: the same tree as the server, the same verification.

On a stick the tree lives in a `lawshelf/` folder (`<stick>/lawshelf/metadata`, `…/blobs`),
so a stick can carry other files too. Exports write there; imports accept the stick's root
or the `lawshelf/` folder.

Why nothing else on a stick is trusted: a stick passes through many hands. Only files the signed
metadata names (by hash) are read; anything else (a planted search index, a library folder,
scripts) is ignored and reported. A kiosk exports exactly the release it verified, metadata bytes
as published, so another kiosk can verify it against its own trusted root; it holds no keys.
"""

from __future__ import annotations

import errno
import json
import logging
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tuf.api.metadata import Metadata

from offline_index.fsutil import atomic_copy_file, atomic_write_bytes
from offline_index.home import release_metadata_dir
from sync import apply as ap
from sync.errors import (
    ExpiredError,
    NoStick,
    NotConfigured,
    NothingToExport,
    PublishError,
    StickFull,
    StickHoldsNewer,
    UnsafeFolder,
)
from sync.release import Expiry, Repo, publish_online, sha256_file
from sync.space import mb

log = logging.getLogger(__name__)

ALLOWED = {"metadata", "blobs", "inbox"}
STICK_DIR = "lawshelf"  # the release tree's folder on a stick


def stick_tree(dest: Path) -> Path:
    """Where an export writes: `<stick>/lawshelf`, or `dest` itself if it is that folder.
    The stick itself must be there (NoStick): it is never created on the kiosk's disk."""
    stick = dest.parent if dest.name == STICK_DIR else dest
    if not stick.is_dir():
        raise NoStick(f"no folder {stick} (is the USB stick plugged in?); nothing written")
    return dest if dest.name == STICK_DIR else dest / STICK_DIR


def writable(root: Path, rel: str) -> Path:
    """`root / rel`, to be written on a stick or share; refused (UnsafeFolder) when a folder
    on the way is a symbolic link: the stick's `lawshelf/` folder, and each folder below
    `root`. A stick passes through many hands, and a planted link would have the kiosk write
    where it may write (over its own cached release metadata: a rollback). Files themselves
    are replaced by rename, which replaces a link and never follows it."""
    chain = [root] if root.name == STICK_DIR else []
    for part in Path(rel).parts[:-1]:
        chain.append((chain[-1] if chain else root) / part)
    for folder in chain:
        if folder.is_symlink():
            raise UnsafeFolder(f"{folder} is a symbolic link; nothing is written through it")
    return root / rel


def release_tree(path: Path) -> Path:
    """The release tree of a folder given as a source: itself, or its `lawshelf/` folder."""
    if not (path / "metadata").is_dir() and (path / STICK_DIR / "metadata").is_dir():
        return path / STICK_DIR
    return path


def unexpected_entries(path: Path) -> list[str]:
    """Warnings for entries on a stick that are not part of a release tree (they are ignored)."""
    if not path.is_dir():
        return []
    extra = sorted(p.name for p in path.iterdir() if p.name not in ALLOWED)
    return [f"ignored {name!r} on {path}: not part of the signed release" for name in extra]


def _on_stick(src: Path, dest: Path) -> bool:
    """Whether the blob is already there whole (a real file of its size, never a link)."""
    return not dest.is_symlink() and dest.is_file() and dest.stat().st_size == src.stat().st_size


def _copy_blob(src: Path, dest_dir: Path, digest: str) -> int:
    dest = dest_dir / digest
    if _on_stick(src, dest):
        return 0
    atomic_copy_file(src, dest)
    return src.stat().st_size


def _room_for(tree: Path, blobs: list[tuple[Path, str]], mdir: Path) -> None:
    """Refuse (StickFull) before writing when the blobs not yet on the stick and the metadata
    cannot fit: a stick filled half way took 9.8 MB and ended in a traceback."""
    need = sum(p.stat().st_size for p in mdir.iterdir())
    for src, digest in dict.fromkeys(blobs):
        if not _on_stick(src, tree / "blobs" / digest):
            need += src.stat().st_size
    free = shutil.disk_usage(tree / "blobs").free
    if need > free:
        raise StickFull(
            f"the stick has {mb(free)} free; this release needs {mb(need)} more;"
            " no file was written"
        )


def _prepare(tree: Path) -> None:
    """The export's folders on the stick, none of them a link (writable)."""
    writable(tree, "blobs/x")
    (tree / "blobs").mkdir(parents=True, exist_ok=True)
    writable(tree, "metadata/x")


def export_usb(home: Path, dest: Path, *, now: datetime | None = None) -> dict:
    """Kiosk side: copy the live verified release (metadata as published + its blobs) to the
    stick `dest` (into its `lawshelf/` folder)."""
    dest = stick_tree(dest)
    version = ap.live_release_version(home)
    mdir = release_metadata_dir(home, version) if version is not None else None
    if mdir is None or not mdir.is_dir():
        raise NothingToExport(
            "this kiosk has no synced release to export (the demo is not exported)"
        )
    expires = _exportable(mdir, dest, now or datetime.now(UTC))
    targets = ap.installed_targets(home, version)
    _prepare(dest)
    _room_for(dest, [(ap.blob_store(home) / d, d) for d, _ in targets.values()], mdir)
    copied = 0
    try:
        for digest, _length in targets.values():
            src = ap.blob_store(home) / digest
            if sha256_file(src)[0] != digest:
                raise NotConfigured(
                    f"local blob {digest[:12]} is damaged; run `lawshelf sync` first"
                )
            copied += _copy_blob(src, dest / "blobs", digest)
        # Metadata last, timestamp.json very last: a half-written stick has no usable pointer.
        names = sorted(p.name for p in mdir.iterdir())
        for name in [n for n in names if n != "timestamp.json"] + ["timestamp.json"]:
            atomic_write_bytes(writable(dest, f"metadata/{name}"), (mdir / name).read_bytes())
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # filled meanwhile: what is there is whole, but unusable
            raise StickFull(f"the stick {dest} filled up during the export") from None
        raise
    return {
        "version": version,
        "files": len(targets),
        "bytes_copied": copied,
        "path": str(dest),
        "expires": expires,
    }


def _exportable(mdir: Path, tree: Path, now: datetime) -> str:
    """The day this kiosk's release stops being accepted (a kiosk holds no keys, so a stick it
    makes lasts as long as the publisher's timestamp). Refused: a release already expired
    (the neighbour would refuse it), and a stick holding a newer release (never overwritten)."""
    ts = Metadata.from_bytes((mdir / "timestamp.json").read_bytes()).signed
    if ts.is_expired(now):
        raise ExpiredError(
            f"this kiosk's release expired on {ts.expires:%Y-%m-%d}; a stick made from it would "
            "be refused. Sync this kiosk first."
        )
    theirs = _stick_timestamp_version(tree)
    if theirs is not None and theirs > ts.version:
        raise StickHoldsNewer(
            f"the stick holds a newer release (timestamp {theirs}, this kiosk's {ts.version}); "
            "not overwritten. Import it instead: lawshelf sync --from STICK"
        )
    return f"{ts.expires:%Y-%m-%d}"


def _stick_timestamp_version(tree: Path) -> int | None:
    """The version the stick's timestamp.json claims (unverified: only compared, to avoid
    overwriting); None when there is none or it cannot be read."""
    path = tree / "metadata" / "timestamp.json"
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 16_384:
            return None
        version = json.loads(path.read_bytes())["signed"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return version if isinstance(version, int) else None


def export_repo(repo: Path, keys_dir: Path, dest: Path, *, days: int = 60) -> dict:
    """Publisher side: mint snapshot+timestamp valid for `days` (sticks travel for weeks) in the
    repository itself (versions must only go up everywhere), then copy the tree to the stick
    `dest` (into its `lawshelf/` folder)."""
    dest = stick_tree(dest)
    expiry = Expiry(snapshot=timedelta(days=days), timestamp=timedelta(days=days))
    publish_online(repo, keys_dir, expiry=expiry)
    r = Repo.load(repo)
    if r.targets is None:
        raise PublishError(f"{repo}: nothing published yet")
    _prepare(dest)
    copied = 0
    delegated = _delegated(r)  # the software release (app role) travels too
    for targets in [r.targets.signed, *(md.signed for md in delegated.values())]:
        for tf in targets.targets.values():
            digest = tf.hashes["sha256"]
            copied += _copy_blob(repo / "blobs" / digest, dest / "blobs", digest)
    t, s = r.targets.signed.version, r.snapshot.signed.version
    names = sorted(p.name for p in r.meta.glob("*.root.json") if p.name[0].isdigit())
    names += [*delegated, f"{t}.targets.json", f"{s}.snapshot.json", "timestamp.json"]
    for name in names:
        atomic_write_bytes(writable(dest, f"metadata/{name}"), (r.meta / name).read_bytes())
    files = len(r.targets.signed.targets)
    return {"version": t, "files": files, "bytes_copied": copied, "path": str(dest)}


def _delegated(r: Repo) -> dict[str, Metadata]:
    """The delegated roles' metadata the snapshot pins, by published file name."""
    out = {}
    for name, meta in r.snapshot.signed.meta.items():
        role = name.removesuffix(".json")
        if role != "targets":
            file = f"{meta.version}.{role}.json"
            out[file] = Metadata.from_bytes((r.meta / file).read_bytes())
    return out
