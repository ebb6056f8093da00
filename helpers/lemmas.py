"""Lemmas: one dictionary form for every inflected form, names included, chosen per corpus.

:func:`lemmatize` gives every distinct form of a corpus its lemma and part of speech.
Russian and Ukrainian come from pymorphy3 (:mod:`helpers.morph`), English from simplemma; other
languages are lower-cased.

Common words
    pymorphy3's best reading. A participle keeps its adjectival lemma (``соединенными`` →
    ``соединенный``, not ``соединить``), built from the form's own ending, so that
    ``Соединенные Штаты`` reads as a name in frequency tables.
Names, chosen per paradigm
    A capitalised form is read as a name when the corpus writes it capitalised inside sentences
    at least as often as in lower case (or, seen only at sentence starts, when the dictionary
    does not know it as a common word: ``Любой``, ``Якобы``, ``Свет`` at a sentence start keep
    their common lemmas). For a name, every reading of pymorphy3, every nominative the ending
    rules of :func:`helpers.names.name_candidates` allow, and the form itself (an indeclinable
    name: ``Пелоси``, ``Мелони``) are **candidates**. The corpus decides among them: a candidate
    is supported by every capitalised form of the corpus that could be an inflection of it, and
    each form takes its best supported candidate. When ``Шольц``, ``Шольца`` and ``Шольцем`` all
    occur, ``шольц`` explains all three and wins over pymorphy3's guess ``шолец``; ``Джорджи``,
    ``Джорджей`` and ``Джорджа`` together make the feminine ``джорджа``. Ties go to the more
    trustworthy source (a dictionary reading, then a certain ending rule, then the form
    itself, then a guess), then to a candidate attested as a form of the corpus.
Numbered and hyphenated names
    The word part is lemmatised and the number kept: ``потока-2`` → ``поток-2``, ``Су-35`` →
    ``су-35``.
Overrides
    ``corpus/lemma_overrides.csv`` (or your own file) fixes what the rules still get wrong; a row
    applies to capitalised forms unless its ``case`` column says ``any``.

With ``fold_yo=True`` (the default) lemmas fold ``ё`` into ``е``.

Speed: pymorphy3's view of each distinct lower-case form is computed once per process
(:func:`analyse`, cached), reading the dictionary's records directly for a known word; a large
corpus computes them up front, in two processes where allowed (:func:`helpers.engine.jobs`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.morph import MORPH_LANGS, Parse, dictionary_records, guessed_records, guesses, parses, tag_table
from helpers.names import name_candidates
from helpers.segment import ABBREVIATION_LEMMAS

_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_NUMBERED_RE = re.compile(r"^(.*[^\W\d_])([-\u2010\u2011])(\d[\w]*)$")
_ADJ_ENDINGS = ("ыми", "ими", "ого", "его", "ому", "ему", "ая", "яя", "ое", "ее", "ые", "ие", "ой", "ей", "ую", "юю", "ым", "им", "ом", "ем", "ых", "их", "ый", "ий")
_SOFT_AFTER = set("гкхжшщч")
_INDECLINABLE_END = set("оеиуюэы")

# Priors of candidate sources (ties of support go to the larger).
_P_DICT_PROPER = 3.0
_P_DICT_FIRST = 2.5
_P_DICT = 2.0
_P_RULE = {("m", True): 1.5, ("f", True): 1.4, ("m", False): 0.75, ("f", False): 0.7}
_P_SELF_FIXED = 1.5
_P_SURNAME = 2.75
_SURNAME_NOMINATIVE_RE = re.compile(r"[^аеиоуыэюя](ов|ев|ёв|ин|ын)$")
_P_SELF = 1.0
_P_GUESS = 0.75
_STRONG = 1.0  # a candidate from a source at least this trustworthy counts fully as support


def participle_lemma(form: str) -> str:
    """The masculine nominative of a full participle, from its own ending.

    ``соединенными`` → ``соединенный``, ``действующего`` → ``действующий``: the adjectival ending
    is replaced by ``-ий`` after г к х ж ш щ ч and by ``-ый`` elsewhere.
    """
    low = form.lower()
    for ending in _ADJ_ENDINGS:
        if low.endswith(ending) and len(low) > len(ending) + 1:
            stem = low[: -len(ending)]
            return stem + ("ий" if stem[-1] in _SOFT_AFTER else "ый")
    return low


def _reading_lemma(form: str, normal: str, tag) -> str:
    return participle_lemma(form) if "PRTF" in tag.grammemes else normal


_CACHE_LIMIT = 1_000_000
_ANALYSES: dict[tuple[str, str], tuple] = {}
_CANDIDATES: dict[tuple[str, str], dict[str, tuple[float, str]]] = {}
_ENGLISH: dict[str, str] = {}


def _remember(cache: dict, key, value):
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()  # a bound on memory; entries are cheap to recompute
    cache[key] = value
    return value


def analyse(lower: str, lang: str) -> tuple[str, str, bool, tuple[tuple[str, str, float, bool], ...]]:
    """pymorphy3's view of a lower-case word, condensed (cached).

    Returns
    -------
    tuple
        ``(lemma, pos, known_common, readings)``: the lemma and part of speech of the best
        reading; whether the dictionary knows the word with a reading that is not a proper
        name; and every distinct reading lemma with its part of speech and its prior as a name
        candidate.
    """
    hit = _ANALYSES.get((lower, lang))
    if hit is None:
        hit = _remember(_ANALYSES, (lower, lang), _analyse(lower, lang))
    return hit


def clear_caches() -> None:
    """Empty the in-process caches of analyses, name candidates and English lemmas."""
    _ANALYSES.clear()
    _CANDIDATES.clear()
    _ENGLISH.clear()


analyse.cache_clear = clear_caches  # type: ignore[attr-defined]  (the lru_cache interface it had)


@lru_cache(maxsize=None)
def _tag_info(lang: str) -> list[tuple[str, bool, bool, bool, bool]]:
    """Per tag of the analyser's table: ``(POS, is PRTF, is proper, plural name, Fixd)``."""
    info = []
    for tag in tag_table(lang):
        grams = tag.grammemes
        info.append((str(tag.POS or ""), "PRTF" in grams, bool(_PROPER & grams), "plur" in grams and bool(grams & {"Name", "Patr"}), "Fixd" in grams))
    return info


