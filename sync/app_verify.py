"""Kiosk side: verify the app role of a release, its lock, and whether this kiosk takes it.

Order of checks (each failure is a VerificationError; nothing is fetched or installed):
1. the top-level targets list no `app/...` path of their own (the content key cannot ship code
   by listing it directly);
2. the delegation of `app/*` is exactly what the root pins: the same keys, threshold >= 2,
   paths `app/*`, terminating (sync/app_keys.py says why);
3. ngclient loads the app role: signatures of 2 pinned keys, the version and hash the snapshot
   pins (rollback, mix-and-match), expiry;
4. the release info names a wheel of ours and the lock among the targets;
5. once the lock's bytes are verified: every entry has its wheel, every wheel its entry.

`verify_recorded` repeats 1-4 from the metadata bytes the sync recorded, against a trust cache
of its own (APP_ROOT/trust), so the installer step can run with other rights than the sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tuf.api import exceptions as tufx
from tuf.api.metadata import Root, Targets
from tuf.api.serialization import DeserializationError
from tuf.ngclient import Updater, UpdaterConfig

from sync.app_keys import PATHS, ROLE, THRESHOLD, app_pin
from sync.app_pins import LockEntry, match_wheels, parse_lock, wheel_identity
from sync.app_publish import LOCK_TARGET, PROJECT, WHEEL_DIR
from sync.errors import NetworkError, NotConfigured, VerificationError
from sync.release import EXTRA, safe_target_path
from sync.verify import SyncFetcher, _run_refresh, reference_time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppRelease:
    """A verified app release: what the app role signed, and the bytes to verify it again."""

    metadata_version: int
    version: str
    wheel: str  # target path of our wheel
    lock: str  # target path of the lock
    extras: tuple[str, ...]
    requires_python: str | None
    rollout: dict
    targets: dict[str, tuple[str, int]]  # target path -> (sha256, length)
    issued: datetime | None = None
    metadata: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def wheels(self) -> dict[str, str]:
        """Every carried wheel: file name -> sha256."""
        return {
            path[len(WHEEL_DIR) :]: digest
            for path, (digest, _n) in self.targets.items()
            if path.startswith(WHEEL_DIR)
        }

    @property
    def wheel_name(self) -> str:
        return self.wheel[len(WHEEL_DIR) :]

    def record(self) -> dict:
        """The plain facts kept beside the recorded metadata (status, heartbeat, GC)."""
        return {
            "version": self.version,
            "metadata_version": self.metadata_version,
            "wheel": self.wheel,
            "lock": self.lock,
            "blobs": sorted({d for d, _ in self.targets.values()}),
        }


@contextmanager
def tuf_errors(what: str) -> Iterator[None]:
    """ngclient's exceptions in our words and exit codes."""
    try:
        yield
    except tufx.DownloadLengthMismatchError as exc:
        raise VerificationError(f"{what} is longer than its signed length: {exc}") from None
    except tufx.DownloadError as exc:
        raise NetworkError(f"cannot download {what}: {exc}") from None
    except tufx.BadVersionNumberError as exc:
        raise VerificationError(
            f"{what} is older than already verified (rollback): {exc}"
        ) from None
    except tufx.UnsignedMetadataError as exc:
        raise VerificationError(f"{what} is not signed by the pinned app keys: {exc}") from None
    except (tufx.RepositoryError, DeserializationError) as exc:
        raise VerificationError(f"{what} failed verification: {exc}") from None


def check_delegation(root: Root, targets: Targets) -> bool:
    """True if the release delegates the app role exactly as the root pins it (False: no app
    channel at all); raises VerificationError for anything in between."""
    stray = sorted(p for p in targets.targets if p.startswith("app/"))
    if stray:
        raise VerificationError(f"app files listed outside the app role ({stray[0]}); refused")
    delegations = targets.delegations
    role = delegations.roles.get(ROLE) if delegations and delegations.roles else None
    pin = app_pin(root)
    if role is None:
        return False
    if pin is None:
        raise VerificationError("the release delegates app files, but the root pins no app keys")
    keys = delegations.keys
    same_keys = set(role.keyids) == set(pin.get("keys", {})) and all(
        keyid in keys and keys[keyid].to_dict() == pin["keys"][keyid] for keyid in role.keyids
    )
    threshold = max(int(pin.get("threshold", THRESHOLD)), THRESHOLD)
    if not same_keys or role.threshold < threshold:
        raise VerificationError(
            "the app role is delegated to keys the root does not pin (a content key tried to "
            "ship software?); refused"
        )
    if list(role.paths or []) != PATHS or not role.terminating:
        raise VerificationError("the app role's delegation is not exactly 'app/*', terminating")
    return True


