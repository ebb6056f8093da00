"""Figures. Every function takes ``ax=None`` (a new figure when None), draws, and returns the Axes.

All figures have a title, labelled axes and Cyrillic-safe fonts (DejaVu Sans, shipped with
matplotlib; see :func:`helpers.outputs.setup_notebook`). Layouts that involve chance (the network)
take a ``seed`` so that a figure is the same on every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.compat import legacy
from helpers.constants import SEED, UNKNOWN_GROUP, check_period

if TYPE_CHECKING:
    from matplotlib.axes import Axes

PALETTE = plt.get_cmap("tab10").colors


def _axes(ax, figsize=(8, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _events(ax: Axes, events: Mapping[str, str] | None, lo: pd.Timestamp | None, hi: pd.Timestamp | None) -> None:
    """Mark dated events (``{"2026-01-06": "Paris summit"}``) with labelled vertical lines.

    Parameters
    ----------
    ax : Axes
        The time plot.
    events : mapping of str to str, optional
        Date (anything :class:`pandas.Timestamp` reads) to label.
    lo, hi : Timestamp or None
        First and last instant of the time bins drawn. Only the events between them are marked
        (in date order): an event outside them would stretch the time axis and squash the data
        into a corner. None (nothing drawn) marks none.
    """
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return
    for when, label in sorted((events or {}).items(), key=lambda e: (pd.Timestamp(e[0]), str(e[1]))):
        x = pd.Timestamp(when)
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color="grey", linestyle="--", linewidth=1)
        ax.annotate(label, (x, 1), xycoords=("data", "axes fraction"), xytext=(3, -12), textcoords="offset points", fontsize=8, color="dimgrey")


def _bins_span(starts: pd.Series) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last instant of the time bins whose start dates are ``starts``.

    Parameters
    ----------
    starts : Series
        Start of each bin (the ``period`` column of :func:`helpers.frequency.trend`), repeats
        and NaT allowed.

    Returns
    -------
    tuple of Timestamp or None
        The first start and the last instant of the last bin; ``(None, None)`` without a start.

    Notes
    -----
    The bin length is the shortest step between two starts, or a calendar month when every
    start is the first of a month and the step is at least 28 days; a single bin is taken to
    be one day.
    """
    ordered = pd.Series(pd.to_datetime(starts)).dropna().drop_duplicates().sort_values()
    if ordered.empty:
        return None, None
    first, last = ordered.iloc[0], ordered.iloc[-1]
    if len(ordered) == 1:
        return first, last + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    step = ordered.diff().dropna().min()
    if step >= pd.Timedelta(days=28) and (ordered.dt.day == 1).all():
        return first, last + pd.offsets.MonthBegin(1) - pd.Timedelta(1, "ns")
    return first, last + step - pd.Timedelta(1, "ns")


def _date_ticks(ax: Axes) -> None:
    """Slant the date labels of ``ax`` only.

    Parameters
    ----------
    ax : Axes
        A plot with dates on the x axis.

    Notes
    -----
    ``Figure.autofmt_xdate`` is used when ``ax`` is the figure's only panel; in a grid it would
    hide the tick labels and the x label of every panel above the bottom row, ``ax`` included.
    """
    panels = [a for a in ax.figure.axes if a.get_label() != "<colorbar>"]
    if len(panels) == 1:
        ax.figure.autofmt_xdate()
        return
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_ha("right")


