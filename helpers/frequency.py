"""Which words dominate, where and when: counts, rates, TF-IDF, trends, n-grams, collocations, dispersion.

Every function takes the :class:`helpers.corpus.Corpus` and returns a tidy DataFrame sorted so
that a notebook shows the same table on every run and machine (ties broken by the term).

Rates are **per 10,000 tokens** of the unit compared (column ``per_10k``), counted over all
word tokens of the unit, stop words included, so that a rate does not change when you edit a
stop list. Only words count by default (``kinds``): numbers, URLs, handles, hashtags and emoji
are in the token table and can be counted on request. A document with no value in a grouping
column belongs to the group ``"(unknown)"``: no function drops documents silently.

Counting is vectorised over the integer codes of the token table (no per-token Python).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.compat import legacy
from helpers.constants import PER, WORD_KINDS
from helpers.corpus import Corpus
from helpers.kwic import concordance, find_terms, kwic, sentence_bounds  # noqa: F401  (re-exported)

UNITS = ("lemma", "token", "stem")
MEASURES = ("pmi", "log_likelihood", "t_score", "log_dice", "mi3")


def _unit_codes(corpus: Corpus, unit: str, *, mwes: bool = True) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """Integer codes of every token's term, the vocabulary, and which tokens are counted.

    ``unit`` is the lemma, the lower-cased token or the stem. With ``mwes`` (the default) a
    marked multi-word expression counts as one term: its first token carries the expression and
    its other tokens are not counted (the third array is False for them).

    Made once per corpus and unit (every count, n-gram and collocation of a notebook starts
    here) and made again when the token table or its column is replaced; the arrays are
    read-only.
    """
    tokens = corpus.tokens
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}.")
    if unit not in tokens.columns:
        raise ValueError(f"The token table has no {unit!r} column (helpers.text.add_stems adds stems).")
    with_mwes = mwes and "mwe" in tokens.columns
    stamp = (tokens, tokens[unit].array, tokens["mwe"].array if with_mwes else None)
    return corpus.memo("unit_codes", (unit, mwes), stamp, lambda: _term_codes(tokens, unit, with_mwes))


def _term_codes(tokens: pd.DataFrame, unit: str, mwes: bool) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """:func:`_unit_codes` computed."""
    col = tokens[unit]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype("category")
    cats = col.cat.categories.astype(str)
    codes = col.cat.codes.to_numpy().astype(np.int64)
    if unit == "token":
        low = cats.str.lower()
        remap, uniq = pd.factorize(low)
        codes, cats = remap[codes], pd.Index(uniq, dtype="str")
    keep = np.ones(len(tokens), dtype=bool)
    vocab = pd.Index(cats, dtype="str")
    if mwes and tokens["mwe"].notna().any():
        mwe_codes = tokens["mwe"].cat.codes.to_numpy().astype(np.int64)
        first = tokens["mwe_first"].to_numpy()
        inside = mwe_codes >= 0
        labels = pd.Index(tokens["mwe"].cat.categories.astype(str), dtype="str")
        merged, uniq = pd.factorize(vocab.append(labels))
        vocab = pd.Index(uniq, dtype="str")
        codes = merged[codes]
        codes[first] = merged[len(cats) + mwe_codes[first]]
        keep &= ~(inside & ~first)
    return codes, vocab, keep


def _stop(corpus: Corpus) -> np.ndarray:
    """Stop words, except the first token of an expression (the expression is a content term)."""
    stop = corpus.tokens["is_stop"].to_numpy().copy()
    if "mwe_first" in corpus.tokens.columns:
        stop &= ~corpus.tokens["mwe_first"].to_numpy()
    return stop


def _group_codes(corpus: Corpus, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Per document: the code of its group (all ``by`` columns together) and the group labels."""
    if not by:
        return np.zeros(len(corpus.docs), dtype=np.int64), pd.DataFrame(index=[0])
    frame = pd.DataFrame({c: corpus.groups(c).to_numpy() for c in by})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame), sort=True)
    labels = pd.DataFrame(list(uniques), columns=by) if len(by) > 1 else pd.DataFrame({by[0]: [u[0] if isinstance(u, tuple) else u for u in uniques]})
    return codes.astype(np.int64), labels


