"""`toi` typed without diacritics where a resident tells their own case is `tôi`, not `tội`
(stopwords.is_me)."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_index.analysis import analyse_query

from .conftest import engine_of, rec


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("chong toi danh bai bi bat", ["chong", "danh", "bai", "bi", "bat"]),
        ("nha toi o trong ngo cut", ["nha", "o", "trong", "ngo", "cut"]),
        ("tien rieng cua toi", ["tien", "rieng"]),
        ("toi muon ly hon", ["muon", "ly", "hon"]),
        ("gio toi muon lay lai nha", ["gio", "muon", "lay", "lai", "nha"]),
        ("toi trom cap tai san", ["toi", "trom", "cap", "tai", "san"]),  # an offence
        ("pham toi lan dau", ["pham", "toi", "lan", "dau"]),
        ("hanh vi nay la toi gi", ["hanh", "vi", "toi"]),
        ("phong chong toi pham", ["phong", "chong", "toi", "pham"]),
        ("suy doan vo toi", ["suy", "doan", "vo", "toi"]),
    ],
)
def test_plain_toi_telling_one_s_own_case_is_the_resident(text: str, words: list[str]) -> None:
    got = analyse_query(text).unigrams  # the thesaurus's legal words may follow
    assert got[: len(words)] == words and ("toi" in got) == ("toi" in words)


def test_a_resident_s_own_case_is_not_read_as_an_offence(tmp_path: Path) -> None:
    """`… cua toi` asks about the resident's privacy; read as `tội` it opened the offence."""
    blds = ("blds", "91/2015/QH13", "Bộ luật Dân sự", "Bộ luật")
    blhs = ("blhs", "100/2015/QH13", "Bộ luật Hình sự", "Bộ luật")
    records = [
        rec("blhs#a159", *blhs, "Người nào công khai thông tin riêng tư của người khác mà đã bị "
            "xử lý kỷ luật thì bị phạt cảnh cáo, phạt tiền.", article="159",
            article_title="Tội xâm phạm bí mật hoặc an toàn thư tín, điện thoại, điện tín"),
        rec("blds#a38", *blds, "Đời sống riêng tư, bí mật cá nhân, bí mật gia đình là bất khả "
            "xâm phạm. Việc thu thập, lưu giữ, sử dụng, công khai thông tin liên quan đến đời "
            "sống riêng tư phải được người đó đồng ý.", article="38",
            article_title="Quyền về đời sống riêng tư, bí mật cá nhân, bí mật gia đình"),
    ]  # fmt: skip
    with engine_of(tmp_path, records) as eng:
        for text in ("công khai chuyện riêng tư của tôi", "cong khai chuyen rieng tu cua toi"):
            assert eng.search(text, limit=2).hits[0].key == "blds#a38", text
