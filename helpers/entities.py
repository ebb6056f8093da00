"""Named entities: find persons, organisations and places, normalise them, suggest actors.

:func:`discover_entities` runs natasha's NER (Segmenter, NewsEmbedding, NewsNERTagger,
NewsMorphTagger; the models ship inside the natasha package, so nothing is downloaded) over a
table of documents and returns one row per mention with its nominative base form.
:func:`normalize_entity` computes that base form; it replaces natasha's ``span.normalize``,
which inflects every word of a name on its own and so fails on foreign surnames (``Мерцем`` →
``Мерец``), on plurals (``Нидерландов`` stays as is) and on multi-word names
(``Соединенными Штатами Америки`` → ``Соединенные Штаты Америка``).
:func:`suggest_actors` ranks the frequent entities that an actor dictionary does not cover yet.

Normalisation rules (the cache key includes this file's code, so changing them invalidates it)
------------------------------------------------------------------------
Persons (``PER``): every word of a name is put in the nominative on its own, keeping the gender
and number of the person.

- A word the tagger reads as nominative stays as written (unless pymorphy3's dictionary knows
  it only in oblique cases: ``Марианну``).
- The person's gender comes from a Russian surname ending (``Соркиным``, ``Мелкумовой``), else
  from the tagger's majority over the words of the name.
- Words that pymorphy3's dictionary knows as names in that gender (``Петру`` → ``Петр``,
  ``Захаровой`` → ``Захарова``, ``Трампа`` → ``Трамп``) are inflected with it; indeclinable
  entries (``Шойгу``, ``Порошенко``, feminine ``Каллас``) stay as written.
- Unknown Russian surnames follow their suffix: ``Налбандовым`` → ``Налбандов``,
  ``Мелкумовой`` → ``Мелкумова``, ``Семирадского`` → ``Семирадский``.
- Other words are treated as foreign names and lose their case ending by rule: masculine
  consonant stems decline (``Мерцем`` → ``Мерц``, ``Уиткоффа`` → ``Уиткофф``, ``Эммануэлем``
  → ``Эммануэль``), feminine consonant stems do not (``Каллас``, ``Ляйен``), feminine names in
  ``-а/-я`` decline (``Каей`` → ``Кая``). An ending that may as well belong to an indeclinable
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
(``Российской Федерации`` → ``Российская Федерация``), and everything after it (genitive
dependents, quoted names, appositions) stays as written (``Соединенными Штатами Америки`` →
``Соединенные Штаты Америки``, ``Вооруженных сил Украины`` → ``Вооруженные силы Украины``).
A conjunct after ``и`` in the head's case is normalised the same way (``Боснии и Герцеговины``).
Abbreviations in capitals (``США``, ``НАТО``) and Latin-script names stay as written; a declined
abbreviation loses its ending (``МИДа`` → ``МИД``) and in ``РБК-Украины`` only the part after
the hyphen declines. A head noun pymorphy3 does not know is declined like a masculine foreign
name (``Кэсоне`` → ``Кэсон``).

The mentions themselves are natasha's: it tags «Вооруженных сил Украины» as ORG «Вооруженных
сил» + LOC «Украины» (as factRuEval does for «МИД Грузии»), and the normaliser does not merge
them; a whole phrase given to :func:`normalize_entity` is normalised as a whole.

Letter case follows the surface (natasha's ``recover_shape``); ``ё`` is written ``е``, as in
natasha's normal forms, so that ``Вооружённых сил`` and ``Вооруженных сил`` get one base form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.cache import cached_table, code_fingerprint, content_key, package_versions

if TYPE_CHECKING:  # pragma: no cover
    from natasha import Doc

#: Bump whenever a rule of :func:`normalize_entity` changes: it is part of the cache key.

#: Entity types natasha's news NER produces.
ENTITY_TYPES = ("PER", "ORG", "LOC")

#: Columns of :func:`discover_entities`.
ENTITY_COLUMNS = ["doc_id", "surface", "normal", "type", "start", "end"]

#: Columns of :func:`suggest_actors` (the first five are the actor dictionary's).
SUGGESTION_COLUMNS = ["actor", "label", "type", "alias", "metonym", "lang", "mentions", "documents", "example"]

#: Entity type → actor type proposed by :func:`suggest_actors` (a first guess to review).
ACTOR_TYPE = {"PER": "person", "LOC": "state", "ORG": "organisation"}

#: Libraries whose versions enter the cache key of :func:`discover_entities`.
_VERSIONED = ("natasha", "slovnet", "navec", "razdel", "pymorphy3", "pymorphy3-dicts-ru")

# --------------------------------------------------------------------------------------------
# Models (loaded once, lazily)
# --------------------------------------------------------------------------------------------

_MODELS: dict[str, Any] = {}


def _models() -> dict[str, Any]:
    """Load natasha's segmenter and taggers once per process (about a second)."""
    if not _MODELS:
        try:
            from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
        except ImportError as exc:  # pragma: no cover - natasha is a pinned dependency
            raise ImportError(
                "helpers.entities needs natasha; run `make setup` (or `pip install -e .`) first."
            ) from exc
        embedding = NewsEmbedding()
        _MODELS.update(
            segmenter=Segmenter(),
            morph_tagger=NewsMorphTagger(embedding),
            ner_tagger=NewsNERTagger(embedding),
        )
    return _MODELS


