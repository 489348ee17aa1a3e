"""One query's cost is bounded (issue 18): what the analyser reads, the terms it makes and
the speller's work, whatever a resident pastes. Real questions are untouched."""

from __future__ import annotations

import json
import random
import string
import unicodedata
from pathlib import Path

import pytest

from offline_index import analysis as va
from offline_index import spelling
from offline_index.search_engine import SearchEngine
from offline_index.spelling import Budget, Speller, distance

HOSTILE = {
    "one long word": "a" * 10_000,
    "one-letter words": " ".join("abcdefghij"[i % 10] for i in range(10_000)),
    "distinct short words": " ".join(
        "".join(random.Random(i).choices(string.ascii_lowercase, k=4)) for i in range(3_000)
    ),
    "numbers": " ".join(f"{i}/20{i % 30:02d}" for i in range(3_000)),
    "combining marks": "a" + "\u0301" * 10_000,
}


def _stripped(text: str) -> str:
    nfd = unicodedata.normalize("NFD", text)
    return "".join(c for c in nfd if not unicodedata.combining(c)).replace("đ", "d")


def test_alqac_questions_analyse_exactly_as_without_caps(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caps sit above every real question: the 729 ALQAC questions, as given and typed
    without diacritics, give the same terms with the caps and without them."""
    questions = json.loads((shared_data / "bench" / "alqac25_train.json").read_text("utf-8"))
    texts = [t for q in questions for t in (q["text"], _stripped(q["text"]))]
    capped = [repr(va.analyse_query(t)) for t in texts]
    for name in ("MAX_QUERY_CHARS", "MAX_CONTENT_WORDS", "MAX_UNIGRAMS", "MAX_NUMBER_TERMS"):
        monkeypatch.setattr(va, name, 10**9)
    assert [repr(va.analyse_query(t)) for t in texts] == capped
    assert max(len(t) for t in texts) < va.MAX_QUERY_CHARS


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_queries_make_a_bounded_number_of_terms(name: str) -> None:
    qt = va.analyse_query(HOSTILE[name])
    assert len(qt.unigrams) <= va.MAX_UNIGRAMS + 20  # + the legal words of everyday terms
    assert len(qt.bigrams) <= va.MAX_CONTENT_WORDS + 20
    assert len(qt.numbers.terms) <= va.MAX_NUMBER_TERMS


def test_cap_query_cuts_at_a_word() -> None:
    words = "đất đai " * 100
    cut = va.cap_query(words)
    assert len(cut) <= va.MAX_QUERY_CHARS and words.startswith(cut) and words[len(cut)] == " "
    assert va.cap_query("a" * 10_000) == "a" * va.MAX_QUERY_CHARS
    assert va.cap_query("thủ tục ly hôn") == "thủ tục ly hôn"


# ---------------------------------------------------------------- the speller


def _edits1(word: str) -> set[str]:
    """Norvig's one-edit variants, the speller's old method, as the reference."""
    letters = "abcd"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def test_distance_agrees_with_two_rounds_of_single_edits() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = "".join(rng.choices("abcd", k=rng.randint(1, 6)))
        one = _edits1(a)
        two = {w2 for w1 in one for w2 in _edits1(w1)}
        for b in {"".join(rng.choices("abcd", k=rng.randint(1, 7))) for _ in range(20)}:
            want = 0 if a == b else 1 if b in one else 2 if b in two else 3
            assert distance(a, b) == want, (a, b)


def test_speller_corrects_as_before(engine: SearchEngine) -> None:
    speller = engine._speller_obj()
    assert speller.correct("tranh") is None  # known
    assert speller.correct("chaap") == "chap"  # one edit
    qt = va.analyse_query("tranh chaap dat dai")
    assert speller.did_you_mean("tranh chaap dat dai", qt) == "tranh chap dat dai"


def test_a_word_typed_with_diacritics_is_not_corrected() -> None:
    """An input method composed `bừa`: a word the library lacks, not a typo of `của`. The
    same word typed plain may be a typo, and is still corrected to the library's word."""
    speller = Speller({"cua": 500, "vut": 3, "rac": 4, "bai": 40}, clock=lambda: 0.0)
    typed = "vứt rác bừa bãi"
    assert speller.did_you_mean(typed, va.analyse_query(typed)) is None
    plain = "vut rac bua bai"
    assert speller.did_you_mean(plain, va.analyse_query(plain)) == "vut rac cua bai"
    mixed = "tranh chaap đất đai"
    fixed = Speller({"chap": 9, "tranh": 9}, clock=lambda: 0.0).did_you_mean(
        mixed, va.analyse_query(mixed)
    )
    assert fixed == "tranh chap đất đai"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_speller_work_is_bounded(engine: SearchEngine, name: str) -> None:
    speller = engine._speller_obj()
    text = HOSTILE[name]
    speller.did_you_mean(text, va.analyse_query(text))
    assert speller.last_checks <= spelling.MAX_CHECKS


def test_words_longer_than_any_syllable_are_not_corrected(engine: SearchEngine) -> None:
    speller = engine._speller_obj()
    budget = Budget(deadline=float("inf"))
    assert speller.correct("chap" * 5, budget) is None
    assert budget.checks == 0  # not even looked up


def test_speller_stops_at_its_time_budget(engine: SearchEngine) -> None:
    """A clock that moves 10 ms per reading: after BUDGET_S the words stay as typed."""
    ticks = iter(range(10**6))
    speller = Speller(engine._speller_obj().vocab, clock=lambda: next(ticks) * 0.01)
    words = ["chaap"] * 1 + [f"chaap{c}" for c in "bcdfghklmnpqrstvx"]
    text = " ".join(words)
    fixed = speller.did_you_mean(text, va.analyse_query(text))
    assert fixed is not None
    kept = sum(1 for typed, out in zip(words, fixed.split(), strict=True) if typed == out)
    assert kept >= len(words) - int(spelling.BUDGET_S / 0.01) - 1
