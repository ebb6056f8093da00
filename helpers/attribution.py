"""Attribution: who is cited, found as the grammatical subject of the reporting verb.

:func:`attribution` finds every **reporting cue** of a corpus and its **speaker**:

- a reporting verb (:data:`CUE_VERBS`, any form: заявил, сообщила, заявив, сообщается…);
- a source phrase: «по словам X», «по данным X», «по информации X», «по мнению X», «по оценке
  X», «по сведениям X», «по его словам», «со ссылкой на X», «как сообщает X».

The speaker of a verb is its subject wherever it stands, found with pymorphy3's readings of
every word (a nominative that agrees with the verb in number, and in gender for a past tense):
after the verb when a quote or a clause ends right before it («…», — сказал X; «об этом заявил
X»), else before it (X заявил; X, комментируя…, заявил), else after it. Rules that keep it
right on real news:

- words inside a direct quote are never the speaker of the verb outside it;
- a personal pronoun (он, она, они, «по его словам») resolves to the nearest person named
  before it whose gender and number agree, in this sentence or the ones before;
- «который» resolves to the noun before it;
- a medium that only relays someone else («сообщил РИА Новости очевидец», «сказал агентству
  Reuters», «Reuters со ссылкой на источники») is kept apart: its row has ``role`` ``relayed_by``;
- with no subject, a locative institution speaks («в пресс-службе банка уточнили»), else nobody
  (``(unnamed)``: «сообщается», «было заявлено»).

Every row keeps its sentence and the ``rule`` that fired, so it can be checked. Speakers are
linked to the actor dictionary where a mention covers them, and otherwise put in their base form
(:func:`helpers.names.normalize_entity`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from helpers.constants import UNKNOWN_GROUP
from helpers.corpus import Corpus
from helpers.engine import balanced_ranges, fork_map, jobs
from helpers.morph import grammemes, is_known, readings
from helpers.progress import progress

#: Reporting verbs (both aspects) whose subjects are the speakers.
CUE_VERBS = frozenset(
    "заявить заявлять сообщить сообщать отметить отмечать подчеркнуть подчёркивать подчеркивать добавить добавлять "
    "признать признавать предупредить предупреждать сказать говорить указать указывать пояснить пояснять напомнить "
    "напоминать уточнить уточнять объявить объявлять рассказать рассказывать считать ответить отвечать призвать "
    "призывать заверить заверять подтвердить подтверждать опровергнуть опровергать пообещать обещать написать писать "
    "передать передавать"
    .split()
)
#: Source phrases (lemma sequences) whose following noun phrase is the source.
SOURCE_PHRASES = ("по словам", "по данным", "по информации", "по мнению", "по оценке", "по оценкам", "по сведениям", "со ссылкой на")
ATTRIBUTION_COLUMNS = [
    "doc_id", "sentence", "kind", "cue", "cue_start", "cue_end", "role", "speaker", "speaker_kind", "speaker_start",
    "speaker_end", "referent_start", "referent_end", "actor", "actor_type", "rule", "sentence_text",
]
#: Cues from which :func:`attribution` shares the documents between processes (below it, the
#: fork costs more than it saves).
_PARALLEL_CUES = 4000
_PREPS = frozenset(
    "в во на с со к ко по о об обо от ото до из изо у за под подо над надо перед передо при про через для без между "
    "около после против вокруг среди ради вместо кроме благодаря согласно вслед вдоль мимо сквозь внутри вне возле "
    "близ вблизи напротив насчет насчёт"
    .split()
)
_PRONOUNS = {"он": ("masc", "sing"), "она": ("femn", "sing"), "оно": ("neut", "sing"), "они": (None, "plur"), "все": (None, "plur"),
             "его": ("masc", "sing"), "её": ("femn", "sing"), "ее": ("femn", "sing"), "их": (None, "plur"),
             "я": (None, "sing"), "мы": (None, "plur")}
_GEN, _DAT, _ACC, _INS, _LOC = {"gent", "gen1", "gen2"}, {"datv"}, {"accs", "acc2"}, {"ablt"}, {"loct", "loc1", "loc2"}
_PREP_CASES = {
    **{p: _GEN for p in "для от ото до из изо у без около после против вокруг среди ради вместо кроме возле близ вблизи мимо вдоль внутри вне напротив насчет насчёт".split()},
    "в": _ACC | _LOC, "во": _ACC | _LOC, "на": _ACC | _LOC, "о": _ACC | _LOC, "об": _ACC | _LOC, "обо": _ACC | _LOC,
    "при": _LOC, "по": _DAT | _ACC | _LOC, "к": _DAT, "ко": _DAT, "благодаря": _DAT, "согласно": _DAT,
    "с": _GEN | _INS | _ACC, "со": _GEN | _INS | _ACC, "за": _INS | _ACC, "под": _INS | _ACC, "подо": _INS | _ACC,
    "над": _INS, "надо": _INS, "перед": _INS, "передо": _INS, "между": _INS | _GEN, "через": _ACC, "про": _ACC, "сквозь": _ACC,
}
_CLAUSE_WORDS = frozenset("что чтобы если когда поскольку потому хотя пока где куда откуда".split())
_ADDRESSEE_NOUNS = frozenset("агентство журналист издание газета телеканал корреспондент радиостанция журнал сайт портал канал телеканал репортер репортёр собеседник".split())
_MEDIA_NOUNS = frozenset("газета агентство радиостанция телеканал канал журнал издание портал сайт радио телекомпания информагентство еженедельник".split())
_MEDIA_WORDS = frozenset("риа тасс интерфакс reuters bloomberg afp ap рбк коммерсант ведомости известия сми пресса агентство".split())
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen1", "gen2", "acc2", "loc1", "loc2"})
_COMMON_POS = frozenset({"ADJF", "ADJS", "COMP", "VERB", "INFN", "PRTF", "PRTS", "GRND", "NUMR", "ADVB", "NPRO", "PRED", "PREP", "CONJ", "PRCL", "INTJ"})
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
_FUNCTION_WORDS = _PREPS | frozenset("и а но или либо однако же ли не ни бы то также тоже ещё еще уже лишь только даже ведь вот как так это что".split())
_QUANTIFIERS = frozenset("несколько много немало большинство часть ряд двое трое четверо пятеро".split())
#: Marks searched for in the gaps between tokens, compiled once (the rules test millions of gaps).
_CLAUSE_MARKS = re.compile(r"[,:;]")
_CLAUSE_OR_DASH = re.compile(r"[,:;—–]")
_NAME_BREAK = re.compile(r"[,:;»«\"—–(]")
_CLAUSE_OR_STOP = re.compile(r"[,:;.]")
_SENTENCE_BREAK = re.compile(r"[.;]")
_GENITIVE_BREAK = re.compile(r"[,:;—–(»\"]")
_QUOTE_MARKS = re.compile(r"[«»\"]")
_OPENING_QUOTE = re.compile(r"[«\"]")
_INSERTION_RE = re.compile(r"[,.!?…]\s*[—–-]\s*$|[,.!?…]\s*[»\"”]?\s*[—–-]\s*$")


_GRAMS: dict[tuple[str, str], frozenset] = {}
_GRAMS_LIMIT = 500_000


def _gram(word: str, lang: str) -> frozenset:
    """The grammemes of a word's readings; a function word keeps only its best reading's (cached)."""
    key = (word, lang)
    hit = _GRAMS.get(key)
    if hit is None:
        found = readings(word, lang)
        hit = frozenset(found[0][2] | {found[0][1]}) if found and found[0][1] in _FUNCTION_POS else grammemes(word, lang)
        if len(_GRAMS) >= _GRAMS_LIMIT:
            _GRAMS.clear()  # a bound on memory; entries are cheap to recompute
        _GRAMS[key] = hit
    return hit


#: The first two letters (ё as е) of every reporting verb: a form of four letters or more of a
#: language other than Russian that begins otherwise is not analysed (verbal readings have normal
#: forms that begin as the form does; Russian forms are held to their verb's stem, below).
_CUE_STARTS = frozenset(v.replace("ё", "е")[:2] for v in CUE_VERBS)


@lru_cache(maxsize=1)
def _cue_stems() -> tuple[str, ...]:
    """The stem every dictionary form of a Russian reporting verb begins with (ё as е): the
    longest beginning shared by the forms of its lexeme(s), reflexive ones included («сообщ»,
    «говор», «пи»)."""
    import os.path

    from helpers.morph import analyzer

    morph = analyzer("ru")
    stems = set()
    for verb in CUE_VERBS:
        for v in (verb, verb + "ся"):
            forms = {f.word.replace("ё", "е") for p in morph.parse(v) if p.normal_form == v and p.is_known for f in p.lexeme}
            if forms:
                stems.add(os.path.commonprefix(sorted(forms)))
    return tuple(sorted(stems))


def _may_be_cue(lower: str, lang: str | None = None) -> bool:
    """False when ``lower`` cannot be a form of a reporting verb: a Russian word of four letters
    or more must begin with the stem of one (:func:`_cue_stems`); other languages' words with
    the first two letters of one (:data:`_CUE_STARTS`)."""
    if len(lower) < 4:
        return True
    folded = lower.replace("ё", "е")
    return folded.startswith(_cue_stems()) if lang == "ru" else folded[:2] in _CUE_STARTS


_GUILLEMET_RE = re.compile("[«»]")


def _speech_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotes of three words or more («…», "…") in a text."""
    spans = []
    depth, start = 0, None
    for mark in _GUILLEMET_RE.finditer(text):  # only the quote marks, not every character
        i, ch = mark.start(), mark.group()
        if ch == "«":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "»" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                spans.append((start, i + 1))
    for m in re.finditer(r'(?<![\w"])"(?=\S)([^"\n]{1,2000}?)(?<=\S)"(?![\w])', text):
        spans.append(m.span())
    def is_speech(a: int, b: int) -> bool:
        words = re.findall(r"\w+", text[a:b])
        if len(words) >= 6:
            return True
        return len(words) >= 2 and any(p in ("VERB", "INFN") for w in words for _, p, _ in readings(w.lower())[:1])

    return sorted(s for s in spans if is_speech(*s))


