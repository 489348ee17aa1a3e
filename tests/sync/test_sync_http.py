"""Publish -> real nginx -> kiosk sync: incremental, resumable, status, lock, dry run."""

from __future__ import annotations

import random

import pytest
from synchelp import FAST, V1, blob_of, live_titles

from sync import apply as ap
from sync import status
from sync.errors import BusyError, NetworkError, NotConfigured
from sync.lock import SyncLock
from sync.run import run_sync

pytestmark = pytest.mark.nginx  # real nginx on loopback


def test_first_sync_then_noop_then_one_change(kiosk, publisher, nginx_factory):
    srv = nginx_factory(root=publisher.repo)
    rep = run_sync(kiosk, srv.url, policy=FAST)
    assert rep.outcome == "applied" and rep.version == 1
    assert sorted(live_titles(kiosk).values()) == sorted(V1.values())
    assert len(rep.changes.added) == 4  # 3 documents + the manifest

    srv.clear_log()
    noop = run_sync(kiosk, srv.url, policy=FAST)
    assert noop.outcome == "up_to_date"
    assert srv.bytes_sent() < 5000, srv.log_entries()
    assert noop.bytes < 5000

    publisher.publish({"b": "Luật B bản 2"})
    srv.clear_log()
    dry = run_sync(kiosk, srv.url, dry_run=True, policy=FAST)
    assert dry.changes.changed == ["documents/b.json"]
    assert dry.changes.added == dry.changes.removed == []
    assert "Luật B bản 1" in live_titles(kiosk).values()  # dry run applied nothing

    rep2 = run_sync(kiosk, srv.url, policy=FAST)
    # the dry run already fetched and verified b's blob (to read its title): not fetched again
    assert rep2.outcome == "applied" and rep2.version == 2 and rep2.blobs_fetched == 0
    blob_gets = [e for e in srv.log_entries() if e.path.startswith("/blobs/")]
    assert len(blob_gets) == 1
    assert "Luật B bản 2" in live_titles(kiosk).values()
    st = status.read_status(status.open_db(kiosk))
    assert st["version"] == 2 and st["error"] is None and st["last_success"]
    assert st["time_floor"] is not None


def test_removed_document_and_gc(kiosk, publisher, nginx_factory):
    srv = nginx_factory(root=publisher.repo)
    run_sync(kiosk, srv.url, policy=FAST)
    publisher.publish({"c": None})
    rep = run_sync(kiosk, srv.url, policy=FAST)
    assert rep.changes.removed == ["documents/c.json"]
    assert "Luật C bản 1" not in live_titles(kiosk).values()
    publisher.publish({"a": "Luật A bản 3"})
    run_sync(kiosk, srv.url, policy=FAST)
    # releases kept: only those of the live and previous generation
    assert sorted(p.name for p in ap.releases_dir(kiosk).iterdir()) == ["2", "3"]


def test_resume_after_cut_and_restart(kiosk, publisher, nginx_factory, fault_proxy_factory):
    big = "x" * 300_000
    publisher.publish({"big": big})
    srv = nginx_factory(root=publisher.repo)
    proxy = fault_proxy_factory(srv)
    proxy.add("cut", path=blob_of(publisher, "big"), at=100_000, times=1)
    one_try = type(FAST)(attempts=1, backoff_s=0.01, read_timeout=2.0)
    with pytest.raises(NetworkError, match="progress kept"):
        run_sync(kiosk, proxy.url, policy=one_try)
    parts = list(ap.partial_dir(kiosk).glob("*.part"))
    assert parts and parts[0].stat().st_size == 100_000  # survives the "restart"
    rep = run_sync(kiosk, proxy.url, policy=FAST)
    assert rep.outcome == "applied"
    ranges = [h.get("Range") for m, p, h in proxy.requests if p.startswith("/blobs/")]
    assert "bytes=100000-" in ranges
    assert big in live_titles(kiosk).values()
    st = status.read_status(status.open_db(kiosk))
    assert st["error"] is None and st["outcome"] == "applied"


def test_five_random_cuts_cost_little(kiosk, publisher, nginx_factory, fault_proxy_factory):
    size = 400_000
    publisher.publish({"big": "y" * size})
    srv = nginx_factory(root=publisher.repo)
    proxy = fault_proxy_factory(srv)
    seed = random.randrange(1 << 30)
    points = sorted(random.Random(seed).sample(range(1, size), 5))
    for prev, at in zip([0, *points], points, strict=False):  # `at` counts this response's body
        proxy.add("cut", path=blob_of(publisher, "big"), at=at - prev, times=1)
    policy = type(FAST)(attempts=8, backoff_s=0.01, backoff_max_s=0.02)
    rep = run_sync(kiosk, proxy.url, policy=policy)
    assert sum(f.hits for f in proxy.faults) == 5, seed
    release_size = sum(p.stat().st_size for p in publisher.src.rglob("*.json"))
    assert rep.blob_bytes <= 1.05 * release_size, seed
    ranges = [h.get("Range") for _, p, h in proxy.requests if blob_of(publisher, "big") in p]
    assert ranges == [None] + [f"bytes={p}-" for p in points], seed


def test_failed_run_records_plain_error_and_keeps_library(kiosk, publisher, nginx_factory):
    srv = nginx_factory(root=publisher.repo)
    run_sync(kiosk, srv.url, policy=FAST)
    before = live_titles(kiosk)
    srv.stop()
    with pytest.raises(NetworkError) as err:
        run_sync(kiosk, srv.url, policy=FAST)
    assert err.value.exit_code == 3
    st = status.read_status(status.open_db(kiosk))
    assert st["outcome"] == "failed" and "cannot" in st["error"] and st["version"] == 1
    assert live_titles(kiosk) == before


def test_lock_prevents_two_syncs(kiosk, publisher):
    with SyncLock(kiosk), pytest.raises(BusyError) as err:
        run_sync(kiosk, str(publisher.repo))
    assert err.value.exit_code == 6


def test_not_configured(home, publisher):
    with pytest.raises(NotConfigured, match="trusted root"):
        run_sync(home, str(publisher.repo))
    with pytest.raises(NotConfigured):
        run_sync(home, "")
