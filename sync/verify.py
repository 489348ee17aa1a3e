"""Kiosk side of TUF: refresh and verify release metadata with python-tuf's ngclient Updater.

Why ngclient: root chain walking, thresholds, rollback, freeze, mix-and-match and size caps are
exactly what it implements and keeps correct; we only add a fetcher (HTTP with timeouts, or a
USB folder) and the time floor. Blobs are fetched by sync.transfer and checked against the
target info returned here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests
import urllib3
from tuf.api import exceptions as tufx
from tuf.api.metadata import Metadata, Root
from tuf.api.serialization import DeserializationError
from tuf.ngclient import Updater, UpdaterConfig
from tuf.ngclient.fetcher import FetcherInterface

from offline_index.fsutil import atomic_write_bytes
from offline_index.home import sync_metadata_dir, trusted_root_path
from sync.errors import (
    Cancelled,
    ExpiredError,
    NetworkError,
    NoReleaseOnStick,
    NotConfigured,
    NoTrustedRoot,
    OlderOnStick,
    VerificationError,
)
from sync.release import EXTRA, safe_target_path

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
CLOCK_SLACK_S = 24 * 3600  # a clock this far behind the floor is "obviously behind"
PORTAL_HINT = (
    "the network answered with a web page instead of release data "
    "(a captive portal or Wi-Fi login page?)"
)


class CaptivePortal(tufx.DownloadError):
    pass


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def install_trusted_root(home: Path, root_file: Path) -> None:
    """First setup: the root every later verification starts from. It must be a valid,
    self-signed TUF root; a kiosk with a cached newer root keeps following its own chain."""
    data = root_file.read_bytes()
    try:
        md = Metadata.from_bytes(data)
        if not isinstance(md.signed, Root):
            raise ValueError("not root metadata")
        md.signed.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except Exception as exc:  # noqa: BLE001 - any failure means "not a valid root"
        raise NotConfigured(f"{root_file}: not a valid, self-signed TUF root ({exc})") from None
    _same_publisher(home, md.signed, root_file)
    atomic_write_bytes(trusted_root_path(home), data)


def _same_publisher(home: Path, root: Root, root_file: Path) -> None:
    """A kiosk that has synced follows the root chain it cached; a root from another
    publisher (no root key in common) would sit unused as the trusted root, silently, until
    that cache went. Refused: moving a kiosk to another publisher is a reinstall."""
    cached = sync_metadata_dir(home) / "root.json"
    if not cached.exists():
        return
    known = Metadata.from_bytes(cached.read_bytes()).signed
    if not isinstance(known, Root) or set(known.roles["root"].keyids) & set(
        root.roles["root"].keyids
    ):
        return
    raise NotConfigured(
        f"{root_file}: this kiosk already follows another publisher's root (version"
        f" {known.version}); it is not replaced. To move the kiosk to another publisher,"
        " install it again with a new home"
    )


def without_credentials(url: str) -> str:
    """A source URL as it may be shown and stored: a user and password written into it
    (`http://kiosk-9:secret@host/`) are left out of messages, the status and the heartbeat."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def plain_network_error(exc: requests.RequestException, url: str) -> str:
    """requests' messages name pools and sockets; a librarian needs "no network" words."""
    host = urlsplit(without_credentials(url)).netloc or url
    if isinstance(exc, requests.ConnectTimeout | requests.ConnectionError) and not isinstance(
        exc, requests.ReadTimeout
    ):
        return f"cannot connect to {host}: no network, or the update server is down"
    if isinstance(exc, requests.Timeout):
        return f"{host} stopped answering (timed out)"
    return f"the connection to {host} failed ({type(exc).__name__})"


def read_timeout(limit: float, deadline: float | None) -> float:
    """A socket read never waits past the run's deadline (plus a second to notice it)."""
    if deadline is None:
        return limit
    return max(0.5, min(limit, deadline - time.monotonic() + 1.0))


