"""Central collection: signatures, key registry, duplicates, latest daily totals."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest

from sync import inbox, outbox
from sync.enroll import canonical_json
from sync.inbox import InboxError

from .conftest import Kiosk, make_kiosk, upload_records


def _upload(k: Kiosk, stick: Path) -> None:
    stick.mkdir(parents=True, exist_ok=True)  # the stick plugged in
    rep = upload_records(k.home, k.db, base_url=str(stick), deadline=time.monotonic() + 30)
    assert rep.ok


def _one_question(k: Kiosk, text: str = "câu hỏi về đất đai") -> str:
    with k.db.atomic():
        return outbox.append(k.db, "question", {"text": text})


def _batch_files(stick: Path, kiosk_id: str) -> list[Path]:
    return sorted((stick / "inbox" / kiosk_id).glob("*.json"))


def test_tampered_batch_is_refused(kiosk: Kiosk, central, tmp_path) -> None:
    _one_question(kiosk, "nguyên văn")
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    _upload(kiosk, stick)
    path = _batch_files(stick, "kiosk-a")[0]
    path.write_bytes(path.read_bytes().replace("nguyên văn".encode(), "sửa đổi".encode()))
    rep = inbox.collect(stick, central)
    assert rep.records_loaded == 0 and "signature does not verify" in rep.refused[0][1]
    assert central.db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
    assert central.db.execute("SELECT reason FROM refused").fetchone()[0].startswith("signature")


def test_unknown_key_refused_until_registered(kiosk: Kiosk, tmp_path) -> None:
    db = inbox.open_central(tmp_path / "c.sqlite")
    _one_question(kiosk)
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    _upload(kiosk, stick)
    rep = inbox.collect(stick, db)
    assert "unknown key" in rep.refused[0][1] and rep.records_loaded == 0
    inbox.add_kiosk(db, "kiosk-a", kiosk.ident.public_key)
    rep = inbox.collect(stick, db)
    assert rep.records_loaded == 1 and not rep.refused
    assert db.db.execute("SELECT count(*) FROM refused").fetchone()[0] == 0


def test_revoked_kiosk_refused(kiosk: Kiosk, central, tmp_path) -> None:
    inbox.revoke_kiosk(central, "kiosk-a")
    _one_question(kiosk)
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    _upload(kiosk, stick)
    rep = inbox.collect(stick, central)
    assert "revoked" in rep.refused[0][1] and rep.records_loaded == 0
    with pytest.raises(InboxError):
        inbox.revoke_kiosk(central, "no-such-kiosk")


def test_kiosk_id_signed_by_another_kiosks_key(kiosk: Kiosk, central, publisher, tmp_path) -> None:
    """Kiosk B (enrolled) forges a batch in kiosk A's name and folder."""
    b = make_kiosk(tmp_path / "home-b", publisher, "kiosk-b")
    inbox.add_kiosk(central, "kiosk-b", b.ident.public_key)
    signed = {
        "format": 1,
        "type": "lawshelf-outbox-batch",
        "kiosk_id": "kiosk-a",
        "batch_id": "forged",
        "created_at": "2026-11-27T00:00:00Z",
        "records": [
            {
                "uuid": "u-1",
                "seq": 1,
                "kind": "question",
                "created_at": "x",
                "payload": {"text": "giả mạo"},
            }
        ],
    }
    sig = base64.b64encode(b.ident.signing_key.sign(canonical_json(signed))).decode()
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    (stick / "inbox" / "kiosk-a").mkdir(parents=True)
    (stick / "inbox" / "kiosk-a" / "forged.json").write_bytes(
        canonical_json({"signed": signed, "signatures": [{"keyid": b.ident.key_id, "sig": sig}]})
    )
    rep = inbox.collect(stick, central)
    assert "claims kiosk kiosk-a but is signed by kiosk kiosk-b" in rep.refused[0][1]
    assert rep.records_loaded == 0


def test_batch_moved_to_another_folder_refused(kiosk: Kiosk, central, tmp_path) -> None:
    _one_question(kiosk)
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    _upload(kiosk, stick)
    src = _batch_files(stick, "kiosk-a")[0]
    (stick / "inbox" / "kiosk-z").mkdir()
    src.rename(stick / "inbox" / "kiosk-z" / src.name)
    rep = inbox.collect(stick, central)
    assert "not under its own kiosk id" in rep.refused[0][1]


