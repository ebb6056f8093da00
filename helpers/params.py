"""Notebook parameters: every knob of every notebook, defaulted from the corpus itself.

The curated notebooks take their settings from a papermill ``parameters`` cell. ``make run``
sets ``corpus_path``, ``out_dir`` and ``group_by``; ``make run PARAMS=my.yml`` (and the runner's
``--params``) sets any other knob of any notebook. A parameter left at ``None`` is derived from
the corpus by the functions here, so that a report on a new corpus is about *that* corpus:

- the teaching corpus keeps the lesson's own choices (its focus terms, its KWIC query, the Paris
  summit, the four lexical sets);
- any other corpus gets its focus terms from its keyness (or, with one group, its frequency),
  its KWIC query from its most frequent term or actor, no event markers unless given (and then
  only those inside its date range), and lexical sets only from a user file.

The YAML file maps notebook names (or ``all``) to parameters::

    all:
      group_by: source
    01_term_frequency:
      focus_terms: [газ, газопровод, санкция]
      kwic_query: Северный поток
      events: {"2021-09-10": "construction completed"}
    03_framing_comparison:
      lexical_sets: my_lexical_sets.yml

:data:`KNOBS` documents every knob (the README's table is generated from it).
"""

from __future__ import annotations

import os

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TEACHING_CORPUS = ROOT / "corpus" / "articles"

#: The teaching corpus' own choices (the lessons are written around them).
TEACHING = {
    "focus_terms": ["санкция", "перемирие", "прекращение огня", "гарантии безопасности"],
    "kwic_query": "коалиция желающих",
    "target_group": "Столичный обозреватель",
    "events": {"2026-01-06": "Paris summit"},
    "ego_actor": "macron",
    "lexical_sets": {
        "the coalition": ["коалиция желающих", "коалиция добровольцев"],
        "the truce": ["перемирие", "прекращение огня", "заморозка конфликта"],
        "the measures": ["санкция", "незаконные ограничения", "односторонние ограничения"],
        "the troops": ["гарантии безопасности", "размещение иностранных войск", "иностранные интервенты"],
    },
}

#: Every knob: (notebook, name, default, what it does). ``None`` means "derived from the corpus".
KNOBS: list[tuple[str, str, Any, str]] = [
    ("all", "corpus_path", "../corpus/articles", "the corpus: a folder, a file or a table (make run CORPUS=…)"),
    ("all", "out_dir", "../build/<notebook>", "where tables and figures are written (make run OUT=…)"),
    ("all", "group_by", "outlet", "the metadata column whose groups are compared (make run GROUP_BY=…)"),
    ("all", "language", None, "the language analysed: None = the corpus' most common"),
    ("all", "drop_copies", True, "set exact and near-duplicate copies aside"),
    ("all", "boilerplate", True, "set repeated sentences and lines of an outlet aside"),
    ("all", "mwes_path", None, "multi-word expressions file (None: corpus/mwes.csv)"),
    ("01_term_frequency", "focus_terms", None, "terms followed in rates, trends and dispersion (None: from keyness)"),
    ("01_term_frequency", "kwic_query", None, "the concordance query (None: the most frequent focus term)"),
    ("01_term_frequency", "target_group", None, "the group keyness compares with the rest (None: the largest)"),
    ("01_term_frequency", "events", None, "dated events marked on time axes, {YYYY-MM-DD: label} (None: none, except the teaching corpus')"),
    ("02_actor_cooccurrence", "actors_path", None, "actor dictionary (None: corpus/actors.csv)"),
    ("02_actor_cooccurrence", "min_coverage", 0.5, "below this share of named-entity mentions covered, provisional actors are added"),
    ("02_actor_cooccurrence", "ego_actor", None, "the actor of the ego network (None: the most connected)"),
    ("02_actor_cooccurrence", "min_pair_count", 3, "edges need at least this many shared sentences"),
    ("02_actor_cooccurrence", "min_npmi", 0.2, "edges need an NPMI above this"),
    ("02_actor_cooccurrence", "ner_sample", 100, "documents scanned by named-entity recognition (the slow step)"),
    ("03_framing_comparison", "frames_path", None, "frame dictionaries (None: corpus/frames_policy.csv + frames_domain.csv)"),
    ("03_framing_comparison", "actors_path", None, "actor dictionary for actors × frames (None: corpus/actors.csv)"),
    ("03_framing_comparison", "coding_path", ["../corpus/frames_coded.csv", "../corpus/frames_coded_second.csv"], "hand coding files for reliability and validation (None: none)"),
    ("03_framing_comparison", "min_hits", 2, "cue hits for a frame to be present in a document"),
    ("03_framing_comparison", "presence", None, "'hits' or the length-aware 'rate' (None: 'rate' when group lengths differ by more than 2x)"),
    ("03_framing_comparison", "lexical_sets", None, "{set: [alternatives]} or a YAML file (None: the teaching corpus' sets, else skipped)"),
    ("03_framing_comparison", "set_aside_topic_cues", None, "cues that are the corpus' topic, not a frame: None reports them, 'auto' leaves them out, or a list of cues"),
]


def is_teaching_corpus(corpus_path: str | Path) -> bool:
    """Whether ``corpus_path`` (relative to the notebook or absolute) is the bundled teaching corpus."""
    path = Path(corpus_path)
    candidates = [path, ROOT / "notebooks" / path, Path.cwd() / path]
    return any(c.exists() and c.resolve() == TEACHING_CORPUS.resolve() for c in candidates)


