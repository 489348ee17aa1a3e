"""The release repository: TUF metadata (python-tuf Metadata API) plus content-addressed blobs.

Layout on plain static storage (see docs/release-format.md):

    REPO/metadata/N.root.json          every root version (kiosks walk the chain); root.json = newest
    REPO/metadata/N.targets.json       signed list: content path -> sha256 + length (+ release info)
    REPO/metadata/N.snapshot.json      pins the targets version (mix-and-match protection)
    REPO/metadata/timestamp.json       THE ONLY MUTABLE FILE: pins the snapshot, expires in days
    REPO/blobs/<sha256>                every content file, named by its hash

Why blobs by hash: everything but timestamp.json is immutable and cacheable forever, and a new
release with one changed document adds one blob plus metadata. Write order (blobs, targets,
snapshot, timestamp last, each temp -> fsync -> rename) means a reader never sees a half release.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_copy_file, atomic_write_bytes
from offline_index.source import load_sources
from sync import keys as keymod
from sync.errors import PublishError, SigningKeyError

log = logging.getLogger(__name__)

MANIFEST = "lawshelf-content.json"
EXTRA = "x-lawshelf"  # signed custom field: release info + issue time (the kiosk's time floor)
VN_TZ = timezone(timedelta(hours=7))  # content dates are Vietnam dates
MAX_PROBLEMS_SHOWN = 20
SERIALIZER = JSONSerializer(compact=True)
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\:]")


@dataclass(frozen=True)
class Expiry:
    """Lifetimes. Timestamp is short (freeze attacks), root long (offline keys are costly)."""

    root: timedelta = timedelta(days=365)
    targets: timedelta = timedelta(days=56)
    snapshot: timedelta = timedelta(days=21)
    timestamp: timedelta = timedelta(days=2)


DEFAULT_EXPIRY = Expiry()


@dataclass
class PublishReport:
    version: int
    files: int
    new_blobs: int
    new_bytes: int
    total_bytes: int
    removed: list[str] = field(default_factory=list)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def safe_target_path(rel: str) -> bool:
    """A target path is relative, '/'-separated, without '.'/'..' parts or control chars."""
    if not rel or rel.startswith("/") or _BAD_CHARS.search(rel) or len(rel) > 400:
        return False
    return all(part not in ("", ".", "..") and not part.startswith(".") for part in rel.split("/"))


def sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


# ----------------------------------------------------------------------------- repository state


@dataclass
class Repo:
    path: Path
    root: Metadata[Root]
    targets: Metadata[Targets] | None
    snapshot: Metadata[Snapshot] | None
    timestamp: Metadata[Timestamp] | None

    @property
    def meta(self) -> Path:
        return self.path / "metadata"

    @classmethod
    def load(cls, path: Path) -> Repo:
        meta = path / "metadata"
        root_v = _latest(meta, "root")
        if root_v is None:
            raise PublishError(f"{path}: no release repository here (no metadata/1.root.json)")

        def read(name: str):  # noqa: ANN202 - generic Metadata
            return Metadata.from_bytes((meta / name).read_bytes())

        tv, sv = _latest(meta, "targets"), _latest(meta, "snapshot")
        return cls(
            path=path,
            root=read(f"{root_v}.root.json"),
            targets=read(f"{tv}.targets.json") if tv else None,
            snapshot=read(f"{sv}.snapshot.json") if sv else None,
            timestamp=read("timestamp.json") if (meta / "timestamp.json").exists() else None,
        )


def _latest(meta: Path, role: str) -> int | None:
    if not meta.is_dir():
        return None
    versions = [
        int(p.name.split(".", 1)[0])
        for p in meta.glob(f"*.{role}.json")
        if p.name.split(".", 1)[0].isdigit()
    ]
    return max(versions, default=None)


def stamp_issued(signed: Root | Timestamp, now: datetime) -> None:
    """Sign when this root or timestamp was made: kiosks never judge expiry before it."""
    signed.unrecognized_fields.setdefault(EXTRA, {})["issued"] = now.isoformat()


def sign(md: Metadata, keys_dir: Path, root: Root, role: str) -> None:
    """Sign with every available key of `role` (per `root`); refuse below the threshold."""
    r = root.roles[role]
    sign_with(md, keys_dir, list(r.keyids), r.threshold, role)


def sign_with(md: Metadata, keys_dir: Path, keyids: list[str], threshold: int, role: str) -> None:
    """Sign with every available key among `keyids`; refuse below `threshold` (a top-level
    role, or a delegated one such as app)."""
    signers = keymod.signers_for(keys_dir, keyids)
    if len(signers) < threshold:
        raise SigningKeyError(
            f"signing {role} needs {threshold} of its keys; only {len(signers)} available in "
            f"{keys_dir} (mount the key media)"
        )
    md.signatures.clear()
    for s in signers:
        md.sign(s, append=True)


def _write_versioned(repo_path: Path, md: Metadata, role: str) -> bytes:
    data = md.to_bytes(SERIALIZER)
    atomic_write_bytes(repo_path / "metadata" / f"{md.signed.version}.{role}.json", data)
    return data


def create_root(repo_path: Path, keys_dir: Path, expiry: Expiry, now: datetime) -> Metadata[Root]:
    """Version 1 of root, listing every key folder present: root 2-of-N, others 1."""
    root = Root(expires=now + expiry.root, consistent_snapshot=True)
    stamp_issued(root, now)
    for role in keymod.ROLES:
        folders = keymod.key_folders(keys_dir, role)
        if not folders:
            raise SigningKeyError(f"{keys_dir}: no {role} key; run `lawshelf keys init` first")
        for folder in folders:
            root.add_key(keymod.load_public(folder), role)
    root.roles["root"].threshold = 2 if len(root.roles["root"].keyids) >= 2 else 1
    md = Metadata(root)
    sign(md, keys_dir, root, "root")
    data = _write_versioned(repo_path, md, "root")
    atomic_write_bytes(repo_path / "metadata" / "root.json", data)
    return md


# ----------------------------------------------------------------------------- publishing


def scan_source(source: Path) -> dict[str, Path]:
    """Every regular file of a content source, by its '/'-path; refuses unsafe names/links."""
    if not (source / MANIFEST).is_file():
        raise PublishError(f"{source}: not a content source ({MANIFEST} missing)")
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise PublishError(f"{source / MANIFEST}: not JSON ({exc})") from None
    if manifest.get("format") != 1:
        raise PublishError(f"{source / MANIFEST}: format must be 1, got {manifest.get('format')!r}")
    files: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            rel = p.relative_to(source).as_posix()
            if name.startswith(".") or p.is_symlink():
                log.warning("skipping %s (hidden file or symlink)", rel)
                continue
            if not safe_target_path(rel):
                raise PublishError(f"{rel}: unsafe file name for a release")
            if name.endswith(".json"):
                try:
                    json.loads(p.read_bytes())
                except ValueError as exc:
                    raise PublishError(f"{rel}: not valid JSON ({exc})") from None
            files[rel] = p
    return files


def add_blob(repo_path: Path, src: Path) -> tuple[str, int, bool]:
    """Store `src` as blobs/<sha256> if not there yet; returns (sha256, length, added)."""
    digest, length = sha256_file(src)
    dest = repo_path / "blobs" / digest
    if dest.exists() and dest.stat().st_size == length:
        return digest, length, False

    def unchanged(copy: Path) -> None:
        if sha256_file(copy)[0] != digest:
            raise PublishError(f"{src}: changed while publishing; try again")

    atomic_copy_file(src, dest, check=unchanged)
    return digest, length, True


def release_info(source: Path, now: datetime, content_date: date | None = None) -> dict:
    """The signed release info. The content date is the publish date (Vietnam time) unless
    the publisher gives one: publishing answers or any other content makes kiosks show the
    new date, without anyone editing the manifest's `updated` by hand."""
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    day = content_date or now.astimezone(VN_TZ).date()
    return {
        "format": 1,
        "name": str(manifest.get("name", "")),
        "content_date": day.isoformat(),
        "published_at": now.isoformat(),
    }