class _LangAt:
    """``tokens["lang"].astype(str).to_numpy()[row]`` for single rows, without converting the column."""

    def __init__(self, codes: np.ndarray, names: list[str]) -> None:
        self.codes, self.names = codes, names

    def __getitem__(self, row: int) -> str:
        return self.names[self.codes[row]]


def _token_arrays(corpus: Corpus) -> dict[str, np.ndarray]:
    """The token columns the rules read, as NumPy arrays of codes and categories, built once per corpus.

    Every sentence reads its tokens from these by position (a few array look-ups), not by
    converting whole columns of the token table: on millions of tokens a per-sentence
    ``astype(str)`` made attribution quadratic in the corpus size.

    Returns
    -------
    dict
        ``token_codes``/``token_cats``, ``lower_cats`` (each token category in lower case),
        ``lemma_codes``/``lemma_cats`` (object arrays of str),
        ``kind_codes``/``kind_cats`` (a missing kind, code -1, reads NaN as ``astype(str)`` gives),
        ``lang_codes``/``lang_names`` (a missing language reads ``"nan"``), ``start``, ``end``.
    """
    cache = corpus._cache
    tokens = corpus.tokens
    found = cache.get("attribution_arrays")
    if found is not None and found["n"] == len(tokens) and found["tokens_id"] == id(tokens):
        return found
    def cats(column: str) -> np.ndarray:
        return np.asarray(tokens[column].cat.categories.astype(str), dtype=object)
    found = {
        "n": len(tokens), "tokens_id": id(tokens),
        "token_codes": tokens["token"].cat.codes.to_numpy(), "token_cats": cats("token"),
        "lower_cats": np.asarray([t.lower() for t in tokens["token"].cat.categories.astype(str).tolist()], dtype=object),
        "lemma_codes": tokens["lemma"].cat.codes.to_numpy(), "lemma_cats": cats("lemma"),
        "kind_codes": tokens["kind"].cat.codes.to_numpy(), "kind_cats": np.append(cats("kind"), np.nan).astype(object),
        "lang_codes": tokens["lang"].cat.codes.to_numpy(), "lang_names": [*cats("lang").tolist(), "nan"],
        "start": tokens["start"].to_numpy(), "end": tokens["end"].to_numpy(),
    }
    cache["attribution_arrays"] = found
    return found


class _Quotes(NamedTuple):
    """A document's direct quotes: the spans (sorted) and their starts and ends as arrays."""

    spans: list[tuple[int, int]]
    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def of(cls, text: str) -> _Quotes:
        spans = _speech_quotes(text)
        return cls(spans, np.array([q[0] for q in spans], dtype=np.int64), np.array([q[1] for q in spans], dtype=np.int64))


class _LazyGrams(dict):
    """``[_gram(w, lang) for w in words]``, each computed when first read (most words of a
    sentence are never looked at by the rules, and their analysis was most of the cost). A
    dict keyed by position: a word read again is a plain dict look-up."""

    __slots__ = ("lang", "words")

    def __init__(self, words: list[str], lang: str) -> None:
        super().__init__()
        self.words, self.lang = words, lang

    def __len__(self) -> int:
        return len(self.words)

    def __missing__(self, i: int) -> frozenset:
        value = self[i] = _gram(self.words[i], self.lang)
        return value


class _Sentence:
    """The tokens of one sentence with what the rules need to know about them."""

    def __init__(self, a: dict, rows: np.ndarray, text: str, quotes: _Quotes, mention_at: dict[int, tuple], mention_rows: np.ndarray, names: dict):
        n = len(rows)
        self.rows = rows
        token_codes = a["token_codes"][rows]
        self.surface = a["token_cats"][token_codes].tolist()
        self.lower = a["lower_cats"][token_codes].tolist()
        self.lemma = a["lemma_cats"][a["lemma_codes"][rows]].tolist()
        self.kind = a["kind_cats"][a["kind_codes"][rows]].tolist()
        self.start = a["start"][rows]
        self.end = a["end"][rows]
        self.lang = a["lang_names"][a["lang_codes"][rows[0]]] if n else "ru"
        self.gram = _LazyGrams(self.lower, self.lang)
        starts = self.start.tolist()
        #: gaps[i]: the text between token i-1 and token i (punctuation, quotes, dashes)
        self.gaps = [text[p: q] for p, q in zip([max(0, starts[0] - 3), *self.end[:-1].tolist()], starts)] if n else []
        self.quoted = np.zeros(n, dtype=bool)
        self.quote_of: list[tuple[int, int] | None] = [None] * n
        # The quotes that overlap the sentence; token k is in quote j when a_j <= start_k < b_j,
        # and the first such quote is its quote.
        near = np.flatnonzero((quotes.starts <= starts[-1]) & (quotes.ends > starts[0])) if n and quotes.spans else ()
        if len(near):
            inside = (quotes.starts[near][None, :] <= self.start[:, None]) & (self.start[:, None] < quotes.ends[near][None, :])
            self.quoted = inside.any(axis=1)
            first = near[inside.argmax(axis=1)].tolist()
            spans = quotes.spans
            self.quote_of = [spans[j] if q else None for j, q in zip(first, self.quoted.tolist())]
        self.mention = [None] * n
        if n:
            lo, hi = np.searchsorted(mention_rows, [rows[0], rows[-1] + 1])
            first_row = int(rows[0])
            for r in mention_rows[lo:hi].tolist():
                self.mention[r - first_row] = mention_at[r]
        self.names = names
        # «Часть цитаты, — сказал X. — Продолжение»: the narrator's words inside the quote marks.
        for k in np.flatnonzero(self.quoted).tolist():
            if self.quoted[k] and _INSERTION_RE.search(self.gaps[k]) and _cue_verb(self.lower[k], self.lang) is not None:
                j = k
                while j + 1 < n and not re.search(r"[—–]|\s-\s", self.gaps[j + 1]):
                    j += 1
                self.quoted[k: j + 1] = False
                for x in range(k, j + 1):
                    self.quote_of[x] = None
        self.quoted = self.quoted.tolist()  # (read one by one: Python bools are quicker to get)
        self._name: list[bool | None] = [None] * n

    def __len__(self) -> int:
        return len(self.rows)

    def is_name(self, i: int) -> bool:
        """An actor mention, a form the corpus reads as a name, or a capitalised word the dictionary does not know."""
        if i < 0:
            return self._is_name(i)  # (a position from the end is not memoised: the rule reads i > 0)
        known = self._name[i]
        if known is None:
            known = self._name[i] = self._is_name(i)
        return known

    def _is_name(self, i: int) -> bool:
        if self.mention[i] is not None:
            return True
        surface = self.surface[i]
        if self.kind[i] == "url":
            return True
        if not surface[:1].isupper() or self.lower[i] in _PRONOUNS or self.kind[i] != "word":
            return False
        if surface in self.names:
            return True
        g = self.gram[i]
        return bool(g & {"Name", "Surn", "Patr", "Orgn", "Abbr"}) or (i > 0 and not g & _COMMON_POS) or (surface.isupper() and len(surface) > 1)

    def nominative(self, i: int) -> bool:
        """The word has a nominative reading (or no case at all: «США», «Reuters»).

        A name the dictionary does not know counts as nominative unless its ending is oblique
        («Боцюркив», «Пауэр» yes; «Пауэра», «Кэмероном» no).
        """
        g = self.gram[i]
        if "nomn" in g or not g & _CASES:
            return True
        if not self.is_name(i):
            return False
        lemma = self.names.get(self.surface[i])
        if lemma is not None:
            return lemma == self.lower[i].replace("ё", "е")  # the corpus chose this very form as the name's lemma
        if not is_known(self.lower[i], self.lang):
            return not _OBLIQUE_NAME_RE.search(self.lower[i])
        # «Колобков» is a surname, not "of the Koloboks": plural first-name readings do not count
        return any("nomn" in rg for _, _, rg in readings(self.lower[i], self.lang)) or (
            all("plur" in rg and rg & {"Name", "Patr"} for _, _, rg in readings(self.lower[i], self.lang) if rg & _CASES) and not _OBLIQUE_NAME_RE.search(self.lower[i]))

    def subject_like(self, i: int) -> bool:
        """Could head a subject noun phrase: a noun, name or pronoun with a nominative reading."""
        if self.kind[i] not in ("word", "abbreviation", "url"):
            return False
        low = self.lower[i]
        if low in _FUNCTION_WORDS:
            return False
        if low in _PRONOUNS and low not in ("его", "её", "ее", "их"):
            return True
        if low == "который" or self.lemma[i] == "который":
            return True
        g = self.gram[i]
        if not self.nominative(i):
            return False
        if self.is_name(i):
            return not (g & {"VERB", "INFN", "GRND"}) or "NOUN" in g
        if low in _QUANTIFIERS:
            return i + 1 < len(self) and "gent" in self.gram[i + 1] and ("NOUN" in self.gram[i + 1] or "ADJF" in self.gram[i + 1])
        if "ADJF" in g and "plur" in g and (i + 1 >= len(self) or "NOUN" not in self.gram[i + 1]):
            return True  # «Русские считают»: an adjective used as a noun
        return "NOUN" in g or "NPRO" in g

    def genitive_dependent(self, i: int) -> bool:
        """A word right after a noun that may be that noun's genitive («глава МИД РФ»)."""
        if i == 0 or _GENITIVE_BREAK.search(self.gaps[i]):
            return False
        prev = self.gram[i - 1]
        if self.lemma[i - 1] in _INTERVIEW_WORDS or self.lemma[i - 1] in _ADDRESSEE_NOUNS:
            return True  # «в интервью Fox», «агентству Reuters»: the medium, not the subject
        if self.is_name(i) and self.is_name(i - 1) and not self.other_mention(i, i - 1):
            # names side by side («Джон Керри», «Sunday Times») are one name: it depends on what came before it
            return self.genitive_dependent(i - 1) if not _QUOTE_MARKS.search(self.gaps[i]) else False
        if "NOUN" not in prev:
            return False
        g = self.gram[i]
        if self.is_name(i) and not (self.surface[i].isupper() and len(self.surface[i]) > 1):
            if ("«" in self.gaps[i] or not g & _CASES) and "nomn" not in prev:
                return True  # «службе «Голоса Америки»», «в газете Sunday Times»: a title after a noun
            return "nomn" not in g and bool(g & _CASES)
        return "gent" in g or not g & _CASES

    def other_mention(self, i: int, j: int) -> bool:
        """Tokens i and j belong to two different actor mentions («президент Франции Эммануэль
        Макрон»: «Франции» and «Эммануэль» are not one name)."""
        a, b = self.mention[i], self.mention[j]
        return a is not None and b is not None and a[3] != b[3]

    def after_preposition(self, i: int) -> bool:
        """The word is governed by a preposition (possibly with adjectives or names in its case between)."""
        cases = self.gram[i] & _CASES
        j = i - 1
        while (
            j >= 0 and self.lower[j] not in _PREPS and not _CLAUSE_OR_DASH.search(self.gaps[j + 1])
            and (("ADJF" in self.gram[j] or "PRTF" in self.gram[j]) or (self.is_name(j) and cases and self.gram[j] & cases))
        ):
            j -= 1
        if not (j >= 0 and self.lower[j] in _PREPS and not _CLAUSE_MARKS.search(self.gaps[j + 1])):
            return False
        governed = _PREP_CASES.get(self.lower[j])
        # «при ООН Саманта Пауэр»: a word with no case the preposition governs is not its object
        return governed is None or not cases or bool(cases & governed)


