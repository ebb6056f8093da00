"""Interactive explorers: KWIC, actors and frames as JupyterLab widgets; two groups' words as a page.

Every count in the kit can be read in context; these explorers make that quick:

- :func:`kwic_explorer`: type a lemma, a phrase or a regular expression, filter by group, sort
  by the left or right context or by date, page through the lines; the count per group follows
  the query (:mod:`helpers.kwic` computes every line).
- :func:`actor_explorer`: search and pick an actor; its mentions per group and over time, its
  ego network, and the sentences behind any edge (:mod:`helpers.actors`).
- :func:`frame_explorer`: pick a frame and a group; read its cue hits in context, mark each one
  right or wrong (appended to a CSV), and see the **precision from reading**
  (:func:`read_precision`).
- :func:`term_comparison_html`: a standalone, offline HTML page comparing the words of two
  groups in the spirit of scattertext (Kessler 2017): every term placed by its frequency in each
  group and coloured by its Fightin' Words z (:func:`helpers.stats.log_odds_dirichlet`), with
  a search box and a few KWIC lines per term.

The explorers are lazy: building one computes nothing; the first query (actor, frame) builds
the index it needs (a lemma index, the mentions and co-occurrences, the frame hits), and later
queries reuse it (``benchmarks/bench_explore.py`` prints the figures).

Widgets in notebooks that are executed, not read
------------------------------------------------
A live widget's output is a model id that changes on every run, and its state would land in the
notebook's metadata; strict nbval (and a clean ``git diff`` after ``make notebooks``) needs the
same output on every run. So an explorer decides once, when it is built, whether a person is
there to use it (:func:`interactive`): in a JupyterLab kernel it is a live widget; under
``make run``, ``make notebooks``, nbval, CI or plain Python (``NEWSFRAMES_BATCH=1``, ``CI``, or
no notebook front end) it is built *detached*: no comm is opened, so nothing reaches the
notebook's metadata, and displaying it shows a deterministic static summary
(:func:`summary`) instead of the widget. Its Python side works the same either way (setting
``explorer.query.value`` updates its lines and counts), which is how the unit tests drive it.
Set ``NEWSFRAMES_WIDGETS=1`` or ``0`` to force live or detached widgets.
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from helpers import actors as actors_mod
from helpers import framing, frequency, stats
from helpers.constants import PER, SEED, WORD_KINDS, check_period
from helpers.corpus import Corpus
from helpers.kwic import concordance, find_terms, hit_table
from helpers.matching import match_phrases, unit_codes
from helpers.progress import watched

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The group filter's value that keeps every group.
ALL_GROUPS = "(all groups)"
#: The one group of a corpus explored without ``by``.
ALL_DOCUMENTS = "all documents"
#: Columns of the read-precision CSV that :class:`FrameExplorer` appends to.
READING_COLUMNS = ["frame", "cue", "doc_id", "start", "end", "group", "verdict", "left", "match", "right"]
VERDICTS = ("right", "wrong")
KWIC_SORTS = (("text order", "position"), ("date", "date"), ("left context", "left"), ("right context", "right"))
KWIC_UNITS = (("lemma or phrase", "lemma"), ("word form", "token"), ("regular expression", "regex"))

_CSS = """<style>
.nf-explorer{font-family:system-ui,'DejaVu Sans',sans-serif;font-size:13px;line-height:1.35}
.nf-explorer table.nf-table{border-collapse:collapse;margin:.3rem 0}
.nf-explorer table.nf-table th,.nf-explorer table.nf-table td{border:1px solid #ddd;padding:.15rem .45rem;text-align:left}
.nf-explorer table.nf-table td.nf-num{text-align:right;font-variant-numeric:tabular-nums}
.nf-line{border-bottom:1px solid #eee;padding:.25rem 0}
.nf-line.nf-current,.nf-explorer li.nf-current{background:#fff8d6}
.nf-explorer li.nf-current{font-weight:bold}
.nf-meta{color:#666;font-size:11px}
.nf-line mark,.nf-card mark{background:#ffe066;padding:0 .1rem}
.nf-line mark.nf-partner{background:#b8e0ff}
.nf-kwic{display:grid;grid-template-columns:1fr auto 1fr;gap:.4rem;align-items:baseline}
.nf-kwic .nf-left{text-align:right;overflow:hidden;white-space:nowrap;direction:rtl}
.nf-kwic .nf-left span{direction:ltr;unicode-bidi:embed}
.nf-kwic .nf-right{overflow:hidden;white-space:nowrap}
.nf-status{color:#8a4b00}
.nf-bar{display:inline-block;height:.6rem;background:#4c78a8;vertical-align:middle;margin-left:.3rem}
.nf-verdict-right{color:#1b7a1b;font-weight:bold}.nf-verdict-wrong{color:#b00020;font-weight:bold}
</style>"""


# --------------------------------------------------------------------------------------------
# Live or detached
# --------------------------------------------------------------------------------------------


def interactive() -> bool:
    """Whether explorers built now are live widgets (a person at a notebook front end).

    Returns
    -------
    bool
        ``NEWSFRAMES_WIDGETS=1``/``0`` decides when set; otherwise False under
        ``NEWSFRAMES_BATCH=1`` (``make run``, ``make notebooks``, nbval) or ``CI``, True in a
        Jupyter kernel (``ZMQInteractiveShell``), False elsewhere (plain Python, pytest).
    """
    return watched("NEWSFRAMES_WIDGETS", terminal=False)


@contextlib.contextmanager
def _detached(on: bool) -> Iterator[None]:
    """Build widgets without opening comms to a front end (nothing is sent to the notebook)."""
    if not on:
        yield
        return
    import comm

    original = comm.create_comm
    comm.create_comm = lambda *args, **kwargs: comm.DummyComm(*args, **kwargs)
    try:
        yield
    finally:
        comm.create_comm = original


def summary(explorer: _Explorer) -> pd.DataFrame:
    """The deterministic static summary of an explorer (what executed notebooks show).

    Parameters
    ----------
    explorer : KwicExplorer, ActorExplorer or FrameExplorer
        An explorer of this module.

    Returns
    -------
    DataFrame
        KWIC: hits and documents per group for the current query; actors: the current actor's
        mentions per group; frames: the current frame's hits and documents per group.
    """
    if not isinstance(explorer, _Explorer):
        raise TypeError("summary() takes an explorer of helpers.explore (kwic_explorer, actor_explorer, frame_explorer).")
    return explorer.summary()


# --------------------------------------------------------------------------------------------
# HTML pieces
# --------------------------------------------------------------------------------------------


def _esc(value: Any) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value))


def _table_html(frame: pd.DataFrame, cls: str, *, row_key: str | None = None, numeric: Sequence[str] = ()) -> str:
    """A small HTML table; rows carry ``data-group`` (the ``row_key`` value) for tests and styling."""
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    rows = []
    columns = list(frame.columns)
    for rec in zip(*(frame[c].tolist() for c in columns)) if len(frame) else []:
        cells = []
        for col, value in zip(columns, rec):
            text = _esc(_number(value))
            cells.append(f"<td class='nf-num' data-col='{_esc(col)}'>{text}</td>" if col in numeric else f"<td data-col='{_esc(col)}'>{text}</td>")
        attr = f" data-group='{_esc(rec[columns.index(row_key)])}'" if row_key in columns else ""
        rows.append(f"<tr{attr}>{''.join(cells)}</tr>")
    return f"<table class='nf-table {cls}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _number(value: Any) -> Any:
    """Floats as short decimals (integers without a point), anything else as it is."""
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return int(value) if float(value).is_integer() else round(float(value), 3)
    return value


def _date_text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _meta_html(title: Any, group: Any, date: Any, doc_id: Any) -> str:
    parts = [p for p in (_esc(title) or _esc(doc_id), _esc(group), _date_text(date)) if p]
    return f"<div class='nf-meta' data-doc='{_esc(doc_id)}'>{' · '.join(parts)}</div>"


def _mark_partner(text: str, surfaces: str) -> str:
    """Escape ``text`` and mark every occurrence of the partner's surfaces (``"a; b"``) in it."""
    words = sorted({s for s in str(surfaces or "").split("; ") if s}, key=lambda s: (-len(s), s))
    if not words:
        return _esc(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(_esc(text[pos: m.start()]))
        out.append(f"<mark class='nf-partner'>{_esc(m.group(0))}</mark>")
        pos = m.end()
    out.append(_esc(text[pos:]))
    return "".join(out)


class _Explorer(widgets.VBox):
    """An explorer widget; detached ones display their static summary instead of the widget."""

    def __init__(self, children: Sequence[widgets.Widget], detached: bool) -> None:
        super().__init__(children=list(children))
        self._detached = detached
        self.add_class("nf-explorer")

    # -- summary -------------------------------------------------------------------------------
    def summary(self) -> pd.DataFrame:  # pragma: no cover - every explorer defines it
        """The static summary table."""
        raise NotImplementedError

    def summary_title(self) -> str:  # pragma: no cover - every explorer defines it
        """One line that says what the summary shows."""
        raise NotImplementedError

    def _before_display(self) -> None:
        """Work to do when the explorer is first shown (filling lists)."""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        self._before_display()
        if not self._detached:
            return super()._repr_mimebundle_(**kwargs)
        table = self.summary()
        note = "(an interactive explorer in JupyterLab; this static summary is what executed notebooks show)"
        plain = f"{self.summary_title()}\n{note}\n{table.to_string(index=False) if len(table) else '(nothing found)'}"
        rich = f"<p><b>{_esc(self.summary_title())}</b><br><small>{_esc(note)}</small></p>" + (
            table.to_html(index=False, border=0, classes="nf-summary") if len(table) else "<p>(nothing found)</p>"
        )
        return {"text/plain": plain, "text/html": rich}


def _reading_view(corpus: Corpus) -> Corpus:
    """The same corpus with its documents' text columns held as Python strings.

    :func:`helpers.kwic.concordance` (behind every KWIC line, actor passage and frame hit) turns
    the documents' texts into a NumPy array on each call; from Arrow strings that costs about
    0.2 s per call on 10,000 articles, from Python strings nothing. The view shares the token
    table and the phrase cache; every line it gives is the same.
    """
    docs = corpus.docs
    text_columns = [c for c in docs.columns if c in ("doc_id", "text", "title") and docs[c].dtype != object]
    if not text_columns:
        return corpus
    view = Corpus(docs.assign(**{c: docs[c].astype(object) for c in text_columns}), corpus.tokens, corpus.lexicon, corpus.settings, corpus.left_out, corpus.boilerplate)
    view._keys = corpus._keys
    return view


def _group_labels(corpus: Corpus, by: str | None) -> np.ndarray:
    """The group of every document (one label for the whole corpus without ``by``)."""
    if by is None:
        return np.full(len(corpus.docs), ALL_DOCUMENTS, dtype=object)
    return corpus.groups(by).to_numpy().astype(object)


def _group_names(corpus: Corpus, by: str | None) -> list[str]:
    return corpus.group_names(by) if by is not None else [ALL_DOCUMENTS]


# --------------------------------------------------------------------------------------------
# KWIC
# --------------------------------------------------------------------------------------------


class KwicIndex:
    """Token rows by lemma (and by lower-cased form), built once, to find a query's hits fast.

    :meth:`find` returns exactly what :func:`helpers.kwic.find_terms` returns: single-lemma
    queries and regular expressions are read off the index; phrases are matched with the kit's
    matcher (:func:`helpers.matching.match_phrases`) on the sentences that hold their first word
    only (a match never crosses a sentence, so the answer is the same).
    """

    def __init__(self, corpus: Corpus) -> None:
        started = time.perf_counter()
        self.corpus = corpus
        tokens = corpus.tokens
        self.n = len(tokens)
        self._postings = {"lemma": self._build(tokens["lemma"].cat.codes.to_numpy(), len(tokens["lemma"].cat.categories))}
        self.lemma_cats = tokens["lemma"].cat.categories.astype(str)
        self.code_of = {lemma: i for i, lemma in enumerate(self.lemma_cats)}
        self.lang_codes = tokens["lang"].cat.codes.to_numpy()
        self.lang_of = {lang: i for i, lang in enumerate(tokens["lang"].cat.categories.astype(str))}
        units = unit_codes(tokens, "sentence")
        change = np.flatnonzero(units[1:] != units[:-1]) + 1 if len(units) else np.zeros(0, np.int64)
        self.sent_first = np.concatenate([[0], change]).astype(np.int64) if len(units) else np.zeros(0, np.int64)
        self.sent_end = np.concatenate([change, [len(units)]]).astype(np.int64) if len(units) else np.zeros(0, np.int64)
        self.token_sentence = np.repeat(np.arange(len(self.sent_first)), self.sent_end - self.sent_first)
        self._token_cats: pd.Index | None = None
        self.seconds = time.perf_counter() - started

    @staticmethod
    def _build(codes: np.ndarray, n_cats: int) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(n_cats + 1), side="left")
        return order, bounds

    def rows(self, codes: Sequence[int] | np.ndarray, unit: str = "lemma") -> np.ndarray:
        """Token rows (ascending) whose ``unit`` has one of the category ``codes``."""
        order, bounds = self._postings[unit] if unit == "lemma" else self._token_postings()
        codes = np.asarray(codes, dtype=np.int64)
        if codes.size == 0:
            return np.zeros(0, dtype=np.int64)
        parts = [order[bounds[c]: bounds[c + 1]] for c in codes]
        return np.sort(np.concatenate(parts)).astype(np.int64)

    def _token_postings(self) -> tuple[np.ndarray, np.ndarray]:
        if "token" not in self._postings:
            tok = self.corpus.tokens["token"]
            self._token_cats = tok.cat.categories.astype(str)
            self._postings["token"] = self._build(tok.cat.codes.to_numpy(), len(self._token_cats))
        return self._postings["token"]

    def _frame(self, first: np.ndarray, last: np.ndarray) -> pd.DataFrame:
        return hit_table(self.corpus, first, last)

    def find(self, query: str, *, unit: str = "lemma", regex: bool = False, lang: str | None = None) -> pd.DataFrame:
        """The hits of ``query``, as :func:`helpers.kwic.find_terms` gives them.

        Parameters
        ----------
        query : str
            A lemma, a phrase in any form, or (``regex=True``) a regular expression.
        unit : {"lemma", "token"}
            Lemmas or surface forms; see :func:`helpers.kwic.find_terms`.
        regex : bool
            Treat ``query`` as a regular expression tested on every ``unit`` value.
        lang : str, optional
            The query's language (default: every language of the corpus).

        Returns
        -------
        DataFrame
            ``doc_id``, ``sentence``, ``first``, ``last``, ``start``, ``end``, in text order.
        """
        corpus = self.corpus
        if unit not in ("lemma", "token"):
            raise ValueError("unit must be 'lemma' or 'token'.")
        if regex:
            pattern = re.compile(query)
            if unit == "lemma":
                values = self.lemma_cats
            else:
                self._token_postings()
                values = self._token_cats.str.lower()
            codes = [i for i, v in enumerate(values) if pattern.search(v)]
            rows = self.rows(codes, unit)
            return self._frame(rows, rows)
        if unit == "token":  # surface forms: rare in the explorer, the kit's own path
            return find_terms(corpus, query, unit="token", lang=lang)
        folded = " ".join(query.lower().replace("ё", "е").split()) if corpus.settings.get("fold_yo", True) else " ".join(query.lower().split())
        langs = [lang] if lang else corpus.langs
        patterns = []
        for x in langs:
            keys = [(folded,)] if folded in self.code_of else corpus.keys(query, x)
            patterns.extend({"pattern": query, "key": k, "lang": x} for k in keys)
        usable = [p for p in patterns if p["key"] and all(w in self.code_of for w in p["key"]) and p["lang"] in self.lang_of]
        if not usable:
            return self._frame(np.zeros(0, np.int64), np.zeros(0, np.int64))
        if all(len(p["key"]) == 1 for p in usable):
            parts = []
            for x in sorted({p["lang"] for p in usable}):
                codes = sorted({self.code_of[p["key"][0]] for p in usable if p["lang"] == x})
                rows = self.rows(codes)
                parts.append(rows[self.lang_codes[rows] == self.lang_of[x]])
            rows = np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
            return self._frame(rows, rows)
        # Phrases: match on the sentences that hold a first word of some spelling.
        firsts = sorted({self.code_of[p["key"][0]] for p in usable})
        sentences = np.unique(self.token_sentence[self.rows(firsts)])
        if sentences.size == 0:
            return self._frame(np.zeros(0, np.int64), np.zeros(0, np.int64))
        lengths = self.sent_end[sentences] - self.sent_first[sentences]
        sel = np.repeat(self.sent_first[sentences] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(lengths.sum())
        sub = corpus.tokens.iloc[sel]
        found = match_phrases(sub, pd.DataFrame(patterns, columns=["pattern", "key", "lang"]))
        return self._frame(sel[found["first"].to_numpy()], sel[found["last"].to_numpy()])


class KwicExplorer(_Explorer):
    """The KWIC explorer widget (build it with :func:`kwic_explorer`).

    Attributes
    ----------
    query, unit, group, sort : ipywidgets
        The query box (its value updates on Enter), the query kind, the group filter and the
        sort order; setting ``.value`` from Python updates the explorer as typing does.
    hits : DataFrame
        Every hit of the query (:func:`helpers.kwic.find_terms` columns plus the group).
    counts : DataFrame
        ``[by,] hits, docs`` for every group (zeros included), for the current query.
    lines : DataFrame
        The lines of the current page: ``doc_id``, ``title``, the group, ``date``, ``sentence``,
        ``start``, ``end``, ``left``, ``match``, ``right``.
    total : int
        Hits shown by the group filter (all pages).
    """

    def __init__(
        self,
        corpus: Corpus,
        *,
        by: str | None = None,
        query: str = "",
        unit: str = "lemma",
        sort: str = "position",
        window: int | None = 8,
        within: str | None = None,
        top: int = 20,
        detached: bool | None = None,
    ) -> None:
        detached = (not interactive()) if detached is None else detached
        self.corpus = _reading_view(corpus)
        self.by = corpus.check_columns(by)[0] if by is not None else None
        self.window, self.within, self.top = window, within, int(top)
        if self.top < 1:
            raise ValueError("top (lines per page) must be at least 1.")
        self._index: KwicIndex | None = None
        self._doc_groups = _group_labels(corpus, self.by)
        self._groups = _group_names(corpus, self.by)
        self._doc_group_codes = pd.Index(self._groups).get_indexer(self._doc_groups).astype(np.int64)
        self._hit_groups = self._hit_docs = np.zeros(0, np.int64)
        self._cache: dict[tuple, pd.DataFrame] = {}
        self.page = 0
        self.hits = self._empty_hits()
        self.counts = self._count(self.hits)
        self.lines = pd.DataFrame()
        self.total = 0
        self.message = ""
        units = [v for _, v in KWIC_UNITS]
        if unit not in units:
            raise ValueError(f"unit must be one of {', '.join(units)}; got {unit!r}.")
        sorts = [v for _, v in KWIC_SORTS]
        if sort not in sorts:
            raise ValueError(f"sort must be one of {', '.join(sorts)}; got {sort!r}.")
        with _detached(detached):
            self.query = widgets.Text(value=query, description="Query", placeholder="lemma, phrase or regex", continuous_update=False, layout=widgets.Layout(width="24rem"))
            self.unit = widgets.Dropdown(options=list(KWIC_UNITS), value=unit, description="as", layout=widgets.Layout(width="16rem"))
            self.group = widgets.Dropdown(options=[ALL_GROUPS, *self._groups], value=ALL_GROUPS, description=self.by or "group", layout=widgets.Layout(width="22rem"))
            self.sort = widgets.Dropdown(options=list(KWIC_SORTS), value=sort, description="sort by", layout=widgets.Layout(width="14rem"))
            self.previous = widgets.Button(description="◀ previous", layout=widgets.Layout(width="8rem"))
            self.next = widgets.Button(description="next ▶", layout=widgets.Layout(width="8rem"))
            self.page_label = widgets.HTML()
            self.counts_html = widgets.HTML()
            self.lines_html = widgets.HTML()
            self.status = widgets.HTML()
            for w, cls in ((self.query, "nf-kwic-query"), (self.unit, "nf-kwic-unit"), (self.group, "nf-kwic-group"), (self.sort, "nf-kwic-sort"),
                           (self.previous, "nf-kwic-previous"), (self.next, "nf-kwic-next"), (self.page_label, "nf-kwic-page"),
                           (self.counts_html, "nf-kwic-counts"), (self.lines_html, "nf-kwic-lines"), (self.status, "nf-kwic-status")):
                w.add_class(cls)
            controls = widgets.HBox([self.query, self.unit])
            filters = widgets.HBox([self.group, self.sort])
            pager = widgets.HBox([self.previous, self.next, self.page_label])
            super().__init__([widgets.HTML(_CSS), controls, filters, self.status, self.counts_html, pager, self.lines_html], detached)
        self.query.observe(self._on_query, names="value")
        self.unit.observe(self._on_query, names="value")
        self.group.observe(self._on_view, names="value")
        self.sort.observe(self._on_view, names="value")
        self.previous.on_click(lambda _: self.go(self.page - 1))
        self.next.on_click(lambda _: self.go(self.page + 1))
        if query:
            self._on_query()
        else:
            self._render()

    # -- the index and the hits ---------------------------------------------------------------
    @property
    def index(self) -> KwicIndex:
        """The lemma index, built on the first query."""
        if self._index is None:
            self._index = KwicIndex(self.corpus)
        return self._index

    def _empty_hits(self) -> pd.DataFrame:
        cols = {c: pd.Series(dtype="str" if c == "doc_id" else np.int64) for c in ("doc_id", "sentence", "first", "last", "start", "end")}
        return pd.DataFrame({**cols, "group": pd.Series(dtype="str")})

    def _count(self, hits: pd.DataFrame) -> pd.DataFrame:
        """Hits and documents per group (every group, zeros included), from the hits' group codes."""
        n = len(self._groups)
        docs = np.unique(self._hit_docs)
        return pd.DataFrame({
            self.by or "group": pd.Series(self._groups, dtype="str"),
            "hits": np.bincount(self._hit_groups, minlength=n).astype(np.int64),
            "docs": np.bincount(self._doc_group_codes[docs], minlength=n).astype(np.int64),
        })

    def _on_query(self, change: Any = None) -> None:
        query = self.query.value.strip()
        self.page = 0
        self.message = ""
        self._cache.clear()
        if not query:
            self.hits = self._empty_hits()
            self._hit_groups = self._hit_docs = np.zeros(0, np.int64)
        else:
            mode = self.unit.value
            try:
                found = self.index.find(query, unit="lemma" if mode == "regex" else mode, regex=mode == "regex")
            except re.error as error:
                found = self._empty_hits().drop(columns="group")
                self.message = f"Not a valid regular expression: {error}."
            doc = self.corpus.doc_codes[found["first"].to_numpy()] if len(found) else np.zeros(0, np.int64)
            self._hit_groups = self._doc_group_codes[doc]
            self._hit_docs = doc
            self.hits = found.assign(group=pd.Series(self._doc_groups[doc], index=found.index, dtype="str"))
            if not len(found) and not self.message:
                self.message = f"No hits for «{query}»."
        self.counts = self._count(self.hits)
        self._render()

    def _on_view(self, change: Any = None) -> None:
        self.page = 0
        self._render()

    def go(self, page: int) -> None:
        """Show page ``page`` (0-based; clipped to the pages there are)."""
        pages = max(1, -(-self.total // self.top))
        self.page = int(min(max(page, 0), pages - 1))
        self._render()

    def _filtered(self) -> pd.DataFrame:
        group = self.group.value
        return self.hits if group == ALL_GROUPS else self.hits[self.hits["group"] == group]

    def _page_lines(self, hits: pd.DataFrame) -> pd.DataFrame:
        """The lines of the current page, in the chosen order (concordance for what is shown)."""
        sort = self.sort.value
        lo, hi = self.page * self.top, (self.page + 1) * self.top
        if sort in ("left", "right"):  # the order needs every line's context words
            key = (self.group.value, sort)
            if key not in self._cache:
                self._cache[key] = concordance(self.corpus, hits, window=self.window, within=self.within, sort=sort)
            return self._cache[key].iloc[lo:hi].reset_index(drop=True)
        first = hits["first"].to_numpy()
        if sort == "date":
            dates = self.corpus.docs["date"].to_numpy()[self.corpus.doc_codes[first]] if len(hits) else np.zeros(0, "datetime64[ns]")
            order = np.lexsort((first, pd.isna(dates), np.where(pd.isna(dates), np.datetime64("NaT"), dates)))
        else:
            order = np.argsort(first, kind="stable")
        page = hits.iloc[order[lo:hi]].reset_index(drop=True)
        page["_rank"] = np.arange(len(page))
        lines = concordance(self.corpus, page, window=self.window, within=self.within, sort="position")
        return lines.sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)

    def _render(self) -> None:
        hits = self._filtered()
        self.total = len(hits)
        label = self.by or "group"
        if self.total:
            lines = self._page_lines(hits)
            pos = self.corpus.positions(lines["doc_id"])
            docs = self.corpus.docs
            lines = lines.assign(
                title=docs["title"].to_numpy()[pos] if "title" in docs.columns else lines["doc_id"],
                date=docs["date"].to_numpy()[pos] if "date" in docs.columns else pd.NaT,
            ).rename(columns={"group": label})
            self.lines = lines[["doc_id", "title", label, "date", "sentence", "start", "end", "left", "match", "right"]]
        else:
            self.lines = pd.DataFrame(columns=["doc_id", "title", label, "date", "sentence", "start", "end", "left", "match", "right"])
        first = self.page * self.top + 1 if self.total else 0
        last = min((self.page + 1) * self.top, self.total)
        self.page_label.value = f"<span class='nf-page'>lines {first}–{last} of {self.total}</span>"
        self.previous.disabled = self.page == 0
        self.next.disabled = last >= self.total
        self.status.value = f"<span class='nf-status'>{_esc(self.message)}</span>" if self.message else ""
        query = self.query.value.strip()
        caption = f"<div class='nf-meta'>hits of «{_esc(query)}» per {_esc(label)}</div>" if query else ""
        self.counts_html.value = caption + _table_html(self.counts, "nf-counts", row_key=label, numeric=("hits", "docs"))
        rows = []
        for rec in self.lines.to_dict("records"):
            rows.append(
                "<div class='nf-line'>"
                + _meta_html(rec["title"], rec[label] if self.by else "", rec["date"], rec["doc_id"])
                + f"<div class='nf-kwic'><div class='nf-left'><span>{_esc(rec['left'])}</span></div>"
                f"<mark class='nf-match'>{_esc(rec['match'])}</mark><div class='nf-right'>{_esc(rec['right'])}</div></div></div>"
            )
        self.lines_html.value = "".join(rows)

    # -- the static summary ---------------------------------------------------------------------
    def summary_title(self) -> str:
        """What :meth:`summary` shows."""
        query = self.query.value.strip()
        return f"KWIC explorer: «{query}», {int(self.counts['hits'].sum())} hits" if query else "KWIC explorer: type a lemma, a phrase or a regular expression"

    def summary(self) -> pd.DataFrame:
        """Hits and documents per group for the current query."""
        return self.counts.copy()


def kwic_explorer(
    corpus: Corpus,
    *,
    by: str | None = None,
    query: str = "",
    unit: str = "lemma",
    sort: str = "position",
    window: int | None = 8,
    within: str | None = None,
    top: int = 20,
) -> KwicExplorer:
    """A KWIC explorer: query box, group filter, sort order, paging, counts per group.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    by : str, optional
        The grouping column (``"outlet"``): the group filter and the counts per group.
    query : str
        A first query (a lemma ``"санкция"``, a phrase in any form ``"коалиции желающих"``, or
        with ``unit="regex"`` a regular expression on lemmas ``"^санкц"``).
    unit : {"lemma", "token", "regex"}
        How the query is read: lemma or phrase (any inflected form), word form as written, or
        regular expression on lemmas.
    sort : {"position", "date", "left", "right"}
        Initial order of the lines (see :func:`helpers.kwic.concordance`).
    window, within
        Context of each line, as for :func:`helpers.kwic.concordance`.
    top : int
        Lines per page.

    Returns
    -------
    KwicExplorer
        An ``ipywidgets.VBox``; every line and count is what :func:`helpers.kwic.kwic` gives.

    Examples
    --------
    >>> kwic_explorer(corpus, by="outlet", query="санкция")  # doctest: +SKIP
    """
    return KwicExplorer(corpus, by=by, query=query, unit=unit, sort=sort, window=window, within=within, top=top)


# --------------------------------------------------------------------------------------------
# Actors
# --------------------------------------------------------------------------------------------


def _ego_svg(actor: str, label: str, partners: pd.DataFrame, measure: str) -> str:
    """The ego network as inline SVG: the actor in the centre, partners on a circle by label."""
    width, size, cx, cy, radius = 520, 340, 260, 170, 120
    if partners.empty:
        return f"<svg class='nf-ego' width='{width}' height='80' role='img' aria-label='no partners'><text x='10' y='40'>{_esc(label)}: no co-occurring actor</text></svg>"
    shown = partners.sort_values(["label", "partner"], kind="stable").reset_index(drop=True)
    top_n = max(int(shown["n_ab"].max()), 1)
    parts = [f"<svg class='nf-ego' width='{width}' height='{size}' viewBox='0 0 {width} {size}' style='overflow:visible' role='img' aria-label='ego network of {_esc(label)}'>"]
    nodes = []
    for i, rec in enumerate(shown.itertuples(index=False)):
        angle = 2 * np.pi * i / len(shown) - np.pi / 2
        x, y = cx + radius * np.cos(angle), cy + radius * np.sin(angle)
        width = 1 + 5 * rec.n_ab / top_n
        value = getattr(rec, measure, np.nan)
        parts.append(f"<line x1='{cx}' y1='{cy}' x2='{x:.1f}' y2='{y:.1f}' stroke='#888' stroke-width='{width:.1f}'><title>{_esc(rec.label)}: {rec.n_ab} shared, {measure} {value:.2f}</title></line>")
        anchor = "start" if np.cos(angle) > 0.2 else "end" if np.cos(angle) < -0.2 else "middle"
        dy = 14 if np.sin(angle) > 0.5 else -8 if np.sin(angle) < -0.5 else 4
        nodes.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='6' fill='#4c78a8' data-actor='{_esc(rec.partner)}'></circle>"
                     f"<text x='{x + (9 if anchor == 'start' else -9 if anchor == 'end' else 0):.1f}' y='{y + dy:.1f}' font-size='11' text-anchor='{anchor}'>{_esc(rec.label)}</text>")
    parts.extend(nodes)
    parts.append(f"<circle cx='{cx}' cy='{cy}' r='10' fill='#e45756'></circle><text x='{cx}' y='{cy - 14}' font-size='12' font-weight='bold' text-anchor='middle'>{_esc(label)}</text></svg>")
    return "".join(parts)


class ActorExplorer(_Explorer):
    """The actor explorer widget (build it with :func:`actor_explorer`).

    Attributes
    ----------
    search, picker, partner : ipywidgets
        The search box (filters the picker), the actor list and the partner (edge) list.
    actor : str or None
        The actor picked.
    by_group, over_time, partners, evidence : DataFrame
        The actor's mentions per group (:func:`helpers.actors.mention_counts`), mentions per
        period and group, its ego-network partners (``partner``, ``label``, ``n_ab`` and the
        measure) and the passages behind the chosen edge
        (:func:`helpers.actors.cooccurrence_evidence`).
    """

    def __init__(
        self,
        corpus: Corpus,
        mentions: pd.DataFrame | None = None,
        *,
        actors: pd.DataFrame | str | Path | None = None,
        by: str | None = None,
        period: str | None = "M",
        within: str = "sentence",
        window: int | None = None,
        measure: str = "npmi",
        min_count: int = 1,
        top: int = 12,
        evidence_top: int = 50,
        actor: str | None = None,
        detached: bool | None = None,
    ) -> None:
        detached = (not interactive()) if detached is None else detached
        self.corpus = _reading_view(corpus)
        self.by = corpus.check_columns(by)[0] if by is not None else None
        check_period(period)
        if int(evidence_top) < 1:
            raise ValueError("evidence_top (passages shown per edge) must be at least 1.")
        self.evidence_top = int(evidence_top)
        self.evidence_total = 0
        self.period, self.within, self.window = period, within, window
        self.measure, self.min_count, self.top = measure, int(min_count), int(top)
        self._mentions = mentions
        self._dictionary = actors
        self._overall: pd.DataFrame | None = None
        self._by_group: pd.DataFrame | None = None
        self._edges: pd.DataFrame | None = None
        self._graph = None
        self.index_seconds: float | None = None
        self.actor: str | None = None
        self.by_group = pd.DataFrame()
        self.over_time = pd.DataFrame()
        self.partners = pd.DataFrame(columns=["partner", "label", "n_ab", measure])
        self.evidence = pd.DataFrame()
        with _detached(detached):
            self.search = widgets.Text(description="Search", placeholder="name or id", continuous_update=True, layout=widgets.Layout(width="20rem"))
            self.picker = widgets.Select(options=[], rows=8, description="Actor", layout=widgets.Layout(width="20rem"))
            self.partner = widgets.Dropdown(options=[], description="Edge to", layout=widgets.Layout(width="24rem"))
            self.groups_html = widgets.HTML()
            self.time_html = widgets.HTML()
            self.ego_html = widgets.HTML()
            self.evidence_html = widgets.HTML()
            for w, cls in ((self.search, "nf-actor-search"), (self.picker, "nf-actor-picker"), (self.partner, "nf-actor-partner"),
                           (self.groups_html, "nf-actor-groups"), (self.time_html, "nf-actor-time"), (self.ego_html, "nf-actor-ego"),
                           (self.evidence_html, "nf-actor-evidence")):
                w.add_class(cls)
            left = widgets.VBox([self.search, self.picker, self.groups_html])
            body = widgets.HBox([left, self.ego_html])
            super().__init__([widgets.HTML(_CSS), body, self.time_html, self.partner, self.evidence_html], detached)
        self._quiet = False
        self._started = False
        self.search.observe(lambda _: self._fill_picker(), names="value")
        self.picker.observe(self._on_pick, names="value")
        self.partner.observe(self._on_partner, names="value")
        if actor is not None:
            self.pick(actor)

    # -- lazy tables ------------------------------------------------------------------------------
    def _ensure(self) -> None:
        """Mentions, counts, co-occurrences and the network: built on the first pick."""
        if self._edges is not None:
            return
        started = time.perf_counter()
        if self._mentions is None:
            self._mentions = actors_mod.find_actors(self.corpus, self._dictionary)
        self._counted = actors_mod.counted(self._mentions)
        self._overall = actors_mod.mention_counts(self.corpus, self._mentions)
        self._by_group = actors_mod.mention_counts(self.corpus, self._mentions, by=self.by) if self.by else self._overall.assign(group=ALL_DOCUMENTS)
        self._edges = actors_mod.cooccurrence(self.corpus, self._mentions, within=self.within, window=self.window)
        self._graph = actors_mod.actor_network(self._edges, self._mentions, measure=self.measure, min_value=None, min_count=self.min_count) if len(self._edges) else None
        self._labels = dict(zip(self._overall["actor"], self._overall["label"]))
        self.index_seconds = time.perf_counter() - started

    def start(self) -> None:
        """Fill the actor list and show the most mentioned actor (done when first displayed)."""
        if not self._started:
            self._fill_picker()

    def _before_display(self) -> None:
        self.start()

    def _set(self, widget: widgets.Widget, **traits: Any) -> None:
        """Set traits without running this explorer's observers."""
        self._quiet = True
        try:
            for name, value in traits.items():
                setattr(widget, name, value)
        finally:
            self._quiet = False

    def _fill_picker(self) -> None:
        """List the actors whose label or id contains the search text; keep or pick the first."""
        self._ensure()
        self._started = True
        needle = self.search.value.strip().lower()
        table = self._overall
        if needle:
            keep = table["label"].str.lower().str.contains(needle, regex=False) | table["actor"].str.lower().str.contains(needle, regex=False)
            table = table[keep]
        options = [(f"{r.label} ({r.mentions})", r.actor) for r in table.itertuples(index=False)]
        values = [v for _, v in options]
        current = self.actor
        self._set(self.picker, options=options)
        target = current if current in values else (values[0] if values else None)
        self._set(self.picker, value=target)
        if target is not None and target != self.actor:
            self.pick(target)

    @property
    def mentions(self) -> pd.DataFrame:
        """The mentions explored (found on first use when none were given)."""
        self._ensure()
        return self._mentions

    def _on_pick(self, change: Any) -> None:
        if not self._quiet and change["new"] and change["new"] != self.actor:
            self.pick(change["new"])

    def pick(self, actor: str) -> None:
        """Show ``actor`` (an id of the dictionary, or its label)."""
        self.start()
        ids = set(self._overall["actor"])
        if actor not in ids:
            by_label = {str(label).lower(): a for a, label in self._labels.items()}
            if str(actor).lower() not in by_label:
                raise ValueError(f"{actor!r} has no counted mention in this corpus; actors found: {', '.join(sorted(ids)[:15])}…")
            actor = by_label[str(actor).lower()]
        self.actor = actor
        if actor not in {v for _, v in self.picker.options}:
            self._set(self.search, value="")
            self._set(self.picker, options=[(f"{r.label} ({r.mentions})", r.actor) for r in self._overall.itertuples(index=False)])
        self._set(self.picker, value=actor)
        label = self.by or "group"
        rows = self._by_group[self._by_group["actor"] == actor]
        if self.by:
            table = rows.set_index(self.by)[["mentions", "docs", "per_10k"]].reindex(_group_names(self.corpus, self.by))
            table = table.fillna({"mentions": 0, "docs": 0, "per_10k": 0.0}).astype({"mentions": np.int64, "docs": np.int64})
            self.by_group = table.rename_axis(label).reset_index()
        else:
            self.by_group = rows[["mentions", "docs", "per_10k"]].assign(group=ALL_DOCUMENTS)[["group", "mentions", "docs", "per_10k"]].reset_index(drop=True)
        self.over_time = self._over_time(actor)
        self.partners = self._partners(actor)
        self._render_actor()
        options = [(f"{r.label} ({r.n_ab} shared)", r.partner) for r in self.partners.itertuples(index=False)]
        self._set(self.partner, options=options)
        self._set(self.partner, value=options[0][1] if options else None)
        self.show_edge(options[0][1] if options else None)

    def _over_time(self, actor: str) -> pd.DataFrame:
        mine = self._counted[self._counted["actor"] == actor]
        label = self.by or "group"
        if self.period is None or "date" not in self.corpus.docs.columns:
            return pd.DataFrame(columns=["period", label, "mentions"])
        pos = self.corpus.positions(mine["doc_id"])
        periods = self.corpus.periods(self.period).to_numpy()[pos]
        groups = _group_labels(self.corpus, self.by)[pos]
        frame = pd.DataFrame({"period": periods, label: groups}).dropna(subset=["period"])
        if frame.empty:
            return pd.DataFrame(columns=["period", label, "mentions"])
        table = frame.groupby(["period", label]).size().rename("mentions").reset_index()
        return table.sort_values(["period", label], kind="stable").reset_index(drop=True)

    def _partners(self, actor: str) -> pd.DataFrame:
        columns = ["partner", "label", "n_ab", self.measure]
        if self._graph is None or actor not in self._graph:
            return pd.DataFrame(columns=columns)
        ego = actors_mod.ego_network(self._graph, actor)
        rows = []
        for other in ego.neighbors(actor):
            data = ego.edges[actor, other]
            rows.append((other, ego.nodes[other].get("label", other), int(data["n_ab"]), float(data[self.measure])))
        table = pd.DataFrame(rows, columns=columns)
        return table.sort_values(["n_ab", self.measure, "partner"], ascending=[False, False, True], kind="stable").reset_index(drop=True)

    def _on_partner(self, change: Any) -> None:
        if not self._quiet and change["new"] != change["old"]:
            self.show_edge(change["new"])

    def show_edge(self, partner: str | None) -> None:
        """Show the passages where the current actor and ``partner`` share a window."""
        if partner is None or self.actor is None:
            self.evidence = pd.DataFrame(columns=["doc_id", "sentence", "surface_a", "surface_b", "left", "match", "right"])
            self.evidence_total = 0
        else:
            self.evidence, self.evidence_total = self._evidence(self.actor, partner)
        if self.partner.value != partner and partner in {v for _, v in self.partner.options}:
            self._set(self.partner, value=partner)
        self._render_evidence(partner)

    def _evidence(self, a: str, b: str) -> tuple[pd.DataFrame, int]:
        """The first ``evidence_top`` passages of the edge (text order) and how many there are.

        Within units, a passage is a unit holding both actors, so their number is known from the
        mentions; :func:`helpers.actors.cooccurrence_evidence` then runs on the first documents
        only, which gives exactly the first rows of its full answer (rows are in text order and
        each document's rows depend on that document alone).
        """
        mentions = self._mentions
        if self.window is None:
            key = ["doc_id"] if self.within == "document" else ["doc_id", self.within]
            m = self._counted
            shared = m.loc[m["actor"] == a, key].drop_duplicates().merge(m.loc[m["actor"] == b, key].drop_duplicates(), on=key)
            total = len(shared)
            if total > self.evidence_top:
                per_doc = pd.Series(self.corpus.positions(shared["doc_id"])).value_counts().sort_index()
                upto = int(np.searchsorted(per_doc.cumsum().to_numpy(), self.evidence_top)) + 1
                ids = self.corpus.docs["doc_id"].to_numpy()[per_doc.index[:upto].to_numpy()]
                mentions = mentions[mentions["doc_id"].isin(ids)]
        else:
            total = None
        ev = actors_mod.cooccurrence_evidence(self.corpus, mentions, a, b, within=self.within, window=self.window).reset_index(drop=True)
        return ev.head(self.evidence_top), len(ev) if total is None else total

    def _render_actor(self) -> None:
        label = self.by or "group"
        name = self._labels.get(self.actor, self.actor)
        total = int(self.by_group["mentions"].sum()) if len(self.by_group) else 0
        self.groups_html.value = f"<div class='nf-meta'>mentions of {_esc(name)} ({total}) per {_esc(label)}</div>" + _table_html(
            self.by_group.round({"per_10k": 2}), "nf-actor-counts", row_key=label, numeric=("mentions", "docs", "per_10k"))
        if len(self.over_time):
            wide = self.over_time.pivot(index="period", columns=label, values="mentions").fillna(0).astype(np.int64)
            top = max(int(wide.to_numpy().max()), 1)
            head = "".join(f"<th>{_esc(c)}</th>" for c in wide.columns)
            body = "".join(
                f"<tr><td>{p:%Y-%m-%d}</td>" + "".join(f"<td class='nf-num'>{v}<span class='nf-bar' style='width:{40 * v / top:.0f}px'></span></td>" for v in row) + "</tr>"
                for p, row in zip(wide.index, wide.to_numpy())
            )
            self.time_html.value = f"<div class='nf-meta'>mentions per period ({_esc(self.period)})</div><table class='nf-table nf-actor-time-table'><thead><tr><th>period</th>{head}</tr></thead><tbody>{body}</tbody></table>"
        else:
            self.time_html.value = "<div class='nf-meta'>no dated mentions</div>"
        self.ego_html.value = _ego_svg(self.actor, name, self.partners.head(self.top), self.measure)

    def _render_evidence(self, partner: str | None) -> None:
        if partner is None:
            self.evidence_html.value = "<div class='nf-meta'>no co-occurring actor to show</div>"
            return
        ev = self.evidence
        shown = f", the first {len(ev)} shown" if len(ev) < self.evidence_total else ""
        head = (f"<div class='nf-meta nf-edge'>{_esc(self._labels.get(self.actor, self.actor))} + {_esc(self._labels.get(partner, partner))}: "
                f"{self.evidence_total} passages{shown} ({_esc(self.within if self.window is None else f'window {self.window}')})</div>")
        if ev.empty:
            self.evidence_html.value = head
            return
        pos = self.corpus.positions(ev["doc_id"])
        docs = self.corpus.docs
        titles = docs["title"].to_numpy()[pos] if "title" in docs.columns else ev["doc_id"].to_numpy()
        dates = docs["date"].to_numpy()[pos] if "date" in docs.columns else [None] * len(ev)
        groups = _group_labels(self.corpus, self.by)[pos]
        rows = []
        for rec, title, date, group in zip(ev.itertuples(index=False), titles, dates, groups):
            rows.append(
                "<div class='nf-line nf-evidence-line'>" + _meta_html(title, group if self.by else "", date, rec.doc_id)
                + f"<div>{_mark_partner(rec.left, rec.surface_b)}<mark class='nf-match'>{_esc(rec.match)}</mark>{_mark_partner(rec.right, rec.surface_b)}</div></div>"
            )
        self.evidence_html.value = head + "".join(rows)

    # -- the static summary -----------------------------------------------------------------------
    def summary_title(self) -> str:
        """What :meth:`summary` shows."""
        if self.actor is None:
            return "Actor explorer: search and pick an actor"
        name = self._labels.get(self.actor, self.actor)
        first = self.partners.iloc[0] if len(self.partners) else None
        edge = f"; most frequent partner {first['label']} ({int(first['n_ab'])} shared, {self.evidence_total} passages)" if first is not None else ""
        return f"Actor explorer: {name}{edge}"

    def summary(self) -> pd.DataFrame:
        """The current actor's mentions per group (empty before a pick)."""
        return self.by_group.round({"per_10k": 2}) if len(self.by_group) else pd.DataFrame(columns=[self.by or "group", "mentions", "docs", "per_10k"])


def actor_explorer(
    corpus: Corpus,
    mentions: pd.DataFrame | None = None,
    *,
    actors: pd.DataFrame | str | Path | None = None,
    by: str | None = None,
    period: str | None = "M",
    within: str = "sentence",
    window: int | None = None,
    measure: str = "npmi",
    min_count: int = 1,
    top: int = 12,
    evidence_top: int = 50,
    actor: str | None = None,
) -> ActorExplorer:
    """An actor explorer: searchable picker, mentions per group and over time, ego network, evidence.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    mentions : DataFrame, optional
        :func:`helpers.actors.find_actors` output; found on the first pick when not given.
    actors : DataFrame or path, optional
        The actor dictionary used when ``mentions`` is not given (default the bundled one).
    by : str, optional
        The grouping column of the mention counts.
    period : {"D", "W", "M"} or None
        Time bins of the mentions over time (default month).
    within, window
        The co-occurrence window (:func:`helpers.actors.cooccurrence`): a unit, or a sliding
        window of tokens.
    measure : str
        The edge statistic shown (``npmi``, ``g2``, ``pmi``, ``jaccard``).
    min_count : int
        Partners need at least this many shared windows (default 1: every partner).
    top : int
        Partners drawn in the ego network (the edge list has them all).
    evidence_top : int
        Passages shown per edge (the first ones in text order; the total is always given).
    actor : str, optional
        An actor to show at once (id or label).

    Returns
    -------
    ActorExplorer
        An ``ipywidgets.VBox``.
    """
    return ActorExplorer(corpus, mentions, actors=actors, by=by, period=period, within=within, window=window, measure=measure, min_count=min_count, top=top, evidence_top=evidence_top, actor=actor)


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------


def _empty_readings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("start", "end") else "str") for c in READING_COLUMNS})


def load_readings(path: str | Path) -> pd.DataFrame:
    """Read a read-precision CSV (:data:`READING_COLUMNS`); an empty table when it does not exist.

    Parameters
    ----------
    path : str or Path
        The CSV that :class:`FrameExplorer` appends to.

    Returns
    -------
    DataFrame
        One row per judgement, in the order they were made.
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return _empty_readings()
    table = pd.read_csv(path, dtype={"doc_id": str, "group": str, "frame": str, "cue": str, "verdict": str}, keep_default_na=False)
    missing = [c for c in READING_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path} is not a read-precision file: it lacks the columns {', '.join(missing)}.")
    bad = sorted(set(table["verdict"]) - set(VERDICTS))
    if bad:
        raise ValueError(f"{path}: verdicts must be 'right' or 'wrong'; found {bad}.")
    return table[READING_COLUMNS].astype({"start": np.int64, "end": np.int64})


def read_precision(readings: pd.DataFrame | str | Path, *, by_group: bool = False, level: float = 0.95) -> pd.DataFrame:
    """Precision from reading: the share of read hits that are real instances of their frame.

    A hit read twice counts once, with its last verdict.

    Parameters
    ----------
    readings : DataFrame or path
        :func:`load_readings` output, or the CSV's path.
    by_group : bool
        One row per frame and group instead of per frame.
    level : float
        Confidence level of the Wilson interval (:func:`helpers.stats.proportion_ci`).

    Returns
    -------
    DataFrame
        ``frame`` (and ``group``), ``read``, ``right``, ``wrong``, ``precision``, ``low``,
        ``high``; sorted by frame (and group).
    """
    table = load_readings(readings) if isinstance(readings, (str, os.PathLike)) else readings
    keys = ["frame", "group"] if by_group else ["frame"]
    columns = [*keys, "read", "right", "wrong", "precision", "low", "high"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    last = table.drop_duplicates(["frame", "doc_id", "start", "end"], keep="last")
    out = last.groupby(keys).agg(read=("verdict", "size"), right=("verdict", lambda v: int((v == "right").sum()))).reset_index()
    out["wrong"] = out["read"] - out["right"]
    ci = stats.proportion_ci(out["right"].to_numpy(), out["read"].to_numpy(), level=level)
    out["precision"], out["low"], out["high"] = ci["estimate"].to_numpy(), ci["low"].to_numpy(), ci["high"].to_numpy()
    return out.sort_values(keys, kind="stable")[columns].reset_index(drop=True)


class FrameExplorer(_Explorer):
    """The frame explorer widget (build it with :func:`frame_explorer`).

    Attributes
    ----------
    frame, group : ipywidgets.Dropdown
        The frame and the group filter.
    hits : DataFrame
        The hits of the current frame and group in reading order (a seeded random order by
        default, so that the first hits read are a random sample).
    current : int
        Position of the hit being read in :attr:`hits`.
    line : DataFrame
        The current hit in context (:func:`helpers.framing.frame_evidence`).
    readings : DataFrame
        Every judgement (those in ``path`` when it existed, then this session's).
    """

    def __init__(
        self,
        corpus: Corpus,
        frames: pd.DataFrame | str | Path | None = None,
        *,
        hits: pd.DataFrame | None = None,
        by: str | None = None,
        path: str | Path | None = None,
        window: int | None = 12,
        within: str | None = None,
        order: str = "sample",
        seed: int = SEED,
        top: int = 10,
        frame: str | None = None,
        detached: bool | None = None,
    ) -> None:
        detached = (not interactive()) if detached is None else detached
        if order not in ("sample", "position"):
            raise ValueError("order must be 'sample' (a seeded random order) or 'position' (text order).")
        self.corpus = _reading_view(corpus)
        self.by = corpus.check_columns(by)[0] if by is not None else None
        self.frames = framing.load_frames(frames) if not isinstance(frames, pd.DataFrame) else frames
        self.path = Path(path) if path is not None else None
        self.window, self.within, self.order, self.seed, self.top = window, within, order, int(seed), int(top)
        self._given_hits = hits
        self._hits_by_frame: dict[str, pd.DataFrame] = {}
        self.index_seconds: dict[str, float] = {}
        self.readings = load_readings(self.path) if self.path is not None else _empty_readings()
        self.hits = pd.DataFrame()
        self.current = 0
        self.line = pd.DataFrame()
        frame_ids = sorted(self.frames["frame"].unique())
        if frame is not None and frame not in frame_ids:
            raise ValueError(f"Unknown frame {frame!r}; the dictionary has {frame_ids}.")
        with _detached(detached):
            self.frame = widgets.Dropdown(options=frame_ids, value=frame, description="Frame", layout=widgets.Layout(width="26rem"))
            self.group = widgets.Dropdown(options=[ALL_GROUPS, *_group_names(corpus, self.by)], value=ALL_GROUPS, description=self.by or "group", layout=widgets.Layout(width="22rem"))
            self.previous = widgets.Button(description="◀ previous", layout=widgets.Layout(width="8rem"))
            self.next = widgets.Button(description="next ▶", layout=widgets.Layout(width="8rem"))
            self.right = widgets.Button(description="✓ right", button_style="success", layout=widgets.Layout(width="8rem"))
            self.wrong = widgets.Button(description="✗ wrong", button_style="danger", layout=widgets.Layout(width="8rem"))
            self.card_html = widgets.HTML()
            self.list_html = widgets.HTML()
            self.precision_html = widgets.HTML()
            for w, cls in ((self.frame, "nf-frame-frame"), (self.group, "nf-frame-group"), (self.previous, "nf-frame-previous"), (self.next, "nf-frame-next"),
                           (self.right, "nf-frame-right"), (self.wrong, "nf-frame-wrong"), (self.card_html, "nf-frame-card"),
                           (self.list_html, "nf-frame-list"), (self.precision_html, "nf-frame-precision")):
                w.add_class(cls)
            super().__init__([
                widgets.HTML(_CSS), widgets.HBox([self.frame, self.group]), self.card_html,
                widgets.HBox([self.previous, self.next, self.right, self.wrong]), self.precision_html, self.list_html,
            ], detached)
        self._quiet = False
        self.frame.observe(self._on_select, names="value")
        self.group.observe(self._on_select, names="value")
        self.previous.on_click(lambda _: self.go(self.current - 1))
        self.next.on_click(lambda _: self.go(self.current + 1))
        self.right.on_click(lambda _: self.mark("right"))
        self.wrong.on_click(lambda _: self.mark("wrong"))
        if frame is not None:
            self._on_select()
        else:
            self._render()

    def frame_hits(self, frame: str) -> pd.DataFrame:
        """The cue hits of ``frame`` in text order, with their group; found on first use.

        Frames are matched one at a time (:func:`helpers.framing.frame_hits` on the frame's
        cues: the longest-cue rule holds within a frame, so these are exactly that frame's rows
        of the whole dictionary's hits); ``index_seconds[frame]`` says how long it took.
        """
        if frame not in self._hits_by_frame:
            started = time.perf_counter()
            if self._given_hits is not None:
                hits = self._given_hits[self._given_hits["frame"] == frame].reset_index(drop=True)
            else:
                hits = framing.frame_hits(self.corpus, self.frames[self.frames["frame"] == frame])
            pos = self.corpus.positions(hits["doc_id"])
            self._hits_by_frame[frame] = hits.assign(group=pd.Series(_group_labels(self.corpus, self.by)[pos], index=hits.index, dtype="str"))
            self.index_seconds[frame] = time.perf_counter() - started
        return self._hits_by_frame[frame]

    def pick(self, frame: str, group: str | None = None) -> None:
        """Read ``frame`` (in ``group``, default every group)."""
        self._quiet = True
        try:
            if group is not None:
                self.group.value = group
            self.frame.value = frame
        finally:
            self._quiet = False
        self._on_select()

    def _on_select(self, change: Any = None) -> None:
        if self._quiet:
            return
        frame = self.frame.value
        if frame is None:
            self.hits = pd.DataFrame()
            self._render()
            return
        hits = self.frame_hits(frame)
        if self.order == "sample" and len(hits):
            rng = np.random.Generator(np.random.PCG64(self.seed))
            hits = hits.iloc[rng.permutation(len(hits))].reset_index(drop=True)
        if self.group.value != ALL_GROUPS:
            hits = hits[hits["group"] == self.group.value].reset_index(drop=True)
        self.hits = hits
        self.current = 0
        self._render()

    def go(self, position: int) -> None:
        """Read hit ``position`` (0-based, clipped to the hits there are)."""
        self.current = int(min(max(position, 0), max(len(self.hits) - 1, 0)))
        self._render()

    def _verdicts(self) -> dict[tuple, str]:
        last = self.readings.drop_duplicates(["frame", "doc_id", "start", "end"], keep="last")
        return {(f, d, int(s), int(e)): v for f, d, s, e, v in zip(last["frame"], last["doc_id"], last["start"], last["end"], last["verdict"])}

    def mark(self, verdict: str) -> None:
        """Judge the current hit ``"right"`` or ``"wrong"``: append it to the CSV, go to the next.

        Parameters
        ----------
        verdict : {"right", "wrong"}
            Whether the hit is a real instance of the frame.
        """
        if verdict not in VERDICTS:
            raise ValueError("verdict must be 'right' or 'wrong'.")
        if self.line.empty:
            return
        rec = self.line.iloc[0]
        row = {
            "frame": self.frame.value, "cue": rec["cue"], "doc_id": rec["doc_id"], "start": int(rec["start"]), "end": int(rec["end"]),
            "group": self.hits.iloc[self.current]["group"], "verdict": verdict, "left": rec["left"], "match": rec["match"], "right": rec["right"],
        }
        if self.path is not None:
            new = not self.path.exists() or self.path.stat().st_size == 0
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=READING_COLUMNS)
                if new:
                    writer.writeheader()
                writer.writerow(row)
        self.readings = pd.concat([self.readings, pd.DataFrame([row])], ignore_index=True).astype({"start": np.int64, "end": np.int64})
        if self.current < len(self.hits) - 1:
            self.current += 1
        self._render()

    def precision(self, *, by_group: bool = False) -> pd.DataFrame:
        """Precision from reading of every frame read so far (:func:`read_precision`)."""
        return read_precision(self.readings, by_group=by_group)

    def _render(self) -> None:
        frame = self.frame.value
        verdicts = self._verdicts()
        if frame is None or self.hits.empty:
            self.line = pd.DataFrame()
            self.card_html.value = "<div class='nf-meta'>pick a frame</div>" if frame is None else f"<div class='nf-meta'>no hit of {_esc(frame)} here</div>"
            self.list_html.value = ""
        else:
            hit = self.hits.iloc[[self.current]]
            self.line = framing.frame_evidence(self.corpus, frame, frames=self.frames, window=self.window, within=self.within, hits=hit).reset_index(drop=True)
            rec = self.line.iloc[0]
            pos = int(self.corpus.positions([rec["doc_id"]])[0])
            docs = self.corpus.docs
            title = docs["title"].iat[pos] if "title" in docs.columns else rec["doc_id"]
            date = docs["date"].iat[pos] if "date" in docs.columns else None
            seen = verdicts.get((frame, rec["doc_id"], int(rec["start"]), int(rec["end"])))
            mark = f" · <span class='nf-verdict-{seen}'>read: {seen}</span>" if seen else ""
            self.card_html.value = (
                f"<div class='nf-card nf-line nf-current'><div class='nf-meta'>hit {self.current + 1} of {len(self.hits)} "
                f"({'seeded random order' if self.order == 'sample' else 'text order'}) · cue «{_esc(rec['cue'])}»{mark}</div>"
                + _meta_html(title, self.hits.iloc[self.current]["group"] if self.by else "", date, rec["doc_id"])
                + f"<div class='nf-text'>{_esc(rec['left'])}<mark class='nf-cue'>{_esc(rec['match'])}</mark>{_esc(rec['right'])}</div></div>"
            )
            lo = (self.current // self.top) * self.top
            page = self.hits.iloc[lo: lo + self.top]
            items = []
            for i, r in zip(range(lo, lo + len(page)), page.itertuples(index=False)):
                seen = verdicts.get((frame, r.doc_id, int(r.start), int(r.end)))
                tag = f" <span class='nf-verdict-{seen}'>{'✓' if seen == 'right' else '✗'}</span>" if seen else ""
                items.append(f"<li class='{'nf-current' if i == self.current else ''}'>{_esc(r.doc_id)} · «{_esc(r.cue)}»{tag}</li>")
            self.list_html.value = f"<div class='nf-meta'>hits {lo + 1}–{lo + len(page)} of {len(self.hits)}</div><ol start='{lo + 1}'>{''.join(items)}</ol>"
        self.previous.disabled = self.current <= 0
        self.next.disabled = self.current >= len(self.hits) - 1
        self.right.disabled = self.wrong.disabled = self.line.empty
        prec = self.precision()
        where = f" (saved to {_esc(self.path.name)})" if self.path is not None else " (not saved: no path given)"
        self.precision_html.value = (
            f"<div class='nf-meta'>precision from reading{where}</div>" + _table_html(prec.round({"precision": 3, "low": 3, "high": 3}), "nf-precision", row_key="frame", numeric=("read", "right", "wrong", "precision", "low", "high"))
            if len(prec) else f"<div class='nf-meta'>precision from reading: nothing read yet{where}</div>"
        )

    # -- the static summary -----------------------------------------------------------------------
    def summary_title(self) -> str:
        """What :meth:`summary` shows."""
        frame = self.frame.value
        return f"Frame explorer: {frame}, {int(self.summary()['hits'].sum())} hits" if frame else "Frame explorer: pick a frame"

    def summary(self) -> pd.DataFrame:
        """Hits and documents of the current frame per group (reading results are not shown:
        they change as people read; see :func:`read_precision`)."""
        label = self.by or "group"
        frame = self.frame.value
        names = _group_names(self.corpus, self.by)
        if frame is None:
            return pd.DataFrame(columns=[label, "hits", "docs"])
        hits = self.frame_hits(frame)
        table = hits.groupby("group").agg(hits=("cue", "size"), docs=("doc_id", "nunique")) if len(hits) else pd.DataFrame(columns=["hits", "docs"])
        table = table.reindex(names, fill_value=0).astype(np.int64)
        table.index.name = label
        return table.reset_index()


def frame_explorer(
    corpus: Corpus,
    frames: pd.DataFrame | str | Path | None = None,
    *,
    hits: pd.DataFrame | None = None,
    by: str | None = None,
    path: str | Path | None = None,
    window: int | None = 12,
    within: str | None = None,
    order: str = "sample",
    seed: int = SEED,
    top: int = 10,
    frame: str | None = None,
) -> FrameExplorer:
    """A frame explorer: read a frame's cue hits in context and judge them right or wrong.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    frames : DataFrame or path, optional
        The frame dictionary (default the two bundled ones).
    hits : DataFrame, optional
        :func:`helpers.framing.frame_hits` of the same corpus and frames, when already computed
        (otherwise each frame is matched when first picked).
    by : str, optional
        The grouping column of the group filter.
    path : str or Path, optional
        The read-precision CSV: every judgement is appended to it (created with a header when
        missing; judgements already in it are shown and counted). Without a path, judgements
        stay in memory (:attr:`FrameExplorer.readings`).
    window, within
        Context of each hit (:func:`helpers.framing.frame_evidence`).
    order : {"sample", "position"}
        Reading order: a seeded random order (default; the first hits read are a random sample,
        so their share right estimates the frame's precision) or text order.
    seed : int
        Seed of the random order.
    top : int
        Hits listed per page.
    frame : str, optional
        A frame to show at once.

    Returns
    -------
    FrameExplorer
        An ``ipywidgets.VBox``.
    """
    return FrameExplorer(corpus, frames, hits=hits, by=by, path=path, window=window, within=within, order=order, seed=seed, top=top, frame=frame)


# --------------------------------------------------------------------------------------------
# Two groups' words: a standalone page
# --------------------------------------------------------------------------------------------


def _term_codes(corpus: Corpus, unit: str, kinds: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per token: the code of its term in ``vocab`` (:func:`helpers.frequency._unit_codes`, as
    :func:`helpers.frequency.term_frequency` counts it), its last row and whether it counts; and
    ``vocab``, the terms.

    A marked multi-word expression is one term on its first token (its label) spanning to its
    last token; its other tokens do not count; stop words do not count (the first token of an
    expression is not a stop word). Only codes are made per token (no string per token).
    """
    term, vocab, kept = frequency._unit_codes(corpus, unit)
    tokens = corpus.tokens
    n = len(tokens)
    last = np.arange(n, dtype=np.int64)
    if "mwe" in tokens.columns and tokens["mwe"].notna().any():
        inside = tokens["mwe"].cat.codes.to_numpy() >= 0
        first = tokens["mwe_first"].to_numpy(bool)
        bounds = np.flatnonzero(~inside | first)
        starts = np.flatnonzero(first)
        nxt = np.searchsorted(bounds, starts, side="right")
        last[starts] = np.where(nxt < bounds.size, bounds[np.minimum(nxt, bounds.size - 1)] - 1, n - 1)
    counts = corpus.words(kinds) & ~frequency._stop(corpus) & kept
    return term, vocab.to_numpy(dtype=object), last, counts


def term_comparison_html(
    corpus: Corpus,
    by: str,
    a: str,
    b: str,
    path: str | Path,
    *,
    top: int = 1000,
    window: int = 8,
    contexts: int = 3,
    unit: str = "lemma",
    exclude: set[str] | None = None,
    seed: int = SEED,
    title: str | None = None,
) -> Path:
    """Write a standalone HTML page that compares the words of two groups (scattertext's idea).

    Every term is a point placed by its frequency in group ``a`` (x) and in group ``b`` (y), as
    the dense rank of its count scaled to 0–1 (scattertext's layout, so rare words do not all
    sit in one corner), coloured by its Fightin' Words z (Monroe et al. 2008;
    :func:`helpers.stats.log_odds_dirichlet` with the pooled counts as prior): orange terms are
    typical of ``a``, blue of ``b``. A search box finds terms; clicking a term (a point, a
    search result or a list entry) shows its counts, rates per 10,000 tokens, z and a few KWIC
    lines from each group. Plain JavaScript and inline SVG, no network: the page works offline
    and can be mailed as one file.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    by : str
        The grouping column (``"outlet"``).
    a, b : str
        The two groups compared (values of ``by``).
    path : str or Path
        Where to write the page (folders are created).
    top : int
        Terms placed: the ``top`` most frequent in the two groups together, plus the 25 most
        distinctive of each side (:func:`helpers.stats.distinctive`).
    window : int
        Tokens of context on each side of a KWIC line.
    contexts : int
        KWIC lines per term and group (a seeded random choice, shown in text order).
    unit : {"lemma", "token"}
        What counts as a term (as for :func:`helpers.frequency.term_frequency`).
    exclude : set of str, optional
        Terms left out (e.g. :func:`helpers.frequency.likely_names`).
    seed : int
        Seed of the choice of KWIC lines.
    title : str, optional
        The page title.

    Returns
    -------
    Path
        ``path``. The page is the same byte for byte for the same corpus and arguments.
    """
    import jinja2
    from markupsafe import Markup

    if unit not in ("lemma", "token"):
        raise ValueError("unit must be 'lemma' or 'token'.")
    names = corpus.group_names(by)
    for g in (a, b):
        if g not in names:
            raise ValueError(f"{g!r} is not a group of {by!r}; the groups are {', '.join(names)}.")
    if a == b:
        raise ValueError("Compare two different groups.")
    counts = frequency.count_matrix(corpus, by, unit=unit, exclude=exclude)
    fw = stats.log_odds_dirichlet(counts[a], counts[b])
    sizes = frequency.group_sizes(corpus, by).set_index(by)["tokens"]
    totals = fw["count_a"] + fw["count_b"]
    ranked = pd.DataFrame({"term": fw.index, "total": totals.to_numpy()}).sort_values(["total", "term"], ascending=[False, True], kind="stable")
    chosen = set(ranked["term"].head(int(top)))
    best = stats.distinctive(fw, z=1.96, top=25)
    chosen |= set(best["term"])
    table = fw.loc[sorted(chosen)].reset_index()
    table["x"] = table["count_a"].rank(method="dense") - 1
    table["y"] = table["count_b"].rank(method="dense") - 1
    table["x"] = table["x"] / max(table["x"].max(), 1)
    table["y"] = table["y"] / max(table["y"].max(), 1)
    table["rate_a"] = table["count_a"] / max(int(sizes[a]), 1) * PER
    table["rate_b"] = table["count_b"] / max(int(sizes[b]), 1) * PER
    # KWIC lines: every occurrence of a chosen term in a or b, a seeded choice per (term, group).
    term, vocab, last, counted = _term_codes(corpus, unit, WORD_KINDS)
    doc_groups = corpus.groups(by).to_numpy()
    side = np.where(doc_groups == a, 0, np.where(doc_groups == b, 1, -1)).astype(np.int8)[corpus.doc_codes]
    term_ids = {t: i for i, t in enumerate(table["term"])}
    chosen_of = pd.Index(table["term"].astype(str)).get_indexer(pd.Index(vocab.astype(str))).astype(np.int64)
    codes = np.where(term >= 0, chosen_of[np.maximum(term, 0)] if len(chosen_of) else -1, -1)
    rows = np.flatnonzero(counted & (codes >= 0) & (side >= 0))
    occ = pd.DataFrame({"first": rows, "last": last[rows], "term": codes[rows], "side": np.where(side[rows] == 0, "a", "b")})
    rng = np.random.Generator(np.random.PCG64(seed))
    occ = occ.iloc[rng.permutation(len(occ))]
    occ = occ.groupby(["term", "side"], sort=False).head(int(contexts)).sort_values("first", kind="stable")
    occ["doc_id"] = corpus.tokens["doc_id"].to_numpy()[occ["first"].to_numpy()].astype(str)
    lines = concordance(corpus, occ.reset_index(drop=True), window=window) if len(occ) else occ.assign(left="", match="", right="")
    pos = corpus.positions(lines["doc_id"]) if len(lines) else np.zeros(0, np.int64)
    docs = corpus.docs
    titles = docs["title"].astype(str).to_numpy()[pos] if "title" in docs.columns else lines["doc_id"].to_numpy()
    dates = [_date_text(d) for d in docs["date"].to_numpy()[pos]] if "date" in docs.columns else [""] * len(lines)
    ctx: dict[int, list[list[str]]] = {}
    for t, side, left, match, right, ttl, date, doc in zip(lines["term"], lines["side"], lines["left"], lines["match"], lines["right"], titles, dates, lines["doc_id"]):
        ctx.setdefault(int(t), []).append([side, left, match, right, ttl, date, doc])
    terms = [
        {"t": r.term, "ca": int(r.count_a), "cb": int(r.count_b), "ra": round(float(r.rate_a), 2), "rb": round(float(r.rate_b), 2),
         "z": round(float(r.z), 3), "c": ctx.get(i, [])}
        for i, r in enumerate(table.itertuples(index=False))
    ]
    zmax = max(float(np.nanmax(np.abs(table["z"]))) if len(table) else 1.0, 1.96)
    points = []
    size, pad = 560, 30
    for i, r in enumerate(table.itertuples(index=False)):
        share = max(-1.0, min(1.0, float(r.z) / zmax))
        points.append({"i": i, "cx": round(pad + r.x * (size - 2 * pad), 1), "cy": round(size - pad - r.y * (size - 2 * pad), 1), "fill": _diverging(share), "term": r.term})
    data = json.dumps({"a": a, "b": b, "by": by, "terms": terms}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Inside <script>: no "<", ">" or "&" as such (JSON's \u escapes read back the same).
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    side_lists = {
        "a": [(term_ids[t], t, round(float(z), 2)) for t, z in zip(best.loc[best["side"] == "a", "term"], best.loc[best["side"] == "a", "z"])],
        "b": [(term_ids[t], t, round(float(z), 2)) for t, z in zip(best.loc[best["side"] == "b", "term"], best.loc[best["side"] == "b", "z"])],
    }
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, keep_trailing_newline=True)
    page = env.get_template("term_comparison.html.j2").render(
        title=title or f"{a} vs {b}: words compared", a=a, b=b, by=by, data=Markup(data), points=points, size=size, pad=pad,
        side_lists=side_lists, n_terms=len(terms), n_a=int(sizes[a]), n_b=int(sizes[b]), zmax=round(zmax, 2), contexts=int(contexts), window=int(window),
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def _diverging(share: float) -> str:
    """A colour from blue (−1, group b) through light grey (0) to orange (+1, group a)."""
    grey, orange, blue = np.array([221, 221, 221]), np.array([230, 97, 1]), np.array([33, 102, 172])
    end = orange if share >= 0 else blue
    rgb = np.rint(grey + (end - grey) * abs(share)).astype(int)
    return "#{:02x}{:02x}{:02x}".format(*rgb)
