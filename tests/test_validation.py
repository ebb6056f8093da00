"""Tests of hand coding, agreement between coders, validation of a frame dictionary and coding sheets.

Agreement statistics are computed by hand here (Krippendorff's coincidence matrix, Cohen's
kappa from the marginals) and cross-checked with the ``krippendorff`` package and scikit-learn.
Coding files are written by the tests themselves; the texts are the tests' own.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest

from helpers import validation
from helpers.constants import SEED
from helpers.corpus import build_corpus
from helpers.dictionaries import DictionaryError

FRAMES = pd.DataFrame({"frame": ["security", "security", "economy", "truce"], "cue": ["армия", "оборона", "бюджет", "перемирие"], "lang": "ru"})

THREE_CODERS = """doc_id,frames,coder
a,security;economy,ann
a,security,bob
a,security,cat
b,economy,ann
b,economy,bob
b,,cat
c,,ann
c,security,bob
d,economy,ann
"""

# security: ann 1 0 1 0 1, bob 1 0 0 0 1; economy: ann 0 1 1 0 0, bob 0 1 0 1 0; f by ann only.
TWO_CODERS = """doc_id,frames,coder
a,security,ann
a,security,bob
b,economy,ann
b,economy,bob
c,security;economy,ann
c,,bob
d,,ann
d,economy,bob
e,security,ann
e,security,bob
f,truce,ann
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def alpha_nominal_binary(units: list[list[float]]) -> float:
    """Krippendorff's alpha for 0/1 values by the coincidence matrix (Krippendorff 2004, ch. 11)."""
    o = np.zeros((2, 2))
    for values in units:
        v = [int(x) for x in values if not np.isnan(x)]
        m = len(v)
        if m < 2:
            continue
        for i, x in enumerate(v):
            for j, y in enumerate(v):
                if i != j:
                    o[x, y] += 1 / (m - 1)
    n = o.sum()
    n0, n1 = o[0].sum(), o[1].sum()
    observed = (o[0, 1] + o[1, 0]) / n
    expected = 2 * n0 * n1 / (n * (n - 1))
    return 1 - observed / expected


# --------------------------------------------------------------------------------------------
# Reading coding
# --------------------------------------------------------------------------------------------


def test_load_coding_with_coders(tmp_path):
    coding = validation.load_coding(write(tmp_path, "three.csv", THREE_CODERS))
    assert coding.index.names == ["doc_id", "coder"] and list(coding.columns) == ["economy", "security"]
    assert len(coding) == 9
    assert coding.loc[("a", "ann")].to_dict() == {"economy": True, "security": True}
    assert coding.loc[("b", "cat")].to_dict() == {"economy": False, "security": False}  # coded, no frame
    assert validation.coders(coding) == ["ann", "bob", "cat"]
    one = write(tmp_path, "one.csv", "doc_id,frames\nx,security\ny,\n")
    single = validation.load_coding(one)
    assert list(single.index) == [("x", "coder-1"), ("y", "coder-1")]
    both = validation.load_coding([one, write(tmp_path, "two.csv", TWO_CODERS)])
    assert validation.coders(both) == ["ann", "bob", "coder-1"]
    kept = validation.load_coding(write(tmp_path, "two.csv", TWO_CODERS), pd.DataFrame({"doc_id": ["a", "f"]}))
    assert sorted(set(kept.index.get_level_values("doc_id"))) == ["a", "f"]


def test_load_coding_refuses_a_document_coded_twice(tmp_path):
    path = write(tmp_path, "twice.csv", "doc_id,frames,coder\na,security,ann\na,economy,ann\n")
    with pytest.raises(DictionaryError, match=r"twice.csv:3: ann codes 'a' twice"):
        validation.load_coding(path)
    with pytest.raises(FileNotFoundError):
        validation.load_coding(tmp_path / "missing.csv")


