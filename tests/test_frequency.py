"""Tests of counts, rates, TF-IDF, trends, KWIC, collocations and dispersion (hand-computed)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import frequency as fq
from helpers.text import tokenize


@pytest.fixture(scope="module")
def corpus():
    docs = pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "b1"],
            "outlet": ["A", "A", "B"],
            "date": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-13"]),
            "lang": ["ru", "ru", "ru"],
            "text": [
                "Санкции против России. Новые санкции готовы.",
                "Перемирие и санкции.",
                "Перемирие, перемирие и еще раз перемирие!",
            ],
        }
    )
    return docs, tokenize(docs, cache=False)


def test_term_frequency_overall(corpus):
    docs, tokens = corpus
    tf = fq.term_frequency(tokens).set_index("term")
    # Tokens: a1 = 6 (Санкции против России Новые санкции готовы), a2 = 3, b1 = 6 -> 15 in all.
    assert len(tokens) == 15
    assert tf.at["санкция", "count"] == 3
    assert tf.at["санкция", "per_10k"] == pytest.approx(3 / 15 * 10_000)
    assert tf.at["санкция", "docs"] == 2
    assert tf.at["санкция", "doc_share"] == pytest.approx(2 / 3)
    assert tf.at["перемирие", "count"] == 4
    assert "и" not in tf.index  # stop words are left out of the rows…
    assert list(tf.index[:2]) == ["перемирие", "санкция"]  # …and rows are sorted by count


def test_term_frequency_by_group_uses_group_totals(corpus):
    docs, tokens = corpus
    tf = fq.term_frequency(tokens, by="outlet", docs=docs).set_index(["outlet", "term"])
    assert tf.at[("A", "санкция"), "count"] == 3
    assert tf.at[("A", "санкция"), "per_10k"] == pytest.approx(3 / 9 * 10_000)  # A has 9 tokens
    assert tf.at[("B", "перемирие"), "per_10k"] == pytest.approx(3 / 6 * 10_000)
    assert tf.at[("A", "перемирие"), "doc_share"] == pytest.approx(1 / 2)
    with pytest.raises(ValueError, match="docs="):
        fq.term_frequency(tokens, by="outlet")


def test_min_count_and_surface_unit(corpus):
    _, tokens = corpus
    tf = fq.term_frequency(tokens, unit="token", min_count=2)
    assert set(tf["term"]) == {"перемирие", "санкции"}


def test_tfidf_by_hand(corpus):
    _, tokens = corpus
    table = fq.tfidf(tokens, top=None).set_index(["doc_id", "term"])
    # b1: перемирие 3 of 6 tokens; df(перемирие) = 2 of 3 documents.
    assert table.at[("b1", "перемирие"), "tfidf"] == pytest.approx(3 / 6 * math.log(3 / 2))
    # a1: россия once in 6 tokens, only in a1.
    assert table.at[("a1", "россия"), "tfidf"] == pytest.approx(1 / 6 * math.log(3))


def test_trend_is_normalised_by_period_size(corpus):
    docs, tokens = corpus
    tr = fq.trend(tokens, ["санкция", "перемирие"], freq="W", docs=docs).set_index(["period", "term"])
    week1, week2 = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12")
    assert tr.at[(week1, "санкция"), "count"] == 3
    assert tr.at[(week1, "санкция"), "tokens"] == 9
    assert tr.at[(week1, "санкция"), "per_10k"] == pytest.approx(3 / 9 * 10_000)
    assert tr.at[(week2, "санкция"), "count"] == 0  # listed with zero, not missing
    assert tr.at[(week2, "перемирие"), "per_10k"] == pytest.approx(3 / 6 * 10_000)


def test_kwic_shows_original_text(corpus):
    docs, tokens = corpus
    lines = fq.kwic(docs, tokens, "санкция", window=10)
    assert lines["match"].tolist() == ["Санкции", "санкции", "санкции"]
    for row in lines.itertuples():
        text = docs.set_index("doc_id").at[row.doc_id, "text"]
        assert text[row.start:row.end] == row.match
    assert lines.iloc[1]["left"] == "ии. Новые "  # ten characters
    by_sentence = fq.kwic(docs, tokens, "россия", window="sentence")
    assert by_sentence.iloc[0][["left", "match", "right"]].tolist() == ["Санкции против ", "России", ""]


def test_kwic_phrases_regex_and_sorting():
    docs = pd.DataFrame({"doc_id": ["x"], "lang": ["ru"], "text": ["Коалиция желающих собралась. Лидеры коалиции желающих спорили. Коалиционный штаб молчал."]})
    tokens = tokenize(docs, cache=False)
    phrase = fq.kwic(docs, tokens, "коалиция желающих")
    assert phrase["match"].tolist() == ["Коалиция желающих", "коалиции желающих"]
    regex = fq.kwic(docs, tokens, r"^коалиц", regex=True, sort="right")
    # Right contexts: «желающих собралась», «желающих спорили», «штаб молчал».
    assert regex["match"].tolist() == ["Коалиция", "коалиции", "Коалиционный"]
    by_left = fq.kwic(docs, tokens, r"^коалиц", regex=True, sort="left")
    assert by_left["match"].tolist()[0] == "Коалиция"  # empty left context sorts first


def test_collocations_counts_and_sentence_boundaries():
    docs = pd.DataFrame({"doc_id": ["x"], "lang": ["ru"], "text": ["Прекращение огня. Прекращение огня. Огня прекращение нет. Прекращение огня."]})
    tokens = tokenize(docs, cache=False)
    table = fq.collocations(tokens, min_count=2, measure="likelihood_ratio")
    assert table[["w1", "w2", "count"]].values.tolist() == [["прекращение", "огонь", 3]]
    # «огня» + «прекращение» never crosses a sentence boundary: «огня. Прекращение» is not a pair.
    loose = fq.collocations(tokens, min_count=1, measure="pmi")
    assert loose.set_index(["w1", "w2"]).loc[("огонь", "прекращение"), "count"] == 1


def test_dispersion_positions(corpus):
    docs, tokens = corpus
    disp = fq.dispersion(tokens, ["перемирие"], docs=docs)
    assert len(disp) == 4
    assert disp["position"].between(0, 1).all()
    assert disp["position"].is_monotonic_increasing


def test_likely_names_and_exclusion():
    docs = pd.DataFrame({"doc_id": ["x"], "lang": ["ru"], "text": ["Эксперт Ракитин спорил. Потом Ракитин и эксперт молчали. Эксперт ушел."]})
    tokens = tokenize(docs, cache=False)
    assert fq.likely_names(tokens) == {"ракитин"}  # «Эксперт» is capitalised only at sentence starts
    counts = fq.count_matrix(tokens.assign(outlet="A"), "outlet", exclude={"ракитин"})
    assert "ракитин" not in counts.index and counts.loc["эксперт", "A"] == 3


def test_kwic_without_hits_is_an_empty_table(corpus):
    docs, tokens = corpus
    for sort in ("position", "left", "right"):
        lines = fq.kwic(docs, tokens, "отсутствующее слово", sort=sort)
        assert lines.empty and list(lines.columns) == ["doc_id", "start", "end", "left", "match", "right"]
