"""Bytes to text: the encodings real scrapes of Russian and Ukrainian news come in.

:func:`decode` turns the raw bytes of a file into text and says, line by line, what it had to
guess or repair. Nothing garbled passes silently: a result is either clean text, text with notes
(each naming its line), or an :class:`Unreadable` error saying what the bytes are.

What is recognised, in order
----------------------------
1. A byte-order mark: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE.
2. Known binary formats saved under a text name (PDF, zip/docx/xlsx, RTF): rejected.
3. UTF-16 **without** a byte-order mark, from the pattern of its high bytes (``0x00`` for Latin
   letters, ``0x04`` for Cyrillic): decoded, with a note.
4. Strict UTF-8.
5. Files that **mix encodings** line by line (a UTF-8 headline over a KOI8-R body, the usual
   result of pasting one scrape into another): every line that is valid UTF-8 stays UTF-8, the
   other lines are decoded as in 6, and a note names the lines of each encoding. Bytes that are
   neither become U+FFFD, with a note naming their lines.
6. CP1251 or KOI8-R, whichever reads more like Russian or Ukrainian (letter frequencies, case
   patterns and frequent short words; reliable from about six words, a close call on a shorter
   text comes with a note). The encoding that reads best over the whole text decodes every
   line, except a line that reads clearly better in the other one (CP1251 and KOI8-R lines
   pasted together): it is decoded in its own, and a note names it. A line too short to tell
   the two apart (one or two short words) follows the rest of the text, and a note names it.
7. **Double-encoded UTF-8** (UTF-8 bytes once read as CP1251 and saved again as UTF-8:
   ``Р—Р°РіРѕР»…`` for ``Загол…``) is repaired line by line, with a note.

NUL bytes: a text with many NUL or control characters is binary and rejected; a few stray NUL
characters are kept in the text and reported with their lines, so that the caller (the loader)
can drop just the line or row that holds them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

__all__ = ["Decoded", "Unreadable", "decode", "decode_bytes", "line_ranges"]


class Unreadable(ValueError):
    """The bytes are not text in an encoding the kit reads; the message says why and what to do."""


@dataclass
class Decoded:
    """Text decoded from bytes, with what was guessed or repaired.

    Attributes
    ----------
    text : str
        The decoded text (byte-order mark removed, otherwise as the bytes say).
    encoding : str
        The codec used (``"utf-8"``, ``"cp1251"``, ``"utf-16-le"``...), or ``"mixed"``.
    notes : list of (int or None, str)
        Caveats worth a warning: the first line they concern (1-based, None for the whole file)
        and a sentence saying what was done and what to check.
    nul_lines : list of int
        1-based lines that contain a NUL character.
    """

    text: str
    encoding: str
    notes: list[tuple[int | None, str]] = field(default_factory=list)
    nul_lines: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Scoring Cyrillic text
# --------------------------------------------------------------------------------------------

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
_CYR_WORD_RE = re.compile(f"[{_CYR_LOWER}{_CYR_UPPER}]+")
_MIXED_RE = re.compile(f"[A-Za-z][{_CYR_LOWER}{_CYR_UPPER}]|[{_CYR_LOWER}{_CYR_UPPER}][A-Za-z]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_MAGIC = (
    (b"%PDF", "a PDF file"), (b"PK\x03\x04", "a zip archive (a .docx, .xlsx or .zip file)"), (b"{\\rtf", "an RTF file"),
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"\x1f\x8b", "a gzip archive"),
)
_RESAVE = "Save it as UTF-8 text."
_SAMPLE = 50_000  # characters scored to choose a single-byte encoding
_LEGACY = ("cp1251", "koi8-r")


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
    score += _WORD_BONUS * sum(1 for w in _CYR_WORD_RE.findall(text) if w.lower() in _COMMON_WORDS)
    return score, non_ascii, letters, plausible, flips


_CLOSE_CALL = 4.0  # a score margin below which two readings are a close call
_LONGEST_COMMON = max(map(len, _COMMON_WORDS))
_CHUNK_BYTES = 1 << 20  # bytes of lines scored at once by _quick_line_scores


@dataclass
class _Reading:
    """Lines of single-byte text, each decoded in the encoding that reads best.

    ``lines`` are the decoded lines; ``encoding`` is the encoding of most of the text and
    ``other`` the second one; ``switched`` the positions of the lines that read clearly better in
    ``other`` (decoded in it); ``uncertain`` the positions of lines too short to tell the two
    apart (decoded in ``encoding``, like the rest); ``close_call`` whether the text as a whole
    is too short to tell.
    """

    lines: list[str]
    encoding: str
    other: str
    switched: list[int]
    uncertain: list[int]
    close_call: bool


@lru_cache(maxsize=None)
def _byte_tables(encoding: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per byte value: its character's score in :func:`_cyrillic_score`, and whether it is a
    small or a capital Cyrillic letter (for case flips)."""
    score = np.zeros(256)
    small = np.zeros(256, dtype=bool)
    capital = np.zeros(256, dtype=bool)
    for b in range(0x80, 0x100):
        ch = bytes([b]).decode(encoding, errors="replace")
        low = ch.lower()
        if low in _LOG_FREQ:
            score[b] = _LOG_FREQ[low]
            small[b], capital[b] = ch == low, ch != low
        elif ch in _PUNCT:
            score[b] = 0.0
        else:
            score[b] = _RARE_LETTER if ch.isalpha() else _JUNK
    return score, small, capital


