"""The token table: tokens with their kind, lemma, part of speech and stop-word flag, cached.

Every count in the kit rests on :func:`tokenize`. It returns one row per token with the offsets
of the token in the original text, its sentence and paragraph, its kind (word, number, url…),
lemma and part of speech, and whether it is a stop word. Punctuation is dropped. Most users
never call it directly: :func:`helpers.corpus.build_corpus` calls it with the corpus' settings
and keeps the result, so that no later step tokenizes again.

How it is fast
--------------
Documents are segmented many at a time (:func:`helpers.segment.segment`, vectorised over the
code points of a batch); each *distinct* form is repaired, classified and analysed once
(:func:`helpers.lemmas.lemmatize`), and on a large corpus the segmentation and the analyses are
shared with a second, forked process (:func:`jobs`; the table is the same with one process or
two, since a text is cut the same wherever it stands in a batch and an analysis depends on the
form alone). ``token``, ``lemma``, ``kind``, ``pos`` and ``lang`` are categoricals and offsets
are ``int32``, so a token costs about 36 bytes. The result is cached as Parquet, keyed by the
texts, the settings, the library versions and this code (:mod:`helpers.cache`); a hit reads the
integer codes back without any per-token work. ``benchmarks/bench_text.py`` measures all of it
on real news.

See :mod:`helpers.segment` for the segmentation rules and token kinds, and
:mod:`helpers.lemmas` for lemmas (names chosen per paradigm, numbered names, overrides).
Snowball stems (PyStemmer, the Snowball project's own C stemmers; no data download) are
available through :func:`add_stems` for comparison with lemmas.
"""

from __future__ import annotations

import gc
import os
import time
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import dictionaries as dicts
from helpers.arrays import spans
from helpers.cache import cached_tables, code_fingerprint, content_key, package_versions
from helpers.constants import TOKEN_KINDS
from helpers.engine import can_fork, jobs  # noqa: F401  (text.jobs: the processes the text layer may use)
from helpers.engine import result_or_here as _result, submit_or_none as _submit
from helpers import lemmas as _lemmas
from helpers.lemmas import alias_lemmas, expand_key, lemmatize
from helpers.matching import match_sequences
from helpers.progress import progress
from helpers.segment import (  # noqa: F401  (re-exported: the text layer's public names)
    ABBREVIATION_LEMMAS,
    detect_language,
    languages,
    may_need_repair,
    repair_script,
    segment,
    split_sentences,
    token_kind,
)

CORPUS_DIR = dicts.CORPUS_DIR
DOMAIN_STOPWORDS = dicts.STOPWORDS_FILE
LEMMA_OVERRIDES = dicts.OVERRIDES_FILE
MWES_FILE = dicts.MWES_FILE

TOKEN_COLUMNS = ["doc_id", "sentence", "paragraph", "start", "end", "token", "lemma", "kind", "pos", "is_stop", "lang", "mwe", "mwe_first"]
LEXICON_COLUMNS = ["lang", "form", "lemma", "pos", "name", "alternatives", "candidates"]
_CHUNK_CHARS = 4_000_000  # characters segmented at once (bounds the memory of one pass)
_CODE = [Path(__file__), *(Path(__file__).parent / f for f in ("segment.py", "lemmas.py", "names.py", "morph.py", "matching.py"))]
#: A second process pays off from about this much text (segmentation) or this many distinct
#: forms (analysis); below, everything runs here.
_PARALLEL_CHARS = 1_000_000
_PARALLEL_FORMS = 8_000

#: Seconds spent in each stage of the last :func:`tokenize` that computed a table (for
#: ``benchmarks/bench_text.py``): ``segmentation``, ``analysis`` (the distinct forms, in every
#: process allowed), ``lemma choice`` (names per paradigm, stop words), ``tables`` and
#: ``expressions``.
TIMINGS: dict[str, float] = {}


# --------------------------------------------------------------------------------------------
# Processes and caches
# --------------------------------------------------------------------------------------------


def clear_caches() -> None:
    """Empty the in-process caches of the text layer (analyses, name candidates, readings).

    Results never depend on them; benchmarks clear them to time a cold run.
    """
    from helpers import morph

    _lemmas.clear_caches()
    morph.readings.cache_clear()


def warm_up() -> None:
    """Load what every tokenization needs once per process: the analysers' dictionaries and the
    character tables of :mod:`helpers.segment` (about a second; :func:`tokenize` does it on
    first use anyway)."""
    from helpers import morph, segment as _segment

    for lang in morph.MORPH_LANGS:
        morph._internals(lang)
        _lemmas._tag_info(lang)
    _segment._bmp_table()


class _Worker:
    """One forked worker process, started on first use (None where fork is unavailable)."""

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.pool = None

    def get(self):
        if self.pool is None and self.allowed:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            with warnings.catch_warnings():  # Python 3.12+ warns about fork in a threaded process
                warnings.simplefilter("ignore", DeprecationWarning)
                self.pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class _DaskWorker:
    """The dask engine's stand-in for :class:`_Worker`: ``get()`` is the cluster's pool."""

    def __init__(self, pool) -> None:
        self.pool = pool

    def get(self):
        return self.pool

    def close(self) -> None:
        pass


