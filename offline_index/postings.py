"""Plain-array copies of Whoosh's postings, one file per segment, for vectorised BM25F.

Whoosh stays the index of record. After each commit, every segment gets a `<segment>.lsp`
file derived from that segment's own posting lists (whoosh_adapter.segment_postings): per
(field, term) its document numbers (uint32) and term frequencies (uint16), stored together
so one read fetches a term; a sorted table of 64-bit term hashes to find them; and per
document the few values ranking needs (Whoosh's length bytes, exact field lengths, the
unit it belongs to, its indexed validity, its article title's words). No pickles: a JSON
header at the end of the file says where each array is. Segment files are immutable, like
Whoosh's, so an incremental build hard-links them; Whoosh deletes them with their segment.

Reading keeps the term table (24 bytes a term) and the per-document arrays in memory;
postings are read with os.pread, so nothing is memory-mapped and RSS does not grow with
the searches.
"""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from offline_index import whoosh_adapter as wa
from offline_index.errors import LibraryCorrupt

SUFFIX = ".lsp"
MAGIC = b"LSPOST3\n"
_HEAD = 24  # magic, then the JSON header's offset and length
_CHUNK = 1 << 20  # postings summed per bincount when computing exact field lengths


def _pread(fd: int, size: int, at: int) -> bytes:
    """os.pread where the platform has it (not Windows); else seek and read."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, at)
    os.lseek(fd, at, os.SEEK_SET)  # one engine is used from one thread at a time
    return os.read(fd, size)


def term_hash(fieldname: str, term: bytes) -> int:
    digest = hashlib.blake2b(fieldname.encode() + b"\0" + term, digest_size=8).digest()
    return int.from_bytes(digest, "little")


def path_for(index_dir: Path, segment: str) -> Path:
    return Path(index_dir) / f"{segment}{SUFFIX}"


# ---------------------------------------------------------------- writing

# One-value-per-record fields whose values the file keeps per document (their codes).
ID_FIELDS = ("doc_id", "validity", "atwords", "parts")


class SegmentFile:
    """Writes one `.lsp` file: term blocks as they come, then the per-document arrays and
    the header. Keeps only the term table in memory. Written to `tmp`; the caller renames
    it (finish() fsyncs it first)."""

    def __init__(self, tmp: Path, segment: str, docs: int) -> None:
        self.tmp = tmp
        self.fh = open(tmp, "wb")  # noqa: SIM115 - closed by finish() / abandon()
        self.fh.write(b"\0" * _HEAD)
        self.docs = docs
        self.pos = _HEAD
        self.keys, self.starts, self.counts = array("Q"), array("Q"), array("I")
        self.tlens = array("I")
        self.arrays: dict[str, list] = {}
        self.header: dict = {"format": 1, "segment": segment, "docs": docs}

    def _write(self, data: bytes) -> int:
        at = self.pos
        self.fh.write(data)
        self.pos += len(data)
        pad = -self.pos % 8
        if pad:
            self.fh.write(b"\0" * pad)
            self.pos += pad
        return at

    def term(self, fieldname: str, term: bytes, ids: np.ndarray, tfs: np.ndarray) -> None:
        """One term's postings (segment-local record numbers ascending, frequencies)."""
        if tfs.size and tfs.max() > 65535:
            raise LibraryCorrupt(f"term frequency of {fieldname}:{term!r} is not a small integer")
        block = term + ids.astype("<u4").tobytes() + tfs.astype("<u2").tobytes()
        self.keys.append(term_hash(fieldname, term))
        self.starts.append(self._write(block))
        self.counts.append(len(ids))
        self.tlens.append(len(term))

    def array(self, name: str, values: np.ndarray) -> None:
        values = np.ascontiguousarray(values)
        at = self._write(values.tobytes())
        self.arrays[name] = [values.dtype.str, int(values.size), at]

    def lengths(self, fieldname: str, length_bytes: np.ndarray, exact: np.ndarray) -> None:
        """A text field's per-record length bytes (Whoosh's) and exact lengths (sum of tf)."""
        self.array(f"len:{fieldname}", length_bytes.astype(np.uint8))
        self.array(f"flen:{fieldname}", exact.astype(np.uint32))

    def ids(self, fieldname: str, values: list[str], codes: np.ndarray) -> None:
        """A one-value field: its distinct values and each record's index into them (-1)."""
        self.array(f"code:{fieldname}", codes.astype(np.int32))
        self.header[fieldname] = values

    def finish(self) -> None:
        keys = np.frombuffer(self.keys, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        if keys.size > 1 and np.any(np.diff(keys[order]) == 0):
            raise LibraryCorrupt("two terms of one segment share a hash")
        self.array("keys", keys[order])
        for name, values in (("starts", self.starts), ("counts", self.counts)):
            self.array(name, np.frombuffer(values, dtype=values.typecode)[order])
        self.array("tlens", np.frombuffer(self.tlens, dtype=np.uint32)[order])
        for fieldname in ID_FIELDS:
            if f"code:{fieldname}" not in self.arrays:
                self.ids(fieldname, [], np.full(self.docs, -1, dtype=np.int32))
        head = json.dumps({**self.header, "arrays": self.arrays}, ensure_ascii=False).encode()
        at = self._write(head)
        self.fh.seek(0)
        self.fh.write(MAGIC + at.to_bytes(8, "little") + len(head).to_bytes(8, "little"))
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()

    def abandon(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def write_segment(index_dir: Path, seg: wa.Segment) -> Path:
    """Derive `<segment>.lsp` from one Whoosh segment's postings (temp file, then rename)."""
    final = path_for(index_dir, seg.name)
    out = SegmentFile(final.with_suffix(".lsp-tmp"), seg.name, seg.doc_count_all)
    try:
        for fieldname in wa.SCORED_FIELDS:
            flen = _field_postings(out, seg, fieldname)
            if fieldname in wa.TEXT_FIELDS:
                out.lengths(fieldname, wa.segment_length_bytes(seg, fieldname), flen)
        for fieldname in ID_FIELDS:
            out.ids(fieldname, *wa.segment_id_values(seg, fieldname))
        out.finish()
    except BaseException:
        out.abandon()
        raise
    os.replace(out.tmp, final)
    return final


def _field_postings(out: SegmentFile, seg: wa.Segment, fieldname: str) -> np.ndarray:
    """Write a field's term blocks; return each document's exact field length (sum of tf)."""
    flen = np.zeros(out.docs, dtype=np.float64)
    ids_buf: list[np.ndarray] = []
    tf_buf: list[np.ndarray] = []
    buffered = 0
    for term, ids, tfs in wa.segment_postings(seg, fieldname):
        if tfs.size and not np.array_equal(tfs, np.round(tfs)):
            raise LibraryCorrupt(f"term frequency of {fieldname}:{term!r} is not an integer")
        out.term(fieldname, term, ids, tfs)
        ids_buf.append(ids)
        tf_buf.append(tfs)
        buffered += len(ids)
        if buffered >= _CHUNK:
            flen += np.bincount(np.concatenate(ids_buf), np.concatenate(tf_buf), out.docs)
            ids_buf, tf_buf, buffered = [], [], 0
    if ids_buf:
        flen += np.bincount(np.concatenate(ids_buf), np.concatenate(tf_buf), out.docs)
    if fieldname in wa.TEXT_FIELDS and int(flen.sum()) != wa.segment_field_length(seg, fieldname):
        raise LibraryCorrupt(f"{seg.name}: derived {fieldname} lengths disagree with Whoosh")
    return flen.astype(np.uint32)


# ---------------------------------------------------------------- reading


@dataclass
class TermPostings:
    docs: np.ndarray  # segment-local document numbers (uint32)
    tfs: np.ndarray  # term frequencies (uint16)


class SegmentPostings:
    """One segment's derived file: term table and per-document arrays in memory, postings
    read on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            head = _pread(self.fd, _HEAD, 0)
            if head[:8] != MAGIC:
                raise LibraryCorrupt(f"{path.name} is not a LawShelf postings file")
            at, size = int.from_bytes(head[8:16], "little"), int.from_bytes(head[16:], "little")
            self.header = json.loads(_pread(self.fd, size, at))
        except (OSError, ValueError) as exc:
            os.close(self.fd)
            raise LibraryCorrupt(f"{path.name} is unreadable: {exc}") from None
        self.docs = int(self.header["docs"])
        self.keys = self.load("keys")
        self.starts, self.counts, self.tlens = (self.load(n) for n in ("starts", "counts", "tlens"))

    def load(self, name: str) -> np.ndarray:
        dtype, count, at = self.header["arrays"][name]
        dt = np.dtype(dtype)
        return np.frombuffer(_pread(self.fd, dt.itemsize * count, at), dtype=dt)

    def find(self, fieldname: str, term: bytes) -> TermPostings | None:
        return self.find_key(np.uint64(term_hash(fieldname, term)), term)

    def find_key(self, key: np.uint64, term: bytes) -> TermPostings | None:
        """A term's postings by its term_hash (a search hashes a term once for all segments)."""
        i = int(self.keys.searchsorted(key))
        if i >= self.keys.size or self.keys[i] != key:
            return None
        return self._read(i, term)

    def find_many(self, keys: np.ndarray, terms: list[bytes]) -> dict[int, TermPostings]:
        """Postings of several terms (their term_hash values) by their place in `terms`:
        one vectorised table lookup, then one read per term this segment holds."""
        at = self.keys.searchsorted(keys)
        inside = at < self.keys.size
        here = np.flatnonzero(inside)[self.keys[at[inside]] == keys[inside]]
        out = {}
        for j in here.tolist():
            found = self._read(int(at[j]), terms[j])
            if found is not None:
                out[j] = found
        return out

    def counts_many(self, keys: np.ndarray, terms: list[bytes]) -> np.ndarray:
        """How many records of this segment hold each term (0: none); only the term's
        head is read, to rule out a hash shared with a term of another segment."""
        at = self.keys.searchsorted(keys)
        inside = at < self.keys.size
        here = np.flatnonzero(inside)[self.keys[at[inside]] == keys[inside]]
        out = np.zeros(keys.size, dtype=np.int64)
        for j in here.tolist():
            i = int(at[j])
            if _pread(self.fd, int(self.tlens[i]), int(self.starts[i])) == terms[j]:
                out[j] = int(self.counts[i])
        return out

    def _read(self, i: int, term: bytes) -> TermPostings | None:
        n, t = int(self.counts[i]), int(self.tlens[i])
        block = _pread(self.fd, t + 6 * n, int(self.starts[i]))
        if block[:t] != term:
            return None  # a hash collision with a term not in this segment
        return TermPostings(
            np.frombuffer(block, "<u4", n, t), np.frombuffer(block, "<u2", n, t + 4 * n)
        )

    def close(self) -> None:
        os.close(self.fd)


def open_segments(index_dir: Path, segs: list[wa.Segment]) -> list[SegmentPostings]:
    out = []
    try:
        for seg in segs:
            path = path_for(index_dir, seg.name)
            if not path.is_file():
                raise LibraryCorrupt(
                    f"{index_dir}: {path.name} missing (index built by older code)"
                )
            sp = SegmentPostings(path)
            out.append(sp)
            if sp.docs != seg.doc_count_all or sp.header.get("segment") != seg.name:
                raise LibraryCorrupt(f"{path.name} does not describe segment {seg.name}")
    except BaseException:
        for sp in out:
            sp.close()
        raise
    return out
