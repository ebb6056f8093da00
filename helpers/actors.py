"""Actors: who is mentioned, in every inflected form and every name they go by, and with whom.

The actor dictionary (``corpus/actors.csv``, or your own file of the same shape) has one row per
name: ``actor`` (id), ``label``, ``type`` (person, state, organisation, media, bloc, place),
``alias`` (the name in the nominative), ``metonym`` (a place that may stand for the actor:
Кремль → Россия) and ``lang``. Aliases are matched on lemma sequences with the corpus' own
lemmas (:meth:`helpers.corpus.Corpus.patterns`), so «Макрона», «Макроном» and «Эммануэлем
Макроном» are all Emmanuel Macron, «Соединенными Штатами Америки» is one mention of the US, and
«РБК-Украина» (one token) is never Ukraine.

Metonyms by use
---------------
A capital or seat of government counts as its state only where it stands for the government
(:func:`metonym_roles`): as the subject of a verb («Москва заявила»), a possessor («позиция
Берлина»), an addressee or party («давление на Киев», «переговоры с Москвой», «между Москвой и
Киевом»), or in a locative that means the institution speaks («в Кремле заявили»). Locative
uses («в Париже», «из Москвы», «саммит в Вашингтоне»), the city as a municipality («мэр Москвы»)
and datelines («МОСКВА, 10 янв — РИА Новости») stay places: their ``role`` is ``"place"``, and
mention counts, networks and frames by actor leave them out. Every row says which ``rule``
decided.

The word lists of these rules cover Russian and Ukrainian («у Києві» is a place, «Київ вимагає»
and «позиція Вашингтона» the state).

Checking a dictionary
---------------------
:func:`check_dictionary` lists every problem of a dictionary file at once (unknown types, two
labels for one actor, an alias shared by two actors, an alias not in the nominative) and checks
that every inflected form of every Russian and Ukrainian alias (:func:`inflected_forms`) is
found as its actor, so that a notebook can show the user what to fix in their own
``corpus/actors.csv``.

Co-occurrence statistics come from :func:`helpers.stats.association`: raw co-mention counts
favour frequent actors, so every pair also gets its expected count, PMI, NPMI, a signed G² with
its p-value, and Jaccard.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import dictionaries as dicts
from helpers import stats
from helpers.arrays import spans
from helpers.compat import legacy
from helpers.constants import UNITS, check_within
from helpers.corpus import Corpus
from helpers.kwic import concordance
from helpers.matching import match_phrases, unit_codes
from helpers.morph import grammemes, is_known, readings

ACTORS_FILE = dicts.ACTORS_FILE
ACTOR_TYPES = ("person", "state", "organisation", "media", "bloc", "place")
MENTION_COLUMNS = ["doc_id", "actor", "label", "type", "surface", "start", "end", "sentence", "paragraph", "metonym", "role", "rule", "token_index", "first", "last"]
ROLES = ("actor", "state", "place")


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check an actor dictionary (CSV, or YAML with a list of rows).

    Parameters
    ----------
    path : str or Path, optional
        Default: the bundled ``corpus/actors.csv``. A path that does not exist is an error.

    Returns
    -------
    DataFrame
        ``actor``, ``label``, ``type``, ``alias``, ``metonym`` (bool) and ``lang`` (default
        ``"ru"``), one row per alias, sorted by actor, language and alias.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    helpers.dictionaries.DictionaryError
        Naming the file and line of a missing column or value, an unknown type or an actor with
        two labels, and what to write instead.
    """
    path = Path(path) if path is not None else ACTORS_FILE
    table = dicts.read_table(path, kind="actor dictionary", required=("actor", "label", "type", "alias"), optional={"metonym": "false", "lang": "ru"})
    # (records, not itertuples: a namedtuple renames the "_line" column)
    for row in table.to_dict("records"):
        if not row["actor"] or not row["alias"]:
            raise dicts.row_error(path, row[dicts.LINE], "every row needs an actor id and an alias.")
        if row["type"] not in ACTOR_TYPES:
            raise dicts.row_error(path, row[dicts.LINE], f"type {row['type']!r} is not one of {', '.join(ACTOR_TYPES)}.")
    metonym = table["metonym"].str.lower()
    bad = ~metonym.isin(["true", "false", "1", "0", "yes", "no", "y", "n", ""])
    if bad.any():
        raise dicts.row_error(path, int(table.loc[bad, dicts.LINE].iloc[0]), f"metonym must be true or false, got {table.loc[bad, 'metonym'].iloc[0]!r}.")
    table["metonym"] = metonym.isin(["true", "1", "yes", "y"])
    table["lang"] = table["lang"].replace("", "ru")
    labels = table.groupby("actor")["label"].nunique()
    if (labels > 1).any():
        actor = labels[labels > 1].index[0]
        line = int(table.loc[table["actor"] == actor, dicts.LINE].iloc[1])
        raise dicts.row_error(path, line, f"actor {actor!r} has more than one label; give every row of an actor the same label.")
    cols = ["actor", "label", "type", "alias", "metonym", "lang"]
    return table[cols].sort_values(["actor", "lang", "alias"], kind="stable").reset_index(drop=True)


#: Columns of :func:`check_dictionary`.
PROBLEM_COLUMNS = ["line", "actor", "alias", "lang", "problem", "detail"]
#: The cases an alias is inflected into by :func:`check_dictionary`.
CHECK_CASES = ("gent", "datv", "accs", "ablt", "loct")
_NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
_RU_SURNAME_RE = re.compile(r"[^аеиоуыэюя](ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына)$")


class _RuSurname(str):
    """A Russian surname pymorphy3 does not know, declined by its suffix (:func:`inflected_forms`)."""


