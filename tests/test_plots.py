"""Every figure of ``helpers.plots`` read back from its matplotlib artists.

Strict nbval does not compare PNG images, so a figure that draws the wrong rows would pass the
notebook checks: these tests build small tables by hand, draw them, and compare what was drawn
(bar lengths and their labels, line and point coordinates, error-bar extents, network nodes,
edges and labels, heat-map cells, legends, titles) with values worked out in the comments.
"""

from __future__ import annotations

import inspect
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from helpers import plots  # noqa: E402
from helpers.outputs import alt_text, save_figure  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------------------------
# Reading artists back
# --------------------------------------------------------------------------------------------


def _dates(values) -> list[pd.Timestamp]:
    """x data of a line on a date axis as Timestamps (matplotlib keeps datetime64 or day numbers)."""
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.number):
        return [pd.Timestamp(d).tz_localize(None) for d in mdates.num2date(values)]
    return list(pd.to_datetime(values))


def _data_lines(ax) -> list:
    """Lines with a legend label (the data series), in drawing order."""
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def _event_lines(ax) -> list[pd.Timestamp]:
    """x of the dashed vertical event markers."""
    return [_dates(line.get_xdata())[0] for line in ax.get_lines() if line.get_linestyle() == "--"]


def _legend(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _hbars(ax) -> list[tuple[str, float]]:
    """(tick label, bar length) of a horizontal bar chart, from the bottom bar to the top one."""
    labels = {round(t.get_position()[1], 6): t.get_text() for t in ax.get_yticklabels()}
    bars = sorted(ax.patches, key=lambda p: p.get_y())
    return [(labels[round(p.get_y() + p.get_height() / 2, 6)], p.get_width()) for p in bars]


def _ticks(labels) -> list[str]:
    return [t.get_text() for t in labels]


# --------------------------------------------------------------------------------------------
# Hand-made inputs (all texts are our own)
# --------------------------------------------------------------------------------------------


def _docs() -> pd.DataFrame:
    # 2026-01-05 is a Monday, so the weeks (Monday to Sunday) start on 01-05, 01-12 and 01-19.
    # Week 01-05: d1, d2 (Вести), d3 (Эхо). Week 01-12: no article. Week 01-19: d4 (Вести, Wed),
    # d5 (no outlet, Tue), d7 (Эхо, Sunday 01-25: still the week of 01-19). d6 has no date.
    return pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4", "d5", "d6", "d7"],
            "outlet": ["Вести", "Вести", "Эхо", "Вести", None, "Эхо", "Эхо"],
            "date": pd.to_datetime(["2026-01-05", "2026-01-07", "2026-01-06", "2026-01-21", "2026-01-20", None, "2026-01-25"]),
            "n_tokens": [10, 20, 5, 30, 100, 7, 9],
            "text": [
                "Переговоры в Париже начались утром.",
                "Стороны обсудили перемирие.",
                "Биржи ждут решений.",
                "Министр назвал встречу полезной.",
                "Итоги недели.",
                "Без даты.",
                "Рынок закрылся ростом.",
            ],
        }
    )


def _freq() -> pd.DataFrame:
    # per_10k = count / 50 tokens * 10,000 = count * 200.
    counts = {"мир": 1, "газ": 7, "санкция": 9, "война": 7, "нефть": 3, "перемирие": 7}
    return pd.DataFrame({"term": list(counts), "count": list(counts.values()), "per_10k": [c * 200.0 for c in counts.values()]})


def _trend() -> pd.DataFrame:
    # Two outlets, two terms, three weeks; Эхо has no tokens in week 01-12 (no row there).
    # Rows deliberately out of period order.
    rows = [
        ("2026-01-19", "Вести", "санкция", 40.0),
        ("2026-01-05", "Вести", "санкция", 10.0),
        ("2026-01-12", "Вести", "санкция", 20.0),
        ("2026-01-05", "Вести", "перемирие", 5.0),
        ("2026-01-12", "Вести", "перемирие", 0.0),
        ("2026-01-19", "Вести", "перемирие", 15.0),
        ("2026-01-05", "Эхо", "санкция", 30.0),
        ("2026-01-19", "Эхо", "санкция", 25.0),
        ("2026-01-05", "Эхо", "перемирие", 2.0),
        ("2026-01-19", "Эхо", "перемирие", 8.0),
    ]
    out = pd.DataFrame(rows, columns=["period", "outlet", "term", "per_10k"])
    out["period"] = pd.to_datetime(out["period"])
    return out


def _keyness() -> pd.DataFrame:
    values = {"агрессия": 3.0, "мир": 2.0, "газ": 2.0, "сделка": 0.5, "рынок": -0.5, "санкция": -2.5, "нефть": -1.0}
    table = pd.DataFrame({"log_ratio": list(values.values())}, index=pd.Index(list(values), name="term"))
    table["g2"] = table["log_ratio"] * 10
    return table


