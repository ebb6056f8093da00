"""The one morphological analyser of the kit: pymorphy3, loaded once per language.

Every module that needs Russian or Ukrainian morphology (lemmas, name normal forms,
attribution) gets its analyser here, so that a process holds one ``MorphAnalyzer`` per
language.

:func:`parses` is the hot path of lemmatisation: for a word in pymorphy3's dictionary it reads
the dictionary's records directly (the same paradigms, normal forms and tag order as
``MorphAnalyzer.parse``, with the same probability estimator deciding the order; a test checks
the two agree), about three times faster than ``parse``. A word the dictionary does not know
is guessed by :func:`guesses`: pymorphy3's own prediction (known prefix, unknown prefix, known
suffix), replayed with the suffix tables' answer kept per word ending, so that the many rare
words of a real corpus that end alike are looked up once (the same readings in the same order;
a test checks them against ``parse``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

#: Languages with a pymorphy3 dictionary in the kit.
MORPH_LANGS = ("ru", "uk")


class Parse(NamedTuple):
    """One reading of a word: its normal form, its tag and whether the dictionary knows it."""

    normal_form: str
    tag: Any
    known: bool


@lru_cache(maxsize=None)
def analyzer(lang: str = "ru") -> Any:
    """The pymorphy3 ``MorphAnalyzer`` of a language (``"ru"`` or ``"uk"``), loaded once."""
    import pymorphy3

    if lang not in MORPH_LANGS:
        raise ValueError(f"No morphological dictionary for {lang!r}; the kit has {', '.join(MORPH_LANGS)}.")
    return pymorphy3.MorphAnalyzer(lang=lang)


class _Dictionary(NamedTuple):
    """What the hot paths read of a pymorphy3 analyser, attribute lookups done once."""

    words: Any  # word -> records (paradigm id, form index)
    substitutes: Any  # letters the word list may spell otherwise (е for ё)
    paradigms: Any
    gramtab: Any  # tag index -> tag
    suffixes: Any
    prefixes: Any
    prob: Any  # (word, tag) -> P(tag | word) of pymorphy3's estimator; None without one
    has_prob: Any  # word -> whether the estimator knows the word at all; None without one


@lru_cache(maxsize=None)
def _internals(lang: str) -> _Dictionary:
    m = analyzer(lang)
    d = m.dictionary
    cpd = m.prob_estimator.p_t_given_w if m.prob_estimator is not None else None
    return _Dictionary(
        d.words, m.char_substitutes, d.paradigms, d.gramtab, d.suffixes, d.paradigm_prefixes,
        None if cpd is None else cpd.prob,
        None if cpd is None else (lambda w: cpd.has_keys_with_prefix(w + ":")),
    )


def parses(word: str, lang: str = "ru") -> list[Parse]:
    """All readings of a lower-case word, best first (as ``MorphAnalyzer.parse`` orders them).

    Parameters
    ----------
    word : str
        A word in lower case.
    lang : {"ru", "uk"}
        Its language.

    Returns
    -------
    list of Parse
        ``(normal_form, tag, known)``; ``known`` is False for readings guessed by pymorphy3's
        predictors (the word is not in its dictionary).
    """
    found, _ = dictionary_records(word, lang)
    if not found:
        return [Parse(normal, tag, False) for normal, tag in guesses(word, lang)]
    gramtab = _internals(lang).gramtab
    return [Parse(normal, gramtab[t], True) for normal, t in found]


def dictionary_records(word: str, lang: str = "ru") -> tuple[list[tuple[str, int]], bool]:
    """The dictionary's readings of a lower-case word as ``(normal form, tag index)``.

    Read straight from pymorphy3's word list and paradigms (``ё`` substitutes included), best
    first when pymorphy3 has a probability estimator for the language.

    Returns
    -------
    (list, bool)
        The readings (empty when the dictionary does not know the word; the tag is an index
        into the analyser's tag table) and whether they were ranked by the estimator.
    """
    found = _ranked(word, lang, _lookup(word, lang))
    return [(normal, t) for _, t, normal, _ in found], _internals(lang).prob is not None


def _lookup(word: str, lang: str) -> list[tuple[str, int, str, int]]:
    """pymorphy3's dictionary records of a word, in dictionary order, as ``(fixed word, tag
    index, normal form, paradigm id)`` (the fixed word has ``ё`` where the dictionary has it).

    The normal form follows pymorphy3's rule: the form's prefix and suffix are cut from the
    fixed word and the paradigm's first prefix and suffix put in their place.
    """
    d = _internals(lang)
    paradigms, suffixes, prefixes = d.paradigms, d.suffixes, d.prefixes
    found = []
    for fixed, records in d.words.similar_items(word, d.substitutes):
        for para_id, idx in records:
            paradigm = paradigms[para_id]
            n = len(paradigm) // 3
            if idx == 0:
                normal = fixed
            else:
                cut = len(suffixes[paradigm[idx]])
                normal = prefixes[paradigm[2 * n]] + fixed[len(prefixes[paradigm[2 * n + idx]]): len(fixed) - cut] + suffixes[paradigm[0]]
            found.append((fixed, paradigm[n + idx], normal, para_id))
    return found


def _ranked(word: str, lang: str, found: list) -> list:
    """Readings ``(fixed word, tag index, normal form, paradigm id)`` ordered by pymorphy3's
    probability estimator, as ``parse`` orders them: a stable sort by P(tag | word), or as
    they are when the estimator knows nothing of the word."""
    d = _internals(lang)
    if len(found) < 2 or d.has_prob is None or not d.has_prob(word):
        return found
    tags = tag_table(lang)
    probs = [d.prob(word, tags[t]) for _, t, _, _ in found]
    if sum(probs) == 0:
        return found
    return [found[i] for i in sorted(range(len(found)), key=probs.__getitem__, reverse=True)]


#: Unknown words :func:`guesses` replays pymorphy3's prediction for: letters only (no hyphen,
#: digit, apostrophe or Latin letter, whose own units in pymorphy3 come first).
_PLAIN_RE = re.compile(r"[а-яёіїєґ]+")


class _Prediction(NamedTuple):
    tags: list  # the analyser's tag table, with UNKN appended
    productive: list  # per tag index: pymorphy3's ``is_productive``
    known_prefixes: Any  # word -> the known prefixes it starts with
    min_remainder: int
    unknown_prefix: tuple[int, int]  # the unknown-prefix unit's (shortest rest, longest prefix)
    substituted: str  # letters the dictionary may spell otherwise (е for ё)
    min_word_length: int
    paradigm_prefixes: list  # (id, prefix), in the order the suffix unit tries them
    suffix_dawgs: list
    suffix_lengths: list  # longest first
    suffix_multiplier: float


@lru_cache(maxsize=None)
def _prediction(lang: str) -> _Prediction | None:
    """What :func:`guesses` needs of pymorphy3's prediction units, or None when the analyser's
    units are not the ones it replays (then every unknown word goes through ``parse``)."""
    from pymorphy3.units import KnownPrefixAnalyzer, KnownSuffixAnalyzer, UnknAnalyzer, UnknownPrefixAnalyzer
    from pymorphy3.utils import word_splits

    m = analyzer(lang)
    shape_only = {
        "DictionaryAnalyzer", "AbbreviatedFirstNameAnalyzer", "AbbreviatedPatronymicAnalyzer", "NumberAnalyzer",
        "PunctuationAnalyzer", "RomanNumberAnalyzer", "LatinAnalyzer", "HyphenSeparatedParticleAnalyzer",
        "HyphenAdverbAnalyzer", "HyphenatedWordsAnalyzer",
    }  # units that give nothing for a plain lower-case word the dictionary lacks
    units = list(m._units)
    kinds = [(type(u), terminal) for u, terminal in units[-4:]]
    expected = [(KnownPrefixAnalyzer, True), (UnknownPrefixAnalyzer, False), (KnownSuffixAnalyzer, True), (UnknAnalyzer, True)]
    if kinds != expected or any(type(u).__name__ not in shape_only for u, _ in units[:-4]):
        return None
    known, _, suffix, unkn = (u for u, _ in units[-4:])
    gramtab = m.dictionary.gramtab
    if len({str(t) for t in gramtab}) != len(gramtab):
        return None  # tags are compared by index below
    tags = list(gramtab) + [unkn._tag]
    return _Prediction(
        tags=tags,
        productive=[t.is_productive() for t in tags],
        known_prefixes=known.get_prefixes,
        min_remainder=known.min_remainder_length,
        unknown_prefix=word_splits.__defaults__,
        substituted="".join(k.decode() for k in m.char_substitutes or {}),
        min_word_length=suffix.min_word_length,
        paradigm_prefixes=list(suffix._paradigm_prefixes),
        suffix_dawgs=m.dictionary.prediction_suffixes_dawgs,
        suffix_lengths=list(suffix._prediction_splits),
        suffix_multiplier=suffix.score_multiplier,
    )


def guesses(word: str, lang: str = "ru") -> list[tuple[str, Any]]:
    """pymorphy3's readings of a lower-case word it may not know, as ``(normal form, tag)``,
    best first: exactly ``[(p.normal_form, p.tag) for p in MorphAnalyzer.parse(word)]``.

    A plain word (letters only) goes through :func:`guessed_records`; any other word through
    ``parse``.
    """
    records = guessed_records(word, lang)
    if records is None:
        return [(p.normal_form, p.tag) for p in analyzer(lang).parse(word)]
    tags = tag_table(lang)
    return [(normal, tags[t]) for normal, t in records]


def guessed_records(word: str, lang: str = "ru") -> list[tuple[str, int]] | None:
    """:func:`guesses` of a plain lower-case word (letters only) as ``(normal form, tag index
    into tag_table)``; None for any other word.

    A word the dictionary lacks is guessed by replaying pymorphy3's prediction units (a known
    prefix, else an unknown prefix and a known suffix, else UNKN); the suffix tables are read
    once per word ending and prefix set.
    """
    pred = _prediction(lang) if _PLAIN_RE.fullmatch(word) else None
    if pred is None:
        return None
    return [(normal, t) for _, t, normal, _ in _ranked(word, lang, _readings_of(word, lang))]


@lru_cache(maxsize=None)
def tag_table(lang: str = "ru") -> list:
    """The analyser's tags by index (the indices of :func:`dictionary_records` and
    :func:`guessed_records`), with UNKN last when the prediction is replayed."""
    pred = _prediction(lang)
    return pred.tags if pred is not None else list(_internals(lang).gramtab)


def _readings_of(word: str, lang: str) -> list[tuple[str, int, str, Any]]:
    """``parse``'s units on a plain word, before ranking: the dictionary, else prediction."""
    return _lookup(word, lang) or _predict(word, lang)


