"""The everyday-to-legal thesaurus as release content: validated, stored, searched, listed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from offline_index import analysis, everyday
from offline_index import thesaurus as ths
from offline_index.build import build_generation
from offline_index.demo import CONTENT
from offline_index.errors import ContentError
from offline_index.library import Library
from offline_index.model import ThesaurusEntry
from offline_index.thesaurus import default_entries

from .library_content import content_source

LAW = {
    "number": "36/2024/QH15",
    "kind": "Luật",
    "title": "Luật Trật tự, an toàn giao thông đường bộ",
    "body": [
        {
            "level": "dieu",
            "number": "59",
            "title": "Giấy phép lái xe",
            "text": "Giấy phép lái xe gồm các hạng A1, A, B1, B.",
        }
    ],
}


def _source(root: Path, name: str, thesaurus: list[dict] | None) -> Path:
    return content_source(root, name, [LAW], thesaurus=thesaurus)


def _keys(lib: Library, query: str) -> list[str]:
    return [h.key for h in lib.search(query).hits]


def test_entries_are_validated() -> None:
    ok = ThesaurusEntry.from_dict({"everyday": "Bằng lái", "legal": "giấy phép lái xe"}, "t.json")
    assert (ok.everyday, ok.id) == ("bằng lái", "bang-lai")
    for bad, reason in (
        ({"everyday": "bằng lái"}, "legal: is required"),
        ({"everyday": "a b c d e f g", "legal": "x"}, "everyday: must be 1 to 6 words"),
        ({"everyday": "ly dị", "legal": "Ly Dị"}, "legal: is the same as the everyday words"),
    ):
        with pytest.raises(ContentError, match=reason):
            ThesaurusEntry.from_dict(bad, "t.json")


def test_the_code_has_no_table_of_its_own() -> None:
    """The default table is the demo content's file, read like any content."""
    entries = default_entries()
    assert ("bằng lái", "giấy phép lái xe") in {(e.everyday, e.legal) for e in entries}
    assert not hasattr(analysis, "EVERYDAY_TERMS")
    data = json.loads((CONTENT / "thesaurus" / "everyday.json").read_text(encoding="utf-8"))
    assert len(everyday.default_everyday()) == len(data["entries"]) == len(entries)


def test_a_library_searches_with_its_release_table(tmp_path: Path) -> None:
    own = [{"everyday": "phạt nguội", "legal": "xử phạt qua hình ảnh"}]
    gen = tmp_path / "gen"
    report = build_generation([_source(tmp_path, "a", own)], gen)
    assert report.counts["thesaurus"] == 1
    with Library.open(gen) as lib:
        assert [(e.everyday, e.legal) for e in lib.thesaurus()] == [
            ("phạt nguội", "xử phạt qua hình ảnh")
        ]
        # "bằng lái" is not in this release's table: only its own words find the article
        assert _keys(lib, "bằng lái") == []


