"""Phrase matching on lemma sequences: the one matcher behind expressions, actors, frame cues and KWIC.

:func:`match_sequences` finds the leftmost-longest, non-overlapping occurrences of lemma
sequences in a token table. Single-lemma patterns (most frame cues, most surnames) are found
with one vectorised look-up over the lemma codes; longer ones with one Aho–Corasick pass
(pyahocorasick) over the whole table, so the cost does not grow with patterns × documents.
Case rules (a capitalised alias needs a capitalised word, an abbreviation needs capitals) are
checked on per-form flags, never on strings per token.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from helpers.constants import check_within

MATCH_COLUMNS = ["pattern", "first", "last"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"pattern": pd.Series([], dtype=object), "first": np.zeros(0, np.int64), "last": np.zeros(0, np.int64)})


def unit_codes(tokens: pd.DataFrame, within: str) -> np.ndarray:
    """An integer per token that changes exactly where a ``within`` unit changes (read-only).

    Made once per token table and unit (metonym rules, co-occurrence, KWIC and the phrase
    matcher all read them): kept with the table's other reusable arrays (:data:`_PREPARED`),
    and made again when the ``doc_id`` categorical or the ``within`` column is replaced.
    """
    check_within(within)
    column = tokens[within].to_numpy() if within != "document" else None
    entry = _prepared(tokens) if "lemma" in tokens.columns else None  # (a table without lemmas: nothing kept)
    found = entry.get(("units", within)) if entry is not None else None
    if found is not None and (column is None or _same_buffer(found[0], column)):
        return found[1]
    doc = tokens["doc_id"].cat.codes.to_numpy().astype(np.int64)
    units = doc if column is None else doc * (1 << 32) + column.astype(np.int64)
    units.flags.writeable = False
    if entry is not None:
        entry[("units", within)] = (column, units)  # (holding the column keeps its buffer's address its own)
    return units


def _same_buffer(a: np.ndarray, b: np.ndarray) -> bool:
    """Two arrays are views of the same memory, with the same shape and type."""
    return a.shape == b.shape and a.dtype == b.dtype and a.__array_interface__["data"][0] == b.__array_interface__["data"][0] and a.strides == b.strides


#: Arrays derived from one token table, reused by every call on it (frame matching calls the
#: matcher once per frame): keyed by the id of the table's ``lemma`` categorical, checked against
#: weak references to it and to the ``doc_id`` and ``token`` categoricals, and dropped when the
#: lemma column goes away.
_PREPARED: dict[int, dict] = {}


def _prepared(tokens: pd.DataFrame) -> dict:
    """The reusable arrays of ``tokens`` (see :data:`_PREPARED`), filled on demand."""
    lemma, doc = tokens["lemma"].array, tokens["doc_id"].array
    token = tokens["token"].array if "token" in tokens.columns else None
    key = id(lemma)
    entry = _PREPARED.get(key)
    if (entry is None or entry["lemma"]() is not lemma or entry["doc"]() is not doc or entry["n"] != len(tokens)
            or (entry["token"]() if entry["token"] is not None else None) is not token):
        entry = {
            "lemma": weakref.ref(lemma, lambda _, k=key: _PREPARED.pop(k, None)), "doc": weakref.ref(doc),
            "token": weakref.ref(token) if token is not None else None, "n": len(tokens),
        }
        _PREPARED[key] = entry
    return entry


def _stream(tokens: pd.DataFrame, codes: np.ndarray, within: str) -> tuple[str, np.ndarray]:
    """The lemma codes as one string, a separator (U+0001) between ``within`` units, and the
    stream positions of the separators (sorted); built once per table and unit."""
    entry = _prepared(tokens)
    found = entry.get(("stream", within))
    if found is None:
        units = unit_codes(tokens, within)
        points = codes.astype(np.int64) + 0x100
        points = np.where(points >= 0xD800, points + 0x800, points)
        new_unit = np.flatnonzero(units[1:] != units[:-1]) + 1
        stream = np.insert(points, new_unit, 0x01).astype("<u4").tobytes().decode("utf-32-le")
        found = entry[("stream", within)] = (stream, new_unit + np.arange(new_unit.size))
    return found


def _case_flags(tokens: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per token: starts with a capital; is written in capitals (letters only)."""
    entry = _prepared(tokens)
    if "case" not in entry:
        entry["case"] = _compute_case_flags(tokens)
    return entry["case"]


