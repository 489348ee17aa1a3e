"""What a hostile network or stick could still do to a sync: drip bytes past the deadline, plant a
huge metadata file, kill the run. Each ends in a clear message, a released lock and a status row."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from synchelp import FAST, V1, blob_of, live_titles

from sync import status
from sync.errors import NetworkError, VerificationError
from sync.lock import SyncLock
from sync.run import run_sync
from sync.verify import install_trusted_root


class _Drip(BaseHTTPRequestHandler):
    """Serves a release folder; paths matching `drip` come one byte every 0.2 s (a real socket,
    with an honest Content-Length: only the pace is hostile)."""

    protocol_version = "HTTP/1.1"
    root: Path
    drip: str

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = self.root / self.path.lstrip("/")
        if not path.is_file():
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            if self.drip and self.drip in self.path:
                for i in range(len(data)):
                    self.wfile.write(data[i : i + 1])
                    self.wfile.flush()
                    time.sleep(0.2)
            else:
                self.wfile.write(data)
        except OSError:
            self.close_connection = True


@pytest.fixture
def drip_server():
    servers = []

    def start(root: Path, drip: str) -> str:
        handler = type("H", (_Drip,), {"root": root, "drip": drip})
        srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}"

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def _lock_free(home: Path) -> bool:
    with SyncLock(home):
        return True


def test_dripping_metadata_meets_the_deadline(kiosk, publisher, drip_server):
    url = drip_server(publisher.repo, "timestamp.json")  # ~1 KB at 5 bytes/s: minutes
    start = time.monotonic()
    with pytest.raises(NetworkError, match="time allowed"):
        run_sync(kiosk, url, policy=FAST, deadline_s=1.5)
    assert time.monotonic() - start < 6
    st = status.read_status(status.open_db(kiosk))
    assert st["outcome"] == "failed" and st["exit_code"] == 3
    assert _lock_free(kiosk)


def test_dripping_blob_meets_the_deadline_and_keeps_progress(kiosk, publisher, drip_server):
    url = drip_server(publisher.repo, f"/blobs/{blob_of(publisher, 'a')}")
    start = time.monotonic()
    with pytest.raises(NetworkError, match="deadline"):
        run_sync(kiosk, url, policy=FAST, deadline_s=2)
    assert time.monotonic() - start < 7
    partials = list((kiosk / "sync" / "partial").glob("*.part"))
    assert partials and all(p.stat().st_size > 0 for p in partials)  # resumes next time
    rep = run_sync(kiosk, publisher.repo)  # the same release from a good source
    assert rep.outcome == "applied" and sorted(live_titles(kiosk).values()) == sorted(V1.values())


def test_huge_planted_metadata_on_stick_is_refused_unread(kiosk, publisher, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "metadata").mkdir()
    (stick / "blobs").mkdir()
    for p in (publisher.repo / "metadata").glob("*.root.json"):
        (stick / "metadata" / p.name).write_bytes(p.read_bytes())
    with open(stick / "metadata" / "timestamp.json", "wb") as fh:
        fh.truncate(8 << 30)  # 8 GiB, sparse: reading it whole would exhaust memory
    start = time.monotonic()
    with pytest.raises(VerificationError, match="longer than allowed"):
        run_sync(kiosk, stick)
    assert time.monotonic() - start < 10
    assert "longer than allowed" in status.read_status(status.open_db(kiosk))["error"]


def test_stopped_run_is_recorded_and_unlocked(kiosk, publisher):
    def stop(what: str, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sync(kiosk, publisher.repo, progress=stop)
    st = status.read_status(status.open_db(kiosk))
    assert st["outcome"] == "failed" and "stopped before it finished" in st["error"]
    assert _lock_free(kiosk)


def test_full_disk_does_not_leave_the_lock_held(tiny_disk, publisher, monkeypatch):
    """A kiosk UI process runs many syncs: one that met a full disk must not block the rest."""
    home = tiny_disk / "home"
    home.mkdir()
    monkeypatch.setenv("LAWSHELF_HOME", str(home))
    install_trusted_root(home, publisher.root_v1)
    (home / "sync").mkdir(exist_ok=True)
    filler = tiny_disk / "filler"
    with open(filler, "wb", buffering=0) as fh, pytest.raises(OSError):
        while True:
            fh.write(b"x" * 4096)
    with pytest.raises(Exception):  # noqa: B017,PT011 - anything, as long as the lock is freed
        run_sync(home, publisher.repo)
    filler.unlink()
    assert _lock_free(home)
    rep = run_sync(home, publisher.repo)
    assert rep.outcome == "applied"


def test_a_password_written_into_the_source_url_is_never_shown(kiosk):
    """`http://user:password@host/` as the source: the message, the status (shown by
    `lawshelf status` and the librarian screen) and the heartbeat's error leave it out."""
    from nginx_server import free_port

    from sync.verify import without_credentials

    url = f"http://kiosk-9:S3cretPW@127.0.0.1:{free_port()}/"
    with pytest.raises(NetworkError) as caught:
        run_sync(kiosk, url, policy=FAST)
    assert "S3cretPW" not in str(caught.value) and "127.0.0.1" in str(caught.value)
    row = status.read_status(status.open_db(kiosk))
    assert "S3cretPW" not in repr(row) and row["source"].startswith("http://127.0.0.1:")
    assert without_credentials("https://a:b@h.example/x?y=1") == "https://h.example/x?y=1"
    assert without_credentials("/media/usb/lawshelf") == "/media/usb/lawshelf"
