"""Statistics for comparing outlets: keyness, Fightin' Words, association measures, intervals.

Every function is a pure, vectorised function of pandas objects: counts in, a tidy table out,
sorted so that a notebook shows the same table on every run. Nothing here reads the corpus; the
count tables come from :mod:`helpers.frequency` (e.g. :func:`helpers.frequency.count_matrix`) and
:mod:`helpers.actors`.

- :func:`keyness`, :func:`log_odds_dirichlet`: which terms distinguish one body of text from
  another; :func:`one_vs_rest` and :func:`pairwise` run them over many groups.
- :func:`association`: expected count, PMI, NPMI, signed G², Jaccard for co-occurrence counts.
- :func:`adjust_p`: Bonferroni and Benjamini–Hochberg adjustment (scipy).
- :func:`proportion_ci`: Wilson and Jeffreys intervals for shares, sound at 0/n and n/n.
- :func:`compare_proportions`: a test of the difference between two shares (Fisher's exact
  test for small counts, else the two-proportion z-test), vectorised over many rows.
- :func:`bootstrap_ci`, :func:`grouped_bootstrap_ci`: seeded percentile bootstrap intervals
  (scipy's ``bootstrap``).
- :func:`permutation_test`: a seeded test of a difference in means between two groups.
- :func:`classification_report`: precision, recall and F1 against hand coding (scikit-learn).
- :func:`chi2_independence`: Pearson's χ² test for an r × c table, with Cramér's V (scipy).
- :func:`format_p`: p-values for display, never a false 0.

Rates are **per 10,000 tokens**, as everywhere in the kit. Logarithms are natural unless the
name says otherwise (``log_ratio`` and ``pmi`` are base 2).
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from helpers.compat import legacy
from helpers.constants import PER, SEED
from helpers.progress import progress

#: Pseudo-count given to a term that an informative prior (a background corpus) never saw.
PRIOR_FLOOR = 0.01

METHODS = ("keyness", "log_odds")
CORRECTIONS = ("bonferroni", "bh")
P_ADJUST = CORRECTIONS


# --------------------------------------------------------------------------------------------
# Validation and the 2 × 2 machinery shared by keyness and association
# --------------------------------------------------------------------------------------------


def _check_counts(counts: pd.Series, name: str) -> pd.Series:
    """Check that ``counts`` is a Series of non-negative numbers with unique labels."""
    if not isinstance(counts, pd.Series):
        raise TypeError(f"{name} must be a pandas Series of counts indexed by term; got {type(counts).__name__}.")
    if not pd.api.types.is_numeric_dtype(counts):
        raise TypeError(f"{name} must hold numbers (counts); its dtype is {counts.dtype}.")
    if counts.index.has_duplicates:
        dup = counts.index[counts.index.duplicated()][0]
        raise ValueError(f"{name} lists the term {dup!r} more than once: sum the counts per term first (e.g. .groupby(level=0).sum()).")
    values = counts.to_numpy(dtype=float)
    if np.isnan(values).any():
        raise ValueError(f"{name} has missing counts (NaN) for {list(counts.index[np.isnan(values)][:3])}: fill them with 0 or drop them.")
    if (values < 0).any():
        raise ValueError(f"{name} has negative counts for {list(counts.index[values < 0][:3])}: counts must be >= 0.")
    return counts


def _align(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Reindex two count Series to the union of their terms, a missing term counting 0."""
    index = a.index.union(b.index)
    return a.reindex(index, fill_value=0), b.reindex(index, fill_value=0)


def _expected_2x2(o11: np.ndarray, o12: np.ndarray, o21: np.ndarray, o22: np.ndarray) -> tuple[np.ndarray, ...]:
    """Expected counts of the four cells under independence, from the margins."""
    n = o11 + o12 + o21 + o22
    r1, r2, c1, c2 = o11 + o12, o21 + o22, o11 + o21, o12 + o22
    with np.errstate(divide="ignore", invalid="ignore"):
        return r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n


