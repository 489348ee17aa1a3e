"""Vietnamese text analysis shared by indexing and querying (no Whoosh here).

Vietnamese is written in syllables separated by spaces; most words are two or three
syllables ("đất đai", "giấy phép lái xe"). We index folded syllables and syllable
bigrams: bigrams carry most of the word meaning and have short posting lists, which
makes them both more precise and faster to score than single syllables.
Folding (NFC, lower case, diacritics stripped, đ -> d) makes `luat dat dai` find
`Luật Đất đai`; the accented form is kept separately to prefer exact matches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from offline_index import everyday
from offline_index.folding import (  # noqa: F401 - re-exported: analysis.fold, va.syllables, …
    _WORD,
    accent_lower,
    bigrams,
    fold,
    fold_aligned,
    fold_phrase,
    fold_word,
    has_diacritics,
    nfc_words,
    syllables,
)
from offline_index.stopwords import (  # noqa: F401 - re-exported: va.STOP_PLAIN
    STOP_ACCENTED,
    STOP_PLAIN,
    TRAILING_ACCENTED,
    TRAILING_PLAIN,
    is_me,
    is_stop,
)

# ---------------------------------------------------------------- query stop-words

# Question and conversational words of spoken Vietnamese. They are frequent in questions
# but say nothing about the legal topic, and some of their bigrams ("hay sai") are rare in
# legal text, so BM25 would give them a high weight. General language, not from any test set.
QUESTION_PHRASES = (
    "có được không",
    "được không",
    "có phải không",
    "phải không",
    "có không",
    "hay không",
    "đúng hay sai",
    "không đúng",
    "điều nào",
    "nhận định nào",
    "dưới đây",
    "đúng không",
    "đúng hay không",
    "bao nhiêu",
    "như thế nào",
    "thế nào",
    "ra sao",
    "là gì",
    "làm sao",
    "làm thế nào",
    "tại sao",
    "vì sao",
    "khi nào",
    "bao giờ",
    "bao lâu",
    "ở đâu",
    "cho hỏi",
    "xin hỏi",
    "cho tôi hỏi",
    "cho em hỏi",
    "muốn hỏi",
    "thì sao",
    "có bị",
    "hay là",
    "nào sau đây",
    "sau đây",
    "trường hợp nào",
    "những ai",
    "theo quy định của pháp luật",
    "theo quy định",
)
# Besides the phrases above, the words that make a search a question rather than the name of
# a topic: who, what, where, which, and the words that open a clause (`bị xe tông thì ai phải
# bồi thường`). Typed without diacritics, their folded forms: a topic with `đầu` or `thi` then
# counts as a question too, and is ranked as every search was before phase 8.
ASKING = frozenset(["ai", "gì", "đâu", "nào", *everyday.CLAUSE_WORDS.split("|")])
ASKING_FOLDED = frozenset(fold(w) for w in ASKING)
# Longest first, then by text: overlapping phrases ("dung khong", "khong dung") are masked
# in the same order in every process (a set's order changes with the process's hash salt).
_QUESTION_FOLDED = tuple(sorted({fold(p) for p in QUESTION_PHRASES}, key=lambda p: (-len(p), p)))


@dataclass
class NumberRef:
    """An official number or article reference found in a query."""

    terms: list[str] = field(default_factory=list)  # terms of the index `num` field
    spans: list[tuple[int, int]] = field(default_factory=list)  # folded-query spans used


# Kind -> abbreviations residents type: `NĐ 100`, `nd 100 2019`, `luật số 45`.
KIND_ABBR = {
    "Nghị định": ("nd",),
    "Nghị quyết": ("nq",),
    "Thông tư": ("tt",),
    "Thông tư liên tịch": ("ttlt", "tt"),
    "Quyết định": ("qd",),
    "Luật": ("luat", "l"),
    "Bộ luật": ("bl", "luat"),
    "Hiến pháp": ("hp",),
    "Án lệ": ("al",),
    "Pháp lệnh": ("pl",),
    "Chỉ thị": ("ct",),
    "Văn bản hợp nhất": ("vbhn",),
    "Kế hoạch": ("kh",),
    "Công văn": ("cv",),
    "Thông báo": ("tb",),
    "Sắc lệnh": ("sl",),  # 102-SL/L-004 (1957)
    "Lệnh": ("lct",),  # 21-LCT/HĐNN8: the order promulgating a law (1980s)
}
_KIND_WORDS = {fold(k): v[0] for k, v in KIND_ABBR.items()}
_ABBRS = sorted(
    {a for v in KIND_ABBR.values() for a in v} | set(_KIND_WORDS), key=len, reverse=True
)
_ABBR_RE = "|".join(re.escape(a) for a in _ABBRS)
_NUM_YEAR = re.compile(
    r"(?<![\d/.-])\b(\d{1,4})\s*/\s*((?:19|20)\d\d)(?:\s*/\s*([a-z0-9]+(?:-[a-z0-9]+)*))?"
)
_KIND_NUM = re.compile(
    rf"\b({_ABBR_RE})\s*(?:so\s*)?(\d{{1,4}})(?:\s*[ /-]\s*((?:19|20)\d\d))?\b(?!\s*/)"
)
_YEAR = re.compile(r"(?<![\d/.-])\b((?:19[4-9]|20[0-4])\d)\b(?![/.-]\d)")
_ARTICLE = re.compile(r"\bdieu\s+(\d{1,4}[a-z]?)\b")


def _abbr(word: str) -> str:
    return _KIND_WORDS.get(word, word)


# ---------------------------------------------------------------- official numbers
#
# An official number is a number and its parts: `35/2024/QH15`, `100/2019/NĐ-CP` (number,
# year, code), `12/TB-UBND`, `01/VBHN-VPQH` (number, kind code, issuer), and older forms such
# as `21-LCT/HĐNN8` or `102-SL/L-004`. Terms of the `num` field, on both sides:
#   n:100/2019          number and year
#   n:100-2019-nd-cp    every part (folded, numbers without leading zeros), and the same
#   n:100-nd-cp         without the year, so `100 nd cp` finds it too
#   k:nd:100            kind (from the code or the document's kind) and number: `NĐ 100`

_PART = re.compile(r"[a-z0-9]+")
_COMPACT_JOIN = re.compile(r"\s*[/.-]\s*")  # 12/tb-ubnd, 101-sl/l.003, 12 / tb
_YEAR_PART = re.compile(r"(?:19|20)\d\d")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)
# Kind codes typed after a number (`12 tb`, `21 lct`): abbreviations, not words (`luat`).
_CODE_ABBRS = frozenset(a for a in _ABBRS if " " not in a and not _SYLLABLE.fullmatch(a))
# A number after these is a part of a text (`Điều 7 Luật …`), not a document's number.
_PART_WORDS = frozenset(["dieu", "khoan", "diem", "chuong", "muc", "phan"])


def _part(token: str) -> str:
    return str(int(token)) if token.isdigit() else token


def number_parts(number: str) -> list[str]:
    """Folded parts of an official number: `21-LCT/HĐNN8` -> ['21', 'lct', 'hdnn8']."""
    return [_part(t) for t in _PART.findall(fold(number))]


def _parts_terms(parts: list[str]) -> list[str]:
    """`n:` terms of every part (and without the year), `k:` of a leading kind code."""
    num, rest = parts[0], parts[1:]
    year = rest[0] if rest and _YEAR_PART.fullmatch(rest[0]) else None
    codes = rest[1:] if year else rest
    terms = [f"n:{num}/{year}"] if year else []
    if codes:
        terms.append("n:" + "-".join(parts))
        if year:
            terms.append("n:" + "-".join([num, *codes]))
        if not codes[0].isdigit():
            terms.append(f"k:{codes[0]}:{num}")
    return terms


def number_terms_for_doc(number: str, kind: str) -> list[str]:
    """`num` field terms of a document: its parts' terms and `k:` of its kind's abbreviations."""
    parts = number_parts(number)
    if len(parts) < 2 or not parts[0].isdigit():
        return []
    terms = _parts_terms(parts)
    terms += [f"k:{a}:{parts[0]}" for a in sorted(KIND_ABBR.get(kind, ()))]
    return list(dict.fromkeys(terms))


def _code_like(token: str) -> bool:
    """A part of a number typed with spaces (`ubnd`, `hdnn8`, `004`), not a Vietnamese word."""
    return not _SYLLABLE.fullmatch(token) or any(c.isdigit() for c in token)


def _typed_numbers(folded_query: str) -> list[tuple[list[str], tuple[int, int]]]:
    """Numbers with a code, typed joined (`12/tb-ubnd`) or spaced (`12 tb ubnd`): parts, span.

    Spaced, the first part after the number must be a kind code (`tb`, `vbhn`, `lct`) not
    followed by a number (`5 nd 100` is Điều 5 of NĐ 100), and later parts must be codes,
    not words, after a code. Parts that are all digits (dates, amounts: `20-5-1957`) are no
    number here, nor is a number after `Điều`, `khoản`, … (`Điều 7 Luật Tiếp cận thông tin`).
    """
    toks = list(_PART.finditer(folded_query))
    found, i = [], 0
    while i < len(toks):
        j = i + 1
        after_part = i > 0 and toks[i - 1].group() in _PART_WORDS
        if toks[i].group().isdigit() and len(toks[i].group()) <= 5 and not after_part:
            while j < len(toks):
                gap = folded_query[toks[j - 1].end() : toks[j].start()]
                if not (_COMPACT_JOIN.fullmatch(gap) or _spaced_part(gap, toks, i, j)):
                    break
                j += 1
        parts = [t.group() for t in toks[i:j]]
        if any(not p.isdigit() for p in parts[1:]):
            found.append(([_part(p) for p in parts], (toks[i].start(), toks[j - 1].end())))
        i = j
    return found


def _spaced_part(gap: str, toks: list[re.Match[str]], start: int, j: int) -> bool:
    """Whether token j, after a space, continues the number that starts at token `start`."""
    if not gap.isspace():
        return False
    word = toks[j].group()
    if j > start + 1:
        return _code_like(word) and any(not t.group().isdigit() for t in toks[start + 1 : j])
    after = toks[j + 1].group() if j + 1 < len(toks) else ""
    return word in _CODE_ABBRS and not after.isdigit()


def number_refs(folded_query: str) -> NumberRef:
    """Find official numbers in their loose forms and `Điều N` in a folded query."""
    ref = NumberRef()
    for parts, span in _typed_numbers(folded_query):
        ref.terms += _parts_terms(parts)
        ref.spans.append(span)
    for m in _NUM_YEAR.finditer(folded_query):
        num = str(int(m.group(1)))
        ref.terms.append(f"n:{num}/{m.group(2)}")
        if m.group(3):
            ref.terms.append(f"k:{m.group(3).split('-')[0]}:{num}")
        ref.spans.append(m.span())
    typed = [range(a, b) for a, b in ref.spans]
    for m in _KIND_NUM.finditer(folded_query):
        if any(m.start(2) in r for r in typed):  # `l 004` inside `102 sl l 004`
            continue
        num = str(int(m.group(2)))
        ref.terms.append(f"k:{_abbr(m.group(1))}:{num}")
        if m.group(3):
            ref.terms.append(f"n:{num}/{m.group(3)}")
        ref.spans.append((m.start(2), m.end()))
    for m in _ARTICLE.finditer(folded_query):
        ref.terms.append(f"a:{m.group(1)}")
        ref.spans.append(m.span())
    taken = [range(a, b) for a, b in ref.spans]
    for m in _YEAR.finditer(folded_query):
        if not any(m.start() in r for r in taken):
            ref.terms.append(f"y:{m.group(1)}")
    ref.terms = list(dict.fromkeys(ref.terms))
    return ref


@dataclass
class QueryTerms:
    """What a query asks for, after folding and removing question words."""

    unigrams: list[str]  # content syllables (folded, no stop-words), in order, unique
    bigrams: list[str]  # adjacent content bigrams (folded), unique
    accented_bigrams: list[str]  # the same bigrams in lower-case accented form
    numbers: NumberRef
    accented: bool  # the query was typed with diacritics
    number_only: bool = False  # only an official number (and kind words) was asked for
    definition: bool = False  # "... là gì?": the answer is usually a definitions article
    scope: bool = False  # "Luật X áp dụng cho ai?": the answer is its scope article
    question: bool = False  # asked as a question (ASKING), not named as a topic
    # The legal wording (folded) of each everyday phrase the query used (everyday.expand).
    legal: list[str] = field(default_factory=list)
    # The same phrases as meant, with diacritics: the everyday words and their legal wording.
    meant: list[str] = field(default_factory=list)
    # The content words as typed (folded, lower case), in runs between stop words and
    # question words: what a hit may lack (marking.lacking).
    typed: list[list[tuple[str, str]]] = field(default_factory=list)
    # Every syllable as typed, function words too, folded and space-joined: `được trợ giúp
    # pháp lý` names the people helped, where its content words name the service.
    phrase: str = ""


# What one query may cost. A resident can paste anything into the search field; what is
# analysed is bounded so that one search's work is too (issue 18: 'a' * 10000 wedged the
# kiosk). Set well above the longest real question: the 729 ALQAC questions have at most
# 424 characters, 80 content words, 62 distinct syllables and 4 number terms, and analyse
# exactly as before (tests/search/test_query_caps.py).
MAX_QUERY_CHARS = 500  # also the search field's length (ui/screens/search.py)
MAX_CONTENT_WORDS = 160  # content words (syllables after stop words) turned into terms
MAX_UNIGRAMS = 96  # distinct content syllables; bigrams follow from the words
MAX_NUMBER_TERMS = 16  # official numbers, articles and years


def cap_query(text: str) -> str:
    """The part of a query that is analysed: its first MAX_QUERY_CHARS characters, cut
    at the last space in there so that no half word is searched."""
    if len(text) <= MAX_QUERY_CHARS:
        return text
    cut = text[:MAX_QUERY_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space >= MAX_QUERY_CHARS // 2 else cut


def analyse_query(text: str) -> QueryTerms:
    """Split a keyword query or a whole spoken question into weighted search terms.

    Only `cap_query(text)` is read, and at most MAX_UNIGRAMS distinct syllables of it.
    """
    text = cap_query(text)
    nfc_low = accent_lower(text)
    folded = fold_aligned(nfc_low)
    numbers = number_refs(folded)
    masked = list(folded)
    for start, end in numbers.spans + _placeholder_spans(text, len(nfc_low)):
        masked[start:end] = " " * (end - start)
    masked_s = "".join(masked)
    for phrase in _QUESTION_FOLDED:
        masked_s = re.sub(rf"\b{re.escape(phrase)}\b", lambda m: "|" * len(m.group()), masked_s)
    acc_words = [(m.start(), m.group()) for m in _WORD.finditer(nfc_low)]
    accented = has_diacritics(text)
    asking = ASKING if accented else ASKING_FOLDED
    asked = "|" in masked_s or any(w in asking for _, w in acc_words)
    while acc_words and is_stop(acc_words[-1][1], TRAILING_ACCENTED, TRAILING_PLAIN):
        acc_words.pop()
        asked = True
    runs: list[list[tuple[str, str]]] = [[]]
    said = [w for _, w in acc_words]
    for i, (start, word) in enumerate(acc_words):
        fw = masked_s[start : start + len(word)]
        if not fw.isalnum() or is_stop(word, STOP_ACCENTED, STOP_PLAIN) or is_me(said, i):
            runs.append([])
            continue
        runs[-1].append((fw, word))
    qt = _terms_from_runs(runs, numbers, accented)
    qt.phrase = " ".join(syllables(text))
    qt.definition = bool(_DEFINITION.search(folded))
    qt.scope = bool(_SCOPE.search(folded))
    qt.question = asked
    qt.number_only = bool(numbers.terms) and set(qt.unigrams) <= _NUMBER_WORDS
    everyday.expand(qt, nfc_low, folded)
    return qt


_NUMBER_WORDS = {fold(w) for k, v in KIND_ABBR.items() for w in (*k.split(), *v)} | {"so"}


# "anh C", "chị Y", "ông N": placeholder people of a worked example say nothing about the law.
_PLACEHOLDER = re.compile(
    r"\b(?:anh|chị|ông|bà|em|cháu|cô|chú|bác|cụ|con|vợ|chồng)\s+([A-ZĐ])\b", re.I
)
_SCOPE = re.compile(r"\b(?:ap dung (?:cho|doi voi|voi)|doi tuong ap dung|pham vi dieu chinh)\b")
_DEFINITION = re.compile(
    r"\b(?:la gi|duoc hieu|hieu (?:la|nhu|the nao)|nghia la|khai niem|dinh nghia|goi la)\b"
)


def _placeholder_spans(text: str, length: int) -> list[tuple[int, int]]:
    """Spans of placeholder people (the pronoun and the capital letter), then every later
    bare use of the same letter."""
    nfc_text = unicodedata.normalize("NFC", text)
    if len(nfc_text) != length:
        return []
    spans, letters = [], set()
    for m in _PLACEHOLDER.finditer(nfc_text):
        if m.group(1).isupper():
            spans.append(m.span())
            letters.add(m.group(1))
    for letter in letters:
        spans += [m.span() for m in re.finditer(rf"\b{letter}\b", nfc_text)]
    return spans


def _terms_from_runs(
    runs: list[list[tuple[str, str]]], numbers: NumberRef, accented: bool
) -> QueryTerms:
    uni: dict[str, None] = {}
    bi: dict[str, None] = {}
    acc: dict[str, None] = {}
    numbers.terms = numbers.terms[:MAX_NUMBER_TERMS]
    runs = [run for run in _capped(runs) if run]
    for run in runs:
        for (f1, a1), (f2, a2) in zip(run, run[1:], strict=False):
            bi[f"{f1} {f2}"] = None
            acc[f"{a1} {a2}"] = None
        for f, _ in run:
            uni[f] = None
    return QueryTerms(list(uni), list(bi), list(acc), numbers, accented, typed=runs)


def _capped(runs: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """The runs up to MAX_CONTENT_WORDS words and MAX_UNIGRAMS distinct syllables."""
    seen: set[str] = set()
    kept = 0
    out: list[list[tuple[str, str]]] = []
    for run in runs:
        out.append([])
        for folded, word in run:
            if kept >= MAX_CONTENT_WORDS or (folded not in seen and len(seen) >= MAX_UNIGRAMS):
                return out
            seen.add(folded)
            kept += 1
            out[-1].append((folded, word))
    return out
