"""Framing: frame dictionaries, per-document scores with their evidence, prevalence with
intervals, lexical choice, actors × frames, attribution, and validation against hand coding.

A frame (Entman 1993) selects some aspects of a reality and makes them salient. Dictionary
methods detect frames through cue words: transparent and cheap, but only as good as the cues,
which is why every count here can show its evidence (:func:`frame_evidence`) and why the
dictionary is checked against hand coding (:func:`validate_frames`; Grimmer & Stewart 2013).

Dictionaries are CSV (or YAML) files with ``frame,cue,lang`` rows: ``corpus/frames_policy.csv``
follows the Policy Frames Codebook (Boydstun et al. 2014), ``corpus/frames_domain.csv`` adds the
teaching corpus' own frames. Cues are matched on lemma sequences, so every inflected form counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import stats
from helpers.corpus import add_metadata
from helpers.frequency import concordance, sentence_bounds
from helpers.outputs import SEED
from helpers.text import lemma_key, match_phrases, match_sequences, tokenize

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
POLICY_FRAMES = CORPUS_DIR / "frames_policy.csv"
DOMAIN_FRAMES = CORPUS_DIR / "frames_domain.csv"

#: The 14 dimensions of the Policy Frames Codebook used by the default dictionary ("other" omitted).
POLICY_FRAME_IDS = (
    "economic", "capacity_and_resources", "morality", "fairness_and_equality",
    "legality_constitutionality_and_jurisprudence", "policy_prescription_and_evaluation",
    "crime_and_punishment", "security_and_defense", "health_and_safety", "quality_of_life",
    "cultural_identity", "public_opinion", "political", "external_regulation_and_reputation",
)

#: Verbs of reported speech whose subjects are counted by :func:`attribution`.
REPORTING_VERBS = (
    "заявить", "сообщить", "отметить", "подчеркнуть", "добавить", "признать", "предупредить",
    "сказать", "указать", "пояснить", "считать", "напомнить", "уточнить", "объявить", "назвать",
)
#: Source phrases: the name that follows is the source («по данным Reuters»).
SOURCE_PHRASES = ("по данным", "как сообщает", "как сообщить", "со ссылкой на", "по словам", "по информации", "по мнению", "по оценке")


def load_frames(path: str | Path | Sequence[str | Path] | None = None) -> pd.DataFrame:
    """Read frame dictionaries.

    Parameters
    ----------
    path : path or list of paths, optional
        CSV or YAML files with ``frame``, ``cue`` and optional ``lang`` (default ``ru``) columns.
        Default: the Policy Frames Codebook dictionary plus the domain dictionary.

    Returns
    -------
    DataFrame
        ``frame``, ``cue``, ``lang``, ``source`` (file name), deduplicated and sorted.
    """
    paths = [POLICY_FRAMES, DOMAIN_FRAMES] if path is None else ([path] if isinstance(path, (str, Path)) else list(path))
    parts = []
    for p in map(Path, paths):
        if p.suffix.lower() in (".yml", ".yaml"):
            import yaml

            table = pd.DataFrame(yaml.safe_load(p.read_text(encoding="utf-8")))
        else:
            table = pd.read_csv(p, comment="#", dtype=str, keep_default_na=False)
        missing = {"frame", "cue"} - set(table.columns)
        if missing:
            raise ValueError(f"{p}: a frame dictionary needs the columns frame and cue; missing {sorted(missing)}.")
        table = table.assign(frame=table["frame"].str.strip(), cue=table["cue"].str.strip())
        if "lang" not in table:
            table["lang"] = "ru"
        empty = table[(table["frame"] == "") | (table["cue"] == "")]
        if len(empty):
            raise ValueError(f"{p}, row {empty.index[0] + 2}: every row needs a frame and a cue.")
        parts.append(table[["frame", "cue", "lang"]].assign(source=p.name))
    frames = pd.concat(parts, ignore_index=True).drop_duplicates(["frame", "cue", "lang"])
    return frames.sort_values(["frame", "lang", "cue"]).reset_index(drop=True)


def frame_hits(tokens: pd.DataFrame, frames: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every cue hit: one row per (frame, matched span).

    Within a frame the longest cue wins where cues overlap («гарантии безопасности» counts once,
    not also as «безопасность»); a word may count for several frames.

    Returns
    -------
    DataFrame
        ``doc_id``, ``frame``, ``cue``, ``sentence``, ``start``, ``end``, sorted by document,
        offset and frame.
    """
    frames = load_frames() if frames is None else frames
    parts = []
    for frame, cues in frames.groupby("frame", sort=True):  # one pass per frame: a word may serve several
        patterns = pd.DataFrame({
            "pattern": cues["cue"].to_numpy(),
            "key": [lemma_key(c, lang) for c, lang in zip(cues["cue"], cues["lang"])],
            "lang": cues["lang"].to_numpy(),
        })
        found = match_phrases(tokens, patterns)
        if len(found):
            parts.append(found.assign(frame=frame).rename(columns={"pattern": "cue"})[["doc_id", "frame", "cue", "sentence", "start", "end"]])
    if not parts:
        return pd.DataFrame(columns=["doc_id", "frame", "cue", "sentence", "start", "end"])
    hits = pd.concat(parts, ignore_index=True)
    return hits.sort_values(["doc_id", "start", "frame"]).reset_index(drop=True)