def _analyse(lower: str, lang: str) -> tuple[str, str, bool, tuple[tuple[str, str, float, bool], ...]]:
    """:func:`analyse` without the cache.

    A word the dictionary knows is read from its records, and a plain word it lacks from
    pymorphy3's prediction replayed (:func:`helpers.morph.guessed_records`); both as tag
    indices, with each tag's properties looked up once per tag (:func:`_tag_info`). The
    readings, their order and the result are those of :func:`_analyse_parses` (a test checks
    it), which the other words go through.
    """
    if lang in MORPH_LANGS:
        found, ranked = dictionary_records(lower, lang)
        known = bool(found)
        if not known:
            # Not in the dictionary: pymorphy3's predictors (as :func:`helpers.morph.parses`
            # does, without looking the word up a second time).
            found = guessed_records(lower, lang)
            if found is None:  # not a plain word: pymorphy3's own units
                return _condense(lower, [Parse(normal, tag, False) for normal, tag in guesses(lower, lang)], lang)
        info = _tag_info(lang)
        if not ranked or not known:
            found = _tie_break(lower, lang, found, key=lambda f: f[0])
        best_pos, best_prtf = info[found[0][1]][:2]
        lemma = participle_lemma(lower) if best_prtf else found[0][0]
        known_common = known and any(not info[t][2] for _, t in found)
        readings: dict[str, tuple[str, float, bool]] = {}
        for i, (normal, t) in enumerate(found):
            pos, prtf, proper, plural_name, fixd = info[t]
            if plural_name:
                continue
            cand = participle_lemma(lower) if prtf else normal
            if not known:
                prior = _P_GUESS
            else:
                prior = _P_DICT_PROPER if proper else (_P_DICT_FIRST if i == 0 else _P_DICT)
            if cand not in readings or readings[cand][1] < prior:
                readings[cand] = (pos, prior, fixd)
        return lemma, best_pos, known_common, tuple((c, pos, prior, fixd) for c, (pos, prior, fixd) in readings.items())
    return _analyse_parses(lower, lang)


