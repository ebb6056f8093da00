"""Checking the instrument: hand coding, agreement between coders, and the dictionary against both.

A frame dictionary is a measurement instrument: before its counts are trusted, compare it with
human judgement (Grimmer & Stewart 2013), and before human judgement is trusted, check that two
coders agree (Krippendorff 2004).

- :func:`load_coding` reads a coding file (``doc_id,frames[,coder]``, frames separated by
  ``;``), one or several coders; :func:`check_coding` lists every problem of such a file at once
  (documents coded twice, unknown frame ids, documents the corpus does not have);
- :func:`reliability` gives Krippendorff's alpha (nominal) per frame, with the number of
  documents coded by two coders or more, and Cohen's kappa when exactly two coders coded;
- :func:`consensus` turns several coders into one gold standard;
- :func:`validate_frames` scores **every** frame of the dictionary against the coding (a frame
  the coders never used still has its false positives counted);
- :func:`coding_sample` draws a sample to code and :func:`export_coding_sheet` writes it, with
  the texts, as CSV and XLSX for coders to fill in;
- :func:`train_frame_classifier` is the supervised alternative, cross-validated.
"""

from __future__ import annotations

import os

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import dictionaries as dicts
from helpers import stats
from helpers.constants import SEED
from helpers.corpus import Corpus

CODING_FILE = dicts.CODING_FILE


def load_coding(path: str | Path | Sequence[str | Path] = CODING_FILE, corpus: Corpus | pd.DataFrame | None = None, *, docs=None) -> pd.DataFrame:
    """Read hand coding: one row per coded document (and coder).

    Parameters
    ----------
    path : path or list of paths
        CSV files with ``doc_id`` and ``frames`` (frame ids separated by ``;``; empty: no frame)
        and optionally ``coder`` (default ``coder-1``). A path that does not exist is an error.
    corpus : Corpus or DataFrame, optional
        Keep only the documents of this corpus.

    Returns
    -------
    DataFrame
        A boolean table indexed by (``doc_id``, ``coder``), one column per frame used.

    Raises
    ------
    helpers.dictionaries.DictionaryError
        When a coder codes one document twice (file and line named).
    """
    corpus = docs if corpus is None and docs is not None else corpus
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    parts = []
    for p in paths:
        table = dicts.read_table(p, kind="coding file", required=("doc_id", "frames"), optional={"coder": "coder-1"})
        table["coder"] = table["coder"].replace("", "coder-1")
        parts.append(table.assign(_file=str(p)))
    table = pd.concat(parts, ignore_index=True)
    dup = table.duplicated(["doc_id", "coder"], keep="first")
    if dup.any():
        row = table[dup].iloc[0]
        raise dicts.row_error(row["_file"], int(row[dicts.LINE]), f"{row['coder']} codes {row['doc_id']!r} twice; keep one row per document and coder.")
    if corpus is not None:
        ids = set((corpus.docs if isinstance(corpus, Corpus) else corpus)["doc_id"].astype(str))
        table = table[table["doc_id"].isin(ids)]
    long = table.assign(frame=table["frames"].str.split(";")).explode("frame")
    long["frame"] = long["frame"].fillna("").str.strip()
    wide = pd.crosstab([long["doc_id"], long["coder"]], long["frame"]).astype(bool)
    wide = wide.drop(columns=[c for c in wide.columns if c == ""], errors="ignore")
    index = pd.MultiIndex.from_frame(table[["doc_id", "coder"]]).sort_values()
    wide = wide.reindex(index, fill_value=False)
    wide.columns.name = "frame"
    return wide.sort_index(axis=1)


#: Columns of :func:`check_coding`.
CODING_PROBLEM_COLUMNS = ["file", "line", "doc_id", "coder", "problem", "detail"]


