"""Tests of helpers.entities and the name rules it uses (helpers.names), on hand-written text.

Every sentence here was written for these tests. The rule tests give the morphological tags by
hand (the tags natasha's tagger gives in such sentences), so they need pymorphy3's dictionary
but no NER model; the other tests run natasha's models, which ship inside the natasha wheel and
load offline (:func:`helpers.entities._models`).
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers import entities
from helpers.corpus import build_corpus
from helpers.entities import (
    ENTITY_COLUMNS,
    MorphToken,
    discover_entities,
    entity_forms,
    natasha_doc,
    normalize_entity,
    resolve_names,
    strip_alias,
)


def tokens(*spec: tuple[str, str, dict]) -> list[MorphToken]:
    """MorphTokens for words separated by one space: (text, pos, feats) each."""
    out, position = [], 0
    for text, pos, feats in spec:
        out.append(MorphToken(text, position, position + len(text), pos, feats))
        position += len(text) + 1
    return out


def in_context(sentence: str, surface: str, type: str) -> str:
    """Normalise ``surface`` with the tags natasha's tagger gives it inside ``sentence``."""
    start = sentence.index(surface)
    end = start + len(surface)
    doc = natasha_doc(sentence)
    found = [
        MorphToken(t.text, t.start - start, t.stop - start, t.pos, dict(t.feats))
        for t in doc.tokens
        if start <= t.start and t.stop <= end
    ]
    assert "".join(t.text for t in found) == surface.replace(" ", "")
    return normalize_entity(surface, type, found)


# --------------------------------------------------------------------------------------------
# The known bad cases on real news, as pure rules (tags given by hand, no NER model)
# --------------------------------------------------------------------------------------------


def test_feminine_first_name_beside_a_surname_tagged_masculine():
    # natasha tags «Викторию» Acc/Fem and «Нуланд» Acc/Masc: a tie of one vote each. «Викторию»
    # is a form of Виктория (f) and of Викторий (m), so the first name does not settle it; the
    # dictionary knows Нуланд as a feminine surname only. Before the rule: «Викторий Нуланд».
    mention = tokens(
        ("Викторию", "PROPN", {"Case": "Acc", "Gender": "Fem", "Number": "Sing"}),
        ("Нуланд", "PROPN", {"Case": "Acc", "Gender": "Masc", "Number": "Sing"}),
    )
    assert normalize_entity("Викторию Нуланд", "PER", mention) == "Виктория Нуланд"


def test_a_name_in_soft_sign_and_yu_is_indeclinable():
    # «-ью» is no case ending of a masculine name (Игорь → Игорю): «Пердью» stays. Before:
    # the dative rule made «Пердь» + soft sign = «Пердьь».
    masc = {"Case": "Ins", "Gender": "Masc", "Number": "Sing"}
    mention = tokens(("Дэвидом", "PROPN", masc), ("Пердью", "PROPN", masc))
    assert normalize_entity("Дэвидом Пердью", "PER", mention) == "Дэвид Пердью"
    # the masculine dative in -ю is still undone
    assert normalize_entity("Игорю", "PER", tokens(("Игорю", "PROPN", {"Case": "Dat", "Gender": "Masc", "Number": "Sing"}))) == "Игорь"


def test_unknown_place_follows_the_gender_of_its_tag():
    # pymorphy3 does not know «Неваде»; tagged feminine, it is the locative of «Невада» (before:
    # the masculine rule gave «Невад»). A masculine tag keeps the masculine rule: «Кэсоне» → «Кэсон».
    assert normalize_entity("Неваде", "LOC", tokens(("Неваде", "PROPN", {"Case": "Loc", "Gender": "Fem", "Number": "Sing"}))) == "Невада"
    assert normalize_entity("Кэсоне", "LOC", tokens(("Кэсоне", "PROPN", {"Case": "Loc", "Gender": "Masc", "Number": "Sing"}))) == "Кэсон"


