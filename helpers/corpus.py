"""Load and validate a collection of news articles.

:func:`load_corpus` turns a folder of ``.txt`` articles, a single ``.txt`` file or a table
(``.csv``, ``.jsonl``, ``.parquet``) into one DataFrame with one row per article.
:func:`validate_corpus` lists everything that is wrong with the same input. Both run the same
reader, so an input is either a row of the corpus or a row of the problem table: nothing is lost
silently.

The corpus table
----------------
Columns, in this order:

``doc_id`` (str)
    Unique and stable. In a folder, the file's path relative to the folder, with ``/`` separators
    and without ``.txt`` (``evroefir/2026-01-06_summit``); for a single ``.txt`` file, its stem;
    for a table, the ``id`` / ``doc_id`` column as text, else ``"<table stem>-<row>"`` with the
    1-based number of the data row.
``date`` (datetime64[ns])
    From the ``date`` header of the text, else from the metadata or the table's ``date`` column;
    ``NaT`` when unknown. Time-zone offsets are dropped: the outlet's local clock time is kept.
``outlet``, ``title``, ``lang`` (str)
    From the metadata (``source`` is read as ``outlet`` when there is no ``outlet`` column).
``text`` (str)
    The article, without its header.
extra metadata columns
    Every other column of ``metadata.csv`` or of the table, with its own name, in input order.
    CSV values are text; JSON Lines and Parquet values keep their types. A name that clashes with
    another column gets a suffix (``Text_2``), with a warning; a ``duplicate_of`` column (a saved
    corpus read back) is recomputed.
``duplicate_of`` (str)
    For a later copy of a text, the ``doc_id`` of its first copy (in ``doc_id`` order); missing
    otherwise. Texts are copies when they are identical after the clean-up below (headers
    removed). Every copy is kept: ``docs[docs["duplicate_of"].isna()]`` drops the copies.

Text columns use pandas' default string dtype (``str``); a missing value is a missing value
(``isna()`` is True), never an empty string. Rows are sorted by ``doc_id``.
``df.attrs["problems"]`` holds the problem table (see below) of the load.

Input formats
-------------
Folder
    Read recursively: every ``*.txt`` file is an article. An optional ``metadata.csv`` at the top
    of the folder has a ``file`` column (the article's path relative to the folder, with its
    extension) and metadata columns (``outlet`` or ``source``, ``title``, ``lang``, ``date``,
    ``section``…). Hidden files and folders (names starting with ``.``, such as
    ``.ipynb_checkpoints``) are ignored; any other file is reported as *not read*.
Table
    ``.csv`` (comma, or ``;`` / tab when the header has no comma), ``.jsonl`` (one JSON object a
    line) or ``.parquet``, with a ``text`` column and optional ``id`` / ``doc_id``, ``date``,
    ``outlet`` / ``source``, ``title``, ``lang`` columns, matched case-insensitively.

The seed format: a text may begin with the header `` date YYYY-MM-DD`` (leading space optional);
the article goes on after whitespace on the same line or on the next one. The header is removed
from ``text`` and gives ``date``. When it disagrees with the metadata, the header wins (and a
warning says so). Dates in metadata and tables may be ISO 8601 dates or date-times, or
``DD.MM.YYYY``; an invalid date is an error, an empty one is ``NaT``.

Text clean-up
-------------
Files are decoded from UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, CP1251 or KOI8-R
(see :func:`decode_bytes`; the choice between the last two is reliable from about six words, and a
close call on a shorter text is reported as a warning). Then byte-order marks are removed, CRLF and CR line ends become
``\\n``, the text is put in Unicode NFC, and whitespace at the start and end of the whole text is
stripped. Nothing else changes: ``ё`` stays ``ё``, whitespace inside the text stays as written.
Metadata values are stripped and put in NFC too.

Problems
--------
The problem table has the columns ``source`` (the file, relative to the corpus folder; for a
table row ``"file:line"``, the line where the row starts, or the 1-based row for Parquet),
``problem`` (what is wrong and what to do) and ``severity``: ``"error"`` (that input was not
loaded) or ``"warning"`` (loaded, with a caveat). A loaded corpus keeps its problems in
``df.attrs["problems"]`` as plain records (so that ``concat``, ``merge`` and ``to_parquet`` work
as usual); :func:`problems_of` turns them back into the table.

Examples
--------
>>> from helpers.corpus import load_corpus, validate_corpus
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
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CORE_COLUMNS",
    "PROBLEM_COLUMNS",
    "CorpusError",
    "CorpusWarning",
    "add_metadata",
    "problems_of",
    "with_groups",
    "decode_bytes",
    "load_corpus",
    "validate_corpus",
]

#: The first columns of every corpus, in order (extra metadata and ``duplicate_of`` follow).
CORE_COLUMNS = ["doc_id", "date", "outlet", "title", "lang", "text"]
#: The columns of the problem table.
PROBLEM_COLUMNS = ["source", "problem", "severity"]

SIDECAR = "metadata.csv"
ARTICLE_SUFFIX = ".txt"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
_STR = "str"  # pandas' default string dtype: missing values are NaN, comparisons give bool
_OUTPUT_NAMES = {*CORE_COLUMNS, "duplicate_of"}
_FIRST_YEAR, _LAST_YEAR = 1678, 2261  # the span of datetime64[ns]


class CorpusError(ValueError):
    """A corpus has error-level problems; ``.problems`` holds the full problem table."""

    def __init__(self, message: str, problems: pd.DataFrame) -> None:
        super().__init__(message)
        self.problems = problems


class CorpusWarning(UserWarning):
    """``load_corpus(..., errors="skip")`` skipped inputs that have errors."""


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------


class _Unreadable(Exception):
    """Raised by the decoder; the message is the problem sentence."""


# Letter frequencies of Russian news prose (per mille), plus the Ukrainian letters.
_LETTER_FREQ = {
    "о": 109.7, "е": 84.5, "а": 80.1, "и": 73.5, "н": 67.0, "т": 62.6, "с": 54.7, "р": 47.3,
    "в": 45.4, "л": 44.0, "к": 34.9, "м": 32.1, "д": 29.8, "п": 28.1, "у": 26.2, "я": 20.1,
    "ы": 19.0, "ь": 17.4, "г": 17.0, "з": 16.5, "б": 15.9, "ч": 14.4, "й": 12.1, "х": 9.7,
    "ж": 9.4, "ш": 7.3, "ю": 6.4, "ц": 4.8, "щ": 3.6, "э": 3.2, "ф": 2.6, "ъ": 0.4, "ё": 1.0,
    "і": 8.0, "ї": 1.0, "є": 1.0, "ґ": 0.1,
}  # fmt: skip
_LOG_FREQ = {ch: math.log(f / 1000) for ch, f in _LETTER_FREQ.items()}
_RARE_LETTER = math.log(1e-5)  # a letter of another alphabet (ђ, љ, Ј…)
_JUNK = math.log(1e-6)  # a box-drawing or other unlikely non-letter
_CASE_FLIP = -8.0  # "пУТИН": a capital right after a small letter, per occurrence
_WORD_BONUS = 4.0  # per occurrence of a frequent short word (any case)
# The most frequent short words of Russian (and Ukrainian) news prose.
_COMMON_WORDS = frozenset(
    "и в во не на что с со по он она оно они я мы вы ты как а то это к ко но из у за от о об же так "
    "для все всё его ее её их или при до после под над без через если когда чтобы также только еще "
    "ещё уже было был была были будет может этот эта эти этого того том тем который которые которая "
    "которых более году года лет время он их ни бы ли да нет где там тут здесь есть сказал заявил "
    "й та як що це від до за та про але його її які який яка також між"
    .split()
)  # fmt: skip
# Non-letters that are common in Russian text saved in CP1251.
_PUNCT = set("«»„“”‘’‚–—…№§©®°±·•€™\u00a0\u00ad‰")
_CYR_LOWER = "а-яёіїєґ"
_CYR_UPPER = "А-ЯЁІЇЄҐ"
_FLIP_RE = re.compile(f"[{_CYR_LOWER}][{_CYR_UPPER}]")
_WORD_RE = re.compile(f"[{_CYR_LOWER}{_CYR_UPPER}]+")
_MIXED_RE = re.compile(f"[A-Za-z][{_CYR_LOWER}{_CYR_UPPER}]|[{_CYR_LOWER}{_CYR_UPPER}][A-Za-z]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_MAGIC = ((b"%PDF", "a PDF file"), (b"PK\x03\x04", "a zip archive (a .docx, .xlsx or .zip file)"), (b"{\\rtf", "an RTF file"))
_RESAVE = "Save it as UTF-8 text."
_SAMPLE = 50_000  # characters scored to choose a single-byte encoding


def _cyrillic_score(text: str) -> tuple[float, int, int, int, int]:
    """Score how much ``text`` looks like Russian/Ukrainian (higher is better).

    Returns the score and the counts of non-ASCII characters, Cyrillic letters, plausible
    non-ASCII characters (letters or common punctuation) and case flips.
    """
    score = 0.0
    non_ascii = letters = plausible = 0
    for ch, n in Counter(text).items():
        if ch < "\x80":
            continue
        non_ascii += n
        low = ch.lower()
        if low in _LOG_FREQ:
            score += n * _LOG_FREQ[low]
            letters += n
            plausible += n
        elif ch in _PUNCT:
            plausible += n
        elif ch.isalpha():
            score += n * _RARE_LETTER
        else:
            score += n * _JUNK
    flips = len(_FLIP_RE.findall(text))
    score += flips * _CASE_FLIP
    score += _WORD_BONUS * sum(1 for w in _WORD_RE.findall(text) if w.lower() in _COMMON_WORDS)
    return score, non_ascii, letters, plausible, flips


def _decode_single_byte(data: bytes) -> tuple[str, str, str | None]:
    """Choose between CP1251 and KOI8-R by letter frequencies and case patterns."""
    candidates = []
    for encoding in ("cp1251", "koi8-r"):
        text = data.decode(encoding, errors="replace")  # cp1251 leaves 0x98 undefined
        candidates.append((_cyrillic_score(text[:_SAMPLE]), encoding, text))
    candidates.sort(key=lambda c: -c[0][0])
    (score, non_ascii, letters, plausible, flips), encoding, text = candidates[0]
    if plausible < 0.9 * non_ascii or (letters >= 10 and flips > 0.1 * letters):
        raise _Unreadable(
            "The file is not UTF-8 and does not read as Russian or Ukrainian text in CP1251 or "
            f"KOI8-R (another encoding, or not text at all). {_RESAVE}"
        )
    if letters and len(_MIXED_RE.findall(text)) > 0.2 * letters:
        raise _Unreadable(
            "The file is not UTF-8; it looks like a Western European encoding (such as cp1252 or "
            f"latin-1), which is not read. {_RESAVE}"
        )
    note = None
    if score - candidates[1][0][0] < 4.0 and letters:
        note = (
            f"The encoding was guessed as {encoding.upper()}, but {candidates[1][1].upper()} is "
            f"nearly as likely for so short a text; check the text, or save the file as UTF-8."
        )
    return text, encoding, note


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """Decode the bytes of a text file, detecting its encoding.

    Tried in order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); strict UTF-8; UTF-8
    with a few broken bytes (more than ten valid non-ASCII characters per broken byte: the
    broken bytes become U+FFFD); then CP1251 or KOI8-R, whichever reads more like Russian or
    Ukrainian: the score sums log frequencies of the letters, penalises characters that do not
    occur in Cyrillic text (box drawing, letters of other alphabets) and capitals right after
    small letters (a KOI8-R text read as CP1251 swaps case and scrambles letters: ``Путин``
    becomes ``пСФЙО``).

    Parameters
    ----------
    data : bytes
        The raw content of a file.

    Returns
    -------
    text : str
        The decoded text (BOM removed, otherwise untouched).
    encoding : str
        The codec used, e.g. ``"utf-8"``, ``"utf-16-le"``, ``"cp1251"``.
    note : str or None
        A caveat worth a warning (broken bytes replaced, a low-confidence guess), else None.

    Raises
    ------
    ValueError
        For binary data or bytes that are none of these encodings; the message says why.
    """
    try:
        return _decode(data)
    except _Unreadable as exc:
        raise ValueError(str(exc)) from None


def _decode(data: bytes) -> tuple[str, str, str | None]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode("utf-8" if encoding == "utf-8-sig" else encoding)
            except UnicodeDecodeError:
                raise _Unreadable(
                    f"The file starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()}. {_RESAVE}"
                ) from None
            return _check_controls(text), encoding, None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _Unreadable(f"This is {what} saved under a text name, not a text article. Extract its text into a UTF-8 .txt file.")
    if b"\x00" in data:
        raise _Unreadable(
            "This is a binary file (it contains NUL bytes), not a text article. Remove it, or if "
            "it is UTF-16 text without a byte-order mark, save it as UTF-8."
        )
    try:
        return _check_controls(data.decode("utf-8")), "utf-8", None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - broken
    if valid >= 10 * broken:
        note = f"{broken} byte(s) are not valid UTF-8 and were replaced by \ufffd; check the text, or save the file again as UTF-8."
        return _check_controls(text), "utf-8", note
    text, encoding, note = _decode_single_byte(data)
    return _check_controls(text), encoding, note


def _check_controls(text: str) -> str:
    """Reject text full of control characters (binary data that happened to decode).

    Only the first ``_SAMPLE`` characters are checked (and NUL everywhere): binary data shows
    itself at once, and a large table need not be scanned twice.
    """
    sample = text[:_SAMPLE]
    if "\x00" in text or _CONTROL_RE.search(sample) is not None:
        if "\x00" in text or len(_CONTROL_RE.findall(sample)) > 0.01 * len(sample):
            raise _Unreadable(
                "This is a binary file (it is full of control characters), not a text article. "
                "Remove it or save the article as UTF-8 text."
            )
    return text


def _clean(text: str) -> str:
    """Remove BOMs, normalise line ends to ``\\n``, apply NFC, strip the ends."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


# --------------------------------------------------------------------------------------------
# Dates and values
# --------------------------------------------------------------------------------------------

_HEADER_RE = re.compile(r"date[ \t]+(\d+[-./]\S*)", re.IGNORECASE)
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
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}", match.group(1)):
            raise ValueError
        return _parse_date(match.group(1)), body, None
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

    def frame(self, problems: _Problems) -> pd.DataFrame:
        order = sorted(range(len(self.doc_id)), key=self.doc_id.__getitem__)
        in_order = order == list(range(len(order)))

        def pick(values: list) -> list:
            return values if in_order else [values[i] for i in order]

        ids, texts, sources = pick(self.doc_id), pick(self.text), pick(self.source)
        first: dict[str, int] = {}  # a dict of the texts: one hash each, computed in C
        duplicate_of: list[str | None] = [None] * len(ids)
        for i, body in enumerate(texts):
            j = first.setdefault(body, i)
            if j != i:
                duplicate_of[i] = ids[j]
                problems.warning(
                    sources[i],
                    f"Same text as {ids[j]!r} ({sources[j]}); both are kept and duplicate_of marks this "
                    "copy. Drop copies with docs[docs['duplicate_of'].isna()].",
                )
        data: dict[str, Any] = {
            "doc_id": pd.Series(ids, dtype=_STR),
            "date": pd.Series(np.array(pick(self.date), dtype="datetime64[ns]")),
            "outlet": pd.Series(pick(self.outlet), dtype=_STR),
            "title": pd.Series(pick(self.title), dtype=_STR),
            "lang": pd.Series(pick(self.lang), dtype=_STR),
            "text": pd.Series(texts, dtype=_STR),
        }
        for name, values in self.extras.items():
            data[name] = _extra_series(pick(values))
        data["duplicate_of"] = pd.Series(duplicate_of, dtype=_STR)
        return pd.DataFrame(data)


