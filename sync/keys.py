"""Publisher signing keys, one folder per key.

Why one folder per key: root keys live on separate offline media (USB sticks in a safe); an
operator mounts two of the three sticks to sign a new root. The online snapshot/timestamp keys
live on the publishing server; the targets (content) key stays with the content team. A kiosk
never holds any of these.

    KEYS/root-1/  root-2/  root-3/      offline root keys (threshold 2 of 3)
    KEYS/targets-1/                      content key
    KEYS/snapshot-1/ KEYS/timestamp-1/   online keys
    KEYS/app-1/ app-2/ app-3/            app (software) keys, threshold 2 (sync/app_keys.py)
    each folder: key.pem (Ed25519 PKCS#8, mode 0600) and key.pub.json (TUF public key)
Rotation adds `<role>-<n+1>/`; revocation moves a folder to `KEYS/revoked/`.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner, Key, SSlibKey

from offline_index.fsutil import atomic_write_text
from sync.errors import SigningKeyError

log = logging.getLogger(__name__)

ROLES = ("root", "targets", "snapshot", "timestamp")
KEY_ROLES = (*ROLES, "app")  # key folders: the top-level roles, and app (sync/app_keys.py)
INITIAL = {"root": 3, "targets": 1, "snapshot": 1, "timestamp": 1}


def _write_private(path: Path, data: bytes) -> None:
    """Create the private key file 0600 from the start (never world-readable, even briefly)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def generate_key(folder: Path) -> SSlibKey:
    """Make a fresh Ed25519 key in its own folder; refuses to overwrite an existing key."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    if (folder / "key.pem").exists():
        raise SigningKeyError(f"{folder}: a key already exists here; refusing to overwrite it")
    signer = CryptoSigner.generate_ed25519()
    _write_private(folder / "key.pem", signer.private_bytes)
    public = signer.public_key
    atomic_write_text(  # a power cut leaves no empty public key beside its private key
        folder / "key.pub.json",
        json.dumps({"keyid": public.keyid, "key": public.to_dict()}, indent=1),
    )
    log.info("generated key %s in %s", public.keyid[:12], folder)
    return public


def load_public(folder: Path) -> Key:
    data = json.loads((folder / "key.pub.json").read_text())
    return SSlibKey.from_dict(data["keyid"], data["key"])


def load_signer(folder: Path) -> CryptoSigner:
    path = folder / "key.pem"
    if path.stat().st_mode & 0o077:
        raise SigningKeyError(f"{path}: private key is readable by others; chmod 600 it")
    try:
        private = load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path}: cannot read private key ({exc})") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: not an Ed25519 key")
    return CryptoSigner(private, load_public(folder))


def key_folders(keys_dir: Path, role: str | None = None) -> list[Path]:
    """Key folders present (mounted) now, optionally for one role, in numeric order."""
    if not keys_dir.is_dir():
        return []
    found = []
    for p in keys_dir.iterdir():
        name, _, num = p.name.rpartition("-")
        ok = p.is_dir() and name in KEY_ROLES and num.isdigit() and (p / "key.pub.json").exists()
        if ok and (role is None or name == role):
            found.append((name, int(num), p))
    return [p for _, _, p in sorted(found)]


def signers_for(keys_dir: Path, keyids: list[str]) -> list[CryptoSigner]:
    """Signers for whichever of `keyids` have their private key available here."""
    out = []
    for folder in key_folders(keys_dir):
        if load_public(folder).keyid in keyids and (folder / "key.pem").exists():
            out.append(load_signer(folder))
    return out


def next_folder(keys_dir: Path, role: str) -> Path:
    nums = [int(p.name.rpartition("-")[2]) for p in key_folders(keys_dir, role)]
    revoked = keys_dir / "revoked"
    if revoked.is_dir():
        nums += [
            int(p.name.rpartition("-")[2])
            for p in revoked.iterdir()
            if p.name.rpartition("-")[0] == role and p.name.rpartition("-")[2].isdigit()
        ]
    return keys_dir / f"{role}-{max(nums, default=0) + 1}"


def init_keys(keys_dir: Path) -> dict[str, list[str]]:
    """Create the initial key set; returns role -> keyids. Refuses if keys already exist."""
    if key_folders(keys_dir):
        raise SigningKeyError(f"{keys_dir}: keys already exist; use `lawshelf keys rotate`")
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    out: dict[str, list[str]] = {}
    for role, count in INITIAL.items():
        out[role] = [generate_key(next_folder(keys_dir, role)).keyid for _ in range(count)]
    return out


def revoke_folder(keys_dir: Path, keyid: str) -> Path:
    """Move a key's folder out of use (kept for the record, never used to sign again)."""
    for folder in key_folders(keys_dir):
        if load_public(folder).keyid == keyid:
            dest = keys_dir / "revoked" / folder.name
            dest.parent.mkdir(exist_ok=True, mode=0o700)
            shutil.move(str(folder), dest)
            return dest
    raise SigningKeyError(f"no key with id {keyid} in {keys_dir}")
