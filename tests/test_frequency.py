"""Tests of counts, rates, TF-IDF, trends, n-grams, collocations and dispersion.

Every corpus here is a handful of tokens written out below, so that each expected number is
worked out by hand in a comment; where NLTK, scikit-learn or a published example computes the
same quantity, the result is checked against it too.

Most corpora are token tables written directly (:func:`corpus_of`), so that no tokenizer, stop
list or lemmatiser decides what a count is: a test fails only when the counting does.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from helpers import frequency as fq
from helpers import stats
from helpers.corpus import Corpus, build_corpus

KINDS = ["word", "abbreviation", "number", "url", "email", "handle", "hashtag", "emoji"]


def corpus_of(docs: dict[str, str], **meta: list) -> Corpus:
    """A corpus whose token table is written out: one string of tokens per document.

    ``.`` ends a sentence, ``word*`` is a stop word, ``Form=lemma`` gives a lemma other than the
    lower-cased form, digits are a number and ``http…`` a link. ``meta`` gives document columns
    (``outlet=[…]``, ``date=[…]``) in the order of ``docs``.
    """
    rows, texts = [], []
    for doc_id, spec in docs.items():
        pos, sentence, words = 0, 0, []
        for item in spec.split():
            if item == ".":
                sentence += 1
                continue
            stop = item.endswith("*")
            form, _, lemma = item.rstrip("*").partition("=")
            kind = "number" if form.isdigit() else "url" if form.startswith("http") else "word"
            rows.append((doc_id, sentence, 0, pos, pos + len(form), form, lemma or form.lower(), kind, "", stop, "ru"))
            words.append(form)
            pos += len(form) + 1
        texts.append(" ".join(words))
    tokens = pd.DataFrame(rows, columns=["doc_id", "sentence", "paragraph", "start", "end", "token", "lemma", "kind", "pos", "is_stop", "lang"])
    for column in ("token", "lemma", "pos", "lang"):
        tokens[column] = tokens[column].astype("category")
    tokens["kind"] = pd.Categorical(tokens["kind"], categories=KINDS)
    tokens["mwe"] = pd.Categorical([None] * len(tokens), categories=[])
    tokens["mwe_first"] = False
    frame = pd.DataFrame({"doc_id": list(docs), "text": texts, "lang": "ru", **meta})
    return Corpus.from_frames(frame, tokens)


# Word tokens (stop words included): a1 6, a2 3, b1 6, c1 6 (+ the number 2026) -> 21.
# Content counts: перемирие a2 1 + b1 3 + c1 1 = 5; санкция a1 2 + a2 1 + c1 1 = 4; россия,
# новый, готовый (a1), обсуждать, год (c1) 1 each. c1 has no outlet and no date.
NEWS = {
    "a1": "Санкции=санкция против* России=россия . Новые=новый санкции=санкция готовы=готовый .",
    "a2": "Перемирие и* санкции=санкция .",
    "b1": "Перемирие перемирие и* еще* раз* перемирие .",
    "c1": "Санкции=санкция и* перемирие обсуждали=обсуждать в* 2026 году=год .",
}


@pytest.fixture(scope="module")
def news() -> Corpus:
    return corpus_of(NEWS, outlet=["A", "A", "B", None], date=pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-13", None]))


# --------------------------------------------------------------------------------------------
# term_frequency, group_sizes, count_matrix
# --------------------------------------------------------------------------------------------


def test_term_frequency_overall(news):
    tf = fq.term_frequency(news)
    assert tf.columns.tolist() == ["term", "count", "per_10k", "docs", "doc_share"]
    # count descending, then term: перемирие 5, санкция 4, then the five terms seen once in order
    assert tf["term"].tolist() == ["перемирие", "санкция", "год", "готовый", "новый", "обсуждать", "россия"]
    assert tf["count"].tolist() == [5, 4, 1, 1, 1, 1, 1]
    t = tf.set_index("term")
    # per 10,000 of all 21 word tokens (stop words included, the number 2026 not a word)
    assert t.at["перемирие", "per_10k"] == pytest.approx(5 / 21 * 10_000)  # 2380.95
    assert t.at["россия", "per_10k"] == pytest.approx(1 / 21 * 10_000)  # 476.19
    # перемирие is in a2, b1, c1; санкция in a1, a2, c1: 3 of 4 documents each
    assert t.at["перемирие", "docs"] == 3 and t.at["санкция", "docs"] == 3
    assert t.at["санкция", "doc_share"] == pytest.approx(3 / 4)
    assert "и" not in t.index and "2026" not in t.index  # stop words and numbers are no rows…
    with_stop = fq.term_frequency(news, drop_stop=False).set_index("term")
    assert with_stop.at["и", "count"] == 3  # …unless asked for (a2, b1, c1)
    assert with_stop.at["и", "per_10k"] == pytest.approx(3 / 21 * 10_000)
    numbers = fq.term_frequency(news, kinds=("word", "number")).set_index("term")
    # counting numbers makes 22 tokens: the rate of every term changes with it
    assert numbers.at["2026", "count"] == 1
    assert numbers.at["перемирие", "per_10k"] == pytest.approx(5 / 22 * 10_000)


def test_term_codes_are_made_once_per_token_table_and_again_when_a_column_changes():
    corpus = corpus_of(NEWS)
    term, vocab, kept = fq._unit_codes(corpus, "lemma")
    assert fq._unit_codes(corpus, "lemma")[0] is term  # the second count reuses them
    assert not term.flags.writeable and not kept.flags.writeable  # (shared: nobody may change them)
    assert fq.term_frequency(corpus).set_index("term").at["санкция", "count"] == 4
    # A replaced lemma column is read again: «санкция» becomes «мера» and is counted as such.
    lemma = corpus.tokens["lemma"].astype(str).replace("санкция", "мера")
    corpus.tokens["lemma"] = lemma.astype("category")
    assert fq._unit_codes(corpus, "lemma")[0] is not term
    counts = fq.term_frequency(corpus).set_index("term")["count"]
    assert counts["мера"] == 4 and "санкция" not in counts.index



def test_collocation_pairs_are_counted_once_for_several_measures_and_again_for_new_stop_words():
    corpus = corpus_of(NEWS)
    first = fq._word_pairs(corpus, "lemma", True, tuple(fq.WORD_KINDS), 1, 1)
    assert fq._word_pairs(corpus, "lemma", True, tuple(fq.WORD_KINDS), 1, 1)[0] is first[0]  # reused
    assert fq._word_pairs(corpus, "lemma", True, tuple(fq.WORD_KINDS), 2, 1)[0] is not first[0]  # another window
    assert not first[0].flags.writeable
    by_pmi = fq.collocations(corpus, measure="pmi", min_count=1, top=None)
    by_dice = fq.collocations(corpus, measure="log_dice", min_count=1, top=None)
    assert sorted(zip(by_pmi["w1"], by_pmi["w2"])) == sorted(zip(by_dice["w1"], by_dice["w2"]))
    # a new stop word is a new token table: its pairs are counted again, and it is in none
    fewer = corpus.with_stop_words(["санкция"])
    pairs = fq.collocations(fewer, measure="pmi", min_count=1, top=None)
    assert "санкция" not in set(pairs["w1"]) | set(pairs["w2"]) and "санкция" in set(by_pmi["w1"]) | set(by_pmi["w2"])
    # a replaced column of the same table is read again
    corpus.tokens["is_stop"] = True
    assert fq.collocations(corpus, measure="pmi", min_count=1, top=None).empty



def test_term_frequency_is_sorted_as_its_strings_are():
    rng = np.random.default_rng(12)
    words = ["ёж", "яблоко", "Ёлка=ёлка", "аист", "жук", "бобр", "щука", "эхо"]  # codes in first-seen order, not sorted
    docs = {f"d{i}": " ".join(rng.choice(words, size=9)) + " ." for i in range(12)}
    corpus = corpus_of(docs, outlet=list("BAC" * 4))
    for by in (None, "outlet"):
        tf = fq.term_frequency(corpus, by=by)
        cols = [by] if by else []
        expected = tf.sample(frac=1, random_state=1).sort_values([*cols, "count", "term"], ascending=[True] * len(cols) + [False, True], kind="stable")
        pd.testing.assert_frame_equal(tf, expected.reset_index(drop=True))
        assert tf["count"].duplicated().any()  # (ties in count: the term decides)


def test_term_frequency_by_group_uses_group_totals_and_keeps_unknown(news):
    tf = fq.term_frequency(news, by="outlet")
    # c1 has no outlet: it is the group "(unknown)", sorted first ("(" < "A"), never dropped
    assert tf["outlet"].unique().tolist() == ["(unknown)", "A", "B"]
    t = tf.set_index(["outlet", "term"])
    # A = a1 + a2 = 9 word tokens, B = b1 = 6, (unknown) = c1 = 6
    assert t.at[("A", "санкция"), "count"] == 3
    assert t.at[("A", "санкция"), "per_10k"] == pytest.approx(3 / 9 * 10_000)  # 3333.33
    assert t.at[("A", "санкция"), "docs"] == 2 and t.at[("A", "санкция"), "doc_share"] == 1.0
    assert t.at[("A", "перемирие"), "doc_share"] == pytest.approx(1 / 2)  # a2 only
    assert t.at[("B", "перемирие"), "per_10k"] == pytest.approx(3 / 6 * 10_000)  # 5000
    assert t.at[("(unknown)", "обсуждать"), "per_10k"] == pytest.approx(1 / 6 * 10_000)
    # the counts of every group add up to the overall counts
    assert tf.groupby("term")["count"].sum().to_dict() == fq.term_frequency(news).set_index("term")["count"].to_dict()
    sizes = fq.group_sizes(news, "outlet")
    assert sizes.values.tolist() == [["(unknown)", 1, 6], ["A", 2, 9], ["B", 1, 6]]
    # the first version's name of the parameter still works, with a warning
    with pytest.warns(DeprecationWarning, match="column= is deprecated"):
        old = fq.term_frequency(news, column="outlet")
    pd.testing.assert_frame_equal(old, tf)


def test_min_count_and_surface_unit(news):
    # surface forms, lower-cased: «санкции» 4 (Санкции, санкции, санкции, Санкции), «перемирие» 5
    tf = fq.term_frequency(news, unit="token", min_count=2)
    assert tf[["term", "count"]].values.tolist() == [["перемирие", 5], ["санкции", 4]]
    by = fq.term_frequency(news, by="outlet", min_count=2)  # min_count applies within the group
    assert by[["outlet", "term", "count"]].values.tolist() == [["A", "санкция", 3], ["B", "перемирие", 3]]


def test_count_matrix_agrees_with_term_frequency(news):
    counts = fq.count_matrix(news, "outlet")
    # every group is a column, "(unknown)" included (the first version dropped c1 here)
    assert counts.columns.tolist() == ["(unknown)", "A", "B"]
    assert counts.index.tolist() == ["год", "готовый", "новый", "обсуждать", "перемирие", "россия", "санкция"]
    assert counts.loc["перемирие"].tolist() == [1, 1, 3]
    assert counts.loc["санкция"].tolist() == [1, 3, 0]
    assert counts.dtypes.unique().tolist() == [np.dtype("int64")]
    long = fq.term_frequency(news, by="outlet").pivot_table(index="term", columns="outlet", values="count", fill_value=0)
    pd.testing.assert_frame_equal(counts, long.astype(np.int64), check_names=False)
    # the groups' real sizes travel with the table (stop words included: 6, 9, 6) …
    assert counts.attrs["totals"] == {"(unknown)": 6, "A": 9, "B": 6}
    # … so that keyness rates are term_frequency's per_10k (A: санкция 3 of 9 tokens)
    ovr = stats.one_vs_rest(counts).set_index(["group", "term"])
    assert ovr.at[("A", "санкция"), "per_10k_target"] == pytest.approx(3 / 9 * 10_000)
    # rest of A = (unknown) + B = 12 tokens, 1 санкция
    assert ovr.at[("A", "санкция"), "per_10k_reference"] == pytest.approx(1 / 12 * 10_000)
    # G² of [[3, 6], [1, 11]]: N 21, rows 9 / 12, columns 4 / 17 -> E = [[12/7, 51/7], [16/7, 68/7]]
    #   3 ln(7/4) + 6 ln(42/51) + ln(7/16) + 11 ln(77/68) = 1.678847 - 1.164936 - 0.826679 + 1.367275
    #   = 1.054507 -> G² = 2.109015 (the columns' sums, 7 content tokens each, would give another table)
    e = [9 * 4 / 21, 9 * 17 / 21, 12 * 4 / 21, 12 * 17 / 21]
    g2 = 2 * (3 * math.log(3 / e[0]) + 6 * math.log(6 / e[1]) + 1 * math.log(1 / e[2]) + 11 * math.log(11 / e[3]))
    assert ovr.at[("A", "санкция"), "g2"] == pytest.approx(g2)
    assert ovr.at[("A", "санкция"), "g2"] == pytest.approx(2.109015, abs=1e-6)
    # names (or any terms) set aside leave the rows, not the totals
    fewer = fq.count_matrix(news, "outlet", exclude={"санкция"})
    assert "санкция" not in fewer.index and fewer.attrs["totals"] == counts.attrs["totals"]
    # the first version's call (tokens, by, docs=) still works, with a warning
    with pytest.warns(DeprecationWarning, match=r"count_matrix\(docs, tokens, \.\.\.\) is deprecated"):
        old = fq.count_matrix(news.tokens, "outlet", docs=news.docs.drop(columns="n_tokens"))
    pd.testing.assert_frame_equal(old, counts)


def test_counts_leave_out_the_documents_the_corpus_left_out():
    docs = pd.DataFrame(
        {
            "doc_id": ["r1", "r2", "r3", "u1"],
            "outlet": ["A", "B", "B", "C"],
            "lang": ["ru", "ru", "ru", "uk"],
            "text": [
                "Санкции против России продлили.",
                "Новые санкции обсуждают в Брюсселе.",
                "Новые санкции обсуждают в Брюсселе.",
                "Нові санкції проти Росії ухвалили.",
            ],
            "duplicate_of": [None, None, "r2", None],
        }
    )
    corpus = build_corpus(docs, mwes=None, cache=False)
    # the Ukrainian article (another language than the main one) and the copy are not analysed…
    assert corpus.left_out[["doc_id", "reason"]].values.tolist() == [["r3", "copy"], ["u1", "language"]]
    tf = fq.term_frequency(corpus, by="outlet").set_index(["outlet", "term"])
    # …so neither counts: санкция once in r1 (A) and once in r2 (B), and no group C at all
    assert tf.xs("санкция", level="term")["count"].to_dict() == {"A": 1, "B": 1}
    assert fq.count_matrix(corpus, "outlet").columns.tolist() == ["A", "B"]
    # r1 has 4 word tokens, r2 5 (санкции обсуждают в Брюсселе + новые): B's rate is 1 of 5
    assert tf.at[("B", "санкция"), "per_10k"] == pytest.approx(1 / 5 * 10_000)


# --------------------------------------------------------------------------------------------
# document_term_matrix, tfidf
# --------------------------------------------------------------------------------------------


def test_document_term_matrix_by_hand(news):
    matrix, rows, terms = fq.document_term_matrix(news)
    assert sparse.issparse(matrix) and matrix.format == "csr" and matrix.dtype == np.int64
    assert matrix.shape == (4, 7)
    assert rows.tolist() == ["a1", "a2", "b1", "c1"]
    assert terms.tolist() == ["год", "готовый", "новый", "обсуждать", "перемирие", "россия", "санкция"]
    assert matrix.toarray().tolist() == [
        [0, 1, 1, 0, 0, 1, 2],  # a1: готовый, новый, россия, санкция ×2
        [0, 0, 0, 0, 1, 0, 1],  # a2
        [0, 0, 0, 0, 3, 0, 0],  # b1
        [1, 0, 0, 1, 1, 0, 1],  # c1
    ]
    frequent, _, kept = fq.document_term_matrix(news, min_docs=2)
    assert kept.tolist() == ["перемирие", "санкция"] and frequent.toarray()[:, 0].tolist() == [0, 1, 3, 1]
    # scikit-learn's CountVectorizer on the same lemmas builds the same matrix
    from sklearn.feature_extraction.text import CountVectorizer

    lemmas = [[w.partition("=")[2] or w.lower() for w in NEWS[d].split() if w != "." and not w.endswith("*") and not w.isdigit()] for d in rows]
    vectorizer = CountVectorizer(analyzer=lambda doc: doc)
    theirs = vectorizer.fit_transform(lemmas)
    assert vectorizer.get_feature_names_out().tolist() == terms.tolist()
    assert (theirs != matrix).nnz == 0


def test_tfidf_by_hand(news):
    table = fq.tfidf(news, top=None).set_index(["doc_id", "term"])
    # b1: перемирие 3 of 6 tokens; df(перемирие) = 3 of 4 documents -> 3/6 ln(4/3) = 0.143841
    assert table.at[("b1", "перемирие"), "tf"] == pytest.approx(3 / 6)
    assert table.at[("b1", "перемирие"), "idf"] == pytest.approx(math.log(4 / 3))
    assert table.at[("b1", "перемирие"), "tfidf"] == pytest.approx(3 / 6 * math.log(4 / 3))
    # a1: россия once in 6 tokens, only in a1 -> 1/6 ln 4 = 0.231049
    assert table.at[("a1", "россия"), "tfidf"] == pytest.approx(1 / 6 * math.log(4))
    # c1: 6 word tokens (the number is not one): обсуждать 1/6 ln 4
    assert table.at[("c1", "обсуждать"), "tf"] == pytest.approx(1 / 6)
    # scikit-learn's idf without smoothing is ln(N / df) + 1
    from sklearn.feature_extraction.text import TfidfTransformer

    matrix, _, terms = fq.document_term_matrix(news)
    idf = pd.Series(TfidfTransformer(smooth_idf=False, norm=None).fit(matrix).idf_ - 1, index=terms)
    assert table.reset_index().drop_duplicates("term").set_index("term")["idf"].sort_index().tolist() == pytest.approx(idf.sort_index().tolist())
    # top=1: a1's three terms at 0.231049 tie; the tie goes to the first term, готовый
    top = fq.tfidf(news, top=1)
    assert top[["doc_id", "term"]].values.tolist() == [["a1", "готовый"], ["a2", "перемирие"], ["b1", "перемирие"], ["c1", "год"]]



def test_row_floor_is_each_rows_top_th_distinct_value():
    values = np.array([0.5, 0.2, 0.5, 0.1, 0.9, 0.3, 0.3])
    row = np.array([0, 0, 0, 0, 2, 2, 2])  # row 1 is empty
    # row 0, top 2: distinct 0.5 > 0.2 -> 0.2; row 2: 0.9 > 0.3 -> 0.3; row 1 has nothing: -inf
    assert fq._row_floor(values, row, 3, 2).tolist() == [0.2, -np.inf, 0.3]
    # top 3: row 0 -> 0.1; row 2 has two distinct values only -> -inf (keep all)
    assert fq._row_floor(values, row, 3, 3).tolist() == [0.1, -np.inf, -np.inf]
    assert fq._row_floor(values, row, 3, 0).tolist() == [-np.inf] * 3


def test_tfidf_top_equals_the_head_of_the_full_sort_per_document():
    rng = np.random.default_rng(5)
    vocab = [f"w{i}" for i in range(9)]
    docs = {f"d{i:02d}": " ".join(rng.choice(vocab, size=int(rng.integers(1, 14)))) + " ." for i in range(30)}
    corpus = corpus_of(docs)
    full = fq.tfidf(corpus, top=None)
    for top in (1, 2, 4, 100):
        expected = full.groupby("doc_id", sort=False).head(top).reset_index(drop=True)
        pd.testing.assert_frame_equal(fq.tfidf(corpus, top=top), expected)


# --------------------------------------------------------------------------------------------
# trend
# --------------------------------------------------------------------------------------------


def test_trend_is_normalised_by_period_size_and_says_what_it_left_out(news):
    tr = fq.trend(news, ["санкция", "перемирие", "мир"], period="W")
    # weeks start on Monday: a1 (Mon 5 Jan) and a2 (Tue 6 Jan) in one, b1 (Tue 13 Jan) in the next
    week1, week2 = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12")
    assert tr.columns.tolist() == ["period", "term", "count", "tokens", "per_10k"]
    assert tr[["period", "term"]].values.tolist() == [
        [week1, "мир"], [week1, "перемирие"], [week1, "санкция"], [week2, "мир"], [week2, "перемирие"], [week2, "санкция"],
    ]
    t = tr.set_index(["period", "term"])
    assert t.at[(week1, "санкция"), "count"] == 3 and t.at[(week1, "санкция"), "tokens"] == 9
    assert t.at[(week1, "санкция"), "per_10k"] == pytest.approx(3 / 9 * 10_000)
    assert t.at[(week2, "санкция"), "count"] == 0  # listed with zero, not missing
    assert t.at[(week2, "перемирие"), "per_10k"] == pytest.approx(3 / 6 * 10_000)
    assert t.at[(week1, "мир"), "count"] == 0  # a term the corpus lacks is listed too
    # c1 has no date: it is in no period, and the table says so
    assert tr.attrs["left_out"] == [{"doc_id": "c1", "reason": "no date"}]
    assert tr.groupby("term")["count"].sum()["санкция"] == 3  # c1's санкция is not counted
    months = fq.trend(news, ["санкция"], period="M")
    assert months[["period", "count", "tokens"]].values.tolist() == [[pd.Timestamp("2026-01-01"), 3, 15]]
    days = fq.trend(news, ["санкция"], period="D")
    assert days["count"].tolist() == [2, 1, 0] and days["tokens"].tolist() == [6, 3, 6]
    split = fq.trend(news, ["санкция"], by="outlet", period="W")
    assert split[["period", "outlet", "count", "tokens"]].values.tolist() == [[week1, "A", 3, 9], [week2, "B", 0, 6]]
    with pytest.warns(DeprecationWarning, match="freq= is deprecated"):
        old = fq.trend(news, ["санкция", "перемирие", "мир"], freq="W")
    pd.testing.assert_frame_equal(old, tr)
    with pytest.raises(ValueError, match="period must be"):
        fq.trend(news, ["санкция"], period="Y")


# --------------------------------------------------------------------------------------------
# ngrams, likely_names
# --------------------------------------------------------------------------------------------

CEASEFIRE = {
    "d1": "Режим=режим прекращения=прекращение огня=огонь соблюдается=соблюдаться . "
    "Режим=режим прекращения=прекращение огня=огонь нарушен=нарушить .",
    "d2": "Режим=режим прекращения=прекращение огня=огонь в* 2026 году=год .",
}


def test_packed_ngram_counts_equal_the_grouping():
    corpus = corpus_of(CEASEFIRE, outlet=["A", "B"])
    rng = np.random.default_rng(3)
    words = [rng.integers(-1, 6, size=400) for _ in range(3)]  # many repeats, the missing code -1 too
    doc = np.sort(rng.integers(0, 2, size=400))
    for cols in ([], ["outlet"]):
        packed = fq._ngram_counts(corpus, cols, words, doc)
        grouped = fq._ngram_counts(corpus, cols, words, doc, pack=False)
        keys = [*cols, "w0", "w1", "w2"]
        a = packed.sort_values(keys).reset_index(drop=True)
        b = grouped.sort_values(keys).reset_index(drop=True)[a.columns]
        assert a["count"].sum() == 400 and (a["docs"] <= 2).all()
        pd.testing.assert_frame_equal(a, b, check_dtype=False)

    for cols in ([], ["outlet"]):  # a floor drops the rare sequences and counts documents for the others only
        every = fq._ngram_counts(corpus, cols, words, doc).sort_values([*cols, "w0", "w1", "w2"]).reset_index(drop=True)
        floored = fq._ngram_counts(corpus, cols, words, doc, min_count=3).sort_values([*cols, "w0", "w1", "w2"])
        for packed in (True, False):
            got = fq._ngram_counts(corpus, cols, words, doc, min_count=3, pack=packed)
            got = got.sort_values([*cols, "w0", "w1", "w2"]).reset_index(drop=True)[every.columns]
            pd.testing.assert_frame_equal(got, every[every["count"] >= 3].reset_index(drop=True), check_dtype=False)
        assert len(floored) < len(every)


def test_reaching_top_keeps_every_row_a_sort_and_head_could_keep():
    values = pd.Series([5.0, 3.0, 3.0, np.nan, 1.0, 3.0, 7.0])
    # the 3rd largest is 3.0: 7, 5 and every 3.0 (ties) reach it; 1.0 and NaN cannot
    assert fq._reaching_top(values, 3).tolist() == [True, True, True, False, False, True, True]
    # fewer non-missing values than top: all rows, NaN too (it sorts last but still makes the head)
    assert fq._reaching_top(values, 7).all()
    assert not fq._reaching_top(values, 0).any()
    group = pd.Series(["a", "a", "b", "b", "b", "a", "b"])
    # per group, top 1: a → 5.0; b → 7.0
    assert fq._reaching_top(values, 1, [group]).tolist() == [True, False, False, False, False, False, True]
    # b has 3 non-missing values, top 4: all of b, NaN included; a keeps its 3 rows
    assert fq._reaching_top(values, 4, [group]).all()


def test_ngrams_and_collocations_top_equal_the_head_of_the_full_sort():
    rng = np.random.default_rng(11)
    vocab = [f"w{i}" for i in range(12)]
    docs = {f"d{i}": " ".join(" ".join(rng.choice(vocab, size=6)) + " ." for _ in range(5)) for i in range(8)}
    corpus = corpus_of(docs, outlet=list("ABABABAB"))
    for n, by in ((2, None), (3, None), (2, "outlet")):
        full = fq.ngrams(corpus, n, by=by, min_count=2, top=None)
        for top in (1, 3, 10):
            expected = (full.groupby(by, sort=False).head(top) if by else full.head(top)).reset_index(drop=True)
            pd.testing.assert_frame_equal(fq.ngrams(corpus, n, by=by, min_count=2, top=top), expected)
    for measure in fq.MEASURES:
        for window in (1, 2):
            full = fq.collocations(corpus, measure=measure, window=window, min_count=1, top=None, drop_stop=False)
            for top in (1, 5, 40):
                got = fq.collocations(corpus, measure=measure, window=window, min_count=1, top=top, drop_stop=False)
                pd.testing.assert_frame_equal(got, full.head(top).reset_index(drop=True))


def test_ngrams_by_hand():
    corpus = corpus_of(CEASEFIRE, outlet=["A", "B"])
    # trigrams inside sentences: d1 «режим прекращение огонь» ×2, «прекращение огонь соблюдаться»,
    # «прекращение огонь нарушить»; d2 «режим прекращение огонь», «прекращение огонь в»,
    # «огонь в год» (the number is not a term: the sequence runs over it)
    every = fq.ngrams(corpus, 3, min_count=1, top=None)
    assert every.values.tolist() == [
        ["режим прекращение огонь", 3, 2],
        ["огонь в год", 1, 1],
        ["прекращение огонь в", 1, 1],
        ["прекращение огонь нарушить", 1, 1],
        ["прекращение огонь соблюдаться", 1, 1],
    ]
    # «соблюдаться режим прекращение» would cross the sentence boundary of d1: it is not there
    assert "соблюдаться режим прекращение" not in set(every["ngram"])
    assert fq.ngrams(corpus, 3).values.tolist() == [["режим прекращение огонь", 3, 2]]  # min_count=2
    assert fq.ngrams(corpus, 3, min_count=1, top=2)["ngram"].tolist() == ["режим прекращение огонь", "огонь в год"]
    by = fq.ngrams(corpus, 3, by="outlet", min_count=1, top=1)
    # B's n-grams are all seen once: the tie goes to the first in order, «огонь в год»
    assert by.values.tolist() == [["A", "режим прекращение огонь", 2, 1], ["B", "огонь в год", 1, 1]]
    # without the stop word «в», d2 reads «режим прекращение огонь год»
    assert "прекращение огонь год" in set(fq.ngrams(corpus, 3, min_count=1, top=None, drop_stop=True)["ngram"])
    assert fq.ngrams(corpus, 3, unit="token", min_count=3)["ngram"].tolist() == ["режим прекращения огня"]
    # 4-grams: one in each 4-term sentence of d1, two in d2's 5 terms (режим … в, прекращение … год)
    four = fq.ngrams(corpus, 4, min_count=1, top=None)
    assert four["ngram"].tolist() == ["прекращение огонь в год", "режим прекращение огонь в", "режим прекращение огонь нарушить", "режим прекращение огонь соблюдаться"]
    with pytest.raises(ValueError, match="at least 1"):
        fq.ngrams(corpus, 0)


def test_likely_names():
    corpus = corpus_of(
        {
            "x": "Эксперт Ракитин спорил . Потом Ракитин и* эксперт молчали . Эксперт ушел . "
            "Вчера в* Москве=москва и* москве=москва говорили=говорить . Утром Петров ушел .",
        }
    )
    # inside sentences (a sentence's first word is capitalised anyway, so it does not count):
    # ракитин 2 of 2 capitalised -> a name; эксперт 0 of 1; москва 1 of 2 (0.5 < 0.9);
    # петров 1 of 1 but seen once (min_count=2)
    assert fq.likely_names(corpus) == {"ракитин"}
    assert fq.likely_names(corpus, min_count=1) == {"ракитин", "петров"}
    assert fq.likely_names(corpus, min_share=0.5) == {"ракитин", "москва"}
    counts = fq.count_matrix(corpus_of({"x": "Эксперт Ракитин спорил . Потом Ракитин и* эксперт молчали . Эксперт ушел ."}, outlet=["A"]), "outlet", exclude={"ракитин"})
    assert "ракитин" not in counts.index and counts.loc["эксперт", "A"] == 3


# --------------------------------------------------------------------------------------------
# collocations
# --------------------------------------------------------------------------------------------

# Two sentences, no stop words: «a b c a b» and «b a b». N = 8 tokens (no sentence markers),
# f(a) = 3, f(b) = 4, f(c) = 1. Adjacent pairs inside the sentences: (a, b) ×3 (two in the first
# sentence, one in the second), (b, c), (c, a), (b, a). «b | b» across the boundary is no pair.
PAIRS = {"d": "a b c a b . b a b ."}


def test_collocations_by_hand_n_excludes_sentence_markers():
    table = fq.collocations(corpus_of(PAIRS), min_count=1, top=None)
    assert table.columns.tolist() == ["w1", "w2", "count", "f1", "f2", "expected", "pmi", "log_likelihood", "t_score", "log_dice", "mi3"]
    assert set(zip(table["w1"], table["w2"])) == {("a", "b"), ("b", "c"), ("c", "a"), ("b", "a")}
    ab = table.set_index(["w1", "w2"]).loc[("a", "b")]
    assert ab[["count", "f1", "f2"]].tolist() == [3, 3, 4]
    # E = f1 f2 / N = 3 * 4 / 8 = 1.5 (with a marker between the sentences, N = 9 and E = 1.333)
    assert ab["expected"] == pytest.approx(1.5)
    # PMI = log2(3 / 1.5) = 1
    assert ab["pmi"] == pytest.approx(1.0)
    # t = (3 - 1.5) / sqrt(3) = 0.866025
    assert ab["t_score"] == pytest.approx(1.5 / math.sqrt(3))
    # logDice (Rychlý 2008) = 14 + log2(2 * 3 / (3 + 4)) = 14 + log2(6/7) = 13.777608
    assert ab["log_dice"] == pytest.approx(14 + math.log2(6 / 7))
    assert ab["log_dice"] == pytest.approx(13.777608, abs=1e-6)
    # MI3 = log2(f_xy³ N / (f_x f_y)) = log2(27 * 8 / 12) = log2 18 = 4.169925
    assert ab["mi3"] == pytest.approx(math.log2(27 * 8 / 12))
    # G² of [[3, 0], [1, 4]] (o, f1 - o; f2 - o, N - f1 - f2 + o): rows 3 / 5, columns 4 / 4
    #   E = [[1.5, 1.5], [2.5, 2.5]]; 3 ln 2 + 0 + 1 ln(1/2.5) + 4 ln(4/2.5)
    #   = 2.079442 - 0.916291 + 1.880015 = 3.043165 -> G² = 6.086331
    g2 = 2 * (3 * math.log(3 / 1.5) + math.log(1 / 2.5) + 4 * math.log(4 / 2.5))
    assert ab["log_likelihood"] == pytest.approx(g2)
    assert ab["log_likelihood"] == pytest.approx(6.086331, abs=1e-6)
    # ranked by the measure, then the words: (a, b) first by G²
    assert table[["w1", "w2"]].iloc[0].tolist() == ["a", "b"]
    assert fq.collocations(corpus_of(PAIRS), min_count=2)[["w1", "w2"]].values.tolist() == [["a", "b"]]
    with pytest.raises(ValueError, match="measure must be"):
        fq.collocations(corpus_of(PAIRS), measure="likelihood_ratio")


def test_collocations_window_counts_pairs_within_w_tokens():
    corpus = corpus_of(PAIRS)
    adjacent = fq.collocations(corpus, window=1, min_count=1, top=None).set_index(["w1", "w2"])
    wide = fq.collocations(corpus, window=5, min_count=1, top=None).set_index(["w1", "w2"])
    # window 5, first sentence «a b c a b» (positions 0–4): a0→b1, a0→b4, a3→b4; second «b a b»:
    # a→b once more -> (a, b) 4. (b, b): b1→b4 and b0→b2 of the second -> 2, never adjacent.
    assert adjacent.at[("a", "b"), "count"] == 3 and wide.at[("a", "b"), "count"] == 4
    assert ("b", "b") not in adjacent.index and wide.at[("b", "b"), "count"] == 2
    assert wide.at[("a", "a"), "count"] == 1  # a0→a3
    # windowed counts are divided by the window (NLTK): o = 4/5, PMI = log2(0.8 / 1.5) = -0.906891
    assert wide.at[("a", "b"), "pmi"] == pytest.approx(math.log2(0.8 / 1.5))
    assert wide.at[("a", "b"), "log_dice"] == pytest.approx(14 + math.log2(2 * 0.8 / 7))
    assert wide.at[("a", "b"), "expected"] == pytest.approx(1.5)  # N is still 8
    with pytest.raises(ValueError, match="window must be"):
        fq.collocations(corpus, window=0)


def test_collocations_drop_stop_makes_content_words_adjacent():
    corpus = corpus_of({"d": "удар по* Киеву=киев . удар по* Киеву=киев . удар ночью ."})
    content = fq.collocations(corpus, min_count=2).set_index(["w1", "w2"])
    # without the stop word the sentences read «удар киев», «удар киев», «удар ночью»: N = 6
    assert content.index.tolist() == [("удар", "киев")]
    assert content.at[("удар", "киев"), "expected"] == pytest.approx(3 * 2 / 6)
    every = fq.collocations(corpus, min_count=2, drop_stop=False).set_index(["w1", "w2"])
    assert sorted(every.index) == [("по", "киев"), ("удар", "по")]
    assert every.at[("удар", "по"), "expected"] == pytest.approx(3 * 2 / 8)  # N = 8 with «по»


def test_collocations_match_nltk():
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    sentences = [s.split() for s in ("a b c a b", "b a b", "c c a b a d")]
    corpus = corpus_of({"d1": "a b c a b . b a b .", "d2": "c c a b a d ."})
    measures = BigramAssocMeasures()
    for window in (1, 5):
        ours = fq.collocations(corpus, window=window, min_count=1, top=None).set_index(["w1", "w2"])
        if window == 1:
            finder = BigramCollocationFinder.from_documents(sentences)
            # one sentence as words: NLTK and we agree without any boundary at all
            single = BigramCollocationFinder.from_words(sentences[2])
            alone = fq.collocations(corpus_of({"x": " ".join(sentences[2])}), min_count=1, top=None).set_index(["w1", "w2"])
            assert dict(single.score_ngrams(measures.pmi)) == pytest.approx(alone["pmi"].to_dict())
        else:  # window - 1 None pads after each sentence keep NLTK's windows inside it
            finder = BigramCollocationFinder.from_words([w for s in sentences for w in s + [None] * window], window_size=window + 1)
        assert finder.N == 14  # the pads are not words
        assert set(finder.ngram_fd) == set(ours.index)
        for column, measure in (("pmi", measures.pmi), ("log_likelihood", measures.likelihood_ratio), ("t_score", measures.student_t)):
            theirs = dict(finder.score_ngrams(measure))
            assert ours[column].to_dict() == pytest.approx(theirs), (window, column)


# --------------------------------------------------------------------------------------------
# dispersion
# --------------------------------------------------------------------------------------------


def test_dispersion_positions_by_hand():
    # documents in date order: b (1 Jan), a (3 Jan), then c (no date): the concatenation is
    # b0 b1 | a0 a1 a2 | c0 c1, seven tokens at positions 0/6 … 6/6
    corpus = corpus_of({"a": "x y x .", "b": "x y .", "c": "y x ."}, date=pd.to_datetime(["2026-01-03", "2026-01-01", None]))
    disp = fq.dispersion(corpus, ["x", "y", "z"])
    assert disp.columns.tolist() == ["term", "doc_id", "position"]
    assert disp["term"].tolist() == ["x", "x", "x", "x", "y", "y", "y"]
    # x: b0 (0), a0 (2), a2 (4), c1 (6); y: b1 (1), a1 (3), c0 (5)
    assert disp["doc_id"].tolist() == ["b", "a", "a", "c", "b", "a", "c"]
    assert disp["position"].tolist() == pytest.approx([0, 2 / 6, 4 / 6, 1, 1 / 6, 3 / 6, 5 / 6])
    by_id = fq.dispersion(corpus, ["x"], order_by="doc_id")  # a0 a1 a2 | b0 b1 | c0 c1
    assert by_id["position"].tolist() == pytest.approx([0, 2 / 6, 3 / 6, 1])
    with pytest.warns(DeprecationWarning, match="is deprecated"):
        old = fq.dispersion(corpus.tokens, ["x", "y", "z"], docs=corpus.docs)
    pd.testing.assert_frame_equal(old, disp)


def test_dispersion_stats_lijffijt_gries_example():
    # Lijffijt & Gries (2012), Table 1: three equally large parts, 2/3 of the occurrences in one
    # part and 1/3 in another. v = (2, 1, 0), s = (1/3, 1/3, 1/3):
    #   DP = (|2/3 - 1/3| + |1/3 - 1/3| + |0 - 1/3|) / 2 = 1/3; DP_norm = (1/3) / (1 - 1/3) = 1/2
    # Juilland: p = v / 6 = (1/3, 1/6, 0), mean 1/6, population sd = sqrt((1/36 + 0 + 1/36) / 3)
    #   = 0.136083, V = sd / mean = 0.816497, D = 1 - V / sqrt(2) = 1 - 1/sqrt(3) = 0.422650
    corpus = corpus_of({"p1": "x x y y y y .", "p2": "x y y y y y .", "p3": "y y y y y y ."})
    table = fq.dispersion_stats(corpus)
    assert table.columns.tolist() == ["count", "range", "range_share", "juilland_d", "dp", "dp_norm"]
    x = table.loc["x"]
    assert x[["count", "range"]].tolist() == [3, 2]
    assert x["range_share"] == pytest.approx(2 / 3)
    assert x["dp"] == pytest.approx(1 / 3)
    assert x["dp_norm"] == pytest.approx(1 / 2)
    assert x["juilland_d"] == pytest.approx(1 - 1 / math.sqrt(3))
    # y: v = (4, 5, 6), f = 15: DP = (|4/15 - 1/3| + |5/15 - 1/3| + |6/15 - 1/3|) / 2 = 1/15
    assert table.at["y", "dp"] == pytest.approx(1 / 15)
    assert table.index.tolist() == ["y", "x"]  # count descending
    # a term in one part only: D = 0 exactly, DP_norm = 1 on equal parts
    one = fq.dispersion_stats(corpus_of({"p1": "z y .", "p2": "y y .", "p3": "y y ."})).loc["z"]
    assert one["juilland_d"] == 0.0 and one["dp_norm"] == pytest.approx(1.0)
    # …also where the division leaves rounding noise (-2.2e-16 on parts of 6, 3, 6, 5 tokens,
    # +1.1e-16 on 6, 3, 6): a table shows 0, not -0.000 or 1.1e-16
    for spec in ({"p1": "z y y y y y .", "p2": "y y y .", "p3": "y y y y y y .", "p4": "y y y y y ."}, {"p1": "z y y y y y .", "p2": "y y y .", "p3": "y y y y y y ."}):
        assert fq.dispersion_stats(corpus_of(spec)).at["z", "juilland_d"] == 0.0
    # parts= groups documents: p1 + p2 against p3
    grouped = fq.dispersion_stats(corpus.docs.assign(half=["a", "a", "b"]).pipe(lambda d: Corpus(d, corpus.tokens)), ["x"], parts="half")
    # v = (3, 0), s = (12/18, 6/18): DP = (|1 - 2/3| + |0 - 1/3|) / 2 = 1/3, DP_norm = (1/3) / (2/3)
    assert grouped.loc["x", ["range", "dp", "dp_norm"]].tolist() == pytest.approx([1, 1 / 3, 1 / 2])


def test_dispersion_stats_published_lyne_allemand():
    # Lyne (1985): the lemma ALLEMAND in the ten parts of a corpus of French business letters, as
    # the R package tlda (Sönning) prints it: range 5 of 10, Juilland's D 0.6038797, and DP
    # 0.4990705 in Gries' direction (tlda shows 1 - DP = 0.5009295). DP by hand: f = 10,
    # v / f = (.2, 0, .1, .1, .3, 0, .3, 0, 0, 0) against the parts' shares of 80,577 tokens.
    freq = [2, 0, 1, 1, 3, 0, 3, 0, 0, 0]
    sizes = [8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930]
    lemmas = np.concatenate([["allemand"] * f + ["mot"] * (s - f) for f, s in zip(freq, sizes)])
    ids = np.repeat([f"t{i:02d}" for i in range(10)], sizes)
    n = len(lemmas)
    tokens = pd.DataFrame(
        {
            "doc_id": ids, "sentence": 0, "paragraph": 0, "start": 0, "end": 1, "token": pd.Categorical(lemmas), "lemma": pd.Categorical(lemmas),
            "kind": pd.Categorical(["word"] * n, categories=KINDS), "pos": "", "is_stop": False, "lang": pd.Categorical(["fr"] * n),
            "mwe": pd.Categorical([None] * n, categories=[]), "mwe_first": False,
        }
    )
    corpus = Corpus.from_frames(pd.DataFrame({"doc_id": sorted(set(ids)), "text": "", "lang": "fr"}), tokens)
    row = fq.dispersion_stats(corpus, ["allemand"]).loc["allemand"]
    share = np.array(sizes) / n
    dp = 0.5 * np.abs(np.array(freq) / 10 - share).sum()
    assert row["range"] == 5 and row["range_share"] == 0.5
    assert row["juilland_d"] == pytest.approx(0.6038797, abs=5e-8)
    assert row["dp"] == pytest.approx(0.4990705, abs=5e-8)
    assert row["dp"] == pytest.approx(dp)
    assert row["dp_norm"] == pytest.approx(dp / (1 - 7930 / 80577))  # the smallest part: 7930 tokens


def test_dispersion_stats_ignores_parts_without_words():
    # a document that is only a link has no word token: it is not a part of the corpus
    words = {"p1": "x x y y y y .", "p2": "x y y y y y .", "p3": "y y y y y y ."}
    plain = fq.dispersion_stats(corpus_of(words))
    linked = fq.dispersion_stats(corpus_of({**words, "p4": "https://example.org ."}))
    pd.testing.assert_frame_equal(plain, linked)
    assert linked.at["x", "range_share"] == pytest.approx(2 / 3)  # not 2 / 4


def test_vocabulary_sizes_count_the_forms_stems_and_lemmas_words_use():
    from helpers.text import add_stems

    # «Дом» and «дом» are one lower-case form, «Дома» and «дома» another: 2 forms, 1 lemma;
    # Snowball cuts both to «дом»: 1 stem. The number and the link are not words: not counted.
    corpus = corpus_of({"d1": "Дом=дом дом Дома=дом . дома=дом 2026 http://t.me/x", "d2": "Москва=москва ."})
    stems = add_stems(corpus.tokens)["stem"]
    sizes = fq.vocabulary_sizes(corpus, stems=stems)
    assert sizes.to_dict() == {"surface forms (lower case)": 3, "stems": 2, "lemmas": 2}
    assert sizes.name == "distinct"
    assert "stems" not in fq.vocabulary_sizes(corpus)


def test_vocabulary_sizes_equal_pandas_nunique(news):
    from helpers.text import add_stems

    with_stems = add_stems(news.tokens)
    words = news.words()
    forms = news.tokens.loc[words, "token"].astype(str).str.lower().nunique()
    expected = {"surface forms (lower case)": forms, "stems": with_stems.loc[words, "stem"].nunique(), "lemmas": news.tokens.loc[words, "lemma"].nunique()}
    assert fq.vocabulary_sizes(news, stems=with_stems["stem"]).to_dict() == expected
