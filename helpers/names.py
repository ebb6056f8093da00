"""Names: the nominative base form of a person, organisation or place mention, by rule.

Pure rules over a mention's words and their morphological tags (pymorphy3 through
:mod:`helpers.morph`): no NER model is loaded here, so the rules are testable on their own.
:mod:`helpers.entities` runs natasha's NER and calls :func:`normalize_entity` on every
mention; :mod:`helpers.lemmas` uses the same foreign-name ending rules (:func:`name_candidates`)
to give all inflected forms of a name one lemma.

Normalisation rules (the cache key includes this file's code, so changing them invalidates it)
------------------------------------------------------------------------
Persons (``PER``): every word of a name is put in the nominative on its own, keeping the gender
and number of the person.

- A word the tagger reads as nominative stays as written (unless pymorphy3's dictionary knows
  it only in oblique cases: ``Марианну``). For one person (tagged singular) plural readings do
  not count: ``Лёв`` is no genitive of the Лёвы, nor ``Мирзоянов`` of the Мирзояны.
- The person's gender comes from a Russian surname ending (``Соркиным``, ``Мелкумовой``; an
  accusative ``Иванову`` is a woman's, a man's being ``Иванова``), else from the tagger's
  majority over the words of the name; on a tie, from a first name, then a surname, that the
  dictionary knows in one gender only (``Викторию Нуланд``: ``Нуланд`` is a feminine surname),
  else from the tag of the surname.
- Words that pymorphy3's dictionary knows as names in that gender (``Петру`` → ``Петр``,
  ``Захаровой`` → ``Захарова``, ``Трампа`` → ``Трамп``) are inflected with it; indeclinable
  entries (``Шойгу``, ``Порошенко``, feminine ``Каллас``) stay as written.
- Unknown Russian surnames follow their suffix: ``Налбандовым`` → ``Налбандов``,
  ``Мелкумовой`` → ``Мелкумова``, ``Семирадского`` → ``Семирадский``.
- Other words are treated as foreign names and lose their case ending by rule: masculine
  consonant stems decline (``Мерцем`` → ``Мерц``, ``Уиткоффа`` → ``Уиткофф``, ``Эммануэлем``
  → ``Эммануэль``), feminine consonant stems do not (``Каллас``, ``Ляйен``), feminine names in
  ``-а/-я`` decline (``Каей`` → ``Кая``). ``-ью`` is no case ending of a masculine name
  (``Дэвидом Пердью`` → ``Дэвид Пердью``). An ending that may as well belong to an indeclinable
  name (``-е``, ``-и``: ``Рютте``, ``Мелони``) is removed only when the other reading is
  attested as a nominative elsewhere in the corpus (``known``: ``Макроне`` → ``Макрон`` once
  ``Макрон`` occurs), except in a feminine first name (``Наине Иосифовне``).
- Particles (``фон дер``), initials and Latin-script words stay as written.
- A surname in the plural stays plural: its base form is the nominative plural
  (``Клинтонов``/``Клинтонами`` → ``Клинтоны``). Actor look-ups use lemmas, which map
  ``Клинтоны`` and ``Клинтон`` to the same key.

Organisations and places (``ORG``, ``LOC``): the name is normalised as a phrase. Its head is the
first noun; the head goes to the nominative *keeping its number* (``Нидерландов`` →
``Нидерланды``, ``Штатов`` → ``Штаты``), the adjectives and participles before it agree with it
(``Российской Федерации`` → ``Российская Федерация``; a word the tagger reads as a proper noun
that the dictionary knows only as an adjective or participle is a modifier too:
``Соединённых Штатов`` → ``Соединенные Штаты``; where two adjective lemmas fit equally, the one in
``-ой``: ``Окружного суда`` → ``Окружной суд``, ``Большим театром`` → ``Большой театр``), and
everything after it (genitive dependents, quoted names, appositions) stays as written
(``Соединенными Штатами Америки`` →
``Соединенные Штаты Америки``, ``Вооруженных сил Украины`` → ``Вооруженные силы Украины``).
A conjunct after ``и`` in the head's case is normalised the same way (``Боснии и Герцеговины``).
Abbreviations in capitals (``США``, ``НАТО``) and Latin-script names stay as written; a declined
abbreviation loses its ending (``МИДа`` → ``МИД``), in ``РБК-Украины`` only the part after
the hyphen declines, and in a numbered name only the word (``Северного потока-2`` →
``Северный поток-2``). A head noun pymorphy3 does not know is declined like a masculine foreign
name (``Кэсоне`` → ``Кэсон``), or like a feminine noun in ``-а`` when the tagger reads it as
feminine (``Неваде`` → ``Невада``).

The mentions themselves are natasha's: it tags «Вооруженных сил Украины» as ORG «Вооруженных
сил» + LOC «Украины» (as factRuEval does for «МИД Грузии»), and the normaliser does not merge
them (the ``entity`` column of :func:`helpers.entities.discover_entities` does); a whole phrase
given to :func:`normalize_entity` is normalised as a whole.

Letter case follows the surface (natasha's ``recover_shape``); ``ё`` is written ``е``, as in
natasha's normal forms, so that ``Вооружённых сил`` and ``Вооруженных сил`` get one base form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from helpers.morph import analyzer

#: Entity types natasha's news NER produces.
ENTITY_TYPES = ("PER", "ORG", "LOC")


def _analyzer() -> Any:
    """The shared Russian analyser (:func:`helpers.morph.analyzer`)."""
    return analyzer("ru")


@dataclass(frozen=True)
class MorphToken:
    """One token of an entity with natasha's morphological tags.

    Attributes
    ----------
    text : str
        The token as written.
    start, end : int
        Offsets of the token in the entity's surface string.
    pos : str
        Universal POS tag (``PROPN``, ``NOUN``, ``ADJ``, ``VERB`` for participles, ...).
    feats : mapping
        Universal features, e.g. ``{"Case": "Gen", "Gender": "Fem", "Number": "Sing"}``.
    """

    text: str
    start: int
    end: int
    pos: str = "X"
    feats: Mapping[str, str] = field(default_factory=dict)


def span_tokens(span: Any) -> list[MorphToken]:
    """Convert a natasha ``DocSpan``'s tokens to :class:`MorphToken` relative to the span."""
    return [
        MorphToken(t.text, t.start - span.start, t.stop - span.start, t.pos or "X", dict(t.feats or {}))
        for t in span.tokens
    ]


