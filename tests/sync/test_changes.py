"""`sync --dry-run`, verify_usb and `status` in words a librarian understands."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from synchelp import FAST, V1, live_titles

from cli.main import cli
from cli.sync import status_lines
from kiosk.admin_ops import plain_sync_result
from offline_index.dates import local_time
from sync import apply as ap
from sync import status
from sync.errors import NetworkError, NotConfigured
from sync.run import run_sync, verify_usb

pytestmark = pytest.mark.nginx  # real nginx on loopback


def _number(publisher, key: str) -> str:
    return json.loads((publisher.src / "documents" / f"{key}.json").read_text())["number"]


@pytest.fixture
def three_ways(kiosk, publisher, nginx_factory):
    """Kiosk on release 1 (a, b, c); release 2 adds d, changes b's title and removes c."""
    srv = nginx_factory(root=publisher.repo)
    run_sync(kiosk, srv.url, policy=FAST)
    numbers = {k: _number(publisher, k) for k in "abc"}
    publisher.publish({"d": "Luật D mới", "b": "Luật B bản 2", "c": None})
    numbers["d"] = _number(publisher, "d")
    return kiosk, publisher, srv, numbers


def test_dry_run_names_documents_by_number_and_title(three_ways):
    home, publisher, srv, n = three_ways
    rep = run_sync(home, srv.url, dry_run=True, policy=FAST)
    c = rep.changes
    assert (c.added, c.changed, c.removed) == (
        ["documents/d.json"],
        ["documents/b.json"],
        ["documents/c.json"],
    )  # the signed paths stay in the report (and in --json)
    labels = {i.change: i.label for i in c.items}
    assert labels == {
        "added": f"{n['d']} — Luật D mới",  # from the verified new blob
        "changed": f"{n['b']} — Luật B bản 2",
        "removed": f"{n['c']} — Luật C bản 1",  # from what the live library was built from
    }
    assert sorted(live_titles(home).values()) == sorted(V1.values())  # nothing applied


def test_cli_dry_run_words_and_json_paths(three_ways):
    home, _publisher, srv, n = three_ways
    runner = CliRunner()
    r = runner.invoke(cli, ["--home", str(home), "sync", "--from", srv.url, "--dry-run"])
    assert r.exit_code == 0, r.output
    assert f"{n['d']} — Luật D mới" in r.output and f"{n['c']} — Luật C bản 1" in r.output
    assert "documents:" in r.output and "documents/" not in r.output
    r = runner.invoke(cli, ["--home", str(home), "sync", "--from", srv.url, "--dry-run", "--json"])
    out = json.loads(r.output)
    assert out["changes"]["removed"] == ["documents/c.json"]
    item = next(i for i in out["changes"]["items"] if i["change"] == "added")
    assert item == {
        "change": "added",
        "kind": "document",
        "path": "documents/d.json",
        "id": "",
        "number": n["d"],
        "title": "Luật D mới",
        "count": 0,
    }


def test_verify_usb_in_plain_vietnamese(three_ways):
    home, publisher, _srv, n = three_ways
    summary = verify_usb(home, publisher.repo)  # a release tree on a stick
    assert summary["added"] == [f"Văn bản: {n['d']} — Luật D mới"]
    assert summary["changed"] == [f"Văn bản: {n['b']} — Luật B bản 2"]
    assert summary["removed"] == [f"Văn bản: {n['c']} — Luật C bản 1"]
    assert summary["paths"]["removed"] == ["documents/c.json"]


def test_removed_title_from_live_library_when_blob_is_gone(three_ways):
    """Blobs of the live release may be missing (damaged disk): the live library names them."""
    home, publisher, srv, n = three_ways
    run_sync(home, srv.url, policy=FAST)  # release 2 live
    doc = json.loads((publisher.src / "documents" / "a.json").read_text())
    doc_id = doc.get("id") or n["a"].lower().replace("/", "-")
    (publisher.src / "documents" / "a.json").rename(publisher.src / "documents" / f"{doc_id}.json")
    publisher.publish()
    run_sync(home, srv.url, policy=FAST)  # release 3: a's file is named after its id
    publisher.publish({"keep": "Luật Giữ"})
    (publisher.src / "documents" / f"{doc_id}.json").unlink()
    publisher.publish()
    for digest, _ in ap.installed_targets(home, 3).values():
        (ap.blob_store(home) / digest).unlink(missing_ok=True)
    rep = run_sync(home, srv.url, dry_run=True, policy=FAST)
    removed = [i for i in rep.changes.items if i.change == "removed"]
    assert [i.label for i in removed] == [f"{n['a']} — Luật A bản 1"]


# ------------------------------------------------------------------------- status