@lru_cache(maxsize=20_000)
def _parsed_rest(rest: str, lang: str) -> tuple:
    """``parse`` of the remainder after a known prefix (remainders recur: анти-, пост-…)."""
    return tuple(_ranked(rest, lang, _readings_of(rest, lang)))


def _predict(word: str, lang: str) -> list[tuple[str, int, str, Any]]:
    """pymorphy3's prediction units on a plain word the dictionary lacks, in ``parse``'s order
    and with its duplicate rule (same word, tag and paradigm)."""
    pred = _prediction(lang)
    productive = pred.productive
    found: list = []
    seen: set = set()

    def add(prefix: str, readings) -> None:
        for fixed, t, normal, para in readings:
            if productive[t]:
                key = (prefix + fixed, t, para)
                if key not in seen:
                    seen.add(key)
                    found.append((prefix + fixed, t, prefix + normal, para))

    prefixes = pred.known_prefixes(word)
    prefixes.sort(key=len, reverse=True)
    for prefix in prefixes:  # known prefix: псевдо|кошка
        if len(word) - len(prefix) >= pred.min_remainder:
            add(prefix, _parsed_rest(word[len(prefix):], lang))
    if found:
        return found
    words = _internals(lang).words
    shortest_rest, longest_prefix = pred.unknown_prefix
    for cut in range(1, 1 + min(longest_prefix, len(word) - shortest_rest)):  # unknown prefix: байт|код
        rest = word[cut:]
        if rest in words or any(c in rest for c in pred.substituted):
            add(word[:cut], _lookup(rest, lang))
    if len(word) >= pred.min_word_length:  # known suffix: бутяв|кать
        entries, totals = _suffix_table(word[-pred.suffix_lengths[0]:], tuple(i for i, p in pred.paradigm_prefixes if word.startswith(p)), lang)
        by_suffix = []
        for pid, cut, fixed_suffix, count, para, t, normal_parts in entries:
            fixed = word[:-cut] + fixed_suffix
            key = (fixed, t, para)
            if key not in seen:
                seen.add(key)
                if normal_parts is None:
                    normal = fixed
                else:
                    cut_start, cut_end, normal_prefix, normal_suffix = normal_parts
                    normal = normal_prefix + fixed[cut_start: len(fixed) - cut_end] + normal_suffix
                by_suffix.append((count / totals[pid] * pred.suffix_multiplier, fixed, t, normal, para))
        by_suffix.sort(key=itemgetter(0), reverse=True)
        found.extend(r[1:] for r in by_suffix)
    return found or [(word, len(pred.tags) - 1, word, None)]