_ANALYZER: list[Any] = []


def _analyzer() -> Any:
    """Return the shared pymorphy3 Russian analyzer."""
    if not _ANALYZER:
        import pymorphy3

        _ANALYZER.append(pymorphy3.MorphAnalyzer(lang="ru"))
    return _ANALYZER[0]


def morph_vocab() -> Any:
    """Return natasha's ``MorphVocab``, loaded once.

    Only needed to compare with natasha's own ``span.normalize(morph_vocab())``
    (``benchmarks/eval_ner.py``); :func:`normalize_entity` uses pymorphy3 directly.
    """
    if "morph_vocab" not in _MODELS:
        from natasha import MorphVocab

        _models()
        _MODELS["morph_vocab"] = MorphVocab()
    return _MODELS["morph_vocab"]


def natasha_doc(text: str) -> Doc:
    """Return a natasha ``Doc`` of ``text`` segmented, morph-tagged and NER-tagged.

    Parameters
    ----------
    text : str
        Russian text.

    Returns
    -------
    natasha.Doc
        ``doc.spans`` are the entity mentions (offsets into ``text``), ``doc.tokens`` carry
        ``pos`` and ``feats`` (Universal Dependencies tags).
    """
    from natasha import Doc

    models = _models()
    doc = Doc(text)
    doc.segment(models["segmenter"])
    doc.tag_morph(models["morph_tagger"])
    doc.tag_ner(models["ner_tagger"])
    return doc


# --------------------------------------------------------------------------------------------
# Token-level morphology
# --------------------------------------------------------------------------------------------


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


def tag_phrase(phrase: str) -> list[MorphToken]:
    """Morph-tag a phrase on its own (no sentence context) and return its tokens.

    Used by :func:`normalize_entity` when it is given no tokens. Out of context the tagger
    guesses the case from the words alone: usually right for multi-word names, while a lone
    word mostly comes out nominative.
    """
    from natasha import Doc

    models = _models()
    doc = Doc(phrase)
    doc.segment(models["segmenter"])
    doc.tag_morph(models["morph_tagger"])
    return [MorphToken(t.text, t.start, t.stop, t.pos or "X", dict(t.feats or {})) for t in doc.tokens]


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
    """Give ``word`` the letter case of ``ref`` (natasha's ``recover_shape``)."""
    from natasha.shape import recover_shape

    return recover_shape(word, ref)


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
        if ending == "ю":
            return ([_soft(stem)], True)
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
_ADJ_SURNAME = re.compile(r"(ого|его|ому|ему|ым|им|ом|ем)$")
_ADJ_SURNAME_FEM = re.compile(r"(ск|цк)(ой|ую)$")
_MASC_ONLY = re.compile(r"(ов|ев|ёв|ин|ын)(ым|ом)$|(ск|цк)(ого|ому|им)$")
_FEM_ONLY = re.compile(r"(ов|ев|ёв|ин|ын|ск|цк)(ой|ую)$")