def _shape_like(word: str, model: str) -> str:
    """``word`` with the capitals of ``model`` (whole word, or first letter of each hyphen part)."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    parts, models = word.split("-"), model.split("-")
    if len(parts) == len(models):
        return "-".join(p.upper() if m.isupper() and len(m) > 1 else p[:1].upper() + p[1:] if m[:1].isupper() else p for p, m in zip(parts, models))
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def inflected_forms(alias: str, lang: str = "ru", cases: Sequence[str] = CHECK_CASES) -> list[str]:
    """The forms of a nominative alias in other cases, as pymorphy3 inflects it.

    Words are inflected from the left while they have a singular nominative reading whose
    normal form is the word itself (or a plural one in a plural name: «Соединенные Штаты»);
    the first word without one and every word after it stay as written (the genitive of
    «Соединенные Штаты Америки», «коалиция желающих», an indeclinable «Мелони»). A capitalised
    word prefers a name reading; an adjective takes the case and animacy of its noun («Белого
    дома»); the accusative of an animate masculine is its genitive («Фридриха Мерца»). Russian
    surnames in «-ов», «-ин» that pymorphy3 does not know follow their suffix («Умерова»).
    Abbreviations in capitals and words in other scripts stay as written; a hyphenated word only
    changes its last part («РБК-Украины», not «Даунинга-стрит»).

    Parameters
    ----------
    alias : str
        The alias in the nominative, as in the dictionary.
    lang : {"ru", "uk"}
        Its language; other languages have no forms (an empty list).
    cases : sequence of str
        pymorphy3 case grammemes (default genitive, dative, accusative, instrumental, locative).

    Returns
    -------
    list of str
        Distinct forms different from the alias, in the order of ``cases``.

    Examples
    --------
    >>> inflected_forms("Белый дом", cases=("gent", "ablt"))
    ['Белого дома', 'Белым домом']
    """
    from helpers.morph import MORPH_LANGS, analyzer

    if lang not in MORPH_LANGS:
        return []
    morph = analyzer(lang)
    words = alias.split()

    def fold(w: str) -> str:
        return w.lower().replace("ё", "е")

    plan: list[Any] = []
    for i, w in enumerate(words):
        low = w.lower()
        if (w.isupper() and len(w) > 1) or not re.search(r"[а-яёіїєґ]", low):
            plan.append(None)
            continue
        if lang == "ru" and w[:1].isupper() and not morph.word_is_known(low) and _RU_SURNAME_RE.search(low):
            plan.append(_RuSurname(low))
            continue
        found = [p for p in morph.parse(low) if "nomn" in p.tag and (morph.word_is_known(low) or p.tag.POS == "NOUN")]
        before_name = w[:1].isupper() and i + 1 < len(words) and words[i + 1][:1].isupper()
        adjectival = [p for p in found if p.tag.POS in ("ADJF", "PRTF")]
        if adjectival and i + 1 < len(words) and words[i + 1][:1].islower():
            found = adjectival  # «Белый дом», «Білий дім»: an adjective before a common noun
        elif w[:1].isupper():
            named = [p for p in found if set(p.tag.grammemes) & _NAME_GRAMMEMES]
            # a first name pymorphy3 does not tag as one (Ukrainian «Володимир»): its animate reading
            found = named or ([p for p in found if "anim" in p.tag and p.tag.POS == "NOUN"] if before_name else []) or found
        plural_name = any(
            0 <= j < len(words) and j != i and any("nomn" in p.tag and "plur" in p.tag for p in morph.parse(words[j].lower()))
            for j in (i - 1, i + 1)
        )
        singular = [p for p in found if "plur" not in p.tag or "Pltm" in p.tag]
        found = singular or ([p for p in found if plural_name] if found else [])
        exact = [p for p in found if fold(p.normal_form) == fold(low) or p.tag.POS in ("ADJF", "PRTF") or "plur" in p.tag or "Surn" in p.tag]
        if not exact:
            break
        plan.append(exact[0])
        first_name = bool(set(exact[0].tag.grammemes) & {"Name", "Patr"}) or (before_name and "anim" in exact[0].tag)
        if exact[0].tag.POS == "NOUN" and not first_name:
            break  # the head noun: what follows is its genitive («Штаты Америки»)
    readings_ = [p for p in plan if p is not None and not isinstance(p, _RuSurname)]
    animate = any(isinstance(p, _RuSurname) for p in plan) or any(
        p.tag.POS == "NOUN" and ("anim" in p.tag or set(p.tag.grammemes) & {"Name", "Surn", "Patr"}) for p in readings_[:1])

    def inflect(reading: Any, w: str, case: str) -> str:
        if isinstance(reading, _RuSurname):
            if re.search(r"(ова|ева|ёва|ина|ына)$", reading):
                return w[:-1] + ("у" if case == "accs" else "ой")
            return w + {"gent": "а", "datv": "у", "accs": "а", "ablt": "ым", "loct": "е"}[case]
        grammemes = {case}
        if case == "accs" and reading.tag.POS in ("ADJF", "PRTF") and ("masc" in reading.tag or "plur" in reading.tag):
            grammemes.add("anim" if animate else "inan")
        elif case == "accs" and animate and ("masc" in reading.tag or "plur" in reading.tag):
            grammemes = {"gent"}
        form = reading.inflect(grammemes)
        if form is None and "inan" in grammemes:
            return w  # the inanimate accusative of an adjective is its nominative
        if form is None and grammemes != {case}:
            form = reading.inflect({case})
        if form is None:
            return w
        word = form.word
        if "-" in w and word.rsplit("-", 1)[0] != w.lower().rsplit("-", 1)[0]:
            return w  # only the last part of a hyphenated word declines
        return _shape_like(word, w)

    forms: list[str] = []
    for case in cases:
        out = [inflect(plan[i], w, case) if i < len(plan) and plan[i] is not None else w for i, w in enumerate(words)]
        form = " ".join(out)
        if "ё" not in alias.lower():
            form = form.replace("ё", "е").replace("Ё", "Е")  # as the alias is written
        if fold(form) != fold(alias) and form not in forms:
            forms.append(form)
    return forms


def _problem(line: Any, actor: str, alias: str, lang: str, problem: str, detail: str) -> dict:
    return {"line": line, "actor": actor, "alias": alias, "lang": lang, "problem": problem, "detail": detail}


def check_dictionary(actors: pd.DataFrame | str | Path | None = None, *, forms: bool = True) -> pd.DataFrame:
    """Every problem of an actor dictionary, one row each, for a notebook to show.

    :func:`load_actors` stops at the first error; this check reads the whole file and lists
    all that would keep actors from being counted right, so that the user's own
    ``corpus/actors.csv`` can be reviewed before an analysis (an empty result means none found).

    Parameters
    ----------
    actors : DataFrame, str or Path, optional
        A dictionary file (its rows keep their file line), or a table with ``actor``, ``label``,
        ``type``, ``alias`` and optional ``metonym``, ``lang``. Default: the bundled one.
    forms : bool
        Also inflect every Russian and Ukrainian alias (:func:`inflected_forms`) and check that
        :func:`find_actors` finds each form, whole, as its actor (slower: the forms are
        tokenized as a corpus).

    Returns
    -------
    DataFrame
        ``line`` (file line, missing for a table), ``actor``, ``alias``, ``lang``, ``problem``
        and ``detail`` (what is wrong and what to write), sorted by line. Problems:

        - ``missing value``: no actor id, label, type or alias;
        - ``unknown type``: not one of :data:`ACTOR_TYPES`;
        - ``two labels``: an actor whose rows give different labels;
        - ``metonym``: a value other than true/false, or a metonym of a person or a place;
        - ``unknown language``: ``lang`` not ru, uk or en;
        - ``duplicate``: the same alias twice for one actor and language;
        - ``shared alias``: aliases of different actors with the same lemma sequence (one
          name, two actors: every mention goes to one of them);
        - ``not nominative``: a Russian or Ukrainian alias whose first word has no nominative
          reading («Макрона»): aliases are written in the nominative;
        - ``inflected form``: a form of the alias that is not found as its actor (with
          ``forms=True``): add the form as an alias or a lemma override.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    helpers.dictionaries.DictionaryError
        When the file cannot be read as a table or lacks a required column.
    """
    if isinstance(actors, pd.DataFrame):
        table = actors.copy()
        missing = [c for c in ("actor", "label", "type", "alias") if c not in table.columns]
        if missing:
            raise dicts.DictionaryError(f"The actor table needs the column(s) actor, label, type, alias; missing {', '.join(missing)}.")
        if dicts.LINE not in table.columns:
            table[dicts.LINE] = pd.NA
        for column, default in (("metonym", "false"), ("lang", "ru")):
            if column not in table.columns:
                table[column] = default
        table = table.astype({c: str for c in ("actor", "label", "type", "alias", "metonym", "lang")})
        for c in ("actor", "label", "type", "alias", "lang"):
            table[c] = table[c].replace({"nan": "", "None": "", "<NA>": ""}).str.strip()
        table["metonym"] = table["metonym"].replace({"nan": "", "None": ""}).str.strip()
    else:
        path = Path(actors) if actors is not None else Path(ACTORS_FILE)
        table = dicts.read_table(path, kind="actor dictionary", required=("actor", "label", "type", "alias"), optional={"metonym": "false", "lang": "ru"})
    table["lang"] = table["lang"].replace("", "ru")
    rows: list[dict] = []
    for rec in table.to_dict("records"):
        line, actor, alias, lang = rec[dicts.LINE], rec["actor"], rec["alias"], rec["lang"]
        empty = [c for c in ("actor", "label", "type", "alias") if not rec[c]]
        if empty:
            rows.append(_problem(line, actor, alias, lang, "missing value", f"no {', '.join(empty)}: every row needs an actor id, a label, a type and an alias."))
        if rec["type"] and rec["type"] not in ACTOR_TYPES:
            rows.append(_problem(line, actor, alias, lang, "unknown type", f"type {rec['type']!r} is not one of {', '.join(ACTOR_TYPES)}."))
        metonym = str(rec["metonym"]).lower()
        if metonym not in ("true", "false", "1", "0", "yes", "no", "y", "n", ""):
            rows.append(_problem(line, actor, alias, lang, "metonym", f"metonym must be true or false, got {rec['metonym']!r}."))
        elif metonym in ("true", "1", "yes", "y") and rec["type"] in ("person", "place"):
            rows.append(_problem(line, actor, alias, lang, "metonym", f"a {rec['type']} has no metonyms: a metonym is a place that stands for a state, bloc or organisation (Кремль → Россия)."))
        if lang not in ("ru", "uk", "en"):
            rows.append(_problem(line, actor, alias, lang, "unknown language", f"lang {lang!r} is not ru, uk or en."))
    labels = table[table["actor"] != ""].groupby("actor")["label"].unique()
    for actor, values in labels.items():
        if len(values) > 1:
            part = table[table["actor"] == actor]
            first = part["label"].iloc[0]
            for rec in part[part["label"] != first].to_dict("records"):
                rows.append(_problem(rec[dicts.LINE], actor, rec["alias"], rec["lang"], "two labels", f"label {rec['label']!r} differs from {first!r} on the actor's first row; give every row of an actor the same label."))
    named = table[(table["actor"] != "") & (table["alias"] != "")]
    dup = named.duplicated(["actor", "alias", "lang"], keep="first")
    for rec in named[dup].to_dict("records"):
        rows.append(_problem(rec[dicts.LINE], rec["actor"], rec["alias"], rec["lang"], "duplicate", "the same alias is listed twice for this actor and language; delete one row."))
    from helpers.lemmas import alias_lemmas
    from helpers.text import phrase_words

    overrides = dicts.load_overrides(dicts.OVERRIDES_FILE) if Path(dicts.OVERRIDES_FILE).exists() else {}
    keys: dict[tuple, list[dict]] = {}
    for rec in named[~dup].to_dict("records"):
        words = phrase_words(rec["alias"])
        key = tuple(alias_lemmas(words, rec["lang"], overrides=overrides)) if rec["lang"] in ("ru", "uk") else tuple(w.lower() for w in words)
        keys.setdefault((rec["lang"], key), []).append(rec)
        if rec["lang"] in ("ru", "uk"):
            first_word = rec["alias"].split()[0]
            low = first_word.lower()
            if re.search(r"[а-яёіїєґ]", low) and not (first_word.isupper() and len(first_word) > 1) and is_known(low, rec["lang"]):
                found = readings(low, rec["lang"])
                # a known word with oblique readings only («Макрона», «Шольца»); a name pymorphy3
                # reads as a form of another name («Кая» of «Кай») is left alone
                if found and not any(g & {"nomn", "Fixd", "Name", "Surn", "Patr"} for _, _, g in found):
                    rows.append(_problem(rec[dicts.LINE], rec["actor"], rec["alias"], rec["lang"], "not nominative",
                                         f"{first_word!r} has no nominative reading; write the alias in the nominative (other forms are found from it)."))
    for (lang, key), recs in keys.items():
        owners = sorted({r["actor"] for r in recs})
        if len(owners) > 1:
            for r in recs:
                others = ", ".join(o for o in owners if o != r["actor"])
                rows.append(_problem(r[dicts.LINE], r["actor"], r["alias"], lang, "shared alias",
                                     f"the alias has the lemmas {' '.join(key)!r} of an alias of {others}: its mentions cannot go to both; keep it for one actor."))
    if forms:
        rows.extend(_check_forms(named[~dup]))
    out = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    out["_order"] = pd.to_numeric(out["line"], errors="coerce")
    out = out.sort_values(["_order", "actor", "alias", "problem", "detail"], na_position="last", kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def _check_forms(table: pd.DataFrame) -> list[dict]:
    """``inflected form`` problems: forms of each alias that :func:`find_actors` does not find as its actor."""
    from helpers.corpus import build_corpus

    valid = table[table["type"].isin(ACTOR_TYPES) & table["lang"].isin(["ru", "uk"])]
    docs, expected = [], []
    for i, rec in enumerate(valid.to_dict("records")):
        forms = inflected_forms(rec["alias"], rec["lang"])
        if not forms:
            continue
        doc_id = f"alias{i:06d}"
        text, spans, at = [], [], 0
        for form in forms:
            spans.append((form, at, at + len(form)))
            text.append(form)
            at += len(form) + 2
        docs.append({"doc_id": doc_id, "lang": rec["lang"], "text": "\n\n".join(text)})
        expected.append((doc_id, rec, spans))
    if not docs:
        return []
    corpus = build_corpus(pd.DataFrame(docs), lang=None, drop_copies=False, boilerplate=False, cache=False)
    dictionary = valid.assign(metonym=valid["metonym"].str.lower().isin(["true", "1", "yes", "y"]))[["actor", "label", "type", "alias", "metonym", "lang"]]
    found = find_actors(corpus, dictionary.reset_index(drop=True), metonyms="all")
    by_doc = {d: part for d, part in found.groupby("doc_id", sort=False)} if len(found) else {}
    rows = []
    for doc_id, rec, spans in expected:
        part = by_doc.get(doc_id)
        for form, a, b in spans:
            hits = part[(part["start"] < b) & (part["end"] > a)] if part is not None else pd.DataFrame(columns=found.columns)
            whole = hits[(hits["start"] == a) & (hits["end"] == b) & (hits["actor"] == rec["actor"])]
            if len(whole):
                continue
            if hits.empty:
                what = "is not found at all"
            else:
                what = "is found as " + "; ".join(f"{h.actor} ({h.surface!r})" for h in hits.itertuples())
            rows.append(_problem(rec[dicts.LINE], rec["actor"], rec["alias"], rec["lang"], "inflected form",
                                 f"{form!r} {what}: add it as an alias, or a lemma override for its words."))
    return rows


def _resolve(actors: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    return actors if isinstance(actors, pd.DataFrame) else load_actors(actors)


# --------------------------------------------------------------------------------------------
# Metonyms by use
# --------------------------------------------------------------------------------------------

_PLACE_PREPS = frozenset("в во из изо под подо около возле близ вблизи до через по над из-под у от ото вокруг біля поблизу навколо від".split())
_STATE_PREPS = frozenset("против к ко для между перед проти між".split())
_SEATS = frozenset({"кремль", "белый дом", "елисейский дворец", "даунинг-стрит", "банковая", "капитолий"})
#: Verbs of saying and deciding: «в Кремле заявили», «в Токио считают».
STATE_VERBS = frozenset(
    "заявить заявлять сообщить сообщать считать ответить отвечать отреагировать реагировать предупредить предупреждать "
    "подчеркнуть подчеркивать отметить отмечать признать признавать опровергнуть опровергать подтвердить подтверждать "
    "пообещать обещать призвать призывать решить решать потребовать требовать выразить выражать надеяться рассчитывать "
    "опасаться отрицать исключить исключать допустить допускать счесть относиться настаивать отказаться отказываться "
    "согласиться соглашаться объявить объявлять заверить заверять указать указывать уточнить уточнять пояснить пояснять "
    "напомнить напоминать оценить оценивать расценить расценивать назвать называть критиковать раскритиковать осудить "
    "осуждать приветствовать поддержать поддерживать возразить возражать отвергнуть отвергать предложить предлагать "
    "ожидать ждать готовить планировать намереваться добиваться понимать знать видеть "
    # Ukrainian
    "заявити заявляти повідомити повідомляти вважати відповісти відповідати відреагувати реагувати попередити "
    "попереджати підкреслити підкреслювати зазначити зазначати визнати визнавати спростувати спростовувати "
    "підтвердити підтверджувати пообіцяти обіцяти закликати вирішити вирішувати вимагати висловити висловлювати "
    "сподіватися розраховувати побоюватися заперечувати виключити виключати допустити допускати наполягати "
    "відмовитися відмовлятися погодитися погоджуватися оголосити оголошувати запевнити запевняти вказати вказувати "
    "уточнити уточнювати пояснити пояснювати нагадати нагадувати оцінити оцінювати назвати називати критикувати "
    "розкритикувати засудити засуджувати вітати привітати підтримати підтримувати заперечити відкинути відкидати "
    "запропонувати пропонувати очікувати чекати готувати планувати домагатися розуміти знати бачити"
    .split()
)
#: Nouns after which a city's genitive is the city itself: «мэр Москвы», «жители Киева».
CITY_NOUNS = frozenset(
    "мэр мэрия житель жительница горожанин центр окраина пригород предместье окрестность улица район квартал метро "
    "аэропорт вокзал суд правительство департамент губернатор область площадь гостиница отель музей университет школа "
    "больница биржа администрация власть полиция парк театр стадион клуб команда собор храм население гость турист "
    "зоопарк дума совет прокуратура день история карта выборы улица проспект часть половина север юг запад восток "
    "окружение памятник здание офис филиал представительство посольство консульство архитектор город побратим "
    "общежитие транспорт пробка погода мостовая набережная окрестности столица "
    # Ukrainian
    "мер мерія житель мешканець мешканка центр околиця передмістя вулиця район квартал метро аеропорт вокзал "
    "губернатор область площа готель музей університет школа лікарня біржа поліція парк театр стадіон клуб команда "
    "собор храм населення гість турист зоопарк прокуратура історія карта вибори проспект частина половина північ "
    "південь захід схід оточення пам'ятник будівля офіс філія представництво посольство консульство місто "
    "побратим транспорт погода набережна столиця"
    .split()
)
#: Verbs a state does: «Вашингтон ввёл санкции», «Москва выслала дипломатов».
ACTION_VERBS = frozenset(
    "ввести вводить принять принимать направить направлять отправить выслать высылать потребовать пригрозить грозить "
    "обвинить обвинять договориться подписать подписывать начать продолжить усилить ослабить сократить увеличить "
    "стремиться пытаться хотеть ждать ожидать запретить запрещать разрешить разрешать отозвать вызвать вызывать "
    "признать признавать ответить готовиться выступить выступать потерять получить поставить поставлять закупать "
    "остановить прекратить возобновить объявить ратифицировать денонсировать присоединиться выйти настаивать "
    "давить оказать оказывать помогать помочь наращивать финансировать платить заплатить вести обещать пойти идти "
    "уступить отвергнуть отвергать осудить выразить добиться задолжать должный рассматривать обсуждать изучать "
    "пересмотреть заморозить блокировать сомневаться бояться опасаться проиграть выиграть победить опередить "
    "вынудить заставить позволить разрешить отменить ужесточить смягчить расширить ограничить "
    # Ukrainian
    "запровадити запроваджувати ухвалити ухвалювати прийняти приймати направити направляти відправити вислати "
    "висилати погрожувати звинуватити звинувачувати домовитися підписати підписувати почати продовжити посилити "
    "послабити скоротити збільшити прагнути намагатися хотіти заборонити забороняти дозволити дозволяти відкликати "
    "викликати готуватися виступити виступати втратити отримати поставити постачати закуповувати зупинити "
    "припинити відновити ратифікувати приєднатися вийти тиснути надати надавати допомагати допомогти нарощувати "
    "фінансувати платити заплатити поступитися розглядати обговорювати вивчати переглянути заморозити блокувати "
    "сумніватися боятися програти виграти перемогти змусити скасувати розширити обмежити"
    .split()
)
#: Nouns whose genitive owner is the state: «позиция Москвы», «решение Вашингтона».
STATE_NOUNS = frozenset(
    "позиция решение политика заявление требование отношение отношения интерес долг претензия ответ реакция "
    "предложение инициатива руководство правительство мид санкция давление стратегия роль участие поддержка "
    "помощь усилие план намерение действие шаг курс вина ответственность пресс-служба сайт администрация "
    "представитель посол делегация сторона контроль влияние согласие отказ протест нота призыв обвинение "
    "приглашение визит союзник партнер партнёр противник враг интересы ультиматум условие точка зрение подход "
    "вмешательство агрессия угроза обещание ставка линия сигнал попытка желание готовность намерения планы "
    "ракета войска армия удар версия оценка данные власти министр глава лидер президент премьер канцлер "
    "беспокойство озабоченность обеспокоенность недовольство тревога опасение возражение "
    # Ukrainian
    "позиція рішення політика заява вимога ставлення інтерес борг претензія відповідь реакція пропозиція "
    "ініціатива керівництво уряд мзс санкція тиск стратегія роль участь підтримка допомога зусилля план намір "
    "дія крок курс провина відповідальність прес-служба адміністрація представник посол делегація сторона "
    "контроль вплив згода відмова протест нота заклик звинувачення запрошення візит союзник партнер противник "
    "ворог ультиматум умова підхід втручання агресія загроза обіцянка ставка лінія сигнал спроба бажання "
    "готовність ракета війська армія удар версія оцінка влада міністр глава лідер президент прем'єр канцлер "
    "занепокоєння стурбованість невдоволення тривога побоювання заперечення"
    .split()
)
#: Verbs of going and visiting: «посетил Белград», «прибыл в Москву» (the city as destination).
MOTION_VERBS = frozenset(
    "посетить посещать прибыть прибывать приехать приезжать прилететь прилетать покинуть покидать отправиться вернуться "
    "возвращаться переехать уехать улететь добраться "
    "відвідати відвідувати прибути прибувати приїхати приїжджати прилетіти прилітати покинути залишити вирушити "
    "повернутися повертатися переїхати поїхати виїхати полетіти дістатися"
    .split()
)
#: Words of time and distance: «разница во времени с Москвой», «приблизить к Москве на час».
TIME_WORDS = frozenset("разница час часовой км километр расстояние отставать опережать приблизить".split())
#: Adjectives before a name that keep it the state: «официальный Киев».
STATE_ADJECTIVES = frozenset("официальный офіційний".split())
#: Words before «в X» that make the seat an addressee: «жалоба в Кремль», «позвонил в Белый дом».
ADDRESS_WORDS = frozenset("жалоба обращение письмо запрос звонок позвонить обратиться написать направить отправить послание".split())
#: Words before «в X» that make X the institution: «источник в Кремле».
SOURCE_WORDS = frozenset("источник собеседник".split())


class _Decoded:
    """A categorical column read by position: ``decoded[i]`` is ``categories[codes[i]]`` (an int or a slice)."""

    def __init__(self, codes: np.ndarray, categories: np.ndarray) -> None:
        self.codes, self.categories = codes, categories

    def __getitem__(self, i):
        return self.categories[self.codes[i]]


def _token_lookup(corpus: Corpus) -> dict:
    """Per-position readers of the token columns the metonym rules use, made once per token table.

    ``lemma``, ``lang`` and ``kind`` decode one position (or a slice) through the codes, as
    ``astype(str).to_numpy()[i]`` / ``.iat[i]`` would (a missing language or kind reads NaN);
    ``start``, ``end``, ``doc`` (document codes) and ``texts`` are arrays. No column of the
    token table is converted as a whole, and no DataFrame look-up happens per mention.
    """
    tokens = corpus.tokens
    found = corpus._cache.get("actor_lookup")
    if found is not None and found["tokens"] is tokens and found["n"] == len(tokens):
        return found

    def decoded(column: str, missing) -> _Decoded:
        cats = tokens[column].cat.categories.astype(str).to_numpy()
        return _Decoded(tokens[column].cat.codes.to_numpy(), cats if missing is None else np.append(cats, missing).astype(object))

    found = {
        "tokens": tokens, "n": len(tokens),
        "lemma": decoded("lemma", None), "lang": decoded("lang", np.nan), "kind": decoded("kind", np.nan),
        "start": tokens["start"].to_numpy(), "end": tokens["end"].to_numpy(), "doc": corpus.doc_codes, "texts": corpus.doc_texts,
    }
    corpus._cache["actor_lookup"] = found
    return found


def metonym_roles(
    corpus: Corpus, first: np.ndarray, last: np.ndarray, names: set[str] = frozenset(), actor_token: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Decide, for metonym mentions, whether each stands for the state or is a place.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    first, last : array of int
        Token rows of each mention.
    names : set of str
        Lower-case forms of the dictionary's metonyms (a list of capitals is state business:
        «Москва и Вашингтон»; a capital listed with other cities is a place).
    actor_token : array of bool, optional
        Tokens of other actor mentions (a capital listed with states is a state).

    Returns
    -------
    role : array of str
        ``"state"`` or ``"place"``.
    rule : array of str
        The rule that decided: ``dateline``, ``part of a name``, ``city noun``,
        ``locative + speech``, ``address``, ``source in``, ``place preposition``,
        ``state preposition``, ``на/с + case``, ``subject, possessor or party``.
    """
    tokens = corpus.tokens
    n = len(tokens)
    # Lemmas and languages are read per position through their codes (not decoded for every
    # token of the corpus: that was most of the cost on a large corpus, for a few mentions).
    lemma = _token_lookup(corpus)["lemma"] if len(first) else np.array([])
    token_cats = tokens["token"].cat.categories.astype(str).to_numpy()
    token_codes = tokens["token"].cat.codes.to_numpy()
    look = _token_lookup(corpus)
    lang = look["lang"] if len(first) else np.array([])
    units = unit_codes(tokens, "sentence") if len(first) else np.array([])
    para = unit_codes(tokens, "paragraph") if len(first) else np.array([])
    roles = np.empty(len(first), dtype=object)
    rules = np.empty(len(first), dtype=object)
    if actor_token is None:
        actor_token = np.zeros(n, dtype=bool)
    names_lemmas = {lemma[i] for i in first} if len(first) else set()

    def surface(i: int) -> str:
        return token_cats[token_codes[i]]

    def same(i: int, j: int) -> bool:
        return 0 <= j < n and units[i] == units[j]

    for k, (f, l_) in enumerate(zip(first, last)):
        name = " ".join(lemma[f: l_ + 1])
        head = surface(l_).lower()
        g = grammemes(head, lang[f]) if lang[f] in ("ru", "uk") else frozenset()
        role, rule = "state", "subject, possessor or party"
        text = surface(f)
        para_start = f == 0 or para[f - 1] != para[f]
        sent_start = f == 0 or units[f - 1] != units[f]
        date_after = l_ + 1 < n and para[l_ + 1] == para[f] and look["kind"][l_ + 1] == "number"
        # Datelines: МОСКВА, 10 янв — … (capitals, or a date right after, at the head of a paragraph).
        if (para_start or sent_start) and ((text.isupper() and len(text) > 1 and (para_start or date_after)) or (para_start and date_after)):
            roles[k], rules[k] = "place", "dateline"
            continue
        p = f - 1 if same(f, f - 1) else -1
        # Skip one adjective between a preposition and the name: «в самом Киеве».
        if p >= 0 and surface(p).islower() and "ADJF" in grammemes(surface(p).lower(), lang[f]) and same(f, p - 1) and surface(p - 1).lower() in _PLACE_PREPS | _STATE_PREPS | {"на", "с", "со"}:
            p -= 1
        prev = surface(p) if p >= 0 else ""
        low = prev.lower()
        nearby = {lemma[j] for j in list(range(max(0, f - 4), f)) + list(range(l_ + 1, min(n, l_ + 3))) if same(f, j)}
        before = {lemma[j] for j in range(max(0, f - 3), f) if same(f, j)}
        glued = p >= 0 and not re.search(r"[,;:]", look["texts"][int(look["doc"][f])][int(look["end"][p]): int(look["start"][f])])
        if lemma[p] in STATE_ADJECTIVES if p >= 0 else False:
            role, rule = "state", "официальный + name"
        elif p >= 0 and prev[:1].isupper() and p > 0 and same(p, p - 1) and glued and not actor_token[p] and low not in _PLACE_PREPS and ("gent" in g or "gen1" in g) and "nomn" not in g:
            role, rule = "place", "part of a name"  # «Эхо Москвы», «Движение общежитий Москвы»
        elif low == "у" and any(lemma[j] in ("есть", "нет", "быть") for j in range(l_ + 1, min(n, l_ + 4)) if same(f, j)):
            role, rule = "state", "у X есть"  # «у Киева есть понимание»
        elif nearby & TIME_WORDS:
            role, rule = "place", "time or distance"
        elif before & MOTION_VERBS:
            role, rule = "place", "going or visiting"
        elif p >= 0 and (prev.islower() or (p > 0 and same(p, p - 1))) and "ADJF" in grammemes(low, lang[f]) and lemma[p] not in STATE_ADJECTIVES and not grammemes(low, lang[f]) & {"PREP", "CONJ", "NPRO"}:
            role, rule = "place", "adjective + city"  # «маленьким Парижем», «современная Москва»
        elif _listed_with_places(corpus, f, l_, surface, same, names, actor_token):
            role, rule = "place", "listed with other places"
        elif re.match(r"\s+[—–-]\s", look["texts"][int(look["doc"][f])][int(look["end"][l_]): int(look["end"][l_]) + 4]) and (p < 0 or low in ("если", "и")):
            role, rule = "place", "X — a description"  # «Париж — законодатель мод»
        elif low in ("в", "во") or (low == "у" and lang[f] == "uk"):
            before = lemma[p - 1] if p >= 1 and same(p, p - 1) else ""
            follow = [j for j in range(l_ + 1, min(l_ + 5, n)) if same(f, j)]
            speech = next((j for j in follow if lemma[j] in STATE_VERBS and _plural_or_impersonal(surface(j).lower(), lang[f])), None)
            # «как заявили в Кремле», «сообщили в Париже»: the speech verb right before the preposition
            spoken = p >= 1 and same(p, p - 1) and before in STATE_VERBS and _plural_or_impersonal(surface(p - 1).lower(), lang[f])
            if before in SOURCE_WORDS:
                role, rule = "state", "source in"
            elif before in ADDRESS_WORDS:
                role, rule = "state", "address"
            elif speech is not None or spoken:
                role, rule = "state", "locative + speech"
            else:
                role, rule = "place", "place preposition"
        elif low in _PLACE_PREPS:
            role, rule = "place", "place preposition"
        elif low in _STATE_PREPS:
            role, rule = "state", "state preposition"
        elif low in ("на",):
            role, rule = ("place", "на/с + case") if "loct" in g or "loc2" in g else ("state", "на/с + case")
        elif low in ("с", "со") or (low in ("з", "із", "зі") and lang[f] == "uk"):
            role, rule = ("state", "на/с + case") if "ablt" in g else ("place", "на/с + case")
        elif p >= 0 and lemma[p] in CITY_NOUNS and name not in _SEATS and ("gent" in g or "gen1" in g):
            role, rule = "place", "city noun"
        elif p >= 0 and ("gent" in g or "gen1" in g) and "nomn" not in g and "NOUN" in grammemes(low, lang[f]) and lemma[p] not in STATE_NOUNS and name not in _SEATS and not actor_token[p] and lemma[p] not in names_lemmas:
            role, rule = "place", "genitive of another noun"  # «единству Иерусалима»: not a position or policy
        elif p >= 0 and glued and lemma[p] in STATE_NOUNS and ("gent" in g or "gen1" in g):
            pass  # «позиция Берлина не изменилась»: the possessor, whatever verb follows (not «Берлина» the carriage)
        elif "nomn" in g and (not (g & {"gent", "datv", "accs", "ablt", "loct"} and p >= 0) or _verb_follows(surface, lang, f, l_, same, n)):
            verb = _clause_verb(lemma, surface, lang, f, l_, same, n)
            if verb is not None and verb not in STATE_VERBS and verb not in ACTION_VERBS:
                role, rule = "place", "subject of a non-political verb"  # «Иерусалим процветал»
        roles[k], rules[k] = role, rule
    return roles, rules