def validate_source(source: Path, cache_dir: Path | None = None) -> None:
    """Load the whole source exactly as a kiosk's build will (documents, Q&A, contests, media,
    notices, raw laws); refuse with every problem listed if anything would be skipped."""
    try:
        content = load_sources([source], strict=False, cache_dir=cache_dir)
    except LawShelfError as exc:
        raise PublishError(f"{source}: not publishable: {exc.message}") from None
    problems = [e.message for e in content.skipped]
    if problems:
        shown = "\n  ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        raise PublishError(
            f"{len(problems)} file(s) of {source} fail validation; nothing was signed:\n  {shown}"
            + (f"\n  ... and {more} more" if more > 0 else "")
        )


def publish(
    source: Path,
    repo_path: Path,
    keys_dir: Path,
    *,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
    content_date: date | None = None,
    cache_dir: Path | None = None,
) -> PublishReport:
    """Publish a content source as the next release: new blobs, then targets, snapshot, timestamp.

    Everything is validated first; invalid content is never signed."""
    now = now or now_utc()
    files = scan_source(source)
    validate_source(source, cache_dir)
    if not (repo_path / "metadata").is_dir() or _latest(repo_path / "metadata", "root") is None:
        create_root(repo_path, keys_dir, expiry, now)
    repo = Repo.load(repo_path)
    report = PublishReport(version=0, files=len(files), new_blobs=0, new_bytes=0, total_bytes=0)
    targets: dict[str, TargetFile] = {}
    for rel, p in files.items():
        digest, length, added = add_blob(repo_path, p)
        targets[rel] = TargetFile(length, {"sha256": digest}, rel)
        report.total_bytes += length
        if added:
            report.new_blobs += 1
            report.new_bytes += length
    old = repo.targets.signed if repo.targets else None
    version = (old.version if old else 0) + 1
    signed = Targets(version=version, expires=now + expiry.targets, targets=targets)
    signed.delegations = old.delegations if old else None  # the app role stays delegated
    signed.unrecognized_fields[EXTRA] = release_info(source, now, content_date)
    md = Metadata(signed)
    sign(md, keys_dir, repo.root.signed, "targets")
    data = _write_versioned(repo_path, md, "targets")
    report.version = version
    report.removed = sorted(set(old.targets) - set(targets)) if old else []
    publish_online(repo_path, keys_dir, expiry=expiry, now=now, targets_bytes=data)
    log.info("published release %d: %d files, %d new blobs", version, len(files), report.new_blobs)
    return report


