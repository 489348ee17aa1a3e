"""Writing Whoosh segments without Whoosh's sorting pool: the build's fast path.

Whoosh's `SegmentWriter` sends every posting through a `PostingPool`: a Python tuple per
posting, pickled to temporary run files once `limitmb` is reached, unpickled again and
heap-merged at commit, where each posting also looks its document's length up in the
segment's length column. At 1x that is three quarters of the build (docs/benchmarks.md,
"Library build"). `SegmentWriter` below keeps Whoosh's per-document writer, field writer,
segment files, TOC and merge policies, and replaces only the pool:

- postings are collected per field as compact arrays (term number, document, frequency),
  terms numbered in a dict, with each document's exact field lengths;
- at commit each field is sorted once with numpy and written term by term, block by block,
  through Whoosh's own postings writer (same blocks, same pickled block data, same block
  statistics, from the lengths Whoosh would have read back);
- the same sorted arrays also give the segment's derived postings file (offline_index/
  postings.py), so nothing is read back from the segment just written.

What it writes is Whoosh's format exactly: tests/search/test_whoosh_writer.py builds the
same records with Whoosh's own writer and compares every file of the two segments byte
for byte. Like whoosh_adapter, this module touches Whoosh internals (pinned version).

Merging small segments (whoosh_adapter.commit) re-adds their live records from their stored
fields (`restore`), so every segment is written by this one path.
"""

from __future__ import annotations

import os
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from whoosh import formats
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter as WhooshSegmentWriter

from offline_index import analysis as va
from offline_index import postings as lp
from offline_index import whoosh_adapter as wa

BLOCK = 128  # postings per block: the W3 codec's blocklimit
Restore = Callable[[dict], dict]  # stored fields of a record -> add_document keyword arguments


class _FieldPool:
    """One field's postings of the segment being written, in compact arrays."""

    def __init__(self) -> None:
        self.vocab: defaultdict[str, int] = defaultdict()
        self.vocab.default_factory = self.vocab.__len__  # a new term gets the next number
        self.tids, self.docs, self.freqs = array("I"), array("I"), array("I")

    def add(self, terms: list[str], freqs: list[int], docnum: int) -> None:
        self.tids.extend(map(self.vocab.__getitem__, terms))
        self.docs.extend(array("I", (docnum,)) * len(terms))
        self.freqs.extend(freqs)

    def __len__(self) -> int:
        return len(self.tids)

    def sorted_terms(self) -> Iterator[tuple[bytes, np.ndarray, np.ndarray]]:
        """(term, documents, frequencies) in Whoosh's order: terms by their UTF-8 bytes
        (= code point order), documents ascending (they were added in order)."""
        terms = sorted(self.vocab)
        rank = np.empty(len(terms), dtype=np.uint32)
        rank[np.fromiter(map(self.vocab.__getitem__, terms), np.int64, len(terms))] = np.arange(
            len(terms), dtype=np.uint32
        )
        keys = rank[np.frombuffer(self.tids, dtype=np.uint32)]
        self.tids = array("I")
        starts = [0, *np.cumsum(np.bincount(keys, minlength=len(terms))).tolist()]
        order = np.argsort(keys, kind="stable")
        del keys
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        freqs = np.frombuffer(self.freqs, dtype=np.uint32)[order]
        self.docs, self.freqs = array("I"), array("I")
        del order
        for i, term in enumerate(terms):
            a, b = starts[i], starts[i + 1]
            yield term.encode("utf-8"), docs[a:b], freqs[a:b]


