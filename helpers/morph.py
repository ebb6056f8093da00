"""The one morphological analyser of the kit: pymorphy3, loaded once per language.

Every module that needs Russian or Ukrainian morphology (lemmas, name normal forms,
attribution) gets its analyser here, so that a process holds one ``MorphAnalyzer`` per
language.

:func:`parses` is the hot path of lemmatisation: for a word in pymorphy3's dictionary it reads
the dictionary's records directly (the same paradigms, normal forms and tag order as
``MorphAnalyzer.parse``, with the same probability estimator deciding the order; a test checks
the two agree), about three times faster than ``parse``; words the dictionary does not know go
through ``parse`` and its predictors.
"""

from __future__ import annotations

from functools import lru_cache
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


@lru_cache(maxsize=None)
def _internals(lang: str) -> tuple:
    m = analyzer(lang)
    d = m.dictionary
    estimator = m.prob_estimator.p_t_given_w.prob if m.prob_estimator is not None else None
    return d.words, m.char_substitutes, d.paradigms, d.gramtab, d.suffixes, d.paradigm_prefixes, estimator


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
        return [Parse(p.normal_form, p.tag, False) for p in analyzer(lang).parse(word)]
    gramtab = _internals(lang)[3]
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
    words, substitutes, paradigms, gramtab, suffixes, prefixes, estimator = _internals(lang)
    found = []
    for fixed, records in words.similar_items(word, substitutes):
        for para_id, idx in records:
            paradigm = paradigms[para_id]
            n = len(paradigm) // 3
            if idx == 0:
                normal = fixed
            else:
                prefix = prefixes[paradigm[2 * n + idx]]
                suffix = suffixes[paradigm[idx]]
                stem = fixed[len(prefix): len(fixed) - len(suffix)] if suffix else fixed[len(prefix):]
                normal = prefixes[paradigm[2 * n]] + stem + suffixes[paradigm[0]]
            found.append((normal, paradigm[n + idx]))
    if len(found) > 1 and estimator is not None:
        probs = [estimator(word, gramtab[t]) for _, t in found]
        if sum(probs) > 0:
            order = sorted(range(len(found)), key=probs.__getitem__, reverse=True)
            found = [found[i] for i in order]
    return found, estimator is not None


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
