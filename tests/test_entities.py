"""Tests of helpers.entities on hand-written sentences (no external data)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import entities
from helpers.entities import (
    ENTITY_COLUMNS,
    SUGGESTION_COLUMNS,
    MorphToken,
    actor_id,
    discover_entities,
    natasha_doc,
    normalize_entity,
    suggest_actors,
)

DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c", "d"],
        "text": [
            "Президент Франции Эммануэль Макрон позвонил Киру Стармеру.\nПосле этого Макрону ответил Фридрих Мерц.",
            "Мария Захарова заявила, что Москва не примет решения Европейского союза.",
            "В Киеве сообщили о встрече с Дональдом Туском.",
            "Президент США выступил в Вашингтоне.",
        ],
        "lang": ["ru", "ru", None, "uk"],
    }
)


def in_context(sentence: str, surface: str, type: str) -> str:
    """Normalise ``surface`` with the morphological tags it gets inside ``sentence``."""
    start = sentence.index(surface)
    end = start + len(surface)
    doc = natasha_doc(sentence)
    tokens = [
        MorphToken(t.text, t.start - start, t.stop - start, t.pos, dict(t.feats))
        for t in doc.tokens
        if start <= t.start and t.stop <= end
    ]
    assert "".join(t.text for t in tokens) == surface.replace(" ", "")
    return normalize_entity(surface, type, tokens)


# --------------------------------------------------------------------------------------------
# discover_entities
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def found() -> pd.DataFrame:
    return discover_entities(DOCS, cache=False)


def test_columns_types_and_order(found):
    assert list(found.columns) == ENTITY_COLUMNS
    assert found["start"].dtype == "int64" and found["end"].dtype == "int64"
    assert set(found["type"]) <= {"PER", "ORG", "LOC"}
    ordered = found.sort_values(["doc_id", "start"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(found, ordered)


def test_offsets_point_at_the_surface(found):
    texts = DOCS.set_index("doc_id")["text"]
    for row in found.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.surface


def test_mentions_and_normal_forms(found):
    pairs = set(zip(found["surface"], found["normal"], found["type"]))
    assert ("Киру Стармеру", "Кир Стармер", "PER") in pairs
    assert ("Макрону", "Макрон", "PER") in pairs
    assert ("Дональдом Туском", "Дональд Туск", "PER") in pairs
    assert ("Европейского союза", "Европейский союз", "LOC") in pairs
    assert ("Киеве", "Киев", "LOC") in pairs


def test_only_russian_or_unlabelled_documents(found):
    assert set(found["doc_id"]) == {"a", "b", "c"}  # "d" is marked uk
    no_lang = discover_entities(DOCS.drop(columns="lang").iloc[[3]], cache=False)
    assert "США" in set(no_lang["surface"])


def test_empty_and_bad_input():
    empty = discover_entities(pd.DataFrame({"doc_id": [1], "text": ["  "]}), cache=False)
    assert list(empty.columns) == ENTITY_COLUMNS and empty.empty
    with pytest.raises(ValueError, match="doc_id"):
        discover_entities(pd.DataFrame({"text": ["Путин"]}), cache=False)


def test_cache_hit_skips_the_tagger(tmp_path, monkeypatch):
    docs = DOCS.iloc[:2]
    first = discover_entities(docs, cache_dir=tmp_path)
    files = list(tmp_path.glob("entities-*.parquet"))
    assert len(files) == 1

    def fail(text):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(entities, "natasha_doc", fail)
    second = discover_entities(docs, cache_dir=tmp_path)
    pd.testing.assert_frame_equal(first, second)
    # row order does not change the key; a changed text does
    pd.testing.assert_frame_equal(first, discover_entities(docs.iloc[::-1], cache_dir=tmp_path))
    changed = docs.assign(text=docs["text"] + " Путин.")
    with pytest.raises(AssertionError, match="cache"):
        discover_entities(changed, cache_dir=tmp_path)


def test_no_cache_writes_nothing(tmp_path):
    discover_entities(DOCS.iloc[2:3], cache=False, cache_dir=tmp_path)
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------------------------
# normalize_entity: each known failure of natasha's span.normalize, in a real sentence
# --------------------------------------------------------------------------------------------

CASES = [
    # foreign surnames
    ("Елисейский дворец сообщил, что Макрону позвонил канцлер.", "Макрону", "PER", "Макрон"),
    ("Премьер встретился со Стармером на Даунинг-стрит.", "Стармером", "PER", "Стармер"),
    ("Зеленский провел переговоры с Мерцем в Берлине.", "Мерцем", "PER", "Мерц"),
    ("Об этом сообщил премьер-министр Польши вместе с Туском.", "Туском", "PER", "Туск"),
    ("Делегацию Уиткоффа приняли в Кремле.", "Уиткоффа", "PER", "Уиткофф"),
    ("Заявление Рютте прозвучало в Брюсселе.", "Рютте", "PER", "Рютте"),
    ("Позиция Урсулы фон дер Ляйен осталась прежней.", "Урсулы фон дер Ляйен", "PER", "Урсула фон дер Ляйен"),
    ("Слова Каллас вызвали споры в Москве.", "Каллас", "PER", "Каллас"),
    ("Сторонники Трампа вышли на улицы.", "Трампа", "PER", "Трамп"),
    # plural surnames: nominative plural
    ("Сторонники Клинтонов недовольны итогами выборов.", "Клинтонов", "PER", "Клинтоны"),
    ("Отношения с Клинтонами испортились.", "Клинтонами", "PER", "Клинтоны"),
    # plural-only and indeclinable places
    ("Посол Нидерландов вручил ноту.", "Нидерландов", "LOC", "Нидерланды"),
    ("Посол США вручил ноту.", "США", "LOC", "США"),
    ("Позиция Соединенных Штатов не изменилась.", "Соединенных Штатов", "LOC", "Соединенные Штаты"),
    # multi-word names normalised as a whole, genitive dependents kept
    ("Договор с Соединенными Штатами Америки подписан.", "Соединенными Штатами Америки", "LOC", "Соединенные Штаты Америки"),
    ("Президент Российской Федерации подписал указ.", "Российской Федерации", "LOC", "Российская Федерация"),
    ("Решение Европейского союза вступит в силу в марте.", "Европейского союза", "LOC", "Европейский союз"),
    ("Численность Вооруженных сил Украины обсуждается.", "Вооруженных сил Украины", "ORG", "Вооруженные силы Украины"),
    ("Генсек Организации Объединенных Наций выступил.", "Организации Объединенных Наций", "ORG", "Организация Объединенных Наций"),
    # first name + surname
    ("Орден вручили Петру Порошенко.", "Петру Порошенко", "PER", "Петр Порошенко"),
    ("Он встретился с Эммануэлем Макроном в Париже.", "Эммануэлем Макроном", "PER", "Эммануэль Макрон"),
    # female names
    ("Министры встретились с Каей Каллас в Брюсселе.", "Каей Каллас", "PER", "Кая Каллас"),
    ("Заявление Марии Захаровой опубликовано на сайте.", "Марии Захаровой", "PER", "Мария Захарова"),
    ("Премьер Италии Джорджа Мелони заявила, что Рим поддержит план.", "Джорджа Мелони", "PER", "Джорджа Мелони"),
    # Russian surnames the dictionary does not know
    ("Он поговорил с Борисом Налбандовым.", "Борисом Налбандовым", "PER", "Борис Налбандов"),
]


@pytest.mark.parametrize(("sentence", "surface", "type", "expected"), CASES, ids=[c[1] for c in CASES])
def test_normalize_entity_in_context(sentence, surface, type, expected):
    assert in_context(sentence, surface, type) == expected


def tag(text: str, **feats: str) -> list[MorphToken]:
    return [MorphToken(text, 0, len(text), "PROPN", feats)]


def test_rules_do_not_depend_on_the_tagger_beyond_its_tags():
    masc = {"Gender": "Masc", "Number": "Sing"}
    assert normalize_entity("Мерцем", "PER", tag("Мерцем", Case="Ins", **masc)) == "Мерц"
    assert normalize_entity("Уиткоффа", "PER", tag("Уиткоффа", Case="Gen", **masc)) == "Уиткофф"
    assert normalize_entity("Каллас", "PER", tag("Каллас", Case="Gen", Gender="Fem", Number="Sing")) == "Каллас"
    # the nominative is left alone
    assert normalize_entity("Макрон", "PER", tag("Макрон", Case="Nom", **masc)) == "Макрон"


def test_ambiguous_endings_use_corpus_evidence():
    loc = tag("Макроне", Case="Loc", Gender="Masc", Number="Sing")
    assert normalize_entity("Макроне", "PER", loc) == "Макроне"  # could be indeclinable, like Рютте
    assert normalize_entity("Макроне", "PER", loc, known={"макрон"}) == "Макрон"
    rutte = tag("Рютте", Case="Loc", Gender="Masc", Number="Sing")
    assert normalize_entity("Рютте", "PER", rutte, known={"макрон"}) == "Рютте"


def test_discover_entities_collects_evidence_across_documents():
    texts = ["Макрон прилетел в Киев.", "Об этом говорили при Макроне.", "Говорили и о Рютте."]
    found = discover_entities(pd.DataFrame({"doc_id": [1, 2, 3], "text": texts}), cache=False)
    normals = dict(zip(found["surface"], found["normal"]))
    assert normals["Макроне"] == "Макрон"  # "Макрон" is a nominative in document 1
    assert normals["Рютте"] == "Рютте"


def test_without_tokens_the_phrase_is_tagged_alone():
    assert normalize_entity("Соединенными Штатами Америки", "LOC") == "Соединенные Штаты Америки"
    assert normalize_entity("Марии Захаровой", "PER") == "Мария Захарова"
    assert normalize_entity("", "PER") == ""
    with pytest.raises(ValueError, match="PER"):
        normalize_entity("Москва", "CITY")


def test_yo_is_folded_and_case_follows_the_surface():
    assert in_context("Потери Вооружённых сил растут.", "Вооружённых сил", "ORG") == "Вооруженные силы"
    assert in_context("Глава МИДа выступил.", "МИДа", "ORG") == "МИД"


# --------------------------------------------------------------------------------------------
# suggest_actors
# --------------------------------------------------------------------------------------------

ACTORS = pd.DataFrame(
    {
        "actor": ["macron", "macron", "usa", "kallas"],
        "label": ["Эммануэль Макрон", "Эммануэль Макрон", "США", "Кая Каллас"],
        "type": ["person", "person", "state", "person"],
        "alias": ["Эммануэль Макрон", "Макрон", "Соединенные Штаты Америки", "Кая Каллас"],
        "metonym": [False, False, False, False],
    }
)


def entity_rows(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["doc_id", "surface", "normal", "type"])
    table["start"] = 0
    table["end"] = table["surface"].str.len()
    return table[ENTITY_COLUMNS]


ENTITIES = entity_rows(
    [
        (1, "Макрону", "Макрон", "PER"),
        (1, "Соединенными Штатами Америки", "Соединенные Штаты Америки", "LOC"),
        (1, "Мерцем", "Мерц", "PER"),
        (2, "Мерца", "Мерц", "PER"),
        (2, "Мерца", "Мерц", "PER"),
        (1, "Брюсселе", "Брюссель", "LOC"),
        (3, "Брюссель", "Брюссель", "LOC"),
        (3, "НАТО", "НАТО", "ORG"),
        (3, "НАТО", "НАТО", "ORG"),
        (2, "Клинтонов", "Клинтоны", "PER"),
        (3, "Клинтона", "Клинтон", "PER"),
        (4, "Каллас", "Каллас", "PER"),
        (4, "Каллас", "Каллас", "PER"),
        (4, "Мадрида", "Мадрид", "LOC"),
    ]
)


def test_suggest_actors_ranks_uncovered_entities():
    got = suggest_actors(ENTITIES, ACTORS)
    assert list(got.columns) == SUGGESTION_COLUMNS
    # Макрон and the US are covered; Мадрид has one mention only
    assert list(got["label"]) == ["Мерц", "Брюссель", "Каллас", "Клинтоны", "НАТО"]
    merz = got.iloc[0]
    assert merz["actor"] == "merts" and merz["type"] == "person" and merz["alias"] == "Мерц"
    assert merz["mentions"] == 3 and merz["documents"] == 2 and merz["example"] == "Мерца"
    assert not got["metonym"].any()
    assert (got["lang"] == "ru").all()  # rows paste into actors.csv as they are
    types = dict(zip(got["label"], got["type"]))
    assert types["Брюссель"] == "state" and types["НАТО"] == "organisation"
    # Клинтоны and Клинтон share a lemma key and are counted together
    assert got.set_index("label").loc["Клинтоны", "mentions"] == 2


def test_suggest_actors_options_and_ids():
    assert len(suggest_actors(ENTITIES, ACTORS, min_count=1)) == 6
    assert list(suggest_actors(ENTITIES, ACTORS, top=2)["label"]) == ["Мерц", "Брюссель"]
    taken = pd.concat([ACTORS, pd.DataFrame({"actor": ["merts"], "alias": ["Фридрих Мерц"]})])
    assert suggest_actors(ENTITIES, taken, top=1)["actor"].tolist() == ["merts_2"]
    none = suggest_actors(ENTITIES.iloc[:0], ACTORS)
    assert list(none.columns) == SUGGESTION_COLUMNS and none.empty
    with pytest.raises(ValueError, match="alias"):
        suggest_actors(ENTITIES, ACTORS.drop(columns="alias"))
    with pytest.raises(ValueError, match="discover_entities"):
        suggest_actors(ENTITIES.drop(columns="normal"), ACTORS)


def test_actor_id():
    assert actor_id("Кая Каллас") == "kaya_kallas"
    assert actor_id("Урсула фон дер Ляйен") == "ursula_fon_der_lyayen"
    assert actor_id("Financial Times") == "financial_times"
    assert actor_id("Щёлково-2") == "shchelkovo_2"
    assert actor_id("G7") == "g7" and actor_id("7 канал") == "a_7_kanal" and actor_id("…") == "actor"
