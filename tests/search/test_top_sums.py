"""scoring.top_sums (ranking.document_relevance): a document's relevance is the sum of its n best candidates' scores,
found without sorting all candidates; the same sums as sorting them, bit for bit."""

from __future__ import annotations

import numpy as np

from offline_index.scoring import top_sums


def _by_sorting(units: np.ndarray, scores: np.ndarray, n: int) -> np.ndarray:
    order = np.lexsort((-scores, units))
    grouped = units[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    place = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    top = order[place < n]
    return np.bincount(units[top], weights=scores[top], minlength=int(units.max()) + 1)


def test_same_sums_as_sorting_every_candidate() -> None:
    rng = np.random.default_rng(16)
    for size in (1, 2, 7, 100, 5000):
        units = np.sort(rng.integers(0, max(1, size // 8), size))  # grouped, as records are
        units[rng.random(size) < 0.05] = rng.integers(0, units.max() + 1)  # a few out of place
        scores = np.round(rng.random(size) * 10, 1)  # ties within a document
        for n in (1, 5, 12):
            assert np.array_equal(top_sums(units, scores, n), _by_sorting(units, scores, n))


def test_a_document_with_fewer_candidates_sums_them_all() -> None:
    units = np.array([3, 3, 0, 3])
    scores = np.array([1.0, 2.0, 4.0, 0.5])
    assert top_sums(units, scores, 5).tolist() == [4.0, 0.0, 0.0, 3.5]
