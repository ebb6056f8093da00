"""Tests of actor matching, co-occurrence statistics (hand-computed) and networks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import actors
from helpers.text import lemma_key, tokenize

# A seed-like article written for the tests (the real seed article lives outside the project).
SEED_LIKE = (
    "В Париже создана группа для связи между странами коалиции добровольцев, Соединенными Штатами Америки и Украиной.\n"
    "Как сообщает РБК-Украина, об этом заявил президент Франции Эммануэль Макрон после саммита.\n"
    "Макрон отметил, что США будут руководить мониторингом, а союзники США и Украины согласовали позиции.\n"
    "Ключевой темой стала безопасность после войны с Россией. По данным Reuters, против РФ готовят санкции.\n"
    "Документ пока не утвержден, а давление на России экономику растет; вопрос обсудят в США."
)


@pytest.fixture(scope="module")
def seed_like():
    docs = pd.DataFrame({"doc_id": ["seed"], "lang": ["ru"], "text": [SEED_LIKE]})
    tokens = tokenize(docs, cache=False)
    return docs, tokens, actors.find_actors(docs, tokens=tokens)


def test_dictionary_loads_and_covers_the_story():
    table = actors.load_actors()
    assert set(table["type"]) <= set(actors.ACTOR_TYPES)
    assert table["actor"].nunique() >= 25
    for actor in ("macron", "usa", "russia", "ukraine", "rbc_ukraine", "tusk", "coalition", "sky_news", "reuters", "poland", "europe"):
        assert actor in set(table["actor"])
    assert table.loc[table["alias"] == "Кремль", "metonym"].all()


def test_seed_like_article_mentions(seed_like):
    docs, _, found = seed_like
    by_actor = found.groupby("actor")["surface"].apply(list).to_dict()
    assert by_actor["macron"] == ["Эммануэль Макрон", "Макрон"]
    assert by_actor["usa"] == ["Соединенными Штатами Америки", "США", "США", "США"]
    assert by_actor["russia"] == ["Россией", "РФ", "России"]
    assert by_actor["rbc_ukraine"] == ["РБК-Украина"]
    assert by_actor["ukraine"] == ["Украиной", "Украины"]  # never the «Украина» inside РБК-Украина
    assert "Америки" not in found["surface"].tolist()  # longest match: no extra mention
    for row in found.itertuples():
        assert docs.at[0, "text"][row.start:row.end] == row.surface
    assert list(found.columns[:9]) == ["doc_id", "actor", "label", "type", "surface", "start", "end", "sentence", "paragraph"]


def test_metonyms_can_be_switched_off(seed_like):
    docs, tokens, found = seed_like
    assert found.loc[found["surface"] == "Париже", "actor"].tolist() == ["france"]
    literal = actors.find_actors(docs, tokens=tokens, metonyms=False)
    assert "Париже" not in literal["surface"].tolist()


def test_case_rules():
    docs = pd.DataFrame({"doc_id": ["x"], "lang": ["ru"], "text": ["В ес нет правил, а ЕС решил. Белый дом молчит, белый дом у реки."]})
    found = actors.find_actors(docs)
    assert found["surface"].tolist() == ["ЕС", "Белый дом"]


def test_every_inflected_form_gets_the_dictionary_lemma_sequence():
    """Lemma consistency: names in the corpus and in the dictionary give the same key."""
    forms = {
        "Эммануэль Макрон": ["Эммануэля Макрона", "Эммануэлю Макрону", "Эммануэлем Макроном"],
        "Дмитрий Песков": ["Дмитрия Пескова", "Дмитрием Песковым"],
        "Фридрих Мерц": ["Фридриха Мерца", "Фридрихом Мерцем"],
        "Кир Стармер": ["Кира Стармера", "Киром Стармером", "Киру Стармеру"],
        "Джаред Кушнер": ["Джареда Кушнера", "Джаредом Кушнером"],
        "Кая Каллас": ["Каи Каллас", "Каей Каллас"],
        "Рустем Умеров": ["Рустема Умерова", "Рустемом Умеровым"],
        "Андрей Сибига": ["Андрея Сибиги", "Андреем Сибигой"],
        "Василий Небензя": ["Василия Небензи", "Василием Небензей"],
        "Марк Рютте": ["Марка Рютте", "Марком Рютте"],
        "Джорджа Мелони": ["Джорджи Мелони", "Джорджей Мелони"],
        "Дональд Туск": ["Дональда Туска", "Дональдом Туском"],
        "Соединенные Штаты Америки": ["Соединенных Штатов Америки", "Соединенными Штатами Америки"],
        "Российская Федерация": ["Российской Федерации", "Российскую Федерацию"],
        "Европейский союз": ["Европейского союза", "Европейским союзом"],
        "коалиция желающих": ["коалиции желающих", "коалицией желающих"],
        "Стив Уиткофф": ["Стива Уиткоффа", "Стивом Уиткоффом"],
        "Мария Захарова": ["Марии Захаровой", "Марией Захаровой"],
    }
    for name, inflected in forms.items():
        for form in inflected:
            assert lemma_key(form) == lemma_key(name), (form, name)


def _toy():
    # Sentences: d0 s0 {macron, tusk}, s1 {macron}, s2 {tusk}, s3 {peskov}; d1 s0 {peskov, macron}.
    docs = pd.DataFrame(
        {
            "doc_id": ["d0", "d1"],
            "outlet": ["A", "B"],
            "lang": ["ru", "ru"],
            "text": ["Макрон встретился с Туском. Макрон уехал. Туск остался. Песков молчал.", "Песков и Макрон спорили."],
        }
    )
    tokens = tokenize(docs, cache=False)
    return docs, tokens, actors.find_actors(docs, tokens=tokens)


def test_cooccurrence_by_hand():
    docs, tokens, found = _toy()
    table = actors.cooccurrence(found, "sentence", tokens=tokens).set_index(["a", "b"])
    assert set(table.index) == {("macron", "tusk"), ("macron", "peskov")}
    row = table.loc[("macron", "tusk")]
    # N = 5 sentences, n_a (macron) = 3, n_b (tusk) = 2, n_ab = 1.
    assert (row.n_ab, row.n_a, row.n_b, row.n_windows) == (1, 3, 2, 5)
    assert row.expected == pytest.approx(3 * 2 / 5)
    assert row.pmi == pytest.approx(math.log2(1 * 5 / (3 * 2)))
    assert row.npmi == pytest.approx(math.log2(5 / 6) / -math.log2(1 / 5))
    assert row.jaccard == pytest.approx(1 / (3 + 2 - 1))
    # 2x2 cells [1, 2; 1, 1]; expected [1.2, 1.8; 0.8, 1.2]; fewer than expected, so negative.
    g2 = 2 * (1 * math.log(1 / 1.2) + 2 * math.log(2 / 1.8) + 1 * math.log(1 / 0.8) + 1 * math.log(1 / 1.2))
    assert row.g2 == pytest.approx(-g2)
    assert row.label_a == "Эммануэль Макрон" and row.label_b == "Дональд Туск"


def test_cooccurrence_windows_and_groups():
    docs, tokens, found = _toy()
    by_doc = actors.cooccurrence(found, "document", tokens=tokens).set_index(["a", "b"])
    assert by_doc.loc[("macron", "peskov"), ["n_ab", "n_windows"]].tolist() == [2, 2]
    assert by_doc.loc[("peskov", "tusk") if ("peskov", "tusk") in by_doc.index else ("macron", "tusk"), "n_windows"] == 2
    blocks = actors.cooccurrence(found, 4, tokens=tokens)  # d0 has 10 tokens -> 3 blocks; d1 has 4 -> 1
    assert int(blocks["n_windows"].iloc[0]) == 4
    grouped = actors.cooccurrence(found, "sentence", by="outlet", tokens=tokens, docs=docs)
    assert grouped[["outlet", "a", "b", "n_ab", "n_windows"]].values.tolist() == [
        ["A", "macron", "tusk", 1, 4],
        ["B", "macron", "peskov", 1, 1],
    ]
    with pytest.raises(ValueError, match="window"):
        actors.cooccurrence(found, "page", tokens=tokens)


def test_networks_evidence_and_export(tmp_path):
    docs, tokens, found = _toy()
    edges = actors.cooccurrence(found, "document", tokens=tokens)
    graph = actors.actor_network(edges, found, measure="n_ab", threshold=None, min_count=1)
    assert sorted(graph.nodes) == ["macron", "peskov", "tusk"]
    assert graph.nodes["macron"]["mentions"] == 3
    assert graph.edges["macron", "peskov"]["weight"] == 2
    by_sentence = actors.actor_network(actors.cooccurrence(found, "sentence", tokens=tokens), found, measure="n_ab", threshold=None, min_count=1)
    assert sorted(actors.ego_network(by_sentence, "tusk").nodes) == ["macron", "tusk"]
    assert sorted(actors.ego_network(graph, "tusk").nodes) == ["macron", "peskov", "tusk"]
    for suffix in ("gexf", "graphml"):
        path = actors.export_network(graph, tmp_path / f"net.{suffix}")
        assert path.stat().st_size > 0 and "macron" in path.read_text(encoding="utf-8")
    evidence = actors.cooccurrence_evidence(docs, tokens, found, "macron", "tusk")
    assert evidence[["left", "match", "right"]].values.tolist() == [["", "Макрон", " встретился с Туском"]]


def test_compare_networks_difference():
    a = pd.DataFrame({"a": ["x", "x"], "b": ["y", "z"], "label_a": ["X", "X"], "label_b": ["Y", "Z"], "n_ab": [3, 5], "npmi": [0.5, 0.1]})
    b = pd.DataFrame({"a": ["x"], "b": ["y"], "label_a": ["X"], "label_b": ["Y"], "n_ab": [4], "npmi": [-0.2]})
    diff = actors.compare_networks(a, b, names=("A", "B"))
    assert diff[["a", "b"]].values.tolist() == [["x", "y"], ["x", "z"]]
    assert diff.loc[0, "difference"] == pytest.approx(0.7)
    assert pd.isna(diff.loc[1, "difference"])


def test_mention_counts_rates():
    docs, tokens, found = _toy()
    counts = actors.mention_counts(found, docs, by="outlet", tokens=tokens).set_index(["outlet", "actor"])
    assert counts.loc[("A", "macron"), "mentions"] == 2
    assert counts.loc[("A", "macron"), "per_10k"] == pytest.approx(2 / 10 * 10_000)
    assert counts.loc[("B", "peskov"), "doc_share"] == 1.0


def test_bad_dictionary_is_explained(tmp_path):
    bad = tmp_path / "actors.csv"
    bad.write_text("actor,label,type,alias\nx,X,planet,Марс\n", encoding="utf-8")
    with pytest.raises(ValueError, match="planet"):
        actors.load_actors(bad)
    bad.write_text("actor,label,alias\nx,X,Марс\n", encoding="utf-8")
    with pytest.raises(ValueError, match="type"):
        actors.load_actors(bad)
