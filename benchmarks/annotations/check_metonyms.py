"""Check the capital-city metonymy gold sample (metonym_gold.csv) against the texts it points to.

Usage::

    python benchmarks/annotations/check_metonyms.py PATH/TO/shared/eval [--seed-dir DIR] [--gold CSV]

The texts are not part of the kit; this script only reads them and prints figures. It never
prints text from them: problems are reported as source, offsets and the lemma from the name list
below.

What is checked
---------------
- the CSV has exactly the columns ``split,source,start,end,label,dateline``, is sorted by split,
  source and start, has no duplicate or overlapping spans, uses the labels ``state``, ``place``,
  ``other`` and ``dateline`` values ``true``/``false``, and each source belongs to its split
  (``dev``: factRuEval devset; ``test``: factRuEval testset and ods-sample; ``seed``: seed/);
- every span is inside its text and on word boundaries: the characters just before ``start`` and
  at ``end`` are not Cyrillic letters or digits (a Latin letter may touch a name: ods-sample texts
  contain a literal ``n`` where a newline was lost);
- every annotated text is scanned with pymorphy3 lemmas for the listed names (all inflected forms;
  ``Белый дом``, ``Елисейский дворец``, ``Даунинг-стрит``, ``Нью-Дели``, ``Абу-Даби`` as units).
  A capitalised token counts when any of its parses has a listed lemma; a lower-case token only
  when its most probable parse does, and never for names that are also common words (``вена``,
  ``рига``...), so "кремль.рф" is found but the adjective "минском" is not;
  each occurrence that no gold span overlaps is reported, and each gold span that overlaps no
  occurrence is reported as well;
- for information, the number of texts of each split that contain names but are not in the gold.

Texts are loaded as the annotation defines them: factRuEval and seed ``.txt`` files with
``open(path, encoding="utf-8", newline="").read()``; ods-sample rows as the raw ``text`` cell of
``pandas.read_csv(path)``, addressed ``ods-sample/<file>#<0-based row>``.

Exit status 0 when clean, 1 when any problem was found.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pymorphy3

HERE = Path(__file__).resolve().parent
COLUMNS = ["split", "source", "start", "end", "label", "dateline"]
LABELS = {"state", "place", "other"}

# Lemmas (ё folded to е) of the single-word names. "банковый" is the lemma pymorphy3 gives for the
# street name; "даби" is only counted after "Абу-".
NAMES = {
    "москва", "кремль", "киев", "банковый", "вашингтон", "пекин", "лондон", "берлин", "париж",
    "брюссель", "минск", "тбилиси", "токио", "анкара", "варшава", "рим", "тегеран", "дамаск",
    "вена", "рига", "вильнюс", "таллин", "таллинн", "ереван", "баку", "астана", "кишинев",
    "иерусалим", "сеул", "пхеньян", "дели", "каир", "оттава", "даби", "бишкек", "душанбе",
    "ташкент", "стокгольм", "хельсинки", "осло", "мадрид", "прага", "будапешт", "бухарест",
    "софия", "белград", "афины",
}
# Names that are also ordinary words: only capitalised tokens count for these.
CAPITAL_ONLY = {"вена", "рига", "дели", "баку", "банковый", "софия", "рим", "астана", "афины"}

TOKEN = re.compile(r"[А-Яа-яЁё]+")
CYR_OR_DIGIT = re.compile(r"[А-Яа-яЁё0-9]")

_MORPH = pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=None)
def lemmas(word: str) -> frozenset[str]:
    """Normal forms of all parses of ``word``."""
    return frozenset(p.normal_form.replace("ё", "е") for p in _MORPH.parse(word))


@lru_cache(maxsize=None)
def best_lemma(word: str) -> frozenset[str]:
    """Normal form of the most probable parse only (used for lower-case tokens: "минском")."""
    return frozenset({_MORPH.parse(word)[0].normal_form.replace("ё", "е")})


def find_names(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, lemma) for every occurrence of a listed name in ``text``."""
    toks = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    out = []
    for i, (s, e, w) in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        prev = toks[i - 1] if i > 0 else None
        cap = w[0].isupper()
        lem = lemmas(w)
        if cap and nxt and not text[e:nxt[0]].strip():
            if "белый" in lem and "дом" in lemmas(nxt[2]):
                out.append((s, nxt[1], "белый дом"))
                continue
            if "елисейский" in lem and "дворец" in lemmas(nxt[2]):
                out.append((s, nxt[1], "елисейский дворец"))
                continue
        if cap and w.lower().startswith("даунинг") and nxt and nxt[2].lower() == "стрит":
            out.append((s, nxt[1], "даунинг-стрит"))
            continue
        hit = (lem if cap else best_lemma(w)) & NAMES
        if not cap:
            hit = hit - CAPITAL_ONLY
        if not hit:
            continue
        name = sorted(hit)[0]
        after_prefix = prev and text[prev[1]:s] == "-"
        if name == "даби":
            if not (after_prefix and prev[2].lower() == "абу"):
                continue
            s = prev[0]
        elif name == "дели" and after_prefix and prev[2].lower() == "нью":
            s = prev[0]
        out.append((s, e, name))
    return out