_PLACE_NOUNS = frozenset("область край район регион округ губерния республика".split())


def _listed_with_places(corpus: Corpus, f: int, l_: int, surface, same, names: set[str], actor_token: np.ndarray) -> bool:
    """«Москве, Санкт-Петербурге и Калининграде», «за Лондоном и Бирмингемом»: a list of places.

    True when a neighbour joined by «и» or a comma is a capitalised name that is not itself a
    capital or seat of the dictionary (a city, a region).
    """
    n = len(corpus.tokens)
    for j in (f - 2, f - 1, l_ + 1, l_ + 2):
        if not (0 <= j < n) or not same(f, j) or f <= j <= l_:
            continue
        word = surface(j)
        if not word[:1].isupper() or word.lower() in names or actor_token[j]:
            continue  # a capital or a state of the dictionary: «Москвы, Минска и Астаны», «Киев, США и ЕС»
        link = surface(j + 1).lower() if j < f else surface(j - 1).lower()
        if j in (f - 1, l_ + 1) or link == "и":
            look = _token_lookup(corpus)
            g = grammemes(word.lower(), str(look["lang"][j])) if str(look["lang"][j]) in ("ru", "uk") else frozenset()
            after = look["lemma"][j + 1] if j + 1 < n and same(f, j + 1) else ""
            if "Geox" in g or not g or str(after) in _PLACE_NOUNS:
                return True
    return False


