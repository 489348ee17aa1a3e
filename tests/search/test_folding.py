"""The fast paths of folding give exactly what the plain ones give (offline_index/folding.py)."""

from __future__ import annotations

import json
import random
import re
import unicodedata

import pytest

from offline_index import folding
from offline_index.demo import CONTENT

_WORD = re.compile(r"\w+")


def _demo_texts() -> list[str]:
    """Every string of the demo's documents (whole files too): titles, articles, clauses."""
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in sorted((CONTENT / "documents").glob("*.json")):
        texts.append(path.read_text(encoding="utf-8"))
        walk(json.loads(texts[-1]))
    return texts


def _demo_sample(n: int, seed: int) -> list[str]:
    """The 100 longest of the demo's strings (whole files among them) and n others drawn at
    random: the demo holds 70,000, mostly clauses alike, and every one of them took 20 s a
    test without finding more than a sample does."""
    demo = sorted(_demo_texts(), key=len)
    return demo[-100:] + random.Random(seed).sample(demo[:-100], n)


def _random_texts(n: int) -> list[str]:
    """Long strings of any BMP characters (NUL, marks, surrogates), an emoji and U+10000 too."""
    rnd = random.Random(11)
    pool = [chr(c) for c in range(0x3000)] + ["\U0001f600", "\U00010000", "\ud800", "\ufeff"]
    return ["".join(rnd.choice(pool) for _ in range(rnd.randint(600, 2000))) for _ in range(n)]


@pytest.mark.parametrize("source", ["demo", "random"])
def test_long_texts_fold_as_the_dictionary_does(source: str) -> None:
    texts = _demo_texts() if source == "demo" else _random_texts(300)
    long = [t for t in texts if len(t) >= folding.ARRAY_FOLD_MIN]
    assert len(long) > 50  # the array path is the one under test
    for text in texts:
        nfc = unicodedata.normalize("NFC", text)
        assert folding.fold(text) == nfc.translate(folding._FOLD)
        assert folding.fold_aligned(nfc) == nfc.translate(folding._FOLD_ALIGNED)


def test_the_word_table_is_what_re_calls_a_word() -> None:
    table = folding._word_units()
    assert all(table[c] == bool(_WORD.match(chr(c))) for c in range(0x10000))


@pytest.mark.parametrize("source", ["demo", "random"])
def test_word_positions_are_the_split_words_kept(source: str) -> None:
    demo = source == "demo"
    texts = [folding.fold(t) for t in _demo_sample(2000, 5)] if demo else _random_texts(100)
    texts.append("a\U0001f600b cd_e f\u00b2 \U0001f600 g " * 20)  # beyond the BMP: the slow count
    rnd = random.Random(5)
    vocab = sorted({w for t in texts for w in _WORD.findall(t)})
    for text in texts:
        words = rnd.sample(vocab, 8) + ["a", "g", "cd_e", "f\u00b2", "", "c.d", "x y"]
        words = frozenset(words)
        split = [(j, w) for j, w in enumerate(_WORD.findall(text)) if w in words]
        assert folding.word_positions(text, words) == split
        spans = [m.span() for m in _WORD.finditer(text) if m.group() in words]
        assert [m.span() for m in folding.words_pattern(words).finditer(text)] == spans
    assert folding.word_positions("any text", frozenset()) == []


def _positions(hits: folding.Hits, n: int, words: frozenset[str]) -> list[list[tuple[int, str]]]:
    """word_hits_many's arrays as each text's word_positions."""
    names = sorted(words)
    out: list[list[tuple[int, str]]] = [[] for _ in range(n)]
    for t, number, word in zip(*(a.tolist() for a in hits), strict=True):
        out[t].append((number, names[word]))
    return out


@pytest.mark.parametrize("source", ["demo", "random"])
def test_words_found_by_key_are_those_the_split_finds(source: str) -> None:
    """Syllables, numbers and short ASCII words are found by key (folding._find_words), the
    rest by the regex: the same words, numbers and spans either way, also within a window."""
    rnd = random.Random(7)
    if source == "demo":  # the longest (whole files, long articles) and a sample of the rest
        texts = [folding.fold(t) for t in _demo_sample(400, 1)]
    else:
        texts = _random_texts(100)
        long = ["".join(texts[k : k + 6]) for k in range(0, 60, 6)]
        texts += ["".join(ch for ch in t if ord(ch) < 0x10000) for t in long]  # found by key
    texts.append("xe  máy,xe_may 12345678 123456789 xe2 é xe\u00e9 " * 100)
    vocab = sorted({w for t in texts for w in _WORD.findall(t)})
    short = [w for w in vocab if w.isascii() and len(w) <= 8]
    tested = 0
    for text in texts:
        words = frozenset(rnd.sample(short, 8) + ["xe", "12345678", "may", "", "c.d"])
        bmp = len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)
        keyed = bmp and len(text) >= folding.KEYED_MIN
        assert (folding._find_words(text, words) is not None) == keyed
        tested += keyed
        found = [
            (m.start(), m.end(), m.group()) for m in _WORD.finditer(text) if m.group() in words
        ]
        assert folding.word_spans(text, words) == found
        split = [(j, w) for j, w in enumerate(_WORD.findall(text)) if w in words]
        assert folding.word_positions(text, words) == split
        start, end = sorted((rnd.randint(0, len(text)), rnd.randint(0, len(text))))
        pattern = folding.words_pattern(words)
        window = [(*m.span(), m.group()) for m in pattern.finditer(text, start) if m.end() <= end]
        assert folding.word_spans(text, words, start, end) == window
        assert _positions(folding.word_hits_many([text, "", text[:50]], words), 3, words) == [
            split,
            [],
            folding.word_positions(text[:50], words),
        ]
    assert tested >= 10
    some = texts[:40]
    wanted = frozenset(["xe", "may", *rnd.sample(short, 20)])
    assert _positions(folding.word_hits_many(some, wanted), len(some), wanted) == [
        folding.word_positions(t, wanted) for t in some
    ]
    several = folding.word_hits_many(iter(texts), wanted)  # several passes
    assert _positions(several, len(texts), wanted) == [
        folding.word_positions(t, wanted) for t in texts
    ]
    assert folding._find_words("xe máy", frozenset({"123456789"})) is None