@legacy(rename={"column": "by"})
def term_frequency(
    corpus: Corpus,
    by: str | Sequence[str] | None = None,
    unit: str = "lemma",
    min_count: int = 1,
    *,
    drop_stop: bool = True,
    kinds: Sequence[str] = WORD_KINDS,
) -> pd.DataFrame:
    """Count terms, overall or per group.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    by : str or list of str, optional
        Metadata column(s) to group by (e.g. ``"outlet"``).
    unit : {"lemma", "token", "stem"}
        What counts as a term. ``"token"`` counts surface forms lower-cased.
    min_count : int
        Keep terms counted at least this often (within the group).
    drop_stop : bool
        Leave stop words out of the result (default True). They still count in the totals.
    kinds : sequence of str
        Token kinds counted (default words and abbreviations; add ``"number"``, ``"url"``,
        ``"hashtag"``… to count those).

    Returns
    -------
    DataFrame
        One row per (group, term): ``count``, ``per_10k`` (count per 10,000 tokens of the
        group), ``docs`` (documents containing the term), ``doc_share`` (share of the group's
        documents). Sorted by group, then count descending, then term.

    Examples
    --------
    >>> term_frequency(corpus, by="outlet").head()  # doctest: +SKIP
    """
    cols = corpus.check_columns(by)
    term, vocab, terms_kept = _unit_codes(corpus, unit)
    group_of_doc, labels = _group_codes(corpus, cols)
    kept = corpus.words(kinds)
    doc = corpus.doc_codes.astype(np.int64)
    g = group_of_doc[doc]
    n_groups = len(labels)
    totals = np.bincount(g[kept], minlength=n_groups)
    n_docs = np.bincount(group_of_doc, minlength=n_groups)
    kept = kept & terms_kept
    counted = kept & ~_stop(corpus) if drop_stop else kept
    V = len(vocab)
    uniq, count, docs = _group_term_counts(doc[counted], term[counted].astype(np.int64), group_of_doc, n_groups, V)
    keep = count >= min_count
    uniq, count, docs = uniq[keep], count[keep], docs[keep]
    gi, ti = uniq // V, uniq % V
    # Sorted by group, count descending, then term, on codes: the group codes follow the groups'
    # sorted order and the term ranks the terms' (:func:`_vocab_ranks`), so the strings are made
    # once, in their final order.
    order = np.lexsort((_vocab_ranks(corpus, unit, vocab)[ti], -count, gi))
    gi, ti, count, docs = gi[order], ti[order], count[order], docs[order]
    out = labels.iloc[gi].reset_index(drop=True) if cols else pd.DataFrame(index=range(len(uniq)))
    out["term"] = vocab.to_numpy()[ti]
    out["count"] = count.astype(np.int64)
    out["per_10k"] = count / np.maximum(totals[gi], 1) * PER
    out["docs"] = docs.astype(np.int64)
    out["doc_share"] = docs / np.maximum(n_docs[gi], 1)
    return out[[*cols, "term", "count", "per_10k", "docs", "doc_share"]]


def _vocab_ranks(corpus: Corpus, unit: str, vocab: pd.Index) -> np.ndarray:
    """The rank of every term of ``unit``'s vocabulary in sorted string order; made once per vocabulary."""
    return corpus.memo("vocab_ranks", (unit,), (vocab,), lambda: _ranks(vocab.to_numpy()))


#: Below this many (group, term) cells the counts are a bincount over every cell; above, a sort.
_DENSE_CELLS = 50_000_000