def _person_gender(words: Sequence[MorphToken]) -> str | None:
    """Gender of a person: from a Russian surname's ending, else the tagger's majority.

    A Russian surname in an oblique case shows the gender (``Соркиным``, ``Маковского`` are
    masculine, ``Мелкумовой`` feminine); otherwise the tagger's majority over the words of the
    name decides; on a tie, a first name that pymorphy3 knows in one gender only, else the tag of
    the last word (the surname). The tagger reads gender from the context (verb agreement, adjectives) as well as from the
    endings; pymorphy3's dictionary is no better guide for foreign first names (it lists
    ``Эммануэль`` as feminine only and ``Кая`` only as a form of ``Кай``).
    """
    for t in words:  # endings only one gender has: Соркиным, Маковского / Мелкумовой
        lw = t.text.lower()
        if _MASC_ONLY.search(lw):
            return "Masc"
        if _FEM_ONLY.search(lw):
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
    # an unknown noun: a foreign name, declined like a masculine hard stem
    rule = _masc_rules(text)
    gender_number = (feats.get("Gender"), feats.get("Number"))
    if rule is None:
        return text, *gender_number
    candidates, certain = rule
    if type == "LOC" and lw.endswith("е") and _consonant(candidates[0]):
        certain = True  # в Кэсоне, в Бенрате
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
    best = _pick(agreeing or parses, feats) or _pick(agreeing or parses, {k: v for k, v in feats.items() if k != "Case"})
    if best is None:
        return text
    target = {"nomn", "plur"} if number == "Plur" else {"nomn"} | ({_UD_OC_GENDER[gender]} if gender in _UD_OC_GENDER else set())
    inflected = best.inflect(target) or best.inflect({"nomn"})
    return _shape(inflected.word, text) if inflected is not None else text


_UD_OC_GENDER = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}


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
            if t.pos in _MODIFIER_POS and not _keep_as_written(t.text):
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
        surface is tagged on its own (:func:`tag_phrase`): fine for most multi-word names, but
        the tagger then tends to read a lone word as nominative and leave it as it is
        (``"Мерцем"`` stays), so pass the tokens whenever there is a sentence.
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
    >>> doc = natasha_doc("Премьер Польши встретился с Мерцем.")
    >>> [normalize_entity(s.text, s.type, span_tokens(s)) for s in doc.spans]
    ['Польша', 'Мерц']
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
# Discovery
# --------------------------------------------------------------------------------------------


def _check_docs(docs: pd.DataFrame) -> None:
    if not isinstance(docs, pd.DataFrame):
        raise TypeError(f"docs must be a pandas DataFrame with doc_id and text columns, got {type(docs).__name__}.")
    missing = [c for c in ("doc_id", "text") if c not in docs.columns]
    if missing:
        raise ValueError(
            f"docs lacks column(s) {missing}; pass a table with one row per document and the columns "
            "doc_id and text (and optionally lang), e.g. docs.rename(columns={'id': 'doc_id'})."
        )


def _russian_rows(docs: pd.DataFrame) -> pd.DataFrame:
    """Rows to process: ``lang`` is ``"ru"`` or missing (no ``lang`` column means all)."""
    if "lang" not in docs.columns:
        return docs
    lang = docs["lang"]
    keep = lang.isna() | (lang.astype("object").where(lang.notna(), "").astype(str).str.lower() == "ru")
    return docs[keep.to_numpy()]


def _nominative_words(doc: Any) -> set[str]:
    """Proper names that the tagger read as nominative in a document (ё-folded, lower case).

    Every ``PROPN`` token counts, inside an entity or not (the NER misses some names, e.g. at
    the start of a sentence).
    """
    return {
        _fold(t.text)
        for t in doc.tokens
        if t.pos == "PROPN" and (t.feats or {}).get("Case") == "Nom" and _CYRILLIC.search(t.text)
    }