@pytest.mark.parametrize("body", [b"<html>captive portal</html>", b"{}", b'{"signed": 1}'])
def test_garbage_files_refused(kiosk: Kiosk, central, tmp_path, body: bytes) -> None:
    folder = tmp_path / "usb" / "inbox" / "kiosk-a"
    folder.mkdir(parents=True)
    (folder / "x.json").write_bytes(body)
    rep = inbox.collect(tmp_path / "usb", central)
    assert rep.refused and rep.records_loaded == 0


def test_duplicates_across_batches_dropped(kiosk: Kiosk, central, tmp_path) -> None:
    rid = _one_question(kiosk)
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    _upload(kiosk, stick)
    # The same record in a second batch (e.g. kiosk restored from a backup and re-sent).
    kiosk.db.execute("UPDATE outbox SET sent_at = NULL, batch_id = NULL")
    _upload(kiosk, stick)
    assert len(_batch_files(stick, "kiosk-a")) == 2
    rep = inbox.collect(stick, central)
    assert rep.records_loaded == 1 and rep.duplicates == 1
    assert [r[0] for r in central.db.execute("SELECT uuid FROM questions")] == [rid]
    assert not _batch_files(stick, "kiosk-a")  # both moved to the archive
    archived = inbox.default_archive(central) / "kiosk-a"
    for f in archived.glob("*.json"):  # re-uploaded after collection: already collected
        (stick / "inbox" / "kiosk-a" / f.name).write_bytes(f.read_bytes())
    again = inbox.collect(stick, central)
    assert again.unchanged == 2 and again.records_loaded == 0 and again.archived == 2


def test_usage_daily_keeps_latest_whatever_the_order(kiosk: Kiosk, central, tmp_path) -> None:
    outbox.append_usage_daily(kiosk.db, "2026-11-27", {"search": 3})
    first, second = tmp_path / "usb1", tmp_path / "usb2"
    _upload(kiosk, first)
    outbox.append_usage_daily(kiosk.db, "2026-11-27", {"search": 8})
    outbox.append_usage_daily(kiosk.db, "2026-11-28", {"search": 1})
    _upload(kiosk, second)
    inbox.collect(second, central)  # newer totals arrive first
    inbox.collect(first, central)
    rows = central.db.execute("SELECT day, counts FROM usage_daily ORDER BY day").fetchall()
    assert [(d, json.loads(c)["search"]) for d, c in rows] == [("2026-11-27", 8), ("2026-11-28", 1)]


def test_registry_rules(kiosk: Kiosk, central, publisher, tmp_path) -> None:
    with pytest.raises(InboxError, match="registered to kiosk kiosk-a"):
        inbox.add_kiosk(central, "kiosk-b", kiosk.ident.public_key)
    with pytest.raises(Exception, match="ed25519"):
        inbox.add_kiosk(central, "kiosk-b", "rsa:abc")
    # Re-enrolment: the new key replaces the old, which can no longer sign for the kiosk.
    _one_question(kiosk)
    old_stick = tmp_path / "old"
    _upload(kiosk, old_stick)
    renewed = make_kiosk(tmp_path / "home-a2", publisher, "kiosk-a")
    inbox.add_kiosk(central, "kiosk-a", renewed.ident.public_key)
    rep = inbox.collect(old_stick, central)
    assert "retired key" in rep.refused[0][1]
    assert [k["kiosk_id"] for k in central.kiosks()] == ["kiosk-a"]


def test_another_kiosk_reusing_a_record_uuid_is_refused(
    kiosk: Kiosk, central, publisher, tmp_path
) -> None:
    rid = _one_question(kiosk)
    stick = tmp_path / "usb"
    stick.mkdir(exist_ok=True)  # the stick plugged in
    _upload(kiosk, stick)
    b = make_kiosk(tmp_path / "home-b", publisher, "kiosk-b")
    inbox.add_kiosk(central, "kiosk-b", b.ident.public_key)
    _one_question(b, "câu hỏi của kiosk b")
    b.db.execute("UPDATE outbox SET uuid = ?", [rid])  # a malicious kiosk copying a UUID
    _upload(b, stick)
    rep = inbox.collect(stick, central)
    assert rep.records_loaded == 1
    assert rep.refused and "already sent by kiosk kiosk-a" in rep.refused[0][1]