def _g2_2x2(o11: np.ndarray, o12: np.ndarray, o21: np.ndarray, o22: np.ndarray) -> np.ndarray:
    """Unsigned 4-cell log-likelihood ratio G² = 2 Σ O ln(O / E), cells with O = 0 adding 0."""
    cells = (o11, o12, o21, o22)
    total = np.zeros(np.shape(o11), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(cells, _expected_2x2(*cells)):
            total += np.where(o > 0, o * np.log(o / e), 0.0)
    return np.maximum(2.0 * total, 0.0)  # rounding can leave -1e-15 for a perfect fit


def _chi2_2x2(o11: np.ndarray, o12: np.ndarray, o21: np.ndarray, o22: np.ndarray, yates: bool) -> np.ndarray:
    """Unsigned Pearson χ² of a 2 × 2 table, optionally with Yates' continuity correction."""
    cells = (o11, o12, o21, o22)
    total = np.zeros(np.shape(o11), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(cells, _expected_2x2(*cells)):
            diff = np.abs(o - e)
            if yates:  # as scipy.stats.chi2_contingency: move each O toward E by at most 0.5
                diff = diff - np.minimum(0.5, diff)
            total += np.where(e > 0, diff**2 / e, 0.0)
    return total


# --------------------------------------------------------------------------------------------
# Keyness and Fightin' Words
# --------------------------------------------------------------------------------------------


@legacy(rename={"correction": "p_adjust"}, frames=False)
def keyness(
    target: pd.Series,
    reference: pd.Series,
    *,
    yates: bool = False,
    p_adjust: str | None = None,
    min_count: int = 1,
    totals: tuple[float, float] | None = None,
) -> pd.DataFrame:
    r"""Which terms are over- or under-used in a target text compared with a reference.

    Parameters
    ----------
    target, reference : Series
        Counts indexed by term (e.g. one column of :func:`helpers.frequency.count_matrix`). The
        two are aligned on the union of their terms; a term missing from one counts 0 there.
    yates : bool
        Apply Yates' continuity correction to ``chi2`` (default False). It changes ``chi2`` only:
        ``g2`` and ``p_value`` never use it.
    p_adjust : {None, "bonferroni", "bh"}
        Also return ``p_adjusted``, the p-values adjusted for the number of terms tested (the rows
        returned, after ``min_count``) with :func:`adjust_p`. Default None: no adjustment and no
        ``p_adjusted`` column. With thousands of terms, unadjusted p-values below 0.05 are
        expected by chance alone: use ``"bh"`` (false discovery rate) when you report them.
        (quanteda's ``correction`` means Yates' or Williams' correction of the statistic; this
        is not that: see ``yates``.) ``correction=`` is the deprecated name.
    min_count : int
        Keep terms with ``a + b >= min_count`` (default 1, which drops terms counted in neither).
    totals : (float, float), optional
        The token totals :math:`N_a, N_b` of the two texts, when the count Series leave some
        tokens out (stop words, names): the rates and the 2 × 2 tables then use the texts'
        real sizes, as every rate of the kit does. Default: the sums of the Series.

    Returns
    -------
    DataFrame
        Indexed by ``term``: ``count_target`` (a), ``count_reference`` (b), ``per_10k_target``
        and ``per_10k_reference`` (per 10,000 tokens), ``g2`` (signed), ``log_ratio``, ``chi2``
        (unsigned), ``p_value`` and, with ``correction``, ``p_adjusted``. Sorted by ``g2``
        descending, then term: the target's key terms first, its negative key terms last.

    Raises
    ------
    ValueError
        When a side has no tokens, a count is negative or missing, a term is listed twice, or
        ``correction`` / ``min_count`` is not one of the allowed values.

    Notes
    -----
    With :math:`N_a` = ``target.sum()`` and :math:`N_b` = ``reference.sum()`` (the totals of the
    Series you pass: pass counts that include stop words if rates should), every term gives the
    2 × 2 table

    .. math::

        O = \begin{pmatrix} a & N_a - a \\ b & N_b - b \end{pmatrix}, \qquad
        E_{ij} = \frac{R_i C_j}{N}, \quad N = N_a + N_b,

    with row totals :math:`R_i` and column totals :math:`C_j`.

    - ``g2`` is the 4-cell log-likelihood ratio (Dunning 1993),
      :math:`G^2 = 2 \sum_{O_{ij} > 0} O_{ij} \ln(O_{ij} / E_{ij})`, given the sign ``+`` when
      :math:`a / N_a \ge b / N_b` (over-used in the target) and ``-`` otherwise. It is the
      G-test of :func:`scipy.stats.chi2_contingency` with ``lambda_="log-likelihood"`` and
      ``correction=False``. Rayson & Garside (2000), and the UCREL log-likelihood calculator that
      follows them, sum only the two cells :math:`a` and :math:`b`; that 2-term value differs
      from ours, most for frequent terms.
    - ``p_value`` is the χ²(1) survival function of :math:`|G^2|`.
    - ``log_ratio`` (Hardie 2014) is :math:`\log_2\big((a / N_a) / (b / N_b)\big)`, an effect
      size: +1 means twice as frequent in the target. A zero count is replaced by 0.5 so that a
      term absent from one side gets a finite value.
    - ``chi2`` is Pearson's :math:`\sum (O - E)^2 / E` over the four cells; with ``yates=True``
      each :math:`|O - E|` is reduced by :math:`\min(0.5, |O - E|)` (as scipy does). It is kept
      **unsigned**: the direction is the sign of ``g2``.

    How other tools differ:

    - quanteda's ``textstat_keyness`` defaults to ``measure = "chi2"``, a *signed* χ², and its
      ``correction = "default"`` applies, by its documentation, Yates' correction to ``"chi2"``
      and Williams' correction to ``"lr"`` (in the quanteda.textstats source we checked, the
      default Yates adjustment is made only when an expected count is below 5, so results depend
      on the table). Its ``"lr"`` is a signed 4-cell G², so
      ``measure = "lr", correction = "none"`` is the setting to compare with our ``g2``, and
      ``measure = "chi2", correction = "none"`` matches our ``chi2`` up to the sign. Its
      ``p`` is also the χ²(1) tail of the absolute statistic. We apply no correction by default.
    - AntConc's keyword list uses the 4-cell log-likelihood as its standard keyness statistic
      and offers Log Ratio among its effect sizes: the same two quantities as ``g2`` and
      ``log_ratio`` here (check how your version handles zero frequencies in Log Ratio).
    - tidylo (``bind_log_odds``) and scattertext rank terms by a log-odds ratio with a Dirichlet
      prior, not by G²: see :func:`log_odds_dirichlet`.

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    *Computational Linguistics*, 19(1), 61–74.

    Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling. *Proceedings of
    the Workshop on Comparing Corpora*, ACL 2000, 1–6.

    Hardie, A. (2014). Log Ratio: an informal introduction. ESRC Centre for Corpus Approaches to
    Social Science (CASS), Lancaster University.

    Examples
    --------
    >>> a = pd.Series({"санкция": 10, "перемирие": 2})
    >>> b = pd.Series({"санкция": 2, "перемирие": 10, "мир": 4})
    >>> keyness(a, b).index.tolist()
    ['санкция', 'мир', 'перемирие']
    """
    _check_counts(target, "target")
    _check_counts(reference, "reference")
    if not isinstance(yates, (bool, np.bool_)):
        raise TypeError("yates must be True or False.")
    if p_adjust is not None and p_adjust not in CORRECTIONS:
        raise ValueError(f"p_adjust must be None, 'bonferroni' or 'bh'; got {p_adjust!r}.")
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ValueError(f"min_count must be a whole number >= 0; got {min_count!r}.")
    tgt, ref = _align(target, reference)
    n_a, n_b = (float(tgt.sum()), float(ref.sum())) if totals is None else (float(totals[0]), float(totals[1]))
    if totals is not None and (n_a < tgt.sum() or n_b < ref.sum()):
        raise ValueError(f"totals {totals} are smaller than the counts they should include ({tgt.sum()}, {ref.sum()}).")
    if n_a <= 0 or n_b <= 0:
        empty = "target" if n_a <= 0 else "reference"
        raise ValueError(f"The {empty} has no tokens (its counts sum to 0): keyness needs text on both sides.")
    keep = (tgt + ref) >= min_count
    tgt, ref = tgt[keep], ref[keep]
    a, b = tgt.to_numpy(dtype=float), ref.to_numpy(dtype=float)
    c, d = n_a - a, n_b - b
    over = a / n_a >= b / n_b
    g2 = np.where(over, 1.0, -1.0) * _g2_2x2(a, c, b, d)
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / n_a) / (np.where(b > 0, b, 0.5) / n_b))
    out = pd.DataFrame(
        {
            "term": tgt.index,
            "count_target": tgt.to_numpy(),
            "count_reference": ref.to_numpy(),
            "per_10k_target": a / n_a * PER,
            "per_10k_reference": b / n_b * PER,
            "g2": g2,
            "log_ratio": log_ratio,
            "chi2": _chi2_2x2(a, c, b, d, bool(yates)),
            "p_value": sps.chi2.sf(np.abs(g2), 1),
        }
    )
    if p_adjust is not None:
        out["p_adjusted"] = adjust_p(out["p_value"], p_adjust).to_numpy()
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort")
    return out.set_index("term")


