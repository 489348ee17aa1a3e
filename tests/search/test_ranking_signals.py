"""Ranking signals on top of BM25F: a document named by title, query words close together, an
article or a part of a law whose title is the topic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from offline_index import everyday
from offline_index import ranking as rk
from offline_index import reranking as rr
from offline_index.analysis import analyse_query
from offline_index.article_titles import (
    asks_for_papers,
    defined_terms,
    is_dossier,
    is_glossary,
    is_part_topic,
    matter_bigrams,
    part_words,
    special_case,
    special_regime,
    title_share,
    title_vocabulary,
    title_words,
    topic_words,
)
from offline_index.index_units import document_records
from offline_index.model import Document, Node
from offline_index.search_engine import SearchEngine
from offline_index.search_types import DocAttributes, IndexRecord
from offline_index.titles import TitleMatcher

from .conftest import engine_of, rec

TITLES = [
    {"doc_id": "hngd", "title": "Luật Hôn nhân và gia đình"},
    {"doc_id": "blhs", "title": "Bộ luật Hình sự"},
    {"doc_id": "tttm", "title": "Luật Trọng tài thương mại"},
    {"doc_id": "dd13", "title": "Luật Đất đai"},
    {"doc_id": "dd24", "title": "Luật Đất đai"},
    {"doc_id": "hp13", "title": "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"},
    {"doc_id": "blds", "title": "Bộ luật Dân sự 2015"},
]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Theo Luật Hôn nhân và gia đình, ai được kết hôn?", {"hngd"}),
        ("theo luat hon nhan va gia dinh thi sao", {"hngd"}),
        ("Bộ luật Hình sự quy định tội trộm cắp", {"blhs"}),
        ("luật hình sự phạt tù bao lâu", {"blhs"}),
        ("quy định của pháp luật hình sự", set()),  # "pháp luật" is not a title
        ("bị xử lý kỷ luật được nghỉ hưu không", set()),
        ("Luật Trọng tài thương mại và Luật Đất đai", {"tttm", "dd13", "dd24"}),
        ("phạt vượt đèn đỏ", set()),
        ("Theo Hiến pháp, công dân có quyền gì?", {"hp13"}),
        ("Điều nào không là quyền hiến định của công dân?", {"hp13"}),
        ("hien dinh la gi", {"hp13"}),
        ("quy định về hiến máu", set()),
        ("thừa kế theo Bộ luật Dân sự", {"blds"}),  # a title's year need not be typed
        ("bo luat dan su nam 2015 quy dinh", {"blds"}),
        ("Bộ luật Dân sự 2015", {"blds"}),
    ],
)
def test_documents_named_by_title(text: str, named: set[str]) -> None:
    assert TitleMatcher(TITLES).named(text)[0] == named


def _two_laws(tmp_path: Path) -> SearchEngine:
    text = "Thỏa thuận giải quyết tranh chấp bị vô hiệu khi người xác lập không có năng lực."
    records = [
        rec("tttm#a18", "tttm", "54/2010/QH12", "Luật Trọng tài thương mại", "Luật", text,
            article="18", article_title="Thỏa thuận vô hiệu", year=2010),
        rec("tths#a18", "tths", "101/2015/QH13", "Bộ luật Tố tụng hình sự", "Bộ luật", text,
            article="18", article_title="Thỏa thuận vô hiệu", year=2015),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_a_named_law_comes_first(tmp_path: Path) -> None:
    with _two_laws(tmp_path) as eng:
        q = "thỏa thuận vô hiệu khi nào"
        assert eng.search(f"Theo Bộ luật Tố tụng hình sự, {q}").hits[0].doc_id == "tths"
        assert eng.search(f"theo luat trong tai thuong mai {q}").hits[0].doc_id == "tttm"


def test_query_words_close_together_rank_higher(tmp_path: Path) -> None:
    filler = " ".join(["Cơ quan có thẩm quyền thực hiện theo quy định của pháp luật."] * 6)
    parts = ("Người lao động được nghỉ", "hưởng chế độ", "thai sản sáu tháng.")
    records = [
        rec("far", "far", "1/2020/QH14", "Luật A", "Luật",
            f"{parts[0]} {filler} {parts[1]} {filler} {parts[2]}"),
        rec("near", "near", "2/2020/QH14", "Luật B", "Luật",
            f"{' '.join(parts)} {filler} {filler}"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        qt = analyse_query("người lao động được nghỉ hưởng chế độ thai sản mấy tháng?")
        c = rk.Candidates(np.array([0, 1]), np.array([1.0, 1.0]), eng.records)
        ranked = rr.proximity(rk.Query(qt, rk.Weights()), c)  # the stage alone
        assert [ranked.stored(i)["key"] for i in range(2)] == ["near", "far"]
        assert ranked.scores[0] > ranked.scores[1] > 1.0


def test_a_topic_search_reads_an_article_s_body_for_proximity_not_its_title(
    tmp_path: Path,
) -> None:
    """Bộ luật Tố tụng dân sự titles an article with the matters a case may be about; its
    title holds `chia tài sản khi ly hôn` word for word, its body none of it together. The
    rule's article says it in its body. A question still reads the title with the body."""
    filler = " ".join(["Cơ quan có thẩm quyền thực hiện theo quy định của pháp luật."] * 4)
    title = "Đơn yêu cầu công nhận thuận tình ly hôn, thỏa thuận nuôi con, chia tài sản khi ly hôn"
    records = [
        rec("tt#a396", "tt", "92/2015/QH13", "Bộ luật Tố tụng dân sự", "Bộ luật",
            f"Điều 396. {title}\nĐơn yêu cầu ghi rõ. {filler} Tài sản. {filler} Chia. {filler} "
            "Ly hôn.", article="396", article_title=title),
        rec("hn#a59", "hn", "52/2014/QH13", "Luật Hôn nhân và gia đình", "Luật",
            "Điều 59. Nguyên tắc giải quyết tài sản của vợ chồng khi ly hôn\nTài sản chung được "
            f"chia đôi khi ly hôn. {filler}", article="59",
            article_title="Nguyên tắc giải quyết tài sản của vợ chồng khi ly hôn"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        c = rk.Candidates(np.array([0, 1]), np.array([1.0, 1.0]), eng.records)
        for text, first in (("chia tài sản khi ly hôn", "hn#a59"),
                            ("chia tài sản khi ly hôn thế nào?", "tt#a396")):  # fmt: skip
            ranked = rr.proximity(rk.Query(analyse_query(text), rk.Weights()), c)
            assert ranked.stored(0)["key"] == first, text


def _window_count(hits: list[tuple[int, str]], window: int) -> int:
    """The plain reading: at each hit, the distinct syllables of the window ending there."""
    return max((len({s for q, s in hits if p - window < q <= p}) for p, _ in hits), default=0)


def test_window_counts_are_the_plain_readings() -> None:
    rnd = np.random.default_rng(3)
    texts = []
    for _ in range(300):
        where = np.sort(rnd.choice(400, size=int(rnd.integers(0, 40)), replace=False))
        texts.append([(int(p), str(rnd.choice(["xe", "may", "do", "con"]))) for p in where])
    names = ["con", "do", "may", "xe"]
    hits = (
        np.repeat(np.arange(len(texts)), [len(x) for x in texts]),
        np.array([p for x in texts for p, _ in x], dtype=np.intp),
        np.array([names.index(s) for x in texts for _, s in x], dtype=np.intp),
    )
    for window in (1, 2, 12, 30):
        counts = rr.best_window_counts(hits, len(texts), window).tolist()
        assert counts == [_window_count(x, window) for x in texts]
    empty = (np.zeros(0, np.intp),) * 3
    assert rr.best_window_counts(empty, 0, 12).tolist() == []
    assert rr.best_window_counts(empty, 2, 12).tolist() == [0, 0]


def test_naming_the_law_doubles_its_score(tmp_path: Path) -> None:
    with _two_laws(tmp_path) as eng:
        q = "Theo Bộ luật Tố tụng hình sự, thỏa thuận vô hiệu khi nào?"
        with_name = {h.doc_id: h.score for h in eng.search(q).hits}
        eng.weights.named_doc = 0.0
        without = {h.doc_id: h.score for h in eng.search(q).hits}
        assert with_name["tths"] == pytest.approx(2 * without["tths"], rel=0.05)
        assert with_name["tttm"] == pytest.approx(without["tttm"], rel=0.05)


def _first_only_with(tmp_path: Path, records: list, query: str, key: str, *signals: str) -> None:
    """`key` comes first for `query`, and no longer does with these Weights set to 0
    (BM25 alone prefers the other records)."""
    with engine_of(tmp_path, records) as eng:
        assert eng.search(query).hits[0].key == key
        for name in signals:
            setattr(eng.weights, name, 0.0)
        assert eng.search(query).hits[0].key != key


@pytest.mark.parametrize(
    "text",
    [
        "“An ninh mạng” là gì?",
        "an ninh mang la gi",
        "Định nghĩa về an ninh mạng",
        "An ninh mạng được hiểu như thế nào?",
    ],
)
def test_definition_questions_find_the_article_defining_the_term(tmp_path: Path, text: str) -> None:
    uses = "An ninh mạng được bảo vệ. Lực lượng bảo vệ an ninh mạng kiểm tra an ninh mạng."
    records = [
        rec(f"anm#a{n}", "anm", "24/2018/QH14", "Luật An ninh mạng", "Luật", uses,
            article=str(n), article_title="Kiểm tra an ninh mạng", year=2018)
        for n in range(10, 16)
    ] + [
        rec("anm#a2", "anm", "24/2018/QH14", "Luật An ninh mạng", "Luật",
            "Điều 2. Giải thích từ ngữ\n1. Không gian mạng là mạng lưới kết nối.\n"
            "2. An ninh mạng là sự bảo đảm hoạt động trên không gian mạng không gây phương "
            "hại đến an ninh quốc gia, trật tự, an toàn xã hội.",
            article="2", article_title="Giải thích từ ngữ", year=2018),
    ]  # fmt: skip
    _first_only_with(tmp_path, records, text, "anm#a2", "defines", "definition")


def test_title_share_counts_only_titles_made_of_query_words() -> None:
    wanted = set(analyse_query("Hành khách có những quyền gì?").unigrams)
    assert title_words("Quyền của hành khách") == "quyen hanh khach"
    assert title_share(title_words("Quyền của hành khách"), wanted) == 1.0
    assert title_share(title_words("Hợp đồng vận tải hành khách"), wanted) == 0.0
    assert title_share(title_words("Quyền"), wanted) == 0.0  # one word is not a topic


def test_an_article_titled_with_the_question_topic_ranks_first(tmp_path: Path) -> None:
    busy = "Hợp đồng vận tải hành khách giữa hãng và hành khách có quyền, nghĩa vụ của hai bên."
    records = [
        rec(f"ds#a{n}", "ds", "06/2017/QH14", "Luật Đường sắt", "Luật", busy,
            article=str(n), article_title="Hợp đồng vận tải hành khách", year=2017)
        for n in range(50, 56)
    ] + [
        rec("blds#a527", "blds", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật",
            "Hành khách có các quyền: được nhận vé, được miễn cước cho trẻ em.",
            article="527", article_title="Quyền của hành khách", year=2015),
    ]  # fmt: skip
    q = "Điều nào sau đây KHÔNG đúng về quyền của hành khách?"
    _first_only_with(tmp_path, records, q, "blds#a527", "title_all")


def _title_share(query: str, title: str) -> float:
    qt = analyse_query(query)
    vocabulary = title_vocabulary(qt.unigrams, qt.bigrams)
    return title_share(title_words(title), set(qt.unigrams), vocabulary)


def test_a_title_may_name_the_powers_and_duties_listed_with_the_asked_one() -> None:
    lead = "Chính phủ có những nhiệm vụ và quyền hạn sau đây:"
    assert title_words(lead) == "chinh phu nhiem vu quyen han"  # "sau đây" announces a list
    query = "Điều nào là quyền hạn của chính phủ?"
    assert title_share(title_words(lead), set(analyse_query(query).unigrams)) == 0.0
    assert _title_share(query, lead) == pytest.approx(4 / 6)
    assert _title_share(query, "Nhiệm vụ, quyền hạn của Chính phủ") == pytest.approx(4 / 6)
    assert _title_share(query, "Nhiệm vụ, quyền hạn của Thủ tướng Chính phủ") == 0.0
    # the exact title still beats one naming more roles
    exact = _title_share("quyền của hành khách", "Quyền của hành khách")
    assert exact > _title_share("quyền của hành khách", "Quyền và nghĩa vụ của hành khách") > 0
    # without a role in the question, role words in a title are not the question's words
    assert _title_share("chính phủ họp", "Nhiệm vụ của Chính phủ") == 0.0


def test_the_article_listing_an_organ_s_powers_answers_what_they_are(tmp_path: Path) -> None:
    busy = "Chính phủ thực hiện quyền hạn của Chính phủ theo quyền hạn do Chính phủ giao."
    records = [
        rec(f"tccp#a{n}", "tccp", "76/2015/QH13", "Luật Tổ chức Chính phủ", "Luật", busy,
            article=str(n), article_title=title, year=2015)
        for n, title in enumerate(
            ["Phiên họp của Chính phủ", "Quyền hạn về thuế"], 40
        )
    ] + [
        rec("hp#a96", "hp", "HP2013", "Hiến pháp", "Hiến pháp",
            "Chính phủ có những nhiệm vụ và quyền hạn sau đây:\n1. Tổ chức thi hành Hiến pháp, "
            "luật, nghị quyết của Quốc hội;\n2. Đề xuất, xây dựng chính sách trình Quốc hội;\n"
            "3. Thống nhất quản lý về kinh tế, văn hóa, xã hội, giáo dục, y tế, khoa học.",
            article="96", article_title="Chính phủ có những nhiệm vụ và quyền hạn sau đây:",
            year=2013),
    ]  # fmt: skip
    _first_only_with(
        tmp_path, records, "Điều nào là quyền hạn của chính phủ?", "hp#a96", "title_all"
    )


def test_asking_whom_a_named_law_applies_to_finds_its_scope_article(tmp_path: Path) -> None:
    others = ["Thông tin công dân được tiếp cận", "Nguyên tắc", "Xử lý vi phạm", "Hình thức"]
    records = [
        rec(f"tctt#a{n}", "tctt", "104/2016/QH13", "Luật Tiếp cận thông tin", "Luật",
            "Cơ quan nhà nước cung cấp thông tin cho công dân theo yêu cầu.",
            article=str(n), article_title=title, year=2016)
        for n, title in enumerate(others, start=14)
    ] + [
        rec("tctt#a1", "tctt", "104/2016/QH13", "Luật Tiếp cận thông tin", "Luật",
            "Luật này quy định về việc thực hiện quyền tiếp cận thông tin của công dân.",
            article="1", article_title="Phạm vi điều chỉnh", year=2016),
    ]  # fmt: skip
    q = "Luật Tiếp cận thông tin áp dụng cho ai?"
    _first_only_with(tmp_path, records, q, "tctt#a1", "scope")


def _replaced_and_current(tmp_path: Path) -> SearchEngine:
    records = [
        rec("bhxh14#a18", "bhxh14", "58/2014/QH13", "Luật Bảo hiểm xã hội", "Luật",
            "Người lao động có quyền được tham gia và hưởng các chế độ bảo hiểm xã hội.",
            article="18", article_title="Quyền của người lao động", year=2014,
            validity="not_in_force"),
        rec("blld#a5", "blld", "45/2019/QH14", "Bộ luật Lao động", "Bộ luật",
            "1. Được làm việc, tự do lựa chọn việc làm, nghề nghiệp, học nghề, nâng cao trình độ "
            "nghề nghiệp; không bị phân biệt đối xử, cưỡng bức lao động, quấy rối tình dục tại "
            "nơi làm việc; được hưởng lương phù hợp với trình độ, kỹ năng nghề.",
            article="5", article_title="Quyền và nghĩa vụ của người lao động", year=2019),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_the_law_in_force_comes_before_a_replaced_one(tmp_path: Path) -> None:
    with _replaced_and_current(tmp_path) as eng:
        hits = eng.search("quyen cua nguoi lao dong").hits
        assert [h.key for h in hits] == ["blld#a5", "bhxh14#a18"]  # the replaced one is still found
        eng.weights.not_in_force = 1.0
        assert eng.search("quyen cua nguoi lao dong").hits[0].key == "bhxh14#a18"


@pytest.mark.parametrize(
    "text",
    [
        "quyền của người lao động 58/2014/QH13",
        "quyền của người lao động năm 2014",
        "Luật Bảo hiểm xã hội: quyền của người lao động",
    ],
)
def test_a_replaced_law_asked_for_by_number_or_title_keeps_its_rank(
    tmp_path: Path, text: str
) -> None:
    with _replaced_and_current(tmp_path) as eng:
        eng.weights.not_in_force = 0.001  # however strong the demotion, it does not apply
        assert eng.search(text).hits[0].key == "bhxh14#a18"


HNGD = ("hngd", "52/2014/QH13", "Luật Hôn nhân và gia đình", "Luật")


def _family_and_criminal(tmp_path: Path) -> SearchEngine:
    blhs = ("blhs", "100/2015/QH13", "Bộ luật Hình sự", "Bộ luật")
    records = [
        rec("blhs#a181", *blhs, "Tội cưỡng ép kết hôn, ly hôn.", article="181",
            article_title="Tội cưỡng ép kết hôn, ly hôn"),
        rec("hngd#a51", *HNGD, "Vợ, chồng có quyền yêu cầu Tòa án giải quyết ly hôn.",
            article="51", article_title="Quyền yêu cầu giải quyết ly hôn"),
        rec("hngd#a55", *HNGD, "Vợ chồng cùng yêu cầu ly hôn.", article="55",
            article_title="Thuận tình ly hôn"),
        rec("hngd#a1", *HNGD, "Luật này quy định kết hôn, ly hôn.", article="1",
            article_title="Phạm vi điều chỉnh"),
        rec("blhs#a1", *blhs, "Bộ luật này quy định tội phạm.", article="1",
            article_title="Phạm vi điều chỉnh"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_the_law_about_a_topic_comes_before_one_that_mentions_it(tmp_path: Path) -> None:
    """Several articles of one law answer "ly hôn"; the Criminal Code mentions it once."""
    with _family_and_criminal(tmp_path) as eng:
        qt = analyse_query("ly hôn")
        c = rk.Candidates(np.arange(4), np.array([1.0, 0.9, 0.8, 0.5]), eng.records)
        alone = rk.document_relevance(rk.Query(qt, rk.Weights(doc_rel=0.5, doc_scope=0)), c)
        assert alone.stored(int(np.argmax(alone.scores)))["key"] == "hngd#a51"
        off = rk.document_relevance(rk.Query(qt, rk.Weights(doc_rel=0.0)), c)
        assert off.stored(int(np.argmax(off.scores)))["key"] == "blhs#a181"


def test_a_scope_article_on_the_topic_adds_to_its_law(tmp_path: Path) -> None:
    with _family_and_criminal(tmp_path) as eng:
        assert eng.records.scope_records().tolist() == [False, False, False, True, True]
        qt = analyse_query("ly hôn")
        c = rk.Candidates(np.array([0, 1, 3]), np.array([1.0, 0.9, 0.5]), eng.records)
        q = rk.Query(qt, rk.Weights(doc_rel=1.0, doc_rel_top=1, doc_scope=0))
        assert rk.document_relevance(q, c).scores.argmax() == 0
        q.weights.doc_scope = 1.0
        assert rk.document_relevance(q, c).scores.argmax() == 1


def test_a_short_search_prefers_the_article_titled_with_its_words(tmp_path: Path) -> None:
    """ "ly hôn": "Thuận tình ly hôn" is about it; an article that only says it is not."""
    with _family_and_criminal(tmp_path) as eng:
        qt = analyse_query("ly hôn")
        c = rk.Candidates(np.array([3, 2]), np.array([1.0, 0.6]), eng.records)  # a1, a55
        on = rr.title_topic(rk.Query(qt, rk.Weights(title_short=1.0)), c)
        assert on.stored(0)["key"] == "hngd#a55"
        off = rr.title_topic(rk.Query(qt, rk.Weights(title_short=0.0)), c)
        assert off.stored(0)["key"] == "hngd#a1"
        long = analyse_query("vợ chồng yêu cầu tòa án giải quyết ly hôn thế nào")
        assert rr.title_topic(rk.Query(long, rk.Weights(title_short=1.0)), c).stored(0)["key"] == (
            "hngd#a1"
        )


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("vợ chồng thuận tình ly hôn", "hngd#a55"),  # six words naming a topic
        ("vo chong thuan tinh ly hon", "hngd#a55"),
        ("vợ chồng thuận tình ly hôn thì sao", "hngd#a1"),  # the same words, asked
        ("vợ chồng ai thuận tình ly hôn", "hngd#a1"),
    ],
)
def test_a_topic_of_up_to_eight_words_is_short_unless_asked_as_a_question(
    tmp_path: Path, text: str, first: str
) -> None:
    """A search names a topic up to order_max syllables; asked as a question, only up to
    title_short_max: `bị xe tông thì ai phải bồi thường` is a question, not a title."""
    with _family_and_criminal(tmp_path) as eng:
        qt = analyse_query(text)
        assert qt.question == (first == "hngd#a1")
        c = rk.Candidates(np.array([3, 2]), np.array([1.0, 0.55]), eng.records)  # a1, a55
        w = rk.Weights(title_short=1.0, title_exact=0.0)  # title_all lifts a55 either way
        assert rr.title_topic(rk.Query(qt, w), c).stored(0)["key"] == first


def _social_insurance(tmp_path: Path) -> SearchEngine:
    """Luật Bảo hiểm xã hội: one title in the main regime and again in the voluntary one."""
    bhxh = ("bhxh", "58/2014/QH13", "Luật Bảo hiểm xã hội", "Luật")
    lump = "Bảo hiểm xã hội một lần"
    records = [
        rec("bhxh#a59", *bhxh, "Người lao động đi làm việc ở nước ngoài được hưởng.", article="59",
            article_title=f"{lump} đối với người lao động đi làm việc ở nước ngoài"),
        rec("bhxh#a60", *bhxh, "Người lao động chưa đủ 20 năm đóng được hưởng bảo hiểm xã hội "
            "một lần.", article="60", article_title=lump),
        rec("bhxh#a77", *bhxh, "Người tham gia tự nguyện được hưởng bảo hiểm xã hội một lần.",
            article="77", article_title=lump),
        rec("bhyt#a1", "bhyt", "25/2008/QH12", "Luật Bảo hiểm y tế", "Luật",
            "Bảo hiểm xã hội một lần không áp dụng.", article="1", article_title=lump),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def _first(q: str, order: list[int], scores: list[float], eng: SearchEngine, **w: float) -> str:
    c = rk.Candidates(np.array(order), np.array(scores), eng.records)
    return rr.drafting_order(rk.Query(analyse_query(q), rk.Weights(**w)), c).stored(0)["key"]


def test_a_topic_found_twice_in_a_law_opens_at_its_first_article(tmp_path: Path) -> None:
    """The main regime (Điều 60) is drafted before the voluntary one (Điều 77, same title)."""
    with _social_insurance(tmp_path) as eng:
        q = "bảo hiểm xã hội một lần"
        assert _first(q, [2, 1], [1.0, 0.95], eng) == "bhxh#a60"
        assert _first(q, [2, 1], [1.0, 0.95], eng, order_share=0) == "bhxh#a77"
        assert _first(q, [2, 1], [1.0, 0.8], eng) == "bhxh#a77"  # not nearly as good
        assert _first("bao hiem xa hoi mot lan", [2, 1], [1.0, 0.95], eng) == "bhxh#a60"


def test_drafting_order_keeps_to_one_law_and_to_titles_naming_the_topic_as_well(
    tmp_path: Path,
) -> None:
    with _social_insurance(tmp_path) as eng:
        q = "bảo hiểm xã hội một lần"
        # An earlier article whose title adds a qualifier (`đối với người … ở nước ngoài`).
        assert _first(q, [1, 0], [1.0, 0.99], eng) == "bhxh#a60"
        # Another law's article, however close, is not "earlier".
        assert _first(q, [2, 3], [1.0, 0.99], eng) == "bhxh#a77"
        # A whole question asks about a detail, not where a topic starts.
        long = (
            "người lao động chưa đủ hai mươi năm đóng thì được nhận bảo hiểm xã hội một lần không"
        )
        assert _first(long, [2, 1], [1.0, 0.95], eng) == "bhxh#a77"


def test_a_short_search_shows_the_main_regime_first(tmp_path: Path) -> None:
    with _social_insurance(tmp_path) as eng:
        eng.weights.order_share = eng.weights.same_title_share = 0
        keys = [h.key for h in eng.search("bảo hiểm xã hội một lần").hits]
        assert keys.index("bhxh#a77") < keys.index("bhxh#a60")
        eng.weights.same_title_share = 0.5  # the first of a title alone (test_same_title.py)
        keys = [h.key for h in eng.search("bảo hiểm xã hội một lần").hits]
        assert keys.index("bhxh#a60") < keys.index("bhxh#a77")
        eng.weights.order_share, eng.weights.same_title_share = 0.9, 0
        keys = [h.key for h in eng.search("bảo hiểm xã hội một lần").hits]
        assert keys.index("bhxh#a60") < keys.index("bhxh#a77")


def test_a_short_search_prefers_the_title_that_is_just_its_topic(tmp_path: Path) -> None:
    """ "tài sản riêng": the general article, not the one about merging it. (`tài sản riêng
    của vợ` reads the general article's coordinated title `… của vợ, chồng` as its topic:
    tests/search/test_coordinated_titles.py.)"""
    records = [
        rec("hngd#a46", *HNGD, "Việc nhập tài sản riêng vào tài sản chung.", article="46",
            article_title="Nhập tài sản riêng của vợ, chồng vào tài sản chung"),
        rec("hngd#a43", *HNGD, "Tài sản riêng của vợ, chồng gồm tài sản có trước khi kết hôn.",
            article="43", article_title="Tài sản riêng của vợ, chồng"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        qt = analyse_query("tài sản riêng")
        c = rk.Candidates(np.array([0, 1]), np.array([1.0, 0.97]), eng.records)
        on = rr.title_topic(rk.Query(qt, rk.Weights(title_exact=0.25)), c)
        assert on.stored(0)["key"] == "hngd#a43"
        off = rr.title_topic(rk.Query(qt, rk.Weights(title_exact=0.0)), c)
        assert off.stored(0)["key"] == "hngd#a46"


def test_a_definition_question_is_not_sent_to_the_article_titled_with_the_term(
    tmp_path: Path,
) -> None:
    """ "Chất hướng thần là gì?" is answered by `Giải thích từ ngữ`, not by an article whose
    title is just the term: title specificity does not apply to definition questions."""
    law = ("pcmt", "73/2021/QH14", "Luật Phòng, chống ma túy", "Luật")
    records = [
        rec("pcmt#a2", *law, "Chất hướng thần là chất kích thích, ức chế thần kinh.",
            article="2", article_title="Giải thích từ ngữ"),
        rec("pcmt#a9", *law, "Việc kiểm soát chất hướng thần.", article="9",
            article_title="Chất hướng thần"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        c = rk.Candidates(np.array([0, 1]), np.array([1.0, 0.45]), eng.records)
        w = rk.Weights(title_exact=1.0, title_short=0.0)  # title_all: × 2 for `Chất hướng thần`
        topic = rr.title_topic(rk.Query(analyse_query("chất hướng thần"), w), c)
        assert topic.stored(0)["key"] == "pcmt#a9"
        asked = rr.title_topic(rk.Query(analyse_query("Chất hướng thần là gì?"), w), c)
        assert asked.stored(0)["key"] == "pcmt#a2"


def _licences(tmp_path: Path) -> SearchEngine:
    """A sanctions decree whose title names driving licences, and a law with one article on them."""
    nd = (
        "nd168",
        "168/2024/NĐ-CP",
        "Nghị định quy định xử phạt vi phạm hành chính về trật tự, "
        "an toàn giao thông; trừ điểm, phục hồi điểm giấy phép lái xe",
        "Nghị định",
    )
    records = [
        rec("gtdb#a59", "gtdb", "23/2008/QH12", "Luật Giao thông đường bộ", "Luật",
            "Giấy phép lái xe có thời hạn.", article="59", article_title="Giấy phép lái xe"),
        rec("nd168#a18", *nd, "Phạt người điều khiển xe không có giấy phép lái xe.",
            article="18", article_title="Xử phạt vi phạm về điều kiện của người điều khiển xe"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_a_topic_search_prefers_the_document_whose_title_names_it(tmp_path: Path) -> None:
    """A law's title says what it governs; a law that has one article on the topic does not."""
    with _licences(tmp_path) as eng:

        def first(query: str, **w: float) -> str:
            c = rk.Candidates(np.array([0, 1]), np.array([1.0, 0.7]), eng.records)
            return rr.document_title(rk.Query(analyse_query(query), rk.Weights(**w)), c).stored(0)[
                "key"
            ]

        assert eng.records.title_phrases(int(eng.records.units(np.array([1]))[0])) >= {"lai xe"}
        assert first("giấy phép lái xe") == "nd168#a18"
        assert first("giay phep lai xe") == "nd168#a18"
        assert first("giấy phép lái xe", doc_title=0) == "gtdb#a59"
        assert first("cấp giấy phép lái xe") == "nd168#a18"  # 3 of 4 phrases: × 1.56
        assert first("giấy phép lái xe", doc_title=0.25) == "gtdb#a59"
        long = "người điều khiển xe máy phải mang theo giấy phép lái xe khi tham gia giao thông"
        assert first(long) == "gtdb#a59"  # a whole question, not a topic


def test_a_procedure_search_is_about_the_matter_its_law_is_named_for(tmp_path: Path) -> None:
    """`thủ tục khiếu nại` asks for the procedure of a complaint: Luật Khiếu nại's title names
    the matter; `thủ tục` (and the pair across it, `tục khiếu`) names no law."""
    records = [
        rec("thads#a152", "thads", "26/2008/QH12", "Luật Thi hành án dân sự", "Luật",
            "Thủ tục giải quyết khiếu nại lần hai.", article="152",
            article_title="Thủ tục giải quyết khiếu nại lần hai"),
        rec("kn#a7", "kn", "02/2011/QH13", "Luật Khiếu nại", "Luật",
            "Người khiếu nại gửi đơn.", article="7", article_title="Trình tự khiếu nại"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        for query in ("thủ tục khiếu nại", "thu tuc khieu nai", "điều kiện khiếu nại"):
            c = rk.Candidates(np.array([0, 1]), np.array([1.0, 0.6]), eng.records)
            ranked = rr.document_title(rk.Query(analyse_query(query), rk.Weights()), c)
            assert ranked.stored(0)["key"] == "kn#a7", query  # × 2 against × 1.11 before
        assert matter_bigrams(["thu", "tuc"], ["thu tuc"]) == {"thu tuc"}  # nothing else


def test_an_article_records_the_headings_of_the_parts_it_sits_in() -> None:
    doc = Document(
        number="102/2016/QH13",
        kind="Luật",
        title="Luật Trẻ em",
        body=[
            Node("dieu", "1", "Phạm vi điều chỉnh", "Luật này quy định quyền trẻ em."),
            Node("chuong", "II", "QUYỀN VÀ BỔN PHẬN CỦA TRẺ EM", children=[
                Node("muc", "1", "QUYỀN CỦA TRẺ EM", children=[
                    Node("dieu", "12", "Quyền được sống", "Trẻ em được bảo vệ tính mạng."),
                ]),
                Node("dieu", "37", "Bổn phận của trẻ em", "Trẻ em có bổn phận."),
            ]),
        ],
    )  # fmt: skip
    parts = {r.key.split("#")[1]: r.parts for r in document_records(doc)}
    assert parts == {
        "a1": "",
        "a12": "quyen bon phan tre|quyen tre",
        "a37": "quyen bon phan tre",
    }
    assert is_part_topic(parts["a12"], frozenset(analyse_query("quyền trẻ em").unigrams))
    assert not is_part_topic(parts["a37"], frozenset(analyse_query("quyền trẻ em").unigrams))
    assert not is_part_topic(parts["a12"], frozenset({"quyen"}))


@pytest.mark.parametrize(
    ("heading", "text", "found"),
    [
        ("che do thai san", "thai sản", True),  # Mục 2 of Luật Bảo hiểm xã hội's Chương III
        ("che do thai san", "chế độ thai sản", True),
        ("trach nhiem boi thuong thiet hai ngoai hop dong", "boi thuong thiet hai ngoai hop dong",
         True),  # Chương XX of Bộ luật Dân sự
        ("trach nhiem boi thuong thiet hai ngoai hop dong", "bồi thường thiệt hại", False),
        # A head naming an activity about the matter is not the matter's part.
        ("thu tuc giai quyet khieu nai", "giải quyết khiếu nại", False),
    ],
)  # fmt: skip
def test_a_part_named_for_a_matters_regime_is_the_matters_part(
    heading: str, text: str, found: bool
) -> None:
    assert is_part_topic(heading, frozenset(analyse_query(text).unigrams)) is found


def _others() -> list[IndexRecord]:
    """Articles of another law on another topic: enough records for BM25 to weigh words."""
    return [
        rec(f"khac#a{i}", "khac", "1/2020/QH14", "Luật Khác", "Luật", f"Quy định số {i} về thuế.",
            article=str(i), article_title="Thuế")
        for i in range(1, 30)
    ]  # fmt: skip


def _children(tmp_path: Path, replaced_here: bool = True) -> SearchEngine:
    """Luật Trẻ em 2016 and the 2004 law it replaced, both with a part `QUYỀN CỦA TRẺ EM`."""
    law = ("tre16", "102/2016/QH13", "Luật Trẻ em", "Luật")
    old = ("tre04", "25/2004/QH11", "Luật Bảo vệ, chăm sóc và giáo dục trẻ em", "Luật")
    part = part_words(["QUYỀN VÀ BỔN PHẬN CỦA TRẺ EM", "QUYỀN CỦA TRẺ EM"])
    records = [
        rec("tre16#a7", *law, "Nhà nước bảo đảm nguồn lực thực hiện quyền trẻ em. Quyền trẻ "
            "em được ưu tiên.", article="7",
            article_title="Nguồn lực bảo đảm thực hiện quyền trẻ em và bảo vệ trẻ em"),
        rec("tre16#a12", *law, "Trẻ em có quyền được sống, quyền trẻ em được bảo vệ tính mạng.",
            article="12", article_title="Quyền được sống", parts=part),
        rec("tre04#a11", *old, "Trẻ em có quyền được khai sinh, quyền trẻ em được bảo đảm.",
            article="11", article_title="Quyền được khai sinh", parts=part),
    ] + _others()  # fmt: skip
    eng = engine_of(tmp_path, records)
    by = ("tre16",) if replaced_here else ()
    eng.set_attributes({"tre04": DocAttributes(validity="not_in_force", replaced_by=by)})
    return eng


@pytest.mark.parametrize("text", ["quyền trẻ em", "quyen tre em", "quyền của trẻ em"])
def test_a_topic_that_names_a_part_of_a_law_opens_at_its_articles(
    tmp_path: Path, text: str
) -> None:
    """`quyền trẻ em` is the heading of Luật Trẻ em's Mục 1 (the rights, Điều 12-36); the
    article with the words in its title is about funding them."""
    with _children(tmp_path) as eng:
        assert eng.records.parts(1) == "quyen bon phan tre|quyen tre"
        assert [h.key for h in eng.search(text).hits][:2] == ["tre16#a12", "tre16#a7"]
        eng.weights.part_topic = 0
        assert eng.search(text).hits[0].key == "tre16#a7"


def test_a_part_heading_counts_only_when_it_is_the_whole_topic(tmp_path: Path) -> None:
    with _children(tmp_path) as eng:
        assert eng.search("nguồn lực quyền trẻ em").hits[0].key == "tre16#a7"


@pytest.mark.parametrize(
    ("headings", "read"),
    [
        (["ỨNG PHÓ SỰ CỐ, BỒI THƯỜNG THIỆT HẠI BỨC XẠ, HẠT NHÂN", "BỒI THƯỜNG THIỆT HẠI"],
         "ung pho su boi thuong thiet hai buc xa hat nhan|boi thuong thiet hai buc xa"),
        (["NHẬP NGŨ VÀ XUẤT NGŨ TRONG THỜI BÌNH", "XUẤT NGŨ"],
         "nhap ngu xuat ngu trong thoi binh|xuat ngu trong thoi binh"),
        (["KẾT HÔN, LY HÔN", "KẾT HÔN"], "ket hon ly hon|ket hon"),
        (["QUYỀN VÀ BỔN PHẬN CỦA TRẺ EM", "QUYỀN CỦA TRẺ EM"], "quyen bon phan tre|quyen tre"),
    ],
)  # fmt: skip
def test_a_part_heading_is_read_within_the_parts_around_it(headings: list[str], read: str) -> None:
    assert part_words(headings) == read


def test_a_section_its_chapter_qualifies_is_not_the_topic(tmp_path: Path) -> None:
    """Luật Năng lượng nguyên tử's `Mục 2. BỒI THƯỜNG THIỆT HẠI` sits in `Chương 10. ỨNG PHÓ SỰ
    CỐ, BỒI THƯỜNG THIỆT HẠI BỨC XẠ, HẠT NHÂN`: radiation damage, not the Civil Code's."""
    nuclear = ("nlnt", "18/2008/QH12", "Luật Năng lượng nguyên tử", "Luật")
    civil = ("blds", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật")
    chapter = "ỨNG PHÓ SỰ CỐ, BỒI THƯỜNG THIỆT HẠI BỨC XẠ, HẠT NHÂN"
    records = [
        rec("nlnt#a87", *nuclear, "Bồi thường thiệt hại bức xạ, bồi thường thiệt hại hạt nhân.",
            article="87", article_title="Trách nhiệm bồi thường thiệt hại bức xạ",
            parts=part_words([chapter, "BỒI THƯỜNG THIỆT HẠI"])),
        rec("blds#a13", *civil, "Cá nhân có quyền dân sự bị xâm phạm được bồi thường toàn bộ "
            "thiệt hại.", article="13", article_title="Bồi thường thiệt hại"),
    ] + _others()  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        assert eng.search("bồi thường thiệt hại").hits[0].key == "blds#a13"


@pytest.mark.parametrize(("replaced_here", "old_rank"), [(True, 2), (False, 1)])
def test_a_replaced_law_s_part_counts_only_when_its_replacement_is_not_held(
    tmp_path: Path, replaced_here: bool, old_rank: int
) -> None:
    """The law in force first: the old law's part of the same name gets nothing when the
    library holds the law replacing it. Without it, the old text is the best the library
    has on the topic, and it is shown with its status."""
    with _children(tmp_path, replaced_here) as eng:
        keys = [h.key for h in eng.search("quyền trẻ em").hits]
        assert keys[0] == "tre16#a12"
        assert keys.index("tre04#a11") == old_rank


def _lending(tmp_path: Path) -> SearchEngine:
    blds = ("blds", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật")
    debt = ("nocong", "20/2017/QH14", "Luật Quản lý nợ công", "Luật")
    records = [
        rec("nocong#a34", *debt, "Cho vay lại phải bảo đảm lãi suất cho vay lại không thấp hơn "
            "lãi suất vay. Bên vay lại lấy vốn theo hợp đồng.", article="34",
            article_title="Nguyên tắc cho vay lại"),
        rec("blds#a468", *blds, "Lãi suất vay do các bên thỏa thuận. Bên cho vay không được "
            "tính lãi suất vượt quá 20%/năm.", article="468", article_title="Lãi suất"),
    ] + _others()  # fmt: skip
    return engine_of(tmp_path, records)


@pytest.mark.parametrize(
    "text", ["cho vay lấy lãi bao nhiêu là đúng luật", "cho vay lay lai bao nhieu la dung luat"]
)
def test_an_article_titled_with_the_legal_words_for_the_everyday_ones_comes_first(
    tmp_path: Path, text: str
) -> None:
    """`cho vay lấy lãi` is `lãi suất` in the law's words, and Điều 468 is titled `Lãi suất`;
    the debt law's article only uses the words."""
    table = everyday.compile_everyday([("cho vay lấy lãi", "lãi suất")])
    with _lending(tmp_path) as eng, everyday.using_everyday(table):
        assert analyse_query(text).legal == ["lai suat"]
        assert eng.search(text).hits[0].key == "blds#a468"
        eng.weights.legal_title = 0
        assert eng.search(text).hits[0].key == "nocong#a34"
        with everyday.using_everyday([]):
            eng.weights.legal_title = 1.0
            assert analyse_query(text).legal == []
            assert eng.search(text).hits[0].key == "nocong#a34"


def test_a_title_may_add_one_syllable_to_the_legal_words(tmp_path: Path) -> None:
    """`Lãi suất vay` still names `lãi suất`; `Lãi suất cho vay lại` narrows it."""
    debt = ("nocong", "20/2017/QH14", "Luật Quản lý nợ công", "Luật")
    titles = ["Lãi suất", "Lãi suất vay", "Lãi suất cho vay lại", "Nguyên tắc cho vay lại"]
    records = [
        rec(f"nocong#a{i}", *debt, "Lãi suất vay.", article=str(i), article_title=t)
        for i, t in enumerate(titles)
    ]
    table = everyday.compile_everyday([("cho vay lấy lãi", "lãi suất")])
    with engine_of(tmp_path, records) as eng, everyday.using_everyday(table):
        q = rk.Query(analyse_query("cho vay lấy lãi"), rk.Weights())
        c = rk.Candidates(np.arange(4), np.ones(4), eng.records)

        def doubled() -> set[str]:
            out = rr.legal_title(q, c)
            return {out.stored(i)["key"] for i in range(4) if out.scores[i] == 2.0}

        assert doubled() == {"nocong#a0", "nocong#a1"}
        q.weights.legal_extra = 0
        assert doubled() == {"nocong#a0"}


def test_an_index_written_before_part_headings_still_opens_and_searches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kiosk's index from before this field has no `parts` column: it opens, searches as
    before, and finds no part until the next build re-indexes."""
    from offline_index import postings

    monkeypatch.setattr(postings, "ID_FIELDS", ("doc_id", "validity", "atwords"))
    with _children(tmp_path) as eng:
        monkeypatch.undo()
        assert not any("code:parts" in sp.header["arrays"] for sp in eng.corpus.segments)
    with SearchEngine.open(tmp_path / "ix") as eng:
        assert eng.records.parts(1) == ""
        assert eng.search("quyền trẻ em").hits[0].key == "tre16#a7"


def test_a_paged_text_gives_at_most_two_of_the_first_hits(tmp_path: Path) -> None:
    """Six pages of one precedent say one thing six times; after its best two, the Civil
    Code's articles on the question come before its other pages."""
    al = ("43-2021-al", "43/2021/AL", "Án lệ số 43/2021/AL", "Án lệ")
    bl = ("91-2015-qh13", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật")
    page = (
        "Bên thế chấp bán nhà đang thế chấp cho ngân hàng mà không được bên nhận thế chấp đồng ý."
    )
    records = [
        rec(f"43-2021-al#p{n}", *al, page, hit_type="page", page=n) for n in range(1, 7)
    ] + [
        rec("91-2015-qh13#a320", *bl, "Bên thế chấp không được bán tài sản thế chấp.",
            article="320", article_title="Nghĩa vụ của bên thế chấp"),
        rec("91-2015-qh13#a321", *bl, "Bên thế chấp được bán tài sản thế chấp nếu đồng ý.",
            article="321", article_title="Quyền của bên thế chấp"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        keys = [h.key for h in eng.search("bán nhà đang thế chấp ngân hàng").hits]
        assert [k.split("#")[0] for k in keys[:4]] == ["43-2021-al"] * 2 + ["91-2015-qh13"] * 2
        assert len(keys) == 8  # the other pages still follow
        eng.weights.pages_per_doc = 0
        keys = [h.key for h in eng.search("bán nhà đang thế chấp ngân hàng").hits]
        assert [k.split("#")[0] for k in keys[:6]] == ["43-2021-al"] * 6


HNGD_GLOSSARY = (
    "Trong Luật này, các từ ngữ dưới đây được hiểu như sau:\n"
    "1. Hôn nhân là quan hệ giữa vợ và chồng sau khi kết hôn.\n"
    "24. Cấp dưỡng là việc một người có nghĩa vụ đóng góp tiền hoặc tài sản khác để đáp ứng "
    "nhu cầu thiết yếu của người không sống chung với mình.\n"
    "Con là người được sinh ra.\n"
)


def test_a_glossary_gives_the_terms_its_law_defines() -> None:
    """One-syllable terms are left out: `con` says nothing about which law is about it."""
    assert is_glossary(title_words("Giải thích từ ngữ"))
    assert not is_glossary(title_words("Phạm vi điều chỉnh"))
    assert defined_terms(HNGD_GLOSSARY) == ["cap duong", "hon nhan"]


def _maintenance(tmp_path: Path) -> SearchEngine:
    nuoi = ("nccn", "52/2010/QH12", "Luật Nuôi con nuôi", "Luật")
    records = [
        rec("nccn#a24", *nuoi, "Giữa cha mẹ nuôi và con nuôi có đầy đủ các quyền, nghĩa vụ của cha mẹ và con, như "
            "nghĩa vụ cấp dưỡng.",
            article="24", article_title="Hệ quả của việc nuôi con nuôi"),
        rec("hngd#a110", *HNGD, "Cha, mẹ không sống chung với con có nghĩa vụ cấp dưỡng, "
            "trả tiền nuôi con.", article="110",
            article_title="Nghĩa vụ cấp dưỡng của cha, mẹ đối với con"),
        rec("hngd#a3", *HNGD, HNGD_GLOSSARY, article="3", article_title="Giải thích từ ngữ"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_a_topic_defined_in_a_law_s_glossary_prefers_that_law(tmp_path: Path) -> None:
    """`tiền cấp dưỡng nuôi con`: Luật Hôn nhân và gia đình defines `cấp dưỡng`."""
    with _maintenance(tmp_path) as eng:
        hngd = eng.records.unit_codes({"hngd"})
        assert eng.records.defined_by({"cap duong", "nuoi con"}) == hngd
        c = rk.Candidates(np.array([0, 1]), np.array([1.0, 0.9]), eng.records)
        for text, first in [
            ("tiền cấp dưỡng nuôi con", "hngd#a110"),
            ("tien cap duong nuoi con", "hngd#a110"),
            ("ai phải trả tiền cấp dưỡng nuôi con?", "nccn#a24"),  # a question: not a topic
            ("nuôi con", "nccn#a24"),  # no term the law defines
        ]:
            # Two laws, both using `cấp dưỡng`: the share guard is the next test's.
            out = rk.document_defines(rk.Query(analyse_query(text), rk.Weights(defines_share=1)), c)
            assert out.stored(int(np.argmax(out.scores)))["key"] == first, text
        off = rk.document_defines(
            rk.Query(analyse_query("cấp dưỡng"), rk.Weights(doc_defines=0)), c
        )
        assert off.stored(int(np.argmax(off.scores)))["key"] == "nccn#a24"


def test_an_index_written_before_glossaries_were_read_still_searches(tmp_path: Path) -> None:
    with _maintenance(tmp_path) as eng:
        for t in eng._title_list():
            t.pop("defines", None)
        assert eng.records.defined_by({"cap duong"}) == set()
        assert eng.search("tiền cấp dưỡng nuôi con").hits


def test_a_word_most_laws_use_says_nothing_of_the_law_defining_it(tmp_path: Path) -> None:
    """Luật Đấu thầu defines `hợp đồng`, which most documents use: no bonus for it."""
    dt = ("dt", "43/2013/QH13", "Luật Đấu thầu", "Luật")
    nha = ("no", "65/2014/QH13", "Luật Nhà ở", "Luật")
    records = [
        rec("no#a129", *nha, "Hợp đồng thuê nhà ở do các bên thỏa thuận.", article="129",
            article_title="Thuê nhà ở"),
        rec("dt#a89", *dt, "Hợp đồng thuê tư vấn được ký kết sau khi thương thảo.",
            article="89", article_title="Ký kết hợp đồng"),
        rec("dt#a4", *dt, "1. Hợp đồng là văn bản thỏa thuận giữa chủ đầu tư và nhà thầu.",
            article="4", article_title="Giải thích từ ngữ"),
        rec("hngd#a9", *HNGD, "Thỏa thuận, hợp đồng về tài sản chung.", article="9",
            article_title="Đăng ký kết hôn"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        assert eng.records.document_share("hop dong") == 1.0
        c = rk.Candidates(np.array([0, 1]), np.array([1.0, 0.9]), eng.records)
        q = rk.Query(analyse_query("hợp đồng thuê nhà"), rk.Weights())
        assert rk.document_defines(q, c).scores.tolist() == [1.0, 0.9]
        q.weights.defines_share = 1.0  # without the guard, the procurement law would win
        assert rk.document_defines(q, c).scores.argmax() == 1


def _regimes(tmp_path: Path) -> SearchEngine:
    """The general rule and its special regimes: an article titled with the qualifier, and
    articles in a part named by it (Chương III Luật Nuôi con nuôi)."""
    blld = ("blld", "45/2019/QH14", "Bộ luật Lao động", "Bộ luật")
    ncn = ("ncn", "52/2010/QH12", "Luật Nuôi con nuôi", "Luật")
    blds = ("blds", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật")
    foreign = part_words(["NUÔI CON NUÔI CÓ YẾU TỐ NƯỚC NGOÀI"])
    records = [
        rec("blld#a107", *blld, "Số giờ làm thêm được giới hạn: không quá 40 giờ trong 01 "
            "tháng và 200 giờ trong 01 năm.", article="107", article_title="Làm thêm giờ"),
        rec("blld#a108", *blld, "Người lao động làm thêm giờ không bị giới hạn số giờ làm thêm, "
            "không bị giới hạn số ngày.", article="108",
            article_title="Làm thêm giờ trong trường hợp đặc biệt"),
        rec("ncn#a14", *ncn, "Người nhận con nuôi phải có năng lực hành vi dân sự đầy đủ và đủ "
            "điều kiện.", article="14", article_title="Điều kiện đối với người nhận con nuôi"),
        rec("ncn#a29", *ncn, "Người nhận con nuôi ở nước ngoài phải đủ điều kiện nhận con nuôi.",
            article="29", article_title="Điều kiện đối với người nhận con nuôi", parts=foreign),
        rec("blds#a360", *blds, "Trường hợp có thiệt hại do vi phạm nghĩa vụ gây ra thì bên có "
            "nghĩa vụ phải bồi thường toàn bộ thiệt hại.", article="360",
            article_title="Trách nhiệm bồi thường thiệt hại do vi phạm nghĩa vụ"),
        rec("blds#a363", *blds, "Trường hợp vi phạm nghĩa vụ và có thiệt hại mà bên bị vi phạm "
            "cũng có lỗi thì bên vi phạm chỉ phải bồi thường thiệt hại tương ứng.", article="363",
            article_title="Bồi thường thiệt hại trong trường hợp bên bị vi phạm có lỗi"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("giới hạn giờ làm thêm", "blld#a107"),
        ("gioi han gio lam them", "blld#a107"),
        ("điều kiện nhận con nuôi", "ncn#a14"),
        # Naming the special regime asks for it.
        ("làm thêm giờ trong trường hợp đặc biệt", "blld#a108"),
        ("điều kiện nhận con nuôi nước ngoài", "ncn#a29"),
        # A special case the search does not name: the rule first; named, the case.
        ("bồi thường thiệt hại", "blds#a360"),
        ("boi thuong thiet hai", "blds#a360"),
        ("bồi thường thiệt hại khi bên bị vi phạm cũng có lỗi", "blds#a363"),
    ],
)
def test_the_general_rule_comes_before_a_special_regime_not_asked_about(
    tmp_path: Path, text: str, first: str
) -> None:
    """The special regime's article answers a little better (1.0 against 0.8): the general
    rule goes first unless the search names the regime."""
    special = {"blld": (1, 0), "ncn": (3, 2), "blds": (5, 4)}[first.split("#")[0]]
    with _regimes(tmp_path) as eng:
        c = rk.Candidates(np.array(special), np.array([1.0, 0.8]), eng.records)
        q = rk.Query(analyse_query(text), rk.Weights())
        assert rr.general_regime(q, c).stored(0)["key"] == first
        off = rk.Query(analyse_query(text), rk.Weights(special_regime=1.0))
        assert rr.general_regime(off, c).stored(0)["key"] == c.stored(0)["key"]


@pytest.mark.parametrize("text", ["nhận con nuôi", "nhan con nuoi"])
def test_a_search_finds_the_general_rule_first(tmp_path: Path, text: str) -> None:
    """The stage runs in the engine's pipeline (the part heading is indexed with the record)."""
    with _regimes(tmp_path) as eng:
        assert eng.search(text).hits[0].key == "ncn#a14"
        eng.weights.special_regime = 1.0
        assert eng.search(text).hits[0].key == "ncn#a29"


def _dossier(tmp_path: Path) -> SearchEngine:
    """Sick-leave pay: the rule, and the dossier article that names the benefit in every item
    (Luật Bảo hiểm xã hội Điều 25 and Điều 100, shortened)."""
    bh = ("bh", "58/2014/QH13", "Luật Bảo hiểm xã hội", "Luật")
    records = [
        rec("bh#a25", *bh, "Người lao động được hưởng chế độ ốm đau khi bị ốm đau phải nghỉ "
            "việc và có xác nhận của cơ sở khám bệnh.", article="25",
            article_title="Điều kiện hưởng chế độ ốm đau"),
        rec("bh#a100", *bh, "1. Giấy ra viện hưởng chế độ ốm đau. 2. Giấy chứng nhận nghỉ "
            "việc hưởng chế độ ốm đau. 3. Danh sách người nghỉ hưởng chế độ ốm đau. 4. Giấy "
            "xác nhận ốm đau.", article="100", article_title="Hồ sơ hưởng chế độ ốm đau"),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("nghỉ ốm đau hưởng chế độ", "bh#a25"),
        ("nghi om dau huong che do", "bh#a25"),
        # Asking for the papers or the procedure asks for the dossier.
        ("hồ sơ hưởng chế độ ốm đau", "bh#a100"),
        ("giấy tờ hưởng chế độ ốm đau", "bh#a100"),
        ("thu tuc huong che do om dau", "bh#a100"),
    ],
)
def test_the_rule_comes_before_the_papers_not_asked_for(
    tmp_path: Path, text: str, first: str
) -> None:
    """The dossier article answers a little better (1.0 against 0.8): the rule goes first
    unless the search asks for papers."""
    with _dossier(tmp_path) as eng:
        c = rk.Candidates(np.array([1, 0]), np.array([1.0, 0.8]), eng.records)
        q = rk.Query(analyse_query(text), rk.Weights())
        assert rr.rule_before_dossier(q, c).stored(0)["key"] == first
        off = rk.Query(analyse_query(text), rk.Weights(dossier=1.0))
        assert rr.rule_before_dossier(off, c).stored(0)["key"] == "bh#a100"


def test_a_search_finds_the_rule_before_the_dossier(tmp_path: Path) -> None:
    """The stage runs in the engine's pipeline, where BM25 prefers the dossier's repeats."""
    with _dossier(tmp_path) as eng:
        assert eng.search("chế độ ốm đau").hits[0].key == "bh#a25"
        eng.weights.dossier = 1.0
        assert eng.search("chế độ ốm đau").hits[0].key == "bh#a100"


def test_a_dossier_and_a_search_for_papers_are_told_by_their_words() -> None:
    assert is_dossier(title_words("Hồ sơ hưởng lương hưu"))
    assert not is_dossier(title_words("Lưu trữ hồ sơ"))  # a duty to keep records
    assert not is_dossier(title_words("Điều kiện hưởng lương hưu"))
    assert asks_for_papers("ho so huong luong huu") and asks_for_papers("giay to can co")
    assert asks_for_papers("trinh tu dang ky") and not asks_for_papers("luong huu")


def test_a_special_regime_is_named_by_its_qualifier() -> None:
    foreign = part_words(["Chương III", "NUÔI CON NUÔI CÓ YẾU TỐ NƯỚC NGOÀI"])
    assert special_regime("dieu kien nguoi nhan con nuoi", foreign, "nhan con nuoi")
    assert not special_regime("dieu kien nguoi nhan con nuoi", foreign, "con nuoi nuoc ngoai")
    assert special_regime("lam them gio trong truong hop dac biet", "", "lam them gio")
    assert not special_regime("lam them gio", "", "lam them gio")
    assert not special_regime("nguoi nuoc ngoai", "", "nhan con nuoi")  # no qualifier


def test_a_special_case_is_named_by_its_words() -> None:
    case = title_words("Bồi thường thiệt hại trong trường hợp bên bị vi phạm có lỗi")
    assert special_case(case, "boi thuong thiet hai")
    assert not special_case(case, "boi thuong thiet hai ben vi pham loi")
    assert not special_case(case, "boi thuong truong hop nao")  # asks about the cases
    # An article that lists the cases is not one of them.
    assert not special_case(title_words("Các trường hợp hưởng trợ cấp tuất một lần"), "tuat")


def test_a_case_s_words_that_name_its_part_are_not_the_case() -> None:
    """`Phân chia di sản trong trường hợp có người thừa kế mới …` sits in the Civil Code's
    part on inheritance: `chia thừa kế` names the part, not the case of a new heir."""
    case = title_words("Phân chia di sản trong trường hợp có người thừa kế mới hoặc có người "
                       "thừa kế bị bác bỏ quyền thừa kế")  # fmt: skip
    part = part_words(["THỪA KẾ", "THANH TOÁN VÀ PHÂN CHIA DI SẢN"])
    assert special_case(case, "chia thua ke", part)
    assert not special_case(case, "chia thua ke", "")  # read alone, `thừa kế` names the case
    assert not special_case(case, "chia thua ke nguoi thua ke moi", part)
    assert not special_case(title_words("Lãi suất trong trường hợp thừa kế"), "thua ke", part)


def test_a_subject_the_search_does_not_name_is_a_special_case() -> None:
    """`Xử phạt đối với lái tàu, phụ lái tàu` (Nghị định 100/2019) is the fine for train
    drivers; a resident asking about speeding names no train."""
    train = title_words("Xử phạt đối với lái tàu, phụ lái tàu")
    assert special_case(train, "chay qua toc do")
    assert not special_case(train, "phat lai tau chay qua toc do")
    rule = title_words("Nguyên tắc thực hiện chế độ đối với người bị tai nạn lao động")
    part = part_words(["CHẾ ĐỘ BẢO HIỂM TAI NẠN LAO ĐỘNG"])
    assert not special_case(rule, "tai nan lao dong", part)  # a subject keeps all its words
    assert not special_case(title_words("Đối với người nước ngoài"), "thue")  # opens with it
    assert not special_case(title_words("Bồi thường thiệt hại"), "boi thuong")


def test_a_procedure_s_steps_are_one_word_in_titles_and_searches() -> None:
    assert title_words("Trình tự khiếu nại") == "thu tuc khieu nai"
    assert title_words("Trình tự, thủ tục giải quyết tố cáo") == "thu tuc giai quyet to cao"
    assert title_words("Thứ tự ưu tiên thanh toán") == "thu tu uu tien thanh toan"
    assert topic_words(analyse_query("trình tự khiếu nại").unigrams) == {
        "thu",
        "tuc",
        "khieu",
        "nai",
    }
    assert topic_words(analyse_query("thu tuc khieu nai").unigrams) == {
        "thu",
        "tuc",
        "khieu",
        "nai",
    }


@pytest.mark.parametrize("text", ["thủ tục khiếu nại", "thu tuc khieu nai", "trình tự khiếu nại"])
def test_a_procedure_asked_as_thu_tuc_finds_the_article_titled_trinh_tu(
    tmp_path: Path, text: str
) -> None:
    """Luật Khiếu nại names its procedure `Trình tự khiếu nại`; another law's article titled
    `Thủ tục giải quyết khiếu nại lần hai` matches the typed words better (1.0 against 0.8).
    The title stage reads both titles' steps as one word: the article about the topic first."""
    records = [
        rec("thads#a152", "thads", "26/2008/QH12", "Luật Thi hành án dân sự", "Luật",
            "Thủ tục giải quyết khiếu nại lần hai như lần đầu.", article="152",
            article_title="Thủ tục giải quyết khiếu nại lần hai"),
        rec("kn#a7", "kn", "02/2011/QH13", "Luật Khiếu nại", "Luật",
            "Người khiếu nại khiếu nại lần đầu đến người đã ra quyết định.",
            article="7", article_title="Trình tự khiếu nại"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        c = rk.Candidates(np.array([0, 1]), np.array([1.0, 0.8]), eng.records)
        q = rk.Query(analyse_query(text), rk.Weights())
        assert rr.title_topic(q, c).stored(0)["key"] == "kn#a7"
