"""Tokens, sentences, lemmas and stop words, Russian first, cached.

Every count in the kit rests on :func:`tokenize`. It returns one row per word token with the
offsets of the token in the original text, its sentence and paragraph, its lemma and whether it is
a stop word. Punctuation is **dropped**: rows are words, numbers and abbreviations only.

How it is fast
--------------
Russian inflection scatters one word over a dozen forms, and morphological analysis is the slow
part. :func:`tokenize` therefore finds tokens with one compiled regular expression per document,
then lemmatizes each *distinct* form once (a corpus of a million tokens has a few tens of
thousands of forms), and keeps ``token`` and ``lemma`` as categoricals. The result is cached as
Parquet, keyed by the texts, the settings and the library versions (:mod:`helpers.cache`).

Segmentation rules
------------------
- Paragraphs: blank-line separated blocks when the text has blank lines, else one paragraph per
  line (the usual shape of scraped news).
- Sentences end at ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets) followed by a
  capital letter, a digit, an opening quote or a dash and a capital, and at every paragraph end.
  A period after an abbreviation (``г.``, ``им.``, ``т.е.``…) or an initial (``В. В. Путин``)
  does not end a sentence, except a year's ``г.``/``гг.`` after a number. On the teaching corpus
  the boundaries agree with razdel's ``sentenize`` at precision 0.997 and recall 0.999
  (``benchmarks/bench_text.py`` prints the comparison).
- Tokens: letters and digits joined by inner hyphens or apostrophes stay whole
  (``РБК-Украина``, ``американо-европейский``, ``з'їзд``); abbreviations keep their periods
  (``т.е.``, ``г.``); initials keep theirs (``В.``).

Lemmas
------
Russian and Ukrainian lemmas come from pymorphy3 (its ``ru`` and ``uk`` dictionaries), English
ones from simplemma; other languages are lower-cased. Three rules make names consistent:

1. a capitalised word prefers a proper-name analysis (``Песков`` → ``песков``, not ``песок``);
2. participles keep their adjectival lemma (``соединенными`` → ``соединенный``, not
   ``соединить``), so that ``Соединенные Штаты`` reads as a name in frequency tables;
3. ``corpus/lemma_overrides.csv`` fixes forms the analyser gets wrong (mostly foreign names it
   does not know, such as ``Мерцем`` or ``Стармера``); it applies to capitalised words only, and a
   user's own file can be passed as ``overrides=``.

With ``fold_yo=True`` (the default) lemmas fold ``ё`` into ``е``; surface tokens are never
changed. Snowball stems (NLTK, no data download needed) are available through :func:`add_stems`
for comparison with lemmas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.cache import cached_table, code_fingerprint, content_key, package_versions


CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
DOMAIN_STOPWORDS = CORPUS_DIR / "stopwords.csv"
LEMMA_OVERRIDES = CORPUS_DIR / "lemma_overrides.csv"

TOKEN_COLUMNS = ["doc_id", "sentence", "paragraph", "start", "end", "token", "lemma", "is_stop", "lang"]

_UPPER = "A-ZА-ЯЁІЇЄҐЎ"
_SHORT_ABBR = (
    "гг|г|им|ул|св|проф|акад|ген|тыс|руб|долл|ст|стр|см|др|пр|млн|млрд|трлн|англ|"
    "нем|франц|укр|рус|тел|обл|р-н|mr|mrs|ms|dr|st|vs|jr|etc|ім|вул|тис|грн"
)
# Words: letters and digits joined by inner hyphens or apostrophes (РБК-Украина, з'їзд).
_WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[-\u2010\u2011'\u2019\u02bc](?=[^\W_]))*")
# Rare tokens that keep their periods: abbreviations (т.е., г., им.) and initials (В. before a
# capital). They are found from the periods of the text (few, and found at C speed), so that the
# scan for words, the common case, runs on the simplest pattern.
_SHORT_ABBR_SET = frozenset(_SHORT_ABBR.split("|"))
_PAIR_ABBR = frozenset({("т", "е"), ("т", "к"), ("т", "д"), ("т", "п"), ("т", "н"), ("н", "э"), ("и", "о"), ("e", "g"), ("i", "e")})
_UPPER_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐЎ")


def _special_spans(text: str) -> list[tuple[int, int]]:
    """Spans of abbreviations and initials that keep their trailing period."""
    found = []
    n = len(text)
    i = text.find(".")
    while i != -1:
        j = i
        while j > 0 and text[j - 1].isalpha():
            j -= 1
        word = text[j:i]
        after = text[i + 1] if i + 1 < n else ""
        if word and not (j > 0 and (text[j - 1].isdigit() or text[j - 1] in "-_")):
            low = word.lower()
            # т.е. / т. е.: the first letter and its period stand just before this word
            k = j - 1 if j > 0 and text[j - 1] == " " else j
            if len(word) == 1 and k >= 2 and text[k - 1] == "." and text[k - 2].isalpha() and (k < 3 or not text[k - 3].isalnum()) \
                    and (text[k - 2].lower(), low) in _PAIR_ABBR and not after.isalnum():
                found.append((k - 2, i + 1))
            elif low in _SHORT_ABBR_SET and not after.isalnum():
                found.append((j, i + 1))
            elif len(word) == 1 and word in _UPPER_SET:
                nxt = text[i + 2] if after == " " and i + 2 < n else after
                if nxt in _UPPER_SET:
                    found.append((j, i + 1))
        i = text.find(".", i + 1)
    # A pair abbreviation swallows the single-letter span its first part may have produced.
    found.sort(key=lambda sp: (sp[0], -sp[1]))
    kept, until = [], -1
    for a, b in found:
        if a >= until:
            kept.append((a, b))
            until = b
    return kept


_SENTENCE_END_RE = re.compile(
    r"[.!?\u2026]+[\"'\u00bb\u201d\u2019)\]]*(?=\s+[\"'\u00ab\u201c\u201e(\[\u2014\u2013-]?\s*"
    rf"[{_UPPER}0-9])"
)
# «в 2026–2027 гг. Деньги…»: a year abbreviation after a number ends the sentence when a capital
# follows (as razdel decides too), while «г. Москва» (город) does not.
_YEAR_BEFORE_DOT_RE = re.compile(r"\d\s*гг?\.$")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_LINE_RE = re.compile(r"\n")

#: Lemmas of abbreviations, so that ``г.`` counts as ``год`` and ``млн`` as ``миллион``.
ABBREVIATION_LEMMAS = {
    "г.": "год", "гг.": "год", "им.": "имя", "тыс.": "тысяча", "млн": "миллион", "млн.": "миллион",
    "млрд": "миллиард", "млрд.": "миллиард", "трлн": "триллион", "трлн.": "триллион",
    "руб.": "рубль", "долл.": "доллар", "т.е.": "то есть", "т.к.": "так как", "т.д.": "так далее",
    "т.п.": "тому подобное", "т.н.": "так называемый", "и.о.": "исполняющий обязанности",
}

_PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"}
_PARTICIPLE = {"PRTF"}


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------

_CYR_RE = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_LAT_RE = re.compile(r"[a-z]", re.IGNORECASE)
_UK_RE = re.compile(r"[іїєґ]|(?<=\w)['\u2019\u02bc](?=\w)", re.IGNORECASE)
_RU_RE = re.compile(r"[ыэъё]", re.IGNORECASE)


def detect_language(text: str) -> str:
    """Guess ``"ru"``, ``"uk"`` or ``"en"`` from the letters of ``text``.

    Latin-dominant text is English. Cyrillic text is Ukrainian when letters only Ukrainian has
    (і ї є ґ, and apostrophes inside words) outnumber letters only Russian has (ы э ъ ё), else
    Russian. Good enough for news articles of a few sentences; pass a ``lang`` column when the
    corpus has other languages.
    """
    sample = text[:5000]
    cyr, lat = len(_CYR_RE.findall(sample)), len(_LAT_RE.findall(sample))
    if lat > cyr:
        return "en"
    if cyr == 0:
        return "en" if lat else "ru"
    return "uk" if len(_UK_RE.findall(sample)) > len(_RU_RE.findall(sample)) else "ru"


def _doc_languages(docs: pd.DataFrame) -> list[str]:
    """Return one language code per document: the ``lang`` column, or detected when missing."""
    if "lang" in docs.columns:
        langs = docs["lang"].astype("object").where(docs["lang"].notna(), None)
        return [
            str(lang).strip().lower() if lang is not None and str(lang).strip() else detect_language(text)
            for lang, text in zip(langs, docs["text"])
        ]
    return [detect_language(text) for text in docs["text"]]


def with_language(docs: pd.DataFrame) -> pd.DataFrame:
    """Return ``docs`` with every missing ``lang`` filled in by :func:`detect_language`."""
    return docs.assign(lang=_doc_languages(docs))


# --------------------------------------------------------------------------------------------
# Segmentation
# --------------------------------------------------------------------------------------------


def _paragraph_starts(text: str) -> np.ndarray:
    """Offsets where paragraphs start (blank-line blocks, else lines)."""
    splitter = _BLANK_LINE_RE if _BLANK_LINE_RE.search(text) else _LINE_RE
    return np.array([0] + [m.end() for m in splitter.finditer(text)], dtype=np.int64)


def _sentence_starts(text: str, paragraph_starts: np.ndarray) -> np.ndarray:
    """Offsets where sentences start: after sentence-final punctuation and at each paragraph."""
    # The periods that belong to abbreviations and initials are the ones the tokenizer keeps.
    kept_periods = {end - 1 for _, end in _special_spans(text)} if "." in text else set()
    starts = []
    for m in _SENTENCE_END_RE.finditer(text):
        if m.group().startswith(".") and len(m.group().rstrip("\"'\u00bb\u201d\u2019)]")) == 1 and m.start() in kept_periods:
            if not _YEAR_BEFORE_DOT_RE.search(text[max(0, m.start() - 12): m.start() + 1]):
                continue
        starts.append(m.end())
    return np.union1d(paragraph_starts, np.array(starts, dtype=np.int64))


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences with the same rules as :func:`tokenize`.

    Examples
    --------
    >>> split_sentences("В 2026 г. саммит прошел в Париже. В. В. Путин его осудил.")
    ['В 2026 г. саммит прошел в Париже.', 'В. В. Путин его осудил.']
    """
    bounds = list(_sentence_starts(text, _paragraph_starts(text))) + [len(text)]
    pieces = (text[a:b].strip() for a, b in zip(bounds[:-1], bounds[1:]))
    return [p for p in pieces if p]