def log_odds_dirichlet(a: pd.Series, b: pd.Series, prior: pd.Series | None = None) -> pd.DataFrame:
    r"""Fightin' Words: log-odds ratio with an informative Dirichlet prior, as a z-score.

    Parameters
    ----------
    a, b : Series
        Counts indexed by term of the two texts compared, aligned on the union of their terms (a
        missing term counts 0). Terms counted in neither are dropped: they carry no evidence.
    prior : Series, optional
        Prior pseudo-counts :math:`\alpha_w` indexed by term, typically the counts of a
        background corpus, aligned to the terms of ``a`` and ``b`` (terms only in the prior are
        ignored; a term the prior lacks, or gives 0, gets :data:`PRIOR_FLOOR` = 0.01). Default:
        the pooled counts :math:`a_w + b_w`. The prior's total is its strength: counts of a big
        background corpus pull every estimate hard towards the background rates; rescale them
        first (e.g. ``background * (a.sum() + b.sum()) / background.sum()`` weighs the same as
        the default) if that is not what you want.

    Returns
    -------
    DataFrame
        Indexed by ``term``: ``count_a``, ``count_b``, ``delta`` (log-odds ratio, > 0 when the
        term is more typical of ``a``), ``variance`` and ``z``; sorted by ``z`` descending, then
        term.

    Notes
    -----
    Following Monroe, Colaresi & Quinn (2008), eqs. 16, 18 and 19 (informative Dirichlet prior),
    with :math:`N_a, N_b` the totals of ``a`` and ``b`` and :math:`\alpha_0 = \sum_w \alpha_w`:

    .. math::

        \hat\delta_w = \ln\frac{a_w + \alpha_w}{N_a + \alpha_0 - a_w - \alpha_w}
                     - \ln\frac{b_w + \alpha_w}{N_b + \alpha_0 - b_w - \alpha_w}, \qquad
        \sigma^2_w \approx \frac{1}{a_w + \alpha_w} + \frac{1}{b_w + \alpha_w}, \qquad
        z_w = \hat\delta_w / \sigma_w .

    :math:`|z| > 1.96` is the conventional threshold, but with thousands of terms some exceed it
    by chance; read ``z`` as a ranking that discounts rare terms, not as a test.

    How other tools differ:

    - tidylo's ``bind_log_odds`` compares each set with *all sets pooled* (the odds in the set
      against the overall odds), not two texts with each other; its default prior is empirical
      Bayes (each feature's total count across sets, added to every set), and
      ``uninformative = TRUE`` uses :math:`\alpha_w = 1`. Its weighted log odds is a z-score like
      ours but of a different contrast, so the numbers differ.
    - scattertext's ``LogOddsRatioUninformativeDirichletPrior`` adds one small constant
      :math:`\alpha_w` to every count; its ``LogOddsRatioInformativeDirichletPrior`` takes
      background-corpus priors rescaled separately for each category, and both use the
      four-term variance :math:`1/(y_i + \alpha) + 1/(n_i - y_i + \ldots) + \ldots` rather than
      the two-term approximation above.
    - We follow MCQ's informative-prior equations with the prior you pass (pooled counts by
      default), one :math:`\alpha_w` shared by both texts, and their two-term variance.

    References
    ----------
    Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: lexical feature
    selection and evaluation for identifying the content of political conflict. *Political
    Analysis*, 16(4), 372–403. https://doi.org/10.1093/pan/mpn018

    Examples
    --------
    >>> a = pd.Series({"санкция": 3, "перемирие": 1})
    >>> b = pd.Series({"санкция": 1, "перемирие": 3})
    >>> log_odds_dirichlet(a, b)["z"].round(3).tolist()
    [1.149, -1.149]
    """
    _check_counts(a, "a")
    _check_counts(b, "b")
    left, right = _align(a, b)
    keep = (left + right) > 0
    left, right = left[keep], right[keep]
    n_a, n_b = float(left.sum()), float(right.sum())
    if n_a <= 0 or n_b <= 0:
        empty = "a" if n_a <= 0 else "b"
        raise ValueError(f"{empty} has no tokens (its counts sum to 0): the log-odds ratio needs text on both sides.")
    y_a, y_b = left.to_numpy(dtype=float), right.to_numpy(dtype=float)
    if prior is None:
        alpha = y_a + y_b
    else:
        _check_counts(prior, "prior")
        alpha = prior.reindex(left.index, fill_value=0).to_numpy(dtype=float)
        alpha = np.where(alpha > 0, alpha, PRIOR_FLOOR)
    alpha0 = alpha.sum()
    with np.errstate(divide="ignore"):
        delta = np.log((y_a + alpha) / (n_a + alpha0 - y_a - alpha)) - np.log((y_b + alpha) / (n_b + alpha0 - y_b - alpha))
    variance = 1.0 / (y_a + alpha) + 1.0 / (y_b + alpha)
    out = pd.DataFrame(
        {"term": left.index, "count_a": left.to_numpy(), "count_b": right.to_numpy(), "delta": delta, "variance": variance, "z": delta / np.sqrt(variance)}
    )
    out = out.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")
    return out.set_index("term")


def _check_matrix(counts: pd.DataFrame) -> None:
    if not isinstance(counts, pd.DataFrame):
        raise TypeError(f"counts must be a terms × groups DataFrame (see helpers.frequency.count_matrix); got {type(counts).__name__}.")
    if counts.shape[1] < 2:
        raise ValueError(f"counts needs at least two group columns to compare; it has {list(counts.columns)}.")
    if counts.columns.has_duplicates:
        raise ValueError("counts has duplicate group columns: give each group one column.")


def _compare(target: pd.Series, reference: pd.Series, method: str, kwargs: dict[str, Any], totals: tuple[float, float] | None = None) -> tuple[pd.DataFrame, str]:
    if method == "keyness":
        return keyness(target, reference, totals=totals, **kwargs), "g2"
    if method == "log_odds":
        return log_odds_dirichlet(target, reference, **kwargs), "z"
    raise ValueError(f"method must be one of {list(METHODS)}; got {method!r}.")


def _totals(counts: pd.DataFrame, totals: pd.Series | dict | None) -> pd.Series | None:
    """Token totals per group: given, or those :func:`helpers.frequency.count_matrix` attached."""
    if totals is None:
        totals = counts.attrs.get("totals")
    if totals is None:
        return None
    return pd.Series(totals, dtype=float)


def _ordered(labels: Sequence[Any]) -> list[Any]:
    try:
        return sorted(labels)
    except TypeError:  # labels of mixed types: keep the column order
        return list(labels)


def one_vs_rest(counts: pd.DataFrame, method: str = "keyness", *, totals: pd.Series | dict | None = None, **kwargs: Any) -> pd.DataFrame:
    """Compare every group with all the other groups pooled.

    Parameters
    ----------
    counts : DataFrame
        Terms × groups counts (rows terms, one column per group), e.g.
        :func:`helpers.frequency.count_matrix`.
    method : {"keyness", "log_odds"}
        :func:`keyness` (scored by ``g2``) or :func:`log_odds_dirichlet` (scored by ``z``).
    totals : Series or dict, optional
        Token totals per group (stop words included) for keyness' rates and 2 × 2 tables;
        default those :func:`helpers.frequency.count_matrix` attaches to its result.
    **kwargs
        Passed to the method (``yates``, ``p_adjust``, ``min_count`` or ``prior``). A
        ``p_adjust`` adjusts within each group's comparison.

    Returns
    -------
    DataFrame
        Long form: ``group``, ``term`` and the method's columns (``count_target`` is the group,
        ``count_reference`` the rest; for log-odds ``count_a`` and ``count_b``). Sorted by group,
        then score descending, then term.

    Notes
    -----
    The reference of group *g* is the row sum of the other columns, so the totals are
    :math:`N_g` and :math:`N - N_g`. With ``method="log_odds"`` the default prior is then the
    row total, the same for every group.

    Examples
    --------
    >>> counts = pd.DataFrame({"A": [5, 1], "B": [1, 5], "C": [2, 2]}, index=["война", "мир"])
    >>> one_vs_rest(counts)[["group", "term"]].values.tolist()[:2]
    [['A', 'война'], ['A', 'мир']]
    """
    _check_matrix(counts)
    sizes = _totals(counts, totals)
    parts = []
    for group in _ordered(list(counts.columns)):
        rest = counts.drop(columns=[group]).sum(axis=1)
        pair = None if sizes is None else (sizes[group], sizes[[c for c in counts.columns if c != group]].sum())
        table, _ = _compare(counts[group], rest, method, kwargs, pair)
        table = table.reset_index()
        table.insert(0, "group", group)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def pairwise(counts: pd.DataFrame, method: str = "keyness", *, totals: pd.Series | dict | None = None, **kwargs: Any) -> pd.DataFrame:
    """Compare every unordered pair of groups with each other.

    Parameters
    ----------
    counts : DataFrame
        Terms × groups counts, as for :func:`one_vs_rest`.
    method : {"keyness", "log_odds"}
        :func:`keyness` or :func:`log_odds_dirichlet`.
    totals : Series or dict, optional
        As for :func:`one_vs_rest`.
    **kwargs
        Passed to the method.

    Returns
    -------
    DataFrame
        Long form: ``group_a``, ``group_b``, ``term`` and the method's columns, ``group_a`` being
        the target (positive scores favour ``group_a``). One block per pair (a, b) with a before
        b in the column order, blocks in that order, each sorted by score descending, then term.

    Examples
    --------
    >>> counts = pd.DataFrame({"A": [5, 1], "B": [1, 5], "C": [2, 2]}, index=["война", "мир"])
    >>> pairwise(counts)[["group_a", "group_b"]].drop_duplicates().values.tolist()
    [['A', 'B'], ['A', 'C'], ['B', 'C']]
    """
    _check_matrix(counts)
    sizes = _totals(counts, totals)
    groups = list(counts.columns)
    parts = []
    for i, first in enumerate(groups):
        for second in groups[i + 1:]:
            pair = None if sizes is None else (sizes[first], sizes[second])
            table, _ = _compare(counts[first], counts[second], method, kwargs, pair)
            table = table.reset_index()
            table.insert(0, "group_b", second)
            table.insert(0, "group_a", first)
            parts.append(table)
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------------------------
# Association measures for co-occurrence
# --------------------------------------------------------------------------------------------


