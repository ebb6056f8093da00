"""A content-keyed cache for expensive tables (tokens, entities), in Arrow's file format.

A cached table is stored as ``<cache_dir>/<kind>-<key>.arrow`` where ``key`` is a SHA-256 of
everything the result depends on: the texts, the settings, the versions of the libraries that
produce it and the kit's own code that computes it (:func:`code_fingerprint`). A change in any
of them gives another key, so a stale hit cannot happen; old files are
simply never read again (deleting the folder frees the space).

The folder is ``$NEWSFRAMES_CACHE`` when set, else ``~/.cache/newsframes``; every caching function
also takes ``cache_dir=``.

A categorical column with text categories (the token table's ``token``, ``lemma``, ``doc_id``…)
is stored as its integer codes, its categories in a companion file ``<file>.categories``; read
back, the categorical is rebuilt from them without re-hashing its categories, so that a cache
hit costs little more than reading the integers.

The files are Arrow IPC (Feather v2), with LZ4 compression from 32 MB of table: about as small
on disk as Parquet for a large token table, and read two to fifteen times faster (a read is a
decompressed copy, not a decoding), which is most of a warm start. A smaller table is stored
uncompressed (about 2.4 times the disk), as its read is then a plain copy. Parquet stays the
format of the corpora the kit reads (:mod:`helpers.loader`); the cache is the kit's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd

#: Schema metadata key of a file whose categorical columns are stored as codes.
_CODED = b"newsframes.categoricals"
_CATEGORIES = ".categories"


def default_cache_dir() -> Path:
    """Return the cache folder: ``$NEWSFRAMES_CACHE`` or ``~/.cache/newsframes``."""
    env = os.environ.get("NEWSFRAMES_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "newsframes"


def package_versions(*names: str) -> dict[str, str]:
    """Return ``{name: version}`` for installed distributions (``"missing"`` when absent)."""
    return dict(_versions(names))


@lru_cache(maxsize=64)
def _versions(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # Read once per process: a package upgraded under a running process is not loaded anyway.
    out = []
    for name in names:
        try:
            out.append((name, version(name)))
        except PackageNotFoundError:
            out.append((name, "missing"))
    return tuple(out)


_FINGERPRINTS: dict[tuple[str, int, int], bytes] = {}


def code_fingerprint(*paths: str | Path) -> str:
    """Hash of the source files that compute a cached table.

    Part of every cache key, so that a change in the code (a new tokenization rule, a fixed
    normal form) can never be served a table computed by the old code. A file is read again
    whenever its size or modification time changes.
    """
    h = hashlib.sha256()
    for path in paths:
        st = os.stat(path)
        stamp = (str(path), st.st_mtime_ns, st.st_size)
        digest = _FINGERPRINTS.get(stamp)
        if digest is None:
            digest = _FINGERPRINTS[stamp] = hashlib.sha256(Path(path).read_bytes()).digest()
        h.update(digest)
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


def texts_digest(ids: Iterable[str], texts: pd.Series) -> str:
    """One hex digest of all the ``(id, text)`` pairs, in order: a corpus' texts in a cache key.

    It hashes the ids (as JSON), the UTF-8 length of every text and the texts themselves, so two
    different lists of pairs never meet. An Arrow string column is hashed straight from its
    buffers, chunk by chunk (three hash updates per chunk, whatever the number of texts); any
    other column goes through ``str.encode`` (lone surrogates kept), with the same digest.

    Parameters
    ----------
    ids : iterable of str
        One id per text.
    texts : Series
        The texts (a missing one hashes as the text ``"nan"``, as ``astype(str)`` writes it).
    """
    blake = hashlib.blake2b
    lengths, data = blake(digest_size=16), blake(digest_size=16)
    chunks = _utf8_chunks(texts)
    if chunks is None:
        encoded = [str(t).encode("utf-8", "surrogatepass") for t in texts.astype(str).tolist()]
        lengths.update(np.fromiter(map(len, encoded), dtype="<i8", count=len(encoded)).tobytes())
        for item in encoded:
            data.update(item)
    else:
        for buffer, offsets in chunks:
            lengths.update(np.diff(offsets).astype("<i8").tobytes())
            data.update(buffer[int(offsets[0]): int(offsets[-1])])
    out = blake(json.dumps([str(i) for i in ids]).encode("utf-8", "surrogatepass"), digest_size=16)
    out.update(lengths.digest())
    out.update(data.digest())
    return out.hexdigest()


def _utf8_chunks(texts: pd.Series) -> list[tuple[memoryview, np.ndarray]] | None:
    """The UTF-8 data buffer and offsets of each chunk of an Arrow string column with no
    missing value (None for any other column). Nothing is copied: a column of many chunks (after
    a filter or a sort) is read chunk by chunk."""
    chunked = getattr(texts.array, "_pa_array", None)
    if chunked is None:
        return None
    import pyarrow as pa

    arrays = chunked.chunks if isinstance(chunked, pa.ChunkedArray) else [chunked]
    out = []
    for array in arrays:
        if array.null_count or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
            return None
        _, offsets, data = array.buffers()
        width = np.int64 if pa.types.is_large_string(array.type) else np.int32
        offsets = np.frombuffer(offsets, dtype=width, count=len(array) + 1, offset=array.offset * np.dtype(width).itemsize) if len(array) else np.zeros(1, width)
        out.append(((memoryview(data) if data is not None else memoryview(b"")), offsets))
    return out


def _atomic(path: Path, write: Callable[[str], None]) -> None:
    """Write a file through a temporary one, replaced at once: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _text_categoricals(table: pd.DataFrame) -> list[str]:
    """Categorical columns whose categories are text (stored as codes + categories)."""
    out = []
    for column in table.columns:
        dtype = table[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) and isinstance(dtype.categories.dtype, pd.StringDtype):
            out.append(str(column))
    return out


