"""Network and machine faults: each ends in a clear message and an untouched live library,
or in a correct resumed sync."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from synchelp import FAST, V1, blob_of, live_titles

from sync import apply as ap
from sync import release, status
from sync.errors import ApplyError, ExpiredError, NetworkError, VerificationError
from sync.run import run_sync
from sync.transfer import TransferPolicy

pytestmark = pytest.mark.nginx  # real nginx on loopback

BIG = "z" * 200_000
ONE_TRY = TransferPolicy(attempts=1, backoff_s=0.01, read_timeout=2.0)


@pytest.fixture
def synced(kiosk, publisher, nginx_factory, fault_proxy_factory):
    """Kiosk on release 1 through a fault proxy; release 2 adds a 200 KB document."""
    srv = nginx_factory(root=publisher.repo)
    proxy = fault_proxy_factory(srv)
    run_sync(kiosk, proxy.url, policy=FAST)
    publisher.publish({"big": BIG})
    return kiosk, publisher, srv, proxy


def _blob_requests(proxy, digest):
    return [(h.get("Range"), h.get("If-Range")) for m, p, h in proxy.requests if digest in p]


def test_server_ignoring_range_restarts_from_zero(synced):
    home, pub, srv, proxy = synced
    digest = blob_of(pub, "big")
    proxy.add("cut", path=digest, at=50_000, times=1)
    with pytest.raises(NetworkError):
        run_sync(home, proxy.url, policy=ONE_TRY)
    proxy.add("ignore_range", path=digest, times=1)
    srv.clear_log()
    rep = run_sync(home, proxy.url, policy=FAST)
    assert rep.outcome == "applied" and BIG in live_titles(home).values()
    statuses = [e.status for e in srv.log_entries() if digest in e.path]
    assert statuses == [200]  # Range was dropped: the client took the 200 and started over
    assert rep.blob_bytes >= len(BIG)


def test_changed_etag_restarts(synced):
    home, pub, srv, proxy = synced
    digest = blob_of(pub, "big")
    proxy.add("cut", path=digest, at=50_000, times=1)
    with pytest.raises(NetworkError):
        run_sync(home, proxy.url, policy=ONE_TRY)
    proxy.add("etag", path=digest, times=1)
    rep = run_sync(home, proxy.url, policy=FAST)
    assert rep.outcome == "applied" and BIG in live_titles(home).values()
    ranges = [r for r, _ in _blob_requests(proxy, digest)]
    assert ranges == [None, "bytes=50000-", None]  # the changed ETag forced a fresh start


def test_gzip_is_refused_then_identity_works(synced):
    home, pub, srv, proxy = synced
    digest = blob_of(pub, "big")
    proxy.add("gzip", path=digest)
    before = live_titles(home)
    with pytest.raises(NetworkError, match="identity"):
        run_sync(home, proxy.url, policy=FAST)
    assert live_titles(home) == before
    proxy.clear()
    assert run_sync(home, proxy.url, policy=FAST).outcome == "applied"


def test_a_length_said_twice_is_read_once_and_lengths_that_differ_are_retried(synced):
    """`Content-Length: 245, 245` (a proxy merging repeated headers) crashed the run as a
    bug (exit 1); lengths that differ are a server to retry later (exit 3)."""
    home, pub, _srv, proxy = synced
    digest = blob_of(pub, "big")
    proxy.add("length_twice", path=digest, value="differ")
    with pytest.raises(NetworkError):
        run_sync(home, proxy.url, policy=ONE_TRY)
    proxy.clear()
    proxy.add("length_twice", path=digest)
    rep = run_sync(home, proxy.url, policy=FAST)
    assert rep.outcome == "applied" and BIG in live_titles(home).values()


def test_stall_times_out_and_retries(synced):
    home, pub, srv, proxy = synced
    proxy.add("stall", path=blob_of(pub, "big"), at=1000, seconds=3, times=1)
    policy = TransferPolicy(attempts=3, backoff_s=0.01, read_timeout=0.5)
    rep = run_sync(home, proxy.url, policy=policy)
    assert rep.outcome == "applied"


def test_deadline_for_whole_run(synced):
    home, pub, srv, proxy = synced
    proxy.add("stall", path=blob_of(pub, "big"), at=1000, seconds=3)
    policy = TransferPolicy(attempts=50, backoff_s=0.2, read_timeout=0.5)
    with pytest.raises(NetworkError, match="deadline|could not download"):
        run_sync(home, proxy.url, policy=policy, deadline_s=1.5)
    assert "Luật A bản 1" in live_titles(home).values()


def test_blob_404_during_publish(synced):
    home, pub, srv, proxy = synced
    blob = pub.repo / "blobs" / blob_of(pub, "big")
    hidden = blob.with_name("hidden")
    blob.rename(hidden)  # metadata already visible, blob not yet uploaded (e.g. rsync order)
    with pytest.raises(NetworkError, match="publish may be in progress"):
        run_sync(home, proxy.url, policy=FAST)
    assert BIG not in live_titles(home).values()
    hidden.rename(blob)
    assert run_sync(home, proxy.url, policy=FAST).outcome == "applied"


def test_captive_portal_html(synced):
    home, pub, srv, proxy = synced
    before = live_titles(home)
    proxy.add("portal")
    with pytest.raises(NetworkError, match="captive portal") as err:
        run_sync(home, proxy.url, policy=FAST)
    assert err.value.exit_code == 3 and live_titles(home) == before
    st = status.read_status(status.open_db(home))
    assert "captive portal" in st["error"] and st["version"] == 1


def test_captive_portal_on_blob_only(synced):
    home, pub, srv, proxy = synced
    proxy.add("portal", path="/blobs/")
    with pytest.raises(NetworkError, match="captive portal"):
        run_sync(home, proxy.url, policy=FAST)
    assert BIG not in live_titles(home).values()


def test_endless_body_blob_and_metadata(synced):
    home, pub, srv, proxy = synced
    proxy.add("endless", path=blob_of(pub, "big"), times=1)
    with pytest.raises(VerificationError, match="more than the signed size"):
        run_sync(home, proxy.url, policy=FAST)
    proxy.clear()
    proxy.add("endless", path="timestamp.json", times=1)
    with pytest.raises(VerificationError, match="longer than allowed"):
        run_sync(home, proxy.url, policy=FAST)
    assert BIG not in live_titles(home).values()


def test_clock_years_back_uses_time_floor(synced):
    home, pub, srv, proxy = synced
    rep = run_sync(home, proxy.url, policy=FAST, now=datetime(2019, 5, 1, tzinfo=UTC))
    assert rep.outcome == "applied"
    assert any("the clock says 2019-05-01" in w for w in rep.warnings)


def test_clock_back_cannot_revive_expired_metadata(synced):
    home, pub, srv, proxy = synced
    run_sync(home, proxy.url, policy=FAST)
    floor = status.time_floor(status.open_db(home))
    stale = floor - timedelta(days=5)  # a timestamp that expired 3 days before the floor
    release.publish_online(pub.repo, pub.keys, now=stale)
    with pytest.raises(ExpiredError, match="clock says 2019") as err:
        run_sync(home, proxy.url, policy=FAST, now=datetime(2019, 5, 1, tzinfo=UTC))
    assert err.value.exit_code == 5
    assert f"signed data this kiosk trusts is from {floor:%Y-%m-%d}" in err.value.message


def test_clock_years_ahead_says_so(synced):
    home, pub, srv, proxy = synced
    with pytest.raises(ExpiredError, match="far ahead"):
        run_sync(home, proxy.url, policy=FAST, now=datetime.now(UTC) + timedelta(days=3 * 365))
    assert "Luật A bản 1" in live_titles(home).values()


def test_expired_release_refused(kiosk, publisher, nginx_factory):
    release.publish_online(publisher.repo, publisher.keys, now=datetime.now(UTC) - timedelta(10))
    srv = nginx_factory(root=publisher.repo)
    with pytest.raises(ExpiredError, match="expired"):
        run_sync(kiosk, srv.url, policy=FAST)


def _synced_on_tiny_disk(tiny_disk, publisher, nginx_factory, monkeypatch):
    """A kiosk home on a small filesystem, trusting the publisher, with release v1 applied."""
    from sync.verify import install_trusted_root

    home = tiny_disk / "home"
    home.mkdir()
    monkeypatch.setenv("LAWSHELF_HOME", str(home))
    install_trusted_root(home, publisher.root_v1)
    srv = nginx_factory(root=publisher.repo)
    run_sync(home, srv.url, policy=FAST)
    return home, srv


def test_full_disk(tiny_disk, publisher, nginx_factory, monkeypatch):
    home, srv = _synced_on_tiny_disk(tiny_disk, publisher, nginx_factory, monkeypatch)
    assert sorted(live_titles(home).values()) == sorted(V1.values())
    publisher.publish({"huge": "h" * 3_000_000})
    with pytest.raises(ApplyError, match="disk is full") as err:
        run_sync(home, srv.url, policy=FAST)
    assert err.value.exit_code == 7
    assert sorted(live_titles(home).values()) == sorted(V1.values())
    assert not list(ap.partial_dir(home).glob("*.part"))
    st = status.read_status(status.open_db(home))
    assert "disk is full" in st["error"]


def test_too_big_for_disk_refused_before_download(tiny_disk, publisher, nginx_factory, monkeypatch):
    """The space check runs before any blob is fetched: the disk is never filled to the brim."""
    home, srv = _synced_on_tiny_disk(tiny_disk, publisher, nginx_factory, monkeypatch)
    publisher.publish({"huge": "h" * 3_000_000})
    srv.clear_log()
    with pytest.raises(ApplyError, match=r"it needs [6-9]\.\d MB"):
        run_sync(home, srv.url, policy=FAST)
    assert not [e for e in srv.log_entries() if e.path.startswith("/blobs/")]
    assert "Free some space" in status.read_status(status.open_db(home))["error"]
