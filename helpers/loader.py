"""Load and validate a collection of news articles.

:func:`load_corpus` turns a folder of ``.txt`` articles (or saved ``.html`` pages), a single
file, or a table (``.csv``, ``.jsonl``, ``.parquet``) into one DataFrame with one row per
article. :func:`validate_corpus` lists everything that is wrong with the same input. Both run the
same reader, so an input is either a row of the corpus or a row of the problem table: nothing is
lost silently.

The corpus table
----------------
Columns, in this order:

``doc_id`` (str)
    Unique and stable. In a folder, the file's path relative to the folder, with ``/`` separators
    and without its extension (``evroefir/2026-01-06_summit``); for a single file, its stem; for a
    table, the ``id`` / ``doc_id`` column as text, else ``"<table stem>-<row>"`` with the 1-based
    number of the data row.
``date`` (datetime64[ns])
    From the ``date`` header of the text, else from the metadata or the table's ``date`` column
    (for a saved web page, from the page itself); ``NaT`` when unknown. Time-zone offsets are
    dropped: the outlet's local clock time is kept.
``outlet``, ``title``, ``lang`` (str)
    From the metadata (``source`` is read as ``outlet`` when there is no ``outlet`` column).
``text`` (str)
    The article, without its header.
extra metadata columns
    Every other column of ``metadata.csv`` or of the table, with its own name, in input order.
    CSV values are text; JSON Lines and Parquet values keep their types. A name that clashes with
    another column gets a suffix (``Text_2``), with a warning; the columns this loader computes
    (``duplicate_of``, ``near_duplicate_of``, ``similarity``) are recomputed when a saved corpus
    is read back, and the index columns pandas writes into Parquet (``__index_level_0__``) are
    dropped.
``duplicate_of``, ``near_duplicate_of`` (str), ``similarity`` (float)
    Copies: for an identical text, the ``doc_id`` of the group's original; for a lightly edited
    copy (at least ``min_similarity`` of word 5-shingles shared), the original in
    ``near_duplicate_of`` and the Jaccard similarity in ``similarity``. The original is the
    earliest dated copy (ties by ``doc_id``); see :mod:`helpers.duplicates`. Every copy is kept.

Text columns use pandas' default string dtype (``str``); a missing value is a missing value
(``isna()`` is True), never an empty string. Rows are sorted by ``doc_id``.
``df.attrs["problems"]`` holds the problem table (see below) of the load.

Input formats
-------------
Folder
    Read recursively: every ``*.txt`` file is an article and every ``*.html`` / ``*.htm`` file a
    saved web page, whose article text, title and date are extracted with trafilatura (a page
    with no extractable article, only navigation, a title or an error message, is reported, not
    loaded empty or as its menu: some line of the text must have at least five words outside the
    page's links). An optional ``metadata.csv`` at
    the top of the folder has a ``file`` column (the article's path relative to the folder, with
    its extension) and metadata columns (``outlet`` or ``source``, ``title``, ``lang``,
    ``date``, ``section``…); its values win over what a page says about itself. Hidden files and
    folders (names starting with ``.``, such as ``.ipynb_checkpoints``) are ignored; any other
    file is reported as *not read*.
Table
    ``.csv`` (comma, or ``;`` / tab when the header has no comma), ``.jsonl`` (one JSON object a
    line) or ``.parquet``, with a ``text`` column and optional ``id`` / ``doc_id``, ``date``,
    ``outlet`` / ``source``, ``title``, ``lang`` columns, matched case-insensitively. A row that
    cannot be read (a stray quote, a NUL byte, a wrong number of fields) costs only that row.

The seed format: a text may begin with the header `` date YYYY-MM-DD`` (leading space optional),
also with a time (`` date 2024-03-01T10:00``, kept in ``date``); the article goes on after
whitespace on the same line or on the next one. The header is removed from ``text`` and gives
``date``. When it disagrees with the metadata, the header wins (and a warning says so). Dates in
metadata and tables may be ISO 8601 dates or date-times, or ``DD.MM.YYYY``; an invalid date is
an error, an empty one is ``NaT``.

Text clean-up
-------------
Bytes are decoded by :func:`helpers.decode.decode` (UTF-8, UTF-16/32, CP1251, KOI8-R, files that
mix encodings line by line, double-encoded UTF-8); every guess and repair is a warning naming
the file and line. Then byte-order marks and NUL characters are removed, CRLF and CR line ends
become ``\\n``, the text is put in Unicode NFC, and whitespace at the start and end of the whole
text is stripped. Nothing else changes: ``ё`` stays ``ё``, whitespace inside the text stays as
written. Metadata values are stripped and put in NFC too.

Problems
--------
The problem table has the columns ``source`` (the file, relative to the corpus folder; for a
table row or a line of a file ``"file:line"``), ``problem`` (what is wrong and what to do) and
``severity``: ``"error"`` (that input was not loaded) or ``"warning"`` (loaded, with a caveat).
A loaded corpus keeps its problems in ``df.attrs["problems"]`` as plain records (so that
``concat``, ``merge`` and ``to_parquet`` work as usual); :func:`problems_of` turns them back into
the table.

Examples
--------
>>> docs = load_corpus("corpus/articles")  # doctest: +SKIP
>>> problems_of(docs)  # doctest: +SKIP
>>> docs = load_corpus("my_scrape.csv", errors="skip")  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.decode import Decoded, Unreadable, decode, line_ranges
from helpers.duplicates import mark_duplicates

__all__ = [
    "CORE_COLUMNS",
    "PROBLEM_COLUMNS",
    "CorpusError",
    "CorpusWarning",
    "load_corpus",
    "problems_of",
    "validate_corpus",
]

#: The first columns of every corpus, in order (extra metadata and the copy columns follow).
CORE_COLUMNS = ["doc_id", "date", "outlet", "title", "lang", "text"]
#: Columns the loader computes, after the metadata.
COPY_COLUMNS = ["duplicate_of", "near_duplicate_of", "similarity"]
#: The columns of the problem table.
PROBLEM_COLUMNS = ["source", "problem", "severity"]

SIDECAR = "metadata.csv"
ARTICLE_SUFFIX = ".txt"
PAGE_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
_STR = "str"  # pandas' default string dtype: missing values are NaN, comparisons give bool
_OUTPUT_NAMES = {*CORE_COLUMNS, *COPY_COLUMNS}
_FIRST_YEAR, _LAST_YEAR = 1678, 2261  # the span of datetime64[ns]
_RESAVE = "Save it as UTF-8 text."
_PANDAS_INDEX = re.compile(r"__index_level_\d+__")


class CorpusError(ValueError):
    """A corpus has error-level problems; ``.problems`` holds the full problem table."""

    def __init__(self, message: str, problems: pd.DataFrame) -> None:
        super().__init__(message)
        self.problems = problems


class CorpusWarning(UserWarning):
    """``load_corpus(..., errors="skip")`` skipped inputs that have errors."""


def _decode_file(data: bytes, source: str, problems: "_Problems") -> Decoded | None:
    """Decode a file's bytes, reporting every note as a warning on ``source:line``."""
    try:
        decoded = decode(data)
    except Unreadable as exc:
        problems.error(source, str(exc))
        return None
    for line, note in decoded.notes:
        problems.warning(source if line is None else f"{source}:{line}", note)
    return decoded


