"""A deterministic benchmark corpus with a real vocabulary (writes files; not a test).

Real news has a long tail: new word forms keep appearing as a corpus grows, following Heaps' law
``V = K·N^β`` with ``β`` about 0.6–0.7 (about 44,000 distinct forms in 380,000 tokens). A corpus
made by resampling a few hundred articles stops growing its vocabulary after a few hundred
thousand tokens and flatters every cache and every per-form optimisation. This script builds one
that keeps growing:

- **Real sentences.** Every sentence comes from the real texts of ``--eval`` (factRuEval-2016
  and the ods sample; see their README), cut with razdel. The ods texts' literal ``n`` line
  breaks are turned back into line breaks first.
- **Stories in time order.** Articles are dated through one year in ``doc_id`` order. A handful
  of source texts are "in the news" at a time; an article retells a run of consecutive
  sentences of one of them, with an occasional sentence of another text, in paragraphs of one
  to four sentences, about 350 words in all.
- **Rare forms.** Some content words are replaced by a form of a *rare lexeme*, in the same
  grammatical slot (the same case and number for a noun, also the gender for an adjective, the
  same tense, person and number for a verb; a capitalised name inside a sentence is replaced by
  a surname). Lexemes are drawn from one Pitman–Yor process per word class (discount
  ``--discount``), which makes the number of lexemes, and so the number of distinct forms, grow
  as a power of the number of draws; a lexeme drawn again comes back in whatever case its new
  slot needs, as real rare words do. A new lexeme is, by turns, a real word of pymorphy3's
  dictionary that the source texts do not use (its forms read from the dictionary's paradigm),
  or an invented one: the beginning of one real stem joined to the end of another of the same
  class and inflected with the second's paradigm (``-ов``/``-ин`` surnames from real surname
  paradigms), so that the analyser has to guess it by its ending as it guesses real new words.

With the defaults, about 23% of the distinct lower-case Cyrillic words of a million-token corpus
are unknown to pymorphy3's dictionary (4.7% in the 92,000 tokens of the real texts themselves):
the tail is harsher than in most news, on purpose; ``--invented`` sets the share of invented
lexemes.

Everything is decided by one NumPy generator (``--seed``, default 2026): the same arguments give
byte-identical output on any machine. The output holds real sentences, so it belongs outside the
repository (``/tmp`` or the ignored ``build/``), never in ``corpus/`` or ``tests/``.

Output: a CSV (``doc_id,date,outlet,title,text``; one paragraph per line inside ``text``) or,
with ``--parquet``, a folder of Parquet partitions ``part-00000.parquet``… of
``--partition-rows`` rows each. The script prints the Heaps figures of what it wrote: distinct
forms (lower-cased words) at 100,000, 380,000 and 1,000,000 tokens and at the end, and the
exponent ``β`` fitted between them.

Usage::

    python benchmarks/make_corpus.py --eval PATH/TO/shared/eval --articles 10000 --out /tmp/gen10k.csv
    python benchmarks/make_corpus.py --eval PATH --articles 100000 --out build/gen100k --parquet
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2026
#: Cyrillic word pieces that may be replaced by a rare form (letters only).
_CYR_WORD_RE = re.compile(r"^[а-яё]+$", re.IGNORECASE)
#: Words as the Heaps figures count them: letters and digits with inner hyphens or apostrophes.
_WORD_RE = re.compile(r"[^\W_](?:[^\W_]|[-'’](?=[^\W_]))*")
#: The split of a sentence into separators and words (words at odd positions).
_SPLIT_RE = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)")
#: A literal ``n`` standing for a line break in the ods texts: a Latin ``n`` between two
#: characters that are neither Latin letters nor spaces cannot be part of a word.
_LITERAL_N_RE = re.compile(r"(?<=[^A-Za-z\s])n(?=[^A-Za-z\s])")
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
#: Word classes that take rare forms, and pymorphy3 parts of speech that belong to each.
_CLASS_OF_POS = {"NOUN": "noun", "ADJF": "adj", "VERB": "verb", "INFN": "verb", "GRND": "verb", "PRTF": "verb"}
_CLASSES = ("noun", "adj", "verb", "name")
_VOWELS = frozenset("аеёиоуыэюя")
HEAPS_POINTS = (100_000, 380_000, 1_000_000)


# --------------------------------------------------------------------------------------------
# Reading the real texts
# --------------------------------------------------------------------------------------------


def read_eval(root: str | Path) -> pd.DataFrame:
    """The real texts of ``shared/eval`` as they are given, one row per text.

    Parameters
    ----------
    root : str or Path
        The ``eval`` folder: ``factRuEval-2016/{devset,testset}/*.txt`` (the texts that have
        gold ``.spans``) and ``ods-sample/*.csv.gz``.

    Returns
    -------
    DataFrame
        ``doc_id`` (``factru-devset-book_100``, ``ods-gazeta-00``…, sorted), ``text`` (exactly as
        in the files), ``outlet`` (``factRuEval`` or the ods file's outlet), ``date``
        (``YYYY-MM-DD`` for ods, empty for factRuEval) and ``title`` (empty for factRuEval).
    """
    root = Path(root)
    rows: list[tuple[str, str, str, str, str]] = []
    for split in ("devset", "testset"):
        folder = root / "factRuEval-2016" / split
        for txt in sorted(p for p in folder.glob("*.txt") if p.with_suffix(".spans").exists()):
            rows.append((f"factru-{split}-{txt.stem}", txt.read_text(encoding="utf-8"), "factRuEval", "", ""))
    for path in sorted((root / "ods-sample").glob("*.csv.gz")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        outlet = path.name.split(".")[0].split("-")[0]
        for i, (date, title, body) in enumerate(zip(table["date"], table["title"], table["text"])):
            rows.append((f"ods-{outlet}-{i:02d}", body, outlet, date[:10], title))
    if not rows:
        raise FileNotFoundError(f"No texts under {root}: expected factRuEval-2016/ and ods-sample/ (see its README).")
    return pd.DataFrame(rows, columns=["doc_id", "text", "outlet", "date", "title"]).sort_values("doc_id", kind="stable").reset_index(drop=True)


def _literal_n(m: re.Match) -> str:
    nxt = m.string[m.end()]
    if nxt in ",.;:!?)»":
        return ""  # a line break before punctuation (the end of a link's text)
    if nxt.islower():
        return " "  # a link's text on a line of its own, inside a sentence
    return "\n"


def restore_newlines(text: str) -> str:
    """Undo the ods sample's literal ``n`` line breaks.

    A Latin ``n`` between two characters that are neither Latin letters nor spaces cannot be
    part of a word: before a capital, a digit, a quote or a dash it was a paragraph break; before
    a lower-case letter it cut a link's text out of its sentence (a space); before punctuation it
    is dropped.
    """
    return _LITERAL_N_RE.sub(_literal_n, text)


def paragraphs_of(text: str) -> list[str]:
    """Non-empty paragraphs (lines) of a text, whitespace-normalised."""
    return [" ".join(p.split()) for p in text.splitlines() if p.strip()]


# --------------------------------------------------------------------------------------------
# The analyser's dictionary: lexemes and their paradigms
# --------------------------------------------------------------------------------------------


def _slot_key(tag) -> tuple | None:
    """The grammatical slot of a form: what a replacement must share with it."""
    pos = tag.POS
    if pos == "NOUN":
        return ("NOUN", tag.case, tag.number)
    if pos == "ADJF":
        return ("ADJF", tag.case, tag.number, tag.gender, tag.animacy if tag.case == "accs" else None)
    if pos == "VERB":
        return ("VERB", tag.tense, tag.person, tag.number, tag.gender, tag.mood)
    if pos == "INFN":
        return ("INFN",)
    if pos == "GRND":
        return ("GRND", tag.tense)
    if pos == "PRTF":
        return ("PRTF", tag.tense, tag.voice, tag.case, tag.number, tag.gender, tag.animacy if tag.case == "accs" else None)
    return None


@dataclass
class Lexicon:
    """Paradigms of the analyser and the lexemes rare forms are drawn from, per word class."""

    prefixes: Sequence[str]
    suffixes: Sequence[str]
    #: per paradigm: ``{slot key: (prefix id, suffix id)}`` of its first form in that slot
    slots: list[dict]
    #: per class: real lexemes ``(stem, paradigm id)`` the source texts do not use, shuffled
    real: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: per class: stems and paradigms to recombine into invented lexemes
    parts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def form(self, stem: str, paradigm: int, key: tuple) -> str | None:
        """The form of a lexeme in a slot, or None when its paradigm has no such slot."""
        ids = self.slots[paradigm].get(key)
        if ids is None:
            return None
        return self.prefixes[ids[0]] + stem + self.suffixes[ids[1]]


def build_lexicon(morph, used: set[str], rng: np.random.Generator) -> Lexicon:
    """Read every lexeme of pymorphy3's dictionary once and sort them into word classes.

    A lexeme is kept when its normal form is a plain Cyrillic word of 4 to 14 letters that the
    source texts do not contain (``used``); nouns, adjectives and verbs go to their class,
    surnames (``Surn``) to ``name``. The order is the dictionary's (sorted), then shuffled by
    ``rng``.
    """
    d = morph.dictionary
    gramtab = [morph.TagClass(t) if isinstance(t, str) else t for t in d.gramtab]
    tag_keys = [_slot_key(t) for t in gramtab]
    slots: list[dict] = []
    para_class: list[str | None] = []
    for paradigm in d.paradigms:
        n = len(paradigm) // 3
        table: dict = {}
        for i in range(n):
            key = tag_keys[paradigm[n + i]]
            if key is not None and key not in table:
                table[key] = (paradigm[2 * n + i], paradigm[i])
        slots.append(table)
        first = gramtab[paradigm[n]]
        grams = first.grammemes
        if "Surn" in grams and "masc" in grams and first.POS == "NOUN":
            para_class.append("name")
        elif grams & _PROPER or {"Abbr", "Infr", "Slng", "Arch", "Erro", "Dist", "Init", "Fixd"} & grams:
            para_class.append(None)
        else:
            para_class.append(_CLASS_OF_POS.get(first.POS) if first.POS in ("NOUN", "ADJF", "INFN") else None)
    real: dict[str, list[tuple[str, int]]] = {c: [] for c in _CLASSES}
    prefixes, suffixes = d.paradigm_prefixes, d.suffixes
    for word, (para_id, idx) in d.words.iteritems():
        if idx != 0:
            continue
        cls = para_class[para_id]
        if cls is None or not (4 <= len(word) <= 14) or word in used or not _CYR_WORD_RE.match(word):
            continue
        paradigm = d.paradigms[para_id]
        n = len(paradigm) // 3
        prefix, suffix = prefixes[paradigm[2 * n]], suffixes[paradigm[0]]
        if prefix:
            continue
        stem = word[: len(word) - len(suffix)] if suffix else word
        if len(stem) >= 3:
            real[cls].append((stem, para_id))
    parts = {c: list(v) for c, v in real.items()}
    for c in _CLASSES:
        rng.shuffle(real[c])
        rng.shuffle(parts[c])
    return Lexicon(prefixes=prefixes, suffixes=suffixes, slots=slots, real=real, parts=parts)


# --------------------------------------------------------------------------------------------
# Rare lexemes: one Pitman-Yor process per class
# --------------------------------------------------------------------------------------------


class RareLexemes:
    """Draws of rare lexemes: a Pitman–Yor process (discount ``d``, concentration ``theta``).

    A draw is a new lexeme with probability ``(theta + d·K) / (theta + m)`` (``K`` lexemes after
    ``m`` draws), else an old one with probability proportional to ``count − d``. The number of
    lexemes then grows as ``m^d``. New lexemes alternate between real dictionary lexemes and
    invented ones (``invented`` is the share of the latter).
    """

    def __init__(self, lexicon: Lexicon, cls: str, rng: np.random.Generator, *, discount: float, theta: float, invented: float) -> None:
        self.lexicon, self.cls, self.rng = lexicon, cls, rng
        self.d, self.theta, self.invented = discount, theta, invented
        self.lexemes: list[tuple[str, int]] = []
        self.counts: list[int] = []
        self.draws: list[int] = []  # the lexeme of every draw so far (for choosing ∝ count)
        self.next_real = 0
        self.next_part = 0

    def _new(self) -> tuple[str, int]:
        lex = self.lexicon
        if self.rng.random() >= self.invented and self.next_real < len(lex.real[self.cls]):
            item = lex.real[self.cls][self.next_real]
            self.next_real += 1
            return item
        parts = lex.parts[self.cls]
        for _ in range(20):
            a = parts[self.next_part % len(parts)][0]
            b_stem, b_para = parts[(self.next_part + 1 + int(self.rng.integers(len(parts) - 1))) % len(parts)]
            self.next_part += 1
            # the start of ``a`` up to a vowel, then the end of ``b`` from its first consonant after a vowel
            cut_a = [i + 1 for i in range(1, len(a) - 1) if a[i] in _VOWELS]
            cut_b = [j for j in range(1, len(b_stem) - 1) if b_stem[j - 1] in _VOWELS and b_stem[j] not in _VOWELS]
            if cut_a and cut_b:
                stem = a[: cut_a[int(self.rng.integers(len(cut_a)))]] + b_stem[cut_b[int(self.rng.integers(len(cut_b)))]:]
                if 3 <= len(stem) <= 14:
                    return stem, b_para
        return parts[self.next_part % len(parts)]

    def draw(self) -> int:
        """The index of the lexeme of one draw."""
        m, k = len(self.draws), len(self.lexemes)
        if m == 0 or self.rng.random() * (self.theta + m) < self.theta + self.d * k:
            self.lexemes.append(self._new())
            self.counts.append(0)
            j = k
        else:
            while True:  # ∝ count − d: a draw chosen uniformly, kept with probability (count − d)/count
                j = self.draws[int(self.rng.integers(m))]
                if self.rng.random() * self.counts[j] < self.counts[j] - self.d:
                    break
        self.counts[j] += 1
        self.draws.append(j)
        return j


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


@dataclass
class Sentence:
    """A real sentence split into separators and words, with the slots that may be replaced."""

    parts: list[str]
    #: (part index, class, slot key, capitalised) of every replaceable word
    slots: list[tuple[int, str, tuple, bool]]
    words: int


def _sentences(docs: pd.DataFrame, morph) -> tuple[list[list[list[Sentence]]], list[str]]:
    """Every source text as paragraphs of analysed sentences, and the outlets of the texts."""
    from razdel import sentenize

    analysis: dict[str, tuple[str, tuple] | None] = {}

    def slot_of(word: str, first: bool) -> tuple[str, tuple, bool] | None:
        low = word.lower()
        if len(low) < 3 or not _CYR_WORD_RE.match(word) or (word.isupper() and len(word) > 1):
            return None
        if low not in analysis:
            p = morph.parse(low)[0]
            key = _slot_key(p.tag)
            proper = bool(_PROPER & p.tag.grammemes)
            cls = "name" if p.tag.POS == "NOUN" and {"Surn", "Name"} & p.tag.grammemes else _CLASS_OF_POS.get(p.tag.POS)
            analysis[low] = (cls, key) if key is not None and cls is not None and not (proper and cls != "name") else None
        found = analysis[low]
        if found is None:
            return None
        cls, key = found
        title = word[:1].isupper()
        if cls == "name":
            if first or not title or key[0] != "NOUN":
                return None
        elif title and not first:
            return None  # a capitalised common word inside a sentence: part of a name
        return cls, key, title

    stories = []
    for body in docs["text"]:
        paragraphs = []
        for para in paragraphs_of(restore_newlines(body)):
            sents = []
            for s in sentenize(para):
                parts = _SPLIT_RE.split(s.text)
                slots = []
                for i in range(1, len(parts), 2):
                    found = slot_of(parts[i], i == 1 and not parts[0].strip())
                    if found is not None:
                        slots.append((i, *found))
                sents.append(Sentence(parts, slots, len(_WORD_RE.findall(s.text))))
            if sents:
                paragraphs.append(sents)
        stories.append(paragraphs)
    return stories, [str(o) for o in docs["outlet"]]


class Generator:
    """Articles from real sentences with rare forms (see the module notes)."""

    def __init__(
        self, docs: pd.DataFrame, *, seed: int = SEED, rate: float = 0.15, discount: float = 0.62, theta: float = 1500.0,
        invented: float = 0.3, active: int = 16, words: int = 350,
    ) -> None:
        import pymorphy3

        self.rng = np.random.default_rng(seed)
        morph = pymorphy3.MorphAnalyzer(lang="ru")
        self.stories, story_outlets = _sentences(docs, morph)
        keep = [i for i, s in enumerate(self.stories) if sum(x.words for p in s for x in p) >= 40]
        self.stories = [self.stories[i] for i in keep]
        self.flat = [[s for p in story for s in p] for story in self.stories]
        self.outlets = sorted({o for i, o in enumerate(story_outlets) if i in set(keep)} - {"factRuEval"}) or ["news"]
        used = {w.lower() for story in self.flat for s in story for w in s.parts[1::2]}
        self.lexicon = build_lexicon(morph, used, self.rng)
        self.rare = {c: RareLexemes(self.lexicon, c, self.rng, discount=discount, theta=theta, invented=invented) for c in _CLASSES}
        self.rate, self.words = rate, words
        self.active = list(self.rng.choice(len(self.stories), size=min(active, len(self.stories)), replace=False))

    def _render(self, s: Sentence) -> str:
        if not s.slots:
            return "".join(s.parts)
        hits = np.flatnonzero(self.rng.random(len(s.slots)) < self.rate)
        if hits.size == 0:
            return "".join(s.parts)
        parts = list(s.parts)
        for h in hits.tolist():
            i, cls, key, title = s.slots[h]
            rare = self.rare[cls]
            j = rare.draw()
            stem, paradigm = rare.lexemes[j]
            form = self.lexicon.form(stem, paradigm, key)
            if form is None:
                continue
            parts[i] = form[:1].upper() + form[1:] if title or cls == "name" else form
        return "".join(parts)

    def article(self) -> tuple[str, str, int]:
        """One article: ``(title, text, words)``."""
        rng = self.rng
        if rng.random() < 0.25:  # a story leaves the news and another comes in
            self.active[int(rng.integers(len(self.active)))] = int(rng.integers(len(self.stories)))
        story = self.active[int(rng.integers(len(self.active)))]
        sents = self.flat[story]
        target = int(np.clip(rng.lognormal(math.log(self.words) - 0.08, 0.4), 60, 1500))
        pos = int(rng.integers(len(sents)))
        paragraphs: list[str] = []
        total, current, limit = 0, [], int(rng.integers(1, 5))
        guard = 0
        while total < target and guard < 400:
            guard += 1
            if rng.random() < 0.1:
                other = self.flat[int(rng.integers(len(self.flat)))]
                s = other[int(rng.integers(len(other)))]
            else:
                s = sents[pos % len(sents)]
                pos += 1
            current.append(self._render(s))
            total += s.words
            if len(current) >= limit:
                paragraphs.append(" ".join(current))
                current, limit = [], int(rng.integers(1, 5))
        if current:
            paragraphs.append(" ".join(current))
        words = _WORD_RE.findall(paragraphs[0])
        title = " ".join(words[:10])
        return title, "\n".join(paragraphs), total


def generate(docs: pd.DataFrame, n_articles: int, *, seed: int = SEED, generator: Generator | None = None, **options) -> Iterator[dict]:
    """Yield ``n_articles`` rows ``{doc_id, date, outlet, title, text}`` in date order.

    ``generator`` (a :class:`Generator` of ``docs``) may be passed to read its draws afterwards.
    """
    gen = generator if generator is not None else Generator(docs, seed=seed, **options)
    start = np.datetime64("2025-01-01")
    width = len(str(max(n_articles - 1, 1)))
    for i in range(n_articles):
        title, text, _ = gen.article()
        day = start + np.timedelta64(int(i * 365 // max(n_articles, 1)), "D")
        outlet = gen.outlets[int(gen.rng.integers(len(gen.outlets)))]
        yield {"doc_id": f"g{i:0{width}d}", "date": str(day), "outlet": outlet, "title": title, "text": text}


class Heaps:
    """Distinct lower-cased word forms as tokens accumulate, read at fixed token counts."""

    def __init__(self, points: Sequence[int] = HEAPS_POINTS) -> None:
        self.points = sorted(points)
        self.seen: set[str] = set()
        self.tokens = 0
        self.at: dict[int, int] = {}

    def add(self, text: str) -> None:
        """Count the words of one text, in order."""
        for w in _WORD_RE.findall(text):
            self.tokens += 1
            self.seen.add(w.lower())
            if self.tokens in self.points:
                self.at[self.tokens] = len(self.seen)

    def report(self) -> list[str]:
        """Lines of figures: distinct forms at each point and the fitted exponents."""
        pts = [(n, self.at[n]) for n in self.points if n in self.at] + [(self.tokens, len(self.seen))]
        lines = [f"  {n:>12,} tokens: {v:>9,} distinct forms" for n, v in pts]
        for (n1, v1), (n2, v2) in zip(pts, pts[1:]):
            if n2 > n1:
                lines.append(f"  beta {n1:,} -> {n2:,}: {math.log(v2 / v1) / math.log(n2 / n1):.3f}")
        if len(pts) >= 2 and pts[-1][0] > pts[0][0]:
            (n1, v1), (n2, v2) = pts[0], pts[-1]
            beta = math.log(v2 / v1) / math.log(n2 / n1)
            lines.append(f"  K = {v2 / n2 ** beta:.2f}, beta = {beta:.3f} (V = K·N^beta through the first and last points)")
        return lines


def write(rows: Iterator[dict], out: Path, *, parquet: bool, partition_rows: int, heaps: Heaps) -> int:
    """Write the rows as one CSV or a folder of Parquet partitions; return the row count."""
    columns = ["doc_id", "date", "outlet", "title", "text"]
    n = 0
    if parquet:
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("part-*.parquet"):
            old.unlink()
        batch: list[dict] = []
        part = 0

        def flush() -> None:
            nonlocal batch, part
            if batch:
                pd.DataFrame(batch, columns=columns).to_parquet(out / f"part-{part:05d}.parquet", index=False)
                part += 1
                batch = []

        for row in rows:
            heaps.add(row["text"])
            batch.append(row)
            n += 1
            if len(batch) >= partition_rows:
                flush()
        flush()
        return n
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            heaps.add(row["text"])
            writer.writerow(row)
            n += 1
    return n


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", required=True, help="the shared/eval folder (factRuEval-2016/, ods-sample/)")
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", required=True, help="a .csv file, or a folder with --parquet")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--parquet", action="store_true", help="write a folder of Parquet partitions")
    parser.add_argument("--partition-rows", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=0.15, help="share of content words replaced by a rare form")
    parser.add_argument("--discount", type=float, default=0.62, help="Pitman–Yor discount (the growth exponent of lexemes)")
    parser.add_argument("--theta", type=float, default=1500.0, help="Pitman–Yor concentration")
    parser.add_argument("--active", type=int, default=16, help="stories in the news at a time")
    parser.add_argument("--invented", type=float, default=0.3, help="share of new rare lexemes that are invented (unknown to the analyser)")
    parser.add_argument("--words", type=int, default=350, help="mean words per article")
    args = parser.parse_args(argv)

    out = Path(args.out)
    root = Path(__file__).resolve().parent.parent
    try:
        inside = out.resolve().is_relative_to(root) and not out.resolve().is_relative_to(root / "build")
    except OSError:
        inside = False
    if inside:
        sys.exit(f"{out} is inside the repository: the generated text holds real sentences; write it under /tmp or build/.")
    started = time.perf_counter()
    docs = read_eval(args.eval)
    heaps = Heaps()
    gen = Generator(docs, seed=args.seed, rate=args.rate, discount=args.discount, theta=args.theta, invented=args.invented, active=args.active, words=args.words)
    n = write(generate(docs, args.articles, generator=gen), out, parquet=args.parquet, partition_rows=args.partition_rows, heaps=heaps)
    print(f"{n:,} articles, {heaps.tokens:,} word tokens from {len(docs)} real texts -> {out} ({time.perf_counter() - started:.1f} s)")
    print("rare lexemes: " + "; ".join(
        f"{c} {len(r.draws):,} draws of {len(r.lexemes):,} lexemes ({r.next_real:,} from the dictionary)" for c, r in gen.rare.items()
    ))
    print("Heaps' law (lower-cased word forms, in doc_id order):")
    for line in heaps.report():
        print(line)


if __name__ == "__main__":
    main()
