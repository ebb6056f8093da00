"""Index arithmetic on NumPy arrays that several passes share (no helpers imports).

Many passes expand runs into positions: the token rows of each match, the sliding windows of
each mention, the shingles of each text. :func:`spans` does it in one vectorised step.
"""

from __future__ import annotations

import numpy as np


def ranges(counts: np.ndarray) -> np.ndarray:
    """``0 … c-1`` for every ``c`` of ``counts``, one after the other.

    Examples
    --------
    >>> ranges(np.array([3, 0, 2])).tolist()
    [0, 1, 2, 0, 1]
    """
    counts = np.asarray(counts, dtype=np.int64)
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[i] … starts[i] + lengths[i] - 1`` for every ``i``, one after the other.

    Examples
    --------
    >>> spans(np.array([10, 4, 7]), np.array([2, 0, 3])).tolist()
    [10, 11, 7, 8, 9]
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    return np.repeat(np.asarray(starts, dtype=np.int64), lengths) + ranges(lengths)