def frame_scores(
    docs: pd.DataFrame,
    frames: pd.DataFrame | str | Path | None = None,
    tokens: pd.DataFrame | None = None,
    *,
    min_hits: int = 2,
) -> pd.DataFrame:
    """Score every document on every frame.

    Parameters
    ----------
    docs : DataFrame
        The corpus.
    frames : DataFrame or path, optional
        A frame dictionary (:func:`load_frames` output or a path); default both bundled ones.
    tokens : DataFrame, optional
        The token table of ``docs`` (computed and cached when missing).
    min_hits : int
        **The presence threshold**: a frame is ``present`` in a document with at least this many
        cue hits (default 2, so that one passing word does not make a frame). Validate your choice
        with :func:`validate_frames`.

    Returns
    -------
    DataFrame
        Long form, one row per document and frame (zeros included): ``doc_id``, ``frame``,
        ``hits``, ``per_1k`` (hits per 1,000 tokens of the document) and ``present``; sorted.
    """
    if tokens is None:
        tokens = tokenize(docs)
    if frames is None or isinstance(frames, (str, Path)):
        frames = load_frames(frames)
    hits = frame_hits(tokens, frames)
    doc_ids = sorted(docs["doc_id"].astype(str))
    frame_ids = sorted(frames["frame"].unique())
    counts = hits.groupby(["doc_id", "frame"]).size()
    grid = pd.MultiIndex.from_product([doc_ids, frame_ids], names=["doc_id", "frame"])
    out = counts.reindex(grid, fill_value=0).rename("hits").reset_index()
    sizes = tokens["doc_id"].astype(str).value_counts()
    n_tokens = out["doc_id"].map(sizes).fillna(0).to_numpy()
    out["per_1k"] = np.where(n_tokens > 0, out["hits"] / np.maximum(n_tokens, 1) * 1000, 0.0)
    out["present"] = out["hits"] >= min_hits
    return out


def frame_evidence(
    docs: pd.DataFrame,
    tokens: pd.DataFrame,
    frame: str,
    *,
    doc_id: str | None = None,
    frames: pd.DataFrame | None = None,
    window: int | str = 60,
) -> pd.DataFrame:
    """The cue hits of one frame in context (the KWIC of :mod:`helpers.frequency`).

    Returns ``doc_id``, ``cue``, ``start``, ``end``, ``left``, ``match``, ``right``.
    """
    frames = load_frames() if frames is None else frames
    if frame not in set(frames["frame"]):
        raise ValueError(f"Unknown frame {frame!r}; the dictionary has {sorted(frames['frame'].unique())}.")
    sub = tokens if doc_id is None else tokens[tokens["doc_id"].astype(str) == str(doc_id)]
    hits = frame_hits(sub, frames[frames["frame"] == frame])
    if window == "sentence":
        hits = hits.merge(sentence_bounds(sub), on=["doc_id", "sentence"], how="left")
    lines = concordance(docs, hits, window=window)
    return lines[["doc_id", "cue", "start", "end", "left", "match", "right"]]


def prevalence(
    scores: pd.DataFrame,
    docs: pd.DataFrame,
    by: str | Sequence[str],
    *,
    period: str | None = None,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = SEED,
) -> pd.DataFrame:
    """Share of documents in which each frame is present, per group (and period).

    Intervals are percentile bootstrap intervals over documents
    (:func:`helpers.stats.grouped_bootstrap_ci`), seeded so that they are the same every run.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`frame_scores`.
    by : str or list of str
        Metadata column(s), e.g. ``"outlet"``.
    period : {"W", "M"}, optional
        Also split by week or month of the document date.

    Returns
    -------
    DataFrame
        The group columns (and ``period``), ``frame``, ``n`` (documents), ``estimate``, ``low``,
        ``high``.
    """
    keys = [by] if isinstance(by, str) else list(by)
    frame = add_metadata(scores, docs, [*keys, "date"])
    if period:
        frame["period"] = frame["date"].dt.to_period("W-SUN" if period == "W" else period).dt.start_time
        keys = [*keys, "period"]
    frame["present"] = frame["present"].astype(float)
    out = stats.grouped_bootstrap_ci(frame, "present", [*keys, "frame"], n_boot=n_boot, level=level, seed=seed)
    return out