class SyncFetcher(FetcherInterface):
    """HTTP via requests (identity encoding, timeouts) or plain files for a USB/local tree.

    Every read returns what has arrived (read1), so a server dripping one byte at a time
    cannot hold a sync past its deadline; local files are read lazily, so ngclient's size
    caps stop a planted huge file before it fills memory."""

    def __init__(
        self,
        session: requests.Session | None = None,
        deadline: float | None = None,
        cancel: threading.Event | None = None,
    ):
        self.session = session or requests.Session()
        self.deadline = deadline
        self.cancel = cancel or threading.Event()
        self.bytes = 0

    def _check_deadline(self, url: str) -> None:
        if self.cancel.is_set():
            raise Cancelled("cancelled while checking the release metadata")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise tufx.DownloadError(f"{url}: the time allowed for this sync ran out")

    def _fetch(self, url: str) -> Iterator[bytes]:
        shown = without_credentials(url)  # what messages may say of it
        self._check_deadline(shown)
        if not is_url(url):
            path = Path(url)
            if not path.is_file():
                raise tufx.DownloadHTTPError(f"{url} not found", 404)
            return self._file_chunks(path)
        try:
            r = self.session.get(
                url,
                stream=True,
                timeout=(CONNECT_TIMEOUT, read_timeout(READ_TIMEOUT, self.deadline)),
                headers={"Accept-Encoding": "identity"},
            )
        except requests.RequestException as exc:
            raise tufx.DownloadError(plain_network_error(exc, url)) from exc
        if r.status_code != 200:
            r.close()
            raise tufx.DownloadHTTPError(f"{shown}: HTTP {r.status_code}", r.status_code)
        if r.headers.get("Content-Type", "").startswith("text/html"):
            r.close()
            raise CaptivePortal(f"{shown}: {PORTAL_HINT}")
        return self._chunks(r, shown)

    def _file_chunks(self, path: Path) -> Iterator[bytes]:
        with open(path, "rb") as fh:
            while chunk := fh.read(65536):
                self.bytes += len(chunk)
                yield chunk
                self._check_deadline(str(path))

    def _chunks(self, r: requests.Response, url: str) -> Iterator[bytes]:
        try:
            while chunk := r.raw.read1(65536, decode_content=True):
                self.bytes += len(chunk)
                yield chunk
                self._check_deadline(url)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise tufx.DownloadError(f"{url}: transfer failed: {exc}") from exc
        finally:
            r.close()


@dataclass
class VerifiedRelease:
    """What the signed metadata says the newest release is (all fields verified)."""

    version: int  # targets version = the release number
    root_version: int
    snapshot_version: int
    timestamp_version: int
    info: dict  # publisher's release info (name, content_date, published_at)
    issued: datetime | None  # when the timestamp was signed (feeds the time floor)
    timestamp_keyids: list[str]  # the trusted keys that signed that timestamp
    targets: dict[str, tuple[str, int]]  # path -> (sha256, length)
    metadata_bytes: dict[str, bytes]  # published file name -> exact bytes (for export)
    metadata_bytes_fetched: int = 0
    warnings: list[str] = field(default_factory=list)
    # the refreshed updater: delegated roles (the app role, sync/app_sync.py) load through it
    updater: Updater | None = field(default=None, repr=False, compare=False)


