"""Personal data never lies in clear on the kiosk disk, the inbox storage or the central DB."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from sync import inbox, outbox
from sync.sealing import open_sealed

from .conftest import Kiosk, upload_records

NAME = "Phạm Thị Riêng Tư"
PHONE = "0977123456"
ADDRESS = "Số 7 ngõ Bí Mật, phường Hàng Bạc"


def _needles() -> list[bytes]:
    out = []
    for text in (NAME, PHONE, ADDRESS, "Bí Mật"):
        for form in ("NFC", "NFD"):
            s = unicodedata.normalize(form, text)
            out += [s.encode("utf-8"), s.encode("utf-16-le")]
    return out


def _leaks(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n!r}" for n in _needles() if n in data]
    return found


def test_personal_data_never_in_clear(kiosk: Kiosk, central, publisher, nginx_factory) -> None:
    personal = {"name": NAME, "phone": PHONE, "address": ADDRESS}
    with kiosk.db.atomic():
        rid = outbox.append(kiosk.db, "contest_entry", {"contest_id": "c1"}, personal=personal)
        outbox.append(kiosk.db, "question", {"text": "hỏi về hộ tịch"}, personal={"contact": PHONE})
    kiosk.db.execute("PRAGMA wal_checkpoint(FULL)")
    assert _leaks(kiosk.home) == []  # state.sqlite, -wal, -shm, keys
    srv = nginx_factory(users=kiosk.users)
    rep = upload_records(kiosk.home, kiosk.db, base_url=srv.url, deadline=time.monotonic() + 30)
    assert rep.ok
    assert _leaks(srv.root) == [] and _leaks(srv.work) == []  # inbox files, nginx temp
    assert inbox.collect(srv.root, central).records_loaded == 2
    central_dir = Path(central.db.execute("PRAGMA database_list").fetchone()[2]).parent
    central.db.execute("PRAGMA wal_checkpoint(FULL)")
    assert _leaks(central_dir) == []
    assert _leaks(kiosk.home) == []
    # Not vacuous: the publisher, and only the publisher, can read it back.
    sealed = central.db.execute(
        "SELECT sealed FROM contest_entries WHERE uuid = ?", [rid]
    ).fetchone()
    assert open_sealed(publisher / "publisher_seal.key", sealed[0], record_id=rid) == personal
    # The kiosk no longer keeps even the sealed copy of sent records.
    assert (
        kiosk.db.execute("SELECT count(*) FROM outbox WHERE sealed IS NOT NULL").fetchone()[0] == 0
    )