def _clean(text: str) -> str:
    """Remove BOMs and NULs, normalise line ends to ``\\n``, apply NFC, strip the ends."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


# --------------------------------------------------------------------------------------------
# Dates and values
# --------------------------------------------------------------------------------------------

# The header's value: an ISO date with an optional time (T or one space, seconds and a zone
# optional), DD.MM.YYYY, or anything digit-led (reported as invalid).
_ISO_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_HEADER_RE = re.compile(rf"date[ \t]+(\d{{4}}-\d{{2}}-\d{{2}}{_ISO_TIME}(?=\s|$)|\d+[-./]\S*)", re.IGNORECASE)
_HEADER_VALUE_RE = re.compile(rf"\d{{4}}-\d{{2}}-\d{{2}}{_ISO_TIME}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}")
_DMY_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_HINT = "Write dates as YYYY-MM-DD (or DD.MM.YYYY)."


def _parse_date(value: str) -> datetime | None:
    """Parse an ISO 8601 date or date-time, or DD.MM.YYYY; raise ValueError when invalid."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        match = _DMY_RE.fullmatch(value)
        if match is None:
            raise
        day, month, year = map(int, match.groups())
        parsed = datetime(year, month, day)
    if not _FIRST_YEAR <= parsed.year <= _LAST_YEAR:
        raise ValueError(f"year {parsed.year} out of range")
    return parsed if parsed.tzinfo is None else parsed.replace(tzinfo=None)


def _coerce_date(value: Any) -> datetime | None:
    """A table cell as a date: None for missing, ValueError when it is not a date."""
    if _missing(value):
        return None
    if isinstance(value, str):
        return _parse_date(value)
    if isinstance(value, datetime):  # also pd.Timestamp
        parsed = value.to_pydatetime(warn=False) if isinstance(value, pd.Timestamp) else value
        if not _FIRST_YEAR <= parsed.year <= _LAST_YEAR:
            raise ValueError("out of range")
        return parsed.replace(tzinfo=None)
    if isinstance(value, date):
        return _coerce_date(datetime(value.year, value.month, value.day))
    raise ValueError(f"a {type(value).__name__}, not a date")


def _split_header(text: str) -> tuple[datetime | None, str, str | None]:
    """Split a cleaned text into (header date, body, invalid header value)."""
    match = _HEADER_RE.match(text)
    if match is None:
        return None, text, None
    body = text[match.end() :].lstrip()
    try:
        if not _HEADER_VALUE_RE.fullmatch(match.group(1)):
            raise ValueError
        return _parse_date(match.group(1).replace("Z", "+00:00")), body, None
    except ValueError:
        return None, body, match.group(1)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def _meta_text(value: Any) -> str | None:
    """A metadata cell as clean text, None when empty."""
    if value.__class__ is not str:
        if _missing(value):
            return None
        value = str(value)
    value = value.strip()
    if not value:
        return None
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return value


def _meta_value(value: Any) -> Any:
    """A typed metadata cell (JSON Lines, Parquet): strings cleaned, other types kept."""
    if isinstance(value, str):
        return _meta_text(value)
    return None if _missing(value) else value


def _id_text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _meta_text(value)


def _fmt_date(value: datetime) -> str:
    return value.strftime("%Y-%m-%d") if value == datetime(value.year, value.month, value.day) else value.isoformat(sep=" ")


# --------------------------------------------------------------------------------------------
# Collecting rows and problems
# --------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def error(self, source: str, problem: str) -> None:
        self.rows.append((source, problem, "error"))

    def warning(self, source: str, problem: str) -> None:
        self.rows.append((source, problem, "warning"))

    def table(self) -> pd.DataFrame:
        rank = {"error": 0, "warning": 1}
        rows = sorted(set(self.rows), key=lambda r: (_source_key(r[0]), rank[r[2]], r[1]))
        frame = pd.DataFrame({c: pd.Series([r[i] for r in rows], dtype=_STR) for i, c in enumerate(PROBLEM_COLUMNS)})
        return frame


def _source_key(source: str) -> tuple[str, int]:
    name, sep, tail = source.rpartition(":")
    if sep and tail.isdigit():
        return name, int(tail)
    return source, -1