def _quick_line_scores(lines: list[bytes], encodings: Sequence[str]) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    """The letter and case-flip part of :func:`_cyrillic_score` of every line, with NumPy.

    Parameters
    ----------
    lines : list of bytes
        The lines (without their ``\\n``).
    encodings : sequence of str
        Single-byte encodings to read them in.

    Returns
    -------
    scores : list of ndarray
        Per encoding, the score of every line without the word bonus.
    words : list of ndarray
        Per encoding, an upper bound of every line's frequent short words (runs of Cyrillic
        letters no longer than the longest of them), each of which may add ``_WORD_BONUS``.
    non_ascii : ndarray of bool
        Whether each line has a byte from 0x80.

    Notes
    -----
    Lines are scored about a megabyte at a time, so that the arrays stay small.
    """
    n = len(lines)
    scores = [np.zeros(n) for _ in encodings]
    words = [np.zeros(n, dtype=np.int64) for _ in encodings]
    non_ascii = np.zeros(n, dtype=bool)
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    ends = np.cumsum(lengths + 1)
    first = 0
    while first < n:
        last = min(n, int(np.searchsorted(ends, ends[first] - lengths[first] - 1 + _CHUNK_BYTES, side="right")) + 1)
        chunk, count = slice(first, last), last - first
        codes = np.frombuffer(b"\n".join(lines[chunk]), dtype=np.uint8)
        starts = np.concatenate(([0], np.cumsum(lengths[chunk] + 1)[:-1]))

        def line_of(positions: np.ndarray) -> np.ndarray:
            return np.searchsorted(starts, positions, side="right") - 1

        non_ascii[chunk] = np.bincount(line_of(np.flatnonzero(codes >= 0x80)), minlength=count) > 0
        for i, encoding in enumerate(encodings):
            score, small, capital = _byte_tables(encoding)
            is_small, is_capital = np.take(small, codes), np.take(capital, codes)
            edges = np.flatnonzero(np.diff(np.concatenate(([False], is_small | is_capital, [False])).view(np.int8)))
            run_first, run_end = edges[0::2], edges[1::2]
            words[i][chunk] = np.bincount(line_of(run_first[run_end - run_first <= _LONGEST_COMMON]), minlength=count)
            if codes.size:
                sums = np.add.reduceat(np.take(score, codes), np.minimum(starts, codes.size - 1))
                sums[lengths[chunk] == 0] = 0.0  # reduceat gives an empty line its next value
            else:
                sums = np.zeros(count)
            flips = np.flatnonzero(is_small[:-1] & is_capital[1:])
            scores[i][chunk] = sums + _CASE_FLIP * np.bincount(line_of(flips), minlength=count)
        first = last
    return scores, words, non_ascii


