"""The engine's BM25F equals Whoosh's own scorer on the same index (whoosh.scoring.BM25F).

The engine does not score through Whoosh's matchers (too slow for 30-50 query terms); it
reads a plain-array copy of the postings (offline_index/postings.py) derived through
offline_index/whoosh_adapter.py, which reaches into Whoosh internals. This test is what
an upgrade of Whoosh must pass: the same terms, the same field B, K1 and boosts, scored
both ways, record by record.

One deliberate difference: the idf. Whoosh's WeightingModel.idf is log(N / (df + 1)) + 1;
the engine uses BM25's log(1 + (N - df + 0.5) / (df + 0.5)) (the quality figures were
tuned with it), so Whoosh is given that idf here. Everything else is Whoosh's: term
frequencies, the length bytes, the average field length, B per field, K1.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq
from whoosh import scoring as ws
from whoosh.fields import TEXT

from offline_index import postings as lp
from offline_index import scoring, whoosh_adapter
from offline_index.analysis import analyse_query
from offline_index.search_engine import SearchEngine
from offline_index.whoosh_adapter import open_index

QUERIES = [
    "Điều kiện đăng ký thường trú là gì?",
    "phạt vượt đèn đỏ",
    "tranh chấp đất đai do Tòa án giải quyết",
    "Công an xã có được phạt lỗi không mang giấy phép lái xe không?",
    "nơi cư trú của người chưa thành niên",
    "luat dat dai 2024",
]


class BM25Idf(ws.BM25F):
    """Whoosh's BM25F with the engine's idf (the one difference, see the module doc)."""

    def idf(self, searcher: object, fieldname: str, text: str) -> float:
        df = searcher.doc_frequency(fieldname, text)
        n = searcher.doc_count()
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def whoosh_scores(index_dir: Path, terms: list, eng: SearchEngine) -> np.ndarray:
    w = eng.weights
    model = BM25Idf(B=w.b, K1=w.k1, dtitle_B=w.title_b, atitle_B=w.title_b)
    q = wq.Or([wq.Term(f, t, boost=b) for f, t, b, _ in terms])
    out = np.zeros(eng.corpus.size)
    with open_index(index_dir).searcher(weighting=model) as s:
        for hit in s.search(q, limit=None):
            out[hit.docnum] = hit.score
    return out


@pytest.mark.parametrize("text", QUERIES)
def test_bm25f_equals_whoosh(engine: SearchEngine, index_dir: Path, text: str) -> None:
    cache = scoring.TermCache(engine.corpus)
    terms = [t for t in engine._terms(analyse_query(text), cache) if t[0] != "num"]
    assert terms
    w = engine.weights
    ours = scoring.bm25f(cache, terms, w.k1, w.b, w.title_b).scores
    theirs = whoosh_scores(index_dir, terms, engine)
    assert np.count_nonzero(theirs) > 0
    assert np.allclose(ours, theirs, rtol=1e-9, atol=0)


def test_number_terms_are_bm25_without_length(engine: SearchEngine) -> None:
    """`num` is a KEYWORD field: Whoosh keeps no lengths for it (it would score it by tf
    alone); the engine scores it as BM25 with B = 0."""
    cache = scoring.TermCache(engine.corpus)
    hits = cache.get("num", "n:100/2019")
    w = engine.weights
    ours = scoring.bm25f(cache, [("num", "n:100/2019", 1.0, True)], w.k1, w.b, w.title_b).scores
    idf = math.log(1 + (engine.corpus.n - hits.df + 0.5) / (hits.df + 0.5))
    for d, tf in zip(hits.docs, hits.tfs, strict=True):
        assert ours[d] == pytest.approx(ws.bm25(idf, tf, 1, 1, 0.0, w.k1), rel=1e-12)


def test_derived_postings_hold_every_whoosh_posting(index_dir: Path) -> None:
    ix = open_index(index_dir)
    with ix.reader() as reader:
        (seg,) = whoosh_adapter.segments(reader)
        derived = lp.SegmentPostings(lp.path_for(index_dir, seg.name))
        try:
            for fieldname in whoosh_adapter.SCORED_FIELDS:
                for term in reader.lexicon(fieldname):
                    found = derived.find(fieldname, term)
                    pairs = list(reader.postings(fieldname, term).items_as("weight"))
                    assert found is not None, (fieldname, term)
                    assert list(zip(found.docs.tolist(), found.tfs.tolist(), strict=True)) == pairs
            assert derived.find("body", b"khong co tu nay") is None
        finally:
            derived.close()


@pytest.mark.parametrize(
    "text",
    [
        "Điều 5. Phạt tiền từ 3.000.000 đồng đến 5.000.000 đồng (vượt đèn đỏ); đèn đỏ!",
        unicodedata.normalize("NFD", "Hôn nhân và GIA ĐÌNH, hôn nhân"),
        "x",
        "",
        "100/2019/NĐ-CP ngày 30/12/2019 — Đ đ ð",
    ],
)
def test_fast_field_indexing_equals_whoosh_analysis(text: str) -> None:
    """SyllableText.index counts what Whoosh's analyzer pipeline would have produced."""
    for fieldname in whoosh_adapter.TEXT_FIELDS:
        field = whoosh_adapter.make_schema()[fieldname]
        generic = TEXT(analyzer=field.analyzer, phrase=False)
        assert sorted(field.index(text)) == sorted(generic.index(text)), fieldname


def test_a_very_long_word_is_indexed_and_found(tmp_path: Path) -> None:
    """A run of 70,000 letters (a pasted blob) is one term longer than 64 KiB."""
    from offline_index.search_engine import write_index

    from .conftest import rec

    blob = "x" * 70_000
    write_index(
        tmp_path / "ix", [rec("a#1", "a", "1/2020/QH14", "Luật A", "Luật", f"đất đai {blob}")]
    )
    with SearchEngine.open(tmp_path / "ix") as eng:
        assert [h.key for h in eng.search("đất đai").hits] == ["a#1"]
        assert eng.corpus.postings("body1", blob).df == 1