def test_consensus():
    table = pd.DataFrame(
        {"security": [True, False, True, True, False], "economy": [False, False, True, False, True]},
        index=pd.MultiIndex.from_tuples([("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("c", "x")], names=["doc_id", "coder"]),
    )
    # a: 1 of 2 coders (half: present); b: 2 of 2; c: one coder.
    assert validation.consensus(table).to_dict("index") == {
        "a": {"security": True, "economy": False}, "b": {"security": True, "economy": True}, "c": {"security": False, "economy": True},
    }


# --------------------------------------------------------------------------------------------
# Reliability
# --------------------------------------------------------------------------------------------


def test_reliability_of_two_coders_by_hand(tmp_path):
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    coding = validation.load_coding(write(tmp_path, "two.csv", TWO_CODERS))
    rel = validation.reliability(coding)
    # f is coded by ann only: it is left out, and said so.
    assert rel.attrs["left_out"] == [{"doc_id": "f", "coder": "ann", "reason": "coded by one coder only"}]
    assert rel.loc["security", ["units", "coders"]].tolist() == [5, 2]
    # security: units (1,1) (0,0) (1,0) (0,0) (1,1): o11 = 4, o00 = 4, o01 = o10 = 1, n = 10;
    # D_o = 2/10, D_e = 2·5·5/(10·9) -> alpha = 1 - 0.2/(50/90) = 0.64.
    assert rel.loc["security", "alpha"] == pytest.approx(0.64)
    ann, bob = [1, 0, 1, 0, 1], [1, 0, 0, 0, 1]
    assert rel.loc["security", "alpha"] == pytest.approx(krippendorff.alpha(reliability_data=[ann, bob], level_of_measurement="nominal"))
    # kappa: p_o = 4/5, p_e = 3/5·2/5 + 2/5·3/5 = 0.48 -> (0.8 - 0.48) / 0.52.
    assert rel.loc["security", "kappa"] == pytest.approx((0.8 - 0.48) / 0.52)
    assert rel.loc["security", "kappa"] == pytest.approx(cohen_kappa_score(ann, bob))
    assert rel.loc["security", "agreement"] == pytest.approx(4 / 5)
    ann_e, bob_e = [0, 1, 1, 0, 0], [0, 1, 0, 1, 0]
    assert rel.loc["economy", "alpha"] == pytest.approx(alpha_nominal_binary([[x, y] for x, y in zip(ann_e, bob_e)]))
    assert rel.loc["economy", "kappa"] == pytest.approx(cohen_kappa_score(ann_e, bob_e))
    # «truce» only ann coded, on f: no shared unit has it; every unit agrees on «no».
    assert rel.loc["truce", ["units", "alpha", "agreement"]].tolist() == [5, 1.0, 1.0]
    # all: the 15 decisions (5 documents × 3 frames) pooled
    pooled_ann, pooled_bob = ann + ann_e + [0] * 5, bob + bob_e + [0] * 5
    assert rel.loc["all", "kappa"] == pytest.approx(cohen_kappa_score(pooled_ann, pooled_bob))
    assert rel.loc["all", "alpha"] == pytest.approx(krippendorff.alpha(reliability_data=[pooled_ann, pooled_bob], level_of_measurement="nominal"))


def test_reliability_of_three_coders_with_gaps(tmp_path):
    import krippendorff

    coding = validation.load_coding(write(tmp_path, "three.csv", THREE_CODERS))
    rel = validation.reliability(coding)
    assert rel.attrs["left_out"] == [{"doc_id": "d", "coder": "ann", "reason": "coded by one coder only"}]
    assert rel.loc["security", ["units", "coders"]].tolist() == [3, 3]
    # security: a (1,1,1), b (0,0,0), c (0,1,–): o11 = 3, o00 = 3, o01 = o10 = 1, n = 8;
    # D_o = 2/8, D_e = 2·4·4/(8·7) -> alpha = 1 - 0.25/(32/56) = 0.5625.
    assert rel.loc["security", "alpha"] == pytest.approx(0.5625)
    # economy: a (1,0,0), b (1,1,0), c (0,0,–): o00 = 3, o11 = 1, o01 = o10 = 2, n = 8;
    # D_o = 4/8, D_e = 2·5·3/56 -> alpha = 1 - 0.5/(30/56) = 1/15.
    assert rel.loc["economy", "alpha"] == pytest.approx(1 / 15)
    nan = np.nan
    data = [[1, 0, 0], [1, 0, 1], [1, 0, nan]]  # coders (ann, bob, cat) × units (a, b, c), security
    assert rel.loc["security", "alpha"] == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    assert rel.loc["security", "agreement"] == pytest.approx(2 / 3) and rel.loc["economy", "agreement"] == pytest.approx(1 / 3)
    assert rel["kappa"].isna().all()  # Cohen's kappa is for two coders


def test_reliability_without_shared_documents(tmp_path):
    coding = validation.load_coding(write(tmp_path, "one.csv", "doc_id,frames\nx,security\ny,\n"))
    rel = validation.reliability(coding)
    assert rel.loc["security", "units"] == 0 and pd.isna(rel.loc["security", "alpha"])
    assert [r["doc_id"] for r in rel.attrs["left_out"]] == ["x", "y"]


# --------------------------------------------------------------------------------------------
# Validation against the coding
# --------------------------------------------------------------------------------------------


def test_validate_frames_scores_every_frame_of_the_dictionary(tmp_path):
    coding = validation.load_coding(write(tmp_path, "two.csv", TWO_CODERS))
    # consensus (at least half of the coders): security a, c, e; economy b, c, d; truce f only.
    predicted = {"security": [1, 0, 0, 1, 1], "economy": [0, 1, 1, 0, 0], "truce": [1, 0, 0, 0, 0]}
    scores = pd.DataFrame(
        [(d, f, bool(v[i])) for f, v in predicted.items() for i, d in enumerate("abcde")], columns=["doc_id", "frame", "present"],
    )
    report = validation.validate_frames(scores, coding)
    # security: tp a, e; fp d; fn c. economy: tp b, c; fn d. truce: no coded document has it,
    # its one prediction (a) is a false positive.
    assert report.loc["security", ["tp", "fp", "fn"]].tolist() == [2, 1, 1]
    assert report.loc["economy", ["tp", "fp", "fn", "precision", "recall"]].tolist() == [2, 0, 1, 1.0, pytest.approx(2 / 3)]
    assert report.loc["truce", ["tp", "fp", "fn", "precision", "recall", "f1"]].tolist() == [0, 1, 0, 0, 0, 0]
    # micro: tp 4, fp 2, fn 2
    assert report.loc["micro", ["precision", "recall"]].tolist() == pytest.approx([4 / 6, 4 / 6])
    assert report.loc["macro", "precision"] == pytest.approx((2 / 3 + 1 + 0) / 3)
    with pytest.raises(ValueError, match="doc_id"):
        validation.validate_frames(scores.assign(doc_id=scores["doc_id"] + "-other"), coding)


# --------------------------------------------------------------------------------------------
# Samples, sheets, the classifier and the coding check
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    # no lang column: the corpus decides the language
    texts = ["Армия готовит оборону, армия ждет приказа." if i % 2 else "Бюджет растет, и бюджет обсуждают в парламенте." for i in range(20)]
    docs = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(20)], "outlet": ["A", "B", "C", "D"] * 5, "text": texts})
    docs.loc[len(docs)] = {"doc_id": "z-en", "outlet": "A", "text": "The budget grows and the army waits for orders in the capital city."}
    return build_corpus(docs, boilerplate=False, cache=False)  # (repeated texts are not boilerplate here)