def test_tie_between_adjective_lemmas_takes_the_one_in_oi():
    # pymorphy3 scores «окружного» 1/6 for окружный (qualitative) and 1/6 for окружной; the
    # first listed was окружный. Before: «Окружный суд».
    gen = {"Case": "Gen", "Gender": "Masc", "Number": "Sing"}
    court = tokens(("Окружного", "ADJ", gen), ("суда", "NOUN", gen))
    assert normalize_entity("Окружного суда", "ORG", court) == "Окружной суд"
    ins = {"Case": "Ins", "Gender": "Masc", "Number": "Sing"}
    theatre = tokens(("Большим", "ADJ", ins), ("театром", "NOUN", ins))
    assert normalize_entity("Большим театром", "ORG", theatre) == "Большой театр"  # not the comparative «больший»


def test_participle_tagged_as_proper_noun_agrees_with_its_head():
    # natasha tags both words PROPN, so «Соединённых» was taken for the head and the name was
    # left as written. The dictionary knows «соединённых» only as a participle.
    mention = tokens(
        ("Соединённых", "PROPN", {"Case": "Gen", "Gender": "Fem", "Number": "Sing"}),
        ("Штатов", "PROPN", {"Case": "Gen", "Gender": "Masc", "Number": "Plur"}),
    )
    assert normalize_entity("Соединённых Штатов", "LOC", mention) == "Соединенные Штаты"
    # tagged by pymorphy3 alone (no sentence), the same
    assert normalize_entity("Соединённых Штатов", "LOC") == "Соединенные Штаты"


def test_singular_nominative_is_not_read_as_a_plural_form():
    # «Мирзоянов» and «Лёв» are, for pymorphy3, genitive plurals only (of Мирзоян, of Лёва);
    # tagged Nom/Sing they are one man's nominative. A surname tagged oblique keeps its plural
    # reading: «Клинтонов» → «Клинтоны».
    nom = {"Case": "Nom", "Gender": "Masc", "Number": "Sing"}
    assert normalize_entity("Федор Мирзоянов", "PER", tokens(("Федор", "PROPN", nom), ("Мирзоянов", "PROPN", nom))) == "Федор Мирзоянов"
    assert normalize_entity("Йоахим Лёв", "PER", tokens(("Йоахим", "PROPN", nom), ("Лёв", "PROPN", nom))) == "Йоахим Лев"
    gen = {"Case": "Gen", "Gender": "Masc", "Number": "Sing"}
    assert normalize_entity("Клинтонов", "PER", tokens(("Клинтонов", "PROPN", gen))) == "Клинтоны"


def test_accusative_russian_surname_in_u_is_a_womans():
    # A man's accusative is «Иванова»; «Иванову» in the accusative is Иванова's. The dative
    # «Петрову» stays masculine.
    acc = {"Case": "Acc", "Gender": "Masc", "Number": "Sing"}
    assert normalize_entity("Марианну Иванову", "PER", tokens(("Марианну", "PROPN", acc), ("Иванову", "PROPN", acc))) == "Марианна Иванова"
    dat = {"Case": "Dat", "Gender": "Masc", "Number": "Sing"}
    assert normalize_entity("Ивану Петрову", "PER", tokens(("Ивану", "PROPN", dat), ("Петрову", "PROPN", dat))) == "Иван Петров"


def test_numbered_name_declines_its_word_only():
    # «потока-2» was an unknown word left as written: «Северный потока-2»
    gen = {"Case": "Gen", "Gender": "Masc", "Number": "Sing"}
    mention = tokens(("Северного", "ADJ", gen), ("потока-2", "NOUN", gen))
    assert normalize_entity("Северного потока-2", "ORG", mention) == "Северный поток-2"
    assert normalize_entity("Су-35", "ORG") == "Су-35"  # an abbreviation with a number stays


# --------------------------------------------------------------------------------------------
# The same cases in sentences, tagged by natasha
# --------------------------------------------------------------------------------------------

