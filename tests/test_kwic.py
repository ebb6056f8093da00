"""Tests of key word in context: finding terms, phrases and patterns, context windows, sorting.

The corpus is ``tests/fixtures/counting/kwic_news.csv``: seven short news items written for
these tests (Russian, one Ukrainian), tokenized by the kit. The eight lines of «санкция» are
named H1…H8 in text order below; every expected order of a sort is worked out by hand from
their context words (lower-cased tokens, compared letter by letter in alphabet order).

=====  ===  ==========  ==========  ==========  ==========  ==========  ==========
line   doc  left3       left2       left1       right1      right2      right3
=====  ===  ==========  ==========  ==========  ==========  ==========  ==========
H1     k1   —           евросоюз    продлил     против      россии      новые
H2     k1   против      россии      новые       вступят     в           силу
H3     k2   брюссель    обсуждает   новые       против      банков      санкции
H4     k2   санкции     против      банков      работают    медленно    считает
H5     k3   спорят      помогают    ли          санкций     стало       больше
H6     k3   помогают    ли          санкции     стало       больше      а
H7     k4   против      россии      новые       введут      в           пятницу
H8     k5   против      россии      ввели       ещё         весной      —
=====  ===  ==========  ==========  ==========  ==========  ==========  ==========

(— : no word there.) Dates: k2 1 March, k4 and k5 2 March, k1 3 March, k3 none.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from helpers import kwic as kw
from helpers.corpus import build_corpus

FIXTURE = Path(__file__).parent / "fixtures" / "counting" / "kwic_news.csv"
LINE_COLUMNS = ["doc_id", "sentence", "start", "end", "left", "match", "right"]


@pytest.fixture(scope="module")
def news():
    docs = pd.read_csv(FIXTURE, keep_default_na=False, dtype=str)
    docs["date"] = pd.to_datetime(docs["date"].replace("", None))
    # every language kept (the Ukrainian item too); no boilerplate step: only KWIC is tested
    return build_corpus(docs, lang=None, mwes=None, boilerplate=False, cache=False)


def names(corpus, lines: pd.DataFrame) -> list[str]:
    """The H-names of concordance lines of «санкция» (by document and start offset)."""
    order = kw.kwic(corpus, "санкция")
    label = {(d, s): f"H{i + 1}" for i, (d, s) in enumerate(zip(order["doc_id"], order["start"]))}
    return [label[(d, s)] for d, s in zip(lines["doc_id"], lines["start"])]


# --------------------------------------------------------------------------------------------
# find_terms
# --------------------------------------------------------------------------------------------


def test_find_terms_lemma_token_and_regex(news):
    hits = kw.find_terms(news, "санкция")
    assert hits.columns.tolist() == kw.HIT_COLUMNS
    # every form of the lemma: санкции ×6, Санкции (k2), Санкций (k3)
    assert hits["doc_id"].tolist() == ["k1", "k1", "k2", "k2", "k3", "k3", "k4", "k5"]
    assert hits["sentence"].tolist() == [0, 1, 0, 1, 0, 1, 0, 0]
    assert hits["first"].is_monotonic_increasing
    text = news.docs.set_index("doc_id")["text"]
    assert [text[d][s:e] for d, s, e in zip(hits["doc_id"], hits["start"], hits["end"])] == [
        "санкции", "санкции", "санкции", "Санкции", "санкции", "Санкций", "санкции", "санкции",
    ]
    # a query in any inflected form means its lemma
    pd.testing.assert_frame_equal(kw.find_terms(news, "санкциями"), hits)
    # unit="token": the surface form, any case; «Санкций» (k3, second sentence) is another form
    surface = kw.find_terms(news, "санкции", unit="token")
    assert list(zip(surface["doc_id"], surface["sentence"])) == [("k1", 0), ("k1", 1), ("k2", 0), ("k2", 1), ("k3", 0), ("k4", 0), ("k5", 0)]
    # regular expressions test every lemma (or lower-cased token) of the corpus
    assert len(kw.find_terms(news, r"^санкц", regex=True)) == 8
    assert kw.find_terms(news, r"^санкций$", regex=True, unit="token")["doc_id"].tolist() == ["k3"]
    assert kw.find_terms(news, r"^коал", regex=True)["doc_id"].tolist() == ["r6", "u1", "u1"]
    with pytest.raises(ValueError, match="unit must be"):
        kw.find_terms(news, "санкция", unit="stem")


def test_find_terms_phrases_stay_inside_sentences(news):
    # «России новые» is a phrase in k4; in k1 «России. Новые» crosses a sentence end
    hits = kw.find_terms(news, "россия новый")
    assert hits["doc_id"].tolist() == ["k4"] and (hits["last"] - hits["first"]).tolist() == [1]
    assert news.text("k4")[hits.at[0, "start"]:hits.at[0, "end"]] == "России новые"


def test_find_terms_by_language(news):
    # the Ukrainian phrase finds the Ukrainian item in both its forms, the Russian one the Russian
    ukrainian = kw.kwic(news, "коаліції охочих")
    assert ukrainian[["doc_id", "match"]].values.tolist() == [["u1", "коаліції охочих"], ["u1", "Коаліція охочих"]]
    assert kw.kwic(news, "коаліції охочих", lang="uk")["match"].tolist() == ["коаліції охочих", "Коаліція охочих"]
    russian = kw.kwic(news, "коалиция желающих")
    assert russian[["doc_id", "match"]].values.tolist() == [["r6", "коалиции желающих"]]
    # a query read in the other language finds nothing
    assert kw.kwic(news, "коаліції охочих", lang="ru").empty
    assert kw.kwic(news, "коалиция желающих", lang="uk").empty


# --------------------------------------------------------------------------------------------
# context: window, within, surface text
# --------------------------------------------------------------------------------------------


def test_window_counts_tokens_and_shows_the_original_text(news):
    lines = kw.kwic(news, "санкция", window=3)
    assert lines.columns.tolist() == LINE_COLUMNS
    h = lines.set_index(lines.index.map(lambda i: f"H{i + 1}"))
    # three tokens each side, cut from the text itself: punctuation and quotes stay, the line
    # break of k2 reads as one space, and so does the double space before «Петров»
    assert h.loc["H4", ["left", "match", "right"]].tolist() == ["санкции против банков. ", "Санкции", " «работают медленно», — считает"]
    assert h.loc["H2", ["left", "right"]].tolist() == ["против России. Новые ", " вступят в силу"]
    # the window crosses sentence ends (not the document's): H1's right runs into sentence 2
    assert h.loc["H1", ["left", "right"]].tolist() == ["Евросоюз продлил ", " против России. Новые"]
    assert h.loc["H6", "right"] == " стало больше, а"
    # H5 is the last word of its sentence: the right context starts with the full stop
    assert h.loc["H5", "right"] == ". Санкций стало больше"
    wide = kw.kwic(news, "санкция", window=8).set_index(lines.index.map(lambda i: f"H{i + 1}"))
    assert wide.loc["H4", "right"] == " «работают медленно», — считает аналитик Петров"
    assert wide.loc["H8", ["left", "right"]].tolist() == ["Против России ввели ", " ещё весной"]  # the document ends
    assert (lines["match"] == [news.text(d)[s:e] for d, s, e in zip(lines["doc_id"], lines["start"], lines["end"])]).all()


def test_within_sentence_and_paragraph_cut_the_context(news):
    lines = kw.kwic(news, "санкция", window=3, within="sentence")
    h = lines.set_index(lines.index.map(lambda i: f"H{i + 1}"))
    # H1: «Евросоюз продлил [санкции] против России.» -> nothing of sentence 2
    assert h.loc["H1", ["left", "right"]].tolist() == ["Евросоюз продлил ", " против России"]
    assert h.loc["H2", "left"] == "Новые "
    assert h.loc["H5", ["left", "right"]].tolist() == ["спорят, помогают ли ", ""]
    assert h.loc["H6", "left"] == ""
    whole = kw.kwic(news, "санкция", window=None, within="sentence").set_index(lines.index.map(lambda i: f"H{i + 1}"))
    assert whole.loc["H2", ["left", "right"]].tolist() == ["Новые ", " вступят в силу в марте"]
    # k2's line break starts a paragraph: H3 is in the first, H4 opens the second
    para = kw.kwic(news, "санкция", window=None, within="paragraph").set_index(lines.index.map(lambda i: f"H{i + 1}"))
    assert para.loc["H3", ["left", "right"]].tolist() == ["Брюссель обсуждает новые ", " против банков"]
    assert para.loc["H4", "left"] == ""
    with pytest.raises(ValueError, match="Give a window"):
        kw.kwic(news, "санкция", window=None)


# --------------------------------------------------------------------------------------------
# sorting
# --------------------------------------------------------------------------------------------

# Each order by hand from the table in the module docstring (ties: the next word inward, then
# text order). E.g. left1: банков H4 < ввели H8 < ли H5 < новые (H2, H3, H7 in text order) <
# продлил H1 < санкции H6; right2: банков H3 < больше H6 < в (H7 введут before H2 вступят) <
# весной H8 < медленно H4 < россии H1 < стало H5.
EXPECTED_ORDERS = {
    "position": ["H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8"],
    # k2 (1 March), k4 and k5 (2 March, text order), k1 (3 March), k3 (no date) last
    "date": ["H3", "H4", "H7", "H8", "H1", "H2", "H5", "H6"],
    "left1": ["H4", "H8", "H5", "H2", "H3", "H7", "H1", "H6"],
    # евросоюз H1 < ли H6 < обсуждает H3 < помогают H5 < против H4 < россии (ввели H8 < новые H2, H7)
    "left2": ["H1", "H6", "H3", "H5", "H4", "H8", "H2", "H7"],
    # — H1 < брюссель H3 < помогают H6 < против (россии ввели H8, россии новые H2, H7) < санкции H4 < спорят H5
    "left3": ["H1", "H3", "H6", "H8", "H2", "H7", "H4", "H5"],
    # введут H7 < вступят H2 < ещё H8 < против (H1, H3) < работают H4 < санкций H5 < стало H6
    "right1": ["H7", "H2", "H8", "H1", "H3", "H4", "H5", "H6"],
    "right2": ["H3", "H6", "H7", "H2", "H8", "H4", "H1", "H5"],
    # — H8 < а H6 < больше H5 < новые H1 < пятницу H7 < санкции H3 < силу H2 < считает H4
    "right3": ["H8", "H6", "H5", "H1", "H7", "H3", "H2", "H4"],
}


@pytest.mark.parametrize("sort", list(EXPECTED_ORDERS))
def test_concordance_sorts_by_hand(news, sort):
    assert names(news, kw.kwic(news, "санкция", sort=sort)) == EXPECTED_ORDERS[sort]


def test_sort_aliases_and_window_limits(news):
    assert names(news, kw.kwic(news, "санкция", sort="left")) == EXPECTED_ORDERS["left1"]
    assert names(news, kw.kwic(news, "санкция", sort="right")) == EXPECTED_ORDERS["right1"]
    # a word outside the window is not shown and does not sort: with one token of context every
    # second word is empty, so left2 falls back to left1
    assert names(news, kw.kwic(news, "санкция", window=1, sort="left2")) == EXPECTED_ORDERS["left1"]
    # within a sentence, H1, H3, H5 and H8 have no third word right (H1's would be «новые» of
    # the next sentence); among them the second word decides: — H5 < банков H3 < весной H8 <
    # россии H1; then а H6, пятницу H7, силу H2, считает H4
    in_sentence = names(news, kw.kwic(news, "санкция", within="sentence", sort="right3"))
    assert in_sentence == ["H5", "H3", "H8", "H1", "H6", "H7", "H2", "H4"]
    with pytest.raises(ValueError, match="sort must be one of"):
        kw.kwic(news, "санкция", sort="middle")


# --------------------------------------------------------------------------------------------
# tables: metadata, empty results, spans from elsewhere, the first version's call
# --------------------------------------------------------------------------------------------


def test_lines_carry_metadata(news):
    lines = kw.kwic(news, "коалиция желающих", by=["outlet", "date"])
    assert lines.columns.tolist() == ["doc_id", "outlet", "date", "sentence", "start", "end", "left", "match", "right"]
    assert lines[["outlet", "date"]].values.tolist() == [["Обзор", pd.Timestamp("2026-03-05")]]


@pytest.mark.parametrize("sort", ["position", "date", "left2", "right3"])
def test_no_hit_is_an_empty_table_with_the_columns(news, sort):
    lines = kw.kwic(news, "перемирие", sort=sort)
    assert lines.empty and lines.columns.tolist() == LINE_COLUMNS
    with_meta = kw.kwic(news, "перемирие", by="outlet", sort=sort)
    assert with_meta.empty and with_meta.columns.tolist() == ["doc_id", "outlet", *LINE_COLUMNS[1:]]
    assert kw.kwic(news, r"^нет-такого$", regex=True).columns.tolist() == LINE_COLUMNS


def test_concordance_places_character_spans_on_tokens(news):
    # spans found elsewhere (an actor's mention, a frame cue) come as doc_id, start, end
    spans = pd.DataFrame({"doc_id": ["k2", "k1"], "start": [48, 0], "end": [55, 16], "cue": ["x", "y"]})
    lines = kw.concordance(news, spans, window=2)
    assert lines["cue"].tolist() == ["y", "x"]  # sorted by position; other columns kept
    assert lines[["match", "right"]].values.tolist() == [["Евросоюз продлил", " санкции против"], ["Санкции", " «работают медленно"]]


def test_first_version_call_still_works(news):
    docs = news.docs.drop(columns=["n_tokens"])
    with pytest.warns(DeprecationWarning, match=r"kwic\(docs, tokens, \.\.\.\) is deprecated"):
        lines = kw.kwic(docs, news.tokens, "россия", window="sentence")
    # window="sentence" meant the whole sentence: k1 «Евросоюз продлил санкции против [России]»
    assert lines[["doc_id", "left", "match", "right"]].values.tolist()[0] == ["k1", "Евросоюз продлил санкции против ", "России", ""]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        chars = kw.kwic(docs, news.tokens, "россия", window=14)  # 14 characters were about 2 tokens
    assert chars["left"].tolist()[0] == "санкции против "