def test_coding_sample_follows_the_documented_draw(corpus):
    assert "z-en" in set(corpus.left_out["doc_id"])  # English, not the main language
    sample = validation.coding_sample(corpus, by="outlet", per_group=2)
    expected = []
    for group in ["A", "B", "C", "D"]:
        ids = sorted(corpus.docs.loc[corpus.docs["outlet"] == group, "doc_id"])
        rng = np.random.default_rng([SEED, zlib.crc32(group.encode("utf-8"))])
        expected += [(d, group) for d in sorted(rng.choice(ids, size=2, replace=False))]
    assert list(sample.itertuples(index=False, name=None)) == expected
    assert sample.equals(validation.coding_sample(corpus, by="outlet", per_group=2))
    assert len(validation.coding_sample(corpus, by="outlet", per_group=50)) == 20  # a group smaller than asked: all of it
    # one group's sample does not depend on the others
    only_a = validation.coding_sample(corpus.select(corpus.docs["outlet"] == "A"), by="outlet", per_group=2)
    assert only_a["doc_id"].tolist() == [d for d, g in expected if g == "A"]


def test_export_coding_sheet_csv_and_xlsx(corpus, tmp_path):
    from openpyxl import load_workbook

    sample = validation.coding_sample(corpus, by="outlet", per_group=1)
    csv_path, xlsx_path = validation.export_coding_sheet(corpus, sample, tmp_path / "sheets" / "round1", frames=FRAMES, coder="ann")
    assert (csv_path.name, xlsx_path.name) == ("round1.csv", "round1.xlsx")
    sheet = pd.read_csv(csv_path, keep_default_na=False)
    assert list(sheet.columns) == ["doc_id", "coder", "frames", "notes", "date", "outlet", "title", "text"]
    assert sheet["doc_id"].tolist() == sample["doc_id"].tolist()
    assert sheet["text"].tolist() == [corpus.text(d) for d in sample["doc_id"]]
    assert set(sheet["coder"]) == {"ann"} and set(sheet["date"]) == {""}  # the corpus has no dates
    book = load_workbook(xlsx_path)
    assert book.sheetnames == ["coding", "frames"]
    rows = list(book["coding"].iter_rows(values_only=True))
    assert rows[0][:3] == ("doc_id", "coder", "frames") and rows[1][7] == corpus.text(sample["doc_id"].iloc[0])
    assert [r[0] for r in book["frames"].iter_rows(values_only=True)] == ["frame", "economy", "security", "truce"]
    # filled in and saved as CSV, it reads back
    sheet["frames"] = ["security"] + [""] * (len(sheet) - 1)
    sheet.to_csv(csv_path, index=False)
    back = validation.load_coding(csv_path)
    assert back.loc[(sample["doc_id"].iloc[0], "ann"), "security"]


