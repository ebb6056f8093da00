"""One vocabulary over the public signatures (DEVELOPERS.md, "The vocabulary").

- ``by`` groups (a column or list, default None or required), ``period`` bins time,
  ``within`` names a unit and ``window`` a size in tokens, ``top`` limits, ``measure`` names a
  statistic and ``p_adjust`` a correction of p-values;
- one threshold name per meaning;
- the corpus comes first, and ``docs`` before ``tokens`` where both still appear;
- tables use ``per_10k`` and ``docs``.

Old names still work for one release through :func:`helpers.compat.legacy`, which keeps them
out of the signatures and warns when they are used.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pandas as pd
import pytest

import helpers
from helpers import actors, framing, frequency, stats
from helpers.constants import PER
from helpers.corpus import Corpus, build_corpus

#: Names the vocabulary replaced (left: old, right: what to write).
RETIRED = {
    "column": "by", "group_by": "by", "groupby": "by", "freq": "period", "window_unit": "within",
    "n_labels": "top", "label_top": "top", "limit": "top", "n_top": "top", "threshold": "min_value",
    "correction": "p_adjust", "min_sentences": "min_count", "min_positive": "min_count", "per_1k": "per_10k",
}
#: One threshold name per meaning.
THRESHOLDS = {
    "min_count": "occurrences (of a term, a pair, an actor, a coded unit) at least this many",
    "min_docs": "documents with the term at least this many",
    "min_hits": "cue hits for a frame to be present in a document",
    "min_value": "a measure's value above this",
    "min_share": "a share at least this",
    "min_similarity": "shingle Jaccard similarity at least this (near-duplicates)",
    "min_coverage": "dictionary coverage of entity mentions at least this",
    "min_tokens": "a repeated unit at least this many tokens long (boilerplate)",
    "min_expected": "expected cell count (χ² caution)",
    "min_rank": "the first rank of a fitted range",
}
#: Modules whose functions take statistics' own notation (n = a sample size, k = successes).
NOTATION = {"helpers.stats"}


def _public_functions():
    for info in pkgutil.iter_modules(helpers.__path__):
        module = importlib.import_module(f"helpers.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not name.startswith("_"):
                yield module.__name__, name, inspect.signature(func)


FUNCTIONS = sorted(_public_functions(), key=lambda t: (t[0], t[1]))


def test_there_are_functions_to_check():
    assert len(FUNCTIONS) > 150


@pytest.mark.parametrize("module,name,sig", FUNCTIONS, ids=[f"{m.split('.')[-1]}.{n}" for m, n, _ in FUNCTIONS])
def test_signature_uses_the_vocabulary(module, name, sig):
    params = list(sig.parameters.values())
    names = [p.name for p in params]
    where = f"{module}.{name}{sig}"
    for p in params:
        assert p.name not in RETIRED, f"{where}: {p.name}= is retired; use {RETIRED[p.name]}= (keep the old name through helpers.compat.legacy)"
        if p.name.startswith("min_"):
            assert p.name in THRESHOLDS, f"{where}: {p.name} is not one of the threshold names {sorted(THRESHOLDS)}"
        if p.name in ("n", "k") and module not in NOTATION and not (name == "ngrams" and p.name == "n"):
            raise AssertionError(f"{where}: {p.name}= is ambiguous; a limit is top=")
    by = sig.parameters.get("by")
    if by is not None:
        assert by.default in (None, inspect.Parameter.empty), f"{where}: by= defaults to {by.default!r}; grouping is opt-in (default None)"
    window = sig.parameters.get("window")
    if window is not None and window.annotation is not inspect.Parameter.empty:
        assert "int" in str(window.annotation) and "str" not in str(window.annotation), f"{where}: window= is a size in tokens; a unit is within="
    within = sig.parameters.get("within")
    if within is not None and within.annotation is not inspect.Parameter.empty:
        assert "str" in str(within.annotation), f"{where}: within= names a unit"
    required_corpus = [i for i, p in enumerate(params) if "Corpus" in str(p.annotation) and p.default is inspect.Parameter.empty]
    if required_corpus:
        assert required_corpus == [0], f"{where}: the corpus comes first"
    if "docs" in names and "tokens" in names:
        assert names.index("docs") < names.index("tokens"), f"{where}: (docs, tokens) is the order"


def test_one_rate_constant():
    assert PER == 10_000
    for m in ("frequency", "actors", "framing", "stats", "kwic", "attribution"):
        source = inspect.getsource(importlib.import_module(f"helpers.{m}"))
        assert "10_000" not in source.replace("PER = 10_000", "") and "1e4" not in source, f"helpers.{m} writes the rate base by hand; use constants.PER"


def test_the_constants_module_imports_no_plotting():
    import subprocess
    import sys

    code = "import sys, helpers.constants, helpers.framing; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False", "helpers.framing (or constants) imports matplotlib"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "date": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-12"]),
            "outlet": ["X", "X", "Y"],
            "text": [
                "Макрон заявил о санкциях. Санкции против России обсуждали в Париже.",
                "Кремль ответил на санкции. Экономика страдает от санкций.",
                "Макрон и Стармер обсудили гарантии безопасности и экономику.",
            ],
        }
    )
    return build_corpus(docs, mwes=None, cache=False)


def test_tables_use_per_10k_and_docs(corpus):
    mentions = actors.find_actors(corpus)
    frames = framing.load_frames()
    scores = framing.frame_scores(corpus, frames)
    tables = {
        "term_frequency": frequency.term_frequency(corpus, by="outlet"),
        "group_sizes": frequency.group_sizes(corpus, "outlet"),
        "mention_counts": actors.mention_counts(corpus, mentions, by="outlet"),
        "frame_scores": scores,
        "prevalence": framing.prevalence(corpus, scores, "outlet"),
        "trend": frequency.trend(corpus, ["санкция"], period="W"),
    }
    for name, table in tables.items():
        cols = set(map(str, table.columns))
        assert not {"per_1k", "rate", "n_docs", "documents", "doc_count"} & cols, f"{name}: {sorted(cols)}"
        assert "per_10k" in cols or name == "group_sizes", f"{name} has no per_10k column"
    assert "docs" in tables["term_frequency"] and "docs" in tables["mention_counts"] and "docs" in tables["group_sizes"]
    key = stats.keyness(frequency.count_matrix(corpus, "outlet")["X"], frequency.count_matrix(corpus, "outlet")["Y"])
    assert {"per_10k_target", "per_10k_reference"} <= set(key.columns)


def test_retired_names_still_work_with_a_warning(corpus):
    with pytest.warns(DeprecationWarning, match="column= is deprecated, use by="):
        old = frequency.term_frequency(corpus, column="outlet")
    pd.testing.assert_frame_equal(old, frequency.term_frequency(corpus, by="outlet"))
    with pytest.warns(DeprecationWarning, match="freq= is deprecated, use period="):
        frequency.trend(corpus, ["санкция"], freq="W")
    counts = frequency.count_matrix(corpus, "outlet")
    with pytest.warns(DeprecationWarning, match="correction= is deprecated, use p_adjust="):
        stats.keyness(counts["X"], counts["Y"], correction="bh")