def load_app(updater: Updater, metadata: dict[str, bytes], metadata_dir: Path) -> AppRelease | None:
    """The verified app release of a refreshed updater, or None if it carries none."""
    trusted = updater._trusted_set  # noqa: SLF001 - ngclient has no public accessor
    if not check_delegation(trusted.root, trusted.targets):
        return None
    with tuf_errors("the app release metadata"):
        updater.get_targetinfo(LOCK_TARGET)  # loads and verifies the app role
    app = trusted[ROLE]
    info = dict(app.unrecognized_fields.get(EXTRA) or {})
    if not info.get("version"):
        return None  # app keys set up, nothing published yet
    name = f"{app.version}.{ROLE}.json"
    files = {**metadata, name: (metadata_dir / f"{ROLE}.json").read_bytes()}
    return _release(app, info, files, _issued(trusted))


def _issued(trusted: object) -> datetime | None:
    raw = trusted.timestamp.unrecognized_fields.get(EXTRA, {}).get("issued")  # type: ignore[attr-defined]
    return datetime.fromisoformat(raw) if raw else None


def _release(
    app: Targets, info: dict, files: dict[str, bytes], issued: datetime | None
) -> AppRelease:
    targets = {p: (tf.hashes.get("sha256", ""), tf.length) for p, tf in app.targets.items()}
    for path, (digest, _n) in targets.items():
        name = path[len(WHEEL_DIR) :] if path.startswith(WHEEL_DIR) else ""
        wheel = name.endswith(".whl") and "/" not in name
        if len(digest) != 64 or not safe_target_path(path) or not (wheel or path == LOCK_TARGET):
            raise VerificationError(f"app target {path!r} is malformed; refused")
    release = AppRelease(
        metadata_version=app.version,
        version=str(info["version"]),
        wheel=str(info.get("wheel", "")),
        lock=str(info.get("lock", "")),
        extras=tuple(str(e) for e in info.get("extras") or ()),
        requires_python=info.get("requires_python"),
        rollout=dict(info.get("rollout") or {}),
        targets=targets,
        issued=issued,
        metadata=files,
    )
    if release.wheel not in targets or release.lock not in targets:
        raise VerificationError("the app release does not carry the wheel or lock it names")
    if wheel_identity(release.wheel_name) != (PROJECT, release.version):
        raise VerificationError(f"{release.wheel_name} is not {PROJECT} {release.version}")
    return release


def check_lock(release: AppRelease, lock_bytes: bytes) -> list[LockEntry]:
    """The lock's entries, once each is matched to a carried dependency wheel (else refused)."""
    try:
        entries = parse_lock(lock_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise VerificationError("the app lock is not UTF-8 text; refused") from None
    deps = {n: d for n, d in release.wheels.items() if n != release.wheel_name}
    match_wheels(entries, deps)
    return entries


def rollout_bucket(kiosk_id: str) -> float:
    """A kiosk's stable place in [0, 1): the same for every release, so widening a rollout
    only adds kiosks."""
    digest = hashlib.sha256(f"lawshelf-rollout:{kiosk_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def eligible(rollout: dict, kiosk_id: str | None) -> bool:
    """Does this kiosk take the release: a named pilot, or inside the percentage?"""
    if kiosk_id and kiosk_id in (rollout.get("pilots") or ()):
        return True
    percent = int(rollout.get("percent", 100))
    if percent >= 100:
        return True
    return kiosk_id is not None and rollout_bucket(kiosk_id) * 100 < percent


def verify_recorded(
    trust_dir: Path, bootstrap_root: Path, record: Path, *, now: datetime | None = None
) -> AppRelease:
    """Verify a recorded app release again, offline, from its metadata bytes alone."""
    trust_dir.mkdir(parents=True, exist_ok=True)
    bootstrap = None if (trust_dir / "root.json").exists() else _read_root(bootstrap_root)
    config = UpdaterConfig(max_root_rotations=64, targets_max_length=50_000_000)
    base = str(record / "metadata") + "/"
    with tuf_errors("the recorded app release"):
        updater = Updater(
            str(trust_dir), base, fetcher=SyncFetcher(), config=config, bootstrap=bootstrap
        )
    now = now or datetime.now(UTC)
    issued = _recorded_issued(record)
    updater._trusted_set.reference_time = reference_time(now, issued)[0]  # noqa: SLF001
    _run_refresh(updater, now, issued)
    metadata = {p.name: p.read_bytes() for p in (record / "metadata").iterdir()}
    release = load_app(updater, metadata, trust_dir)
    if release is None:
        raise VerificationError("the recorded release carries no app release")
    return release


def _read_root(path: Path) -> bytes:
    if not path.is_file():
        raise NotConfigured(f"no trusted root at {path} for verifying app releases")
    return path.read_bytes()


def _recorded_issued(record: Path) -> datetime | None:
    """The signed issue time of the recorded timestamp (checked by the refresh that follows);
    expiry is judged no earlier than that, as the sync that recorded it did."""
    try:
        ts = json.loads((record / "metadata" / "timestamp.json").read_bytes())
        raw = ts["signed"].get(EXTRA, {}).get("issued")
    except (OSError, ValueError, KeyError, AttributeError):
        return None
    return datetime.fromisoformat(raw) if raw else None
