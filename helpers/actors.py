"""Actors: who is mentioned, in every inflected form and every name they go by, and with whom.

The actor dictionary (``corpus/actors.csv``, or your own file of the same shape) has one row per
name: ``actor`` (id), ``label``, ``type`` (person, state, organisation, media, bloc), ``alias``
(the name in the nominative), ``metonym`` (a place standing for the actor: Кремль → Россия) and
``lang``. Aliases are matched on lemma sequences with one Aho–Corasick pass over the token table
(:func:`helpers.text.match_sequences`), so «Макрона», «Макроном» and «Эммануэлем Макроном» are all
Emmanuel Macron, «Соединенными Штатами Америки» is one mention of the US, and «РБК-Украина» (one
token) is never Ukraine.

Co-occurrence statistics come from :func:`helpers.stats.association`: raw co-mention counts
favour frequent actors, so every pair also gets its expected count, PMI, NPMI, a signed G² with
its p-value, and Jaccard.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers import stats
from helpers.corpus import add_metadata  # noqa: F401  (association measures)
from helpers.frequency import concordance, sentence_bounds
from helpers.text import lemma_key, match_phrases, tokenize

ACTORS_FILE = Path(__file__).resolve().parent.parent / "corpus" / "actors.csv"
ACTOR_TYPES = ("person", "state", "organisation", "media", "bloc")
MENTION_COLUMNS = ["doc_id", "actor", "label", "type", "surface", "start", "end", "sentence", "paragraph", "metonym", "token_index"]


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check an actor dictionary (CSV, or YAML with a list of rows).

    Parameters
    ----------
    path : str or Path, optional
        Default: the bundled ``corpus/actors.csv``.

    Returns
    -------
    DataFrame
        ``actor``, ``label``, ``type``, ``alias``, ``metonym`` (bool) and ``lang`` (default
        ``"ru"``), one row per alias, sorted by actor and alias.

    Raises
    ------
    ValueError
        Naming the file and row of a missing column, an unknown type or an actor with two labels.
    """
    path = Path(path) if path is not None else ACTORS_FILE
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        table = pd.DataFrame(yaml.safe_load(path.read_text(encoding="utf-8")))
    else:
        table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, skipinitialspace=True)
    required = {"actor", "label", "type", "alias"}
    missing = required - set(table.columns)
    if missing:
        raise ValueError(f"{path}: the actor dictionary needs columns {sorted(required)}; missing {sorted(missing)}.")
    table = table.copy()
    for col in ("actor", "label", "type", "alias"):
        table[col] = table[col].astype(str).str.strip()
    if "metonym" not in table:
        table["metonym"] = False
    table["metonym"] = table["metonym"].astype(str).str.strip().str.lower().isin(["true", "1", "yes", "y"])
    if "lang" not in table:
        table["lang"] = "ru"
    table["lang"] = table["lang"].astype(str).str.strip().replace("", "ru")
    for i, row in table.iterrows():
        where = f"{path}, row {i + 2}"
        if not row["actor"] or not row["alias"]:
            raise ValueError(f"{where}: every row needs an actor id and an alias.")
        if row["type"] not in ACTOR_TYPES:
            raise ValueError(f"{where}: type {row['type']!r} is not one of {', '.join(ACTOR_TYPES)}.")
    labels = table.groupby("actor")["label"].nunique()
    if (labels > 1).any():
        actor = labels[labels > 1].index[0]
        raise ValueError(f"{path}: actor {actor!r} has more than one label; give every row of an actor the same label.")
    cols = ["actor", "label", "type", "alias", "metonym", "lang"]
    return table[cols].sort_values(["actor", "lang", "alias"]).reset_index(drop=True)


