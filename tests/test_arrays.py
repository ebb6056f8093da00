"""Tests of the shared index arithmetic (``helpers.arrays``)."""

from __future__ import annotations

import numpy as np

from helpers.arrays import ranges, spans


def test_ranges_and_spans_by_hand():
    assert ranges(np.array([3, 0, 2])).tolist() == [0, 1, 2, 0, 1]
    assert spans(np.array([10, 4, 7]), np.array([2, 0, 3])).tolist() == [10, 11, 7, 8, 9]
    assert ranges(np.zeros(0, dtype=np.int64)).size == spans(np.zeros(0), np.zeros(0)).size == 0


def test_spans_equal_the_concatenated_aranges():
    rng = np.random.default_rng(1)
    starts, lengths = rng.integers(0, 1000, 200), rng.integers(0, 6, 200)
    expected = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, lengths)])
    assert spans(starts, lengths).tolist() == expected.tolist()
