"""Near-duplicates on real news: does helpers.duplicates group the copies it should, and only those?

Usage::

    python benchmarks/eval_duplicates.py --eval PATH/TO/shared/eval [--copies-per-edit 1] [--scale 10000]

Texts
-----
Real Russian news from ``--eval``: the 254 texts of ``factRuEval-2016/`` (``book_*.txt``) and the articles of
``ods-sample/*.csv.gz`` (where a paragraph break was flattened to a literal ``nn`` between two
sentences, it is read as one). Nothing is copied into the project; the script only reads them.

Copies
------
Every text gets one edited copy per edit (``--copies-per-edit`` for more, with other random
choices), made by rule, seeded by :data:`helpers.constants.SEED`:

- ``first_line``: the first line (or, in a one-line text, the first sentence) is replaced by
  another lead;
- ``append``: a sentence is added at the end;
- ``quote``: the words inside one «quotation» are replaced (a text without one has a sentence
  in its middle rewritten instead);
- ``yo``: ``ё`` ↔ ``е`` (``ё`` written ``е``, and «все», «еще», «ее» written with ``ё``);
- ``drop_paragraph``: one paragraph is left out (a sentence, in a one-paragraph text);
- ``dates``: day numbers and years inside the text are changed;
- ``two_edits``: ``first_line`` and ``append`` together.

The metadata dates of all documents, originals and copies, are then shuffled, so that a copy
is often dated before its original (the kit must still group them; it names the earliest as the
original).

Truth and scores
----------------
The truth is the exact Jaccard similarity of the word 5-shingle sets of **every pair** of
documents (words as :mod:`helpers.duplicates` reads them: lower case, ``ё`` as ``е``, runs of
letters and digits; a text under five words is one shingle), computed here independently of
the kit, on Python tuples of words (no hashing), through a sparse document × shingle matrix.

- **recall at J ≥ 0.8**: of the pairs whose true Jaccard is at least 0.8, the share that
  :func:`helpers.duplicates.mark_duplicates` (default ``min_similarity=0.8``) puts in one group
  (target ≥ 95%);
- **flags below J 0.5**: copies the kit marks as near-duplicates of an original with which
  their true Jaccard is under 0.5 (target about 0), and, among all pairs it puts in one group,
  those under 0.5 (a chain A → B → C may group A and C legitimately; they are counted apart);
- per edit, the share of copies grouped with their source and the Jaccard range of the edit;
- time: ``mark_duplicates`` on the whole set, in seconds per 1,000 documents (best of three),
  and on ``--scale`` documents (more edited copies) to show how it grows.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers.constants import SEED  # noqa: E402
from helpers.duplicates import mark_duplicates  # noqa: E402

SHINGLE = 5
_WORD = re.compile(r"[^\W_]+")
_FLAT_BREAK = re.compile(r"(?<=[.!?»\"…)])nn(?=[«\"(]?[А-ЯЁA-Z0-9])")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[«\"(]?[А-ЯЁA-Z0-9])")
_QUOTE = re.compile(r"«([^«»]{12,})»")
_DATE = re.compile(r"\b(\d{1,2})(\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря))")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")

# Made-up leads, closing lines and quotations (the project's own words, in news style).
LEADS = [
    "Обновлено в 14:20: материал дополнен подробностями.",
    "Редакция публикует материал с уточнениями.",
    "Этот текст впервые вышел на сайте партнера издания.",
    "Главное к этому часу: события развиваются.",
]
CLOSINGS = [
    "Редакция продолжит следить за развитием событий.",
    "Подписывайтесь на наш канал, чтобы не пропустить новости.",
    "Ранее об этом сообщали другие издания.",
    "Материал подготовлен при участии корреспондентов на месте.",
]
QUOTES = [
    "мы продолжим работу в прежнем режиме",
    "решение будет принято в ближайшие дни",
    "ситуация остается под контролем",
    "никаких договоренностей пока нет",
]
EDITS = ("first_line", "append", "quote", "yo", "drop_paragraph", "dates", "two_edits")


# --------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------


def read_texts(root: Path) -> pd.DataFrame:
    """The real texts of shared/eval: ``doc_id``, ``text``, ``source``."""
    rows = []
    factru = root / "factRuEval-2016"
    for split in ("devset", "testset"):
        for path in sorted((factru / split).glob("book_*.txt")):
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").strip()
            if text:
                rows.append((f"factru/{split}/{path.stem}", text, "factRuEval-2016"))
    for path in sorted((root / "ods-sample").glob("*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            table = pd.read_csv(fh)
        for k, text in enumerate(table["text"].astype(str)):
            text = _FLAT_BREAK.sub("\n\n", text).strip()
            if text and text != "nan":
                rows.append((f"ods/{path.name.split('.')[0]}/{k}", text, "ods-sample"))
    if not rows:
        raise SystemExit(f"{root}: no texts under factRuEval-2016/ or ods-sample/; pass --eval the shared/eval folder.")
    return pd.DataFrame(rows, columns=["doc_id", "text", "source"])


# --------------------------------------------------------------------------------------------
# Edits
# --------------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def edit(text: str, kind: str, rng: random.Random) -> str:
    """An edited copy of ``text`` (see the module notes for the kinds)."""
    if kind == "first_line":
        lines = text.split("\n", 1)
        if len(lines) == 2 and lines[1].strip():
            return rng.choice(LEADS) + "\n" + lines[1]
        sentences = _sentences(text)
        return " ".join([rng.choice(LEADS), *sentences[1:]]) if len(sentences) > 1 else rng.choice(LEADS) + " " + text
    if kind == "append":
        return text.rstrip() + " " + rng.choice(CLOSINGS)
    if kind == "quote":
        quotes = list(_QUOTE.finditer(text))
        if quotes:
            m = rng.choice(quotes)
            return text[: m.start(1)] + rng.choice(QUOTES) + text[m.end(1) :]
        sentences = _sentences(text)
        if len(sentences) >= 3:
            k = len(sentences) // 2
            sentences[k] = f"«{rng.choice(QUOTES).capitalize()}», — сказал собеседник издания."
            return " ".join(sentences)
        return text + f" «{rng.choice(QUOTES).capitalize()}»."
    if kind == "yo":
        out = text.replace("ё", "е").replace("Ё", "Е")
        return re.sub(r"\b(все|еще|ее)\b", lambda m: {"все": "всё", "еще": "ещё", "ее": "её"}[m.group(1)], out)
    if kind == "drop_paragraph":
        paragraphs = _paragraphs(text)
        if len(paragraphs) >= 3:
            k = rng.randrange(1, len(paragraphs) - 1)
            return "\n".join(paragraphs[:k] + paragraphs[k + 1 :])
        sentences = _sentences(text)
        if len(sentences) >= 3:
            k = rng.randrange(1, len(sentences) - 1)
            return " ".join(sentences[:k] + sentences[k + 1 :])
        return text
    if kind == "dates":
        out = _DATE.sub(lambda m: f"{(int(m.group(1)) % 28) + 1}{m.group(2)}", text)
        return _YEAR.sub(lambda m: str(int(m.group(1)) + 1), out)
    if kind == "two_edits":
        return edit(edit(text, "first_line", rng), "append", rng)
    raise ValueError(kind)


def make_set(originals: pd.DataFrame, copies_per_edit: int, seed: int = SEED) -> pd.DataFrame:
    """Originals plus their edited copies, with shuffled dates: ``doc_id``, ``text``, ``date``, ``source_of``, ``edit``."""
    rng = random.Random(seed)
    rows = [(d, t, d, "original") for d, t in zip(originals["doc_id"], originals["text"])]
    for d, t in zip(originals["doc_id"], originals["text"]):
        for kind in EDITS:
            for c in range(copies_per_edit):
                rows.append((f"{d}~{kind}{c}", edit(t, kind, rng), d, kind))
    table = pd.DataFrame(rows, columns=["doc_id", "text", "source_of", "edit"])
    days = np.random.default_rng(seed).permutation(len(table)) % 60
    table["date"] = pd.Timestamp("2024-03-01") + pd.to_timedelta(days, unit="D")
    return table


# --------------------------------------------------------------------------------------------
# The truth: exact Jaccard of every pair
# --------------------------------------------------------------------------------------------


def shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    if not words:
        return set()
    if len(words) < SHINGLE:
        return {tuple(words)}
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def pair_jaccard(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (i < j) with at least one shared shingle, and its exact Jaccard similarity."""
    vocabulary: dict[tuple[str, ...], int] = {}
    indptr, indices = [0], []
    for text in texts:
        ids = sorted({vocabulary.setdefault(s, len(vocabulary)) for s in shingles(text)})
        indices.extend(ids)
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr), shape=(len(texts), max(len(vocabulary), 1)))
    sizes = np.diff(x.indptr)
    inter = sparse.triu(x @ x.T, k=1).tocoo()
    union = sizes[inter.row] + sizes[inter.col] - inter.data
    return inter.row, inter.col, inter.data / union


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def groups_of(marked: pd.DataFrame) -> np.ndarray:
    """The group of every document: its original's id, or its own."""
    original = marked["near_duplicate_of"].where(marked["near_duplicate_of"].notna(), marked["duplicate_of"])
    return original.where(original.notna(), marked["doc_id"]).astype(str).to_numpy()