def _dispersion() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": pd.Categorical(["санкция", "санкция", "газ"], categories=["санкция", "газ", "мир"]),
            "doc_id": ["d1", "d3", "d2"],
            "position": [0.0, 0.5, 0.25],
        }
    )


def _graph() -> nx.Graph:
    g = nx.Graph(measure="npmi")
    g.add_node("putin", label="Путин", type="person", mentions=10)
    g.add_node("zelensky", label="Зеленский", type="person", mentions=6)
    g.add_node("eu", label="ЕС", type="bloc", mentions=6)
    g.add_node("nato", label="НАТО", type="bloc", mentions=2)
    g.add_node("rbc", label="РБК", type="media", mentions=1)
    g.add_edge("putin", "zelensky", weight=0.8)
    g.add_edge("putin", "eu", weight=0.4)
    g.add_edge("zelensky", "eu", weight=0.2)
    g.add_edge("eu", "nato", weight=-0.2)
    g.add_edge("rbc", "putin", weight=0.1)
    return g


def _prevalence() -> pd.DataFrame:
    rows = [
        ("Эхо", "экономика", 0.6, 0.4, 0.8, 20.0),
        ("Вести", "конфликт", 0.5, 0.3, 0.7, 12.0),
        ("Эхо", "конфликт", 0.25, 0.1, 0.5, 8.0),
        ("Вести", "экономика", 0.2, 0.1, 0.4, 3.0),
    ]
    return pd.DataFrame(rows, columns=["outlet", "frame", "estimate", "low", "high", "per_10k"])


def _fightin() -> pd.DataFrame:
    rows = {
        "агрессия": (30, 2, 3.5),
        "режим": (12, 1, 2.5),
        "мир": (5, 5, 0.1),
        "газ": (8, 6, -0.5),
        "перемирие": (3, 25, -3.0),
        "сделка": (2, 10, -1.96),
        "рынок": (4, 4, 1.95),
    }
    return pd.DataFrame([(t, *v) for t, v in rows.items()], columns=["term", "count_a", "count_b", "z"]).set_index("term")


def _matrix() -> pd.DataFrame:
    return pd.DataFrame([[0.50, 0.55, np.nan], [0.60, 0.52, 0.58]], index=["Путин", "ЕС"], columns=["Вести", "Эхо", "ТАСС"])


# One call of every public plot function (positional args, keyword args).
CASES = {
    "plot_counts_over_time": lambda: ((_docs(),), {}),
    "plot_lengths": lambda: ((_docs(),), {}),
    "plot_top_terms": lambda: ((_freq(), 3), {}),
    "plot_trend": lambda: ((_trend(),), {"by": "outlet"}),
    "plot_keyness": lambda: ((_keyness(),), {"top": 2}),
    "plot_zipf": lambda: ((pd.DataFrame({"count": [1000 / r for r in range(1, 21)]}),), {}),
    "plot_dispersion": lambda: ((_dispersion(),), {}),
    "plot_network": lambda: ((_graph(),), {}),
    "plot_prevalence": lambda: ((_prevalence(),), {"by": "outlet"}),
    "plot_fightin_words": lambda: ((_fightin(),), {}),
    "plot_heatmap": lambda: ((_matrix(),), {"title": "Доли"}),
}


def test_every_public_plot_function_is_tested():
    public = {
        name
        for name, f in inspect.getmembers(plots, inspect.isfunction)
        if not name.startswith("_") and f.__module__ == plots.__name__
    }
    # A new public figure needs an entry in CASES (and its own test of what it draws).
    assert public == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_draws_into_the_given_axes_or_a_new_figure(name):
    function = getattr(plots, name)
    args, kwargs = CASES[name]()
    fig, ax = plt.subplots()
    before = plt.get_fignums()
    assert function(*args, ax=ax, **kwargs) is ax
    assert plt.get_fignums() == before  # no stray figure
    assert ax.get_title()  # every figure has a title
    assert ax.has_data() or ax.texts
    args, kwargs = CASES[name]()
    own = function(*args, **kwargs)
    assert isinstance(own, Axes) and own is not ax
    assert len(plt.get_fignums()) == len(before) + 1
    assert own.get_title() == ax.get_title()


# --------------------------------------------------------------------------------------------
# Time series
# --------------------------------------------------------------------------------------------