def _fake_systemctl(tmp_path, monkeypatch, stdout: str, code: int = 0) -> None:
    """systemd does not run in tests; a stand-in answers exactly like `systemctl show`."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "systemctl"
    exe.write_text(f"#!/bin/sh\nprintf '%s\\n' '{stdout}'\nexit {code}\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")


def test_next_sync_from_systemd_timer(kiosk, publisher, tmp_path, monkeypatch):
    run_sync(kiosk, publisher.repo)
    _fake_systemctl(tmp_path, monkeypatch, "@1795928400")
    st = status.read_status(status.open_db(kiosk))
    assert st["next_sync"] == "2026-11-29T05:00:00+00:00"
    line = next(x for x in status_lines(st) if x.startswith("Next sync"))
    assert line.endswith(local_time("2026-11-29T05:00:00+00:00"))  # the timer's, as local time


def test_next_sync_null_and_not_scheduled_without_timer(kiosk, publisher, tmp_path, monkeypatch):
    run_sync(kiosk, publisher.repo)
    _fake_systemctl(tmp_path, monkeypatch, "", code=0)  # timer unit absent or inactive
    st = status.read_status(status.open_db(kiosk))
    assert st["next_sync"] is None
    r = CliRunner().invoke(cli, ["--home", str(kiosk), "status"])
    assert "not scheduled" in r.output and "a new release was applied" in r.output
    assert status.parse_timer_value("Sun 2026-11-29 02:00:00 UTC") == "2026-11-29T02:00:00+00:00"
    assert status.parse_timer_value("n/a") is None and status.parse_timer_value("@0") is None


def test_status_error_in_plain_english_and_vietnamese(kiosk):
    with pytest.raises(NetworkError):  # nothing listens on the discard port
        run_sync(kiosk, "http://127.0.0.1:9/", policy=FAST, deadline_s=5)
    st = status.read_status(status.open_db(kiosk))
    assert st["outcome"] == "failed" and st["exit_code"] == 3
    assert "cannot connect to 127.0.0.1:9" in st["error"]
    assert "HTTPConnectionPool" not in st["error"] and "Errno" not in st["error"]
    lines = "\n".join(status_lines(st))
    assert "Không kết nối được máy chủ cập nhật" in lines and "Problem" in lines
    text = plain_sync_result(st)  # the librarian's status screen
    assert (
        "không thành công. Không kết nối được" in text and "cannot connect to 127.0.0.1:9" in text
    )
    st.update(outcome="interrupted", error=status.INTERRUPTED)
    assert "ngắt giữa chừng" in plain_sync_result(st)


def test_missing_source_is_recorded(kiosk):
    with pytest.raises(NotConfigured):
        run_sync(kiosk, None)
    st = status.read_status(status.open_db(kiosk))
    assert st["outcome"] == "failed" and "no sync source" in st["error"]


def test_other_kinds_named_by_title():
    """Publications, Q&A sets, contests, media and notices by title; files by name."""
    from sync.changes import Changes, describe

    new = {
        "publications/so-tay.json": {"id": "so-tay", "title": "Sổ tay cư trú"},
        "qa/giao-thong.json": {"entries": [{"id": "q1", "question": "Vượt đèn đỏ?"}] * 3},
        "contests/thi-2026.json": {"id": "thi-2026", "title": "Tìm hiểu pháp luật 2026"},
        "media/clip.json": {"id": "clip", "type": "video", "title": "Đăng ký kết hôn"},
    }
    old = {"notices/tro-giup.json": {"id": "tro-giup", "type": "legal_aid", "title": "Trợ giúp"}}
    c = Changes(
        added=sorted(new) + ["files/so-tay.pdf"],
        changed=["lawshelf-content.json"],
        removed=list(old),
    )

    def reader(table):
        return lambda p: json.dumps(table[p]).encode() if p in table else None

    describe(c, reader(new), reader(old))
    got = {(i.change, i.kind): i.label for i in c.items}
    assert got == {
        ("added", "publication"): "Sổ tay cư trú",
        ("added", "qa"): "giao-thong (3 câu hỏi)",
        ("added", "contest"): "Tìm hiểu pháp luật 2026",
        ("added", "media"): "Đăng ký kết hôn",
        ("added", "file"): "so-tay.pdf",
        ("removed", "notice"): "Trợ giúp",
    }  # the release manifest is not an item
    assert c.for_librarian()["removed"] == ["Thông báo: Trợ giúp"]


def test_a_library_not_updated_for_a_fortnight_is_called_out_of_date(kiosk, publisher):
    """Laws change every week: after STALE_DAYS without a successful sync the librarian's
    status says so with what to do; a recent sync, or a kiosk that never synced, says nothing."""
    run_sync(kiosk, publisher.repo)
    db = status.open_db(kiosk)
    assert status.read_status(db)["days_stale"] is None
    assert not any(x.startswith("Out of date") for x in status_lines(status.read_status(db)))
    old = datetime.now(UTC) - timedelta(days=status.STALE_DAYS + 6, hours=1)
    status.update(db, last_success=old.isoformat())
    st = status.read_status(db)
    assert st["days_stale"] == status.STALE_DAYS + 6
    line = next(x for x in status_lines(st) if x.startswith("Out of date"))
    assert f"for {status.STALE_DAYS + 6} days" in line and "USB" in line
    assert status.days_stale({"last_success": None}) is None


def test_status_times_are_the_kiosk_s_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A librarian in Hanoi reads the wall clock: stored UTC times are shown in local time,
    with the offset, on the console as on the status screen."""
    import time

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        st = {"last_attempt": "2026-12-07T19:00:03+00:00", "last_success": "2026-12-07T19:00:03"}
        lines = status_lines(st)
        for label in ("Last sync attempt", "Last successful sync"):  # aware, and naive (UTC)
            line = next(x for x in lines if x.startswith(label))
            assert line.endswith("2026-12-08 02:00 (+07)"), line
    finally:
        monkeypatch.undo()
        time.tzset()