@legacy(rename={"freq": "period"}, frames=False)
def plot_counts_over_time(docs: pd.DataFrame, by: str | None = None, period: str = "W", *, ax=None, events=None, title: str | None = None):
    """Documents per period (week by default), one line per group; undated documents are not drawn.

    Every period from the first dated document to the last is drawn, a period without
    documents at 0; documents without a group are counted as ``"(unknown)"``. Events outside
    those periods are not marked.
    """
    ax = _axes(ax)
    dated = docs[docs["date"].notna()]
    bins = dated["date"].dt.to_period(check_period(period))
    groups = dated[by].astype("object").where(dated[by].notna(), UNKNOWN_GROUP) if by else pd.Series("all documents", index=dated.index)
    table = pd.crosstab(bins.dt.start_time, groups).sort_index()
    lo = hi = None
    if len(bins):
        every = pd.period_range(bins.min(), bins.max(), freq=bins.dt.freq)
        table = table.reindex(every.start_time, fill_value=0)
        lo, hi = every[0].start_time, every[-1].end_time
    for i, column in enumerate(table.columns):
        ax.plot(table.index, table[column], marker="o", markersize=3, label=str(column), color=PALETTE[i % 10])
    _events(ax, events, lo, hi)
    unit = {"D": "day", "W": "week", "M": "month"}[period]
    ax.set_xlabel(unit)
    ax.set_ylabel("articles")
    ax.set_title(title or (f"Articles per {unit} by {by}" if by else f"Articles per {unit}"))
    ax.legend(title=by, fontsize=8)
    _date_ticks(ax)
    return ax


@legacy(rename={"column": "value"}, frames=False)
def plot_lengths(docs: pd.DataFrame, by: str | None = None, *, ax=None, title: str | None = None, value: str = "n_tokens"):
    """Box plot of document length (word tokens, ``corpus.docs["n_tokens"]``) by group.

    One box per group, in sorted order from the bottom; documents without a group form the
    ``"(unknown)"`` box, as in :func:`plot_counts_over_time`.
    """
    ax = _axes(ax)
    values = docs[value] if value in docs.columns else docs["text"].str.split().str.len()
    labels = docs[by].astype("object").where(docs[by].notna(), UNKNOWN_GROUP).map(str) if by else pd.Series("all documents", index=docs.index)
    groups = sorted(labels.unique())
    ax.boxplot([values[labels == g].to_numpy() for g in groups], tick_labels=groups, orientation="horizontal")
    ax.set_xlabel("word tokens per article" if value == "n_tokens" else value)
    ax.set_ylabel(by or "")
    ax.set_title(title or (f"Article length by {by}" if by else "Article length"))
    return ax


@legacy(rename={"n": "top", "freq": "table"}, frames=False)
def plot_top_terms(table: pd.DataFrame, top: int = 15, *, value: str = "count", ax=None, title: str | None = None):
    """Horizontal bars of the ``top`` most frequent terms of a :func:`term_frequency` table.

    Ties are broken by the term, so the same bars are drawn on every machine; the most frequent
    term is at the top.

    Raises
    ------
    ValueError
        When a term has several rows (a table ``by`` group): bars of one term would overlap.
    """
    if table["term"].duplicated().any():
        raise ValueError("plot_top_terms draws one bar per term, but some terms have several rows (a table by group?): select one group first.")
    ax = _axes(ax, (7, 0.3 * top + 1))
    ranked = table.sort_values([value, "term"], ascending=[False, True], kind="stable").head(top).iloc[::-1]
    ax.barh(ranked["term"], ranked[value], color=PALETTE[0])
    ax.set_xlabel({"count": "occurrences", "per_10k": "per 10,000 tokens"}.get(value, value))
    ax.set_ylabel("term")
    ax.set_title(title or f"Top {len(ranked)} terms")
    return ax


def plot_trend(trend: pd.DataFrame, *, by: str | None = None, ax=None, events=None, title: str | None = None):
    """Rate per 10,000 tokens over time, one line per term (or per group when ``by``).

    With ``by`` and several terms, one line per group and term (labelled ``"group · term"``).
    Each line runs in period order. Events outside the periods drawn are not marked.

    Raises
    ------
    ValueError
        When a line would have two rows for one period (a table by group drawn without ``by``).
    """
    ax = _axes(ax)
    keys = [by] if by else ["term"]
    if by and "term" in trend.columns and trend["term"].nunique() > 1:
        keys = [by, "term"]
    if trend.duplicated([*keys, "period"]).any():
        raise ValueError(f"The trend table has several rows per period for one {' and '.join(keys)}: pass by= (the group column) to draw one line per group.")
    for i, (name, part) in enumerate(trend.groupby(keys, observed=True, sort=True)):
        part = part.sort_values("period", kind="stable")
        label = " · ".join(str(n) for n in name)
        ax.plot(part["period"], part["per_10k"], marker="o", markersize=3, label=label, color=PALETTE[i % 10])
    _events(ax, events, *_bins_span(trend["period"]))
    ax.set_xlabel("period")
    ax.set_ylabel("per 10,000 tokens")
    ax.set_title(title or "Term rate over time")
    ax.legend(fontsize=8)
    _date_ticks(ax)
    return ax