class _Records:
    """Column lists of the loaded articles (one DataFrame is built at the end)."""

    def __init__(self, extras: Sequence[str] = ()) -> None:
        self.doc_id: list[str] = []
        self.date: list[datetime | None] = []
        self.outlet: list[str | None] = []
        self.title: list[str | None] = []
        self.lang: list[str | None] = []
        self.text: list[str] = []
        self.source: list[str] = []
        self.extras: dict[str, list[Any]] = {name: [] for name in extras}

    def add(self, doc_id, when, outlet, title, lang, text, source, extras: Sequence[Any] = ()) -> None:
        self.doc_id.append(doc_id)
        self.date.append(when)
        self.outlet.append(outlet)
        self.title.append(title)
        self.lang.append(lang)
        self.text.append(text)
        self.source.append(source)
        for column, value in zip(self.extras.values(), extras):
            column.append(value)

    def frame(self) -> tuple[pd.DataFrame, list[str]]:
        """The corpus table in doc_id order, and the source of every row."""
        order = sorted(range(len(self.doc_id)), key=self.doc_id.__getitem__)
        in_order = order == list(range(len(order)))

        def pick(values: list) -> list:
            return values if in_order else [values[i] for i in order]

        ids, texts = pick(self.doc_id), pick(self.text)
        data: dict[str, Any] = {
            "doc_id": _str_series(ids),
            "date": pd.Series(np.array(pick(self.date), dtype="datetime64[ns]")),
            "outlet": _str_series(pick(self.outlet)),
            "title": _str_series(pick(self.title)),
            "lang": _str_series(pick(self.lang)),
            "text": _str_series(texts),
        }
        for name, values in self.extras.items():
            data[name] = _extra_series(pick(values))
        return pd.DataFrame(data), pick(self.source)


def _extra_series(values: list[Any]) -> pd.Series:
    present = [v for v in values if v is not None]
    if all(isinstance(v, str) for v in present):
        return _str_series(values)
    return pd.Series(values)


def _str_series(values: list[str | None]) -> pd.Series:
    """A column of pandas' ``str`` dtype from Python strings and None.

    Built through an Arrow array: the same column as ``pd.Series(values, dtype="str")``, five
    times faster for a corpus' texts. Values that are not strings (Arrow refuses them) go
    the pandas way.
    """
    import pyarrow as pa

    try:
        return pd.Series(pd.array(pa.array(values, type=pa.large_string()), dtype=_STR))
    except Exception:
        return pd.Series(values, dtype=_STR)


def _map_columns(names: Sequence[str], core: Sequence[str], source: str, problems: _Problems) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Match core columns case-insensitively; return {core: index} and [(extra name, index)]."""
    lowered = [str(n).strip().lower() for n in names]
    found: dict[str, int] = {}
    for name in core:
        if name in lowered:
            found[name] = lowered.index(name)
    if "outlet" in core and "outlet" not in found and "source" in lowered:
        found["outlet"] = lowered.index("source")
    if "doc_id" in core and "doc_id" not in found and "id" in lowered:
        found["doc_id"] = lowered.index("id")
    used = set(found.values())
    taken = set(_OUTPUT_NAMES)
    extras = []
    for i, name in enumerate(names):
        if i in used:
            continue
        label = str(name).strip()
        if label.lower() in COPY_COLUMNS or _PANDAS_INDEX.fullmatch(label):
            continue  # a saved corpus read back: recomputed; pandas' own index: not data
        if label.lower() in taken or not label:
            new = _free_name(label or "column", taken)
            problems.warning(
                source, f"The column {label!r} clashes with another column name, so it is kept as {new!r}. Rename it to keep your own name."
            )
            label = new
        taken.add(label.lower())
        extras.append((label, i))
    return found, extras


def _free_name(label: str, taken: set[str]) -> str:
    n = 2
    while f"{label}_{n}".lower() in taken:
        n += 1
    return f"{label}_{n}"


# --------------------------------------------------------------------------------------------
# Folders and .txt files
# --------------------------------------------------------------------------------------------


def _read_article(path: str, source: str, problems: _Problems) -> tuple[datetime | None, str] | None:
    """Read one .txt article: (header date, text), or None after reporting why not."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        problems.error(source, f"The file cannot be read ({exc.strerror or exc}). Check its permissions.")
        return None
    decoded = _decode_file(data, source, problems)
    if decoded is None:
        return None
    if decoded.nul_lines:
        problems.warning(
            f"{source}:{decoded.nul_lines[0]}",
            f"NUL bytes on {line_ranges(decoded.nul_lines)} were removed (damage in transfer?). Check those lines.",
        )
    text = _clean(decoded.text)
    if not text:
        problems.error(source, "The file is empty (or only whitespace): there is no article to load. Add the text or delete the file.")
        return None
    when, body, bad = _split_header(text)
    if bad is not None:
        problems.error(source, f"Invalid date in the header: {bad!r}. Write it as YYYY-MM-DD (e.g. 2026-01-31).")
        return None
    if not body:
        problems.error(source, "The file has a date header but no text. Add the article text or delete the file.")
        return None
    return when, body, None


