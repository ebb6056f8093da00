"""Boilerplate: sentences and lines that one outlet repeats verbatim under many of its texts.

A Telegram channel closes half its posts with the same footer («Читать нас без VPN можно здесь:
…»), a site repeats «Подписывайтесь на наш канал» or a copyright line, an agency a standard
sign-off. Such text is the outlet's packaging, not its coverage, and left in it fills the top
terms. :func:`find_boilerplate` finds it on the token table, without re-reading the texts:

- a **unit** is a sentence or a paragraph (a line, in one-paragraph-per-line scrapes), compared
  by its sequence of tokens (URLs, handles and numbers included);
- a unit is boilerplate when it has at least ``min_tokens`` tokens (3) and appears in at least
  ``min_docs`` documents (5) of one group, and in at least ``min_share`` (5%) of them.

Every token of a boilerplate unit is then set aside (:func:`helpers.corpus.build_corpus` does it
by default and reports how much it removed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.arrays import spans
from helpers.constants import UNKNOWN_GROUP

BOILERPLATE_COLUMNS = ["group", "unit", "text", "docs", "share", "tokens"]
_MULT = np.uint64(0x100000001B3)


def _unit_hashes(token_codes: np.ndarray, unit_id: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 64-bit hash of the token sequence of every unit, with the unit's first row and size."""
    n = token_codes.size
    starts = np.flatnonzero(np.concatenate(([True], unit_id[1:] != unit_id[:-1]))) if n else np.zeros(0, np.int64)
    sizes = np.diff(np.append(starts, n))
    position = np.arange(n, dtype=np.int64) - np.repeat(starts, sizes)
    # Position-dependent mixing, summed per unit: h = Σ (code + 1) · m(pos), with m a
    # multiplicative sequence (wrapping uint64 arithmetic), plus the unit's length.
    with np.errstate(over="ignore"):
        weight = np.ones(int(sizes.max()) if n else 0, dtype=np.uint64)
        for k in range(1, weight.size):
            weight[k] = weight[k - 1] * _MULT
        mixed = (token_codes.astype(np.uint64) + np.uint64(1)) * weight[position] if n else np.zeros(0, np.uint64)
        h = np.add.reduceat(mixed, starts) if n else np.zeros(0, np.uint64)
        h = h ^ (sizes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    return h, starts, sizes


def find_boilerplate(
    tokens: pd.DataFrame,
    groups: np.ndarray,
    *,
    min_docs: int = 5,
    min_share: float = 0.05,
    min_tokens: int = 3,
    texts: dict[str, str] | None = None,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Find boilerplate sentences and paragraphs.

    Parameters
    ----------
    tokens : DataFrame
        A token table.
    groups : array
        The group (outlet, channel) of every document, by document code (the position of the
        document in ``tokens["doc_id"].cat.categories``).
    min_docs, min_share, min_tokens
        A unit of at least ``min_tokens`` tokens is boilerplate when it occurs in at least
        ``min_docs`` documents of a group and in at least ``min_share`` of its documents.
    texts : dict, optional
        ``{doc_id: text}``, to show each unit's text in the report.

    Returns
    -------
    mask : ndarray of bool
        True for every token that belongs to a boilerplate unit.
    report : DataFrame
        One row per boilerplate unit: ``group``, ``unit`` (``sentence`` or ``paragraph``),
        ``text`` (its first occurrence), ``docs`` (documents of the group with it), ``share``
        and ``tokens`` (tokens set aside in all). A sentence that is a whole boilerplate
        paragraph is reported once, as the paragraph, so that ``tokens`` sums to the tokens set
        aside. Sorted by group, then docs descending.
    """
    mask = np.zeros(len(tokens), dtype=bool)
    rows = []
    if len(tokens) == 0:
        return mask, pd.DataFrame(columns=BOILERPLATE_COLUMNS)
    doc = tokens["doc_id"].cat.codes.to_numpy().astype(np.int64)
    code = tokens["token"].cat.codes.to_numpy().astype(np.int64)
    group_codes, group_values = pd.factorize(pd.Series(groups, dtype=object).fillna(UNKNOWN_GROUP))
    docs_per_group = np.bincount(group_codes, minlength=len(group_values))
    # Paragraphs first: a one-sentence paragraph (a footer line) is one unit, reported once; a
    # sentence is reported only for the tokens no boilerplate paragraph has set aside already.
    for unit in ("paragraph", "sentence"):
        uid = doc * (1 << 32) + tokens[unit].to_numpy().astype(np.int64)
        h, starts, sizes = _unit_hashes(code, uid)
        unit_doc = doc[starts]
        unit_group = group_codes[unit_doc]
        frame = pd.DataFrame({"u": np.arange(len(starts)), "h": h, "g": unit_group, "d": unit_doc, "size": sizes})
        frame = frame[frame["size"] >= min_tokens]
        if frame.empty:
            continue
        distinct = frame.drop_duplicates(["h", "g", "d"])
        counts = distinct.groupby(["g", "h"]).size().rename("docs").reset_index()
        counts["share"] = counts["docs"] / docs_per_group[counts["g"].to_numpy()]
        hits = counts[(counts["docs"] >= min_docs) & (counts["share"] >= min_share)]
        if hits.empty:
            continue
        flagged = frame.merge(hits[["g", "h"]], on=["g", "h"]).sort_values("u", kind="stable")
        u = flagged["u"].to_numpy()
        covered = spans(starts[u], sizes[u])
        fresh = np.add.reduceat((~mask[covered]).astype(np.int64), np.cumsum(sizes[u]) - sizes[u])
        mask[covered] = True
        flagged = flagged.assign(fresh=fresh)
        flagged = flagged[flagged.groupby(["g", "h"])["fresh"].transform("sum").to_numpy() > 0]
        if flagged.empty:
            continue
        first = flagged.drop_duplicates(["g", "h"])
        tokens_removed = flagged.groupby(["g", "h"])["fresh"].sum()
        for g, hh, idx in zip(first["g"], first["h"], first["u"]):
            a = starts[idx]
            b = a + sizes[idx] - 1
            doc_id = str(tokens["doc_id"].iat[a])
            text = texts[doc_id][int(tokens["start"].iat[a]): int(tokens["end"].iat[b])] if texts else ""
            stat = hits[(hits["g"] == g) & (hits["h"] == hh)].iloc[0]
            rows.append((group_values[g], unit, " ".join(text.split()), int(stat["docs"]), float(stat["share"]), int(tokens_removed.loc[(g, hh)])))
    report = pd.DataFrame(rows, columns=BOILERPLATE_COLUMNS)
    report = report.sort_values(["group", "docs", "unit", "text"], ascending=[True, False, True, True], kind="stable").reset_index(drop=True)
    return mask, report