def test_a_release_without_a_table_uses_the_default(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    build_generation([_source(tmp_path, "a", None)], gen)
    with Library.open(gen) as lib:
        assert lib.thesaurus() == default_entries()
        assert _keys(lib, "bằng lái") == ["36-2024-qh15#a59"]  # giấy phép lái xe


def test_a_later_source_extends_and_overrides(tmp_path: Path) -> None:
    first = _source(tmp_path, "a", [{"everyday": "bằng lái", "legal": "giấy phép"}])
    later = _source(
        tmp_path,
        "b",
        [
            {"everyday": "bằng lái", "legal": "giấy phép lái xe"},
            {"everyday": "phạt nguội", "legal": "xử phạt qua hình ảnh"},
        ],
    )
    gen = tmp_path / "gen"
    build_generation([first, later], gen)
    with Library.open(gen) as lib:
        assert {(e.everyday, e.legal) for e in lib.thesaurus()} == {
            ("bằng lái", "giấy phép lái xe"),
            ("phạt nguội", "xử phạt qua hình ảnh"),
        }


def test_a_bad_entry_is_skipped_and_named(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    report = build_generation([_source(tmp_path, "a", [{"everyday": "bằng lái"}])], gen)
    assert any(
        "thesaurus/entries.json" in e.message and "legal" in e.message for e in report.skipped
    )


def test_librarians_can_list_it(tmp_path: Path) -> None:
    gen = tmp_path / "gen"
    build_generation([_source(tmp_path, "a", None)], gen)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["thesaurus", "--library", str(gen), "bằng"], catch_exceptions=False
    )
    assert result.exit_code == 0 and "bằng lái → giấy phép lái xe" in result.output
    result = runner.invoke(cli, ["thesaurus", "--library", str(gen), "bằng lái xe hạng"])
    assert result.stdout == "" and result.stderr == "(0 entries)\n"  # the count on stderr
    result = runner.invoke(cli, ["thesaurus", "--library", str(gen), "dọa đánh"])
    assert len(result.stdout.splitlines()) == 1 and result.stderr == "(1 entry)\n"
    result = runner.invoke(
        cli, ["thesaurus", "--library", str(gen), "--json"], catch_exceptions=False
    )
    listed = [e["everyday"] for e in json.loads(result.output)]
    assert sorted(listed) == sorted(e.everyday for e in default_entries())
    assert listed.index("bằng lái") < listed.index("bhxh") < listed.index("đền bù")  # a, ă, b, đ


def test_dictionary_order_is_letters_first_then_tones() -> None:
    from offline_index.thesaurus import dictionary_key

    words = ["zalo", "bhxh", "đất", "dân", "ư", "uy", "ơn", "ông", "ăn cắp", "anh em", "án oan"]
    words += ["1 năm", "ạ", "á", "a", "Âm", "ăm"]
    assert sorted(words, key=dictionary_key) == [
        "1 năm", "a", "á", "ạ", "án oan", "anh em", "ăm", "ăn cắp", "Âm", "bhxh", "dân", "đất",
        "ông", "ơn", "uy", "ư", "zalo",
    ]  # fmt: skip


def test_the_longest_everyday_phrase_wins_where_matches_overlap() -> None:
    table = everyday.compile_everyday(
        [
            ("bị lừa", "lừa đảo chiếm đoạt tài sản"),
            ("bị lừa ký", "bị lừa dối"),
            ("bị lừa ký", "giao dịch vô hiệu"),  # a second wording of the same words: both
            ("nhà trọ", "thuê nhà ở"),
        ]
    )
    with everyday.using_everyday(table):
        for text in ("bị lừa ký hợp đồng ở nhà trọ", "bi lua ky hop dong o nha tro"):
            words = analysis.analyse_query(text).unigrams
            assert {"doi", "giao", "vo", "hieu", "thue"} <= set(words), text
            assert not {"dao", "chiem", "doat"} & set(words), text
        assert "dao" in analysis.analyse_query("bị lừa mất tiền").unigrams


def _expanded(table: list[tuple[str, str]], text: str) -> set[str]:
    with everyday.using_everyday(everyday.compile_everyday(table)):
        return set(analysis.analyse_query(text).bigrams)


NEAR = [("bố mất người nợ không trả", "người thừa kế thực hiện nghĩa vụ tài sản")]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("bố mất còn nợ ngân hàng, con không trả thì sao ạ", True),  # all but `người`
        ("bo mat con no ngan hang, con khong tra thi sao a", True),  # typed without diacritics
        ("bố mắt kém còn nợ ngân hàng, con không trả thì sao", False),  # `mắt`: as typed
        ("bố mất nợ không trả", False),  # five words: a keyword search, not a sentence
        ("bố mất còn nợ ngân hàng, con trả không được", False),  # `trả` before `không`
        ("bố mất còn nợ ngân hàng, con không lo thì sao", False),  # two of five missing
    ],
)
def test_a_question_may_hold_a_long_everyday_phrase_less_one_word(text: str, read: bool) -> None:
    """Residents tell a situation with a word left out or changed: a phrase of six words or
    more reads in a question that holds all of its words but one in five, in its order."""
    assert ("thua ke" in _expanded(NEAR, text)) is read, text


def test_a_near_phrase_adds_its_legal_wording_beside_the_others_once() -> None:
    table = [*NEAR, ("ngân hàng", "tổ chức tín dụng")]
    with everyday.using_everyday(everyday.compile_everyday(table)):
        qt = analysis.analyse_query("bố mất còn nợ ngân hàng, con không trả thì sao ạ")
        assert qt.legal == ["to chuc tin dung", "nguoi thua ke thuc hien nghia vu tai san"]
        whole = analysis.analyse_query("bố mất rồi người nợ không trả cho con có được không")
        assert whole.legal == ["nguoi thua ke thuc hien nghia vu tai san"]  # words between


