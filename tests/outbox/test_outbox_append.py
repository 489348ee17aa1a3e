"""append(): one transaction with the caller's action; validation; heartbeat; status."""

from __future__ import annotations

import json

import pytest

from sync import outbox
from sync.outbox import OutboxError
from sync.sealing import SealError, open_sealed

from .conftest import Kiosk


def _action_table(k: Kiosk) -> None:
    k.db.execute("CREATE TABLE IF NOT EXISTS actions (id INTEGER PRIMARY KEY, what TEXT)")


def test_action_and_record_commit_together(kiosk: Kiosk) -> None:
    _action_table(kiosk)
    with kiosk.db.atomic():
        kiosk.db.execute("INSERT INTO actions (what) VALUES ('submit')")
        rid = outbox.append(kiosk.db, "question", {"text": "Thủ tục đăng ký kết hôn?"})
    assert kiosk.db.execute("SELECT count(*) FROM actions").fetchone()[0] == 1
    row = kiosk.db.execute(
        "SELECT kind, payload, sent_at FROM outbox WHERE uuid = ?", [rid]
    ).fetchone()
    assert row[0] == "question" and json.loads(row[1])["text"].startswith("Thủ tục")
    assert row[2] is None and outbox.pending_count(kiosk.db) == 1


def test_action_and_record_roll_back_together(kiosk: Kiosk) -> None:
    _action_table(kiosk)
    with pytest.raises(RuntimeError), kiosk.db.atomic():
        kiosk.db.execute("INSERT INTO actions (what) VALUES ('submit')")
        outbox.append(kiosk.db, "opinion", {"notice_id": "n1", "text": "ý kiến"})
        raise RuntimeError("the action failed after the record was written")
    assert kiosk.db.execute("SELECT count(*) FROM actions").fetchone()[0] == 0
    assert outbox.pending_count(kiosk.db) == 0


def test_append_opens_transaction_for_with_conn_callers(kiosk: Kiosk) -> None:
    """`with db.conn:` opens no transaction in sqlite-utils 4; append first makes it atomic."""
    _action_table(kiosk)
    with pytest.raises(RuntimeError), kiosk.db.conn:
        outbox.append(kiosk.db, "question", {"text": "một câu hỏi đủ dài"})
        kiosk.db.execute("INSERT INTO actions (what) VALUES ('x')")
        raise RuntimeError
    assert outbox.pending_count(kiosk.db) == 0
    assert kiosk.db.execute("SELECT count(*) FROM actions").fetchone()[0] == 0
    with kiosk.db.conn:
        outbox.append(kiosk.db, "question", {"text": "một câu hỏi đủ dài"})
        kiosk.db.execute("INSERT INTO actions (what) VALUES ('x')")
    assert not kiosk.db.conn.in_transaction
    assert outbox.pending_count(kiosk.db) == 1


def test_personal_data_is_sealed_to_the_publisher(kiosk: Kiosk, publisher) -> None:
    with kiosk.db.atomic():
        rid = outbox.append(
            kiosk.db,
            "contest_entry",
            {"contest_id": "c1", "correct": 9},
            personal={"name": "Nguyễn Thị Hoa", "phone": "0912345678"},
        )
    sealed, flag = kiosk.db.execute(
        "SELECT sealed, has_personal FROM outbox WHERE uuid = ?", [rid]
    ).fetchone()
    # Whole values, not a three-letter name: a short string turns up in random base64 by
    # chance (this check once failed on "...VHoaVB...").
    clear = ("Nguyễn Thị Hoa", "Nguy\\u1ec5n", "0912345678")
    assert flag == 1 and [c for c in clear if c in sealed] == []
    data = open_sealed(publisher / "publisher_seal.key", sealed, record_id=rid)
    assert data == {"name": "Nguyễn Thị Hoa", "phone": "0912345678"}
    with pytest.raises(SealError):
        open_sealed(publisher / "publisher_seal.key", sealed, record_id="another-record")


def test_refuses_personal_data_without_sealing_key(kiosk: Kiosk) -> None:
    (kiosk.home / "keys" / "publisher_seal.pub").unlink()
    with pytest.raises(SealError, match="seal-keys install"):
        outbox.append(kiosk.db, "question", {"text": "câu hỏi"}, personal={"contact": "09"})
    assert outbox.pending_count(kiosk.db) == 0 and not kiosk.db.conn.in_transaction


@pytest.mark.parametrize(
    ("kind", "payload", "personal", "match"),
    [
        ("gossip", {}, None, "unknown outbox kind"),
        ("question", {"text": "x", "phone": "0912"}, None, "personal data"),
        ("contest_entry", {"answers": [{"full_name": "A"}]}, None, "personal data"),
        ("usage_daily", {"day": "2026-11-27", "counts": {"search": -1}}, None, "counts"),
        ("usage_daily", {"counts": {"search": 1}}, None, "YYYY-MM-DD"),
        ("heartbeat", {"day": "2026-11-27"}, {"contact": "x"}, "no personal data"),
        ("question", {"text": "x" * 70_000}, None, "limit"),
        ("question", {"v": float("nan")}, None, "plain JSON"),
    ],
)
def test_refuses_bad_records(kiosk: Kiosk, kind, payload, personal, match) -> None:
    with pytest.raises(OutboxError, match=match):
        outbox.append(kiosk.db, kind, payload, personal=personal)
    assert outbox.pending_count(kiosk.db) == 0


def test_daily_heartbeat_once_per_day_and_version(kiosk: Kiosk) -> None:
    assert outbox.append_heartbeat(kiosk.db, content_version="5", day="2026-11-27")
    assert outbox.append_heartbeat(kiosk.db, content_version="5", day="2026-11-27") is None
    assert outbox.append_heartbeat(kiosk.db, content_version="6", day="2026-11-27")
    assert outbox.append_heartbeat(kiosk.db, content_version="6", day="2026-11-28")
    assert not kiosk.db.conn.in_transaction  # standalone helpers commit themselves
    st = outbox.status(kiosk.db)
    assert st["pending"] == 3 and st["pending_by_kind"] == {"heartbeat": 3}


def test_usage_daily_records_are_append_only(kiosk: Kiosk) -> None:
    a = outbox.append_usage_daily(kiosk.db, "2026-11-27", {"search": 3})
    b = outbox.append_usage_daily(kiosk.db, "2026-11-27", {"search": 5})
    rows = kiosk.db.execute("SELECT uuid, seq FROM outbox ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == [a, b] and rows[0][1] < rows[1][1]
