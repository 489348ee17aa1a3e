"""Everything LawShelf does with Whoosh, in one module: the only one that imports whoosh.

Whoosh (whoosh-reloaded, pinned to one release in pyproject.toml) is the index of record:
the schema and analysis pipeline, writing and deleting records, segment files, stored
fields. The search engine does not score through Whoosh's matchers (too slow with 30-50
query terms, docs/search.md); it reads a plain-array copy of each segment's postings
(offline_index/postings.py) that is derived here, from Whoosh's own posting lists. The
functions below that touch Whoosh internals (posting blocks, inlined postings, the lengths
column, deleted-document sets) are named `segment_*`; tests/search/test_whoosh_adapter.py
checks them against Whoosh's public BM25F scorer, so an upgrade that changes them fails
there first.

An index is opened without mmap: reads go through one file handle, so a search touches no
mapped pages of the (large) segment files and the serving process's RSS stays flat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import Analyzer, Filter, Token, Tokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import IndexReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from offline_index import analysis as va

# The fields scored with BM25 (a per-document length), and the one scored without.
TEXT_FIELDS = ("body", "body1", "dtitle", "atitle")
SCORED_FIELDS = (*TEXT_FIELDS, "num")
# Whoosh's length byte -> the length it stands for (what Whoosh's own BM25F uses).
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
MAX_LENGTH = 106374  # whoosh.util.numeric.length_to_byte: this length and above are byte 255


# ---------------------------------------------------------------- analysis pipeline


class SyllableTokenizer(Tokenizer):
    """NFC the value once (the shared data mixes NFC and NFD), then split into syllables."""

    def __call__(  # noqa: D102 - whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        start_pos: int = 0,
        tokenize: bool = True,
        **kw: object,
    ) -> Iterator[Token]:
        t = Token(positions, **kw)
        words = va.nfc_words(value) if tokenize else [value]
        for pos, word in enumerate(words):
            t.text, t.boost, t.stopped = word, 1.0, False
            if positions:
                t.pos = start_pos + pos
            yield t


class FoldFilter(Filter):
    """Lower case, diacritics stripped, đ -> d: `Đất` and `dat` become the same term."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # noqa: D102
        fold = va.fold_word
        for t in tokens:
            t.text = fold(t.text)
            yield t


class NgramFilter(Filter):
    """Emit syllables and/or adjacent syllable bigrams."""

    def __init__(self, unigrams: bool = True, bigrams: bool = True) -> None:
        self.unigrams, self.bigrams = unigrams, bigrams

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # noqa: D102
        prev = None
        for t in tokens:
            word = t.text
            if self.unigrams:
                yield t
            if self.bigrams and prev is not None:
                t.text = f"{prev} {word}"
                yield t
                t.text = word
            prev = word


def analyzer(unigrams: bool = True, bigrams: bool = True) -> Analyzer:
    """The Whoosh pipeline of one field: syllables | folding | n-grams."""
    return SyllableTokenizer() | FoldFilter() | NgramFilter(unigrams, bigrams)


class SyllableText(TEXT):
    """A TEXT field of the pipeline above whose index() counts the terms directly.

    Whoosh's generic path sends every token through three generators and a Token object;
    counting the same folded syllables and bigrams with a Counter gives the same
    (term, frequency, weight, value) tuples several times faster (test_whoosh_adapter.py).
    """

    def __init__(self, unigrams: bool = True, bigrams: bool = True) -> None:
        super().__init__(analyzer=analyzer(unigrams, bigrams), phrase=False)
        self.unigrams, self.bigrams = unigrams, bigrams

    def index(self, value: str, **kwargs: object) -> list[tuple[bytes, int, float, bytes]]:
        sylls = va.syllables(value)
        counts = Counter(sylls) if self.unigrams else Counter()
        if self.bigrams:
            counts.update(va.bigrams(sylls))
        boost = self.format.field_boost
        return [(t.encode("utf-8"), n, n * boost, pack_uint(n)) for t, n in counts.items()]


def make_schema() -> Schema:
    """One Whoosh document per article / page / Q&A entry / notice (docs/search.md)."""
    return Schema(
        key=ID(stored=True, unique=True),
        hit_type=ID(stored=True),
        doc_id=ID(stored=True),
        kind=ID(stored=True),
        scope=ID(stored=True),
        validity=ID(stored=True),
        year=ID(stored=True),
        fields=KEYWORD(stored=True, commas=True),
        atwords=ID(),  # the article title's words and conjuncts (article_titles.indexed_title)
        parts=ID(stored=True),  # its parts' headings (article_titles.part_words)
        doc_number=STORED(),
        doc_title=STORED(),
        article=STORED(),
        article_title=STORED(),
        page=STORED(),
        text=STORED(),
        body=SyllableText(unigrams=False),
        body1=SyllableText(bigrams=False),
        dtitle=SyllableText(),
        atitle=SyllableText(),
        num=KEYWORD(),
    )


# ---------------------------------------------------------------- writing


def create_index(index_dir: Path) -> windex.Index:
    return FileStorage(str(index_dir), supports_mmap=False).create_index(make_schema())


def open_index(index_dir: Path) -> windex.Index:
    """Open an index we built, reading through a file handle (no mmap)."""
    return FileStorage(str(index_dir), supports_mmap=False, readonly=True).open_index()


