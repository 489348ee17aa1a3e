"""The app role: software releases signed by their own keys, 2 of 3, pinned by the root.

Why pinned by the root: in TUF a delegation is signed by the role that delegates. Our app role
is delegated by the top-level targets role, so the content key alone could re-delegate `app/*`
to a key of its own and ship code. The root (2 of 3 offline keys) therefore names the app keys
and their threshold in its signed `x-lawshelf.app` field, and a kiosk refuses a delegation that
differs from that pin (sync/app_verify.py). A stolen content key can then withhold software
updates, never ship one; changing the app keys needs two root keys.

    root.signed["x-lawshelf"]["app"] = {"keys": {keyid: key}, "threshold": 2}
    targets.delegations.roles["app"]  = keyids, threshold 2, paths ["app/*"], terminating
    N.app.json                         the app targets, signed by 2 app keys (sync/app_publish.py)

`init_app_keys` makes the keys (KEYS/app-1..3/), writes that root version (two root keys), the
delegation (content key) and an empty app role, then a new snapshot and timestamp. Rotating
them (`rotate=True`) does the same with fresh keys and moves the old ones to KEYS/revoked/.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from tuf.api.metadata import DelegatedRole, Delegations, Metadata, Targets

from offline_index.fsutil import atomic_write_bytes
from sync import keys as keymod
from sync.errors import PublishError, SigningKeyError
from sync.release import (
    DEFAULT_EXPIRY,
    EXTRA,
    Expiry,
    Repo,
    _latest,
    _write_versioned,
    now_utc,
    publish_online,
    sign,
    sign_with,
)
from sync.rotation import _next_root, _sign_root_transition

log = logging.getLogger(__name__)

ROLE = "app"
PATHS = ["app/*"]
THRESHOLD = 2
KEY_COUNT = 3


def app_pin(root_signed: object) -> dict | None:
    """The root's pin of the app keys: {"keys": {keyid: key dict}, "threshold": n}, or None."""
    extra = getattr(root_signed, "unrecognized_fields", {}).get(EXTRA) or {}
    pin = extra.get(ROLE)
    return pin if isinstance(pin, dict) else None


def init_app_keys(
    repo_path: Path,
    keys_dir: Path,
    *,
    rotate: bool = False,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
) -> list[str]:
    """Create the app keys, pin them in a new root, delegate `app/*` to them; returns key ids.

    Needs two root keys, the content (targets) key, and the online keys. Refuses to replace an
    existing pin unless `rotate`."""
    now = now or now_utc()
    repo = Repo.load(repo_path)
    if repo.targets is None:
        raise PublishError(f"{repo_path}: publish a content release first (`lawshelf publish`)")
    old_folders = keymod.key_folders(keys_dir, ROLE)
    if app_pin(repo.root.signed) and not rotate:
        raise SigningKeyError("app keys are already pinned in the root; use --rotate to replace")
    if old_folders and not rotate:
        raise SigningKeyError(f"{keys_dir}: app keys exist but are not pinned; use --rotate")
    new_keys = [keymod.generate_key(keymod.next_folder(keys_dir, ROLE)) for _ in range(KEY_COUNT)]
    for folder in old_folders:
        keymod.revoke_folder(keys_dir, keymod.load_public(folder).keyid)
    pin = {"keys": {k.keyid: k.to_dict() for k in new_keys}, "threshold": THRESHOLD}
    _write_root_pin(repo_path, keys_dir, repo, pin, expiry, now)
    _write_delegation(repo_path, keys_dir, new_keys, expiry, now)
    _write_empty_app_role(repo_path, keys_dir, expiry, now)
    publish_online(repo_path, keys_dir, expiry=expiry, now=now)
    log.info("app keys pinned: %s", ", ".join(k.keyid[:12] for k in new_keys))
    return [k.keyid for k in new_keys]


def _write_root_pin(
    repo_path: Path, keys_dir: Path, repo: Repo, pin: dict, expiry: Expiry, now: datetime
) -> None:
    md = _next_root(repo, expiry, now)
    extra = dict(md.signed.unrecognized_fields.get(EXTRA) or {})
    extra[ROLE] = pin
    md.signed.unrecognized_fields[EXTRA] = extra
    _sign_root_transition(md, repo.root.signed, keys_dir)
    data = _write_versioned(repo_path, md, "root")
    atomic_write_bytes(repo_path / "metadata" / "root.json", data)


def _write_delegation(
    repo_path: Path, keys_dir: Path, new_keys: list, expiry: Expiry, now: datetime
) -> None:
    """Next top-level targets: same content, `app/*` delegated to the new keys (content key)."""
    repo = Repo.load(repo_path)
    t = repo.targets.signed
    signed = Targets(version=t.version + 1, expires=now + expiry.targets, targets=t.targets)
    signed.unrecognized_fields.update(t.unrecognized_fields)
    role = DelegatedRole(
        name=ROLE,
        keyids=[k.keyid for k in new_keys],
        threshold=THRESHOLD,
        terminating=True,
        paths=list(PATHS),
    )
    signed.delegations = Delegations(keys={k.keyid: k for k in new_keys}, roles={ROLE: role})
    md = Metadata(signed)
    sign(md, keys_dir, repo.root.signed, "targets")
    _write_versioned(repo_path, md, "targets")


def _write_empty_app_role(repo_path: Path, keys_dir: Path, expiry: Expiry, now: datetime) -> None:
    """An app role with no release yet, so the snapshot can pin it from the start."""
    version = (_latest(repo_path / "metadata", ROLE) or 0) + 1
    md = Metadata(Targets(version=version, expires=now + expiry.targets, targets={}))
    sign_app(md, keys_dir, Repo.load(repo_path))
    _write_versioned(repo_path, md, ROLE)


def sign_app(md: Metadata[Targets], keys_dir: Path, repo: Repo) -> None:
    """Sign app metadata with every available key the delegation names; refuse below 2."""
    delegations = repo.targets.signed.delegations if repo.targets else None
    role = delegations.roles.get(ROLE) if delegations and delegations.roles else None
    if role is None:
        raise PublishError("no app role in this repository; run `lawshelf app keys init` first")
    sign_with(md, keys_dir, list(role.keyids), role.threshold, "an app release")