def _verb_features(lower: str, lang: str) -> tuple[str | None, str | None, str]:
    """Number, gender and form type of the reporting verb's best verbal reading."""
    for normal, pos, g in readings(lower, lang):
        if pos in ("VERB", "INFN", "GRND", "PRTF", "PRTS"):
            number = "plur" if "plur" in g else "sing" if "sing" in g else None
            gender = next((x for x in ("masc", "femn", "neut") if x in g), None)
            return number, gender, pos
    return None, None, ""


def _cue_verb(lower: str, lang: str) -> str | None:
    """The reporting verb a word is a form of (reflexive impersonal forms included), or None."""
    for normal, pos, _ in readings(lower, lang):
        if pos in ("VERB", "INFN", "GRND", "PRTF", "PRTS"):
            base = normal.replace("ё", "е")
            if base in CUE_VERBS:
                return base
            if base.endswith(("ся", "сь")) and base[:-2] in CUE_VERBS:
                return base[:-2]
    return None


def _nominative_forms(word: str, lang: str) -> list[frozenset]:
    """The grammemes of a word's nominative readings."""
    return [g for _, _, g in readings(word, lang) if "nomn" in g]


def _agrees(s: _Sentence, i: int, number: str | None, gender: str | None) -> bool:
    low = s.lower[i]
    if low in _PRONOUNS:
        g, n = _PRONOUNS[low]
        if number and n and number != n:
            return False
        return not (gender and g and number == "sing" and gender != g)
    if s.mention[i] is not None and s.mention[i][2] in ("state", "organisation", "media", "bloc"):
        return number != "plur" or bool(s.gram[i] & {"plur", "Pltm"}) or s.surface[i].isupper()  # «США заявили», «Евросоюз заявил»
    noms = _nominative_forms(low, s.lang)
    if s.surface[i] in s.names and s.names[s.surface[i]] == low.replace("ё", "е") and i > 0:
        gender = None  # «Борода сообщил»: a surname that is also a common word has its bearer's gender
    if noms and not (s.is_name(i) and (not is_known(low, s.lang) or any(rg & {"Name", "Surn", "Patr"} for _, _, rg in readings(low, s.lang)))):
        # agreement is checked on the nominative readings only («связи» is plural as a subject)
        def fits(g: frozenset) -> bool:
            if number and number in ("sing", "plur") and g & {"sing", "plur"} and number not in g and "Pltm" not in g:
                return False
            if number == "sing" and gender and g & {"masc", "femn", "neut"} and gender not in g and "ms-f" not in g:
                return gender == "femn" and "masc" in g and "anim" in g
            return True
        return any(fits(g) for g in noms)
    g = s.gram[i]
    if s.is_name(i):
        if not is_known(low, s.lang):
            return True  # a name the dictionary does not know: its guessed readings say nothing
        proper = [rg for _, _, rg in readings(low, s.lang) if rg & {"Name", "Surn", "Patr"} and not ("plur" in rg and rg & {"Name", "Patr"})]
        if proper:
            if number == "sing" and gender:
                return any(gender in rg or "ms-f" in rg or not rg & {"masc", "femn", "neut"} for rg in proper)
            return True
        if s.names.get(s.surface[i]) == low.replace("ё", "е") and not noms:
            return True  # a surname the corpus reads as itself («Колобков»)
    if number == "sing" and "plur" in g and "sing" not in g:
        return False
    if number == "plur" and "sing" in g and "plur" not in g and not s.is_name(i):
        return False
    if number == "sing" and gender and g & {"masc", "femn", "neut"} and gender not in g and "ms-f" not in g:
        if gender == "femn" and "masc" in g and "anim" in g and not s.is_name(i):
            return True  # «канцлер напомнила»: a post named in the masculine, held by a woman
        return s.is_name(i) and not g & {"Surn", "Name"} and not is_known(low, s.lang)  # an unknown foreign name has no reliable gender
    return True


def _np_span(s: _Sentence, i: int, *, rightward: bool) -> tuple[int, int]:
    """The token range of the noun phrase headed at i: names extended, titles and genitives kept."""
    a = b = i
    nominal = s.nominative(i)

    def other(x: int, before: bool) -> bool:
        """Token x is part of another actor's mention: before the head it modifies a title
        («президент Франции | Эммануэль Макрон»); after a head that is a mention itself it is a
        name of its own (after any other head it is a genitive: «МИД России»)."""
        if s.mention[x] is None or (s.mention[i] is not None and s.mention[x][3] == s.mention[i][3]):
            return False
        return before or s.mention[i] is not None

    while a > 0 and s.is_name(a - 1) and s.is_name(i) and not _NAME_BREAK.search(s.gaps[a]) and (not nominal or s.nominative(a - 1)) and not other(a - 1, True):
        a -= 1
    while b + 1 < len(s) and s.is_name(b + 1) and (s.is_name(i) or rightward) and not _NAME_BREAK.search(s.gaps[b + 1]) and (not nominal or s.nominative(b + 1)) and not other(b + 1, False):
        b += 1
        if not s.is_name(i):
            break
    # a common noun followed by a genitive complement or an apposed name: «пресс-служба банка», «министр Лавров»
    if not s.is_name(i) and s.lower[i] not in _PRONOUNS:
        while b + 1 < len(s) and not _NAME_BREAK.search(s.gaps[b + 1]) and ("gent" in s.gram[b + 1] or s.is_name(b + 1)) and not s.quoted[b + 1]:
            b += 1
            if b - i > 5:
                break
    return a, b


