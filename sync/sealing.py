"""Sealing personal data to the publisher's X25519 public key.

Why: residents' names and phone numbers (Decree 13/2023/ND-CP) must never sit in clear
on a kiosk disk, a USB stick or the inbox storage. The kiosk holds only the publisher's
*public* sealing key, so even a stolen kiosk cannot read what it collected.

Blob layout (then base64 for JSON):

    b"LSS1" | key id (8 bytes, sha256 of recipient public key) | ephemeral X25519 public (32)
    | nonce (12) | ChaCha20-Poly1305 ciphertext + tag

The AEAD key is HKDF-SHA256(ECDH(ephemeral, recipient), salt = ephemeral || recipient,
info = "lawshelf-seal-v1"); the header is authenticated as associated data. The plaintext
is JSON `{"record": <outbox uuid>, "data": {...}}` so a blob moved to another record is caught.

Key files (PEM): `publisher_seal.key` (private, 0600, stays at the publisher, offline) and
`publisher_seal.pub`. A kiosk reads `HOME/keys/publisher_seal.pub`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from offline_index.errors import LawShelfError
from offline_index.fsutil import atomic_write_bytes
from offline_index.home import keys_dir

MAGIC = b"LSS1"
INFO = b"lawshelf-seal-v1"
PUBLIC_NAME = "publisher_seal.pub"
PRIVATE_NAME = "publisher_seal.key"
_HEADER = len(MAGIC) + 8 + 32 + 12


def write_private(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write a key file atomically (temp -> fsync -> rename) with restrictive permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent.name == "keys":
        os.chmod(path.parent, 0o700)  # the kiosk's key folder is private to its user
    atomic_write_bytes(path, data, mode=mode)  # mode set on the temp file, before the rename


class SealError(LawShelfError):
    """Sealing key missing or unreadable, or a sealed blob that does not open."""

    message_vi = "Không mã hóa/giải mã được dữ liệu cá nhân."


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: X25519PublicKey) -> bytes:
    """8-byte id naming the recipient key, so the centre can tell rotated keys apart."""
    return hashlib.sha256(_raw_public(key)).digest()[:8]


def generate_keypair(out_dir: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Create publisher_seal.key (0600) and publisher_seal.pub in out_dir (publisher side)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    priv_path, pub_path = out_dir / PRIVATE_NAME, out_dir / PUBLIC_NAME
    if priv_path.exists() and not force:
        raise SealError(f"{priv_path} already exists; refusing to overwrite a sealing key")
    private = X25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(priv_path, pem)
    write_private(pub_path, public_pem(private.public_key()), mode=0o644)
    return priv_path, pub_path


def public_pem(key: X25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public(path: Path) -> X25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise SealError(
            f"publisher sealing key not found at {path}; install it with"
            " `lawshelf seal-keys install FILE`",
            message_vi="Chưa cài khóa công khai của đơn vị phát hành; không thể lưu dữ liệu cá nhân.",
        ) from None
    except ValueError as exc:
        raise SealError(f"{path}: not a PEM public key ({exc})") from None
    if not isinstance(key, X25519PublicKey):
        raise SealError(f"{path}: not an X25519 public key")
    return key


def kiosk_public_key(home: Path) -> X25519PublicKey:
    """The publisher key this kiosk seals to (HOME/keys/publisher_seal.pub)."""
    return load_public(keys_dir(home) / PUBLIC_NAME)


def install_public(home: Path, source: Path) -> Path:
    """Copy a publisher sealing public key into HOME/keys after checking it parses."""
    key = load_public(source)
    dest = keys_dir(home) / PUBLIC_NAME
    write_private(dest, public_pem(key), mode=0o644)
    return dest


def load_private(key: X25519PrivateKey | bytes | str | os.PathLike[str]) -> X25519PrivateKey:
    """Accept a key object, PEM bytes or a path to a PEM file."""
    if isinstance(key, X25519PrivateKey):
        return key
    pem = key if isinstance(key, bytes) else Path(key).read_bytes()
    try:
        loaded = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise SealError(f"not a PEM private key ({exc})") from None
    if not isinstance(loaded, X25519PrivateKey):
        raise SealError("not an X25519 private key")
    return loaded


def _aead_key(shared: bytes, eph_raw: bytes, recipient_raw: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_raw + recipient_raw, info=INFO)
    return hkdf.derive(shared)


def seal(public: X25519PublicKey, record_id: str, data: dict[str, Any]) -> str:
    """Seal `data` for the holder of the private key; returns base64 text."""
    plaintext = json.dumps({"record": record_id, "data": data}, ensure_ascii=False).encode()
    ephemeral = X25519PrivateKey.generate()
    eph_raw, recipient_raw = _raw_public(ephemeral.public_key()), _raw_public(public)
    key = _aead_key(ephemeral.exchange(public), eph_raw, recipient_raw)
    nonce = os.urandom(12)
    header = MAGIC + key_id(public) + eph_raw + nonce
    ciphertext = ChaCha20Poly1305(key).encrypt(nonce, plaintext, header)
    return base64.b64encode(header + ciphertext).decode("ascii")


def open_sealed_record(private_key: Any, blob: str | bytes) -> tuple[str, dict[str, Any]]:
    """Open a sealed blob; returns (outbox record uuid, personal data)."""
    private = load_private(private_key)
    raw = base64.b64decode(blob, validate=True) if isinstance(blob, str) else bytes(blob)
    if len(raw) < _HEADER + 16 or not raw.startswith(MAGIC):
        raise SealError("sealed data is truncated or not in LSS1 format")
    header, ciphertext = raw[:_HEADER], raw[_HEADER:]
    kid, eph_raw, nonce = header[4:12], header[12:44], header[44:56]
    if kid != key_id(private.public_key()):
        raise SealError(
            f"sealed to another key (key id {kid.hex()}, this key {key_id(private.public_key()).hex()})"
        )
    eph = X25519PublicKey.from_public_bytes(eph_raw)
    key = _aead_key(private.exchange(eph), eph_raw, _raw_public(private.public_key()))
    try:
        plaintext = ChaCha20Poly1305(key).decrypt(nonce, ciphertext, header)
    except InvalidTag:
        raise SealError("sealed data was altered or is not for this key") from None
    body = json.loads(plaintext)
    return body["record"], body["data"]


def open_sealed(
    private_key: Any, blob: str | bytes, *, record_id: str | None = None
) -> dict[str, Any]:
    """Central side: the personal data in a sealed blob (checks the record uuid if given)."""
    sealed_for, data = open_sealed_record(private_key, blob)
    if record_id is not None and sealed_for != record_id:
        raise SealError(f"sealed data belongs to record {sealed_for}, not {record_id}")
    return data