def open_writable(index_dir: Path) -> windex.Index:
    """For writing, also without mmap: a build that reads every posting of a segment to
    derive its arrays must not keep a gigabyte of mapped pages (they count in its RSS)."""
    return FileStorage(str(index_dir), supports_mmap=False).open_index()


def writer(ix: windex.Index, limitmb: int) -> SegmentWriter:
    return ix.writer(limitmb=limitmb)


def delete_unit(w: SegmentWriter, doc_id: str) -> None:
    w.delete_by_term("doc_id", doc_id)


def commit(w: SegmentWriter, merge_at: int) -> None:
    """Commit the new segment. Once `merge_at` small segments (under a quarter of the
    largest: what incremental builds add) have piled up, they are folded into the new one,
    dropping their deleted records. Whoosh's own MERGE_SMALL never merges segments of a
    realistic size, so it is not used."""
    w.commit(mergetype=_merge_small(merge_at))


def _merge_small(merge_at: int) -> Callable[[SegmentWriter, list], list]:
    def policy(writer: SegmentWriter, segs: list) -> list:
        largest = max((s.doc_count_all() for s in segs), default=0)
        small = [s for s in segs if s.doc_count_all() * 4 < largest]
        if len(small) < merge_at:
            return segs
        for seg in small:
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
        return [s for s in segs if s not in small]

    return policy


def index_stats(index_dir: Path) -> tuple[int, int, int]:
    """(segments, live records, all records) of an index."""
    with open_index(index_dir).reader() as reader:
        return len(segments(reader)), reader.doc_count(), reader.doc_count_all()


# ---------------------------------------------------------------- reading


@dataclass
class Segment:
    """One Whoosh segment as the derived postings see it."""

    reader: IndexReader  # the segment's own reader
    offset: int  # its first document number in the whole index
    name: str  # the segment id (`MAIN_<id>`), which names its files

    @property
    def doc_count_all(self) -> int:
        return self.reader.doc_count_all()


def segments(reader: IndexReader) -> list[Segment]:
    """The index's segments with their document offsets (none for an empty index)."""
    # An index with no records opens as Whoosh's EmptyReader, which has no segment.
    return [
        Segment(r, off, r.segment().segment_id())
        for r, off in reader.leaf_readers()
        if hasattr(r, "_terms")
    ]


def segment_deleted(seg: Segment) -> np.ndarray:
    """Document numbers (segment-local) that an incremental build deleted."""
    return np.fromiter(seg.reader.deleted_docs_set or (), dtype=np.int64)


def segment_length_bytes(seg: Segment, fieldname: str) -> np.ndarray:
    """Whoosh's per-document length byte of a text field (0 where the field is empty)."""
    col = seg.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    n = seg.doc_count_all
    if col is None:
        return np.zeros(n, dtype=np.uint8)
    return np.frombuffer(bytes(col[d] for d in range(n)), dtype=np.uint8).copy()


def segment_field_length(seg: Segment, fieldname: str) -> int:
    """The exact total length of a field over the segment's documents (deleted included)."""
    return int(seg.reader.field_length(fieldname))


def segment_postings(
    seg: Segment, fieldname: str
) -> Iterator[tuple[bytes, np.ndarray, np.ndarray]]:
    """Every term of a field with its document numbers and term frequencies, in term order.

    Reads Whoosh's posting blocks (and the postings it inlines into small terms' infos).
    """
    terms = seg.reader._terms
    codec, postfile = terms._codec, terms._postfile
    fmt = seg.reader.schema[fieldname].format
    for (fname, tbytes), info in terms.items_from(fieldname, b""):
        if fname != fieldname:
            break
        m = codec.postings_reader(postfile, info, fmt, term=(fieldname, tbytes))
        if info.is_inlined():
            ids, weights, _ = info.inlined_postings()
            yield tbytes, np.array(ids, dtype=np.uint32), np.array(weights, dtype=np.float32)
            continue
        idparts, wparts = [], []
        while m.is_active():
            m._read_ids()
            m._read_weights()
            idparts.append(np.asarray(m._ids, dtype=np.uint32))
            wparts.append(np.asarray(m._weights, dtype=np.float32))
            m._next_block()
        yield tbytes, np.concatenate(idparts), np.concatenate(wparts)


def segment_id_values(seg: Segment, fieldname: str) -> tuple[list[str], np.ndarray]:
    """For a one-value-per-record field (doc_id, validity, atwords, parts): the distinct
    values and each document's index into them (-1 where the record has no value)."""
    values: list[str] = []
    codes = np.full(seg.doc_count_all, -1, dtype=np.int32)
    for tbytes, ids, _ in segment_postings(seg, fieldname):
        codes[ids] = len(values)
        values.append(tbytes.decode("utf-8"))
    return values, codes


def stored_fields(reader: IndexReader, docnum: int) -> dict:
    return reader.stored_fields(docnum)


def open_searcher(ix: windex.Index) -> Searcher:
    return ix.searcher()


def docs_matching(searcher: Searcher, terms: list[tuple[str, str]]) -> np.ndarray:
    """Document numbers (whole index) having every (field, value); deleted ones may be in."""
    q = wq.And([wq.Term(f, v) for f, v in terms])
    return np.fromiter(searcher.docs_for_query(q), dtype=np.int64)


def lexicon(reader: IndexReader, fieldname: str) -> list[str]:
    """Every term of a field (all segments)."""
    return [t.decode() for t in reader.lexicon(fieldname)]