@legacy(rename={"n": "top"}, frames=False)
def plot_keyness(table: pd.DataFrame, measure: str = "log_ratio", top: int = 10, *, ax=None, title: str | None = None, target: str = "target", reference: str = "reference"):
    """Diverging bars: the ``top`` most over- and under-represented terms by ``measure``."""
    ax = _axes(ax, (7, 0.3 * 2 * top + 1))
    frame = table.assign(_term=table.index.astype(str))
    high = frame.sort_values([measure, "_term"], ascending=[False, True], kind="stable").head(top)
    low = frame.sort_values([measure, "_term"], ascending=[True, True], kind="stable").head(top)
    shown = pd.concat([high, low])
    shown = shown[~shown.index.duplicated()].sort_values([measure, "_term"], kind="stable")
    colors = [PALETTE[0] if v > 0 else PALETTE[3] for v in shown[measure]]
    ax.barh(shown["_term"], shown[measure], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel({"log_ratio": "Log Ratio (log2 of relative frequency ratio)", "g2": "signed log-likelihood G²", "z": "log-odds z"}.get(measure, measure))
    ax.set_ylabel("term")
    ax.set_title(title or f"Keyness: {target} vs {reference}")
    return ax


@legacy(rename={"freq": "table"}, frames=False)
def plot_zipf(table: pd.DataFrame, *, fit=None, ax=None, title: str | None = None):
    """Rank against frequency on log-log axes, with the fitted line over its rank range.

    ``fit`` is :func:`helpers.stats.zipf_fit` of the same counts (computed when not given): the
    line is drawn only over the ranks it was fitted on, and labelled with its slope.
    """
    from helpers.stats import zipf_fit

    ax = _axes(ax, (6, 4.5))
    counts = np.sort(table["count"].to_numpy())[::-1]
    ranks = np.arange(1, len(counts) + 1)
    fit = zipf_fit(table["count"]) if fit is None else fit
    ax.loglog(ranks, counts, marker=".", linestyle="none", markersize=3, color=PALETTE[0], label="terms")
    lo, hi = int(fit["min_rank"]), int(fit["max_rank"])
    r = np.arange(lo, hi + 1)
    ax.loglog(r, 10 ** (fit["intercept"] + fit["slope"] * np.log10(r)), color=PALETTE[3], linewidth=2, label=f"fit over ranks {lo}–{hi}: slope {fit['slope']:.2f}")
    ax.set_xlabel("rank")
    ax.set_ylabel("frequency")
    ax.set_title(title or "Zipf's law: rank vs frequency")
    ax.legend()
    return ax


def plot_dispersion(dispersion: pd.DataFrame, *, ax=None, title: str | None = None):
    """Lexical dispersion: a tick for every occurrence along the corpus."""
    terms = list(dispersion["term"].cat.categories) if isinstance(dispersion["term"].dtype, pd.CategoricalDtype) else sorted(dispersion["term"].unique())
    ax = _axes(ax, (8, 0.5 * len(terms) + 1.5))
    for i, term in enumerate(terms):
        x = dispersion.loc[dispersion["term"] == term, "position"]
        ax.plot(x, np.full(len(x), i), "|", markersize=12, color=PALETTE[i % 10])
    ax.set_yticks(range(len(terms)), terms)
    ax.set_ylim(-0.5, len(terms) - 0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the corpus (documents in date order)")
    ax.set_ylabel("term")
    ax.set_title(title or "Lexical dispersion")
    return ax


@legacy(rename={"label_top": "top"}, frames=False)
def _sorted_graph(graph):
    """A copy of ``graph`` whose nodes and edges come in sorted order (attributes kept)."""
    ordered = graph.__class__()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda n: str(n[0])))
    edges = [(u, v, d) if graph.is_directed() or str(u) <= str(v) else (v, u, d) for u, v, d in graph.edges(data=True)]
    ordered.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    return ordered


