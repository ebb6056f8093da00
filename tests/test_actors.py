"""Tests of actor matching, metonyms by use, co-occurrence statistics (hand-computed) and networks.

Every text here was written for these tests in the manner of a news report; the actor
dictionary is the tests' own copy (``tests/fixtures/dictionaries/actors.csv``, see
``tests/conftest.py``), so editing ``corpus/actors.csv`` never changes a result here.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from helpers import actors
from helpers.corpus import build_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "actors"


# Every text of the mention and co-occurrence tests, in one corpus (matching a dictionary takes a
# while; each test takes its documents with ``part``). doc_id -> (language, outlet, text).
WORLD = {
    "scholz": ("ru", "X", "Канцлер Олаф Шольц прибыл на переговоры. Встреча с Шольцем длилась час. Позиция Шольца не изменилась."),
    "uk-names": ("uk", "X", "Зеленський провів зустріч. Зеленського підтримали союзники. Розмова із Зеленським тривала годину."),
    "case": ("ru", "X", "В ес нет правил, а ЕС решил. Белый дом молчит, белый дом у реки."),
    "longest": ("ru", "X", "Соединенными Штатами Америки руководят из Вашингтона."),
    "m1": ("ru", "X", "Встреча прошла в Париже. Делегация вылетела из Москвы. Саммит в Вашингтоне завершился."),
    "m2": ("ru", "X", "МОСКВА, 10 янв — РИА Новости. Кремль заявил, что давление на Киев растет."),
    "m3": ("ru", "X", "Позиция Берлина не изменилась. Вашингтон и Брюссель договорились о пошлинах."),
    "m4": ("ru", "X", "Как заявили в Кремле, ответ будет дан позже."),
    "uk-metonyms": ("uk", "X", "У Києві пройшла зустріч. Київ вимагає гарантій. Позиція Вашингтона не змінилася. У Брюсселі заявили про підтримку."),
    # A seed-like article: Paris is where the summit was, not France acting; Macron is named twice.
    "seed": ("ru", "X", "В Париже собрались лидеры коалиции добровольцев.\n"
                        "Как сообщает Reuters, президент Франции Эммануэль Макрон открыл встречу.\n"
                        "Макрон отметил, что работа продолжится."),
    "paris": ("ru", "X", "В Париже прошел саммит. Макрон выступил. Макрон уехал."),
    # Sentences: d0 s0 {macron, tusk}, s1 {macron}, s2 {tusk}, s3 {peskov}; d#1 s0 {peskov, macron}.
    "d0": ("ru", "A", "Макрон встретился с Туском. Макрон уехал. Туск остался. Песков молчал."),
    "d#1": ("ru", "B#2", "Песков и Макрон спорили."),
    # Token positions: 0 Вчера 1 вечером 2 выступил 3 Макрон 4 Туск 5 ответил 6 ему 7 сразу 8 а
    # 9 Песков 10 промолчал.
    "w": ("ru", "X", "Вчера вечером выступил Макрон, Туск ответил ему сразу, а Песков промолчал."),
    "a1": ("ru", "A", "Макрон встретился с Туском. Макрон и Туск спорили. Песков молчал."),
    "a2": ("ru", "A", "Туск уехал. Макрон остался. Песков и Макрон говорили."),
    "b1": ("ru", "B", "Макрон и Туск обсудили план. Песков ответил."),
    "b2": ("ru", "B", "Туск молчал. Макрон ждал. Песков и Туск спорили. Лавров уехал. Лавров вернулся."),
    "la": ("ru", "A", "Лавров и Туск спорили. Лавров и Туск договорились."),
    "lb": ("ru", "B", "Туск и Макрон встретились. Туск уехал."),
    "zel": ("ru", "X", "Зеленскому позвонили из Брюсселя. О Зеленском говорили весь день. Зеленского ждут."),
}


@pytest.fixture(scope="module")
def world():
    docs = pd.DataFrame([{"doc_id": d, "lang": lang, "outlet": outlet, "text": text} for d, (lang, outlet, text) in WORLD.items()])
    corpus = build_corpus(docs, lang=None, boilerplate=False, cache=False)  # («Песков молчал.» twice in A is news, not boilerplate)
    return corpus, actors.find_actors(corpus)


def part(world, *doc_ids: str):
    """The corpus of some documents of the world, and their mentions (token rows moved to it)."""
    corpus, found = world
    sub = corpus.select(list(doc_ids))
    mentions = found[found["doc_id"].isin(doc_ids)].reset_index(drop=True)
    doc_first = np.searchsorted(sub.doc_codes, np.arange(len(sub.docs)))
    first = doc_first[sub.positions(mentions["doc_id"])] + mentions["token_index"].to_numpy()
    return sub, mentions.assign(first=first, last=first + (mentions["last"] - mentions["first"]).to_numpy())


def rows(found: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in found[list(columns)].itertuples(index=False)]


# --------------------------------------------------------------------------------------------
# The dictionary
# --------------------------------------------------------------------------------------------


def test_fixture_dictionary_loads():
    table = actors.load_actors()
    assert set(table["type"]) <= set(actors.ACTOR_TYPES)
    assert list(table.columns) == ["actor", "label", "type", "alias", "metonym", "lang"]
    assert bool(table.loc[(table["alias"] == "Кремль") & (table["lang"] == "ru"), "metonym"].item())
    assert not table.loc[(table["alias"] == "Шольц") & (table["lang"] == "ru"), "metonym"].item()
    # sorted by actor, language and alias
    assert table[["actor", "lang", "alias"]].values.tolist() == sorted(table[["actor", "lang", "alias"]].values.tolist())


def test_bad_dictionary_is_explained(tmp_path):
    bad = tmp_path / "actors.csv"
    bad.write_text("actor,label,type,alias\nx,X,planet,Марс\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"actors.csv:2: type 'planet'"):
        actors.load_actors(bad)
    bad.write_text("actor,label,alias\nx,X,Марс\n", encoding="utf-8")
    with pytest.raises(ValueError, match="type"):
        actors.load_actors(bad)


def test_check_dictionary_lists_every_bad_row():
    # Each row of the fixture after the header (file line 3) carries one deliberate mistake.
    problems = actors.check_dictionary(FIXTURES / "bad_actors.csv", forms=False)
    assert rows(problems, "line", "actor", "problem") == [
        (4, "macron", "duplicate"),  # the row of line 3 again
        (5, "macron", "two labels"),  # «Макрон Э.» is not the label of line 3
        (6, "mars", "unknown type"),  # planet
        (7, "peskov", "metonym"),  # a person has no metonyms
        (7, "peskov", "shared alias"),  # «Песков» is also press_office's alias (line 11)
        (8, "russia", "metonym"),  # «maybe»
        (9, "russia", "unknown language"),  # de
        (10, "macron", "not nominative"),  # «Макрона» is a genitive
        (11, "press_office", "shared alias"),
        (12, "nobody", "missing value"),  # no label, no alias
    ]
    assert "planet" in problems.loc[problems["problem"] == "unknown type", "detail"].item()
    assert problems.loc[problems["line"] == 12, "detail"].item().startswith("no label, alias")


def test_check_dictionary_of_a_table_and_a_clean_file():
    table = pd.DataFrame({"actor": ["a", "b"], "label": ["A", "B"], "type": ["person", "state"], "alias": ["Туск", "Туск"]})
    problems = actors.check_dictionary(table, forms=False)
    assert problems["problem"].tolist() == ["shared alias", "shared alias"]
    assert problems["line"].isna().all()  # a table has no file lines
    # Every inflected form of these aliases is found as its actor: nothing to report.
    assert actors.check_dictionary(FIXTURES / "good_actors.csv").empty


def test_inflected_forms_follow_russian_grammar():
    # The accusative equals the nominative for inanimate nouns (dropped) and the genitive for
    # an animate masculine; «Марии Захаровой» is the genitive, dative and locative at once.
    assert actors.inflected_forms("Белый дом") == ["Белого дома", "Белому дому", "Белым домом", "Белом доме"]
    assert actors.inflected_forms("Мария Захарова") == ["Марии Захаровой", "Марию Захарову", "Марией Захаровой"]
    assert actors.inflected_forms("Дмитрий Песков") == ["Дмитрия Пескова", "Дмитрию Пескову", "Дмитрием Песковым", "Дмитрии Пескове"]
    # the genitive tail stays: only «Соединенные Штаты» declines
    assert actors.inflected_forms("Соединенные Штаты Америки") == [
        "Соединенных Штатов Америки", "Соединенным Штатам Америки", "Соединенными Штатами Америки", "Соединенных Штатах Америки",
    ]
    assert actors.inflected_forms("коалиция желающих") == ["коалиции желающих", "коалицию желающих", "коалицией желающих"]
    assert actors.inflected_forms("ЕС") == [] and actors.inflected_forms("Reuters") == []  # abbreviation, Latin script
    assert actors.inflected_forms("Київ", "uk") == ["Києва", "Києву", "Києвом", "Києві"]
    assert actors.inflected_forms("Macron", "en") == []


def test_check_dictionary_reports_forms_not_found(monkeypatch):
    # The reporting path, with forms chosen by hand: «Мерцу» is a form of another actor of the
    # dictionary, «Абвгдейка» of nobody.
    table = pd.DataFrame({"actor": ["scholz", "merz"], "label": ["Олаф Шольц", "Фридрих Мерц"], "type": "person", "alias": ["Шольц", "Мерц"]})
    forms = {"Шольц": ["Шольца", "Мерцу", "Абвгдейка"], "Мерц": []}
    monkeypatch.setattr(actors, "inflected_forms", lambda alias, lang="ru", cases=None: forms[alias])
    problems = actors.check_dictionary(table)
    assert problems["problem"].tolist() == ["inflected form", "inflected form"]
    assert problems["detail"].tolist() == [
        "'Абвгдейка' is not found at all: add it as an alias, or a lemma override for its words.",
        "'Мерцу' is found as merz ('Мерцу'): add it as an alias, or a lemma override for its words.",
    ]


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------


def test_inflected_forms_of_a_name_are_all_found(world):
    corpus, found = part(world, "scholz")
    scholz = found[found["actor"] == "scholz"]
    assert scholz["surface"].tolist() == ["Олаф Шольц", "Шольцем", "Шольца"]  # 3 of 3, one per sentence
    assert scholz["sentence"].tolist() == [0, 1, 2]
    text = corpus.text("scholz")
    assert all(text[a:b] == s for a, b, s in zip(found["start"], found["end"], found["surface"]))
    assert list(found.columns) == actors.MENTION_COLUMNS


def test_ukrainian_names_and_forms(world):
    _, found = part(world, "uk-names")
    assert rows(found, "actor", "surface", "role") == [
        ("zelensky", "Зеленський", "actor"), ("zelensky", "Зеленського", "actor"), ("zelensky", "Зеленським", "actor"),
    ]


def test_dative_and_locative_of_an_adjectival_surname(world):
    _, found = part(world, "zel")
    assert found["surface"].tolist() == ["Зеленскому", "Брюсселя", "Зеленском", "Зеленского"]


def test_case_rules(world):
    # «ес» in lower case is not the EU (an abbreviation needs capitals); «белый дом» by the river
    # is not the White House (a capitalised alias needs a capital).
    assert part(world, "case")[1]["surface"].tolist() == ["ЕС", "Белый дом"]


def test_longest_alias_wins(world):
    _, found = part(world, "longest")
    assert rows(found, "actor", "surface") == [("usa", "Соединенными Штатами Америки"), ("usa", "Вашингтона")]


def test_metonym_roles_by_use(world):
    _, found = part(world, "m1", "m2", "m3", "m4")
    assert rows(found[found["metonym"]], "doc_id", "surface", "role", "rule") == [
        ("m1", "Париже", "place", "place preposition"),
        ("m1", "Москвы", "place", "place preposition"),
        ("m1", "Вашингтоне", "place", "place preposition"),
        ("m2", "МОСКВА", "place", "dateline"),
        ("m2", "Кремль", "state", "subject, possessor or party"),
        ("m2", "Киев", "state", "на/с + case"),
        ("m3", "Берлина", "state", "subject, possessor or party"),
        ("m3", "Вашингтон", "state", "subject, possessor or party"),
        ("m3", "Брюссель", "state", "subject, possessor or party"),
        ("m4", "Кремле", "state", "locative + speech"),  # the speech verb before «в»
    ]
    names = found[~found["metonym"]]
    assert rows(names, "surface", "role", "rule") == [("РИА Новости", "actor", "name")]


def test_metonyms_all_and_off(world):
    corpus, _ = part(world, "m1", "m2", "m3", "m4")
    table = actors.load_actors()
    table = table[table["actor"].isin(["russia", "usa", "france", "germany", "ukraine", "eu", "ria"])]  # (quicker to match)
    every = actors.find_actors(corpus, table, metonyms="all")
    assert set(every.loc[every["metonym"], "role"]) == {"state"}
    assert set(every.loc[every["metonym"], "rule"]) == {"all metonyms count"}
    literal = actors.find_actors(corpus, table, metonyms=False)
    assert literal["surface"].tolist() == ["РИА Новости"]
    with pytest.raises(ValueError, match="metonyms"):
        actors.find_actors(corpus, metonyms="some")


def test_ukrainian_metonyms(world):
    _, found = part(world, "uk-metonyms")
    assert rows(found, "surface", "role", "rule") == [
        ("Києві", "place", "place preposition"),
        ("Київ", "state", "subject, possessor or party"),
        ("Вашингтона", "state", "subject, possessor or party"),
        ("Брюсселі", "state", "locative + speech"),
    ]


def test_seed_like_article_counts(world):
    corpus, found = part(world, "seed")
    assert rows(found, "actor", "surface", "role") == [
        ("france", "Париже", "place"), ("coalition", "коалиции добровольцев", "actor"), ("reuters", "Reuters", "actor"),
        ("france", "Франции", "actor"), ("macron", "Эммануэль Макрон", "actor"), ("macron", "Макрон", "actor"),
    ]
    assert "Париже" not in actors.counted(found)["surface"].tolist()
    counts = actors.mention_counts(corpus, found).set_index("actor")
    # Word tokens: 6 (В Париже собрались лидеры коалиции добровольцев) + 9 (Как сообщает Reuters
    # президент Франции Эммануэль Макрон открыл встречу) + 5 (Макрон отметил что работа
    # продолжится) = 20.
    assert int(corpus.docs["n_tokens"].iloc[0]) == 20
    assert counts.loc["macron", "mentions"] == 2
    assert counts.loc["macron", "per_10k"] == pytest.approx(2 / 20 * 10_000)
    assert counts.loc["france", "mentions"] == 1  # «Франции» as a name; «в Париже» does not count
    assert counts.loc["france", "per_10k"] == pytest.approx(1 / 20 * 10_000)
    assert counts.loc["macron", "docs"] == 1 and counts.loc["macron", "doc_share"] == 1.0
    c2 = actors.mention_counts(*part(world, "paris"))
    assert c2[["actor", "mentions"]].values.tolist() == [["macron", 2]]  # France 0: Paris was a place


def test_mention_counts_rates_by_group(world):
    corpus, found = part(world, "d0", "d#1")
    counts = actors.mention_counts(corpus, found, by="outlet").set_index(["outlet", "actor"])
    # A (d0) has 10 word tokens, B#2 (d#1) has 4.
    assert counts.loc[("A", "macron"), "mentions"] == 2
    assert counts.loc[("A", "macron"), "per_10k"] == pytest.approx(2 / 10 * 10_000)
    assert counts.loc[("A", "peskov"), "per_10k"] == pytest.approx(1 / 10 * 10_000)
    assert counts.loc[("B#2", "peskov"), "per_10k"] == pytest.approx(1 / 4 * 10_000)
    assert counts.loc[("B#2", "peskov"), "doc_share"] == 1.0
    # sorted by group, then mentions (desc), then actor
    assert [a for (g, a) in counts.index] == ["macron", "tusk", "peskov", "macron", "peskov"]


# --------------------------------------------------------------------------------------------
# Co-occurrence
# --------------------------------------------------------------------------------------------


def test_cooccurrence_by_hand(world):
    corpus, found = part(world, "d0", "d#1")
    table = actors.cooccurrence(corpus, found).set_index(["a", "b"])
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
    assert row.p_value == pytest.approx(sps.chi2.sf(g2, 1))
    assert row.label_a == "Эммануэль Макрон" and row.label_b == "Дональд Туск"
    with pytest.raises(ValueError, match="within"):
        actors.cooccurrence(corpus, found, "page")


def test_cooccurrence_documents_and_groups_with_hash_in_ids(world):
    corpus, found = part(world, "d0", "d#1")
    by_doc = actors.cooccurrence(corpus, found, "document").set_index(["a", "b"])
    # 2 documents: macron and peskov are in both, tusk in d0 only.
    assert by_doc.loc[("macron", "peskov"), ["n_ab", "n_a", "n_b", "n_windows"]].tolist() == [2, 2, 2, 2]
    assert by_doc.loc[("macron", "tusk"), ["n_ab", "n_windows"]].tolist() == [1, 2]
    grouped = actors.cooccurrence(corpus, found, by="outlet")
    # A: 4 sentences of d0; B#2: the one sentence of d#1.
    assert grouped[["outlet", "a", "b", "n_ab", "n_windows"]].values.tolist() == [["A", "macron", "tusk", 1, 4], ["B#2", "macron", "peskov", 1, 1]]
    per_doc = actors.cooccurrence(corpus, found, by="doc_id")
    assert per_doc[["doc_id", "a", "b", "n_windows"]].values.tolist() == [["d#1", "macron", "peskov", 1], ["d0", "macron", "tusk", 4]]
    assert per_doc.attrs["windows"] == {"d#1": 1, "d0": 4}
    assert per_doc.attrs["actors"]["d#1\x1fmacron"] == 1 and per_doc.attrs["actors"]["d0\x1fmacron"] == 2


def _brute_force_windows(positions: dict[str, list[int]], n_tokens: int, k: int) -> tuple[int, dict, dict]:
    """Every run of k + 1 consecutive tokens, and which actors have a mention in it."""
    starts = range(max(n_tokens - k, 1))
    inside = {a: {s for s in starts if any(s <= p <= s + k for p in ps)} for a, ps in positions.items()}
    pairs = {(a, b): len(inside[a] & inside[b]) for a in inside for b in inside if a < b}
    return len(starts), {a: len(w) for a, w in inside.items()}, pairs


def test_sliding_window_never_loses_a_pair_at_a_block_edge(world):
    corpus, found = part(world, "w")
    assert dict(zip(found["actor"], found["token_index"])) == {"macron": 3, "tusk": 4, "peskov": 9}
    table = actors.cooccurrence(corpus, found, window=3).set_index(["a", "b"])
    # Fixed blocks of 4 tokens ([0-3], [4-7], [8-10]) would put Macron (3) and Tusk (4) apart.
    # Sliding runs of 4 tokens: starts 0..7 (11 tokens - 3) = 8 windows. Macron is in the
    # windows starting 0..3 (4), Tusk in 1..4 (4), both in 1..3 (3); Peskov in 6..7 (2), never
    # with Macron (9 - 3 > 3) nor Tusk (9 - 4 > 3).
    assert table.loc[("macron", "tusk"), ["n_ab", "n_a", "n_b", "n_windows"]].tolist() == [3, 4, 4, 8]
    assert set(table.index) == {("macron", "tusk")}
    n, single, pairs = _brute_force_windows({"macron": [3], "tusk": [4], "peskov": [9]}, 11, 3)
    assert (n, single["macron"], single["tusk"], single["peskov"], pairs[("macron", "tusk")]) == (8, 4, 4, 2, 3)
    assert pairs[("macron", "peskov")] == pairs[("peskov", "tusk")] == 0
    wide = actors.cooccurrence(corpus, found, window=5).set_index(["a", "b"])
    # k = 5: 6 windows (starts 0..5); Tusk (4) and Peskov (9) are 5 apart: both in the run 4..9.
    assert wide.loc[("peskov", "tusk"), ["n_ab", "n_windows"]].tolist() == [1, 6]
    with pytest.raises(ValueError, match="window"):
        actors.cooccurrence(corpus, found, window=0)


def test_cooccurrence_evidence_for_units_and_windows(world):
    corpus, found = part(world, "d0", "d#1")
    sentence = actors.cooccurrence_evidence(corpus, found, "macron", "tusk")
    assert sentence[["doc_id", "sentence", "surface_a", "surface_b", "left", "match", "right"]].values.tolist() == [
        ["d0", 0, "Макрон", "Туском", "", "Макрон", " встретился с Туском"]
    ]
    document = actors.cooccurrence_evidence(corpus, found, "macron", "peskov", within="document")
    # one row per shared document, at the first mention of Macron, the whole document around it
    assert document[["doc_id", "left", "match", "right"]].values.tolist() == [
        ["d#1", "Песков и ", "Макрон", " спорили"],
        ["d0", "", "Макрон", " встретился с Туском. Макрон уехал. Туск остался. Песков молчал"],
    ]
    w, wf = part(world, "w")
    near = actors.cooccurrence_evidence(w, wf, "macron", "tusk", window=3)
    assert near["match"].tolist() == ["Макрон, Туск"]  # from the earlier mention to the later
    assert actors.cooccurrence_evidence(w, wf, "macron", "peskov", window=3).empty
    assert actors.cooccurrence_evidence(w, wf, None, "tusk").empty


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------


def test_actor_network_min_value_min_count_and_ego(world):
    corpus, found = part(world, "d0", "d#1")
    by_doc = actors.cooccurrence(corpus, found, "document")
    # N = 2 documents; macron and peskov in both, tusk in d0 only. npmi: macron–peskov n_ab = N
    # -> 1; macron–tusk log2(1*2/(2*1)) = 0 -> 0; peskov–tusk likewise 0.
    assert by_doc.set_index(["a", "b"])["npmi"].to_dict() == {("macron", "peskov"): 1.0, ("macron", "tusk"): 0.0, ("peskov", "tusk"): 0.0}
    kept = actors.actor_network(by_doc, found, min_count=1)  # min_value 0: edges with npmi > 0
    assert sorted(kept.edges) == [("macron", "peskov")]
    every = actors.actor_network(by_doc, found, measure="n_ab", min_value=None, min_count=1)
    assert sorted(every.nodes) == ["macron", "peskov", "tusk"]
    assert every.nodes["macron"]["mentions"] == 3 and every.nodes["tusk"]["label"] == "Дональд Туск"
    assert {e: every.edges[e]["weight"] for e in every.edges} == {("macron", "peskov"): 2.0, ("macron", "tusk"): 1.0, ("peskov", "tusk"): 1.0}
    assert every.edges["macron", "peskov"]["npmi"] == 1.0  # every statistic rides on the edge
    assert sorted(actors.actor_network(by_doc, found, measure="n_ab", min_value=None, min_count=2).edges) == [("macron", "peskov")]
    # In sentences, tusk meets macron only (d0 s0); peskov meets macron (d#1).
    by_sentence = actors.actor_network(actors.cooccurrence(corpus, found), found, measure="n_ab", min_value=None, min_count=1)
    assert sorted(actors.ego_network(by_sentence, "tusk").nodes) == ["macron", "tusk"]
    assert sorted(actors.ego_network(by_sentence, "tusk", radius=2).nodes) == ["macron", "peskov", "tusk"]
    with pytest.raises(ValueError, match="not in the network"):
        actors.ego_network(every, "putin")
    with pytest.raises(ValueError, match="measure"):
        actors.actor_network(by_doc, found, measure="weight")


def test_export_network_reads_back(world, tmp_path):
    corpus, found = part(world, "d0", "d#1")
    graph = actors.actor_network(actors.cooccurrence(corpus, found, "document"), found, measure="n_ab", min_value=None, min_count=1)
    for suffix, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        back = reader(actors.export_network(graph, tmp_path / "sub" / f"net.{suffix}"))
        assert sorted(back.nodes) == ["macron", "peskov", "tusk"]
        assert {tuple(sorted(e)): float(d["weight"]) for *e, d in back.edges(data=True)} == {("macron", "peskov"): 2.0, ("macron", "tusk"): 1.0, ("peskov", "tusk"): 1.0}
        assert back.nodes["macron"]["label"] == "Эммануэль Макрон"
    with pytest.raises(ValueError, match="gexf"):
        actors.export_network(graph, tmp_path / "net.png")


@pytest.fixture(scope="module")
def two_outlets(world):
    corpus, found = part(world, "a1", "a2", "b1", "b2")
    return corpus, found, actors.cooccurrence(corpus, found, by="outlet")


def test_compare_networks_keeps_small_values_and_tests_by_hand(two_outlets):
    _, _, edges = two_outlets
    a, b = edges[edges["outlet"] == "A"], edges[edges["outlet"] == "B"]
    diff = actors.compare_networks(a, b, names=("A", "B"), min_count=2).set_index(["a", "b"])
    # A (6 sentences): macron in 4, tusk in 3, peskov in 2; macron–tusk 2, macron–peskov 1.
    # B (7 sentences): macron in 2, tusk in 3, peskov in 2, lavrov in 2; macron–tusk 1, peskov–tusk 1.
    # Listed: macron–tusk (2 in A). Its B value (1 < min_count) is kept, not NaN.
    assert list(diff.index) == [("macron", "tusk")]
    row = diff.loc[("macron", "tusk")]
    assert (row.n_ab_A, row.n_windows_A, row.n_ab_B, row.n_windows_B) == (2, 6, 1, 7)
    npmi_a = math.log2(2 * 6 / (4 * 3)) / -math.log2(2 / 6)  # = 0
    npmi_b = math.log2(1 * 7 / (2 * 3)) / -math.log2(1 / 7)
    assert row.npmi_A == pytest.approx(npmi_a) and row.npmi_B == pytest.approx(npmi_b)
    assert row.difference == pytest.approx(npmi_a - npmi_b)
    # expected cells of [2, 4; 1, 6] are below 5: Fisher's exact test.
    assert row.p_value == pytest.approx(sps.fisher_exact([[2, 4], [1, 6]])[1])
    assert row.p_adjusted == pytest.approx(row.p_value)  # one test


def test_compare_networks_zero_missing_and_bh(two_outlets):
    _, _, edges = two_outlets
    a, b = edges[edges["outlet"] == "A"], edges[edges["outlet"] == "B"]
    diff = actors.compare_networks(a, b, names=("A", "B"), min_count=1).set_index(["a", "b"])
    assert set(diff.index) == {("macron", "tusk"), ("macron", "peskov"), ("peskov", "tusk")}
    # macron–peskov never meet in B though both occur there: n_ab 0 and NPMI -1 (not NaN).
    assert diff.loc[("macron", "peskov"), ["n_ab_B", "npmi_B"]].tolist() == [0, -1.0]
    assert diff.loc[("peskov", "tusk"), ["n_ab_A", "npmi_A"]].tolist() == [0, -1.0]
    # BH over the three p-values: p_(i) * 3 / i, then the running minimum from the largest.
    p = diff["p_value"].sort_values()
    expected = np.minimum.accumulate((p.to_numpy() * 3 / np.arange(1, 4))[::-1])[::-1]
    assert diff.loc[p.index, "p_adjusted"].to_numpy() == pytest.approx(np.minimum(expected, 1))
    with pytest.raises(ValueError, match="differently"):
        actors.compare_networks(a, b, names=("A", "A"))


def test_compare_networks_nan_when_an_actor_is_absent(world):
    corpus, found = part(world, "la", "lb")
    edges = actors.cooccurrence(corpus, found, by="outlet")
    diff = actors.compare_networks(edges[edges["outlet"] == "A"], edges[edges["outlet"] == "B"], names=("A", "B"), min_count=2)
    row = diff.set_index(["a", "b"]).loc[("lavrov", "tusk")]
    # A: 2 sentences, both with the pair: NPMI 1. B: Lavrov is never mentioned: no value (NaN),
    # while the share of B's windows with the pair (0 of 2) is still compared.
    assert row.npmi_A == 1.0 and pd.isna(row.npmi_B)
    assert (row.n_ab_B, row.n_windows_B) == (0, 2)
    assert row.p_value == pytest.approx(sps.fisher_exact([[2, 0], [0, 2]])[1])


def test_units_per_doc_equal_distinct_units_also_when_a_unit_is_not_contiguous(world):
    corpus, _ = world
    for within in ("sentence", "paragraph"):
        expected = corpus.tokens[within].groupby(corpus.doc_codes).nunique().reindex(range(len(corpus.docs)), fill_value=0)
        assert actors._units_per_doc(corpus, within).tolist() == expected.tolist()
    # rows out of order inside a document: runs would over-count, the distinct count is used
    from dataclasses import replace

    tokens = corpus.tokens.assign(sentence=corpus.tokens["sentence"].to_numpy()[::-1].copy())  # decreasing in each document
    reordered = replace(corpus, tokens=tokens, _cache={})
    expected = tokens["sentence"].groupby(corpus.doc_codes).nunique().reindex(range(len(corpus.docs)), fill_value=0)
    assert actors._units_per_doc(reordered, "sentence").tolist() == expected.tolist()


def test_first_in_window_keeps_the_rows_drop_duplicates_keeps():
    rng = np.random.default_rng(2)
    window = rng.integers(0, 6, size=200).astype(np.int64) * (1 << 32) + rng.integers(0, 3, size=200)
    actor = rng.choice(np.array(["Q1", "Q2", "Q10", "Q7"], dtype=object), size=200)
    doc = rng.integers(0, 6, size=200)
    expected = pd.DataFrame({"window": window, "actor": actor, "doc": doc}).drop_duplicates(["window", "actor"])
    pd.testing.assert_frame_equal(actors._first_in_window(window, actor, doc), expected)


def test_pair_counts_equal_the_self_join():
    rng = np.random.default_rng(4)
    presence = pd.DataFrame({
        "window": rng.integers(0, 40, size=300).astype(np.int64),
        "actor": rng.choice(np.array([f"Q{i}" for i in (1, 2, 3, 10, 20, 7, 9)], dtype=object), size=300),
    }).drop_duplicates(["window", "actor"])
    pairs = presence.merge(presence, on="window")
    pairs = pairs[pairs["actor_x"] < pairs["actor_y"]]
    expected = pairs.groupby(["actor_x", "actor_y"]).size().rename("n_ab").reset_index().rename(columns={"actor_x": "a", "actor_y": "b"})
    got = actors._pair_counts(presence["window"].to_numpy(), presence["actor"].to_numpy())
    pd.testing.assert_frame_equal(got, expected)
    many = pd.DataFrame({"window": np.arange(3000) // 3, "actor": np.array([f"Q{i}" for i in rng.permutation(3000)], dtype=object)})
    joined = many.merge(many, on="window")  # 3,000 actors: pairs are counted by sorting, not in a 9M-slot table
    joined = joined[joined["actor_x"] < joined["actor_y"]]
    sparse = joined.groupby(["actor_x", "actor_y"]).size().rename("n_ab").reset_index().rename(columns={"actor_x": "a", "actor_y": "b"})
    pd.testing.assert_frame_equal(actors._pair_counts(many["window"].to_numpy(), many["actor"].to_numpy()), sparse)
    # «Q10» < «Q2» as ids: pairs follow the ids' string order, not their numbers
    assert (got["a"] < got["b"]).all()
    empty = actors._pair_counts(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    assert empty.empty and list(empty.columns) == ["a", "b", "n_ab"]
    one_each = actors._pair_counts(np.array([1, 2, 3]), np.array(["Q1", "Q2", "Q3"], dtype=object))
    assert one_each.empty


def test_mentions_are_made_once_per_corpus_and_dictionary(world, monkeypatch):
    corpus, _ = world
    corpus._cache.pop("actor_mentions", None)  # (the fixture's own call is memoised)
    table = actors.load_actors()
    calls = []
    compute = actors._find_actors
    monkeypatch.setattr(actors, "_find_actors", lambda *a: calls.append(1) or compute(*a))
    first = actors.find_actors(corpus, table)
    first["actor"] = "changed by the caller"  # a caller's edit never reaches the memo
    again = actors.find_actors(corpus, table.copy())
    assert len(calls) == 1
    pd.testing.assert_frame_equal(again, compute(corpus, table, True))
    edited = table.iloc[1:].reset_index(drop=True)  # another dictionary: computed again
    pd.testing.assert_frame_equal(actors.find_actors(corpus, edited), compute(corpus, edited, True))
    actors.find_actors(corpus, table, metonyms=False)
    assert len(calls) == 3


def test_unit_codes_are_shared_read_only_and_follow_the_column():
    from helpers.matching import unit_codes

    tokens = pd.DataFrame({
        "doc_id": pd.Categorical(["a", "a", "a", "b"]), "lemma": pd.Categorical(["x", "y", "z", "x"]),
        "sentence": np.array([0, 0, 1, 0]), "paragraph": np.array([0, 0, 0, 0]),
    })
    units = unit_codes(tokens, "sentence")
    assert units.tolist() == [0, 0, 1, 1 << 32] and not units.flags.writeable
    assert unit_codes(tokens, "sentence") is units
    tokens["sentence"] = np.array([0, 1, 1, 0])  # a replaced column gives new codes
    assert unit_codes(tokens, "sentence").tolist() == [0, 1, 1, 1 << 32]
    assert unit_codes(tokens, "document").tolist() == [0, 0, 0, 1]