def load_texts(eval_dir: Path, seed_dir: Path) -> dict[tuple[str, str], str]:
    """All texts of the three splits, keyed by (split, source)."""
    texts = {}
    for split, folder in (("dev", "devset"), ("test", "testset")):
        for path in sorted((eval_dir / "factRuEval-2016" / folder).glob("*.txt")):
            source = f"factRuEval-2016/{folder}/{path.name}"
            texts[(split, source)] = open(path, encoding="utf-8", newline="").read()
    for path in sorted((eval_dir / "ods-sample").glob("*.csv.gz")):
        frame = pd.read_csv(path)
        for i, cell in enumerate(frame["text"]):
            texts[("test", f"ods-sample/{path.name}#{i}")] = cell if isinstance(cell, str) else ""
    for path in sorted(seed_dir.glob("*.txt")):
        texts[("seed", f"seed/{path.name}")] = open(path, encoding="utf-8", newline="").read()
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", type=Path, help="path to shared/eval")
    parser.add_argument("--seed-dir", type=Path, default=None,
                        help="folder of the seed text (default: EVAL_DIR/../seed)")
    parser.add_argument("--gold", type=Path, default=HERE / "metonym_gold.csv")
    args = parser.parse_args(argv)
    seed_dir = args.seed_dir or (args.eval_dir.resolve().parent / "seed")

    problems: list[str] = []
    with open(args.gold, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [r for r in reader]
    if header != COLUMNS:
        problems.append(f"header is {header}, expected {COLUMNS}")
        rows = []

    texts = load_texts(args.eval_dir, seed_dir)
    gold: dict[tuple[str, str], list[tuple[int, int, str, str]]] = {}
    keys = []
    for n, row in enumerate(rows, start=2):
        where = f"{args.gold.name} line {n}"
        if len(row) != len(COLUMNS):
            problems.append(f"{where}: {len(row)} fields")
            continue
        split, source, start, end, label, dateline = row
        try:
            s, e = int(start), int(end)
        except ValueError:
            problems.append(f"{where}: start/end not integers")
            continue
        keys.append((split, source, s))
        if label not in LABELS:
            problems.append(f"{where}: label {label!r} not in {sorted(LABELS)}")
        if dateline not in ("true", "false"):
            problems.append(f"{where}: dateline {dateline!r} is not true/false")
        if dateline == "true" and label != "place":
            problems.append(f"{where}: a dateline must be labelled place")
        if (split, source) not in texts:
            problems.append(f"{where}: no text {source!r} in split {split!r}")
            continue
        text = texts[(split, source)]
        if not 0 <= s < e <= len(text):
            problems.append(f"{where}: span {s}-{e} outside text of length {len(text)}")
            continue
        if (s > 0 and CYR_OR_DIGIT.match(text[s - 1])) or (e < len(text) and CYR_OR_DIGIT.match(text[e])):
            problems.append(f"{where}: span {s}-{e} not on word boundaries")
        gold.setdefault((split, source), []).append((s, e, label, dateline))
    if keys != sorted(keys):
        problems.append("rows are not sorted by split, source, start")

    found_total = 0
    for key, spans in sorted(gold.items()):
        spans.sort()
        for (s1, e1, *_), (s2, e2, *_) in zip(spans, spans[1:]):
            if s2 < e1:
                problems.append(f"{key[1]}: overlapping gold spans {s1}-{e1} and {s2}-{e2}")
        found = find_names(texts[key])
        found_total += len(found)
        for s, e, name in found:
            if not any(gs < e and s < ge for gs, ge, *_ in spans):
                problems.append(f"{key[1]}: unannotated occurrence of {name!r} at {s}-{e}")
        for gs, ge, *_ in spans:
            if not any(gs < e and s < ge for s, e, _ in found):
                problems.append(f"{key[1]}: gold span {gs}-{ge} matches no listed name")

    print(f"gold rows: {len(rows)}; annotated texts: {len(gold)}; name occurrences found in them: {found_total}")
    for split in sorted({k[0] for k in texts}):
        counts = Counter(lab for (sp, _), spans in gold.items() if sp == split for _, _, lab, _ in spans)
        datelines = sum(dl == "true" for (sp, _), spans in gold.items() if sp == split for *_, dl in spans)
        ntexts = sum(1 for sp, _ in gold if sp == split)
        total = sum(counts.values())
        labs = ", ".join(f"{lab} {counts.get(lab, 0)}" for lab in ("state", "place", "other"))
        print(f"  {split:5s} texts {ntexts:3d}  occurrences {total:3d}  ({labs}; dateline {datelines})")
        left = sum(1 for key in texts if key[0] == split and key not in gold and find_names(texts[key]))
        print(f"        texts of this split with listed names not in the gold: {left}")
    if problems:
        print(f"{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