def _tie_break(lower: str, lang: str, found: list, key) -> list:
    """Order unranked readings: pymorphy3 has no probability estimator for Ukrainian, so its
    readings come in dictionary order («була» → «булий» before «бути»). The reading whose
    normal form is simplemma's lemma of the word goes first (a stable sort: the rest keep
    their order). Russian readings are ranked by pymorphy3 and left as they are."""
    if lang != "uk" or len(found) < 2:
        return found
    import simplemma

    preferred = simplemma.lemmatize(lower, lang="uk").lower()
    if not any(key(f) == preferred for f in found):
        return found
    return sorted(found, key=lambda f: key(f) != preferred)


def _analyse_parses(lower: str, lang: str) -> tuple[str, str, bool, tuple[tuple[str, str, float, bool], ...]]:
    """:func:`analyse` through :func:`helpers.morph.parses` (every word; the reference)."""
    return _condense(lower, parses(lower, lang), lang)


def _condense(lower: str, found: list, lang: str = "") -> tuple[str, str, bool, tuple[tuple[str, str, float, bool], ...]]:
    """:func:`analyse`'s summary of the readings ``found`` (:class:`helpers.morph.Parse`)."""
    if not found:
        return lower, "", False, ()
    found = _tie_break(lower, lang, list(found), key=lambda p: p.normal_form) if lang else found
    best = found[0]
    lemma = _reading_lemma(lower, best.normal_form, best.tag)
    known_common = any(p.known and not (_PROPER & p.tag.grammemes) for p in found)
    readings: dict[str, tuple[str, float, bool]] = {}
    for i, p in enumerate(found):
        grams = p.tag.grammemes
        if "plur" in grams and grams & {"Name", "Patr"}:
            continue  # «Иванов» is a surname, not "of the Ivans"
        cand = _reading_lemma(lower, p.normal_form, p.tag)
        if not p.known:
            prior = _P_GUESS
        elif _PROPER & p.tag.grammemes:
            prior = _P_DICT_PROPER
        else:
            prior = _P_DICT_FIRST if i == 0 else _P_DICT
        pos = str(p.tag.POS or "")  # a plain str (pymorphy3's grammeme type does not pickle)
        if cand not in readings or readings[cand][1] < prior:
            readings[cand] = (pos, prior, "Fixd" in p.tag.grammemes)
    return lemma, str(best.tag.POS or ""), known_common, tuple((c, pos, prior, fixd) for c, (pos, prior, fixd) in readings.items())


def _english(form: str) -> str:
    hit = _ENGLISH.get(form)
    if hit is None:
        import simplemma

        hit = _remember(_ENGLISH, form, simplemma.lemmatize(form.lower(), lang="en").lower())
    return hit


def _fold(s: str, fold_yo: bool) -> str:
    return s.replace("ё", "е") if fold_yo else s


def _is_title(form: str) -> bool:
    return form[:1].isupper() and not (form.isupper() and len(form) > 1)


_DASHES = ("-", "\u2010", "\u2011")


def _needs(surface: Sequence[str], langs: Sequence[str], kinds: Sequence[str], overrides: dict) -> tuple[list, list]:
    """The per-form work of :func:`lemmatize`, ahead of it: analyses (with the capitalised forms
    whose name candidates are needed) and English lemmas not yet cached.

    Returns ``(units, english)``: ``units`` are ``(lower, lang, [capitalised forms])``.
    """
    units: dict[tuple[str, str], list[str]] = {}
    english: list[str] = []
    seen_english: set[str] = set()
    for form, lang, kind in zip(surface, langs, kinds):
        if kind != "word":
            continue
        low = form.lower()
        if overrides:
            over = overrides.get((lang, _fold(low, True)))
            if over is not None and (over[1] or form[:1].isupper()):
                continue
        if any(d in form for d in _DASHES) and _NUMBERED_RE.match(form) is not None:
            base = _NUMBERED_RE.match(form).group(1).lower()
            if lang in MORPH_LANGS and not base.isascii() and (base, lang) not in _ANALYSES:
                units.setdefault((base, lang), [])
            continue
        if lang not in MORPH_LANGS or low.isascii():
            if (lang == "en" or lang in MORPH_LANGS) and form not in _ENGLISH and form not in seen_english:
                seen_english.add(form)
                english.append(form)
            continue
        forms_of = units.get((low, lang))
        if forms_of is None:
            forms_of = units[(low, lang)] = [] if (low, lang) not in _ANALYSES else None
        if _is_title(form) and (form, lang) not in _CANDIDATES:
            if forms_of is None:
                forms_of = units[(low, lang)] = []
            forms_of.append(form)
    return [(low, lang, f) for (low, lang), f in units.items() if f is not None], english