def _named_inside(s: _Sentence, a: int, b: int) -> tuple[int, int] | None:
    """The last run of name tokens inside a noun phrase (the name wins over the title)."""
    names = [k for k in range(a, b + 1) if s.is_name(k) and (s.nominative(k) or s.lower[k] in _PRONOUNS)]
    if not names:
        return None
    end = names[-1]
    start = end
    while start - 1 >= a and s.is_name(start - 1):
        start -= 1
    return start, end


def _search(s: _Sentence, positions: Sequence[int], number, gender, *, stop_at_clause: bool, forward: bool, skip: frozenset = frozenset(), quoted: bool = False) -> int | None:
    """The first token along ``positions`` that can be the verb's subject (quoted words only with ``quoted``)."""
    verb_between = False
    for k in positions:
        if stop_at_clause and s.lower[k] in _CLAUSE_WORDS:
            return None
        if int(s.rows[k]) in skip:
            if forward:
                return None  # «сообщает РИА Новости со ссылкой на…»: the phrase starts another attribution
            continue
        if s.quoted[k] and not quoted:
            continue
        if not forward and stop_at_clause and verb_between and (s.lower[k] == "который" or s.lemma[k] == "который"):
            continue  # «переговорах, которые должны состояться…»: «которые» has its own verb
        if ("VERB" in s.gram[k] and ("indc" in s.gram[k] or "past" in s.gram[k]) and not s.gram[k] & {"NOUN", "ADJF"}) or ("ADJS" in s.gram[k] and "ADJF" not in s.gram[k]):
            verb_between = True
        coordinated = number == "plur" and not forward and _joined_by_and(s, k)
        if s.subject_like(k) and not s.after_preposition(k) and not s.genitive_dependent(k) and (_agrees(s, k, number, gender) or coordinated and _agrees(s, k, "sing", None)):
            if s.lower[k] in _ADDRESSEE_NOUNS and "datv" in s.gram[k] and "nomn" not in s.gram[k]:
                continue
            return k
    return None


def _joined_by_and(s: _Sentence, k: int) -> bool:
    """«Виктор Янукович и премьер-министр … Реджеп Эрдоган объявили»: a noun phrase joined by «и» to another before it."""
    for j in range(k - 1, max(-1, k - 8), -1):
        if _CLAUSE_OR_STOP.search(s.gaps[j + 1]):
            return False
        if s.lower[j] == "и":
            return j > 0 and (s.is_name(j - 1) or ("NOUN" in s.gram[j - 1] and s.nominative(j - 1)))
    return False


def _coordinated(s: _Sentence, span: tuple[int, int]) -> tuple[int, int]:
    """Extend a subject span back over «A и B» so that both are in it."""
    a, b = span
    for j in range(a - 1, max(-1, a - 8), -1):
        if _CLAUSE_OR_STOP.search(s.gaps[j + 1]):
            break
        if s.lower[j] == "и" and j > 0 and (s.is_name(j - 1) or ("NOUN" in s.gram[j - 1] and s.nominative(j - 1))):
            start = j - 1
            while start > 0 and (s.is_name(start - 1) or "NOUN" in s.gram[start - 1]) and not _CLAUSE_OR_STOP.search(s.gaps[start]):
                start -= 1
            return start, b
    return a, b


def _apposed_name(s: _Sentence, a: int, b: int) -> tuple[int, int] | None:
    """A nominative name after a title in the same clause: «представитель СК … Владимир Маркин»."""
    if b + 1 < len(s) and "«" in s.gaps[b + 1] or (b + 1 < len(s) and '"' in s.gaps[b + 1]):
        if s.lemma[b] in _MEDIA_NOUNS or s.lemma[a] in _MEDIA_NOUNS:
            start = end = b + 1
            while end + 1 < len(s) and not re.search(r"[»\"]", s.gaps[end + 1]):
                end += 1
            return start, end  # «газета «Труд»», «радиостанция «Маяк»»: the title names the medium
    commas = 0
    for k in range(b + 1, min(len(s), b + 12)):
        gap = s.gaps[k]
        if re.search(r"[:;—–(«»\"]", gap) or s.lower[k] in _CLAUSE_WORDS or "VERB" in s.gram[k]:
            return None
        if "," in gap:  # «лидер Меджлиса, народный депутат Украины Мустафа Джемилев»: one more apposition
            commas += 1
            if commas > 1 or not ("nomn" in s.gram[k] and s.gram[k] & {"NOUN", "ADJF"} or s.is_name(k)):
                return None
        if s.is_name(k) and s.nominative(k) and not s.quoted[k] and s.mention[k] is None or (s.mention[k] is not None and s.mention[k][2] == "person"):
            start = end = k
            while end + 1 < len(s) and s.is_name(end + 1) and s.nominative(end + 1) and not re.search(r"[,:;—–(«»\"]", s.gaps[end + 1]):
                end += 1
            return start, end
    return None


_OBLIQUE_NAME_RE = re.compile(r"(ом|ем|ём|ой|ым|им|ого|его|ому|ему|ах|ях|ами|ями)$|[^аеиоуыэюя][аяуюе]$")
_DATIVE_PRONOUNS = frozenset("мне нам ему ей им тебе вам".split())
_INSTITUTIONS = frozenset(
    "пресс-служба служба министерство ведомство мид администрация аппарат офис штаб правительство комитет комиссия "
    "департамент управление прокуратура полиция милиция суд посольство представительство компания банк партия "
    "доклад отчет отчёт сообщение заявление документ письмо релиз бюллетень обращение коммюнике пресс-релиз "
    "кремль совет секретариат фонд центр организация"
    .split()
)
_INTERVIEW_WORDS = frozenset("интервью беседе разговоре эфире".split())


def _locative_source(s: _Sentence, k: int) -> int | None:
    """«в пресс-службе банка уточнили», «говорится в заявлении»: the institution after «в», next to the verb."""
    # The words up to eight before and three after the verb with no comma, colon or semicolon between.
    near = []
    for x in range(k - 1, max(-1, k - 9), -1):
        if _CLAUSE_MARKS.search(s.gaps[x + 1]):
            break
        near.append(x)
    for x in range(k + 1, min(len(s) - 1, k + 4)):
        if _CLAUSE_MARKS.search(s.gaps[x]):
            break
        near.append(x)
    for x in near:
        if s.lower[x] == "на" and x + 2 < len(s) and s.lemma[x + 1] in ("сайт", "страница", "портал", "канал", "страничка"):
            head = x + 2
            while head < len(s) - 1 and "ADJF" in s.gram[head]:
                head += 1
            if "gent" in s.gram[head] or s.is_name(head):
                return head  # «как сообщается на сайте городской администрации»: the body speaks
        if s.lower[x] in ("в", "во") and x + 1 < len(s) and not s.quoted[x + 1]:
            head = x + 1
            while head < len(s) - 1 and "ADJF" in s.gram[head]:
                head += 1
            m = s.mention[head]
            if ("loct" in s.gram[head] and s.lemma[head] in _INSTITUTIONS) or (m is not None and m[2] in ("state", "organisation", "media") and s.surface[head][:1].isupper() and s.lemma[head] in _INSTITUTIONS | {"кремль", "белый дом"}):
                return head
    return None


def _source_person(s: _Sentence, after: int) -> tuple[int, int] | None:
    """In «по словам главного редактора "X" (x.ru) Максима Токарева»: the person named, up to the next comma."""
    best = None
    for k in range(after, min(len(s), after + 12)):
        if k > after and _CLAUSE_MARKS.search(s.gaps[k]) and not re.search(r"[«\"(]", s.gaps[k]) and not s.quoted[k]:
            break
        if s.quoted[k] or not s.is_name(k) or (best is not None and k <= best[1]):
            continue  # the later words of a name already taken («Павла Климкина») are not a new name
        m = s.mention[k]
        if (m is not None and m[2] == "person") or s.gram[k] & {"Name", "Surn", "Patr"}:
            a = b = k
            while b + 1 < len(s) and s.is_name(b + 1) and not s.quoted[b + 1] and not re.search(r"[,:;»«\"()]", s.gaps[b + 1]):
                b += 1
            best = (a, b)
    return best