def timed(docs: pd.DataFrame, repeat: int = 3) -> tuple[pd.DataFrame, float]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = mark_duplicates(docs)
        best = min(best, time.perf_counter() - t0)
    return out, best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, required=True, help="the shared/eval folder")
    ap.add_argument("--copies-per-edit", type=int, default=1)
    ap.add_argument("--scale", type=int, default=10_000, help="also time a set of about this many documents (0: skip)")
    args = ap.parse_args(argv)

    originals = read_texts(args.eval)
    docs = make_set(originals, args.copies_per_edit)
    print(f"{len(originals)} real texts ({', '.join(f'{n} {s}' for s, n in sorted(Counter(originals.source).items()))}), "
          f"{len(docs) - len(originals)} edited copies: {len(docs)} documents")

    rows, cols, jac = pair_jaccard(docs["text"].tolist())
    n = len(docs)
    print(f"{n * (n - 1) // 2:,} pairs, {len(jac):,} share a shingle; true J >= 0.8: {(jac >= 0.8).sum():,}, "
          f"0.5 <= J < 0.8: {((jac >= 0.5) & (jac < 0.8)).sum():,}")

    marked, seconds = timed(docs)
    group = groups_of(marked)
    same = group[rows] == group[cols]
    high = jac >= 0.8
    grouped_pairs = Counter(group)
    n_grouped = sum(k * (k - 1) // 2 for k in grouped_pairs.values())
    # grouped pairs with no shared shingle at all have J = 0
    grouped_shared = int(same.sum())
    below = int((same & (jac < 0.5)).sum()) + (n_grouped - grouped_shared)
    print("\nmark_duplicates(min_similarity=0.8):")
    print(f"  recall at J >= 0.8: {same[high].sum():,} of {high.sum():,} pairs grouped = {same[high].mean():.4f}  (target >= 0.95)")
    print(f"  grouped pairs: {n_grouped:,}; with true J < 0.5: {below:,} ({below / max(n_grouped, 1):.4f})")

    jac_of = {(min(i, j), max(i, j)): v for i, j, v in zip(rows, cols, jac)}
    position = {d: k for k, d in enumerate(docs["doc_id"])}
    flagged = marked[marked["near_duplicate_of"].notna()]
    direct = np.array([jac_of.get(tuple(sorted((position[d], position[o]))), 0.0) for d, o in zip(flagged["doc_id"], flagged["near_duplicate_of"])])
    print(f"  near-duplicate flags: {len(flagged):,}; flagged with true J < 0.5 to their original: {(direct < 0.5).sum()}  (target ~0); "
          f"under 0.8: {(direct < 0.8).sum()} (chains: A→B→C names A as C's original)")
    reported = flagged["similarity"].to_numpy()
    print(f"  the kit's similarity equals the true J for {np.isclose(reported, direct, atol=1e-9).sum():,} of {len(flagged):,} flags "
          f"(max difference {np.abs(reported - direct).max() if len(direct) else 0:.4f}; its shingles are 64-bit hashes)")
    exact = marked["duplicate_of"].notna().sum()
    print(f"  exact-copy flags: {exact}")
    frame = pd.DataFrame({"doc_id": docs["doc_id"], "date": docs["date"], "group": group})
    multi = frame[frame.groupby("group")["doc_id"].transform("size") > 1]
    earliest = multi.sort_values(["date", "doc_id"], kind="stable").groupby("group")["doc_id"].first()
    right = (earliest.index == earliest.to_numpy()).sum()
    print(f"  groups of two or more: {len(earliest):,}; named original is the earliest dated member (ties by doc_id): {right:,}")

    print("\nper edit: copies grouped with their source, and the edit's true J (min / median / max):")
    source = {d: position[s] for d, s in zip(docs["doc_id"], docs["source_of"])}
    table = []
    for kind in EDITS:
        part = docs[docs["edit"] == kind]
        j_values = np.array([jac_of.get(tuple(sorted((position[d], source[d]))), 0.0) for d in part["doc_id"]])
        ok = np.array([group[position[d]] == group[source[d]] for d in part["doc_id"]])
        high_k = j_values >= 0.8
        table.append(
            {
                "edit": kind, "copies": len(part), "grouped": ok.mean(), "J_min": j_values.min(), "J_median": np.median(j_values),
                "J_max": j_values.max(), "J>=0.8": int(high_k.sum()), "grouped_at_J>=0.8": ok[high_k].mean() if high_k.any() else float("nan"),
            }
        )
    print(pd.DataFrame(table).to_string(index=False, float_format=lambda x: f"{x:.3f}"))

    print(f"\ntime: {seconds:.2f} s for {n:,} documents = {seconds / n * 1000:.2f} s per 1,000 documents (best of 3)")
    if args.scale and args.scale > n:
        per_edit = max(1, round((args.scale / len(originals) - 1) / len(EDITS)))
        big = make_set(originals, per_edit, seed=SEED + 1)
        _, big_seconds = timed(big, repeat=1)
        print(f"time: {big_seconds:.2f} s for {len(big):,} documents = {big_seconds / len(big) * 1000:.2f} s per 1,000 documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
