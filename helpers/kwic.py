"""Key word in context: the one machinery behind concordances and every piece of evidence in the kit.

:func:`find_terms` locates a lemma, a phrase in any inflected form, a surface form or a regular
expression; :func:`concordance` shows any located spans in their context (so actors' and
frames' evidence look like KWIC lines); :func:`kwic` does both.

Context is counted in **tokens** (``window``, as in AntConc's and LancsBox's concordancers), or
is the whole sentence or paragraph (``within``); the ``left``, ``match`` and ``right`` strings
are cut from the original text, punctuation and all, with every run of white space in a context
(a line break, a double space) shown as one space.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.constants import check_within
from helpers.compat import legacy
from helpers.corpus import Corpus
from helpers.matching import match_phrases, unit_codes

SORTS = ("position", "date", "left", "right", "left1", "left2", "left3", "right1", "right2", "right3")
HIT_COLUMNS = ["doc_id", "sentence", "first", "last", "start", "end"]
_SPACE_RE = re.compile(r"\s+")


def _doc_rows(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """First and last token row of every document (empty documents: first > last)."""
    codes = corpus.doc_codes
    n = len(corpus.docs)
    first = np.searchsorted(codes, np.arange(n), side="left")
    last = np.searchsorted(codes, np.arange(n), side="right") - 1
    return first, last


def _empty_hits() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str" if c == "doc_id" else np.int64) for c in HIT_COLUMNS})


def find_terms(corpus: Corpus, query: str, *, unit: str = "lemma", regex: bool = False, lang: str | None = None) -> pd.DataFrame:
    """Locate a lemma, a phrase (any inflected form), a surface form or a regular expression.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    query : str
        A lemma (``"санкция"``), a merged expression (``"коалиция желающих"``), a phrase in any
        form (``"коалицией желающих"``), or with ``regex=True`` a regular expression tested
        against every ``unit`` value (``r"^санкц"``).
    unit : {"lemma", "token"}
        Match lemmas (any inflected form) or surface forms (case-insensitive, as written).
    regex : bool
        Treat ``query`` as a regular expression on single tokens.
    lang : str, optional
        The language of the query; default every language of the corpus (a Ukrainian query
        finds Ukrainian text, a Russian one Russian text).

    Returns
    -------
    DataFrame
        ``doc_id``, ``sentence``, ``first``, ``last`` (token rows), ``start``, ``end`` of each hit,
        in text order.
    """
    tokens = corpus.tokens
    if unit not in ("lemma", "token"):
        raise ValueError("unit must be 'lemma' or 'token'.")
    if regex:
        pattern = re.compile(query)
        cats = tokens[unit].cat.categories.astype(str)
        values = cats.str.lower() if unit == "token" else cats
        hit_cats = np.fromiter((bool(pattern.search(v)) for v in values), dtype=bool, count=len(values))
        rows = np.flatnonzero(hit_cats[tokens[unit].cat.codes.to_numpy()])
        found = pd.DataFrame({"first": rows, "last": rows})
    else:
        langs = [lang] if lang else corpus.langs
        if unit == "token":
            words = [w.lower() for w in corpus_phrase_words(query)]
            low = tokens["token"].cat.categories.astype(str).str.lower()
            lower_cat = pd.Categorical.from_codes(pd.factorize(low)[0][tokens["token"].cat.codes.to_numpy()], categories=pd.Index(pd.unique(low), dtype="str"))
            table = tokens.assign(lemma=lower_cat)
            patterns = pd.DataFrame({"pattern": [query] * len(langs), "key": [tuple(words)] * len(langs), "lang": langs})
        else:
            folded = " ".join(query.lower().replace("ё", "е").split()) if corpus.settings.get("fold_yo", True) else " ".join(query.lower().split())
            lemmas = set(tokens["lemma"].cat.categories.tolist())
            rows = []
            for x in langs:
                keys = [(folded,)] if folded in lemmas else corpus.keys(query, x)
                rows.extend({"pattern": query, "key": k, "lang": x} for k in keys)
            table = tokens
            patterns = pd.DataFrame(rows, columns=["pattern", "key", "lang"])
        matches = match_phrases(table, patterns)
        found = matches[["first", "last"]]
    if found.empty:
        return _empty_hits()
    return hit_table(corpus, found["first"].to_numpy(), found["last"].to_numpy())


def hit_table(corpus: Corpus, first: np.ndarray, last: np.ndarray) -> pd.DataFrame:
    """The hits of :func:`find_terms` from their first and last token rows.

    Returns
    -------
    DataFrame
        ``doc_id``, ``sentence``, ``first``, ``last``, ``start``, ``end`` (character offsets in
        the document's text), sorted by ``first``.
    """
    if len(first) == 0:
        return _empty_hits()
    tokens = corpus.tokens
    first, last = np.asarray(first), np.asarray(last)
    out = pd.DataFrame(
        {
            "doc_id": corpus.doc_ids[corpus.doc_codes[first]],
            "sentence": tokens["sentence"].to_numpy()[first].astype(np.int64),
            "first": first.astype(np.int64),
            "last": last.astype(np.int64),
            "start": tokens["start"].to_numpy()[first].astype(np.int64),
            "end": tokens["end"].to_numpy()[last].astype(np.int64),
        }
    )
    return out.sort_values("first", kind="stable").reset_index(drop=True)


def corpus_phrase_words(query: str) -> list[str]:
    """The tokens of a query, cut as the corpus' texts are."""
    from helpers.text import phrase_words

    return phrase_words(query)


def _context_word(corpus: Corpus, rows: np.ndarray, valid: np.ndarray) -> np.ndarray:
    words = corpus.tokens["token"].cat.categories.astype(str).str.lower().to_numpy()
    codes = corpus.tokens["token"].cat.codes.to_numpy()
    out = np.full(rows.size, "", dtype=object)
    ok = valid & (rows >= 0) & (rows < len(codes))
    out[ok] = words[codes[rows[ok]]]
    return out


def concordance(
    corpus: Corpus,
    hits: pd.DataFrame,
    *,
    window: int | None = 8,
    within: str | None = None,
    sort: str = "position",
) -> pd.DataFrame:
    """Show located spans in their context (key word in context).

    Parameters
    ----------
    corpus : Corpus
        The corpus the hits come from.
    hits : DataFrame
        ``first`` and ``last`` (token rows of the hit) and ``doc_id``; other columns are kept.
        Rows with ``start``/``end`` but no token rows (spans found elsewhere) are placed on the
        tokens they cover.
    window : int or None
        Tokens of context on each side (default 8); None for the whole ``within`` unit.
    within : {"sentence", "paragraph", "document"} or None
        The context never crosses this unit (default: the document).
    sort : str
        ``"position"`` (document and offset), ``"date"`` (then position), ``"left"``/``"left1"``
        (the word just left of the hit), ``"left2"``, ``"left3"`` (the second and third words
        left, then the nearer ones), ``"right"``/``"right1"``, ``"right2"``, ``"right3"``.

    Returns
    -------
    DataFrame
        The hit columns plus ``left``, ``match`` and ``right``; ``match`` is exactly the text
        between the hit's ``start`` and ``end``; ``left`` runs from the first context token to
        the hit, ``right`` from the hit to the end of the last context token, each with runs of
        white space shown as one space. Sorted by ``sort``; lines with the same sort words stay
        in text order. The sort words are the lower-cased tokens inside the window (a word
        outside the window sorts as empty).
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}; got {sort!r}.")
    if window is None and within is None:
        raise ValueError("Give a window (tokens of context) or a within unit (sentence, paragraph).")
    tokens = corpus.tokens
    out = hits.reset_index(drop=True).copy()
    if out.empty:
        return out.assign(left=pd.Series(dtype="str"), match=pd.Series(dtype="str"), right=pd.Series(dtype="str"))
    if "first" not in out.columns:
        pos = corpus.positions(out["doc_id"])
        first_row, _ = _doc_rows(corpus)
        starts = tokens["start"].to_numpy()
        codes = corpus.doc_codes
        key = codes.astype(np.int64) * (1 << 32) + starts
        out["first"] = np.searchsorted(key, pos.astype(np.int64) * (1 << 32) + out["start"].to_numpy(), side="left")
        ends = tokens["end"].to_numpy()
        key_end = codes.astype(np.int64) * (1 << 32) + ends
        out["last"] = np.searchsorted(key_end, pos.astype(np.int64) * (1 << 32) + out["end"].to_numpy(), side="left")
    first = out["first"].to_numpy().astype(np.int64)
    last = out["last"].to_numpy().astype(np.int64)
    doc = corpus.doc_codes[first]
    d_first, d_last = _doc_rows(corpus)
    lo_bound, hi_bound = d_first[doc], d_last[doc]
    if within is not None and within != "document":
        check_within(within)
        units = unit_codes(tokens, within)
        u_first = np.searchsorted(units, units[first], side="left")
        u_last = np.searchsorted(units, units[last], side="right") - 1
        lo_bound, hi_bound = np.maximum(lo_bound, u_first), np.minimum(hi_bound, u_last)
    if window is None:
        lo, hi = lo_bound, hi_bound
    else:
        lo, hi = np.maximum(first - int(window), lo_bound), np.minimum(last + int(window), hi_bound)
    t_start, t_end = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    texts = corpus.doc_texts
    lefts, matches, rights = [], [], []
    for d, f, l_, a, b in zip(doc, first, last, lo, hi):
        text = texts[d]
        s, e = t_start[f], t_end[l_]
        lefts.append(_SPACE_RE.sub(" ", text[t_start[a]: s]) if a < f else "")
        matches.append(text[s:e])
        rights.append(_SPACE_RE.sub(" ", text[e: t_end[b]]) if b > l_ else "")
    out["start"] = t_start[first].astype(np.int64)
    out["end"] = t_end[last].astype(np.int64)
    out["left"] = pd.Series(lefts, dtype="str")
    out["match"] = pd.Series(matches, dtype="str")
    out["right"] = pd.Series(rights, dtype="str")
    if sort == "position":
        order = np.lexsort((first,))
    elif sort == "date":
        dates = corpus.docs["date"].to_numpy()[doc]
        order = np.lexsort((first, pd.isna(dates), np.where(pd.isna(dates), np.datetime64("NaT"), dates)))
    else:
        side, depth = ("left" if sort.startswith("left") else "right"), int(sort[-1]) if sort[-1].isdigit() else 1
        keys = []
        for k in range(depth, 0, -1):
            rows = first - k if side == "left" else last + k
            valid = (rows >= lo) & (rows <= hi)
            keys.append(_context_word(corpus, rows, valid))
        # lexsort sorts by its last key first: the named word, then the nearer ones, then position.
        order = np.lexsort([first, *keys[::-1]])
    return out.iloc[order].reset_index(drop=True)


def _chars_to_tokens(kwargs: dict) -> dict:
    """The first version's window was in characters; about seven make a token."""
    window = kwargs.get("window", 60)
    if isinstance(window, int):
        kwargs["window"] = max(1, round(window / 7))
    elif window == "sentence":
        kwargs["window"], kwargs["within"] = None, "sentence"
    return kwargs


@legacy(hook=_chars_to_tokens)
def kwic(
    corpus: Corpus,
    query: str,
    window: int | None = 8,
    *,
    within: str | None = None,
    regex: bool = False,
    unit: str = "lemma",
    sort: str = "position",
    by: str | list[str] | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Key word in context for a lemma, a phrase, a surface form or a regular expression.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    query : str
        See :func:`find_terms`.
    window, within, sort
        See :func:`concordance`.
    regex, unit, lang
        See :func:`find_terms`.
    by : str or list, optional
        Metadata columns to add to each line (``"outlet"``, ``["outlet", "date"]``).

    Returns
    -------
    DataFrame
        ``doc_id``, the ``by`` columns, ``sentence``, ``start``, ``end``, ``left``, ``match``,
        ``right``. ``match`` is the original surface text, e.g. ``Санкции`` for ``санкция``.

    Examples
    --------
    >>> kwic(corpus, "коалиция желающих", window=5, sort="right")  # doctest: +SKIP
    """
    hits = find_terms(corpus, query, unit=unit, regex=regex, lang=lang)
    lines = concordance(corpus, hits, window=window, within=within, sort=sort)
    cols = corpus.check_columns(by)
    if cols:
        lines = corpus.meta(lines, cols)
    return lines[["doc_id", *cols, "sentence", "start", "end", "left", "match", "right"]]


def sentence_bounds(corpus: Corpus) -> pd.DataFrame:
    """Character span of every sentence (first token start, last token end) per document."""
    tokens = corpus.tokens
    grouped = tokens.groupby(["doc_id", "sentence"], observed=True)
    bounds = grouped.agg(sentence_start=("start", "min"), sentence_end=("end", "max")).reset_index()
    bounds["doc_id"] = bounds["doc_id"].astype(str)
    return bounds
