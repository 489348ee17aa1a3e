"""run_sync ends with the outbox upload; an upload failure never undoes the applied release."""

from __future__ import annotations

import json

import pytest
from synchelp import FAST, V1, live_titles

from sync.errors import EXIT_UPLOAD
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
