"""Which words dominate, where and when: counts, rates, TF-IDF, trends, KWIC and collocations.

All functions take the token table of :func:`helpers.text.tokenize` (and, where metadata or the
original text is needed, the documents of :func:`helpers.corpus.load_corpus`) and return tidy
DataFrames sorted so that notebooks show the same table on every run.

Rates are **per 10,000 tokens** of the unit compared (group or period), counted over *all* word
tokens, stop words included, so that a rate does not change when you edit a stop list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.corpus import add_metadata
from helpers.text import lemma_key

PER = 10_000


def _with_groups(tokens: pd.DataFrame, docs: pd.DataFrame | None, by: str | Sequence[str] | None) -> tuple[pd.DataFrame, list[str]]:
    """Attach metadata columns ``by`` (from ``docs``) to the token table."""
    if by is None:
        return tokens, []
    cols = [by] if isinstance(by, str) else list(by)
    if docs is None and any(c not in tokens.columns for c in cols):
        raise ValueError(f"Grouping by {cols} needs docs=… (the corpus table) to look the columns up.")
    out = tokens if docs is None else add_metadata(tokens, docs, cols)
    return out, cols


def term_frequency(
    tokens: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    unit: str = "lemma",
    min_count: int = 1,
    *,
    docs: pd.DataFrame | None = None,
    drop_stop: bool = True,
) -> pd.DataFrame:
    """Count terms, overall or per group.

    Parameters
    ----------
    tokens : DataFrame
        Token table from :func:`helpers.text.tokenize`.
    by : str or list of str, optional
        Metadata column(s) to group by (e.g. ``"outlet"``); looked up in ``docs`` when the token
        table does not have them.
    unit : {"lemma", "token", "stem"}
        What counts as a term. ``"token"`` counts surface forms lower-cased.
    min_count : int
        Keep terms counted at least this often (within the group).
    docs : DataFrame, optional
        The corpus, needed when ``by`` names a metadata column.
    drop_stop : bool
        Leave stop words out of the result (default True). They still count in the totals.

    Returns
    -------
    DataFrame
        One row per (group, term): ``count``, ``per_10k`` (count per 10,000 tokens of the group),
        ``docs`` (documents containing the term), ``doc_share`` (share of the group's documents).
        Sorted by group, then count descending, then term.
    """
    if unit not in ("lemma", "token", "stem"):
        raise ValueError("unit must be 'lemma', 'token' or 'stem'.")
    if unit not in tokens.columns:
        raise ValueError(f"The token table has no {unit!r} column (use helpers.text.add_stems for stems).")
    table, groups = _with_groups(tokens, docs, by)
    terms = table[unit].astype(str)
    if unit == "token":
        terms = terms.str.lower()
    frame = pd.DataFrame({"term": terms.to_numpy(), "doc_id": table["doc_id"].astype(str).to_numpy(), "is_stop": table["is_stop"].to_numpy()})
    for g in groups:
        frame[g] = table[g].to_numpy()
    keys = groups or None
    totals = frame.groupby(keys, observed=True, dropna=False).size() if keys else pd.Series({(): len(frame)})
    n_docs = frame.groupby(keys, observed=True, dropna=False)["doc_id"].nunique() if keys else pd.Series({(): frame["doc_id"].nunique()})
    kept = frame[~frame["is_stop"]] if drop_stop else frame
    counts = kept.groupby([*groups, "term"], observed=True, dropna=False).agg(count=("doc_id", "size"), docs=("doc_id", "nunique")).reset_index()
    counts = counts[counts["count"] >= min_count]
    if groups:
        idx = pd.MultiIndex.from_frame(counts[groups]) if len(groups) > 1 else pd.Index(counts[groups[0]])
        total = totals.reindex(idx).to_numpy()
        ndoc = n_docs.reindex(idx).to_numpy()
    else:
        total = np.full(len(counts), totals.iloc[0])
        ndoc = np.full(len(counts), n_docs.iloc[0])
    counts["per_10k"] = counts["count"] / total * PER
    counts["doc_share"] = counts["docs"] / ndoc
    counts = counts.sort_values([*groups, "count", "term"], ascending=[True] * len(groups) + [False, True])
    return counts[[*groups, "term", "count", "per_10k", "docs", "doc_share"]].reset_index(drop=True)


def likely_names(tokens: pd.DataFrame, *, min_share: float = 0.9, min_count: int = 2) -> set[str]:
    """Lemmas that are almost always written with a capital letter inside a sentence: names.

    A word at the start of a sentence is capitalised anyway, so only other positions count.
    Use it to set names aside, e.g. ``count_matrix(..., exclude=likely_names(tokens))``, when
    each group's own experts and sources would otherwise fill a keyness table.
    """
    sentence_start = np.ones(len(tokens), dtype=bool)
    if len(tokens):
        doc = tokens["doc_id"].cat.codes.to_numpy()
        sent = tokens["sentence"].to_numpy()
        sentence_start[1:] = (doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])
    inner = tokens.loc[~sentence_start, ["token", "lemma"]]
    upper = inner["token"].astype(str).str[:1].str.isupper()
    share = upper.groupby(inner["lemma"].astype(str).to_numpy()).agg(["mean", "size"])
    return set(share.index[(share["mean"] >= min_share) & (share["size"] >= min_count)])


def count_matrix(
    tokens: pd.DataFrame,
    by: str,
    *,
    docs: pd.DataFrame | None = None,
    unit: str = "lemma",
    drop_stop: bool = True,
    exclude: set[str] | None = None,
) -> pd.DataFrame:
    """Return a terms × groups table of counts (the input of :func:`helpers.stats.one_vs_rest`).

    Stop words (and the terms in ``exclude``) are left out, and so the column totals that the
    statistics use are the counts of the terms that remain: compare like with like.
    """
    table, groups = _with_groups(tokens, docs, by)
    if drop_stop:
        table = table[~table["is_stop"].to_numpy()]
    if exclude:
        table = table[~table[unit].astype(str).isin(exclude).to_numpy()]
    terms = table[unit].astype(str)
    matrix = pd.crosstab(terms.to_numpy(), table[groups[0]].astype(str).to_numpy())
    matrix.index.name, matrix.columns.name = "term", by
    return matrix.sort_index()


def tfidf(tokens: pd.DataFrame, unit: str = "lemma", *, top: int | None = 10, drop_stop: bool = True) -> pd.DataFrame:
    """TF-IDF of terms in each document.

    ``tfidf = (count / doc_tokens) * ln(N / df)``, with ``N`` documents and ``df`` the number of
    documents containing the term (the plain textbook weighting; a term in every document
    scores 0).

    Returns
    -------
    DataFrame
        ``doc_id``, ``term``, ``count``, ``tf``, ``df``, ``idf``, ``tfidf``; the ``top`` terms per
        document (all when None), sorted by document then tfidf descending, then term.
    """
    doc = tokens["doc_id"].astype(str)
    doc_len = doc.value_counts()
    kept = tokens[~tokens["is_stop"].to_numpy()] if drop_stop else tokens
    frame = pd.DataFrame({"doc_id": kept["doc_id"].astype(str).to_numpy(), "term": kept[unit].astype(str).to_numpy()})
    counts = frame.groupby(["doc_id", "term"]).size().rename("count").reset_index()
    n_docs = doc.nunique()
    df = counts.groupby("term")["doc_id"].nunique()
    counts["tf"] = counts["count"] / counts["doc_id"].map(doc_len).to_numpy()
    counts["df"] = counts["term"].map(df).to_numpy()
    counts["idf"] = np.log(n_docs / counts["df"])
    counts["tfidf"] = counts["tf"] * counts["idf"]
    counts = counts.sort_values(["doc_id", "tfidf", "term"], ascending=[True, False, True])
    if top is not None:
        counts = counts.groupby("doc_id", sort=False).head(top)
    return counts.reset_index(drop=True)


def trend(
    tokens: pd.DataFrame,
    terms: Sequence[str],
    by: str | None = None,
    freq: str = "W",
    *,
    docs: pd.DataFrame,
    unit: str = "lemma",
) -> pd.DataFrame:
    """Rate of terms per period, normalised by the period's size.

    A busy week has more of every word; dividing by the week's token count shows whether a term
    really rose. Periods with no documents are absent, not zero.

    Parameters
    ----------
    tokens : DataFrame
        Token table.
    terms : sequence of str
        Terms (lemmas, or merged multi-word expressions) to follow.
    by : str, optional
        A metadata column to split each period by (e.g. ``"outlet"``).
    freq : {"D", "W", "M"}
        Period: day, week (starting Monday) or month.
    docs : DataFrame
        The corpus, for dates and metadata.

    Returns
    -------
    DataFrame
        ``period`` (start date), the ``by`` column when given, ``term``, ``count``,
        ``tokens`` (all tokens of the period and group) and ``per_10k``; sorted.
    """
    freq_map = {"D": "D", "W": "W-SUN", "M": "M"}
    if freq not in freq_map:
        raise ValueError("freq must be 'D', 'W' or 'M'.")
    meta_cols = ["date"] + ([by] if by else [])
    table, _ = _with_groups(tokens, docs, meta_cols)
    table = table[table["date"].notna()]
    period = table["date"].dt.to_period(freq_map[freq]).dt.start_time
    frame = pd.DataFrame({"period": period.to_numpy(), "term": table[unit].astype(str).to_numpy()})
    keys = ["period"]
    if by:
        frame[by] = table[by].to_numpy()
        keys.append(by)
    totals = frame.groupby(keys, observed=True).size().rename("tokens")
    wanted = [str(t) for t in terms]
    hits = frame[frame["term"].isin(wanted)].groupby([*keys, "term"], observed=True).size().rename("count")
    grid = pd.MultiIndex.from_tuples([(*k, t) if isinstance(k, tuple) else (k, t) for k in totals.index for t in wanted], names=[*keys, "term"])
    out = hits.reindex(grid, fill_value=0).reset_index()
    out = out.merge(totals.reset_index(), on=keys)
    out["per_10k"] = out["count"] / out["tokens"] * PER
    return out.sort_values([*keys, "term"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# KWIC: the one machinery behind concordances and every piece of evidence in the kit
# --------------------------------------------------------------------------------------------


def concordance(
    docs: pd.DataFrame,
    spans: pd.DataFrame,
    *,
    window: int | str = 60,
    sort: str = "position",
) -> pd.DataFrame:
    """Show spans of the original text in context (key word in context).

    Parameters
    ----------
    docs : DataFrame
        The corpus (``doc_id``, ``text``).
    spans : DataFrame
        ``doc_id``, ``start``, ``end`` of each hit; other columns are kept.
    window : int or "sentence"
        Characters of context on each side, or the whole sentence (needs ``sentence_start`` and
        ``sentence_end`` columns in ``spans``).
    sort : {"position", "left", "right"}
        Order by document and offset, by the words just left of the hit (read right to left), or
        by the words right of it.

    Returns
    -------
    DataFrame
        The span columns plus ``left``, ``match`` and ``right``: ``match`` is exactly
        ``text[start:end]``; line breaks in the context are shown as spaces.
    """
    text_of = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    out = spans.copy()
    out["doc_id"] = out["doc_id"].astype(str)
    lefts, matches, rights = [], [], []
    for row in out.itertuples(index=False):
        text = text_of[row.doc_id]
        if window == "sentence":
            lo, hi = row.sentence_start, row.sentence_end
        else:
            lo, hi = max(0, row.start - int(window)), min(len(text), row.end + int(window))
        lefts.append(_one_line(text[lo:row.start]))
        matches.append(text[row.start:row.end])
        rights.append(_one_line(text[row.end:hi]))
    out["left"] = pd.Series(lefts, index=out.index, dtype="str")
    out["match"] = pd.Series(matches, index=out.index, dtype="str")
    out["right"] = pd.Series(rights, index=out.index, dtype="str")
    if sort == "position":
        out = out.sort_values(["doc_id", "start"])
    elif sort == "left":
        out = out.assign(_k=[" ".join(reversed(s.lower().split())) for s in out["left"]]).sort_values(["_k", "doc_id", "start"]).drop(columns="_k")
    elif sort == "right":
        out = out.assign(_k=out["right"].str.lower().str.strip()).sort_values(["_k", "doc_id", "start"]).drop(columns="_k")
    else:
        raise ValueError("sort must be 'position', 'left' or 'right'.")
    return out.reset_index(drop=True)


def _one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def sentence_bounds(tokens: pd.DataFrame) -> pd.DataFrame:
    """Character span of every sentence (first token start, last token end) per document."""
    grouped = tokens.groupby(["doc_id", "sentence"], observed=True)
    bounds = grouped.agg(sentence_start=("start", "min"), sentence_end=("end", "max")).reset_index()
    bounds["doc_id"] = bounds["doc_id"].astype(str)
    return bounds


def find_terms(tokens: pd.DataFrame, query: str, *, unit: str = "lemma", regex: bool = False) -> pd.DataFrame:
    """Locate a lemma, a phrase (any inflected form) or a regular expression in the token table.

    Returns ``doc_id``, ``sentence``, ``start``, ``end`` of each hit, in text order.
    """
    from helpers.text import match_sequences

    if regex:
        pattern = re.compile(query)
        values = tokens[unit].astype(str) if unit in tokens else tokens["token"].astype(str)
        hit = values.map(lambda v: bool(pattern.search(v))).to_numpy(bool)
        found = tokens.loc[hit, ["doc_id", "sentence", "start", "end"]]
    else:
        folded = " ".join(query.lower().replace("ё", "е").split())
        # A lemma or a merged multi-word term is looked up as it is; anything else is lemmatized.
        key = (folded,) if folded in set(tokens["lemma"].cat.categories) else lemma_key(query)
        matches = match_sequences(tokens, pd.DataFrame({"pattern": [query], "key": [key]}))
        first, last = matches["first"].to_numpy(), matches["last"].to_numpy()
        found = pd.DataFrame(
            {
                "doc_id": tokens["doc_id"].to_numpy()[first],
                "sentence": tokens["sentence"].to_numpy()[first],
                "start": tokens["start"].to_numpy()[first],
                "end": tokens["end"].to_numpy()[last],
            }
        )
    found = found.assign(doc_id=found["doc_id"].astype(str))
    return found.reset_index(drop=True)


def kwic(
    docs: pd.DataFrame,
    tokens: pd.DataFrame,
    query: str,
    window: int | str = 60,
    *,
    regex: bool = False,
    sort: str = "position",
) -> pd.DataFrame:
    """Key word in context for a lemma, a phrase or a regular expression.

    Parameters
    ----------
    docs, tokens : DataFrame
        The corpus and its token table.
    query : str
        A lemma (``"санкция"``), a phrase in any form (``"коалиция желающих"`` also finds
        ``коалицией желающих``), or, with ``regex=True``, a regular expression tested against
        each lemma (``r"^санкц"``).
    window : int or "sentence"
        Characters of context on each side, or the whole sentence.
    sort : {"position", "left", "right"}
        Ordering of the lines (see :func:`concordance`).

    Returns
    -------
    DataFrame
        ``doc_id``, ``start``, ``end``, ``left``, ``match``, ``right``; ``match`` is the original
        surface text, e.g. ``Санкции`` for the lemma ``санкция``.
    """
    hits = find_terms(tokens, query, regex=regex)
    if window == "sentence":
        hits = hits.merge(sentence_bounds(tokens), on=["doc_id", "sentence"], how="left")
    lines = concordance(docs, hits, window=window, sort=sort)
    return lines[["doc_id", "start", "end", "left", "match", "right"]]


# --------------------------------------------------------------------------------------------
# Collocations (NLTK) and dispersion
# --------------------------------------------------------------------------------------------


def collocations(
    tokens: pd.DataFrame,
    *,
    measure: str = "likelihood_ratio",
    window: int = 2,
    min_count: int = 3,
    top: int = 20,
    unit: str = "lemma",
    drop_stop: bool = True,
) -> pd.DataFrame:
    """Two-word collocations scored with ``nltk.collocations``.

    Parameters
    ----------
    measure : {"likelihood_ratio", "pmi", "student_t"}
        NLTK's ``BigramAssocMeasures``: Dunning's log-likelihood, pointwise mutual information
        or the t-score.
    window : int
        2 for adjacent words; larger windows count pairs up to ``window - 1`` words apart.
    min_count : int
        Frequency floor for the pair (PMI over-rewards rare pairs without one).
    top : int
        Number of pairs returned.
    drop_stop : bool
        Remove stop words before pairing (then "adjacent" means adjacent among content words).

    Returns
    -------
    DataFrame
        ``w1``, ``w2``, ``count`` and ``score``, sorted by score descending, then words.

    Notes
    -----
    Pairs never cross a sentence boundary: each sentence is fed to NLTK separated by a marker
    that is removed from the candidates.
    """
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    measures = {"likelihood_ratio": BigramAssocMeasures.likelihood_ratio, "pmi": BigramAssocMeasures.pmi, "student_t": BigramAssocMeasures.student_t}
    if measure not in measures:
        raise ValueError(f"measure must be one of {sorted(measures)}.")
    kept = tokens[~tokens["is_stop"].to_numpy()] if drop_stop else tokens
    words = kept[unit].astype(str).to_numpy()
    unit_id = kept["doc_id"].cat.codes.to_numpy().astype(np.int64) * 100_000 + kept["sentence"].to_numpy()
    breaks = np.flatnonzero(np.diff(unit_id)) + 1
    marker = "\x00"  # separates sentences: window - 1 markers keep every window inside one
    seq: list[str] = []
    for chunk in np.split(words.astype(object), breaks):
        seq.extend(chunk.tolist())
        seq.extend([marker] * (window - 1))
    finder = BigramCollocationFinder.from_words(seq, window_size=window)
    if marker in finder.word_fd:  # markers are not words: keep them out of N and the margins
        del finder.word_fd[marker]
    finder.apply_word_filter(lambda w: w == marker)
    finder.apply_freq_filter(min_count)
    scored = finder.score_ngrams(measures[measure])
    rows = [(w1, w2, finder.ngram_fd[(w1, w2)], score) for (w1, w2), score in scored]
    out = pd.DataFrame(rows, columns=["w1", "w2", "count", "score"])
    out = out.sort_values(["score", "w1", "w2"], ascending=[False, True, True]).head(top)
    return out.reset_index(drop=True)


def dispersion(tokens: pd.DataFrame, terms: Sequence[str], *, docs: pd.DataFrame, order_by: str = "date", unit: str = "lemma") -> pd.DataFrame:
    """Where terms occur along the corpus (documents in ``order_by`` order).

    Returns one row per hit with ``term``, ``doc_id`` and ``position``: the hit's offset in the
    concatenated corpus (0–1), for :func:`helpers.plots.plot_dispersion`.
    """
    order = docs.sort_values([order_by, "doc_id"])["doc_id"].astype(str).tolist()
    rank = {d: i for i, d in enumerate(order)}
    doc = tokens["doc_id"].astype(str).to_numpy()
    doc_rank = np.array([rank.get(d, -1) for d in doc])
    seq = np.lexsort((np.arange(len(doc)), doc_rank))
    position = np.empty(len(doc), dtype=float)
    position[seq] = np.arange(len(doc)) / max(len(doc) - 1, 1)
    values = tokens[unit].astype(str).to_numpy()
    wanted = [str(t) for t in terms]
    mask = np.isin(values, wanted)
    out = pd.DataFrame({"term": values[mask], "doc_id": doc[mask], "position": position[mask]})
    out["term"] = pd.Categorical(out["term"], categories=wanted)
    return out.sort_values(["term", "position"]).reset_index(drop=True)
