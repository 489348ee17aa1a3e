"""Publisher side of app releases: our wheel + locked dependency wheels as targets of the app role.

    lawshelf app lock WHEELHOUSE -o app.lock           # hashes of the dependency wheels
    lawshelf app publish dist/lawshelf_kiosk-X.whl --lock app.lock --wheels WHEELHOUSE \\
        --repo REPO --keys KEYS [--percent 10] [--pilot KIOSK_ID ...]
    lawshelf app rollout --percent 50 --repo REPO --keys KEYS   # widen the same release

Targets of the app role (all blobs are content-addressed, shared with content):

    app/wheels/<wheel file name>   our wheel and every dependency wheel the lock names
    app/requirements.lock          the lock (pip --require-hashes format, sync/app_pins.py)

and the signed release info in `x-lawshelf`: software version, which target is our wheel and
which the lock, the extras to install, Requires-Python, and the rollout (percentage of kiosks by
a stable hash of the kiosk id, and pilot kiosks). An unchanged dependency wheel is the same blob
as in the previous release, so kiosks do not download it again. Only the app keys (2 of 3) and
the online keys sign: the content key is not needed to ship software, and cannot.
"""

from __future__ import annotations

import email.parser
import logging
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from packaging.version import Version
from tuf.api.metadata import Metadata, TargetFile, Targets

from sync.app_keys import ROLE, sign_app
from sync.app_pins import LockEntry, LockError, parse_lock, sha256_bytes, wheel_identity
from sync.errors import PublishError
from sync.release import (
    DEFAULT_EXPIRY,
    EXTRA,
    Expiry,
    Repo,
    _latest,
    _write_versioned,
    add_blob,
    now_utc,
    publish_online,
    sha256_file,
)

log = logging.getLogger(__name__)

PROJECT = "lawshelf-kiosk"
LOCK_TARGET = "app/requirements.lock"
WHEEL_DIR = "app/wheels/"
EXTRAS = ("ui",)


@dataclass(frozen=True)
class Rollout:
    """Which kiosks take a release: pilots by id, plus a percentage of all kiosks.

    (An integer: canonical JSON, which TUF signs, has no floating-point numbers.)"""

    percent: int = 100
    pilots: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        if not 0 <= self.percent <= 100:
            raise PublishError(f"rollout percent must be 0 to 100, got {self.percent}")
        return {"percent": int(self.percent), "pilots": sorted(set(self.pilots))}


@dataclass
class AppPublishReport:
    version: str  # software version
    metadata_version: int  # app role metadata version
    wheels: int
    new_blobs: int
    new_bytes: int
    total_bytes: int


