"""The corpus object: documents, their tokens and the settings they were made with, in one place.

Load a collection with :func:`load_corpus` (one row per article, every problem reported), then
build a :class:`Corpus` once with :func:`build_corpus`::

    docs = load_corpus("corpus/articles")
    corpus = build_corpus(docs)          # languages decided, copies and boilerplate set aside,
                                         # tokenized with the bundled expressions (cached)
    frequency.term_frequency(corpus, by="outlet")
    frequency.kwic(corpus, "коалиция желающих")
    actors.find_actors(corpus)

Like quanteda's ``tokens`` object, which carries its document variables, a :class:`Corpus`
carries everything later steps need, so that no step tokenizes again, re-joins metadata its own
way, or guesses a language a second time:

- ``corpus.docs``: the documents analysed, with their metadata, the language decided once
  (``lang``, ``lang_source``), the copy columns of the loader and ``n_tokens`` (word tokens of
  the document, from the token table);
- ``corpus.tokens``: the token table (:func:`helpers.text.tokenize`); its ``doc_id`` categories
  are exactly ``corpus.docs["doc_id"]`` in order, so a token's document is an integer code;
- ``corpus.lexicon``: every distinct form with the lemma the corpus chose for it;
- ``corpus.settings``: expressions, overrides, stop words, ``ё`` folding, the language choice;
- ``corpus.left_out``: every document of the input that is not analysed, and why (language,
  copy of another document);
- ``corpus.boilerplate``: the repeated sentences and lines set aside, per outlet.

:meth:`Corpus.key` and :meth:`Corpus.patterns` turn dictionary phrases (actors, frame cues,
KWIC queries, lexical alternatives, attribution phrases) into lemma sequences with the corpus'
own lemmas, so that a dictionary name and the text always agree.

This module also re-exports the loader (:mod:`helpers.loader`): ``load_corpus``,
``validate_corpus``, ``problems_of``, ``CorpusError``.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import dictionaries as dicts
from helpers.boilerplate import BOILERPLATE_COLUMNS, find_boilerplate
from helpers.cache import cached_table, cached_tables, code_fingerprint, content_key, package_versions, texts_digest
from helpers.constants import UNKNOWN_GROUP, WORD_KINDS, check_period
from helpers.decode import decode_bytes  # noqa: F401  (re-exported)
from helpers.loader import (  # noqa: F401  (re-exported: the loader's public names)
    CORE_COLUMNS,
    PROBLEM_COLUMNS,
    CorpusError,
    CorpusWarning,
    load_corpus,
    problems_of,
    validate_corpus,
)
from helpers.segment import languages
from helpers.text import _LexiconIndex, _phrase_keys, phrase_keys, phrase_words, stop_words, tokenize  # noqa: F401

LEFT_OUT_COLUMNS = ["doc_id", "reason", "detail", "lang"]
_CODE = [Path(__file__), Path(__file__).parent / "boilerplate.py", Path(__file__).parent / "segment.py"]


@dataclass(eq=False)
class Corpus:
    """Documents and their token table, built once with :func:`build_corpus`.

    Attributes
    ----------
    docs : DataFrame
        The analysed documents in ``doc_id`` order (see the module notes for the columns).
    tokens : DataFrame
        Their token table; ``tokens["doc_id"].cat.codes`` index ``docs``.
    lexicon : DataFrame
        ``lang``, ``form``, ``lemma``, ``pos``, ``name``, ``alternatives``, ``candidates``.
    settings : dict
        How the tokens were made (read it, do not change it).
    left_out : DataFrame
        ``doc_id``, ``reason``, ``detail`` of every input document not analysed.
    boilerplate : DataFrame
        The boilerplate units set aside (:func:`helpers.boilerplate.find_boilerplate`).
    """

    docs: pd.DataFrame
    tokens: pd.DataFrame
    lexicon: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["lang", "form", "lemma", "pos", "name", "alternatives", "candidates"]))
    settings: dict = field(default_factory=dict)
    left_out: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEFT_OUT_COLUMNS))
    boilerplate: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BOILERPLATE_COLUMNS))
    _keys: dict = field(default_factory=dict, repr=False)
    _position: pd.Index | None = field(default=None, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)

    # ----------------------------------------------------------------------------------------
    # Documents, groups, periods
    # ----------------------------------------------------------------------------------------

    def __repr__(self) -> str:
        langs = ", ".join(sorted(self.docs["lang"].dropna().unique())) if len(self.docs) else "none"
        return f"<Corpus: {len(self.docs):,} documents, {len(self.tokens):,} tokens, languages {langs}; {len(self.left_out):,} left out>"

    def memo(self, family: str, key: tuple, stamp: tuple, compute: Callable[[], Any], *, keep: Callable[[Any], bool] = lambda result: True) -> Any:
        """``compute()``, kept in this corpus' memo (``family``, ``key``) while ``stamp`` still holds.

        The derived tables and arrays that several steps of a notebook read (term codes, word
        pairs, actor mentions) are made once per corpus. ``stamp`` lists what the result was
        made from: objects (the token table, its categorical columns: the same objects until
        replaced) are compared by identity, strings (digests of plain columns or of an input
        table) by value.

        NumPy arrays of the result are made read-only, as every caller shares them; a DataFrame
        is handed out as a new shallow copy each time (pandas' copy-on-write keeps the memo's
        table unchanged whatever the caller does with its copy). ``keep(result)`` False (too
        large to hold) computes without keeping.
        """
        memo = self._cache.setdefault(family, {})
        found = memo.get(key)
        if found is not None and len(found[0]) == len(stamp) and all(
                a is b or (isinstance(a, str) and a == b) for a, b in zip(found[0], stamp)):
            result = found[1]
        else:
            result = compute()
            for part in result if isinstance(result, tuple) else (result,):
                if isinstance(part, np.ndarray):
                    part.flags.writeable = False
            if keep(result):
                memo[key] = (stamp, result)
            else:
                memo.pop(key, None)
        return result.copy(deep=False) if isinstance(result, pd.DataFrame) else result

    @property
    def doc_codes(self) -> np.ndarray:
        """The document of every token, as a position in :attr:`docs` (read-only; made once per token table)."""
        found = self._cache.get("doc_codes")
        if found is None or found[0] is not self.tokens or len(found[1]) != len(self.tokens):
            codes = self.tokens["doc_id"].cat.codes.to_numpy().copy()
            codes.flags.writeable = False
            found = self._cache["doc_codes"] = (self.tokens, codes)
        return found[1]

    @property
    def langs(self) -> list[str]:
        """The languages of the analysed documents, most common first."""
        counts = self.docs["lang"].value_counts()
        return sorted(counts.index, key=lambda lang: (-counts[lang], lang))

    @property
    def lang(self) -> str:
        """The corpus' main language (its most common)."""
        return self.langs[0] if len(self.docs) else "ru"

    def positions(self, doc_ids: Iterable[Any]) -> np.ndarray:
        """Positions in :attr:`docs` of ``doc_ids`` (-1 for an id that is not in the corpus)."""
        if self._position is None:
            self._position = pd.Index(self.docs["doc_id"].astype(str))
        return self._position.get_indexer(pd.Index(pd.Series(list(doc_ids) if not isinstance(doc_ids, (pd.Series, np.ndarray)) else doc_ids).astype(str)))

    def check_columns(self, by: str | Sequence[str] | None) -> list[str]:
        """The grouping columns of ``by`` as a list; an error names the columns the corpus has."""
        cols = [] if by is None else [by] if isinstance(by, str) else list(by)
        missing = [c for c in cols if c not in self.docs.columns]
        if missing:
            raise ValueError(
                f"The corpus has no column {missing[0]!r} to group by; it has {', '.join(map(str, self.docs.columns))}. "
                "Pass GROUP_BY=<one of them> to make run, or set group_by in the notebook."
            )
        return cols

    def groups(self, by: str) -> pd.Series:
        """The group of every document in column ``by``; a missing value is ``"(unknown)"``."""
        self.check_columns(by)
        values = self.docs[by]
        text = values.astype("str").where(values.notna(), UNKNOWN_GROUP)
        return text.replace("", UNKNOWN_GROUP).rename(by)

    def group_names(self, by: str) -> list[str]:
        """The groups of column ``by``, sorted (``"(unknown)"`` included when some document has none)."""
        return sorted(self.groups(by).unique())

    def periods(self, period: str) -> pd.Series:
        """The start of the period (day, week from Monday, month) of every document; NaT when undated."""
        freq = check_period(period)
        return self.docs["date"].dt.to_period(freq).dt.start_time.rename("period")

    def undated(self) -> pd.Series:
        """The ``doc_id`` of the documents without a date."""
        return self.docs.loc[self.docs["date"].isna(), "doc_id"]

    def meta(self, frame: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
        """Return ``frame`` (any table with ``doc_id``) with the documents' ``columns``.

        The one way a table gets its metadata: rows keep their order; a grouping column's
        missing value reads ``"(unknown)"`` (see :meth:`groups`) except for ``date``.
        """
        cols = self.check_columns(columns)
        pos = self.positions(frame["doc_id"])
        if (pos < 0).any():
            bad = frame["doc_id"].iloc[int(np.flatnonzero(pos < 0)[0])]
            raise ValueError(f"doc_id {bad!r} is not a document of this corpus.")
        out = frame.copy()
        for c in cols:
            if c in out.columns:
                continue
            source = self.docs[c] if c == "date" else self.groups(c)
            out[c] = source.to_numpy()[pos]
        return out

    def doc_values(self, column: str) -> np.ndarray:
        """A document column, one value per document (``"(unknown)"`` for a missing group)."""
        return (self.docs[column] if column == "date" else self.groups(column)).to_numpy()

    def token_values(self, column: str) -> np.ndarray:
        """A document column, one value per token (``"(unknown)"`` for a missing group)."""
        return self.doc_values(column)[self.doc_codes]

    def words(self, kinds: Sequence[str] = WORD_KINDS, *, drop_stop: bool = False) -> np.ndarray:
        """Boolean mask of the tokens of ``kinds`` (words by default), stop words out with ``drop_stop``."""
        mask = kind_mask(self.tokens["kind"], kinds)
        if drop_stop:
            mask &= ~self.tokens["is_stop"].to_numpy()
        return mask

    @property
    def doc_texts(self) -> np.ndarray:
        """The documents' texts as one object array (built once; index it by :attr:`doc_codes`)."""
        if "texts" not in self._cache:
            self._cache["texts"] = self.docs["text"].to_numpy(dtype=object)
        return self._cache["texts"]

    @property
    def doc_ids(self) -> np.ndarray:
        """The documents' ids as one object array of str (built once)."""
        if "ids" not in self._cache:
            self._cache["ids"] = self.docs["doc_id"].astype(str).to_numpy(dtype=object)
        return self._cache["ids"]

    def text(self, doc: int | str) -> str:
        """The text of a document, by position or ``doc_id``."""
        i = int(self.positions([doc])[0]) if isinstance(doc, str) else int(doc)
        return self.docs["text"].iat[i]

    def with_stop_words(self, words: str | Iterable[str]) -> Corpus:
        """This corpus with more stop words: the same tokens, ``is_stop`` set on the new ones.

        The result equals ``build_corpus(docs, …, extra_stop_words=old + words)`` with the same
        other settings (a test compares them), without tokenizing again: a word token is a stop
        word when its lemma or its lower-cased form is one of ``words`` (lower-cased, and
        ``ё``-folded when the corpus folds it).

        Parameters
        ----------
        words : str or iterable of str
            Words to add (lemmas, e.g. ``["заявить", "сообщить"]``).

        Returns
        -------
        Corpus
            A new corpus; ``settings["extra_stop_words"]`` lists the old and the new words.
        """
        added = {w.strip().lower() for w in dicts.as_list(words) if w and w.strip()}
        if self.settings.get("fold_yo", True):
            added = {w.replace("ё", "е") for w in added}
        tokens = self.tokens
        lemma_hit = tokens["lemma"].cat.categories.astype(str).isin(added)
        form_hit = tokens["token"].cat.categories.astype(str).str.lower().isin(added)
        lemma_codes, form_codes = tokens["lemma"].cat.codes.to_numpy(), tokens["token"].cat.codes.to_numpy()
        hit = (np.append(lemma_hit, False)[lemma_codes] | np.append(form_hit, False)[form_codes]) & self.words()
        tokens = tokens.assign(is_stop=tokens["is_stop"].to_numpy() | hit)  # (copy-on-write: the other columns are shared)
        extra = tuple(sorted(set(self.settings.get("extra_stop_words", ())) | set(dicts.as_list(words))))
        return Corpus(self.docs, tokens, self.lexicon, {**self.settings, "extra_stop_words": extra}, self.left_out, self.boilerplate)

    def select(self, keep: np.ndarray | pd.Series | Sequence[str], reason: str = "not selected") -> Corpus:
        """A corpus of some documents only (a boolean mask over :attr:`docs`, or ``doc_id`` values).

        The documents not kept join :attr:`left_out` with ``reason``. Tokens are not recomputed.
        """
        if isinstance(keep, (pd.Series, np.ndarray)) and np.asarray(keep).dtype == bool:
            mask = np.asarray(keep, dtype=bool)
        else:
            mask = np.zeros(len(self.docs), dtype=bool)
            pos = self.positions(keep)
            mask[pos[pos >= 0]] = True
        kept = self.docs[mask].reset_index(drop=True)
        tok_mask = mask[self.doc_codes]
        tokens = self.tokens[tok_mask].reset_index(drop=True)
        new_codes = np.cumsum(mask) - 1
        tokens["doc_id"] = pd.Categorical.from_codes(new_codes[tokens["doc_id"].cat.codes.to_numpy()].astype(np.int32), categories=pd.Index(kept["doc_id"], dtype="str"))
        dropped = self.docs.loc[~mask, "doc_id"]
        left = pd.concat([self.left_out, pd.DataFrame({"doc_id": dropped.to_numpy(), "reason": reason, "detail": "", "lang": self.docs.loc[~mask, "lang"].astype(str).to_numpy()})], ignore_index=True)
        return Corpus(kept, tokens, self.lexicon, self.settings, left, self.boilerplate)

    # ----------------------------------------------------------------------------------------
    # Dictionary phrases
    # ----------------------------------------------------------------------------------------

    def keys(self, phrase: str, lang: str | None = None) -> list[tuple[str, ...]]:
        """Every lemma sequence under which ``phrase`` occurs in this corpus (see :func:`helpers.text.phrase_keys`)."""
        lang = lang or self.lang
        cache_key = (phrase, lang)
        if cache_key not in self._keys:
            if "overrides" not in self._cache:
                self._cache["overrides"] = dicts.load_overrides(self.settings["overrides"]) if self.settings.get("overrides") else {}
            overrides = self._cache["overrides"]
            # The lexicon's look-ups are built once per language (not once per phrase: on a
            # large corpus that walk over every distinct form dominated dictionary matching).
            indexes = self._cache.setdefault("lexicon_index", {})
            if lang not in indexes:
                indexes[lang] = _LexiconIndex(self.lexicon, lang) if self.lexicon is not None and len(self.lexicon) else None
            self._keys[cache_key] = _phrase_keys(phrase_words(phrase), lang, indexes[lang], fold_yo=self.settings.get("fold_yo", True), overrides=overrides)
        return self._keys[cache_key]

    def key(self, phrase: str, lang: str | None = None) -> tuple[str, ...]:
        """The lemma sequence of a dictionary phrase with this corpus' lemmas.

        A word the corpus has is given the lemma the corpus chose for it; a name the corpus
        resolved differently (``Шольц`` when only ``Шольца`` occurs) is mapped to that lemma.

        Examples
        --------
        >>> corpus.key("коалиция желающих")  # doctest: +SKIP
        ('коалиция', 'желающий')
        """
        keys = self.keys(phrase, lang)
        words = phrase_words(phrase)
        if "lemma_set" not in self._cache:
            self._cache["lemma_set"] = set(self.tokens["lemma"].cat.categories.tolist())
        lemmas = self._cache["lemma_set"]
        present = [k for k in keys if all(x in lemmas for x in k) and len(k) == len(words)]
        return (present or [k for k in keys if len(k) == len(words)] or keys)[0]

    def patterns(self, phrases: pd.DataFrame) -> pd.DataFrame:
        """Match patterns for dictionary phrases, every spelling variant included.

        Parameters
        ----------
        phrases : DataFrame
            ``pattern`` (an id), ``phrase`` (as written) and ``lang``; optional ``first_upper``
            and ``all_upper`` case rules.

        Returns
        -------
        DataFrame
            ``pattern``, ``key``, ``lang`` and the case rules, one row per spelling variant, for
            :func:`helpers.matching.match_phrases`.
        """
        rows = []
        has_case = "first_upper" in phrases.columns
        for rec in phrases.to_dict("records"):
            for key in self.keys(rec["phrase"], rec.get("lang") or self.lang):
                row = {"pattern": rec["pattern"], "key": key, "lang": rec.get("lang") or self.lang}
                if has_case:
                    row["first_upper"] = bool(rec["first_upper"])
                    row["all_upper"] = bool(rec.get("all_upper", False))
                rows.append(row)
        columns = ["pattern", "key", "lang"] + (["first_upper", "all_upper"] if has_case else [])
        return pd.DataFrame(rows, columns=columns)

    # ----------------------------------------------------------------------------------------
    # A summary for notebook 00
    # ----------------------------------------------------------------------------------------

    def profile(self, by: str | None = None, problems: pd.DataFrame | None = None) -> pd.DataFrame:
        """One table that says what the corpus is: documents, tokens, dates, groups, languages, what was set aside.

        Returns
        -------
        DataFrame
            ``item`` and ``value`` (text), in a fixed order.
        """
        d = self.docs
        dated = d["date"].dropna()
        rows = [
            ("documents analysed", f"{len(d):,}"),
            ("word tokens", f"{int(d['n_tokens'].sum()):,}"),
            ("tokens of other kinds", ", ".join(f"{k} {n:,}" for k, n in self.tokens["kind"].value_counts().sort_index().items() if k not in WORD_KINDS and n) or "none"),
            ("date range", f"{dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}" if len(dated) else "no dates"),
            ("documents without a date", f"{int(d['date'].isna().sum()):,}"),
            ("languages", ", ".join(f"{lang} {n:,}" for lang, n in d["lang"].value_counts().sort_index().items())),
        ]
        if by is not None:
            g = self.groups(by).value_counts().sort_index()
            rows.append((f"groups by {by}", ", ".join(f"{k} {v:,}" for k, v in g.items())))
        reasons = self.left_out["reason"].value_counts().sort_index() if len(self.left_out) else pd.Series(dtype=int)
        rows.append(("left out", ", ".join(f"{r}: {n:,}" for r, n in reasons.items()) or "none"))
        rows.append(("boilerplate set aside", f"{int(self.boilerplate['tokens'].sum()) if len(self.boilerplate) else 0:,} tokens in {len(self.boilerplate):,} repeated units"))
        if problems is not None:
            sev = problems["severity"].value_counts()
            rows.append(("loading problems", f"{int(sev.get('error', 0)):,} errors, {int(sev.get('warning', 0)):,} warnings"))
        return pd.DataFrame(rows, columns=["item", "value"])

    def languages_of(self, docs: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
        """Every input document (``docs``, as loaded) with the language the corpus decided for
        it (analysed or left out) and its group: ``doc_id``, ``lang`` and the ``by`` column."""
        decided = pd.concat([self.docs[["doc_id", "lang"]], self.left_out[["doc_id", "lang"]]], ignore_index=True)
        decided = decided.assign(doc_id=decided["doc_id"].astype(str)).drop_duplicates("doc_id")
        out = docs[["doc_id"]].assign(doc_id=docs["doc_id"].astype(str)).merge(decided, on="doc_id", how="left")
        if by is not None:
            values = docs[by].astype("object").where(docs[by].notna(), UNKNOWN_GROUP).astype(str).to_numpy() if by in docs else UNKNOWN_GROUP
            out[by] = values
        return out

    def left_out_note(self, *, top: int = 8) -> str:
        """One Markdown sentence: how many input documents are not analysed, why, and which.

        Every notebook shows it after building its corpus, so that no document leaves an
        analysis silently. Up to ``top`` ids are named per reason.
        """
        parts = []
        if len(self.left_out):
            for reason, rows in self.left_out.groupby("reason", sort=True):
                ids = sorted(rows["doc_id"].astype(str))
                named = ", ".join(f"`{i}`" for i in ids[:top]) + (f" and {len(ids) - top:,} more" if len(ids) > top else "")
                why = {
                    "language": "in another language than the one analysed",
                    "copy": "copies of another document (exact or near-duplicate)",
                }.get(str(reason), str(reason))
                parts.append(f"{len(ids):,} {why} ({named})")
        undated = int(self.docs["date"].isna().sum()) if "date" in self.docs else 0
        head = f"**{len(self.docs):,} documents analysed** ({int(self.docs['n_tokens'].sum()):,} word tokens, language {self.lang})"
        text = head + (". Left out: " + "; ".join(parts) + "." if parts else ". No document was left out.")
        if undated:
            text += f" {undated:,} analysed documents have no date: counts include them, time series cannot."
        if len(self.boilerplate):
            text += f" Boilerplate set aside: {int(self.boilerplate['tokens'].sum()):,} tokens in {len(self.boilerplate):,} repeated lines or sentences."
        return text

    @classmethod
    def from_frames(cls, docs: pd.DataFrame, tokens: pd.DataFrame) -> Corpus:
        """Wrap a documents table and its token table (the first version's pair) in a corpus.

        Nothing is recomputed: the lexicon is read off the token table. Prefer
        :func:`build_corpus`, which also records the settings.
        """
        ids = tokens["doc_id"].cat.categories.astype(str) if isinstance(tokens["doc_id"].dtype, pd.CategoricalDtype) else pd.Index(sorted(tokens["doc_id"].astype(str).unique()))
        d = docs.assign(doc_id=docs["doc_id"].astype(str))
        known = set(d["doc_id"])
        order = [i for i in ids if i in known] + sorted(known - set(ids))
        d = d.set_index("doc_id").loc[order].reset_index()
        if "lang" not in d.columns or d["lang"].isna().any():
            d = d.assign(**languages(d))
        toks = tokens.copy()
        toks["doc_id"] = pd.Categorical(toks["doc_id"].astype(str), categories=pd.Index(d["doc_id"], dtype="str"))
        if "kind" not in toks.columns:
            toks["kind"] = pd.Categorical(["word"] * len(toks), categories=["word", "abbreviation", "number", "url", "email", "handle", "hashtag", "emoji"])
        lex = toks[["lang", "token", "lemma"]].drop_duplicates().rename(columns={"token": "form"}).astype(str)
        lex = lex.assign(pos="", name=False, alternatives="", candidates="")
        n = np.bincount(toks["doc_id"].cat.codes.to_numpy()[kind_mask(toks["kind"])], minlength=len(d))
        d["n_tokens"] = n
        return cls(d, toks, lex, {"fold_yo": True, "overrides": str(dicts.OVERRIDES_FILE)})


# --------------------------------------------------------------------------------------------
# Building a corpus
# --------------------------------------------------------------------------------------------


def kind_mask(kind: pd.Series, kinds: Sequence[str] = WORD_KINDS) -> np.ndarray:
    """Boolean mask of the tokens whose ``kind`` is one of ``kinds`` (words by default).

    A categorical column (the token table's) is read by its codes, one lookup per token.
    """
    if isinstance(kind.dtype, pd.CategoricalDtype):
        wanted = np.asarray(kind.cat.categories.isin(list(kinds)).tolist() + [False], dtype=bool)
        return wanted[kind.cat.codes.to_numpy()]  # (code -1, a missing kind, reads the last entry)
    return kind.isin(list(kinds)).to_numpy()


#: From this many documents, languages are detected in parts in every process allowed.
_PARALLEL_LANGUAGES = 4_000


def _decide_languages(docs: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.segment.languages` of every document, numbered from 0; a large corpus in
    parts of about equal text in forked processes (each document is decided on its own, so the
    table is the same)."""
    from helpers.engine import balanced_ranges, fork_map, jobs

    if len(docs) < _PARALLEL_LANGUAGES or jobs() < 2:
        return languages(docs).reset_index(drop=True)
    frame = docs[[c for c in ("text", "lang") if c in docs.columns]].reset_index(drop=True)
    weights = np.minimum(frame["text"].str.len().fillna(0).to_numpy(dtype=np.int64), 5_000) + 50  # (detection reads 5,000 characters at most)
    parts = fork_map(lambda a, b: languages(frame.iloc[a:b]), balanced_ranges(weights, jobs()))
    return pd.concat(parts, ignore_index=True)


def _main_language(langs: pd.Series) -> str:
    """The most common language of the documents (ties: the first code in alphabetical order)."""
    values, counts = np.unique(langs.dropna().astype(str).to_numpy(dtype=object), return_counts=True)
    return str(values[np.argmax(counts)])  # (np.unique sorts the codes; argmax takes the first of the largest)


def _group_values(column: pd.Series) -> np.ndarray:
    """Every document's group as text, ``(unknown)`` for a missing one (an object array)."""
    if isinstance(column.dtype, pd.StringDtype) and not column.hasnans:
        return column.to_numpy(dtype=object)
    return column.astype("object").where(column.notna(), UNKNOWN_GROUP).astype(str).to_numpy()


def build_corpus(
    docs: pd.DataFrame,
    *,
    lang: str | Sequence[str] | None = "main",
    drop_copies: bool = True,
    boilerplate: bool = True,
    boilerplate_by: str = "outlet",
    mwes: str | Path | Sequence[str] | None = dicts.MWES_FILE,
    overrides: str | Path | None = dicts.OVERRIDES_FILE,
    domain_stop_words: bool | str | Path = True,
    extra_stop_words: Iterable[str] = (),
    fold_yo: bool = True,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> Corpus:
    """Build the corpus object once: decide languages, set copies and boilerplate aside, tokenize.

    Parameters
    ----------
    docs : DataFrame
        Documents as :func:`load_corpus` returns them (``doc_id``, ``text``, metadata).
    lang : "main", str, list of str, or None
        Which languages to analyse: ``"main"`` (default) the corpus' most common language, a
        code (``"ru"``) or list of codes, or None for all. Languages come from the ``lang``
        column where it has a value and are detected (on words only) elsewhere, once.
    drop_copies : bool
        Set aside exact and near-duplicate copies (``duplicate_of``, ``near_duplicate_of``),
        keeping each group's original (default True).
    boilerplate : bool
        Set aside boilerplate sentences and lines (:mod:`helpers.boilerplate`), found within each
        group of ``boilerplate_by`` (default True).
    boilerplate_by : str
        The column whose groups have their own boilerplate (default ``"outlet"``; the whole
        corpus when the column is missing).
    mwes : path, sequence of str or None
        Multi-word expressions merged into single tokens (default: ``corpus/mwes.csv``).
    overrides : path or None
        Lemma overrides (default ``corpus/lemma_overrides.csv``); a path that does not exist is
        an error.
    domain_stop_words, extra_stop_words, fold_yo
        As for :func:`helpers.text.tokenize`.
    cache, cache_dir
        The cache (:mod:`helpers.cache`): a second build of the same corpus with the
        same settings reads everything back without any per-token work.

    Returns
    -------
    Corpus
    """
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text"} <= set(docs.columns):
        raise ValueError("build_corpus() needs a DataFrame with 'doc_id' and 'text' columns, as load_corpus() returns.")
    docs = docs.sort_values("doc_id", kind="stable").reset_index(drop=True) if not docs["doc_id"].is_monotonic_increasing else docs.reset_index(drop=True)
    ids = docs["doc_id"].astype(str).tolist()
    texts_key = texts_digest(ids, docs["text"])
    given = docs["lang"].astype("object").where(docs["lang"].notna(), "").astype(str).tolist() if "lang" in docs.columns else [""] * len(docs)
    # (one string per column: JSON marks off every value)
    lang_key = content_key([texts_key, json.dumps(given)], {"code": code_fingerprint(Path(__file__).parent / "segment.py")})
    decided = cached_table("languages", lang_key, lambda: _decide_languages(docs), cache=cache, cache_dir=cache_dir)
    docs = docs.assign(lang=decided["lang"].to_numpy(), lang_source=decided["lang_source"].to_numpy())
    # Which documents are analysed.
    reasons = np.full(len(docs), "", dtype=object)
    details = np.full(len(docs), "", dtype=object)
    if lang is not None and len(docs):
        wanted = {_main_language(docs["lang"])} if lang == "main" else {lang} if isinstance(lang, str) else set(lang)
        other = ~docs["lang"].isin(wanted).to_numpy()
        reasons[other] = "language"
        details[other] = docs["lang"].to_numpy()[other]
    if drop_copies:
        for column, what in (("duplicate_of", "exact copy of "), ("near_duplicate_of", "near-duplicate of ")):
            if column in docs.columns:
                copy = docs[column].notna().to_numpy() & (reasons == "")
                reasons[copy] = "copy"
                details[copy] = [what + str(v) for v in docs[column].to_numpy()[copy]]
    keep = reasons == ""
    if keep.all():
        left_out = pd.DataFrame(columns=LEFT_OUT_COLUMNS)
        kept = docs
    else:
        left_out = pd.DataFrame({"doc_id": docs.loc[~keep, "doc_id"].astype(str).to_numpy(), "reason": reasons[~keep], "detail": details[~keep], "lang": docs.loc[~keep, "lang"].astype(str).to_numpy()}, columns=LEFT_OUT_COLUMNS)
        kept = docs[keep].reset_index(drop=True)
    group_col = boilerplate_by if boilerplate_by in kept.columns else None
    groups = _group_values(kept[group_col]) if group_col else np.full(len(kept), UNKNOWN_GROUP, dtype=object)
    if isinstance(mwes, (str, os.PathLike)):
        mwe_arg: Any = Path(mwes)
        mwe_setting = Path(mwes).read_text(encoding="utf-8") if Path(mwes).exists() else str(mwes)
    else:
        mwe_arg = list(mwes or [])
        mwe_setting = tuple(mwe_arg)
    kept_langs = sorted(pd.unique(kept["lang"].to_numpy()).tolist())
    stops = {x: stop_words(x, domain=domain_stop_words, extra=extra_stop_words, fold_yo=fold_yo) for x in kept_langs}
    overrides_table = dicts.load_overrides(overrides) if overrides is not None else {}
    settings = {
        "lang": lang if isinstance(lang, str) or lang is None else tuple(lang),
        "drop_copies": drop_copies,
        "boilerplate": boilerplate,
        "boilerplate_by": group_col,
        "mwes": str(mwes) if isinstance(mwes, (str, os.PathLike)) else tuple(mwe_arg),
        "overrides": str(overrides) if overrides is not None else None,
        "fold_yo": fold_yo,
        "domain_stop_words": str(domain_stop_words),
        "extra_stop_words": tuple(sorted(dicts.as_list(extra_stop_words))),
    }
    key_settings = {
        **settings,
        "mwes": mwe_setting,
        "overrides": tuple(sorted(overrides_table.items())),
        "stops": tuple(sorted((x, tuple(sorted(w))) for x, w in stops.items())),
        "code": code_fingerprint(*_CODE, *[Path(__file__).parent / f for f in ("text.py", "lemmas.py", "names.py", "morph.py", "matching.py")]),
        **package_versions("pymorphy3", "pymorphy3-dicts-ru", "pymorphy3-dicts-uk", "simplemma", "pandas", "numpy"),
    }
    # All the texts, which of them are kept, and each kept one's language and group.
    key = content_key([texts_key, keep.astype(np.uint8).tobytes().hex(), json.dumps(kept["lang"].astype(str).tolist()), json.dumps(groups.tolist())], key_settings)

    n_chars: list[int] = []  # (set when the tables are computed, not read from the cache)

    def compute() -> dict[str, pd.DataFrame]:
        from helpers.engine import check_memory

        n_chars.append(int(kept["text"].str.len().sum()) if len(kept) else 0)
        check_memory(n_chars[0], len(kept))  # before any token is made
        tokens, lexicon = tokenize(
            kept[["doc_id", "text", "lang"]], cache=False, fold_yo=fold_yo, mwes=mwe_arg,
            extra_stop_words=extra_stop_words, domain_stop_words=domain_stop_words, overrides=overrides, lexicon=True,
        )
        report = pd.DataFrame(columns=BOILERPLATE_COLUMNS)
        if boilerplate and len(tokens):
            mask, report = find_boilerplate(tokens, groups, texts=dict(zip(kept["doc_id"].astype(str), kept["text"].astype(str))))
            if mask.any():
                tokens = tokens[~mask].reset_index(drop=True)
        return {"tokens": tokens, "lexicon": lexicon, "boilerplate": report}

    tables = cached_tables("corpus", key, compute, cache=cache, cache_dir=cache_dir)
    tokens = tables["tokens"]
    if not isinstance(tokens["doc_id"].dtype, pd.CategoricalDtype) or not tokens["doc_id"].cat.categories.equals(pd.Index(kept["doc_id"].astype(str), dtype="str")):
        tokens["doc_id"] = pd.Categorical(tokens["doc_id"].astype(str), categories=pd.Index(kept["doc_id"].astype(str), dtype="str"))
    words = kind_mask(tokens["kind"])
    kept["n_tokens"] = np.bincount(tokens["doc_id"].cat.codes.to_numpy()[words], minlength=len(kept)).astype(np.int64)
    report = tables["boilerplate"]
    if n_chars:
        from helpers.engine import release_memory

        release_memory(n_chars[0])  # (what tokenizing and writing freed goes back to the system; a cache hit made little)
    return Corpus(kept, tokens, tables["lexicon"], settings, left_out, report)


# --------------------------------------------------------------------------------------------
# The first version's helpers, kept for one release
# --------------------------------------------------------------------------------------------


def as_corpus(first: Any, second: Any = None, *, caller: str = "") -> Corpus:
    """The corpus of a call: a :class:`Corpus`, or the first version's ``(docs, tokens)`` pair.

    A ``(docs, tokens)`` pair (in either order) still works for one release, with a
    :class:`DeprecationWarning`.
    """
    if isinstance(first, Corpus):
        return first
    frames = [f for f in (first, second) if isinstance(f, pd.DataFrame)]
    tokens = next((f for f in frames if {"lemma", "start", "end"} <= set(f.columns)), None)
    docs = next((f for f in frames if "text" in f.columns), None)
    if tokens is None or docs is None:
        raise TypeError(f"{caller or 'This function'} needs a Corpus (from build_corpus(load_corpus(path))).")
    warnings.warn(
        f"{caller or 'This function'}(docs, tokens, ...) is deprecated: pass the Corpus of build_corpus(docs) instead.",
        DeprecationWarning, stacklevel=3,
    )
    return Corpus.from_frames(docs, tokens)


def add_metadata(frame: pd.DataFrame, docs: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
    """Return ``frame`` with metadata ``columns`` of ``docs``.

    .. deprecated:: 0.2
        Use :meth:`Corpus.meta`, the one join of the kit.
    """
    warnings.warn("add_metadata is deprecated: use corpus.meta(frame, columns).", DeprecationWarning, stacklevel=2)
    wanted = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in wanted if c not in frame.columns]
    absent = [c for c in missing if c not in docs.columns]
    if absent:
        raise ValueError(f"The corpus has no column {absent}; it has {', '.join(map(str, docs.columns))}.")
    out = frame.assign(doc_id=frame["doc_id"].astype(str))
    if not missing:
        return out
    meta = docs[["doc_id", *missing]].astype({"doc_id": str})
    return out.merge(meta, on="doc_id", how="left")


def with_groups(docs: pd.DataFrame, by: str, missing: str = UNKNOWN_GROUP) -> pd.DataFrame:
    """Return ``docs`` with no missing value in the grouping column ``by``.

    .. deprecated:: 0.2
        :meth:`Corpus.groups` gives every document's group (``"(unknown)"`` for none).

    Articles without a value form the group ``missing``, so that they stay in every count.

    Raises
    ------
    ValueError
        When the corpus has no such column; the message lists the columns it has.
    """
    warnings.warn("with_groups is deprecated: use corpus.groups(by).", DeprecationWarning, stacklevel=2)
    column = by
    if column not in docs.columns:
        raise ValueError(
            f"The corpus has no column {column!r} to group by; it has {', '.join(map(str, docs.columns))}. "
            "Pass GROUP_BY=<one of them> to make run, or set group_by in the notebook."
        )
    values = docs[column].astype("str").where(docs[column].notna(), missing)
    return docs.assign(**{column: values.replace("", missing)})