def _work(units: Sequence[tuple[str, str, Sequence[str]]], english: Sequence[str]) -> tuple[list, list, list]:
    """Analyses, name candidates and English lemmas of a share of the forms (any process)."""
    analyses = [(low, lang, analyse(low, lang)) for low, lang, _ in units]
    candidates = [((form, lang), _candidates_of(form, lang)) for _, lang, forms in units for form in forms]
    return analyses, candidates, [(form, _english(form)) for form in english]


def _prefill(units: list, english: list, executor) -> None:
    """Compute the per-form work in two processes: every other unit in ``executor``'s worker,
    the rest here; the results fill the caches (so the result is the same as one process's)."""
    # Half each: this process waits for the worker's share anyway (measured: a 2:3 split left
    # it idle for a third of a second on a million tokens).
    mine = [u for k, u in enumerate(units) if k % 2 == 0]
    theirs = [u for k, u in enumerate(units) if k % 2 == 1]
    try:
        future = executor.submit(_work, theirs, english[1::2])
    except Exception:  # the worker cannot take it: everything here
        future = None
    _work(mine, english[0::2])
    try:
        analyses, candidates, lemmas_en = future.result() if future is not None else _work(theirs, english[1::2])
    except Exception:  # the worker died: its share here (the same values)
        analyses, candidates, lemmas_en = _work(theirs, english[1::2])
    _fill(analyses, candidates, lemmas_en)


def _fill(analyses: list, candidates: list, lemmas_en: list) -> None:
    """Put a share's results (as :func:`_work` returns them) into this process' caches."""
    for low, lang, value in analyses:
        _remember(_ANALYSES, (low, lang), value)
    for key, value in candidates:
        _remember(_CANDIDATES, key, value)
    for form, value in lemmas_en:
        _remember(_ENGLISH, form, value)


def _prefill_shares(units: list, english: list, pool, *, shares: int | None = None) -> None:
    """:func:`_prefill` on a cluster: the per-form work cut into ``shares`` (default four per
    worker thread) and computed there; the results fill this process' caches (the values
    depend on the form alone, so the lemmas are the same as one process's).

    Parameters
    ----------
    units, english
        As :func:`_needs` returns them.
    pool : helpers.engine.DaskPool
        The cluster.
    shares : int, optional
        How many tasks the work is cut into.
    """
    n = max(1, shares or 4 * pool.workers)
    parts = [(units[k::n], english[k::n]) for k in range(n)]
    for result in pool.map_ordered(_work, parts, ahead=n):
        _fill(*result)