def association(n_ab: Any, n_a: Any, n_b: Any, n: Any) -> pd.DataFrame:
    r"""Association of pairs from co-occurrence counts: expected, PMI, NPMI, signed G², Jaccard.

    Parameters
    ----------
    n_ab : array-like or Series
        Units (windows, sentences, documents) containing both items.
    n_a, n_b : array-like or Series
        Units containing item a, item b.
    n : array-like, Series or scalar
        Units in all. Inputs have one value per pair and equal lengths (a scalar is repeated);
        they are matched by position, not by index.

    Returns
    -------
    DataFrame
        ``expected``, ``pmi``, ``npmi``, ``g2``, ``p_value``, ``jaccard``, one row per pair, with
        the index of ``n_ab`` when it is a Series (else of the first Series given, else 0…k-1).

    Raises
    ------
    ValueError
        When a row is impossible as counts: ``n_ab > min(n_a, n_b)``, ``n_a > n``, ``n_b > n``,
        ``n_a + n_b - n_ab > n``, a negative or missing value, or ``n <= 0``. The message names
        the first such row.

    Notes
    -----
    .. math::

        E = \frac{n_a n_b}{n}, \qquad
        \mathrm{PMI} = \log_2 \frac{n_{ab}\, n}{n_a n_b}, \qquad
        \mathrm{NPMI} = \frac{\mathrm{PMI}}{-\log_2 (n_{ab} / n)}, \qquad
        J = \frac{n_{ab}}{n_a + n_b - n_{ab}} .

    NPMI (Bouma 2009) runs from −1 (never together) through 0 (independent) to +1 (always
    together): a pair with :math:`n_{ab} = 0` has PMI :math:`-\infty` and NPMI −1; a pair with
    :math:`n_{ab} = n` has NPMI 1. Jaccard is 0 when neither item occurs.

    ``g2`` is the 4-cell log-likelihood ratio (Dunning 1993) of

    .. math::

        \begin{pmatrix} n_{ab} & n_a - n_{ab} \\ n_b - n_{ab} & n - n_a - n_b + n_{ab} \end{pmatrix},

    :math:`G^2 = 2 \sum_{O > 0} O \ln(O / E)`, signed ``+`` when :math:`n_{ab} \ge E` (attraction)
    and ``-`` otherwise (repulsion); ``p_value`` is the χ²(1) tail of :math:`|G^2|`. PMI
    over-rewards rare pairs; G² and NPMI are the safer rankings.

    References
    ----------
    Church, K. W. & Hanks, P. (1990). Word association norms, mutual information, and
    lexicography. *Computational Linguistics*, 16(1), 22–29.

    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    *Computational Linguistics*, 19(1), 61–74.

    Bouma, G. (2009). Normalized (pointwise) mutual information in collocation extraction.
    *Proceedings of GSCL*, 31–40.

    Examples
    --------
    >>> association([2], [4], [4], [8])[["expected", "pmi", "jaccard"]].values.tolist()
    [[2.0, 0.0, 0.3333333333333333]]
    """
    raw = {"n_ab": n_ab, "n_a": n_a, "n_b": n_b, "n": n}
    index = next((v.index for v in raw.values() if isinstance(v, pd.Series)), None)
    arrays = {k: np.asarray(v, dtype=float) for k, v in raw.items()}
    lengths = {k: v.size for k, v in arrays.items() if v.ndim > 0}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"n_ab, n_a, n_b and n must have equal lengths (or n be one number); got {lengths}.")
    size = next(iter(lengths.values()), 1)
    arrays = {k: np.broadcast_to(v.reshape(-1) if v.ndim else v, (size,)).astype(float) for k, v in arrays.items()}
    if index is None or len(index) != size:
        index = pd.RangeIndex(size)
    ab, a, b, total = arrays["n_ab"], arrays["n_a"], arrays["n_b"], arrays["n"]
    problems = [
        (np.isnan(ab) | np.isnan(a) | np.isnan(b) | np.isnan(total), "a count is missing (NaN)"),
        ((ab < 0) | (a < 0) | (b < 0), "a count is negative"),
        (total <= 0, "n must be > 0"),
        (ab > np.minimum(a, b), "n_ab exceeds min(n_a, n_b)"),
        ((a > total) | (b > total), "n_a or n_b exceeds n"),
        (a + b - ab > total, "n_a + n_b - n_ab exceeds n"),
    ]
    for mask, what in problems:
        if mask.any():
            i = int(np.flatnonzero(mask)[0])
            raise ValueError(
                f"Row {index[i]!r} is not a valid co-occurrence count ({what}): n_ab={ab[i]:g}, n_a={a[i]:g}, n_b={b[i]:g}, n={total[i]:g}."
            )
    expected = a * b / total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.where(ab > 0, np.log2(ab * total / (a * b)), -np.inf)
        npmi = np.where(ab >= total, 1.0, np.where(ab > 0, pmi / -np.log2(ab / total), -1.0))
        union = a + b - ab
        jaccard = np.where(union > 0, ab / union, 0.0)
    g2 = np.where(ab >= expected, 1.0, -1.0) * _g2_2x2(ab, a - ab, b - ab, total - a - b + ab)
    return pd.DataFrame(
        {"expected": expected, "pmi": pmi, "npmi": npmi, "g2": g2, "p_value": sps.chi2.sf(np.abs(g2), 1), "jaccard": jaccard}, index=index
    )


# --------------------------------------------------------------------------------------------
# Multiple testing
# --------------------------------------------------------------------------------------------


