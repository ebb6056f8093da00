"""Exact and near-duplicate documents: reprints, syndicated copies, lightly edited versions.

News collections are full of copies: an agency story reprinted by several outlets, a post
re-published with a new first line, a quote changed, an ``ё`` written as ``е``. Counting them all
counts one text many times. :func:`mark_duplicates` finds them and names, for every copy, the
original of its group: the **earliest dated** copy (ties, and undated texts, by ``doc_id``).

- ``duplicate_of``: the text is identical (after the loader's clean-up) to the original.
- ``near_duplicate_of``: the text shares at least ``min_similarity`` (default 0.8) of its word
  5-shingles with another member of the group (Jaccard similarity of the shingle sets,
  computed exactly for every candidate pair); ``similarity`` is its Jaccard similarity with the
  original.

How it is fast
--------------
Shingles are hashed with pandas' stable ``hash_array`` (SipHash with a fixed key, so results do
not depend on the machine or the hash seed). A 64-value MinHash signature per document
(multiply-shift hashing, vectorised over all documents at once) goes into a locality-sensitive
hashing index (``datasketch.MinHashLSH``, 16 bands of 4 rows): a pair with Jaccard 0.8 becomes a
candidate with probability 0.9998. A lower ``min_similarity`` uses narrower bands
(:func:`lsh_params`: 32 bands of 2 rows below 0.77, 64 bands of 1 row below 0.44), so that a
pair at the threshold is still found with probability 0.999 (for thresholds from 0.1).
Candidates are then verified on their exact shingle sets, so that a marked pair is always at or
above the threshold.

Words are compared lower-cased, with ``ё`` as ``е`` and punctuation (quotes, dashes) removed.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.arrays import spans
from helpers.constants import SEED

SHINGLE = 5
NUM_PERM = 64
BANDS, ROWS = 16, 4
_WORD_RE = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("ё", "е"))


def _shingle_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word 5-shingles of every text, and each text's offset in that array.

    A text shorter than five words has one shingle: all of its words.
    """
    words_per_doc = [_words(t) for t in texts]
    lengths = np.array([len(w) for w in words_per_doc], dtype=np.int64)
    flat = [w for ws in words_per_doc for w in ws]
    if not flat:
        return np.zeros(0, np.uint64), np.zeros(len(texts) + 1, np.int64)
    word_hash = pd.util.hash_array(np.asarray(flat, dtype=object)).astype(np.uint64)
    primes = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD], dtype=np.uint64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    counts = np.maximum(lengths - SHINGLE + 1, np.minimum(lengths, 1))  # a text of 1-4 words: one shingle
    with np.errstate(over="ignore"):
        # Every window of five consecutive words of the whole list at once; a text's shingles are
        # the windows that start in it and end in it.
        m = max(len(flat) - SHINGLE + 1, 0)
        acc = np.zeros(m, dtype=np.uint64)
        for j in range(SHINGLE):
            acc = (acc ^ word_hash[j:j + m]) * primes[j]
        full = lengths >= SHINGLE
        at = np.concatenate(([0], np.cumsum(counts)[:-1]))  # each text's first shingle in the result
        shingles = np.zeros(int(counts.sum()), dtype=np.uint64)
        shingles[spans(at[full], counts[full])] = acc[spans(starts[full], counts[full])]
        for i in np.flatnonzero((lengths > 0) & ~full).tolist():  # short texts: the shingle of all their words
            h = np.zeros(1, dtype=np.uint64)
            for j in range(int(lengths[i])):
                h = (h ^ word_hash[starts[i] + j: starts[i] + j + 1]) * primes[j]
            shingles[at[i]] = h[0]
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return shingles, offsets


#: Texts from which the shingles are hashed in the processes allowed (:func:`helpers.engine.fork_map`).
_PARALLEL_TEXTS = 2000