def _write_signed(k: Kiosk, stick: Path, batch_id: str, records: list) -> None:
    signed = {
        "format": 1,
        "type": "lawshelf-outbox-batch",
        "kiosk_id": k.ident.kiosk_id,
        "batch_id": batch_id,
        "created_at": "2026-11-27T00:00:00Z",
        "records": records,
    }
    sig = base64.b64encode(k.ident.signing_key.sign(canonical_json(signed))).decode()
    folder = stick / "inbox" / k.ident.kiosk_id
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"signed": signed, "signatures": [{"keyid": k.ident.key_id, "sig": sig}]}
    (folder / f"{batch_id}.json").write_bytes(canonical_json(doc))


@pytest.mark.parametrize(
    "record",
    [
        {"uuid": "u1", "seq": 1, "kind": "question", "created_at": {"x": 1}, "payload": {}},
        {"uuid": "u1", "seq": "1", "kind": "question", "created_at": "t", "payload": {}},
        {"uuid": "u1", "seq": 1, "kind": "question", "created_at": "t", "payload": [], "x": 1},
        {"uuid": "u1", "seq": 1, "kind": "question", "created_at": "t", "payload": {}, "sealed": 5},
        {"uuid": "", "seq": 1, "kind": "question", "created_at": "t", "payload": {}},
        {"uuid": "u1", "seq": 1, "kind": "rumour", "created_at": "t", "payload": {}},
    ],
)
def test_signed_but_malformed_records_refused(kiosk: Kiosk, central, tmp_path, record) -> None:
    """A compromised kiosk's key signs anything; the centre still never crashes on it."""
    _write_signed(kiosk, tmp_path / "usb", "b-1", [record])
    rep = inbox.collect(tmp_path / "usb", central)
    assert "malformed record" in rep.refused[0][1] and rep.records_loaded == 0


def test_odd_payload_fields_do_not_break_tables(kiosk: Kiosk, central, tmp_path) -> None:
    rec = {
        "uuid": "u2",
        "seq": 1,
        "kind": "contest_entry",
        "created_at": "t",
        "payload": {"contest_id": {"nested": True}},
    }
    _write_signed(kiosk, tmp_path / "usb", "b-2", [rec])
    assert inbox.collect(tmp_path / "usb", central).records_loaded == 1
    assert central.db.execute("SELECT contest_id FROM contest_entries").fetchone() == (None,)


def test_revoked_kiosk_returns_only_with_a_new_key(kiosk: Kiosk, central, publisher, tmp_path):
    inbox.revoke_kiosk(central, "kiosk-a")
    with pytest.raises(InboxError, match="already registered with this key"):
        inbox.add_kiosk(central, "kiosk-a", kiosk.ident.public_key)
    renewed = make_kiosk(tmp_path / "home-a2", publisher, "kiosk-a")
    inbox.add_kiosk(central, "kiosk-a", renewed.ident.public_key)
    _one_question(renewed)
    _upload(renewed, tmp_path / "usb")
    assert inbox.collect(tmp_path / "usb", central).records_loaded == 1


def test_a_stick_whose_inbox_is_a_link_gets_nothing_and_nothing_counts_as_sent(
    kiosk: Kiosk, tmp_path
) -> None:
    """A stick passes through many hands: `lawshelf/inbox` planted as a link to another
    folder would take the residents' entries there and have the kiosk count them as sent."""
    _one_question(kiosk)
    stick, elsewhere = tmp_path / "usb" / "lawshelf", tmp_path / "elsewhere"
    stick.mkdir(parents=True)
    elsewhere.mkdir()
    (stick / "inbox").symlink_to(elsewhere)
    rep = upload_records(kiosk.home, kiosk.db, base_url=str(stick), deadline=time.monotonic() + 30)
    assert not rep.ok and "symbolic link" in rep.error and rep.records_sent == 0
    assert list(elsewhere.iterdir()) == []
    assert outbox.pending_count(kiosk.db) == 1
    (stick / "inbox").unlink()
    _upload(kiosk, stick)  # a real folder: sent
    assert len(_batch_files(stick, "kiosk-a")) == 1 and outbox.pending_count(kiosk.db) == 0
