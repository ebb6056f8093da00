"""Tests of frame scores, evidence, prevalence, lexical choice, attribution and validation."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import actors, framing
from helpers.text import tokenize

FRAMES = pd.DataFrame(
    {
        "frame": ["security", "security", "security", "economy", "economy"],
        "cue": ["безопасность", "гарантии безопасности", "армия", "бюджет", "санкция"],
        "lang": ["ru"] * 5,
    }
)


@pytest.fixture(scope="module")
def corpus():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "outlet": ["X", "X", "Y"],
            "date": pd.to_datetime(["2026-01-05", "2026-02-02", "2026-01-06"]),
            "lang": ["ru"] * 3,
            "text": [
                "Гарантии безопасности обсудили. Армия готова, армия сильна.",
                "Бюджет страдает от санкций. Безопасность важна.",
                "Прекращение огня наступило. Перемирие держится, перемирие хрупкое.",
            ],
        }
    )
    return docs, tokenize(docs, cache=False)


def test_bundled_dictionaries_follow_the_policy_frames_codebook():
    frames = framing.load_frames()
    assert set(framing.POLICY_FRAME_IDS) <= set(frames["frame"])
    assert {"security_guarantees", "ceasefire_monitoring", "sanctions", "reconstruction", "escalation"} <= set(frames["frame"])
    assert {"ru", "uk", "en"} <= set(frames["lang"])


def test_frame_scores_by_hand(corpus):
    docs, tokens = corpus
    scores = framing.frame_scores(docs, FRAMES, tokens, min_hits=2).set_index(["doc_id", "frame"])
    assert len(scores) == 6  # every document × frame, zeros included
    # «Гарантии безопасности» counts once (longest cue), plus «армия» twice.
    assert scores.loc[("a", "security"), "hits"] == 3
    assert scores.loc[("a", "security"), "per_1k"] == pytest.approx(3 / 7 * 1000)  # 7 tokens
    assert bool(scores.loc[("a", "security"), "present"])
    assert scores.loc[("b", "economy"), "hits"] == 2 and bool(scores.loc[("b", "economy"), "present"])
    assert scores.loc[("b", "security"), "hits"] == 1 and not bool(scores.loc[("b", "security"), "present"])
    assert scores.loc[("c", "security"), "hits"] == 0
    lenient = framing.frame_scores(docs, FRAMES, tokens, min_hits=1).set_index(["doc_id", "frame"])
    assert bool(lenient.loc[("b", "security"), "present"])


def test_frame_evidence_uses_kwic(corpus):
    docs, tokens = corpus
    ev = framing.frame_evidence(docs, tokens, "security", doc_id="a", frames=FRAMES, window=10)
    assert ev["match"].tolist() == ["Гарантии безопасности", "Армия", "армия"]
    assert ev["cue"].tolist() == ["гарантии безопасности", "армия", "армия"]
    with pytest.raises(ValueError, match="Unknown frame"):
        framing.frame_evidence(docs, tokens, "morality", frames=FRAMES)


def test_prevalence_intervals(corpus):
    docs, tokens = corpus
    scores = framing.frame_scores(docs, FRAMES, tokens)
    prev = framing.prevalence(scores, docs, by="outlet", n_boot=500).set_index(["outlet", "frame"])
    assert prev.loc[("X", "security"), "estimate"] == pytest.approx(0.5)  # a yes, b no
    assert prev.loc[("X", "security"), "n"] == 2
    assert prev.loc[("Y", "security"), ["estimate", "low", "high"]].tolist() == [0.0, 0.0, 0.0]
    assert 0 <= prev.loc[("X", "security"), "low"] <= 0.5 <= prev.loc[("X", "security"), "high"] <= 1
    again = framing.prevalence(scores, docs, by="outlet", n_boot=500).set_index(["outlet", "frame"])
    pd.testing.assert_frame_equal(prev, again)  # seeded
    monthly = framing.prevalence(scores, docs, by="outlet", period="M", n_boot=200)
    assert set(monthly["period"].astype(str)) == {"2026-01-01", "2026-02-01"}


def test_lexical_choice_counts_shares_and_test(corpus):
    docs, tokens = corpus
    choice = framing.lexical_choice(tokens, docs, {"truce": ["перемирие", "прекращение огня"]}, by="outlet")
    y = choice[choice["outlet"] == "Y"].set_index("alternative")
    assert y.loc["перемирие", "count"] == 2 and y.loc["прекращение огня", "count"] == 1
    assert y.loc["перемирие", "share"] == pytest.approx(2 / 3)
    x = choice[choice["outlet"] == "X"].set_index("alternative")
    assert x["count"].tolist() == [0, 0] and x["share"].isna().all()
    table = pd.DataFrame(
        {"set": ["s"] * 4, "alternative": ["p", "p", "q", "q"], "outlet": ["A", "B", "A", "B"], "count": [10, 2, 3, 9], "share": [0] * 4}
    )
    result = framing.lexical_choice_test(table).loc["s"]
    # Observed [[10, 2], [3, 9]]; row sums 12, 12; column sums 13, 11; N 24; expected 6.5 / 5.5.
    expected = 2 * (3.5**2 / 6.5 + 3.5**2 / 5.5)
    assert result["chi2"] == pytest.approx(expected)
    assert result["dof"] == 1


def test_actor_frames_shares():
    docs = pd.DataFrame({"doc_id": ["d"], "lang": ["ru"], "text": ["Макрон говорил о безопасности. Макрон обсудил бюджет. Песков молчал."]})
    tokens = tokenize(docs, cache=False)
    mentions = actors.find_actors(docs, tokens=tokens)
    table = framing.actor_frames(mentions, tokens, FRAMES, min_sentences=1).set_index(["actor", "frame"])
    assert table.loc[("macron", "security"), ["sentences", "with_frame", "share"]].tolist() == [2, 1, 0.5]
    assert table.loc[("peskov", "economy"), "share"] == 0


def test_attribution_verbs_and_phrases():
    docs = pd.DataFrame(
        {
            "doc_id": ["d"],
            "lang": ["ru"],
            "text": ["Песков заявил, что переговоры идут. «Это ошибка», — отметил Назар Кривонос. По данным Reuters, план готов. Как сообщает Bloomberg, сделки нет."],
        }
    )
    tokens = tokenize(docs, cache=False)
    mentions = actors.find_actors(docs, tokens=tokens)
    cited = framing.attribution(docs, tokens, mentions)
    assert cited[["kind", "cue", "source"]].values.tolist() == [
        ["verb", "заявить", "Дмитрий Песков"],
        ["verb", "отметить", "Назар Кривонос"],
        ["phrase", "по данным", "Reuters"],
        ["phrase", "как сообщает", "Bloomberg"],
    ]
    assert cited["actor"].tolist()[:1] == ["peskov"] and pd.isna(cited["actor"].iloc[1])
    counts = framing.attribution_counts(cited, docs.assign(outlet="X"), by="outlet")
    assert counts["citations"].sum() == 4 and counts["share"].sum() == pytest.approx(1)


def test_coding_and_validation_by_hand(tmp_path):
    path = tmp_path / "coded.csv"
    path.write_text("doc_id,frames\na,security;economy\nb,economy\nc,\n", encoding="utf-8")
    coding = framing.load_coding(path)
    assert coding.loc["a"].to_dict() == {"economy": True, "security": True}
    assert not coding.loc["c"].any()
    scores = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b", "c", "c"],
            "frame": ["economy", "security"] * 3,
            "present": [True, False, True, True, False, True],
        }
    )
    report = framing.validate_frames(scores, coding)
    # economy: tp 2 (a, b), fp 0, fn 0. security: tp 0, fp 2 (b, c), fn 1 (a).
    assert report.loc["economy", ["tp", "fp", "fn"]].tolist() == [2, 0, 0]
    assert report.loc["economy", "f1"] == pytest.approx(1.0)
    assert report.loc["security", ["tp", "fp", "fn"]].tolist() == [0, 2, 1]
    assert report.loc["security", "precision"] == 0 and report.loc["security", "recall"] == 0
    # micro: tp 2, fp 2, fn 1 -> P 0.5, R 2/3.
    assert report.loc["micro", "precision"] == pytest.approx(0.5)
    assert report.loc["micro", "recall"] == pytest.approx(2 / 3)
    assert framing.load_coding(tmp_path / "missing.csv").empty
    only_a = framing.load_coding(path, docs=pd.DataFrame({"doc_id": ["a"]}))
    assert list(only_a.index) == ["a"]


def test_bundled_coding_is_well_formed():
    coding = framing.load_coding(framing.CORPUS_DIR / "frames_coded.csv")
    assert len(coding) >= 40
    assert set(coding.columns) <= set(framing.load_frames()["frame"])


def test_classifier_runs_and_scores(corpus):
    docs = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(20)],
            "lang": ["ru"] * 20,
            "text": ["Армия и оборона, армия готова." if i % 2 else "Бюджет, рынок и цены, бюджет растет." for i in range(20)],
        }
    )
    tokens = tokenize(docs, cache=False)
    coding = pd.DataFrame({"security": [bool(i % 2) for i in range(20)], "economy": [not (i % 2) for i in range(20)]}, index=docs["doc_id"])
    report = framing.train_frame_classifier(tokens, coding, folds=4)
    assert report.loc["security", "f1"] == pytest.approx(1.0)
    assert report.loc["macro", "f1"] == pytest.approx(1.0)
