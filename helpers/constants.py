"""The kit's shared constants: one rate base, one seed, one vocabulary of column names.

This module imports nothing but the standard library, so that every layer (the loader, the
statistics, the plots) can use it without pulling in plotting or models.
"""

from __future__ import annotations

#: Rates everywhere in the kit are per this many tokens (column ``per_10k``).
PER = 10_000

#: Seed of every sampler, bootstrap and layout unless a caller passes its own.
SEED = 2026

#: Name of the rate column of every table that has one.
RATE = "per_10k"

#: Token kinds that count as words: term frequency, keyness, collocations and frames use them
#: (stop words included in the totals). Numbers, URLs, e-mail addresses, @handles, #hashtags and
#: emoji are kept in the token table and can be counted on request (``kinds=``).
WORD_KINDS = ("word", "abbreviation")

#: Every token kind of :func:`helpers.text.tokenize`.
TOKEN_KINDS = ("word", "abbreviation", "number", "url", "email", "handle", "hashtag", "emoji")

#: Label of documents that have no value in a grouping column.
UNKNOWN_GROUP = "(unknown)"

#: Units a match or a co-occurrence never crosses (parameter ``within``).
UNITS = ("sentence", "paragraph", "document")

#: Time bins (parameter ``period``): day, week starting Monday, month.
PERIODS = {"D": "D", "W": "W-SUN", "M": "M"}


def check_period(period: str | None) -> str | None:
    """Validate a ``period`` argument and return the pandas frequency it stands for.

    Parameters
    ----------
    period : {"D", "W", "M"} or None
        Day, week (Monday to Sunday) or month; None means no time bins.

    Returns
    -------
    str or None
        The pandas period frequency (``"D"``, ``"W-SUN"``, ``"M"``), or None.

    Raises
    ------
    ValueError
        For any other value.
    """
    if period is None:
        return None
    if period not in PERIODS:
        raise ValueError(f"period must be 'D' (day), 'W' (week) or 'M' (month); got {period!r}.")
    return PERIODS[period]


def check_within(within: str) -> str:
    """Validate a ``within`` argument (a unit a match never crosses)."""
    if within not in UNITS:
        raise ValueError(f"within must be 'sentence', 'paragraph' or 'document'; got {within!r}.")
    return within
