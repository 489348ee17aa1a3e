"""Stop words of a query: function words that say nothing about the legal topic.

Typed without diacritics, several of them share their form with words the law uses, so a
folded word is a stop word only where its form is not also a content word (_AMBIGUOUS_FOLDS).
Query analysis drops them; everyday-phrase matching keeps a phrase from leaning on one.
"""

from __future__ import annotations

from offline_index.folding import fold, has_diacritics

STOP_WORDS = "gì ai đâu chăng nhỉ nhé ạ à ư ơi hả vậy tôi em mình thì là mà và hoặc của các những này đó kia ấy có được"
# Closing particles of a yes/no question: "... không mang bằng lái không?"
TRAILING_WORDS = "không chưa vậy thế nhỉ ạ à hả"  # "sao" alone: "bản sao"
# Folded, several stop words share their form with words the law uses: "tôi"/"tội",
# "đó"/"độ", "mà"/"ma túy", "thì"/"thi hành", "mình"/"chứng minh", "đâu"/"đầu tư",
# "vậy"/"vay", "nhé"/"nhẹ", "hả"/"Hà Nội", "thế"/"thẻ", "sao"/"bản sao". A word typed with
# diacritics is compared as typed; one typed without them is a stop word only if its
# folded form is not one of these.
_AMBIGUOUS_FOLDS = frozenset(
    ["toi", "do", "ma", "thi", "minh", "dau", "vay", "nhe", "ha", "nhi", "the", "sao", "chua"]
)


def _stop_sets(words: str) -> tuple[frozenset[str], frozenset[str]]:
    accented = frozenset(words.split())
    return accented, frozenset(fold(w) for w in accented) - _AMBIGUOUS_FOLDS


STOP_ACCENTED, STOP_PLAIN = _stop_sets(STOP_WORDS)
TRAILING_ACCENTED, TRAILING_PLAIN = _stop_sets(TRAILING_WORDS)


def is_stop(word: str, accented: frozenset[str], plain: frozenset[str]) -> bool:
    """Whether a lower-case NFC word is one of these stop words (see _AMBIGUOUS_FOLDS)."""
    if word in accented:
        return True
    return not has_diacritics(word) and word in plain


# Typed without diacritics, `toi` is `tôi` (I, me) or `tội` (an offence). Residents tell their
# own case in the first person: `chong toi danh bai`, `con toi 15 tuoi`, `cho toi hoi`, `gio toi
# muon lay lai nha`, `toi co phai den khong`. It is the pronoun after a relative, a home or a
# preposition; after a clause word or first, when a verb of the speaker follows (`muốn`, `có`,
# `bị`, `phải`, …). A search for an offence puts `toi` after a verb (`pham toi`, `la toi gi`)
# or first before the offence (`toi trom cap`). Not after `vo` (`vô tội`), and never before
# `pham` (`phòng, chống tội phạm`); `toi danh` is read as `tôi đánh` (`chong toi danh bai`), as
# residents say it far more often than `tội danh`.
_RELATIVES = frozenset(["chong", "con", "bo", "me", "anh", "chi", "em", "ong", "ba", "chau", "ban"])
_BEFORE_ME = _RELATIVES | {"cua", "nha", "cho", "voi"}  # a relative, a home, a preposition
_CLAUSE_BEFORE = frozenset(["thi", "gio", "ma", "roi", "nhung", "nen", "khi", "neu"])
_I_DO = frozenset(  # the speaker's verbs and auxiliaries
    ["muon", "co", "bi", "da", "dang", "can", "phai", "duoc", "vua", "moi"]
)
_OFFENCE_AFTER = frozenset(["pham"])


def is_me(words: list[str], i: int) -> bool:
    """Whether words[i] (lower-case NFC, in reading order) is the pronoun `tôi` typed plain."""
    if words[i] != "toi":
        return False
    after = fold(words[i + 1]) if i + 1 < len(words) else ""
    before = fold(words[i - 1]) if i else ""
    if before in _BEFORE_ME or (before in _CLAUSE_BEFORE and after in _I_DO):
        return after not in _OFFENCE_AFTER
    return not before and after in _I_DO