def _verb_follows(surface, lang, f: int, l_: int, same, n: int) -> bool:
    """A finite verb within two words after the name: it is the subject («Иерусалим процветал»)."""
    for j in range(l_ + 1, min(n, l_ + 3)):
        if same(f, j):
            g = grammemes(surface(j).lower(), lang[f]) if lang[f] in ("ru", "uk") else frozenset()
            if "VERB" in g and not g & {"NOUN", "ADJF", "PREP", "CONJ"}:
                return True
    return False


def _clause_verb(lemma, surface, lang, f: int, l_: int, same, n: int) -> str | None:
    """The lemma of the finite verb a subject at ``f..l_`` goes with (the nearest after it, else before)."""
    for j in list(range(l_ + 1, min(n, l_ + 7))) + list(range(f - 1, max(-1, f - 5), -1)):
        if not same(f, j):
            continue
        g = grammemes(surface(j).lower(), lang[f]) if lang[f] in ("ru", "uk") else frozenset()
        if "VERB" in g and not g & {"NOUN", "ADJF", "PREP", "CONJ"}:
            return str(lemma[j])
    return None


def _plural_or_impersonal(word: str, lang: str) -> bool:
    """A verb form with no singular subject of its own: «заявили», «считают», «сообщается»."""
    g = grammemes(word, lang) if lang in ("ru", "uk") else frozenset()
    return "plur" in g or word.endswith(("ся", "сь")) or ("3per" in g and "plur" in g)


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------