def check_coding(
    coding: pd.DataFrame | str | Path | Sequence[str | Path] = CODING_FILE,
    corpus: Corpus | None = None,
    frames: pd.DataFrame | str | Path | Sequence[str | Path] | None = None,
) -> pd.DataFrame:
    """Every problem of a hand-coding file, one row each, for a notebook to show.

    :func:`load_coding` stops at the first document coded twice and silently keeps frame ids it
    does not know; this check lists what would make the validation wrong, so that the user's
    own coding can be reviewed (an empty result means none found).

    Parameters
    ----------
    coding : path, list of paths or DataFrame
        Coding files (``doc_id``, ``frames``, optional ``coder``; rows keep their file and
        line), or the same columns as a table. Default: the bundled ``frames_coded.csv``
        (reported by its name).
    corpus : Corpus, optional
        When given, every coded ``doc_id`` must be one of its documents.
    frames : DataFrame or path(s), optional
        The frame dictionary the coding validates (:func:`helpers.framing.load_frames`);
        default the bundled dictionaries.

    Returns
    -------
    DataFrame
        ``file``, ``line`` (missing for a table), ``doc_id``, ``coder``, ``problem``, ``detail``;
        sorted by file and line. Problems:

        - ``missing doc_id``: a row without a document;
        - ``coded twice``: a coder codes one document in two rows (:func:`load_coding` refuses
          the file);
        - ``unknown frame``: a frame id the dictionary does not have (with the closest id):
          it would count as a frame no method can find;
        - ``repeated frame``: one frame twice in a row;
        - ``not in the corpus``: a coded document the corpus does not analyse (left out, or
          another corpus' id): it drops out of the validation.
    """
    import difflib

    from helpers.framing import load_frames

    if isinstance(coding, pd.DataFrame):
        missing = [c for c in ("doc_id", "frames") if c not in coding.columns]
        if missing:
            raise dicts.DictionaryError(f"The coding table needs the columns doc_id and frames; missing {', '.join(missing)}.")
        table = coding.copy()
        table["coder"] = table["coder"] if "coder" in table.columns else "coder-1"
        table["_file"] = ""
        table[dicts.LINE] = table[dicts.LINE] if dicts.LINE in table.columns else pd.NA
        for c in ("doc_id", "frames", "coder"):
            table[c] = table[c].astype("object").where(table[c].notna(), "").astype(str).str.strip()
    else:
        paths = [coding] if isinstance(coding, (str, os.PathLike)) else list(coding)
        # a bundled file is named by its name (no machine path in a notebook's output), a user's as given
        parts = [dicts.read_table(p, kind="coding file", required=("doc_id", "frames"), optional={"coder": "coder-1"}).assign(_file=p.name if isinstance(p, dicts.BundledFile) else str(p)) for p in paths]
        table = pd.concat(parts, ignore_index=True)
    table["coder"] = table["coder"].replace("", "coder-1")
    known = set((frames if isinstance(frames, pd.DataFrame) else load_frames(frames))["frame"])
    ids = set(corpus.docs["doc_id"].astype(str)) if corpus is not None else None
    left = dict(zip(corpus.left_out["doc_id"].astype(str), corpus.left_out["reason"].astype(str))) if corpus is not None else {}
    rows: list[dict] = []

    def add(rec: dict, problem: str, detail: str) -> None:
        rows.append({"file": rec["_file"], "line": rec[dicts.LINE], "doc_id": rec["doc_id"], "coder": rec["coder"], "problem": problem, "detail": detail})

    seen: set[tuple[str, str]] = set()
    for rec in table.to_dict("records"):
        if not rec["doc_id"]:
            add(rec, "missing doc_id", "the row names no document; write its doc_id or delete the row.")
            continue
        if (rec["doc_id"], rec["coder"]) in seen:
            add(rec, "coded twice", f"{rec['coder']} codes this document in an earlier row too; keep one row per document and coder.")
        seen.add((rec["doc_id"], rec["coder"]))
        used = [f.strip() for f in rec["frames"].split(";") if f.strip()]
        for frame in sorted(set(used)):
            if frame not in known:
                close = difflib.get_close_matches(frame, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                add(rec, "unknown frame", f"{frame!r} is not a frame of the dictionary{hint}.")
            if used.count(frame) > 1:
                add(rec, "repeated frame", f"{frame!r} is listed {used.count(frame)} times; once is enough.")
        if ids is not None and rec["doc_id"] not in ids:
            why = f"the corpus left it out ({left[rec['doc_id']]})" if rec["doc_id"] in left else "the corpus has no document with this id"
            add(rec, "not in the corpus", f"{why}: it drops out of the validation.")
    out = pd.DataFrame(rows, columns=CODING_PROBLEM_COLUMNS)
    out["_order"] = pd.to_numeric(out["line"], errors="coerce")
    out = out.sort_values(["file", "_order", "problem", "detail"], na_position="last", kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def coders(coding: pd.DataFrame) -> list[str]:
    """The coders of a coding table."""
    return sorted(coding.index.get_level_values("coder").unique())


def consensus(coding: pd.DataFrame) -> pd.DataFrame:
    """One row per document: a frame is present when at least half of its coders coded it.

    With one coder per document this is that coder's coding.
    """
    votes = coding.astype(float).groupby(level="doc_id").mean()
    return votes >= 0.5


def reliability(coding: pd.DataFrame, frames: Sequence[str] | None = None) -> pd.DataFrame:
    """Agreement between coders on each frame: Krippendorff's alpha, Cohen's kappa, raw agreement.

    Only documents coded by two coders or more enter (a document coded once says nothing about
    agreement); the others are listed in ``result.attrs["left_out"]`` (``doc_id``, ``coder``,
    ``reason``).

    Parameters
    ----------
    coding : DataFrame
        :func:`load_coding` output.
    frames : sequence of str, optional
        Frames to report (default every frame any coder used).

    Returns
    -------
    DataFrame
        Indexed by ``frame``: ``units`` (documents coded by ≥ 2 coders), ``coders``,
        ``agreement`` (share of those documents on which all their coders agree), ``alpha``
        (Krippendorff's alpha, nominal, from the ``krippendorff`` package) and ``kappa``
        (Cohen's, only when exactly two coders coded the units; else missing). A row ``all``
        pools every frame decision. Alpha is undefined (missing) when no unit is coded twice.

    Notes
    -----
    Conventional reading (Krippendorff 2004): α ≥ 0.80 reliable, 0.667 ≤ α < 0.80 tentative,
    below that do not rely on the coding of that frame.
    """
    frames = list(frames) if frames is not None else list(coding.columns)
    per_doc = coding.groupby(level="doc_id").size()
    shared = per_doc[per_doc >= 2].index
    sub = coding.loc[coding.index.get_level_values("doc_id").isin(shared)]
    coder_list = sorted(sub.index.get_level_values("coder").unique()) if len(sub) else []
    rows = []
    pooled = []
    for frame in frames:
        values = sub[frame] if frame in sub.columns else pd.Series(False, index=sub.index)
        units = values.astype(float).unstack("coder").reindex(columns=coder_list)
        pooled.append(units.set_index(units.index.map(lambda d, f=frame: f"{d}\x1f{f}")))
        kappa = np.nan
        if len(coder_list) == 2 and len(units):
            both = units.dropna()
            kappa = stats.cohen_kappa(both.iloc[:, 0], both.iloc[:, 1]) if len(both) else np.nan
        agree = float((units.nunique(axis=1, dropna=True) <= 1).mean()) if len(units) else np.nan
        rows.append((frame, len(units), len(coder_list), agree, stats.krippendorff_alpha(units) if len(units) else np.nan, kappa))
    all_units = pd.concat(pooled) if pooled else pd.DataFrame()
    kappa_all = np.nan
    if len(coder_list) == 2 and len(all_units):
        both = all_units.dropna()
        kappa_all = stats.cohen_kappa(both.iloc[:, 0], both.iloc[:, 1])
    rows.append(("all", len(shared), len(coder_list), float((all_units.nunique(axis=1, dropna=True) <= 1).mean()) if len(all_units) else np.nan,
                 stats.krippendorff_alpha(all_units) if len(all_units) else np.nan, kappa_all))
    out = pd.DataFrame(rows, columns=["frame", "units", "coders", "agreement", "alpha", "kappa"]).set_index("frame")
    once = per_doc[per_doc < 2]
    single = coding.loc[coding.index.get_level_values("doc_id").isin(once.index)]
    out.attrs["left_out"] = [
        {"doc_id": str(d), "coder": str(c), "reason": "coded by one coder only"} for d, c in single.index.sort_values()
    ]
    return out


def validate_frames(scores: pd.DataFrame, coding: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary's ``present`` against hand coding, per frame.

    Every frame of the dictionary is scored (one the coders never used counts its false
    positives); coded documents only. Several coders are merged by :func:`consensus`. Rows
    ``micro`` and ``macro`` summarise (see :func:`helpers.stats.classification_report`).
    """
    gold = consensus(coding) if isinstance(coding.index, pd.MultiIndex) else coding
    predicted = scores.pivot(index="doc_id", columns="frame", values="present").astype(bool)
    docs = [d for d in gold.index if d in predicted.index]
    if not docs:
        raise ValueError("No coded doc_id is in the scores: check that the coding uses the corpus' doc_id values.")
    frames = list(predicted.columns)
    gold = gold.reindex(index=docs, columns=frames, fill_value=False)
    return stats.classification_report(gold, predicted.loc[docs, frames])


def coding_sample(corpus: Corpus, *, by: str | None = None, per_group: int = 12, seed: int = SEED) -> pd.DataFrame:
    """Draw documents to code: ``per_group`` per group (``by``; the whole corpus is one group
    when ``by`` is None), at random, independently per group.

    Each group's sample uses NumPy's ``default_rng([seed, crc32(group name)])`` over its sorted
    ``doc_id`` values, so one group's sample does not depend on the others (the procedure of
    ``corpus/coding_guide.md``). The corpus decides the language, so any corpus works.

    Returns
    -------
    DataFrame
        ``doc_id`` and the group column, sorted.
    """
    groups = corpus.groups(by) if by else pd.Series("all documents", index=corpus.docs.index)
    rows = []
    for name in sorted(groups.unique()):
        ids = sorted(corpus.docs.loc[(groups == name).to_numpy(), "doc_id"].astype(str))
        rng = np.random.default_rng([seed, zlib.crc32(str(name).encode("utf-8"))])
        for doc_id in sorted(rng.choice(ids, size=min(per_group, len(ids)), replace=False)):
            rows.append((doc_id, name))
    return pd.DataFrame(rows, columns=["doc_id", by or "group"])


def export_coding_sheet(corpus: Corpus, sample: pd.DataFrame, path: str | Path, *, frames: pd.DataFrame | None = None, coder: str = "") -> tuple[Path, Path]:
    """Write a coding sheet, with the texts, for coders: ``<path>.csv`` and ``<path>.xlsx``.

    The sheet has ``doc_id``, ``coder`` (to fill in), ``frames`` (to fill in: ids separated by
    ``;``), ``notes``, then ``date``, ``outlet``, ``title`` and ``text`` for reading (empty when
    the corpus has no such column). The XLSX has
    a second sheet listing the frame ids. Filled in and saved as CSV, it reads back with
    :func:`load_coding`.

    Returns
    -------
    (Path, Path)
        The CSV and XLSX files written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    docs = corpus.docs.set_index("doc_id").loc[sample["doc_id"].astype(str)].reset_index()
    dates = pd.to_datetime(docs["date"], errors="coerce").dt.strftime("%Y-%m-%d") if "date" in docs.columns else pd.Series("", index=docs.index)
    sheet = pd.DataFrame({
        "doc_id": docs["doc_id"], "coder": coder, "frames": "", "notes": "",
        "date": dates.fillna(""), "outlet": docs["outlet"] if "outlet" in docs.columns else "",
        "title": docs["title"] if "title" in docs.columns else "", "text": docs["text"],
    })
    csv_path, xlsx_path = path.with_suffix(".csv"), path.with_suffix(".xlsx")
    sheet.to_csv(csv_path, index=False, encoding="utf-8")
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name="coding", index=False)
        if frames is not None:
            pd.DataFrame({"frame": sorted(frames["frame"].unique())}).to_excel(writer, sheet_name="frames", index=False)
    return csv_path, xlsx_path


def train_frame_classifier(corpus: Corpus, coding: pd.DataFrame, *, folds: int = 5, seed: int = SEED, min_count: int = 4) -> pd.DataFrame:
    """Cross-validated supervised alternative to the dictionary.

    TF-IDF on lemmas (stop words removed) and one-vs-rest logistic regression (scikit-learn,
    ``liblinear``, class weights balanced), evaluated with ``folds``-fold cross-validation
    (shuffled with ``seed``). Frames with fewer than ``min_count`` coded positive (or negative)
    documents are left out: a classifier cannot learn them.

    Returns
    -------
    DataFrame
        Per-frame ``tp``, ``fp``, ``fn``, ``support``, ``precision``, ``recall``, ``f1`` of the
        out-of-fold predictions, plus ``micro`` and ``macro``.
    """
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, cross_val_predict
    from sklearn.multiclass import OneVsRestClassifier

    from helpers.frequency import document_term_matrix

    gold = consensus(coding) if isinstance(coding.index, pd.MultiIndex) else coding
    matrix, rows, _ = document_term_matrix(corpus, min_docs=2)
    position = {d: i for i, d in enumerate(rows)}
    docs = [d for d in gold.index if d in position]
    labels = [f for f in gold.columns if gold.loc[docs, f].sum() >= min_count and (~gold.loc[docs, f]).sum() >= min_count]
    if not labels:
        raise ValueError(f"No frame has {min_count} coded positives and negatives; code more documents.")
    y = gold.loc[docs, labels].to_numpy().astype(int)
    x = TfidfTransformer(sublinear_tf=True).fit_transform(matrix[[position[d] for d in docs]])
    model = OneVsRestClassifier(LogisticRegression(solver="liblinear", class_weight="balanced", C=10.0))
    predicted = cross_val_predict(model, x, y, cv=KFold(n_splits=folds, shuffle=True, random_state=seed))
    predicted = pd.DataFrame(predicted.astype(bool), index=docs, columns=labels)
    return stats.classification_report(gold.loc[docs, labels], predicted)
