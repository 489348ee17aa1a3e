"""The daily heartbeat rides along with each upload and carries the live content version."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime

from offline_index import generations
from sync import inbox, upload

from .conftest import Kiosk


def _fake_live_generation(home, version: str) -> None:
    """Only the manifest fields the heartbeat reads; the library itself is not needed."""
    gen = home / "library" / f"gen-{version}"
    gen.mkdir(parents=True)
    manifest = {
        "format": generations.MANIFEST_FORMAT,
        "release_version": version,
        "content_date": "2026-11-20",
    }
    (gen / generations.MANIFEST).write_text(json.dumps(manifest))
    link = home / "library" / generations.CURRENT
    if link.is_symlink():
        link.unlink()
    os.symlink(gen.name, link)


def test_heartbeat_once_a_day_with_content_version(kiosk: Kiosk, central, tmp_path) -> None:
    _fake_live_generation(kiosk.home, "41")
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    for _ in range(2):
        rep = upload.upload_pending(
            kiosk.home, kiosk.db, base_url=str(stick), deadline=time.monotonic() + 30
        )
        assert rep.ok
    assert rep.records_sent == 0  # the second run found today's heartbeat already queued
    _fake_live_generation(kiosk.home, "42")  # a sync applied a new release the same day
    upload.upload_pending(kiosk.home, kiosk.db, base_url=str(stick), deadline=time.monotonic() + 30)
    inbox.collect(stick, central)
    rows = central.db.execute(
        "SELECT day, content_version FROM heartbeats ORDER BY content_version"
    )
    today = str(datetime.now(UTC).date())
    assert rows.fetchall() == [(today, "41"), (today, "42")]


def test_no_library_still_beats(kiosk: Kiosk, central, tmp_path) -> None:
    (tmp_path / "usb").mkdir()
    rep = upload.upload_pending(
        kiosk.home, kiosk.db, base_url=str(tmp_path / "usb"), deadline=time.monotonic() + 30
    )
    assert rep.records_sent == 1
    inbox.collect(tmp_path / "usb", central)
    assert central.db.execute("SELECT content_version FROM heartbeats").fetchone() == (None,)


def test_not_enrolled_and_nothing_pending_is_quiet(home, tmp_path) -> None:
    from kiosk.state import open_state

    rep = upload.upload_pending(home, open_state(home), base_url=str(tmp_path / "usb"))
    assert rep.ok and rep.records_sent == 0 and not (tmp_path / "usb").exists()