def _alias_phrases(actors: pd.DataFrame, metonyms: bool) -> pd.DataFrame:
    rows = actors if metonyms else actors[~actors["metonym"]]
    rows = rows.reset_index(drop=True)
    letters = rows["alias"].map(lambda a: "".join(ch for ch in a if ch.isalpha()))
    return pd.DataFrame(
        {
            "pattern": rows.index,
            "phrase": rows["alias"].to_numpy(),
            "lang": rows["lang"].to_numpy(),
            # A capitalised alias only matches a capitalised word (Мир the name, not мир the
            # peace); an abbreviation only matches in capitals (ЕС, not ес).
            "first_upper": rows["alias"].str[:1].str.isupper().to_numpy(),
            "all_upper": ((letters.str.len() <= 5) & letters.str.isupper()).to_numpy(),
        }
    ), rows


@legacy()
def find_actors(corpus: Corpus, actors: pd.DataFrame | str | Path | None = None, *, metonyms: bool | str = True) -> pd.DataFrame:
    """Find every mention of every actor.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    actors : DataFrame, str or Path, optional
        An actor dictionary (:func:`load_actors` output or a path); default the bundled one.
    metonyms : bool or "all"
        ``True`` (default): metonyms are found and their ``role`` says whether each use stands
        for the state (counted) or is a place (kept for evidence, not counted); ``"all"``: every
        metonym counts as the state (the first version's rule); ``False``: metonyms are not
        looked for.

    Returns
    -------
    DataFrame
        One row per mention: ``doc_id``, ``actor``, ``label``, ``type``, ``surface``, ``start``,
        ``end``, ``sentence``, ``paragraph``, ``metonym``, ``role`` (``actor`` for a name,
        ``state`` or ``place`` for a metonym), ``rule`` (what decided the role),
        ``token_index`` (position of the first token within its document), ``first`` and
        ``last`` (rows of ``corpus.tokens``). ``text[start:end] == surface``. Sorted by
        document and offset.

    Notes
    -----
    Matching rules: the longest alias wins where aliases overlap (one mention of the US in
    «Соединенными Штатами Америки», one of Macron in «Эммануэль Макрон»); aliases never match
    part of a token (РБК-Украина is a media outlet, not Ukraine); a capitalised alias needs a
    capitalised first word, and an abbreviation of up to five capitals needs capitals.
    """
    if metonyms not in (True, False, "all"):
        raise ValueError("metonyms must be True (by use), 'all' or False.")
    table = _resolve(actors)
    # Made once per corpus and dictionary (notebook 02 asks for the same dictionary's mentions
    # three times): the stamp is the token table, the columns the rules read and a digest of the
    # dictionary as it is now.
    tokens = corpus.tokens
    digest = hashlib.blake2b(table.to_csv(index=False).encode("utf-8"), digest_size=16).hexdigest()
    stamp = (tokens, *(tokens[c].array for c in ("lemma", "token", "lang", "kind")), corpus.docs, corpus.lexicon, digest)
    return corpus.memo("actor_mentions", ("all" if metonyms == "all" else bool(metonyms),), stamp, lambda: _find_actors(corpus, table, metonyms))


def _find_actors(corpus: Corpus, table: pd.DataFrame, metonyms: bool | str) -> pd.DataFrame:
    """:func:`find_actors` on a loaded dictionary, computed (not from the corpus' memo)."""
    phrases, rows = _alias_phrases(table, metonyms is not False)
    patterns = corpus.patterns(phrases)
    found = match_phrases(corpus.tokens, patterns)
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    alias = rows.loc[found["pattern"].to_numpy().astype(int)].reset_index(drop=True)
    first, last = found["first"].to_numpy(), found["last"].to_numpy()
    doc_first = np.searchsorted(corpus.doc_codes, corpus.doc_codes[first], side="left")
    is_metonym = alias["metonym"].to_numpy(bool)
    role = np.where(is_metonym, "state", "actor").astype(object)
    rule = np.where(is_metonym, "all metonyms count", "name").astype(object)
    if metonyms is True and is_metonym.any():
        sel = np.flatnonzero(is_metonym)
        metonym_forms = {surface.lower() for surface in (corpus.tokens["token"].cat.categories.astype(str)[corpus.tokens["token"].cat.codes.to_numpy()[first[sel]]])}
        actor_token = np.zeros(len(corpus.tokens), dtype=bool)
        for a, b in zip(first[~is_metonym], last[~is_metonym]):
            actor_token[a: b + 1] = True
        r, why = metonym_roles(corpus, first[sel], last[sel], metonym_forms, actor_token)
        role[sel], rule[sel] = r, why
    texts = corpus.doc_texts
    doc = found["doc"].to_numpy()
    out = pd.DataFrame(
        {
            "doc_id": found["doc_id"].to_numpy(),
            "actor": alias["actor"].to_numpy(),
            "label": alias["label"].to_numpy(),
            "type": alias["type"].to_numpy(),
            "surface": [texts[d][a:b] for d, a, b in zip(doc, found["start"], found["end"])],
            "start": found["start"].to_numpy().astype(np.int64),
            "end": found["end"].to_numpy().astype(np.int64),
            "sentence": found["sentence"].to_numpy().astype(np.int64),
            "paragraph": found["paragraph"].to_numpy().astype(np.int64),
            "metonym": is_metonym,
            "role": role,
            "rule": rule,
            "token_index": (first - doc_first).astype(np.int64),
            "first": first.astype(np.int64),
            "last": last.astype(np.int64),
        }
    )
    return out.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)[MENTION_COLUMNS]


