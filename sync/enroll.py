"""Kiosk enrolment: the kiosk id, its Ed25519 batch-signing key and its upload password.

Why: the centre must know which kiosk wrote each outbox batch and that nobody else did.
`enroll` creates, in HOME/keys (folder 0700, files 0600):

    kiosk.json           {"kiosk_id", "public_key", "key_id", "enrolled_at"}   (public facts)
    kiosk_signing.key    Ed25519 private key, PEM PKCS8
    inbox_password       random password for HTTP basic auth at the inbox (user = kiosk id)

and prints the public key for the centre's registry (`lawshelf kiosks add ID KEY`).
The kiosk id is also a path segment on the server, so it is restricted to [a-z0-9-].
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from offline_index.errors import LawShelfError
from offline_index.home import keys_dir
from sync.sealing import write_private

KIOSK_FILE = "kiosk.json"
SIGNING_KEY = "kiosk_signing.key"
PASSWORD_FILE = "inbox_password"
KEY_PREFIX = "ed25519:"
KIOSK_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,62}$")


class EnrolmentError(LawShelfError):
    """Bad kiosk id, an existing enrolment, or unreadable key files."""

    message_vi = "Không đăng ký được máy kiosk."


class NotEnrolled(EnrolmentError):
    message_vi = "Máy kiosk chưa được đăng ký (lawshelf enroll)."


@dataclass(frozen=True)
class Identity:
    kiosk_id: str
    public_key: str  # "ed25519:<base64>"
    key_id: str  # sha256 hex of the raw public key
    signing_key: Ed25519PrivateKey
    upload_password: str


def canonical_json(obj: Any) -> bytes:
    """The exact bytes that are signed: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KEY_PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Parse "ed25519:<base64 of 32 bytes>"; raises EnrolmentError on anything else."""
    text = text.strip()
    if not text.startswith(KEY_PREFIX):
        raise EnrolmentError(f"public key must start with {KEY_PREFIX!r}")
    try:
        raw = base64.b64decode(text[len(KEY_PREFIX) :], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise EnrolmentError("public key is not 32 bytes of base64") from None


def key_id_of(key_text: str) -> str:
    raw = parse_public_key(key_text).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return hashlib.sha256(raw).hexdigest()


def check_kiosk_id(kiosk_id: str) -> str:
    # "inbox" is reserved: `inbox collect` accepts both the server root and its inbox/ folder.
    if kiosk_id == "inbox":
        raise EnrolmentError(
            "kiosk id 'inbox' is reserved (the centre's inbox folder); pick another"
        )
    if not KIOSK_ID_RE.match(kiosk_id):
        raise EnrolmentError(
            f"kiosk id {kiosk_id!r} must be 3-63 characters of a-z, 0-9 and '-',"
            " starting with a letter or digit"
        )
    return kiosk_id


def new_upload_password() -> str:
    """24 random bytes, URL-safe; never starting with '-' (a command line would read an option)."""
    while (password := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return password


def enroll(home: Path, *, kiosk_id: str | None = None, force: bool = False) -> Identity:
    """Create this kiosk's identity; refuses to replace one unless `force`."""
    folder = keys_dir(home)
    if (folder / KIOSK_FILE).exists() and not force:
        current = load_identity(home)
        raise EnrolmentError(
            f"this kiosk is already enrolled as {current.kiosk_id}; use --force to replace"
            " its key (the centre must then register the new key)"
        )
    kiosk_id = check_kiosk_id(kiosk_id or f"kiosk-{secrets.token_hex(5)}")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_text = public_key_text(private.public_key())
    write_private(folder / SIGNING_KEY, pem)
    write_private(folder / PASSWORD_FILE, new_upload_password().encode())
    facts = {
        "kiosk_id": kiosk_id,
        "public_key": key_text,
        "key_id": key_id_of(key_text),
        "enrolled_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    # kiosk.json last: its presence means the enrolment is complete.
    write_private(folder / KIOSK_FILE, json.dumps(facts, indent=2).encode(), mode=0o644)
    return load_identity(home)


def load_identity(home: Path) -> Identity:
    """Read this kiosk's identity; NotEnrolled if `lawshelf enroll` has not run."""
    folder = keys_dir(home)
    try:
        facts = json.loads((folder / KIOSK_FILE).read_text())
        pem = (folder / SIGNING_KEY).read_bytes()
        password = (folder / PASSWORD_FILE).read_text().strip()
    except FileNotFoundError:
        raise NotEnrolled(
            f"this kiosk is not enrolled (no keys in {folder}); run `lawshelf enroll`"
        ) from None
    except (OSError, ValueError) as exc:
        raise EnrolmentError(f"cannot read the kiosk keys in {folder}: {exc}") from None
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise EnrolmentError(f"{folder / SIGNING_KEY} is not an Ed25519 key")
    key_text = public_key_text(private.public_key())
    if key_text != facts.get("public_key"):
        raise EnrolmentError(f"{folder / SIGNING_KEY} does not match {folder / KIOSK_FILE}")
    return Identity(facts["kiosk_id"], key_text, key_id_of(key_text), private, password)


def upload_auth(home: Path) -> tuple[str, str] | None:
    """(kiosk id, password) for HTTP basic auth at the inbox, or None if not enrolled."""
    try:
        ident = load_identity(home)
    except NotEnrolled:
        return None
    return ident.kiosk_id, ident.upload_password
