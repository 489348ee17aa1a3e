"""Effect clauses read from the texts (offline_index/parsers/effects.py), sentence by sentence.

The sentences are real ones from the shared corpus (a few shortened), so each test states a
form of Vietnamese legal drafting the parser must read, or must not mistake for an effect.
"""

from __future__ import annotations

from offline_index.model import Document, Node
from offline_index.parsers.effects import Statement, statements
from offline_index.parsers.effects_refs import find_refs, parse_parts


def _doc(*articles: Node, number: str = "59/2020/QH14", kind: str = "Luật") -> Document:
    return Document(number=number, kind=kind, title="Luật Doanh nghiệp", body=list(articles))


def _art(
    number: str, title: str, *clauses: str, points: dict[str, list[str]] | None = None
) -> Node:
    kids = []
    for i, text in enumerate(clauses, 1):
        kid = Node("khoan", str(i), text=text)
        for j, p in enumerate((points or {}).get(str(i), [])):
            kid.children.append(Node("diem", "abcdđeghi"[j], text=p))
        kids.append(kid)
    return Node("dieu", number, title, children=kids)


def _found(doc: Document) -> list[Statement]:
    return [s for s in statements(doc) if s.action != "effective"]


def _labels(parts: list) -> list[str]:
    return [p.label() for p in parts]


def test_whole_repeal_by_number_with_its_place_and_date_rule() -> None:
    doc = _doc(
        _art(
            "217",
            "Điều khoản thi hành",
            "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021.",
            "Luật Doanh nghiệp số 68/2014/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.",
        )
    )
    own, repeal = statements(doc)
    assert (
        own.action == "effective"
        and own.effective == "2021-01-01"
        and own.where == "Khoản 1 Điều 217"
    )
    assert (repeal.action, repeal.whole, repeal.target.number) == ("repeal", True, "68/2014/QH13")
    assert repeal.where == "Khoản 2 Điều 217" and repeal.effective is None  # when 59/2020 applies
    assert repeal.sentence.startswith("Luật Doanh nghiệp số 68/2014/QH13 hết hiệu lực")


def test_the_laws_that_amended_a_repealed_law_are_not_targets() -> None:
    text = (
        "Luật Điện ảnh số 62/2006/QH11 đã được sửa đổi, bổ sung một số điều theo Luật số "
        "31/2009/QH12, Luật số 35/2018/QH14 và Luật số 61/2020/QH14 hết hiệu lực kể từ ngày "
        "Luật này có hiệu lực thi hành."
    )
    (st,) = _found(_doc(_art("49", "Hiệu lực thi hành", "x", text), number="05/2022/QH15"))
    assert st.target.number == "62/2006/QH11"
    assert st.target.amended_by == ["31/2009/QH12", "35/2018/QH14", "61/2020/QH14"]


def test_an_amending_law_repealed_with_its_base_is_a_target() -> None:
    text = (
        "Bộ luật hình sự số 15/1999/QH10 và Luật số 37/2009/QH12 sửa đổi, bổ sung một số điều "
        "của Bộ luật hình sự hết hiệu lực thi hành kể từ ngày Bộ luật này có hiệu lực thi hành."
    )
    found = _found(_doc(_art("426", "Hiệu lực thi hành", text), number="100/2015/QH13"))
    assert [(s.target.number, s.whole) for s in found] == [
        ("15/1999/QH10", True),
        ("37/2009/QH12", True),
    ]


def test_texts_named_by_name_and_year_or_date() -> None:
    found = _found(
        _doc(
            _art(
                "32",
                "Hiệu lực thi hành",
                "Luật Công đoàn năm 1990 hết hiệu lực kể từ ngày Luật này có hiệu lực.",
            ),
            _art(
                "60",
                "Hiệu lực thi hành",
                "Luật báo chí ngày 28 tháng 12 năm 1989 đã được sửa đổi, bổ sung một số Điều theo "
                "Luật số 12/1999/QH10 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.",
            ),
        )
    )
    assert [(s.target.name, s.target.year, s.target.date) for s in found] == [
        ("Công đoàn", 1990, None),
        ("báo chí", 1989, "1989-12-28"),
    ]
    assert found[1].target.amended_by == ["12/1999/QH10"]


