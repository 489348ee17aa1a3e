"""scoring._coverage (bm25f): the share of a query's concepts each record holds, a concept
found in several fields counted once; the same shares as counting sets of records."""

from __future__ import annotations

import numpy as np

from offline_index.scoring import _coverage


def _by_sets(concepts: dict[str, list[np.ndarray]], size: int) -> np.ndarray:
    count = np.zeros(size)
    for arrays in concepts.values():
        for doc in set().union(*(a.tolist() for a in arrays)):
            count[doc] += 1
    return count / len(concepts)


def test_a_concept_in_several_fields_counts_once_per_record() -> None:
    rng = np.random.default_rng(11)
    size = 3000
    concepts = {
        f"c{i}": [np.unique(rng.integers(0, size, rng.integers(1, 900))) for _ in range(k)]
        for i, k in enumerate((1, 2, 3, 2, 1, 4))
    }
    got = _coverage(concepts, size)
    assert got is not None and np.array_equal(got, _by_sets(concepts, size))
    assert got.max() <= 1.0


def test_a_pasted_paragraph_of_many_concepts_still_counts_them_all() -> None:
    docs = np.array([0, 5])
    concepts = {f"c{i}": [docs, docs] for i in range(300)}  # more than a byte counts
    got = _coverage(concepts, 6)
    assert got is not None and got.tolist() == [1.0, 0, 0, 0, 0, 1.0]


def test_no_concepts_no_coverage() -> None:
    assert _coverage({}, 10) is None
