"""Tests of keyness, Fightin' Words, association, p-adjustment, bootstrap, validation and χ²,
intervals for shares, agreement between coders, p-value display and Zipf's law.

Every expected number is worked out by hand in the comments (small integer tables) or taken
from a published example, and, where scipy, scikit-learn or the ``krippendorff``
package computes the same quantity, cross-checked against it.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from helpers import stats
from helpers.stats import (
    adjust_p,
    association,
    bootstrap_ci,
    chi2_independence,
    classification_report,
    cohen_kappa,
    compare_proportions,
    distinctive,
    format_p,
    grouped_bootstrap_ci,
    keyness,
    krippendorff_alpha,
    log_odds_dirichlet,
    one_vs_rest,
    pairwise,
    permutation_test,
    proportion_ci,
    zipf_fit,
)

# Target: 20 tokens, reference: 40 tokens.
TARGET = pd.Series({"война": 10, "мир": 4, "санкция": 6})
REFERENCE = pd.Series({"война": 5, "мир": 20, "санкция": 15})


def chi2_sf_1(x: float) -> float:
    """χ²(1) upper tail by hand: P(Z² > x) = erfc(sqrt(x / 2))."""
    return math.erfc(math.sqrt(x / 2))


# --------------------------------------------------------------------------------------------
# keyness
# --------------------------------------------------------------------------------------------


def test_keyness_by_hand():
    table = keyness(TARGET, REFERENCE)
    # война: O = [[10, 10], [5, 35]], N = 60, rows 20 / 40, columns 15 / 45
    #   E = [[20*15/60, 20*45/60], [40*15/60, 40*45/60]] = [[5, 15], [10, 30]]
    #   O ln(O/E): 10 ln 2 = 6.931472; 10 ln(10/15) = -4.054651;
    #              5 ln(1/2) = -3.465736; 35 ln(35/30) = 5.395274   -> sum 4.806359
    #   G² = 2 * 4.806359 = 9.612717, positive (10/20 = 0.5 >= 5/40 = 0.125)
    g2_war = 2 * (10 * math.log(2) + 10 * math.log(10 / 15) + 5 * math.log(1 / 2) + 35 * math.log(35 / 30))
    assert g2_war == pytest.approx(9.612717, abs=1e-6)
    assert table.at["война", "g2"] == pytest.approx(g2_war)
    assert table.at["война", "p_value"] == pytest.approx(chi2_sf_1(g2_war))  # 0.0019323
    #   Pearson: (O - E)² = 25 in every cell: 25/5 + 25/15 + 25/10 + 25/30 = 10
    assert table.at["война", "chi2"] == pytest.approx(10.0)
    #   log ratio: (10/20) / (5/40) = 0.5 / 0.125 = 4 -> log2 4 = 2
    assert table.at["война", "log_ratio"] == pytest.approx(2.0)
    #   rates per 10,000: 10/20 * 10^4 = 5000, 5/40 * 10^4 = 1250
    assert table.at["война", "per_10k_target"] == pytest.approx(5000.0)
    assert table.at["война", "per_10k_reference"] == pytest.approx(1250.0)

    # мир: O = [[4, 16], [20, 20]], columns 24 / 36 -> E = [[8, 12], [16, 24]]
    #   4 ln(1/2) = -2.772589; 16 ln(16/12) = 4.602913; 20 ln(20/16) = 4.462871;
    #   20 ln(20/24) = -3.646431 -> sum 2.646764, G² = 5.293529, negative (0.2 < 0.5)
    g2_peace = 2 * (4 * math.log(1 / 2) + 16 * math.log(16 / 12) + 20 * math.log(20 / 16) + 20 * math.log(20 / 24))
    assert table.at["мир", "g2"] == pytest.approx(-g2_peace)
    assert table.at["мир", "g2"] == pytest.approx(-5.293529, abs=1e-6)
    #   Pearson: (O - E)² = 16: 16 (1/8 + 1/12 + 1/16 + 1/24) = 16 * 0.3125 = 5
    assert table.at["мир", "chi2"] == pytest.approx(5.0)  # unsigned
    #   log ratio: (4/20) / (20/40) = 0.4 -> log2 0.4 = -1.321928
    assert table.at["мир", "log_ratio"] == pytest.approx(math.log2(0.4))

    # санкция: O = [[6, 14], [15, 25]], columns 21 / 39 -> E = [[7, 13], [14, 26]]
    #   (O - E)² = 1: 1/7 + 1/13 + 1/14 + 1/26 = 0.329670; 6/20 = 0.3 < 15/40 = 0.375 -> negative
    assert table.at["санкция", "chi2"] == pytest.approx(1 / 7 + 1 / 13 + 1 / 14 + 1 / 26)
    g2_sanc = 2 * (6 * math.log(6 / 7) + 14 * math.log(14 / 13) + 15 * math.log(15 / 14) + 25 * math.log(25 / 26))
    assert table.at["санкция", "g2"] == pytest.approx(-g2_sanc)  # -0.333966

    # Sorted by g2 descending: +9.61, -0.33, -5.29.
    assert table.index.tolist() == ["война", "санкция", "мир"]
    assert table.index.name == "term"
    assert table.columns.tolist() == [
        "count_target", "count_reference", "per_10k_target", "per_10k_reference", "g2", "log_ratio", "chi2", "p_value"
    ]


def test_keyness_matches_scipy():
    table = keyness(TARGET, REFERENCE)
    yates = keyness(TARGET, REFERENCE, yates=True)
    for term in table.index:
        a, b = TARGET[term], REFERENCE[term]
        cells = np.array([[a, 20 - a], [b, 40 - b]])
        g2, p, _, _ = sps.chi2_contingency(cells, correction=False, lambda_="log-likelihood")
        chi2, _, _, _ = sps.chi2_contingency(cells, correction=False)
        chi2_yates, _, _, _ = sps.chi2_contingency(cells, correction=True)
        assert abs(table.at[term, "g2"]) == pytest.approx(g2)
        assert table.at[term, "p_value"] == pytest.approx(p)
        assert table.at[term, "chi2"] == pytest.approx(chi2)
        assert yates.at[term, "chi2"] == pytest.approx(chi2_yates)
        stat, _ = sps.power_divergence(cells.ravel(), sps.contingency.expected_freq(cells).ravel(), ddof=2, lambda_="log-likelihood")
        assert abs(table.at[term, "g2"]) == pytest.approx(stat)


def test_keyness_yates_by_hand_changes_chi2_only():
    plain = keyness(TARGET, REFERENCE)
    corrected = keyness(TARGET, REFERENCE, yates=True)
    # война: |O - E| = 5 -> 4.5; 4.5² = 20.25; 20.25 (1/5 + 1/15 + 1/10 + 1/30) = 20.25 * 0.4 = 8.1
    assert corrected.at["война", "chi2"] == pytest.approx(8.1)
    # санкция: |O - E| = 1 -> 0.5; 0.25 * 0.329670 = 0.082418
    assert corrected.at["санкция", "chi2"] == pytest.approx(0.25 * (1 / 7 + 1 / 13 + 1 / 14 + 1 / 26))
    pd.testing.assert_series_equal(plain["g2"], corrected["g2"])
    pd.testing.assert_series_equal(plain["p_value"], corrected["p_value"])
    # |O - E| below 0.5 is moved to E, not past it: a term used at the same rate on both sides
    # (5 of 20, 10 of 40) has O = E and χ² 0 with or without Yates, as in scipy
    same = keyness(pd.Series({"x": 5, "y": 15}), pd.Series({"x": 10, "y": 30}), yates=True)
    assert same.at["x", "chi2"] == 0.0
    # x 6 of 20 against 11 of 40: E11 = 20 * 17 / 60 = 5.6667, |O - E| = 0.3333 < 0.5 -> 0
    near = keyness(pd.Series({"x": 6, "y": 14}), pd.Series({"x": 11, "y": 29}), yates=True)
    assert near.at["x", "chi2"] == 0.0
    assert near.at["x", "chi2"] == pytest.approx(sps.chi2_contingency([[6, 14], [11, 29]], correction=True)[0])


def test_keyness_zero_counts_union_and_log_ratio_floor():
    # "перемирие" only in the reference, "санкция" only in the target: union of the indexes.
    target = pd.Series({"война": 10})  # Na = 10
    reference = pd.Series({"война": 4, "перемирие": 4})  # Nb = 8
    table = keyness(target, reference)
    assert set(table.index) == {"война", "перемирие"}
    assert table.at["перемирие", "count_target"] == 0
    # перемирие: a = 0 -> 0.5: log2((0.5/10) / (4/8)) = log2(0.1) = -3.321928
    assert table.at["перемирие", "log_ratio"] == pytest.approx(math.log2(0.1))
    # O = [[0, 10], [4, 4]], N = 18, columns 4 / 14 -> E = [[2.2222, 7.7778], [1.7778, 6.2222]]
    #   the O = 0 cell adds nothing; 10 ln(10/7.7778) = 2.513144; 4 ln(4/1.7778) = 4 ln 2.25 = 3.243721;
    #   4 ln(4/6.2222) = -1.767331 -> sum 3.989534, G² = 7.979068, negative (0 < 0.5)
    e = [10 * 14 / 18, 8 * 4 / 18, 8 * 14 / 18]
    g2 = 2 * (10 * math.log(10 / e[0]) + 4 * math.log(4 / e[1]) + 4 * math.log(4 / e[2]))
    assert table.at["перемирие", "g2"] == pytest.approx(-g2)
    assert table.at["перемирие", "g2"] == pytest.approx(-7.979068, abs=1e-6)
    # война is the complement: the same table with rows swapped, so the same |G²|, positive.
    assert table.at["война", "g2"] == pytest.approx(g2)


def test_keyness_min_count_keeps_totals():
    table = keyness(TARGET, REFERENCE, min_count=16)
    # a + b: война 15 (dropped), мир 24, санкция 21
    assert table.index.tolist() == ["санкция", "мир"]
    # Totals are still 20 and 40: мир's rate is 4/20 * 10^4.
    assert table.at["мир", "per_10k_target"] == pytest.approx(2000.0)
    assert table.at["мир", "g2"] == pytest.approx(-5.293529, abs=1e-6)
    # min_count = 0 keeps a term listed with zeros on both sides, with G² = 0.
    zeros = keyness(pd.Series({"x": 5, "y": 0}), pd.Series({"x": 5}), min_count=0)
    assert zeros.at["y", "g2"] == 0.0
    assert "y" not in keyness(pd.Series({"x": 5, "y": 0}), pd.Series({"x": 5})).index


def test_keyness_totals_are_the_texts_real_sizes():
    # The Series hold two content terms of texts of 100 and 200 tokens (stop words not listed).
    target, reference = pd.Series({"санкция": 6, "мир": 4}), pd.Series({"санкция": 2, "мир": 8})
    table = keyness(target, reference, totals=(100, 200))
    # rates per 10,000 of the texts: 6/100 -> 600, 2/200 -> 100
    assert table.loc["санкция", ["per_10k_target", "per_10k_reference"]].tolist() == pytest.approx([600.0, 100.0])
    # санкция: O = [[6, 94], [2, 198]], N = 300, rows 100 / 200, columns 8 / 292
    #   E = [[8/3, 292/3], [16/3, 584/3]] = [[2.666667, 97.333333], [5.333333, 194.666667]]
    #   6 ln(6/2.6667) = 4.865581; 94 ln(94/97.3333) = -3.275593; 2 ln(2/5.3333) = -1.961659;
    #   198 ln(198/194.6667) = 3.361711 -> sum 2.990041, G² = 5.980081
    assert table.at["санкция", "g2"] == pytest.approx(5.980081, abs=1e-6)
    g2, _, _, _ = sps.chi2_contingency([[6, 94], [2, 198]], correction=False, lambda_="log-likelihood")
    assert table.at["санкция", "g2"] == pytest.approx(g2)
    # log ratio: (6/100) / (2/200) = 6 -> log2 6 = 2.584963
    assert table.at["санкция", "log_ratio"] == pytest.approx(math.log2(6))
    # мир: 4/100 = 8/200, the same rate: G² 0, log ratio 0 (with the Series' sums, 10 and 10, it
    # would look 2 × more frequent in the reference)
    assert table.loc["мир", ["g2", "log_ratio"]].tolist() == pytest.approx([0.0, 0.0])
    assert keyness(target, reference).at["мир", "log_ratio"] == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="smaller than the counts"):
        keyness(target, reference, totals=(5, 200))


def test_keyness_is_the_four_cell_g2_not_the_two_term_value():
    # Rayson & Garside (2000) and the UCREL calculator sum the cells a and b only:
    #   E1 = Na (a + b) / (Na + Nb), E2 = Nb (a + b) / (Na + Nb), LL = 2 (a ln(a/E1) + b ln(b/E2)).
    # война (a 10 of Na 20, b 5 of Nb 40): E1 = 5, E2 = 10, LL = 2 (10 ln 2 + 5 ln(1/2)) = 6.931472,
    # while the 4-cell G² of test_keyness_by_hand is 9.612717.
    two_term = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10))
    assert two_term == pytest.approx(6.931472, abs=1e-6)
    assert keyness(TARGET, REFERENCE).at["война", "g2"] == pytest.approx(9.612717, abs=1e-6)
    # For a rare term of big texts the two agree closely: a 5 of 10,000, b 1 of 20,000:
    #   E1 = 2, E2 = 4, LL = 2 (5 ln 2.5 + ln 0.25) = 6.390319; the 4-cell G² is 6.391669 (+0.02%)
    rare = keyness(pd.Series({"дрон": 5}), pd.Series({"дрон": 1}), totals=(10_000, 20_000))
    assert 2 * (5 * math.log(2.5) + math.log(0.25)) == pytest.approx(6.390319, abs=1e-6)
    assert rare.at["дрон", "g2"] == pytest.approx(6.391669, abs=1e-6)


def test_keyness_p_adjust():
    bonf = keyness(TARGET, REFERENCE, p_adjust="bonferroni")
    # three terms: min(1, 3 p)
    assert bonf.at["война", "p_adjusted"] == pytest.approx(3 * chi2_sf_1(9.612717231344249))
    assert bonf.at["санкция", "p_adjusted"] == 1.0  # 3 * 0.56 > 1
    bh = keyness(TARGET, REFERENCE, p_adjust="bh")
    p = bh["p_value"].sort_values()  # война < мир < санкция
    # BH: sorted p * m / rank, then running minimum from the top
    q3 = p.iloc[2] * 3 / 3
    q2 = min(p.iloc[1] * 3 / 2, q3)
    q1 = min(p.iloc[0] * 3 / 1, q2)
    assert bh.loc[p.index, "p_adjusted"].tolist() == pytest.approx([q1, q2, q3])
    # …which is scipy's Benjamini–Hochberg on the same p-values
    assert bh["p_adjusted"].tolist() == pytest.approx(sps.false_discovery_control(bh["p_value"].to_numpy(), method="bh").tolist())
    assert "p_adjusted" not in keyness(TARGET, REFERENCE).columns


def test_keyness_correction_is_a_deprecated_alias_of_p_adjust():
    new = keyness(TARGET, REFERENCE, p_adjust="bh")
    with pytest.warns(DeprecationWarning, match=r"correction= is deprecated, use p_adjust="):
        old = keyness(TARGET, REFERENCE, correction="bh")
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(DeprecationWarning):
        bonf = keyness(TARGET, REFERENCE, correction="bonferroni")
    assert bonf.at["санкция", "p_adjusted"] == 1.0
    # the alias goes through the same check as the new name
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="p_adjust must be"):
        keyness(TARGET, REFERENCE, correction="holm")


def test_keyness_rejects_bad_input():
    with pytest.raises(ValueError, match="no tokens"):
        keyness(TARGET, pd.Series({"война": 0}))
    with pytest.raises(ValueError, match="negative"):
        keyness(pd.Series({"война": -1, "мир": 3}), REFERENCE)
    with pytest.raises(ValueError, match="p_adjust must be"):
        keyness(TARGET, REFERENCE, p_adjust="holm")
    with pytest.raises(ValueError, match="more than once"):
        keyness(pd.Series([1, 2], index=["война", "война"]), REFERENCE)
    with pytest.raises(TypeError, match="Series"):
        keyness({"война": 1}, REFERENCE)
    with pytest.raises(ValueError, match="min_count"):
        keyness(TARGET, REFERENCE, min_count=-1)


# --------------------------------------------------------------------------------------------
# log_odds_dirichlet
# --------------------------------------------------------------------------------------------


def test_log_odds_pooled_prior_by_hand():
    a = pd.Series({"война": 3, "мир": 1})  # Na = 4
    b = pd.Series({"война": 1, "мир": 3})  # Nb = 4
    table = log_odds_dirichlet(a, b)
    # α = a + b = 4 for both terms, α0 = 8
    # δ(война) = ln((3+4)/(4+8-3-4)) - ln((1+4)/(4+8-1-4)) = ln(7/5) - ln(5/7) = 0.672944
    # σ² = 1/7 + 1/5 = 0.342857, z = 0.672944 / 0.585540 = 1.149271
    assert table.at["война", "delta"] == pytest.approx(math.log(7 / 5) - math.log(5 / 7))
    assert table.at["война", "variance"] == pytest.approx(1 / 7 + 1 / 5)
    assert table.at["война", "z"] == pytest.approx(1.149271, abs=1e-6)
    assert table.at["мир", "z"] == pytest.approx(-1.149271, abs=1e-6)
    assert table.index.tolist() == ["война", "мир"]
    assert table.columns.tolist() == ["count_a", "count_b", "delta", "variance", "z"]


def test_log_odds_unbalanced_and_missing_terms():
    a = pd.Series({"x": 6, "y": 2, "z": 2, "q": 0})  # Na = 10; q is in neither text
    b = pd.Series({"x": 2, "y": 6})  # Nb = 8; z missing -> 0
    table = log_odds_dirichlet(a, b)
    assert "q" not in table.index
    # pooled α: x 8, y 8, z 2; α0 = 18
    # z: δ = ln((2+2)/(10+18-2-2)) - ln((0+2)/(8+18-0-2)) = ln(4/24) - ln(2/24) = ln 2
    #    σ² = 1/4 + 1/2 = 0.75, z = 0.693147 / 0.866025 = 0.800377
    assert table.at["z", "delta"] == pytest.approx(math.log(2))
    assert table.at["z", "z"] == pytest.approx(math.log(2) / math.sqrt(0.75))
    # x: δ = ln(14/(10+18-14)) - ln(10/(8+18-10)) = ln(14/14) - ln(10/16) = 0.470004
    #    σ² = 1/14 + 1/10 = 0.171429, z = 1.135167
    assert table.at["x", "delta"] == pytest.approx(-math.log(10 / 16))
    assert table.at["x", "z"] == pytest.approx(1.135167, abs=1e-6)
    assert table.index.tolist() == ["x", "z", "y"]  # z descending


def test_log_odds_informative_prior_with_floor():
    a = pd.Series({"x": 6, "y": 2, "z": 2})  # Na = 10
    b = pd.Series({"x": 2, "y": 6})  # Nb = 8
    prior = pd.Series({"x": 10, "y": 10, "w": 100})  # w in neither text: ignored; z unseen: 0.01
    table = log_odds_dirichlet(a, b, prior=prior)
    # α: x 10, y 10, z 0.01; α0 = 20.01
    # x: δ = ln((6+10)/(10+20.01-6-10)) - ln((2+10)/(8+20.01-2-10)) = ln(16/14.01) - ln(12/16.01) = 0.421124
    #    σ² = 1/16 + 1/12 = 0.145833, z = 1.102762
    assert table.at["x", "delta"] == pytest.approx(math.log(16 / 14.01) - math.log(12 / 16.01))
    assert table.at["x", "z"] == pytest.approx(1.102762, abs=1e-6)
    # z: δ = ln(2.01/28) - ln(0.01/28) = ln 201 = 5.303305; σ² = 1/2.01 + 1/0.01 = 100.497512
    #    z = 5.303305 / 10.024845 = 0.529016: the unseen term's large δ is discounted by its variance
    assert table.at["z", "delta"] == pytest.approx(math.log(201))
    assert table.at["z", "variance"] == pytest.approx(1 / 2.01 + 100)
    assert table.at["z", "z"] == pytest.approx(0.529016, abs=1e-6)
    assert "w" not in table.index
    assert stats.PRIOR_FLOOR == 0.01


# --------------------------------------------------------------------------------------------
# one_vs_rest and pairwise
# --------------------------------------------------------------------------------------------

COUNTS = pd.DataFrame(
    {"A": [10, 4, 6], "B": [3, 12, 5], "C": [2, 8, 10]}, index=pd.Index(["война", "мир", "санкция"], name="term")
)  # B + C = TARGET's reference above: война 5, мир 20, санкция 15


def test_one_vs_rest_keyness():
    out = one_vs_rest(COUNTS)
    assert out.columns.tolist()[:2] == ["group", "term"]
    assert out["group"].tolist() == ["A"] * 3 + ["B"] * 3 + ["C"] * 3
    block = out[out["group"] == "A"].set_index("term")
    # A against B + C is the hand-worked table of test_keyness_by_hand.
    assert block.at["война", "g2"] == pytest.approx(9.612717, abs=1e-6)
    assert block.at["мир", "g2"] == pytest.approx(-5.293529, abs=1e-6)
    assert block.index.tolist() == ["война", "санкция", "мир"]
    for group in "ABC":
        scores = out.loc[out["group"] == group, "g2"]
        assert scores.is_monotonic_decreasing
    # kwargs reach keyness
    assert "p_adjusted" in one_vs_rest(COUNTS, p_adjust="bh").columns


def test_one_vs_rest_log_odds():
    out = one_vs_rest(COUNTS, method="log_odds")
    block = out[out["group"] == "A"].set_index("term")
    # A: Na = 20; rest: Nb = 40; pooled α = row totals: война 15, мир 24, санкция 21; α0 = 60
    # война: δ = ln((10+15)/(20+60-25)) - ln((5+15)/(40+60-20)) = ln(25/55) - ln(20/80)
    delta = math.log(25 / 55) - math.log(20 / 80)
    assert block.at["война", "delta"] == pytest.approx(delta)  # 0.597837
    assert block.at["война", "z"] == pytest.approx(delta / math.sqrt(1 / 25 + 1 / 20))
    assert out.loc[out["group"] == "B", "z"].is_monotonic_decreasing


def test_pairwise_keyness():
    out = pairwise(COUNTS)
    pairs = out[["group_a", "group_b"]].drop_duplicates().values.tolist()
    assert pairs == [["A", "B"], ["A", "C"], ["B", "C"]]
    ab = out[(out["group_a"] == "A") & (out["group_b"] == "B")].set_index("term")
    # война, A vs B: O = [[10, 10], [3, 17]], N = 40, columns 13 / 27 -> E = [[6.5, 13.5], [6.5, 13.5]]
    #   10 ln(10/6.5) = 4.307829; 10 ln(10/13.5) = -3.001046; 3 ln(3/6.5) = -2.319570;
    #   17 ln(17/13.5) = 3.918902 -> sum 2.906116, G² = 5.812232
    #   Pearson: 3.5² (2/6.5 + 2/13.5) = 12.25 * 0.455840 = 5.584046
    assert ab.at["война", "g2"] == pytest.approx(5.812232, abs=1e-6)
    assert ab.at["война", "chi2"] == pytest.approx(5.584046, abs=1e-6)
    assert ab.at["война", "count_target"] == 10 and ab.at["война", "count_reference"] == 3
    lo = pairwise(COUNTS, method="log_odds")
    assert {"group_a", "group_b", "term", "z"} <= set(lo.columns)
    with pytest.raises(ValueError, match="method must be"):
        pairwise(COUNTS, method="tfidf")
    with pytest.raises(ValueError, match="at least two"):
        one_vs_rest(COUNTS[["A"]])


# --------------------------------------------------------------------------------------------
# association
# --------------------------------------------------------------------------------------------


def test_association_by_hand():
    n_ab = pd.Series([2, 3, 0, 5, 1], index=["indep", "attract", "never", "always", "repel"])
    n_a = pd.Series([4, 4, 5, 5, 4], index=n_ab.index)
    n_b = pd.Series([4, 3, 5, 5, 6], index=n_ab.index)
    n = pd.Series([8, 12, 10, 5, 12], index=n_ab.index)
    out = association(n_ab, n_a, n_b, n)
    assert out.index.tolist() == n_ab.index.tolist()
    assert out.columns.tolist() == ["expected", "pmi", "npmi", "g2", "p_value", "jaccard"]
    # indep: E = 4*4/8 = 2 = n_ab -> PMI log2(2*8/16) = 0, NPMI 0, table [[2,2],[2,2]] fits E: G² 0, p 1
    assert out.loc["indep"].tolist() == pytest.approx([2.0, 0.0, 0.0, 0.0, 1.0, 2 / 6])
    # attract: E = 4*3/12 = 1; PMI = log2(3*12/12) = log2 3 = 1.584963;
    #   NPMI = 1.584963 / -log2(3/12) = 1.584963 / 2 = 0.792481
    #   table [[3, 1], [0, 8]], rows 4 / 8, columns 3 / 9 -> E = [[1, 3], [2, 6]]
    #   3 ln 3 = 3.295837; 1 ln(1/3) = -1.098612; 0; 8 ln(8/6) = 2.301457 -> G² = 2 * 4.498681 = 8.997362
    #   Jaccard = 3 / (4 + 3 - 3) = 0.75
    g2 = 2 * (3 * math.log(3) + math.log(1 / 3) + 8 * math.log(8 / 6))
    assert out.loc["attract"].tolist() == pytest.approx([1.0, math.log2(3), math.log2(3) / 2, g2, chi2_sf_1(g2), 0.75])
    # never: E = 2.5, PMI -inf, NPMI -1; table [[0, 5], [5, 0]], E = 2.5 everywhere:
    #   G² = 2 (5 ln 2 + 5 ln 2) = 20 ln 2 = 13.862944, negative
    assert out.at["never", "pmi"] == -np.inf
    assert out.at["never", "npmi"] == -1.0
    assert out.at["never", "g2"] == pytest.approx(-20 * math.log(2))
    assert out.at["never", "jaccard"] == 0.0
    # always: n_ab = n = 5: PMI log2(5*5/25) = 0, NPMI 1 by definition, Jaccard 1
    assert out.loc["always", ["pmi", "npmi", "g2", "jaccard"]].tolist() == pytest.approx([0.0, 1.0, 0.0, 1.0])
    # repel: E = 4*6/12 = 2 > 1 -> negative G²
    assert out.at["repel", "expected"] == pytest.approx(2.0)
    assert out.at["repel", "g2"] < 0
    assert out.at["repel", "pmi"] == pytest.approx(-1.0)  # log2(1*12/24)


def test_association_matches_scipy_and_accepts_arrays():
    out = association([3, 1], [4, 4], [3, 6], 12)  # a scalar n is repeated
    assert out.index.tolist() == [0, 1]
    for i, (ab, a, b) in enumerate([(3, 4, 3), (1, 4, 6)]):
        cells = np.array([[ab, a - ab], [b - ab, 12 - a - b + ab]])
        g2, p, _, _ = sps.chi2_contingency(cells, correction=False, lambda_="log-likelihood")
        assert abs(out.at[i, "g2"]) == pytest.approx(g2)
        assert out.at[i, "p_value"] == pytest.approx(p)


def test_association_names_the_bad_row():
    idx = ["ok", "bad"]
    with pytest.raises(ValueError, match=r"'bad'.*n_ab exceeds min"):
        association(pd.Series([1, 5], index=idx), pd.Series([2, 4], index=idx), pd.Series([2, 6], index=idx), pd.Series([10, 10], index=idx))
    with pytest.raises(ValueError, match=r"Row 1 .*exceeds n"):
        association([1, 1], [2, 11], [2, 2], [10, 10])
    with pytest.raises(ValueError, match=r"n_a \+ n_b - n_ab exceeds n"):
        association([0], [6], [6], [10])
    with pytest.raises(ValueError, match="equal lengths"):
        association([1, 1], [2], [2, 2], 10)


# --------------------------------------------------------------------------------------------
# adjust_p
# --------------------------------------------------------------------------------------------


def test_adjust_p_by_hand():
    p = pd.Series([0.04, 0.01, 0.2, 0.045], index=list("abcd"), name="p")
    # Bonferroni, m = 4: 0.16, 0.04, 0.8, 0.18
    assert adjust_p(p, "bonferroni").tolist() == pytest.approx([0.16, 0.04, 0.8, 0.18])
    # BH: sorted b 0.01, a 0.04, d 0.045, c 0.2; * 4 / rank: 0.04, 0.08, 0.06, 0.2
    #     running minimum from the top: 0.04, 0.06, 0.06, 0.2 (a is pulled down by d)
    bh = adjust_p(p, "bh")
    assert bh.index.tolist() == list("abcd")
    assert bh.tolist() == pytest.approx([0.06, 0.04, 0.2, 0.06])
    assert bh.tolist() == pytest.approx(sps.false_discovery_control(p.to_numpy(), method="bh").tolist())
    # capped at 1
    assert adjust_p(pd.Series([0.5, 0.9]), "bonferroni").tolist() == [1.0, 1.0]
    # missing p-values stay missing and are not counted: m = 2
    with_nan = adjust_p(pd.Series([0.01, np.nan, 0.02]), "bonferroni")
    assert with_nan.iloc[0] == pytest.approx(0.02) and np.isnan(with_nan.iloc[1])
    with pytest.raises(ValueError, match="method must be"):
        adjust_p(p, "holm")


def test_adjust_p_benjamini_hochberg_1995_example():
    # The 15 p-values of Benjamini & Hochberg (1995), section 3.2: at q = 0.05 the step-up
    # procedure rejects 4 (0.0095 <= 4 * 0.05 / 15 = 0.0133, but 0.0201 > 5 * 0.05 / 15), and
    # Bonferroni (p <= 0.05 / 15 = 0.0033) rejects 3.
    p = pd.Series([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0])
    assert int((adjust_p(p, "bh") <= 0.05).sum()) == 4
    assert int((adjust_p(p, "bonferroni") <= 0.05).sum()) == 3
    # the fourth: 0.0095 * 15 / 4 = 0.035625 (smaller than every later ratio)
    assert adjust_p(p, "bh").iloc[3] == pytest.approx(0.0095 * 15 / 4)


# --------------------------------------------------------------------------------------------
# bootstrap
# --------------------------------------------------------------------------------------------


def test_bootstrap_constant_and_reproducible():
    const = bootstrap_ci([3.0, 3.0, 3.0, 3.0], n_boot=50)
    assert const.index.tolist() == ["estimate", "low", "high"]
    assert const.tolist() == [3.0, 3.0, 3.0]
    values = np.arange(20, dtype=float) ** 2
    first = bootstrap_ci(values, n_boot=300, seed=7)
    pd.testing.assert_series_equal(first, bootstrap_ci(values, n_boot=300, seed=7))
    assert not first.equals(bootstrap_ci(values, n_boot=300, seed=8))
    assert first["estimate"] == pytest.approx(values.mean())  # 123.5
    assert first["low"] < first["estimate"] < first["high"]
    assert bootstrap_ci(values, stat="median", n_boot=50)["estimate"] == pytest.approx(90.5)  # (81 + 100) / 2
    assert bootstrap_ci(values, stat=np.max, n_boot=50)["high"] == 361.0
    assert stats.SEED == 2026


def test_bootstrap_follows_the_documented_algorithm():
    # percentile bootstrap: integers(0, n, (n_boot, n)) from Generator(PCG64(seed)), mean, quantiles
    values = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0])
    rng = np.random.Generator(np.random.PCG64(11))
    means = values[rng.integers(0, values.size, size=(40, values.size))].mean(axis=1)
    low, high = np.quantile(means, [0.05, 0.95])
    got = bootstrap_ci(pd.Series(values), n_boot=40, level=0.9, seed=11)
    assert got.tolist() == pytest.approx([5 / 9, low, high])


def test_bootstrap_equals_scipy_percentile_bootstrap():
    x = np.array([3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9])
    for stat, func, n_boot, level, seed in (("mean", np.mean, 999, 0.9, 2026), ("median", np.median, 500, 0.95, 5)):
        ours = bootstrap_ci(x, stat=stat, n_boot=n_boot, level=level, seed=seed)
        theirs = sps.bootstrap(
            (x,), func, n_resamples=n_boot, confidence_level=level, method="percentile", random_state=np.random.Generator(np.random.PCG64(seed))
        ).confidence_interval
        assert [ours["low"], ours["high"]] == pytest.approx([theirs.low, theirs.high])
        assert ours["estimate"] == pytest.approx(func(x))
    # 15 values, mean 5.133333 (77 / 15)
    assert bootstrap_ci(x)["estimate"] == pytest.approx(77 / 15)


def test_bootstrap_small_samples_by_hand():
    # [0, 1]: a resample mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4; the 2.5% and
    # 97.5% quantiles fall inside the masses at 0 and at 1.
    assert bootstrap_ci([0.0, 1.0], n_boot=4000).tolist() == [0.5, 0.0, 1.0]
    # [0, 0, 0, 1]: 4 × mean ~ Binomial(4, 1/4); P(X = 0) = 0.316 > 0.025, so low = 0;
    # P(X = 4) = 1/256 = 0.0039 < 0.025 < P(X >= 3) = 13/256 = 0.0508, so high = 3/4.
    assert bootstrap_ci([0.0, 0.0, 0.0, 1.0], n_boot=4000).tolist() == [0.25, 0.0, 0.75]
    # missing values are dropped
    assert bootstrap_ci([1.0, np.nan, 1.0], n_boot=10)["estimate"] == 1.0
    with pytest.raises(ValueError, match="level"):
        bootstrap_ci([1.0], level=95)
    with pytest.raises(ValueError, match="at least one"):
        bootstrap_ci([np.nan])
    with pytest.raises(ValueError, match="stat must be"):
        bootstrap_ci([1.0], stat="mode")


def test_grouped_bootstrap_coverage_of_a_known_share():
    # 200 simulated samples of 40 documents, each showing a frame with probability 0.3: a 95%
    # interval should cover 0.3 in roughly 95% of them (the percentile bootstrap of a small
    # binomial sample runs a little below nominal). Seeded, so the share is fixed.
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"sample": np.repeat(np.arange(200), 40), "present": (rng.random(8000) < 0.3).astype(float)})
    out = grouped_bootstrap_ci(frame, "present", "sample", n_boot=400)
    covered = ((out["low"] <= 0.3) & (0.3 <= out["high"])).mean()
    assert 0.88 <= covered <= 0.99
    assert (out["low"] <= out["estimate"]).all() and (out["estimate"] <= out["high"]).all()


def test_grouped_bootstrap_shape_and_independence():
    frame = pd.DataFrame(
        {
            "outlet": ["B", "A", "A", "B", "A", "C", "B", "A"],
            "frame": ["war", "war", "war", "peace", "peace", "war", "war", "war"],
            "present": [1.0, 0.0, 1.0, 1.0, np.nan, 0.0, 0.0, 1.0],
        }
    )
    out = grouped_bootstrap_ci(frame, "present", ["outlet", "frame"], n_boot=200)
    assert out.columns.tolist() == ["outlet", "frame", "n", "estimate", "low", "high"]
    assert out[["outlet", "frame"]].values.tolist() == [["A", "peace"], ["A", "war"], ["B", "peace"], ["B", "war"], ["C", "war"]]
    # A/war: 0, 1, 1 -> n 3, mean 2/3; A/peace: only NaN -> n 0, no estimate
    assert out.iloc[1][["n", "estimate"]].tolist() == pytest.approx([3, 2 / 3])
    assert out.iloc[0]["n"] == 0 and np.isnan(out.iloc[0]["estimate"])
    # B/war: 1, 0 -> mean 0.5
    assert out.iloc[3]["estimate"] == pytest.approx(0.5)
    # a group's interval does not depend on the other groups
    alone = grouped_bootstrap_ci(frame[frame["outlet"] == "A"], "present", ["outlet", "frame"], n_boot=200)
    pd.testing.assert_frame_equal(alone.iloc[[1]].reset_index(drop=True), out.iloc[[1]].reset_index(drop=True))
    pd.testing.assert_frame_equal(out, grouped_bootstrap_ci(frame, "present", ["outlet", "frame"], n_boot=200))
    with pytest.raises(ValueError, match="no column"):
        grouped_bootstrap_ci(frame, "present", "date")


# --------------------------------------------------------------------------------------------
# classification_report
# --------------------------------------------------------------------------------------------

GOLD = pd.DataFrame(
    {"war": [True, True, False, False, True], "economy": [False, True, True, False, False]},
    index=["d1", "d2", "d3", "d4", "d5"],
)
PREDICTED = pd.DataFrame(
    {"war": [True, False, True, False, True], "humanitarian": [False, True, False, False, False]},
    index=["d1", "d2", "d3", "d4", "d6"],
)


def test_classification_report_by_hand():
    report = classification_report(GOLD, PREDICTED)
    # docs d1–d4 (the intersection), labels war, economy, humanitarian (the union)
    assert report.index.tolist() == ["war", "economy", "humanitarian", "micro", "macro"]
    assert report.columns.tolist() == ["tp", "fp", "fn", "support", "precision", "recall", "f1"]
    # war: gold T T F F, predicted T F T F -> tp 1 (d1), fp 1 (d3), fn 1 (d2); P = R = F = 1/2
    assert report.loc["war"].tolist() == pytest.approx([1, 1, 1, 2, 0.5, 0.5, 0.5])
    # economy: gold F T T F, never predicted -> tp 0, fp 0, fn 2; P undefined -> 0, R 0, F 0
    assert report.loc["economy"].tolist() == pytest.approx([0, 0, 2, 2, 0, 0, 0])
    # humanitarian: never coded, predicted on d2 -> fp 1; R undefined -> 0
    assert report.loc["humanitarian"].tolist() == pytest.approx([0, 1, 0, 0, 0, 0, 0])
    # micro: tp 1, fp 2, fn 3, support 4 -> P = 1/3, R = 1/4, F = 2 (1/12) / (7/12) = 2/7
    assert report.loc["micro"].tolist() == pytest.approx([1, 2, 3, 4, 1 / 3, 1 / 4, 2 / 7])
    # macro: means of the three labels: P = (0.5 + 0 + 0) / 3, R and F likewise
    assert report.loc["macro"].tolist() == pytest.approx([1, 2, 3, 4, 1 / 6, 1 / 6, 1 / 6])
    assert report["tp"].dtype == np.int64


def test_classification_report_matches_sklearn():
    from sklearn.metrics import precision_recall_fscore_support

    report = classification_report(GOLD, PREDICTED)
    labels = ["war", "economy", "humanitarian"]
    docs = ["d1", "d2", "d3", "d4"]
    y_true = GOLD.reindex(index=docs, columns=labels, fill_value=False).to_numpy()
    y_pred = PREDICTED.reindex(index=docs, columns=labels, fill_value=False).to_numpy()
    for average, row in [(None, labels), ("micro", "micro"), ("macro", "macro")]:
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average=average, zero_division=0)
        rows = [row] if isinstance(row, str) else row
        assert report.loc[rows, "precision"].tolist() == pytest.approx(np.atleast_1d(p).tolist())
        assert report.loc[rows, "recall"].tolist() == pytest.approx(np.atleast_1d(r).tolist())
        assert report.loc[rows, "f1"].tolist() == pytest.approx(np.atleast_1d(f).tolist())


def test_classification_report_with_one_label():
    # one label used to reach scikit-learn as a binary target and fail on the shapes
    gold = pd.DataFrame({"war": [True, False]}, index=["d1", "d2"])
    pred = pd.DataFrame({"war": [True, True]}, index=["d1", "d2"])
    report = classification_report(gold, pred)
    assert report.index.tolist() == ["war", "micro", "macro"]
    # tp 1 (d1), fp 1 (d2), fn 0: P = 1/2, R = 1, F = 2/3
    assert report.loc["war"].tolist() == pytest.approx([1, 1, 0, 1, 0.5, 1.0, 2 / 3])
    assert report.loc["micro"].tolist() == pytest.approx([1, 1, 0, 1, 0.5, 1.0, 2 / 3])


def test_classification_report_rejects_bad_tables():
    with pytest.raises(ValueError, match="share no doc_id"):
        classification_report(GOLD, PREDICTED.rename(index=lambda d: d + "x"))
    with pytest.raises(ValueError, match="missing values"):
        classification_report(GOLD.astype(object).where(GOLD, None), PREDICTED)
    with pytest.raises(ValueError, match="'micro'"):
        classification_report(GOLD.rename(columns={"war": "micro"}), PREDICTED)


# --------------------------------------------------------------------------------------------
# chi2_independence
# --------------------------------------------------------------------------------------------


def test_chi2_independence_2x3_by_hand():
    table = pd.DataFrame([[10, 20, 30], [20, 20, 20]], index=["РИА", "Meduza"], columns=["перемирие", "прекращение огня", "заморозка"])
    result = chi2_independence(table)
    # rows 60 / 60, columns 30 / 40 / 50, N = 120 -> E = [[15, 20, 25], [15, 20, 25]]
    # (O - E)² / E: 25/15 + 0 + 25/25 in each row -> χ² = 2 (5/3 + 1) = 16/3 = 5.333333
    assert result["chi2"] == pytest.approx(16 / 3)
    assert result["dof"] == 2  # (2 - 1)(3 - 1)
    # χ²(2) tail is exp(-x/2): exp(-8/3) = 0.069483
    assert result["p_value"] == pytest.approx(math.exp(-8 / 3))
    # V = sqrt(χ² / (N (min(r, c) - 1))) = sqrt((16/3) / 120) = 0.210819
    assert result["cramers_v"] == pytest.approx(math.sqrt(16 / 3 / 120))
    assert result["min_expected"] == pytest.approx(15.0)
    chi2, p, dof, expected = sps.chi2_contingency(table.to_numpy(), correction=False)
    assert result[["chi2", "p_value", "dof", "min_expected"]].tolist() == pytest.approx([chi2, p, dof, expected.min()])
    assert result.index.tolist() == ["chi2", "dof", "p_value", "cramers_v", "min_expected"]


def test_chi2_independence_2x2_has_no_yates():
    # [[10, 0], [0, 10]]: E = 5 everywhere, χ² = 4 * 25 / 5 = 20 (Yates would give 4 * 4.5² / 5 = 16.2)
    result = chi2_independence(pd.DataFrame([[10, 0], [0, 10]]))
    assert result["chi2"] == pytest.approx(20.0)
    assert result["cramers_v"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="empty row or column"):
        chi2_independence(pd.DataFrame([[1, 0], [2, 0]]))
    with pytest.raises(ValueError, match="2 × 2"):
        chi2_independence(pd.DataFrame([[1, 2, 3]]))


def test_chi2_independence_cramers_v_matches_scipy():
    table = pd.DataFrame([[12, 5, 3], [4, 10, 6], [2, 3, 15]], index=["РИА", "ТАСС", "Meduza"])
    result = chi2_independence(table)
    assert result["cramers_v"] == pytest.approx(sps.contingency.association(table.to_numpy(), method="cramer"))
    chi2, p, dof, _ = sps.chi2_contingency(table.to_numpy(), correction=False)
    assert result[["chi2", "p_value", "dof"]].tolist() == pytest.approx([chi2, p, 4])
    # shares or weights (not whole counts) go through the formula: V = sqrt(χ² / (N (min(r, c) - 1)))
    halves = chi2_independence(table / 2)
    n = table.to_numpy().sum() / 2
    assert halves["cramers_v"] == pytest.approx(math.sqrt(halves["chi2"] / (n * 2)))
    # halving every count halves χ² and leaves V as it was
    assert halves["chi2"] == pytest.approx(chi2 / 2) and halves["cramers_v"] == pytest.approx(result["cramers_v"])


# --------------------------------------------------------------------------------------------
# proportion_ci, compare_proportions, permutation_test
# --------------------------------------------------------------------------------------------


def test_proportion_ci_wilson_published_values():
    # Newcombe (1998), Statistics in Medicine 17, 857–872, Table II, method 3 (Wilson score):
    # 81/263 -> 0.2553–0.3662, 15/148 -> 0.0624–0.1605, 0/20 -> 0–0.1611, 1/29 -> 0.0061–0.1718
    ci = proportion_ci([81, 15, 0, 1], [263, 148, 20, 29])
    assert ci["low"].round(4).tolist() == [0.2553, 0.0624, 0.0, 0.0061]
    assert ci["high"].round(4).tolist() == [0.3662, 0.1605, 0.1611, 0.1718]
    # 0/n by hand: the upper bound is z² / (n + z²); 0/10 at 95%: 3.841459 / 13.841459 = 0.277533
    z2 = sps.norm.ppf(0.975) ** 2
    zero = proportion_ci(0, 10)
    assert zero.values.tolist()[0] == pytest.approx([0.0, 0.0, z2 / (10 + z2)])
    assert zero.at[0, "high"] == pytest.approx(0.2775, abs=5e-5)
    # n/n mirrors it; n = 0 has no share and no interval
    assert proportion_ci(10, 10).values.tolist()[0] == pytest.approx([1.0, 1 - z2 / (10 + z2), 1.0])
    assert proportion_ci(0, 0).isna().all(axis=None)
    # scipy's Wilson interval agrees everywhere, small n included
    for k, n in [(81, 263), (1, 29), (0, 10), (3, 4), (1, 1), (7, 7)]:
        theirs = sps.binomtest(k, n).proportion_ci(confidence_level=0.9, method="wilson")
        assert proportion_ci(k, n, level=0.9).loc[0, ["low", "high"]].tolist() == pytest.approx([theirs.low, theirs.high])
    with pytest.raises(ValueError, match="between 0 and its n"):
        proportion_ci(5, 4)


def test_proportion_ci_jeffreys():
    ci = proportion_ci([0, 1, 3, 10], [1, 1, 10, 10], method="jeffreys")
    # 0/1: the upper bound is the 0.975 quantile of Beta(1/2, 3/2), whose CDF is
    #   F(x) = (2/π)(θ + sin θ cos θ) with θ = arcsin √x (substitute t = sin² θ); low is 0 at k = 0
    high = ci.at[0, "high"]
    theta = math.asin(math.sqrt(high))
    assert 2 / math.pi * (theta + math.sin(theta) * math.cos(theta)) == pytest.approx(0.975)
    assert high == pytest.approx(0.853254, abs=1e-6) and ci.at[0, "low"] == 0.0
    # 1/1 mirrors it (Beta(3/2, 1/2)); high is 1 at k = n (Brown, Cai & DasGupta 2001)
    assert ci.loc[1, ["low", "high"]].tolist() == pytest.approx([1 - high, 1.0])
    # 3/10: the 2.5% and 97.5% quantiles of Beta(3.5, 7.5)
    assert ci.loc[2, ["low", "high"]].tolist() == pytest.approx(sps.beta.ppf([0.025, 0.975], 3.5, 7.5).tolist())
    assert ci.loc[3, "high"] == 1.0 and ci.loc[3, "low"] == pytest.approx(sps.beta.ppf(0.025, 10.5, 0.5))
    # narrower than Wilson at 0/10 (0.2172 against 0.2775)
    assert proportion_ci(0, 10, method="jeffreys").at[0, "high"] == pytest.approx(sps.beta.ppf(0.975, 0.5, 10.5))
    assert proportion_ci(0, 10, method="jeffreys").at[0, "high"] < proportion_ci(0, 10).at[0, "high"]
    with pytest.raises(ValueError, match="method must be"):
        proportion_ci(1, 2, method="wald")


def test_compare_proportions_z_and_fisher():
    out = compare_proportions([30, 2, 0], [100, 10, 5], [45, 7, 5], [100, 10, 5])
    assert out.columns.tolist() == ["difference", "test", "p_value"]
    assert out["test"].tolist() == ["z", "fisher", "fisher"]
    # 30/100 against 45/100: every expected cell >= 5, pooled p = 0.375,
    #   se = sqrt(0.375 * 0.625 * (1/100 + 1/100)) = 0.068465, z = 0.15 / 0.068465 = 2.190890,
    #   p = 2 (1 - Φ(2.190890)) = 0.028460: Pearson's χ² without continuity correction
    assert out.at[0, "difference"] == pytest.approx(-0.15)
    assert out.at[0, "p_value"] == pytest.approx(0.028460, abs=1e-6)
    assert out.at[0, "p_value"] == pytest.approx(sps.chi2_contingency([[30, 70], [45, 55]], correction=False)[1])
    # 2/10 against 7/10: expected 4.5 < 5 -> Fisher's exact test, as scipy computes it
    assert out.at[1, "p_value"] == pytest.approx(sps.fisher_exact([[2, 8], [7, 3]])[1])
    # 0/5 against 5/5: only the observed table and its mirror are as extreme: 2 / C(10, 5) = 2/252
    assert out.at[2, "p_value"] == pytest.approx(2 / 252)
    assert compare_proportions([1], [0], [1], [2])["test"].tolist() == ["none"]


def test_permutation_test_exact_and_seeded():
    # a = (1, 2, 3), b = (4, 5, 6): 20 ways to split the six values in two groups of three, and
    # n_resamples >= 20 makes scipy enumerate them. Only the observed split has a mean difference
    # as low as -3, so P(≤) = 1/20 and the two-sided p = 2 * 1/20 = 0.1.
    exact = permutation_test([1, 2, 3], [4, 5, 6])
    assert exact.tolist() == pytest.approx([-3.0, 0.1])
    # randomised (C(20, 10) splits > 999 resamples): the seed fixes the answer, which is
    # scipy's with the same generator
    a, b = np.arange(10.0), np.arange(10.0) + 2.5
    for seed in (1, 2026):
        ours = permutation_test(a, b, n_resamples=999, seed=seed)
        theirs = sps.permutation_test(
            (a, b), lambda u, v, axis: u.mean(axis=axis) - v.mean(axis=axis), vectorized=True, n_resamples=999,
            random_state=np.random.Generator(np.random.PCG64(seed)),
        )
        assert ours["p_value"] == theirs.pvalue and ours["difference"] == pytest.approx(-2.5)
        pd.testing.assert_series_equal(ours, permutation_test(a, b, n_resamples=999, seed=seed))
    assert permutation_test([], [1.0]).isna().all()


# --------------------------------------------------------------------------------------------
# Agreement between coders
# --------------------------------------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example C: 4 coders, 12
# units, values 1–5, missing where a coder did not code the unit. Nominal alpha = 0.743.
K2011 = pd.DataFrame(
    {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        "C": [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    }
)


def test_krippendorff_alpha_published_example():
    import krippendorff

    alpha = krippendorff_alpha(K2011)
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(krippendorff.alpha(reliability_data=K2011.to_numpy().T, level_of_measurement="nominal"))
    # labels as text: nominal alpha does not depend on how the labels are written
    words = K2011.replace({1: "war", 2: "peace", 3: "economy", 4: "aid", 5: "law"})
    assert krippendorff_alpha(words) == pytest.approx(alpha)


def test_krippendorff_alpha_by_hand():
    # two coders, four units: (a, a), (a, b), (b, b), (b, b). Coincidences: o_aa 2, o_ab = o_ba 1,
    # o_bb 4; n_a = 3, n_b = 5, n = 8. alpha = 1 - (n - 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k
    #   = 1 - 7 * 2 / (2 * 3 * 5) = 1 - 14/30 = 0.533333
    units = pd.DataFrame({"first": ["a", "a", "b", "b"], "second": ["a", "b", "b", "b"]})
    assert krippendorff_alpha(units) == pytest.approx(1 - 14 / 30)
    assert krippendorff_alpha(pd.DataFrame({"x": ["a", "a"], "y": ["a", "a"]})) == 1.0  # one label throughout
    assert np.isnan(krippendorff_alpha(pd.DataFrame({"x": ["a", None], "y": [None, "b"]})))  # no unit coded twice


def test_cohen_kappa_by_hand_and_sklearn():
    from sklearn.metrics import cohen_kappa_score

    a, b = ["war", "war", "aid", "aid", "war"], ["war", "aid", "aid", "aid", "war"]
    # agreement 4/5 = 0.8; chance: P(war) 3/5 · 2/5 + P(aid) 2/5 · 3/5 = 0.48 -> (0.8 - 0.48) / 0.52
    assert cohen_kappa(a, b) == pytest.approx(0.32 / 0.52)
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert cohen_kappa(["x", "x"], ["x", "x"]) == 1.0


# --------------------------------------------------------------------------------------------
# format_p, distinctive, zipf_fit
# --------------------------------------------------------------------------------------------


def test_format_p_never_shows_a_false_zero():
    # chi2.sf(2000, 1) underflows to 0.0: it is shown as below the smallest shown value
    assert sps.chi2.sf(2000, 1) == 0.0
    assert format_p(sps.chi2.sf(2000, 1)) == "< 1e-300"
    assert format_p(1e-310) == "< 1e-300"
    assert format_p(3.1e-7) == "3.1e-07"
    assert format_p(0.00049) == "4.9e-04"  # not "0.000"
    assert format_p(0.042) == "0.042" and format_p(0.5, digits=2) == "0.50"
    assert format_p(0.004, digits=2) == "4.0e-03"
    series = format_p(pd.Series([0.0, 0.2, np.nan], index=["a", "b", "c"]))
    assert series.index.tolist() == ["a", "b", "c"] and series.iloc[:2].tolist() == ["< 1e-300", "0.200"] and pd.isna(series["c"])
    values = format_p(np.array([0.0, 1e-5, 4e-4, 0.01]))
    assert values.tolist() == ["< 1e-300", "1.0e-05", "4.0e-04", "0.010"]
    assert not any(v in ("0", "0.000", "0.0e+00") for v in values)


def test_distinctive_keeps_only_terms_past_the_threshold():
    table = pd.DataFrame(
        {"z": [1.5, 2.5, 1.96, -1.95, -1.96, -3.0, 2.5, -3.0]},
        index=pd.Index(["мир", "война", "санкция", "перемирие", "сделка", "удар", "армия", "атака"], name="term"),
    )
    out = distinctive(table)
    assert out.columns.tolist() == ["side", "rank", "term", "z"]
    # side a: z >= 1.96 (1.5 is not): 2.5 (армия, война: equal, in term order), 1.96 (санкция)
    # side b: z <= -1.96 (-1.95 is not): -3.0 (атака, удар), -1.96 (сделка)
    assert out[["side", "rank", "term"]].values.tolist() == [
        ["a", 1, "армия"], ["a", 2, "война"], ["a", 3, "санкция"], ["b", 1, "атака"], ["b", 2, "удар"], ["b", 3, "сделка"],
    ]
    # the same result whatever order the table comes in
    pd.testing.assert_frame_equal(distinctive(table.iloc[::-1]), out)
    assert distinctive(table, top=1)["term"].tolist() == ["армия", "атака"]
    assert distinctive(table, z=3.5).empty


def test_zipf_fit_recovers_an_exact_power_law():
    # f(r) = 10^5 · r^-1.2 for ranks 1…500: log10 f = 5 - 1.2 log10 r exactly
    ranks = np.arange(1, 501)
    counts = 1e5 * ranks ** -1.2
    fit = zipf_fit(counts[::-1], min_rank=5, max_rank=100)  # any order in
    assert fit[["slope", "intercept", "r2"]].tolist() == pytest.approx([-1.2, 5.0, 1.0])
    assert fit[["min_rank", "max_rank", "terms"]].tolist() == [5, 100, 500]
    # default range: from rank 10 to the last rank with f >= 5. 1000 / r >= 5 up to r = 200.
    harmonic = zipf_fit([1000 / r for r in range(1, 1001)])
    assert harmonic[["min_rank", "max_rank"]].tolist() == [10, 200] and harmonic["slope"] == pytest.approx(-1.0)
    # a head of function words that no line fits: the default range leaves it out
    bent = counts.copy()
    bent[:9] *= 5
    assert zipf_fit(bent)["slope"] == pytest.approx(-1.2)
    assert zipf_fit(bent, min_rank=1)["slope"] < -1.25  # fitting the head too pulls the line


def test_docstring_examples_run():
    result = doctest.testmod(stats, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