IN_CONTEXT = [
    ("Он пообещал Викторию Нуланд поддержку.", "Викторию Нуланд", "PER", "Виктория Нуланд"),
    ("Сенатор от Джорджии встретился с Дэвидом Пердью.", "Дэвидом Пердью", "PER", "Дэвид Пердью"),
    ("Выборы в Неваде прошли спокойно.", "Неваде", "LOC", "Невада"),
    ("Решение Окружного суда обжаловали.", "Окружного суда", "ORG", "Окружной суд"),
    ("Представители Соединённых Штатов прибыли в Женеву.", "Соединённых Штатов", "LOC", "Соединенные Штаты"),
    ("Посол Нидерландов вручил ноту.", "Нидерландов", "LOC", "Нидерланды"),
    ("Он встретился с Эммануэлем Макроном в Париже.", "Эммануэлем Макроном", "PER", "Эммануэль Макрон"),
    ("Заявление Марии Захаровой опубликовано на сайте.", "Марии Захаровой", "PER", "Мария Захарова"),
    ("Делегацию Уиткоффа приняли в Кремле.", "Уиткоффа", "PER", "Уиткофф"),
    ("Численность Вооруженных сил Украины обсуждается.", "Вооруженных сил Украины", "ORG", "Вооруженные силы Украины"),
]


@pytest.mark.parametrize(("sentence", "surface", "type", "expected"), IN_CONTEXT, ids=[c[1] for c in IN_CONTEXT])
def test_normal_forms_in_context(sentence, surface, type, expected):
    assert in_context(sentence, surface, type) == expected


# --------------------------------------------------------------------------------------------
# Entities: the fullest name in the document
# --------------------------------------------------------------------------------------------


def test_resolve_names_takes_the_only_fuller_name():
    names = ["Юрий Лужков", "Лужков", "Ю. Лужков", "Громов", "Юрий"]
    # «Лужков» and «Ю. Лужков» (the initial matches «Юрий») are covered by «Юрий Лужков» only;
    # «Юрий» too; «Громов» by nothing.
    assert resolve_names(names) == ["Юрий Лужков", "Юрий Лужков", "Юрий Лужков", "Громов", "Юрий Лужков"]


def test_resolve_names_leaves_ambiguous_names_alone():
    # two fuller names share «Клинтон» and neither covers the other
    assert resolve_names(["Билл Клинтон", "Хиллари Клинтон", "Клинтон"]) == ["Билл Клинтон", "Хиллари Клинтон", "Клинтон"]
    # but the fuller of two nested names wins: «Путин» ⊂ «Владимир Путин» ⊂ «Владимир Владимирович Путин»
    full = "Владимир Владимирович Путин"
    assert resolve_names(["Владимир Путин", "Путин", full]) == [full, full, full]
    # case and ё do not matter; the most frequent spelling is written
    assert resolve_names(["Лужков", "юрий лужков", "Юрий Лужков", "Юрий Лужков"]) == ["Юрий Лужков"] * 4
    assert resolve_names(["Пётр Порошенко", "Порошенко"]) == ["Пётр Порошенко", "Пётр Порошенко"]
    assert resolve_names([]) == []


def test_strip_alias():
    assert strip_alias("Джошуа Вольф (Joshua Wolf)") == "Джошуа Вольф"
    assert strip_alias("Комитет защиты журналистов (КЗЖ)") == "Комитет защиты журналистов"
    assert strip_alias("Союз координационных советов (СКС") == "Союз координационных советов"  # unclosed
    assert strip_alias("(СКС)") == "(СКС)"  # nothing would be left
    assert strip_alias("Организация Объединенных Наций") == "Организация Объединенных Наций"