def _join(results: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hashes, offsets and signatures of consecutive blocks of texts, as one text list's."""
    if len(results) == 1:
        return results[0]
    hashes = np.concatenate([h for h, _, _ in results])
    bases = np.cumsum([0] + [int(off[-1]) for _, off, _ in results])
    offsets = np.concatenate([off[:-1] + base for (_, off, _), base in zip(results, bases)] + [np.array([bases[-1]], dtype=np.int64)])
    return hashes, offsets.astype(np.int64), np.concatenate([sig for _, _, sig in results])


#: Texts hashed at a time: their words are Python strings only while their block is hashed.
_BLOCK_TEXTS = 2000


def _distinct(hashes: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each text's distinct shingle hashes, sorted, and their offsets (one sort for all texts)."""
    doc = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    order = np.lexsort((hashes, doc))
    values, doc = hashes[order], doc[order]
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = (values[1:] != values[:-1]) | (doc[1:] != doc[:-1])
    counts = np.bincount(doc[keep], minlength=len(offsets) - 1)
    return values[keep], np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def _hashed(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct shingle hashes of each of ``texts`` (:func:`_shingle_hashes`, sorted), their
    offsets, and the texts' :func:`_signatures` (which do not depend on repeated shingles)."""
    hashes, offsets = _distinct(*_shingle_hashes(texts))
    return hashes, offsets, _signatures(hashes, offsets)


def _shingles(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingle hashes, their offsets and the MinHash signatures of ``texts``, in blocks shared
    between the processes allowed (:func:`helpers.engine.fork_map`): every value depends on
    its own text alone, so the arrays are those of one call on every text."""
    from helpers.engine import balanced_ranges, fork_map, jobs

    def blocks(a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _join([_hashed(texts.iloc[k: min(k + _BLOCK_TEXTS, b)].tolist()) for k in range(a, b, _BLOCK_TEXTS)])

    lengths = texts.str.len().to_numpy(dtype=np.int64)
    parts = balanced_ranges(lengths, jobs() if len(texts) >= _PARALLEL_TEXTS else 1)
    return _join(fork_map(blocks, parts)) if parts else _hashed([])


def _signatures(hashes: np.ndarray, offsets: np.ndarray, seed: int = SEED) -> np.ndarray:
    """MinHash signatures (documents × NUM_PERM) by multiply-shift hashing of the shingles."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    n_docs = len(offsets) - 1
    sig = np.full((n_docs, NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint64)
    nonempty = offsets[1:] > offsets[:-1]
    if not nonempty.any():
        return sig
    starts = offsets[:-1][nonempty]
    with np.errstate(over="ignore"):
        for k in range(NUM_PERM):
            values = (hashes * a[k] + b[k]) >> np.uint64(32)
            sig[nonempty, k] = np.minimum.reduceat(values, starts)
    return sig


def lsh_params(min_similarity: float) -> tuple[int, int]:
    """Bands and rows of the LSH index for a similarity threshold.

    A pair with Jaccard similarity ``s`` shares a band with probability ``1 - (1 - s**r)**b``.
    The default ``(16, 4)`` finds a pair at 0.8 with probability 0.9998 but one at 0.5 with only
    0.64, so lower thresholds use fewer rows per band: the first of 4, 2 and 1 rows (16, 32 and
    64 bands of the 64 values) that finds a pair at ``min_similarity`` with probability 0.999
    (one row per band below 0.1, where no banding reaches it).

    Parameters
    ----------
    min_similarity : float
        The Jaccard similarity from which two texts are near-duplicates.

    Returns
    -------
    tuple of int
        ``(bands, rows)`` for ``datasketch.MinHashLSH(params=...)``.

    Examples
    --------
    >>> lsh_params(0.8), lsh_params(0.5), lsh_params(0.3)
    ((16, 4), (32, 2), (64, 1))
    """
    for rows in (ROWS, 2, 1):
        bands = NUM_PERM // rows
        if 1 - (1 - min_similarity**rows) ** bands >= 0.999:
            return bands, rows
    return NUM_PERM, 1


def _candidate_pairs(sig: np.ndarray, params: tuple[int, int] = (BANDS, ROWS)) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of documents whose signatures are equal on a whole band (LSH
    banding, as datasketch's ``MinHashLSH`` with these ``(bands, rows)`` finds them: bands of
    ``rows`` consecutive values, from the first), found by sorting each band's rows."""
    found = _candidates(sig, params)
    return set(zip(found[:, 0].tolist(), found[:, 1].tolist()))


def _candidates(sig: np.ndarray, params: tuple[int, int] = (BANDS, ROWS)) -> np.ndarray:
    """:func:`_candidate_pairs` as an array of rows ``(i, j)``, sorted by ``i`` then ``j``."""
    bands, rows = params
    n = sig.shape[0]
    found: list[np.ndarray] = []
    for band in range(bands):
        _, key = np.unique(np.ascontiguousarray(sig[:, band * rows: (band + 1) * rows]), axis=0, return_inverse=True)
        key = key.ravel()
        order = np.argsort(key, kind="stable")  # members of a bucket in document order
        sorted_key = key[order]
        starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
        sizes = np.diff(np.r_[starts, n])
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
            members = order[start: start + size].astype(np.int64)
            first, second = np.triu_indices(size, 1)
            found.append(members[first] * n + members[second])
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    flat = np.unique(np.concatenate(found))
    return np.stack([flat // n, flat % n], axis=1)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of distinct values."""
    if a.size == 0 and b.size == 0:
        return 1.0
    if a.size > b.size:
        a, b = b, a
    if b.size == 0:
        return 0.0
    at = b.searchsorted(a)
    at[at == b.size] = b.size - 1
    inter = int((b[at] == a).sum())
    return inter / (a.size + b.size - inter)


def _jaccards(hashes: np.ndarray, offsets: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """:func:`_jaccard` of every pair ``(i, j)`` of texts (rows of ``pairs``, sorted by ``i``).

    ``hashes[offsets[i]:offsets[i + 1]]`` are text ``i``'s distinct shingle hashes, sorted. The
    shingles of all the partners of one text are looked up in its own at once: one search per
    text instead of one per pair.
    """
    out = np.empty(len(pairs))
    if not len(pairs):
        return out
    size = np.diff(offsets)
    firsts = np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]])
    for lo, hi in zip(firsts.tolist(), np.r_[firsts[1:], len(pairs)].tolist()):
        i, partners = int(pairs[lo, 0]), pairs[lo:hi, 1]
        own = hashes[offsets[i]:offsets[i + 1]]
        lengths = size[partners]
        inter = np.zeros(len(partners))
        if own.size and lengths.sum():
            values = hashes[spans(offsets[partners], lengths)]
            at = np.minimum(own.searchsorted(values), own.size - 1)
            inter = np.bincount(np.repeat(np.arange(len(partners)), lengths), weights=own[at] == values, minlength=len(partners))
        union = own.size + lengths - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            out[lo:hi] = np.where(union > 0, inter / np.where(union > 0, union, 1), 1.0)
    return out


def mark_duplicates(docs: pd.DataFrame, *, min_similarity: float | None = 0.8) -> pd.DataFrame:
    """Mark exact and near-duplicate documents.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``text`` and optionally ``date``.
    min_similarity : float or None
        Jaccard similarity of word 5-shingles from which two texts are near-duplicates (default
        0.8). None marks exact copies only.

    Returns
    -------
    DataFrame
        ``docs`` (same rows and order) with ``duplicate_of``, ``near_duplicate_of`` (the
        ``doc_id`` of the group's original, missing for originals and unique texts) and
        ``similarity`` (Jaccard similarity with the original; 1.0 for exact copies, missing
        for originals and unique texts).

    Notes
    -----
    Groups are the connected components of the "near-duplicate" relation, so a chain of
    edits (A → B → C) is one group even when A and C share fewer shingles; ``similarity`` then
    shows how far C is from A. The original of a group is its earliest dated member, ties and
    undated members by ``doc_id``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["b", "a"], "date": pd.to_datetime(["2026-01-02", "2026-01-01"]),
    ...                      "text": ["Одна и та же новость о саммите в Париже."] * 2})
    >>> mark_duplicates(docs)["duplicate_of"].tolist()
    ['a', nan]
    """
    if min_similarity is not None and not 0 < min_similarity <= 1:
        raise ValueError(f"min_similarity must be in (0, 1] or None; got {min_similarity!r}.")
    n = len(docs)
    ids = docs["doc_id"].astype(str).to_numpy()
    texts = docs["text"].astype(str)  # (Arrow strings stay Arrow strings: no Python string per text)
    dates = pd.to_datetime(docs["date"]) if "date" in docs.columns else pd.Series(pd.NaT, index=docs.index, dtype="datetime64[ns]")
    # Rank of every document as a candidate original: dated first, earliest first, then doc_id.
    # (Dates as integers of one resolution; filling NaT with Timestamp.max warns for µs dates.)
    undated = dates.isna().to_numpy()
    when = np.where(undated, 0, dates.to_numpy(dtype="datetime64[ns]").view(np.int64))
    order = np.lexsort((ids, when, undated))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)

    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            if rank[ri] < rank[rj]:
                parent[rj] = ri
            else:
                parent[ri] = rj

    # Exact copies: identical texts.
    # (each text's best-ranked copy: the member of its group of identical texts with the least rank)
    text_codes = pd.factorize(texts)[0] if n else np.zeros(0, dtype=np.int64)
    best_rank = np.full(int(text_codes.max()) + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(best_rank, text_codes, rank)
    exact_of = order[best_rank[text_codes]] if n else np.zeros(0, dtype=np.int64)
    similarity = np.full(n, np.nan)
    near = np.zeros(n, dtype=bool)
    if min_similarity is not None and n > 1:
        hashes, offsets, sig = _shingles(texts)
        unique = [hashes[offsets[i]:offsets[i + 1]] for i in range(n)]
        pairs = _candidates(sig, lsh_params(min_similarity))
        pairs = pairs[exact_of[pairs[:, 0]] != exact_of[pairs[:, 1]]]  # (exact copies are joined below)
        # |A ∩ B| / |A ∪ B| is at most min(|A|, |B|) / max(|A|, |B|) (and so is its rounded value):
        # pairs of very different lengths cannot reach the threshold and are not compared.
        size = np.diff(offsets)
        small, big = np.minimum(size[pairs[:, 0]], size[pairs[:, 1]]), np.maximum(size[pairs[:, 0]], size[pairs[:, 1]])
        pairs = pairs[(big == 0) | (small / np.maximum(big, 1) >= min_similarity)]
        for i, j in pairs[_jaccards(hashes, offsets, pairs) >= min_similarity].tolist():
            union(i, j)
    for i in range(n):
        union(i, exact_of[i])
    root = np.array([find(i) for i in range(n)])
    # The original of each group: its best-ranked member.
    best = pd.Series(rank).groupby(root).transform("min").to_numpy()
    original = order[best]
    duplicate_of = np.full(n, None, dtype=object)
    near_of = np.full(n, None, dtype=object)
    if min_similarity is not None and n > 1:
        hashes_of = {}
        for i in np.flatnonzero(original != np.arange(n)):
            o = original[i]
            if text_codes[i] == text_codes[o]:
                duplicate_of[i] = ids[o]
                similarity[i] = 1.0
            else:
                near[i] = True
                near_of[i] = ids[o]
                if o not in hashes_of:
                    hashes_of[o] = unique[o]
                similarity[i] = _jaccard(unique[i], hashes_of[o])
    else:
        for i in np.flatnonzero(original != np.arange(n)):
            duplicate_of[i] = ids[original[i]]
            similarity[i] = 1.0
    return docs.assign(
        duplicate_of=pd.Series(duplicate_of, index=docs.index, dtype="str"),
        near_duplicate_of=pd.Series(near_of, index=docs.index, dtype="str"),
        similarity=pd.Series(similarity, index=docs.index),
    )


def copies(docs: pd.DataFrame) -> pd.Series:
    """Boolean mask of the documents that are copies (exact or near) of another document."""
    mask = docs["duplicate_of"].notna()
    if "near_duplicate_of" in docs.columns:
        mask = mask | docs["near_duplicate_of"].notna()
    return mask