def counted(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions that count for their actor: every name, and metonyms that stand for the state."""
    if "role" not in mentions.columns:
        return mentions
    return mentions[mentions["role"] != "place"]


@legacy()
def mention_counts(corpus: Corpus, mentions: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Mentions per actor (per group), with documents and a rate per 10,000 tokens.

    Place uses of metonyms (``role == "place"``) are left out.

    Returns
    -------
    DataFrame
        ``[by,] actor, label, type, mentions, docs, doc_share, per_10k``; sorted by group, then
        mentions descending, then actor.
    """
    from helpers.frequency import group_sizes

    cols = corpus.check_columns(by)
    frame = corpus.meta(counted(mentions), cols) if cols else counted(mentions)
    out = frame.groupby([*cols, "actor", "label", "type"], observed=True).agg(mentions=("doc_id", "size"), docs=("doc_id", "nunique")).reset_index()
    sizes = group_sizes(corpus, cols)
    if cols:
        out = out.merge(sizes, on=cols, how="left", suffixes=("", "_group"))
        out["doc_share"] = out["docs"] / out["docs_group"]
        out["per_10k"] = out["mentions"] / out["tokens"] * stats.PER
        out = out.drop(columns=["docs_group", "tokens"])
    else:
        out["doc_share"] = out["docs"] / max(int(sizes["docs"].iloc[0]), 1)
        out["per_10k"] = out["mentions"] / max(int(sizes["tokens"].iloc[0]), 1) * stats.PER
    out = out.sort_values([*cols, "mentions", "actor"], ascending=[True] * len(cols) + [False, True], kind="stable")
    return out[[*cols, "actor", "label", "type", "mentions", "docs", "doc_share", "per_10k"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Co-occurrence
# --------------------------------------------------------------------------------------------


def _windows(corpus: Corpus, mentions: pd.DataFrame, within: str, window: int | None) -> tuple[pd.DataFrame, pd.Series]:
    """Which windows each actor is in, and the number of windows per document.

    Returns ``(presence, windows_per_doc)``: presence has one row per (window id, actor, doc).
    """
    m = counted(mentions)
    doc_pos = corpus.positions(m["doc_id"]).astype(np.int64)
    n_docs = len(corpus.docs)
    if window is None:
        check_within(within)
        if within == "document":
            per_doc = pd.Series(np.ones(n_docs, dtype=np.int64))
            wid = doc_pos
        else:
            per_doc = pd.Series(_units_per_doc(corpus, within))
            wid = doc_pos * (1 << 32) + m[within].to_numpy().astype(np.int64)
        return _first_in_window(wid, m["actor"].to_numpy(), doc_pos), per_doc
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError("window must be a positive number of tokens (or None for within units).")
    k = int(window)
    n_tok = np.bincount(corpus.doc_codes, minlength=n_docs)
    last_start = np.maximum(n_tok - k - 1, 0)
    per_doc = pd.Series(last_start + 1).where(n_tok > 0, 0).astype(np.int64)
    p = m["token_index"].to_numpy().astype(np.int64)
    lo = np.maximum(p - k, 0)
    hi = np.minimum(p, last_start[doc_pos])
    length = np.maximum(hi - lo + 1, 0)
    rep = np.repeat(np.arange(len(m)), length)
    starts = spans(lo, length)
    return _first_in_window(doc_pos[rep] * (1 << 32) + starts, m["actor"].to_numpy()[rep], doc_pos[rep]), per_doc


def _units_per_doc(corpus: Corpus, within: str) -> np.ndarray:
    """How many sentences (or paragraphs) each document has, in ``corpus.docs`` order.

    Counted as runs of one unit code, which is exact when every unit's tokens are contiguous in
    the token table (as the tokenizer writes them; checked: the code never decreases within a
    document); otherwise the distinct codes are counted per document.
    """
    units = unit_codes(corpus.tokens, within)
    doc = corpus.doc_codes
    n_docs = len(corpus.docs)
    if units.size == 0:
        return np.zeros(n_docs, dtype=np.int64)
    same_doc = doc[1:] == doc[:-1]
    if np.all(units[1:][same_doc] >= units[:-1][same_doc]):
        starts = np.r_[True, units[1:] != units[:-1]]
        return np.bincount(doc[starts], minlength=n_docs).astype(np.int64)
    return pd.Series(units).groupby(doc).nunique().reindex(range(n_docs), fill_value=0).to_numpy().astype(np.int64)


def _first_in_window(window: np.ndarray, actor: np.ndarray, doc: np.ndarray) -> pd.DataFrame:
    """``window``, ``actor``, ``doc`` of each actor's first mention in each window (input order kept).

    The same rows as ``drop_duplicates(["window", "actor"])``, found on one integer key per
    mention (window number × actors + actor number) instead of a grouping over both columns.
    """
    window_no, windows = pd.factorize(window)
    actor_no, actors = pd.factorize(actor, use_na_sentinel=False)
    key = window_no.astype(np.int64) * max(len(actors), 1) + actor_no
    first = ~pd.Series(key).duplicated().to_numpy()
    return pd.DataFrame({"window": window[first], "actor": actor[first], "doc": doc[first]}, index=np.flatnonzero(first))


def _pair_counts(window: np.ndarray, actor: np.ndarray) -> pd.DataFrame:
    """``a``, ``b`` (``a < b``) and ``n_ab``: the windows each pair of actors shares, by ``a`` then ``b``.

    ``(window, actor)`` rows are distinct. Each window's actors are sorted by id and every actor is
    paired with the ones after it, on integer codes: no join of the table with itself.
    """
    actor_no, actors = pd.factorize(actor, sort=True)  # codes in id order: a < b as codes is a < b as ids
    order = np.lexsort((actor_no, window))
    w, c = window[order], actor_no[order].astype(np.int64)
    n = len(w)
    starts = np.flatnonzero(np.r_[True, w[1:] != w[:-1]]) if n else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, n])
    later = np.repeat(starts + sizes, sizes) - np.arange(n) - 1  # the window's rows after each row
    first = np.repeat(np.arange(n), later)
    second = spans(np.arange(n) + 1, later)
    k = max(len(actors), 1)
    key = c[first] * k + c[second]
    if k * k <= max(1 << 22, 4 * key.size):
        count = np.bincount(key, minlength=k * k)
        pair = np.flatnonzero(count)
        count = count[pair]
    else:
        pair, count = np.unique(key, return_counts=True)
    values = np.asarray(actors, dtype=object)
    return pd.DataFrame({"a": values[pair // k], "b": values[pair % k], "n_ab": count.astype(np.int64)})


@legacy(rename={"window_unit": "within"})
def cooccurrence(
    corpus: Corpus,
    mentions: pd.DataFrame,
    within: str = "sentence",
    *,
    window: int | None = None,
    by: str | None = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """Association of every pair of actors that share a window.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    mentions : DataFrame
        Output of :func:`find_actors` (place uses of metonyms are left out).
    within : {"sentence", "paragraph", "document"}
        The unit of co-occurrence (default the sentence).
    window : int, optional
        Instead of a unit, a sliding window: two mentions co-occur when their first tokens are at
        most ``window`` tokens apart. The windows counted are every run of ``window + 1``
        consecutive tokens of a document (a shorter document is one window), so a pair near a
        block edge is never lost.
    by : str, optional
        A metadata column: statistics are computed within each group (``n_windows`` is then the
        group's window count).
    min_count : int
        Keep pairs with ``n_ab`` at least this.

    Returns
    -------
    DataFrame
        One row per pair (``a`` < ``b`` by id) and group: ``label_a``, ``label_b``, ``n_ab``
        (windows containing both), ``n_a``, ``n_b`` (windows containing each), ``n_windows``,
        and ``expected``, ``pmi``, ``npmi``, ``g2``, ``p_value``, ``jaccard``. Sorted by group,
        then ``g2`` descending, then ``a`` and ``b``. ``result.attrs`` keeps, per group, the
        window count and every actor's window count (:func:`compare_networks` uses them).

    Notes
    -----
    With ``N`` windows: ``expected = n_a·n_b/N``; ``pmi = log2(n_ab·N/(n_a·n_b))``;
    ``npmi = pmi / −log2(n_ab/N)`` (Bouma 2009), from −1 (never together) through 0
    (independent) to 1 (always together); ``g2`` is the 4-cell log-likelihood over
    ``[n_ab, n_a−n_ab; n_b−n_ab, N−n_a−n_b+n_ab]``, positive when the pair meets more often than
    expected; ``jaccard = n_ab/(n_a+n_b−n_ab)``. PMI alone over-rewards rare pairs (a pair seen
    once, of actors seen once, has the maximum PMI); read it with ``n_ab`` and ``g2``.
    """
    presence, per_doc = _windows(corpus, mentions, within, window)
    cols = corpus.check_columns(by)
    group_of_doc = corpus.groups(by).to_numpy() if cols else np.full(len(corpus.docs), "", dtype=object)
    presence = presence.assign(group=group_of_doc[presence["doc"].to_numpy()])
    n_windows = pd.Series(per_doc.to_numpy()).groupby(group_of_doc).sum()
    labels = mentions.drop_duplicates("actor").set_index("actor")["label"] if len(mentions) else pd.Series(dtype=object)
    results = []
    actor_windows = presence.groupby(["group", "actor"]).size().rename("n").reset_index()
    for group in sorted(n_windows.index):
        part = presence[presence["group"] == group]
        n = int(n_windows[group])
        n_actor = part.groupby("actor").size()
        n_ab = _pair_counts(part["window"].to_numpy(), part["actor"].to_numpy())
        n_ab = n_ab[n_ab["n_ab"] >= min_count]
        if n_ab.empty:
            continue
        n_ab["n_a"] = n_ab["a"].map(n_actor).to_numpy()
        n_ab["n_b"] = n_ab["b"].map(n_actor).to_numpy()
        n_ab["n_windows"] = n
        assoc = stats.association(n_ab["n_ab"], n_ab["n_a"], n_ab["n_b"], n_ab["n_windows"])
        block = pd.concat([n_ab.reset_index(drop=True), assoc.reset_index(drop=True)], axis=1)
        if cols:
            block.insert(0, by, group)
        results.append(block)
    out_cols = [*cols, "a", "b", "label_a", "label_b", "n_ab", "n_a", "n_b", "n_windows", "expected", "pmi", "npmi", "g2", "p_value", "jaccard"]
    if results:
        out = pd.concat(results, ignore_index=True)
        out["label_a"] = out["a"].map(labels).to_numpy()
        out["label_b"] = out["b"].map(labels).to_numpy()
        out = out.sort_values([*cols, "g2", "a", "b"], ascending=[True] * len(cols) + [False, True, True], kind="stable")[out_cols].reset_index(drop=True)
    else:
        out = pd.DataFrame(columns=out_cols)
    out.attrs["by"] = by
    out.attrs["windows"] = {str(k): int(v) for k, v in n_windows.items()}
    out.attrs["actors"] = {f"{g}\x1f{a}": int(v) for g, a, v in actor_windows.itertuples(index=False)}
    out.attrs["labels"] = {str(k): str(v) for k, v in labels.items()}
    return out


def cooccurrence_evidence(
    corpus: Corpus,
    mentions: pd.DataFrame,
    a: str | None,
    b: str | None,
    *,
    within: str = "sentence",
    window: int | None = None,
) -> pd.DataFrame:
    """The passages where actors ``a`` and ``b`` appear together, for every window type.

    ``match`` is the mention of ``a``; ``left`` and ``right`` are the rest of the sentence,
    paragraph or document (``within``), or, with a sliding ``window``, the text from the
    earlier mention to the later one plus a few tokens.

    Returns
    -------
    DataFrame
        ``doc_id``, ``sentence``, ``surface_a``, ``surface_b``, ``left``, ``match``, ``right``,
        one row per shared window (the first mention of ``a`` in it).
    """
    columns = ["doc_id", "sentence", "surface_a", "surface_b", "left", "match", "right"]
    if a is None or b is None:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    m = counted(mentions)
    ma, mb = m[m["actor"] == a], m[m["actor"] == b]
    if window is None:
        check_within(within)
        key = ["doc_id"] if within == "document" else ["doc_id", within]
        surf_b = mb.groupby(key)["surface"].agg(lambda s: "; ".join(dict.fromkeys(s))).rename("surface_b").reset_index()
        both = ma.merge(surf_b, on=key).drop_duplicates(key).rename(columns={"surface": "surface_a"})
        lines = concordance(corpus, both, window=None, within=within)
    else:
        pairs = ma.merge(mb, on="doc_id", suffixes=("_a", "_b"))
        pairs = pairs[(pairs["token_index_a"] - pairs["token_index_b"]).abs() <= int(window)]
        pairs = pairs.drop_duplicates(["doc_id", "first_a"]).rename(columns={"surface_a": "surface_a", "surface_b": "surface_b"})
        hits = pairs.assign(first=pairs[["first_a", "first_b"]].min(axis=1), last=pairs[["last_a", "last_b"]].max(axis=1), sentence=pairs["sentence_a"])
        lines = concordance(corpus, hits[["doc_id", "sentence", "first", "last", "surface_a", "surface_b"]], window=3)
    if lines.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    return lines.reindex(columns=columns)


def top_pair(table: pd.DataFrame, measure: str = "npmi", *, min_count: int = 0, absolute: bool = False) -> tuple[str | None, str | None]:
    """The ``(a, b)`` ids of the pair with the largest ``measure`` (``(None, None)`` if none).

    Pairs with fewer than ``min_count`` shared windows (column ``n_ab``) are skipped; with
    ``absolute=True`` the largest absolute value wins (for differences between groups).
    """
    count_col = "n_ab" if "n_ab" in table.columns else next((c for c in table.columns if c.startswith("n_ab")), None)
    rows = table
    if min_count and count_col is not None:
        rows = rows[rows[[c for c in table.columns if c.startswith("n_ab")]].max(axis=1) >= min_count]
    rows = rows[rows[measure].notna()]
    if rows.empty:
        return None, None
    key = rows[measure].abs() if absolute else rows[measure]
    best = rows.assign(_k=key.to_numpy()).sort_values(["_k", "a", "b"], ascending=[False, True, True], kind="stable").iloc[0]
    return best["a"], best["b"]


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------


@legacy(rename={"threshold": "min_value"}, frames=False)
def actor_network(
    edges: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    measure: str = "npmi",
    min_value: float | None = 0.0,
    min_count: int = 2,
):
    """Build a networkx graph of actors from :func:`cooccurrence` rows.

    Parameters
    ----------
    edges : DataFrame
        Output of :func:`cooccurrence` (for one group; filter first when ``by`` was used).
    mentions : DataFrame, optional
        Mentions, to give every node its ``mentions`` count (node size in plots).
    measure : str
        Column used as edge ``weight`` (``npmi``, ``g2``, ``pmi``, ``jaccard``, ``n_ab``).
    min_value : float, optional
        Keep edges whose measure is above this (None keeps all).
    min_count : int
        Keep edges with at least this many shared windows.

    Returns
    -------
    networkx.Graph
        Nodes carry ``label``, ``type`` and ``mentions``; edges carry every statistic and ``weight``.
    """
    import networkx as nx

    if measure not in edges.columns:
        raise ValueError(f"measure must be a column of the co-occurrence table, e.g. npmi or g2; got {measure!r}.")
    kept = edges[edges["n_ab"] >= min_count]
    if min_value is not None:
        kept = kept[kept[measure] > min_value]
    graph = nx.Graph(measure=measure)
    ends = set(kept["a"]) | set(kept["b"])
    if mentions is not None and len(mentions):
        info = counted(mentions).groupby(["actor", "label", "type"]).size().rename("mentions").reset_index()
        for row in info.sort_values("actor", kind="stable").itertuples(index=False):
            if row.actor in ends:
                graph.add_node(row.actor, label=row.label, type=row.type, mentions=int(row.mentions))
    for row in kept.sort_values(["a", "b"], kind="stable").to_dict("records"):
        attrs = {k: (float(v) if isinstance(v, (float, np.floating)) else int(v) if isinstance(v, (int, np.integer)) else v) for k, v in row.items() if k not in ("a", "b")}
        graph.add_edge(row["a"], row["b"], weight=float(row[measure]), **attrs)
        for node, label in ((row["a"], row["label_a"]), (row["b"], row["label_b"])):
            graph.nodes[node].setdefault("label", label)
    return graph


def ego_network(graph, actor: str, radius: int = 1):
    """The sub-graph of ``actor`` and its neighbours up to ``radius`` steps away."""
    import networkx as nx

    if actor not in graph:
        raise ValueError(f"{actor!r} is not in the network; its nodes are {sorted(graph.nodes)[:10]}…")
    return nx.ego_graph(graph, actor, radius=radius)


def _group_of(table: pd.DataFrame) -> str:
    by = table.attrs.get("by")
    if by and by in table.columns and len(table):
        values = table[by].unique()
        if len(values) == 1:
            return str(values[0])
    windows = table.attrs.get("windows", {})
    return next(iter(windows)) if len(windows) == 1 else ""


def compare_networks(
    edges_a: pd.DataFrame,
    edges_b: pd.DataFrame,
    *,
    measure: str = "npmi",
    min_count: int = 2,
    names: tuple[str, str] = ("a", "b"),
    p_adjust: str = "bh",
) -> pd.DataFrame:
    """How two groups connect the same actors: both values, their difference and a test.

    Parameters
    ----------
    edges_a, edges_b : DataFrame
        :func:`cooccurrence` rows of each group (e.g. ``edges[edges["outlet"] == "X"]``).
    measure : str
        The association compared (``npmi`` by default).
    min_count : int
        A pair is listed when it shares at least ``min_count`` windows in one of the groups.
        Its values in the other group are always kept, however small: a pair that never meets
        there has ``n_ab`` 0 and NPMI −1 when both actors occur in that group (NaN only when an
        actor does not occur there at all).
    names : (str, str)
        Labels of the two groups in the column names.
    p_adjust : {"bh", "bonferroni"}
        Correction of the per-edge p-values across the edges listed.

    Returns
    -------
    DataFrame
        ``a``, ``b``, ``label_a``, ``label_b``, then for each group ``n_ab_<name>``,
        ``n_windows_<name>`` and ``<measure>_<name>``, then ``difference`` (first minus second),
        ``p_value`` (the difference between the shares of windows the pair shares,
        :func:`helpers.stats.compare_proportions`) and ``p_adjusted``. Sorted by absolute
        difference, largest first, then the actor ids.
    """
    left, right = names
    if left == right:
        raise ValueError(f"Name the two groups differently (got {left!r} twice): they label the columns.")
    listed = pd.concat([edges_a.loc[edges_a["n_ab"] >= min_count, ["a", "b"]], edges_b.loc[edges_b["n_ab"] >= min_count, ["a", "b"]]]).drop_duplicates()
    labels = {**edges_a.attrs.get("labels", {}), **edges_b.attrs.get("labels", {})}
    for table in (edges_a, edges_b):
        labels.update(dict(zip(table["a"], table["label_a"])))
        labels.update(dict(zip(table["b"], table["label_b"])))
    out = listed.sort_values(["a", "b"], kind="stable").reset_index(drop=True)
    out["label_a"] = out["a"].map(labels)
    out["label_b"] = out["b"].map(labels)
    counts = {}
    for name, table in ((left, edges_a), (right, edges_b)):
        group = _group_of(table)
        windows = table.attrs.get("windows", {}).get(group)
        actor_n = table.attrs.get("actors", {})
        merged = out[["a", "b"]].merge(table[["a", "b", "n_ab", "n_a", "n_b", "n_windows", measure]], on=["a", "b"], how="left")
        n_ab = merged["n_ab"].fillna(0).to_numpy(dtype=float)
        n_w = merged["n_windows"].fillna(windows if windows is not None else np.nan).to_numpy(dtype=float)
        value = merged[measure].to_numpy(dtype=float).copy()
        missing = np.isnan(value)
        if missing.any():
            na = np.array([actor_n.get(f"{group}\x1f{x}", 0) for x in merged["a"]], dtype=float)
            nb = np.array([actor_n.get(f"{group}\x1f{x}", 0) for x in merged["b"]], dtype=float)
            both = missing & (na > 0) & (nb > 0) & ~np.isnan(n_w)
            if both.any():
                filled = stats.association(np.zeros(both.sum()), na[both], nb[both], n_w[both])[measure].to_numpy()
                value[both] = filled
        out[f"n_ab_{name}"] = n_ab.astype(np.int64)
        out[f"n_windows_{name}"] = n_w
        out[f"{measure}_{name}"] = value
        counts[name] = (n_ab, n_w)
    out["difference"] = out[f"{measure}_{left}"] - out[f"{measure}_{right}"]
    (k1, n1), (k2, n2) = counts[left], counts[right]
    ok = ~(np.isnan(n1) | np.isnan(n2))
    p = np.full(len(out), np.nan)
    if ok.any():
        p[ok] = stats.compare_proportions(k1[ok], n1[ok], k2[ok], n2[ok])["p_value"].to_numpy()
    out["p_value"] = p
    out["p_adjusted"] = stats.adjust_p(out["p_value"], p_adjust).to_numpy() if len(out) else []
    out["_abs"] = out["difference"].abs()
    out = out.sort_values(["_abs", "a", "b"], ascending=[False, True, True], na_position="last", kind="stable").drop(columns="_abs")
    return out.reset_index(drop=True)


def export_network(graph, path: str | Path) -> Path:
    """Write the graph as GEXF (``.gexf``) or GraphML (``.graphml``) for Gephi."""
    import networkx as nx

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gexf":
        nx.write_gexf(graph, path)
    elif path.suffix == ".graphml":
        nx.write_graphml(graph, path)
    else:
        raise ValueError("Export to a .gexf or .graphml file.")
    return path


# --------------------------------------------------------------------------------------------
# Actors of this story: suggestions from named entities, coverage, provisional actors
# --------------------------------------------------------------------------------------------

#: Columns of :func:`suggest_actors` (the first six are the actor dictionary's).
SUGGESTION_COLUMNS = ["actor", "label", "type", "alias", "metonym", "lang", "mentions", "documents", "example"]

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}  # fmt: skip
#: Head words of place names that are not states: «Балтийское море», «Амстердам» is typed by its head.
_PLACE_HEADS = frozenset(
    "море океан залив река озеро остров полуостров пролив город область край район регион улица площадь проспект "
    "горы гора долина пустыня бухта канал порт аэропорт"
    .split()
)
#: The states (and blocs) a LOC entity may be: anything else typed LOC is a place.
_STATE_NAMES = frozenset(
    "россия украина сша америка германия франция великобритания британия англия китай япония польша италия турция "
    "канада беларусь белоруссия казахстан грузия армения азербайджан молдова молдавия латвия литва эстония финляндия "
    "швеция норвегия дания нидерланды голландия бельгия австрия швейцария испания португалия греция венгрия чехия "
    "словакия румыния болгария сербия хорватия израиль иран ирак сирия египет индия пакистан афганистан корея кндр "
    "оаэ саудовский катар ливия вьетнам бразилия мексика аргентина куба венесуэла рф фрг кнр ес евросоюз нато оон "
    "узбекистан таджикистан киргизия кыргызстан туркмения туркменистан абхазия монголия австралия ливан иордания"
    .split()
)


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


def _mode(values: Sequence[Any]) -> Any:
    """Most frequent value; ties go to the smallest (so the result does not depend on row order)."""
    counts = Counter(values)
    best = max(counts.values())
    return min(v for v, c in counts.items() if c == best)


def _entity_type(ent_type: str, normal: str) -> str:
    """A first guess of the actor type of an entity: person, organisation, state or place."""
    if ent_type == "PER":
        return "person"
    if ent_type == "ORG":
        return "organisation"
    words = normal.lower().replace("ё", "е").split()
    if any(w in _PLACE_HEADS for w in words):
        return "place"
    if any(w.rstrip(".") in _STATE_NAMES or w.startswith(tuple(_STATE_NAMES)) and len(words) > 1 for w in words):
        return "state"
    return "place"


def _merge_aliases(groups: pd.DataFrame) -> pd.DataFrame:
    """Merge entities that are one actor: a surname alone with the full name, an abbreviation.

    ``groups`` has ``key`` (lemma sequence), ``label``, ``type``, ``mentions``. A person key of
    one word joins the unique person key of two or more words that ends with it («Маас» →
    «Хайко Маас»); an organisation whose initials are another's key joins it.
    """
    target: dict[tuple, tuple] = {}
    persons = groups[groups["type"] == "person"]
    full = [k for k in persons["key"] if len(k) >= 2]
    for k in persons["key"]:
        if len(k) == 1:
            ends = [f for f in full if f[-1] == k[0]]
            if len(ends) == 1:
                target[k] = ends[0]
    orgs = groups[groups["type"] != "person"]
    for k, label in zip(orgs["key"], orgs["label"]):
        words = label.split()
        if len(words) >= 2:
            initials = "".join(w[0] for w in words if w[:1].isalpha()).lower()
            for k2 in orgs["key"]:
                if len(k2) == 1 and k2[0] == initials and k2 != k:
                    target[k2] = k
    return groups.assign(key=[target.get(k, k) for k in groups["key"]])


def suggest_actors(
    entities: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    corpus: Corpus | None = None,
    min_count: int = 2,
    top: int | None = 50,
) -> pd.DataFrame:
    """Rank frequent entities that the actor dictionary does not cover yet.

    Parameters
    ----------
    entities : DataFrame
        Output of :func:`helpers.entities.discover_entities` (``doc_id``, ``surface``,
        ``normal``, ``type``).
    actors : DataFrame
        The actor dictionary: at least ``alias`` (and ``actor`` to keep ids unique). An entity is
        covered when the lemma sequence of its ``normal`` equals that of some alias.
    corpus : Corpus, optional
        The corpus the entities come from: its lemmas key the names (:meth:`Corpus.key`).
    min_count : int
        Keep entities mentioned at least this many times (default 2).
    top : int or None
        Keep the ``top`` most mentioned (default 50); None keeps all.

    Returns
    -------
    DataFrame
        Rows ready to paste into the dictionary after review, sorted by ``mentions`` (desc) then
        ``label``: ``actor`` (an id transliterated from the name, unique against the dictionary
        and the other suggestions), ``label`` and ``alias`` (the base form), ``type`` (person,
        organisation; a LOC entity is ``state`` when it names a country or bloc, else ``place``:
        seas, cities, regions), ``metonym`` (False), ``lang`` ("ru"), ``mentions``,
        ``documents`` and ``example`` (the most frequent surface form).

    Notes
    -----
    Mentions whose base forms share a lemma sequence are counted together (``Клинтоны`` and
    ``Клинтон``); a surname alone joins the one full name that ends with it (``Маас`` and
    ``Хайко Маас``); an abbreviation joins the name whose initials it is. The label is the group's
    most frequent full base form, the type its most frequent type.
    """
    for name, frame, needed in (("entities", entities, ("doc_id", "surface", "normal", "type")), ("actors", actors, ("alias",))):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}.")
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            hint = "pass the output of discover_entities()" if name == "entities" else "load corpus/actors.csv (columns actor, label, type, alias, metonym)"
            raise ValueError(f"{name} lacks column(s) {missing}; {hint}.")
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}.")
    if top is not None and top < 0:
        raise ValueError(f"top must be None or a non-negative int, got {top}.")
    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("mentions", "documents") else ("bool" if c == "metonym" else "object")) for c in SUGGESTION_COLUMNS})
    # The per-document entity (a surname alone takes the full name of the same person in the
    # document: «Маас» → «Хайко Маас») when discover_entities gave it, else the mention's normal form.
    ents = entities.dropna(subset=["normal"])
    if "entity" in ents.columns:
        ents = ents.assign(normal=ents["entity"].where(ents["entity"].notna() & (ents["entity"].astype(str) != ""), ents["normal"]), _mention=ents["normal"])
    else:
        ents = ents.assign(_mention=ents["normal"])
    if ents.empty:
        return empty
    from helpers.text import lemma_key

    cache: dict[str, tuple[str, ...]] = {}

    def key_of(phrase: str) -> tuple[str, ...]:
        if phrase not in cache:
            cache[phrase] = tuple(corpus.key(phrase, "ru") if corpus is not None else lemma_key(phrase, "ru"))
        return cache[phrase]

    covered = {key_of(str(a)) for a in actors["alias"].dropna()}
    ents = ents.assign(_key=[key_of(str(n)) for n in ents["normal"]], _type=[_entity_type(t, str(n)) for t, n in zip(ents["type"], ents["normal"])])
    ents = ents[[bool(k) and k not in covered for k in ents["_key"]]]
    if ents.empty:
        return empty
    groups = ents.groupby("_key", sort=True).agg(label=("normal", _mode), type=("_type", _mode), mentions=("doc_id", "size")).reset_index().rename(columns={"_key": "key"})
    mapping = dict(zip(groups["key"], _merge_aliases(groups)["key"]))
    ents = ents.assign(_key=ents["_key"].map(mapping))
    ents = ents[[k not in covered for k in ents["_key"]]]
    rows = []
    for key, group in ents.groupby("_key", sort=True):
        if len(group) < min_count:
            continue
        full = group[group["normal"].str.split().str.len() == group["normal"].str.split().str.len().max()]
        label = _mode(list(full["normal"]))
        rows.append({"label": label, "type": _mode(list(group["_type"])), "alias": label, "metonym": False, "lang": "ru",
                     "mentions": len(group), "documents": group["doc_id"].nunique(), "example": _mode(list(group["surface"])),
                     "aliases": sorted(set(group["normal"]) | set(group["_mention"].astype(str)))})
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
    out = table[SUGGESTION_COLUMNS].reset_index(drop=True)
    out.attrs["aliases"] = {a: list(v) for a, v in zip(table["actor"], table["aliases"])}
    return out