def test_counts_over_time_draws_every_week_per_outlet():
    ax = plots.plot_counts_over_time(_docs(), by="outlet", period="W")
    lines = _data_lines(ax)
    # Columns in sorted order: "(unknown)" < "Вести" < "Эхо" ("(" sorts before Cyrillic).
    assert [line.get_label() for line in lines] == ["(unknown)", "Вести", "Эхо"]
    weeks = [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12"), pd.Timestamp("2026-01-19")]
    for line in lines:
        # The empty week of 01-12 is drawn at 0, not skipped by a line from 01-05 to 01-19.
        assert _dates(line.get_xdata()) == weeks
    # (unknown): d5 in week 3; Вести: d1+d2 in week 1, d4 in week 3; Эхо: d3 in week 1, d7
    # (Sunday) in week 3; d6 (undated) nowhere.
    assert [list(line.get_ydata()) for line in lines] == [[0, 0, 1], [2, 0, 1], [1, 0, 1]]
    assert _legend(ax) == ["(unknown)", "Вести", "Эхо"]
    assert ax.get_legend().get_title().get_text() == "outlet"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("week", "articles", "Articles per week by outlet")


def test_counts_over_time_by_month_and_by_day():
    ax = plots.plot_counts_over_time(_docs(), by="outlet", period="M")
    lines = _data_lines(ax)
    # One month, 2026-01: (unknown) d5 = 1; Вести d1, d2, d4 = 3; Эхо d3, d7 = 2 (d6 undated).
    assert [_dates(line.get_xdata()) for line in lines] == [[pd.Timestamp("2026-01-01")]] * 3
    assert [list(line.get_ydata()) for line in lines] == [[1], [3], [2]]
    assert (ax.get_xlabel(), ax.get_title()) == ("month", "Articles per month by outlet")
    ax = plots.plot_counts_over_time(_docs(), by="outlet", period="D", title="По дням")
    # Days 01-05 .. 01-25 = 21 points per line; all three lines sum to the 6 dated articles.
    assert [len(line.get_xdata()) for line in _data_lines(ax)] == [21, 21, 21]
    assert sum(line.get_ydata().sum() for line in _data_lines(ax)) == 6
    assert ax.get_title() == "По дням"


def test_counts_over_time_marks_only_events_inside_the_weeks_drawn():
    events = {
        "2026-01-14": "саммит в Париже",  # inside (the empty week)
        "2025-12-01": "до корпуса",  # before the first week
        "2026-01-25": "итоги недели",  # the last day of the last week: inside
        "2026-01-26": "после",  # the Monday after the last week: outside
    }
    ax = plots.plot_counts_over_time(_docs(), by="outlet", events=events)
    assert _event_lines(ax) == [pd.Timestamp("2026-01-14"), pd.Timestamp("2026-01-25")]
    assert [t.get_text() for t in ax.texts] == ["саммит в Париже", "итоги недели"]
    # The time axis is not stretched to December 2025.
    assert ax.get_xlim()[0] > mdates.date2num(pd.Timestamp("2026-01-01"))


def test_trend_one_line_per_group_and_term_in_period_order():
    ax = plots.plot_trend(_trend(), by="outlet")
    lines = _data_lines(ax)
    # Sorted by (outlet, term): Вести · перемирие, Вести · санкция, Эхо · перемирие, Эхо · санкция.
    assert [line.get_label() for line in lines] == ["Вести · перемирие", "Вести · санкция", "Эхо · перемирие", "Эхо · санкция"]
    w1, w2, w3 = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-12"), pd.Timestamp("2026-01-19")
    assert [_dates(line.get_xdata()) for line in lines] == [[w1, w2, w3], [w1, w2, w3], [w1, w3], [w1, w3]]
    # Rows of _trend() re-read in period order.
    assert [list(line.get_ydata()) for line in lines] == [[5, 0, 15], [10, 20, 40], [2, 8], [30, 25]]
    assert _legend(ax) == [line.get_label() for line in lines]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("period", "per 10,000 tokens", "Term rate over time")


def test_trend_one_line_per_term_or_per_group_of_one_term():
    only_vesti = _trend()[_trend()["outlet"] == "Вести"].drop(columns="outlet")
    ax = plots.plot_trend(only_vesti)
    assert [line.get_label() for line in _data_lines(ax)] == ["перемирие", "санкция"]
    assert [list(line.get_ydata()) for line in _data_lines(ax)] == [[5, 0, 15], [10, 20, 40]]
    sanctions = _trend()[_trend()["term"] == "санкция"]
    ax = plots.plot_trend(sanctions, by="outlet")
    assert [line.get_label() for line in _data_lines(ax)] == ["Вести", "Эхо"]
    assert [list(line.get_ydata()) for line in _data_lines(ax)] == [[10, 20, 40], [30, 25]]
    # A table by outlet drawn without by= would zig-zag between the outlets: refused.
    with pytest.raises(ValueError, match="by="):
        plots.plot_trend(sanctions)


def test_trend_events_inside_the_periods_only():
    # Weekly starts 01-05 .. 01-19: the periods drawn run to Sunday 01-25.
    events = {"2026-01-25": "внутри", "2026-01-26": "после", "2025-12-31": "до"}
    ax = plots.plot_trend(_trend(), by="outlet", events=events)
    assert _event_lines(ax) == [pd.Timestamp("2026-01-25")]
    assert [t.get_text() for t in ax.texts] == ["внутри"]
    # Monthly starts 2026-01-01, 2026-02-01: the periods drawn run to 2026-02-28.
    monthly = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01"]), "term": "газ", "per_10k": [1.0, 2.0]})
    ax = plots.plot_trend(monthly, events={"2026-02-27": "в феврале", "2026-03-01": "в марте"})
    assert _event_lines(ax) == [pd.Timestamp("2026-02-27")]


@pytest.mark.parametrize("name", ["plot_counts_over_time", "plot_trend"])
def test_time_plots_leave_the_other_panels_of_a_grid_alone(name):
    fig, (top, bottom) = plt.subplots(2, 1)
    bottom.plot([0, 1], [0, 1])
    bottom.set_xlabel("другая панель")
    args, kwargs = CASES[name]()
    getattr(plots, name)(*args, ax=top, **kwargs)
    fig.canvas.draw()
    # Figure.autofmt_xdate would blank the x label and the date labels of the top panel.
    assert top.get_xlabel() in ("week", "period")
    assert top.get_xticklabels() and all(t.get_visible() for t in top.get_xticklabels())
    assert all(t.get_rotation() == 30 for t in top.get_xticklabels())
    assert bottom.get_xlabel() == "другая панель"
    assert all(t.get_rotation() == 0 for t in bottom.get_xticklabels())


# --------------------------------------------------------------------------------------------
# Lengths, terms, keyness, Zipf, dispersion
# --------------------------------------------------------------------------------------------


def _boxes(ax) -> dict[float, tuple[float, float, float]]:
    """{box position: (Q1, median, Q3)} of a horizontal box plot."""
    lines = [(np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)) for line in ax.get_lines()]
    # The box outline has 5 points; the median is the vertical segment as tall as its box (the
    # caps are half as tall, the whiskers are horizontal).
    mid = lambda y: round((y.min() + y.max()) / 2, 6)  # noqa: E731
    boxes = {mid(y): (x.min(), x.max(), np.ptp(y)) for x, y in lines if len(x) == 5}
    medians = {mid(y): x[0] for x, y in lines if len(x) == 2 and x[0] == x[1] and mid(y) in boxes and np.isclose(np.ptp(y), boxes[mid(y)][2])}
    assert set(medians) == set(boxes)
    return {pos: (boxes[pos][0], medians[pos], boxes[pos][1]) for pos in sorted(boxes)}