#: The cache's file suffix and compression (see the module's docstring).
SUFFIX = ".arrow"
_COMPRESSION = "lz4"


#: Tables smaller than this (in memory) are stored uncompressed: a read is then a plain copy,
#: four to ten times faster than decompressing, which is most of a warm start on a small corpus.
_COMPRESS_FROM = 32 << 20


def _write_arrow(arrow, path: Path) -> None:
    import pyarrow as pa

    def write(tmp: str) -> None:
        options = pa.ipc.IpcWriteOptions(compression=_COMPRESSION if arrow.nbytes >= _COMPRESS_FROM else None)
        with pa.OSFile(tmp, "wb") as sink, pa.ipc.new_file(sink, arrow.schema, options=options) as writer:
            writer.write_table(arrow)

    _atomic(path, write)


def _read_arrow(path: str | Path):
    import pyarrow as pa

    with pa.OSFile(str(path), "rb") as source:
        return pa.ipc.open_file(source).read_all()


def _is_simple(column, numpy_type: str | None) -> bool:
    """An Arrow column of integers, floats or flags without a missing value that pandas wrote
    from a NumPy column of the same type: read as NumPy as it is (no pandas conversion; a
    nullable ``Int64`` or any other extension type goes through pandas)."""
    import pyarrow as pa

    kind = column.type
    if column.null_count or not (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)):
        return False
    return numpy_type == str(np.dtype(kind.to_pandas_dtype()))