def dictionary_rows(suggestions: pd.DataFrame) -> pd.DataFrame:
    """Suggestions as actor-dictionary rows: one row per alias (the full name and every merged form)."""
    aliases = suggestions.attrs.get("aliases", {})
    rows = []
    for rec in suggestions.to_dict("records"):
        for alias in aliases.get(rec["actor"], [rec["alias"]]):
            rows.append({"actor": rec["actor"], "label": rec["label"], "type": rec["type"], "alias": alias, "metonym": False, "lang": rec["lang"]})
    return pd.DataFrame(rows, columns=["actor", "label", "type", "alias", "metonym", "lang"]).drop_duplicates()


def coverage(entities: pd.DataFrame, mentions: pd.DataFrame) -> float:
    """Share of named-entity mentions that the dictionary finds (spans overlapping an actor mention)."""
    if entities.empty:
        return float("nan")
    e = entities[["doc_id", "start", "end"]].assign(doc_id=entities["doc_id"].astype(str), _i=np.arange(len(entities)))
    m = mentions[["doc_id", "start", "end"]].assign(doc_id=mentions["doc_id"].astype(str))
    both = e.merge(m, on="doc_id", suffixes=("", "_m"))
    hit = both[(both["start"] < both["end_m"]) & (both["start_m"] < both["end"])]["_i"].nunique()
    return hit / len(entities)