_PHRASE_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*\.?|\S")
_OC_TO_UD_CASE = {"nomn": "Nom", "voct": "Nom", "gent": "Gen", "gen1": "Gen", "gen2": "Gen", "datv": "Dat",
                  "accs": "Acc", "ablt": "Ins", "loct": "Loc", "loc1": "Loc", "loc2": "Loc"}
_OC_TO_UD_POS = {"NOUN": "NOUN", "ADJF": "ADJ", "ADJS": "ADJ", "PRTF": "VERB", "PRTS": "VERB", "NUMR": "NUM",
                 "NPRO": "PRON", "PREP": "ADP", "CONJ": "CCONJ", "PRCL": "PART", "VERB": "VERB", "INFN": "VERB"}


def tag_phrase(phrase: str) -> list[MorphToken]:
    """Tag a phrase on its own with pymorphy3's best readings (no sentence context).

    Used by :func:`normalize_entity` when it is given no tokens: each word gets the part of
    speech, case, number and gender of pymorphy3's first reading (proper names as ``PROPN``).
    Out of context the case of a lone word may be wrong; pass the tokens of the mention in its
    sentence (:func:`helpers.entities.natasha_doc` gives them) whenever there is one.
    """
    out = []
    for m in _PHRASE_TOKEN_RE.finditer(phrase):
        word = m.group()
        feats: dict[str, str] = {}
        pos = "PUNCT"
        if _LETTER.search(word):
            best = _analyzer().parse(word.lower())[0]
            grams = set(best.tag.grammemes)
            pos = "PROPN" if grams & (_NAME_TAGS | _PLACE_TAGS) else _OC_TO_UD_POS.get(best.tag.POS or "", "X")
            for oc, ud in _OC_TO_UD_CASE.items():
                if oc in grams:
                    feats["Case"] = ud
                    break
            if "sing" in grams or "plur" in grams:
                feats["Number"] = "Plur" if "plur" in grams else "Sing"
            for oc, ud in (("masc", "Masc"), ("femn", "Fem"), ("neut", "Neut")):
                if oc in grams:
                    feats["Gender"] = ud
        out.append(MorphToken(word, m.start(), m.end(), pos, feats))
    return out


_UD_CASE = {
    "Nom": {"nomn", "voct"},
    "Gen": {"gent", "gen1", "gen2"},
    "Dat": {"datv"},
    "Acc": {"accs"},
    "Ins": {"ablt"},
    "Loc": {"loct", "loc1", "loc2"},
}
_UD_NUMBER = {"Sing": "sing", "Plur": "plur"}
_UD_GENDER = {"Masc": {"masc", "ms-f"}, "Fem": {"femn", "ms-f"}, "Neut": {"neut"}}
_NAME_TAGS = {"Name", "Surn", "Patr"}
_PLACE_TAGS = {"Geox", "Orgn"}
_CYRILLIC = re.compile(r"[а-яё]", re.I)
_LETTER = re.compile(r"[^\W\d_]")
_ABBREV = re.compile(r"^[А-ЯЁA-Z0-9]{2,}$")
_ABBREV_INFLECTED = re.compile(r"^([А-ЯЁ]{2,})([а-яё]{1,3})$")
_NUMBERED = re.compile(r"^(.*[а-яё][а-яё])([-\u2010\u2011])(\d[\w]*)$", re.I)
_VOWELS = set("аеёиоуыэюя")
_HUSHING = set("жшчщц")
_VELAR_HUSHING = set("гкхжшчщ")
#: Lower-case parts of person names that never decline.
_PARTICLES = {
    "фон", "дер", "ван", "де", "ди", "да", "дю", "ла", "ле", "дель", "делла", "ден", "цу",
    "бен", "ибн", "бин", "аль", "эль", "ас", "ад", "ан", "ар", "оглы", "кызы", "заде", "мак", "о",
}


