"""Draw the hand-coding sample of corpus/coding_guide.md: 12 Russian articles per outlet.

Prints one doc_id per line. Deterministic: for each group, NumPy default_rng([2026, crc32(group name)]) over its sorted
doc_ids, so one group's sample does not depend on the others.

Usage::

    python benchmarks/coding_sample.py [--per-group 12] [--corpus corpus/articles]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import zlib

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.corpus import load_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "articles"))
    parser.add_argument("--per-group", type=int, default=12)
    parser.add_argument("--by", default="outlet")
    args = parser.parse_args()
    docs = load_corpus(args.corpus)
    docs = docs[docs["lang"] == "ru"]
    for name, group in sorted(docs.groupby(args.by), key=lambda kv: str(kv[0])):
        rng = np.random.default_rng([2026, zlib.crc32(str(name).encode("utf-8"))])
        ids = sorted(group["doc_id"])
        for doc_id in sorted(rng.choice(ids, size=min(args.per_group, len(ids)), replace=False)):
            print(doc_id)


if __name__ == "__main__":
    main()