def adjust_p(p: pd.Series, method: str) -> pd.Series:
    r"""Adjust p-values for multiple comparisons.

    Parameters
    ----------
    p : Series
        P-values in [0, 1] (an array-like becomes a Series with index 0…m-1). Missing values
        stay missing and do not count among the m tests (as R's ``p.adjust``).
    method : {"bonferroni", "bh"}
        Bonferroni (family-wise error rate) or Benjamini–Hochberg (false discovery rate).

    Returns
    -------
    Series
        Adjusted p-values with the index and order of ``p``.

    Notes
    -----
    With m tests and :math:`p_{(1)} \le \dots \le p_{(m)}` the sorted p-values:

    - Bonferroni: :math:`\tilde p_i = \min(1, m\, p_i)`.
    - Benjamini–Hochberg (step-up): :math:`\tilde p_{(i)} = \min\big(1, \min_{j \ge i} m\, p_{(j)} / j\big)`,
      the running minimum from the largest p-value down keeping the adjusted values monotone.
      Reject where :math:`\tilde p \le q` to control the false discovery rate at q. Same values
      as ``p.adjust(method = "BH")`` in R and :func:`scipy.stats.false_discovery_control`.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. *Journal of the Royal Statistical Society B*, 57(1),
    289–300.

    Examples
    --------
    >>> adjust_p(pd.Series([0.01, 0.04, 0.045, 0.2]), "bh").tolist()
    [0.04, 0.06, 0.06, 0.2]
    """
    if method not in CORRECTIONS:
        raise ValueError(f"method must be 'bonferroni' or 'bh'; got {method!r}.")
    series = p if isinstance(p, pd.Series) else pd.Series(np.asarray(p, dtype=float))
    values = series.to_numpy(dtype=float)
    present = ~np.isnan(values)
    if ((values[present] < 0) | (values[present] > 1)).any():
        raise ValueError("p-values must lie between 0 and 1.")
    out = np.full(values.shape, np.nan)
    kept = values[present]
    m = kept.size
    if m:
        if method == "bonferroni":
            adjusted = np.minimum(1.0, kept * m)
        else:
            adjusted = sps.false_discovery_control(kept, method="bh")
        out[present] = adjusted
    return pd.Series(out, index=series.index, name=series.name)


# --------------------------------------------------------------------------------------------
# Bootstrap intervals
# --------------------------------------------------------------------------------------------

_STATS: dict[str, Callable[..., np.ndarray]] = {"mean": np.mean, "median": np.median}
_BLOCK = 2_000_000  # resampled values held in memory at once


def _stat_function(stat: str | Callable[..., Any]) -> Callable[..., np.ndarray]:
    if callable(stat):
        return stat
    if stat not in _STATS:
        raise ValueError(f"stat must be one of {sorted(_STATS)} or a function f(array, axis) reducing along axis; got {stat!r}.")
    return _STATS[stat]


def _check_boot(n_boot: int, level: float, seed: int) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot must be a whole number >= 1 (2000 is the usual choice); got {n_boot!r}.")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1 (e.g. 0.95); got {level!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; got {seed!r}.")


def _clean_values(values: Any) -> np.ndarray:
    x = np.asarray(values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else values, dtype=float).reshape(-1)
    return x[~np.isnan(x)]


def _bootstrap(x: np.ndarray, func: Callable[..., np.ndarray], n_boot: int, level: float, rng: np.random.Generator) -> tuple[float, float, float]:
    """Estimate and percentile interval by :func:`scipy.stats.bootstrap` (resamples in batches)."""
    n = x.size
    estimate = float(np.asarray(func(x[np.newaxis, :], axis=1)).reshape(-1)[0])
    if n == 1 or np.all(x == x[0]):
        return estimate, estimate, estimate  # every resample is the sample itself
    result = sps.bootstrap(
        (x,), lambda sample, axis: func(sample, axis=axis), n_resamples=n_boot, confidence_level=level,
        method="percentile", vectorized=True, batch=max(1, _BLOCK // n), random_state=rng,
    )
    return estimate, float(result.confidence_interval.low), float(result.confidence_interval.high)


def bootstrap_ci(
    values: Any,
    *,
    stat: str | Callable[..., Any] = "mean",
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = SEED,
) -> pd.Series:
    r"""Percentile bootstrap confidence interval of a statistic.

    Parameters
    ----------
    values : array-like or Series
        The sample (e.g. 0/1 presence of a frame per document). Missing values are dropped.
    stat : {"mean", "median"} or callable
        The statistic; a callable is called as ``f(array, axis=1)`` on a 2-D array of resamples
        and must reduce along that axis (``np.mean`` does).
    n_boot : int
        Number of resamples (default 2000).
    level : float
        Confidence level (default 0.95).
    seed : int
        Seed of ``numpy.random.Generator(PCG64(seed))`` (default 2026, the kit's seed): the same
        seed gives the same interval on every run and machine.

    Returns
    -------
    Series
        ``estimate`` (the statistic of the sample itself), ``low``, ``high``.

    Notes
    -----
    Draw ``n_boot`` samples of size n with replacement (one vectorised ``integers`` draw of
    shape ``n_boot × n``, taken in blocks to bound memory), compute the statistic of each,
    :math:`\hat\theta^*_1, \dots, \hat\theta^*_B`, and report their :math:`(1 - \ell)/2` and
    :math:`(1 + \ell)/2` quantiles (linear interpolation). The percentile interval is simple and
    transformation-respecting but can under-cover for small n or skewed statistics; a share near
    0 or 1 in a handful of documents gets an interval that is too narrow (a sample of all zeros
    gives 0–0).

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall,
    ch. 13.

    Examples
    --------
    >>> bootstrap_ci([1.0, 1.0, 1.0]).tolist()
    [1.0, 1.0, 1.0]
    """
    func = _stat_function(stat)
    _check_boot(n_boot, level, seed)
    x = _clean_values(values)
    if x.size == 0:
        raise ValueError("bootstrap_ci needs at least one non-missing value.")
    estimate, low, high = _bootstrap(x, func, int(n_boot), level, np.random.Generator(np.random.PCG64(int(seed))))
    return pd.Series({"estimate": estimate, "low": low, "high": high})


def _group_seed(seed: int, key: tuple[Any, ...]) -> np.random.SeedSequence:
    """A seed for one group from (seed, the group's key values), stable across runs."""
    text = "\x1f".join("<NA>" if pd.isna(k) else str(k) for k in key)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.SeedSequence([int(seed), *words])


def grouped_bootstrap_ci(
    frame: pd.DataFrame,
    value: str,
    by: str | Sequence[str],
    *,
    stat: str | Callable[..., Any] = "mean",
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = SEED,
) -> pd.DataFrame:
    """Bootstrap interval of a statistic within every group.

    Parameters
    ----------
    frame : DataFrame
        One row per observation (e.g. per document).
    value : str
        Column with the values.
    by : str or list of str
        Grouping column(s).
    stat, n_boot, level, seed
        As in :func:`bootstrap_ci`.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n`` (non-missing values), ``estimate``, ``low``, ``high``; one row
        per group, sorted by group (missing group keys last). A group with no non-missing value
        has n = 0 and missing estimate and interval.

    Notes
    -----
    Each group draws from its own generator, seeded from ``seed`` and the group's key values
    (their text, hashed with SHA-256, fed to ``numpy.random.SeedSequence``), not from its
    position. A group's interval therefore does not change when other groups are added,
    removed or reordered, e.g. when a new outlet or week enters the corpus, and two runs with
    the same seed agree exactly. It differs from ``bootstrap_ci(values, seed=seed)`` on the same
    values, which seeds the generator with ``seed`` alone.

    Examples
    --------
    >>> frame = pd.DataFrame({"outlet": ["A", "A", "B"], "present": [1.0, 1.0, 0.0]})
    >>> grouped_bootstrap_ci(frame, "present", "outlet")[["outlet", "n", "estimate"]].values.tolist()
    [['A', 2, 1.0], ['B', 1, 0.0]]
    """
    func = _stat_function(stat)
    _check_boot(n_boot, level, seed)
    keys = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [value, *keys] if c not in frame.columns]
    if missing:
        raise ValueError(f"frame has no column {missing}; available: {sorted(map(str, frame.columns))}.")
    if not keys:
        raise ValueError("by must name at least one grouping column (use bootstrap_ci for one sample).")
    rows = []
    grouped = frame.groupby(keys, sort=True, dropna=False, observed=True)
    for key, part in progress(grouped, total=grouped.ngroups, desc="bootstrap", unit="groups"):
        key = key if isinstance(key, tuple) else (key,)
        x = _clean_values(part[value])
        if x.size == 0:
            rows.append((*key, 0, np.nan, np.nan, np.nan))
            continue
        rng = np.random.Generator(np.random.PCG64(_group_seed(seed, key)))
        rows.append((*key, x.size, *_bootstrap(x, func, int(n_boot), level, rng)))
    out = pd.DataFrame(rows, columns=[*keys, "n", "estimate", "low", "high"])
    return out.astype({"n": "int64"})


