"""run_sync ends with the outbox upload; an upload failure never undoes the applied release."""

from __future__ import annotations

import json
import shutil

import pytest
from synchelp import FAST, V1, blob_of, live_titles

from sync.errors import EXIT_UPLOAD, VerificationError
from sync.run import run_sync

pytestmark = pytest.mark.nginx  # real nginx on loopback

enroll = pytest.importorskip("sync.enroll")


def test_sync_uploads_heartbeat_to_inbox(kiosk, publisher, nginx_factory):
    ident = enroll.enroll(kiosk)
    srv = nginx_factory(root=publisher.repo, users={ident.kiosk_id: ident.upload_password})
    rep = run_sync(kiosk, srv.url, policy=FAST)
    assert rep.outcome == "applied" and rep.exit_code == 0, rep.upload
    batches = list((publisher.repo / "inbox" / ident.kiosk_id).glob("*.json"))
    assert len(batches) == 1
    assert "heartbeat" in batches[0].read_text()


def test_upload_failure_keeps_applied_release(kiosk, publisher, nginx_factory):
    enroll.enroll(kiosk)
    srv = nginx_factory(root=publisher.repo, users={"someone-else": "pw"})
    rep = run_sync(kiosk, srv.url, policy=FAST)
    assert rep.outcome == "applied" and rep.exit_code == EXIT_UPLOAD
    assert rep.upload["error"]
    assert sorted(live_titles(kiosk).values()) == sorted(V1.values())
    json.dumps(rep.to_dict())


def test_sync_says_what_it_uploaded_and_outbox_upload_uses_sync_source(
    kiosk, publisher, nginx_factory
):
    from click.testing import CliRunner

    from cli.main import cli

    ident = enroll.enroll(kiosk)
    srv = nginx_factory(root=publisher.repo, users={ident.kiosk_id: ident.upload_password})
    run = CliRunner().invoke
    r = run(cli, ["sync", "--from", srv.url])
    assert r.exit_code == 0 and "outbox: sent 1 records in 1 batches; 0 pending" in r.output
    r = run(cli, ["outbox", "upload"])  # no --to and no sync_source yet
    assert r.exit_code == 2 and "sync_source" in r.output
    assert run(cli, ["settings", "set", "sync_source", srv.url]).exit_code == 0
    from kiosk.state import open_state
    from sync import outbox

    outbox.append_usage_daily(open_state(kiosk), "2026-11-27", {"search": 3})
    r = run(cli, ["outbox", "upload"])
    assert r.exit_code == 0 and "sent 1 records" in r.output, r.output
    assert len(list((publisher.repo / "inbox" / ident.kiosk_id).glob("*.json"))) == 2


def test_a_refused_sync_still_reports_its_error_to_the_centre(kiosk, publisher, nginx_factory):
    """The fleet view must show a kiosk that fails verification, not just a silent one."""
    ident = enroll.enroll(kiosk)
    srv = nginx_factory(root=publisher.repo, users={ident.kiosk_id: ident.upload_password})
    run_sync(kiosk, srv.url, policy=FAST)
    publisher.publish({"a": "Luật A bản 2"})
    blob = publisher.repo / "blobs" / blob_of(publisher, "a")
    blob.write_bytes(blob.read_bytes().replace("bản 2".encode(), "bản 9".encode()))
    with pytest.raises(VerificationError, match="signed hash"):
        run_sync(kiosk, srv.url, policy=FAST)
    records = [
        rec
        for batch in (publisher.repo / "inbox" / ident.kiosk_id).glob("*.json")
        for rec in json.loads(batch.read_text())["signed"]["records"]
    ]
    last = max(records, key=lambda rec: rec["seq"])
    assert last["kind"] == "heartbeat" and last["payload"]["sync"]["exit_code"] == 4
    assert "signed hash" in last["payload"]["sync"]["error"]


def test_a_dry_run_or_a_folder_without_a_release_sends_nothing(kiosk, publisher, tmp_path):
    """`sync --dry-run` applies nothing and sends nothing, even when it fails; and a folder
    holding no release (a stick with photos, a mount point with no stick) is no stick of
    ours: the residents' records once went there, marked sent."""
    from kiosk.state import open_state
    from sync import outbox
    from sync.errors import NoReleaseOnStick

    enroll.enroll(kiosk)
    db = open_state(kiosk)
    outbox.append_usage_daily(db, "2026-11-27", {"search": 3})
    waiting = outbox.pending_count(db)
    photos = tmp_path / "stick"
    (photos / "photos").mkdir(parents=True)
    for dry_run in (True, False):
        with pytest.raises(NoReleaseOnStick):
            run_sync(kiosk, photos, dry_run=dry_run)
    tampered = tmp_path / "tampered"
    shutil.copytree(publisher.repo, tampered)
    blob = tampered / "blobs" / blob_of(publisher, "a")
    blob.write_bytes(blob.read_bytes() + b"!")
    with pytest.raises(VerificationError):
        run_sync(kiosk, tampered, dry_run=True)
    assert not (photos / "inbox").exists() and not (tampered / "inbox").exists()
    assert outbox.pending_count(db) >= waiting  # (a heartbeat may have joined them)