@pytest.mark.parametrize("source", ["demo", "random"])
def test_texts_folded_on_the_way_give_the_hits_of_the_folded_texts(source: str) -> None:
    """Proximity reads its articles unfolded (word_hits_many(raw=True), through a table from
    a character to its folded letter): the hits are those of fold() then the search, also
    where fold() deletes a mark inside a word or a character lies beyond the BMP."""
    rnd = random.Random(3)
    texts = _demo_sample(2000, 3) if source == "demo" else _random_texts(60)
    texts += ["X\u0301e ma\u0301y va\u0300 XE MÁY " * 300, "Đèn đỏ \U0001f6a6 đèn đỏ " * 400]
    vocab = sorted({w for t in texts for w in _WORD.findall(folding.fold(t))})
    short = [w for w in vocab if w.isascii() and len(w) <= 8]
    for k in range(0, len(texts), 25):
        some = texts[k : k + 25] + texts[-2:]
        wanted = frozenset(["xe", "may", "den", "do", *rnd.sample(short, 12)])
        folded = folding.word_hits_many([folding.fold(t) for t in some], wanted)
        raw = folding.word_hits_many(iter(some), wanted, raw=True)
        assert _positions(raw, len(some), wanted) == _positions(folded, len(some), wanted)
    assert folding._find_folded("X\u0301e máy " * 800, frozenset({"xe"})) is None  # the mark
    assert folding._find_folded("Xe máy " * 800, frozenset({"xe"})) is not None


def test_words_one_after_another_are_found_as_the_split_finds_them() -> None:
    """find_run (accents' `đèn đỏ`, a snippet's legal wording) holds where the text's words
    joined by spaces hold the run's words joined so: `bất động sản, động sản` too."""
    rnd = random.Random(5)
    paths = sorted((CONTENT / "documents").glob("*.json"))[:6]
    texts = [folding.accent_lower(p.read_text(encoding="utf-8"))[:20000] for p in paths]
    texts += ["đèn  đỏ", "xe_máy đèn", "(đèn)đỏ", "đènđỏ", "đèn\nđỏ", "vượt đèn đỏ,", "axe xe xe"]
    texts += ["bất động sản, động sản", "c.d e"]
    for text in texts:
        words = _WORD.findall(text)
        hay = " " + " ".join(words) + " "
        runs = ["đèn đỏ", "xe máy", "c.d e", "a", "vượt đèn đỏ", "xe xe", "sản, động", ""]
        for _ in range(40):
            k = rnd.randrange(max(1, len(words) - 2))
            runs.append(" ".join(words[k : k + 2]) if rnd.random() < 0.7 else f"{words[k]} và")
        for run in runs:
            joined = " ".join(_WORD.findall(run))
            held = bool(joined) and f" {joined} " in hay
            assert (folding.find_run(folding.run_pattern(run), text) is not None) == held, run


def test_text_lowered_for_some_keys_finds_them_as_accent_lower_does() -> None:
    """accent_lower_for skips moving old-style tones unless a key holds a syllable the move
    writes; each key (accent_lower's output) is found in it exactly where accent_lower's
    text holds it, in a text of both styles (`hoà`, `hòa`, `Thuỷ`)."""
    rnd = random.Random(7)
    paths = sorted((CONTENT / "documents").glob("*.json"))[:4]
    mixed = "Hoà giải ở cơ sở, thuỷ lợi và Thủy sản; hòa bình. ĐÈN ĐỎ, khoẻ, xoá bỏ, thuở xưa. "
    texts = [mixed * 3, *(mixed + p.read_text(encoding="utf-8")[:8000] for p in paths)]
    for text in texts:
        words = _WORD.findall(folding.accent_lower(text))
        runs = ["hòa giải", "thủy lợi", "đèn đỏ", "khỏe", "xóa bỏ", "thuở xưa", "hoà giải"]
        runs += [" ".join(words[k : k + 2]) for k in rnd.sample(range(len(words) - 1), 30)]
        for run in runs:
            key = folding.accent_lower(run)
            pattern = folding.run_pattern(key)
            whole = folding.find_run(pattern, folding.accent_lower(text)) is not None
            some = folding.find_run(pattern, folding.accent_lower_for(text, [key])) is not None
            assert some == whole, run
    assert "hòa giải" in folding.accent_lower_for(mixed, ["hòa giải"])  # the move is made
    assert "hoà giải" in folding.accent_lower_for(mixed, ["đèn đỏ"])  # and left out