def load_params(path: str | Path | None) -> dict[str, dict[str, Any]]:
    """Read a parameters file: ``{notebook or "all": {name: value}}``.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        When it is not a mapping of mappings, or names a parameter no notebook has.
    """
    if path is None:
        return {}
    import yaml

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"The parameters file {str(path)!r} does not exist.")
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    if not isinstance(data, Mapping) or not all(isinstance(v, Mapping) for v in data.values()):
        raise ValueError(f"{path}: write one mapping per notebook (or 'all'), e.g. 'all: {{group_by: outlet}}'.")
    known = {name for _, name, _, _ in KNOBS}
    for section, values in data.items():
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"{path}: unknown parameter(s) {unknown} in {section!r}; the knobs are {sorted(known)}.")
    return {str(k): dict(v) for k, v in data.items()}


def for_notebook(params: Mapping[str, Mapping[str, Any]], notebook: str) -> dict[str, Any]:
    """The parameters of one notebook: ``all`` first, then its own section."""
    out = dict(params.get("all", {}))
    out.update(params.get(notebook, {}))
    return out


# --------------------------------------------------------------------------------------------
# Defaults derived from the corpus
# --------------------------------------------------------------------------------------------


def focus_terms(corpus, given: Sequence[str] | None, *, teaching: bool, by: str | None = None, top: int = 4) -> list[str]:
    """The terms a notebook follows: given, the teaching corpus' own, or the corpus' key terms.

    With two groups or more, the top terms of each group's keyness (one group against the rest,
    by G², names set aside), taken in turn; with one group, the most frequent terms. Only terms
    the corpus has are kept.
    """
    from helpers import frequency, stats

    tf = frequency.term_frequency(corpus)
    present = set(tf["term"])
    if given:
        kept = [t for t in given if t in present]
        return kept or tf["term"].head(top).tolist()
    if teaching:
        return [t for t in TEACHING["focus_terms"] if t in present]
    if by is not None and corpus.docs[by].nunique() > 1 and len(corpus.group_names(by)) > 1:
        counts = frequency.count_matrix(corpus, by, exclude=frequency.likely_names(corpus))
        if counts.shape[1] > 1:
            ovr = stats.one_vs_rest(counts, method="keyness", min_count=5)
            ranked = ovr[ovr["g2"] > 0].groupby("group", sort=True).head(top)
            picks: list[str] = []
            for rank in range(top):
                for _, part in ranked.groupby("group", sort=True):
                    if rank < len(part) and part["term"].iloc[rank] not in picks:
                        picks.append(part["term"].iloc[rank])
            if picks:
                return picks[:top]
    return tf["term"].head(top).tolist()


def kwic_query(corpus, given: str | None, *, teaching: bool, focus: Sequence[str] = ()) -> str:
    """The concordance query: given, the teaching corpus', or the first focus term (else the top term)."""
    if given:
        return given
    if teaching:
        return TEACHING["kwic_query"]
    if focus:
        return focus[0]
    from helpers import frequency

    return frequency.term_frequency(corpus)["term"].iloc[0]


def target_group(corpus, by: str, given: str | None, *, teaching: bool) -> str:
    """The group keyness compares with the rest: given (when it exists), the teaching corpus', or the largest."""
    groups = corpus.group_names(by)
    if given in groups:
        return given
    if teaching and TEACHING["target_group"] in groups:
        return TEACHING["target_group"]
    sizes = corpus.groups(by).value_counts()
    return sorted(sizes.index, key=lambda g: (-sizes[g], g))[0]


def events(corpus, given: Mapping[str, str] | None, *, teaching: bool) -> dict[str, str]:
    """Event markers to draw: given or the teaching corpus', and only those inside the corpus' dates."""
    chosen = dict(given) if given else (dict(TEACHING["events"]) if teaching else {})
    dates = corpus.docs["date"].dropna()
    if not len(dates):
        return {}
    lo, hi = dates.min().normalize(), dates.max().normalize()
    return {d: label for d, label in chosen.items() if lo <= pd.Timestamp(d) <= hi}


def lexical_sets(given: Mapping[str, Sequence[str]] | str | Path | None, *, teaching: bool) -> dict[str, list[str]]:
    """Lexical alternatives to compare: given (a mapping or a YAML file), the teaching corpus', or none."""
    if isinstance(given, (str, os.PathLike)):
        import yaml

        p = Path(given)
        if not p.exists():
            raise FileNotFoundError(f"The lexical sets file {str(given)!r} does not exist.")
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        if not isinstance(data, Mapping):
            raise ValueError(f"{given}: write one line per set, e.g. 'the truce: [перемирие, прекращение огня]'.")
        return {str(k): [str(x) for x in v] for k, v in data.items()}
    if given:
        return {str(k): list(v) for k, v in given.items()}
    return {k: list(v) for k, v in TEACHING["lexical_sets"].items()} if teaching else {}


def table(values: Mapping[str, Any]) -> pd.DataFrame:
    """The parameters a notebook used, as a two-column table for display and for the report."""
    return pd.DataFrame({"parameter": list(values), "value": [_show(v) for v in values.values()]})


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "(none)"
    return "(none)" if value is None else str(value)


def knobs_markdown() -> str:
    """The README's table of knobs."""
    lines = ["| notebook | parameter | default | what it does |", "|---|---|---|---|"]
    for nb, name, default, what in KNOBS:
        shown = f"`{default!r}`"
        lines.append(f"| {nb} | `{name}` | {shown} | {what} |")
    return "\n".join(lines)