def test_lengths_draws_one_box_per_group_with_its_quartiles():
    ax = plots.plot_lengths(_docs(), by="outlet")
    assert _ticks(ax.get_yticklabels()) == ["(unknown)", "Вести", "Эхо"]
    # (unknown): [100] -> 100, 100, 100. Вести: [10, 20, 30] -> Q1 = 10 + 0.5 * 10 = 15, median 20,
    # Q3 = 25. Эхо (d6 has no date but a length): [5, 7, 9] -> 6, 7, 8.
    assert _boxes(ax) == {1.0: (100, 100, 100), 2.0: (15, 20, 25), 3.0: (6, 7, 8)}
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("word tokens per article", "outlet", "Article length by outlet")


def test_lengths_without_token_counts_splits_the_text():
    docs = _docs().drop(columns="n_tokens").dropna(subset=["outlet"])
    ax = plots.plot_lengths(docs, by="outlet")
    # Вести: 5, 3, 4 words -> Q1 3.5, median 4, Q3 4.5. Эхо: 3, 2, 3 -> 2.5, 3, 3.
    assert _boxes(ax) == {1.0: (3.5, 4, 4.5), 2.0: (2.5, 3, 3)}
    ax = plots.plot_lengths(_docs(), by="outlet", value="n_tokens", title="Длина")
    assert ax.get_title() == "Длина"
    ax = plots.plot_lengths(_docs().assign(chars=_docs()["text"].str.len()), by="outlet", value="chars")
    assert ax.get_xlabel() == "chars"
    # "Итоги недели." is 13 characters: the (unknown) box.
    assert _boxes(ax)[1.0] == (13, 13, 13)


def test_top_terms_draws_the_most_frequent_largest_on_top():
    ax = plots.plot_top_terms(_freq(), 3)
    # Counts: санкция 9; война, газ, перемирие 7 (tie broken by the term: в < г < п); нефть 3;
    # мир 1. Top 3 = санкция, война, газ, drawn from the bottom: газ, война, санкция.
    assert _hbars(ax) == [("газ", 7), ("война", 7), ("санкция", 9)]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("occurrences", "term", "Top 3 terms")
    # The same bars whatever the order of the input rows.
    assert _hbars(plots.plot_top_terms(_freq().iloc[::-1], 3)) == [("газ", 7), ("война", 7), ("санкция", 9)]