def _token_spans(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the word tokens of ``text``, abbreviations and initials whole."""
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    special = _special_spans(text) if "." in text else []
    if special:
        covered = set()
        for a, b in special:
            covered.update(range(a, b))
        spans = sorted([sp for sp in spans if sp[0] not in covered] + special)
    if not spans:
        return [], []
    starts, ends = map(list, zip(*spans))
    return starts, ends


def _segment(text: str) -> tuple[list[int], list[int], np.ndarray, np.ndarray]:
    """Token offsets of one text and, per token, its sentence and paragraph index."""
    starts, ends = _token_spans(text)
    if not starts:
        empty = np.zeros(0, dtype=np.int32)
        return [], [], empty, empty
    para = _paragraph_starts(text)
    sent = _sentence_starts(text, para)
    arr = np.asarray(starts, dtype=np.int64)
    sentence = np.searchsorted(sent, arr, side="right") - 1
    paragraph = np.searchsorted(para, arr, side="right") - 1
    # Renumber so that indices count only sentences and paragraphs that hold tokens.
    return starts, ends, _dense(sentence), _dense(paragraph)


def _dense(values: np.ndarray) -> np.ndarray:
    """Map sorted non-decreasing integers to 0, 1, 2, … preserving order."""
    if values.size == 0:
        return values.astype(np.int32)
    change = np.concatenate(([0], (np.diff(values) != 0).astype(np.int32)))
    return np.cumsum(change).astype(np.int32)


# --------------------------------------------------------------------------------------------
# Lemmas
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _morph(lang: str):
    """One pymorphy3 analyser per language, loaded once (from the pip-installed dictionaries)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=None)
