"""Check the hand-annotated attribution samples (``attribution_gold.csv`` and the held-out
``attribution_holdout.csv`` beside this script).

The gold file holds pointers only (source, offsets, labels); the texts live in the evaluation data,
which is not part of the project. This script loads every annotated text exactly as the guidelines
define it and checks:

- the columns, labels and row order of the CSV, and that no cue is annotated twice;
- that the texts of the ``holdout`` split are disjoint from those of the other splits (in the
  checked file and in ``attribution_gold.csv``);
- that every offset pair is complete (both ends or neither), non-empty and inside its text;
- that cue spans (and speaker, referent and relay spans) start and end on word boundaries;
- label consistency (``none`` has no speaker span, ``named`` has referent = speaker, a source phrase
  has role ``source``);
- completeness: a pymorphy3 lemma scan of each annotated text lists every form of a cue verb, and a
  pattern scan lists every source phrase; a candidate not covered by an annotated cue is either in
  the reviewed list below (judged non-reporting) or reported as a problem.

It prints the reviewed-but-unannotated candidates for review, the counts per split, kind, role and
type, and exits with status 1 when a problem is found.

Texts are read as follows (offsets are Python ``str`` indices into exactly these strings):

- ``factRuEval-2016/.../book_N.txt``: ``open(path, encoding="utf-8", newline="").read()``;
- ``ods-sample/<file>.csv.gz#<row>``: ``pandas.read_csv(path)["text"][row]``, unchanged (the
  literal ``n`` left where newlines were lost is kept).

Usage::

    python benchmarks/annotations/check_annotations.py PATH/TO/shared/eval [--gold PATH] [--quiet]
    python benchmarks/annotations/check_annotations.py PATH/TO/shared/eval --holdout
    python benchmarks/annotations/check_annotations.py PATH/TO/shared/eval --all

Without options the gold sample is checked (as before); ``--gold PATH`` checks another file in the
same format, ``--holdout`` the held-out file and ``--all`` both files, one after the other.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLUMNS = [
    "split", "source", "cue_start", "cue_end", "speaker_start", "speaker_end", "speaker_kind",
    "referent_start", "referent_end", "speaker_type", "role", "relay_start", "relay_end", "quote_inside",
]
SPLITS = {"dev", "test", "holdout"}
GOLD_FILE = HERE / "attribution_gold.csv"
HOLDOUT_FILE = HERE / "attribution_holdout.csv"
KINDS = {"named", "pronoun", "common", "none"}
TYPES = {"person", "organisation", "media", "state", "other", "unknown"}
ROLES = {"speaker", "source"}
PAIRS = [("cue_start", "cue_end"), ("speaker_start", "speaker_end"),
         ("referent_start", "referent_end"), ("relay_start", "relay_end")]

# Cue verbs of the guidelines (both aspects). Reflexive-passive forms (-ся) of the same verbs are
# cues too (impersonal "it is reported"), so their lemmas are scanned as well.
CUE_VERBS = """
заявить заявлять сообщить сообщать отметить отмечать подчеркнуть подчёркивать подчеркивать
добавить добавлять признать признавать предупредить предупреждать сказать говорить указать
указывать пояснить пояснять напомнить напоминать уточнить уточнять объявить объявлять рассказать
рассказывать считать ответить отвечать призвать призывать заверить заверять подтвердить
подтверждать опровергнуть опровергать пообещать обещать написать писать передать передавать
""".split()
_BASE = {v.replace("ё", "е") for v in CUE_VERBS}
CUE_LEMMAS = _BASE | {v + "ся" for v in _BASE}
VERB_POS = {"VERB", "INFN", "GRND", "PRTF", "PRTS"}

# Source phrases: "по словам/данным/…" (optionally with a possessive or a qualifying adjective
# between), "со ссылкой на", and "как" + a form of a cue verb ("как сообщает", "как пояснили", …).
_QUAL = ("его|её|ее|их|моим|нашим|моему|нашему|другим|последним|предварительным|официальным|"
         "неофициальным|некоторым|имеющимся|свежим|новым|первым|независимым|экспертным|разным|"
         "официальной|неофициальной|предварительной|имеющейся|последней|другой|некоторой|новой|свежей")
_STEMS = ("сообщ|переда|пиш|писал|напис|заяв|отмет|отмеч|подчерк|добав|призна|предупре|сказ|говор|"
          "указ|поясн|напомн|уточн|объяв|рассказ|счита|ответ|отвеч|призв|призыв|завер|подтверд|"
          "подтвержд|опроверг|обещ|пообещ")
PHRASE = re.compile(
    rf"(?<![А-Яа-яЁё])(?:по (?:(?:{_QUAL})\s+)?(?:словам|данным|информации|мнению|оценк[еаи]м?|сведениям)"
    rf"|со ссылкой на|как (?:(?:ранее|раньше|прежде|уже|также|тоже|неоднократно|недавно)\s+)?(?:{_STEMS})[А-Яа-яЁё]*)(?![А-Яа-яЁё])",
    re.IGNORECASE,
)
CYR_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")

# Candidates that the annotator read and judged NOT to be reporting uses (pointers only).
# Reason codes: transfer = physical handing over; act = performative act with no reported content
# (declaring a state of emergency, a tender, a day of memory, a classification; diplomatic
# recognition); parenthetical = discourse marker ("so to speak"-like); sense = other non-speech
# sense (indicate, resemble, celebrate, be responsible, be intended, write as an occupation,
# be listed, classify, legal status, adjectival participle).
REVIEWED_NON_REPORTING = {
    ("factRuEval-2016/devset/book_142.txt", 2464, 2474): "transfer",
    ("factRuEval-2016/devset/book_142.txt", 4375, 4381): "parenthetical",
    ("factRuEval-2016/devset/book_142.txt", 4819, 4824): "parenthetical",
    ("factRuEval-2016/devset/book_147.txt", 1966, 1974): "act",
    ("factRuEval-2016/devset/book_151.txt", 895, 900): "sense",
    ("factRuEval-2016/devset/book_151.txt", 1011, 1019): "transfer",
    ("factRuEval-2016/devset/book_151.txt", 2805, 2813): "act",
    ("factRuEval-2016/devset/book_154.txt", 1376, 1386): "sense",
    ("factRuEval-2016/devset/book_154.txt", 1537, 1544): "act",
    ("factRuEval-2016/devset/book_182.txt", 1213, 1221): "transfer",
    ("factRuEval-2016/devset/book_349.txt", 930, 938): "act",
    ("factRuEval-2016/devset/book_349.txt", 1240, 1248): "act",
    ("factRuEval-2016/devset/book_349.txt", 1372, 1380): "sense",
    ("factRuEval-2016/devset/book_349.txt", 1756, 1764): "sense",
    ("factRuEval-2016/devset/book_438.txt", 3848, 3857): "sense",
    ("factRuEval-2016/devset/book_438.txt", 7507, 7517): "sense",
    ("factRuEval-2016/testset/book_3688.txt", 359, 367): "sense",
    ("factRuEval-2016/testset/book_3688.txt", 680, 687): "sense",
    ("factRuEval-2016/testset/book_3688.txt", 1644, 1649): "sense",
    ("factRuEval-2016/testset/book_3734.txt", 1322, 1330): "sense",
    ("factRuEval-2016/testset/book_3734.txt", 3673, 3681): "transfer",
    ("factRuEval-2016/testset/book_3734.txt", 3938, 3947): "sense",
    ("factRuEval-2016/testset/book_3842.txt", 1977, 1987): "sense",
    ("ods-sample/gazeta.csv.gz#7", 1353, 1360): "parenthetical",
    ("ods-sample/interfax.csv.gz#5", 491, 498): "sense",
    ("ods-sample/ria.csv.gz#4", 521, 531): "transfer",
    ("ods-sample/ria.csv.gz#4", 1156, 1164): "act",
    ("ods-sample/tass-001.csv.gz#3", 82, 90): "act",
    ("ods-sample/tass-001.csv.gz#3", 268, 276): "act",
    # holdout split (attribution_holdout.csv)
    ("factRuEval-2016/testset/book_3762.txt", 442, 450): "act",
    ("factRuEval-2016/testset/book_3762.txt", 1905, 1912): "sense",
    ("factRuEval-2016/testset/book_3774.txt", 314, 322): "sense",
    ("factRuEval-2016/testset/book_3774.txt", 1887, 1895): "act",
    ("factRuEval-2016/testset/book_3774.txt", 2060, 2068): "sense",
    ("factRuEval-2016/testset/book_3811.txt", 2712, 2721): "sense",
    ("factRuEval-2016/testset/book_3980.txt", 2214, 2222): "parenthetical",
    ("ods-sample/meduza.csv.gz#5", 189, 197): "act",
}


@lru_cache(maxsize=None)
def _csv_texts(path: str) -> list[str]:
    import pandas as pd

    return list(pd.read_csv(path)["text"])


def load_text(root: Path, source: str) -> str:
    """The text of ``source`` exactly as the guidelines define it."""
    if "#" in source:
        name, row = source.rsplit("#", 1)
        return _csv_texts(str(root / name))[int(row)]
    return open(root / source, encoding="utf-8", newline="").read()


def _cls(ch: str) -> str:
    if re.match(r"[А-Яа-яЁё]", ch):
        return "cyr"
    if re.match(r"[A-Za-z0-9]", ch):
        return "lat"
    return ""


def on_boundary(text: str, i: int) -> bool:
    """True when position ``i`` is a word boundary. A Cyrillic letter next to a Latin one counts as
    a boundary, because the ods texts glue a literal ``n`` (a lost newline) to the next word."""
    if i <= 0 or i >= len(text):
        return True
    a, b = _cls(text[i - 1]), _cls(text[i])
    return not (a and a == b)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def candidates(text: str) -> list[tuple[int, int, str]]:
    """Every verb form whose lemma is a cue verb, and every source phrase: (start, end, kind)."""
    morph = _morph()
    out = []
    for m in CYR_WORD.finditer(text):
        word = m.group().lower().replace("ё", "е")
        for p in morph.parse(word):
            if p.tag.POS in VERB_POS and p.normal_form.replace("ё", "е") in CUE_LEMMAS:
                out.append((m.start(), m.end(), "verb"))
                break
    out.extend((m.start(), m.end(), "phrase") for m in PHRASE.finditer(text))
    return sorted(out)


def _sources_of(path: Path, exclude_split: str | None = None) -> set[str]:
    """The ``source`` values of an annotation file (empty when the file does not exist)."""
    if not path.exists():
        return set()
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["source"] for r in csv.DictReader(fh) if r.get("split") != exclude_split}


def check_file(path: str, root: Path, quiet: bool = False) -> int:
    """Check one annotation file; print the report and return the number of problems."""
    problems: list[str] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            problems.append(f"columns are {reader.fieldnames}, expected {COLUMNS}")
        rows = list(reader)

    keys = [(r["split"], r["source"], int(r["cue_start"] or -1)) for r in rows]
    if keys != sorted(keys):
        problems.append("rows are not sorted by split, source, cue_start")
    dup = [k for k, n in Counter((r["source"], r["cue_start"]) for r in rows).items() if n > 1]
    if dup:
        problems.append(f"cues annotated more than once: {dup}")

    # The held-out texts must not be used by any other split (in this file or in the gold file).
    held = {r["source"] for r in rows if r["split"] == "holdout"}
    if held:
        others = {r["source"] for r in rows if r["split"] != "holdout"}
        if Path(path).resolve() != GOLD_FILE.resolve():
            others |= _sources_of(GOLD_FILE, exclude_split="holdout")
        for src in sorted(held & others):
            problems.append(f"{src}: a holdout text is also annotated in another split")

    by_source: dict[str, list[dict]] = defaultdict(list)
    for n, r in enumerate(rows, start=2):  # line number in the file
        where = f"line {n} ({r['source']} cue {r['cue_start']})"
        src = r["source"]
        if r["split"] not in SPLITS:
            problems.append(f"{where}: bad split {r['split']!r}")
        elif r["split"] == "dev" and not src.startswith("factRuEval-2016/devset/"):
            problems.append(f"{where}: dev rows must come from factRuEval-2016/devset")
        elif r["split"] == "test" and not (src.startswith("factRuEval-2016/testset/") or src.startswith("ods-sample/")):
            problems.append(f"{where}: test rows must come from factRuEval-2016/testset or ods-sample")
        elif r["split"] == "holdout" and not src.startswith(("factRuEval-2016/devset/", "factRuEval-2016/testset/",
                                                             "ods-sample/")):
            problems.append(f"{where}: holdout rows must come from factRuEval-2016 or ods-sample")
        for col, allowed in (("speaker_kind", KINDS), ("speaker_type", TYPES), ("role", ROLES),
                             ("quote_inside", {"true", "false"})):
            if r[col] not in allowed:
                problems.append(f"{where}: bad {col} {r[col]!r}")
        try:
            text = load_text(root, src)
        except Exception as exc:  # noqa: BLE001 - report any loading failure as a problem
            problems.append(f"{where}: cannot load text: {exc}")
            continue
        spans = {}
        for a, b in PAIRS:
            if (r[a] == "") != (r[b] == ""):
                problems.append(f"{where}: {a}/{b} must be both set or both empty")
                continue
            if r[a] == "":
                spans[a] = None
                continue
            s, e = int(r[a]), int(r[b])
            spans[a] = (s, e)
            if not 0 <= s < e <= len(text):
                problems.append(f"{where}: {a}/{b} = {s}/{e} outside the text (length {len(text)})")
                continue
            if not (on_boundary(text, s) and on_boundary(text, e)):
                problems.append(f"{where}: {a}/{b} = {s}/{e} not on word boundaries")
            if text[s:e] != text[s:e].strip():
                problems.append(f"{where}: {a}/{b} span has leading or trailing space")
        if spans.get("cue_start") is None:
            problems.append(f"{where}: cue offsets are required")
            continue
        kind = r["speaker_kind"]
        if kind == "none" and spans.get("speaker_start") is not None:
            problems.append(f"{where}: kind none but a speaker span is set")
        if kind != "none" and spans.get("speaker_start") is None:
            problems.append(f"{where}: kind {kind} needs a speaker span")
        if kind == "named" and spans.get("referent_start") != spans.get("speaker_start"):
            problems.append(f"{where}: kind named needs referent = speaker")
        cs, ce = spans["cue_start"]
        is_phrase = bool(PHRASE.fullmatch(text[cs:ce]))
        if is_phrase and r["role"] != "source":
            problems.append(f"{where}: a source phrase must have role source")
        if not is_phrase and r["role"] == "source":
            problems.append(f"{where}: role source but the cue is not a source phrase")
        by_source[src].append(r | {"_cue": (cs, ce)})

    reviewed, unreviewed = [], []
    for src, items in sorted(by_source.items()):
        text = load_text(root, src)
        cues = [it["_cue"] for it in items]
        for s, e, kind in candidates(text):
            if any(a <= s and e <= b for a, b in cues):
                continue
            entry = (src, s, e, text[s:e])
            if (src, s, e) in REVIEWED_NON_REPORTING:
                reviewed.append(entry + (REVIEWED_NON_REPORTING[(src, s, e)],))
            else:
                unreviewed.append(entry)
        stale = [k for k in REVIEWED_NON_REPORTING if k[0] == src and any(a <= k[1] and k[2] <= b for a, b in cues)]
        for k in stale:
            problems.append(f"{src}: reviewed-as-non-reporting candidate {k[1]}-{k[2]} is annotated")
    for u in unreviewed:
        problems.append(f"{u[0]}: candidate {u[1]}-{u[2]} {u[3]!r} is neither annotated nor reviewed")

    if not quiet:
        print(f"Candidates judged non-reporting (not annotated), {len(reviewed)}:")
        for src, s, e, form, why in reviewed:
            print(f"  {src} {s}-{e} {form} [{why}]")
        print()

    print(f"rows: {len(rows)}; texts: {len(by_source)}")
    for split in sorted(SPLITS & {r["split"] for r in rows}):
        part = [r for r in rows if r["split"] == split]
        texts = sorted({r["source"] for r in part})
        print(f"\n[{split}] cues: {len(part)} in {len(texts)} texts")
        for src in texts:
            print(f"  {src}: {sum(r['source'] == src for r in part)}")
        for col in ("speaker_kind", "role", "speaker_type", "quote_inside"):
            counts = Counter(r[col] for r in part)
            print(f"  {col}: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
        print(f"  with referent: {sum(bool(r['referent_start']) for r in part)}; "
              f"with relay: {sum(bool(r['relay_start']) for r in part)}")

    if problems:
        print(f"\nPROBLEMS ({len(problems)}):")
        for p in problems:
            print("  " + p)
        return len(problems)
    print("\nOK: no problems found")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", help="path to the evaluation data folder (e.g. ../shared/eval)")
    parser.add_argument("--gold", default=str(GOLD_FILE), help="annotation file to check (default: the gold sample)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--holdout", action="store_true", help=f"check {HOLDOUT_FILE.name} instead")
    which.add_argument("--all", action="store_true", help=f"check {GOLD_FILE.name} and {HOLDOUT_FILE.name}")
    parser.add_argument("--quiet", action="store_true", help="do not list the reviewed candidates")
    args = parser.parse_args()
    root = Path(args.eval_root)

    if args.all:
        paths = [str(GOLD_FILE), str(HOLDOUT_FILE)]
    elif args.holdout:
        paths = [str(HOLDOUT_FILE)]
    else:
        paths = [args.gold]
    failed = 0
    for n, path in enumerate(paths):
        if len(paths) > 1:
            print(("\n" if n else "") + f"=== {path}")
        failed += bool(check_file(path, root, args.quiet))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