def _fold(word: str) -> str:
    """Lower-case and fold ``ё`` to ``е``."""
    return word.lower().replace("ё", "е")


def _shape(word: str, ref: str) -> str:
    """Give ``word`` the letter case of ``ref``: upper, title (per hyphen part) or lower."""
    if ref.isupper() and len(ref) > 1:
        return word.upper()
    if ref[:1].isupper():
        ref_parts = ref.split("-")
        parts = word.split("-")
        return "-".join(
            p[:1].upper() + p[1:].lower() if (i < len(ref_parts) and ref_parts[i][:1].isupper()) or i == 0 else p.lower()
            for i, p in enumerate(parts)
        )
    return word.lower()


def _is_word(text: str) -> bool:
    return bool(_LETTER.search(text))


def _grams(parse: Any) -> set[str]:
    return set(parse.tag.grammemes)


def _pos_ok(parse: Any, pos: str) -> bool:
    """Whether a pymorphy3 parse has the part of speech of natasha's tag."""
    if pos in ("NOUN", "PROPN"):
        return parse.tag.POS == "NOUN"
    if pos in ("ADJ", "VERB", "DET"):
        return parse.tag.POS in ("ADJF", "PRTF")
    return True


def _case_ok(parse: Any, feats: Mapping[str, str]) -> bool:
    case = feats.get("Case")
    return case in _UD_CASE and bool(_grams(parse) & _UD_CASE[case])


def _number_ok(parse: Any, feats: Mapping[str, str]) -> bool:
    """Number agrees with the tag; plural-only (Pltm) and indeclinable words always agree."""
    number = _UD_NUMBER.get(feats.get("Number", ""))
    grams = _grams(parse)
    return number is None or number in grams or bool(grams & {"Pltm", "Fixd"}) or not grams & {"sing", "plur"}


def _gender_ok(parse: Any, gender: str | None) -> bool:
    """Gender agrees (a plural or common-gender parse agrees with any)."""
    grams = _grams(parse)
    return gender not in _UD_GENDER or bool(grams & _UD_GENDER[gender]) or not grams & {"masc", "femn", "neut"}


def _pick(parses: Sequence[Any], feats: Mapping[str, str], prefer: set[str] = frozenset()) -> Any | None:
    """The parse that matches case and number, preferring ``prefer`` tags, then pymorphy's score.

    Without a ``Case`` in ``feats`` any oblique (non-nominative) parse fits.
    """
    if "Case" in feats:
        fitting = [p for p in parses if _case_ok(p, feats) and _number_ok(p, feats)]
    else:
        fitting = [p for p in parses if "nomn" not in _grams(p) and _number_ok(p, feats)]
    if not fitting:
        return None
    return max(fitting, key=lambda p: (bool(_grams(p) & prefer), p.score))


def _to_nominative(parse: Any) -> str | None:
    """Inflect a pymorphy3 parse to the nominative, keeping its number and gender."""
    grams = _grams(parse)
    if "Fixd" in grams or "nomn" in grams:
        return parse.word
    inflected = parse.inflect({"nomn"})
    return inflected.word if inflected is not None else None


def _stem_rule(word: str, endings: Sequence[tuple[str, str]]) -> str | None:
    """Replace the first matching ending (``(ending, replacement)``) of ``word``."""
    lw = word.lower()
    for ending, replacement in endings:
        if lw.endswith(ending) and len(lw) > len(ending) + 1:
            return word[: len(word) - len(ending)] + replacement
    return None


# --------------------------------------------------------------------------------------------
# Persons
# --------------------------------------------------------------------------------------------


def _soft(stem: str) -> str:
    """Nominative of a soft masculine stem: ``Эммануэл`` → ``Эммануэль``, ``Андре`` → ``Андрей``."""
    last = stem[-1].lower()
    if last in _VOWELS:
        return stem + "й"
    if last in _HUSHING:
        return stem
    return stem + "ь"


def _consonant(stem: str) -> bool:
    return len(stem) >= 2 and stem[-1].isalpha() and stem[-1].lower() not in _VOWELS | {"ь", "ъ", "й"}