def _read_page(path: str, source: str, problems: _Problems) -> tuple[datetime | None, str, str | None] | None:
    """Read one saved web page: (date, article text, title) extracted by trafilatura, or None.

    The page's navigation, footer and comments are left out by trafilatura; a first line that
    repeats the title is dropped (the title is kept in ``title``). A page with no article text
    is an error, never an empty row; so is a page of which trafilatura could only keep the
    navigation (no line with :data:`MIN_ARTICLE_WORDS` words outside the page's links).
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        problems.error(source, f"The file cannot be read ({exc.strerror or exc}). Check its permissions.")
        return None
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - trafilatura is a pinned dependency
        raise ImportError("Reading saved web pages needs trafilatura; run `make setup` first.") from exc
    try:
        page = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # lxml and trafilatura raise many types on broken markup
        problems.error(source, f"The page cannot be parsed as HTML ({type(exc).__name__}). Save it again from the browser.")
        return None
    text = _clean(page.text or "") if page is not None else ""
    title = _meta_text(page.title) if page is not None else None
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()
    if not text or not _has_article(text, _link_words(data)):
        problems.error(source, "No article text could be extracted from this page (only navigation, or an empty page). Save the article page itself, or its text as .txt.")
        return None
    when = None
    if page.date:
        try:
            when = _parse_date(page.date)
        except ValueError:
            problems.warning(source, f"The page's date {page.date!r} is not a date; it was loaded without one. Add it to {SIDECAR}.")
    return when, text, title


_PAGE_WORD_RE = re.compile(r"[^\W_]+")
#: A saved page holds an article when some line of its extracted text has at least this many
#: words outside the page's links (menus, breadcrumbs and "404" pages have none).
MIN_ARTICLE_WORDS = 5


def _link_words(data: bytes) -> frozenset[str]:
    """The words of every link text of a page: its menus and link lists.

    Parameters
    ----------
    data : bytes
        The saved page.

    Returns
    -------
    frozenset of str
        The words, lower-cased (empty when the page cannot be parsed).
    """
    from trafilatura import load_html

    try:
        tree = load_html(data)
    except Exception:  # broken markup: trafilatura has reported what it could read
        return frozenset()
    if tree is None:
        return frozenset()
    return frozenset(w.lower() for a in tree.iter("a") for w in _PAGE_WORD_RE.findall(a.text_content() or ""))


def _has_article(text: str, link_words: frozenset[str]) -> bool:
    """Whether an extracted text is an article, not the page's navigation that trafilatura kept.

    Parameters
    ----------
    text : str
        The text trafilatura extracted (title line removed).
    link_words : frozenset of str
        Lower-cased words of the page's link texts (:func:`_link_words`).

    Returns
    -------
    bool
        True when some line has at least :data:`MIN_ARTICLE_WORDS` words that are not link words.
    """
    for line in text.split("\n"):
        words = _PAGE_WORD_RE.findall(line)
        if len(words) >= MIN_ARTICLE_WORDS and sum(w.lower() not in link_words for w in words) >= MIN_ARTICLE_WORDS:
            return True
    return False


def _norm_rel(path: str) -> str:
    path = path.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return unicodedata.normalize("NFC", path)


def _read_sidecar(path: str, source: str, problems: _Problems):
    """Read metadata.csv: ({file: (line, date, outlet, title, lang, extras)}, extra names) or None."""
    try:
        with open(path, "rb") as handle:
            decoded = decode(handle.read())
    except (OSError, Unreadable) as exc:
        problems.error(source, f"{SIDECAR} cannot be read ({exc}); the metadata was not used. Save it as a UTF-8 CSV.")
        return None
    for line, note in decoded.notes:
        problems.warning(source if line is None else f"{source}:{line}", note)
    raw = decoded.text.replace("\ufeff", "")
    rows = _csv_rows(raw, source, problems)
    header = next(rows, None)
    if header is None:
        problems.error(source, f"{SIDECAR} is empty; the metadata was not used. Give it a header line with a file column.")
        return None
    names = header[2]
    lowered = [n.strip().lower() for n in names]
    if "file" not in lowered:
        problems.error(
            source,
            f"{SIDECAR} has no 'file' column (columns: {', '.join(names)}); the metadata was not used. "
            "Add a file column with each article's path relative to the corpus folder.",
        )
        return None
    file_i = lowered.index("file")
    index = [i for i in range(len(names)) if i != file_i]  # positions of the metadata columns
    found, extras = _map_columns([names[i] for i in index], ["date", "outlet", "title", "lang"], source, problems)
    meta: dict[str, tuple] = {}
    for line, _, values in rows:
        label = f"{source}:{line}"
        if values is None:  # unparsable, already reported
            continue
        if len(values) != len(names):
            problems.error(label, _field_count(len(values), len(names)))
            continue
        key = _norm_rel(values[file_i])
        if not key:
            problems.error(label, "The row has an empty file cell. Write the article's path relative to the corpus folder, or delete the row.")
            continue
        if key in meta:
            problems.error(label, f"A second row for {key!r} (the first is on line {meta[key][0]}); this row was not used. Keep one row per article.")
            continue
        cells = [values[i] for i in index]
        try:
            when = _parse_date(cells[found["date"]]) if "date" in found else None
        except ValueError:
            problems.error(label, f"Invalid date {cells[found['date']]!r} for {key!r}; the row was not used. {_DATE_HINT}")
            meta[key] = (line, None)
            continue
        row = tuple(_meta_text(cells[found[c]]) if c in found else None for c in ("outlet", "title", "lang"))
        meta[key] = (line, (when, *row, [_meta_text(cells[i]) for _, i in extras]))
    return meta, [name for name, _ in extras]


def partition_files(folder: str | os.PathLike) -> list[Path]:
    """The partitions of a table split into files (``part-00000.parquet``…), in name order.

    A folder is a partitioned table when it holds no article (``.txt``) or page (``.html``) at
    any depth, and its top level holds table files (``.csv``, ``.jsonl``, ``.parquet``) of one
    kind only (hidden files and a ``_SUCCESS`` marker aside), as Spark, Dask and
    ``benchmarks/make_corpus.py --parquet`` write them. Anything else returns ``[]``.

    Parameters
    ----------
    folder : str or path-like
        A folder.

    Returns
    -------
    list of Path
        The table files, sorted by name; empty when the folder is not a partitioned table.
    """
    root = Path(folder)
    if not root.is_dir():
        return []
    tables, suffixes = [], set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            suffix = os.path.splitext(name)[1].lower()
            if name.startswith(".") or name.startswith("_"):
                continue
            if suffix == ARTICLE_SUFFIX or suffix in PAGE_SUFFIXES:
                return []
            if Path(dirpath) == root and suffix in TABLE_SUFFIXES and name.lower() != SIDECAR:
                tables.append(root / name)
                suffixes.add(suffix)
    return sorted(tables, key=lambda p: p.name) if len(suffixes) == 1 else []


def _read_partitions(root: Path, parts: Sequence[Path], problems: _Problems) -> _Records:
    """Read every partition of a partitioned table (:func:`partition_files`) into one set of records."""
    loaded = [_read_table(str(p), p.name, problems) for p in parts]
    extras: list[str] = []
    for rec in loaded:
        extras += [name for name in rec.extras if name not in extras]
    records = _Records(extras)
    seen: dict[str, str] = {}
    for rec in loaded:
        columns = [rec.extras.get(name) for name in extras]
        for k in range(len(rec.doc_id)):
            doc_id, source = rec.doc_id[k], rec.source[k]
            if doc_id in seen:
                problems.error(source, f"The id {doc_id!r} is already used on {seen[doc_id]}. Give every row its own id.")
                continue
            seen[doc_id] = source
            records.add(doc_id, rec.date[k], rec.outlet[k], rec.title[k], rec.lang[k], rec.text[k], source,
                        [None if col is None else col[k] for col in columns])
    return records


def _read_folder(root: str, problems: _Problems) -> _Records:
    articles: list[tuple[str, str]] = []
    sidecar = None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = unicodedata.normalize("NFC", name if rel_dir == "." else f"{rel_dir}/{name}")
            full = os.path.join(dirpath, name)
            suffix = os.path.splitext(name)[1].lower()
            if rel == SIDECAR:
                sidecar = full
            elif suffix == ARTICLE_SUFFIX or suffix in PAGE_SUFFIXES:
                articles.append((rel, full))
            elif name.lower() == SIDECAR:
                problems.warning(rel, f"Not read: only the {SIDECAR} at the top of the corpus folder is read. Merge its rows into that file.")
            elif suffix in TABLE_SUFFIXES:
                problems.warning(
                    rel, f"Not read: a table inside a corpus folder is not read. Load it on its own with load_corpus({rel!r}) or move it out."
                )
            else:
                kind = f"{suffix} files" if suffix else "files without an extension"
                problems.warning(
                    rel, f"Not read: {kind} are not articles. Save the article as a UTF-8 .txt file (or the page as .html), or move the file out of the corpus folder."
                )
    meta, extra_names = (None, [])
    if sidecar is not None:
        read = _read_sidecar(sidecar, SIDECAR, problems)
        if read is not None:
            meta, extra_names = read
    records = _Records(extra_names)
    blank = [None] * len(extra_names)
    seen: dict[str, str] = {}
    for rel, full in articles:
        doc_id = os.path.splitext(rel)[0]
        if doc_id in seen:
            problems.error(rel, f"Gives the same doc_id as {seen[doc_id]!r}; rename one of the two files.")
            continue
        seen[doc_id] = rel
        is_page = os.path.splitext(rel)[1].lower() in PAGE_SUFFIXES
        article = _read_page(full, rel, problems) if is_page else _read_article(full, rel, problems)
        if article is None:
            continue
        when, body, page_title = article
        outlet = lang = None
        title = page_title
        extras = blank
        if meta is not None:
            entry = meta.get(rel)
            if entry is None:
                problems.warning(rel, f"No row in {SIDECAR} for this article; it was loaded without metadata. Add a row with file={rel}.")
            elif entry[1] is not None:
                line, (meta_date, outlet, meta_title, lang, extras) = entry
                title = meta_title if meta_title is not None else page_title
                if is_page and meta_date is not None:  # a page's own date is a guess: metadata wins
                    if when is not None and when.date() != meta_date.date():
                        problems.warning(
                            rel,
                            f"The page says {_fmt_date(when)} but {SIDECAR} (line {line}) says {_fmt_date(meta_date)}; "
                            "the metadata date is used.",
                        )
                    when = meta_date
                elif when is None:
                    when = meta_date
                elif meta_date is not None and meta_date.date() != when.date():
                    problems.warning(
                        rel,
                        f"The header date {_fmt_date(when)} disagrees with the date {_fmt_date(meta_date)} in "
                        f"{SIDECAR} (line {line}); the header date is used. Correct one of them.",
                    )
                elif meta_date is not None:
                    when = meta_date  # same day, maybe with a time of day
        records.add(doc_id, when, outlet, title, lang, body, rel, extras)
    if meta is not None:
        present = {rel for rel, _ in articles}
        for key, (line, _) in meta.items():
            if key not in present:
                full = os.path.join(root, *key.split("/"))
                if os.path.isfile(full):
                    what = "which is not a .txt article; the row was not used. Point it to the article's .txt file"
                else:
                    what = "which does not exist. Fix the path (relative to the corpus folder, with .txt)"
                problems.error(f"{SIDECAR}:{line}", f"Names {key!r}, {what} or delete the row.")
    if not articles:
        problems.error(".", "No .txt articles or .html pages were found in the folder. Point load_corpus to the folder that holds the articles.")
    return records


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def _field_count(got: int, want: int) -> str:
    return f"The row has {got} field(s) where the header has {want}. Quote fields that contain the delimiter or line breaks, or fix the row."


def _csv_rows(text: str, source: str, problems: _Problems) -> Iterator[tuple[int, int, list[str] | None]]:
    """Yield (line, data row number, fields) for the header (row 0) and every record of a CSV.

    A record that cannot be parsed is reported and yielded with ``None`` fields; a header that
    cannot be parsed ends the table.
    """
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    first = text.split("\n", 1)[0]
    delimiter = "," if "," in first else max((";", "\t"), key=first.count) if (";" in first or "\t" in first) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start, number = 1, -1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            if number < 0:
                problems.error(f"{source}:{start}", f"The header line cannot be parsed ({exc}); the table was not read. Check for a stray quote.")
                return
            where = f"lines {start}–{end} were" if end > start else "the row was"
            problems.error(f"{source}:{start}", f"The row cannot be parsed ({exc}); {where} not read. Check for an unclosed or stray quote.")
            number += 1
            yield start, number, None
            start = end + 1
            continue
        line, start = start, reader.line_num + 1
        if not row:
            continue
        number += 1
        yield line, number, row


def _table_rows(path: str, source: str, suffix: str, problems: _Problems) -> tuple[list[str], Iterable[tuple[str, int, Sequence[Any]]], bool] | None:
    """Read a table: (column names, rows as (label, row number, values), typed values?).

    None when the file cannot be read at all (reported). The names are empty for an empty file
    (nothing reported yet) and for a JSON Lines file whose every line is invalid (each reported).
    """
    if suffix == ".parquet":
        try:
            import pyarrow.parquet as pq

            table = pq.read_table(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            problems.error(source, f"The Parquet file cannot be read ({exc}). Write it again, or export the table as CSV.")
            return None
        names = [str(n) for n in table.column_names]
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        rows = ((f"{source}:{i + 1}", i + 1, values) for i, values in enumerate(zip(*columns)))
        return names, rows, True
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        problems.error(source, f"The file cannot be read ({exc.strerror or exc}). Check its permissions.")
        return None
    decoded = _decode_file(data, source, problems)
    if decoded is None:
        return None
    raw = decoded.text.replace("\ufeff", "")
    if suffix == ".csv":
        records = _csv_rows(raw, source, problems)
        header = next(records, None)
        if header is None:
            if raw.strip():  # only unparsable lines, each reported
                return None
            return [], [], False
        names = header[2]
        rows = ((f"{source}:{line}", number, values) for line, number, values in records)
        return names, rows, False
    parsed: list[tuple[str, int, dict]] = []
    keys: dict[str, None] = {}
    number = 0
    for line, content in enumerate(raw.split("\n"), start=1):
        if not content.strip():
            continue
        number += 1
        label = f"{source}:{line}"
        try:
            obj = json.loads(content)
        except ValueError as exc:
            problems.error(label, f"Invalid JSON ({getattr(exc, 'msg', exc)}, column {getattr(exc, 'colno', '?')}). Fix the line or delete it.")
            continue
        if not isinstance(obj, dict):
            problems.error(label, f"The line is a JSON {type(obj).__name__}, not an object. Write one object per line, like {{\"text\": \"…\"}}.")
            continue
        keys.update(dict.fromkeys(obj))
        parsed.append((label, number, obj))
    if number and not parsed:
        return None
    names = list(keys)
    return names, ((label, n, [obj.get(k) for k in names]) for label, n, obj in parsed), True


def _read_table(path: str, source: str, problems: _Problems) -> _Records:
    stem = Path(source).stem
    suffix = Path(source).suffix.lower()
    read = _table_rows(path, source, suffix, problems)
    if read is None:
        return _Records()
    names, rows, typed = read
    if not names:
        problems.error(source, "The table is empty. Add a header line and one article per row.")
        return _Records()
    found, extras = _map_columns(names, CORE_COLUMNS, source, problems)
    records = _Records([name for name, _ in extras])
    if "text" not in found:
        n_rows = sum(1 for _ in rows)
        problems.error(
            source,
            f"The table has no text column (columns: {', '.join(map(str, names))}); none of its {n_rows} row(s) "
            "was loaded. Rename the column that holds the articles to text.",
        )
        return records
    n_fields = len(names)
    ti, ii, di = found["text"], found.get("doc_id"), found.get("date")
    oi, tli, li = found.get("outlet"), found.get("title"), found.get("lang")
    extra_at = [i for _, i in extras]
    convert = _meta_value if typed else _meta_text
    ids: dict[str, str] = {}
    n_rows = 0
    for label, number, values in rows:
        n_rows += 1
        if values is None:  # unparsable, already reported
            continue
        if not typed and len(values) != n_fields:
            problems.error(label, _field_count(len(values), n_fields))
            continue
        if any(isinstance(v, str) and "\x00" in v for v in values):
            problems.error(label, "The row holds a NUL byte (damage in transfer?); the row was not loaded. Remove the byte or re-export the table.")
            continue
        errors = []
        raw = values[ti]
        when = body = None
        cleaned = _clean(raw) if isinstance(raw, str) else None
        if not cleaned and (cleaned is not None or _missing(raw)):
            errors.append("The text is empty. Fill it in or delete the row.")
        elif cleaned is None:
            errors.append(f"The text is a {type(raw).__name__}, not a string. Store the article as text.")
        else:
            when, body, bad = _split_header(cleaned)
            if bad is not None:
                errors.append(f"Invalid date in the text's header: {bad!r}. Write it as YYYY-MM-DD.")
            elif not body:
                errors.append("The text has a date header but no article. Fill it in or delete the row.")
        if ii is not None:
            doc_id = _id_text(values[ii])
            if doc_id is None:
                errors.append("The id is empty. Give every row an id, or drop the id column to number the rows.")
            elif doc_id in ids:
                errors.append(f"The id {doc_id!r} is already used on {ids[doc_id]}. Give every row its own id.")
            else:
                ids[doc_id] = f"{'row' if suffix == '.parquet' else 'line'} {label.rpartition(':')[2]}"
        else:
            doc_id = f"{stem}-{number}"
        column_date = None
        if di is not None:
            try:
                column_date = _coerce_date(values[di])
            except ValueError:
                errors.append(f"Invalid date {values[di]!r}. {_DATE_HINT}")
        if errors:
            for message in errors:
                problems.error(label, message)
            continue
        if when is None:
            when = column_date
        elif column_date is not None:
            if column_date.date() != when.date():
                problems.warning(
                    label,
                    f"The header date {_fmt_date(when)} disagrees with the date column ({_fmt_date(column_date)}); "
                    "the header date is used. Correct one of them.",
                )
            else:
                when = column_date
        records.add(
            doc_id,
            when,
            _meta_text(values[oi]) if oi is not None else None,
            _meta_text(values[tli]) if tli is not None else None,
            _meta_text(values[li]) if li is not None else None,
            body,
            label,
            [convert(values[i]) for i in extra_at],
        )
    if n_rows == 0:
        problems.error(source, "The table has no rows. Add articles, one per row.")
    return records


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _read(path: str | os.PathLike, min_similarity: float | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    target = Path(path)
    if not target.exists():
        raise FileNotFoundError(f"No corpus at {str(path)!r}: the path does not exist. Check the path (relative paths start from {os.getcwd()!r}).")
    problems = _Problems()
    parts = partition_files(target) if target.is_dir() else []
    if parts:
        records = _read_partitions(target, parts, problems)
    elif target.is_dir():
        records = _read_folder(str(target), problems)
    else:
        suffix = target.suffix.lower()
        if suffix == ARTICLE_SUFFIX or suffix in PAGE_SUFFIXES:
            records = _Records()
            read = _read_page if suffix in PAGE_SUFFIXES else _read_article
            article = read(str(target), target.name, problems)
            if article is not None:
                when, body, title = article
                records.add(unicodedata.normalize("NFC", target.stem), when, None, title, None, body, target.name)
        elif suffix in TABLE_SUFFIXES:
            records = _read_table(str(target), target.name, problems)
        else:
            raise ValueError(
                f"Cannot read {str(path)!r}: load_corpus reads a folder, a .txt or .html file, or a .csv, "
                f".jsonl or .parquet table (got {suffix or 'no extension'})."
            )
    docs, sources = records.frame()
    docs = _marked(docs, min_similarity)
    source_of = dict(zip(docs["doc_id"], sources))
    for doc_id, original, similarity in zip(docs["doc_id"], docs["duplicate_of"], docs["similarity"]):
        if isinstance(original, str):
            problems.warning(
                source_of[doc_id],
                f"Same text as {original!r} ({source_of[original]}), its earliest copy; both are kept and "
                "duplicate_of marks this copy. Drop copies with docs[docs['duplicate_of'].isna()].",
            )
    for doc_id, original, similarity in zip(docs["doc_id"], docs["near_duplicate_of"], docs["similarity"]):
        if isinstance(original, str):
            problems.warning(
                source_of[doc_id],
                f"A lightly edited copy of {original!r} ({source_of[original]}; {similarity:.0%} of word 5-shingles "
                "shared); both are kept and near_duplicate_of marks this copy.",
            )
    table = problems.table()
    docs.attrs["problems"] = table.to_dict("records")
    return docs, table


#: From this many documents the copy marks are cached (:func:`_marked`); below, they take
#: less time than a cache look-up is worth.
_CACHE_DUPLICATES_FROM = 2_000


def _marked(docs: pd.DataFrame, min_similarity: float | None) -> pd.DataFrame:
    """:func:`helpers.duplicates.mark_duplicates`, its three columns cached for a large corpus.

    Every notebook loads the corpus again; near-duplicate detection is most of a large load.
    The cache key holds every ``doc_id``, text and date, ``min_similarity`` and the code of
    :mod:`helpers.duplicates`, so a hit gives exactly the columns a computation would. A cache
    that cannot be written (a read-only folder) only means computing every time.
    """
    if len(docs) < _CACHE_DUPLICATES_FROM:
        return mark_duplicates(docs, min_similarity=min_similarity)
    from helpers.cache import cached_table, code_fingerprint, content_key, texts_digest

    dates = pd.to_datetime(docs["date"]).astype("int64").to_numpy() if len(docs) else np.zeros(0, np.int64)
    texts = texts_digest(docs["doc_id"].astype(str).tolist(), docs["text"])  # (ids and texts, from the Arrow buffers)
    key = content_key([texts, dates.astype("<i8").tobytes().hex()], {"min_similarity": min_similarity, "code": code_fingerprint(Path(__file__).parent / "duplicates.py")})
    columns = ["duplicate_of", "near_duplicate_of", "similarity"]

    def compute() -> pd.DataFrame:
        return mark_duplicates(docs[["doc_id", "text", "date"]], min_similarity=min_similarity)[columns].reset_index(drop=True)

    try:
        marks = cached_table("duplicates", key, compute)
    except OSError:
        marks = compute()
    return docs.assign(
        duplicate_of=pd.Series(marks["duplicate_of"].to_numpy(dtype=object), index=docs.index, dtype="str"),
        near_duplicate_of=pd.Series(marks["near_duplicate_of"].to_numpy(dtype=object), index=docs.index, dtype="str"),
        similarity=pd.Series(marks["similarity"].to_numpy(dtype=np.float64), index=docs.index),
    )


#: From this many bytes of input files the loaded table is cached (:func:`_read_cached`); a
#: smaller corpus loads faster than the look-up and the check of a new entry cost.
_CACHE_LOAD_FROM = 8_000_000


def _input_files(target: Path) -> list[tuple[str, int, int]]:
    """``(path, size, modification time in ns)`` of every file a load of ``target`` may read."""
    if target.is_file():
        st = target.stat()
        return [(str(target.resolve()), st.st_size, st.st_mtime_ns)]
    found = []
    for folder, dirs, names in os.walk(target):
        dirs.sort()
        for name in sorted(names):
            st = os.stat(os.path.join(folder, name))
            found.append((os.path.relpath(os.path.join(folder, name), target), st.st_size, st.st_mtime_ns))
    return [(str(target.resolve()), 0, 0), *found]


def _read_cached(path: str | os.PathLike, min_similarity: float | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`_read`, from the cache when no input file changed since the same load.

    Every notebook loads the corpus again, and a large one takes seconds per load to parse and
    check row by row. The key holds the path, the size and modification time of every file under
    it, ``min_similarity``, the loader's code and the versions of the libraries that read the
    files. A new entry is read back and compared with the loaded table before it is kept, so a
    hit gives exactly the table (and problems) a load would; a table the cache cannot hold
    as it is, or a folder that cannot be written, only means loading every time.
    """
    from helpers.cache import code_fingerprint, content_key, default_cache_dir, package_versions, read_table, write_table

    target = Path(path)
    if not target.exists():
        return _read(path, min_similarity)
    files = _input_files(target)
    if sum(size for _, size, _ in files) < _CACHE_LOAD_FROM:
        return _read(path, min_similarity)
    here = Path(__file__).parent
    code = code_fingerprint(*(here / f for f in ("loader.py", "decode.py", "duplicates.py", "cache.py")))
    key = content_key([json.dumps(files)], {"min_similarity": min_similarity, "code": code,
                                            "versions": package_versions("numpy", "pandas", "pyarrow", "trafilatura")})
    entry = default_cache_dir() / f"loaded-{key}.arrow"
    if entry.exists():
        try:
            docs = read_table(entry)
            return docs, problems_of(docs)
        except Exception:  # a damaged entry: load and write it again
            pass
    docs, problems = _read(path, min_similarity)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_table(docs, entry)
        back = read_table(entry)
        same = back.attrs == docs.attrs and back.dtypes.equals(docs.dtypes) and back.equals(docs)
    except Exception:  # a column Arrow cannot store as it is, or no write access
        same = False
    if not same:
        entry.unlink(missing_ok=True)
        Path(f"{entry}.categories").unlink(missing_ok=True)
    return docs, problems


