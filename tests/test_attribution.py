"""Tests of attribution: who is cited, by which cue and which rule, on news-like sentences.

Every sentence was written for these tests in the manner of a news report (no real person's
words are quoted). The actor dictionary is the tests' own copy
(``tests/fixtures/dictionaries/actors.csv``): Песков, Лавров, Захарова, Макрон, Reuters and
РИА Новости are in it; Климкин is not, so his name is put in its base form by the rules alone.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import actors, attribution
from helpers.corpus import build_corpus

# doc_id -> (outlet, text)
TEXTS = {
    "quote": ("A", "«Мы не позволим, чтобы Макрон диктовал нам условия», — сказал Дмитрий Песков журналистам."),
    "verb": ("A", "Песков заявил, что переговоры продолжатся."),
    "slova": ("A", "По словам Сергея Лаврова, Москва готова к диалогу."),
    "kak": ("A", "Как сообщает Reuters, сделка пока не готова."),
    "kreml": ("A", "Как заявили в Кремле, ответ будет дан позже."),
    "title": ("A", "Президент Франции Эммануэль Макрон, комментируя итоги встречи, заявил о новом пакете помощи."),
    "impers": ("A", "Сообщается, что встреча пройдет в пятницу."),
    "pron": ("B", "Дмитрий Песков встретился с Марией Захаровой. Она сообщила, что визит готовится. Он добавил, что сроки пока не названы."),
    "relay": ("B", "Взрывы были слышны в центре города, сообщил РИА Новости очевидец."),
    "ssylka": ("B", "Агентство Reuters со ссылкой на источники в правительстве сообщило о новых переговорах."),
    "norm": ("B", "По словам Павла Климкина, санкции сохранятся. По мнению Климкина, торопиться не стоит."),
    "caps": ("B", "Стоит напомнить, что саммит перенесли. Как отметил министр, решение далось нелегко."),
}


@pytest.fixture(scope="module")
def cited():
    docs = pd.DataFrame({"doc_id": list(TEXTS), "lang": "ru", "outlet": [o for o, _ in TEXTS.values()], "text": [t for _, t in TEXTS.values()]})
    corpus = build_corpus(docs, cache=False)
    table = actors.load_actors()
    table = table[table["actor"].isin(["peskov", "lavrov", "zakharova", "macron", "france", "russia", "reuters", "ria"])]
    mentions = actors.find_actors(corpus, table)
    return corpus, attribution.attribution(corpus, mentions)


def of(cited, doc_id: str) -> list[tuple]:
    _, table = cited
    part = table[table["doc_id"] == doc_id]
    return [tuple(r) for r in part[["sentence", "kind", "cue", "role", "speaker", "speaker_kind", "actor"]].fillna("").itertuples(index=False)]


def test_columns_rule_and_sentence_on_every_row(cited):
    corpus, table = cited
    assert list(table.columns) == attribution.ATTRIBUTION_COLUMNS
    assert (table["rule"].str.len() > 0).all()
    for row in table.itertuples():
        text = corpus.text(row.doc_id)
        assert row.sentence_text in " ".join(text.split())  # the sentence as written
        assert text[row.cue_start:row.cue_end].lower().startswith(row.cue.split()[0][:4])
    # sorted by document, cue and role
    assert table[["doc_id", "cue_start"]].values.tolist() == sorted(table[["doc_id", "cue_start"]].values.tolist())


def test_speaker_after_a_quote_is_not_the_name_inside_it(cited):
    # «Макрон» is inside the quote: the speaker is the subject after «сказал».
    assert of(cited, "quote") == [(0, "verb", "сказать", "speaker", "Дмитрий Песков", "named", "peskov")]
    _, table = cited
    row = table[table["doc_id"] == "quote"].iloc[0]
    assert TEXTS["quote"][1][row.speaker_start:row.speaker_end] == "Дмитрий Песков"
    assert row.rule == "after the verb → name"


def test_subject_before_the_verb(cited):
    assert of(cited, "verb") == [(0, "verb", "заявить", "speaker", "Дмитрий Песков", "named", "peskov")]


def test_source_phrases(cited):
    assert of(cited, "slova") == [(0, "phrase", "по словам", "source", "Сергей Лавров", "named", "lavrov")]
    assert of(cited, "kak") == [(0, "phrase", "как сообщает", "source", "Reuters", "named", "reuters")]
    # «в Кремле» with a speech verb is the Russian state speaking (a metonym of the dictionary)
    assert of(cited, "kreml") == [(0, "phrase", "как заявили", "source", "Россия", "named", "russia")]


def test_the_title_does_not_take_the_name(cited):
    # «Президент Франции Эммануэль Макрон»: France is a mention inside the title, Macron the head.
    assert of(cited, "title") == [(0, "verb", "заявить", "speaker", "Эммануэль Макрон", "named", "macron")]
    _, table = cited
    row = table[table["doc_id"] == "title"].iloc[0]
    assert TEXTS["title"][1][row.speaker_start:row.speaker_end] == "Эммануэль Макрон"


def test_pronouns_resolve_to_the_nearest_person_of_their_gender(cited):
    # «Она» -> the woman named before it; «Он» skips the nearer woman for the man before her.
    assert of(cited, "pron") == [
        (1, "verb", "сообщить", "speaker", "Мария Захарова", "pronoun", "zakharova"),
        (2, "verb", "добавить", "speaker", "Дмитрий Песков", "pronoun", "peskov"),
    ]
    _, table = cited
    rows = table[table["doc_id"] == "pron"]
    text = TEXTS["pron"][1]
    assert [text[a:b] for a, b in zip(rows["speaker_start"], rows["speaker_end"])] == ["Она", "Он"]
    assert [text[a:b] for a, b in zip(rows["referent_start"], rows["referent_end"])] == ["Марией Захаровой", "Дмитрий Песков"]
    assert set(rows["rule"]) == {"before the verb → pronoun → nearest agreeing name"}


def test_a_medium_that_relays_is_kept_apart(cited):
    assert of(cited, "relay") == [
        (0, "verb", "сообщить", "relayed_by", "РИА Новости", "named", "ria"),
        (0, "verb", "сообщить", "speaker", "очевидец", "common", ""),
    ]
    # «Reuters со ссылкой на источники»: the sources are the source, Reuters cites them (and is
    # the subject of «сообщило»).
    assert of(cited, "ssylka") == [
        (0, "phrase", "со ссылкой на", "relayed_by", "Reuters", "named", "reuters"),
        (0, "phrase", "со ссылкой на", "source", "источники", "common", ""),
        (0, "verb", "сообщить", "speaker", "Reuters", "named", "reuters"),
    ]


def test_relay_without_a_dictionary_entry():
    docs = pd.DataFrame({"doc_id": ["r"], "lang": "ru", "text": [TEXTS["relay"][1]]})
    corpus = build_corpus(docs, cache=False)
    table = attribution.attribution(corpus)  # no mentions at all
    assert table[["role", "speaker", "speaker_kind"]].values.tolist() == [
        ["relayed_by", "РИА Новости", "named"], ["speaker", "очевидец", "common"],
    ]
    assert table.loc[0, "rule"] == "relays → medium between the verb and its subject"


def test_names_outside_the_dictionary_get_their_base_form(cited):
    # «по словам» and «по мнению» take the genitive: «Павла Климкина» is Павел Климкин, and
    # «Климкина» alone his surname (not a woman's nominative).
    assert of(cited, "norm") == [
        (0, "phrase", "по словам", "source", "Павел Климкин", "named", ""),
        (1, "phrase", "по мнению", "source", "Климкин", "named", ""),
    ]


def test_capitalised_words_are_not_speakers_and_impersonal_cues_have_none(cited):
    assert of(cited, "caps") == [
        (0, "verb", "напомнить", "speaker", "(unnamed)", "none", ""),  # «Стоит» is not a name
        (1, "phrase", "как отметил", "source", "министр", "common", ""),  # nor «Как»
    ]
    assert of(cited, "impers") == [(0, "verb", "сообщать", "speaker", "(unnamed)", "none", "")]
    _, table = cited
    assert not table["speaker"].isin(["Стоит", "Как", "Сообщается"]).any()


def test_attribution_counts_by_hand(cited):
    corpus, table = cited
    counts = attribution.attribution_counts(corpus, table, by="outlet")
    a = counts[counts["outlet"] == "A"].set_index("speaker")
    # A: Песков 2 (quote, verb), Лавров, Reuters, Россия, Макрон 1 each -> 6 named attributions;
    # «Сообщается» has no speaker and is left out.
    assert a["citations"].to_dict() == {"Дмитрий Песков": 2, "Reuters": 1, "Россия": 1, "Сергей Лавров": 1, "Эммануэль Макрон": 1}
    assert a.loc["Дмитрий Песков", "share"] == pytest.approx(2 / 6)
    b = counts[counts["outlet"] == "B"].set_index("speaker")
    # B: the relays (РИА Новости; Reuters «со ссылкой») are left out: Захарова, Песков (pron),
    # очевидец, источники, Reuters (сообщило), Павел Климкин, Климкин, министр -> 8.
    assert b["citations"].sum() == 8 and "РИА Новости" not in b.index
    assert b.loc["Reuters", "citations"] == 1 and b.loc["Reuters", "share"] == pytest.approx(1 / 8)
    with_relays = attribution.attribution_counts(corpus, table, by="outlet", roles=("speaker", "source", "relayed_by"))
    assert with_relays[with_relays["outlet"] == "B"].set_index("speaker").loc["Reuters", "citations"] == 2
    top = attribution.attribution_counts(corpus, table, by="outlet", top=1)
    assert top[["outlet", "speaker"]].values.tolist() == [["A", "Дмитрий Песков"], ["B", "Reuters"]]  # ties: by name
    whole = attribution.attribution_counts(corpus, table, top=3)
    # Both outlets: 6 + 8 = 14 named attributions; Песков 2 in A + 1 in B; then Reuters (1 + 1).
    assert list(whole.columns) == ["speaker", "citations", "share"]
    assert whole["citations"].sum() <= 14 and whole.iloc[0]["speaker"] == "Дмитрий Песков"
    assert whole.iloc[0]["citations"] == 3 and whole.iloc[0]["share"] == pytest.approx(3 / 14)


def test_common_speakers_are_in_their_base_form():
    docs = pd.DataFrame({"doc_id": ["a"], "lang": "ru", "text": [
        "Как сообщили в ведомстве, переговоры продолжатся. Об этом говорится в сообщении пресс-службы Кремля."]})
    table = attribution.attribution(build_corpus(docs, mwes=None, cache=False))
    # «в ведомстве» (locative) -> «ведомство»; the head of «в сообщении пресс-службы Кремля» in the
    # nominative, its genitive dependents as written.
    assert table["speaker"].tolist() == ["ведомство", "сообщение пресс-службы Кремля"]
    assert table["speaker_kind"].tolist() == ["common", "common"]
