"""Key rotation and revocation: a new root version signed by the old AND the new root thresholds.

Why both: a kiosk trusts root N+1 only if root N's keys vouch for it (so a thief of one key
cannot mint a root) and root N+1's own keys sign it (so the new keys are really held).
Kiosks walk 1.root.json, 2.root.json, ... to the newest, so an old kiosk follows every rotation.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from securesystemslib.signer import Key
from tuf.api.metadata import Metadata, Root

from offline_index.fsutil import atomic_write_bytes
from sync import keys as keymod
from sync.errors import SigningKeyError
from sync.release import (
    DEFAULT_EXPIRY,
    Expiry,
    Repo,
    _write_versioned,
    now_utc,
    publish_online,
    resign_targets,
    stamp_issued,
)

log = logging.getLogger(__name__)


def _sign_root_transition(md: Metadata[Root], old: Root, keys_dir: Path) -> None:
    """Sign with every available key of the old or new root role; check both thresholds."""
    new = md.signed
    wanted = list(dict.fromkeys(list(old.roles["root"].keyids) + list(new.roles["root"].keyids)))
    signers = keymod.signers_for(keys_dir, wanted)
    have = {s.public_key.keyid for s in signers}
    for label, r in (("old", old.roles["root"]), ("new", new.roles["root"])):
        n = len(have & set(r.keyids))
        if n < r.threshold:
            raise SigningKeyError(
                f"the {label} root needs {r.threshold} root keys to sign; {n} available "
                f"in {keys_dir} (mount the offline root key media)"
            )
    md.signatures.clear()
    for s in signers:
        md.sign(s, append=True)


def _next_root(repo: Repo, expiry: Expiry, now: datetime) -> Metadata[Root]:
    md = Metadata.from_bytes(repo.root.to_bytes())
    md.signed.version += 1
    md.signed.expires = now + expiry.root
    stamp_issued(md.signed, now)
    return md


def _finish(
    repo_path: Path,
    keys_dir: Path,
    md: Metadata[Root],
    old: Root,
    role: str,
    expiry: Expiry,
    now: datetime,
    above: int = 0,
) -> int:
    _sign_root_transition(md, old, keys_dir)
    data = _write_versioned(repo_path, md, "root")
    atomic_write_bytes(repo_path / "metadata" / "root.json", data)
    # Re-sign what the changed role signs, so kiosks never see metadata by a removed key.
    if role in ("root", "targets"):
        resign_targets(repo_path, keys_dir, expiry=expiry, now=now)
    elif Repo.load(repo_path).targets is not None:
        publish_online(repo_path, keys_dir, expiry=expiry, now=now, above=above)
    log.info("root version %d written (%s keys changed)", md.signed.version, role)
    return md.signed.version


def rotate(
    repo_path: Path,
    keys_dir: Path,
    role: str,
    *,
    replace: str | None = None,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
) -> tuple[int, Key]:
    """Give `role` a fresh key. For root, `replace` names the key to drop (default: oldest);
    for other roles all their old keys are dropped. Returns (new root version, new key)."""
    version, keys = _rotate(repo_path, keys_dir, [role], replace=replace, expiry=expiry, now=now)
    return version, keys[0]


def recover_online(
    repo_path: Path,
    keys_dir: Path,
    *,
    above: int = 0,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
) -> tuple[int, int]:
    """After the online keys were stolen: new snapshot and timestamp keys in one new root
    (two offline root keys sign it), then snapshot and timestamp above every version seen,
    the thief's `above` included. Returns (root version, timestamp version).

    Kiosks that took the thief's high timestamp fetch the new root, drop metadata signed
    by the old keys (and the time floor it vouched for), and take the new release."""
    version, _ = _rotate(
        repo_path, keys_dir, ["snapshot", "timestamp"], expiry=expiry, now=now, above=above
    )
    repo = Repo.load(repo_path)
    return version, repo.timestamp.signed.version if repo.timestamp else 0


def _rotate(
    repo_path: Path,
    keys_dir: Path,
    roles: list[str],
    *,
    replace: str | None = None,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
    above: int = 0,
) -> tuple[int, list[Key]]:
    """One new root version in which each of `roles` has a fresh key (see rotate)."""
    for role in roles:
        if role not in keymod.ROLES:
            raise SigningKeyError(f"unknown role {role!r}; one of {', '.join(keymod.ROLES)}")
    now = now or now_utc()
    repo = Repo.load(repo_path)
    old = repo.root.signed
    md = _next_root(repo, expiry, now)
    drops, new_keys = [], []
    for role in roles:
        current = list(md.signed.roles[role].keyids)
        drop = ([replace or current[0]] if role == "root" else current) if current else []
        if replace and role == "root" and replace not in current:
            raise SigningKeyError(f"key {replace} is not a {role} key")
        new_key = keymod.generate_key(keymod.next_folder(keys_dir, role))
        md.signed.add_key(new_key, role)
        for keyid in drop:
            md.signed.revoke_key(keyid, role)
        drops += drop
        new_keys.append(new_key)
    changed = "targets" if {"root", "targets"} & set(roles) else roles[0]
    version = _finish(repo_path, keys_dir, md, old, changed, expiry, now, above)
    for keyid in drops:
        keymod.revoke_folder(keys_dir, keyid)
    return version, new_keys


def revoke(
    repo_path: Path,
    keys_dir: Path,
    keyid: str,
    *,
    expiry: Expiry = DEFAULT_EXPIRY,
    now: datetime | None = None,
) -> int:
    """Remove a (lost or stolen) key from every role. A role left without enough keys gets a
    fresh one; root keeps at least its threshold. Returns the new root version."""
    now = now or now_utc()
    repo = Repo.load(repo_path)
    old = repo.root.signed
    roles = [name for name, r in old.roles.items() if keyid in r.keyids]
    if not roles:
        raise SigningKeyError(f"key {keyid} is not in the current root")
    md = _next_root(repo, expiry, now)
    root = md.signed
    for role in roles:
        root.revoke_key(keyid, role)
        if len(root.roles[role].keyids) < root.roles[role].threshold:
            if role == "root":
                raise SigningKeyError(
                    "revoking this root key would leave fewer keys than the threshold; "
                    "rotate it instead (`lawshelf keys rotate root --replace KEYID`)"
                )
            root.add_key(keymod.generate_key(keymod.next_folder(keys_dir, role)), role)
    # The revoked key must not count toward the new root; sign without it.
    try:
        keymod.revoke_folder(keys_dir, keyid)
    except SigningKeyError:
        log.warning("revoked key %s has no folder here (lost key)", keyid[:12])
    changed = "targets" if "targets" in roles else roles[0]
    return _finish(repo_path, keys_dir, md, old, changed, expiry, now)