def _read_single_byte(lines: list[bytes]) -> _Reading:
    """Decode lines of CP1251 or KOI8-R, line by line where the file mixes the two.

    The encoding that reads best over the whole text (letter frequencies, case patterns,
    frequent short words) decodes every line, except a line that reads clearly better in the
    other one (the file was pasted together from two sources). A line too short to tell is
    reported as uncertain.

    Parameters
    ----------
    lines : list of bytes
        The lines (without their ``\\n``).

    Returns
    -------
    _Reading
        The decoded lines and what was guessed.

    Raises
    ------
    Unreadable
        When the result does not read as Russian or Ukrainian text.
    """
    joined = b"\n".join(lines)
    ranked = []
    for encoding in _LEGACY:  # one byte is one character: the first _SAMPLE bytes are scored
        sample = joined[:_SAMPLE].decode(encoding, errors="replace")  # cp1251 leaves 0x98 undefined
        ranked.append((_cyrillic_score(sample)[0], encoding))
    ranked.sort(key=lambda c: -c[0])  # stable: CP1251 first on a tie
    (best_score, main), (second_score, other) = ranked
    quick, words, has_high = _quick_line_scores(lines, (main, other))
    # The other reading gains at most _WORD_BONUS a frequent word over the letters: only lines
    # whose letters alone do not settle it are scored in full.
    unsure = np.flatnonzero(has_high & (quick[0] - quick[1] - _WORD_BONUS * words[1] < _CLOSE_CALL))
    switched, uncertain = [], []
    for i in unsure.tolist():
        margin = _cyrillic_score(lines[i].decode(main, errors="replace"))[0] - _cyrillic_score(lines[i].decode(other, errors="replace"))[0]
        if margin <= -_CLOSE_CALL:
            switched.append(i)
        elif margin < _CLOSE_CALL:
            uncertain.append(i)
    text = joined.decode(main, errors="replace")
    decoded = text.split("\n")
    if switched:
        for i in switched:
            decoded[i] = lines[i].decode(other, errors="replace")
        text = "\n".join(decoded)
    _, non_ascii, letters, plausible, flips = _cyrillic_score(text[:_SAMPLE])
    if plausible < 0.9 * non_ascii or (letters >= 10 and flips > 0.1 * letters):
        raise Unreadable(
            "The file is not UTF-8 and does not read as Russian or Ukrainian text in CP1251 or "
            f"KOI8-R (another encoding, or not text at all). {_RESAVE}"
        )
    if letters and len(_MIXED_RE.findall(text)) > 0.2 * letters:
        raise Unreadable(
            "The file is not UTF-8; it looks like a Western European encoding (such as cp1252 or "
            f"latin-1), which is not read. {_RESAVE}"
        )
    close_call = bool(letters) and not switched and best_score - second_score < _CLOSE_CALL
    return _Reading(decoded, main, other, switched, uncertain, close_call)


# --------------------------------------------------------------------------------------------
# Double-encoded UTF-8
# --------------------------------------------------------------------------------------------

# CP1251 characters of the bytes 0x80-0xBF, the second byte of every UTF-8 Cyrillic letter.
_CONTINUATION = "".join(bytes([b]).decode("cp1251", errors="ignore") for b in range(0x80, 0xC0)) + "\u0098\ufffd"
_MOJIBAKE_RE = re.compile(f"[РС][{re.escape(_CONTINUATION)}]")
_CP1251_BYTE = {bytes([b]).decode("cp1251", errors="ignore"): b for b in range(0x80, 0x100) if bytes([b]).decode("cp1251", errors="ignore")}


def _undo_double_encoding(line: str) -> str | None:
    """Repair one line of UTF-8 that was read as CP1251 and saved as UTF-8 again.

    Returns the repaired line, or None when the line is not (all) such mojibake. A U+0098 or
    U+FFFD standing for the byte 0x98 (undefined in CP1251: the second byte of «И») is mapped
    back to it.
    """
    out = bytearray()
    previous = ""
    for ch in line:
        code = ord(ch)
        if code < 0x80:
            out.append(code)
        elif ch in _CP1251_BYTE:
            out.append(_CP1251_BYTE[ch])
        elif ch == "\u0098" or (ch == "\ufffd" and previous in "РС"):
            out.append(0x98)
        else:
            return None
        previous = ch
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _looks_double_encoded(line: str) -> bool:
    pairs = len(_MOJIBAKE_RE.findall(line))
    if pairs < 2:
        return False
    cyrillic = len(re.findall(f"[{_CYR_LOWER}{_CYR_UPPER}]", line))
    return pairs * 2 >= 0.6 * cyrillic  # most Cyrillic "letters" are halves of a pair


def _repair_double_encoding(text: str) -> tuple[str, list[int]]:
    """Repair double-encoded lines; return the text and the 1-based lines repaired."""
    if not _MOJIBAKE_RE.search(text):
        return text, []
    lines = text.split("\n")
    repaired = []
    for i, line in enumerate(lines):
        if _looks_double_encoded(line):
            fixed = _undo_double_encoding(line)
            if fixed is not None and _cyrillic_score(fixed)[0] > _cyrillic_score(line)[0]:
                lines[i] = fixed
                repaired.append(i + 1)
    return "\n".join(lines), repaired