def publish_online(
    repo_path: Path,
    keys_dir: Path,
    *,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
    targets_bytes: bytes | None = None,
    above: int = 0,
) -> int:
    """New snapshot + timestamp (online keys) for the newest targets; returns the timestamp version.

    Run nightly (`lawshelf publish --refresh`) so kiosks see fresh, unexpired metadata.
    `above`: both versions go past it (recovery from a thief's high versions)."""
    now = now or now_utc()
    repo = Repo.load(repo_path)
    if repo.targets is None:
        raise PublishError(f"{repo_path}: nothing published yet")
    if targets_bytes is None:
        v = repo.targets.signed.version
        targets_bytes = (repo.meta / f"{v}.targets.json").read_bytes()
    root = repo.root.signed
    tmeta = MetaFile(
        version=repo.targets.signed.version,
        length=len(targets_bytes),
        hashes={"sha256": hashlib.sha256(targets_bytes).hexdigest()},
    )
    snap_v = max(repo.snapshot.signed.version if repo.snapshot else 0, above) + 1
    meta = {"targets.json": tmeta, **delegated_meta(repo)}
    snap = Metadata(Snapshot(version=snap_v, expires=now + expiry.snapshot, meta=meta))
    sign(snap, keys_dir, root, "snapshot")
    snap_bytes = _write_versioned(repo_path, snap, "snapshot")
    smeta = MetaFile(
        version=snap_v,
        length=len(snap_bytes),
        hashes={"sha256": hashlib.sha256(snap_bytes).hexdigest()},
    )
    ts_v = max(repo.timestamp.signed.version if repo.timestamp else 0, above) + 1
    ts = Timestamp(version=ts_v, expires=now + expiry.timestamp, snapshot_meta=smeta)
    stamp_issued(ts, now)
    md = Metadata(ts)
    sign(md, keys_dir, root, "timestamp")
    atomic_write_bytes(repo.meta / "timestamp.json", md.to_bytes(SERIALIZER))
    return ts_v


def delegated_meta(repo: Repo) -> dict[str, MetaFile]:
    """Snapshot entries of the delegated roles' newest metadata (the app role, if any)."""
    delegations = repo.targets.signed.delegations if repo.targets else None
    out: dict[str, MetaFile] = {}
    for role in delegations.roles if delegations and delegations.roles else {}:
        version = _latest(repo.meta, role)
        if version is not None:
            data = (repo.meta / f"{version}.{role}.json").read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            out[f"{role}.json"] = MetaFile(version, len(data), {"sha256": digest})
    return out


def resign_targets(repo_path: Path, keys_dir: Path, *, expiry: Expiry, now: datetime) -> None:
    """Same content, next targets version, signed with the keys the newest root names."""
    repo = Repo.load(repo_path)
    if repo.targets is None:
        return
    t = repo.targets.signed
    signed = Targets(version=t.version + 1, expires=now + expiry.targets, targets=t.targets)
    signed.delegations = t.delegations
    signed.unrecognized_fields.update(t.unrecognized_fields)
    md = Metadata(signed)
    sign(md, keys_dir, repo.root.signed, "targets")
    data = _write_versioned(repo_path, md, "targets")
    publish_online(repo_path, keys_dir, expiry=expiry, now=now, targets_bytes=data)