def _relay(s: _Sentence, k: int, speaker: tuple[int, int], resolve_np) -> tuple | None:
    """A medium that passes the speaker's words on: «в интервью X», «сказал агентству X», «Русской службе X»."""
    for x in range(len(s)):
        if s.quoted[x] or speaker[0] <= x <= speaker[1]:
            continue
        low, lem = s.lower[x], s.lemma[x]
        if low in _INTERVIEW_WORDS or (lem in _ADDRESSEE_NOUNS and "datv" in s.gram[x]) or (lem == "служба" and "datv" in s.gram[x]) or (lem == "корреспондент" and "ablt" in s.gram[x]):
            runs = []
            y = x + 1
            while y < min(len(s), x + 7):
                if _CLAUSE_MARKS.search(s.gaps[y]) or speaker[0] <= y <= speaker[1]:
                    break
                if s.is_name(y):
                    a = b = y
                    while b + 1 < len(s) and s.is_name(b + 1) and not re.search(r"[,:;»]", s.gaps[b + 1]) and not speaker[0] <= b + 1 <= speaker[1]:
                        b += 1
                    runs.append((a, b, "«" in s.gaps[a] or '"' in s.gaps[a]))
                    y = b + 1
                    continue
                y += 1
            if runs:
                quoted_runs = [r for r in runs if r[2]]
                a, b, _ = (quoted_runs or runs)[-1]
                return (a, b), "named", None, f"{low} → name"
    return None


#: Endings only one gender's surname has, in any case: «Лавровым», «Маковского» / «Захаровой»,
#: «Маковскую» («-ской» is also a man's nominative: «Донской»).
_MASC_ONLY_RE = re.compile(r"(ов|ев|ёв|ин|ын)(ым|ом)$|(ск|цк)(ого|ому|им)$")
_FEM_ONLY_RE = re.compile(r"(ов|ев|ёв|ин|ын)(ой|ую)$|(ск|цк)ую$")
#: Endings of a surname in the nominative: «Захарова», «Лавров».
_FEM_NOMINATIVE_RE = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая)$")
_MASC_NOMINATIVE_RE = re.compile(r"(ов|ев|ёв|ин|ын|ский|цкий)$")


def _person_gender(surface: str, lang: str, *, nominative: bool = False) -> str | None:
    """The gender of a person's name from its words, or None when they do not tell.

    Parameters
    ----------
    surface : str
        The name as written («Сергея Лаврова», «Марией Захаровой») or its nominative.
    lang : str
        Language of the name (``ru`` or ``uk``).
    nominative : bool
        The name is known to be in the nominative (a dictionary label): surname endings
        «-ова», «-ов» then tell the gender, and only nominative readings of a first name count.

    Returns
    -------
    str or None
        ``"masc"``, ``"femn"`` or None.

    Notes
    -----
    In order: an ending only one gender's surname has in any case («Лавровым», «Захаровой»); in
    the nominative, the surname's ending («Захарова», «Лавров»); a first name that pymorphy3
    knows in one gender only («Сергея», «Марией»); a surname that pymorphy3 knows in one gender
    only. A form such as «Лаврова» is the man's genitive or the woman's nominative, so its ending
    alone decides nothing.
    """
    words = [w.lower().replace("ё", "е") for w in re.findall(r"[^\W\d_][\w'-]*", surface)]
    if not words:
        return None
    for w in words:
        if _MASC_ONLY_RE.search(w):
            return "masc"
        if _FEM_ONLY_RE.search(w):
            return "femn"
    if nominative:
        if _FEM_NOMINATIVE_RE.search(words[-1]):
            return "femn"
        if _MASC_NOMINATIVE_RE.search(words[-1]) and len(words[-1]) > 3:
            return "masc"

    def one_gender(word: str, tag: str) -> str | None:
        found = {g for _, _, rg in readings(word, lang) if tag in rg and (not nominative or "nomn" in rg) for g in ("masc", "femn") if g in rg}
        return found.pop() if len(found) == 1 else None

    for w in words[:-1] or words:
        g = one_gender(w, "Name")
        if g is not None:
            return g
    return one_gender(words[-1], "Surn")


def _name_reading(surface: str, lang: str) -> bool:
    """Some word of the name has a first-name, surname or patronymic reading."""
    return any(rg & {"Name", "Surn", "Patr"} for w in surface.split() for _, _, rg in readings(w.lower(), lang))


def _head_mention(target: tuple[int, int], mention_at: dict[int, tuple], text: str, tokens: pd.DataFrame) -> tuple | None:
    """The actor mention a speaker's words stand for.

    The first mention in the words, unless a later one follows it with nothing but a space
    between (a title's own mention before the name: «президент Франции Эммануэль Макрон» is
    Macron); mentions joined by «и» or a comma are a list, led by the first («Франция и
    Германия заявили»).
    """
    found = []
    for r in range(target[0], target[1] + 1):
        m = mention_at.get(r)
        if m is not None and (not found or found[-1][3] != m[3]):
            found.append(m)
    if not found:
        return None
    head = found[0]
    starts, ends = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    for m in found[1:]:
        between = text[ends[head[4]]: starts[m[3]]]
        if between.strip():
            break  # «и», a comma, a title word: the mentions are not one name
        head = m
    return head


def _past_gender(word: str, lang: str) -> str | None:
    """The gender of a singular past-tense verb form («заявила» → femn), or None."""
    found = {g for _, pos, rg in readings(word, lang) if pos == "VERB" and "past" in rg and "sing" in rg for g in ("masc", "femn", "neut") if g in rg}
    return found.pop() if len(found) == 1 else None


def _actor_genders(corpus: Corpus, mentions: pd.DataFrame | None) -> dict[str, str]:
    """The gender of every person actor, read off the past-tense verbs it is the subject of.

    A verb right after a name («Джорджа Мелони приехала») or right before it after a quote or a
    dash («…», — отметила Захарова) agrees with it in gender. The votes of the whole corpus decide
    (a tie decides nothing): the text knows a person's gender better than a dictionary of first
    names (pymorphy3 reads «Джорджа» as a form of «Джордж» and «Эммануэль» as feminine).

    Returns
    -------
    dict
        ``{actor id: "masc" or "femn"}`` for the person actors with a majority.
    """
    from collections import Counter, defaultdict

    from helpers.actors import counted

    if mentions is None or not len(mentions):
        return {}
    m = counted(mentions)
    m = m[m["type"] == "person"]
    tokens = corpus.tokens
    n = len(tokens)
    cats = tokens["token"].cat.categories.astype(str)
    codes = tokens["token"].cat.codes.to_numpy()
    unit = corpus.doc_codes.astype(np.int64) * (1 << 32) + tokens["sentence"].to_numpy().astype(np.int64)
    starts, ends = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    arrays = _token_arrays(corpus)
    langs = _LangAt(arrays["lang_codes"], arrays["lang_names"])
    texts = corpus.doc_texts
    doc = corpus.doc_codes
    votes: dict[str, Counter] = defaultdict(Counter)
    for actor, first, last in zip(m["actor"], m["first"].astype(int), m["last"].astype(int)):
        text = texts[doc[first]]
        after, before = last + 1, first - 1
        if after < n and unit[after] == unit[last] and not text[ends[last]: starts[after]].strip():
            prev = cats[codes[before]].lower() if before >= 0 and unit[before] == unit[first] else ""
            if prev not in _PREPS:
                g = _past_gender(cats[codes[after]].lower(), langs[after])
                if g in ("masc", "femn"):
                    votes[actor][g] += 1
        if before >= 0 and unit[before] == unit[first] and not text[ends[before]: starts[first]].strip():
            lead = text[max(0, starts[before] - 4): starts[before]]
            if re.search(r"[—–»\"”,]\s*$", lead):  # «…», — заявила X; «Конечно, заявил X, …»
                g = _past_gender(cats[codes[before]].lower(), langs[before])
                if g in ("masc", "femn"):
                    votes[actor][g] += 1
    out = {}
    for actor, count in votes.items():
        (top, k), *rest = count.most_common()
        if not rest or rest[0][1] < k:
            out[actor] = top
    return out


def _context_tokens(surface: str, case: str | None = None, gender: str | None = None) -> list | None:
    """The words of a name with the case and gender its context gives them.

    The tagger, reading a name on its own, may take a genitive for a nominative («Климкина»
    after «по словам») or a woman's surname for a man's («Ярцева», the antecedent of «её»);
    the construction the name stands in settles the case, the pronoun the gender. The gender
    the tagger guessed on its own is dropped when only the case is known (the endings decide).

    Parameters
    ----------
    surface : str
        The name as written.
    case : str, optional
        Universal Dependencies case (``"Gen"``, ``"Acc"``…).
    gender : str, optional
        ``"masc"`` or ``"femn"``.

    Returns
    -------
    list of helpers.names.MorphToken or None
        None when the context tells nothing (:func:`helpers.names.normalize_entity` then tags
        the name on its own).
    """
    if case is None and gender is None:
        return None
    from dataclasses import replace

    from helpers.names import tag_phrase

    ud = {"masc": "Masc", "femn": "Fem"}.get(gender or "")
    out = []
    for t in tag_phrase(surface):
        feats = {k: v for k, v in t.feats.items() if k != "Gender"}
        if case is not None:
            feats["Case"] = case
        if ud is not None:
            feats["Gender"] = ud
        out.append(replace(t, feats=feats))
    return out