def _compute_case_flags(tokens: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    cats = tokens["token"].cat.categories
    values = cats.astype(str).tolist()  # (a list: iterating the Arrow-backed Index item by item is several times slower)
    first = np.fromiter((v[:1].isupper() for v in values), dtype=bool, count=len(values))
    upper = np.fromiter((any(ch.isalpha() for ch in v) and all(ch.isupper() for ch in v if ch.isalpha()) for v in values), dtype=bool, count=len(values))
    codes = tokens["token"].cat.codes.to_numpy()
    return first[codes], upper[codes]


def _greedy_non_overlapping(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Keep matches left to right, skipping any that overlaps one already kept.

    Matches come sorted by start (longer first). Runs of mutually overlapping matches are rare,
    so only they go through the Python loop; every other match is kept as it is.
    """
    n = first.size
    keep = np.ones(n, dtype=bool)
    if n < 2:
        return keep
    reach = np.maximum.accumulate(last)
    overlaps = np.zeros(n, dtype=bool)
    overlaps[1:] = first[1:] <= reach[:-1]
    if not overlaps.any():
        return keep
    starts = np.flatnonzero(~overlaps)
    ends = np.append(starts[1:], n)
    for a, b in zip(starts, ends):
        if b - a < 2:
            continue
        taken_until = -1
        for k in range(a, b):
            if first[k] > taken_until:
                taken_until = last[k]
            else:
                keep[k] = False
    return keep


def match_sequences(tokens: pd.DataFrame, patterns: pd.DataFrame, *, within: str = "sentence") -> pd.DataFrame:
    """Find the leftmost-longest, non-overlapping occurrences of lemma sequences.

    Parameters
    ----------
    tokens : DataFrame
        A token table (:func:`helpers.text.tokenize`), in text order.
    patterns : DataFrame
        ``pattern`` (any id; several rows may share one, e.g. spelling variants) and ``key``
        (tuple of lemmas). Optional ``first_upper`` (the first matched token must start with a
        capital) and ``all_upper`` (every matched token in capitals: abbreviations).
    within : {"sentence", "paragraph", "document"}
        A match never crosses this boundary.

    Returns
    -------
    DataFrame
        One row per match with ``pattern``, ``first`` and ``last`` (row positions in ``tokens``,
        inclusive), sorted by ``first``. Where matches overlap the longer wins (``Эммануэль
        Макрон`` is one match, not also ``Макрон``); at equal length, the earlier pattern row.
    """
    if len(tokens) == 0 or len(patterns) == 0:
        return _empty()
    check_within(within)
    lemma_cat = tokens["lemma"].cat
    codes = lemma_cat.codes.to_numpy()
    n_cats = len(lemma_cat.categories)
    rows = patterns.reset_index(drop=True)
    keys = list(rows["key"])
    # The codes of the lemmas the patterns use (looked up in the categories' own hash table,
    # not a dict of every lemma of the corpus).
    needed = sorted({x for k in keys if k for x in k})
    found_codes = lemma_cat.categories.get_indexer(pd.Index(needed, dtype=object)) if needed else np.zeros(0, np.int64)
    code_of = {lemma: int(c) for lemma, c in zip(needed, found_codes) if c >= 0}
    first_upper = rows["first_upper"].to_numpy(bool) if "first_upper" in rows else np.zeros(len(rows), bool)
    all_upper = rows["all_upper"].to_numpy(bool) if "all_upper" in rows else np.zeros(len(rows), bool)
    need_case = bool(first_upper.any() or all_upper.any())
    tok_first, tok_upper = _case_flags(tokens) if need_case else (None, None)

    found_first, found_last, found_row = [], [], []
    # Single lemmas: a vectorised look-up. Several rows may share a lemma (their case rules
    # differ): each is tried in row order and the first whose rules hold wins.
    single = [i for i, k in enumerate(keys) if k and len(k) == 1 and k[0] in code_of]
    if single:
        by_code: dict[int, list[int]] = {}
        for i in single:
            by_code.setdefault(code_of[keys[i][0]], []).append(i)
        wanted = np.zeros(n_cats + 1, dtype=bool)  # the last slot: a missing lemma (code -1)
        wanted[np.fromiter(by_code, dtype=np.int64)] = True
        pos = np.flatnonzero(wanted[codes])
        if pos.size:
            chosen = np.full(pos.size, -1, dtype=np.int64)
            max_rows = max(len(v) for v in by_code.values())
            for r in range(max_rows):
                table = np.full(n_cats, -1, dtype=np.int64)
                for code, ids in by_code.items():
                    if r < len(ids):
                        table[code] = ids[r]
                cand = table[codes[pos]]
                ok = (chosen < 0) & (cand >= 0)
                if need_case:
                    fu = first_upper[np.maximum(cand, 0)] & ~tok_first[pos]
                    au = all_upper[np.maximum(cand, 0)] & ~tok_upper[pos]
                    ok &= ~(fu | au)
                chosen[ok] = cand[ok]
            keep = chosen >= 0
            found_first.append(pos[keep])
            found_last.append(pos[keep])
            found_row.append(chosen[keep])
    multi = [i for i, k in enumerate(keys) if k and len(k) > 1 and all(x in code_of for x in k)]
    if multi:
        import ahocorasick

        def char(code: int) -> str:
            c = code + 0x100
            return chr(c + 0x800 if c >= 0xD800 else c)

        stream, separators = _stream(tokens, codes, within)
        automaton = ahocorasick.Automaton()
        for i in multi:
            word = "".join(char(code_of[k]) for k in keys[i])
            previous = automaton.get(word, None)
            automaton.add_word(word, (previous or []) + [i])
        automaton.make_automaton()
        f_, l_, r_ = [], [], []
        for end_idx, ids in automaton.iter(stream):
            # A match never holds a separator: its rows are contiguous, ending at the stream
            # position less the separators before it.
            last = end_idx - int(np.searchsorted(separators, end_idx))
            for i in ids:
                first = last - len(keys[i]) + 1
                if need_case:
                    if first_upper[i] and not tok_first[first]:
                        continue
                    if all_upper[i] and not tok_upper[first: last + 1].all():
                        continue
                f_.append(first)
                l_.append(last)
                r_.append(i)
                break  # one pattern per place: the first row whose rules hold
        if f_:
            found_first.append(np.asarray(f_, dtype=np.int64))
            found_last.append(np.asarray(l_, dtype=np.int64))
            found_row.append(np.asarray(r_, dtype=np.int64))
    if not found_first:
        return _empty()
    first = np.concatenate(found_first)
    last = np.concatenate(found_last)
    row = np.concatenate(found_row)
    if first.size == 0:
        return _empty()
    # Leftmost-longest, non-overlapping: sort by start, longer first, then row order.
    order = np.lexsort((row, -(last - first), first))
    first, last, row = first[order], last[order], row[order]
    keep = _greedy_non_overlapping(first, last)
    labels = rows["pattern"].to_numpy()[row[keep]]
    return pd.DataFrame({"pattern": labels, "first": first[keep], "last": last[keep]})


def match_phrases(tokens: pd.DataFrame, patterns: pd.DataFrame, *, within: str = "sentence") -> pd.DataFrame:
    """:func:`match_sequences` language by language, with the matches located in the text.

    Parameters
    ----------
    tokens : DataFrame
        A token table (any mix of languages).
    patterns : DataFrame
        As for :func:`match_sequences`, plus ``lang``: a pattern only matches tokens of its
        language (a dictionary's Russian aliases never match Ukrainian text).

    Returns
    -------
    DataFrame
        One row per match: ``pattern``, ``first`` and ``last`` (row positions in ``tokens``),
        ``doc``, (document code: the position of the document in the corpus), ``doc_id``,
        ``sentence``, ``paragraph``, ``start`` and ``end`` (character offsets of the whole match).
        Sorted by ``first``.
    """
    columns = ["pattern", "first", "last", "doc", "doc_id", "sentence", "paragraph", "start", "end"]
    parts = []
    lang_codes = tokens["lang"].cat.codes.to_numpy()
    for li, lang in enumerate(tokens["lang"].cat.categories):
        rows = patterns[patterns["lang"] == lang].drop(columns="lang")
        if rows.empty:
            continue
        sel = np.flatnonzero(lang_codes == li)
        if sel.size == 0:
            continue
        sub = tokens.iloc[sel] if sel.size < len(tokens) else tokens
        found = match_sequences(sub, rows, within=within)
        if len(found):
            parts.append(found.assign(first=sel[found["first"].to_numpy()], last=sel[found["last"].to_numpy()]))
    if not parts:
        frame = pd.DataFrame({c: pd.Series(dtype=np.int64) for c in columns})
        frame["pattern"] = pd.Series(dtype=object)
        frame["doc_id"] = pd.Series(dtype="str")
        return frame[columns]
    found = pd.concat(parts, ignore_index=True).sort_values("first", kind="stable").reset_index(drop=True)
    first, last = found["first"].to_numpy(), found["last"].to_numpy()
    doc_codes = tokens["doc_id"].cat.codes.to_numpy()[first]
    return found.assign(
        doc=doc_codes.astype(np.int64),
        doc_id=pd.Categorical.from_codes(doc_codes, categories=tokens["doc_id"].cat.categories).astype("str"),
        sentence=tokens["sentence"].to_numpy()[first],
        paragraph=tokens["paragraph"].to_numpy()[first],
        start=tokens["start"].to_numpy()[first],
        end=tokens["end"].to_numpy()[last],
    )[columns]
