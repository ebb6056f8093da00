"""One reader for every file a user edits: actors, frames, expressions, stop words, overrides, coding.

Every dictionary of the kit is a CSV file (``#`` starts a comment line) or a YAML list of rows.
:func:`read_table` reads them all the same way:

- a path that does not exist is an error naming it (never a silent fall-back to nothing);
- a missing column is an error naming the file and the columns it has;
- every row keeps its **file line** (comment and blank lines counted), so that a bad row is
  reported as ``path:line`` with what to do (:func:`row_error`).

The bundled files live in ``corpus/``; the ``*_FILE`` constants name them.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"

#: Environment variable naming a folder that replaces ``corpus/`` for every bundled dictionary
#: (the unit tests point it at ``tests/fixtures/dictionaries`` so that editing ``corpus/`` never
#: breaks them; a teacher can point it at a class folder).
DICTIONARIES_ENV = "NEWSFRAMES_DICTIONARIES"


class BundledFile(os.PathLike):
    """A bundled dictionary, resolved when it is opened (not when the module is imported).

    ``Path(ACTORS_FILE)`` is ``corpus/actors.csv``, or the file of the same name in the folder
    that ``$NEWSFRAMES_DICTIONARIES`` names.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __fspath__(self) -> str:
        folder = os.environ.get(DICTIONARIES_ENV)
        return str(Path(folder) / self.name if folder else CORPUS_DIR / self.name)

    def __str__(self) -> str:
        return self.__fspath__()

    def __repr__(self) -> str:
        return f"BundledFile({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BundledFile) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


ACTORS_FILE = BundledFile("actors.csv")
POLICY_FRAMES_FILE = BundledFile("frames_policy.csv")
DOMAIN_FRAMES_FILE = BundledFile("frames_domain.csv")
MWES_FILE = BundledFile("mwes.csv")
STOPWORDS_FILE = BundledFile("stopwords.csv")
OVERRIDES_FILE = BundledFile("lemma_overrides.csv")
CODING_FILE = BundledFile("frames_coded.csv")

#: Name of the column that holds each row's line in its file.
LINE = "_line"


class DictionaryError(ValueError):
    """A user file has a problem; the message names the file (and line) and what to do."""


def row_error(path: str | Path, line: int | None, message: str) -> DictionaryError:
    """An error for one row: ``"path:line: message"``."""
    where = f"{path}:{line}" if line is not None else str(path)
    return DictionaryError(f"{where}: {message}")


def _check_path(path: str | Path, kind: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"The {kind} file {str(path)!r} does not exist. Check the path (relative paths start from the notebook's folder).")
    if p.is_dir():
        raise DictionaryError(f"{path}: this is a folder; the {kind} must be a CSV or YAML file.")
    return p