def problems_of(docs: pd.DataFrame) -> pd.DataFrame:
    """The problem table of a loaded corpus (empty when it loaded cleanly).

    ``load_corpus`` keeps the problems in ``docs.attrs["problems"]`` as records; this returns them
    as the table :func:`validate_corpus` gives, with ``source``, ``problem`` and ``severity``.
    """
    records = docs.attrs.get("problems", [])
    return pd.DataFrame({c: pd.Series([r[c] for r in records], dtype=_STR) for c in PROBLEM_COLUMNS})


def load_corpus(path: str | os.PathLike, errors: str = "raise", *, min_similarity: float | None = 0.8) -> pd.DataFrame:
    """Load a corpus: one row per article.

    Parameters
    ----------
    path : str or path-like
        A folder of ``.txt`` articles and ``.html`` pages (read recursively, with an optional
        ``metadata.csv``), a single ``.txt`` or ``.html`` file, or a ``.csv``, ``.jsonl`` or
        ``.parquet`` table with a ``text`` column. See the module documentation for the formats.
    errors : {"raise", "skip"}
        ``"raise"`` (default): raise :class:`CorpusError` listing every error-level problem.
        ``"skip"``: load every valid article and emit one :class:`CorpusWarning` saying how many
        inputs were skipped. Warning-level problems never raise or warn; :func:`problems_of`
        lists them.
    min_similarity : float or None
        Jaccard similarity of word 5-shingles from which a text is marked as a near-duplicate
        of an earlier one (default 0.8); None marks exact copies only.

    Returns
    -------
    DataFrame
        ``doc_id``, ``date``, ``outlet``, ``title``, ``lang``, ``text``, the extra metadata
        columns, ``duplicate_of``, ``near_duplicate_of``, ``similarity``; sorted by ``doc_id``.
        :func:`problems_of` gives its problem table (the one :func:`validate_corpus` returns).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When ``errors`` is not ``"raise"`` or ``"skip"``, or ``path`` is a file of another type.
    CorpusError
        With ``errors="raise"``, when some input cannot be loaded; ``exc.problems`` is the table.

    Examples
    --------
    >>> docs = load_corpus("corpus/articles")  # doctest: +SKIP
    >>> docs.groupby("outlet").size()  # doctest: +SKIP
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}.")
    docs, problems = _read_cached(path, min_similarity)
    bad = problems[problems["severity"] == "error"]
    if len(bad) and errors == "raise":
        lines = "\n".join(f"  {s}: {p}" for s, p in zip(bad["source"], bad["problem"]))
        raise CorpusError(
            f"Cannot load the corpus {str(path)!r}: {len(bad)} error(s).\n{lines}\n"
            "Fix them, or pass errors='skip' to load the valid articles "
            "(validate_corpus(path) returns this list as a table).",
            problems,
        )
    if len(bad):
        skipped = bad["source"].nunique()
        listed = "; ".join(f"{s}: {p.rstrip('.')}" for s, p in list(zip(bad["source"], bad["problem"]))[:3])
        warnings.warn(
            f"Skipped {skipped} input(s) of {str(path)!r} that could not be loaded: "
            + listed
            + ("; …" if len(bad) > 3 else "")
            + f". validate_corpus({str(path)!r}) lists them all.",
            CorpusWarning,
            stacklevel=2,
        )
    from helpers.engine import release_memory

    release_memory(int(docs["text"].str.len().sum()) if "text" in docs and len(docs) else 0)  # (reading and copy detection freed much more than the table holds)
    return docs


def validate_corpus(path: str | os.PathLike, *, min_similarity: float | None = 0.8) -> pd.DataFrame:
    """List the problems of a corpus without loading it into a notebook.

    Parameters
    ----------
    path : str or path-like
        Same as :func:`load_corpus`.
    min_similarity : float or None
        As for :func:`load_corpus`.

    Returns
    -------
    DataFrame
        One row per problem: ``source`` (the file relative to the corpus folder, or
        ``"file:line"`` for a table row or a line of a file), ``problem`` (what is wrong and what
        to do) and ``severity`` (``"error"``: not loaded; ``"warning"``: loaded with a caveat).
        Sorted by source (line numbers in numeric order), errors first, then problem. Empty for a
        clean corpus.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    """
    return _read(path, min_similarity)[1]