def _compute_entities(ids: Sequence[Any], texts: Sequence[str], id_dtype: Any) -> pd.DataFrame:
    mentions = []
    known: set[str] = set()
    for doc_id, text in zip(ids, texts):
        if not text or not text.strip():
            continue
        doc = natasha_doc(text)
        known |= _nominative_words(doc)
        for span in doc.spans:
            mentions.append((doc_id, span, span_tokens(span)))
    rows = []
    for doc_id, span, tokens in mentions:
        rows.append(
            (doc_id, span.text, _normalize(span.text, span.type, tokens, known), span.type, span.start, span.stop)
        )
    table = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    table["doc_id"] = pd.Series([r[0] for r in rows], dtype=id_dtype)
    table["start"] = table["start"].astype("int64")
    table["end"] = table["end"].astype("int64")
    table = table.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)
    return table


def discover_entities(
    docs: pd.DataFrame,
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Find the persons, organisations and places mentioned in each document.

    Parameters
    ----------
    docs : DataFrame
        One row per document with columns ``doc_id`` and ``text``. With a ``lang`` column only
        rows whose ``lang`` is ``"ru"`` or missing are processed (natasha's models are Russian
        only); other rows are skipped and yield no entities.
    cache : bool
        Read and write the result in the Parquet cache (default True); see :mod:`helpers.cache`.
    cache_dir : str or Path, optional
        Cache folder; default ``$NEWSFRAMES_CACHE`` or ``~/.cache/newsframes``.

    Returns
    -------
    DataFrame
        One row per mention, sorted by ``doc_id`` and ``start``:

        - ``doc_id``: the document;
        - ``surface``: the mention as written, ``text[start:end]``;
        - ``normal``: its nominative base form (:func:`normalize_entity`);
        - ``type``: ``PER``, ``ORG`` or ``LOC``;
        - ``start``, ``end`` (int): character offsets into the document's text.

    Notes
    -----
    The cache key covers the ``(doc_id, text)`` pairs, this module's code and the
    versions of natasha, slovnet, navec, razdel, pymorphy3 and its dictionary. The base form of
    a mention may use evidence from the other documents of the call (words attested as
    nominatives, see ``known`` in :func:`normalize_entity`), so run it on the whole corpus at
    once rather than document by document.
    """
    _check_docs(docs)
    rows = _russian_rows(docs)
    ids = list(rows["doc_id"])
    texts = ["" if pd.isna(t) else str(t) for t in rows["text"]]
    pairs = sorted(zip((repr(i) for i in ids), texts))
    settings = {"table": "entities", "code": code_fingerprint(__file__), **package_versions(*_VERSIONED)}
    key = content_key((part for pair in pairs for part in pair), settings)
    id_dtype = docs["doc_id"].dtype
    return cached_table(
        "entities", key, lambda: _compute_entities(ids, texts, id_dtype), cache=cache, cache_dir=cache_dir
    )


# --------------------------------------------------------------------------------------------
# Actor suggestions
# --------------------------------------------------------------------------------------------

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}


def actor_id(name: str) -> str:
    """Transliterate a name to an ASCII snake_case id: ``"Кая Каллас"`` → ``"kaya_kallas"``.

    Letters outside Cyrillic and Latin are dropped; a name with nothing left gives ``"actor"``.
    """
    import unicodedata

    out = []
    for ch in name.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii"))
    ident = re.sub(r"[^a-z0-9]+", "_", "".join(out)).strip("_")
    if not ident:
        return "actor"
    return ident if not ident[0].isdigit() else f"a_{ident}"


def _lemma_key_function():
    try:
        from helpers.text import lemma_key
    except ImportError as exc:
        raise ImportError(
            "suggest_actors needs helpers.text.lemma_key; update the project (git pull) so that "
            "helpers/text.py is present."
        ) from exc
    return lemma_key


def suggest_actors(
    entities: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    min_count: int = 2,
    top: int | None = 50,
) -> pd.DataFrame:
    """Rank frequent entities that the actor dictionary does not cover yet.

    Parameters
    ----------
    entities : DataFrame
        Output of :func:`discover_entities` (columns ``doc_id``, ``surface``, ``normal``,
        ``type``).
    actors : DataFrame
        The actor dictionary (``corpus/actors.csv``): one row per alias with at least the column
        ``alias`` (a name in the nominative). An entity is covered when the lemma sequence of its
        ``normal`` (:func:`helpers.text.lemma_key`) equals that of some alias.
    min_count : int
        Keep entities mentioned at least this many times (default 2).
    top : int or None
        Keep the ``top`` most mentioned (default 50); None keeps all.

    Returns
    -------
    DataFrame
        Rows ready to paste into the dictionary after review, sorted by ``mentions`` (desc) then
        ``label``: ``actor`` (an id transliterated from the name, made unique against the
        dictionary and the other suggestions), ``label`` and ``alias`` (the base form),
        ``type`` (a guess: PER → ``person``, LOC → ``state``, ORG → ``organisation``; cities,
        regions, blocs and media come out as ``state``/``organisation`` and must be corrected by
        hand), ``metonym`` (False), ``lang`` ("ru"), ``mentions`` (count), ``documents`` (distinct ``doc_id``) and
        ``example`` (the most frequent surface form).

    Notes
    -----
    Mentions whose base forms share a lemma sequence are counted together (``Клинтоны`` and
    ``Клинтон``); the label is their most frequent base form and the type their most frequent
    type.
    """
    for name, frame, needed in (
        ("entities", entities, ("doc_id", "surface", "normal", "type")),
        ("actors", actors, ("alias",)),
    ):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}.")
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            hint = (
                "pass the output of discover_entities()"
                if name == "entities"
                else "load corpus/actors.csv (columns actor, label, type, alias, metonym)"
            )
            raise ValueError(f"{name} lacks column(s) {missing}; {hint}.")
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}.")
    if top is not None and top < 0:
        raise ValueError(f"top must be None or a non-negative int, got {top}.")

    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("mentions", "documents") else ("bool" if c == "metonym" else "object")) for c in SUGGESTION_COLUMNS})
    ents = entities.dropna(subset=["normal"])
    if ents.empty:
        return empty

    lemma_key = _lemma_key_function()
    keys_cache: dict[str, tuple[str, ...]] = {}

    def key_of(phrase: str) -> tuple[str, ...]:
        if phrase not in keys_cache:
            keys_cache[phrase] = tuple(lemma_key(phrase, "ru"))
        return keys_cache[phrase]

    covered = {key_of(str(a)) for a in actors["alias"].dropna()}
    ents = ents.assign(_key=[key_of(str(n)) for n in ents["normal"]])
    ents = ents[[bool(k) and k not in covered for k in ents["_key"]]]
    if ents.empty:
        return empty

    rows = []
    for _, group in ents.groupby("_key", sort=False):
        mentions = len(group)
        if mentions < min_count:
            continue
        label = _mode(group["normal"])
        rows.append(
            {
                "label": label,
                "type": ACTOR_TYPE.get(_mode(group["type"]), "organisation"),
                "alias": label,
                "metonym": False,
                "lang": "ru",
                "mentions": mentions,
                "documents": group["doc_id"].nunique(),
                "example": _mode(group["surface"]),
            }
        )
    if not rows:
        return empty
    table = pd.DataFrame(rows).sort_values(["mentions", "label"], ascending=[False, True], kind="stable")
    if top is not None:
        table = table.head(top)
    taken = set(actors["actor"].dropna().astype(str)) if "actor" in actors.columns else set()
    ids = []
    for label in table["label"]:
        base = actor_id(label)
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        taken.add(ident)
        ids.append(ident)
    table.insert(0, "actor", ids)
    table["mentions"] = table["mentions"].astype("int64")
    table["documents"] = table["documents"].astype("int64")
    table["metonym"] = table["metonym"].astype("bool")
    return table[SUGGESTION_COLUMNS].reset_index(drop=True)


def _mode(values: pd.Series) -> Any:
    """Most frequent value; ties go to the one seen first."""
    counts = Counter(values)
    best = max(counts.values())
    for v in values:
        if counts[v] == best:
            return v
    raise ValueError("empty series")  # pragma: no cover