def plot_network(graph, *, ax=None, title: str | None = None, seed: int = SEED, measure: str | None = None, top: int | None = None):
    """Draw an actor network: node size by mentions, edge width by the measure.

    The layout is seeded, so the picture is the same on every run. Node colour shows the
    actor type; a legend explains colours, sizes and widths.
    """
    import networkx as nx
    from matplotlib.lines import Line2D

    ax = _axes(ax, (10, 8))
    measure = measure or graph.graph.get("measure", "weight")
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no edges above the threshold", ha="center", va="center")
        ax.set_axis_off()
        ax.set_title(title or "Actor network")
        return ax
    # Kamada-Kawai spreads clusters evenly; it starts from a seeded spring layout. The layout
    # follows the order of the nodes and edges, which a sub-graph (an ego network) takes from a
    # set: the graph is rebuilt in sorted order, so the picture does not depend on the hash seed.
    graph = _sorted_graph(graph)
    start = nx.spring_layout(graph, seed=seed, weight=None)
    pos = nx.kamada_kawai_layout(graph, pos=start, weight=None) if graph.number_of_nodes() > 2 else start
    types = sorted({d.get("type", "other") for _, d in graph.nodes(data=True)})
    # One colour per actor type in every network figure, whichever types a graph happens to have.
    known = ("bloc", "media", "organisation", "person", "state")
    color_of = {t: PALETTE[known.index(t) if t in known else 5 + i % 5] for i, t in enumerate(types)}
    nodes = sorted(graph.nodes)
    mentions = np.array([graph.nodes[n].get("mentions", 1) for n in nodes], dtype=float)
    sizes = 80 + 1200 * mentions / max(mentions.max(), 1)
    weights = np.array([abs(graph.edges[e].get("weight", 1.0)) for e in graph.edges])
    widths = 0.5 + 4 * weights / (weights.max() if len(weights) and weights.max() > 0 else 1)
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="grey", alpha=0.6)
    nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, node_size=sizes, node_color=[color_of[graph.nodes[n].get("type", "other")] for n in nodes], alpha=0.9)
    shown = nodes if top is None else [n for n, _ in sorted(zip(nodes, mentions), key=lambda t: (-t[1], t[0]))[:top]]
    nx.draw_networkx_labels(graph, pos, labels={n: graph.nodes[n].get("label", n) for n in shown}, ax=ax, font_size=8, font_family="DejaVu Sans")
    handles = [Line2D([0], [0], marker="o", color="w", markerfacecolor=color_of[t], markersize=8, label=t) for t in types]
    handles.append(Line2D([0], [0], color="grey", linewidth=3, label=f"edge width: {measure}"))
    handles.append(Line2D([0], [0], marker="o", color="w", markerfacecolor="lightgrey", markersize=12, label="node size: mentions"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    ax.set_axis_off()
    ax.set_title(title or f"Actor co-occurrence network ({measure})")
    return ax


def plot_prevalence(prevalence: pd.DataFrame, by: str, *, value: str = "estimate", frame_col: str = "frame", ax=None, title: str | None = None):
    """Share of documents with each frame per group, with intervals (dot-and-whisker).

    ``value="per_10k"`` draws the hits per 10,000 tokens instead (no intervals), the measure
    that is fair to groups of short texts.
    """
    frames = sorted(prevalence[frame_col].unique())
    groups = sorted(prevalence[by].unique())
    ax = _axes(ax, (8, 0.35 * len(frames) * max(1, len(groups) / 2) + 1.5))
    step = 0.8 / max(len(groups), 1)
    for j, group in enumerate(groups):
        part = prevalence[prevalence[by] == group].set_index(frame_col)
        if part.index.duplicated().any():
            raise ValueError(f"plot_prevalence draws one row per {by} and {frame_col}; group {group!r} has several (select one period first).")
        part = part.reindex(frames)
        y = np.arange(len(frames)) + (j - (len(groups) - 1) / 2) * step
        if value == "estimate":
            err = np.vstack([part["estimate"] - part["low"], part["high"] - part["estimate"]])
            ax.errorbar(part["estimate"], y, xerr=err, fmt="o", markersize=4, capsize=2, label=str(group), color=PALETTE[j % 10])
        else:
            ax.plot(part[value], y, "o", markersize=4, label=str(group), color=PALETTE[j % 10])
    ax.set_yticks(range(len(frames)), frames)
    ax.set_xlabel("share of articles with the frame (95% Wilson interval)" if value == "estimate" else "cue hits per 10,000 tokens")
    ax.set_ylabel("frame")
    ax.set_title(title or f"Frame prevalence by {by}")
    ax.legend(fontsize=8, title=by)
    return ax


@legacy(rename={"n_labels": "top"}, frames=False)
def plot_fightin_words(table: pd.DataFrame, *, top: int = 10, ax=None, title: str | None = None, names: tuple[str, str] = ("a", "b"), z_threshold: float = 1.96):
    """Scatter of term frequency (log) against the log-odds z; the ``top`` distinctive terms (|z| ≥ the threshold) of each side labelled."""
    ax = _axes(ax, (8, 5.5))
    total = table["count_a"] + table["count_b"]
    significant = table["z"].abs() >= z_threshold
    ax.scatter(total[~significant], table.loc[~significant, "z"], s=6, color="lightgrey", label=f"|z| < {z_threshold}")
    ax.scatter(total[significant & (table["z"] > 0)], table.loc[significant & (table["z"] > 0), "z"], s=8, color=PALETTE[0], label=f"more in {names[0]}")
    ax.scatter(total[significant & (table["z"] < 0)], table.loc[significant & (table["z"] < 0), "z"], s=8, color=PALETTE[3], label=f"more in {names[1]}")
    ordered = table.assign(_t=table.index.astype(str))
    high = ordered[ordered["z"] >= z_threshold].sort_values(["z", "_t"], ascending=[False, True], kind="stable")["z"].head(top)
    low = ordered[ordered["z"] <= -z_threshold].sort_values(["z", "_t"], ascending=[True, True], kind="stable")["z"].head(top)
    for side in (high, low):
        # Labels of neighbouring points alternate left and right and step vertically, so that
        # terms with nearly the same frequency and z stay readable.
        for i, term in enumerate(side.sort_values(kind="stable").index):
            dx = 4 if i % 2 == 0 else -4
            ax.annotate(str(term), (total[term], table.at[term, "z"]), fontsize=7, xytext=(dx, 6 * (i % 3) - 6),
                        textcoords="offset points", ha="left" if dx > 0 else "right",
                        arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.4})
    ax.set_xscale("log")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("frequency in both groups (log scale)")
    ax.set_ylabel("log-odds z (Monroe et al. 2008)")
    ax.set_title(title or f"Distinctive words: {names[0]} vs {names[1]}")
    ax.legend(fontsize=8, loc="best")
    return ax


def plot_heatmap(matrix: pd.DataFrame, *, ax=None, title: str = "", fmt: str = "{:.2f}", cmap: str = "Blues", xlabel: str = "", ylabel: str = "", colorbar_label: str = ""):
    """A labelled heat map of a small table (e.g. actors × frames, outlets × alternatives)."""
    ax = _axes(ax, (max(6, 0.7 * matrix.shape[1] + 3), max(3, 0.4 * matrix.shape[0] + 1.5)))
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, cmap=cmap, aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=40, ha="right")
    ax.set_yticks(range(matrix.shape[0]), [str(i) for i in matrix.index])
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v):
            # White on dark cells, black on light ones, judged by the colour the cell is drawn in.
            r, g, b, _ = image.cmap(image.norm(v))
            dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7, color="white" if dark else "black")
    ax.figure.colorbar(image, ax=ax, label=colorbar_label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax
