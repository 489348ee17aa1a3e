"""Everyday words in a query: the resident's words -> the words the law uses.

The table is release content (content type `thesaurus`, offline_index/thesaurus.py): a
Library searches with its own table (`using_everyday`); code that opens an index without a
library (benchmarks, tests) uses the embedded demo content's table (`default_everyday`).
`expand` adds the legal wording of the phrases a query uses to its terms
(`analysis.analyse_query` calls it), and the spelled form of an age typed in digits.
docs/search.md, "Everyday words", has the figures.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from offline_index.folding import _WORD, accent_lower, bigrams, fold
from offline_index.stopwords import STOP_ACCENTED, STOP_PLAIN


class Terms(Protocol):
    """What expansion reads and extends of a query (analysis.QueryTerms)."""

    unigrams: list[str]
    bigrams: list[str]
    accented: bool
    legal: list[str]
    meant: list[str]


# The table as matched: (first folded word, as typed, folded or None, legal words folded,
# what it means: the everyday and the legal words as written, lower-case).
# Matched as typed when the query has diacritics, folded for queries typed without them
# ("chứng minh thu nhập" is not "chứng minh thư"); no folded form: the entry is for queries
# typed with diacritics only (`accented_only`). A query is only tried against the entries
# whose first word it holds, and an entry's pattern is compiled when first tried (the demo's
# 3,955 entries compile in 26 ms, 3,631 in 24 ms on the shared VM at load 1).
Entry = tuple[str, str, str | None, str, str]


class Everyday(list[Entry]):
    """A compiled table, with its entry numbers by first word, worked out once per table:
    filtering the 3,958 entries for the query's first words took 0.7 ms of every search."""

    @functools.cached_property
    def by_first(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for i, entry in enumerate(self):
            index.setdefault(entry[0], []).append(i)
        return index


_ACTIVE: ContextVar[Everyday | None] = ContextVar("everyday_terms", default=None)


def compile_everyday(entries: Iterable[tuple[str, str] | tuple[str, str, bool]]) -> Everyday:
    """(everyday words, legal words[, accented only]) as the query expansion uses them."""
    out = Everyday()
    for k, v, *only in entries:
        plain = None if only and only[0] else fold(k)
        first = (_WORD.findall(fold(k)) or [""])[0]
        meant = f"{accent_lower(k)} {accent_lower(v)}"
        out.append((first, accent_lower(k), plain, fold(v), meant))
    return out


@functools.lru_cache(maxsize=8192)
def _phrase(words: str) -> re.Pattern[str]:
    """The pattern of an everyday phrase, whole words only."""
    return re.compile(rf"\b{re.escape(words)}\b")


@functools.lru_cache(maxsize=8192)
def _gap_words(phrase: str) -> frozenset[str]:
    """The folded words a query must hold for the phrase to match with words between; none
    for a phrase too short to split."""
    words = fold(phrase).split()
    return frozenset(words) if len(words) >= GAP_PHRASE_WORDS else frozenset()


@functools.lru_cache(maxsize=8192)
def _leans_on_a_stop_word(accented: str) -> bool:
    """Whether a phrase has a word that, folded, is a stop word it is not (`cò` is `co`, read
    as `có`): typed without diacritics, such a word is everywhere, so it cannot hold a
    phrase with words between."""
    return any(fold(w) in STOP_PLAIN and w not in STOP_ACCENTED for w in accented.split())


@functools.lru_cache(maxsize=8192)
def _gapped(words: str, clause_words: str, owner: str = "") -> re.Pattern[str]:
    """An everyday phrase with up to GAP_WORDS words in each gap (spaces only, none of these
    clause words: one clause); each of its own words a group. `owner` (`nhà|của`): each gap
    is one of these words and 1 to OWNER_WORDS more (`cây nhà hàng xóm đổ`)."""
    word = rf"\s+(?!(?:{clause_words})\b)\w+"
    if owner:
        gap = rf"\s+(?:{owner})(?:{word}){{1,{OWNER_WORDS}}}?\s+"
    else:
        gap = rf"(?:{word}){{0,{GAP_WORDS}}}?\s+"
    return re.compile(r"\b" + gap.join(f"({re.escape(w)})" for w in words.split()) + r"\b")


@functools.cache
def default_everyday() -> Everyday:
    """The demo content's thesaurus (the embedded default content); none if it is not here
    (demo.default_content): search then has no everyday-word expansion for a library whose
    release carries no thesaurus. Read as plain data: thesaurus.default_entries validates the
    same file, but the thesaurus module sits above this one (it compiles with it)."""
    from offline_index.demo import default_content

    if (found := default_content("thesaurus/everyday.json")) is None:
        return []
    _, data = found
    return compile_everyday(
        (e["everyday"], e["legal"], bool(e.get("accented_only"))) for e in data["entries"]
    )


@contextmanager
def using_everyday(table: Everyday | None) -> Iterator[None]:
    """Search with this table (None: the default) in this thread or task."""
    token = _ACTIVE.set(table)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


# A resident puts words between the words of an everyday phrase: `chó nhà hàng xóm cắn` is
# `chó cắn`, `cho con trai mảnh đất` is `cho con đất`. In a sentence (more than GAP_QUERY_WORDS
# words, not a keyword search), a phrase of at least GAP_PHRASE_WORDS words also matches with up
# to GAP_WORDS words in each gap, within one clause: no punctuation and no word that opens a new
# clause (`khám trái tuyến thì bảo hiểm trả` is not `khám … bảo hiểm`). Two-word phrases only
# match as typed: their two syllables are often one word (`giải chấp` is not `giải quyết tranh
# chấp`), except around their thing's owner: `cây nhà hàng xóm đổ` is `cây đổ`, `nhà` or
# `của` and up to OWNER_WORDS words between, in a sentence and one clause. Folded, `mà` and
# `nhưng` are left out of the clause words: `ma` is also `ma túy`, `nhung` also `những`.
GAP_WORDS = 3
GAP_QUERY_WORDS = 5
GAP_PHRASE_WORDS = 3
OWNER_WORDS = 2
_OWNERS = frozenset({"nha", "cua"})
# A question may hold a long everyday phrase less one of its words in NEAR_MISSING
# (`_near_matches`): phrases of NEAR_PHRASE_WORDS words or more.
NEAR_PHRASE_WORDS = 6
NEAR_MISSING = 5
CLAUSE_WORDS = "thì|nhưng|hoặc|mà"
CLAUSE_WORDS_FOLDED = "thi|hoac"

# -length, gapped, word spans, legal words (folded), what was meant (everyday and legal words)
Match = tuple[int, int, tuple[tuple[int, int], ...], str, str]


def expand(qt: Terms, nfc_low: str, folded: str) -> None:
    """Add the legal wording of everyday words the query uses.

    The longest everyday phrase wins where matches overlap, as a resident means it: `bị lừa
    ký` (a contract signed under deceit) is not also `bị lừa` (the fraud offence). A phrase
    matched with words between its own holds only its own words. Each match also says,
    with diacritics, what the resident meant (`qt.meant`): `vuot den do` is `vượt đèn đỏ`, so
    the results mark `đèn`, not every `đến` (typed plain, `den` is both).
    """
    taken: list[tuple[tuple[int, int], ...]] = []
    entries = _candidates(folded)
    found = _everyday_matches(qt, nfc_low, folded, entries)
    for _, _, spans, legal, meant in sorted(found):
        held = [t for t in taken if t != spans]
        if any(s < e2 and s2 < e for s, e in spans for t in held for s2, e2 in t):
            continue
        taken.append(spans)
        _add(qt, legal, meant)
    for legal, meant in _near_matches(qt, nfc_low, folded, entries, {m[4] for m in found}):
        _add(qt, legal, meant)
    _spelled_ages(qt, folded)


def _spelled_ages(qt: Terms, folded: str) -> None:
    """Add each age typed in digits as the codes spell it, as a phrase (its bigrams only)."""
    for m in _AGE.finditer(folded):
        words = f"{spelled(int(m.group(1)))} tuổi"
        _add(qt, fold(words), f"{m.group(1)} tuổi {words}", syllables=False)


# An age as residents type it (`18 tuổi`); the codes spell it (`chưa đủ mười tám tuổi`).
_AGE = re.compile(r"\b([1-9][0-9]?)\s*tuoi\b")
_DIGITS = ("", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def spelled(n: int) -> str:
    """1 to 99 in words, as the law writes them: `mười lăm`, `mười tám`, `hai mươi mốt`."""
    tens, unit = divmod(n, 10)
    if not tens:
        return _DIGITS[unit]
    head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
    if not unit:
        return head
    tail = "lăm" if unit == 5 else "mốt" if unit == 1 and tens > 1 else _DIGITS[unit]
    return f"{head} {tail}"


def _candidates(folded: str) -> list[Entry]:
    """The entries whose first word the query holds: the only ones it can match, in the
    table's order."""
    table = _ACTIVE.get()
    table = default_everyday() if table is None else table
    if not table:  # `using_everyday([])`: no expansion
        return []
    picks = sorted(i for w in set(_WORD.findall(folded)) for i in table.by_first.get(w, ()))
    return [table[i] for i in picks]


def _add(qt: Terms, legal: str, meant: str, syllables: bool = True) -> None:
    qt.legal.append(legal)
    qt.meant.append(meant)
    words = legal.split()
    if syllables:
        qt.unigrams += [w for w in dict.fromkeys(words) if w not in qt.unigrams]  # `hiệu` once
    qt.bigrams += [b for b in bigrams(words) if b not in qt.bigrams]


def _near_matches(
    qt: Terms, nfc_low: str, folded: str, entries: list[Entry], matched: set[str]
) -> list[tuple[str, str]]:
    """Long everyday phrases a question holds all but a word or two of, in their order.

    A resident tells the same situation with a word changed or left out: `ở trên đất người
    khác lâu năm có thành của mình không` is `ở 30 năm thành của mình` but for `30`. A
    phrase of at least NEAR_PHRASE_WORDS words matches a sentence that holds its first word
    and all of the others but one in NEAR_MISSING (as typed when the query has diacritics),
    in the phrase's order, anywhere in the question; one that holds them all is left to the
    words-between rule, which bounds its gaps. Such a match adds the legal wording beside
    the others; it never displaces one. Shorter phrases are left out: one word of three or
    four is too much of their meaning (`cho mượn xe không bằng lái` is not `cho mượn xe`).
    """
    query = _WORD.findall(nfc_low if qt.accented else folded)
    if len(query) <= GAP_QUERY_WORDS:
        return []
    present, out = set(query), []
    for _, accented, plain, legal, meant in entries:
        phrase = accented if qt.accented else plain
        if phrase is None:
            continue
        words = _split(phrase)
        if len(words) < NEAR_PHRASE_WORDS or words[0] not in present:
            continue
        missing = [w for w in words[1:] if w not in present]
        if not 0 < len(missing) <= (len(words) - 1) // NEAR_MISSING:
            continue
        if meant not in matched and _in_order([w for w in words if w not in missing], query):
            out.append((legal, meant))
    return out


@functools.lru_cache(maxsize=8192)
def _split(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.split())


def _in_order(words: list[str], query: list[str]) -> bool:
    """Whether the words occur in the query in this order (others may come between)."""
    rest = iter(query)
    return all(any(w == q for q in rest) for w in words)


def _everyday_matches(qt: Terms, nfc_low: str, folded: str, entries: list[Entry]) -> list[Match]:
    """Every match of an everyday phrase in the query: as typed, then with words between."""
    text = nfc_low if qt.accented else folded
    all_words = _WORD.findall(folded)
    words = set(all_words)
    sentence = len(all_words) > GAP_QUERY_WORDS
    owned = sentence and not _OWNERS.isdisjoint(words)  # `nhà`, `của` (folded) in the query
    owner = "nhà|của" if qt.accented else "nha|cua"
    clause_words = CLAUSE_WORDS if qt.accented else CLAUSE_WORDS_FOLDED
    found: list[Match] = []
    for _, accented, plain, legal, meant in entries:
        phrase = accented if qt.accented else plain
        if phrase is None:
            continue
        exact = set()
        # Most entries tried are not in the query at all: the substring test spares their
        # patterns (compiled on first use: some 300 for `nong do con xe may`, 4 ms).
        for m in _phrase(phrase).finditer(text) if phrase in text else ():
            exact.add((m.span(),))
            found.append((m.start() - m.end(), 0, (m.span(),), legal, meant))
        need = _gap_words(phrase) if sentence else frozenset()
        if need and not qt.accented and _leans_on_a_stop_word(accented):
            need = frozenset()
        if need and need <= words:
            gapped = _gapped(phrase, clause_words)
        elif owned and _two_words(phrase, words):
            gapped = _gapped(phrase, clause_words, owner)
        else:
            continue
        for m in gapped.finditer(text):
            spans = tuple(m.span(i) for i in range(1, m.re.groups + 1))
            if (m.span(),) not in exact:
                found.append((-len(phrase), 1, spans, legal, meant))
    return found


def _two_words(phrase: str, words: set[str]) -> bool:
    """Whether a two-word phrase's words are both in the query (folded)."""
    parts = _folded_words(phrase)
    return len(parts) == 2 and set(parts) <= words


@functools.lru_cache(maxsize=8192)
def _folded_words(phrase: str) -> tuple[str, ...]:
    return tuple(fold(phrase).split())
