"""Segmentation: paragraphs, sentences and tokens (with their kind), and language detection.

The token table of :func:`helpers.text.tokenize` rests on :func:`segment`, which cuts many
documents at once: it joins them into one string per chunk, finds tokens with one compiled
regular expression (split at C speed), and places tokens in sentences and paragraphs with
NumPy, so that the cost per token stays well under a microsecond.

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
)
_EMAIL = r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
_HANDLE = r"(?<![\w@])@[A-Za-z0-9_]{2,}"
_HASHTAG = r"(?<![\w#&])#[^\W\d][\w]*"
_NUMBER = r"(?<![\w.,])\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?(?![\w])|(?<![\w.,])\d+(?:[.,]\d+)+(?![\w])"
_EMOJI = r"(?:[\U0001F1E6-\U0001F1FF]{2}|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF][\uFE0F\u200D\U0001F3FB-\U0001F3FF]*(?:\u200D[\U0001F000-\U0001FAFF\u2600-\u27BF][\uFE0F]?)*)"
_SPECIAL_RE = re.compile(f"(?P<email>{_EMAIL})|(?P<url>{_URL})|(?P<handle>{_HANDLE})|(?P<hashtag>{_HASHTAG})|(?P<number>{_NUMBER})|(?P<emoji>{_EMOJI})", re.IGNORECASE)
_SPECIAL_HINT_RE = re.compile(r"[@#]|://|www\.|\.(?:ru|com|org|net|ua|me|ly|io|info|su|by|kz|рф)\b|\d[\u00a0\u202f ,.]\d|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]»\"'…"

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
# Abbreviations and initials
# --------------------------------------------------------------------------------------------


def _special_abbreviations(text: str) -> list[tuple[int, int]]:
    """Spans of abbreviations and initials that keep their trailing period."""
    found: list[tuple[int, int]] = []
    n = len(text)
    for m in _DOTTED_RE.finditer(text):
        found.append(m.span())
    previous: tuple[int, int, str] | None = None
    for m in _ABBR_CAND_RE.finditer(text):
        j, i = m.start(1), m.end(1)  # the word and its period at i
        word = m.group(1)
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


def _special_tokens(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses, handles, hashtags, grouped numbers and emoji."""
    if not _SPECIAL_HINT_RE.search(text):
        return []
    spans = []
    for m in _SPECIAL_RE.finditer(text):
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
    sep = "\x00\n"
    big = sep.join(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    doc_start = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        doc_start[1:] = np.cumsum(lengths[:-1] + len(sep))
    parts = _WORD_SPLIT_RE.split(big)
    bounds = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
    starts = bounds[0::2][:-1].copy()
    ends = bounds[1::2].copy()
    surfaces = parts[1::2]
    abbreviations = _special_abbreviations(big) if "." in big else []
    special = _special_tokens(big) + abbreviations
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
        kept_idx = np.flatnonzero(keep)
        words = [surfaces[i] for i in kept_idx]
        specials = [big[a:b] for a, b in zip(s_start.tolist(), s_end.tolist())]
        pooled = words + specials
        surfaces = [pooled[i] for i in order]
        ends = np.concatenate([ends[keep], s_end])[order]
        starts = all_start[order]
    doc = np.searchsorted(doc_start, starts, side="right") - 1
    # Paragraph starts: blank lines in documents that have them, else every line.
    newline = np.fromiter((m.end() for m in re.finditer("\n", big)), dtype=np.int64)
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
    if "@" in sample or "#" in sample or "." in sample:
        sample = _NON_WORDS_RE.sub(" ", sample)
    cyr, lat = len(_CYR_RE.findall(sample)), len(_LAT_RE.findall(sample))
    if lat > cyr:
        return "en"
    if cyr == 0:
        return "en" if lat else "ru"
    return "uk" if len(_UK_RE.findall(sample)) > len(_RU_RE.findall(sample)) else "ru"


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