def test_train_frame_classifier_returns_scores(corpus):
    ids = corpus.docs["doc_id"].tolist()
    odd = [int(d[1:]) % 2 == 1 for d in ids]
    coding = pd.DataFrame({"security": odd, "economy": [not o for o in odd]}, index=pd.Index(ids, name="doc_id"))
    report = validation.train_frame_classifier(corpus, coding, folds=4)
    assert list(report.index) == ["security", "economy", "micro", "macro"]
    # the two kinds of text share no content word: every out-of-fold prediction is right
    assert report.loc["security", ["tp", "fp", "fn", "support"]].tolist() == [10, 0, 0, 10]
    assert report.loc["macro", "f1"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="code more documents"):
        validation.train_frame_classifier(corpus, coding.head(5), folds=2)


def test_check_coding_lists_every_bad_row(corpus, tmp_path):
    path = write(
        tmp_path, "coded.csv",
        "doc_id,frames,coder\n"
        "d00,economy,ann\n"  # 2 fine
        ",security,ann\n"  # 3 no document
        "d00,security,ann\n"  # 4 ann codes d00 again
        "d01,securty,ann\n"  # 5 a typo
        "d02,economy;economy,ann\n"  # 6 the same frame twice
        "z-en,economy,ann\n"  # 7 left out of the corpus (English)
        "q99,truce,ann\n",  # 8 not a document of the corpus
    )
    problems = validation.check_coding(path, corpus, frames=FRAMES)
    assert [(r.line, r.doc_id, r.problem) for r in problems.itertuples()] == [
        (3, "", "missing doc_id"),
        (4, "d00", "coded twice"),
        (5, "d01", "unknown frame"),
        (6, "d02", "repeated frame"),
        (7, "z-en", "not in the corpus"),
        (8, "q99", "not in the corpus"),
    ]
    detail = dict(zip(problems["line"], problems["detail"]))
    assert detail[5] == "'securty' is not a frame of the dictionary (did you mean 'security'?)."
    assert detail[7].startswith("the corpus left it out (language)")
    assert detail[8].startswith("the corpus has no document with this id")
    assert set(problems["file"]) == {str(path)}
    # without a corpus only the file itself is checked; a clean file has no problems
    assert validation.check_coding(path, frames=FRAMES)["line"].tolist() == [3, 4, 5, 6]
    assert validation.check_coding(write(tmp_path, "ok.csv", TWO_CODERS), frames=FRAMES).empty


def test_check_coding_of_the_fixture_copy_and_a_table():
    # the bundled coding resolves to the tests' copy, coded with the copies' frame ids
    assert validation.check_coding().empty
    bad = validation.check_coding(frames=pd.DataFrame({"frame": ["economic"], "cue": ["бюджет"]}))
    assert set(bad["file"]) == {"frames_coded.csv"}  # a bundled file by its name: no machine path
    assert set(bad["problem"]) == {"unknown frame"}
    table = pd.DataFrame({"doc_id": ["a", "a"], "frames": ["economic", "moral"]})
    problems = validation.check_coding(table)
    assert problems["problem"].tolist() == ["coded twice", "unknown frame"]
    assert problems["line"].isna().all()
