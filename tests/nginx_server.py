"""Shared test helper: a REAL nginx on loopback, plus a small fault-injecting proxy.

Why: sync and outbox must be tested against the server kiosks really talk to (static files with
ETag/Range, WebDAV PUT with basic auth, body size caps), and against the network faults kiosks
really see. Nothing here is mocked; the proxy only bends real nginx responses.

Use from any test folder (tests/ is on sys.path because tests/conftest.py lives there):

    from nginx_server import nginx_factory, fault_proxy_factory  # noqa: F401  (in a conftest.py)

    def test_x(nginx_factory, tmp_path):
        srv = nginx_factory(root=tmp_path / "www", users={"kiosk-1": "secret"})
        requests.get(srv.url + "/metadata/1.root.json")
        requests.put(srv.url + "/inbox/kiosk-1/b.json", data=b"{}", auth=("kiosk-1", "secret"))
        srv.log_entries()   # parsed access log: status, bytes_sent, method, path, user

`/inbox/<user>/...` accepts PUT only from that basic-auth user (per-kiosk authentication); the
body cap is `max_body` (nginx answers 413 above it). Files land under `root/inbox/<user>/`.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sync.htpasswd import ssha

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

_HTTP = """\
{user}worker_processes {workers};
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 2048; }}
http {{
  log_format lawshelf '$request_method|$uri|$status|$bytes_sent|$body_bytes_sent|$remote_user|$http_range';
  access_log {work}/access.log lawshelf;
  client_body_temp_path {work}/client_body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  types {{ application/json json; application/octet-stream bin; }}
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 10000;
{server}
}}
"""

_SERVER = """\
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location / {{ limit_except GET {{ deny all; }} }}
    location ~ ^/inbox/(?<inbox_user>[^/]+)/ {{
      set $inbox_owner $inbox_user;
      if ($remote_user = "") {{ set $inbox_owner ""; }}
      if ($remote_user != $inbox_owner) {{ return 403; }}
      auth_basic "lawshelf inbox";
      auth_basic_user_file {work}/htpasswd;
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw;
      client_max_body_size {max_body};
      limit_except PUT {{ deny all; }}
    }}
  }}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, work: Path, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            err = (
                (work / "error.log").read_text(errors="replace")
                if (work / "error.log").exists()
                else ""
            )
            raise RuntimeError(f"nginx exited with {proc.returncode}: {err}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError("nginx did not start listening")


@dataclass
class LogEntry:
    method: str
    path: str
    status: int
    bytes_sent: int
    body_bytes: int
    user: str
    range: str


@dataclass
class NginxServer:
    root: Path
    work: Path
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.work / "access.log"

    def log_entries(self) -> list[LogEntry]:
        """Parsed access log (nginx writes it per request, so it is current)."""
        if not self.access_log.exists():
            return []
        out = []
        for line in self.access_log.read_text().splitlines():
            m, p, st, b, bb, u, r = line.split("|", 6)
            out.append(LogEntry(m, p, int(st), int(b), int(bb), "" if u == "-" else u, r))
        return out

    def bytes_sent(self) -> int:
        return sum(e.bytes_sent for e in self.log_entries())

    def clear_log(self) -> None:
        self.access_log.write_text("")  # nginx keeps appending to the same inode

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_nginx(
    root: Path,
    work: Path,
    *,
    users: dict[str, str] | None = None,
    max_body: str = "1m",
    workers: int = 1,
    server: Callable[[int], str] | None = None,
) -> NginxServer:
    """Start nginx serving `root` on a free loopback port; state (logs, temp) under `work`.

    `server(port)` may give another `server { }` block (e.g. the one installer/ ships)."""
    root.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    (work / "htpasswd").write_text("".join(f"{u}:{ssha(p)}\n" for u, p in (users or {}).items()))
    for attempt in range(5):
        port = free_port()
        block = (
            server(port)
            if server
            else _SERVER.format(port=port, root=root.resolve(), work=work, max_body=max_body)
        )
        conf = _HTTP.format(
            user="user root;\n" if os.geteuid() == 0 else "",  # tmp dirs are 0700
            workers=workers,
            work=work,
            server=block,
        )
        (work / "nginx.conf").write_text(conf)
        proc = subprocess.Popen(
            [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_port(port, proc, work)
            return NginxServer(root=root, work=work, port=port, proc=proc)
        except RuntimeError:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@pytest.fixture
def nginx_factory(tmp_path: Path) -> Iterator[Callable[..., NginxServer]]:
    """Factory fixture: `nginx_factory(root=..., users=..., max_body=...)`; stopped at teardown."""
    servers: list[NginxServer] = []

    def make(root: Path | None = None, **kw) -> NginxServer:
        n = len(servers)
        srv = start_nginx(root or tmp_path / f"www{n}", tmp_path / f"nginx{n}", **kw)
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        srv.stop()


# ----------------------------------------------------------------------------- fault proxy


@dataclass
class Fault:
    """One fault rule. `path` is a regex searched in the request path; `times` limits how many
    matching requests it hits (None = all). Kinds:
      cut           close the connection after `at` bytes of THIS response's body
      stall         send `at` body bytes then sleep `seconds` (then continue)
      ignore_range  drop Range/If-Range so nginx answers 200 with the whole file
      etag          rewrite the ETag to `value` (a file "changed" between requests)
      gzip          gzip the body and say Content-Encoding: gzip
      portal        answer 200 text/html captive-portal page, never contact nginx
      endless       answer 200 with an endless body (no Content-Length)
      status        answer status `code` with a short body
      drop_response forward the request to nginx, then close without answering
      length_twice  say Content-Length twice in one header (`245, 245`), as a proxy merging
                    repeated headers does; `value` "differ" makes the two lengths differ
    """

    kind: str
    path: str = ""
    times: int | None = None
    at: int = 0
    seconds: float = 0.0
    value: str = '"changed-etag"'
    code: int = 404
    hits: int = 0


PORTAL = b"<html><head><title>Wi-Fi login</title></head><body>Please log in</body></html>"


@dataclass
class FaultProxy:
    upstream_port: int
    server: ThreadingHTTPServer
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str, dict]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, kind: str, **kw) -> Fault:
        fault = Fault(kind, **kw)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    def pick(self, path: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if re.search(f.path, path) and (f.times is None or f.hits < f.times):
                    f.hits += 1
                    return f
        return None

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    proxy: FaultProxy  # set on the subclass

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle()

    def do_PUT(self) -> None:  # noqa: N802
        self._handle()

    def _handle(self) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        self.proxy.requests.append((self.command, self.path, dict(headers)))
        fault = self.proxy.pick(self.path)
        kind = fault.kind if fault else ""
        body = b""
        if "Content-Length" in self.headers:
            body = self.rfile.read(int(self.headers["Content-Length"]))
        if kind == "portal":
            return self._reply(200, PORTAL, {"Content-Type": "text/html"})
        if kind == "status":
            return self._reply(fault.code, b"fault", {"Content-Type": "text/plain"})
        if kind == "endless":
            return self._endless()
        if kind == "ignore_range":
            headers = {k: v for k, v in headers.items() if k.lower() not in ("range", "if-range")}
        conn = http.client.HTTPConnection("127.0.0.1", self.proxy.upstream_port, timeout=30)
        conn.request(self.command, self.path, body=body or None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        if kind == "drop_response":
            self.close_connection = True
            return
        out = {
            k: v
            for k, v in resp.getheaders()
            if k.lower() not in ("connection", "transfer-encoding")
        }
        if kind == "etag":
            out = {k: (fault.value if k.lower() == "etag" else v) for k, v in out.items()}
        if kind == "gzip":
            data = gzip.compress(data)
            out = {k: v for k, v in out.items() if k.lower() != "content-length"}
            out["Content-Encoding"] = "gzip"
        self._reply(resp.status, data, out, fault)

    def _reply(self, status: int, data: bytes, headers: dict, fault: Fault | None = None) -> None:
        self.send_response(status)
        for k, v in headers.items():
            if k.lower() not in ("content-length", "date", "server"):
                self.send_header(k, v)
        length = str(len(data))
        if fault and fault.kind == "length_twice":
            length = f"{length}, {len(data) + 1 if fault.value == 'differ' else length}"
        self.send_header("Content-Length", length)
        self.end_headers()
        if self.command == "HEAD":
            return
        if fault and fault.kind == "cut":
            self.wfile.write(data[: fault.at])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault and fault.kind == "stall":
            self.wfile.write(data[: fault.at])
            self.wfile.flush()
            time.sleep(fault.seconds)
            data = data[fault.at :]
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"\0" * 65536
        try:
            for _ in range(100_000):  # ~6.5 GB; the client must give up long before
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass


def start_fault_proxy(upstream_port: int) -> FaultProxy:
    """A threaded HTTP proxy on a free loopback port in front of nginx."""
    handler = type("Handler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    proxy = FaultProxy(upstream_port=upstream_port, server=server)
    handler.proxy = proxy
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return proxy


@pytest.fixture
def fault_proxy_factory() -> Iterator[Callable[[NginxServer], FaultProxy]]:
    """Factory fixture: `proxy = fault_proxy_factory(nginx_server); proxy.add("cut", at=1000)`."""
    proxies: list[FaultProxy] = []

    def make(srv: NginxServer) -> FaultProxy:
        proxy = start_fault_proxy(srv.port)
        proxies.append(proxy)
        return proxy

    yield make
    for p in proxies:
        p.stop()