def test_exceptions_that_keep_articles_of_the_old_law_in_force_until_a_date() -> None:
    text = (
        "Bộ luật tố tụng dân sự số 24/2004/QH11 đã được sửa đổi, bổ sung theo Luật số 65/2011/QH12 "
        "hết hiệu lực kể từ ngày Bộ luật này có hiệu lực thi hành, trừ các quy định tại Điều 159 "
        "và điểm h khoản 1 Điều 192 tiếp tục có hiệu lực thi hành đến hết ngày 31 tháng 12 năm 2016."
    )
    (st,) = _found(_doc(_art("517", "Hiệu lực thi hành", "x", text), number="92/2015/QH13"))
    assert st.whole and _labels(st.kept) == ["Điều 159", "điểm h khoản 1 Điều 192"]
    assert st.until == "2016-12-31"


def test_listed_exceptions_are_split_between_old_law_and_transitional_cases() -> None:
    art = _art(
        "156",
        "Hiệu lực thi hành",
        "x",
        "y",
        "Luật Kinh doanh bảo hiểm số 24/2000/QH10 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành, trừ trường hợp sau đây:",
        points={
            "3": [
                "Khoản 1 Điều 157 của Luật này;",
                "Các điều 77, 78 và 98 của Luật Kinh doanh bảo hiểm số 24/2000/QH10 có hiệu lực đến hết ngày 31 tháng 12 năm 2027.",
            ]
        },
    )
    (st,) = _found(_doc(art, number="08/2022/QH15"))
    assert [p.article for p in st.kept] == ["77", "78", "98"] and st.until == "2027-12-31"
    assert "Khoản 1 Điều 157 của Luật này" in st.exception  # kept as text: a transitional case


def test_an_exception_about_the_new_law_keeps_the_old_one_out_of_force() -> None:
    text = (
        "Luật Thi hành án hình sự số 53/2010/QH12 hết hiệu lực kể từ ngày Luật này có hiệu lực "
        "thi hành, trừ trường hợp quy định tại khoản 2 và khoản 3 Điều 207 của Luật này."
    )
    (st,) = _found(_doc(_art("206", "Hiệu lực thi hành", "x", text), number="41/2019/QH14"))
    assert st.whole and not st.kept and st.until is None and "Điều 207" in st.exception


def test_partial_repeal_names_articles_clauses_points_and_chapters() -> None:
    text = (
        "Các quy định về bảo hiểm tai nạn lao động, bệnh nghề nghiệp tại Mục 3 Chương III, khoản 4 "
        "Điều 84, điểm b khoản 1 và điểm a khoản 2 Điều 86, các điều 104, 105 và 117 của Luật bảo "
        "hiểm xã hội số 58/2014/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành."
    )
    (st,) = _found(_doc(_art("92", "Hiệu lực thi hành", "x", text), number="84/2015/QH13"))
    assert not st.whole and st.target.number == "58/2014/QH13"
    assert _labels(st.parts) == [
        "Mục 3 Chương III",
        "khoản 4 Điều 84",
        "điểm b khoản 1 Điều 86",
        "điểm a khoản 2 Điều 86",
        "Điều 104",
        "Điều 105",
        "Điều 117",
    ]


def test_a_list_of_repeals_across_several_laws() -> None:
    text = (
        "Bãi bỏ Điều 57 của Luật hàng không dân dụng Việt Nam số 66/2006/QH11; Điều 2 của Luật số "
        "34/2009/QH12 sửa đổi, bổ sung Điều 126 của Luật nhà ở và Điều 121 của Luật đất đai; Điều 264 "
        "của Luật tố tụng hành chính số 64/2010/QH12; các quy định về trưng dụng đất trong Luật trưng "
        "mua, trưng dụng tài sản số 15/2008/QH12."
    )
    found = _found(_doc(_art("211", "Hiệu lực thi hành", "x", text), number="45/2013/QH13"))
    got = [(s.target.number, [p.article for p in s.parts], s.whole) for s in found]
    assert got == [
        ("66/2006/QH11", ["57"], False),
        ("34/2009/QH12", ["2"], False),
        ("64/2010/QH12", ["264"], False),
        ("15/2008/QH12", [], False),  # a topic of the law, not the whole law
    ]


