"""Segmentation: paragraphs, sentences and tokens (with their kind), and language detection.

The token table of :func:`helpers.text.tokenize` rests on :func:`segment`, which cuts many
documents at once: it joins them into one string per chunk (with a separator no rule reads
across, so that a text is cut the same wherever it stands in a batch), reads the string as an
array of code points whose character classes come from a table made by the rules' own regular
expressions, finds words, abbreviation candidates and the few stretches that may hold URLs,
numbers or emoji with NumPy, runs the expressions only there, and places tokens in sentences
and paragraphs with NumPy, so that the cost per token stays well under a microsecond.

Rules
-----
- **Paragraphs**: blank-line separated blocks when a text has blank lines, else one paragraph
  per line (the usual shape of scraped news).
- **Sentences** end at ``.``, ``!``, ``?`` or ``…`` (with closing quotes or brackets) followed by
  a capital letter, a digit, an opening quote or a dash and a capital, and at every paragraph
  end. A period after an abbreviation (``г.``, ``им.``, ``т.е.``…) or an initial (``В. В.
  Путин``) does not end a sentence, except a year's ``г.``/``гг.`` after a number.
- **Tokens** and their **kinds**:

  ==============  =====================================================================
  kind            examples
  ==============  =====================================================================
  word            ``Путин``, ``РБК-Украина``, ``з'їзд``, ``потока-2``, ``Су-35``, ``G7``
  abbreviation    ``т.е.``, ``т. е.`` (one token), ``U.S.``, ``E.U.``, ``г.``, ``В.``
  number          ``2026``, ``2,5``, ``1 000``, ``06.01.2026``
  url             ``https://t.me/x``, ``www.kremlin.ru``, ``bit.ly/abc``
  email           ``press@example.org``
  handle          ``@bbcrussian``
  hashtag         ``#новости``
  emoji           ``🔥``, ``🇺🇦``
  ==============  =====================================================================

  Punctuation is dropped. A word that mixes Cyrillic and Latin letters where the minority
  letters are look-alikes (``Моcква`` with a Latin ``c``) is repaired to one script in the
  token table's ``token`` column (its offsets still point at the text as written).
- **Language**: :func:`detect_language` reads letters of words only: URLs, e-mail addresses,
  handles and hashtags are left out, so a Russian post full of links stays Russian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

_UPPER = "A-ZА-ЯЁІЇЄҐЎ"
_UPPER_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐЎ")
_SHORT_ABBR_SET = frozenset(
    (
        "гг|г|им|ул|св|проф|акад|ген|тыс|руб|долл|ст|стр|см|др|пр|млн|млрд|трлн|англ|"
        "нем|франц|укр|рус|тел|обл|mr|mrs|ms|dr|st|vs|jr|etc|ім|вул|тис|грн|коп|пос|дер|корр|ред|прим"
    ).split("|")
)
_PAIR_ABBR = frozenset({("т", "е"), ("т", "к"), ("т", "д"), ("т", "п"), ("т", "н"), ("н", "э"), ("и", "о"), ("e", "g"), ("i", "e")})

# The rules as regular expressions. segment() finds what _WORD_SPLIT_RE, _ABBR_CAND_RE and
# _DOTTED_RE find with vectorised scans (_word_spans, _abbreviation_candidates, _dotted_spans).
# Words: letters and digits joined by inner hyphens or apostrophes (РБК-Украина, з'їзд, Су-35).
_WORD = r"[^\W_](?:[^\W_]|[-\u2010\u2011'\u2019\u02bc](?=[^\W_]))*"
_WORD_SPLIT_RE = re.compile(f"({_WORD})")
# A short word before a period: a candidate abbreviation or initial.
_ABBR_CAND_RE = re.compile(r"(?<![\w\-])([^\W\d_]{1,6})\.")
# Dotted acronyms without spaces: U.S., E.U., т.е., н.э. (single letters, each with a period).
_DOTTED_RE = re.compile(r"(?<![\w.])(?:[^\W\d_]\.){2,}")

_URL = (
    r"(?:https?://|www\.)[^\s<>«»\"“”]+"
    r"|(?<![\w@.\-])(?:[a-z0-9][a-z0-9\-]*\.)+(?:ru|com|org|net|ua|me|ly|io|info|su|by|kz|gov|edu|uk|de|fr|eu|tv|news|online|site|pro|cc|co|рф)"
    r"(?:/[^\s<>«»\"“”]*)?(?![\w.])"
    # any other domain when a path follows it: telegra.ph/…, youtu.be/…, goo.gl/…
    r"|(?<![\w@.\-])(?:[a-z0-9][a-z0-9\-]*\.)+[a-z]{2,12}/[^\s<>«»\"“”]*"
)
_EMAIL = r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
_HANDLE = r"(?<![\w@])@[A-Za-z0-9_]{2,}"
_HASHTAG = r"(?<![\w#&])#[^\W\d][\w]*"
_NUMBER = r"(?<![\w.,])\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?(?![\w])|(?<![\w.,])\d+(?:[.,]\d+)+(?![\w])"
_EMOJI = r"(?:[\U0001F1E6-\U0001F1FF]{2}|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF][\uFE0F\U0001F3FB-\U0001F3FF]*(?:\u200D[\U0001F000-\U0001FAFF\u2600-\u27BF][\uFE0F\U0001F3FB-\U0001F3FF]*)*)"
_SPECIAL_RE = re.compile(f"(?P<email>{_EMAIL})|(?P<url>{_URL})|(?P<handle>{_HANDLE})|(?P<hashtag>{_HASHTAG})|(?P<number>{_NUMBER})|(?P<emoji>{_EMOJI})", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]»\"'…"
#: Joins the texts of a batch. It holds no line break, and no expression matches across it (the
#: NUL stops every look-ahead and look-behind, the spaces end URLs), so a text is cut the same
#: wherever it stands in a batch.
_SEPARATOR = " \x00 "

_SENTENCE_END_RE = re.compile(
    r"[.!?\u2026]+[\"'\u00bb\u201d\u2019)\]]*(?=\s+[\"'\u00ab\u201c\u201e(\[\u2014\u2013-]?\s*"
    rf"[{_UPPER}0-9])"
)
_YEAR_BEFORE_DOT_RE = re.compile(r"\d\s*гг?\.$")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_CLOSERS = "\"'\u00bb\u201d\u2019)]"

# Kinds of token, by the form.
_KIND_URL_RE = re.compile(f"(?:{_URL})", re.IGNORECASE)
_KIND_NUMBER_RE = re.compile(r"\d[\d\u00a0\u202f .,]*")
_KIND_EMOJI_RE = re.compile(_EMOJI)

# Look-alike letters between Latin and Cyrillic.
_LAT_TO_CYR = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")
_CYR_TO_LAT = str.maketrans("асеорхуАВСЕНКМОРТХ", "aceopxyABCEHKMOPTX")
_LAT_LOOKALIKE = frozenset("aceopxyABCEHKMOPTX")
_CYR_LOOKALIKE = frozenset("асеорхуАВСЕНКМОРТХ")
_CYR_LETTER_RE = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")
_LAT_LETTER_RE = re.compile(r"[a-zA-Z]")

#: Lemmas of abbreviations, so that ``г.`` counts as ``год`` and ``млн`` as ``миллион``.
ABBREVIATION_LEMMAS = {
    "г.": "год", "гг.": "год", "им.": "имя", "тыс.": "тысяча", "млн": "миллион", "млн.": "миллион",
    "млрд": "миллиард", "млрд.": "миллиард", "трлн": "триллион", "трлн.": "триллион",
    "руб.": "рубль", "долл.": "доллар", "т.е.": "то есть", "т.к.": "так как", "т.д.": "так далее",
    "т.п.": "тому подобное", "т.н.": "так называемый", "и.о.": "исполняющий обязанности",
    "u.s.": "us", "e.u.": "eu", "u.k.": "uk",
}


# --------------------------------------------------------------------------------------------
# Character classes, vectorised
# --------------------------------------------------------------------------------------------
# Segmentation reads a batch's text as an array of code points and looks each one up in a table
# of the character classes its regular expressions use. Every table entry is computed *by the
# same regular expressions* (run once over all the characters of the Basic Multilingual Plane;
# characters beyond it are classified one by one when they occur), so that the vectorised scans
# below find exactly what the expressions would.

_JOINERS = "-\u2010\u2011'\u2019\u02bc"
_GROUP_SEPARATORS = "\u00a0\u202f "
_C_WORD, _C_LETTER, _C_DIGIT, _C_SPACE, _C_W, _C_EMOJI, _C_JOINER, _C_CYR, _C_LAT, _C_UK, _C_RU = (1 << k for k in range(11))
_CLASS_PATTERNS = (
    (_C_WORD, r"[^\W_]", 0),
    (_C_LETTER, r"[^\W\d_]", 0),
    (_C_DIGIT, r"\d", 0),
    (_C_SPACE, r"\s", 0),
    (_C_W, r"\w", 0),
    (_C_EMOJI, r"[\U0001F1E6-\U0001F1FF\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]", re.IGNORECASE),
    (_C_JOINER, f"[{_JOINERS}]", 0),
    (_C_CYR, r"[а-яёіїєґ]", re.IGNORECASE),
    (_C_LAT, r"[a-z]", re.IGNORECASE),
    (_C_UK, r"[іїєґ]", re.IGNORECASE),
    (_C_RU, r"[ыэъё]", re.IGNORECASE),
)
_BMP_TABLE: np.ndarray | None = None
_ASTRAL: dict[int, int] = {}


def _bmp_table() -> np.ndarray:
    global _BMP_TABLE
    if _BMP_TABLE is None:
        chars = "".join(map(chr, range(0x10000)))
        table = np.zeros(0x10000, dtype=np.uint16)
        for bit, pattern, flags in _CLASS_PATTERNS:
            hits = np.fromiter((m.start() for m in re.finditer(pattern, chars, flags)), dtype=np.int64)
            table[hits] |= bit
        _BMP_TABLE = table
    return _BMP_TABLE


def _astral_class(code: int) -> int:
    bits = _ASTRAL.get(code)
    if bits is None:
        ch = chr(code)
        bits = 0
        for bit, pattern, flags in _CLASS_PATTERNS:
            if re.match(pattern, ch, flags):
                bits |= bit
        _ASTRAL[code] = bits
    return bits


def _codepoints(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates included) as ``uint32``."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _classes(cp: np.ndarray) -> np.ndarray:
    """The class bits of every code point."""
    table = _bmp_table()
    astral = cp > 0xFFFF
    if not astral.any():
        return table[cp]
    out = table[np.where(astral, 0, cp)]
    idx = np.flatnonzero(astral)
    codes, inverse = np.unique(cp[idx], return_inverse=True)
    out[idx] = np.array([_astral_class(int(c)) for c in codes], dtype=np.uint16)[inverse]
    return out


def _shift_left(mask: np.ndarray) -> np.ndarray:
    """``mask[i + 1]`` at ``i`` (False past the end)."""
    out = np.zeros_like(mask)
    out[:-1] = mask[1:]
    return out


def _shift_right(mask: np.ndarray) -> np.ndarray:
    """``mask[i - 1]`` at ``i`` (False before the start)."""
    out = np.zeros_like(mask)
    out[1:] = mask[:-1]
    return out


def _word_spans(cp: np.ndarray, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spans of the words of :data:`_WORD` (as ``_WORD_SPLIT_RE`` finds them), vectorised.

    A word is a run of ``[^\\W_]`` characters, or several such runs each joined to the next by
    one hyphen or apostrophe (``РБК-Украина``, ``з'їзд``).
    """
    word = (cls & _C_WORD) != 0
    if not word.any():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    before, after = _shift_right(word), _shift_left(word)
    # A joiner between two word characters glues the runs around it into one word.
    glue = ((cls & _C_JOINER) != 0) & before & after
    inside = word | glue
    starts = np.flatnonzero(inside & ~_shift_right(inside))
    ends = np.flatnonzero(inside & ~_shift_left(inside)) + 1
    return starts.astype(np.int64), ends.astype(np.int64)