# Foreign-name rules. Each returns (candidate lemmas, certain). A certain rule applies whenever
# the word is tagged in an oblique case; an uncertain one (the ending may belong to an
# indeclinable name: Рютте, Мелони) only when a candidate is attested as a nominative in ``known``.
def _masc_rules(word: str) -> tuple[list[str], bool] | None:
    lw = word.lower()
    for ending in ("ом", "ем", "ём", "ой", "а", "я", "у", "ю", "ы", "е", "и"):
        if not lw.endswith(ending) or len(lw) - len(ending) < 2:
            continue
        stem = word[: len(word) - len(ending)]
        if ending == "ом":
            return ([stem], True) if _consonant(stem) else None
        if ending in ("ем", "ём"):
            return ([_soft(stem)], True) if stem[-1].isalpha() else None
        if ending == "ой":
            return ([stem + "а"], True) if _consonant(stem) else None
        if ending == "а":
            return ([stem], True) if _consonant(stem) else None
        if ending == "я":
            return ([_soft(stem)], True) if stem[-1].lower() not in {"ь", "ъ"} else None
        if ending == "у":
            return ([stem], True) if _consonant(stem) else None
        if ending == "ю":  # Игорю, Сергею; «Пердью» (-ью) is no case form of a masculine name
            return ([_soft(stem)], True) if stem[-1].lower() not in {"ь", "ъ"} else None
        if ending == "ы":
            return ([stem + "а"], True) if _consonant(stem) else None
        if ending == "е":  # locative of a hard stem, dative of an -а name, or indeclinable
            return ([stem, stem + "а", _soft(stem)], False) if _consonant(stem) else None
        if ending == "и":  # genitive of an -а/-я name, or indeclinable (Мелони)
            if stem[-1].lower() == "и":  # Гарсии, Гагаузии
                return ([stem + "я"], True)
            return ([stem + "я", stem + "а", _soft(stem)], False)
    return None


def _fem_rules(word: str) -> tuple[list[str], bool] | None:
    lw = word.lower()
    for ending in ("ою", "ею", "ой", "ей", "ы", "у", "ю", "е", "и"):
        if not lw.endswith(ending) or len(lw) - len(ending) < 1:
            continue
        stem = word[: len(word) - len(ending)]
        last = stem[-1].lower()
        if ending in ("ой", "ою"):
            return ([stem + "а"], True)
        if ending in ("ей", "ею"):
            if last in _VOWELS:  # Каей -> Кая
                return ([stem + "я"], True)
            # Таней -> Таня, Машей -> Маша, but Стингрей is a nominative
            return ([stem + ("а" if last in _HUSHING else "я")], False)
        if ending == "ы":
            return ([stem + "а"], True)
        if ending == "у":
            return ([stem + "а"], True) if last not in _VOWELS else None
        if ending == "ю":
            return ([stem + "я"], True)
        if ending == "е":
            return ([stem + "я" if last in _VOWELS else stem + "а", stem + "я"], False)
        if ending == "и":
            if last == "и":  # Наталии
                return ([stem + "я"], True)
            if last in _VELAR_HUSHING:
                return ([stem + "а"], False)
            return ([stem + "я", stem + "а"], False)
    return None


# Russian possessive surnames (-ов/-ев/-ин/-ын) and their oblique endings.
_RU_SURNAME_MASC = [(s + e, s) for s in ("ов", "ев", "ёв", "ин", "ын") for e in ("ым", "ом", "а", "у", "е")]
_RU_SURNAME_FEM = [(s + e, s + "а") for s in ("ов", "ев", "ёв", "ин", "ын") for e in ("ой", "у")]
#: Adjectival surnames (Зеленский, Высоцкая): oblique masculine and feminine endings.
_RU_ADJ_SURNAME_MASC = [(s + e, s + "ий") for s in ("ск", "цк") for e in ("ого", "ому", "им", "ом")]
_RU_ADJ_SURNAME_FEM = [(s + e, s + "ая") for s in ("ск", "цк") for e in ("ой", "ую")]
_ADJ_SURNAME = re.compile(r"(ого|его|ому|ему|ым|им|ом|ем)$")
_ADJ_SURNAME_FEM = re.compile(r"(ск|цк)(ой|ую)$")
_MASC_ONLY = re.compile(r"(ов|ев|ёв|ин|ын)(ым|ом)$|(ск|цк)(ого|ому|им)$")
_FEM_ONLY = re.compile(r"(ов|ев|ёв|ин|ын|ск|цк)(ой|ую)$")
_RU_SURNAME_U = re.compile(r"[^аеиоуыэюя](ов|ев|ёв|ин|ын)у$")