def attribution(corpus: Corpus, mentions: pd.DataFrame | None = None, *, lookback: int = 4) -> pd.DataFrame:
    """Who gets cited: every reporting cue of the corpus with its speaker.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    mentions : DataFrame, optional
        :func:`helpers.actors.find_actors` output, to link speakers to actors (and to know
        which names are persons for pronouns).
    lookback : int
        Sentences searched back for a pronoun's antecedent (default 4).

    Returns
    -------
    DataFrame
        One row per cue and party (see the module notes): ``doc_id``, ``sentence``, ``kind``
        (``verb`` or ``phrase``), ``cue`` (the verb's lemma or the phrase), ``cue_start``,
        ``cue_end``, ``role`` (``speaker`` for a verb, ``source`` for a phrase, ``relayed_by``
        for a medium that passes the words on), ``speaker`` (the actor's label, else the name in
        its base form, else the noun phrase as written, else ``(unnamed)``), ``speaker_kind``
        (``named``, ``pronoun``, ``common``, ``none``), ``speaker_start``, ``speaker_end`` (the
        words that name the speaker at the cue), ``referent_start``, ``referent_end`` (for a
        pronoun: the name it stands for), ``actor`` and ``actor_type`` (when linked), ``rule``
        and ``sentence_text``. Sorted by document and offset.
    """
    from helpers.actors import counted
    from helpers.names import normalize_entity

    tokens = corpus.tokens
    mention_at: dict[int, tuple] = {}
    if mentions is not None and len(mentions):
        for m in counted(mentions).itertuples(index=False):
            for r in range(int(m.first), int(m.last) + 1):
                mention_at[r] = (m.actor, m.label, m.type, int(m.first), int(m.last))
    lang_ok = tokens["lang"].isin(["ru", "uk"]).to_numpy()
    actor_gender = _actor_genders(corpus, mentions)
    lex = corpus.lexicon
    names_lex = lex[lex["name"].astype(bool)] if len(lex) else lex
    name_forms = dict(zip(names_lex["form"].tolist(), names_lex["lemma"].tolist())) if len(lex) else {}
    lcats = tokens["lemma"].cat.categories
    tcats = tokens["token"].cat.categories.astype(str)
    # Candidate cue rows: forms that can be a reporting verb, «словам», «данным»… after «по», «ссылкой».
    low_cats = tcats.str.lower()
    arrays = _token_arrays(corpus)
    lang_of = _LangAt(arrays["lang_codes"], arrays["lang_names"])
    main_lang = corpus.lang if corpus.lang in ("ru", "uk") else "ru"
    # Each lower-case form once, and only those that may be a reporting verb's (_may_be_cue).
    low_codes, low_values = pd.factorize(np.asarray(low_cats, dtype=object))
    is_low_cue = np.fromiter((_may_be_cue(w, main_lang) and _cue_verb(w, main_lang) is not None for w in low_values.tolist()), dtype=bool, count=len(low_values))
    is_cue_form = is_low_cue[low_codes] if len(low_codes) else np.zeros(0, dtype=bool)
    codes = tokens["token"].cat.codes.to_numpy()
    cue_rows = np.flatnonzero(is_cue_form[codes] & lang_ok)
    phrase_heads = {"словам", "данным", "информации", "мнению", "оценке", "оценкам", "сведениям", "ссылкой"}
    is_low_phrase = np.fromiter((w in phrase_heads for w in low_values.tolist()), dtype=bool, count=len(low_values))
    is_phrase = is_low_phrase[low_codes] if len(low_codes) else np.zeros(0, dtype=bool)
    phrase_rows = np.flatnonzero(is_phrase[codes] & lang_ok)
    if cue_rows.size == 0 and phrase_rows.size == 0:
        return pd.DataFrame(columns=ATTRIBUTION_COLUMNS)
    doc = corpus.doc_codes
    sent = tokens["sentence"].to_numpy()
    unit = doc.astype(np.int64) * (1 << 32) + sent
    texts = corpus.doc_texts
    doc_ids = corpus.doc_ids
    quotes_of: dict[int, _Quotes] = {}
    mention_rows = np.array(sorted(mention_at), dtype=np.int64)
    sentences: dict[int, _Sentence] = {}

    current_doc = [-1]

    def sentence_of(row: int) -> _Sentence:
        u = unit[row]
        if u not in sentences:
            a = np.searchsorted(unit, u, side="left")
            b = np.searchsorted(unit, u, side="right")
            d = int(doc[row])
            if d != current_doc[0]:
                # The rules only look inside the current document: keep its sentences alone,
                # so that memory stays bounded by one document, not the corpus.
                sentences.clear()
                quotes_of.clear()
                current_doc[0] = d
            if d not in quotes_of:
                quotes_of[d] = _Quotes.of(texts[d])
            sentences[u] = _Sentence(arrays, np.arange(a, b), texts[d], quotes_of[d], mention_at, mention_rows, name_forms)
        return sentences[u]

    def person_before(row: int, gender: str | None, number: str | None) -> tuple[int, int] | None:
        """The nearest person name before ``row`` (same document, ``lookback`` sentences) agreeing."""
        d = doc[row]
        first_row = np.searchsorted(doc, d, side="left")
        lo_sent = sent[row] - lookback
        r = row - 1
        while r >= first_row and sent[r] >= lo_sent:
            m = mention_at.get(r)
            s = sentence_of(r)
            k = r - s.rows[0]
            if m is not None and m[2] == "person":
                surface = texts[d][arrays["start"][m[3]]: arrays["end"][m[4]]]
                # the verbs the actor agrees with in the corpus, else the words as written, else the label
                g = actor_gender.get(m[0]) or _person_gender(surface, lang_of[r]) or _person_gender(m[1], lang_of[r], nominative=True)
                if number != "plur" and (gender is None or g is None or g == gender):
                    return m[3], m[4]
                r = m[3] - 1
                continue
            # not the capitalised first word of a direct quote («Любой исход…», — говорит она)
            quote_initial = s.quoted[k] and (k == 0 or bool(_OPENING_QUOTE.search(s.gaps[k])))
            if m is None and not quote_initial and s.is_name(k) and s.gram[k] & {"Surn", "Name"}:
                a, b = _np_span(s, k, rightward=False)
                surface = texts[d][s.start[a]: s.end[b]]
                g = _person_gender(surface, lang_of[r])
                if number != "plur" and (gender is None or g is None or g == gender):
                    return int(s.rows[a]), int(s.rows[b])
                r = int(s.rows[a]) - 1
                continue
            if m is not None and number == "plur" and m[2] in ("organisation", "state", "media", "bloc"):
                return m[3], m[4]
            r -= 1
        return None

    rows_out: list[dict] = []
    speaker_names: dict[tuple, str] = {}

    def emit(s: _Sentence, kind: str, cue: str, a: int, b: int, role: str, span: tuple[int, int] | None, skind: str, rule: str, referent: tuple[int, int] | None = None, case: str | None = None) -> None:
        d = int(doc[s.rows[0]])
        rec = {
            "doc_id": str(doc_ids[d]), "sentence": int(sent[s.rows[0]]), "kind": kind, "cue": cue,
            "cue_start": int(s.start[a]), "cue_end": int(s.end[b]), "role": role, "speaker": "(unnamed)", "speaker_kind": skind,
            "speaker_start": np.nan, "speaker_end": np.nan, "referent_start": np.nan, "referent_end": np.nan,
            "actor": None, "actor_type": None, "rule": rule, "sentence_text": " ".join(texts[d][s.start[0]: s.end[-1]].split()),
        }
        if span is not None:
            i, j = span
            rec["speaker_start"], rec["speaker_end"] = int(s.start[i]), int(s.end[j])
        target = referent
        if referent is not None:
            rec["referent_start"] = int(arrays["start"][referent[0]])
            rec["referent_end"] = int(arrays["end"][referent[1]])
        elif span is not None and skind == "named":
            target = (int(s.rows[span[0]]), int(s.rows[span[1]]))
        if target is not None:
            m = _head_mention(target, mention_at, texts[d], tokens)
            surface = texts[d][arrays["start"][target[0]]: arrays["end"][target[1]]]
            if m is not None:
                rec["speaker"], rec["actor"], rec["actor_type"] = m[1], m[0], m[2]
            elif surface[:1].isupper():
                pronoun = _PRONOUNS.get(s.lower[span[0]], (None, None))[0] if referent is not None and span is not None else None
                # The base form depends on these alone: computed once per distinct speaker and context.
                memo = (surface, s.lang, referent is not None, pronoun, case)
                if memo not in speaker_names:
                    person = referent is not None or _person_gender(surface, s.lang) is not None or len(surface.split()) > 1 or _name_reading(surface, s.lang)
                    context = _context_tokens(surface, gender=pronoun) if referent is not None else _context_tokens(surface, case)
                    speaker_names[memo] = normalize_entity(surface, "PER" if person else "ORG", context)
                rec["speaker"] = speaker_names[memo]
            else:
                rec["speaker"] = common_name(surface, s.lang, case)
        elif span is not None:
            rec["speaker"] = common_name(" ".join(texts[d][s.start[span[0]]: s.end[span[1]]].split()), s.lang, case)
        rows_out.append(rec)

    def common_name(surface: str, lang: str, case: str | None) -> str:
        """A common-noun speaker in its base form: «в ведомстве» → «ведомство», «представителя МИД» →
        «представитель МИД» (the head and its agreeing words in the nominative; plurals stay plural)."""
        memo = (surface, lang, case, "common")
        if memo not in speaker_names:
            base = normalize_entity(surface, "ORG", _context_tokens(surface, case)) if lang in ("ru", "uk") and surface[:1].islower() else surface
            speaker_names[memo] = base or surface
        return speaker_names[memo]

    def resolve_np(s: _Sentence, k: int, rightward: bool) -> tuple[tuple[int, int], str, tuple[int, int] | None, str]:
        """(span, kind, referent rows, rule suffix) for a subject head at k."""
        low = s.lower[k]
        if low in _PRONOUNS or low in ("его", "её", "ее", "их"):
            gender, number = _PRONOUNS.get(low, (None, None))
            ref = None if low == "все" else person_before(int(s.rows[k]), gender, number)
            return (k, k), "pronoun", ref, "pronoun → nearest agreeing name"
        if s.lemma[k] == "который":
            j = k - 1
            while j >= 0 and not s.subject_like(j) and not s.is_name(j):
                j -= 1
            if j >= 0:
                a, b = _np_span(s, j, rightward=False)
                inner = _named_inside(s, a, b)
                return (a, b), ("named" if inner else "common"), (int(s.rows[inner[0]]), int(s.rows[inner[1]])) if inner else None, "который → the noun before"
            return (k, k), "pronoun", None, "который"
        a, b = _np_span(s, k, rightward=rightward)
        inner = _named_inside(s, a, b)
        if inner is not None:
            return inner, "named", None, "name"
        apposed = _apposed_name(s, a, b)
        if apposed is not None:
            return apposed, "named", None, "title + name"
        return (a, b), "common", None, "noun phrase"

    def attribute(doc_lo: int, doc_hi: int) -> list[dict]:
        """Every cue of the documents ``doc_lo`` to ``doc_hi`` - 1 (the rules never look past a
        document, so parts of the corpus can be done apart, in any process)."""
        rows_out.clear()
        sentences.clear()
        quotes_of.clear()
        current_doc[0] = -1
        last_speaker: dict[int, tuple] = {}
        # Document by document (each sentence and quote is read once): source phrases first,
        # «по словам X», «по его словам», «со ссылкой на X», then reporting verbs.
        phrase_at = np.searchsorted(phrase_rows, doc_starts)
        cue_at = np.searchsorted(cue_rows, doc_starts)
        documents = range(doc_lo, doc_hi)
        for d in progress(documents, desc="attribution", unit="docs") if doc_lo == 0 else documents:
            handled: set[int] = set()
            for row in phrase_rows[phrase_at[d]: phrase_at[d + 1]].tolist():
                s = sentence_of(int(row))
                k = int(row - s.rows[0])
                low = s.lower[k]
                if low == "ссылкой":
                    if k < 1 or s.lower[k - 1] not in ("со", "с") or k + 1 >= len(s) or s.lower[k + 1] != "на":
                        continue
                    a_cue, b_cue, after = k - 1, k + 1, k + 2
                    phrase = "со ссылкой на"
                else:
                    j = k - 1
                    if j >= 0 and s.lower[j] in ("его", "её", "ее", "их"):
                        j -= 1
                    while j >= 0 and "ADJF" in s.gram[j] and s.lower[j] != "по":
                        j -= 1
                    if j < 0 or s.lower[j] != "по":
                        continue
                    a_cue, b_cue, after = j, k, k + 1
                    phrase = f"по {s.lemma[k] if s.lemma[k] != 'оценка' or low == 'оценке' else s.lemma[k]}"
                    phrase = {"словам": "по словам", "данным": "по данным", "информации": "по информации", "мнению": "по мнению", "оценке": "по оценке", "оценкам": "по оценкам", "сведениям": "по сведениям"}[low]
                handled.update(int(s.rows[x]) for x in range(a_cue, b_cue + 1))
                poss = next((x for x in range(a_cue, b_cue) if s.lower[x] in ("его", "её", "ее", "их")), None)
                if poss is not None:
                    gender, number = _PRONOUNS[s.lower[poss]]
                    ref = person_before(int(s.rows[poss]), gender, number)
                    emit(s, "phrase", phrase, a_cue, b_cue, "source", (poss, poss), "pronoun", "possessive → nearest agreeing name", ref)
                    continue
                head = next((x for x in range(after, min(after + 8, len(s))) if s.kind[x] in ("word", "url") and (s.is_name(x) or "NOUN" in s.gram[x] or s.lower[x] in _PRONOUNS)), None)
                if head is None or after >= len(s) or re.search(r"[.;:,—–)(]", s.gaps[after]) or s.kind[after] == "number" or re.search(r"[.;:]", "".join(s.gaps[x] for x in range(after, head + 1))):
                    emit(s, "phrase", phrase, a_cue, b_cue, "source", None, "none", "no source named")
                    continue
                case = "Acc" if phrase == "со ссылкой на" else "Gen"  # «по словам Павла Климкина», «со ссылкой на Reuters»
                person = _source_person(s, after)
                if person is not None:
                    emit(s, "phrase", phrase, a_cue, b_cue, "source", person, "named", f"{phrase} → the person named", case=case)
                    continue
                span, skind, ref, why = resolve_np(s, head, rightward=True)
                emit(s, "phrase", phrase, a_cue, b_cue, "source", span, skind, f"{phrase} → {why}", ref, case=case)
                if phrase == "со ссылкой на":
                    left = _search(s, list(range(a_cue - 1, -1, -1)), None, None, stop_at_clause=True, forward=False)
                    if left is not None:
                        rspan, rkind, rref, rwhy = resolve_np(s, left, rightward=False)
                        emit(s, "phrase", phrase, a_cue, b_cue, "relayed_by", rspan, rkind, f"cites → {rwhy}", rref)
            # Reporting verbs.
            skip = frozenset(handled)
            for row in cue_rows[cue_at[d]: cue_at[d + 1]].tolist():
                row = int(row)
                if row in handled:
                    continue
                s = sentence_of(row)
                k = row - int(s.rows[0])
                verb = _cue_verb(s.lower[k], s.lang)
                if verb is None:
                    continue
                number, gender, form = _verb_features(s.lower[k], s.lang)
                g = s.gram[k]
                impersonal = s.lower[k].endswith(("ся", "сь"))
                kind, a_cue, cue = "verb", k, verb
                # «как сообщает X», «как уже писал X»: one phrase cue from «как» to the verb
                j = k - 1
                while j >= 0 and "ADVB" in s.gram[j] and s.lower[j] != "как":
                    j -= 1
                if j >= 0 and s.lower[j] == "как" and not _SENTENCE_BREAK.search(s.gaps[j + 1]):
                    kind, a_cue, cue = "phrase", j, f"как {s.lower[k]}"
                role = "source" if kind == "phrase" else "speaker"
                if form == "VERB" and ("1per" in g or "2per" in g) and not ("3per" in g) and not s.quoted[k] and "past" not in g:
                    emit(s, kind, cue, a_cue, k, role, None, "none", "first person: the author")  # «Напомним»
                    continue
                gap = s.gaps[k]
                postposed = bool(re.search(r"[»\"”][\s,]*[—–-]|[,]\s*[—–-]|^[\s]*[—–-]", gap)) or k == 0 or kind == "phrase" or bool(re.search(r"[,:]\s*$", gap))
                left = list(range(k - 1, -1, -1))
                right = list(range(k + 1, len(s)))
                if s.quoted[k]:  # the verb is inside a quote: its subject is inside the same quote
                    q = s.quote_of[k]
                    left = [x for x in left if s.quote_of[x] == q]
                    right = [x for x in right if s.quote_of[x] == q]
                else:
                    left = [x for x in left if not s.quoted[x]]
                    right = [x for x in right if not s.quoted[x]]
                coordinated = k > 0 and s.lower[k - 1] in ("и", "а", "но", "однако") or (k > 1 and s.lower[k - 1] in ("также", "тоже", "же") and s.lower[k - 2] in ("и", "а", "но"))
                found = None
                rule_hint = ""
                previous = last_speaker.get(int(unit[row]))
                if coordinated and previous is not None and not s.quoted[k]:
                    # «канцлер напомнила, что …, а также добавила»: the subject of the coordinated verb
                    pspan, pkind, pref, pk = previous
                    between = []
                    for x in range(pk + 1, k):
                        if s.lower[x] in _CLAUSE_WORDS:
                            break  # what follows «что» is the content of the first cue, not a new subject
                        between.append(x)
                    if not any(not s.quoted[x] and s.subject_like(x) and _agrees(s, x, number, gender) and not s.after_preposition(x) and not s.genitive_dependent(x) for x in between):
                        emit(s, kind, cue, a_cue, k, role, pspan, pkind, "coordinated → the previous cue's speaker", pref)
                        last_speaker[int(unit[row])] = (pspan, pkind, pref, k)
                        continue
                if form == "PRTS":
                    emit(s, kind, cue, a_cue, k, role, None, "none", "passive: no speaker")  # «было заявлено»
                    continue
                locative = _locative_source(s, k)
                if locative is not None and (number == "plur" or impersonal):
                    m = s.mention[locative]
                    if m is not None:
                        # «как заявили в Кремле»: an institution of the dictionary speaks for its actor
                        a_m, b_m = int(m[3] - s.rows[0]), int(m[4] - s.rows[0])
                        emit(s, kind, cue, a_cue, k, role, (a_m, b_m), "named", "locative source → name")
                        continue
                    span, skind, ref, why = resolve_np(s, locative, rightward=True)
                    emit(s, kind, cue, a_cue, k, role, span, skind, f"locative source → {why}", ref)
                    continue
                if form == "INFN":
                    datives = [x for x in range(max(0, k - 4), k) if "datv" in s.gram[x] and ("NOUN" in s.gram[x] or s.is_name(x) or s.lower[x] in _DATIVE_PRONOUNS) and not _CLAUSE_MARKS.search("".join(s.gaps[y] for y in range(x + 1, k + 1)))]
                    if datives:
                        found, rule_hint = (datives[0], False), "infinitive → its dative"
                elif form == "GRND":
                    main = next((x for x in range(k - 1, -1, -1) if "VERB" in s.gram[x] and not s.quoted[x] and (x == 0 or not _SENTENCE_BREAK.search(s.gaps[x]))), None)
                    if main is not None:
                        num, gen, _ = _verb_features(s.lower[main], s.lang)
                        hit = _search(s, list(range(main - 1, -1, -1)), num, gen, stop_at_clause=False, forward=False, skip=skip)
                        if hit is not None:
                            found, rule_hint = (hit, False), "gerund → the subject of its clause"
                elif form == "PRTF":
                    target = next((x for x in range(k - 1, max(-1, k - 4), -1) if "NOUN" in s.gram[x] or s.is_name(x)), None)
                    if target is not None:
                        found, rule_hint = (target, False), "participle → its noun"
                if found is None and not impersonal:
                    clause_right = []
                    for x in right:
                        if x > k + 1 and _CLAUSE_MARKS.search(s.gaps[x]) and not re.search(r"[»\"”]", s.gaps[x]):
                            break
                        clause_right.append(x)
                    right = clause_right
                    order = [(right, True), (left, False)] if postposed else [(left, False), (right, True)]
                    for positions, forward in order:
                        hit = _search(s, positions, number, gender, stop_at_clause=not (coordinated and not forward), forward=forward, skip=skip, quoted=bool(s.quoted[k]))
                        if hit is not None:
                            found = (hit, forward)
                            break
                if found is None:
                    emit(s, kind, cue, a_cue, k, role, None, "none", "no subject")
                    continue
                head, forward = found
                span, skind, ref, why = resolve_np(s, head, rightward=forward)
                if number == "plur" and not forward and skind != "pronoun":
                    span = _coordinated(s, span)
                # A medium right after the verb followed by another subject only relays it:
                # «сообщил РИА Новости очевидец», «сказал агентству Reuters министр».
                relay = None
                if forward:
                    m = s.mention[head]
                    is_media = (m is not None and m[2] == "media") or s.lower[head] in _MEDIA_WORDS or s.lemma[head] in _ADDRESSEE_NOUNS
                    if is_media:
                        clause = []
                        for x in range(span[1] + 1, len(s)):
                            if _CLAUSE_OR_DASH.search(s.gaps[x]):
                                break
                            clause.append(x)
                        nxt = _search(s, clause, number, gender, stop_at_clause=True, forward=True, skip=skip)
                        if nxt is not None and s.lemma[nxt] != "который":
                            relay = (span, skind, ref, why)
                            span, skind, ref, why = resolve_np(s, nxt, rightward=True)
                where = rule_hint or f"{'after' if forward else 'before'} the verb"
                emit(s, kind, cue, a_cue, k, role, span, skind, f"{where} → {why}", ref)
                if not s.quoted[k]:
                    last_speaker[int(unit[row])] = (span, skind, ref, k)
                if relay is None and forward and span[0] > k + 1:
                    # «сообщил РИА Новости очевидец» with no dictionary entry for the medium: a media name
                    # between the verb and its subject passes the words on
                    x = next((x for x in range(k + 1, span[0]) if s.lower[x] in _MEDIA_WORDS and s.surface[x][:1].isupper()), None)
                    if x is not None and not any(_CLAUSE_OR_DASH.search(s.gaps[y]) for y in range(k + 1, span[0] + 1)):
                        b_x = x
                        while b_x + 1 < span[0] and s.is_name(b_x + 1):
                            b_x += 1
                        relay = ((x, b_x), "named", None, "medium between the verb and its subject")
                if relay is None:
                    relay = _relay(s, k, span, resolve_np)
                if relay is not None:
                    rspan, rkind, rref, rwhy = relay
                    emit(s, kind, cue, a_cue, k, "relayed_by", rspan, rkind, f"relays → {rwhy}", rref)
        return list(rows_out)

    # Documents in parts of about equal numbers of cues, one per process allowed.
    doc_starts = np.searchsorted(doc, np.arange(len(doc_ids) + 1), side="left")
    cues_per_doc = np.bincount(doc[cue_rows], minlength=len(doc_ids)) + np.bincount(doc[phrase_rows], minlength=len(doc_ids))
    n_parts = jobs() if cue_rows.size + phrase_rows.size >= _PARALLEL_CUES else 1
    parts = balanced_ranges(cues_per_doc, n_parts)
    out = pd.DataFrame([rec for part in fork_map(attribute, parts) for rec in part], columns=ATTRIBUTION_COLUMNS)
    for c in ("speaker_start", "speaker_end", "referent_start", "referent_end"):
        out[c] = out[c].astype("Int64")
    return out.sort_values(["doc_id", "cue_start", "role"], kind="stable").reset_index(drop=True)


