"""SyncJob: one object owns a run's parameters, progress and cancel. A cancelled download or
apply leaves the live library untouched, and the next run resumes from what was fetched."""

from __future__ import annotations

import pytest
from synchelp import FAST, V1, blob_of, live_titles

from offline_index.home import library_root, partial_dir
from sync import status
from sync.errors import EXIT_CANCELLED, Cancelled
from sync.run import SyncJob, run_sync

BIG = "z" * 1_500_000


def _cancel_when(job: SyncJob, step: str):
    """A progress callback that cancels the job at the first report of `step`."""

    def progress(what: str, done: int, total: int) -> None:
        if what == step and (what != "download" or done > 0):
            job.cancel()

    return progress


def _gens(home):
    return sorted(p.name for p in library_root(home).glob("gen-*"))


@pytest.mark.nginx
def test_cancel_mid_download_keeps_live_library_and_resumes(kiosk, publisher, nginx_factory):
    srv = nginx_factory(root=publisher.repo)
    run_sync(kiosk, srv.url, policy=FAST)
    publisher.publish({"big": BIG})
    job = SyncJob(kiosk, srv.url, policy=FAST)
    job.progress = _cancel_when(job, "download")
    with pytest.raises(Cancelled) as err:
        job.run()
    assert err.value.exit_code == EXIT_CANCELLED
    assert sorted(live_titles(kiosk).values()) == sorted(V1.values())
    part = partial_dir(kiosk) / f"{blob_of(publisher, 'big')}.part"
    kept = part.stat().st_size
    assert 0 < kept < len(BIG)
    st = status.read_status(status.open_db(kiosk), kiosk)
    assert st["outcome"] == "cancelled" and st["exit_code"] == EXIT_CANCELLED
    srv.clear_log()
    rep = run_sync(kiosk, srv.url, policy=FAST)
    assert rep.outcome == "applied" and BIG in live_titles(kiosk).values()
    ranges = [e.range for e in srv.log_entries() if blob_of(publisher, "big") in e.path]
    assert ranges == [f"bytes={kept}-"]  # resumed, not fetched again


def test_cancel_mid_apply_keeps_live_library_and_next_run_applies(kiosk, publisher):
    run_sync(kiosk, publisher.repo)
    before = _gens(kiosk)
    publisher.publish({"b": "Luật B bản 2"})
    job = SyncJob(kiosk, publisher.repo)
    job.progress = _cancel_when(job, "build")
    with pytest.raises(Cancelled):
        job.run()
    assert sorted(live_titles(kiosk).values()) == sorted(V1.values())
    assert _gens(kiosk) == before  # the generation built meanwhile is gone
    rep = run_sync(kiosk, publisher.repo)
    assert rep.outcome == "applied" and rep.blobs_fetched == 0  # kept from the cancelled run
    assert "Luật B bản 2" in live_titles(kiosk).values()


def test_cancel_usb_copy(kiosk, publisher):
    """A stick import copies blobs locally; a cancel stops the copy and keeps nothing half."""
    run_sync(kiosk, publisher.repo)
    publisher.publish({"big": BIG})
    job = SyncJob(kiosk, publisher.repo, upload=False)
    job.progress = _cancel_when(job, "download")
    with pytest.raises(Cancelled):
        job.run()
    assert not list(partial_dir(kiosk).glob("*.part"))
    assert BIG not in live_titles(kiosk).values()
    assert run_sync(kiosk, publisher.repo, upload=False).outcome == "applied"


def test_cancel_before_run_changes_nothing(kiosk, publisher):
    job = SyncJob(kiosk, publisher.repo)
    job.cancel()
    with pytest.raises(Cancelled):
        job.run()
    assert not _gens(kiosk)