def _person_gender(words: Sequence[MorphToken]) -> str | None:
    """Gender of a person: from a Russian surname's ending, else the tagger's majority.

    A Russian surname in an oblique case shows the gender (``Соркиным``, ``Маковского`` are
    masculine, ``Мелкумовой`` feminine); otherwise the tagger's majority over the words of the
    name decides; on a tie, a first name that pymorphy3 knows in one gender only, then a surname
    it knows in one gender only (``Нуланд``), else the tag of the last word (the surname). The
    tagger reads gender from the context (verb agreement, adjectives) as well as from the
    endings; pymorphy3's dictionary is no better guide for foreign first names (it lists
    ``Эммануэль`` as feminine only and ``Кая`` only as a form of ``Кай``).
    """
    for t in words:  # endings only one gender has: Соркиным, Маковского / Мелкумовой
        lw = t.text.lower()
        if _MASC_ONLY.search(lw):
            return "Masc"
        if _FEM_ONLY.search(lw):
            return "Fem"
        if _RU_SURNAME_U.search(lw) and t.feats.get("Case") == "Acc":  # Иванову: a man's accusative is Иванова
            return "Fem"
    votes = Counter(t.feats.get("Gender") for t in words if t.feats.get("Gender") in ("Masc", "Fem"))
    if votes:
        (top, n), *rest = votes.most_common()
        if not rest or rest[0][1] < n:
            return top
        # a tie. A first name in -а/-я tagged oblique before a surname tagged nominative is a
        # feminine nominative (Джорджа/Gen,Masc Мелони/Nom,Fem); else a first name the
        # dictionary knows in one gender only (Екатерину); else the surname's tag
        # (Каей/Masc Каллас/Fem: pymorphy3 does not know Кая)
        if (
            len(words) > 1
            and words[-1].feats.get("Case") == "Nom"
            and words[0].feats.get("Case") not in (None, "Nom")
            and words[0].text.lower()[-1:] in ("а", "я")
        ):
            return "Fem"
        morph = _analyzer()
        for t in words[:-1]:
            lw = t.text.lower()
            if morph.word_is_known(lw):
                genders = {
                    ud for p in morph.parse(lw) if "Name" in _grams(p)
                    for oc, ud in (("masc", "Masc"), ("femn", "Fem")) if oc in _grams(p)
                }
                if len(genders) == 1:
                    return genders.pop()
        # a surname the dictionary knows in one gender only (Нуланд is feminine)
        surname = words[-1].text.lower()
        if morph.word_is_known(surname):
            genders = {
                ud for p in morph.parse(surname) if "Surn" in _grams(p)
                for oc, ud in (("masc", "Masc"), ("femn", "Fem")) if oc in _grams(p) and "ms-f" not in _grams(p)
            }
            if len(genders) == 1:
                return genders.pop()
        last = words[-1].feats.get("Gender")
        if last in ("Masc", "Fem"):
            return last
    return None


def _person_part(
    word: str, feats: Mapping[str, str], gender: str | None, known: Collection[str], *, first_name: bool = False
) -> str:
    """Nominative of one word (or hyphen part) of a person's name.

    ``first_name`` marks a word before the last of a multi-word name; a feminine first name in
    ``-е``/``-и`` is then read as a declined ``-а``/``-я`` name (``Наине`` → ``Наина``), which a
    surname is not (``Мелони``).
    """
    case = feats.get("Case")
    morph = _analyzer()
    lw = word.lower()
    parses = morph.parse(lw)
    is_known = morph.word_is_known(lw)
    names = [p for p in parses if p.tag.POS == "NOUN" and _grams(p) & _NAME_TAGS and _gender_ok(p, gender)]
    nominative = any(_grams(p) & {"nomn", "Fixd"} for p in names)
    if case in (None, "Nom"):
        if feats.get("Number") == "Sing":  # one person: «Лёв» is no genitive of the Лёвы, «Мирзоянов» of the Мирзояны
            names = [p for p in names if "plur" not in _grams(p)]
            nominative = any(_grams(p) & {"nomn", "voct", "Fixd"} for p in names)
        if not (is_known and names and not nominative):
            return word
        feats = {k: v for k, v in feats.items() if k != "Case"}  # Марианну tagged Nom
    # 1. the dictionary, when it knows the word as a name in the person's gender
    if is_known and names:
        best = _pick(names, feats)
        if best is None and not nominative:  # the tagger's case is off, but the word is oblique
            fitting = [p for p in names if _number_ok(p, feats)]
            best = max(fitting, key=lambda p: p.score) if fitting else None
        if best is not None:
            form = _to_nominative(best)
            if form:
                return _shape(form, word)
    # 2. Russian surnames: possessive (Налбандовым, Захаровой) and adjectival (Луговому)
    if gender == "Fem":
        ru = _stem_rule(word, _RU_SURNAME_FEM)
    else:
        ru = _stem_rule(word, _RU_SURNAME_MASC)
    if ru is not None:
        return ru
    if _ADJ_SURNAME.search(lw) and gender != "Fem" or _ADJ_SURNAME_FEM.search(lw) and gender != "Masc":
        adjectives = [p for p in parses if p.tag.POS == "ADJF" and "Poss" not in _grams(p) and _gender_ok(p, gender)]
        best = _pick(adjectives, feats)
        if best is not None:
            form = _to_nominative(best)
            if form:
                return _shape(form, word)
    # 3. foreign names, by their endings
    rule = _fem_rules(word) if gender == "Fem" else _masc_rules(word)
    if rule is None:
        return word
    candidates, certain = rule
    if certain or first_name and gender == "Fem":
        return candidates[0]
    for candidate in candidates:
        if _fold(candidate) in known:
            return candidate
    return word


