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
   other lines are decoded together with the single-byte encoding that reads best, and a note
   names the lines. Bytes that are neither become U+FFFD, with a note naming their lines.
6. CP1251 or KOI8-R for the whole file, whichever reads more like Russian or Ukrainian (letter
   frequencies, case patterns and frequent short words; reliable from about six words, a close
   call on a shorter text comes with a note).
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
from dataclasses import dataclass, field

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


def _plausible(text: str) -> bool:
    """Whether a single-byte decoding reads as Cyrillic text (not junk, not Western European)."""
    _, non_ascii, letters, plausible, flips = _cyrillic_score(text[:_SAMPLE])
    if plausible < 0.9 * non_ascii or (letters >= 10 and flips > 0.1 * letters):
        return False
    return not (letters and len(_MIXED_RE.findall(text)) > 0.2 * letters)


def _choose_single_byte(data: bytes) -> tuple[str, str, str | None]:
    """Choose between CP1251 and KOI8-R by letter frequencies and case patterns."""
    candidates = []
    for encoding in _LEGACY:
        text = data.decode(encoding, errors="replace")  # cp1251 leaves 0x98 undefined
        candidates.append((_cyrillic_score(text[:_SAMPLE]), encoding, text))
    candidates.sort(key=lambda c: -c[0][0])
    (score, non_ascii, letters, plausible, flips), encoding, text = candidates[0]
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
    note = None
    if score - candidates[1][0][0] < 4.0 and letters:
        note = (
            f"The encoding was guessed as {encoding.upper()}, but {candidates[1][1].upper()} is "
            f"nearly as likely for so short a text; check the text, or save the file as UTF-8."
        )
    return text, encoding, note


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
        if counts[0] + counts[4] >= 0.95 * len(high) and len(set(low)) > 4 and counts[0] < len(high):
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
    dense = head and (head.count("\x00") + len(_CONTROL_RE.findall(head))) > 0.05 * len(head)
    if dense or nul > max(8, 0.001 * len(text)) or len(_CONTROL_RE.findall(sample)) > max(8, 0.01 * len(sample)):
        raise Unreadable(
            "This is a binary file (it is full of NUL or control characters), not a text article. "
            "Remove it, or save the article as UTF-8 text."
        )


def _decode_by_line(data: bytes) -> Decoded:
    """Decode bytes that are not valid UTF-8 as a whole: per line, or as one legacy encoding."""
    raw_lines = data.split(b"\n")
    utf8: dict[int, str] = {}
    legacy: list[int] = []
    for i, line in enumerate(raw_lines):
        try:
            utf8[i] = line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(i)
    utf8_non_ascii = [i for i, s in utf8.items() if not s.isascii()]
    legacy_bytes = b"\n".join(raw_lines[i] for i in legacy)
    if not utf8_non_ascii:  # nothing is UTF-8 beyond ASCII: one legacy encoding for the file
        text, encoding, note = _choose_single_byte(data)
        return Decoded(text, encoding, [(None, note)] if note else [])
    notes: list[tuple[int | None, str]] = []
    out = dict(utf8)
    try:
        legacy_text, encoding, _ = _choose_single_byte(legacy_bytes)
        plausible = _plausible(legacy_text)
    except Unreadable:
        plausible, encoding = False, ""
    lines_1 = [i + 1 for i in legacy]
    if plausible:
        for i in legacy:
            out[i] = raw_lines[i].decode(encoding, errors="replace")
        notes.append((lines_1[0], (
            f"The file mixes encodings: {line_ranges(lines_1)} are {encoding.upper()} and the rest UTF-8; "
            "each line was decoded in its own encoding. Check those lines, or save the file as UTF-8."
        )))
        used = "mixed"
    else:
        broken = 0
        for i in legacy:
            out[i] = raw_lines[i].decode("utf-8", errors="replace")
            broken += out[i].count("\ufffd")
        valid = sum(len(s) - len(s.encode("ascii", "ignore")) for s in out.values()) - broken
        if valid < 10 * broken:
            text, encoding, note = _choose_single_byte(data)
            return Decoded(text, encoding, [(None, note)] if note else [])
        notes.append((lines_1[0], (
            f"{broken} byte(s) on {line_ranges(lines_1)} are not valid UTF-8 and were replaced by \ufffd; "
            "check the text, or save the file again as UTF-8."
        )))
        used = "utf-8"
    text = "\n".join(out[i] for i in range(len(raw_lines)))
    return Decoded(text, used, notes)


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
    >>> decode("Привет".encode("koi8-r") * 3).encoding
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