# --------------------------------------------------------------------------------------------
# UTF-16 without a byte-order mark
# --------------------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """The encoding (``utf-16-le``/``-be``) of BOM-less UTF-16 text, or None.

    In UTF-16 text of Latin and Cyrillic letters the high byte of almost every code unit is
    0x00 (ASCII) or 0x04 (Cyrillic), while the low bytes vary.
    """
    if len(data) < 8 or len(data) % 2:
        return None
    for encoding, high, low in (("utf-16-le", data[1::2], data[0::2]), ("utf-16-be", data[0::2], data[1::2])):
        counts = Counter(high)
        if counts[0] + counts[4] >= 0.95 * len(high) and len(set(low)) > 4:
            if counts[0] == len(high) and sum(ch.isalpha() for ch in low.decode("latin-1")) < 0.5 * len(low):
                continue  # all code units below 0x100: Latin text only when most of them are letters
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(_CONTROL_RE.findall(text)) <= 0.01 * len(text):
                return encoding
    return None


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------


def line_ranges(lines: list[int]) -> str:
    """Format 1-based line numbers compactly: ``[1, 2, 3, 7]`` → ``"lines 1–3, 7"``."""
    if not lines:
        return "no line"
    runs, start, prev = [], lines[0], lines[0]
    for n in lines[1:]:
        if n == prev + 1:
            prev = n
            continue
        runs.append((start, prev))
        start = prev = n
    runs.append((start, prev))
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs[:6]]
    more = ", …" if len(runs) > 6 else ""
    word = "line" if len(lines) == 1 else "lines"
    return f"{word} {', '.join(parts)}{more}"


def _nul_lines(text: str) -> list[int]:
    if "\x00" not in text:
        return []
    return [i + 1 for i, line in enumerate(text.split("\n")) if "\x00" in line]


def _check_binary(text: str) -> None:
    """Reject text full of control characters or NULs (binary data that happened to decode).

    Only the first ``_SAMPLE`` characters are checked for control characters: binary data shows
    itself at once, and a large table need not be scanned twice.
    """
    sample = text[:_SAMPLE]
    head = text[:512]
    nul = text.count("\x00")
    dense = head and len(_CONTROL_RE.findall(head)) > 0.05 * len(head)  # NUL is a control character
    if dense or nul > max(8, 0.001 * len(text)) or len(_CONTROL_RE.findall(sample)) > max(8, 0.01 * len(sample)):
        raise Unreadable(
            "This is a binary file (it is full of NUL or control characters), not a text article. "
            "Remove it, or save the article as UTF-8 text."
        )


def _are(lines: list[int]) -> str:
    """``"line 2 is"`` or ``"lines 2–4 are"``."""
    return f"{line_ranges(lines)} {'is' if len(lines) == 1 else 'are'}"


def _single_byte_notes(reading: _Reading, line_of: list[int], rest: str | None) -> list[tuple[int | None, str]]:
    """Notes on lines decoded by :func:`_read_single_byte`.

    Parameters
    ----------
    reading : _Reading
        The decoded lines.
    line_of : list of int
        The 0-based line of the file of each of the reading's lines.
    rest : str or None
        The encoding of the file's other lines (``"UTF-8"``); None when the reading is the
        whole file.

    Returns
    -------
    list of (int or None, str)
        Notes as in :attr:`Decoded.notes`: lines of another encoding, lines too short to tell,
        or (for a whole file) a close call.
    """
    notes: list[tuple[int | None, str]] = []
    main, other = reading.encoding.upper(), reading.other.upper()
    switched = [line_of[i] + 1 for i in reading.switched]
    if rest is not None or switched:
        if rest is None:
            parts = f"{_are(switched)} {other} and the rest {main}"
        else:
            moved = set(reading.switched)
            kept = [line_of[i] + 1 for i in range(len(line_of)) if i not in moved]
            parts = ", ".join(f"{_are(lines)} {name}" for lines, name in ((kept, main), (switched, other)) if lines)
            parts += f" and the rest {rest}"
        first = line_of[0] + 1 if rest is not None else switched[0]
        notes.append((first, (
            f"The file mixes encodings: {parts}; each line was decoded in its own encoding. "
            "Check those lines, or save the file as UTF-8."
        )))
    if reading.close_call and rest is None:
        notes.append((None, (
            f"The encoding was guessed as {main}, but {other} is nearly as likely for so short a text; "
            "check the text, or save the file as UTF-8."
        )))
    elif reading.uncertain:
        lines = [line_of[i] + 1 for i in reading.uncertain]
        notes.append((lines[0], (
            f"{_are(lines).capitalize()} too short to tell {main} from {other}; decoded as {main}, like the rest "
            f"of the file. Check {'it' if len(lines) == 1 else 'them'}, or save the file as UTF-8."
        )))
    return notes


def _decode_by_line(data: bytes) -> Decoded:
    """Decode bytes that are not valid UTF-8 as a whole: per line, in UTF-8, CP1251 or KOI8-R."""
    raw_lines = data.split(b"\n")
    utf8: dict[int, str] = {}
    legacy: list[int] = []
    for i, line in enumerate(raw_lines):
        try:
            utf8[i] = line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(i)
    utf8_non_ascii = [i for i, s in utf8.items() if not s.isascii()]
    if not utf8_non_ascii:  # nothing is UTF-8 beyond ASCII: the file is single-byte text
        return _decode_single_byte(raw_lines)
    notes: list[tuple[int | None, str]] = []
    out = dict(utf8)
    try:
        reading: _Reading | None = _read_single_byte([raw_lines[i] for i in legacy])
    except Unreadable:
        reading = None
    lines_1 = [i + 1 for i in legacy]
    if reading is not None:
        for i, line in zip(legacy, reading.lines):
            out[i] = line
        notes.extend(_single_byte_notes(reading, legacy, "UTF-8"))
        used = "mixed"
    else:
        broken = 0
        for i in legacy:
            out[i] = raw_lines[i].decode("utf-8", errors="replace")
            broken += out[i].count("\ufffd")
        valid = sum(len(s) - len(s.encode("ascii", "ignore")) for s in out.values()) - broken
        if valid < 10 * broken:
            return _decode_single_byte(raw_lines)
        notes.append((lines_1[0], (
            f"{broken} byte(s) on {line_ranges(lines_1)} are not valid UTF-8 and were replaced by \ufffd; "
            "check the text, or save the file again as UTF-8."
        )))
        used = "utf-8"
    text = "\n".join(out[i] for i in range(len(raw_lines)))
    return Decoded(text, used, notes)


def _decode_single_byte(raw_lines: list[bytes]) -> Decoded:
    """A file of CP1251 or KOI8-R lines (or both, pasted together); raises :class:`Unreadable`."""
    reading = _read_single_byte(raw_lines)
    used = "mixed" if reading.switched else reading.encoding
    return Decoded("\n".join(reading.lines), used, _single_byte_notes(reading, list(range(len(raw_lines))), None))


def decode(data: bytes) -> Decoded:
    """Decode the bytes of a text file, detecting (and, where needed, repairing) its encoding.

    Parameters
    ----------
    data : bytes
        The raw content of a file.

    Returns
    -------
    Decoded
        The text, the encoding used, notes naming the lines that were guessed or repaired, and
        the lines holding a NUL character.

    Raises
    ------
    Unreadable
        For binary data or bytes that are none of the encodings above; the message says why.

    Examples
    --------
    >>> decode("Привет из Москвы".encode("koi8-r")).encoding
    'koi8-r'
    >>> decode("Загол".encode("utf-8").decode("cp1251").encode("utf-8")).text
    'Загол'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode("utf-8" if encoding == "utf-8-sig" else encoding)
            except UnicodeDecodeError:
                raise Unreadable(
                    f"The file starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()}. {_RESAVE}"
                ) from None
            _check_binary(text)
            return _finish(Decoded(text, encoding))
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise Unreadable(f"This is {what} saved under a text name, not a text article. Extract its text into a UTF-8 .txt file.")
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is not None:
            text = data.decode(encoding)
            note = f"The file is {encoding.upper()} without a byte-order mark; it was detected from its bytes. Save it as UTF-8 to be sure."
            return _finish(Decoded(text, encoding, [(None, note)]))
    try:
        decoded = Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        decoded = _decode_by_line(data)
    _check_binary(decoded.text)
    return _finish(decoded)