# --------------------------------------------------------------------------------------------
# Validation against hand coding, and χ² independence
# --------------------------------------------------------------------------------------------


def _as_bool_table(table: pd.DataFrame, name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a boolean doc × label DataFrame; got {type(table).__name__}.")
    if table.index.has_duplicates:
        raise ValueError(f"{name} lists doc_id {table.index[table.index.duplicated()][0]!r} twice: one row per document.")
    if table.columns.has_duplicates:
        raise ValueError(f"{name} has duplicate label columns.")
    if table.isna().to_numpy().any():
        raise ValueError(f"{name} has missing values: use False for 'label absent'.")
    values = table.to_numpy()
    if not (values.dtype == bool or np.isin(values, [0, 1]).all()):
        raise ValueError(f"{name} must hold True/False (or 1/0) only.")
    return table.astype(bool)


def classification_report(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    r"""Precision, recall and F1 per label, with micro and macro averages.

    Parameters
    ----------
    gold : DataFrame
        Boolean doc × label table of the hand coding (index doc_id, one column per label).
    predicted : DataFrame
        The same shape of table from the method being checked.

    Returns
    -------
    DataFrame
        Indexed by ``label``: ``tp``, ``fp``, ``fn``, ``support`` (gold positives, tp + fn),
        ``precision``, ``recall``, ``f1``; one row per label (gold's columns first, then labels
        only predicted), then rows ``micro`` and ``macro``.

    Raises
    ------
    ValueError
        When the tables share no doc_id, hold values other than True/False (1/0) or missing
        values, or a label is called ``micro`` or ``macro``.

    Notes
    -----
    The tables are aligned on the **intersection** of their doc_ids (a document coded by only
    one side cannot be scored) and the **union** of their labels (a label missing from one table
    is False for every document there: a label never predicted has recall 0; a label the coders
    never used counts only false positives).

    .. math::

        P = \frac{tp}{tp + fp}, \qquad R = \frac{tp}{tp + fn}, \qquad F_1 = \frac{2PR}{P + R},

    each set to 0 when its denominator is 0 (scikit-learn's ``zero_division=0``; the counts
    and scores come from :mod:`sklearn.metrics`). ``micro``
    pools the counts of all labels and computes P, R, F1 from the sums; ``macro`` is the
    unweighted mean of the per-label P, R and F1 (so its F1 is not the harmonic mean of its P
    and R, as in scikit-learn). Both rows show the summed tp, fp, fn and support.

    Examples
    --------
    >>> gold = pd.DataFrame({"war": [True, False]}, index=["d1", "d2"])
    >>> pred = pd.DataFrame({"war": [True, True]}, index=["d1", "d2"])
    >>> classification_report(gold, pred).loc["war", ["tp", "fp", "precision"]].tolist()
    [1.0, 1.0, 0.5]
    """
    gold = _as_bool_table(gold, "gold")
    predicted = _as_bool_table(predicted, "predicted")
    docs = [d for d in gold.index if d in set(predicted.index)]
    if not docs:
        raise ValueError("gold and predicted share no doc_id: check that both are indexed by the corpus' doc_id.")
    labels = list(gold.columns) + [c for c in predicted.columns if c not in set(gold.columns)]
    clash = [c for c in labels if c in ("micro", "macro")]
    if clash:
        raise ValueError(f"A label may not be called {clash[0]!r}: that name is taken by the summary rows.")
    from sklearn.metrics import multilabel_confusion_matrix, precision_recall_fscore_support

    g = gold.reindex(index=docs, columns=labels, fill_value=False).to_numpy(dtype=bool)
    p = predicted.reindex(index=docs, columns=labels, fill_value=False).to_numpy(dtype=bool)
    if len(labels) == 1:
        # scikit-learn reads a one-column indicator as a binary target (two classes, False and
        # True); an all-False second label keeps it multilabel and adds nothing to any count.
        g = np.column_stack([g, np.zeros(len(docs), dtype=bool)])
        p = np.column_stack([p, np.zeros(len(docs), dtype=bool)])
    n_labels = len(labels)
    confusion = multilabel_confusion_matrix(g, p)[:n_labels]  # per label: [[tn, fp], [fn, tp]]
    tp, fp, fn = confusion[:, 1, 1], confusion[:, 0, 1], confusion[:, 1, 0]
    precision, recall, f1, _ = (v[:n_labels] for v in precision_recall_fscore_support(g, p, average=None, zero_division=0))
    per_label = pd.DataFrame(
        {"tp": tp, "fp": fp, "fn": fn, "support": tp + fn, "precision": precision, "recall": recall, "f1": f1},
        index=pd.Index(labels, dtype=object, name="label"),
    )
    sums = {"tp": tp.sum(), "fp": fp.sum(), "fn": fn.sum(), "support": (tp + fn).sum()}
    micro_p, micro_r, micro_f, _ = precision_recall_fscore_support(g, p, average="micro", zero_division=0)
    summary = pd.DataFrame(
        [
            {**sums, "precision": float(micro_p), "recall": float(micro_r), "f1": float(micro_f)},
            {**sums, "precision": precision.mean(), "recall": recall.mean(), "f1": f1.mean()},
        ],
        index=pd.Index(["micro", "macro"], dtype=object, name="label"),
    )
    out = pd.concat([per_label, summary])
    return out.astype({"tp": "int64", "fp": "int64", "fn": "int64", "support": "int64"})


def chi2_independence(table: pd.DataFrame) -> pd.Series:
    r"""Pearson's χ² test of independence for an r × c table of counts, with Cramér's V.

    Parameters
    ----------
    table : DataFrame
        Counts, e.g. alternatives (rows) × outlets (columns). At least 2 × 2, no empty row or
        column.

    Returns
    -------
    Series
        ``chi2``, ``dof``, ``p_value``, ``cramers_v``, ``min_expected``.

    Notes
    -----
    With row totals :math:`R_i`, column totals :math:`C_j` and N counts in all,

    .. math::

        E_{ij} = \frac{R_i C_j}{N}, \quad
        \chi^2 = \sum_{ij} \frac{(O_{ij} - E_{ij})^2}{E_{ij}}, \quad
        \mathrm{dof} = (r - 1)(c - 1), \quad
        V = \sqrt{\frac{\chi^2}{N \,(\min(r, c) - 1)}} .

    No continuity correction, even for 2 × 2 tables (``scipy.stats.chi2_contingency`` applies
    Yates' there by default; pass ``correction=False`` to compare). When ``min_expected`` is
    below 5 the χ² approximation is doubtful: report it, or use an exact test.

    References
    ----------
    Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press, 282.

    Examples
    --------
    >>> chi2_independence(pd.DataFrame([[10, 0], [0, 10]]))[["chi2", "dof", "cramers_v"]].tolist()
    [20.0, 1.0, 1.0]
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame of counts; got {type(table).__name__}.")
    if table.shape[0] < 2 or table.shape[1] < 2:
        raise ValueError(f"A χ² test of independence needs at least a 2 × 2 table; got {table.shape[0]} × {table.shape[1]}.")
    observed = table.to_numpy(dtype=float)
    if np.isnan(observed).any() or (observed < 0).any():
        raise ValueError("table must hold counts >= 0 with no missing values (fill absent cells with 0).")
    rows, cols = observed.sum(axis=1), observed.sum(axis=0)
    if (rows == 0).any() or (cols == 0).any():
        raise ValueError("table has an empty row or column (all zeros): drop it before testing, it has no expected counts.")
    chi2, p_value, dof, expected = sps.chi2_contingency(observed, correction=False)
    return pd.Series(
        {
            "chi2": float(chi2),
            "dof": dof,
            "p_value": float(p_value),
            "cramers_v": float(sps.contingency.association(np.rint(observed).astype(np.int64), method="cramer", correction=False))
            if np.allclose(observed, np.rint(observed)) else float(np.sqrt(chi2 / (observed.sum() * (min(observed.shape) - 1)))),
            "min_expected": float(expected.min()),
        }
    )


def association_2x2_g2(o11: Any, o12: Any, o21: Any, o22: Any) -> np.ndarray:
    """Unsigned 4-cell log-likelihood G² of 2 × 2 tables given cell by cell (vectorised)."""
    cells = [np.asarray(c, dtype=float) for c in (o11, o12, o21, o22)]
    return _g2_2x2(*cells)


# --------------------------------------------------------------------------------------------
# Shares: intervals and comparisons
# --------------------------------------------------------------------------------------------

PROPORTION_METHODS = ("wilson", "jeffreys")


def proportion_ci(k: Any, n: Any, *, method: str = "wilson", level: float = 0.95) -> pd.DataFrame:
    r"""Confidence intervals for shares :math:`k/n`, sound at 0/n, n/n and small n.

    Parameters
    ----------
    k, n : array-like
        Successes (e.g. documents with a frame) and trials (documents), one pair per row.
    method : {"wilson", "jeffreys"}
        Wilson's score interval (the default) or the Jeffreys interval (Beta(½, ½) prior).
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``estimate`` (:math:`k/n`, NaN for n = 0), ``low``, ``high``.

    Notes
    -----
    Wilson, with :math:`z` the normal quantile and :math:`\hat p = k/n`:

    .. math::

        \frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}.

    Jeffreys: the :math:`(1-\ell)/2` and :math:`(1+\ell)/2` quantiles of
    :math:`\mathrm{Beta}(k + ½, n - k + ½)`, with the lower bound 0 when :math:`k = 0` and the
    upper bound 1 when :math:`k = n` (Brown, Cai & DasGupta 2001). Unlike the bootstrap, neither
    collapses to a zero-width interval at 0/64 or for a group of one document: 0/64 gives
    [0, 0.057] (Wilson).

    References
    ----------
    Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial
    proportion. *Statistical Science* 16(2), 101–133.

    Examples
    --------
    >>> proportion_ci([0], [64]).round(3).values.tolist()
    [[0.0, 0.0, 0.057]]
    """
    if method not in PROPORTION_METHODS:
        raise ValueError(f"method must be 'wilson' or 'jeffreys'; got {method!r}.")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1; got {level!r}.")
    k = np.atleast_1d(np.asarray(k, dtype=float))
    n = np.atleast_1d(np.asarray(n, dtype=float))
    if k.shape != n.shape:
        raise ValueError("k and n must have the same length.")
    if (k < 0).any() or (k > n).any():
        raise ValueError("Each k must lie between 0 and its n.")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, k / n, np.nan)
        if method == "wilson":
            z = sps.norm.ppf((1 + level) / 2)
            centre = (p + z * z / (2 * n)) / (1 + z * z / n)
            half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
            low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
            low = np.where(k == 0, 0.0, low)
            high = np.where(k == n, 1.0, high)
        else:
            a = (1 - level) / 2
            low = np.where(k == 0, 0.0, sps.beta.ppf(a, k + 0.5, n - k + 0.5))
            high = np.where(k == n, 1.0, sps.beta.ppf(1 - a, k + 0.5, n - k + 0.5))
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return pd.DataFrame({"estimate": p, "low": low, "high": high})


def compare_proportions(k1: Any, n1: Any, k2: Any, n2: Any) -> pd.DataFrame:
    r"""Test the difference between two shares, row by row.

    Parameters
    ----------
    k1, n1, k2, n2 : array-like
        Successes and trials of group 1 and group 2, one comparison per row.

    Returns
    -------
    DataFrame
        ``difference`` (:math:`k_1/n_1 - k_2/n_2`), ``test`` (``"fisher"`` or ``"z"``) and
        ``p_value`` (two-sided).

    Notes
    -----
    When every expected cell of the 2 × 2 table :math:`[k_1, n_1 - k_1; k_2, n_2 - k_2]` is at
    least 5, the pooled two-proportion z-test,
    :math:`z = (\hat p_1 - \hat p_2) / \sqrt{\bar p (1 - \bar p)(1/n_1 + 1/n_2)}` with
    :math:`\bar p = (k_1 + k_2)/(n_1 + n_2)` (the same p-value as Pearson's χ² without
    continuity correction); otherwise Fisher's exact test
    (:func:`scipy.stats.fisher_exact`). Adjust for many rows with :func:`adjust_p`.
    """
    k1, n1, k2, n2 = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (k1, n1, k2, n2))
    rows = []
    for a, na, b, nb in zip(k1, n1, k2, n2):
        if na <= 0 or nb <= 0:
            rows.append((np.nan, "none", np.nan))
            continue
        diff = a / na - b / nb
        pooled = (a + b) / (na + nb)
        expected = np.array([na * pooled, na * (1 - pooled), nb * pooled, nb * (1 - pooled)])
        if (expected >= 5).all():
            se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
            p = float(2 * sps.norm.sf(abs(diff) / se)) if se > 0 else 1.0
            rows.append((diff, "z", p))
        else:
            p = float(sps.fisher_exact([[a, na - a], [b, nb - b]])[1])
            rows.append((diff, "fisher", min(p, 1.0)))
    return pd.DataFrame(rows, columns=["difference", "test", "p_value"])


def permutation_test(a: Any, b: Any, *, n_resamples: int = 9999, seed: int = SEED) -> pd.Series:
    """Two-sided permutation test of the difference in means of two samples (seeded).

    Returns ``difference`` (mean of ``a`` minus mean of ``b``) and ``p_value``
    (:func:`scipy.stats.permutation_test`, independent samples).
    """
    x = _clean_values(a)
    y = _clean_values(b)
    if x.size == 0 or y.size == 0:
        return pd.Series({"difference": np.nan, "p_value": np.nan})
    result = sps.permutation_test(
        (x, y), lambda u, v, axis: np.mean(u, axis=axis) - np.mean(v, axis=axis), vectorized=True,
        n_resamples=n_resamples, alternative="two-sided", random_state=np.random.Generator(np.random.PCG64(seed)),
    )
    return pd.Series({"difference": float(result.statistic), "p_value": float(result.pvalue)})


# --------------------------------------------------------------------------------------------
# Agreement between coders
# --------------------------------------------------------------------------------------------


def krippendorff_alpha(units: pd.DataFrame) -> float:
    """Krippendorff's alpha (nominal) for a units × coders table of labels (NaN: not coded).

    Parameters
    ----------
    units : DataFrame
        One row per unit (document), one column per coder; the labels may be numbers or text
        (``"war"``); a missing value means the coder did not code the unit.

    Returns
    -------
    float
        Alpha, computed by the ``krippendorff`` package; 1.0 when every coder gave every unit
        the same single label, NaN when no unit has two codings.

    Notes
    -----
    Units coded by one coder only carry no information about agreement and drop out of the
    formula. Krippendorff's (2011) example of 4 coders and 12 units gives 0.743.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania.
    """
    import krippendorff

    missing = units.isna().to_numpy()
    raw = units.to_numpy(dtype=object)
    codes, _ = pd.factorize(pd.Series(raw[~missing], dtype=object), sort=False)  # nominal: any codes do
    values = np.full(raw.shape, np.nan)
    values[~missing] = codes
    values = values.T  # coders × units
    if values.shape[1] == 0 or (np.sum(~np.isnan(values), axis=0) >= 2).sum() == 0:
        return float("nan")
    distinct = np.unique(values[~np.isnan(values)])
    if distinct.size < 2:
        return 1.0  # every coder gave every unit the same value
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))


def cohen_kappa(a: Any, b: Any) -> float:
    """Cohen's kappa of two coders' labels (:func:`sklearn.metrics.cohen_kappa_score`)."""
    from sklearn.metrics import cohen_kappa_score

    x, y = np.asarray(a), np.asarray(b)
    if len(set(x) | set(y)) < 2:
        return 1.0 if (x == y).all() else float("nan")
    return float(cohen_kappa_score(x, y))


# --------------------------------------------------------------------------------------------
# Display
# --------------------------------------------------------------------------------------------


def format_p(p: Any, digits: int = 3) -> Any:
    """p-values for display: ``0.042``, ``3.1e-07``, ``< 1e-300`` (never a false 0).

    Accepts a number, an array or a Series; missing values stay missing.
    """
    def one(x: float) -> str | float:
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return np.nan
        if x < 1e-300:
            return "< 1e-300"
        if x < 10 ** -digits:
            return f"{x:.1e}"
        return f"{x:.{digits}f}"

    if isinstance(p, pd.Series):
        return p.map(one).astype("object")
    if np.ndim(p):
        return np.array([one(float(x)) for x in np.asarray(p, dtype=float)], dtype=object)
    return one(float(p))


def distinctive(table: pd.DataFrame, *, z: float = 1.96, top: int = 10) -> pd.DataFrame:
    """The most distinctive terms of each side of a Fightin' Words table: only |z| ≥ ``z``.

    Parameters
    ----------
    table : DataFrame
        Indexed by term, with a ``z`` column (:func:`log_odds_dirichlet`).
    z : float
        The threshold (default 1.96): a term is listed when ``z >= z`` (side ``"a"``) or
        ``z <= -z`` (side ``"b"``).
    top : int
        At most this many terms per side.

    Returns
    -------
    DataFrame
        ``side`` (``"a"`` or ``"b"``), ``rank``, ``term``, ``z``; side a by ``z`` descending,
        side b by ``z`` ascending, equal scores in term order; fewer than ``top`` rows when
        fewer terms pass the threshold.
    """
    frame = pd.DataFrame({"term": table.index.to_numpy(), "z": table["z"].to_numpy(dtype=float)})
    frame["_key"] = frame["term"].astype(str)
    a = frame[frame["z"] >= z].sort_values(["z", "_key"], ascending=[False, True], kind="stable").head(top)
    b = frame[frame["z"] <= -z].sort_values(["z", "_key"], ascending=[True, True], kind="stable").head(top)
    rows = [("a", i + 1, t, v) for i, (t, v) in enumerate(zip(a["term"], a["z"]))] + [("b", i + 1, t, v) for i, (t, v) in enumerate(zip(b["term"], b["z"]))]
    return pd.DataFrame(rows, columns=["side", "rank", "term", "z"])


# --------------------------------------------------------------------------------------------
# Zipf's law
# --------------------------------------------------------------------------------------------


def zipf_fit(counts: Any, *, min_rank: int | None = None, max_rank: int | None = None) -> pd.Series:
    r"""The slope of Zipf's law, fitted over a stated range of ranks.

    Parameters
    ----------
    counts : array-like
        Term frequencies (any order).
    min_rank, max_rank : int, optional
        The ranks fitted. Default: from rank 10 (the first ranks are a handful of function words
        that no straight line fits) to the last rank whose frequency is at least 5 (below that,
        frequencies are too coarse: thousands of words share the counts 1, 2, 3).

    Returns
    -------
    Series
        ``slope``, ``intercept`` (of :math:`\log_{10} f = a + b \log_{10} r`, by least squares
        over the ranks fitted), ``r2``, ``min_rank``, ``max_rank``, ``terms``.

    Notes
    -----
    A slope :math:`b` means that doubling the rank multiplies the frequency by :math:`2^b`:
    with :math:`b = -1` (Zipf's law) the 20th word is half as frequent as the 10th. Fitting
    over every rank lets the long tail of words seen once or twice pull the line (the first
    version's slope of −1.24 predicted 26,000 occurrences for the top word against 1,489).

    Examples
    --------
    >>> float(round(zipf_fit([1000 / r for r in range(1, 1001)])["slope"], 2))
    -1.0
    """
    f = np.sort(np.asarray(counts, dtype=float))[::-1]
    f = f[f > 0]
    ranks = np.arange(1, f.size + 1)
    lo = 10 if min_rank is None else int(min_rank)
    hi = int(ranks[f >= 5].max()) if max_rank is None and (f >= 5).any() else (f.size if max_rank is None else int(max_rank))
    lo = max(1, min(lo, max(1, hi - 2)))
    sel = (ranks >= lo) & (ranks <= hi)
    if sel.sum() < 3:
        sel = np.ones(f.size, dtype=bool)
        lo, hi = 1, int(f.size)
    x, y = np.log10(ranks[sel]), np.log10(f[sel])
    slope, intercept = np.polyfit(x, y, 1)
    pred = intercept + slope * x
    r2 = 1 - ((y - pred) ** 2).sum() / max(((y - y.mean()) ** 2).sum(), 1e-12)
    return pd.Series({"slope": float(slope), "intercept": float(intercept), "r2": float(r2), "min_rank": lo, "max_rank": hi, "terms": int(f.size)})
