"""One rule names a document wherever the kiosk says which text it means: a status line's
source and a citation's button (`Luật Trợ giúp pháp lý 11/2017/QH14`)."""

from __future__ import annotations

from offline_index.document_view import Source, document_name

DECREE_TITLE = (
    "Quy định về xử phạt vi phạm hành chính về trật tự, an toàn giao thông trong lĩnh vực giao"
    " thông đường bộ"
)


def test_a_short_title_names_its_document_a_long_one_gives_way_to_its_kind() -> None:
    assert document_name("Luật Trợ giúp pháp lý", "Luật", "11/2017/QH14") == (
        "Luật Trợ giúp pháp lý 11/2017/QH14"
    )
    assert document_name(DECREE_TITLE, "Nghị định", "168/2024/NĐ-CP") == "Nghị định 168/2024/NĐ-CP"
    sixty = "L" * 60
    assert document_name(sixty, "Luật", "1/2020/QH14") == f"{sixty} 1/2020/QH14"
    assert document_name(sixty + "x", "Luật", "1/2020/QH14") == "Luật 1/2020/QH14"
    assert document_name("", "", "1/2020/QH14") == "1/2020/QH14"  # no stray space


def test_a_status_source_names_its_document_by_the_same_rule() -> None:
    source = Source("d", "168/2024/NĐ-CP", DECREE_TITLE, "Nghị định", "52", "Điều 52", "…")
    assert source.document == document_name(DECREE_TITLE, "Nghị định", "168/2024/NĐ-CP")
    assert source.cite == "Điều 52 Nghị định 168/2024/NĐ-CP"


def test_the_library_names_a_cited_number_it_holds_and_none_it_lacks(lib) -> None:  # noqa: ANN001
    assert lib.document_name("31/2024/QH15") == "Luật Đất đai 31/2024/QH15"
    assert lib.document_name("168/2024/NĐ-CP") == "Nghị định 168/2024/NĐ-CP"
    assert lib.document_name("168/2024/nđ-cp") == "Nghị định 168/2024/NĐ-CP"  # as published
    assert lib.document_name("11/2017/QH14") is None