def test_instructions_under_an_amending_article_title_take_its_target() -> None:
    art = _art(
        "52",
        "Sửa đổi, bổ sung một số điều của Nghị định số 100/2019/NĐ-CP ngày 30 tháng 12 năm 2019 của Chính phủ",
        "Bổ sung khoản 2a vào sau khoản 2 Điều 1 như sau:",
        "Bãi bỏ một số điểm, khoản, điều sau đây:",
        points={"2": ["Bãi bỏ khoản 1 Điều 3;", "Bãi bỏ Điều 5, Điều 6, Điều 7;"]},
    )
    found = _found(_doc(art, number="168/2024/NĐ-CP", kind="Nghị định"))
    got = [(s.where, s.action, s.target.number, [p.label() for p in s.parts]) for s in found]
    assert got == [
        ("Điều 52", "amend", "100/2019/NĐ-CP", []),
        ("Khoản 1 Điều 52", "amend", "100/2019/NĐ-CP", ["khoản 2a Điều 1", "khoản 2 Điều 1"]),
        ("Điểm a Khoản 2 Điều 52", "repeal", "100/2019/NĐ-CP", ["khoản 1 Điều 3"]),
        ("Điểm b Khoản 2 Điều 52", "repeal", "100/2019/NĐ-CP", ["Điều 5", "Điều 6", "Điều 7"]),
    ]


def test_quoted_new_wording_is_not_read_and_does_not_move_the_place() -> None:
    art = Node(
        "dieu",
        "219",
        "Sửa đổi, bổ sung một số điều của các luật có liên quan",
        children=[
            Node(
                "khoan",
                "1",
                text="Sửa đổi, bổ sung một số điều của Luật Bảo hiểm xã hội số 58/2014/QH13:",
                children=[
                    Node(
                        "diem",
                        "a",
                        text="Sửa đổi, bổ sung Điều 54 như sau:\n“Điều 54. Điều kiện hưởng lương hưu",
                    ),
                    Node(
                        "diem", "b", text="Bãi bỏ khoản 9 Điều 18 của Luật Nhà ở số 65/2014/QH13."
                    ),  # quoted
                ],
            ),
            Node(
                "khoan",
                "2",
                text="Người lao động hết hiệu lực …”;\nb) Sửa đổi, bổ sung Điều 55 như sau:",
            ),
        ],
    )
    found = _found(_doc(art, number="45/2019/QH14"))
    got = [(s.where, s.target.number, [p.label() for p in s.parts]) for s in found]
    assert got == [
        ("Khoản 1 Điều 219", "58/2014/QH13", []),
        ("Điểm a Khoản 1 Điều 219", "58/2014/QH13", ["Điều 54"]),
        ("Điểm b Khoản 1 Điều 219", "58/2014/QH13", ["Điều 55"]),
    ]


def test_replacement_and_a_list_of_replaced_laws() -> None:
    one = _art(
        "84",
        "Hiệu lực thi hành",
        "x",
        "Nghị định này thay thế Nghị định số 46/2016/NĐ-CP ngày 26 tháng 5 năm 2016 của Chính phủ quy định xử phạt.",
    )
    many = _art(
        "15",
        "Hiệu lực thi hành",
        "x",
        "Luật này thay thế các luật sau đây:",
        points={
            "2": [
                "Luật thuế giá trị gia tăng năm 1997;",
                "Luật sửa đổi, bổ sung một số Điều của Luật thuế giá trị gia tăng số 07/2003/QH11;",
            ]
        },
    )
    found = _found(_doc(one, many, number="13/2008/QH12"))
    assert [(s.action, s.whole, s.target.number or s.target.year) for s in found] == [
        ("replace", True, "46/2016/NĐ-CP"),
        ("replace", True, 1997),
        ("replace", True, "07/2003/QH11"),
    ]


