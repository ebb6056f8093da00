"""The first version's calls, kept working for one release with a ``DeprecationWarning``.

The kit's functions take a :class:`helpers.corpus.Corpus` first and use one vocabulary of
parameter names (see ``DEVELOPERS.md``). :func:`legacy` wraps a function so that

- a call with the first version's ``docs`` and ``tokens`` DataFrames (in any order, positional
  or as ``docs=`` / ``tokens=``) builds the corpus from them (nothing is recomputed);
- an old parameter name (``correction=``, ``n=``, ``column=``…) is renamed to the new one;

each with a warning that says what to write instead.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd


def _is_tokens(x: Any) -> bool:
    return isinstance(x, pd.DataFrame) and {"lemma", "start", "end"} <= set(x.columns)


def _is_docs(x: Any) -> bool:
    return isinstance(x, pd.DataFrame) and "text" in x.columns and "lemma" not in x.columns


def legacy(rename: dict[str, str] | None = None, frames: bool = True, hook: Callable[[dict], dict] | None = None):
    """Decorate a corpus-first function so that the first version's calls still work.

    Parameters
    ----------
    rename : dict, optional
        ``{old keyword: new keyword}``.
    frames : bool
        Accept ``docs`` and ``tokens`` DataFrames in place of the corpus.
    hook : callable, optional
        Adjusts the keyword arguments of a legacy frames call (e.g. a window in characters
        converted to tokens).
    """
    rename = rename or {}

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in rename.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old}= (deprecated) and {new}=.")
                    warnings.warn(f"{func.__name__}(): {old}= is deprecated, use {new}=.", DeprecationWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            if frames and args and isinstance(args[0], pd.DataFrame) or frames and ("docs" in kwargs or "tokens" in kwargs) and not args:
                from helpers.corpus import Corpus

                pool = list(args)
                docs = kwargs.pop("docs", None)
                tokens = kwargs.pop("tokens", None)
                rest = []
                for x in pool:
                    if tokens is None and _is_tokens(x):
                        tokens = x
                    elif docs is None and _is_docs(x):
                        docs = x
                    else:
                        rest.append(x)
                if docs is None or tokens is None:
                    raise TypeError(f"{func.__name__}() needs a Corpus: corpus = build_corpus(load_corpus(path)).")
                warnings.warn(
                    f"{func.__name__}(docs, tokens, ...) is deprecated: pass the Corpus from build_corpus(docs) as the first argument.",
                    DeprecationWarning, stacklevel=2,
                )
                if hook is not None:
                    kwargs = hook(kwargs)
                return func(Corpus.from_frames(docs, tokens), *rest, **kwargs)
            return func(*args, **kwargs)

        return wrapper

    return decorate
