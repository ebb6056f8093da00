"""A content-keyed Parquet cache for expensive tables (tokens, entities).

A cached table is stored as ``<cache_dir>/<kind>-<key>.parquet`` where ``key`` is a SHA-256 of
everything the result depends on: the texts, the settings, the versions of the libraries that
produce it and the kit's own code that computes it (:func:`code_fingerprint`). A change in any
of them gives another key, so a stale hit cannot happen; old files are
simply never read again (deleting the folder frees the space).

The folder is ``$NEWSFRAMES_CACHE`` when set, else ``~/.cache/newsframes``; every caching function
also takes ``cache_dir=``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd


def default_cache_dir() -> Path:
    """Return the cache folder: ``$NEWSFRAMES_CACHE`` or ``~/.cache/newsframes``."""
    env = os.environ.get("NEWSFRAMES_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "newsframes"


def package_versions(*names: str) -> dict[str, str]:
    """Return ``{name: version}`` for installed distributions (``"missing"`` when absent)."""
    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "missing"
    return out


def code_fingerprint(*paths: str | Path) -> str:
    """Hash of the source files that compute a cached table.

    Part of every cache key, so that a change in the code (a new tokenization rule, a fixed
    normal form) can never be served a table computed by the old code.
    """
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


def content_key(texts: Iterable[str], settings: dict) -> str:
    """Hash texts and settings into a hex key.

    Parameters
    ----------
    texts : iterable of str
        Every text the result depends on, in order (the ids too, when they matter).
    settings : dict
        Settings and library versions; rendered with ``repr`` of the sorted items.
    """
    h = hashlib.sha256()
    h.update(repr(sorted(settings.items())).encode("utf-8"))
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


def cached_table(
    kind: str,
    key: str,
    compute: Callable[[], pd.DataFrame],
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return ``compute()``, read from or written to the Parquet cache.

    Parameters
    ----------
    kind : str
        Name of the table family, e.g. ``"tokens"``; part of the file name.
    key : str
        Content key from :func:`content_key`.
    compute : callable
        Builds the table on a miss.
    cache : bool
        ``False`` bypasses the cache entirely (no read, no write).
    cache_dir : str or Path, optional
        Folder of the cache; default :func:`default_cache_dir`.
    """
    if not cache:
        return compute()
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / f"{kind}-{key}.parquet"
    if path.exists():
        try:
            return pd.read_parquet(path)
        except Exception:  # a truncated or foreign file: recompute and overwrite
            pass
    table = compute()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    try:
        table.to_parquet(tmp, index=False)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return table


def _canonical(table: pd.DataFrame) -> pd.DataFrame:
    """Give text categoricals ``str`` categories, as a Parquet round trip does for non-empty ones.

    An empty categorical reads back with ``object`` categories; making both paths agree keeps a
    cached table identical to a computed one.
    """
    for column in table.columns:
        dtype = table[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) and (len(dtype.categories) == 0 or dtype.categories.dtype == object):
            if all(isinstance(v, str) for v in dtype.categories):
                table[column] = table[column].cat.set_categories(pd.Index(dtype.categories, dtype="str"))
    return table


def cached_tables(
    kind: str,
    key: str,
    compute: Callable[[], Mapping[str, pd.DataFrame]],
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Like :func:`cached_table` for a set of tables computed together.

    ``compute()`` returns ``{name: table}``; they are stored as
    ``<cache_dir>/<kind>-<key>.<name>.parquet`` and read back together (a missing or damaged
    member means a recomputation of all of them). Each table's ``attrs`` are kept.
    """
    if not cache:
        return {name: _canonical(t) for name, t in compute().items()}
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    index = folder / f"{kind}-{key}.names"
    if index.exists():
        try:
            names = index.read_text(encoding="utf-8").split()
            return {name: _canonical(pd.read_parquet(folder / f"{kind}-{key}.{name}.parquet")) for name in names}
        except Exception:  # a member is missing or damaged: recompute all of them
            pass
    tables = {name: _canonical(t) for name, t in compute().items()}
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        path = folder / f"{kind}-{key}.{name}.parquet"
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(fd)
        try:
            table.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    Path(tmp).write_text("\n".join(tables), encoding="utf-8")
    os.replace(tmp, index)  # written last: the set is complete when the index exists
    return tables
