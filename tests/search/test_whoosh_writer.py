"""The build's segment writer (offline_index/whoosh_writer.py) writes what Whoosh writes.

It replaces Whoosh's sorting pool (the slow part of a build) but must leave the index of
record exactly as Whoosh's own `SegmentWriter` would: the same records are written both
ways and every file of the two segments is compared byte for byte (postings blocks with
their statistics, term table, stored fields, length columns), and the derived postings file
it writes from its own arrays holds what deriving it from the Whoosh segment gives.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from offline_index import analysis as va
from offline_index import postings as lp
from offline_index import search_engine as se
from offline_index import whoosh_adapter as wa
from offline_index import whoosh_writer as ww

from .conftest import cu_tru_records, hand_records, rec


def _edge_records() -> list:
    return [
        rec("e#1", "e", "1/2020/QH14", "Luật E", "Luật", ""),  # no text at all
        rec("e#2", "e", "1/2020/QH14", "Luật E", "Luật", "x" * 70_000 + " đất đai"),
        rec("e#3", "e", "1/2020/QH14", "Luật E", "Luật", "đất " * 300, article_title="Đất"),
        rec("p#1", "pub:p", "", "Sổ tay", "leaflet", "Hôn nhân", hit_type="page", page=1),
    ]


def _write(index_dir: Path, records: list, fast: bool) -> None:
    index_dir.mkdir()
    ix = wa.create_index(index_dir)
    w = ww.SegmentWriter(ix, index_dir, se._restore_fields) if fast else ix.writer()
    for r in records:
        w.add_document(**se._doc_fields(r))
    w.commit(merge=False)
    if not fast:
        with ix.reader() as reader:
            (seg,) = wa.segments(reader)
            lp.write_segment(index_dir, seg)


def _segment_files(index_dir: Path) -> dict[str, bytes]:
    """Every file inside the (compound) segment, by extension."""
    ix = wa.open_index(index_dir)
    with ix.reader() as reader:
        (seg,) = wa.segments(reader)
        segment = seg.reader.segment()
        storage = segment.open_compound_file(ix.storage)
        out = {name.split(".", 1)[1]: storage.open_file(name).read() for name in storage.list()}
        storage.close()
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> tuple[Path, Path]:
    records = hand_records() + cu_tru_records(shared_data) + _edge_records()
    base = tmp_path_factory.mktemp("writers")
    _write(base / "whoosh", records, fast=False)
    _write(base / "fast", records, fast=True)
    return base / "whoosh", base / "fast"


def test_segment_files_are_byte_identical(both: tuple[Path, Path]) -> None:
    theirs, ours = (_segment_files(d) for d in both)
    assert sorted(theirs) == sorted(ours)
    for ext, data in theirs.items():
        assert ours[ext] == data, ext


def test_derived_postings_are_the_same(both: tuple[Path, Path]) -> None:
    files = [next(d.glob(f"*{lp.SUFFIX}")) for d in both]
    theirs, ours = (lp.SegmentPostings(f) for f in files)
    try:
        assert np.array_equal(np.sort(theirs.keys), np.sort(ours.keys))
        for name in theirs.header["arrays"]:
            if name not in ("keys", "starts", "counts", "tlens"):
                assert np.array_equal(theirs.load(name), ours.load(name)), name
        for field in lp.ID_FIELDS:
            assert theirs.header[field] == ours.header[field]
        ix = wa.open_index(both[0])
        with ix.reader() as reader:
            for field in wa.SCORED_FIELDS:
                for term in reader.lexicon(field):
                    a, b = theirs.find(field, term), ours.find(field, term)
                    assert np.array_equal(a.docs, b.docs) and np.array_equal(a.tfs, b.tfs)
    finally:
        theirs.close()
        ours.close()


def test_a_merged_record_is_added_as_it_was(shared_data: Path) -> None:
    """Merging re-adds a record from its stored fields: the same add_document arguments."""
    for r in hand_records() + _edge_records():
        stored = {k: v for k, v in se._doc_fields(r).items() if v is not None}
        schema = wa.make_schema()
        stored = {k: v for k, v in stored.items() if schema[k].stored}
        assert se._restore_fields(stored) == se._doc_fields(r), dataclasses.asdict(r)["key"]


@pytest.mark.parametrize(
    "text",
    [
        "Điều 5. Quyền và nghĩa vụ của công dân",
        "LUẬT ĐẤT ĐAI số 45/2013/QH13, khoản 2 Điều 10",
        "Thủ tục ly hôn tại Tòa án nhân dân cấp huyện",
        "hoa\u0300 gia\u0309i (decomposed marks) and stray \u0301 mark",
        "Ð ð đ Đ ĐĐ İstanbul ǅ x² ½ café_bar",
        "",
    ],
)
def test_syllables_fold_as_the_word_by_word_stages(text: str) -> None:
    """The one-pass syllables() gives what folding each NFC word gives (Whoosh's stages)."""
    assert va.syllables(text) == [va.fold_word(w) for w in va.nfc_words(text)]
