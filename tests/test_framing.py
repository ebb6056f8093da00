"""Tests of frame hits and scores, prevalence with intervals and tests, cue diagnostics, lexical
choice, actors × frames and the dictionary check (all hand-computed).

Texts were written for these tests in the manner of news reports. The frame dictionary of most
tests is ``FRAMES`` below; the bundled dictionaries resolve to the tests' own copies
(``tests/fixtures/dictionaries``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from helpers import actors, framing
from helpers.constants import SEED
from helpers.corpus import build_corpus

FRAMES = pd.DataFrame(
    [
        ("security", "безопасность"), ("security", "гарантии безопасности"), ("security", "армия"),
        ("economy", "бюджет"), ("economy", "санкция"), ("economy", "экономика"),
        ("pressure", "санкция"), ("pressure", "давление"),
        ("truce", "перемирие"), ("truce", "прекращение огня"),
    ],
    columns=["frame", "cue"],
).assign(lang="ru")

Z = sps.norm.ppf(0.975)

# doc_id, outlet, genre, date, text; word tokens counted by hand in the comments.
DOCS = [
    ("a", "X", "news", "2026-01-05", "Гарантии безопасности обсудили. Армия готова, армия сильна."),  # 7
    ("b", "X", "news", "2026-02-02", "Бюджет страдает от санкций. Безопасность важна."),  # 6
    ("c", "Y", "news", "2026-01-06", "Прекращение огня наступило. Перемирие держится, перемирие хрупкое."),  # 7
    # 23: Экономика страдает | Санкции давят на бюджет | давление растет | экономика слабеет |
    # Армия ждет решения | а перемирие так и не наступило | хотя стороны обещали мир
    ("d", "Y", "feature", None, "Экономика страдает. Санкции давят на бюджет, давление растет, экономика слабеет. "
                                "Армия ждет решения, а перемирие так и не наступило, хотя стороны обещали мир."),
    ("e", "X", "news", "2026-01-20", "Армия наступает."),  # 2
]
# Hits: a security 3 (one «гарантии безопасности», not also «безопасность»; «армия» twice);
# b economy 2 (бюджет, санкций), pressure 1 (санкций), security 1; c truce 3; d economy 4
# (экономика ×2, санкции, бюджет), pressure 2 (санкции, давление), security 1, truce 1; e security 1.
HITS = {("a", "security"): 3, ("b", "economy"): 2, ("b", "pressure"): 1, ("b", "security"): 1, ("c", "truce"): 3,
        ("d", "economy"): 4, ("d", "pressure"): 2, ("d", "security"): 1, ("d", "truce"): 1, ("e", "security"): 1}
TOKENS = {"a": 7, "b": 6, "c": 7, "d": 23, "e": 2}


@pytest.fixture(scope="module")
def corpus():
    docs = pd.DataFrame(DOCS, columns=["doc_id", "outlet", "genre", "date", "text"]).assign(lang="ru")
    docs["date"] = pd.to_datetime(docs["date"])
    return build_corpus(docs, cache=False)


@pytest.fixture(scope="module")
def hits(corpus):
    return framing.frame_hits(corpus, FRAMES)


@pytest.fixture(scope="module")
def scores(corpus, hits):
    return framing.frame_scores(corpus, FRAMES, hits=hits)


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson's score interval, written out (Brown, Cai & DasGupta 2001), 0 and 1 exact at the ends."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return (0.0 if k == 0 else centre - half), (1.0 if k == n else centre + half)


# --------------------------------------------------------------------------------------------
# Hits and scores
# --------------------------------------------------------------------------------------------


def test_token_counts(corpus):
    assert dict(zip(corpus.docs["doc_id"], corpus.docs["n_tokens"])) == TOKENS


def test_frame_hits_longest_cue_and_shared_words(corpus, hits):
    assert list(hits.columns) == framing.HIT_COLUMNS
    a = hits[hits["doc_id"] == "a"]
    assert a[["frame", "cue", "start", "end"]].values.tolist() == [
        ["security", "гарантии безопасности", 0, 21], ["security", "армия", 32, 37], ["security", "армия", 46, 51],
    ]
    b = hits[hits["doc_id"] == "b"]
    # «санкций» counts for economy and for pressure; one row per frame, frames in id order.
    assert b[["frame", "cue"]].values.tolist() == [["economy", "бюджет"], ["economy", "санкция"], ["pressure", "санкция"], ["security", "безопасность"]]
    assert hits.groupby(["doc_id", "frame"]).size().to_dict() == HITS


def test_frame_scores_hits_rule(scores):
    assert len(scores) == 5 * 4  # every document × frame, zeros included
    s = scores.set_index(["doc_id", "frame"])
    assert s["hits"].to_dict() == {k: HITS.get(k, 0) for k in s.index}
    assert s.loc[("a", "security"), "per_10k"] == pytest.approx(3 / 7 * 10_000)
    assert s.loc[("d", "economy"), "per_10k"] == pytest.approx(4 / 23 * 10_000)
    assert (s["tokens"] == [TOKENS[d] for d, _ in s.index]).all()
    # min_hits = 2
    assert sorted(k for k in s.index if s.loc[k, "present"]) == [("a", "security"), ("b", "economy"), ("c", "truce"), ("d", "economy"), ("d", "pressure")]
    assert scores.attrs == {"presence": "hits", "min_hits": 2}


def test_presence_rate_rule(corpus, hits):
    # median length of (7, 6, 7, 23, 2) = 7: two hits in 7 tokens = 2857.14 per 10,000.
    assert framing.presence_rate(corpus, 2) == pytest.approx(2 / 7 * 10_000)
    s = framing.frame_scores(corpus, FRAMES, presence="rate", hits=hits).set_index(["doc_id", "frame"])
    present = sorted(k for k in s.index if s.loc[k, "present"])
    # a security 4286, b economy 3333, c truce 4286, e security 5000 (one hit in two tokens) reach
    # it; d economy 1739 (4 hits in 23 tokens) does not.
    assert present == [("a", "security"), ("b", "economy"), ("c", "truce"), ("e", "security")]
    with pytest.raises(ValueError, match="presence"):
        framing.frame_scores(corpus, FRAMES, presence="share")


def test_length_warning(corpus):
    # genre medians: news (7, 6, 7, 2) -> 6.5, feature (23) -> 23: 3.5x.
    warning = framing.length_warning(corpus, "genre")
    assert warning.startswith("Median lengths differ by 3.5x (news: 6.5 tokens, feature: 23): ")
    assert "presence='rate'" in warning
    # outlets: X (7, 6, 2) -> 6, Y (7, 23) -> 15: 2.5x; with ratio 3 no warning.
    assert "2.5x" in framing.length_warning(corpus, "outlet")
    assert framing.length_warning(corpus, "outlet", ratio=3) is None


# --------------------------------------------------------------------------------------------
# Prevalence
# --------------------------------------------------------------------------------------------


def test_prevalence_wilson_by_hand(corpus, scores):
    prev = framing.prevalence(corpus, scores, by="outlet").set_index(["outlet", "frame"])
    # X = a, b, e; Y = c, d. Present: security a; economy b, d; pressure d; truce c.
    assert prev["n"].to_dict() == {("X", f): 3 for f in FRAMES["frame"].unique()} | {("Y", f): 2 for f in FRAMES["frame"].unique()}
    assert prev.loc[("X", "security"), ["present", "estimate"]].tolist() == [1, pytest.approx(1 / 3)]
    assert prev.loc[("X", "security"), ["low", "high"]].tolist() == pytest.approx(list(wilson(1, 3)))
    assert prev.loc[("X", "truce"), ["estimate", "low", "high"]].tolist() == pytest.approx([0, 0, Z * Z / (3 + Z * Z)])  # 0/3
    assert prev.loc[("Y", "economy"), ["low", "high"]].tolist() == pytest.approx(list(wilson(1, 2)))
    # hits per 10,000 tokens of the group: X security (3 + 1 + 1) / (7 + 6 + 2)
    assert prev.loc[("X", "security"), "per_10k"] == pytest.approx(5 / 15 * 10_000)
    assert prev.loc[("Y", "economy"), "per_10k"] == pytest.approx(4 / 30 * 10_000)
    assert set(prev["note"]) == {"small group"}  # fewer than 10 documents


def test_prevalence_intervals_at_the_edges(corpus, scores):
    one = framing.prevalence(corpus, scores, by="doc_id").set_index(["doc_id", "frame"])
    # n = 1: 1/1 is [1/(1 + z²), 1], 0/1 is [0, z²/(1 + z²)]: never zero width.
    assert one.loc[("a", "security"), ["estimate", "low", "high"]].tolist() == pytest.approx([1, 1 / (1 + Z * Z), 1])
    assert one.loc[("a", "truce"), ["estimate", "low", "high"]].tolist() == pytest.approx([0, 0, Z * Z / (1 + Z * Z)])
    assert (one["high"] - one["low"] > 0.2).all()
    jeffreys = framing.prevalence(corpus, scores, by="doc_id", method="jeffreys").set_index(["doc_id", "frame"])
    assert jeffreys.loc[("a", "security"), "low"] == pytest.approx(sps.beta.ppf(0.025, 1.5, 0.5))
    # the bootstrap collapses there (the reason Wilson is the default)
    boot = framing.prevalence(corpus, scores, by="doc_id", method="bootstrap", n_boot=200).set_index(["doc_id", "frame"])
    assert boot.loc[("a", "security"), ["low", "high"]].tolist() == [1.0, 1.0]


def test_prevalence_by_month_leaves_undated_out(corpus, scores):
    monthly = framing.prevalence(corpus, scores, by="outlet", period="M")
    # d has no date: January X {a, e}, February X {b}, January Y {c}.
    assert monthly[monthly["frame"] == "security"][["outlet", "period", "n", "present"]].astype({"period": str}).values.tolist() == [
        ["X", "2026-01-01", 2, 1], ["X", "2026-02-01", 1, 0], ["Y", "2026-01-01", 1, 0],
    ]
    assert monthly.attrs["left_out"] == [{"doc_id": "d", "reason": "no date"}]


def test_prevalence_tests_by_hand(corpus, scores):
    prev = framing.prevalence(corpus, scores, by="outlet")
    tests = framing.prevalence_tests(prev, "outlet").set_index("frame")
    assert tests[["group_a", "group_b"]].drop_duplicates().values.tolist() == [["X", "Y"]]
    # security: 1 of 3 documents against 0 of 2: expected cells < 5, Fisher's exact test.
    row = tests.loc["security"]
    assert row.share_test == "fisher"
    assert row.share_p == pytest.approx(sps.fisher_exact([[1, 2], [0, 2]])[1])
    # hits: 5 of 15 tokens against 1 of 30; cells [5, 10; 1, 29], expected [2, 13; 4, 26].
    g2 = 2 * (5 * math.log(5 / 2) + 10 * math.log(10 / 13) + 1 * math.log(1 / 4) + 29 * math.log(29 / 26))
    assert row.rate_g2 == pytest.approx(g2)  # positive: X uses the frame more
    assert row.rate_p == pytest.approx(sps.chi2.sf(g2, 1))
    # economy: 2 of 15 against 4 of 30, the same rate: G² = 0, p = 1.
    assert tests.loc["economy", ["rate_g2", "rate_p"]].tolist() == pytest.approx([0, 1])
    # Benjamini–Hochberg over the four frames, from the largest p down.
    p = tests["rate_p"].sort_values(ascending=False)
    m, running, expected = len(p), 1.0, {}
    for rank, (frame, value) in zip(range(len(p), 0, -1), p.items()):
        running = min(running, value * m / rank)
        expected[frame] = running
    assert tests["rate_p_adjusted"].to_dict() == pytest.approx(expected)
    bonferroni = framing.prevalence_tests(prev, "outlet", p_adjust="bonferroni").set_index("frame")
    assert bonferroni["share_p_adjusted"].to_numpy() == pytest.approx(np.minimum(1, bonferroni["share_p"].to_numpy() * 4))


# --------------------------------------------------------------------------------------------
# Cues
# --------------------------------------------------------------------------------------------


def test_cue_report_warns_of_dominant_and_topic_cues(corpus, hits):
    report = framing.cue_report(corpus, hits).set_index(["frame", "cue"])
    # security: армия 4 of 6 hits (a ×2, d, e), in 3 of 5 documents.
    assert report.loc[("security", "армия"), ["hits", "share", "doc_share", "dominant", "topic"]].tolist() == [4, pytest.approx(4 / 6), pytest.approx(3 / 5), True, True]
    assert report.loc[("security", "безопасность"), ["hits", "dominant", "topic"]].tolist() == [1, False, False]
    # economy: бюджет, санкция, экономика 2 each: none dominates.
    assert not report.loc["economy", "dominant"].any()
    assert report.loc[("truce", "перемирие"), ["hits", "share", "dominant"]].tolist() == [3, pytest.approx(3 / 4), True]
    assert list(report.loc["security"].index) == ["армия", "безопасность", "гарантии безопасности"]  # hits, then cue
    strict = framing.cue_report(corpus, hits, max_share=0.8)
    assert not strict["dominant"].any()


def test_topic_cues_and_without_cues(corpus, hits):
    assert framing.topic_cues(corpus, hits) == ["армия"]  # in more than half of the documents
    assert framing.topic_cues(corpus, hits, query=["перемирие"]) == ["армия", "перемирие"]
    trimmed = framing.without_cues(FRAMES, ["армия"])
    assert len(trimmed) == len(FRAMES) - 1 and "армия" not in set(trimmed["cue"])
    assert trimmed.attrs["set_aside"] == ["армия"]
    rescored = framing.frame_scores(corpus, trimmed).set_index(["doc_id", "frame"])
    assert rescored.loc[("a", "security"), "hits"] == 1 and rescored.loc[("e", "security"), "hits"] == 0


def test_frame_evidence_and_its_seeded_sample(corpus, hits):
    ev = framing.frame_evidence(corpus, "security", doc_id="a", frames=FRAMES, window=10)
    assert ev["match"].tolist() == ["Гарантии безопасности", "Армия", "армия"]
    assert ev["cue"].tolist() == ["гарантии безопасности", "армия", "армия"]
    assert ev.loc[1, "right"] == " готова, армия сильна"
    sample = framing.frame_evidence(corpus, "security", frames=FRAMES, sample=3)
    again = framing.frame_evidence(corpus, "security", frames=FRAMES, sample=3, hits=hits)
    pd.testing.assert_frame_equal(sample, again)
    # the documented draw: PCG64(seed), three of the six security hits, kept in text order
    rows = hits[hits["frame"] == "security"].reset_index(drop=True)
    pick = np.sort(np.random.Generator(np.random.PCG64(SEED)).choice(len(rows), size=3, replace=False))
    assert sample[["doc_id", "start"]].values.tolist() == rows.loc[pick, ["doc_id", "start"]].values.tolist()
    other = framing.frame_evidence(corpus, "security", frames=FRAMES, sample=3, seed=SEED + 1)
    assert len(other) == 3
    with pytest.raises(ValueError, match="Unknown frame"):
        framing.frame_evidence(corpus, "morality", frames=FRAMES)


# --------------------------------------------------------------------------------------------
# Lexical choice and actors × frames
# --------------------------------------------------------------------------------------------

CHOICE_DOCS = {
    "l1": ("X", "Газопровод «Северный поток — 2» остановлен. Северный поток — 2 простаивает."),
    "l2": ("X", "Проект Северный поток 2 заморожен."),
    "l3": ("Y", "Северный поток 2 и Северный поток — 2 обсуждали. Перемирие объявлено, перемирие соблюдается."),
    "l4": ("Y", "Прекращение огня пока не наступило."),
    "l5": ("X", "Макрон говорил о безопасности. Макрон обсудил бюджет. Песков молчал."),
    "l6": ("Y", "Песков упомянул санкции. Макрон промолчал."),
}
PIPE = {"pipe": ["Северный поток — 2", "Северный поток 2"], "truce": ["перемирие", "прекращение огня"]}


@pytest.fixture(scope="module")
def choice_corpus():
    docs = pd.DataFrame({"doc_id": list(CHOICE_DOCS), "outlet": [o for o, _ in CHOICE_DOCS.values()], "text": [t for _, t in CHOICE_DOCS.values()]}).assign(lang="ru")
    return build_corpus(docs, cache=False)


def test_lexical_choice_lemma_mode_reports_the_merge(choice_corpus):
    choice = framing.lexical_choice(choice_corpus, PIPE, by="outlet")
    # One lemma key (северный, поток, 2) for both spellings: every use counts for the first.
    assert choice.attrs["merged"] == [{"set": "pipe", "alternatives": "Северный поток — 2 / Северный поток 2"}]
    pipe = choice[choice["set"] == "pipe"].set_index(["alternative", "outlet"])["count"].to_dict()
    assert pipe == {("Северный поток — 2", "X"): 3, ("Северный поток — 2", "Y"): 2, ("Северный поток 2", "X"): 0, ("Северный поток 2", "Y"): 0}
    truce = choice[choice["set"] == "truce"].set_index(["alternative", "outlet"])
    assert truce.loc[("перемирие", "Y"), ["count", "share"]].tolist() == [2, pytest.approx(2 / 3)]
    assert truce.loc[("прекращение огня", "Y"), "count"] == 1
    assert truce.loc[("перемирие", "X"), "count"] == 0 and pd.isna(truce.loc[("перемирие", "X"), "share"])  # no use at all


def test_lexical_choice_surface_mode_keeps_spellings_apart(choice_corpus):
    choice = framing.lexical_choice(choice_corpus, PIPE, by="outlet", surface=True)
    pipe = choice[choice["set"] == "pipe"].set_index(["alternative", "outlet"])
    # X: «— 2» twice (l1), «2» once (l2); Y: once each (l3).
    assert pipe["count"].to_dict() == {("Северный поток — 2", "X"): 2, ("Северный поток — 2", "Y"): 1, ("Северный поток 2", "X"): 1, ("Северный поток 2", "Y"): 1}
    assert pipe.loc[("Северный поток — 2", "X"), "share"] == pytest.approx(2 / 3)
    result = framing.lexical_choice_test(choice)
    # pipe: [[2, 1], [1, 1]]; rows 3, 2; columns 3, 2; N 5; expected [1.8, 1.2; 1.2, 0.8].
    chi2 = 0.2**2 / 1.8 + 0.2**2 / 1.2 + 0.2**2 / 1.2 + 0.2**2 / 0.8
    assert result.loc["pipe", ["chi2", "dof", "min_expected"]].tolist() == pytest.approx([chi2, 1, 0.8])
    assert result.loc["pipe", "cramers_v"] == pytest.approx(math.sqrt(chi2 / 5))
    assert result.loc["pipe", "p_value"] == pytest.approx(sps.chi2.sf(chi2, 1))
    assert pd.isna(result.loc["truce", "chi2"])  # only Y uses the set: no test


def test_lexical_choice_ungrouped_counts_the_whole_corpus(choice_corpus):
    whole = framing.lexical_choice(choice_corpus, PIPE)
    assert list(whole.columns) == ["set", "alternative", "count", "share"]
    # truce: перемирие twice, прекращение огня once, all in Y -> 2/3 and 1/3 of the corpus' uses.
    truce = whole[whole["set"] == "truce"].set_index("alternative")
    assert truce["count"].to_dict() == {"перемирие": 2, "прекращение огня": 1}
    assert truce.loc["перемирие", "share"] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="needs groups"):
        framing.lexical_choice_test(whole)


def test_lexical_choice_test_by_hand():
    table = pd.DataFrame({"set": ["s"] * 4, "alternative": ["p", "p", "q", "q"], "outlet": ["A", "B", "A", "B"], "count": [10, 2, 3, 9], "share": [0] * 4})
    result = framing.lexical_choice_test(table, by="outlet").loc["s"]
    # Observed [[10, 2], [3, 9]]; row sums 12, 12; column sums 13, 11; N 24; expected 6.5 / 5.5.
    assert result["chi2"] == pytest.approx(2 * (3.5**2 / 6.5 + 3.5**2 / 5.5))
    assert result["dof"] == 1


@pytest.fixture(scope="module")
def framed_actors(choice_corpus):
    table = actors.load_actors()
    mentions = actors.find_actors(choice_corpus, table[table["actor"].isin(["macron", "peskov"])])
    return mentions, framing.frame_hits(choice_corpus, FRAMES)


def test_actor_frames_shares_baseline_and_lift(choice_corpus, framed_actors):
    mentions, hits = framed_actors
    table = framing.actor_frames(choice_corpus, mentions, FRAMES, min_count=1, hits=hits).set_index(["actor", "frame"])
    # 11 sentences in all (l1 2, l2 1, l3 2, l4 1, l5 3, l6 2). Macron is in 3 (l5 s0, l5 s1,
    # l6 s1): security in one (l5 s0), economy in one (l5 s1). Sentences with security: 1;
    # with economy: l5 s1 and l6 s0 -> 2.
    row = table.loc[("macron", "security")]
    assert (row.sentences, row.with_frame) == (3, 1)
    assert (row.share, row.baseline, row.lift) == pytest.approx((1 / 3, 1 / 11, 11 / 3))
    assert (row.low, row.high) == pytest.approx(wilson(1, 3))
    assert table.loc[("macron", "economy"), ["share", "baseline", "lift"]].tolist() == pytest.approx([1 / 3, 2 / 11, 11 / 6])
    # Peskov: l5 s2, l6 s0 -> 2 sentences; l6 s0 has «санкции»: economy and pressure.
    assert table.loc[("peskov", "pressure"), ["sentences", "with_frame", "share"]].tolist() == [2, 1, 0.5]
    assert table.loc[("peskov", "security"), ["with_frame", "lift"]].tolist() == [0, 0.0]
    # truce is in 2 sentences (l3 s1, l4 s0), never with an actor
    assert table.loc[("macron", "truce"), ["baseline", "lift"]].tolist() == pytest.approx([2 / 11, 0])
    assert len(framing.actor_frames(choice_corpus, mentions, FRAMES, min_count=3, hits=hits)["actor"].unique()) == 1  # Peskov out


def test_actor_frames_by_outlet(choice_corpus, framed_actors):
    mentions, hits = framed_actors
    table = framing.actor_frames(choice_corpus, mentions, FRAMES, by="outlet", min_count=1, hits=hits).set_index(["outlet", "actor", "frame"])
    # X: 6 sentences (l1 2, l2 1, l5 3), Macron in 2 of them, security in 1 of X's.
    assert table.loc[("X", "macron", "security"), ["sentences", "share", "baseline", "lift"]].tolist() == pytest.approx([2, 1 / 2, 1 / 6, 3])
    # Y: 5 sentences (l3 2, l4 1, l6 2); Macron in l6 s1 only; economy in l6 s0 -> baseline 1/5.
    assert table.loc[("Y", "macron", "economy"), ["sentences", "with_frame", "baseline"]].tolist() == pytest.approx([1, 0, 1 / 5])


# --------------------------------------------------------------------------------------------
# The dictionaries
# --------------------------------------------------------------------------------------------


def test_load_frames_of_the_fixture_copies():
    frames = framing.load_frames()
    assert list(frames.columns) == ["frame", "cue", "lang", "source"]
    assert set(frames["source"]) == {"frames_policy.csv", "frames_domain.csv"}
    assert set(frames.loc[frames["source"] == "frames_policy.csv", "frame"]) <= set(framing.POLICY_FRAME_IDS)
    assert not frames.duplicated(["frame", "cue", "lang"]).any()


def test_check_frames_lists_every_bad_row(tmp_path):
    policy = tmp_path / "frames_policy.csv"
    policy.write_text(
        "# deliberate mistakes, one per row after line 3\n"
        "frame,cue,lang\n"
        "economic,бюджет,ru\n"  # 3 fine
        "economic,бюджет,ru\n"  # 4 duplicate
        "economic,бюджеты,ru\n"  # 5 the lemmas of «бюджет»
        "Security Frame,армия,ru\n"  # 6 not an id
        "sanctions,санкция,ru\n"  # 7 a domain frame in the codebook file
        "political,выборы,de\n"  # 8 unknown language
        "morality,,ru\n",  # 9 no cue
        encoding="utf-8",
    )
    domain = tmp_path / "frames_domain.csv"
    domain.write_text("frame,cue\nsanctions,эмбарго\n", encoding="utf-8")  # fine outside the codebook file
    problems = framing.check_frames([policy, domain])
    listed = problems[problems["line"].notna()]
    assert [(r.source, r.line, r.problem) for r in listed.itertuples()] == [
        ("frames_policy.csv", 4, "duplicate"),
        ("frames_policy.csv", 5, "same lemmas"),
        ("frames_policy.csv", 6, "frame id"),
        ("frames_policy.csv", 7, "not in the codebook"),
        ("frames_policy.csv", 8, "unknown language"),
        ("frames_policy.csv", 9, "missing value"),
    ]
    assert "'бюджет'" in listed.loc[listed["problem"] == "same lemmas", "detail"].item()
    # Of the 14 dimensions only economic has a Russian cue (political's is «de», morality's is
    # empty): 13 lack one in Russian; the «de» row makes a language of its own, where all but
    # political (13) lack one.
    missing = problems[problems["problem"] == "codebook dimension without cues"]
    assert sorted(missing.loc[missing["lang"] == "ru", "frame"]) == sorted(f for f in framing.POLICY_FRAME_IDS if f != "economic")
    assert sorted(missing.loc[missing["lang"] == "de", "frame"]) == sorted(f for f in framing.POLICY_FRAME_IDS if f != "political")
    assert framing.check_frames([domain]).empty
    assert framing.check_frames([policy, domain], codebook=None)["problem"].tolist() == ["duplicate", "same lemmas", "frame id", "unknown language", "missing value"]


def test_check_frames_of_a_table():
    problems = framing.check_frames(FRAMES.assign(source=""))
    assert problems.empty  # the test dictionary itself is clean
    bad = pd.DataFrame({"frame": ["war", "war"], "cue": ["армия", "армии"]})
    assert framing.check_frames(bad)[["frame", "cue", "problem"]].values.tolist() == [["war", "армии", "same lemmas"]]
