"""Framing: frame dictionaries, per-document scores with their evidence, prevalence with
intervals and tests, cue diagnostics, lexical choice and actors × frames.

A frame (Entman 1993) selects some aspects of a reality and makes them salient. Dictionary
methods detect frames through cue words: transparent and cheap, but only as good as the cues,
which is why every count here can show its evidence (:func:`frame_evidence`, also as a seeded
random sample to read), why :func:`cue_report` warns when one cue (a topic word, not a frame)
carries a frame, and why the dictionary is checked against hand coding
(:mod:`helpers.validation`; Grimmer & Stewart 2013).

Dictionaries are CSV (or YAML) files with ``frame,cue,lang`` rows: ``corpus/frames_policy.csv``
follows the Policy Frames Codebook (Boydstun et al. 2014), ``corpus/frames_domain.csv`` adds the
teaching corpus' own frames. Cues are matched on lemma sequences, so every inflected form counts.
:func:`check_frames` lists every problem of the dictionary files at once (duplicates, cues with
the same lemmas, frame ids, codebook dimensions without cues) for a notebook to show.

Presence and length
-------------------
A frame is *present* in a document with at least ``min_hits`` cue hits (``presence="hits"``).
Short texts rarely reach two hits, so on a collection of short posts this undercounts; the
length-aware rule ``presence="rate"`` says present when the document has a hit and its hits per
10,000 tokens reach what ``min_hits`` hits are in a document of the corpus' median length.
:func:`prevalence` reports the share of documents with the frame *and* the hits per 10,000
tokens side by side, and :func:`length_warning` says when group lengths differ by more than 2×.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import dictionaries as dicts
from helpers import stats
from helpers.compat import legacy
from helpers.constants import PER, SEED
from helpers.corpus import Corpus
from helpers.kwic import concordance
from helpers.matching import match_phrases

POLICY_FRAMES = dicts.POLICY_FRAMES_FILE
DOMAIN_FRAMES = dicts.DOMAIN_FRAMES_FILE
HIT_COLUMNS = ["doc_id", "frame", "cue", "sentence", "start", "end", "first", "last"]

#: The 14 dimensions of the Policy Frames Codebook used by the default dictionary ("other" omitted).
POLICY_FRAME_IDS = (
    "economic", "capacity_and_resources", "morality", "fairness_and_equality",
    "legality_constitutionality_and_jurisprudence", "policy_prescription_and_evaluation",
    "crime_and_punishment", "security_and_defense", "health_and_safety", "quality_of_life",
    "cultural_identity", "public_opinion", "political", "external_regulation_and_reputation",
)


def load_frames(path: str | Path | Sequence[str | Path] | None = None) -> pd.DataFrame:
    """Read frame dictionaries.

    Parameters
    ----------
    path : path or list of paths, optional
        CSV or YAML files with ``frame``, ``cue`` and optional ``lang`` (default ``ru``) columns.
        Default: the Policy Frames Codebook dictionary plus the domain dictionary. A path that
        does not exist is an error.

    Returns
    -------
    DataFrame
        ``frame``, ``cue``, ``lang``, ``source`` (file name), deduplicated and sorted.
    """
    paths = [POLICY_FRAMES, DOMAIN_FRAMES] if path is None else ([path] if isinstance(path, (str, os.PathLike)) else list(path))
    parts = []
    for p in map(Path, paths):
        table = dicts.read_table(p, kind="frame dictionary", required=("frame", "cue"), optional={"lang": "ru"})
        for frame, cue, line in zip(table["frame"], table["cue"], table[dicts.LINE]):
            if not frame or not cue:
                raise dicts.row_error(p, line, "every row needs a frame and a cue.")
        table["lang"] = table["lang"].replace("", "ru")
        parts.append(table[["frame", "cue", "lang"]].assign(source=p.name))
    frames = pd.concat(parts, ignore_index=True).drop_duplicates(["frame", "cue", "lang"])
    return frames.sort_values(["frame", "lang", "cue"], kind="stable").reset_index(drop=True)


#: Columns of :func:`check_frames`.
FRAME_PROBLEM_COLUMNS = ["source", "line", "frame", "cue", "lang", "problem", "detail"]
_FRAME_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def check_frames(frames: pd.DataFrame | str | Path | Sequence[str | Path] | None = None, *, codebook: str | None = POLICY_FRAMES.name) -> pd.DataFrame:
    """Every problem of frame dictionaries, one row each, for a notebook to show.

    :func:`load_frames` drops duplicate rows and stops at the first empty one; this check reads
    the files and lists what would make frame counts wrong or hard to compare, so that the
    user's own dictionaries can be reviewed (an empty result means none found).

    Parameters
    ----------
    frames : DataFrame, path or list of paths, optional
        Dictionary files (rows keep their file and line), or a table with ``frame``, ``cue`` and
        optional ``lang`` and ``source`` (:func:`load_frames` output). Default: both bundled
        dictionaries.
    codebook : str or None
        The file name (``source``) whose frames must be the dimensions of the Policy Frames
        Codebook (:data:`POLICY_FRAME_IDS`); default the bundled ``frames_policy.csv``. None
        checks no file against the codebook.

    Returns
    -------
    DataFrame
        ``source``, ``line`` (missing for a table), ``frame``, ``cue``, ``lang``, ``problem``
        and ``detail``; sorted by source and line. Problems:

        - ``missing value``: a row without a frame or a cue;
        - ``frame id``: not lower-case ASCII with underscores (coding files and notebooks name
          frames by id);
        - ``unknown language``: ``lang`` not ru, uk or en;
        - ``duplicate``: the same frame, cue and language twice;
        - ``same lemmas``: two cues of a frame with one lemma sequence («санкция»,
          «санкции»): they match the same words, keep one;
        - ``not in the codebook``: a frame of the codebook file that is not one of its 14
          dimensions;
        - ``codebook dimension without cues``: a dimension with no cue in a language the
          codebook file has (its prevalence would read 0).
    """
    from helpers.lemmas import alias_lemmas
    from helpers.text import phrase_words

    overrides = dicts.load_overrides(dicts.OVERRIDES_FILE) if Path(dicts.OVERRIDES_FILE).exists() else {}

    if isinstance(frames, pd.DataFrame):
        missing = [c for c in ("frame", "cue") if c not in frames.columns]
        if missing:
            raise dicts.DictionaryError(f"The frame table needs the columns frame and cue; missing {', '.join(missing)}.")
        table = frames.copy()
        if "lang" not in table.columns:
            table["lang"] = "ru"
        if "source" not in table.columns:
            table["source"] = ""
        table[dicts.LINE] = table[dicts.LINE] if dicts.LINE in table.columns else pd.NA
        for c in ("frame", "cue", "lang", "source"):
            table[c] = table[c].astype("object").where(table[c].notna(), "").astype(str).str.strip()
    else:
        paths = [POLICY_FRAMES, DOMAIN_FRAMES] if frames is None else ([frames] if isinstance(frames, (str, os.PathLike)) else list(frames))
        parts = []
        for p in map(Path, paths):
            part = dicts.read_table(p, kind="frame dictionary", required=("frame", "cue"), optional={"lang": "ru"})
            parts.append(part.assign(source=p.name))
        table = pd.concat(parts, ignore_index=True)
    table["lang"] = table["lang"].replace("", "ru")
    rows: list[dict] = []

    def add(rec: dict, problem: str, detail: str) -> None:
        rows.append({"source": rec["source"], "line": rec[dicts.LINE], "frame": rec["frame"], "cue": rec["cue"], "lang": rec["lang"], "problem": problem, "detail": detail})

    records = table.to_dict("records")
    for rec in records:
        if not rec["frame"] or not rec["cue"]:
            add(rec, "missing value", "every row needs a frame id and a cue; fill it in or delete the row.")
        if rec["frame"] and not _FRAME_ID.match(rec["frame"]):
            add(rec, "frame id", f"{rec['frame']!r}: frame ids are lower-case ASCII letters, digits and underscores (e.g. security_and_defense).")
        if rec["lang"] not in ("ru", "uk", "en"):
            add(rec, "unknown language", f"lang {rec['lang']!r} is not ru, uk or en.")
    full = table[(table["frame"] != "") & (table["cue"] != "")]
    dup = full.duplicated(["frame", "cue", "lang"], keep="first")
    for rec in full[dup].to_dict("records"):
        add(rec, "duplicate", "the frame already has this cue in this language; delete the row.")
    seen: dict[tuple, dict] = {}
    for rec in full[~dup].to_dict("records"):
        words = phrase_words(rec["cue"])
        key = tuple(alias_lemmas(words, rec["lang"], overrides=overrides)) if rec["lang"] in ("ru", "uk") else tuple(w.lower() for w in words)
        first = seen.setdefault((rec["frame"], rec["lang"], key), rec)
        if first is not rec:
            add(rec, "same lemmas", f"the cue has the lemmas {' '.join(key)!r} of the cue {first['cue']!r} of this frame: both match the same words; keep one.")
    if codebook is not None:
        coded = table[table["source"] == codebook]
        for rec in coded[coded["frame"] != ""].to_dict("records"):
            if rec["frame"] not in POLICY_FRAME_IDS and _FRAME_ID.match(rec["frame"]):
                add(rec, "not in the codebook", f"{rec['frame']!r} is not one of the Policy Frames Codebook dimensions ({', '.join(POLICY_FRAME_IDS)}); move it to the domain dictionary.")
        for lang in sorted(set(coded["lang"])):
            have = set(coded.loc[(coded["lang"] == lang) & (coded["cue"] != ""), "frame"])
            for frame in POLICY_FRAME_IDS:
                if frame not in have:
                    rows.append({"source": codebook, "line": pd.NA, "frame": frame, "cue": "", "lang": lang, "problem": "codebook dimension without cues",
                                 "detail": f"no {lang} cue for this dimension: its prevalence would read 0; add cues or leave it out of comparisons."})
    out = pd.DataFrame(rows, columns=FRAME_PROBLEM_COLUMNS)
    out["_order"] = pd.to_numeric(out["line"], errors="coerce")
    out = out.sort_values(["source", "_order", "frame", "lang", "problem", "detail"], na_position="last", kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def _frames(frames: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    return frames if isinstance(frames, pd.DataFrame) else load_frames(frames)


@legacy()
def frame_hits(corpus: Corpus, frames: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Every cue hit: one row per (frame, matched span).

    Within a frame the longest cue wins where cues overlap («гарантии безопасности» counts once,
    not also as «безопасность»); a word may count for several frames.

    Returns
    -------
    DataFrame
        ``doc_id``, ``frame``, ``cue``, ``sentence``, ``start``, ``end``, ``first``, ``last``
        (token rows); sorted by document, offset and frame.
    """
    frames = _frames(frames)
    parts = []
    for frame, cues in frames.groupby("frame", sort=True):  # one pass per frame: a word may serve several
        phrases = pd.DataFrame({"pattern": cues["cue"].to_numpy(), "phrase": cues["cue"].to_numpy(), "lang": cues["lang"].to_numpy()})
        found = match_phrases(corpus.tokens, corpus.patterns(phrases))
        if len(found):
            parts.append(found.assign(frame=frame).rename(columns={"pattern": "cue"})[HIT_COLUMNS])
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="str" if c in ("doc_id", "frame", "cue") else np.int64) for c in HIT_COLUMNS})
    hits = pd.concat(parts, ignore_index=True)
    return hits.sort_values(["doc_id", "start", "frame"], kind="stable").reset_index(drop=True)