def lemmatize(
    forms: pd.DataFrame,
    *,
    fold_yo: bool = True,
    overrides: dict[tuple[str, str], tuple[str, bool]] | None = None,
    executor=None,
) -> pd.DataFrame:
    """Lemmas of the distinct forms of a corpus, names chosen per paradigm.

    Parameters
    ----------
    forms : DataFrame
        One row per distinct (language, form): ``lang``, ``form`` (as written, after script
        repair), ``kind`` (:func:`helpers.segment.token_kind`), ``n`` (occurrences) and
        ``n_initial`` (occurrences as the first word of a sentence).
    fold_yo : bool
        Fold ``ё`` into ``е`` in the lemmas (default True).
    overrides : dict, optional
        ``{(lang, form lower-cased and ё-folded): (lemma, any_case)}`` from
        :func:`helpers.dictionaries.load_overrides`.
    executor : concurrent.futures.Executor, optional
        A pool with one worker process: the analyses of the distinct forms are shared between
        it and this process (the result does not depend on it).

    Returns
    -------
    DataFrame
        Indexed like ``forms``: ``lemma``, ``pos`` (pymorphy3's part of speech, empty when
        unknown), ``name`` (True when read as a name), ``alternatives`` (other lemmas the form
        may have, ``|``-separated; used to match multi-word expressions) and ``candidates``
        (for names: every candidate, ``|``-separated).
    """
    overrides = overrides or {}
    n = len(forms)
    lemma: list = [None] * n
    pos: list = [""] * n
    name = np.zeros(n, dtype=bool)
    alternatives: list = [""] * n
    candidates_out: list = [""] * n
    langs = forms["lang"].astype(str).tolist()
    surface = forms["form"].astype(str).tolist()
    kinds = forms["kind"].astype(str).tolist()
    counts = forms["n"].to_numpy().tolist()
    initial = forms["n_initial"].to_numpy().tolist()
    if executor is not None:
        _prefill(*_needs(surface, langs, kinds, overrides), executor)

    lower_count: dict[tuple[str, str], int] = defaultdict(int)
    for lang, form, c in zip(langs, surface, counts):
        if form[:1].islower():
            lower_count[(lang, form.lower())] += int(c)

    others_of: dict[tuple[str, str], str] = {}
    pending: list[int] = []  # name-like forms of ru/uk, resolved together below
    weak: list[int] = []  # capitalised only at sentence starts, and a known common word
    cached = _ANALYSES.get
    for i, (form, lang, kind) in enumerate(zip(surface, langs, kinds)):
        low = form.lower()
        if kind != "word":
            # «т. е.» written with a space is «т.е.»
            lemma[i] = ABBREVIATION_LEMMAS.get(low.replace(" ", ""), low) if kind == "abbreviation" else low
            pos[i] = "NUMB" if kind == "number" else ""
            continue
        if overrides:
            over = overrides.get((lang, _fold(low, True)))
            if over is not None and (over[1] or form[:1].isupper()):
                lemma[i] = over[0]
                pos[i] = "NOUN" if form[:1].isupper() else analyse(low, lang)[1] if lang in MORPH_LANGS else ""
                continue
        numbered = _NUMBERED_RE.match(form) if ("-" in form or "\u2010" in form or "\u2011" in form) else None
        if numbered is not None:
            base, dash, number = numbered.groups()
            base_lemma = _one_lemma(base, lang, title_name=_is_title(base))
            lemma[i] = f"{base_lemma}-{number.lower()}"
            pos[i] = "NOUN"
            continue
        if lang not in MORPH_LANGS:
            lemma[i] = _english(form) if lang == "en" else low
            continue
        if low.isascii():  # a Latin word inside Russian text: Reuters, NATO
            lemma[i] = _english(form) if any(ch.isalpha() for ch in low) else low
            continue
        common, p, known_common, readings = cached((low, lang)) or analyse(low, lang)
        lemma[i], pos[i] = common, p
        others = others_of.get((low, lang))
        if others is None:
            others = others_of[(low, lang)] = "|".join(sorted({c for c, _, _, _ in readings} - {common}))
        alternatives[i] = others
        if form[:1].isupper() and not (len(form) > 1 and form.isupper()):  # _is_title(form)
            mid = int(counts[i]) - int(initial[i])
            lower_n = lower_count.get((lang, low), 0)
            if (mid > 0 and mid >= lower_n) or (mid == 0 and lower_n == 0 and not known_common):
                pending.append(i)
            elif mid == 0:
                weak.append(i)
    if pending:
        _resolve_names(pending, weak, surface, langs, lemma, pos, name, candidates_out)
    if fold_yo:
        lemma = [x.replace("ё", "е") for x in lemma]
        alternatives = [x.replace("ё", "е") for x in alternatives]
        candidates_out = [x.replace("ё", "е") for x in candidates_out]
    lemma = np.array(lemma, dtype=object)
    pos = np.array(pos, dtype=object)
    alternatives = np.array(alternatives, dtype=object)
    candidates_out = np.array(candidates_out, dtype=object)
    return pd.DataFrame(
        {"lemma": lemma, "pos": pos, "name": name, "alternatives": alternatives, "candidates": candidates_out},
        index=forms.index,
    )