def test_top_terms_by_rate_old_name_and_short_tables():
    ax = plots.plot_top_terms(_freq(), 2, value="per_10k")
    assert _hbars(ax) == [("война", 1400.0), ("санкция", 1800.0)]  # 7 * 200, 9 * 200
    assert ax.get_xlabel() == "per 10,000 tokens"
    with pytest.warns(DeprecationWarning, match="n= is deprecated, use top="):
        assert len(plots.plot_top_terms(_freq(), n=4).patches) == 4
    ax = plots.plot_top_terms(_freq(), 10)
    # Six terms only: six bars, and the title says so.
    assert [t for t, _ in _hbars(ax)] == ["мир", "нефть", "перемирие", "газ", "война", "санкция"]
    assert ax.get_title() == "Top 6 terms"
    # A table by group has a row per group and term: the bars of one term would overlap.
    by_outlet = pd.concat([_freq().assign(outlet="Вести"), _freq().assign(outlet="Эхо")])
    with pytest.raises(ValueError, match="one group"):
        plots.plot_top_terms(by_outlet, 3)


def test_keyness_diverging_bars_top_each_side():
    ax = plots.plot_keyness(_keyness(), "log_ratio", 2, target="Вести", reference="Эхо")
    # Highest: агрессия 3.0, then газ / мир tie at 2.0 -> газ (г < м). Lowest: санкция -2.5,
    # нефть -1.0. Sorted ascending from the bottom.
    assert _hbars(ax) == [("санкция", -2.5), ("нефть", -1.0), ("газ", 2.0), ("агрессия", 3.0)]
    colors = [p.get_facecolor() for p in sorted(ax.patches, key=lambda p: p.get_y())]
    red, blue = to_rgba(plots.PALETTE[3]), to_rgba(plots.PALETTE[0])
    assert colors == [red, red, blue, blue]
    assert [line.get_xdata()[0] for line in ax.get_lines()] == [0]  # the zero line
    assert ax.get_title() == "Keyness: Вести vs Эхо"
    assert ax.get_xlabel() == "Log Ratio (log2 of relative frequency ratio)"
    ax = plots.plot_keyness(_keyness(), measure="g2", top=1)
    assert _hbars(ax) == [("санкция", -25.0), ("агрессия", 30.0)]
    assert ax.get_xlabel() == "signed log-likelihood G²"


def test_keyness_draws_a_term_once_when_both_sides_overlap():
    table = pd.DataFrame({"log_ratio": [1.0, 0.2, -1.0]}, index=["икс", "игрек", "зет"])
    # top=2: high = икс, игрек; low = зет, игрек -> three bars, игрек once.
    assert _hbars(plots.plot_keyness(table, top=2)) == [("зет", -1.0), ("игрек", 0.2), ("икс", 1.0)]


def test_zipf_points_and_the_fitted_line_over_its_ranks():
    freq = pd.DataFrame({"count": [5, 40, 10, 20]})
    fit = pd.Series({"slope": -1.0, "intercept": 3.0, "min_rank": 2, "max_rank": 5})
    ax = plots.plot_zipf(freq, fit=fit)
    points, line = ax.get_lines()
    assert list(points.get_xdata()) == [1, 2, 3, 4]
    assert list(points.get_ydata()) == [40, 20, 10, 5]  # sorted by frequency, largest first
    # log10 f = 3 - log10 r, i.e. f = 1000 / r over ranks 2..5.
    assert list(line.get_xdata()) == [2, 3, 4, 5]
    np.testing.assert_allclose(line.get_ydata(), [500, 1000 / 3, 250, 200])
    assert _legend(ax) == ["terms", "fit over ranks 2–5: slope -1.00"]
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("rank", "frequency", "Zipf's law: rank vs frequency")


def test_zipf_fits_when_no_fit_is_given():
    # f = 1000 / r for r = 1..20: zipf_fit's default ranks are 10 .. the last with f >= 5 (20,
    # f = 50), and the exact power law gives slope -1 and intercept log10(1000) = 3.
    ax = plots.plot_zipf(pd.DataFrame({"count": [1000 / r for r in range(1, 21)]}))
    _, line = ax.get_lines()
    assert list(line.get_xdata()) == list(range(10, 21))
    np.testing.assert_allclose(line.get_ydata(), [1000 / r for r in range(10, 21)])
    assert _legend(ax)[1] == "fit over ranks 10–20: slope -1.00"