@lru_cache(maxsize=50_000)
def _suffix_table(end: str, prefix_ids: tuple, lang: str) -> tuple[tuple, dict]:
    """The known-suffix unit's records for words ending in ``end`` (as long as its longest
    suffix) and starting with the paradigm prefixes ``prefix_ids``, in the unit's order, and
    each prefix's total count (with its smoothing 1).

    A record is ``(prefix id, suffix length, fixed suffix, count, paradigm, tag, normal
    parts)``; the normal parts are what the rule of :func:`_lookup` cuts and adds (None for the normal
    form itself).
    """
    pred = _prediction(lang)
    d = _internals(lang)
    substitutes, paradigms, suffixes, prefixes = d.substitutes, d.paradigms, d.suffixes, d.prefixes
    entries = []
    totals = {}
    for pid in prefix_ids:
        total = 1
        for cut in pred.suffix_lengths:
            for fixed_suffix, records in pred.suffix_dawgs[pid].similar_items(end[-cut:], substitutes):
                for cnt, para, idx in records:
                    paradigm = paradigms[para]
                    n = len(paradigm) // 3
                    t = paradigm[n + idx]
                    if pred.productive[t]:
                        total += cnt
                        parts = None if idx == 0 else (
                            len(prefixes[paradigm[2 * n + idx]]), len(suffixes[paradigm[idx]]), prefixes[paradigm[2 * n]], suffixes[paradigm[0]]
                        )
                        entries.append((pid, cut, fixed_suffix, cnt, para, t, parts))
            if total > 1:
                break
        totals[pid] = total
    return tuple(entries), totals


def is_known(word: str, lang: str = "ru") -> bool:
    """Whether pymorphy3's dictionary knows a lower-case word."""
    return analyzer(lang).word_is_known(word)


@lru_cache(maxsize=500_000)
def readings(word: str, lang: str = "ru") -> tuple[tuple[str, str, frozenset], ...]:
    """Every reading of a lower-case word as ``(normal_form, POS, grammemes)``, best first (cached)."""
    if lang not in MORPH_LANGS:
        return ()
    return tuple((p.normal_form, p.tag.POS or "", frozenset(p.tag.grammemes)) for p in parses(word, lang))


def grammemes(word: str, lang: str = "ru") -> frozenset:
    """The union of the grammemes of every reading of a lower-case word (cases, numbers…)."""
    out: set = set()
    for _, pos, g in readings(word, lang):
        out |= g
        if pos:
            out.add(pos)
    return frozenset(out)