def _candidates_of(form: str, lang: str) -> dict[str, tuple[float, str]]:
    """Candidate lemmas of a capitalised form: ``{lemma: (prior, part of speech)}`` (cached; do
    not change the dictionary returned)."""
    hit = _CANDIDATES.get((form, lang))
    if hit is None:
        hit = _remember(_CANDIDATES, (form, lang), _candidates(form, lang))
    return hit


def _candidates(form: str, lang: str) -> dict[str, tuple[float, str]]:
    low = form.lower()
    out: dict[str, tuple[float, str]] = {}
    _, _, known_common, readings = analyse(low, lang)
    for cand, p, prior, _ in readings:
        out[cand] = max(out.get(cand, (0.0, "")), (prior, p))
    fixed = any(prior >= _P_DICT and fixd for _, _, prior, fixd in readings)
    unknown = not readings or all(prior == _P_GUESS for _, _, prior, _ in readings)
    self_prior = _P_SELF_FIXED if fixed or (unknown and low[-1:] in _INDECLINABLE_END) else _P_SELF
    if _SURNAME_NOMINATIVE_RE.search(low) and not any(prior == _P_DICT_PROPER for _, _, prior, _ in readings):
        # «Колобков», «Борисов»: a Russian surname in the nominative, not "of the koloboks"
        self_prior = _P_SURNAME
    if low not in out or out[low][0] < self_prior:
        out[low] = (self_prior, out.get(low, (0.0, "NOUN"))[1] or "NOUN")
    for cand, certain, gender in name_candidates(form):
        prior = _P_RULE[(gender, certain)]
        if cand not in out or out[cand][0] < prior:
            out[cand] = (prior, "NOUN")
    return out


def _resolve_names(pending: list[int], weak: list[int], surface, langs, lemma, pos, name, candidates_out) -> None:
    """Choose the lemma of every name-like form by the support of its candidates.

    ``pending`` forms are names; ``weak`` forms (capitalised only at sentence starts, and known
    as common words) add their support but keep their common lemma unless a name of the
    corpus, chosen for another form, is among their candidates and supported by two forms.
    """
    cands: dict[int, dict[str, tuple[float, str]]] = {}
    support: dict[tuple[str, str], float] = defaultdict(float)
    paradigm_prior: dict[tuple[str, str], float] = defaultdict(float)
    attested: set[tuple[str, str]] = set()
    seen_lower: dict[tuple[str, str], set[str]] = defaultdict(set)
    for i in pending + weak:
        lang, low = langs[i], surface[i].lower()
        if i in cands:
            continue
        c = _candidates_of(surface[i], lang)
        cands[i] = c
        attested.add((lang, _fold(low, True)))
        # A lower-case form counts once for a candidate, however many spellings it has: fully
        # when a trustworthy source proposes the candidate, half for a guess.
        for cand, (prior, _) in c.items():
            k = (lang, _fold(cand, True))
            paradigm_prior[k] = max(paradigm_prior[k], prior)
            if low not in seen_lower[k]:
                seen_lower[k].add(low)
                support[k] += 1.0 if prior >= _STRONG else 0.5

    def rank(lang: str, cand: str) -> tuple:
        k = (lang, _fold(cand, True))
        return (support[k], paradigm_prior[k], k in attested, cand)

    chosen: set[tuple[str, str]] = set()
    for i in pending:
        lang = langs[i]
        best = max(cands[i].items(), key=lambda kv: rank(lang, kv[0]))
        lemma[i], pos[i] = best[0], best[1][1]
        name[i] = True
        candidates_out[i] = "|".join(sorted(cands[i]))
        chosen.add((lang, _fold(best[0], True)))
    for i in weak:
        lang = langs[i]
        names = [
            kv for kv in cands[i].items()
            if (lang, _fold(kv[0], True)) in chosen and support[(lang, _fold(kv[0], True))] >= 2
        ]
        if names:
            best = max(names, key=lambda kv: rank(lang, kv[0]))
            lemma[i], pos[i] = best[0], best[1][1]
            name[i] = True
            candidates_out[i] = "|".join(sorted(cands[i]))