def requires_python(wheel: Path) -> str | None:
    """The Requires-Python of a wheel, read from its METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        names = [
            n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1
        ]
        if not names:
            raise PublishError(f"{wheel.name}: no METADATA inside; not a built wheel")
        meta = email.parser.BytesParser().parsebytes(zf.read(names[0]), headersonly=True)
    return meta.get("Requires-Python")


def _wheels_for(entries: list[LockEntry], wheelhouse: Path) -> dict[str, Path]:
    """The wheel file for each lock entry, found in the wheelhouse by name, version and hash."""
    candidates: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(wheelhouse.glob("*.whl")):
        candidates.setdefault(wheel_identity(path.name), []).append(path)
    chosen: dict[str, Path] = {}
    for entry in entries:
        ident = (entry.name, str(Version(entry.version)))
        found = [p for p in candidates.get(ident, []) if sha256_file(p)[0] in entry.hashes]
        if not found:
            raise LockError(
                f"the lock names {entry.name}=={entry.version}, but {wheelhouse} has no wheel "
                "with one of its hashes (pip download it, or lock again)"
            )
        chosen[entry.name] = found[0]
    return chosen


def _check_wheel(wheel: Path, entries: list[LockEntry]) -> str:
    name, version = wheel_identity(wheel.name)
    if name != PROJECT:
        raise PublishError(f"{wheel.name} is not a wheel of {PROJECT}")
    if any(e.name == PROJECT for e in entries):
        raise LockError(f"the lock must not pin {PROJECT} itself; it pins its dependencies")
    return version


def _last_release(repo: Repo) -> tuple[int, dict, dict[str, TargetFile]]:
    """(metadata version, release info, targets) of the newest app role metadata."""
    version = _latest(repo.meta, ROLE)
    if version is None:
        raise PublishError("no app role in this repository; run `lawshelf app keys init` first")
    md = Metadata.from_bytes((repo.meta / f"{version}.{ROLE}.json").read_bytes())
    return version, dict(md.signed.unrecognized_fields.get(EXTRA) or {}), dict(md.signed.targets)


def publish_app(
    wheel: Path,
    lock: Path,
    wheelhouse: Path,
    repo_path: Path,
    keys_dir: Path,
    *,
    rollout: Rollout | None = None,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
) -> AppPublishReport:
    """Publish our wheel and its locked dependencies as the next app release."""
    now = now or now_utc()
    lock_bytes = lock.read_bytes()
    entries = parse_lock(lock_bytes.decode("utf-8"))
    version = _check_wheel(wheel, entries)
    meta_version, last, _ = _last_release(Repo.load(repo_path))
    if last.get("version") and Version(version) <= Version(str(last["version"])):
        raise PublishError(
            f"{PROJECT} {version} is not newer than the published {last['version']}; "
            "build a higher version (kiosks refuse to go back)"
        )
    files = {f"{WHEEL_DIR}{wheel.name}": wheel}
    files |= {f"{WHEEL_DIR}{p.name}": p for p in _wheels_for(entries, wheelhouse).values()}
    report = AppPublishReport(version, meta_version + 1, len(files), 0, 0, 0)
    targets = {LOCK_TARGET: _lock_target(repo_path, lock, lock_bytes, report)}
    for rel, path in sorted(files.items()):
        digest, length, added = add_blob(repo_path, path)
        targets[rel] = TargetFile(length, {"sha256": digest}, rel)
        _count(report, length, added)
    info = _release_info(wheel, version, rollout or Rollout(), now)
    _write_app_role(repo_path, keys_dir, targets, info, report.metadata_version, expiry, now)
    log.info("app release %s published (%d new blobs)", version, report.new_blobs)
    return report


def _release_info(wheel: Path, version: str, rollout: Rollout, now: datetime) -> dict:
    """The signed facts a kiosk needs beside the targets (x-lawshelf of the app role)."""
    return {
        "format": 1,
        "name": PROJECT,
        "version": version,
        "wheel": f"{WHEEL_DIR}{wheel.name}",
        "lock": LOCK_TARGET,
        "extras": list(EXTRAS),
        "requires_python": requires_python(wheel),
        "published_at": now.isoformat(),
        "rollout": rollout.to_dict(),
    }


def _lock_target(repo_path: Path, lock: Path, data: bytes, report: AppPublishReport) -> TargetFile:
    digest, length, added = add_blob(repo_path, lock)
    if digest != sha256_bytes(data):
        raise PublishError(f"{lock}: changed while publishing; try again")
    _count(report, length, added)
    return TargetFile(length, {"sha256": digest}, LOCK_TARGET)


def _count(report: AppPublishReport, length: int, added: bool) -> None:
    report.total_bytes += length
    if added:
        report.new_blobs += 1
        report.new_bytes += length


def _write_app_role(
    repo_path: Path,
    keys_dir: Path,
    targets: dict[str, TargetFile],
    info: dict,
    version: int,
    expiry: Expiry,
    now: datetime,
) -> None:
    """The next app metadata (2 app keys), then a new snapshot and timestamp (online keys)."""
    signed = Targets(version=version, expires=now + expiry.targets, targets=targets)
    signed.unrecognized_fields[EXTRA] = info
    md = Metadata(signed)
    sign_app(md, keys_dir, Repo.load(repo_path))
    _write_versioned(repo_path, md, ROLE)
    publish_online(repo_path, keys_dir, expiry=expiry, now=now)


def set_rollout(
    repo_path: Path,
    keys_dir: Path,
    rollout: Rollout,
    *,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
) -> int:
    """Re-sign the current app release with a new rollout (wider share, other pilots).

    Kiosks that already run it are unaffected; newly selected ones install it. Returns the new
    app metadata version."""
    now = now or now_utc()
    meta_version, info, targets = _last_release(Repo.load(repo_path))
    if not info.get("version"):
        raise PublishError("no app release published yet")
    info["rollout"] = rollout.to_dict()
    _write_app_role(repo_path, keys_dir, targets, info, meta_version + 1, expiry, now)
    return meta_version + 1
