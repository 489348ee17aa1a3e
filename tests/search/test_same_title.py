"""The same title twice in one law: the earlier article is the main regime
(drafting_order.first_of_a_title)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from offline_index import ranking as rk
from offline_index import reranking as rr
from offline_index.analysis import analyse_query
from offline_index.article_titles import parallel_sanctions, part_words, title_words
from offline_index.search_engine import SearchEngine

from .conftest import engine_of, first_after, rec

PENSION = "Điều kiện hưởng lương hưu"


def _law(tmp_path: Path) -> SearchEngine:
    """Luật Bảo hiểm xã hội's two articles titled `Điều kiện hưởng lương hưu`: Điều 54 in the
    compulsory insurance's chapter, Điều 73 in the voluntary one's; and Điều 56, another."""
    bhxh = ("bhxh", "58/2014/QH13", "Luật Bảo hiểm xã hội", "Luật")
    compulsory = part_words(["BẢO HIỂM XÃ HỘI BẮT BUỘC", "CHẾ ĐỘ HƯU TRÍ"])
    voluntary = part_words(["BẢO HIỂM XÃ HỘI TỰ NGUYỆN", "CHẾ ĐỘ HƯU TRÍ"])
    records = [
        rec("bhxh#a54", *bhxh, "Người lao động đóng bảo hiểm xã hội đủ 20 năm trở lên được "
            "hưởng lương hưu khi đủ tuổi.", article="54", article_title=PENSION, parts=compulsory),
        rec("bhxh#a73", *bhxh, "Người tham gia bảo hiểm xã hội tự nguyện hưởng lương hưu khi "
            "đủ điều kiện về tuổi và đủ điều kiện 20 năm đóng.", article="73", article_title=PENSION,
            parts=voluntary),
        rec("bhxh#a56", *bhxh, "Mức lương hưu hằng tháng được tính bằng 45% mức bình quân "
            "tiền lương.", article="56", article_title="Mức lương hưu hằng tháng",
            parts=compulsory),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def _first(eng: SearchEngine, text: str, scores: list[float], **weights: float) -> str:
    """The first of Điều 73 and Điều 54 (in that order, with these scores) after the stage."""
    c = rk.Candidates(np.array([1, 0]), np.array(scores), eng.records)
    q = rk.Query(analyse_query(text), rk.Weights(**weights))
    return rr.first_of_a_title(q, c).stored(0)["key"]


@pytest.mark.parametrize("text", ["điều kiện hưởng lương hưu", "dieu kien huong luong huu"])
def test_the_first_article_of_a_title_is_the_main_regime(tmp_path: Path, text: str) -> None:
    with _law(tmp_path) as eng:
        assert _first(eng, text, [1.0, 0.8]) == "bhxh#a54"
        assert _first(eng, text, [1.0, 0.8], same_title_share=0.0) == "bhxh#a73"
        # Far behind, the earlier one answers something else: the order stands.
        assert _first(eng, text, [1.0, 0.4]) == "bhxh#a73"


def test_naming_the_later_ones_part_asks_for_it(tmp_path: Path) -> None:
    with _law(tmp_path) as eng:
        assert _first(eng, "lương hưu bảo hiểm xã hội tự nguyện", [1.0, 0.8]) == "bhxh#a73"
        # A question is left to the stages that read it.
        assert _first(eng, "điều kiện hưởng lương hưu là gì?", [1.0, 0.8]) == "bhxh#a73"


def test_only_the_same_title_counts(tmp_path: Path) -> None:
    with _law(tmp_path) as eng:
        c = rk.Candidates(np.array([1, 2]), np.array([1.0, 0.9]), eng.records)
        q = rk.Query(analyse_query("lương hưu"), rk.Weights())
        assert rr.first_of_a_title(q, c).stored(0)["key"] == "bhxh#a73"


CAR = (
    "Xử phạt, trừ điểm giấy phép lái xe của người điều khiển xe ô tô vi phạm quy tắc giao "
    "thông đường bộ"
)  # Nghị định 168/2024 Điều 6, shortened
BICYCLE = "Xử phạt người điều khiển xe đạp, xe thô sơ vi phạm quy tắc giao thông đường bộ"
LICENCE = "Xử phạt các hành vi vi phạm quy định về điều kiện của người điều khiển xe cơ giới"


def test_sanction_articles_of_one_template_are_parallel() -> None:
    assert parallel_sanctions(title_words(CAR), title_words(BICYCLE))
    assert not parallel_sanctions(title_words(CAR), title_words(LICENCE))  # another template
    assert not parallel_sanctions("quyen cua ben thue", "quyen cua ben cho thue")


def _decree(tmp_path: Path) -> SearchEngine:
    nd = ("nd", "168/2024/NĐ-CP", "Nghị định xử phạt vi phạm hành chính giao thông", "Nghị định")
    records = [
        rec("nd#a6", *nd, "Phạt tiền từ 18.000.000 đồng đến 20.000.000 đồng đối với người điều "
            "khiển xe ô tô không chấp hành hiệu lệnh của đèn tín hiệu giao thông.", article="6",
            article_title=CAR),
        rec("nd#a9", *nd, "Phạt tiền người điều khiển xe đạp không chấp hành hiệu lệnh của đèn "
            "tín hiệu giao thông.", article="9", article_title=BICYCLE),
    ]  # fmt: skip
    return engine_of(tmp_path, records)


def test_the_first_subject_of_a_sanctions_decree_goes_first(tmp_path: Path) -> None:
    text = "không chấp hành đèn tín hiệu"
    with _decree(tmp_path) as eng:
        assert first_after(rr.first_of_a_title, eng, text, (1, 0.65)) == "nd#a6"
        off = first_after(rr.first_of_a_title, eng, text, (1, 0.65), parallel_share=0.0)
        assert off == "nd#a9"
        # Half as good: the same words once in an article three times as long (the commonest
        # subject's article lists the most violations; BM25 normalises by length).
        assert first_after(rr.first_of_a_title, eng, text, (1, 0.499)) == "nd#a6"
        # Far behind, the earlier one answers something else: the order stands.
        assert first_after(rr.first_of_a_title, eng, text, (1, 0.4)) == "nd#a9"
        # The search that names the later one's subject asks for it.
        assert first_after(rr.first_of_a_title, eng, "vượt đèn đỏ xe đạp", (1, 0.65)) == "nd#a9"


def test_a_topic_in_everyday_words_is_counted_as_typed(tmp_path: Path) -> None:
    """`phạt vượt đèn đỏ` is four syllables typed; the thesaurus adds the decree's words
    (`không chấp hành hiệu lệnh của đèn tín hiệu giao thông`), nine more."""
    with _decree(tmp_path) as eng:
        c = rk.Candidates(np.array([1, 0]), np.array([1.0, 0.65]), eng.records)
        q = rk.Query(analyse_query("phạt vượt đèn đỏ"), rk.Weights())
        assert len(q.topic) > q.weights.order_max >= q.typed
        assert rr.first_of_a_title(q, c).stored(0)["key"] == "nd#a6"


@pytest.mark.parametrize("text", ["phạt vượt đèn đỏ", "phat vuot den do"])
def test_the_first_subject_stays_first_after_proximity(tmp_path: Path, text: str) -> None:
    """Through the engine: proximity scores the short bicycle article's words higher, and
    first_of_a_title_again puts the car article back first."""
    with _decree(tmp_path) as eng:
        assert [h.article for h in eng.search(text).hits] == ["6", "9"]
