"""Tickets and questions into the real outbox."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from kiosk import questions as Q


def test_ticket_format_and_entropy() -> None:
    tickets = {Q.new_ticket() for _ in range(2000)}
    assert len(tickets) == 2000
    assert Q.ticket_bits() >= 40
    assert math.isclose(Q.ticket_bits(), 12 * math.log2(19))
    for t in list(tickets)[:50]:
        assert re.fullmatch(r"[23456789AEFHKMRTWXY]{4}(-[23456789AEFHKMRTWXY]{4}){2}", t)
    for bad in "01OILSBGZUVQJDPNC":
        assert bad not in Q.TICKET_ALPHABET


def test_ticket_normalisation_and_hash() -> None:
    t = Q.new_ticket()
    loose = t.lower().replace("-", " ")
    assert Q.ticket_hash(loose) == Q.ticket_hash(t)
    assert Q.normalise_ticket("a2s4-e6f7-h8k9") == "A254E6F7H8K9"  # S read as 5
    assert len(Q.ticket_hash(t)) == 64 and t.replace("-", "") not in Q.ticket_hash(t)
    with pytest.raises(Q.TicketInvalid):
        Q.ticket_hash("ABC")


def test_ask_puts_hash_not_ticket_in_outbox(db, home: Path, publisher_key) -> None:
    ticket = Q.ask(db, "Tôi muốn hỏi thủ tục đăng ký tạm trú?", "Cư trú", "0987654321", home=home)
    row = next(db.query("SELECT * FROM outbox WHERE kind = 'question'"))
    payload = json.loads(row["payload"])
    assert payload["ticket_hash"] == Q.ticket_hash(ticket)
    assert ticket.replace("-", "") not in json.dumps(row) and ticket not in json.dumps(row)
    assert "0987654321" not in json.dumps(row)
    from sync.sealing import open_sealed

    assert open_sealed(publisher_key, row["sealed"]) == {"contact": "0987654321"}


def test_ask_refuses_short_question(db, home: Path, publisher_key) -> None:
    with pytest.raises(Q.QuestionError):
        Q.ask(db, "hỏi", home=home)
    assert db["outbox"].count == 0


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Tôi muốn hỏi về ly hôn, số điện thoại của tôi là 0912345678", "số điện thoại"),
        ("Xin gọi lại cho tôi số 0912 345 678 về việc chia đất", "số điện thoại"),
        ("Hỏi về hộ khẩu, liên hệ +84 912 345 678 giúp tôi", "số điện thoại"),
        ("Trả lời giúp tôi qua nguyen.van.a@gmail.com về thừa kế", "email"),
        ("Căn cước của tôi 001203004567 bị sai ngày sinh", "số căn cước"),
    ],
)
def test_a_question_with_the_resident_s_details_is_refused(  # noqa: ANN001
    db, home: Path, publisher_key, text: str, found: str
) -> None:
    """The question text goes out unsealed to be answered in public; only the contact field
    is sealed. A number typed into the question is stopped, with what to do instead."""
    with pytest.raises(Q.QuestionError) as err:
        Q.ask(db, text, home=home)
    assert found in str(err.value) and "xóa khỏi câu hỏi" in err.value.message_vi
    with pytest.raises(Q.QuestionError):
        Q.send_opinion(db, "doi-thoai-1", text, home=home)
    assert db["outbox"].count == 0


def test_a_law_s_numbers_are_not_personal_details() -> None:
    text = (
        "Phạt 4.000.000 đồng theo Điều 7 Nghị định 168/2024/NĐ-CP, vay 500000000 đồng từ"
        " ngày 01/01/2021, mã số thuế 0101234567, Luật 45/2013/QH13"
    )
    assert Q.personal_details(text) == []


def test_opinion(db, home: Path, publisher_key) -> None:
    Q.send_opinion(db, "doi-thoai-1", "Tôi đề nghị mở rộng giờ tiếp dân.", home=home)
    row = next(db.query("SELECT * FROM outbox WHERE kind = 'opinion'"))
    assert json.loads(row["payload"])["notice_id"] == "doi-thoai-1" and row["sealed"] is None


def test_a_full_disk_is_told_and_leaves_nothing_half_written(db, home: Path, publisher_key) -> None:  # noqa: ANN001
    """SQLite's own "database or disk is full" (its size capped at the pages it has): the
    question that does not fit raises StorageFull, a known condition the ask screen words
    for the resident; every question before it is whole in the outbox, and none after."""
    from offline_index.errors import StorageFull

    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    asked = 0
    with pytest.raises(StorageFull) as caught:
        for _ in range(200):  # each question takes room; the disk fills within a few pages
            Q.ask(db, "Tôi muốn hỏi thủ tục đăng ký tạm trú " + "ở phường " * 150, home=home)
            asked += 1
    assert "hết chỗ lưu" in caught.value.message_vi
    assert db["outbox"].count == asked and not db.conn.in_transaction
    db.execute("PRAGMA max_page_count = 1073741823")
    Q.ask(db, "Tôi muốn hỏi thủ tục đăng ký thường trú?", home=home)
    assert db["outbox"].count == asked + 1


def test_qa_query_adds_legal_wording() -> None:
    assert "đèn tín hiệu" in Q.qa_query("vuot den do xe may")
    assert "nồng độ cồn" in Q.qa_query("Uống rượu đi xe máy phạt bao nhiêu")
    assert Q.qa_query("thủ tục ly hôn") == "thủ tục ly hôn"