@pytest.mark.parametrize(
    "text",
    [
        "Bố mẹ cho con trai mảnh đất, giờ có đòi lại được không",
        "bố mẹ cho con út hai mảnh đất thì có phải chia cho các anh không",  # three words between
        "bo me cho con trai manh dat, gio co doi lai duoc khong",  # typed without diacritics
    ],
)
def test_residents_put_words_between_the_words_of_an_everyday_phrase(text: str) -> None:
    """`cho con trai mảnh đất` is `cho con đất`, in a sentence."""
    assert "tang cho" in _expanded([("cho con đất", "tặng cho quyền sử dụng đất")], text)


@pytest.mark.parametrize(
    "text",
    [
        "cho con trai mảnh đất",  # a keyword search (five words): only as typed
        "bố cho con, sau đó bán đất cho người khác thì sao",  # not across a comma
        "bố mẹ cho con út ở nhờ hai năm rồi bán đất đi",  # four words between: too far
        "bố mẹ cho con thì bán đất đi có được không",  # `thì` opens a new clause
        "bo me cho con thi ban dat di co duoc khong",  # the same, typed without diacritics
        "bố mẹ cho con nhưng ông bán đất đi",  # so does `nhưng`
    ],
)
def test_words_between_only_in_a_sentence_within_one_clause(
    text: str,
) -> None:
    assert "tang cho" not in _expanded([("cho con đất", "tặng cho quyền sử dụng đất")], text)


def test_typed_without_diacritics_a_phrase_with_words_between_cannot_lean_on_a_stop_word() -> None:
    """`cò lao động` folds to `co lao dong`, and `co` is read as `có`, which is everywhere."""
    table = [("cò lao động", "môi giới lao động")]
    assert "moi gioi" not in _expanded(table, "nguoi co kha nang lao dong thi duoc huong gi")
    assert "moi gioi" in _expanded(table, "bị cò đưa đi lao động ở nước ngoài mất tiền")


def test_a_two_word_phrase_is_never_split() -> None:
    """Its two syllables are often one word: `giải chấp` is not `giải quyết tranh chấp`."""
    text = "Trọng tài có thẩm quyền giải quyết tranh chấp trong những trường hợp nào?"
    assert "the chap" not in _expanded([("giải chấp", "chấm dứt thế chấp")], text)


TREE = [("cây đổ", "thiệt hại do cây cối gây ra")]


@pytest.mark.parametrize(
    "text",
    [
        "cây nhà hàng xóm đổ làm hỏng mái nhà",
        "cay nha hang xom do lam hong mai nha",  # typed without diacritics
        "cây của nhà bên đổ vào sân thì ai đền",  # `của`, two words
    ],
)
def test_a_two_word_phrase_holds_its_thing_s_owner_between(text: str) -> None:
    """`cây nhà hàng xóm đổ` is `cây đổ`: residents name whose thing it is, with `nhà` or
    `của`, between the thing and what it did."""
    assert "cay coi" in _expanded(TREE, text)


@pytest.mark.parametrize(
    "text",
    [
        "cây nhà hàng xóm đổ",  # a keyword search: only as typed
        "cây nhà bà cụ bên cạnh đổ vào sân",  # three words after `nhà`: too far
        "cây xanh trước cửa nhà bị đổ thì báo ai",  # no owner between
        "cây nhà tôi thì đổ rồi còn gì",  # not across a clause word
    ],
)
def test_an_owner_is_the_only_thing_a_two_word_phrase_holds_between(text: str) -> None:
    assert "cay coi" not in _expanded(TREE, text)


def test_a_phrase_with_words_between_holds_only_its_own_words() -> None:
    """A phrase inside the gap of a longer one still applies: both are what the resident said."""
    table = [("khám bảo hiểm", "khám bệnh bảo hiểm y tế"), ("trái tuyến", "vượt tuyến")]
    got = _expanded(table, "đi khám trái tuyến được bảo hiểm trả bao nhiêu phần trăm")
    assert {"kham benh", "vuot tuyen"} <= got