def _extra_series(values: list[Any]) -> pd.Series:
    present = [v for v in values if v is not None]
    if all(isinstance(v, str) for v in present):
        return pd.Series(values, dtype=_STR)
    return pd.Series(values)


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
        if label.lower() == "duplicate_of":  # a saved corpus read back: recomputed
            continue
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
    try:
        raw, _, note = _decode(data)
    except _Unreadable as exc:
        problems.error(source, str(exc))
        return None
    if note:
        problems.warning(source, note)
    text = _clean(raw)
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
    return when, body


def _norm_rel(path: str) -> str:
    path = path.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return unicodedata.normalize("NFC", path)


def _read_sidecar(path: str, source: str, problems: _Problems):
    """Read metadata.csv: ({file: (line, date, outlet, title, lang, extras)}, extra names) or None."""
    try:
        with open(path, "rb") as handle:
            raw, _, _ = _decode(handle.read())
    except (OSError, _Unreadable) as exc:
        problems.error(source, f"{SIDECAR} cannot be read ({exc}); the metadata was not used. Save it as a UTF-8 CSV.")
        return None
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
            elif suffix == ARTICLE_SUFFIX:
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
                    rel, f"Not read: {kind} are not articles. Save the article as a UTF-8 .txt file, or move the file out of the corpus folder."
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
        doc_id = rel[: -len(ARTICLE_SUFFIX)]
        if doc_id in seen:
            problems.error(rel, f"Gives the same doc_id as {seen[doc_id]!r}; rename one of the two files.")
            continue
        seen[doc_id] = rel
        article = _read_article(full, rel, problems)
        if article is None:
            continue
        when, body = article
        outlet = title = lang = None
        extras = blank
        if meta is not None:
            entry = meta.get(rel)
            if entry is None:
                problems.warning(rel, f"No row in {SIDECAR} for this article; it was loaded without metadata. Add a row with file={rel}.")
            elif entry[1] is not None:
                line, (meta_date, outlet, title, lang, extras) = entry
                if when is None:
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
        problems.error(".", "No .txt articles were found in the folder. Point load_corpus to the folder that holds the articles.")
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
            raw, _, note = _decode(handle.read())
    except _Unreadable as exc:
        problems.error(source, str(exc))
        return None
    if note:
        problems.warning(source, note)
    raw = raw.replace("\ufeff", "")
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