def _normalize_person(tokens: Sequence[MorphToken], known: Collection[str]) -> list[str]:
    words = [t for t in tokens if _is_word(t.text)]
    gender = _person_gender(words)
    out = []
    for t in tokens:
        text = t.text
        if (
            not _is_word(text)
            or not _CYRILLIC.search(text)
            or text.lower() in _PARTICLES and text.islower()
            or len(text.rstrip(".")) <= 1
            or text.endswith(".")
        ):
            out.append(text)
            continue
        parts = text.split("-")
        if len(parts) > 1 and _analyzer().word_is_known(text.lower()):
            parts = [text]
        first = len(words) > 1 and t is not words[-1]
        out.append(
            "-".join(_person_part(p, t.feats, gender, known, first_name=first) if len(p) > 1 else p for p in parts)
        )
    return out


# --------------------------------------------------------------------------------------------
# Organisations and places
# --------------------------------------------------------------------------------------------

_MODIFIER_POS = {"ADJ", "VERB", "DET", "NUM"}


def _keep_as_written(text: str) -> bool:
    return not _CYRILLIC.search(text) or bool(_ABBREV.match(text))


_OC_GENDER = {"masc": "Masc", "femn": "Fem", "neut": "Neut"}


def _parse_agreement(parse: Any | None, feats: Mapping[str, str]) -> tuple[str | None, str | None]:
    """Gender and number (UD names) of a head noun: from its parse, else from the tagger."""
    if parse is not None:
        grams = _grams(parse)
        number = "Plur" if "plur" in grams or "Pltm" in grams else "Sing"
        gender = next((_OC_GENDER[g] for g in ("masc", "femn", "neut") if g in grams), None)
        return (gender if number == "Sing" else None), number
    return feats.get("Gender"), feats.get("Number")


def _name_head(t: MorphToken, type: str, known: Collection[str], pos: str = "NOUN") -> tuple[str, str | None, str | None]:
    """Nominative of the head of an organisation or place name, with its gender and number."""
    text = t.text
    feats = dict(t.feats)
    numbered = _NUMBERED.match(text)
    if numbered is not None:  # потока-2 → поток-2: the word declines, the number stays
        base, dash, number = numbered.groups()
        form, gender, number_ = _name_head(MorphToken(base, 0, len(base), t.pos, t.feats), type, known, pos)
        return form + dash + number, gender, number_
    prefix, sep, last = text.rpartition("-")
    if sep and _keep_as_written(prefix) and _CYRILLIC.search(last) and len(last) > 1:  # РБК-Украины
        form, gender, number = _name_head(MorphToken(last, 0, len(last), t.pos, t.feats), type, known, pos)
        return prefix + sep + form, gender, number
    m = _ABBREV_INFLECTED.match(text)  # МИДа, МИДе: a declined abbreviation
    if m and _analyzer().word_is_known(text.lower()):
        return m.group(1), None, None
    if _keep_as_written(text):
        return text, feats.get("Gender"), feats.get("Number")
    morph = _analyzer()
    lw = text.lower()
    is_known = morph.word_is_known(lw)
    # a place or organisation is not a first name or patronymic (Аль Аин is not Аля)
    parses = [p for p in morph.parse(lw) if _pos_ok(p, pos) and not _grams(p) & {"Name", "Patr"}]
    nominative = [p for p in parses if _grams(p) & {"nomn", "Fixd"} and _number_ok(p, feats)]
    if feats.get("Case") in (None, "Nom"):
        if not is_known or nominative or not parses:
            best = max(nominative, key=lambda p: (bool(_grams(p) & _PLACE_TAGS), p.score)) if nominative else None
            return text, *_parse_agreement(best, feats)
        feats.pop("Case", None)  # a known word with no nominative reading: mis-tagged
    if is_known or pos != "NOUN":
        best = _pick(parses, feats, _PLACE_TAGS)
        if best is None and not nominative:
            best = _pick(parses, {k: v for k, v in feats.items() if k != "Case"}, _PLACE_TAGS)
        if best is None:
            return text, feats.get("Gender"), feats.get("Number")
        form = _to_nominative(best)
        return (_shape(form, text) if form else text), *_parse_agreement(best, feats)
    # an unknown noun: a foreign name, declined like a masculine hard stem, or like a noun in
    # -а when the tagger reads it as feminine (в Неваде, Неваду → Невада)
    feminine = feats.get("Gender") == "Fem" and feats.get("Number") != "Plur"
    rule = _fem_rules(text) if feminine else _masc_rules(text)
    gender_number = (feats.get("Gender"), feats.get("Number"))
    if rule is None:
        return text, *gender_number
    candidates, certain = rule
    if type == "LOC" and lw.endswith("е") and _consonant(candidates[0][:-1] if feminine else candidates[0]):
        certain = True  # в Кэсоне, в Бенрате; в Неваде
    if certain:
        return candidates[0], *gender_number
    for candidate in candidates:
        if _fold(candidate) in known:
            return candidate, *gender_number
    return text, *gender_number