def _finish(decoded: Decoded) -> Decoded:
    """Repair double encoding and record NUL lines."""
    text, repaired = _repair_double_encoding(decoded.text)
    if repaired:
        decoded.text = text
        decoded.notes.append((repaired[0], (
            f"{line_ranges(repaired).capitalize()} held UTF-8 that had been read as CP1251 and saved again "
            "(«РџСЂ…» for «Пр…»); repaired. Check the text, or fix the scraper's encoding."
        )))
    decoded.nul_lines = _nul_lines(decoded.text)
    return decoded


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """Decode bytes and return ``(text, encoding, note)``: :func:`decode` as a tuple.

    ``note`` joins the notes of :func:`decode` (None when there are none). Kept for callers of
    the kit's first version; :func:`decode` also says which lines each note concerns.

    Raises
    ------
    ValueError
        For binary data or bytes in an encoding the kit does not read.
    """
    decoded = decode(data)
    if decoded.nul_lines:
        raise Unreadable(
            f"This file holds NUL bytes on {line_ranges(decoded.nul_lines)}: it is binary, or text damaged "
            "in transfer. Remove the NUL bytes or save the article again as UTF-8."
        )
    note = " ".join(n for _, n in decoded.notes) or None
    return decoded.text, decoded.encoding, note