def _one_lemma(word: str, lang: str, *, title_name: bool) -> str:
    """Lemma of one word with no corpus around it (the word part of a numbered name)."""
    low = word.lower()
    if lang not in MORPH_LANGS or low.isascii():
        return low
    common, _, known_common, readings = analyse(low, lang)
    if title_name and not known_common:
        return low
    return common


def alias_lemmas(words: Sequence[str], lang: str, *, fold_yo: bool = True, overrides=None) -> list[str]:
    """Lemmas of the words of a dictionary name, which is written in the nominative.

    A capitalised word takes its nominative reading (a proper name first): ``Песков`` →
    ``песков``, not the genitive plural of ``песок``; a capitalised word the dictionary does not
    know is its own lemma (``Мелони``); a known word with no nominative reading takes its best
    reading (``Соединенными`` → ``соединенный``). Words in lower case take their best reading,
    as in a text. Kinds and numbered names follow :func:`lemmatize`.
    """
    from helpers.segment import token_kind

    overrides = overrides or {}
    out = []
    for word in words:
        low = word.lower()
        kind = token_kind(word)
        over = overrides.get((lang, _fold(low, True)))
        if kind != "word":
            lemma = ABBREVIATION_LEMMAS.get(low.replace(" ", ""), low) if kind == "abbreviation" else low
        elif over is not None and (over[1] or word[:1].isupper()):
            lemma = over[0]
        elif _NUMBERED_RE.match(word):
            base, _, number = _NUMBERED_RE.match(word).groups()
            lemma = f"{alias_lemmas([base], lang, fold_yo=False, overrides=overrides)[0]}-{number.lower()}"
        elif lang not in MORPH_LANGS:
            lemma = _english(word) if lang == "en" else low
        elif low.isascii():
            lemma = _english(word) if any(ch.isalpha() for ch in low) else low
        elif _is_title(word):
            found = parses(low, lang)
            nominative = [p for p in found if p.known and "nomn" in p.tag.grammemes]
            proper = [p for p in nominative if _PROPER & p.tag.grammemes]
            pick = (proper or nominative or [None])[0]
            if pick is not None:
                lemma = _reading_lemma(low, pick.normal_form, pick.tag)
            elif any(p.known for p in found):
                lemma = analyse(low, lang)[0]  # a known word with no nominative reading: «Соединенными»
            else:
                lemma = low  # a name the dictionary does not know is written in the nominative
        else:
            lemma = analyse(low, lang)[0]
        out.append(_fold(lemma, fold_yo))
    return out


def expand_key(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The spellings under which a lemma sequence may occur: numbered names split or joined.

    ``("северный", "поток-2")`` also occurs as ``("северный", "поток", "2")`` («поток 2»,
    «поток — 2»), and the other way round.
    """
    variants = {tuple(key)}
    split: list[str] = []
    for part in key:
        m = _NUMBERED_RE.match(part)
        if m is not None:
            split.extend([m.group(1), m.group(3)])
        else:
            split.append(part)
    variants.add(tuple(split))
    joined: list[str] = []
    for part in split:
        if joined and part[:1].isdigit() and not joined[-1][-1:].isdigit():
            joined[-1] = f"{joined[-1]}-{part}"
        else:
            joined.append(part)
    variants.add(tuple(joined))
    return sorted(variants)


def form_statistics(lang: Iterable[str], form: Iterable[str], kind: Iterable[str], initial: Iterable[bool]) -> pd.DataFrame:
    """Count occurrences and sentence-initial occurrences per distinct (lang, form, kind)."""
    frame = pd.DataFrame({"lang": lang, "form": form, "kind": kind, "initial": initial})
    return frame.groupby(["lang", "form", "kind"], sort=True, observed=True)["initial"].agg(n="size", n_initial="sum").reset_index()