def with_provisional_actors(
    corpus: Corpus,
    entities: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    *,
    min_coverage: float = 0.5,
    min_count: int = 3,
    top: int = 40,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dictionary, grown by the story's own frequent entities when it covers too little.

    When the dictionary finds fewer than ``min_coverage`` of the named-entity mentions, the
    ``top`` most frequent discovered entities it misses are added as **provisional** actors
    (normalised, merged by alias, typed; see :func:`suggest_actors`).

    Returns
    -------
    dictionary : DataFrame
        The dictionary to use (the given one, plus the provisional rows when added).
    report : DataFrame
        ``coverage_before``, ``coverage_after``, ``added`` (actors) in one row; the added rows
        are in ``report.attrs["added"]`` (write them out as ``actors.csv`` to review and pass
        back).
    """
    base = _resolve(actors)
    before = coverage(entities, find_actors(corpus, base))
    added = pd.DataFrame(columns=["actor", "label", "type", "alias", "metonym", "lang"])
    dictionary = base
    if before < min_coverage:
        suggestions = suggest_actors(entities, base, corpus=corpus, min_count=min_count, top=top)
        added = dictionary_rows(suggestions)
        dictionary = pd.concat([base, added], ignore_index=True).sort_values(["actor", "lang", "alias"], kind="stable").reset_index(drop=True)
    after = coverage(entities, find_actors(corpus, dictionary)) if len(added) else before
    report = pd.DataFrame({"coverage_before": [before], "coverage_after": [after], "added": [added["actor"].nunique()]})
    report.attrs["added"] = added.to_dict("records")
    return dictionary, report