# --------------------------------------------------------------------------------------------
# Abbreviations and initials
# --------------------------------------------------------------------------------------------


def _dotted_spans(cp: np.ndarray, cls: np.ndarray) -> list[tuple[int, int]]:
    """The spans ``_DOTTED_RE`` finds (``U.S.``, ``т.е.``), from the class arrays."""
    dot = cp == 46
    pair = ((cls & _C_LETTER) != 0) & _shift_left(dot)  # a letter with a period right after it
    n = pair.size
    first = pair.copy()
    first[:-2] &= pair[2:]
    first[-2:] = False
    if not first.any():
        return []
    blocked = _shift_right(((cls & _C_W) != 0) | dot)  # the look-behind (?<![\w.])
    spans = []
    until = -1
    for p in np.flatnonzero(first & ~blocked).tolist():
        if p < until:
            continue
        q = p
        while q < n and pair[q]:
            q += 2
        spans.append((p, q))
        until = q
    return spans


def _abbreviation_candidates(cp: np.ndarray, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of every match of ``_ABBR_CAND_RE``'s word (1–6 letters before a period).

    Such a word is a whole run of ``\\w`` characters, all letters, followed by a period and not
    preceded by a hyphen.
    """
    w = (cls & _C_W) != 0
    starts = np.flatnonzero(w & ~_shift_right(w))
    ends = np.flatnonzero(w & ~_shift_left(w)) + 1
    if starts.size == 0:
        return starts, ends
    not_letter = np.concatenate(([0], np.cumsum(w & ((cls & _C_LETTER) == 0))))
    length = ends - starts
    ok = (length <= 6) & (not_letter[ends] == not_letter[starts])
    nxt = np.minimum(ends, cp.size - 1)
    ok &= (ends < cp.size) & (cp[nxt] == 46)
    ok &= (starts == 0) | (cp[np.maximum(starts - 1, 0)] != 45)
    return starts[ok], ends[ok]


def _special_abbreviations(text: str, cp: np.ndarray | None = None, cls: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Spans of abbreviations and initials that keep their trailing period.

    ``cp`` and ``cls`` (:func:`_codepoints` and :func:`_classes` of ``text``) may be passed
    when the caller has them.
    """
    if cp is None:
        cp = _codepoints(text)
        cls = _classes(cp)
    found: list[tuple[int, int]] = _dotted_spans(cp, cls)
    n = len(text)
    previous: tuple[int, int, str] | None = None
    cand_starts, cand_ends = _abbreviation_candidates(cp, cls)
    for j, i in zip(cand_starts.tolist(), cand_ends.tolist()):
        # the word and its period at i
        word = text[j:i]
        low = word.lower()
        after = text[i + 1] if i + 1 < n else ""
        # т. е. / т. д.: a single letter with its period right after another one and a space
        if (
            previous is not None and len(word) == 1 and previous[1] == j - 1 and text[j - 1] == " "
            and (previous[2], low) in _PAIR_ABBR and not after.isalnum()
        ):
            found.append((previous[0], i + 1))
        elif low in _SHORT_ABBR_SET and not after.isalnum():
            found.append((j, i + 1))
        elif len(word) == 1 and word in _UPPER_SET:
            nxt = text[i + 2] if after == " " and i + 2 < n else after
            if nxt in _UPPER_SET:
                found.append((j, i + 1))
        previous = (j, i + 1, low) if len(word) == 1 else None
    if not found:
        return found
    # A longer span swallows the shorter ones it covers (т. е. over т.; U.S. over S.).
    found.sort(key=lambda sp: (sp[0], -sp[1]))
    kept, until = [], -1
    for a, b in found:
        if a >= until:
            kept.append((a, b))
            until = b
    return kept


def _special_windows(cp: np.ndarray, cls: np.ndarray) -> list[tuple[int, int]]:
    """Stretches of text that may hold a match of ``_SPECIAL_RE``, in text order.

    No match holds a white-space character, except the separator of a grouped number
    (``1 000``) between two digits, so the text falls into windows at every other white-space
    character and a match lies inside one window. A window can hold a match only if it has a
    character every match needs: ``@`` (e-mail, handle), ``#`` (hashtag), ``:/`` (``https://``),
    a period before a letter or digit (a domain) or after ``w`` (``www.``), a period, comma or
    group separator between digits (numbers), or an emoji.
    """
    digit = (cls & _C_DIGIT) != 0
    between_digits = _shift_right(digit) & _shift_left(digit)
    separator = (cp == 0xA0) | (cp == 0x202F) | (cp == 0x20)
    breaks = ((cls & _C_SPACE) != 0) & ~(separator & between_digits)
    dot = cp == 46
    nxt = np.zeros_like(cp)
    nxt[:-1] = cp[1:]
    prev = np.zeros_like(cp)
    prev[1:] = cp[:-1]
    hint = (
        (cp == 64) | (cp == 35) | ((cp == 58) & (nxt == 47))
        | (dot & (_shift_left((cls & _C_WORD) != 0) | (prev == 119) | (prev == 87)))
        | ((dot | (cp == 44) | separator) & between_digits)
        | ((cls & _C_EMOJI) != 0)
    )
    hits = np.flatnonzero(hint)
    if hits.size == 0:
        return []
    cuts = np.concatenate(([-1], np.flatnonzero(breaks), [cp.size]))
    k = np.searchsorted(cuts, hits)  # the first break after each hint (the text's end at last)
    window_start = cuts[k - 1] + 1
    window_end = cuts[k]
    keys = np.unique(window_start * (cp.size + 1) + window_end)
    return [(int(v // (cp.size + 1)), int(v % (cp.size + 1))) for v in keys]


def _special_tokens(text: str, cp: np.ndarray | None = None, cls: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses, handles, hashtags, grouped numbers and emoji.

    The same spans as ``_SPECIAL_RE.finditer`` over the whole text, found by running it only in
    the windows of :func:`_special_windows`.
    """
    if cp is None:
        cp = _codepoints(text)
        cls = _classes(cp)
    spans = []
    for start, end in _special_windows(cp, cls):
        for m in _SPECIAL_RE.finditer(text, start, end):
            a, b = m.span()
            if m.lastgroup == "url":
                while b > a and text[b - 1] in _TRAILING_PUNCT:
                    b -= 1
            if b > a:
                spans.append((a, b))
    return spans


# --------------------------------------------------------------------------------------------
# Segmentation of many documents at once
# --------------------------------------------------------------------------------------------


@dataclass
class Segments:
    """Tokens of a batch of documents: parallel arrays, one entry per token, in text order.

    ``doc`` indexes the batch's texts; ``start``/``end`` are offsets within each text;
    ``sentence`` and ``paragraph`` count only units that hold tokens, from 0 in each document;
    ``initial`` marks the first token of a sentence; ``surfaces`` are the tokens as written.
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    sentence: np.ndarray
    paragraph: np.ndarray
    initial: np.ndarray
    surfaces: list[str]


def _dense_within(values: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """Renumber non-decreasing ``values`` 0, 1, 2… within each run of equal ``doc``."""
    if values.size == 0:
        return values.astype(np.int32)
    change = np.empty(values.size, dtype=bool)
    change[0] = True
    change[1:] = (values[1:] != values[:-1]) | (doc[1:] != doc[:-1])
    run = np.cumsum(change) - 1
    first = np.empty(values.size, dtype=bool)
    first[0] = True
    first[1:] = doc[1:] != doc[:-1]
    base = np.maximum.accumulate(np.where(first, run, 0))
    return (run - base).astype(np.int32)


def _sentence_starts(text: str, kept_periods: set[int]) -> list[int]:
    """Offsets where sentences start after sentence-final punctuation (paragraphs apart)."""
    starts = []
    for m in _SENTENCE_END_RE.finditer(text):
        g = m.group()
        if g[0] == "." and m.start() in kept_periods and len(g.rstrip(_CLOSERS)) == 1:
            if not _YEAR_BEFORE_DOT_RE.search(text[max(0, m.start() - 12): m.start() + 1]):
                continue
        starts.append(m.end())
    return starts


def segment(texts: list[str]) -> Segments:
    """Cut texts into tokens, sentences and paragraphs.

    Parameters
    ----------
    texts : list of str
        The documents of a batch.

    Returns
    -------
    Segments
        One entry per token of every text, in text order.

    Examples
    --------
    >>> s = segment(["В 2026 г. саммит прошел в Париже. В. В. Путин его осудил."])
    >>> s.surfaces[:4], s.sentence.tolist()
    (['В', '2026', 'г.', 'саммит'], [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    """
    big = _SEPARATOR.join(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    doc_start = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        doc_start[1:] = np.cumsum(lengths[:-1] + len(_SEPARATOR))
    cp = _codepoints(big)
    cls = _classes(cp)
    starts, ends = _word_spans(cp, cls)
    abbreviations = _special_abbreviations(big, cp, cls) if "." in big else []
    special = _special_tokens(big, cp, cls) + abbreviations
    if special:
        special.sort()
        s_start = np.fromiter((a for a, _ in special), dtype=np.int64, count=len(special))
        s_end = np.fromiter((b for _, b in special), dtype=np.int64, count=len(special))
        # A word inside (or overlapping the start of) a special span gives way to the span.
        k = np.searchsorted(s_start, starts, side="right") - 1
        inside = (k >= 0) & (starts < s_end[np.maximum(k, 0)])
        k2 = np.searchsorted(s_start, starts, side="left")
        overlaps = (k2 < len(s_start)) & (ends > s_start[np.minimum(k2, len(s_start) - 1)])
        keep = ~(inside | overlaps)
        # Drop special spans that overlap each other (the earlier one wins).
        ok = np.ones(len(special), dtype=bool)
        ok[1:] = s_start[1:] >= np.maximum.accumulate(s_end)[:-1]
        s_start, s_end = s_start[ok], s_end[ok]
        all_start = np.concatenate([starts[keep], s_start])
        order = np.argsort(all_start, kind="stable")
        ends = np.concatenate([ends[keep], s_end])[order]
        starts = all_start[order]
    surfaces = [big[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    doc = np.searchsorted(doc_start, starts, side="right") - 1
    # Paragraph starts: blank lines in documents that have them, else every line.
    newline = np.flatnonzero(cp == 10).astype(np.int64) + 1
    blank = np.fromiter((m.end() for m in _BLANK_LINE_RE.finditer(big)), dtype=np.int64)
    has_blank = np.zeros(len(texts), dtype=bool)
    if blank.size:
        has_blank[np.unique(np.searchsorted(doc_start, blank, side="right") - 1)] = True
    line_doc = np.searchsorted(doc_start, newline, side="right") - 1
    para_starts = np.union1d(np.concatenate([doc_start, newline[~has_blank[line_doc]] if newline.size else newline]), blank)
    kept_periods = {b - 1 for _, b in abbreviations}
    sent_starts = np.union1d(para_starts, np.asarray(_sentence_starts(big, kept_periods), dtype=np.int64))
    sent_global = np.searchsorted(sent_starts, starts, side="right") - 1
    para_global = np.searchsorted(para_starts, starts, side="right") - 1
    sentence = _dense_within(sent_global, doc)
    initial = np.ones(len(starts), dtype=bool)
    if len(starts) > 1:
        initial[1:] = (sent_global[1:] != sent_global[:-1]) | (doc[1:] != doc[:-1])
    return Segments(
        doc=doc.astype(np.int32),
        start=(starts - doc_start[doc]).astype(np.int32),
        end=(ends - doc_start[doc]).astype(np.int32),
        sentence=sentence,
        paragraph=_dense_within(para_global, doc),
        initial=initial,
        surfaces=surfaces,
    )


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences with the same rules as :func:`segment`.

    Examples
    --------
    >>> split_sentences("В 2026 г. саммит прошел в Париже. В. В. Путин его осудил.")
    ['В 2026 г. саммит прошел в Париже.', 'В. В. Путин его осудил.']
    """
    para = [0] + [m.end() for m in (_BLANK_LINE_RE if _BLANK_LINE_RE.search(text) else re.compile("\n")).finditer(text)]
    abbreviations = _special_abbreviations(text) if "." in text else []
    kept = {b - 1 for _, b in abbreviations}
    bounds = sorted(set(para) | set(_sentence_starts(text, kept))) + [len(text)]
    pieces = (text[a:b].strip() for a, b in zip(bounds[:-1], bounds[1:]))
    return [p for p in pieces if p]


def token_spans(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the tokens of one text (as :func:`segment` cuts them)."""
    s = segment([text])
    return s.start.tolist(), s.end.tolist()


# --------------------------------------------------------------------------------------------
# Kinds and scripts, per distinct form
# --------------------------------------------------------------------------------------------


def token_kind(form: str) -> str:
    """The kind of a token, from its form (see the module notes).

    Examples
    --------
    >>> [token_kind(t) for t in ["Путин", "т.е.", "1 000", "@bbc", "#мир", "https://t.me/x", "🔥"]]
    ['word', 'abbreviation', 'number', 'handle', 'hashtag', 'url', 'emoji']
    """
    first = form[:1]
    if form.isalnum() and not first.isdigit():  # a plain word (the common case), or «млн»
        return "abbreviation" if form.lower() in ABBREVIATION_LEMMAS else "word"
    if first == "@" and len(form) > 1:
        return "handle"
    if first == "#" and len(form) > 1:
        return "hashtag"
    if "@" in form:
        return "email"
    if "://" in form or form[:4].lower() == "www." or ("." in form and _KIND_URL_RE.fullmatch(form)):
        return "url"
    if first.isdigit() and _KIND_NUMBER_RE.fullmatch(form):
        return "number"
    if form.endswith(".") or form.lower() in ABBREVIATION_LEMMAS:
        return "abbreviation"
    if not any(ch.isalnum() for ch in form) and _KIND_EMOJI_RE.match(form):
        return "emoji"
    return "word"


def may_need_repair(forms: list[str]) -> np.ndarray:
    """Which forms :func:`repair_script` may change: those with an ASCII letter and a non-ASCII
    character (any other form it returns as it is), found for all forms at once."""
    if not forms:
        return np.zeros(0, dtype=bool)
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
    cp = _codepoints("".join(forms))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    nonempty = lengths > 0
    out = np.zeros(len(forms), dtype=bool)
    if not nonempty.any():
        return out
    idx = starts[nonempty]
    latin = (((cp >= 65) & (cp <= 90)) | ((cp >= 97) & (cp <= 122))).astype(np.int64)
    wide = (cp >= 128).astype(np.int64)
    out[nonempty] = (np.add.reduceat(latin, idx) > 0) & (np.add.reduceat(wide, idx) > 0)
    return out


def repair_script(form: str) -> str:
    """Put a word that mixes Cyrillic and Latin look-alike letters into one script.

    Each hyphen-separated part is repaired on its own: the script of most of its letters wins
    when every letter of the other script is a look-alike (``c`` for ``с``, ``o`` for ``о``).
    Parts in two scripts that are not look-alikes stay as written.

    Examples
    --------
    >>> repair_script("Моcква"), repair_script("сoюзу"), repair_script("iPhone-версия")
    ('Москва', 'союзу', 'iPhone-версия')
    """
    if form.isascii() or not _LAT_LETTER_RE.search(form):
        return form
    parts = form.split("-")
    out = []
    for part in parts:
        cyr = _CYR_LETTER_RE.findall(part)
        lat = _LAT_LETTER_RE.findall(part)
        if cyr and lat:
            if len(cyr) >= len(lat) and all(ch in _LAT_LOOKALIKE for ch in lat):
                part = part.translate(_LAT_TO_CYR)
            elif len(lat) > len(cyr) and all(ch in _CYR_LOOKALIKE for ch in cyr):
                part = part.translate(_CYR_TO_LAT)
        out.append(part)
    if len(out) > 1:
        # ТНК-BP: a part wholly of Latin look-alikes beside Cyrillic parts is Cyrillic too.
        cyr_parts = [p for p in out if _CYR_LETTER_RE.search(p) and not _LAT_LETTER_RE.search(p)]
        if cyr_parts:
            out = [p.translate(_LAT_TO_CYR) if p.isascii() and p.isalpha() and all(ch in _LAT_LOOKALIKE for ch in p) else p for p in out]
    return "-".join(out)


# --------------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------------

# The letters detect_language counts (through the tables of _CLASS_PATTERNS, which hold the same
# classes with the same flags).
_CYR_RE = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_LAT_RE = re.compile(r"[a-z]", re.IGNORECASE)
_UK_RE = re.compile(r"[іїєґ]|(?<=\w)['\u2019\u02bc](?=\w)", re.IGNORECASE)
_RU_RE = re.compile(r"[ыэъё]", re.IGNORECASE)
_NON_WORDS_RE = re.compile(f"{_EMAIL}|{_URL}|{_HANDLE}|{_HASHTAG}", re.IGNORECASE)


def detect_language(text: str) -> str:
    """Guess ``"ru"``, ``"uk"`` or ``"en"`` from the letters of the words of ``text``.

    URLs, e-mail addresses, handles and hashtags are left out first. Latin-dominant text is
    English. Cyrillic text is Ukrainian when letters only Ukrainian has (і ї є ґ, and
    apostrophes inside words) outnumber letters only Russian has (ы э ъ ё), else Russian. Good
    enough for news articles and posts of a few sentences; pass a ``lang`` column when the
    corpus has other languages.

    Examples
    --------
    >>> detect_language("Подробнее: https://www.bbc.com/russian/news-123 и https://t.me/bbcrussian")
    'ru'
    """
    sample = text[:5000]
    cp = _codepoints(sample)
    cls = _classes(cp)
    if "@" in sample or "#" in sample or "." in sample:
        # ``_NON_WORDS_RE.sub(" ", sample)``, run only where a match may be (none holds a space)
        pieces, last = [], 0
        for start, end in _non_word_windows(cp, cls):
            for m in _NON_WORDS_RE.finditer(sample, start, end):
                pieces.append(sample[last: m.start()])
                pieces.append(" ")
                last = m.end()
        if pieces:
            pieces.append(sample[last:])
            sample = "".join(pieces)
            cp = _codepoints(sample)
            cls = _classes(cp)
    # Counts of the letters _CYR_RE, _LAT_RE, _UK_RE and _RU_RE find (their tables are theirs).
    cyr = int(np.count_nonzero(cls & _C_CYR))
    lat = int(np.count_nonzero(cls & _C_LAT))
    if lat > cyr:
        return "en"
    if cyr == 0:
        return "en" if lat else "ru"
    w = (cls & _C_W) != 0
    apostrophe = (cp == 0x27) | (cp == 0x2019) | (cp == 0x2BC)
    uk = int(np.count_nonzero(cls & _C_UK)) + int(np.count_nonzero(apostrophe & _shift_right(w) & _shift_left(w)))
    return "uk" if uk > int(np.count_nonzero(cls & _C_RU)) else "ru"


def _non_word_windows(cp: np.ndarray, cls: np.ndarray) -> list[tuple[int, int]]:
    """Stretches between white space that may hold a match of ``_NON_WORDS_RE``: with ``@``,
    ``#``, ``:/``, or a period before a letter or digit or after ``w``."""
    dot = cp == 46
    nxt = np.zeros_like(cp)
    nxt[:-1] = cp[1:]
    prev = np.zeros_like(cp)
    prev[1:] = cp[:-1]
    hint = (cp == 64) | (cp == 35) | ((cp == 58) & (nxt == 47)) | (dot & (_shift_left((cls & _C_WORD) != 0) | (prev == 119) | (prev == 87)))
    hits = np.flatnonzero(hint)
    if hits.size == 0:
        return []
    cuts = np.concatenate(([-1], np.flatnonzero((cls & _C_SPACE) != 0), [cp.size]))
    k = np.searchsorted(cuts, hits)
    keys = np.unique((cuts[k - 1] + 1) * (cp.size + 1) + cuts[k])
    return [(int(v // (cp.size + 1)), int(v % (cp.size + 1))) for v in keys]


def languages(docs: pd.DataFrame) -> pd.DataFrame:
    """Decide the language of every document once.

    Returns
    -------
    DataFrame
        ``lang`` (the ``lang`` column where it has a value, lower-cased, else detected) and
        ``lang_source`` (``"metadata"`` or ``"detected"``), indexed like ``docs``.
    """
    given = docs["lang"] if "lang" in docs.columns else pd.Series(pd.NA, index=docs.index, dtype="object")
    given = given.astype("object").where(given.notna(), None)
    langs, sources = [], []
    for lang, text in zip(given, docs["text"]):
        value = str(lang).strip().lower() if lang is not None else ""
        if value:
            langs.append(value)
            sources.append("metadata")
        else:
            langs.append(detect_language(text))
            sources.append("detected")
    return pd.DataFrame({"lang": pd.Series(langs, index=docs.index, dtype="str"), "lang_source": pd.Series(sources, index=docs.index, dtype="str")})
