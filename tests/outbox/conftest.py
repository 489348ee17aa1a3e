"""Fixtures for outbox tests: a publisher sealing key, an enrolled kiosk, a central DB."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils
from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401

from kiosk.state import open_state
from sync import enroll, inbox, sealing, upload

# Uploads in most tests leave out the automatic daily heartbeat so record counts stay exact;
# test_heartbeat covers it.
upload_records = functools.partial(upload.upload_pending, heartbeat=False)


@dataclass
class Kiosk:
    home: Path
    db: sqlite_utils.Database
    ident: enroll.Identity

    @property
    def users(self) -> dict[str, str]:
        return {self.ident.kiosk_id: self.ident.upload_password}


@pytest.fixture
def publisher(tmp_path: Path) -> Path:
    """Folder with publisher_seal.key / publisher_seal.pub (the centre keeps the private one)."""
    folder = tmp_path / "publisher"
    sealing.generate_keypair(folder)
    return folder


def make_kiosk(home: Path, publisher: Path, kiosk_id: str) -> Kiosk:
    home.mkdir(parents=True, exist_ok=True)
    sealing.install_public(home, publisher / sealing.PUBLIC_NAME)
    ident = enroll.enroll(home, kiosk_id=kiosk_id)
    return Kiosk(home, open_state(home), ident)


@pytest.fixture
def kiosk(home: Path, publisher: Path) -> Kiosk:
    return make_kiosk(home, publisher, "kiosk-a")


@pytest.fixture
def central(tmp_path: Path, kiosk: Kiosk) -> sqlite_utils.Database:
    db = inbox.open_central(tmp_path / "central" / "central.sqlite")
    inbox.add_kiosk(db, kiosk.ident.kiosk_id, kiosk.ident.public_key)
    return db