def _name_modifier(t: MorphToken, gender: str | None, number: str | None) -> str:
    """Nominative of an adjective or participle agreeing with a head of ``gender``/``number``."""
    text = t.text
    if _keep_as_written(text):
        return text
    feats = dict(t.feats)
    if feats.get("Case") == "Nom":
        return text
    parses = [p for p in _analyzer().parse(text.lower()) if p.tag.POS in ("ADJF", "PRTF")]
    if number == "Plur":
        feats["Number"] = "Plur"
        agreeing = [p for p in parses if "plur" in _grams(p)]
    else:
        agreeing = [p for p in parses if _gender_ok(p, gender) and "plur" not in _grams(p)] if gender else parses
    pool = agreeing or parses
    best = _pick(pool, feats) or _pick(pool, {k: v for k, v in feats.items() if k != "Case"})
    if best is None:
        return text
    # a tie between lemmas in -ой and -ый/-ий (окружной/окружный, большой/больший): the -ой one,
    # the plain adjective, whose twin is a rarer qualitative or comparative reading
    form = (best.tag.case, best.tag.number, best.tag.gender)
    tied = [p for p in pool if p.score == best.score and (p.tag.case, p.tag.number, p.tag.gender) == form and p.normal_form.endswith("ой")]
    if tied and not best.normal_form.endswith("ой"):
        best = tied[0]
    target = {"nomn", "plur"} if number == "Plur" else {"nomn"} | ({_UD_OC_GENDER[gender]} if gender in _UD_OC_GENDER else set())
    inflected = best.inflect(target) or best.inflect({"nomn"})
    return _shape(inflected.word, text) if inflected is not None else text


_UD_OC_GENDER = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}


def _adjective_only(text: str) -> bool:
    """Whether the dictionary knows a word, and only as a full adjective or participle.

    The tagger reads «Соединённых» in «Соединённых Штатов» as a proper noun; it is a participle
    that agrees with its head.
    """
    lw = text.lower()
    morph = _analyzer()
    if not _CYRILLIC.search(lw) or not morph.word_is_known(lw):
        return False
    found = morph.parse(lw)
    return bool(found) and all(p.tag.POS in ("ADJF", "PRTF") for p in found)


def _normalize_name(tokens: Sequence[MorphToken], type: str, known: Collection[str]) -> list[str]:
    out = [t.text for t in tokens]
    words = [i for i, t in enumerate(tokens) if _is_word(t.text)]
    if not words:
        return out

    def group(start: int) -> int:
        """Normalise modifiers + head from word position ``start``; return the head's position."""
        order = words[words.index(start) :]
        head = None
        for k in order:
            t = tokens[k]
            if (t.pos in _MODIFIER_POS or k != order[-1] and _adjective_only(t.text)) and not _keep_as_written(t.text):
                continue
            head = k
            break
        if head is None:  # adjectives only: Донецкой (область)
            head = order[-1]
            out[head], gender, number = _name_head(tokens[head], type, known, pos="ADJ")
        else:
            out[head], gender, number = _name_head(tokens[head], type, known)
        for j in order[: order.index(head)]:
            out[j] = _name_modifier(tokens[j], gender, number)
        return head

    head = group(words[0])
    head_case = tokens[head].feats.get("Case")
    # a coordinated conjunct in the head's case: Боснии и Герцеговины
    rest = [i for i in words if i > head]
    if (
        len(rest) >= 2
        and tokens[rest[0]].text.lower() == "и"
        and head_case not in (None, "Nom")
        and all(tokens[j].feats.get("Case") == head_case for j in rest[1:])
    ):
        group(rest[1])
    return out


# --------------------------------------------------------------------------------------------
# Public normalisation
# --------------------------------------------------------------------------------------------


def _assemble(surface: str, tokens: Sequence[MorphToken], words: Sequence[str]) -> str:
    """Join normalised tokens with the surface's own separators (whitespace collapsed)."""
    parts = []
    position = tokens[0].start if tokens else 0
    for t, w in zip(tokens, words):
        gap = surface[position : t.start]
        if gap:
            parts.append(re.sub(r"\s+", " ", gap))
        parts.append(w)
        position = t.end
    return "".join(parts).strip()