def _overrides(path: str | None) -> dict[tuple[str, str], str]:
    """Read a lemma override table (``lang,form,lemma``) into ``{(lang, form): lemma}``."""
    if path is None or not Path(path).exists():
        return {}
    table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    missing = {"lang", "form", "lemma"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: lemma overrides need the columns lang, form, lemma; missing {sorted(missing)}.")
    return {
        (lang.strip(), form.strip().lower().replace("ё", "е")): lemma.strip().lower()
        for lang, form, lemma in table[["lang", "form", "lemma"]].itertuples(index=False)
    }


def _pymorphy_lemma(form: str, lang: str) -> str:
    """Lemma of one surface form by pymorphy3, with the proper-name and participle rules."""
    parses = _morph(lang).parse(form)
    if not parses:
        return form.lower()
    best = parses[0]
    if form[:1].isupper():
        for p in parses:
            if _PROPER & p.tag.grammemes:
                best = p
                break
    if _PARTICIPLE & best.tag.grammemes:
        adjective = best.inflect({"masc", "sing", "nomn"})
        if adjective is not None:
            return adjective.word
    return best.normal_form


def _english_lemma(form: str) -> str:
    import simplemma

    return simplemma.lemmatize(form.lower(), lang="en").lower()


def lemmatize_forms(
    forms: Sequence[str], lang: str, *, fold_yo: bool = True, overrides: str | Path | None = LEMMA_OVERRIDES
) -> list[str]:
    """Lemmatize distinct surface forms of one language.

    Parameters
    ----------
    forms : sequence of str
        Surface forms as written (capitalisation matters for proper names).
    lang : str
        ``"ru"``, ``"uk"``, ``"en"``; anything else is lower-cased only.
    fold_yo : bool
        Fold ``ё`` into ``е`` in the lemmas (default True).
    overrides : str or Path, optional
        A CSV with ``lang,form,lemma`` rows that win over the analyser. Default:
        ``corpus/lemma_overrides.csv``.

    Returns
    -------
    list of str
        One lower-case lemma per form.
    """
    table = _overrides(str(overrides) if overrides is not None else None)
    out = []
    for form in forms:
        low = form.lower()
        key = low.replace("ё", "е")
        if low in ABBREVIATION_LEMMAS:
            lemma = ABBREVIATION_LEMMAS[low]
        elif (lang, key) in table and form[:1].isupper():
            lemma = table[(lang, key)]
        elif low.isdigit() or not any(ch.isalpha() for ch in low):
            lemma = low
        elif lang in ("ru", "uk"):
            if lang == "ru" and low.isascii():
                lemma = _english_lemma(form)
            else:
                lemma = _cached_lemma(form, lang)
        elif lang == "en":
            lemma = _english_lemma(form)
        else:
            lemma = low
        out.append(lemma.replace("ё", "е") if fold_yo else lemma)
    return out


@lru_cache(maxsize=500_000)
def _cached_lemma(form: str, lang: str) -> str:
    """Memoised :func:`_pymorphy_lemma` (pymorphy3 is the slow part; each form is done once)."""
    # Only capitalisation of the first letter changes the analysis; normalise the rest.
    key = form[:1] + form[1:].lower() if not form.isupper() else form
    return _pymorphy_lemma(key, lang)


def lemma_key(phrase: str, lang: str = "ru", *, fold_yo: bool = True) -> tuple[str, ...]:
    """Return the lemma sequence of a phrase, as :func:`tokenize` lemmatizes it in a text.

    This is how dictionaries (multi-word expressions, actors, frame cues) are matched: a name and
    every inflected form of it give the same key.

    Examples
    --------
    >>> lemma_key("Соединенными Штатами Америки")
    ('соединенный', 'штат', 'америка')
    """
    phrase = unicodedata.normalize("NFC", phrase)
    starts, ends = _token_spans(phrase)
    forms = [phrase[a:b] for a, b in zip(starts, ends)]
    return tuple(lemmatize_forms(forms, lang, fold_yo=fold_yo))


MWES_FILE = CORPUS_DIR / "mwes.csv"


def load_mwes(path: str | Path | None = None, lang: str = "ru") -> list[str]:
    """Read a list of multi-word expressions (CSV with ``expression,lang``) for one language."""
    table = pd.read_csv(Path(path) if path is not None else MWES_FILE, comment="#", dtype=str, keep_default_na=False)
    if "expression" not in table.columns:
        raise ValueError(f"{path}: the expression list needs an 'expression' column.")
    langs = table["lang"] if "lang" in table.columns else pd.Series("ru", index=table.index)
    return table.loc[langs == lang, "expression"].str.strip().tolist()


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
        or a CSV of the same shape given as a path. ``False`` leaves it out.
    extra : iterable of str
        Your own stop words, added as they are (lower-cased).
    fold_yo : bool
        Fold ``ё`` into ``е``, as lemmas are by default.
    """
    from stop_words import StopWordError, get_stop_words

    try:
        words = set(get_stop_words(lang))
    except StopWordError:
        words = set()
    if domain:
        path = DOMAIN_STOPWORDS if domain is True else Path(domain)
        if path.exists():
            table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
            words |= set(table.loc[table["lang"] == lang, "lemma"].str.strip())
    words |= {w.strip() for w in extra}
    words = {w.lower() for w in words if w}
    if fold_yo:
        words = {w.replace("ё", "е") for w in words}
    return frozenset(words)


# --------------------------------------------------------------------------------------------
# The token table
# --------------------------------------------------------------------------------------------


def _check_docs(docs: pd.DataFrame) -> None:
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text"} <= set(docs.columns):
        raise ValueError("tokenize() needs a DataFrame with 'doc_id' and 'text' columns, as load_corpus() returns.")
    if docs["doc_id"].duplicated().any():
        dup = docs.loc[docs["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"doc_id must be unique; {dup!r} appears more than once.")


def _is_stop(lemma: str, form: str, words: frozenset[str]) -> bool:
    """A stop word: in the list (as lemma or form), a number, or a single letter (an initial)."""
    letters = sum(ch.isalpha() for ch in lemma)
    return lemma in words or form.lower() in words or letters == 0 or (letters == 1 and len(lemma) <= 2)


def _build_tokens(
    docs: pd.DataFrame, langs: list[str], *, fold_yo: bool, stops: dict[str, frozenset[str]],
    overrides: str | Path | None, mwes: Sequence[str]
) -> pd.DataFrame:
    doc_index, starts, ends, sentences, paragraphs, surfaces = [], [], [], [], [], []
    for i, text in enumerate(docs["text"].tolist()):
        s, e, sent, para = _segment(text)
        if not s:
            continue
        doc_index.append(np.full(len(s), i, dtype=np.int32))
        starts.extend(s)
        ends.extend(e)
        sentences.append(sent)
        paragraphs.append(para)
        surfaces.extend(text[a:b] for a, b in zip(s, e))
    n = len(starts)
    doc_ids = pd.Categorical(docs["doc_id"].astype(str).tolist())
    if n == 0:
        return _empty_tokens(doc_ids.categories)
    doc_codes = np.concatenate(doc_index)
    lang_of_doc = np.asarray(langs, dtype=object)
    token_lang = lang_of_doc[doc_codes]

    # Lemmatize each distinct (form, language) pair once.
    lang_codes, lang_values = pd.factorize(token_lang)
    form_codes, forms = pd.factorize(pd.Series(surfaces, dtype=object))
    pair = form_codes.astype(np.int64) * max(len(lang_values), 1) + lang_codes
    pair_codes, pair_values = pd.factorize(pair)
    pair_form = (pair_values // max(len(lang_values), 1)).astype(np.int64)
    pair_lang = (pair_values % max(len(lang_values), 1)).astype(np.int64)
    pair_lemma = np.empty(len(pair_values), dtype=object)
    for li, lang in enumerate(lang_values):
        sel = np.flatnonzero(pair_lang == li)
        pair_lemma[sel] = lemmatize_forms([forms[k] for k in pair_form[sel]], lang, fold_yo=fold_yo, overrides=overrides)
    lemma_codes, lemma_values = pd.factorize(pair_lemma)
    lemmas = lemma_codes[pair_codes]

    # Stop words: the lemma or the lower-cased form is in the language's list.
    pair_stop = np.zeros(len(pair_values), dtype=bool)
    for li, lang in enumerate(lang_values):
        sel = np.flatnonzero(pair_lang == li)
        words = stops[lang]
        pair_stop[sel] = [
            _is_stop(pair_lemma[k], forms[pair_form[k]], words)
            for k in sel
        ]

    table = pd.DataFrame(
        {
            "doc_id": pd.Categorical.from_codes(doc_ids.codes[doc_codes], categories=doc_ids.categories),
            "sentence": np.concatenate(sentences),
            "paragraph": np.concatenate(paragraphs),
            "start": np.asarray(starts, dtype=np.int32),
            "end": np.asarray(ends, dtype=np.int32),
            "token": pd.Categorical.from_codes(form_codes, categories=pd.Index(forms).astype("str")),
            "lemma": pd.Categorical.from_codes(lemmas, categories=pd.Index(lemma_values).astype("str")),
            "is_stop": pair_stop[pair_codes],
            "lang": pd.Categorical.from_codes(lang_codes.astype(np.int8), categories=pd.Index(lang_values).astype("str")),
        }
    )
    if mwes:
        table = merge_mwes(table, mwes, docs=docs, fold_yo=fold_yo)
    return table


def _empty_tokens(doc_categories) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Categorical([], categories=doc_categories),
            "sentence": np.zeros(0, np.int32),
            "paragraph": np.zeros(0, np.int32),
            "start": np.zeros(0, np.int32),
            "end": np.zeros(0, np.int32),
            "token": pd.Categorical([]),
            "lemma": pd.Categorical([]),
            "is_stop": np.zeros(0, bool),
            "lang": pd.Categorical([]),
        }
    )


def tokenize(
    docs: pd.DataFrame,
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    fold_yo: bool = True,
    mwes: Sequence[str] = (),
    extra_stop_words: Iterable[str] = (),
    domain_stop_words: bool | str | Path = True,
    overrides: str | Path | None = LEMMA_OVERRIDES,
) -> pd.DataFrame:
    """Split documents into word tokens with lemmas, sentences and paragraphs.

    Parameters
    ----------
    docs : DataFrame
        One row per document with ``doc_id`` and ``text`` (``lang`` optional: detected per
        document when missing), as :func:`helpers.corpus.load_corpus` returns.
    cache : bool
        Read and write the Parquet cache (default True). ``False`` always recomputes.
    cache_dir : str or Path, optional
        Cache folder; default ``$NEWSFRAMES_CACHE`` or ``~/.cache/newsframes``.
    fold_yo : bool
        Fold ``ё`` into ``е`` in lemmas (default True), so that ``её`` and ``ее`` match.
    mwes : sequence of str
        Multi-word expressions (e.g. ``"коалиция желающих"``) merged into single tokens wherever
        their lemma sequence occurs inside a sentence: every inflected form matches.
    extra_stop_words : iterable of str
        Your own stop words (lemmas), added to the lists.
    domain_stop_words : bool or path
        Use ``corpus/stopwords.csv`` (default), another CSV of that shape, or none (False).
    overrides : str or Path, optional
        Lemma override CSV (``lang,form,lemma``); default ``corpus/lemma_overrides.csv``.

    Returns
    -------
    DataFrame
        One row per token, in text order, with columns ``doc_id`` (categorical), ``sentence`` and
        ``paragraph`` (0-based indices within the document), ``start`` and ``end`` (offsets into
        ``docs.text``: ``text[start:end] == token``), ``token`` (surface, categorical), ``lemma``
        (lower case, categorical), ``is_stop`` (bool) and ``lang`` (categorical). Merged
        multi-word expressions span several words: their ``token`` is the original text
        between ``start`` and ``end``.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Макрон встретился с Макроном."], "lang": ["ru"]})
    >>> tokenize(docs, cache=False)["lemma"].tolist()
    ['макрон', 'встретиться', 'с', 'макрон']
    """
    _check_docs(docs)
    langs = _doc_languages(docs)
    stops = {
        lang: stop_words(lang, domain=domain_stop_words, extra=extra_stop_words, fold_yo=fold_yo)
        for lang in sorted(set(langs))
    }
    overrides_path = Path(overrides) if overrides is not None else None
    settings = {
        "code": code_fingerprint(__file__),
        "fold_yo": fold_yo,
        "mwes": tuple(mwes),
        "stops": tuple(sorted((lang, tuple(sorted(words))) for lang, words in stops.items())),
        "overrides": overrides_path.read_text(encoding="utf-8") if overrides_path and overrides_path.exists() else "",
        "langs": tuple(langs),
        **package_versions("pymorphy3", "pymorphy3-dicts-ru", "pymorphy3-dicts-uk", "simplemma", "pandas"),
    }
    ids = docs["doc_id"].astype(str).tolist()
    key = content_key((part for pair in zip(ids, docs["text"].tolist()) for part in pair), settings)
    return cached_table(
        "tokens",
        key,
        lambda: _build_tokens(docs, langs, fold_yo=fold_yo, stops=stops, overrides=overrides, mwes=mwes),
        cache=cache,
        cache_dir=cache_dir,
    )


# --------------------------------------------------------------------------------------------
# Phrase matching on lemma sequences (multi-word expressions, actors, frame cues)
# --------------------------------------------------------------------------------------------


def match_sequences(
    tokens: pd.DataFrame,
    patterns: pd.DataFrame,
    *,
    within: str = "sentence",
) -> pd.DataFrame:
    """Find the leftmost-longest, non-overlapping occurrences of lemma sequences.

    A single Aho–Corasick automaton (pyahocorasick) scans the whole token table once, so the
    cost does not grow with the number of patterns times documents.

    Parameters
    ----------
    tokens : DataFrame
        Output of :func:`tokenize`, in text order.
    patterns : DataFrame
        Columns ``pattern`` (any id) and ``key`` (tuple of lemmas, e.g. from :func:`lemma_key`).
        Optional ``first_upper`` (bool): the first matched token must start with a capital;
        ``all_upper`` (bool): every matched token must be written in capitals (abbreviations).
    within : {"sentence", "paragraph", "document"}
        A match never crosses this boundary.

    Returns
    -------
    DataFrame
        One row per match with ``pattern``, ``first`` and ``last`` (row positions in ``tokens``,
        inclusive), sorted by ``first``. When two patterns match at the same place the longer
        wins; a match inside a longer one is dropped (``Эммануэль Макрон`` is one match).
    """
    import ahocorasick

    empty = pd.DataFrame({"pattern": pd.Series([], dtype=object), "first": np.zeros(0, np.int64), "last": np.zeros(0, np.int64)})
    if len(tokens) == 0 or len(patterns) == 0:
        return empty
    lemma_cat = tokens["lemma"].cat
    code_of = {lemma: i for i, lemma in enumerate(lemma_cat.categories)}
    codes = lemma_cat.codes.to_numpy().astype(np.int64)

    # Encode each lemma as one character; a boundary token separates units.
    boundary = tokens["doc_id"].cat.codes.to_numpy().astype(np.int64) * 1_000_003
    if within in ("sentence", "paragraph"):
        boundary = boundary + tokens[within].to_numpy().astype(np.int64)
    elif within != "document":
        raise ValueError("within must be 'sentence', 'paragraph' or 'document'.")

    def char(code: int) -> str:
        c = code + 0x100
        return chr(c + 0x800 if c >= 0xD800 else c)

    # One code point per token (skipping the surrogate range), 0x01 between units.
    points = codes + 0x100
    points = np.where(points >= 0xD800, points + 0x800, points)
    new_unit = np.flatnonzero(boundary[1:] != boundary[:-1]) + 1
    stream_points = np.insert(points, new_unit, 0x01)
    position = np.insert(np.arange(len(points), dtype=np.int64), new_unit, -1)
    stream = stream_points.astype("<u4").tobytes().decode("utf-32-le")

    automaton = ahocorasick.Automaton()
    rows = patterns.reset_index(drop=True)
    added = 0
    for i, key in enumerate(rows["key"]):
        if not key or any(k not in code_of for k in key):
            continue
        word = "".join(char(code_of[k]) for k in key)
        previous = automaton.get(word, None)
        automaton.add_word(word, (previous or []) + [i])
        added += 1
    if not added:
        return empty
    automaton.make_automaton()

    surface = tokens["token"]
    first_upper = rows["first_upper"].to_numpy(bool) if "first_upper" in rows else np.zeros(len(rows), bool)
    all_upper = rows["all_upper"].to_numpy(bool) if "all_upper" in rows else np.zeros(len(rows), bool)
    found = []
    for end_idx, ids in automaton.iter(stream):
        last = position[end_idx]
        for i in ids:
            length = len(rows.at[i, "key"])
            first = position[end_idx - length + 1]
            if first_upper[i] or all_upper[i]:
                words = [str(surface.iat[j]) for j in range(first, last + 1)]
                if first_upper[i] and not words[0][:1].isupper():
                    continue
                if all_upper[i] and not all(w.isupper() for w in words):
                    continue
            found.append((first, last, i))
    if not found:
        return empty
    found.sort(key=lambda t: (t[0], -(t[1] - t[0]), t[2]))
    keep, taken_until = [], -1
    for first, last, i in found:
        if first > taken_until:
            keep.append((rows.at[i, "pattern"], first, last))
            taken_until = last
    return pd.DataFrame(keep, columns=["pattern", "first", "last"])


def match_phrases(tokens: pd.DataFrame, patterns: pd.DataFrame, *, within: str = "sentence") -> pd.DataFrame:
    """:func:`match_sequences` language by language, with the matches located in the text.

    Parameters
    ----------
    tokens : DataFrame
        Output of :func:`tokenize` (any mix of languages).
    patterns : DataFrame
        As for :func:`match_sequences`, plus a ``lang`` column: a pattern only matches tokens of
        its language (a dictionary's Russian aliases never match Ukrainian text).

    Returns
    -------
    DataFrame
        One row per match: ``pattern``, ``first`` and ``last`` (row positions in ``tokens``),
        ``doc_id``, ``sentence``, ``paragraph``, ``start`` and ``end`` (character offsets of the
        whole match). Sorted by ``first``.
    """
    parts = []
    for lang in sorted(set(tokens["lang"].astype(str))):
        rows = patterns[patterns["lang"] == lang].drop(columns="lang")
        if rows.empty:
            continue
        sel = np.flatnonzero((tokens["lang"] == lang).to_numpy())
        found = match_sequences(tokens.iloc[sel], rows, within=within)
        if len(found):
            parts.append(found.assign(first=sel[found["first"].to_numpy()], last=sel[found["last"].to_numpy()]))
    columns = ["pattern", "first", "last", "doc_id", "sentence", "paragraph", "start", "end"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("pattern", "doc_id") else np.int64) for c in columns})
    found = pd.concat(parts, ignore_index=True).sort_values("first", kind="stable").reset_index(drop=True)
    first, last = found["first"].to_numpy(), found["last"].to_numpy()
    return found.assign(
        doc_id=tokens["doc_id"].astype(str).to_numpy()[first],
        sentence=tokens["sentence"].to_numpy()[first],
        paragraph=tokens["paragraph"].to_numpy()[first],
        start=tokens["start"].to_numpy()[first],
        end=tokens["end"].to_numpy()[last],
    )[columns]


def merge_mwes(
    tokens: pd.DataFrame, mwes: Sequence[str], *, docs: pd.DataFrame | None = None, fold_yo: bool = True
) -> pd.DataFrame:
    """Merge multi-word expressions into single tokens, matched on lemma sequences.

    Parameters
    ----------
    tokens : DataFrame
        Output of :func:`tokenize`.
    mwes : sequence of str
        Expressions as written in a dictionary, e.g. ``"прекращение огня"``; every inflected form
        matches (``прекращения огня``, ``прекращению огня``). The merged token's lemma is the
        expression as given, lower-cased and ``ё``-folded (``"прекращение огня"``), which reads
        better in tables than a sequence of lemmas.
    docs : DataFrame, optional
        The documents, so that the merged ``token`` is the original text span; without it the
        surface words are joined by single spaces.

    Returns
    -------
    DataFrame
        The token table with each match replaced by one row spanning it.
    """
    if not len(mwes) or not len(tokens):
        return tokens
    labels = [" ".join(m.lower().split()) for m in mwes]
    if fold_yo:
        labels = [m.replace("ё", "е") for m in labels]
    langs = sorted(set(tokens["lang"].astype(str)))
    # Each expression is lemmatized in every language of the table; keys that cannot occur in a
    # language simply never match there.
    patterns = pd.DataFrame(
        [(label, lemma_key(m, lang, fold_yo=fold_yo)) for m, label in zip(mwes, labels) for lang in langs],
        columns=["pattern", "key"],
    ).drop_duplicates("key")
    patterns = patterns[patterns["key"].map(len) > 1]
    matches = match_sequences(tokens, patterns)
    if matches.empty:
        return tokens
    first = matches["first"].to_numpy()
    last = matches["last"].to_numpy()
    drop = np.zeros(len(tokens), dtype=bool)
    for a, b in zip(first, last):
        drop[a + 1: b + 1] = True
    out = tokens.copy()
    ends = out["end"].to_numpy().copy()
    ends[first] = out["end"].to_numpy()[last]
    out["end"] = ends
    if docs is not None:
        text_of = dict(zip(docs["doc_id"].astype(str), docs["text"]))
        doc_of = out["doc_id"].astype(str).to_numpy()
        spans = [text_of[doc_of[a]][out["start"].iat[a]: ends[a]] for a in first]
    else:
        words = out["token"].astype(str).to_numpy()
        spans = [" ".join(words[a: b + 1]) for a, b in zip(first, last)]
    token = out["token"].astype(object).to_numpy().copy()
    lemma = out["lemma"].astype(object).to_numpy().copy()
    token[first] = spans
    lemma[first] = matches["pattern"].to_numpy()
    stop = out["is_stop"].to_numpy().copy()
    stop[first] = False
    out["token"] = pd.Categorical(pd.Series(token, dtype="str"))
    out["lemma"] = pd.Categorical(pd.Series(lemma, dtype="str"))
    out["is_stop"] = stop
    return out.loc[~drop].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Stems, for comparison with lemmas
# --------------------------------------------------------------------------------------------

_SNOWBALL = {"ru": "russian", "en": "english"}


def add_stems(tokens: pd.DataFrame) -> pd.DataFrame:
    """Return ``tokens`` with a ``stem`` column from NLTK's Snowball stemmer.

    Russian and English have Snowball stemmers (they need no data download); other languages
    get ``NA``. Each distinct form is stemmed once.
    """
    from nltk.stem.snowball import SnowballStemmer

    out = tokens.copy()
    stems = pd.Series(pd.NA, index=out.index, dtype=object)
    for lang, algorithm in _SNOWBALL.items():
        mask = (out["lang"] == lang).to_numpy()
        if not mask.any():
            continue
        stemmer = SnowballStemmer(algorithm)
        forms = out.loc[mask, "token"].astype(str).str.lower()
        uniq = {f: stemmer.stem(f) for f in forms.unique()}
        stems[mask] = forms.map(uniq).to_numpy()
    out["stem"] = pd.Categorical(stems)
    return out