# --------------------------------------------------------------------------------------------
# Lexical choice
# --------------------------------------------------------------------------------------------


def lexical_choice(
    tokens: pd.DataFrame,
    docs: pd.DataFrame,
    alternatives: Mapping[str, Sequence[str]],
    by: str = "outlet",
) -> pd.DataFrame:
    """How often each group chooses each of several alternative expressions.

    Parameters
    ----------
    alternatives : mapping
        ``{set name: [expression, …]}``, e.g. ``{"truce": ["перемирие", "прекращение огня",
        "заморозка конфликта"]}``. Expressions are matched on lemma sequences (any form); where
        one alternative contains another, the longer wins.

    Returns
    -------
    DataFrame
        ``set``, ``alternative``, the group column, ``count`` and ``share`` (of the set's uses in
        that group); every combination listed, zeros included. Test independence with
        :func:`lexical_choice_test`.
    """
    group_of = dict(zip(docs["doc_id"].astype(str), docs[by]))
    groups = sorted(pd.Series(list(group_of.values())).dropna().unique())
    rows = []
    for name, options in alternatives.items():
        patterns = pd.DataFrame({"pattern": list(options), "key": [lemma_key(o) for o in options]})
        found = match_sequences(tokens, patterns)
        doc = tokens["doc_id"].astype(str).to_numpy()[found["first"].to_numpy()] if len(found) else np.array([], dtype=object)
        counts = pd.crosstab(found["pattern"].to_numpy(), pd.Series(doc).map(group_of).to_numpy()) if len(found) else pd.DataFrame()
        counts = counts.reindex(index=list(options), columns=groups, fill_value=0)
        totals = counts.sum(axis=0)
        for option in options:
            for group in groups:
                c = int(counts.at[option, group])
                rows.append((name, option, group, c, c / totals[group] if totals[group] else np.nan))
    return pd.DataFrame(rows, columns=["set", "alternative", by, "count", "share"])