def _patterns(actors: pd.DataFrame, metonyms: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lemma-sequence patterns for the aliases, with their case rules."""
    rows = actors if metonyms else actors[~actors["metonym"]]
    rows = rows.reset_index(drop=True)
    keys = [lemma_key(alias, lang) for alias, lang in zip(rows["alias"], rows["lang"])]
    letters = rows["alias"].map(lambda a: "".join(ch for ch in a if ch.isalpha()))
    return pd.DataFrame(
        {
            "pattern": rows.index,
            "key": keys,
            # A capitalised alias only matches a capitalised word (Мир the name, not мир the peace);
            # an abbreviation only matches in capitals (ЕС, not ес).
            "first_upper": rows["alias"].str[:1].str.isupper().to_numpy(),
            "all_upper": ((letters.str.len() <= 5) & letters.str.isupper()).to_numpy(),
            "lang": rows["lang"].to_numpy(),
        }
    ), rows


def find_actors(
    docs: pd.DataFrame,
    actors: pd.DataFrame | str | Path | None = None,
    tokens: pd.DataFrame | None = None,
    *,
    metonyms: bool = True,
) -> pd.DataFrame:
    """Find every mention of every actor.

    Parameters
    ----------
    docs : DataFrame
        The corpus (``doc_id``, ``text``, ``lang``).
    actors : DataFrame, str or Path, optional
        An actor dictionary (:func:`load_actors` output or a path); default the bundled one.
    tokens : DataFrame, optional
        The token table of ``docs``; computed (and cached) when not given.
    metonyms : bool
        Count metonyms (Кремль for Россия, Вашингтон for США). Default True.

    Returns
    -------
    DataFrame
        One row per mention: ``doc_id``, ``actor``, ``label``, ``type``, ``surface``, ``start``,
        ``end``, ``sentence``, ``paragraph``, ``metonym`` and ``token_index`` (position of the first
        token within its document). ``docs.text[start:end] == surface``. Sorted by document and
        offset.

    Notes
    -----
    Matching rules: the longest alias wins where aliases overlap (one mention of the US in
    «Соединенными Штатами Америки», one of Macron in «Эммануэль Макрон»); aliases never match
    part of a token (РБК-Украина is a media outlet, not Ukraine); a capitalised alias needs a
    capitalised first word, and an abbreviation of up to five capitals needs capitals.
    """
    table = actors if isinstance(actors, pd.DataFrame) else load_actors(actors)
    if tokens is None:
        tokens = tokenize(docs)
    patterns, rows = _patterns(table, metonyms)
    found = match_phrases(tokens, patterns)
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    alias = rows.loc[found["pattern"].to_numpy()].reset_index(drop=True)
    position_in_doc = tokens.groupby("doc_id", observed=True).cumcount().to_numpy()
    out = found.assign(
        actor=alias["actor"].to_numpy(),
        label=alias["label"].to_numpy(),
        type=alias["type"].to_numpy(),
        metonym=alias["metonym"].to_numpy(),
        token_index=position_in_doc[found["first"].to_numpy()],
    )
    text_of = dict(zip(docs["doc_id"].astype(str), docs["text"]))
    out["surface"] = [text_of[d][a:b] for d, a, b in zip(out["doc_id"], out["start"], out["end"])]
    out = out.sort_values(["doc_id", "start"]).reset_index(drop=True)
    return out[MENTION_COLUMNS]


def mention_counts(mentions: pd.DataFrame, docs: pd.DataFrame, by: str | None = None, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mentions per actor (per group), with documents and a rate per 10,000 tokens.

    Returns ``[by,] actor, label, type, mentions, docs, doc_share`` and, when ``tokens`` is given,
    ``per_10k``; sorted by group, then mentions descending, then actor.
    """
    keys = [by] if by else []
    meta = docs[["doc_id", *keys]].astype({"doc_id": str})
    frame = add_metadata(mentions, docs, keys)
    out = frame.groupby([*keys, "actor", "label", "type"]).agg(mentions=("doc_id", "size"), docs=("doc_id", "nunique")).reset_index()
    if by:
        out["doc_share"] = out["docs"] / out[by].map(meta.groupby(by)["doc_id"].nunique()).to_numpy()
    else:
        out["doc_share"] = out["docs"] / len(meta)
    if tokens is not None:
        doc_sizes = tokens["doc_id"].astype(str).value_counts()
        if by:
            sizes = meta.assign(n=meta["doc_id"].map(doc_sizes).fillna(0)).groupby(by)["n"].sum()
            total = out[by].map(sizes).to_numpy()
        else:
            total = doc_sizes.sum()
        out["per_10k"] = out["mentions"] / total * 10_000
    return out.sort_values([*keys, "mentions", "actor"], ascending=[True] * len(keys) + [False, True]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Co-occurrence
# --------------------------------------------------------------------------------------------


def _windows(mentions: pd.DataFrame, tokens: pd.DataFrame, window) -> tuple[pd.Series, pd.Series]:
    """Window id of each mention, and the id of every window of the corpus (with its doc)."""
    doc = tokens["doc_id"].astype(str)
    if window == "document":
        all_windows = pd.Series(doc.unique())
        return mentions["doc_id"].astype(str), all_windows
    if window in ("sentence", "paragraph"):
        ids = doc + "#" + tokens[window].astype(str)
        return mentions["doc_id"].astype(str) + "#" + mentions[window].astype(str), pd.Series(ids.unique())
    if isinstance(window, (int, np.integer)) and window > 0:
        position = tokens.groupby("doc_id", observed=True).cumcount()
        ids = doc + "#" + (position // int(window)).astype(str)
        return mentions["doc_id"].astype(str) + "#" + (mentions["token_index"] // int(window)).astype(str), pd.Series(ids.unique())
    raise ValueError("window must be 'sentence', 'paragraph', 'document' or a positive number of tokens.")


def cooccurrence(
    mentions: pd.DataFrame,
    window: str | int = "sentence",
    by: str | None = None,
    *,
    tokens: pd.DataFrame,
    docs: pd.DataFrame | None = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """Association of every pair of actors that share a window.

    Parameters
    ----------
    mentions : DataFrame
        Output of :func:`find_actors`.
    window : {"sentence", "paragraph", "document"} or int
        The unit of co-occurrence. An integer ``k`` cuts each document into consecutive blocks of
        ``k`` tokens.
    by : str, optional
        A metadata column: statistics are computed within each group (``n_windows`` is then the
        group's window count).
    tokens : DataFrame
        The token table: it gives the number of windows, including those without any actor.
    docs : DataFrame, optional
        The corpus, needed with ``by``.
    min_count : int
        Keep pairs with ``n_ab`` at least this.

    Returns
    -------
    DataFrame
        One row per pair (``a`` < ``b`` by id) and group: ``label_a``, ``label_b``, ``n_ab`` (windows
        containing both), ``n_a``, ``n_b`` (windows containing each), ``n_windows``, and
        ``expected``, ``pmi``, ``npmi``, ``g2``, ``p_value``, ``jaccard``. Sorted by group, then
        ``g2`` descending.

    Notes
    -----
    With ``N`` windows: ``expected = n_a·n_b/N``; ``pmi = log2(n_ab·N/(n_a·n_b))``;
    ``npmi = pmi / −log2(n_ab/N)`` (Bouma 2009), from −1 (never together) through 0
    (independent) to 1 (always together); ``g2`` is the 4-cell log-likelihood over
    ``[n_ab, n_a−n_ab; n_b−n_ab, N−n_a−n_b+n_ab]``, positive when the pair meets more often than
    expected; ``jaccard = n_ab/(n_a+n_b−n_ab)``. PMI alone over-rewards rare pairs (a pair seen
    once, of actors seen once, has the maximum PMI); read it with ``n_ab`` and ``g2``.
    """
    window_of_mention, all_windows = _windows(mentions, tokens, window)
    frame = pd.DataFrame({"window": window_of_mention.to_numpy(), "actor": mentions["actor"].to_numpy(), "doc_id": mentions["doc_id"].astype(str).to_numpy()})
    windows = pd.DataFrame({"window": all_windows.to_numpy()})
    windows["doc_id"] = windows["window"].str.split("#").str[0]
    groups = [None]
    if by:
        if docs is None:
            raise ValueError("cooccurrence(by=...) needs docs=… to look up the group of each document.")
        group_of = dict(zip(docs["doc_id"].astype(str), docs[by]))
        frame["group"] = frame["doc_id"].map(group_of)
        windows["group"] = windows["doc_id"].map(group_of)
        groups = sorted(windows["group"].dropna().unique())
    labels = mentions.drop_duplicates("actor").set_index("actor")["label"]
    results = []
    for group in groups:
        f = frame if group is None else frame[frame["group"] == group]
        n = len(windows) if group is None else int((windows["group"] == group).sum())
        present = f[["window", "actor"]].drop_duplicates()
        n_actor = present.groupby("actor").size()
        pairs = present.merge(present, on="window")
        pairs = pairs[pairs["actor_x"] < pairs["actor_y"]]
        n_ab = pairs.groupby(["actor_x", "actor_y"]).size().rename("n_ab").reset_index()
        n_ab = n_ab[n_ab["n_ab"] >= min_count]
        if n_ab.empty:
            continue
        n_ab = n_ab.rename(columns={"actor_x": "a", "actor_y": "b"})
        n_ab["n_a"] = n_ab["a"].map(n_actor).to_numpy()
        n_ab["n_b"] = n_ab["b"].map(n_actor).to_numpy()
        n_ab["n_windows"] = n
        assoc = stats.association(n_ab["n_ab"], n_ab["n_a"], n_ab["n_b"], n_ab["n_windows"])
        block = pd.concat([n_ab.reset_index(drop=True), assoc.reset_index(drop=True)], axis=1)
        if by:
            block.insert(0, by, group)
        results.append(block)
    cols = ([by] if by else []) + ["a", "b", "label_a", "label_b", "n_ab", "n_a", "n_b", "n_windows", "expected", "pmi", "npmi", "g2", "p_value", "jaccard"]
    if not results:
        return pd.DataFrame(columns=cols)
    out = pd.concat(results, ignore_index=True)
    out["label_a"] = out["a"].map(labels).to_numpy()
    out["label_b"] = out["b"].map(labels).to_numpy()
    keys = [by] if by else []
    out = out.sort_values([*keys, "g2", "a", "b"], ascending=[True] * len(keys) + [False, True, True])
    return out[cols].reset_index(drop=True)


def cooccurrence_evidence(
    docs: pd.DataFrame, tokens: pd.DataFrame, mentions: pd.DataFrame, a: str | None, b: str | None, *, window: str = "sentence"
) -> pd.DataFrame:
    """The sentences (or paragraphs) where actors ``a`` and ``b`` appear together.

    Uses the same KWIC machinery as :func:`helpers.frequency.kwic`: ``match`` is the mention of
    ``a``, with the rest of the sentence as ``left`` and ``right``.

    Returns
    -------
    DataFrame
        ``doc_id``, ``sentence``, ``surface_a``, ``surface_b``, ``left``, ``match``, ``right``.
    """
    if window != "sentence":
        raise ValueError("Evidence is shown per sentence; use window='sentence'.")
    columns = ["doc_id", "sentence", "surface_a", "surface_b", "left", "match", "right"]
    if a is None or b is None:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    m = mentions.assign(doc_id=mentions["doc_id"].astype(str))
    ma = m[m["actor"] == a]
    mb = m[m["actor"] == b].groupby(["doc_id", "sentence"])["surface"].agg(lambda s: "; ".join(dict.fromkeys(s))).rename("surface_b").reset_index()
    both = ma.merge(mb, on=["doc_id", "sentence"]).drop_duplicates(["doc_id", "sentence"])
    both = both.rename(columns={"surface": "surface_a"}).merge(sentence_bounds(tokens), on=["doc_id", "sentence"], how="left")
    lines = concordance(docs, both[["doc_id", "sentence", "start", "end", "surface_a", "surface_b", "sentence_start", "sentence_end"]], window="sentence")
    return lines[columns]


def top_pair(table: pd.DataFrame, measure: str = "npmi", *, min_count: int = 0, absolute: bool = False) -> tuple[str | None, str | None]:
    """The ``(a, b)`` ids of the pair with the largest ``measure`` (``(None, None)`` if none).

    Pairs with fewer than ``min_count`` shared windows (column ``n_ab``) are skipped; with
    ``absolute=True`` the largest absolute value wins (for differences between groups).
    """
    rows = table[table["n_ab"] >= min_count] if min_count else table
    rows = rows[rows[measure].notna()]
    if rows.empty:
        return None, None
    key = rows[measure].abs() if absolute else rows[measure]
    best = rows.assign(_k=key.to_numpy()).sort_values(["_k", "a", "b"], ascending=[False, True, True]).iloc[0]
    return best["a"], best["b"]


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------


def actor_network(
    edges: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    measure: str = "npmi",
    threshold: float | None = 0.0,
    min_count: int = 2,
):
    """Build a networkx graph of actors from :func:`cooccurrence` rows.

    Parameters
    ----------
    edges : DataFrame
        Output of :func:`cooccurrence` (for one group; filter first when ``by`` was used).
    mentions : DataFrame, optional
        Mentions, to give every node its ``mentions`` count (node size in plots).
    measure : str
        Column used as edge ``weight`` (``npmi``, ``g2``, ``pmi``, ``jaccard``, ``n_ab``).
    threshold : float, optional
        Keep edges whose measure is above this (None keeps all).
    min_count : int
        Keep edges with at least this many shared windows.

    Returns
    -------
    networkx.Graph
        Nodes carry ``label``, ``type`` and ``mentions``; edges carry every statistic and ``weight``.
    """
    import networkx as nx

    if measure not in edges.columns:
        raise ValueError(f"measure must be a column of the co-occurrence table, e.g. npmi or g2; got {measure!r}.")
    kept = edges[edges["n_ab"] >= min_count]
    if threshold is not None:
        kept = kept[kept[measure] > threshold]
    graph = nx.Graph(measure=measure)
    if mentions is not None:
        info = mentions.groupby(["actor", "label", "type"]).size().rename("mentions").reset_index()
        for row in info.sort_values("actor").itertuples(index=False):
            if row.actor in set(kept["a"]) | set(kept["b"]):
                graph.add_node(row.actor, label=row.label, type=row.type, mentions=int(row.mentions))
    for row in kept.sort_values(["a", "b"]).to_dict("records"):
        attrs = {k: (float(v) if isinstance(v, (float, np.floating)) else int(v) if isinstance(v, (int, np.integer)) else v) for k, v in row.items() if k not in ("a", "b")}
        graph.add_edge(row["a"], row["b"], weight=float(row[measure]), **attrs)
        for node, label in ((row["a"], row["label_a"]), (row["b"], row["label_b"])):
            graph.nodes[node].setdefault("label", label)
    return graph


def ego_network(graph, actor: str, radius: int = 1):
    """The sub-graph of ``actor`` and its neighbours up to ``radius`` steps away."""
    import networkx as nx

    if actor not in graph:
        raise ValueError(f"{actor!r} is not in the network; its nodes are {sorted(graph.nodes)[:10]}…")
    return nx.ego_graph(graph, actor, radius=radius)


def compare_networks(edges_a: pd.DataFrame, edges_b: pd.DataFrame, *, measure: str = "npmi", min_count: int = 2, names: tuple[str, str] = ("a", "b")) -> pd.DataFrame:
    """How two groups connect the same actors: the difference in ``measure`` per pair.

    Pairs seen (with at least ``min_count`` shared windows) in only one group get ``NaN`` on the
    other side and are listed too. Sorted by absolute difference, largest first.
    """
    left, right = names
    if left == right:
        raise ValueError(f"Name the two groups differently (got {left!r} twice): they label the columns.")
    cols = ["a", "b", "label_a", "label_b", "n_ab", measure]
    ea = edges_a.loc[edges_a["n_ab"] >= min_count, cols]
    eb = edges_b.loc[edges_b["n_ab"] >= min_count, cols]
    merged = ea.merge(eb, on=["a", "b", "label_a", "label_b"], how="outer", suffixes=(f"_{left}", f"_{right}"))
    merged["difference"] = merged[f"{measure}_{left}"] - merged[f"{measure}_{right}"]
    merged["_abs"] = merged["difference"].abs()
    merged = merged.sort_values(["_abs", "a", "b"], ascending=[False, True, True], na_position="last").drop(columns="_abs")
    return merged.reset_index(drop=True)


def export_network(graph, path: str | Path) -> Path:
    """Write the graph as GEXF (``.gexf``) or GraphML (``.graphml``) for Gephi."""
    import networkx as nx

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gexf":
        nx.write_gexf(graph, path)
    elif path.suffix == ".graphml":
        nx.write_graphml(graph, path)
    else:
        raise ValueError("Export to a .gexf or .graphml file.")
    return path