def test_an_accented_only_entry_fires_only_on_words_typed_with_diacritics(tmp_path: Path) -> None:
    law = {**LAW, "body": [{**LAW["body"][0], "number": "60", "title": "Người dẫn dắt súc vật"}]}
    entry = {"everyday": "chó", "legal": "súc vật", "accented_only": True}
    src = content_source(tmp_path, "a", [law], thesaurus=[entry])
    gen = tmp_path / "gen"
    build_generation([src], gen)
    with Library.open(gen) as lib:
        assert [e.accented_only for e in lib.thesaurus()] == [True]
        assert _keys(lib, "chó đi trên đường") == ["36-2024-qh15#a60"]
        # typed without diacritics "cho" is the everyday "give / for": no animals
        assert "suc" not in lib.search("cho di tren duong").marks
    conn = sqlite3.connect(gen / "content.sqlite")
    try:  # a generation built before the flag was stored reads as "any query"
        conn.execute("ALTER TABLE thesaurus DROP COLUMN accented_only")
        assert [(e.everyday, e.accented_only) for e in ths.entries(conn)] == [("chó", False)]
    finally:
        conn.close()


def test_the_librarians_filter_matches_as_search_does_on_both_sides() -> None:
    from offline_index.thesaurus import matching

    entries = [
        ThesaurusEntry("bằng lái", "giấy phép lái xe"),
        ThesaurusEntry("băng rôn", "khẩu hiệu"),
        ThesaurusEntry("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
        ThesaurusEntry("chó cắn", "súc vật gây thiệt hại", accented_only=True),
        ThesaurusEntry("bỏ chồng", "ly hôn"),
    ]
    words = lambda typed: [e.everyday for e in matching(entries, typed)]  # noqa: E731
    assert words("bang") == ["bằng lái", "băng rôn"]  # folded without diacritics
    assert words("bằng") == ["bằng lái"] and words("BẰNG LÁ") == ["bằng lái"]  # as typed
    assert words("  Giay   phep ") == ["bằng lái"]  # the law's side, spaces as typed
    assert words("so do") == words("đỏ") == ["sổ đỏ"]
    assert words("chó") == ["chó cắn"] and words("cho") == ["chó cắn", "bỏ chồng"]
    assert words("ồng") == words("iep") == []  # the start of a word, not its middle
    assert words("huỷ") == words("xyz") == []
    assert words("") == words("  ") == [e.everyday for e in entries]
    assert words("xqz") == []


@pytest.mark.parametrize("typed", ["huỷ hợp đồng thuê nhà", "hủy hợp đồng thuê nhà"])
def test_old_and_new_tone_placement_are_the_same_words(typed: str) -> None:
    """Keyboards and texts put the tone of `uy`, `oa`, `oe` on either vowel (`huỷ` / `hủy`)."""
    table = everyday.compile_everyday([("hủy hợp đồng", "hủy bỏ hợp đồng", True)])
    with everyday.using_everyday(table):
        assert "bo" in analysis.analyse_query(typed).unigrams
    assert analysis.accent_lower("Toà án, khoẻ, thuỷ") == "tòa án, khỏe, thủy"


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("người mua chưa trả đủ tiền", "ben mua"),
        ("nguoi thue nha khong tra tien", "ben thue"),
        ("người cho vay đòi lãi cao", "ben cho"),  # `bên cho vay`: its bigrams
        ("người nhận cọc đổi ý", "ben nhan"),
    ],
)
def test_the_shipped_table_names_a_contract_s_parties_as_the_code_does(
    text: str, party: str
) -> None:
    """The Civil Code writes `bên mua`, `bên thuê`, `bên nhận đặt cọc`; residents say `người`."""
    with everyday.using_everyday(None):  # the demo content's table, as shipped
        assert party in analysis.analyse_query(text).bigrams


def test_the_shipped_table_reads_a_bare_den_as_compensation_typed_with_diacritics_only() -> None:
    """`ai đền` is `bồi thường`; folded, `den` is also `đến` and `đèn`, so only as typed."""
    with everyday.using_everyday(None):
        assert "boi thuong" in analysis.analyse_query("mượn xe gây tai nạn thì ai đền").bigrams
        assert "boi thuong" not in analysis.analyse_query("muon xe gay tai nan thi ai den").bigrams
        assert "boi thuong" not in analysis.analyse_query("vượt đèn đỏ").bigrams