def lexical_choice_test(choice: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """χ² test of independence between group and alternative, for every set.

    Returns one row per set: ``chi2``, ``dof``, ``p_value``, ``cramers_v``, ``min_expected``
    (below 5 the χ² approximation is doubtful: say so when you report it).
    """
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
# Actors × frames, attribution
# --------------------------------------------------------------------------------------------


def actor_frames(mentions: pd.DataFrame, tokens: pd.DataFrame, frames: pd.DataFrame | None = None, *, min_sentences: int = 5) -> pd.DataFrame:
    """Frames in the sentences that mention each actor.

    Returns
    -------
    DataFrame
        One row per (actor, frame): ``label``, ``sentences`` (sentences mentioning the actor),
        ``with_frame`` (of those, sentences with a cue of the frame) and ``share``. Actors with
        fewer than ``min_sentences`` sentences are left out. Sorted by actor and frame.
    """
    frames = load_frames() if frames is None else frames
    hits = frame_hits(tokens, frames)[["doc_id", "sentence", "frame"]].drop_duplicates()
    ms = mentions.assign(doc_id=mentions["doc_id"].astype(str))[["doc_id", "sentence", "actor", "label"]].drop_duplicates()
    n_sent = ms.groupby(["actor", "label"]).size().rename("sentences")
    both = ms.merge(hits, on=["doc_id", "sentence"])
    with_frame = both.groupby(["actor", "label", "frame"]).size().rename("with_frame")
    grid = pd.MultiIndex.from_tuples([(a, lab, f) for (a, lab) in n_sent.index for f in sorted(frames["frame"].unique())], names=["actor", "label", "frame"])
    out = with_frame.reindex(grid, fill_value=0).reset_index()
    out = out.merge(n_sent.reset_index(), on=["actor", "label"])
    out = out[out["sentences"] >= min_sentences]
    out["share"] = out["with_frame"] / out["sentences"]
    return out[["actor", "label", "frame", "sentences", "with_frame", "share"]].sort_values(["actor", "frame"]).reset_index(drop=True)


def attribution(docs: pd.DataFrame, tokens: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """Who gets cited: reporting verbs with their subjects, and source phrases with their sources.

    Rules (transparent, so that every row can be checked in its sentence):

    - a **reporting verb** (:data:`REPORTING_VERBS`, any form: заявил, сообщила, отметили…) is
      attributed to the actor mention nearest to it in the same sentence, preferring one before
      the verb; without an actor, to the capitalised name (up to three words) right after or
      just before it («заявил Назар Кривонос»), else to ``"(unnamed)"``;
    - a **source phrase** (:data:`SOURCE_PHRASES`: «по данным», «как сообщает», «со ссылкой на»,
      «по словам»…) is attributed to the actor mention or capitalised name that follows it.

    Returns
    -------
    DataFrame
        ``doc_id``, ``sentence``, ``kind`` (``verb`` or ``phrase``), ``cue`` (its lemma or phrase),
        ``source`` (actor label or the name as written), ``actor`` (id, or NA for names outside the
        dictionary), ``start``, ``end`` (of the cue). Sorted by document and offset.
    """
    doc = tokens["doc_id"].astype(str).to_numpy()
    sent = tokens["sentence"].to_numpy()
    surface = tokens["token"].astype(str).to_numpy()
    lemma = tokens["lemma"].astype(str).to_numpy()
    starts, ends = tokens["start"].to_numpy(), tokens["end"].to_numpy()
    # Map each token position to an actor mention covering it.
    ms = mentions.assign(doc_id=mentions["doc_id"].astype(str)).sort_values(["doc_id", "start"])
    pos_index = {(d, s): i for i, (d, s) in enumerate(zip(doc, starts))}
    mention_at = {}
    for m in ms.itertuples(index=False):
        i = pos_index.get((m.doc_id, m.start))
        while i is not None and i < len(doc) and doc[i] == m.doc_id and starts[i] < m.end:
            mention_at[i] = (m.actor, m.label)
            i += 1

    def name_after(i: int) -> tuple[str | None, str | None]:
        j = i
        if j < len(doc) and j in mention_at:
            return mention_at[j][1], mention_at[j][0]
        words = []
        while j < len(doc) and doc[j] == doc[i] and sent[j] == sent[i] and surface[j][:1].isupper() and len(words) < 3:
            words.append(surface[j])
            j += 1
        return (" ".join(words), None) if words else (None, None)

    def name_before(i: int) -> tuple[str | None, str | None]:
        words, j = [], i
        while j >= 0 and doc[j] == doc[i] and sent[j] == sent[i] and surface[j][:1].isupper() and len(words) < 3:
            words.insert(0, surface[j])
            j -= 1
        return (" ".join(words), None) if words else (None, None)

    rows = []
    verbs = set(REPORTING_VERBS)
    for i in np.flatnonzero(np.isin(lemma, list(verbs))):
        same = [k for k in range(max(0, i - 25), min(len(doc), i + 12)) if k in mention_at and doc[k] == doc[i] and sent[k] == sent[i]]
        before = [k for k in same if k < i]
        after = [k for k in same if k > i]
        source, actor = (None, None)
        if before:
            actor, source = mention_at[before[-1]]
        elif after:
            actor, source = mention_at[after[0]]
        else:
            source, actor = name_after(i + 1)
            if source is None:
                source, actor = name_before(i - 1)
        rows.append((doc[i], int(sent[i]), "verb", lemma[i], source or "(unnamed)", actor, int(starts[i]), int(ends[i])))
    phrases = pd.DataFrame({"pattern": list(SOURCE_PHRASES), "key": [lemma_key(p) for p in SOURCE_PHRASES]})
    found = match_sequences(tokens, phrases)
    for first, last, phrase in zip(found["first"], found["last"], found["pattern"]):
        source, actor = name_after(last + 1)
        if source is None and last + 1 in mention_at:
            actor, source = mention_at[last + 1]
        rows.append((doc[first], int(sent[first]), "phrase", phrase, source or "(unnamed)", actor, int(starts[first]), int(ends[last])))
    out = pd.DataFrame(rows, columns=["doc_id", "sentence", "kind", "cue", "source", "actor", "start", "end"])
    return out.sort_values(["doc_id", "start"]).reset_index(drop=True)


def attribution_counts(cited: pd.DataFrame, docs: pd.DataFrame, by: str = "outlet", *, top: int = 10) -> pd.DataFrame:
    """The most cited sources per group, with their share of the group's attributions."""
    frame = add_metadata(cited[cited["source"] != "(unnamed)"], docs, by)
    counts = frame.groupby([by, "source"]).size().rename("citations").reset_index()
    counts["share"] = counts["citations"] / counts.groupby(by)["citations"].transform("sum")
    counts = counts.sort_values([by, "citations", "source"], ascending=[True, False, True])
    return counts.groupby(by).head(top).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Validation against hand coding
# --------------------------------------------------------------------------------------------


def load_coding(path: str | Path, docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read hand coding: a CSV with ``doc_id`` and ``frames`` (frame ids separated by ``;``).

    Parameters
    ----------
    path : str or Path
        The coding file (see ``corpus/coding_guide.md``). A missing file gives an empty table.
    docs : DataFrame, optional
        Keep only the coded documents of this corpus.

    Returns
    -------
    DataFrame
        A boolean doc × frame table (index ``doc_id``). An empty ``frames`` cell means the coder
        found no frame.
    """
    if not Path(path).exists():
        return pd.DataFrame(index=pd.Index([], name="doc_id"), dtype=bool)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    if docs is not None:
        table = table[table["doc_id"].isin(set(docs["doc_id"].astype(str)))] if "doc_id" in table else table
    missing = {"doc_id", "frames"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: hand coding needs the columns doc_id and frames; missing {sorted(missing)}.")
    if table["doc_id"].duplicated().any():
        raise ValueError(f"{path}: doc_id {table.loc[table['doc_id'].duplicated(), 'doc_id'].iloc[0]!r} is coded twice.")
    long = table.assign(frame=table["frames"].str.split(";")).explode("frame")
    long["frame"] = long["frame"].str.strip()
    wide = pd.crosstab(long["doc_id"], long["frame"]).astype(bool)
    wide = wide.drop(columns=[c for c in wide.columns if c == ""], errors="ignore")
    wide = wide.reindex(sorted(table["doc_id"]), fill_value=False)
    wide.columns.name = "frame"
    return wide


def validate_frames(scores: pd.DataFrame, coding: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary's ``present`` against hand coding, per frame.

    Only coded documents and frames that both the dictionary and the coding know are compared.
    Rows ``micro`` and ``macro`` summarise (see :func:`helpers.stats.classification_report`).
    """
    predicted = scores.pivot(index="doc_id", columns="frame", values="present").astype(bool)
    frames = [f for f in coding.columns if f in predicted.columns]
    docs = [d for d in coding.index if d in predicted.index]
    if not docs:
        raise ValueError("No coded doc_id is in the scores: check that the coding uses the corpus' doc_id values.")
    return stats.classification_report(coding.loc[docs, frames], predicted.loc[docs, frames])


def train_frame_classifier(
    tokens: pd.DataFrame, coding: pd.DataFrame, *, folds: int = 5, seed: int = SEED, min_positive: int = 4
) -> pd.DataFrame:
    """Cross-validated supervised alternative to the dictionary.

    TF-IDF on lemmas (stop words removed) and one-vs-rest logistic regression (scikit-learn,
    ``liblinear``, class weights balanced), evaluated with ``folds``-fold cross-validation
    (shuffled with ``seed``). Frames with fewer than ``min_positive`` coded documents are left out:
    a classifier cannot learn them.

    Returns
    -------
    DataFrame
        Per-frame ``tp``, ``fp``, ``fn``, ``support``, ``precision``, ``recall``, ``f1`` of the
        out-of-fold predictions, plus ``micro`` and ``macro``.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_predict
    from sklearn.multiclass import OneVsRestClassifier

    kept = tokens[~tokens["is_stop"].to_numpy()]
    texts = kept.assign(doc_id=kept["doc_id"].astype(str)).groupby("doc_id")["lemma"].agg(lambda s: " ".join(s.astype(str)))
    docs = [d for d in coding.index if d in texts.index]
    labels = [f for f in coding.columns if coding.loc[docs, f].sum() >= min_positive and (~coding.loc[docs, f]).sum() >= min_positive]
    if not labels:
        raise ValueError(f"No frame has {min_positive} coded positives and negatives; code more documents.")
    y = coding.loc[docs, labels].to_numpy().astype(int)
    vectorizer = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, min_df=2, sublinear_tf=True)
    x = vectorizer.fit_transform(texts.loc[docs])
    model = OneVsRestClassifier(LogisticRegression(solver="liblinear", class_weight="balanced", C=10.0))
    predicted = cross_val_predict(model, x, y, cv=KFold(n_splits=folds, shuffle=True, random_state=seed))
    predicted = pd.DataFrame(predicted.astype(bool), index=docs, columns=labels)
    return stats.classification_report(coding.loc[docs, labels], predicted)
