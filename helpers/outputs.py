"""Notebook set-up and the files a notebook writes under ``out_dir``.

Every notebook calls :func:`setup_notebook` once, so that tables and figures look the same in
JupyterLab, in ``make run`` and under strict nbval, and writes its key tables and figures with
:func:`save_table` and :func:`save_figure`.
"""

from __future__ import annotations

import random
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

#: Seed used for every sampler and layout in the kit unless a caller passes its own.
SEED = 2026


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


def save_figure(figure, out_dir: str | Path, name: str) -> None:
    """Write a figure (or the figure of an Axes) to ``out_dir/name.png``.

    PNG metadata is left empty so that the file does not change from run to run.
    """
    fig = figure.get_figure() if hasattr(figure, "get_figure") and not hasattr(figure, "savefig") else figure
    path = prepare_out_dir(out_dir) / f"{name}.png"
    fig.savefig(path, metadata={"Software": None})
