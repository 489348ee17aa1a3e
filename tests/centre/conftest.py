"""The centre's fixtures: the publisher's sealing key, kiosks that really seal, sign and upload
to a folder inbox, and a central store that collects them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils
from nginx_server import fault_proxy_factory, nginx_factory  # noqa: F401

from kiosk import questions
from kiosk.state import open_state
from sync import enroll, inbox, outbox, sealing
from sync.central_store import CentralStore
from sync.upload import upload_pending

PHONE = "0912345678"


@dataclass
class Kiosk:
    home: Path
    db: sqlite_utils.Database
    ident: enroll.Identity

    def ask(
        self, text: str = "Thủ tục đăng ký tạm trú cần giấy tờ gì?", contact: str = PHONE
    ) -> str:
        return questions.ask(self.db, text, "Cư trú", contact, home=self.home)

    def opinion(self, text: str = "Nên mở thêm giờ tiếp dân", contact: str = PHONE) -> str:
        return questions.send_opinion(self.db, "doi-thoai-1", text, contact, home=self.home)

    def entry(self, contest_id: str, correct: int, *, name: str = "Nguyễn Văn An") -> str:
        """A submitted contest entry as the kiosk's engine writes it (personal data sealed)."""
        drawn = [f"q{i}" for i in range(5)]
        payload = {
            "contest_id": contest_id,
            "attempt_id": str(uuid.uuid4()),
            "questions": drawn,
            "answers": [{"question_id": q, "choice_id": "a"} for q in drawn],
            "correct": correct,
            "total": 5,
            "passed": correct >= 4,
            "time_used_s": 100,
            "prediction": 10,
        }
        personal = {"name": name, "birth_year": 1960, "ward": "Láng Hạ", "phone": PHONE}
        with self.db.atomic():
            return outbox.append(
                self.db, "contest_entry", payload, personal=personal, home=self.home
            )

    def upload(self, target: Path, heartbeat: bool = False) -> None:
        target.mkdir(parents=True, exist_ok=True)  # the stick or share, there
        report = upload_pending(self.home, self.db, base_url=str(target), heartbeat=heartbeat)
        assert report.error is None, report.error


@dataclass
class Centre:
    store: CentralStore
    inbox: Path
    key: Path  # the publisher's private sealing key
    kiosks: dict[str, Kiosk]

    def collect(self, heartbeat: bool = False, **kw) -> inbox.CollectReport:
        """Every kiosk uploads (heartbeats only if asked: record counts stay exact), then
        the centre collects."""
        for k in self.kiosks.values():
            k.upload(self.inbox, heartbeat)
        return inbox.collect(self.inbox, self.store, **kw)


@pytest.fixture
def centre(tmp_path: Path) -> Centre:
    seal = tmp_path / "publisher"
    sealing.generate_keypair(seal)
    store = inbox.open_central(tmp_path / "centre" / "central.sqlite")
    kiosks = {}
    for kiosk_id in ("phuong-lang-ha", "xa-minh-phu"):
        home = tmp_path / kiosk_id
        home.mkdir()
        sealing.install_public(home, seal / sealing.PUBLIC_NAME)
        ident = enroll.enroll(home, kiosk_id=kiosk_id)
        kiosks[kiosk_id] = Kiosk(home, open_state(home), ident)
        inbox.add_kiosk(store, kiosk_id, ident.public_key)
    return Centre(store, tmp_path / "www", seal / sealing.PRIVATE_NAME, kiosks)


def scan(root: Path, needles: list[bytes]) -> list[str]:
    """Files under root containing any of the needles."""
    return [
        str(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and any(n in p.read_bytes() for n in needles)
    ]
