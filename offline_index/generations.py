"""Library generations: manifests, verification, atomic switching and garbage collection.

A generation is a folder `gen-*/` holding content.sqlite, index/, files/ and MANIFEST.json
(written last). `HOME/library/current` and `previous` are relative symlinks replaced with
os.replace, so a kill -9 at any instant leaves either the old or the new pointer.

Whoosh's index files contain pickles, so opening a foreign index would run its code. The
manifest therefore carries an HMAC made with a key that never leaves this machine's user
account; a generation is opened only if its manifest verifies and its index folder holds
exactly the files the manifest lists (sizes checked on open, hashes on full verification).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import logging
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offline_index.errors import LibraryCorrupt, LibraryNotFound
from offline_index.fsutil import atomic_write_text, fsync_dir

log = logging.getLogger(__name__)

MANIFEST = "MANIFEST.json"
MANIFEST_FORMAT = 1
CURRENT, PREVIOUS = "current", "previous"
BUILDING_PREFIX = ".building-"


# ---------------------------------------------------------------- local build key


def build_key_path() -> Path:
    """Per-user secret (not per home) so every home of this account trusts its own builds."""
    explicit = os.environ.get("LAWSHELF_BUILD_KEY")
    if explicit:
        return Path(explicit).expanduser()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "lawshelf" / "build.key"


def build_key(create: bool = False) -> bytes | None:
    path = build_key_path()
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        if not create:
            return None
    except ValueError:
        raise LibraryCorrupt(f"build key {path} is damaged; delete it and rebuild") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
        fh.flush()
        os.fsync(fh.fileno())
    with contextlib.suppress(FileExistsError):
        os.link(tmp, path)  # first writer wins; a racing build reads the winner's key
    tmp.unlink()
    return bytes.fromhex(path.read_text().strip())


def _mac(manifest: dict[str, Any], key: bytes) -> str:
    body = {k: v for k, v in manifest.items() if k != "built_here"}
    data = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- files and manifests


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def list_files(gen_dir: Path) -> list[str]:
    """Every regular file in a generation except the manifest, as sorted POSIX names."""
    out = [
        p.relative_to(gen_dir).as_posix()
        for p in gen_dir.rglob("*")
        if p.is_file() and p.name != MANIFEST
    ]
    return sorted(out)


def write_manifest(
    gen_dir: Path, info: dict[str, Any], known: dict[str, str] | None = None
) -> dict:
    """Hash every file, sign with the local key, write MANIFEST.json durably (last step).

    `known` maps names to sha256 already computed (e.g. hard-linked files), to skip re-reading.
    """
    known = known or {}
    files = {}
    for name in list_files(gen_dir):
        path = gen_dir / name
        files[name] = {"size": path.stat().st_size, "sha256": known.get(name) or sha256_file(path)}
    manifest = {"format": MANIFEST_FORMAT, **info, "files": files}
    key = build_key(create=True)
    assert key is not None
    manifest["built_here"] = {
        "key_id": hashlib.sha256(key).hexdigest()[:16],
        "mac": _mac(manifest, key),
    }
    atomic_write_text(gen_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(gen_dir: Path) -> dict[str, Any]:
    path = gen_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LibraryNotFound(f"{gen_dir} is not a complete library (no {MANIFEST})") from None
    except (ValueError, OSError) as exc:
        raise LibraryCorrupt(f"{path} is unreadable: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise LibraryCorrupt(f"{path} has an unknown format")
    return manifest


def check_generation(gen_dir: Path, *, hashes: bool = False) -> dict[str, Any]:
    """Cheap checks done on every open: built here, and the file set/sizes match the manifest."""
    manifest = read_manifest(gen_dir)
    key = build_key()
    stamp = manifest.get("built_here") or {}
    if key is None or not hmac.compare_digest(str(stamp.get("mac", "")), _mac(manifest, key)):
        raise LibraryCorrupt(
            f"{gen_dir} was not built on this machine; its index will not be opened",
            message_vi="Thư viện này không được dựng trên máy này nên không được mở.",
        )
    listed: dict[str, dict] = manifest["files"]
    actual = set(list_files(gen_dir))
    if actual != set(listed):
        extra = sorted(actual - set(listed))[:3]
        missing = sorted(set(listed) - actual)[:3]
        raise LibraryCorrupt(
            f"{gen_dir}: files differ from manifest (extra {extra}, missing {missing})"
        )
    for name, entry in listed.items():
        path = gen_dir / name
        if path.stat().st_size != entry["size"]:
            raise LibraryCorrupt(f"{gen_dir}: {name} has the wrong size")
        if hashes and sha256_file(path) != entry["sha256"]:
            raise LibraryCorrupt(f"{gen_dir}: {name} fails its checksum")
    return manifest


def verify_generation(gen_dir: Path) -> None:
    """Full check before a generation goes live: manifest, hashes, SQLite, index opens."""
    check_generation(gen_dir, hashes=True)
    try:
        conn = sqlite3.connect(f"file:{gen_dir / 'content.sqlite'}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise LibraryCorrupt(f"{gen_dir}: content.sqlite unreadable: {exc}") from None
    if result != "ok":
        raise LibraryCorrupt(f"{gen_dir}: content.sqlite fails quick_check: {result}")
    from offline_index.search_engine import SearchEngine

    try:
        SearchEngine.open(gen_dir / "index").close()
    except Exception as exc:  # any failure to open means the generation is unusable
        raise LibraryCorrupt(f"{gen_dir}: index does not open: {exc}") from None


# ---------------------------------------------------------------- pointers


def new_generation_dir(root: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return root / f"gen-{stamp}-{secrets.token_hex(3)}"


def _pointer(root: Path, name: str) -> Path | None:
    link = root / name
    try:
        target = os.readlink(link)
    except (FileNotFoundError, OSError):
        return None
    path = (root / target) if not os.path.isabs(target) else Path(target)
    return path if (path / MANIFEST).is_file() else None


def live_generation(root: Path) -> Path | None:
    return _pointer(root, CURRENT)


def previous_generation(root: Path) -> Path | None:
    return _pointer(root, PREVIOUS)


def _set_link(root: Path, name: str, target: str) -> None:
    tmp = root / f".{name}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, root / name)


def switch_generation(root: Path, gen_dir: Path) -> None:
    """previous <- current, current <- gen_dir; each step atomic, both relative symlinks."""
    if not (gen_dir / MANIFEST).is_file():
        raise LibraryNotFound(f"{gen_dir} is not a complete library")
    target = os.path.relpath(gen_dir.resolve(), root.resolve())
    old = live_generation(root)
    if old is not None:
        old_target = os.path.relpath(old.resolve(), root.resolve())
        if old_target != target:
            _set_link(root, PREVIOUS, old_target)
    _set_link(root, CURRENT, target)
    fsync_dir(root)
    log.info("library switched to %s", target)


def rollback_generation(root: Path) -> Path:
    """Swap current and previous (an admin's "go back to the last library"); returns the new live."""
    with library_lock(root):
        prev = previous_generation(root)
        if prev is None:
            raise LibraryNotFound(
                "there is no previous library to go back to",
                message_vi="Không có bản thư viện trước đó để quay lại.",
            )
        switch_generation(root, prev)
        return prev


@contextlib.contextmanager
def library_lock(root: Path) -> Iterator[None]:
    """One builder/switcher at a time per library root (released even on kill -9)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def gc_unlocked(root: Path) -> list[Path]:
    keep = {p.resolve() for p in (live_generation(root), previous_generation(root)) if p}
    removed: list[Path] = []
    for path in sorted(root.iterdir()):
        if path.name.startswith("gen-") and path.is_dir() and path.resolve() not in keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        elif path.name.startswith(BUILDING_PREFIX) and path.is_dir():
            pid = path.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or not _pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def gc_generations(root: Path) -> list[Path]:
    """Delete generations neither pointer uses, and leftovers of killed builds."""
    if not root.is_dir():
        return []
    with library_lock(root):
        return gc_unlocked(root)
