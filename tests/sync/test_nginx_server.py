"""The shared nginx helper really serves files, ranges, WebDAV PUT with per-user auth and faults."""

from __future__ import annotations

import gzip

import pytest
import requests

pytestmark = pytest.mark.nginx  # real nginx on loopback


def test_static_range_and_etag(nginx_factory, tmp_path):
    srv = nginx_factory(root=tmp_path / "www")
    (srv.root / "blob.bin").write_bytes(bytes(range(256)) * 40)
    r = requests.get(srv.url + "/blob.bin")
    assert r.status_code == 200 and len(r.content) == 10240
    etag = r.headers["ETag"]
    r2 = requests.get(srv.url + "/blob.bin", headers={"Range": "bytes=100-", "If-Range": etag})
    assert r2.status_code == 206 and r2.headers["Content-Range"] == "bytes 100-10239/10240"
    assert r2.content == r.content[100:]
    r3 = requests.get(srv.url + "/blob.bin", headers={"Range": "bytes=100-", "If-Range": '"x"'})
    assert r3.status_code == 200
    assert [e.status for e in srv.log_entries()] == [200, 206, 200]


def test_inbox_put_per_user_auth_and_cap(nginx_factory, tmp_path):
    srv = nginx_factory(root=tmp_path / "www", users={"k1": "pw1", "k2": "pw2"}, max_body="10k")
    url = srv.url + "/inbox/k1/batch.json"
    assert requests.put(url, data=b"{}").status_code == 401
    assert requests.put(url, data=b"{}", auth=("k1", "bad")).status_code == 401
    assert requests.put(url, data=b"{}", auth=("k2", "pw2")).status_code == 403
    assert requests.put(url, data=b"{}", auth=("k1", "pw1")).status_code in (201, 204)
    assert (srv.root / "inbox/k1/batch.json").read_bytes() == b"{}"
    assert requests.put(url, data=b"x" * 20000, auth=("k1", "pw1")).status_code == 413
    assert requests.put(srv.url + "/x.json", data=b"{}").status_code == 403


def test_fault_proxy(nginx_factory, fault_proxy_factory, tmp_path):
    srv = nginx_factory(root=tmp_path / "www")
    (srv.root / "f.bin").write_bytes(b"a" * 5000)
    proxy = fault_proxy_factory(srv)
    proxy.add("cut", path="f.bin", at=1000, times=1)
    with pytest.raises(requests.exceptions.RequestException):
        r = requests.get(proxy.url + "/f.bin", timeout=5)
        assert len(r.content) == 5000  # not reached: the body is short
    assert requests.get(proxy.url + "/f.bin").content == b"a" * 5000
    proxy.add("ignore_range", times=1)
    assert requests.get(proxy.url + "/f.bin", headers={"Range": "bytes=10-"}).status_code == 200
    proxy.add("gzip", times=1)
    r = requests.get(proxy.url + "/f.bin", stream=True)
    assert r.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(r.raw.read()) == b"a" * 5000
    proxy.add("portal", times=1)
    assert b"Wi-Fi" in requests.get(proxy.url + "/f.bin").content
    proxy.add("etag", times=1)
    assert requests.get(proxy.url + "/f.bin").headers["ETag"] == '"changed-etag"'
