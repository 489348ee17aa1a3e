"""Every official number form finds its document, in `show` (find_number) and in search,
typed exactly, loosely, and without diacritics."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.library import Library

from .library_content import article, dump

# (number, kind, title, id): one document per form that appears in Vietnamese law.
FORMS = [
    ("12/TB-UBND", "Thông báo", "Thông báo lịch tiếp công dân", "12-tb-ubnd"),
    ("01/VBHN-VPQH", "Văn bản hợp nhất", "Luật Giao thông đường bộ hợp nhất", "01-vbhn-vpqh"),
    ("21-LCT/HĐNN8", "Luật", "Luật Bảo vệ sức khỏe nhân dân", "21-lct-hdnn8"),
    ("102-SL/L-004", "Luật", "Luật quy định quyền lập hội", "102-sl-l-004"),
    ("35/2024/QH15", "Luật", "Luật Đường bộ", "35-2024-qh15"),
    ("100/2019/NĐ-CP", "Nghị định", "Xử phạt vi phạm giao thông", "100-2019-nd-cp"),
    # Near misses that must not win: the same number under another kind or year.
    ("12/2019/NĐ-CP", "Nghị định", "Nghị định mười hai", "12-2019-nd-cp"),
    ("21/2008/QH12", "Luật", "Luật hai mươi mốt", "21-2008-qh12"),
]

TYPED = [
    ("12/TB-UBND", "12-tb-ubnd"),
    ("12 tb ubnd", "12-tb-ubnd"),
    ("12/tb-ubnd", "12-tb-ubnd"),
    ("Thông báo 12/TB-UBND", "12-tb-ubnd"),
    ("01/VBHN-VPQH", "01-vbhn-vpqh"),
    ("01/vbhn-vpqh", "01-vbhn-vpqh"),
    ("1 vbhn vpqh", "01-vbhn-vpqh"),
    ("21-LCT/HĐNN8", "21-lct-hdnn8"),
    ("21 lct hdnn8", "21-lct-hdnn8"),
    ("21-lct/hdnn8", "21-lct-hdnn8"),
    ("102-SL/L-004", "102-sl-l-004"),
    ("102 sl l 004", "102-sl-l-004"),
    ("35/2024/QH15", "35-2024-qh15"),
    ("35/2024/qh15", "35-2024-qh15"),
    ("luat 35/2024", "35-2024-qh15"),
    ("100/2019/NĐ-CP", "100-2019-nd-cp"),
    ("100/2019/nd-cp", "100-2019-nd-cp"),
    ("100 nd cp", "100-2019-nd-cp"),
    ("100/2019", "100-2019-nd-cp"),
    ("nd 100 2019", "100-2019-nd-cp"),
    ("NĐ 100", "100-2019-nd-cp"),
]


@pytest.fixture(scope="module")
def forms_lib(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from offline_index.build import build_generation

    src = tmp_path_factory.mktemp("forms") / "src"
    dump(src / "lawshelf-content.json", {"format": 1, "name": "forms", "updated": "2026-11-01"})
    for number, kind, title, _ in FORMS:
        doc = {
            "number": number,
            "kind": kind,
            "issuer": "Cơ quan",
            "title": title,
            "issued": "2020-01-01",
            "validity": "in_force",
            "body": [article("1", "Phạm vi", f"{title}: nội dung điều một.")],
        }
        dump(src / "documents" / f"{number.replace('/', '_')}.json", doc)
    out = Path(tmp_path_factory.mktemp("forms-gen")) / "gen"
    build_generation([src], out)
    with Library.open(out) as lib:
        yield lib


@pytest.mark.parametrize(("typed", "doc_id"), TYPED)
def test_show_finds_every_number_form(forms_lib: Library, typed: str, doc_id: str) -> None:
    assert forms_lib.find_number(typed) == doc_id


@pytest.mark.parametrize(("typed", "doc_id"), TYPED)
def test_search_puts_the_document_first(forms_lib: Library, typed: str, doc_id: str) -> None:
    hits = forms_lib.search(typed).hits
    assert hits and hits[0].doc_id == doc_id, [h.doc_id for h in hits]


def test_words_and_amounts_are_no_numbers(forms_lib: Library) -> None:
    for text in ("phạt 5 triệu đồng", "xe 50 cc", "ngày 20-5-1957", "18.000.000 đồng"):
        assert forms_lib.find_number(text) is None, text
    # `Điều 5 NĐ 100` is article 5 of NĐ 100, not a document numbered 5.
    assert forms_lib.find_number("điều 5 nđ 100") == "100-2019-nd-cp"
    assert forms_lib.find_number("Điều 21 Luật Bảo vệ sức khỏe nhân dân") is None


def test_spoken_questions_keep_their_number_terms() -> None:
    """A question naming an article of a law asks for no document numbered like the article."""
    from offline_index.analysis import analyse_query

    assert analyse_query("Theo Điều 7 Luật Tiếp cận thông tin, ai cung cấp?").numbers.terms == [
        "a:7"
    ]
    assert analyse_query("12 tb ve phong chay").numbers.terms == ["n:12-tb", "k:tb:12"]