def normalize_entity(
    surface: str,
    type: str,
    tokens: Sequence[MorphToken] | None = None,
    *,
    known: Collection[str] = frozenset(),
) -> str:
    """Return the nominative base form of an entity mention.

    Parameters
    ----------
    surface : str
        The mention as written, e.g. ``"Соединенными Штатами Америки"``.
    type : {"PER", "ORG", "LOC"}
        Entity type; persons and other names follow different rules (see the module notes).
    tokens : sequence of MorphToken, optional
        The mention's tokens with natasha's morphological tags *in their sentence*, offsets
        relative to ``surface`` (:func:`span_tokens` converts a natasha span). When omitted the
        surface is tagged on its own by pymorphy3 (:func:`tag_phrase`): fine for most
        multi-word names, but a lone word's case may be misread, so pass the tokens whenever
        there is a sentence.
    known : collection of str, optional
        Lower-case words (``ё`` folded to ``е``) attested as nominatives in the corpus.
        They settle endings that are either a case ending or part of an indeclinable name:
        ``Рютте`` stays, but ``Макроне`` becomes ``Макрон`` when ``макрон`` is known.
        :func:`discover_entities` collects them from all documents it is given.

    Returns
    -------
    str
        The base form, with the surface's letter case.

    Examples
    --------
    >>> normalize_entity("Марии Захаровой", "PER")
    'Мария Захарова'
    >>> normalize_entity("Мерцем", "PER", [MorphToken("Мерцем", 0, 6, "PROPN", {"Case": "Ins"})])
    'Мерц'
    >>> normalize_entity("Соединенными Штатами Америки", "LOC")
    'Соединенные Штаты Америки'
    """
    if type not in ENTITY_TYPES:
        raise ValueError(f"type must be one of {ENTITY_TYPES}, got {type!r}.")
    if not surface.strip():
        return surface.strip()
    if tokens is None:
        tokens = tag_phrase(surface)
    return _normalize(surface, type, list(tokens), {_fold(k) for k in known})


def _normalize(surface: str, type: str, tokens: list[MorphToken], known: Collection[str]) -> str:
    """:func:`normalize_entity` with ``known`` already folded (lower case, ё → е)."""
    if not tokens:
        return surface.strip()
    if type == "PER":
        words = _normalize_person(tokens, known)
    else:
        words = _normalize_name(tokens, type, known)
    return _assemble(surface, tokens, words).replace("ё", "е").replace("Ё", "Е")


# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Candidate nominatives of one word, for lemmas chosen per paradigm
# --------------------------------------------------------------------------------------------


def name_candidates(word: str) -> list[tuple[str, bool, str]]:
    """Nominatives a capitalised word may be an inflected form of, by the ending rules.

    Both genders' rules apply (the word alone does not say whose name it is), and the Russian
    surname rules (``-ов``/``-ев``/``-ин`` and their oblique endings). Each candidate comes with
    whether its rule is *certain* (the ending can only be a case ending: ``Мерцем``) or not
    (``Рютте`` may be indeclinable), and the gender of the rule (``"m"`` or ``"f"``). The word
    itself is not included.

    Parameters
    ----------
    word : str
        As written (capitalised); hyphenated names are handled by their last part
        (``Нью-Йорке`` → ``Нью-Йорк``).

    Returns
    -------
    list of (str, bool, str)
        Lower-case candidates, ``ё`` kept, each once (its most certain rule), certain first.

    Examples
    --------
    >>> [c for c, _, _ in name_candidates("Шольцем")]
    ['шольц']
    >>> ("джорджа", False, "f") in name_candidates("Джорджей")
    True
    """
    prefix, sep, last = word.rpartition("-")
    if sep and len(last) > 1:
        return [(f"{prefix.lower()}-{c}", certain, g) for c, certain, g in name_candidates(last)]
    out: dict[str, tuple[bool, str]] = {}

    def add(candidate: str, certain: bool, gender: str) -> None:
        low = candidate.lower()
        if low == word.lower():
            return
        old = out.get(low)
        if old is None or (certain and not old[0]) or (certain == old[0] and gender == "m" and old[1] == "f"):
            out[low] = (certain, gender)

    for rule, gender in ((_masc_rules, "m"), (_fem_rules, "f")):
        found = rule(word)
        if found is None:
            continue
        candidates, certain = found
        for k, c in enumerate(candidates):
            add(c, certain and k == 0, gender)
    for endings, gender in ((_RU_SURNAME_MASC, "m"), (_RU_SURNAME_FEM, "f")):
        c = _stem_rule(word, endings)
        if c is not None:
            add(c, True, gender)
    # «Зеленскому» → «Зеленский»; «Высоцкой» → «Высоцкая» (not certain: «Луговской» is a
    # masculine nominative).
    for endings, gender, certain in ((_RU_ADJ_SURNAME_MASC, "m", True), (_RU_ADJ_SURNAME_FEM, "f", False)):
        c = _stem_rule(word, endings)
        if c is not None:
            add(c, certain, gender)
    return sorted(((c, cert, g) for c, (cert, g) in out.items()), key=lambda t: (not t[1], t[2] != "m", t[0]))
