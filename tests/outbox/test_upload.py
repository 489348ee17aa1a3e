"""upload_pending against a real nginx (WebDAV PUT, per-kiosk basic auth, body cap)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from sync import inbox, outbox

from .conftest import Kiosk, upload_records


def _questions(k: Kiosk, n: int, size: int = 20) -> list[str]:
    ids = []
    for i in range(n):
        with k.db.atomic():
            ids.append(
                outbox.append(
                    k.db,
                    "question",
                    {"text": f"câu hỏi {i} " + "x" * size},
                    personal={"contact": f"09000000{i:02d}"},
                )
            )
    return ids


def _deadline(seconds: float = 30) -> float:
    return time.monotonic() + seconds


def _files(root: Path) -> list[Path]:
    return sorted((root / "inbox").rglob("*.json"))


def test_upload_then_collect(kiosk: Kiosk, central, nginx_factory) -> None:
    srv = nginx_factory(users=kiosk.users)
    ids = _questions(kiosk, 3)
    outbox.append_usage_daily(kiosk.db, "2026-11-27", {"search": 4})
    rep = upload_records(kiosk.home, kiosk.db, base_url=srv.url, deadline=_deadline())
    assert rep.ok and rep.records_sent == 4 and rep.batches_sent == 1 and rep.pending == 0
    files = _files(srv.root)
    assert [f.parent.name for f in files] == ["kiosk-a"]
    # Sent records stay; their sealed personal copies are gone from the kiosk.
    rows = kiosk.db.execute("SELECT sent_at, sealed FROM outbox").fetchall()
    assert len(rows) == 4 and all(r[0] and r[1] is None for r in rows)
    col = inbox.collect(srv.root, central)
    assert col.records_loaded == 4 and not col.refused
    assert {r[0] for r in central.db.execute("SELECT uuid FROM questions")} == set(ids)
    assert central.db.execute("SELECT counts FROM usage_daily").fetchone()[0] == '{"search": 4}'
    assert not _files(srv.root)  # collected batch files leave the web server's folder
    again = upload_records(kiosk.home, kiosk.db, base_url=srv.url, deadline=_deadline())
    assert again.batches_sent == 0 and not _files(srv.root)


def test_lost_response_gives_exactly_one_record(
    kiosk: Kiosk, central, nginx_factory, fault_proxy_factory
) -> None:
    srv = nginx_factory(users=kiosk.users)
    proxy = fault_proxy_factory(srv)
    proxy.add("drop_response", path=r"^/inbox/", times=2)  # first attempt and its retry
    ids = _questions(kiosk, 2)
    rep = upload_records(
        kiosk.home, kiosk.db, base_url=proxy.url, deadline=_deadline(), retries=1, backoff=0.01
    )
    assert not rep.ok and rep.pending == 2  # never confirmed: not marked sent
    assert len(_files(srv.root)) == 1  # ... though the server stored it
    batch = kiosk.db.execute("SELECT batch_id, attempts FROM outbox_batches").fetchone()
    assert batch[1] == 1
    first_bytes = _files(srv.root)[0].read_bytes()
    rep2 = upload_records(kiosk.home, kiosk.db, base_url=proxy.url, deadline=_deadline())
    assert rep2.ok and rep2.records_sent == 2
    files = _files(srv.root)
    assert [f.stem for f in files] == [batch[0]]  # the same batch uuid, overwritten
    assert files[0].read_bytes() == first_bytes  # byte-identical retry
    puts = [r for r in proxy.requests if r[0] == "PUT"]
    assert len(puts) == 3 and len({p[1] for p in puts}) == 1
    col = inbox.collect(srv.root, central)
    assert col.records_loaded == 2
    assert sorted(r[0] for r in central.db.execute("SELECT uuid FROM questions")) == sorted(ids)


def test_wrong_password_is_refused_and_nothing_lost(kiosk: Kiosk, nginx_factory) -> None:
    srv = nginx_factory(users={"kiosk-a": "another-password"})
    _questions(kiosk, 1)
    rep = upload_records(kiosk.home, kiosk.db, base_url=srv.url, deadline=_deadline())
    assert "credentials" in rep.error and "401" in rep.error
    assert rep.pending == 1 and not _files(srv.root)
    assert outbox.status(kiosk.db)["last_error"] == rep.error


def test_other_kiosks_folder_is_forbidden(kiosk: Kiosk, nginx_factory) -> None:
    srv = nginx_factory(users={**kiosk.users, "kiosk-b": "b-password"})
    _questions(kiosk, 1)
    rep = upload_records(
        kiosk.home, kiosk.db, base_url=srv.url, auth=("kiosk-b", "b-password"), deadline=_deadline()
    )
    assert "403" in rep.error and rep.pending == 1 and not _files(srv.root)


def test_body_cap_splits_batches(kiosk: Kiosk, central, nginx_factory) -> None:
    srv = nginx_factory(users=kiosk.users, max_body="8k")
    ids = _questions(kiosk, 12, size=1500)  # ~24 KB in all
    rep = upload_records(kiosk.home, kiosk.db, base_url=srv.url, deadline=_deadline())
    assert rep.ok and rep.records_sent == 12 and rep.batches_sent >= 3
    assert all(f.stat().st_size <= 8192 for f in _files(srv.root))
    assert any(e.status == 413 for e in srv.log_entries())
    assert inbox.collect(srv.root, central).records_loaded == len(ids)


def test_single_record_over_the_cap_is_reported(kiosk: Kiosk, nginx_factory) -> None:
    srv = nginx_factory(users=kiosk.users, max_body="2k")
    _questions(kiosk, 1, size=4000)
    rep = upload_records(kiosk.home, kiosk.db, base_url=srv.url, deadline=_deadline())
    assert "too large" in rep.error and rep.pending == 1


def test_deadline_passed_keeps_everything(kiosk: Kiosk, nginx_factory) -> None:
    srv = nginx_factory(users=kiosk.users)
    _questions(kiosk, 2)
    rep = upload_records(kiosk.home, kiosk.db, base_url=srv.url, deadline=time.monotonic() - 1)
    assert "deadline" in rep.error and rep.pending == 2 and not _files(srv.root)


def test_server_down_then_up(kiosk: Kiosk, central, nginx_factory) -> None:
    srv = nginx_factory(users=kiosk.users)
    srv.stop()
    _questions(kiosk, 1)
    rep = upload_records(
        kiosk.home, kiosk.db, base_url=srv.url, deadline=_deadline(), retries=1, backoff=0.01
    )
    assert "failed" in rep.error and rep.pending == 1
    srv2 = nginx_factory(root=srv.root, users=kiosk.users)
    assert upload_records(kiosk.home, kiosk.db, base_url=srv2.url, deadline=_deadline()).ok
    assert inbox.collect(srv2.root, central).records_loaded == 1


def test_folder_target_for_usb(kiosk: Kiosk, central, tmp_path) -> None:
    _questions(kiosk, 2)
    stick = tmp_path / "usb"
    stick.mkdir()
    rep = upload_records(kiosk.home, kiosk.db, base_url=str(stick), deadline=_deadline())
    assert rep.ok and rep.records_sent == 2
    doc = json.loads(_files(stick)[0].read_bytes())
    assert doc["signed"]["kiosk_id"] == "kiosk-a"
    assert inbox.collect(stick, central).records_loaded == 2


def test_server_error_is_retried_within_the_run(
    kiosk: Kiosk, central, nginx_factory, fault_proxy_factory
) -> None:
    srv = nginx_factory(users=kiosk.users)
    proxy = fault_proxy_factory(srv)
    proxy.add("status", path=r"^/inbox/", times=2, code=503)
    _questions(kiosk, 2)
    rep = upload_records(
        kiosk.home, kiosk.db, base_url=proxy.url, deadline=_deadline(), backoff=0.01
    )
    assert rep.ok and rep.records_sent == 2
    puts = [r[1] for r in proxy.requests if r[0] == "PUT"]
    assert len(puts) == 3 and len(set(puts)) == 1  # two 503s, then the same batch stored
    assert inbox.collect(srv.root, central).records_loaded == 2


def test_captive_portal_200_is_not_a_confirmation(
    kiosk: Kiosk, central, nginx_factory, fault_proxy_factory
) -> None:
    """A portal answering 200 + HTML to every request must not mark records as sent."""
    srv = nginx_factory(users=kiosk.users)
    proxy = fault_proxy_factory(srv)
    proxy.add("portal", path=r"^/inbox/")
    _questions(kiosk, 1)
    rep = upload_records(
        kiosk.home, kiosk.db, base_url=proxy.url, deadline=_deadline(), retries=1, backoff=0.01
    )
    assert "captive portal" in rep.error and rep.pending == 1 and not _files(srv.root)
    assert kiosk.db.execute("SELECT sealed FROM outbox").fetchone()[0]  # sealed copy kept
    proxy.clear()
    assert upload_records(kiosk.home, kiosk.db, base_url=proxy.url, deadline=_deadline()).ok
    assert inbox.collect(srv.root, central).records_loaded == 1


def test_unwritable_folder_target_is_reported(kiosk: Kiosk, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the stick's folder should be")
    _questions(kiosk, 1)
    rep = upload_records(kiosk.home, kiosk.db, base_url=str(blocker), deadline=_deadline())
    assert f"no folder {blocker}" in rep.error and rep.pending == 1


def test_a_folder_that_is_not_there_gets_nothing(kiosk: Kiosk, tmp_path, monkeypatch) -> None:
    """A stick not plugged in (its mount point gone), a typo, or `ftp://…` read as a
    folder: the records were written onto the kiosk's own disk, marked sent, and never
    reached the centre. Now the run says so and every record waits for the next one."""
    _questions(kiosk, 2)
    monkeypatch.chdir(tmp_path)
    for target in (str(tmp_path / "media" / "usb"), "ftp://example.org/lawshelf"):
        rep = upload_records(kiosk.home, kiosk.db, base_url=target, deadline=_deadline())
        assert rep.records_sent == 0 and rep.pending == 2, target
        assert "nothing sent" in rep.error or "only http(s) addresses" in rep.error
    assert not (tmp_path / "media").exists() and not (tmp_path / "ftp:").exists()  # none made
    stick = tmp_path / "media" / "usb"
    stick.mkdir(parents=True)  # plugged in: the same batch goes out
    rep = upload_records(kiosk.home, kiosk.db, base_url=str(stick), deadline=_deadline())
    assert rep.ok and rep.records_sent == 2 and rep.pending == 0