def _fmt(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M UTC") if t else "unknown"


def reference_time(now: datetime, floor: datetime | None) -> tuple[datetime, str | None]:
    """Expiry is judged at max(clock, floor): a clock years behind cannot revive expired data."""
    if floor and now.timestamp() < floor.timestamp() - CLOCK_SLACK_S:
        return floor, (
            f"the clock says {_fmt(now)}; signed data this kiosk trusts is from {_fmt(floor)}. "
            f"Using {_fmt(floor)} to check expiry. Please set the clock."
        )
    return max(now, floor) if floor else now, None


def _expired_message(exc: Exception, now: datetime, floor: datetime | None) -> str:
    msg = f"release metadata has expired ({exc}). The clock says {_fmt(now)}; "
    msg += f"signed data this kiosk trusts is from {_fmt(floor)}. "
    if floor and (now - floor).days > 60:
        msg += "The clock looks far ahead: check the date and time settings."
    else:
        msg += "The publisher has not refreshed the release, or the clock is wrong."
    return msg


def _updater(home: Path, source: str, fetcher: SyncFetcher) -> Updater:
    mdir = sync_metadata_dir(home)
    mdir.mkdir(parents=True, exist_ok=True)
    bootstrap = None
    if not (mdir / "root.json").exists():
        trusted = trusted_root_path(home)
        if not trusted.exists():
            raise NoTrustedRoot(
                f"no trusted root at {trusted}; run `lawshelf sync --trust ROOT.json` once"
            )
        bootstrap = trusted.read_bytes()
    base = source.rstrip("/") + "/metadata/"
    config = UpdaterConfig(
        max_root_rotations=64, snapshot_max_length=4_000_000, targets_max_length=50_000_000
    )
    try:
        return Updater(str(mdir), base, fetcher=fetcher, config=config, bootstrap=bootstrap)
    except (tufx.RepositoryError, DeserializationError, ValueError) as exc:
        raise NotConfigured(f"the trusted root is not valid TUF root metadata: {exc}") from None


def refresh(
    home: Path,
    source: str,
    *,
    floor: datetime | None = None,
    now: datetime | None = None,
    session: requests.Session | None = None,
    deadline: float | None = None,
    cancel: threading.Event | None = None,
) -> VerifiedRelease:
    """Walk the root chain, then timestamp -> snapshot -> targets, verifying everything."""
    now = now or datetime.now(UTC)
    if not is_url(source) and not (Path(source) / "metadata" / "timestamp.json").is_file():
        raise NoReleaseOnStick(f"{source} holds no release (no metadata/timestamp.json)")
    fetcher = SyncFetcher(session, deadline, cancel)
    updater = _updater(home, source, fetcher)
    ref, warning = reference_time(now, floor)
    updater._trusted_set.reference_time = ref  # noqa: SLF001 - ngclient has no public knob
    _run_refresh(updater, now, floor, stick=not is_url(source))
    release = _extract(updater, home)
    release.metadata_bytes_fetched = fetcher.bytes
    release.updater = updater
    if warning:
        release.warnings.append(warning)
        log.warning(warning)
    return release


def _older_timestamp(exc: BaseException) -> bool:
    """A validly signed timestamp older than the one trusted (ngclient checks the signature
    before the version): an old stick. Any other version error (a new snapshot pinning an
    older role: stolen online keys) stays a refusal for verification (exit 4)."""
    return isinstance(exc, tufx.BadVersionNumberError) and str(exc).startswith(
        "New timestamp version"
    )


def _run_refresh(
    updater: Updater, now: datetime, floor: datetime | None, *, stick: bool = False
) -> None:
    try:
        updater.refresh()
    except tufx.ExpiredMetadataError as exc:
        raise ExpiredError(_expired_message(exc, now, floor)) from None
    except CaptivePortal as exc:
        raise NetworkError(str(exc)) from None
    except tufx.DownloadLengthMismatchError as exc:
        raise VerificationError(f"metadata longer than allowed, refused: {exc}") from None
    except tufx.DownloadError as exc:
        if isinstance(exc.__cause__, Cancelled):  # ngclient wraps what our fetcher raised
            raise exc.__cause__ from None
        raise NetworkError(f"cannot download release metadata: {exc}") from None
    except tufx.BadVersionNumberError as exc:
        if stick and _older_timestamp(exc):
            raise OlderOnStick(
                f"the stick holds an older release than this kiosk's: {exc}"
            ) from None
        raise VerificationError(f"older metadata than already verified (rollback): {exc}") from None
    except tufx.UnsignedMetadataError as exc:
        raise VerificationError(f"metadata not signed by trusted keys: {exc}") from None
    except tufx.RepositoryError as exc:
        raise VerificationError(f"release metadata failed verification: {exc}") from None
    except DeserializationError as exc:
        raise VerificationError(f"release metadata is not valid TUF metadata: {exc}") from None


def _extract(updater: Updater, home: Path) -> VerifiedRelease:
    ts = updater._trusted_set  # noqa: SLF001
    targets = ts.targets
    out: dict[str, tuple[str, int]] = {}
    for path, tf in targets.targets.items():
        if not safe_target_path(path):
            raise VerificationError(f"release names an unsafe path {path!r}; refused")
        digest = tf.hashes.get("sha256")
        if not digest or len(digest) != 64:
            raise VerificationError(f"target {path} has no sha256; refused")
        out[path] = (digest, tf.length)
    issued = None
    raw = ts.timestamp.unrecognized_fields.get(EXTRA, {}).get("issued")
    if raw:
        issued = datetime.fromisoformat(raw)
    return VerifiedRelease(
        version=targets.version,
        root_version=ts.root.version,
        snapshot_version=ts.snapshot.version,
        timestamp_version=ts.timestamp.version,
        info=dict(targets.unrecognized_fields.get(EXTRA, {})),
        issued=issued,
        timestamp_keyids=_timestamp_signers(home, ts.root),
        targets=out,
        metadata_bytes=_published_bytes(home, ts),
    )


def _timestamp_signers(home: Path, root: Root) -> list[str]:
    """Key ids of the root's timestamp keys that signed the verified timestamp.json."""
    md = Metadata.from_bytes((sync_metadata_dir(home) / "timestamp.json").read_bytes())
    return sorted(set(md.signatures) & set(root.roles["timestamp"].keyids))


def _published_bytes(home: Path, ts) -> dict[str, bytes]:  # noqa: ANN001 - TrustedMetadataSet
    """The verified metadata exactly as published, under its repository file names.

    Every root version comes from ngclient's `root_history/` cache (tuf >= 6, pinned)."""
    mdir = sync_metadata_dir(home)
    files = {
        "timestamp.json": (mdir / "timestamp.json").read_bytes(),
        f"{ts.snapshot.version}.snapshot.json": (mdir / "snapshot.json").read_bytes(),
        f"{ts.targets.version}.targets.json": (mdir / "targets.json").read_bytes(),
    }
    for p in sorted((mdir / "root_history").glob("*.root.json")):
        files[p.name] = p.read_bytes()
    return files