def test_dispersion_ticks_per_term_in_category_order():
    ax = plots.plot_dispersion(_dispersion())
    assert _ticks(ax.get_yticklabels()) == ["санкция", "газ", "мир"]
    rows = [(list(line.get_xdata()), list(line.get_ydata())) for line in ax.get_lines()]
    # санкция at 0.0 and 0.5 on row 0, газ at 0.25 on row 1, мир (no hit) an empty row 2.
    assert rows == [([0.0, 0.5], [0, 0]), ([0.25], [1]), ([], [])]
    assert ax.get_xlim() == (0, 1) and ax.get_ylim() == (-0.5, 2.5)
    assert ax.get_title() == "Lexical dispersion"
    # Plain strings: terms in sorted order (газ < санкция).
    plain = _dispersion().assign(term=lambda d: d["term"].astype(str))
    ax = plots.plot_dispersion(plain)
    assert _ticks(ax.get_yticklabels()) == ["газ", "санкция"]
    assert [list(line.get_xdata()) for line in ax.get_lines()] == [[0.25], [0.0, 0.5]]


# --------------------------------------------------------------------------------------------
# Network
# --------------------------------------------------------------------------------------------


def _network_parts(ax):
    (nodes,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    edges = [c for c in ax.collections if isinstance(c, LineCollection)]
    return nodes, (edges[0] if edges else None)


def test_network_nodes_edges_and_labels():
    graph = _graph()
    ax = plots.plot_network(graph)
    nodes, edges = _network_parts(ax)
    order = sorted(graph.nodes)  # eu, nato, putin, rbc, zelensky
    offsets = nodes.get_offsets()
    assert len(offsets) == 5
    # Sizes 80 + 1200 * mentions / 10: eu 6 -> 800, nato 2 -> 320, putin 10 -> 1280, rbc 1 -> 200,
    # zelensky 6 -> 800.
    np.testing.assert_allclose(nodes.get_sizes(), [800, 320, 1280, 200, 800])
    # Colours by type: bloc = tab10[0], media = tab10[1], person = tab10[3].
    bloc, media, person = (to_rgba(plots.PALETTE[i], 0.9) for i in (0, 1, 3))
    np.testing.assert_allclose(nodes.get_facecolors(), [bloc, bloc, person, media, person])
    # Every edge joins the right two nodes, with width 0.5 + 4 * |weight| / 0.8.
    where = {tuple(np.round(xy, 9)): name for name, xy in zip(order, offsets)}
    drawn = {}
    for segment, width in zip(edges.get_segments(), edges.get_linewidths()):
        ends = frozenset(where[tuple(np.round(xy, 9))] for xy in segment)
        drawn[ends] = width
    assert drawn == pytest.approx(
        {
            frozenset({"putin", "zelensky"}): 4.5,  # 0.8
            frozenset({"putin", "eu"}): 2.5,  # 0.4
            frozenset({"zelensky", "eu"}): 1.5,  # 0.2
            frozenset({"eu", "nato"}): 1.5,  # |-0.2|
            frozenset({"rbc", "putin"}): 1.0,  # 0.1
        }
    )
    assert sorted(t.get_text() for t in ax.texts) == sorted(["Путин", "Зеленский", "ЕС", "НАТО", "РБК"])
    assert _legend(ax) == ["bloc", "media", "person", "edge width: npmi", "node size: mentions"]
    assert ax.get_title() == "Actor co-occurrence network (npmi)"


def test_network_labels_top_actors_and_is_seeded():
    first = plots.plot_network(_graph(), top=2, measure="weight")
    # Mentions: putin 10, then eu and zelensky tie at 6 -> eu (by name): Путин and ЕС labelled.
    assert sorted(t.get_text() for t in first.texts) == ["ЕС", "Путин"]
    assert first.get_title() == "Actor co-occurrence network (weight)"
    again = plots.plot_network(_graph(), top=2, measure="weight")
    assert sorted(t.get_text() for t in again.texts) == ["ЕС", "Путин"]
    np.testing.assert_array_equal(_network_parts(first)[0].get_offsets(), _network_parts(again)[0].get_offsets())


def test_network_empty_isolated_and_unmentioned():
    ax = plots.plot_network(nx.Graph(measure="npmi"))
    assert [t.get_text() for t in ax.texts] == ["no edges above the threshold"]
    assert not ax.axison and ax.get_title() == "Actor network"
    two = nx.Graph()
    two.add_node("a", label="Альфа", type="state", mentions=0)
    two.add_node("b", label="Бета", type="state", mentions=0)
    nodes, edges = _network_parts(plots.plot_network(two))
    assert len(nodes.get_offsets()) == 2 and edges is None
    # No mention counts: every node gets the base size 80 (not NaN from 0 / 0).
    np.testing.assert_allclose(nodes.get_sizes(), [80, 80])


# --------------------------------------------------------------------------------------------
# Frames, distinctive words, heat map
# --------------------------------------------------------------------------------------------


def test_prevalence_points_and_interval_extents():
    ax = plots.plot_prevalence(_prevalence(), by="outlet")
    assert _ticks(ax.get_yticklabels()) == ["конфликт", "экономика"]
    # Two groups: step 0.8 / 2 = 0.4, offsets (j - 0.5) * 0.4 = -0.2 (Вести), +0.2 (Эхо) around
    # the frame rows 0 (конфликт) and 1 (экономика).
    vesti, echo = ax.containers
    assert list(vesti.lines[0].get_xdata()) == [0.5, 0.2]
    np.testing.assert_allclose(vesti.lines[0].get_ydata(), [-0.2, 0.8])
    assert list(echo.lines[0].get_xdata()) == [0.25, 0.6]
    np.testing.assert_allclose(echo.lines[0].get_ydata(), [0.2, 1.2])
    # Whiskers from low to high.
    np.testing.assert_allclose(vesti.lines[2][0].get_segments(), [[[0.3, -0.2], [0.7, -0.2]], [[0.1, 0.8], [0.4, 0.8]]])
    np.testing.assert_allclose(echo.lines[2][0].get_segments(), [[[0.1, 0.2], [0.5, 0.2]], [[0.4, 1.2], [0.8, 1.2]]])
    assert _legend(ax) == ["Вести", "Эхо"] and ax.get_legend().get_title().get_text() == "outlet"
    assert ax.get_xlabel() == "share of articles with the frame (95% Wilson interval)"
    assert (ax.get_ylabel(), ax.get_title()) == ("frame", "Frame prevalence by outlet")


def test_prevalence_by_rate_and_one_row_per_frame():
    ax = plots.plot_prevalence(_prevalence(), by="outlet", value="per_10k")
    assert not ax.containers  # no intervals for rates
    assert [list(line.get_xdata()) for line in _data_lines(ax)] == [[12.0, 3.0], [8.0, 20.0]]
    assert ax.get_xlabel() == "cue hits per 10,000 tokens"
    by_week = pd.concat([_prevalence().assign(period="2026-01-05"), _prevalence().assign(period="2026-01-12")])
    with pytest.raises(ValueError, match="period"):
        plots.plot_prevalence(by_week, by="outlet")


def test_fightin_words_scatter_sides_and_labels():
    ax = plots.plot_fightin_words(_fightin(), names=("Вести", "Эхо"))
    grey, blue, red = ax.collections
    # x = count_a + count_b. |z| < 1.96: мир (10, 0.1), газ (14, -0.5), рынок (8, 1.95).
    np.testing.assert_allclose(grey.get_offsets(), [[10, 0.1], [14, -0.5], [8, 1.95]])
    # z >= 1.96: агрессия (32, 3.5), режим (13, 2.5); z <= -1.96: перемирие (28, -3), сделка (12, -1.96).
    np.testing.assert_allclose(blue.get_offsets(), [[32, 3.5], [13, 2.5]])
    np.testing.assert_allclose(red.get_offsets(), [[28, -3.0], [12, -1.96]])
    labelled = {t.get_text(): t.xy for t in ax.texts}
    assert labelled == {"агрессия": (32, 3.5), "режим": (13, 2.5), "перемирие": (28, -3.0), "сделка": (12, -1.96)}
    assert _legend(ax) == ["|z| < 1.96", "more in Вести", "more in Эхо"]
    assert ax.get_xscale() == "log" and ax.get_title() == "Distinctive words: Вести vs Эхо"
    assert ax.get_ylabel() == "log-odds z (Monroe et al. 2008)"
    # top=1: the most extreme term of each side only.
    ax = plots.plot_fightin_words(_fightin(), top=1)
    assert sorted(t.get_text() for t in ax.texts) == ["агрессия", "перемирие"]


def test_heatmap_cells_text_and_colorbar():
    matrix = _matrix()
    ax = plots.plot_heatmap(matrix, title="Доли", xlabel="outlet", ylabel="actor", colorbar_label="share")
    (image,) = ax.get_images()
    np.testing.assert_array_equal(np.ma.filled(image.get_array(), np.nan), matrix.to_numpy())
    assert _ticks(ax.get_xticklabels()) == ["Вести", "Эхо", "ТАСС"]
    assert _ticks(ax.get_yticklabels()) == ["Путин", "ЕС"]
    cells = {(t.get_position(), t.get_text()) for t in ax.texts}
    # Text at (column, row); the NaN cell (ТАСС, Путин) has none.
    assert cells == {((0, 0), "0.50"), ((1, 0), "0.55"), ((0, 1), "0.60"), ((1, 1), "0.52"), ((2, 1), "0.58")}
    colour = {t.get_text(): t.get_color() for t in ax.texts}
    # 0.50 is the lightest cell of the scale (0.50 .. 0.60), 0.60 the darkest.
    assert (colour["0.50"], colour["0.60"]) == ("black", "white")
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("outlet", "actor", "Доли")
    (bar,) = [a for a in ax.figure.axes if a is not ax]
    assert bar.get_ylabel() == "share"
    ax = plots.plot_heatmap(matrix, fmt="{:.0%}")
    assert sorted(t.get_text() for t in ax.texts) == ["50%", "52%", "55%", "58%", "60%"]


# --------------------------------------------------------------------------------------------
# helpers.outputs: alt text and saved figures
# --------------------------------------------------------------------------------------------


def test_alt_text_names_title_axes_series_and_terms():
    ax = plots.plot_top_terms(_freq(), 3)
    # Terms read from the top bar down: санкция, война, газ.
    assert alt_text(ax) == "Top 3 terms; term against occurrences; terms shown: санкция, война, газ."
    assert alt_text(ax.figure) == alt_text(ax)
    ax = plots.plot_counts_over_time(_docs(), by="outlet")
    assert alt_text(ax) == "Articles per week by outlet; articles against week; series: (unknown), Вести, Эхо."
    fig, (left, right) = plt.subplots(1, 2)
    plots.plot_prevalence(_prevalence(), by="outlet", ax=left, title="Рамки")
    plots.plot_dispersion(_dispersion(), ax=right)
    assert alt_text(fig) == (
        "Рамки; frame against share of articles with the frame (95% Wilson interval); series: Вести, Эхо; "
        "frames shown: экономика, конфликт. "
        "Lexical dispersion; term against position in the corpus (documents in date order); terms shown: мир, газ, санкция."
    )
    assert alt_text(plt.figure()) == "A figure."


def test_alt_text_lists_heatmap_rows_top_down_and_skips_the_colorbar():
    ax = plots.plot_heatmap(_matrix(), title="Доли", xlabel="outlet", ylabel="actor")
    # The colour bar panel adds nothing; rows read from the top: Путин, ЕС.
    assert alt_text(ax) == "Доли; actor against outlet; actors shown: Путин, ЕС."


def test_save_figure_writes_png_and_index_in_saving_order(tmp_path):
    top = plots.plot_top_terms(_freq(), 3)
    save_figure(top, tmp_path, "top_terms", caption="Частые слова")
    png = (tmp_path / "top_terms.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and b"Software" not in png
    counts = plots.plot_counts_over_time(_docs(), by="outlet")
    save_figure(counts.figure, tmp_path, "counts")  # no caption: the title
    entries = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert entries == [
        {"file": "top_terms.png", "caption": "Частые слова", "alt": "Top 3 terms; term against occurrences; terms shown: санкция, война, газ."},
        {"file": "counts.png", "caption": "Articles per week by outlet", "alt": "Articles per week by outlet; articles against week; series: (unknown), Вести, Эхо."},
    ]
    assert "Частые слова" in (tmp_path / "figures.json").read_text(encoding="utf-8")  # not \\u-escaped
    # Saving a name again replaces its entry, now last in saving order.
    save_figure(top, tmp_path, "top_terms", caption="Снова")
    entries = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["caption"]) for e in entries] == [("counts.png", "Articles per week by outlet"), ("top_terms.png", "Снова")]
    # Same figure, same bytes (no time stamp in the PNG).
    assert (tmp_path / "top_terms.png").read_bytes() == png


