"""Progress bars for long helper calls, shown only to a person watching.

A bar appears in interactive use (a terminal, or JupyterLab with a person at the keyboard) and
never in ``make run`` (papermill), under nbval, or in any non-interactive run, so committed
notebook outputs never hold one. Set ``NEWSFRAMES_PROGRESS=1`` to force bars on, ``0`` to force
them off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def enabled() -> bool:
    """Whether progress bars are shown in this process.

    Off when ``NEWSFRAMES_BATCH=1`` (set by ``make run``, ``make test`` and the kit's pytest
    configuration for the kernels they start) or ``CI`` is set; on in a JupyterLab kernel and in
    a terminal; off elsewhere (output piped to a file).
    """
    return watched("NEWSFRAMES_PROGRESS", terminal=True)


def watched(switch: str, *, terminal: bool) -> bool:
    """Whether a person is watching this process: the one rule of progress bars and live widgets.

    Parameters
    ----------
    switch : str
        The environment variable that forces the answer (``"1"`` yes, ``"0"`` no).
    terminal : bool
        Whether a terminal counts (it does for progress bars, not for widgets).

    Returns
    -------
    bool
        The switch when set; otherwise False under ``NEWSFRAMES_BATCH=1`` (``make run``,
        ``make notebooks``, nbval, the tests) or ``CI``; True in a Jupyter kernel
        (``ZMQInteractiveShell``); else whether stderr is a terminal (``terminal``) or False.
    """
    forced = os.environ.get(switch)
    if forced in ("0", "1"):
        return forced == "1"
    if os.environ.get("NEWSFRAMES_BATCH") == "1" or os.environ.get("CI"):
        return False
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with the kit
        shell = None
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        return True
    return terminal and sys.stderr.isatty()


def progress(items: Iterable[T], *, total: int | None = None, desc: str = "", unit: str = "it") -> Iterator[T]:
    """Wrap ``items`` in a tqdm bar when :func:`enabled`, else return them unchanged.

    Parameters
    ----------
    items : iterable
        What the loop runs over.
    total : int, optional
        Number of items, when ``len(items)`` is not available.
    desc : str
        Label of the bar, e.g. ``"tokenizing"``.
    unit : str
        Unit shown by the bar (``"docs"``, ``"forms"``).
    """
    if not enabled():
        return iter(items)
    from tqdm.auto import tqdm

    return iter(tqdm(items, total=total, desc=desc, unit=unit, leave=False))