def _read(path: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    target = Path(path)
    if not target.exists():
        raise FileNotFoundError(f"No corpus at {str(path)!r}: the path does not exist. Check the path (relative paths start from {os.getcwd()!r}).")
    problems = _Problems()
    if target.is_dir():
        records = _read_folder(str(target), problems)
    else:
        suffix = target.suffix.lower()
        if suffix == ARTICLE_SUFFIX:
            records = _Records()
            article = _read_article(str(target), target.name, problems)
            if article is not None:
                records.add(unicodedata.normalize("NFC", target.stem), article[0], None, None, None, article[1], target.name)
        elif suffix in TABLE_SUFFIXES:
            records = _read_table(str(target), target.name, problems)
        else:
            raise ValueError(
                f"Cannot read {str(path)!r}: load_corpus reads a folder, a .txt file or a .csv, .jsonl "
                f"or .parquet table (got {suffix or 'no extension'})."
            )
    docs = records.frame(problems)
    table = problems.table()
    docs.attrs["problems"] = table.to_dict("records")
    return docs, table


def problems_of(docs: pd.DataFrame) -> pd.DataFrame:
    """The problem table of a loaded corpus (empty when it loaded cleanly).

    ``load_corpus`` keeps the problems in ``docs.attrs["problems"]`` as records; this returns them
    as the table :func:`validate_corpus` gives, with ``source``, ``problem`` and ``severity``.
    """
    records = docs.attrs.get("problems", [])
    return pd.DataFrame({c: pd.Series([r[c] for r in records], dtype=_STR) for c in PROBLEM_COLUMNS})


def load_corpus(path: str | os.PathLike, errors: str = "raise") -> pd.DataFrame:
    """Load a corpus: one row per article.

    Parameters
    ----------
    path : str or path-like
        A folder of ``.txt`` articles (read recursively, with an optional ``metadata.csv``), a
        single ``.txt`` file, or a ``.csv``, ``.jsonl`` or ``.parquet`` table with a ``text``
        column. See the module documentation for the formats.
    errors : {"raise", "skip"}
        ``"raise"`` (default): raise :class:`CorpusError` listing every error-level problem.
        ``"skip"``: load every valid article and emit one :class:`CorpusWarning` saying how many
        inputs were skipped. Warning-level problems never raise or warn; :func:`problems_of`
        lists them.

    Returns
    -------
    DataFrame
        ``doc_id``, ``date``, ``outlet``, ``title``, ``lang``, ``text``, the extra metadata
        columns, ``duplicate_of``; sorted by ``doc_id``. :func:`problems_of` gives its problem
        table (the one :func:`validate_corpus` returns).

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
    docs, problems = _read(path)
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
        warnings.warn(
            f"Skipped {skipped} input(s) of {str(path)!r} that could not be loaded; "
            f"validate_corpus({str(path)!r}) lists them.",
            CorpusWarning,
            stacklevel=2,
        )
    return docs


def add_metadata(frame: pd.DataFrame, docs: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame:
    """Return ``frame`` (any table with a ``doc_id`` column) with metadata ``columns`` of ``docs``.

    Rows keep their order; ``doc_id`` comes back as ``str``. Columns that ``frame`` already has
    are left as they are.

    Raises
    ------
    ValueError
        When the corpus lacks one of the columns; the message lists the columns it has.
    """
    wanted = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in wanted if c not in frame.columns]
    absent = [c for c in missing if c not in docs.columns]
    if absent:
        raise ValueError(f"The corpus has no column {absent}; it has {', '.join(map(str, docs.columns))}.")
    out = frame.assign(doc_id=frame["doc_id"].astype(str))
    if not missing:
        return out
    meta = docs[["doc_id", *missing]].astype({"doc_id": str})
    return out.merge(meta, on="doc_id", how="left")


def with_groups(docs: pd.DataFrame, column: str, missing: str = "(unknown)") -> pd.DataFrame:
    """Return ``docs`` with no missing value in the grouping ``column``.

    Articles without a value (no metadata row, an empty cell) form the group ``missing``, so
    that they stay in every count instead of vanishing from group-by tables.

    Raises
    ------
    ValueError
        When the corpus has no such column; the message lists the columns it has.
    """
    if column not in docs.columns:
        raise ValueError(
            f"The corpus has no column {column!r} to group by; it has {', '.join(map(str, docs.columns))}. "
            "Pass GROUP_BY=<one of them> to make run, or set group_by in the notebook."
        )
    values = docs[column].astype("str").where(docs[column].notna(), missing)
    return docs.assign(**{column: values.replace("", missing)})


def validate_corpus(path: str | os.PathLike) -> pd.DataFrame:
    """List the problems of a corpus without loading it into a notebook.

    Parameters
    ----------
    path : str or path-like
        Same as :func:`load_corpus`.

    Returns
    -------
    DataFrame
        One row per problem: ``source`` (the file relative to the corpus folder, or
        ``"file:line"`` for a table row), ``problem`` (what is wrong and what to do) and
        ``severity`` (``"error"``: not loaded; ``"warning"``: loaded with a caveat). Sorted by
        source (line numbers in numeric order), errors first, then problem. Empty for a clean
        corpus.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    """
    return _read(path)[1]