def _counts_of(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` (sorted) and how often each occurs, as ``np.unique(keys,
    return_counts=True)`` gives them: a bincount when the key space is small enough
    (:data:`_DENSE_CELLS`), which is linear in the keys instead of a sort or a hash of them."""
    if size <= _DENSE_CELLS:
        full = np.bincount(keys, minlength=size)
        uniq = np.flatnonzero(full)
        return uniq, full[uniq]
    return np.unique(keys, return_counts=True)


def _group_term_counts(doc: np.ndarray, term: np.ndarray, group_of_doc: np.ndarray, n_groups: int, V: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (group, term) cell, keyed ``group * V + term``: the cells in use (sorted), their
    token counts, and the number of documents with the term in that group.

    ``doc`` and ``term`` are the counted tokens' document and term codes. The documents per
    cell come from the distinct (document, term) pairs: a sparse document × term matrix whose
    duplicate entries are merged row by row (tokens come in document order, so no global sort
    of the pairs is needed; otherwise the pairs are sorted).
    """
    size = n_groups * V
    uniq, count = _counts_of(group_of_doc[doc] * V + term, size)
    if doc.size and bool((doc[1:] >= doc[:-1]).all()):
        from scipy import sparse

        n_docs = len(group_of_doc)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(doc, minlength=n_docs))])
        matrix = sparse.csr_matrix((np.ones(doc.size, dtype=np.int32), term, indptr), shape=(n_docs, max(V, 1)))
        matrix.sum_duplicates()
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(matrix.indptr))
        pair_keys = group_of_doc[rows] * V + matrix.indices.astype(np.int64)
    else:
        pairs = np.unique(doc * V + term)
        pair_keys = group_of_doc[pairs // V] * V + pairs % V
    doc_uniq, doc_count = _counts_of(pair_keys, size)
    docs = doc_count[np.searchsorted(doc_uniq, uniq)] if uniq.size else np.zeros(0, dtype=np.int64)
    return uniq, count, docs


def group_sizes(corpus: Corpus, by: str | Sequence[str] | None = None, *, kinds: Sequence[str] = WORD_KINDS) -> pd.DataFrame:
    """Documents and tokens per group (the denominators of every rate)."""
    cols = corpus.check_columns(by)
    group_of_doc, labels = _group_codes(corpus, cols)
    kept = corpus.words(kinds)
    g = group_of_doc[corpus.doc_codes]
    out = labels.copy() if cols else pd.DataFrame(index=[0])
    out["docs"] = np.bincount(group_of_doc, minlength=len(labels))
    out["tokens"] = np.bincount(g[kept], minlength=len(labels))
    return out.reset_index(drop=True)


def vocabulary_sizes(corpus: Corpus, *, stems: pd.Series | None = None, kinds: Sequence[str] = WORD_KINDS) -> pd.Series:
    """How many distinct surface forms (lower case), stems and lemmas the word tokens have.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    stems : Series, optional
        A categorical stem per token (``text.add_stems(corpus.tokens)["stem"]``); without it the
        ``stems`` row is left out.
    kinds : sequence of str
        The token kinds counted (default: words and abbreviations, not numbers or links).

    Returns
    -------
    Series
        ``distinct``, indexed by ``surface forms (lower case)``, ``stems`` and ``lemmas``. Each is
        read off the category codes the tokens use (a count per code, no sort of every token).
    """
    words = corpus.words(kinds)

    def used(column: pd.Series) -> pd.Index:
        codes = column.cat.codes.to_numpy()[words]
        return column.cat.categories[np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)) > 0]

    sizes = {"surface forms (lower case)": used(corpus.tokens["token"]).str.lower().nunique()}
    if stems is not None:
        sizes["stems"] = len(used(stems))
    sizes["lemmas"] = len(used(corpus.tokens["lemma"]))
    return pd.Series(sizes, name="distinct")


def likely_names(corpus: Corpus, *, min_share: float = 0.9, min_count: int = 2) -> set[str]:
    """Lemmas that are almost always written with a capital letter inside a sentence: names.

    A word at the start of a sentence is capitalised anyway, so only other positions count.
    Use it to set names aside, e.g. ``count_matrix(corpus, by, exclude=likely_names(corpus))``,
    when each group's own experts and sources would otherwise fill a keyness table.
    """
    tokens = corpus.tokens
    n = len(tokens)
    initial = np.ones(n, dtype=bool)
    if n:
        doc = corpus.doc_codes
        sent = tokens["sentence"].to_numpy()
        initial[1:] = (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])
    cats = tokens["token"].cat.categories.astype(str)
    upper_cat = np.fromiter((c[:1].isupper() for c in cats.tolist()), dtype=bool, count=len(cats))
    upper = upper_cat[tokens["token"].cat.codes.to_numpy()]
    inner = ~initial & corpus.words()
    lemma = tokens["lemma"].cat.codes.to_numpy()
    size = np.bincount(lemma[inner], minlength=len(tokens["lemma"].cat.categories))
    caps = np.bincount(lemma[inner & upper], minlength=len(size))
    share = np.divide(caps, size, out=np.zeros(len(size)), where=size > 0)
    chosen = (share >= min_share) & (size >= min_count)
    return set(tokens["lemma"].cat.categories.astype(str)[chosen])


@legacy()
def count_matrix(
    corpus: Corpus,
    by: str,
    *,
    unit: str = "lemma",
    drop_stop: bool = True,
    exclude: set[str] | None = None,
    kinds: Sequence[str] = WORD_KINDS,
) -> pd.DataFrame:
    """A terms × groups table of counts (the input of :func:`helpers.stats.one_vs_rest`).

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    by : str
        The metadata column whose groups are the columns (e.g. ``"outlet"``).
    unit, drop_stop, kinds
        As for :func:`term_frequency`.
    exclude : set of str, optional
        Terms left out of the rows (e.g. :func:`likely_names`).

    Returns
    -------
    DataFrame
        Terms (index ``term``, sorted) × groups (every group of ``by``, sorted), int64 counts.
        ``attrs["totals"]`` holds each group's word tokens (stop words and excluded terms
        included): :func:`helpers.stats.one_vs_rest` and :func:`helpers.stats.pairwise` use them
        as the texts' sizes, so that keyness rates are the ``per_10k`` of
        :func:`term_frequency` and do not change when a stop list or ``exclude`` changes.

    Notes
    -----
    Stop words and the terms in ``exclude`` are left out of the rows only. Every document
    counts: one without a group value is in the column ``"(unknown)"``, as in
    :func:`term_frequency`.
    """
    freq = term_frequency(corpus, by=by, unit=unit, drop_stop=drop_stop, kinds=kinds)
    if exclude:
        freq = freq[~freq["term"].isin(exclude)]
    matrix = freq.pivot_table(index="term", columns=by, values="count", aggfunc="sum", fill_value=0)
    matrix = matrix.reindex(columns=corpus.group_names(by), fill_value=0)
    matrix.index.name, matrix.columns.name = "term", by
    matrix = matrix.sort_index().astype(np.int64)
    sizes = group_sizes(corpus, by, kinds=kinds)
    matrix.attrs["totals"] = {str(g): int(t) for g, t in zip(sizes[by], sizes["tokens"])}
    return matrix


def document_term_matrix(
    corpus: Corpus,
    *,
    unit: str = "lemma",
    drop_stop: bool = True,
    kinds: Sequence[str] = WORD_KINDS,
    min_docs: int = 1,
):
    """A sparse document × term count matrix, for scikit-learn, gensim or your own models.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        Documents (rows, in ``corpus.docs`` order) × terms (columns), int64 counts.
    doc_ids : pandas.Index
        The row labels.
    vocabulary : pandas.Index
        The column labels (sorted terms found in at least ``min_docs`` documents).

    Examples
    --------
    >>> X, rows, terms = document_term_matrix(corpus)  # doctest: +SKIP
    >>> from sklearn.feature_extraction.text import TfidfTransformer  # doctest: +SKIP
    >>> TfidfTransformer().fit_transform(X)  # doctest: +SKIP
    """
    from scipy import sparse

    term, vocab, terms_kept = _unit_codes(corpus, unit)
    kept = corpus.words(kinds) & terms_kept
    if drop_stop:
        kept &= ~_stop(corpus)
    doc = corpus.doc_codes[kept].astype(np.int64)
    t = term[kept]
    m = sparse.coo_matrix((np.ones(doc.size, dtype=np.int64), (doc, t)), shape=(len(corpus.docs), len(vocab))).tocsr()
    m.sum_duplicates()
    df = np.bincount(m.indices, minlength=len(vocab))
    order = np.argsort(vocab.to_numpy(), kind="stable")
    order = order[df[order] >= min_docs]
    return m[:, order].tocsr(), pd.Index(corpus.docs["doc_id"].astype(str)), vocab[order]


def tfidf(corpus: Corpus, unit: str = "lemma", *, top: int | None = 10, drop_stop: bool = True) -> pd.DataFrame:
    """TF-IDF of terms in each document.

    ``tfidf = (count / doc_tokens) * ln(N / df)``, with ``N`` documents, ``doc_tokens`` the
    document's word tokens (stop words included) and ``df`` the number of documents containing
    the term (the textbook weighting; a term in every document scores 0).

    Returns
    -------
    DataFrame
        ``doc_id``, ``term``, ``count``, ``tf``, ``df``, ``idf``, ``tfidf``; the ``top`` terms per
        document (all when None), sorted by document then tfidf descending, then term.
    """
    matrix, rows, vocab = document_term_matrix(corpus, unit=unit, drop_stop=drop_stop)
    coo = matrix.tocoo()
    n_docs = len(rows)
    df = np.bincount(coo.col, minlength=len(vocab))
    length = corpus.docs["n_tokens"].to_numpy()
    count = coo.data.astype(np.int64)
    tf = count / np.maximum(length[coo.row], 1)
    idf = np.log(n_docs / df[coo.col])
    weight = tf * idf
    row, col = coo.row, coo.col
    if top is not None and top <= 64:  # only the entries that can make their document's top are sorted
        candidates = weight >= _row_floor(weight, row, n_docs, top)[row]
        row, col, count, tf, idf, weight = (a[candidates] for a in (row, col, count, tf, idf, weight))
    # Sorted by document id, then tfidf descending, then term, on codes: the ranks of the ids
    # and of the terms stand for the strings, so only the rows kept are ever made strings.
    doc_rank = _ranks(rows.to_numpy())
    term_rank = _ranks(vocab.to_numpy())
    order = np.lexsort((term_rank[col], -weight, doc_rank[row]))
    if top is not None:
        row_sorted = row[order]
        start = np.r_[True, row_sorted[1:] != row_sorted[:-1]] if row_sorted.size else np.zeros(0, bool)
        first = np.maximum.accumulate(np.where(start, np.arange(row_sorted.size), 0)) if row_sorted.size else np.zeros(0, np.int64)
        order = order[(np.arange(row_sorted.size) - first) < top]
    r, c = row[order], col[order]
    return pd.DataFrame({
        "doc_id": pd.Series(rows.to_numpy()[r], dtype=rows.dtype), "term": pd.Series(vocab.to_numpy()[c], dtype=vocab.dtype),
        "count": count[order], "tf": tf[order], "df": df[c].astype(np.int64), "idf": idf[order], "tfidf": weight[order],
    })


def _row_floor(values: np.ndarray, row: np.ndarray, n_rows: int, top: int) -> np.ndarray:
    """Per row, its ``top``-th largest distinct value (``-inf`` when it has fewer): ``row`` ascending.

    Every entry among a row's ``top`` largest is at least this floor, so the entries below it can
    be dropped before sorting. One pass per rank: for ``top`` up to a few dozen, cheaper than a
    sort of every entry.
    """
    floor = np.full(n_rows, -np.inf)
    if values.size == 0 or top <= 0:
        return floor
    first = np.r_[True, row[1:] != row[:-1]]
    starts = np.flatnonzero(first)
    segment = np.cumsum(first) - 1
    rest = values.astype(np.float64)  # (a copy)
    best = np.full(starts.size, -np.inf)
    for _ in range(top):
        best = np.maximum.reduceat(rest, starts)
        rest[rest >= best[segment]] = -np.inf
    floor[row[starts]] = best
    return floor


def _ranks(values: np.ndarray) -> np.ndarray:
    """The rank of every value in sorted (string) order, equal values sharing one."""
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64)


@legacy(rename={"freq": "period", "column": "by"})
def trend(
    corpus: Corpus,
    terms: Sequence[str],
    by: str | None = None,
    period: str = "W",
    *,
    unit: str = "lemma",
    kinds: Sequence[str] = WORD_KINDS,
) -> pd.DataFrame:
    """Rate of terms per period, normalised by the period's size.

    A busy week has more of every word; dividing by the week's token count shows whether a term
    really rose. Periods with no documents are absent, not zero. Documents without a date
    cannot be placed in time: they are left out, and listed in ``result.attrs["left_out"]``.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    terms : sequence of str
        Terms (lemmas, or merged multi-word expressions) to follow.
    by : str, optional
        A metadata column to split each period by (e.g. ``"outlet"``).
    period : {"D", "W", "M"}
        Day, week (Monday to Sunday) or month.
    unit, kinds
        As for :func:`term_frequency`.

    Returns
    -------
    DataFrame
        ``period`` (start date), the ``by`` column when given, ``term``, ``count``, ``tokens``
        (all word tokens of the period and group) and ``per_10k``; sorted.
    """
    cols = corpus.check_columns(by)
    periods = corpus.periods(period)
    dated = periods.notna().to_numpy()
    term, vocab, terms_kept = _unit_codes(corpus, unit)
    doc = corpus.doc_codes
    counted = corpus.words(kinds) & dated[doc]
    # Word tokens per document, then per period and group: one row per document, not per token.
    per_doc = pd.DataFrame({"period": periods.to_numpy()})
    for c in cols:
        per_doc[c] = corpus.doc_values(c)
    per_doc["tokens"] = np.bincount(doc[counted], minlength=len(per_doc)).astype(np.int64)
    keys = ["period", *cols]
    totals = per_doc[per_doc["tokens"] > 0].groupby(keys, observed=True, sort=True)["tokens"].sum().rename("tokens")
    wanted = [str(t) for t in terms]
    code_of = {v: i for i, v in enumerate(vocab)}
    wanted_codes = {code_of[t]: t for t in wanted if t in code_of}
    is_wanted = np.zeros(len(vocab) + 1, dtype=bool)  # (the last slot: no term, code -1)
    is_wanted[list(wanted_codes)] = True
    rows = np.flatnonzero(counted & terms_kept & is_wanted[term])
    hits = per_doc.iloc[doc[rows]][keys].reset_index(drop=True)
    hits["term"] = pd.Series(term[rows]).map(wanted_codes).to_numpy(dtype=object)
    counts = hits.groupby([*keys, "term"], observed=True).size().rename("count")
    grid = pd.MultiIndex.from_tuples([(*(k if isinstance(k, tuple) else (k,)), t) for k in totals.index for t in wanted], names=[*keys, "term"])
    out = counts.reindex(grid, fill_value=0).reset_index()
    out = out.merge(totals.reset_index(), on=keys)
    out["per_10k"] = out["count"] / out["tokens"] * PER
    out = out.sort_values([*keys, "term"], kind="stable").reset_index(drop=True)
    undated = corpus.undated()
    out.attrs["left_out"] = pd.DataFrame({"doc_id": undated.to_numpy(), "reason": "no date"}).to_dict("records")
    return out


# --------------------------------------------------------------------------------------------
# n-grams and collocations
# --------------------------------------------------------------------------------------------


def _sequence(corpus: Corpus, unit: str, drop_stop: bool, kinds: Sequence[str]) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Term codes of the counted tokens and the sentence each belongs to."""
    term, vocab, terms_kept = _unit_codes(corpus, unit)
    kept = corpus.words(kinds) & terms_kept
    if drop_stop:
        kept &= ~_stop(corpus)
    sentence = corpus.doc_codes.astype(np.int64) * (1 << 32) + corpus.tokens["sentence"].to_numpy().astype(np.int64)
    return term[kept], sentence[kept], vocab


def _ngram_counts(
    corpus: Corpus, cols: list[str], words: list[np.ndarray], doc: np.ndarray, *, min_count: int = 1, pack: bool = True,
) -> pd.DataFrame:
    """Occurrences and documents of every distinct (group, word codes…) sequence seen ``min_count`` times or more.

    Each sequence is packed into one integer (the group's code, :func:`_group_codes`, then each
    word code, in base vocabulary size + 1) and counted by hashing, instead of a grouping over
    several columns; when the packed values could exceed 62 bits, the grouping is used. Documents
    are counted only for the sequences that reach ``min_count`` (most distinct n-grams occur
    once), on one sort of the (sequence, document) pairs.

    Returns
    -------
    DataFrame
        ``cols``, ``w0`` … ``w{n-1}`` (word codes), ``count`` and ``docs``; one row per sequence.
    """
    n, n_docs = len(words), max(len(corpus.docs), 1)
    group_of_doc, labels = _group_codes(corpus, cols)
    base = int(max((int(w.max()) for w in words if len(w)), default=0)) + 2  # codes from -1 up
    if pack and len(labels) * base**n < 2**62 and n_docs * (len(doc) + 1) < 2**62:
        key = group_of_doc[doc]
        for w in words:
            key = key * base + (w.astype(np.int64) + 1)
        inverse, uniq = pd.factorize(key)  # (hashing, in order of first occurrence)
        count = np.bincount(inverse, minlength=len(uniq))
        if min_count > 1:
            frequent = count >= min_count
            rows = frequent[inverse]
            inverse, doc = (np.cumsum(frequent) - 1)[inverse[rows]], doc[rows]
            uniq, count = np.asarray(uniq)[frequent], count[frequent]
        pair = np.sort(inverse.astype(np.int64) * n_docs + doc)  # each (sequence, document) once: sorted, runs
        seen = pair[np.r_[True, pair[1:] != pair[:-1]]] if pair.size else pair
        docs = np.bincount(seen // n_docs, minlength=len(uniq)).astype(np.int64)
        codes: dict[str, np.ndarray] = {}
        rest = np.asarray(uniq, dtype=np.int64).copy()
        for k in range(n - 1, -1, -1):
            codes[f"w{k}"] = rest % base - 1
            rest //= base
        out = labels.iloc[rest][cols].reset_index(drop=True) if cols else pd.DataFrame(index=range(len(uniq)))
        for k in range(n):
            out[f"w{k}"] = codes[f"w{k}"]
        return out.assign(count=count.astype(np.int64), docs=docs)
    frame = pd.DataFrame({f"w{k}": w for k, w in enumerate(words)})
    frame["doc"] = doc
    for c in cols:
        frame[c] = corpus.groups(c).to_numpy()[doc]
    keys = [*cols, *[f"w{k}" for k in range(n)]]
    out = frame.groupby(keys, sort=False).agg(count=("doc", "size"), docs=("doc", "nunique")).reset_index()
    return out[out["count"] >= min_count]


def _reaching_top(values: pd.Series, top: int, by: list[pd.Series] | None = None) -> np.ndarray:
    """Which ``values`` reach the ``top``-th largest of their group (all of them when ``by`` is empty).

    A descending sort (NaN last, ties broken by labels) followed by ``head(top)`` per group can only
    keep these rows, ties and all, so the others need no labels and no sorting. A group with fewer
    than ``top`` non-missing values keeps every row, NaN included.
    """
    if top <= 0 or values.empty:
        return np.zeros(len(values), dtype=bool)

    def floor(part: pd.Series) -> float:
        return float(part.nlargest(top).iloc[-1]) if part.notna().sum() >= top else -np.inf

    if by:
        lowest = values.groupby(by, sort=False, observed=True, dropna=False).transform(floor).to_numpy()
    else:
        lowest = np.full(len(values), floor(values))
    v = values.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return (v >= lowest) | (np.isnan(v) & (lowest == -np.inf))


def ngrams(
    corpus: Corpus,
    n: int = 3,
    *,
    by: str | None = None,
    unit: str = "lemma",
    drop_stop: bool = False,
    min_count: int = 2,
    top: int | None = 20,
    kinds: Sequence[str] = WORD_KINDS,
) -> pd.DataFrame:
    """Sequences of ``n`` consecutive terms inside sentences (n-grams, "clusters" in AntConc).

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    n : int
        Terms per sequence (default 3).
    by : str, optional
        A metadata column: n-grams are counted per group.
    unit, kinds
        As for :func:`term_frequency`. Tokens of other kinds (numbers, links) are not terms:
        the sequence runs over them, as AntConc's default letters-only tokens do.
    drop_stop : bool
        Remove stop words first (default False): "consecutive" then means among content words.
    min_count : int
        Keep n-grams seen at least this often (within the group).
    top : int or None
        The most frequent n-grams kept per group (None: all).

    Returns
    -------
    DataFrame
        ``[by,] ngram`` (the terms joined by spaces), ``count``, ``docs``; the ``top`` most
        frequent per group with at least ``min_count`` occurrences, sorted by group, count
        descending, then n-gram. A sequence never crosses a sentence boundary.
    """
    if n < 1:
        raise ValueError("n must be at least 1.")
    cols = corpus.check_columns(by)
    term, vocab, terms_kept = _unit_codes(corpus, unit)
    kept = corpus.words(kinds) & terms_kept
    if drop_stop:
        kept &= ~_stop(corpus)
    rows = np.flatnonzero(kept)
    sentence = (corpus.doc_codes.astype(np.int64) * (1 << 32) + corpus.tokens["sentence"].to_numpy())[rows]
    codes = term[rows]
    m = len(rows) - n + 1
    if m <= 0:
        return pd.DataFrame(columns=[*cols, "ngram", "count", "docs"])
    same = np.ones(m, dtype=bool)
    for k in range(1, n):
        same &= sentence[k: k + m] == sentence[:m]
    start = np.flatnonzero(same)
    doc = corpus.doc_codes[rows[start]].astype(np.int64)
    out = _ngram_counts(corpus, cols, [codes[start + k] for k in range(n)], doc, min_count=min_count)
    if top is not None:
        out = out[_reaching_top(out["count"], top, [out[c] for c in cols])]
    words = vocab.to_numpy()
    out["ngram"] = [" ".join(words[list(t)]) for t in out[[f"w{k}" for k in range(n)]].itertuples(index=False, name=None)]
    out = out.sort_values([*cols, "count", "ngram"], ascending=[True] * len(cols) + [False, True], kind="stable")
    if top is not None:
        out = out.groupby(cols, sort=False).head(top) if cols else out.head(top)
    return out[[*cols, "ngram", "count", "docs"]].reset_index(drop=True)


#: Pair tables of at most this many pairs are kept for the next call (one per unit, window and
#: floor): a notebook that ranks collocations by several measures counts the pairs once.
_KEEP_PAIRS = 2_000_000


def _word_pairs(
    corpus: Corpus, unit: str, drop_stop: bool, kinds: tuple[str, ...], window: int, min_count: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, pd.Index]:
    """The distinct word pairs within ``window`` (packed codes) seen ``min_count`` times or more,
    their counts, every term's frequency, the number of terms counted, and the vocabulary.

    Kept (:func:`_memo`) for the next call with the same arguments when small (at most
    :data:`_KEEP_PAIRS` pairs), against the token table, the columns it reads and a digest of
    the stop flags; read-only.
    """
    tokens = corpus.tokens
    stops = hashlib.blake2b(np.packbits(tokens["is_stop"].to_numpy(dtype=bool)).tobytes()).hexdigest() if drop_stop else ""
    stamp = (tokens, *(tokens[c].array if c in tokens.columns else None for c in (unit, "kind", "mwe")), stops)

    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray, int, pd.Index]:
        codes, sentence, vocab = _sequence(corpus, unit, drop_stop, kinds)
        V = np.int64(len(vocab))
        pairs = []
        for d in range(1, window + 1):
            same = sentence[d:] == sentence[:-d]
            pairs.append(codes[:-d][same] * V + codes[d:][same])
        key = np.concatenate(pairs) if pairs else np.zeros(0, np.int64)
        inverse, uniq = pd.factorize(key)  # hashing; the order does not matter, the callers' sorts are total
        count = np.bincount(inverse, minlength=len(uniq))
        keep = count >= min_count
        return np.asarray(uniq, dtype=np.int64)[keep], count[keep], np.bincount(codes, minlength=len(vocab)), int(codes.size), vocab

    return corpus.memo("word_pairs", (unit, drop_stop, kinds, window, min_count), stamp, compute,
                        keep=lambda result: len(result[0]) <= _KEEP_PAIRS)


def collocations(
    corpus: Corpus,
    *,
    measure: str = "log_likelihood",
    window: int = 1,
    min_count: int = 3,
    top: int | None = 20,
    unit: str = "lemma",
    drop_stop: bool = True,
    kinds: Sequence[str] = WORD_KINDS,
) -> pd.DataFrame:
    r"""Two-word collocations with their association scores, inside sentences.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    measure : {"log_likelihood", "pmi", "t_score", "log_dice", "mi3"}
        The column the table is ranked by (every measure is returned).
    window : int
        ``w2`` within this many tokens after ``w1`` (default 1: adjacent words).
    min_count : int
        Frequency floor for the pair (PMI over-rewards rare pairs without one).
    top : int or None
        Number of pairs returned (None: all).
    unit, drop_stop, kinds
        What counts as a word. With ``drop_stop`` (default) stop words are removed first, so
        "adjacent" means adjacent among content words.

    Returns
    -------
    DataFrame
        ``w1``, ``w2``, ``count`` (:math:`O_{11}`, pairs in the window), ``f1``, ``f2`` (the
        words' frequencies), ``expected``, ``pmi``, ``log_likelihood``, ``t_score``,
        ``log_dice``, ``mi3``; sorted by ``measure`` descending, then the words.

    Notes
    -----
    With :math:`N` the number of counted tokens (sentence boundaries are not tokens: they add
    nothing to :math:`N`), :math:`f_1, f_2` the frequencies of the two words, :math:`w` the
    window and :math:`O_{11}` the co-occurrences of ``w1`` followed within :math:`w` tokens by
    ``w2``, following NLTK's ``BigramCollocationFinder`` (which divides windowed counts by
    :math:`w`) and Evert (2008) / LancsBox:

    .. math::

        o = O_{11}/w, \quad E = f_1 f_2 / N, \quad
        \mathrm{PMI} = \log_2 \frac{o}{E}, \quad
        \mathrm{MI3} = \log_2 \frac{o^3}{E}, \quad
        t = \frac{o - E}{\sqrt{o}}, \quad
        \mathrm{logDice} = 14 + \log_2 \frac{2 o}{f_1 + f_2},

    and ``log_likelihood`` is the 4-cell :math:`G^2` of
    :math:`[o,\ f_1 - o;\ f_2 - o,\ N - f_1 - f_2 + o]` (Dunning 1993), as NLTK's
    ``likelihood_ratio``. ``pmi``, ``log_likelihood`` and ``t_score`` are NLTK's
    ``BigramAssocMeasures`` scores of a ``BigramCollocationFinder`` given the sentences with
    :math:`w` ``None`` pads after each (``window_size = w + 1``; ``from_documents`` pads so for
    adjacent pairs): pads are not words and add nothing to :math:`N`. A word-like marker between
    sentences, as the kit's first version used, is counted in :math:`N` and inflates it (by
    10% on real news, 42% with ``window=4``).

    With ``window > 1``, ``log_dice`` and ``mi3`` also use :math:`o = O_{11}/w`; tools that put
    the raw windowed count :math:`O_{11}` in logDice give :math:`\log_2 w` more.

    References
    ----------
    Evert, S. (2008). Corpora and collocations. In A. Lüdeling & M. Kytö (eds.), *Corpus
    Linguistics. An International Handbook*, article 58. · Rychlý, P. (2008). A lexicographer-
    friendly association score. *RASLAN*, 6–9 (logDice).
    """
    from helpers.stats import association_2x2_g2

    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}; got {measure!r}.")
    if window < 1:
        raise ValueError("window must be at least 1 (adjacent words).")
    uniq, count, freq, n, vocab = _word_pairs(corpus, unit, drop_stop, tuple(kinds), window, min_count)
    V = np.int64(len(vocab))
    a, b = uniq // V, uniq % V
    f1, f2 = freq[a].astype(float), freq[b].astype(float)
    o = count / window
    expected = f1 * f2 / n if n else f1 * 0
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = pd.DataFrame(
            {
                "count": count.astype(np.int64),
                "f1": f1.astype(np.int64),
                "f2": f2.astype(np.int64),
                "expected": expected,
                "pmi": np.log2(o / expected),
                "log_likelihood": association_2x2_g2(o, f1 - o, f2 - o, n - f1 - f2 + o),
                "t_score": (o - expected) / np.sqrt(o),
                "log_dice": 14 + np.log2(2 * o / (f1 + f2)),
                "mi3": np.log2(o**3 / expected),
            }
        )
    if top is not None:  # words are looked up and sorted only for the pairs that can make the top
        candidates = _reaching_top(scores[measure], top)
        scores, a, b = scores[candidates].reset_index(drop=True), a[candidates], b[candidates]
    words = vocab.to_numpy()
    out = pd.concat([pd.DataFrame({"w1": words[a], "w2": words[b]}), scores], axis=1)
    out = out.sort_values([measure, "w1", "w2"], ascending=[False, True, True], kind="stable")
    return (out.head(top) if top is not None else out).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Dispersion
# --------------------------------------------------------------------------------------------


@legacy()
def dispersion(corpus: Corpus, terms: Sequence[str], *, order_by: str = "date", unit: str = "lemma") -> pd.DataFrame:
    """Where terms occur along the corpus (documents in ``order_by`` order, then ``doc_id``).

    Returns one row per hit with ``term``, ``doc_id`` and ``position``: the hit's place in the
    concatenated corpus (0–1), for :func:`helpers.plots.plot_dispersion`.
    """
    docs = corpus.docs
    order = np.lexsort((docs["doc_id"].astype(str).to_numpy(), docs[order_by].isna().to_numpy(), docs[order_by].to_numpy()))
    rank = np.empty(len(docs), dtype=np.int64)
    rank[order] = np.arange(len(docs))
    doc = corpus.doc_codes
    n = len(doc)
    seq = np.lexsort((np.arange(n), rank[doc]))
    position = np.empty(n, dtype=float)
    position[seq] = np.arange(n) / max(n - 1, 1)
    term, vocab, terms_kept = _unit_codes(corpus, unit)
    wanted = [str(t) for t in terms]
    code_of = {v: i for i, v in enumerate(vocab)}
    want = np.array([code_of.get(t, -1) for t in wanted])
    mask = np.isin(term, want[want >= 0]) & terms_kept
    out = pd.DataFrame({"term": vocab.to_numpy()[term[mask]], "doc_id": docs["doc_id"].to_numpy()[doc[mask]].astype(str), "position": position[mask]})
    out["term"] = pd.Categorical(out["term"], categories=wanted)
    return out.sort_values(["term", "position"], kind="stable").reset_index(drop=True)


def dispersion_stats(
    corpus: Corpus,
    terms: Sequence[str] | None = None,
    *,
    parts: str | None = None,
    unit: str = "lemma",
    min_count: int = 1,
    kinds: Sequence[str] = WORD_KINDS,
) -> pd.DataFrame:
    r"""How evenly terms spread over the parts of the corpus: range, Juilland's D, Gries' DP.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    terms : sequence of str, optional
        Terms to describe (default: every term counted at least ``min_count`` times).
    parts : str, optional
        A metadata column whose groups are the parts (default: every document is a part). A
        part without any counted token (a document that is only a link) is not a part.
    unit, min_count, kinds
        As for :func:`term_frequency` (stop words included: dispersion is about every term).

    Returns
    -------
    DataFrame
        Indexed by ``term``: ``count`` (:math:`f`), ``range`` (parts with the term),
        ``range_share``, ``juilland_d``, ``dp``, ``dp_norm``; sorted by count descending, then
        term.

    Notes
    -----
    With :math:`n` parts of sizes :math:`s_i` (their share of the corpus' tokens), the term's
    count :math:`v_i` in part :math:`i`, :math:`f = \sum v_i`:

    - Juilland's :math:`D = 1 - \frac{\sigma(p)}{\bar p \sqrt{n - 1}}`, with :math:`p_i = v_i /
      S_i` the relative frequency in part :math:`i` (:math:`S_i` its tokens) and :math:`\sigma`
      the population standard deviation: 1 for a perfectly even spread, 0 for a term in one part
      (Juilland & Chang-Rodríguez 1964, as LancsBox computes it on unequal parts, and as the R
      package tlda's ``disp()``: Lyne's (1985) *allemand* in ten parts gives 0.6038797);
    - Gries' :math:`DP = \frac{1}{2} \sum_i \left| \frac{v_i}{f} - s_i \right|`: 0 for a spread
      proportional to the parts' sizes, near 1 for a term in one small part; ``dp_norm``
      divides by :math:`1 - \min s_i` (Lijffijt & Gries 2012) so that its maximum is 1.

    References
    ----------
    Gries, S. Th. (2008). Dispersions and adjusted frequencies in corpora. *International
    Journal of Corpus Linguistics* 13(4), 403–437. · Lijffijt, J. & Gries, S. Th. (2012).
    Correction to Gries (2008). *IJCL* 17(1), 147–149.
    """
    term, vocab, terms_kept = _unit_codes(corpus, unit)
    kept = corpus.words(kinds) & terms_kept
    if parts is None:
        part_of_doc = np.arange(len(corpus.docs))
    else:
        part_of_doc, _ = pd.factorize(corpus.groups(parts), sort=True)
    # A part without a counted token (a document that is only a link, or only boilerplate) is
    # no part: it would lower every range and Juilland's D, and make min(s) 0 in DP_norm.
    present, part = np.unique(part_of_doc[corpus.doc_codes][kept], return_inverse=True)
    n_parts = int(present.size)
    t = term[kept]
    sizes = np.bincount(part, minlength=n_parts).astype(float)
    share = sizes / sizes.sum()
    V = len(vocab)
    freq = np.bincount(t, minlength=V)
    if terms is None:
        chosen = np.flatnonzero(freq >= min_count)
    else:
        code_of = {v: i for i, v in enumerate(vocab)}
        chosen = np.array([code_of[x] for x in terms if x in code_of], dtype=np.int64)
    pos = np.full(V, -1, dtype=np.int64)
    pos[chosen] = np.arange(chosen.size)
    mask = pos[t] >= 0
    table = np.zeros((chosen.size, n_parts), dtype=float)
    np.add.at(table, (pos[t[mask]], part[mask]), 1.0)
    f = table.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = table / np.where(sizes > 0, sizes, np.nan)
        mean = np.nanmean(rel, axis=1)
        sd = np.nanstd(rel, axis=1)
        juilland = 1 - sd / mean / np.sqrt(n_parts - 1) if n_parts > 1 else np.full(chosen.size, np.nan)
        # D lies in [0, 1] and is 0 for a term in one part; the division leaves ±2e-16 there.
        juilland = np.where((table > 0).sum(axis=1) == 1, 0.0, np.clip(juilland, 0.0, 1.0)) if n_parts > 1 else juilland
        dp = 0.5 * np.abs(table / f[:, None] - share[None, :]).sum(axis=1)
        dp_norm = dp / (1 - share.min()) if n_parts > 1 else np.full(chosen.size, np.nan)
    out = pd.DataFrame(
        {
            "count": f.astype(np.int64),
            "range": (table > 0).sum(axis=1).astype(np.int64),
            "range_share": (table > 0).sum(axis=1) / max(n_parts, 1),
            "juilland_d": juilland,
            "dp": dp,
            "dp_norm": dp_norm,
        },
        index=pd.Index(vocab.to_numpy()[chosen], name="term"),
    )
    if terms is not None:
        out = out.reindex([x for x in terms if x in set(out.index)])
    out = out.assign(_t=out.index).sort_values(["count", "_t"], ascending=[False, True], kind="stable").drop(columns="_t")
    return out
