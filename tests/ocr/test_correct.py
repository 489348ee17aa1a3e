"""Post-correction of OCR text with syllable statistics, on the lexicon shipped with the app."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from offline_index.errors import ContentError
from offline_index.ocr import Corrector, Lexicon, default_lexicon
from offline_index.ocr.quality import char_accuracy, levenshtein, word_accuracy, word_recall


@pytest.fixture(scope="module")
def corrector() -> Corrector:
    return Corrector(default_lexicon())


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        # tesseract glues a syllable to the next, mostly after a tone mark
        ("quyền sởhữu nhà ở", "quyền sở hữu nhà ở"),
        ("thực hiện thủtục đăng ký", "thực hiện thủ tục đăng ký"),
        ("chỉ vịtrí thửa đất", "chỉ vị trí thửa đất"),
        ("NỘI DUNG VỤÁN", "NỘI DUNG VỤ ÁN"),
        # ... and drops or changes the tone over â ê ô
        ("hợp đồng chuyên nhượng quyên sử dụng đất", "hợp đồng chuyển nhượng quyền sử dụng đất"),
        ("Hợp đông thê châp", "Hợp đồng thế chấp"),
    ],
)
def test_glued_syllables_and_tone_marks_are_fixed(
    corrector: Corrector, ocr: str, fixed: str
) -> None:
    assert corrector.correct_text(ocr)[0] == fixed


@pytest.mark.parametrize(
    "text",
    [
        "bà Nguyễn Thị L - Chủ Doanh nghiệp",  # names stay names
        "số 7332/2008/UB.GCN do Ủy ban",  # codes and abbreviations stay as written
        "Điều 5. Chuyên môn, nghiệp vụ",  # a right word is not made more common
        "Hợp đồng số 6360-LAV-200900957",
    ],
)
def test_right_text_is_left_alone(corrector: Corrector, text: str) -> None:
    assert corrector.correct_text(text) == (text, 0)


def test_layout_punctuation_and_case_are_kept(corrector: Corrector) -> None:
    text, changed = corrector.correct_text("“Hủy hợp đông”;\n\nQuyên sởhữu: 12%/năm.")
    assert text == "“Hủy hợp đồng”;\n\nQuyền sở hữu: 12%/năm." and changed == 3


def test_lexicon_is_plain_data_and_refuses_other_files(tmp_path) -> None:  # noqa: ANN001
    lex = Lexicon.from_texts(["Quyền sở hữu nhà ở. Quyền sở hữu đất."], min_pair=1)
    path = lex.save(tmp_path / "lex.json.gz")
    data = json.loads(gzip.decompress(path.read_bytes()))
    assert data["type"] == "lawshelf-ocr-lexicon" and data["syllables"]["quyền"] == 2
    assert data["bigrams"]["sở hữu"] == 2 and Lexicon.load(path).name == lex.name
    (tmp_path / "pickle.gz").write_bytes(gzip.compress(b"\x80\x04\x95"))
    with pytest.raises(ContentError, match="not a JSON lexicon"):
        Lexicon.load(tmp_path / "pickle.gz")


def test_levenshtein_matches_the_textbook_algorithm() -> None:
    def dp(a: str, b: str) -> int:
        prev = list(range(len(b) + 1))
        for i, x in enumerate(a, 1):
            cur = [i] + [0] * len(b)
            for j, y in enumerate(b, 1):
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
            prev = cur
        return prev[-1]

    rng = random.Random(3)
    for _ in range(500):
        a = "".join(rng.choice("ađb") for _ in range(rng.randint(0, 80)))
        b = "".join(rng.choice("ađbc") for _ in range(rng.randint(0, 80)))
        assert levenshtein(a, b) == dp(a, b)


def test_accuracy_measures() -> None:
    ref = "Quyền sở hữu nhà ở ____ và quyền sử dụng đất"
    assert word_accuracy(ref, "quyền sở hữu nhà ở và quyền sử dụng đất") == 1.0
    assert word_accuracy(ref, "quyền sởhữu nhà ở và quyền sử dụng đất") == pytest.approx(0.8)
    assert word_recall(ref, "đất dụng sử quyền và ở nhà hữu sở quyền") == 1.0
    assert char_accuracy(ref, "quyên sở hữu nhà ở và quyền sử dụng đất") > 0.97


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("Chương ]", "Chương I"),
        ("CHƯƠNG lI", "CHƯƠNG II"),
        ("Chương ] QUY ĐỊNH CHUNG", "Chương I QUY ĐỊNH CHUNG"),
        ("Chương 2", "Chương 2"),  # chapters numbered in digits stay digits
        ("Mục l", "Mục 1"),
        ("Điều l2. Phạm vi điều chỉnh", "Điều 12. Phạm vi điều chỉnh"),
        ("Điều 1O: Hiệu lực", "Điều 10: Hiệu lực"),
        ("theo Điều l của Luật", "theo Điều l của Luật"),  # not a heading: left alone
    ],
)
def test_heading_numbers_are_read_back(ocr: str, fixed: str) -> None:
    from offline_index.ocr.correct import fix_headings

    assert fix_headings(ocr) == fixed