@contextmanager
def _worker():
    from helpers.engine import pool as dask_pool

    cluster = dask_pool()
    if cluster is not None:  # the dask engine: every chunk and share of forms goes to the cluster
        yield _DaskWorker(cluster)
        return

    # fork only: the worker inherits the loaded dictionaries (and nothing is re-imported); only
    # on Linux, where forking a process that has loaded system libraries is safe.
    allowed = can_fork()
    worker = _Worker(allowed)
    try:
        yield worker
    finally:
        worker.close()


# --------------------------------------------------------------------------------------------
# Stop words
# --------------------------------------------------------------------------------------------


def stop_words(
    lang: str = "ru", *, domain: bool | str | Path = True, extra: Iterable[str] = (), fold_yo: bool = True
) -> frozenset[str]:
    """Return the stop-word set for a language.

    Parameters
    ----------
    lang : str
        ``"ru"``, ``"uk"`` or ``"en"`` (lists of the ``stop-words`` pip package; no download).
    domain : bool or path
        Add the editable domain list, ``corpus/stopwords.csv`` (columns ``lemma,lang,reason``),
        or a CSV of the same shape given as a path (it must exist). ``False`` leaves it out.
    extra : iterable of str
        Your own stop words, added as they are (lower-cased).
    fold_yo : bool
        Fold ``ё`` into ``е``, as lemmas are by default.
    """
    extra = tuple(dicts.as_list(extra))
    path = None if domain is False or domain is None else (DOMAIN_STOPWORDS if domain is True else Path(domain))
    stamp = dicts.file_stamp(path) if path is not None else None
    if path is not None and stamp is None:
        return _stop_words(lang, path, extra, fold_yo)  # (a missing file: the reader raises its own error)
    key = (lang, stamp, extra, fold_yo)
    hit = _STOP_WORDS.get(key)
    if hit is None:
        hit = _STOP_WORDS[key] = _stop_words(lang, path, extra, fold_yo)
    return hit


_STOP_WORDS: dict[tuple, frozenset[str]] = {}  # re-read whenever the domain list changes on disk


def _stop_words(lang: str, path: Path | None, extra: tuple[str, ...], fold_yo: bool) -> frozenset[str]:
    from stop_words import StopWordError, get_stop_words

    try:
        words = set(get_stop_words(lang))
    except StopWordError:
        words = set()
    if path is not None:
        words |= dicts.load_stopwords(path, lang).get(lang, set())
    words |= {w.strip() for w in dicts.as_list(extra)}
    words = {w.lower() for w in words if w}
    if fold_yo:
        words = {w.replace("ё", "е") for w in words}
    return frozenset(words)


def _is_stop(lemma: str, form: str, kind: str, words: frozenset[str]) -> bool:
    """A stop word: in the list (as lemma or form), or a single letter (an initial)."""
    if kind != "word" and kind != "abbreviation":
        return False
    if lemma in words or form.lower() in words:
        return True
    if lemma.isalpha():  # every character a letter: only a single letter counts
        return len(lemma) == 1
    letters = sum(ch.isalpha() for ch in lemma)
    return letters == 0 or (letters == 1 and len(lemma) <= 2)


# --------------------------------------------------------------------------------------------
# Keys of dictionary phrases
# --------------------------------------------------------------------------------------------


def phrase_words(phrase: str) -> list[str]:
    """The tokens of a dictionary phrase, as :func:`tokenize` would cut them (script repaired)."""
    phrase = unicodedata.normalize("NFC", phrase)
    return [repair_script(w) for w in segment([phrase]).surfaces]


def lemma_key(phrase: str, lang: str = "ru", *, fold_yo: bool = True, overrides: str | Path | None = LEMMA_OVERRIDES) -> tuple[str, ...]:
    """The lemma sequence of a dictionary phrase, on its own (no corpus around it).

    Dictionary names are written in the nominative, so a capitalised word takes its nominative
    reading (:func:`helpers.lemmas.alias_lemmas`). Inside a corpus, use
    :meth:`helpers.corpus.Corpus.key`, which also knows the lemmas the corpus chose for its
    names.

    Examples
    --------
    >>> lemma_key("Соединенными Штатами Америки")
    ('соединенный', 'штат', 'америка')
    """
    words = phrase_words(phrase)
    table = dicts.load_overrides(overrides) if overrides is not None else {}
    return tuple(alias_lemmas(words, lang, fold_yo=fold_yo, overrides=table))


def load_mwes(path: str | Path | None = None, lang: str = "ru") -> list[str]:
    """The multi-word expressions of one language (``corpus/mwes.csv`` by default)."""
    return dicts.load_mwes(path, lang)["expression"].tolist()


# --------------------------------------------------------------------------------------------
# The token table
# --------------------------------------------------------------------------------------------


