"""Draw the hand-coding sample of corpus/coding_guide.md: N articles per group, on any corpus.

Prints one ``doc_id`` per line (and, with ``--export``, writes the coding sheet with the texts as
CSV and XLSX for the coders). The corpus decides the language of every document (from its
``lang`` column, or detected from its words when there is none), and the sample is drawn from
the documents of its main language, as the notebooks analyse them. Deterministic: for each
group, NumPy ``default_rng([2026, crc32(group name)])`` over its sorted ``doc_id`` values, so
one group's sample does not depend on the others (:func:`helpers.validation.coding_sample`).

Usage::

    python benchmarks/coding_sample.py [--corpus corpus/articles] [--by outlet] [--per-group 12]
                                       [--export build/coding_sheet]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import validation  # noqa: E402
from helpers.corpus import build_corpus, load_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "articles"), help="folder or table of articles")
    parser.add_argument("--per-group", type=int, default=12, help="documents per group (default 12)")
    parser.add_argument("--by", default="outlet", help="the grouping column; 'none' for one sample of the whole corpus")
    parser.add_argument("--export", default=None, help="also write the coding sheet (CSV and XLSX) to this path, without extension")
    args = parser.parse_args(argv)
    corpus = build_corpus(load_corpus(args.corpus), mwes=None)
    by = None if args.by.lower() == "none" else args.by
    sample = validation.coding_sample(corpus, by=by, per_group=args.per_group)
    for doc_id in sample["doc_id"]:
        print(doc_id)
    print(f"{len(sample)} documents of {len(corpus.docs)} in '{corpus.lang}' ({len(corpus.left_out)} in other languages or copies left out)", file=sys.stderr)
    if args.export:
        for path in validation.export_coding_sheet(corpus, sample, args.export):
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
