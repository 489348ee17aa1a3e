"""Content model v1 validation names the file, the field and the reason."""

from __future__ import annotations

import pytest

from offline_index.errors import ContentError
from offline_index.model import Contest, Document, Notice, doc_id_for, nfc


def _doc(**over: object) -> dict:
    data = {
        "number": "68/2020/QH14",
        "kind": "Luật",
        "title": "Luật Cư trú",
        "body": [{"level": "dieu", "number": "1", "title": "Phạm vi điều chỉnh", "text": "..."}],
    }
    data.update(over)
    return data


def test_valid_document_round_trips() -> None:
    doc = Document.from_dict(_doc(validity="in_force", issued="2020-11-13"), "cu_tru.json")
    assert doc.id == "68-2020-qh14"
    again = Document.from_dict(doc.to_dict(), "again.json")
    assert again == doc


@pytest.mark.parametrize(
    ("over", "field", "reason"),
    [
        ({"kind": "Sắc lệnh ma"}, "kind", "must be one of"),
        ({"issued": "13/11/2020"}, "issued", "YYYY-MM-DD"),
        ({"title": ""}, "title", "is required"),
        (
            {"relations": [{"type": "eats", "target": "1/2020/QH14"}]},
            "relations[0].type",
            "must be one of",
        ),
        (
            {"body": [{"level": "dieu", "children": [{"level": "chapter"}]}]},
            "body[0].children[0].level",
            "must be one of",
        ),
        ({"body": [], "pages": []}, "body", "needs a body"),
    ],
)
def test_invalid_document_names_file_field_reason(over: dict, field: str, reason: str) -> None:
    with pytest.raises(ContentError) as info:
        Document.from_dict(_doc(**over), "documents/cu_tru.json")
    assert info.value.path == "documents/cu_tru.json"
    assert info.value.field == field
    assert reason in info.value.reason


def test_number_ids_fold_vietnamese() -> None:
    assert doc_id_for("100/2019/NĐ-CP") == "100-2019-nd-cp"
    assert nfc("Nghi\u0323 đi\u0323nh") == "Nghị định"


def _contest(draw: int, **question: str) -> dict:
    """A contest of one question (its fields as given over a plain one)."""
    choices = [{"id": "a", "text": "Có", "correct": True}, {"id": "b", "text": "Không"}]
    return {
        "id": "c1",
        "title": "T",
        "organiser": "Sở Tư pháp",
        "opens": "2026-01-01T00:00:00",
        "closes": "2026-12-31T00:00:00",
        "draw": draw,
        "time_limit_s": 600,
        "questions": [{"id": "q1", "text": "?", "choices": choices} | question],
    }


def test_contest_draw_cannot_exceed_bank() -> None:
    with pytest.raises(ContentError, match="draw"):
        Contest.from_dict(_contest(draw=3), "contests/c1.json")


@pytest.mark.parametrize(
    ("field", "value"),
    [("explanation", "Hạng C: 21 tuổi;<br/>Hạng D: 27 tuổi."), ("text", "Chọn đáp án <b>đúng</b>")],
)
def test_a_contest_question_is_plain_text(field: str, value: str) -> None:
    """The bank's tips held `<br/>` and `<b>`, which the results page showed as they are."""
    with pytest.raises(ContentError, match=f"questions\\[0\\].{field}.*no markup"):
        Contest.from_dict(_contest(draw=1, **{field: value}), "contests/c1.json")


def test_a_notices_citation_is_checked_like_a_qa_entrys() -> None:
    data = {"id": "tgpl", "type": "legal_aid", "title": "Trợ giúp pháp lý"}
    cited = Notice.from_dict(
        data | {"citations": [{"doc_number": "11/2017/QH14", "article": "7"}]}, "n.json"
    )
    assert cited.citations[0].article == "7"
    assert Notice.from_dict(data, "n.json").citations == []
    with pytest.raises(ContentError) as info:
        Notice.from_dict(data | {"citations": [{"article": "7"}]}, "notices/tgpl.json")
    assert (info.value.path, info.value.field) == ("notices/tgpl.json", "citations[0].doc_number")