class SegmentWriter(WhooshSegmentWriter):
    """Whoosh's segment writer with the posting pool replaced (see the module doc)."""

    def __init__(self, ix: object, index_dir: Path, restore: Restore) -> None:
        super().__init__(ix, limitmb=1)  # Whoosh's pool is created but never fed
        self.index_dir = Path(index_dir)
        self.restore = restore
        self.pools: dict[str, _FieldPool] = {}
        self.lengths: dict[str, array] = {}  # scorable field -> exact length per document
        self._id_terms: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._last: tuple[str, list[str]] = ("", [])
        for name, field in self.schema.items():
            fmt = field.format
            if field.indexed and (type(fmt) not in (formats.Frequency, formats.Existence)):
                raise TypeError(f"{name}: format {type(fmt).__name__} is not supported here")
            if field.indexed and (fmt.field_boost != 1.0 or field.vector):
                raise TypeError(f"{name}: field boosts and vectors are not supported here")

    @property
    def postings(self) -> int:
        """Postings collected for the segment so far (what its memory grows with)."""
        return sum(len(p) for p in self.pools.values())

    # ------------------------------------------------------------ adding

    def add_document(self, **fields: object) -> None:
        """Whoosh's add_document for this writer's schema (no boosts, no vectors)."""
        self._check_state()
        pdw, schema, docnum = self.perdocwriter, self.schema, self.docnum
        pdw.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None or name.startswith("_"):
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    terms, freqs = self._terms(name, field, value)
                    if terms:
                        self.pools.setdefault(name, _FieldPool()).add(terms, freqs, docnum)
                    if field.scorable:
                        length = sum(freqs)
                        self._length(name, docnum, length)
                pdw.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    pdw.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _terms(self, name: str, field: object, value: object) -> tuple[list[str], list[int]]:
        """A field's terms and frequencies, as field.index(value) gives them."""
        if isinstance(field, wa.SyllableText):
            text = str(value)
            if self._last[0] is not text:  # body and body1 index the same text
                self._last = (text, va.syllables(text))
            sylls = self._last[1]
            counts = Counter(sylls) if field.unigrams else Counter()
            if field.bigrams:
                counts.update(map(" ".join, zip(sylls, sylls[1:], strict=False)))
            return list(counts), list(counts.values())
        # One-value fields repeat a few values (kind, scope, document id): analysed once.
        cached = field.format.__class__ is formats.Existence and not field.unique
        key = (name, str(value))
        items = self._id_terms.get(key) if cached else None
        if items is None:
            items = [(t.decode("utf-8"), n) for t, n, _, _ in field.index(value)]
            if cached and len(self._id_terms) < 100_000:
                self._id_terms[key] = items
        return [t for t, _ in items], [n for _, n in items]

    def _length(self, name: str, docnum: int, length: int) -> None:
        col = self.lengths.setdefault(name, array("I"))
        if len(col) < docnum:
            col.extend(array("I", (0,)) * (docnum - len(col)))
        col.append(length)

    def add_reader(self, reader: object) -> None:
        """Merging a segment (whoosh_adapter.commit): its live records are added again."""
        for _, stored in reader.iter_docs():
            self.add_document(**self.restore(stored))

    # ------------------------------------------------------------ commit

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        seg = self.get_segment()
        n = self.docnum
        lengths = {
            f: np.pad(np.frombuffer(c, dtype=np.uint32), (0, n - len(c))).astype(np.int64)
            for f, c in self.lengths.items()
        }
        self.lengths = {}
        self._lsp_tmp = self.index_dir / f".{seg.segment_id()}{lp.SUFFIX}-tmp"
        out = lp.SegmentFile(self._lsp_tmp, seg.segment_id(), n)
        try:
            fw = self.fieldwriter
            for name in sorted(self.pools):
                self._write_field(fw, out, name, lengths.get(name))
            fw.close()
            for name in wa.TEXT_FIELDS:
                length = lengths.get(name, np.zeros(n, dtype=np.int64))
                out.lengths(name, _length_bytes(length), length)
            out.finish()
        except BaseException:
            out.abandon()
            raise

    def _write_field(
        self, fw: object, out: lp.SegmentFile, name: str, length: np.ndarray | None
    ) -> None:
        field = self.schema[name]
        pool = self.pools.pop(name)
        # Whoosh's block statistics use the length it reads back: the length byte's value.
        quantized = None if length is None else wa.LENGTH_OF_BYTE[_length_bytes(length)]
        frequency = field.format.__class__ is formats.Frequency
        fw.start_field(name, field)
        scored, ided = name in wa.SCORED_FIELDS, name in lp.ID_FIELDS
        codes = np.full(self.docnum, -1, dtype=np.int32) if ided else None
        values: list[str] = []
        for term, docs, freqs in pool.sorted_terms():
            fw.start_term(term)
            _write_postings(fw._postwriter, docs, freqs, quantized, frequency)
            fw.finish_term()
            if scored:
                out.term(name, term, docs, freqs)
            if codes is not None:
                codes[docs] = len(values)
                values.append(term.decode("utf-8"))
        fw.finish_field()
        if codes is not None:
            out.ids(name, values, codes)

    def _finalize_segment(self) -> object:
        seg = super()._finalize_segment()
        os.replace(self._lsp_tmp, lp.path_for(self.index_dir, seg.segment_id()))
        return seg


def _length_bytes(length: np.ndarray) -> np.ndarray:
    """Whoosh's length_to_byte, vectorised (the byte its length column stores)."""
    out = np.searchsorted(wa.LENGTH_OF_BYTE, length, side="left")
    return np.where(length >= wa.MAX_LENGTH, 255, out).astype(np.uint8)


def _write_postings(
    pw: object, docs: np.ndarray, freqs: np.ndarray, quantized: np.ndarray | None, frequency: bool
) -> None:
    """One term's postings through Whoosh's postings writer, 128 to a block, exactly as its
    add_posting would have buffered them (finish_term writes the last block)."""
    n = len(docs)
    for a in range(0, n, BLOCK):
        if a:
            pw._write_block()
        ids = docs[a : a + BLOCK].tolist()
        fs = freqs[a : a + BLOCK].tolist()
        pw._ids = array("I", ids)
        pw._weights = array("f", fs)
        pw._values = [pack_uint(f) for f in fs] if frequency else []
        pw._maxweight = float(max(fs))  # Whoosh's weights are floats
        lens = (
            [] if quantized is None else [x for x in quantized[docs[a : a + BLOCK]].tolist() if x]
        )
        pw._minlength = min(lens) if lens else None
        pw._maxlength = max(lens) if lens else 0


__all__ = ["SegmentWriter"]