def test_what_is_not_an_effect_statement() -> None:
    art = _art(
        "13",
        "Hiệu lực thi hành",
        # a permit, a court decision: not normative texts
        "Sau 03 tháng kể từ ngày giấy phép có hiệu lực, nếu cơ quan báo chí không có sản phẩm thì giấy phép hết hiệu lực.",
        "Quyết định tạm đình chỉ giải quyết vụ án dân sự hết hiệu lực kể từ ngày ban hành quyết định tiếp tục giải quyết vụ án.",
        # a text named inside the description of the replaced one
        "Nghị quyết này thay thế Nghị quyết số 03/2006/NQ-HĐTP ngày 08 tháng 7 năm 2006 của Hội đồng "
        "Thẩm phán Tòa án nhân dân tối cao hướng dẫn áp dụng một số quy định của Bộ luật Dân sự năm 2005.",
        # ordinary text that amends nothing
        "Sửa đổi, bổ sung Điều lệ công ty theo quyết định của Đại hội đồng cổ đông.",
    )
    found = _found(_doc(art, number="02/2022/NQ-HĐTP", kind="Nghị quyết"))
    assert [s.target.number for s in found] == ["03/2006/NQ-HĐTP"]


def test_own_effective_date_for_some_parts() -> None:
    art = _art(
        "53",
        "Hiệu lực thi hành",
        "Nghị định này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2025, trừ quy định tại khoản 2 Điều này.",
        "Quy định tại điểm m khoản 3 Điều 6, điểm b khoản 1 Điều 27 của Nghị định này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2026.",
    )
    whole, part = statements(_doc(art, number="168/2024/NĐ-CP", kind="Nghị định"))
    assert (whole.whole, whole.effective) == (True, "2025-01-01")
    assert (part.whole, part.effective, _labels(part.parts)) == (
        False,
        "2026-01-01",
        ["điểm m khoản 3 Điều 6", "điểm b khoản 1 Điều 27"],
    )


def test_a_consolidated_text_names_the_law_it_consolidates() -> None:
    doc = Document(
        number="01/VBHN-VPQH",
        kind="Văn bản hợp nhất",
        title="Luật Doanh nghiệp",
        summary=(
            "Luật Doanh nghiệp số 68/2014/QH13 ngày 26 tháng 11 năm 2014 của Quốc hội, có hiệu lực kể "
            "từ ngày 01 tháng 7 năm 2015, được sửa đổi, bổ sung bởi:\n1. Luật số 03/2016/QH14 ngày 22 "
            "tháng 11 năm 2016 của Quốc hội, có hiệu lực kể từ ngày 01 tháng 01 năm 2017."
        ),
        body=[
            _art(
                "212",
                "Hiệu lực thi hành",
                "Luật doanh nghiệp số 60/2005/QH11 hết hiệu lực kể từ ngày Luật này có hiệu lực.",
            )
        ],
    )
    found = _found(doc)
    assert [(s.action, s.target.number, s.consolidated) for s in found] == [
        ("consolidates", "68/2014/QH13", False),
        ("repeal", "60/2005/QH11", True),  # the law's own clause, repeated in the VBHN
    ]
    assert found[0].target.amended_by == ["03/2016/QH14"]


def test_parts_and_references() -> None:
    assert _labels(parse_parts("Bãi bỏ các điều 223, 224 và 234 Mục 5 Chương XIV của Bộ luật")) == [
        "Điều 223",
        "Điều 224",
        "Điều 234",
    ]  # "Mục 5 Chương XIV" says where they are
    assert [
        p.article
        for p in parse_parts("Chương VIII gồm các điều từ Điều 67 đến Điều 69 và Điều 105")
    ] == [
        "",
        "67",
        "68",
        "69",
        "105",
    ]
    refs = [
        r.number
        for _, _, r in find_refs(
            "Pháp lệnh bưu chính số 43/2002/PL-UBTVQH10 và Nghị quyết số 49/2013/QH13"
        )
    ]
    assert refs == ["43/2002/PL-UBTVQH10", "49/2013/QH13"]
