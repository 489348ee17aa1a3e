"""Resumable, verified blob downloads (our own, with requests; TUF only signs what to expect).

Why our own: kiosks sit on poor networks and lose power, so a 50 MB blob cut at 49 MB must
resume from 49 MB after a reboot. Partial files live in HOME/sync/partial/<sha256>.part with the
ETag beside them. Each request asks for identity encoding and `Range` + `If-Range`; only a 206
with exactly the expected Content-Range continues a partial file, a 200 starts over, a changed
ETag starts over. Bytes are hashed while streaming and capped at the signed length, so an endless
or tampered body is cut off and refused; nothing unverified ever reaches blobs/.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from sync.errors import Cancelled, NetworkError, StickIncomplete, SyncError, VerificationError
from sync.verify import (
    CONNECT_TIMEOUT,
    PORTAL_HINT,
    READ_TIMEOUT,
    is_url,
    plain_network_error,
    read_timeout,
)

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
Progress = Callable[[int], None]  # called with bytes just received


@dataclass
class TransferPolicy:
    attempts: int = 8  # in a row without progress: a response that moves the file on resets it
    backoff_s: float = 0.5  # first retry delay; doubles, with jitter, capped at backoff_max_s
    backoff_max_s: float = 30.0
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT


class _Retry(Exception):
    """A transient problem: keep what is valid, wait, try again."""


@dataclass
class Stats:
    bytes_received: int = 0
    requests: int = 0
    restarts: int = 0


class BlobFetcher:
    """Fetch blobs/<sha256> from a release source into a verified local store."""

    def __init__(
        self,
        source: str,
        store: Path,
        partial: Path,
        *,
        deadline: float,
        policy: TransferPolicy | None = None,
        session: requests.Session | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.source = source.rstrip("/")
        self.store, self.partial = store, partial
        self.deadline = deadline
        self.policy = policy or TransferPolicy()
        self.session = session or requests.Session()
        self.progress = progress
        self.cancel = cancel or threading.Event()
        self.stats = Stats()
        store.mkdir(parents=True, exist_ok=True)
        partial.mkdir(parents=True, exist_ok=True)

    def have(self, digest: str, length: int) -> bool:
        p = self.store / digest
        return p.is_file() and p.stat().st_size == length

    def fetch(self, digest: str, length: int, name: str) -> Path:
        """Return the verified blob path, downloading (resumably) if needed.

        `policy.attempts` counts attempts in a row that did not move the partial file past
        its furthest point so far: on a line that cuts every megabyte, each cut still makes
        progress, so the download goes on (within the run's deadline) instead of giving up."""
        dest = self.store / digest
        if self.have(digest, length):
            return dest
        if not is_url(self.source):
            return self._copy_local(digest, length, name)
        delay, failures, furthest = self.policy.backoff_s, 0, self._partial_size(digest)
        while True:
            self._check_stop(name)
            try:
                self._attempt(digest, length, name)
                return dest
            except _Retry as exc:
                last = str(exc)
            now_at = self._partial_size(digest)
            if now_at > furthest:  # progress: a fresh count of attempts and backoff
                furthest, failures, delay = now_at, 0, self.policy.backoff_s
            failures += 1
            log.info("%s: attempt %d without progress: %s", name, failures, last)
            if failures >= self.policy.attempts or not self._pause(delay):
                break
            delay *= 2
        raise NetworkError(f"could not download {name} ({last}); progress kept, will resume")

    def _pause(self, delay: float) -> bool:
        """Back off before a retry (jittered); False if the deadline would pass meanwhile."""
        wait = min(delay, self.policy.backoff_max_s) * (0.5 + random.random() / 2)
        if time.monotonic() + wait > self.deadline:
            return False
        self.cancel.wait(wait)  # a cancel ends the pause at once
        return True

    def _partial_size(self, digest: str) -> int:
        part = self._paths(digest)[0]
        return part.stat().st_size if part.exists() else 0

    def _check_stop(self, name: str) -> None:
        if self.cancel.is_set():
            raise Cancelled(f"cancelled while downloading {name}; progress kept, will resume")
        self._check_deadline(name)

    def _check_deadline(self, name: str) -> None:
        if time.monotonic() > self.deadline:
            raise NetworkError(
                f"deadline for this sync passed while downloading {name}; progress kept"
            )

    # -- HTTP -----------------------------------------------------------------------------

    def _paths(self, digest: str) -> tuple[Path, Path]:
        return self.partial / f"{digest}.part", self.partial / f"{digest}.etag"

    def _attempt(self, digest: str, length: int, name: str) -> None:
        part, etag_file = self._paths(digest)
        have = part.stat().st_size if part.exists() else 0
        etag = etag_file.read_text() if etag_file.exists() else ""
        if have > length or (have and not etag):
            have = self._restart(digest)
        if have == length:
            return self._finish(digest, length, name, resumed=True)
        headers = {"Accept-Encoding": "identity"}
        if have:
            headers.update({"Range": f"bytes={have}-", "If-Range": etag})
        url = f"{self.source}/blobs/{digest}"
        self.stats.requests += 1
        try:
            r = self.session.get(
                url,
                headers=headers,
                stream=True,
                timeout=(
                    self.policy.connect_timeout,
                    read_timeout(self.policy.read_timeout, self.deadline),
                ),
            )
        except requests.RequestException as exc:
            raise _Retry(plain_network_error(exc, url)) from None
        with r:
            have = self._check_response(r, digest, have, etag, length, name)
            digest_now = self._stream(r, part, have, length, name)
        self._finish(digest, length, name, resumed=bool(have), computed=digest_now)

    def _check_response(
        self, r: requests.Response, digest: str, have: int, etag: str, length: int, name: str
    ) -> int:
        """Decide whether to continue at `have`, start at 0, or give up on this response."""
        if r.status_code == 404:
            raise NetworkError(
                f"the server has no {name} (blob {digest[:12]}); "
                "a publish may be in progress, try again later"
            )
        if r.status_code not in (200, 206):
            raise _Retry(f"HTTP {r.status_code}")
        if r.headers.get("Content-Encoding", "identity") not in ("identity", ""):
            raise _Retry(f"server sent {r.headers['Content-Encoding']} encoding; identity needed")
        if r.headers.get("Content-Type", "").startswith("text/html"):
            raise _Retry(PORTAL_HINT)
        # The validator for If-Range: the ETag, else Last-Modified (servers without ETags).
        new_etag = r.headers.get("ETag") or r.headers.get("Last-Modified", "")
        declared = _declared_length(r.headers.get("Content-Length"))
        if declared > length:
            raise VerificationError(
                f"{name}: the server offers {declared} bytes, more than the signed {length}; refused"
            )
        if r.status_code == 206:
            expected = f"bytes {have}-{length - 1}/{length}"
            if not have or r.headers.get("Content-Range") != expected:
                self._restart(digest)
                raise _Retry(f"bad Content-Range {r.headers.get('Content-Range')!r}")
            if new_etag and etag and new_etag != etag:
                self._restart(digest)
                raise _Retry("the file's ETag changed; starting over")
            return have
        if have:
            self.stats.restarts += 1  # server ignored Range or the ETag changed: start over
        self._restart(digest)
        self._paths(digest)[1].write_text(new_etag)
        return 0

    def _stream(self, r: requests.Response, part: Path, have: int, length: int, name: str) -> str:
        """Append the body to the partial file, hashing as it arrives; returns the sha256."""
        got = have
        mode = "ab" if have else "wb"
        h = _hash_prefix(part, have)
        try:
            with open(part, mode) as fh:
                # read1: return what has arrived, so a dripping server meets the deadline check
                while chunk := r.raw.read1(CHUNK, decode_content=False):
                    got += len(chunk)
                    if got > length:
                        fh.truncate(0)
                        raise VerificationError(
                            f"{name}: the server sent more than the signed size "
                            f"({length} bytes); refused"
                        )
                    fh.write(chunk)
                    h.update(chunk)
                    self.stats.bytes_received += len(chunk)
                    if self.progress:
                        self.progress(len(chunk))
                    if time.monotonic() > self.deadline or self.cancel.is_set():
                        break
                fh.flush()
                os.fsync(fh.fileno())
        except (requests.RequestException, OSError) as exc:
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                part.unlink(missing_ok=True)  # free the space so the kiosk keeps working
                raise
            raise _Retry(f"transfer cut at {got} bytes: {exc}") from None
        except SyncError:
            raise
        except Exception as exc:  # urllib3 protocol errors (cut connection)
            raise _Retry(f"transfer cut at {got} bytes: {exc}") from None
        self._check_stop(name)
        if got < length:
            raise _Retry(f"transfer ended early at {got} of {length} bytes")
        return h.hexdigest()

    def _restart(self, digest: str) -> int:
        part, etag_file = self._paths(digest)
        part.unlink(missing_ok=True)
        etag_file.unlink(missing_ok=True)
        return 0

    def _finish(
        self, digest: str, length: int, name: str, *, resumed: bool, computed: str | None = None
    ) -> None:
        """A complete partial whose hash matches moves into the store; else it is refused."""
        part, etag_file = self._paths(digest)
        if computed is None:
            computed = _hash_prefix(part, length).hexdigest()
        if computed != digest:
            self._restart(digest)
            if resumed:
                raise _Retry("resumed file failed its hash; starting over")
            raise VerificationError(f"{name}: downloaded bytes do not match the signed hash")
        os.replace(part, self.store / digest)
        etag_file.unlink(missing_ok=True)

    # -- USB / local folder -------------------------------------------------------------

    def _copy_local(self, digest: str, length: int, name: str) -> Path:
        self._check_stop(name)
        src = Path(self.source) / "blobs" / digest
        if not src.is_file():
            raise StickIncomplete(
                f"the stick is incomplete: {name} (blob {digest[:12]}) is missing from"
                f" {self.source}; copy the stick again"
            )
        if src.stat().st_size != length:
            raise StickIncomplete(
                f"the stick is incomplete: {name} has the wrong size on {self.source};"
                " copy the stick again"
            )
        part = self._paths(digest)[0]
        h = hashlib.sha256()
        with open(src, "rb") as fi, open(part, "wb") as fo:
            # never more than the signed length, even if the file grows while we copy it
            while chunk := fi.read(min(1 << 20, length + 1 - fo.tell())):
                h.update(chunk)
                fo.write(chunk)
                self.stats.bytes_received += len(chunk)
                if self.progress:
                    self.progress(len(chunk))
                if self.cancel.is_set():
                    break
            fo.flush()
            os.fsync(fo.fileno())
        if self.cancel.is_set():
            part.unlink()
            self._check_stop(name)
        if h.hexdigest() != digest:
            part.unlink()
            raise VerificationError(f"{name}: blob on {self.source} does not match the signed hash")
        os.replace(part, self.store / digest)
        return self.store / digest


def _hash_prefix(path: Path, n: int) -> hashlib._Hash:
    """sha256 state after the first n bytes of path (resuming hashes what is already there)."""
    h = hashlib.sha256()
    if n:
        with open(path, "rb") as fh:
            left = n
            while left and (chunk := fh.read(min(1 << 20, left))):
                h.update(chunk)
                left -= len(chunk)
    return h


def _declared_length(header: str | None) -> int:
    """Content-Length as a number. A proxy that merges repeated headers sends `245, 245`,
    one length said twice (RFC 9110 8.6); lengths that differ, or no number, are a server
    to retry later. The signed length caps the body whatever this says."""
    values = {v.strip() for v in (header or "0").split(",")}
    if len(values) != 1 or not (value := values.pop()).isdigit():
        raise _Retry(f"bad Content-Length {header!r}")
    return int(value)
