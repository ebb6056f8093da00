"""Notebook set-up and the files a notebook writes under ``out_dir``.

Every notebook calls :func:`setup_notebook` once, so that tables and figures look the same in
JupyterLab, in ``make run`` and under strict nbval, and writes its key tables and figures with
:func:`save_table` and :func:`save_figure`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

from helpers.constants import SEED  # noqa: F401  (re-exported: the kit's one seed)


def setup_notebook(seed: int = SEED) -> None:
    """Fix display options, plot style and random seeds for reproducible notebooks.

    Parameters
    ----------
    seed : int
        Seed for Python's and NumPy's global generators.

    Notes
    -----
    Matplotlib uses DejaVu Sans, which ships with matplotlib and covers Cyrillic, so labels
    render offline with no font download. Floats display with three decimals, and tables show at
    most 20 rows, so committed outputs stay short and stable.
    """
    pd.set_option("display.max_rows", 20)
    pd.set_option("display.min_rows", 10)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.precision", 3)
    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "svg.hashsalt": str(seed),
        }
    )
    random.seed(seed)
    np.random.seed(seed)
    _inline_figures()


def _inline_figures() -> None:
    """Show figures in the notebook even when MPLBACKEND=Agg is set in the environment."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kit
        return
    shell = get_ipython()
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell" and matplotlib.get_backend().lower() == "agg":
        shell.run_line_magic("matplotlib", "inline")


def prepare_out_dir(out_dir: str | Path) -> Path:
    """Create ``out_dir`` (and its parents) and return it as a :class:`~pathlib.Path`."""
    path = Path(out_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_table(table: pd.DataFrame | pd.Series, out_dir: str | Path, name: str, *, index: bool = True) -> None:
    """Write ``table`` to ``out_dir/name.csv`` in UTF-8.

    Parameters
    ----------
    table : DataFrame or Series
        The result to keep.
    out_dir : str or Path
        Folder of the notebook's outputs; created when missing.
    name : str
        File name without extension, e.g. ``"top_terms"``.
    index : bool
        Whether to write the index (default True).
    """
    path = prepare_out_dir(out_dir) / f"{name}.csv"
    table.to_csv(path, index=index, encoding="utf-8")


def alt_text(figure) -> str:
    """A description of a figure for readers who cannot see it: its titles and axes, per panel."""
    fig = figure.get_figure() if hasattr(figure, "get_figure") and not hasattr(figure, "savefig") else figure
    parts = []
    for ax in fig.axes:
        if not ax.get_visible() or (not ax.get_title() and not ax.get_xlabel() and not ax.has_data()):
            continue
        if ax.get_label() == "<colorbar>":
            continue
        bits = [ax.get_title() or "a chart"]
        if ax.get_xlabel() or ax.get_ylabel():
            bits.append(f"{ax.get_ylabel() or 'values'} against {ax.get_xlabel() or 'categories'}")
        legend = ax.get_legend()
        if legend is not None:
            labels = [t.get_text() for t in legend.get_texts()]
            if labels:
                bits.append("series: " + ", ".join(labels[:8]))
        ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        if 0 < len(ticks) <= 20 and ax.get_ylabel() in ("term", "actor", "frame", "alternative"):
            top_down = ticks if ax.images else ticks[::-1]  # a heat map's first row is drawn on top
            bits.append(f"{ax.get_ylabel()}s shown: " + ", ".join(top_down[:10]))
        parts.append("; ".join(bits))
    return ". ".join(parts) + "." if parts else "A figure."


def save_figure(figure, out_dir: str | Path, name: str, caption: str = "") -> None:
    """Write a figure (or the figure of an Axes) to ``out_dir/name.png``, with its caption.

    PNG metadata is left empty so that the file does not change from run to run. The caption
    and an alt text (:func:`alt_text`) are appended to ``out_dir/figures.json`` in the order
    the figures are saved, so that the report shows them in reading order.
    """
    fig = figure.get_figure() if hasattr(figure, "get_figure") and not hasattr(figure, "savefig") else figure
    folder = prepare_out_dir(out_dir)
    path = folder / f"{name}.png"
    fig.savefig(path, metadata={"Software": None})
    index = folder / "figures.json"
    entries = json.loads(index.read_text(encoding="utf-8")) if index.exists() else []
    entries = [e for e in entries if e["file"] != path.name]
    title = next((ax.get_title() for ax in fig.axes if ax.get_title()), "")
    entries.append({"file": path.name, "caption": caption or title or name, "alt": alt_text(fig)})
    index.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")


def say(markdown: str) -> None:
    """Show Markdown computed from the results (prose that cannot drift from the numbers)."""
    from IPython.display import Markdown, display

    display(Markdown(markdown))


def check(condition: bool, claim: str) -> None:
    """Fail loudly when a sentence of the notebook's prose is no longer true of the results.

    Used in hidden check cells after prose about the teaching corpus: strict nbval then fails
    when a change of the corpus or of the code makes the prose wrong.
    """
    if not bool(condition):
        raise AssertionError(f"The notebook's prose is no longer true: {claim}")


def show(table: pd.DataFrame, *, digits: int = 2, p_columns: Sequence[str] = ("p_value", "p_adjusted", "share_p", "share_p_adjusted", "rate_p", "rate_p_adjusted")) -> pd.DataFrame:
    """A table for display: floats rounded, p-values written out (``< 1e-300``, never a false 0)."""
    from helpers.stats import format_p

    out = table.copy()
    for c in out.columns:
        if c in p_columns:
            out[c] = format_p(out[c], 3)
        elif pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(digits)
    return out