def _csv_records(text: str, path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and rows of a CSV text, each row with its 1-based file line; comments skipped."""
    lines = text.splitlines(keepends=True)
    kept: list[tuple[int, str]] = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not kept:
        raise DictionaryError(f"{path}: the file has no header line. Write the column names on the first line that is not a comment.")
    starts = [n for n, _ in kept]
    reader = csv.reader(io.StringIO("".join(line for _, line in kept)), skipinitialspace=True)
    rows: list[tuple[int, list[str]]] = []
    consumed = 0
    try:
        for row in reader:
            line = starts[consumed]
            consumed = reader.line_num
            rows.append((line, row))
    except csv.Error as exc:
        raise row_error(path, starts[min(consumed, len(starts) - 1)], f"the line cannot be read as CSV ({exc}); check its quotes.") from None
    header, body = rows[0][1], rows[1:]
    return [h.strip() for h in header], body


def read_table(
    path: str | Path,
    *,
    kind: str,
    required: Sequence[str],
    optional: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read a user's CSV or YAML table, with each row's file line.

    Parameters
    ----------
    path : str or Path
        The file. CSV (UTF-8; ``#`` starts a comment line; blank lines ignored) or YAML (a list
        of mappings, ``.yml`` / ``.yaml``).
    kind : str
        What the file is, for messages (``"actor dictionary"``).
    required : sequence of str
        Columns that must be present.
    optional : dict, optional
        Other known columns and their default value when absent.

    Returns
    -------
    DataFrame
        Every column as stripped text (an empty cell is ``""``), plus ``_line``: the 1-based
        line of the row in the file (for YAML, the row's position).

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    DictionaryError
        When a required column is missing, a row has the wrong number of fields, or the file is
        not valid CSV or YAML; the message names the file and line.
    """
    p = _check_path(path, kind)
    optional = optional or {}
    if p.suffix.lower() in (".yml", ".yaml"):
        import yaml

        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise DictionaryError(f"{path}: not valid YAML ({exc}).") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise DictionaryError(f"{path}: a YAML {kind} must be a list of rows (mappings), one per entry.")
        names = list(dict.fromkeys(k for r in data for k in r))
        table = pd.DataFrame([{k: "" if r.get(k) is None else str(r.get(k)).strip() for k in names} for r in data], columns=names)
        table[LINE] = range(1, len(table) + 1)
    else:
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise DictionaryError(f"{path}: the file is not UTF-8. Save it as UTF-8 (CSV UTF-8 in a spreadsheet).") from None
        names, rows = _csv_records(text, p)
        for line, row in rows:
            if len(row) != len(names):
                raise row_error(p, line, f"the row has {len(row)} field(s) where the header has {len(names)}; quote fields that contain commas.")
        table = pd.DataFrame([[c.strip() for c in row] for _, row in rows], columns=names, dtype=object)
        table[LINE] = [line for line, _ in rows]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise DictionaryError(
            f"{path}: the {kind} needs the column(s) {', '.join(required)}; missing {', '.join(missing)} "
            f"(it has {', '.join(c for c in table.columns if c != LINE) or 'none'})."
        )
    for column, default in optional.items():
        if column not in table.columns:
            table[column] = default
    table = table.fillna("")
    for column in table.columns:
        if column != LINE:
            table[column] = table[column].astype(str).str.strip()
    return table.reset_index(drop=True)


def _paths(path: str | Path | Sequence[str | Path] | None, default: Sequence[Path]) -> list[Path]:
    if path is None:
        return list(default)
    if isinstance(path, (str, os.PathLike)):
        return [Path(path)]
    return [Path(p) for p in path]


def file_stamp(path: str | Path) -> tuple[str, int, int] | None:
    """``(path, modification time in ns, size)`` of a file, None when it cannot be read: what a
    reading kept in memory is checked against, so that an edited list is read again."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return str(path), st.st_mtime_ns, st.st_size


def load_overrides(path: str | Path | None = OVERRIDES_FILE) -> dict[tuple[str, str], tuple[str, bool]]:
    """Read lemma overrides: ``{(lang, form): (lemma, any_case)}``.

    Columns ``lang``, ``form``, ``lemma`` and optional ``case``: ``capitalised`` (the default:
    the row applies to words written with a capital letter, so that «Марку» the name is fixed
    while «марку» the brand is not) or ``any``. Forms are matched lower-cased with ``ё`` as
    ``е``. ``path=None`` means no overrides.
    """
    if path is None:
        return {}
    stamp = file_stamp(path)  # (None for a missing file: the reader below names it)
    hit = _OVERRIDES.get(stamp) if stamp is not None else None
    if hit is None:
        hit = _read_overrides(path)
        if stamp is not None:
            _OVERRIDES[stamp] = hit
    return dict(hit)


_OVERRIDES: dict[tuple[str, int, int], dict] = {}  # read again whenever the file changes on disk


def _read_overrides(path: str | Path) -> dict[tuple[str, str], tuple[str, bool]]:
    table = read_table(path, kind="lemma override list", required=("lang", "form", "lemma"), optional={"case": "capitalised"})
    out = {}
    for lang, form, lemma, case, line in table[["lang", "form", "lemma", "case", LINE]].itertuples(index=False):
        if not lang or not form or not lemma:
            raise row_error(path, line, "every row needs lang, form and lemma.")
        if case not in ("capitalised", "any", ""):
            raise row_error(path, line, f"case must be 'capitalised' or 'any', got {case!r}.")
        out[(lang, form.lower().replace("ё", "е"))] = (lemma.lower(), case == "any")
    return out


def load_stopwords(path: str | Path | None = STOPWORDS_FILE, lang: str | None = None) -> dict[str, set[str]]:
    """Read a domain stop-word list (``lemma,lang[,reason]``): ``{lang: {lemma, …}}``.

    ``lang`` keeps one language. ``path=None`` gives no words.
    """
    if path is None:
        return {}
    table = read_table(path, kind="stop-word list", required=("lemma",), optional={"lang": "ru"})
    out: dict[str, set[str]] = {}
    for lemma, code in zip(table["lemma"], table["lang"].replace("", "ru")):
        if lemma and (lang is None or code == lang):
            out.setdefault(code, set()).add(lemma.lower())
    return out


def load_mwes(path: str | Path | Sequence[str | Path] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Read multi-word expressions (``expression[,lang]``).

    Returns
    -------
    DataFrame
        ``expression``, ``lang`` (default ``ru``), sorted and deduplicated; ``lang`` keeps one
        language. ``path=None`` reads the bundled ``corpus/mwes.csv``.
    """
    parts = [read_table(p, kind="expression list", required=("expression",), optional={"lang": "ru"}) for p in _paths(path, [MWES_FILE])]
    table = pd.concat(parts, ignore_index=True)
    table["lang"] = table["lang"].replace("", "ru")
    for expression, line in zip(table["expression"], table[LINE]):
        if not expression:
            raise row_error(_paths(path, [MWES_FILE])[0], line, "the expression is empty; write it or delete the row.")
    if lang is not None:
        table = table[table["lang"] == lang]
    return table[["expression", "lang"]].drop_duplicates().sort_values(["lang", "expression"], kind="stable").reset_index(drop=True)


def as_list(values: Iterable[str] | str | None) -> list[str]:
    """A list from one string, an iterable of strings, or None."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return list(values)
