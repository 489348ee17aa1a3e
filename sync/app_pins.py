"""The dependency lock of an app release: pip's `--require-hashes` requirements format.

Why pip's own format: the kiosk installs with `pip install --no-index --require-hashes`, so the
lock the publisher signs is exactly what pip enforces, and a person can read it:

    click==8.1.7 \\
        --hash=sha256:ae74fb96c20a0277a1d615f1e4d73c8414f5a98db8b799a7931d1582f3390c28

Every entry must name a wheel the release carries (matched by name, version and hash), and
every dependency wheel the release carries must be named by an entry: a release that is not
exactly self-contained is refused before anything is installed, at the publisher and again
on the kiosk. Only wheels: a kiosk never builds a package from source.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import InvalidMarker, Marker
from packaging.utils import (
    InvalidWheelFilename,
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from sync.errors import SyncError, VerificationError

_LINE = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*(?P<version>[^\s;\\]+)"
    r"\s*(?:;\s*(?P<marker>[^-\\][^\\]*?))?\s*(?P<opts>(?:--hash=sha256:[0-9a-f]{64}\s*)+)$"
)
_HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


class LockError(SyncError):
    """A lock file that is not a plain pip hash lock, or that does not match the wheels."""

    message_vi = "Danh sách gói của bản phần mềm không hợp lệ."


@dataclass(frozen=True)
class LockEntry:
    name: str  # canonical (PEP 503) project name
    version: str
    hashes: frozenset[str]  # sha256 hex digests pip accepts for this entry
    marker: str | None = None

    def line(self) -> str:
        marker = f" ; {self.marker}" if self.marker else ""
        hashes = " \\\n    ".join(f"--hash=sha256:{h}" for h in sorted(self.hashes))
        return f"{self.name}=={self.version}{marker} \\\n    {hashes}"


def _logical_lines(text: str) -> Iterable[tuple[int, str]]:
    """Join `\\`-continued lines, drop comments and blank lines; yields (first line no, text)."""
    buf, start = "", 0
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not buf:
            start = no
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        if buf.strip():
            yield start, " ".join(buf.split())
        buf = ""
    if buf.strip():
        yield start, " ".join(buf.split())


def parse_lock(text: str) -> list[LockEntry]:
    """Entries of a hash lock; anything else pip could read (URLs, -r, -e, options) is refused."""
    entries: list[LockEntry] = []
    seen: set[str] = set()
    for no, line in _logical_lines(text):
        m = _LINE.match(line)
        if not m:
            raise LockError(
                f"lock line {no}: expected 'name==version --hash=sha256:...', got {line!r}"
            )
        name = canonicalize_name(m["name"])
        if name in seen:
            raise LockError(f"lock line {no}: {name} is listed twice")
        marker = m["marker"].strip() if m["marker"] else None
        try:
            Version(m["version"])
            if marker:
                Marker(marker)
        except (InvalidVersion, InvalidMarker) as exc:
            raise LockError(f"lock line {no}: {exc}") from None
        seen.add(name)
        entries.append(LockEntry(name, m["version"], frozenset(_HASH.findall(m["opts"])), marker))
    return entries


def wheel_identity(filename: str) -> tuple[str, str]:
    """(canonical name, version) of a wheel file name; refuses anything that is not a wheel."""
    try:
        name, version, _build, _tags = parse_wheel_filename(filename)
    except InvalidWheelFilename as exc:
        raise LockError(f"{filename}: not a wheel ({exc})") from None
    return str(name), str(version)


def match_wheels(entries: list[LockEntry], wheels: Mapping[str, str]) -> dict[str, str]:
    """Map each lock entry to the carried wheel (file name -> sha256) it pins; refuse any gap.

    A lock entry without its wheel, or a carried wheel no entry names, means the release is not
    exactly what was locked: refused (VerificationError), nothing installed."""
    by_hash = {digest: name for name, digest in wheels.items()}
    chosen: dict[str, str] = {}
    for entry in entries:
        found = [by_hash[h] for h in sorted(entry.hashes) if h in by_hash]
        ok = [f for f in found if wheel_identity(f) == (entry.name, str(Version(entry.version)))]
        if not ok:
            raise VerificationError(
                f"the lock names {entry.name}=={entry.version} but the release carries no wheel "
                "with its hash; refused"
            )
        chosen[entry.name] = ok[0]
    extra = sorted(set(wheels) - set(chosen.values()))
    if extra:
        raise VerificationError(f"the release carries wheels its lock does not name: {extra}")
    return chosen


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lock_for_wheels(paths: Iterable[Path]) -> str:
    """A hash lock naming exactly these wheels (what `lawshelf app lock` writes)."""
    entries = []
    for path in sorted(paths, key=lambda p: wheel_identity(p.name)):
        name, version = wheel_identity(path.name)
        entries.append(LockEntry(name, version, frozenset({sha256_bytes(path.read_bytes())})))
    names = [e.name for e in entries]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise LockError(f"more than one wheel of {', '.join(dupes)}; keep one per project")
    header = "# lawshelf app lock: pip --require-hashes format, one wheel per project\n"
    return header + "".join(e.line() + "\n" for e in entries)