def test_entity_forms_work_per_document():
    table = pd.DataFrame(
        {
            "doc_id": [1, 1, 1, 1, 2, 2],
            "type": ["PER", "ORG", "LOC", "PER", "PER", "ORG"],
            "start": [0, 20, 24, 40, 0, 10],
            "normal": ["Юрий Лужков", "МИД", "Россия", "Лужков", "Лужков", "ФАО (FAO)"],
            "dependent": ["", "России", "", "", "", ""],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    got = entity_forms(table)
    # document 2 names no «Юрий Лужков»: its «Лужков» stays
    assert got.to_dict() == {10: "Юрий Лужков", 11: "МИД России", 12: "Россия", 13: "Юрий Лужков", 14: "Лужков", 15: "ФАО"}


# --------------------------------------------------------------------------------------------
# discover_entities on hand-written news
# --------------------------------------------------------------------------------------------

DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c", "d"],
        "text": [
            "Мэр Москвы Юрий Лужков встретился с Борисом Громовым. Позже Лужков заявил, что МИД России поддержал план.",
            "Президент України провів зустріч у Києві. Він заявив, що Україна готова до переговорів із партнерами.",
            "Выборы в Неваде прошли спокойно. Сенатор Дэвид Пердью поздравил Викторию Нуланд.",
            "По словам Захаровой, представители Соединённых Штатов прибыли в Женеву.",
        ],
        "lang": ["ru", "uk", None, "ru"],
    }
)


@pytest.fixture(scope="module")
def found() -> pd.DataFrame:
    return discover_entities(DOCS, cache=False)


def test_columns_order_and_offsets(found):
    assert list(found.columns) == ENTITY_COLUMNS
    assert found["start"].dtype == "int64" and found["end"].dtype == "int64"
    pd.testing.assert_frame_equal(found, found.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True))
    texts = DOCS.set_index("doc_id")["text"]
    for row in found.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.surface


def test_discovery_finds_the_expected_entities(found):
    rows = set(zip(found["doc_id"], found["surface"], found["normal"], found["entity"], found["type"]))
    expected = {
        ("a", "Москвы", "Москва", "Москва", "LOC"),
        ("a", "Юрий Лужков", "Юрий Лужков", "Юрий Лужков", "PER"),
        ("a", "Борисом Громовым", "Борис Громов", "Борис Громов", "PER"),
        ("a", "Лужков", "Лужков", "Юрий Лужков", "PER"),  # the surname names the same person
        ("a", "МИД", "МИД", "МИД России", "ORG"),  # natasha splits «МИД России» into ORG + LOC
        ("a", "России", "Россия", "Россия", "LOC"),
        ("c", "Неваде", "Невада", "Невада", "LOC"),
        ("c", "Дэвид Пердью", "Дэвид Пердью", "Дэвид Пердью", "PER"),
        ("c", "Викторию Нуланд", "Виктория Нуланд", "Виктория Нуланд", "PER"),
        ("d", "Захаровой", "Захарова", "Захарова", "PER"),
        ("d", "Соединённых Штатов", "Соединенные Штаты", "Соединенные Штаты", "LOC"),
    }
    assert expected <= rows
    # per document, each entity once: document a names 5 (Москва, Юрий Лужков, Борис Громов,
    # МИД России, Россия) in 6 mentions
    per_doc = found.groupby("doc_id")["entity"].nunique().to_dict()
    assert per_doc["a"] == 5


def test_ukrainian_document_is_skipped_and_reported(found):
    assert "b" not in set(found["doc_id"])  # lang "uk": natasha's models are Russian only
    assert found.attrs["skipped"] == [{"doc_id": "b", "reason": "language", "lang": "uk"}]
    # a document without a language is read as Russian
    assert "c" in set(found["doc_id"])


def test_corpus_languages_are_reported_too():
    docs = DOCS.drop(columns="lang").iloc[:2]  # the languages are detected: a ru, b uk
    kept = build_corpus(docs, lang=None, cache=False, boilerplate=False)
    assert dict(zip(kept.docs["doc_id"], kept.docs["lang"])) == {"a": "ru", "b": "uk"}
    got = discover_entities(kept, cache=False)
    assert set(got["doc_id"]) == {"a"}
    assert got.attrs["skipped"] == [{"doc_id": "b", "reason": "language", "lang": "uk"}]
    # build_corpus(lang="main") sets the Ukrainian document aside already; it is still reported
    main = build_corpus(docs, cache=False, boilerplate=False)
    assert list(main.docs["doc_id"]) == ["a"]
    assert discover_entities(main, cache=False).attrs["skipped"] == [{"doc_id": "b", "reason": "language", "lang": "uk"}]