def write_table(table: pd.DataFrame, path: str | Path) -> None:
    """Write a table to an Arrow file, text categoricals as codes with a ``.categories`` companion.

    Parameters
    ----------
    table : DataFrame
        Any table with string column names; its ``attrs`` are kept (JSON, as pandas does).
    path : str or Path
        The file; the companion is ``<path>.categories`` (written first).
    """
    import pyarrow as pa

    path = Path(path)
    coded = _text_categoricals(table)
    categorical = [c for c in table.columns if isinstance(table[c].dtype, pd.CategoricalDtype)]
    if not coded or len(coded) != len(categorical) or not all(isinstance(c, str) for c in table.columns):
        _write_arrow(pa.Table.from_pandas(table, preserve_index=False), path)
        return
    layout, start = {}, 0
    for c in coded:
        size = len(table[c].cat.categories)
        layout[c] = {"ordered": bool(table[c].dtype.ordered), "start": start, "stop": start + size}
        start += size
    values = np.concatenate([table[c].cat.categories.to_numpy(dtype=object) for c in coded]) if start else np.zeros(0, dtype=object)
    companion = pd.DataFrame({"value": pd.Series(values, dtype="str")})
    _write_arrow(pa.Table.from_pandas(companion, preserve_index=False), Path(f"{path}{_CATEGORIES}"))
    plain = pd.DataFrame({c: (table[c].cat.codes.to_numpy() if c in layout else table[c]) for c in table.columns}, index=pd.RangeIndex(len(table)))
    arrow = pa.Table.from_pandas(plain, preserve_index=False)
    meta = dict(arrow.schema.metadata or {})
    meta[_CODED] = json.dumps(layout).encode("utf-8")
    if table.attrs:
        meta[b"PANDAS_ATTRS"] = json.dumps(table.attrs).encode("utf-8")
    _write_arrow(arrow.replace_schema_metadata(meta), path)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, categoricals rebuilt.

    Raises
    ------
    OSError, ValueError
        When the file or its companion is missing or damaged.
    """
    path = Path(path)
    arrow = _read_arrow(path)
    meta = arrow.schema.metadata or {}
    if _CODED not in meta:
        table = arrow.to_pandas()  # (dtypes from the pandas metadata, as read_feather does)
        return _canonical(table) if any(isinstance(d, pd.CategoricalDtype) for d in table.dtypes) else table
    layout = json.loads(meta[_CODED].decode("utf-8"))
    # The coded columns straight from their integers, plain numbers and flags straight from
    # Arrow, the rest through pandas (their dtypes from its metadata); the frame is made once
    # (replacing columns one at a time would split and copy pandas' blocks: seconds for 35
    # million tokens).
    numpy_types = {c.get("name"): c.get("numpy_type") for c in json.loads(meta.get(b"pandas", b"{}")).get("columns", [])}
    simple = {c for c in arrow.column_names if c not in layout and _is_simple(arrow.column(c), numpy_types.get(c))}
    rest = [c for c in arrow.column_names if c not in layout and c not in simple]
    plain = arrow.select(rest).to_pandas() if rest else None
    # All the categories in one Index, each column's a slice of it (a view, not a copy).
    values = pd.Index(pd.array(_read_arrow(f"{path}{_CATEGORIES}").column("value"), dtype="str"), copy=False)
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    columns = {}
    for column in arrow.column_names:
        where = layout.get(column)
        if where is None:
            columns[column] = np.require(arrow.column(column).to_numpy(), requirements="W") if column in simple else plain[column]
            continue
        is_ordered, a, b = where["ordered"], where["start"], where["stop"]
        if b > len(values):
            raise ValueError(f"{path}: its categories file is short.")
        categories = values[a:b]
        codes = np.require(arrow.column(column).to_numpy(), requirements="W")  # (a writable array of its own)
        if len(codes) and (codes.min() < -1 or codes.max() >= len(categories)):
            raise ValueError(f"{path}: codes of {column!r} do not fit its categories.")
        if fast is not None:
            # The categories were checked (unique, no missing value) when they were written.
            columns[column] = pd.Categorical.from_codes(codes, dtype=fast(categories, is_ordered), validate=False)
        else:
            columns[column] = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories, is_ordered))
    table = pd.DataFrame(columns, index=pd.RangeIndex(arrow.num_rows), copy=False)
    if b"PANDAS_ATTRS" in meta:
        table.attrs = json.loads(meta[b"PANDAS_ATTRS"].decode("utf-8"))
    return table


def cached_table(
    kind: str,
    key: str,
    compute: Callable[[], pd.DataFrame],
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Return ``compute()``, read from or written to the cache.

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
    path = folder / f"{kind}-{key}{SUFFIX}"
    if path.exists():
        try:
            return read_table(path)
        except Exception:  # a truncated or foreign file: recompute and overwrite
            pass
    table = compute()
    folder.mkdir(parents=True, exist_ok=True)
    write_table(table, path)
    return table


def _canonical(table: pd.DataFrame) -> pd.DataFrame:
    """Give text categoricals ``str`` categories, as a round trip through the cache does for non-empty ones.

    An empty categorical reads back with ``object`` categories; making both paths agree keeps a
    cached table identical to a computed one.
    """
    for column in table.columns:
        dtype = table[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) and (len(dtype.categories) == 0 or dtype.categories.dtype == object):
            if all(isinstance(v, str) for v in dtype.categories):
                table[column] = table[column].cat.set_categories(pd.Index(dtype.categories, dtype="str"))
        if isinstance(table[column].dtype, pd.CategoricalDtype):
            # The hash table pandas built to check the categories is not needed any more: it
            # would double the memory a large vocabulary takes (it is rebuilt on demand).
            getattr(table[column].cat.categories, "_cache", {}).pop("_engine", None)
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
    ``<cache_dir>/<kind>-<key>.<name>.arrow`` and read back together (a missing or damaged
    member means a recomputation of all of them). Each table's ``attrs`` are kept.
    """
    if not cache:
        return {name: _canonical(t) for name, t in compute().items()}
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    index = folder / f"{kind}-{key}.names"
    if index.exists():
        try:
            names = index.read_text(encoding="utf-8").split()
            return {name: read_table(folder / f"{kind}-{key}.{name}{SUFFIX}") for name in names}
        except Exception:  # a member is missing or damaged: recompute all of them
            pass
    tables = {name: _canonical(t) for name, t in compute().items()}
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_table(table, folder / f"{kind}-{key}.{name}{SUFFIX}")
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    Path(tmp).write_text("\n".join(tables), encoding="utf-8")
    os.replace(tmp, index)  # written last: the set is complete when the index exists
    return tables