def test_grouping_is_optional_and_old_names_warn():
    ax = plots.plot_counts_over_time(_docs())
    assert [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")] == ["all documents"]
    plt.close("all")
    with pytest.warns(DeprecationWarning, match="freq= is deprecated, use period="):
        plots.plot_counts_over_time(_docs(), by="outlet", freq="M")
    with pytest.warns(DeprecationWarning, match="column= is deprecated, use value="):
        plots.plot_lengths(_docs(), by="outlet", column="n_tokens")
    plt.close("all")


def test_network_layout_does_not_depend_on_node_order():
    import networkx as nx

    edges = [("a", "b", 0.5), ("b", "c", 0.4), ("c", "d", 0.3), ("a", "d", 0.2), ("d", "e", 0.6)]
    one, other = nx.Graph(), nx.Graph()
    one.add_weighted_edges_from(edges)
    other.add_weighted_edges_from([(v, u, w) for u, v, w in reversed(edges)])  # the same graph, built in another order
    for g in (one, other):
        for n in g.nodes:
            g.nodes[n].update(label=n.upper(), type="state", mentions=3)
    first, second = plots.plot_network(one), plots.plot_network(other)
    positions = [sorted((t.get_text(), *map(lambda x: round(x, 9), t.get_position())) for t in ax.texts) for ax in (first, second)]
    assert positions[0] == positions[1] and len(positions[0]) == 5
