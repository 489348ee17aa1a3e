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