def presence_rate(corpus: Corpus, min_hits: int) -> float:
    """The hits per 10,000 tokens that ``min_hits`` hits are in a document of median length."""
    median = float(np.median(corpus.docs["n_tokens"])) if len(corpus.docs) else 0.0
    return min_hits / median * PER if median > 0 else float("inf")


@legacy()
def frame_scores(
    corpus: Corpus,
    frames: pd.DataFrame | str | Path | None = None,
    *,
    min_hits: int = 2,
    presence: str = "hits",
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score every document on every frame.

    Parameters
    ----------
    corpus : Corpus
        From :func:`helpers.corpus.build_corpus`.
    frames : DataFrame or path, optional
        A frame dictionary (:func:`load_frames` output or a path); default both bundled ones.
    min_hits : int
        **The presence threshold**: with ``presence="hits"`` a frame is present in a document
        with at least this many cue hits (default 2, so that one passing word does not make a
        frame). Validate your choice with :func:`helpers.validation.validate_frames`.
    presence : {"hits", "rate"}
        ``"hits"``: at least ``min_hits`` hits. ``"rate"``: a length-aware rule for corpora of
        texts of very different lengths: at least one hit, and hits per 10,000 tokens at least
        :func:`presence_rate` (``min_hits`` hits in a document of the corpus' median length).
    hits : DataFrame, optional
        :func:`frame_hits` of the same corpus and frames, when already computed.

    Returns
    -------
    DataFrame
        Long form, one row per document and frame (zeros included): ``doc_id``, ``frame``,
        ``hits``, ``tokens`` (the document's word tokens), ``per_10k`` (hits per 10,000 tokens)
        and ``present``; sorted by document and frame.
    """
    if presence not in ("hits", "rate"):
        raise ValueError("presence must be 'hits' or 'rate'.")
    frames = _frames(frames)
    hits = frame_hits(corpus, frames) if hits is None else hits
    doc_ids = corpus.docs["doc_id"].astype(str).tolist()
    frame_ids = sorted(frames["frame"].unique())
    counts = hits.groupby(["doc_id", "frame"]).size()
    grid = pd.MultiIndex.from_product([doc_ids, frame_ids], names=["doc_id", "frame"])
    out = counts.reindex(grid, fill_value=0).rename("hits").reset_index()
    n_tokens = np.repeat(corpus.docs["n_tokens"].to_numpy(), len(frame_ids))
    out["tokens"] = n_tokens.astype(np.int64)
    out["per_10k"] = np.where(n_tokens > 0, out["hits"] / np.maximum(n_tokens, 1) * PER, 0.0)
    if presence == "hits":
        out["present"] = out["hits"] >= min_hits
    else:
        out["present"] = (out["hits"] >= 1) & (out["per_10k"] >= presence_rate(corpus, min_hits) - 1e-9)
    out.attrs["presence"] = presence
    out.attrs["min_hits"] = min_hits
    return out


@legacy()
def frame_evidence(
    corpus: Corpus,
    frame: str,
    *,
    doc_id: str | None = None,
    frames: pd.DataFrame | str | Path | None = None,
    window: int | None = 8,
    within: str | None = None,
    sample: int | None = None,
    seed: int = SEED,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The cue hits of one frame in context (the KWIC of :mod:`helpers.kwic`).

    Parameters
    ----------
    frame : str
        The frame id.
    doc_id : str, optional
        Only this document.
    window, within
        Context, as for :func:`helpers.kwic.concordance`.
    sample : int, optional
        A random sample of this many hits (seeded: the same sample on every run), to read and
        judge: the share that are real instances of the frame is its **precision from reading**.

    Returns
    -------
    DataFrame
        ``doc_id``, ``cue``, ``start``, ``end``, ``left``, ``match``, ``right``.
    """
    frames = _frames(frames)
    if frame not in set(frames["frame"]):
        raise ValueError(f"Unknown frame {frame!r}; the dictionary has {sorted(frames['frame'].unique())}.")
    found = frame_hits(corpus, frames[frames["frame"] == frame]) if hits is None else hits[hits["frame"] == frame]
    if doc_id is not None:
        found = found[found["doc_id"] == str(doc_id)]
    if sample is not None and len(found) > sample:
        rng = np.random.Generator(np.random.PCG64(seed))
        found = found.iloc[np.sort(rng.choice(len(found), size=sample, replace=False))]
    lines = concordance(corpus, found, window=window, within=within)
    return lines[["doc_id", "cue", "start", "end", "left", "match", "right"]] if len(lines) else pd.DataFrame(columns=["doc_id", "cue", "start", "end", "left", "match", "right"])


# --------------------------------------------------------------------------------------------
# Prevalence
# --------------------------------------------------------------------------------------------

#: Below this many documents a group's interval is wide: prevalence says so in ``note``.
SMALL_GROUP = 10


@legacy()
def prevalence(
    corpus: Corpus,
    scores: pd.DataFrame,
    by: str | Sequence[str],
    *,
    period: str | None = None,
    method: str = "wilson",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int = SEED,
) -> pd.DataFrame:
    """Share of documents with each frame, and hits per 10,000 tokens, per group (and period).

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    scores : DataFrame
        Output of :func:`frame_scores`.
    by : str or list of str
        Metadata column(s), e.g. ``"outlet"``.
    period : {"D", "W", "M"}, optional
        Also split by day, week or month of the document date (undated documents are left out
        of the periods, and listed in ``result.attrs["left_out"]``).
    method : {"wilson", "jeffreys", "bootstrap"}
        The interval of the share: Wilson's score interval (default) and the Jeffreys interval
        stay sound at 0/n, n/n and for small groups (:func:`helpers.stats.proportion_ci`); the
        seeded percentile bootstrap over documents collapses to zero width there.
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        The group columns (and ``period``), ``frame``, ``n`` (documents), ``present``
        (documents with the frame), ``estimate`` (their share), ``low``, ``high``, ``hits``,
        ``tokens``, ``per_10k`` (hits per 10,000 tokens of the group) and ``note`` (``"small
        group"`` under :data:`SMALL_GROUP` documents).
    """
    keys = corpus.check_columns(by)
    frame = corpus.meta(scores, keys + ["date"])
    if period:
        frame["period"] = corpus.periods(period).to_numpy()[corpus.positions(frame["doc_id"])]
        frame = frame[frame["period"].notna()]
        keys = [*keys, "period"]
    agg = frame.groupby([*keys, "frame"], observed=True, sort=True).agg(
        n=("present", "size"), present=("present", "sum"), hits=("hits", "sum"), tokens=("tokens", "sum")
    ).reset_index()
    if method == "bootstrap":
        boot = stats.grouped_bootstrap_ci(frame.assign(present=frame["present"].astype(float)), "present", [*keys, "frame"], n_boot=n_boot, level=level, seed=seed)
        agg = agg.merge(boot[[*keys, "frame", "estimate", "low", "high"]], on=[*keys, "frame"])
    else:
        ci = stats.proportion_ci(agg["present"].to_numpy(), agg["n"].to_numpy(), method=method, level=level)
        agg = pd.concat([agg, ci], axis=1)
    agg["per_10k"] = np.where(agg["tokens"] > 0, agg["hits"] / agg["tokens"].clip(lower=1) * PER, 0.0)
    agg["present"] = agg["present"].astype(np.int64)
    agg["note"] = np.where(agg["n"] < SMALL_GROUP, "small group", "")
    out = agg[[*keys, "frame", "n", "present", "estimate", "low", "high", "hits", "tokens", "per_10k", "note"]]
    if period:
        undated = corpus.undated()
        out.attrs["left_out"] = pd.DataFrame({"doc_id": undated.to_numpy(), "reason": "no date"}).to_dict("records")
    return out.reset_index(drop=True)


def prevalence_tests(prev: pd.DataFrame, by: str, *, p_adjust: str = "bh") -> pd.DataFrame:
    """Test every pair of groups on every frame: the share of documents and the rate of hits.

    Parameters
    ----------
    prev : DataFrame
        Output of :func:`prevalence` (without ``period``).
    by : str
        The group column.
    p_adjust : {"bh", "bonferroni"}
        Correction across all rows of the result (every frame × pair), for each test.

    Returns
    -------
    DataFrame
        ``frame``, ``group_a``, ``group_b``, ``share_a``, ``share_b``, ``share_difference``,
        ``share_test`` (Fisher or z, :func:`helpers.stats.compare_proportions`), ``share_p``,
        ``share_p_adjusted``, ``per_10k_a``, ``per_10k_b``, ``rate_g2`` (signed 4-cell
        log-likelihood of hits against the other tokens) and ``rate_p``, ``rate_p_adjusted``.
        Sorted by frame, then the groups.
    """
    rows = []
    for frame, part in prev.groupby("frame", sort=True):
        part = part.set_index(by).sort_index()
        groups = list(part.index)
        for i, a in enumerate(groups):
            for b in groups[i + 1:]:
                rows.append((frame, a, b, part.at[a, "present"], part.at[a, "n"], part.at[b, "present"], part.at[b, "n"],
                             part.at[a, "hits"], part.at[a, "tokens"], part.at[b, "hits"], part.at[b, "tokens"]))
    cols = ["frame", "group_a", "group_b", "k_a", "n_a", "k_b", "n_b", "h_a", "t_a", "h_b", "t_b"]
    t = pd.DataFrame(rows, columns=cols)
    if t.empty:
        return pd.DataFrame(columns=["frame", "group_a", "group_b", "share_a", "share_b", "share_difference", "share_test", "share_p", "share_p_adjusted", "per_10k_a", "per_10k_b", "rate_g2", "rate_p", "rate_p_adjusted"])
    shares = stats.compare_proportions(t["k_a"], t["n_a"], t["k_b"], t["n_b"])
    a, b = t["h_a"].to_numpy(float), t["h_b"].to_numpy(float)
    na, nb = t["t_a"].to_numpy(float), t["t_b"].to_numpy(float)
    g2 = stats.association_2x2_g2(a, na - a, b, nb - b)
    sign = np.where(a / np.maximum(na, 1) >= b / np.maximum(nb, 1), 1.0, -1.0)
    out = pd.DataFrame({
        "frame": t["frame"], "group_a": t["group_a"], "group_b": t["group_b"],
        "share_a": t["k_a"] / t["n_a"], "share_b": t["k_b"] / t["n_b"], "share_difference": shares["difference"],
        "share_test": shares["test"], "share_p": shares["p_value"],
        "per_10k_a": a / np.maximum(na, 1) * PER, "per_10k_b": b / np.maximum(nb, 1) * PER,
        "rate_g2": sign * g2, "rate_p": stats.sps.chi2.sf(g2, 1),
    })
    out["share_p_adjusted"] = stats.adjust_p(out["share_p"], p_adjust).to_numpy()
    out["rate_p_adjusted"] = stats.adjust_p(out["rate_p"], p_adjust).to_numpy()
    order = ["frame", "group_a", "group_b", "share_a", "share_b", "share_difference", "share_test", "share_p", "share_p_adjusted", "per_10k_a", "per_10k_b", "rate_g2", "rate_p", "rate_p_adjusted"]
    return out[order].reset_index(drop=True)


def length_warning(corpus: Corpus, by: str, *, ratio: float = 2.0) -> str | None:
    """A warning when the median document length (in word tokens) of groups differs by more than ``ratio``.

    Document shares of frames are then not comparable (short texts reach ``min_hits`` less
    often): read the hits per 10,000 tokens, or use ``presence="rate"``. None when lengths are
    comparable.
    """
    medians = corpus.docs.assign(_g=corpus.groups(by).to_numpy()).groupby("_g")["n_tokens"].median()
    if len(medians) < 2 or medians.min() <= 0:
        return None
    if medians.max() / medians.min() > ratio:
        low, high = medians.idxmin(), medians.idxmax()
        return (
            f"Median lengths differ by {medians.max() / medians.min():.1f}x ({low}: {medians.min():g} tokens, {high}: {medians.max():g}): "
            "shares of documents with a frame are not comparable across these groups; compare hits per 10,000 tokens, "
            "or score with presence='rate'."
        )
    return None


# --------------------------------------------------------------------------------------------
# Cues under control
# --------------------------------------------------------------------------------------------


def cue_report(corpus: Corpus, hits: pd.DataFrame, *, max_share: float = 0.5) -> pd.DataFrame:
    """Which cues carry each frame, and which look like the corpus' topic rather than a frame.

    Returns
    -------
    DataFrame
        One row per (frame, cue) with hits: ``hits``, ``share`` (of the frame's hits),
        ``doc_share`` (share of the corpus' documents with the cue), ``dominant`` (the cue gives
        more than ``max_share`` of its frame's hits) and ``topic`` (the cue is in more than half
        of the documents: it says what the corpus is about, not how it is framed). Sorted by
        frame, then hits descending.
    """
    if hits.empty:
        return pd.DataFrame(columns=["frame", "cue", "hits", "share", "doc_share", "dominant", "topic"])
    g = hits.groupby(["frame", "cue"]).agg(hits=("doc_id", "size"), docs=("doc_id", "nunique")).reset_index()
    g["share"] = g["hits"] / g.groupby("frame")["hits"].transform("sum")
    g["doc_share"] = g["docs"] / max(len(corpus.docs), 1)
    g["dominant"] = g["share"] > max_share
    g["topic"] = g["doc_share"] > 0.5
    g = g.sort_values(["frame", "hits", "cue"], ascending=[True, False, True], kind="stable")
    return g[["frame", "cue", "hits", "share", "doc_share", "dominant", "topic"]].reset_index(drop=True)


@legacy(rename={"min_doc_share": "min_share"})
def topic_cues(corpus: Corpus, hits: pd.DataFrame, *, query: Sequence[str] = (), min_share: float = 0.5) -> list[str]:
    """Cues that are the corpus' own topic: in more than ``min_share`` of its documents, or query terms.

    On a collection gathered by a query («Северный поток»), the query's words («газопровод»,
    «газ», «проект») are in almost every text whatever its framing: they should not count for
    a frame. Pass the result to :func:`without_cues`.
    """
    report = cue_report(corpus, hits)
    cues = set(report.loc[report["doc_share"] > min_share, "cue"])
    if query:
        keys = {corpus.key(q) for q in query}
        for cue in set(report["cue"]):
            key = corpus.key(cue)
            if key in keys or any(all(k in key for k in q) or set(key) <= set(q) for q in keys):
                cues.add(cue)
    return sorted(cues)


def without_cues(frames: pd.DataFrame, cues: Sequence[str]) -> pd.DataFrame:
    """The dictionary without ``cues`` (set aside as the corpus' topic)."""
    out = frames[~frames["cue"].isin(set(cues))].reset_index(drop=True)
    out.attrs["set_aside"] = sorted(set(cues))
    return out


# --------------------------------------------------------------------------------------------
# Lexical choice
# --------------------------------------------------------------------------------------------


def _surface(text: str) -> str:
    """An alternative as written: lower case, ``ё`` as ``е``, spaces collapsed (punctuation kept)."""
    return " ".join(text.lower().replace("ё", "е").split())


@legacy()
def lexical_choice(
    corpus: Corpus,
    alternatives: Mapping[str, Sequence[str]],
    by: str | None = None,
    *,
    surface: bool = False,
) -> pd.DataFrame:
    """How often each group chooses each of several alternative expressions.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    alternatives : mapping
        ``{set name: [expression, …]}``, e.g. ``{"truce": ["перемирие", "прекращение огня",
        "заморозка конфликта"]}``. Expressions are matched on lemma sequences (any form); where
        one alternative contains another, the longer wins.
    by : str, optional
        The group column; None (the default) counts the whole corpus (no group column).
    surface : bool
        Compare alternatives as written (case and ``ё`` aside): «Северный поток — 2» and
        «Северный поток 2», which one lemma key merges, are then counted apart. A hit counts
        for the alternative whose written form it matches; one written otherwise counts for the
        alternative whose lemmas it has.

    Returns
    -------
    DataFrame
        ``set``, ``alternative``, the group column, ``count`` and ``share`` (of the set's uses in
        that group); every combination listed, zeros included. ``result.attrs["merged"]`` lists
        alternatives that a lemma key cannot tell apart (counted under the first of them unless
        ``surface=True``). Test independence with :func:`lexical_choice_test`.
    """
    groups = corpus.group_names(by) if by is not None else [""]
    group_of_doc = corpus.groups(by).to_numpy() if by is not None else np.full(len(corpus.docs), "", dtype=object)
    texts = corpus.doc_texts
    rows, merged = [], []
    for name, options in alternatives.items():
        options = list(options)
        keys = {o: set(corpus.keys(o)) for o in options}
        for i, a in enumerate(options):
            for b in options[i + 1:]:
                if keys[a] & keys[b]:
                    merged.append({"set": name, "alternatives": f"{a} / {b}"})
        phrases = pd.DataFrame({"pattern": options, "phrase": options, "lang": corpus.lang})
        found = match_phrases(corpus.tokens, corpus.patterns(phrases))
        chosen = found["pattern"].to_numpy().astype(object)
        if surface and len(found):
            written = {_surface(o): o for o in options}
            for k, (d, a, b) in enumerate(zip(found["doc"], found["start"], found["end"])):
                s = _surface(texts[d][a:b])
                if s in written:
                    chosen[k] = written[s]
        doc = found["doc"].to_numpy() if len(found) else np.zeros(0, dtype=np.int64)
        counts = pd.crosstab(chosen, group_of_doc[doc]) if len(found) else pd.DataFrame()
        counts = counts.reindex(index=options, columns=groups, fill_value=0)
        totals = counts.sum(axis=0)
        for option in options:
            for group in groups:
                c = int(counts.at[option, group])
                rows.append((name, option, group, c, c / totals[group] if totals[group] else np.nan))
    out = pd.DataFrame(rows, columns=["set", "alternative", by or "", "count", "share"])
    if by is None:
        out = out.drop(columns="")
    out.attrs["merged"] = merged
    out.attrs["by"] = by
    return out


def lexical_choice_test(choice: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """χ² test of independence between group and alternative, for every set.

    Parameters
    ----------
    choice : DataFrame
        A :func:`lexical_choice` table.
    by : str, optional
        Its group column; by default the one :func:`lexical_choice` was given
        (``choice.attrs["by"]``).

    Returns
    -------
    DataFrame
        One row per set: ``chi2``, ``dof``, ``p_value``, ``cramers_v``, ``min_expected`` (below
        5 the χ² approximation is doubtful: say so when you report it). A set with fewer than
        two alternatives or groups in use gets missing values.

    Raises
    ------
    ValueError
        When the table has no group column (counted with ``by=None``) or not the one given.
    """
    by = by if by is not None else choice.attrs.get("by")
    if by is None or by not in choice.columns:
        raise ValueError(
            f"A test of independence needs groups: count the choices with lexical_choice(..., by=...) and pass the same by= here "
            f"(the table has the columns {', '.join(map(str, choice.columns))})."
        )
    rows = []
    for name, part in choice.groupby("set", sort=True):
        table = part.pivot(index="alternative", columns=by, values="count")
        table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
        if table.shape[0] < 2 or table.shape[1] < 2:
            rows.append(pd.Series({"chi2": np.nan, "dof": 0, "p_value": np.nan, "cramers_v": np.nan, "min_expected": np.nan}, name=name))
            continue
        rows.append(stats.chi2_independence(table).rename(name))
    out = pd.DataFrame(rows)
    out.index.name = "set"
    return out


# --------------------------------------------------------------------------------------------
# Actors × frames
# --------------------------------------------------------------------------------------------


@legacy(rename={"min_sentences": "min_count"})
def actor_frames(
    corpus: Corpus,
    mentions: pd.DataFrame,
    frames: pd.DataFrame | str | Path | None = None,
    *,
    by: str | None = None,
    min_count: int = 5,
    hits: pd.DataFrame | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Frames in the sentences that mention each actor, against the frame's share in all sentences.

    Parameters
    ----------
    corpus, mentions, frames
        The corpus, :func:`helpers.actors.find_actors` output (place uses of metonyms left out)
        and the frame dictionary.
    by : str, optional
        Also per group (outlet): the same actor may be framed differently by each.
    min_count : int
        Leave out actors (per group) with fewer sentences.
    hits : DataFrame, optional
        :func:`frame_hits` of the same corpus and frames, when already computed.
    level : float
        Level of the Wilson intervals.

    Returns
    -------
    DataFrame
        One row per ([group,] actor, frame): ``label``, ``sentences`` (sentences mentioning the
        actor), ``with_frame`` (of those, sentences with a cue of the frame), ``share``, ``low``,
        ``high``, ``baseline`` (the frame's share of all sentences of the group) and ``lift``
        (share / baseline). Sorted by group, actor and frame.
    """
    from helpers.actors import counted

    frames = _frames(frames)
    cols = corpus.check_columns(by)
    hits = frame_hits(corpus, frames) if hits is None else hits
    fh = hits[["doc_id", "sentence", "frame"]].drop_duplicates()
    ms = counted(mentions)[["doc_id", "sentence", "actor", "label"]].drop_duplicates()
    if cols:
        fh = corpus.meta(fh, cols)
        ms = corpus.meta(ms, cols)
    n_sent = ms.groupby([*cols, "actor", "label"]).size().rename("sentences")
    both = ms.merge(fh, on=[*cols, "doc_id", "sentence"] if cols else ["doc_id", "sentence"])
    with_frame = both.groupby([*cols, "actor", "label", "frame"]).size().rename("with_frame")
    frame_ids = sorted(frames["frame"].unique())
    grid = pd.MultiIndex.from_tuples([(*k, f) for k in n_sent.index for f in frame_ids], names=[*cols, "actor", "label", "frame"])
    out = with_frame.reindex(grid, fill_value=0).reset_index()
    out = out.merge(n_sent.reset_index(), on=[*cols, "actor", "label"])
    out = out[out["sentences"] >= min_count].reset_index(drop=True)
    ci = stats.proportion_ci(out["with_frame"].to_numpy(), out["sentences"].to_numpy(), level=level)
    out["share"], out["low"], out["high"] = ci["estimate"].to_numpy(), ci["low"].to_numpy(), ci["high"].to_numpy()
    # The baseline: the frame's share of all sentences (of the group).
    units = corpus.tokens[["doc_id", "sentence"]].drop_duplicates().assign(doc_id=lambda t: t["doc_id"].astype(str))
    if cols:
        units = corpus.meta(units, cols)
    total = units.groupby(cols).size() if cols else pd.Series({(): len(units)})
    framed = fh.groupby([*cols, "frame"]).size()
    if cols:
        out["baseline"] = [framed.get((*k, f), 0) / total[k if len(k) > 1 else k[0]] for k, f in zip(out[cols].itertuples(index=False, name=None), out["frame"])]
    else:
        out["baseline"] = [framed.get(f, 0) / len(units) for f in out["frame"]]
    out["lift"] = np.where(out["baseline"] > 0, out["share"] / out["baseline"].replace(0, np.nan), np.nan)
    order = [*cols, "actor", "label", "frame", "sentences", "with_frame", "share", "low", "high", "baseline", "lift"]
    return out[order].sort_values([*cols, "actor", "frame"], kind="stable").reset_index(drop=True)