def attribution_counts(corpus: Corpus, cited: pd.DataFrame, by: str | None = None, *, top: int = 10, roles: Sequence[str] = ("speaker", "source")) -> pd.DataFrame:
    """The most cited speakers per group, with their share of the group's attributions.

    Unnamed speakers and relays (``role == "relayed_by"``, unless asked for in ``roles``) are
    left out.

    Parameters
    ----------
    corpus : Corpus
        The corpus ``cited`` was found in.
    cited : DataFrame
        An :func:`attribution` table.
    by : str, optional
        The group column; None (the default) ranks the speakers of the whole corpus (no group
        column).
    top : int
        Speakers kept per group (ties broken by name).
    roles : sequence of str
        The roles counted.

    Returns
    -------
    DataFrame
        The group column (with ``by``), ``speaker``, ``citations`` and ``share``; sorted by
        group, then citations descending, then speaker.
    """
    frame = cited[cited["role"].isin(list(roles)) & (cited["speaker"] != "(unnamed)")]
    if by is None:
        counts = frame.groupby("speaker").size().rename("citations").reset_index()
        counts["share"] = counts["citations"] / counts["citations"].sum() if len(counts) else np.nan
        counts = counts.sort_values(["citations", "speaker"], ascending=[False, True], kind="stable")
        return counts.head(top).reset_index(drop=True)
    frame = corpus.meta(frame, by)
    counts = frame.groupby([by, "speaker"]).size().rename("citations").reset_index()
    counts["share"] = counts["citations"] / counts.groupby(by)["citations"].transform("sum")
    counts = counts.sort_values([by, "citations", "speaker"], ascending=[True, False, True], kind="stable")
    return counts.groupby(by).head(top).reset_index(drop=True)


__all__ = ["ATTRIBUTION_COLUMNS", "CUE_VERBS", "SOURCE_PHRASES", "UNKNOWN_GROUP", "attribution", "attribution_counts"]