def test_empty_and_bad_input():
    empty = discover_entities(pd.DataFrame({"doc_id": [1], "text": ["  "]}), cache=False)
    assert list(empty.columns) == ENTITY_COLUMNS and empty.empty
    with pytest.raises(ValueError, match="doc_id"):
        discover_entities(pd.DataFrame({"text": ["Путин"]}), cache=False)
    with pytest.raises(TypeError, match="Corpus"):
        discover_entities(["Путин"], cache=False)


def test_cache_hit_skips_the_tagger(tmp_path, monkeypatch):
    docs = DOCS.iloc[[0, 2]]
    first = discover_entities(docs, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("entities-*.arrow"))) == 1

    def fail(text):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(entities, "natasha_doc", fail)
    pd.testing.assert_frame_equal(first, discover_entities(docs, cache_dir=tmp_path))
    # row order does not change the key; a changed text does
    pd.testing.assert_frame_equal(first, discover_entities(docs.iloc[::-1], cache_dir=tmp_path))
    with pytest.raises(AssertionError, match="cache"):
        discover_entities(docs.assign(text=docs["text"] + " Путин."), cache_dir=tmp_path)


def test_suggest_actors_moved_with_a_warning(found):
    from helpers import actors

    dictionary = pd.DataFrame({"actor": ["moscow"], "label": ["Москва"], "type": ["state"], "alias": ["Москва"], "metonym": [False]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = actors.suggest_actors(found, dictionary, min_count=1)
    with pytest.warns(DeprecationWarning, match="helpers.actors.suggest_actors"):
        got = entities.suggest_actors(found, dictionary, min_count=1)
    pd.testing.assert_frame_equal(got, expected)
    assert "Москва" not in set(got["label"])  # covered by the dictionary


# --------------------------------------------------------------------------------------------
# The benchmark's matching rule (benchmarks/eval_ner.py), on a made-up document
# --------------------------------------------------------------------------------------------


def _eval_ner():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "eval_ner.py"
    spec = importlib.util.spec_from_file_location("eval_ner", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_ner"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_benchmark_matching_rule_by_hand():
    ev = _eval_ner()
    forms = ev.person_forms({"firstname": ["Юрий"], "patronymic": ["Михайлович"], "lastname": ["Лужков"]})
    assert {"юрий лужков", "юрий михайлович лужков", "лужков юрий", "лужков юрий михайлович"} == forms
    gold = [
        ev.Entity("d", "PER", "1", forms),
        ev.Entity("d", "LOC", "2", {"россия", "рф"}),
        ev.Entity("d", "ORG", "3", {"мид россии"}),
    ]
    pairs = {"d": {("PER", "юрий лужков"), ("PER", "лужков"), ("LOC", "рф"), ("LOC", "россия"), ("ORG", "мид")}}
    scores, errors = ev.entity_scores(pairs, gold, ["d"])
    # PER: 1 of 2 pairs correct, 1 of 1 entity found: P 1/2, R 1, F1 2·0.5·1/1.5 = 2/3.
    # LOC: both pairs are forms of one entity: P 2/2, R 1/1. ORG: P 0/1, R 0/1.
    # all: P 3/5 = 0.6, R 2/3, F1 = 2·0.6·(2/3) / (0.6 + 2/3) = 0.8/1.2667 = 0.6316
    assert scores.loc["PER", "F1"] == pytest.approx(2 / 3)
    assert (scores.loc["LOC", "P"], scores.loc["LOC", "R"]) == (1.0, 1.0)
    assert scores.loc["ORG", "F1"] == 0.0
    assert scores.loc["all", "P"] == pytest.approx(0.6) and scores.loc["all", "R"] == pytest.approx(2 / 3)
    assert scores.loc["all", "F1"] == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    assert errors["wrong"] == [("d", "ORG", "мид"), ("d", "PER", "лужков")]


def test_docstring_examples_run():
    import doctest

    from helpers import names

    for module in (entities, names):
        result = doctest.testmod(module)
        assert result.attempted >= 2 and result.failed == 0, module.__name__