def _check_docs(docs: pd.DataFrame) -> None:
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text"} <= set(docs.columns):
        raise ValueError("tokenize() needs a DataFrame with 'doc_id' and 'text' columns, as load_corpus() returns.")
    if docs["doc_id"].duplicated().any():
        dup = docs.loc[docs["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"doc_id must be unique; {dup!r} appears more than once.")


def _empty_tokens(doc_categories) -> pd.DataFrame:
    cat = lambda: pd.Categorical(pd.Series([], dtype="str"))  # noqa: E731
    return pd.DataFrame(
        {
            "doc_id": pd.Categorical([], categories=doc_categories),
            "sentence": np.zeros(0, np.int32),
            "paragraph": np.zeros(0, np.int32),
            "start": np.zeros(0, np.int32),
            "end": np.zeros(0, np.int32),
            "token": cat(),
            "lemma": cat(),
            "kind": pd.Categorical([], categories=list(TOKEN_KINDS)),
            "pos": cat(),
            "is_stop": np.zeros(0, bool),
            "lang": cat(),
            "mwe": cat(),
            "mwe_first": np.zeros(0, bool),
        }
    )


def _chunks(texts: list[str], size_limit: int | None = None) -> list[tuple[int, int]]:
    """Ranges of documents of at most about ``size_limit`` characters (default :data:`_CHUNK_CHARS`)."""
    size_limit = _CHUNK_CHARS if size_limit is None else size_limit
    out, start, size = [], 0, 0
    for i, t in enumerate(texts):
        size += len(t)
        if size >= size_limit:
            out.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(texts):
        out.append((start, len(texts)))
    return out


def _segment_chunk(texts: list[str]) -> tuple:
    """Segment one chunk (any process): its arrays, its distinct forms (factorised), each form
    with its look-alike letters repaired (:func:`repair_script`) and the kind of the repaired
    form (:func:`token_kind`)."""
    seg = segment(texts)
    codes, forms = pd.factorize(np.asarray(seg.surfaces, dtype=object))
    forms = forms.tolist()
    repaired = list(forms)
    for k in np.flatnonzero(may_need_repair(forms)).tolist():
        repaired[k] = repair_script(forms[k])
    return seg.doc, seg.start, seg.end, seg.sentence, seg.paragraph, seg.initial, codes, forms, repaired, [token_kind(r) for r in repaired]


def _segment_all(texts: list[str], worker: _Worker):
    """Segment every chunk, in order; the second half of the text in the worker when it pays."""
    total = sum(map(len, texts))
    if isinstance(worker, _DaskWorker):
        # Every chunk on the cluster (a few in flight per worker), assembled in input order.
        ranges = _chunks(texts)
        results = worker.pool.map_ordered(_segment_chunk, ((texts[a:b],) for a, b in ranges))
        for (a, _), result in zip(ranges, progress(results, total=len(ranges), desc="tokenizing", unit="chunks")):
            yield a, result
        return
    pool = worker.get() if total >= _PARALLEL_CHARS else None
    if pool is None:
        for a, b in progress(_chunks(texts), desc="tokenizing", unit="chunks"):
            yield a, _segment_chunk(texts[a:b])
        return
    ranges = _chunks(texts, min(_CHUNK_CHARS, total // 2 + 1))
    half = len(ranges) // 2
    futures = [(a, b, _submit(pool, _segment_chunk, texts[a:b])) for a, b in ranges[half:]]
    for a, b in ranges[:half]:
        yield a, _segment_chunk(texts[a:b])
    for a, b, future in futures:
        yield a, _result(future, _segment_chunk, texts[a:b])


def _build(
    doc_ids: list[str], texts: list[str], langs: list[str], *, fold_yo: bool, stops: dict[str, frozenset[str]],
    overrides: dict, mwes: Sequence[tuple[str, str]],
) -> dict[str, pd.DataFrame]:
    """Tokenize documents: the token table and the corpus' lexicon."""
    # The build makes millions of small objects and no reference cycle worth collecting; the
    # cyclic garbage collector would walk the whole heap again and again (and, in a forked
    # worker, copy every page it touches), so it rests until the tables are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with _worker() as worker:
            return _build_with(worker, doc_ids, texts, langs, fold_yo=fold_yo, stops=stops, overrides=overrides, mwes=mwes)
    finally:
        if collecting:
            gc.enable()


def _build_with(
    worker: _Worker, doc_ids: list[str], texts: list[str], langs: list[str], *, fold_yo: bool,
    stops: dict[str, frozenset[str]], overrides: dict, mwes: Sequence[tuple[str, str]],
) -> dict[str, pd.DataFrame]:
    TIMINGS.clear()
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        TIMINGS[stage] = TIMINGS.get(stage, 0.0) + now - clock
        clock = now

    doc_cats = pd.Index(doc_ids, dtype="str")
    form_code: dict[str, int] = {}
    forms: list[str] = []
    repaired: list[str] = []
    form_kinds: list[str] = []
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("doc", "start", "end", "sentence", "paragraph", "initial", "form")}
    for a, (doc, start, end, sentence, paragraph, initial, local_codes, local_forms, local_repaired, local_kinds) in _segment_all(texts, worker):
        mapping = np.empty(len(local_forms), dtype=np.int64)
        for k, f in enumerate(local_forms):
            code = form_code.get(f)
            if code is None:
                code = form_code[f] = len(forms)
                forms.append(f)
                repaired.append(local_repaired[k])
                form_kinds.append(local_kinds[k])
            mapping[k] = code
        parts["doc"].append(doc.astype(np.int32) + a)
        parts["start"].append(start)
        parts["end"].append(end)
        parts["sentence"].append(sentence.astype(np.int32, copy=False))  # (4 bytes a token, not 8)
        parts["paragraph"].append(paragraph.astype(np.int32, copy=False))
        parts["initial"].append(initial)
        parts["form"].append(mapping.astype(np.int32)[local_codes] if len(local_codes) else np.zeros(0, np.int32))
    lap("segmentation")
    if not forms:
        return {"tokens": _empty_tokens(doc_cats), "lexicon": pd.DataFrame(columns=LEXICON_COLUMNS)}
    arr = {k: np.concatenate(v) for k, v in parts.items()}
    parts.clear()  # (the chunks' arrays: the corpus' arrays hold the same values)
    lang_values = sorted(set(langs))
    lang_index = {lang: i for i, lang in enumerate(lang_values)}
    doc_lang = np.fromiter((lang_index[x] for x in langs), dtype=np.int8 if len(lang_values) < 128 else np.int64, count=len(langs))
    token_lang = doc_lang[arr["doc"]]
    # Distinct (form, language) pairs; each is repaired, classified (both per distinct form of a
    # chunk, above) and lemmatised once.
    rep_codes, rep_values = pd.factorize(np.asarray(repaired, dtype=object))
    rep_kind = np.empty(len(rep_values), dtype=object)
    rep_kind[rep_codes] = np.asarray(form_kinds, dtype=object)
    pair = rep_codes.astype(np.int64)[arr["form"]]
    pair *= len(lang_values)
    pair += token_lang  # (in place: one 8-byte array per token, briefly)
    pair_codes, pair_values = pd.factorize(pair, sort=True)
    del pair
    pair_codes = pair_codes.astype(np.int32)  # (fewer distinct pairs than 2**31: 4 bytes a token)
    pair_form = pair_values // len(lang_values)
    pair_lang = pair_values % len(lang_values)
    n_pairs = len(pair_values)
    counts = np.bincount(pair_codes, minlength=n_pairs)
    initial = np.bincount(pair_codes[arr["initial"]], minlength=n_pairs).astype(np.int64)
    pair_surface = np.asarray(rep_values, dtype=object)[pair_form]
    kinds = rep_kind[pair_form]
    table = pd.DataFrame({
        "lang": np.asarray(lang_values, dtype=object)[pair_lang],
        "form": pair_surface,
        "kind": kinds,
        "n": counts,
        "n_initial": initial,
    })
    lap("segmentation")
    if n_pairs >= _PARALLEL_FORMS:
        # Analyse every distinct form up front, in two processes where allowed; the choice of
        # lemmas below then reads the analyses from the cache.
        units, english = _lemmas._needs(table["form"].tolist(), table["lang"].tolist(), kinds.tolist(), overrides)
        executor = worker.get()
        if isinstance(worker, _DaskWorker):
            _lemmas._prefill_shares(units, english, executor)
        elif executor is not None:
            _lemmas._prefill(units, english, executor)
        else:
            _lemmas._work(units, english)
    lap("analysis")
    lex = lemmatize(table, fold_yo=fold_yo, overrides=overrides)
    pair_stop = np.fromiter(
        (_is_stop(l, f, k, stops[lang]) for l, f, k, lang in zip(lex["lemma"].tolist(), pair_surface.tolist(), kinds.tolist(), table["lang"].tolist())),
        dtype=bool, count=n_pairs,
    )
    lap("lemma choice")
    kind_index = {k: i for i, k in enumerate(TOKEN_KINDS)}
    kind_codes = np.fromiter((kind_index.get(k, -1) for k in kinds.tolist()), dtype=np.int8, count=n_pairs)
    lemma_codes, lemma_values = pd.factorize(lex["lemma"].to_numpy())
    pos_codes, pos_values = pd.factorize(lex["pos"].to_numpy())
    token_values = pd.Index(rep_values, dtype="str")
    tokens = pd.DataFrame(
        {
            "doc_id": pd.Categorical.from_codes(arr["doc"], categories=doc_cats),
            "sentence": arr["sentence"].astype(np.int32, copy=False),
            "paragraph": arr["paragraph"].astype(np.int32, copy=False),
            "start": arr["start"].astype(np.int32, copy=False),
            "end": arr["end"].astype(np.int32, copy=False),
            # (codes narrowed per distinct value, then spread: no 8-byte array per token)
            "token": pd.Categorical.from_codes(rep_codes.astype(np.int32)[arr["form"]], categories=token_values),
            "lemma": pd.Categorical.from_codes(lemma_codes.astype(np.int32)[pair_codes], categories=pd.Index(lemma_values, dtype="str")),
            "kind": pd.Categorical.from_codes(kind_codes[pair_codes], dtype=pd.CategoricalDtype(list(TOKEN_KINDS))),
            "pos": pd.Categorical.from_codes(pos_codes.astype(np.int8)[pair_codes], categories=pd.Index(pos_values, dtype="str")),
            "is_stop": pair_stop[pair_codes],
            "lang": pd.Categorical.from_codes(token_lang.astype(np.int8, copy=False), categories=pd.Index(lang_values, dtype="str")),
        },
        copy=False,
    )
    arr.clear()
    lexicon = pd.concat([table[["lang", "form"]], lex[["lemma", "pos", "name", "alternatives", "candidates"]]], axis=1)
    lap("tables")
    tokens = mark_mwes(tokens, mwes, lexicon=lexicon, fold_yo=fold_yo, overrides=overrides)
    lexicon = lexicon.astype({"lang": "str", "form": "str", "lemma": "str", "pos": "str", "alternatives": "str", "candidates": "str"})
    lap("expressions")
    return {"tokens": tokens, "lexicon": lexicon}


def tokenize(
    docs: pd.DataFrame,
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    fold_yo: bool = True,
    mwes: Sequence[str] | str | Path | None = (),
    extra_stop_words: Iterable[str] = (),
    domain_stop_words: bool | str | Path = True,
    overrides: str | Path | None = LEMMA_OVERRIDES,
    lexicon: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Split documents into tokens with kinds, lemmas, parts of speech, sentences and paragraphs.

    Parameters
    ----------
    docs : DataFrame
        One row per document with ``doc_id`` and ``text`` (``lang`` optional: detected per
        document when missing), as :func:`helpers.corpus.load_corpus` returns.
    cache : bool
        Read and write the cache, Arrow files (default True). ``False`` always recomputes.
    cache_dir : str or Path, optional
        Cache folder; default ``$NEWSFRAMES_CACHE`` or ``~/.cache/newsframes``.
    fold_yo : bool
        Fold ``ё`` into ``е`` in lemmas (default True), so that ``её`` and ``ее`` match.
    mwes : sequence of str, or a path
        Multi-word expressions (e.g. ``"коалиция желающих"``) marked wherever their lemma
        sequence occurs inside a sentence (every inflected form matches): the ``mwe`` column holds
        the expression on each of its tokens and ``mwe_first`` marks the first, so that counts
        treat it as one term while actors, frames and KWIC still see every word. A path reads an
        expression list (``expression,lang``); expressions apply to their language.
    extra_stop_words : iterable of str
        Your own stop words (lemmas), added to the lists.
    domain_stop_words : bool or path
        Use ``corpus/stopwords.csv`` (default), another CSV of that shape, or none (False).
    overrides : str or Path, optional
        Lemma override CSV (``lang,form,lemma[,case]``); default ``corpus/lemma_overrides.csv``.
        A path that does not exist is an error; None means no overrides.
    lexicon : bool
        Also return the corpus' lexicon (one row per distinct form: its lemma, part of speech,
        whether it was read as a name, its other possible lemmas and its name candidates).

    Returns
    -------
    DataFrame (or DataFrame, DataFrame with ``lexicon=True``)
        One row per token, in text order: ``doc_id`` (categorical, one category per document in
        ``docs`` order), ``sentence`` and ``paragraph`` (0-based within the document), ``start``
        and ``end`` (offsets into ``docs.text``), ``token`` (the form as written, with look-alike
        letters repaired; categorical), ``lemma`` (lower case), ``kind`` (see
        :mod:`helpers.segment`), ``pos`` (pymorphy3's part of speech, empty when unknown),
        ``is_stop`` (bool), ``lang``, ``mwe`` (the expression a token belongs to, else missing)
        and ``mwe_first`` (the expression's first token).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Шольц заявил. Встреча с Шольцем. Позиция Шольца."], "lang": ["ru"]})
    >>> tokenize(docs, cache=False)["lemma"].tolist()
    ['шольц', 'заявить', 'встреча', 'с', 'шольц', 'позиция', 'шольц']
    """
    _check_docs(docs)
    langs = languages(docs)["lang"].tolist()
    stops = {lang: stop_words(lang, domain=domain_stop_words, extra=extra_stop_words, fold_yo=fold_yo) for lang in sorted(set(langs))}
    override_table = dicts.load_overrides(overrides) if overrides is not None else {}
    if isinstance(mwes, (str, os.PathLike)):
        mwe_rows = list(dicts.load_mwes(mwes).itertuples(index=False, name=None))
    else:
        mwe_rows = [(m, lang) for m in dicts.as_list(mwes) for lang in sorted(set(langs))]
    settings = {
        "code": code_fingerprint(*_CODE),
        "fold_yo": fold_yo,
        "mwes": tuple(mwe_rows),
        "stops": tuple(sorted((lang, tuple(sorted(words))) for lang, words in stops.items())),
        "overrides": tuple(sorted(override_table.items())),
        "langs": tuple(langs),
        **package_versions("pymorphy3", "pymorphy3-dicts-ru", "pymorphy3-dicts-uk", "simplemma", "pandas"),
    }
    ids = docs["doc_id"].astype(str).tolist()
    texts = docs["text"].astype(str).tolist()
    key = content_key((part for pair in zip(ids, texts) for part in pair), settings)
    tables = cached_tables(
        "tokens", key,
        lambda: _build(ids, texts, langs, fold_yo=fold_yo, stops=stops, overrides=override_table, mwes=mwe_rows),
        cache=cache, cache_dir=cache_dir,
    )
    if lexicon:
        return tables["tokens"], tables["lexicon"]
    return tables["tokens"]


# --------------------------------------------------------------------------------------------
# Multi-word expressions
# --------------------------------------------------------------------------------------------


def phrase_keys(words: Sequence[str], lang: str, lexicon: pd.DataFrame | None, *, fold_yo: bool = True, overrides=None) -> list[tuple[str, ...]]:
    """Every lemma sequence under which a dictionary phrase may occur in a corpus.

    The phrase's own key (:func:`helpers.lemmas.alias_lemmas`), with each word replaced by the
    lemma the corpus chose for that form where the corpus has it (or for a form whose name
    candidates include it), its numbered-name spellings (:func:`helpers.lemmas.expand_key`),
    and, for phrases of two words or more, the keys that use another possible lemma of an
    ambiguous form (``заморозки`` is both ``заморозок`` and ``заморозка``).
    """
    return _phrase_keys(words, lang, _LexiconIndex(lexicon, lang) if lexicon is not None and len(lexicon) else None, fold_yo=fold_yo, overrides=overrides)


class _LexiconIndex:
    """The look-ups :func:`phrase_keys` makes in one language of a lexicon, built once."""

    def __init__(self, lexicon: pd.DataFrame, lang: str) -> None:
        lex = lexicon[lexicon["lang"] == lang]
        forms = lex["form"].tolist()
        lemmas = lex["lemma"].tolist()
        self.by_form = dict(zip(forms, lemmas))
        self.by_lower: dict[str, str] = {}
        for f, lem in zip(forms, lemmas):
            self.by_lower.setdefault(f.lower(), lem)
        self.by_candidate: dict[str, set[str]] = {}
        for cands, lem, is_name in zip(lex["candidates"].tolist(), lemmas, lex["name"].astype(bool).tolist()):
            if is_name:
                for c in str(cands).split("|"):
                    if c:
                        self.by_candidate.setdefault(c, set()).add(lem)
        self.lemmas_present = set(lemmas)
        self._alts = lex["alternatives"].tolist()
        self._lemmas = lemmas
        self._alternatives: dict[str, set[str]] | None = None

    @property
    def alternatives(self) -> dict[str, set[str]]:
        if self._alternatives is None:
            out: dict[str, set[str]] = {}
            for alts, lem in zip(self._alts, self._lemmas):
                for a in str(alts).split("|"):
                    if a:
                        out.setdefault(a, set()).add(lem)
            self._alternatives = out
        return self._alternatives


def _phrase_keys(words: Sequence[str], lang: str, index: _LexiconIndex | None, *, fold_yo: bool = True, overrides=None) -> list[tuple[str, ...]]:
    base = alias_lemmas(list(words), lang, fold_yo=fold_yo, overrides=overrides)
    options: list[set[str]] = [{b} for b in base]
    if index is not None:
        alternatives = index.alternatives if len(words) > 1 else {}
        for i, (word, b) in enumerate(zip(words, base)):
            corpus_lemma = index.by_form.get(word) or (index.by_lower.get(word.lower()) if not word[:1].isupper() else None)
            if corpus_lemma is not None:
                options[i].add(corpus_lemma)
            if word[:1].isupper() and b not in index.lemmas_present:
                options[i] |= index.by_candidate.get(b, set())
            options[i] |= alternatives.get(b, set())
    keys = {()}
    for opts in options:
        keys = {k + (o,) for k in keys for o in sorted(opts)}
        if len(keys) > 64:  # a phrase of many ambiguous words: keep the most likely spellings
            keys = set(sorted(keys)[:64])
    out: set[tuple[str, ...]] = set()
    for k in keys:
        out.update(expand_key(k))
    return sorted(out)


def _mwe_patterns(tokens: pd.DataFrame, mwes, lexicon, fold_yo: bool, overrides) -> pd.DataFrame:
    langs = list(tokens["lang"].cat.categories)
    # (an expression of a language the table does not have can match nothing: its key is not made)
    rows = [(m, lang) for m in mwes for lang in langs] if isinstance(mwes[0], str) else [r for r in mwes if r[1] in langs]
    patterns = []
    indexes: dict[str, _LexiconIndex | None] = {}
    for expression, lang in rows:
        label = " ".join(expression.lower().split())
        label = label.replace("ё", "е") if fold_yo else label
        if lang not in indexes:
            indexes[lang] = _LexiconIndex(lexicon, lang) if lexicon is not None and len(lexicon) else None
        for key in _phrase_keys(phrase_words(expression), lang, indexes[lang], fold_yo=fold_yo, overrides=overrides):
            if len(key) > 1:
                patterns.append((label, key, lang))
    return pd.DataFrame(patterns, columns=["pattern", "key", "lang"]).drop_duplicates(["key", "lang"])


def mark_mwes(
    tokens: pd.DataFrame, mwes: Sequence[tuple[str, str]] | Sequence[str], *, lexicon: pd.DataFrame | None = None,
    fold_yo: bool = True, overrides=None,
) -> pd.DataFrame:
    """Mark multi-word expressions on the tokens they span (columns ``mwe`` and ``mwe_first``).

    Parameters
    ----------
    tokens : DataFrame
        A token table.
    mwes : sequence of (expression, lang) or of str
        Expressions as written in a dictionary, e.g. ``"прекращение огня"``; every inflected
        form matches (``прекращения огня``), under every spelling the corpus uses when the
        ``lexicon`` is given (:func:`phrase_keys`). The label is the expression lower-cased and
        ``ё``-folded. Plain strings apply to every language of the table.

    Returns
    -------
    DataFrame
        ``tokens`` with ``mwe`` (categorical: the label on every token of a match, else
        missing) and ``mwe_first`` (True on a match's first token).
    """
    from helpers.matching import match_phrases

    # Codes, not a label per token: the labels found, sorted, are the categories.
    codes = np.full(len(tokens), -1, dtype=np.int32)
    first_flag = np.zeros(len(tokens), dtype=bool)
    categories = np.zeros(0, dtype=object)
    if len(mwes) and len(tokens):
        pats = _mwe_patterns(tokens, list(mwes), lexicon, fold_yo, overrides)
        if len(pats):
            matches = match_phrases(tokens, pats)
            if len(matches):
                first = matches["first"].to_numpy()
                last = matches["last"].to_numpy()
                span = last - first + 1
                rows = spans(first, span)
                categories, label_codes = np.unique(matches["pattern"].to_numpy(dtype=object).astype(str), return_inverse=True)
                codes[rows] = np.repeat(label_codes.astype(np.int32), span)
                first_flag[first] = True
    mwe = pd.Categorical.from_codes(codes, categories=pd.Index(categories.tolist(), dtype="str"))
    return tokens.assign(mwe=mwe, mwe_first=first_flag)  # (copy-on-write: the other columns are not copied)


def merge_mwes(
    tokens: pd.DataFrame, mwes: Sequence[tuple[str, str]] | Sequence[str], *, texts: dict[str, str] | None = None,
    lexicon: pd.DataFrame | None = None, fold_yo: bool = True, overrides=None,
) -> pd.DataFrame:
    """Merge multi-word expressions into single tokens (one row each), matched on lemma sequences.

    The kit itself marks expressions instead (:func:`mark_mwes`), so that every word stays
    visible to dictionaries; this function gives a table where each expression is one row.

    Parameters
    ----------
    tokens : DataFrame
        A token table.
    mwes : sequence of (expression, lang) or of str
        Expressions as written in a dictionary, e.g. ``"прекращение огня"``; every inflected
        form matches (``прекращения огня``). The merged token's lemma is the expression as
        given, lower-cased and ``ё``-folded. Plain strings apply to every language of the table.
    texts : dict, optional
        ``{doc_id: text}``, so that the merged ``token`` is the original text span; without it
        the words are joined by single spaces.
    lexicon : DataFrame, optional
        The corpus' lexicon (:func:`tokenize` with ``lexicon=True``): expressions then match
        under every spelling the corpus uses (:func:`phrase_keys`).

    Returns
    -------
    DataFrame
        The token table with each match replaced by one row spanning it (kind ``word``).
    """
    if not len(mwes) or not len(tokens):
        return tokens
    pats = _mwe_patterns(tokens, list(mwes), lexicon, fold_yo, overrides)
    if pats.empty:
        return tokens
    from helpers.matching import match_phrases

    matches = match_phrases(tokens, pats)
    if matches.empty:
        return tokens
    first = matches["first"].to_numpy()
    last = matches["last"].to_numpy()
    drop = np.zeros(len(tokens), dtype=bool)
    covered = np.repeat(first, last - first) + np.concatenate([np.arange(1, n + 1) for n in (last - first)]) if (last > first).any() else np.zeros(0, np.int64)
    drop[covered] = True
    out = tokens.copy()
    ends = out["end"].to_numpy().copy()
    ends[first] = out["end"].to_numpy()[last]
    out["end"] = ends
    if texts is not None:
        doc_of = out["doc_id"].astype(str).to_numpy()
        starts = out["start"].to_numpy()
        spans = [texts[doc_of[a]][starts[a]: ends[a]] for a in first]
    else:
        words = out["token"].astype(str).to_numpy()
        spans = [" ".join(words[a: b + 1]) for a, b in zip(first, last)]
    token = out["token"].astype(object).to_numpy().copy()
    lemma = out["lemma"].astype(object).to_numpy().copy()
    token[first] = spans
    lemma[first] = matches["pattern"].to_numpy()
    stop = out["is_stop"].to_numpy().copy()
    stop[first] = False
    kind = out["kind"].astype(object).to_numpy().copy()
    kind[first] = "word"
    pos = out["pos"].astype(object).to_numpy().copy()
    pos[first] = "NOUN"
    out["token"] = pd.Categorical(pd.Series(token, dtype="str"))
    out["lemma"] = pd.Categorical(pd.Series(lemma, dtype="str"))
    out["kind"] = pd.Categorical(kind, categories=list(TOKEN_KINDS))
    out["pos"] = pd.Categorical(pd.Series(pos, dtype="str"))
    out["is_stop"] = stop
    return out.loc[~drop].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Stems, for comparison with lemmas
# --------------------------------------------------------------------------------------------

_SNOWBALL = {"ru": "russian", "en": "english"}


#: Distinct forms from which :func:`add_stems` shares the stemming between processes
#: (PyStemmer does 400,000 in about a second; below that a fork saves less than it costs).
_PARALLEL_STEMS = 400_000


def _stem_all(algorithm: str, forms: list[str]) -> list[str]:
    """Snowball stems of ``forms`` (in processes allowed, for many forms; the same stems).

    PyStemmer runs the Snowball project's C stemmers: about fifteen times faster than NLTK's
    Python port, and it leaves Latin letters as they are (NLTK's Russian stemmer rewrites them
    in Cyrillic: «it-индустрии» → «ит-индустр»).
    """
    import Stemmer

    from helpers.engine import balanced_ranges, fork_map

    def stem(a: int, b: int) -> list[str]:
        return Stemmer.Stemmer(algorithm).stemWords(forms[a:b])

    n = jobs() if len(forms) >= _PARALLEL_STEMS else 1
    return [x for part in fork_map(stem, balanced_ranges(np.ones(len(forms)), n)) for x in part]


def add_stems(tokens: pd.DataFrame) -> pd.DataFrame:
    """Return ``tokens`` with a ``stem`` column from the Snowball stemmer (PyStemmer).

    Russian and English have Snowball stemmers (they need no data download); other languages
    get ``NA``. Each distinct form of a language is stemmed once, and the column is built from
    the token codes (no per-token string work).
    """
    out = tokens
    token_cat = out["token"].cat
    lower = token_cat.categories.astype(str).str.lower().tolist()
    codes = token_cat.codes.to_numpy()
    langs = out["lang"].to_numpy(dtype=object) if not isinstance(out["lang"].dtype, pd.CategoricalDtype) else None
    stem_codes = np.full(len(out), -1, dtype=np.int64)
    index: dict[str, int] = {}
    for lang, algorithm in _SNOWBALL.items():
        mask = (out["lang"] == lang).to_numpy() if langs is None else (langs == lang)
        if not mask.any():
            continue
        present = codes[mask]
        used = np.flatnonzero(np.bincount(present[present >= 0], minlength=len(lower))).tolist()  # (no sort of every token)
        distinct = sorted({lower[c] for c in used})  # case variants of a form share its stem
        stems = _stem_all(algorithm, distinct)
        stem_of = {form: index.setdefault(stem, len(index)) for form, stem in zip(distinct, stems)}
        table = np.full(len(lower) + 1, -1, dtype=np.int64)  # the last slot: a missing token (code -1)
        for c in used:
            table[c] = stem_of[lower[c]]
        stem_codes[mask] = table[codes[mask]]
    values = np.array(list(index), dtype=object)
    order = np.argsort(values, kind="stable") if len(values) else np.zeros(0, dtype=np.int64)
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values))
    remapped = np.where(stem_codes >= 0, rank[np.maximum(stem_codes, 0)] if len(values) else -1, -1)
    stem = pd.Categorical.from_codes(remapped.astype(np.int32), categories=pd.Index(values[order].tolist(), dtype="str"))
    return tokens.assign(stem=stem)  # (copy-on-write: the token columns are shared, not copied)


def with_language(docs: pd.DataFrame) -> pd.DataFrame:
    """Return ``docs`` with every missing ``lang`` filled in by :func:`detect_language`.

    .. deprecated:: 0.2
        :func:`helpers.corpus.build_corpus` decides languages once; use its ``docs``.
    """
    import warnings

    warnings.warn("with_language is deprecated: build_corpus decides languages once (corpus.docs['lang']).", DeprecationWarning, stacklevel=2)
    return docs.assign(lang=languages(docs)["lang"].to_numpy())
