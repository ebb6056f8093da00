"""Latency of the explorers on a large corpus (prints figures; not a test).

Target (issue "Explore interactively"): on a 10,000-article corpus, after the first lazy index
build, a KWIC query, an actor pick and a frame pick each answer in under 0.5 s. Every figure is
measured through the explorer objects of :mod:`helpers.explore` (built detached, as in a test:
the same Python work as in JupyterLab, without the browser's rendering), and the index builds
are printed apart.

The corpus is ``--corpus PATH`` (anything :func:`helpers.corpus.load_corpus` reads), else
``/tmp/bench_corpus_10k.csv`` when it exists, else ``--articles`` articles resampled
deterministically from the bundled teaching corpus: each takes an article's outlet, title and
date and 3–7 paragraphs drawn from that outlet's articles (boilerplate detection is off for a
resampled corpus, whose paragraphs repeat by construction).

Usage::

    python benchmarks/bench_explore.py [--articles 10000] [--corpus PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import actors, explore  # noqa: E402
from helpers.constants import SEED  # noqa: E402
from helpers.corpus import build_corpus, load_corpus  # noqa: E402

DEFAULT_CSV = Path("/tmp/bench_corpus_10k.csv")
TARGET = 0.5
KWIC_QUERIES = [
    ("перемирие", "lemma"), ("санкциями", "lemma"), ("коалиция желающих", "lemma"), ("прекращение огня", "lemma"),
    ("гарантии безопасности", "lemma"), ("Украина", "lemma"), (r"^санкц", "regex"), (r"переговор", "regex"),
]
FRAMES = ["sanctions", "security_guarantees", "economic"]


def resample(docs: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    """``n`` articles of 3–7 paragraphs from the same outlet's articles, with a source article's metadata."""
    docs = docs[docs["lang"] == docs["lang"].mode().iloc[0]].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    paragraphs = {o: [p.strip() for t in g["text"] for p in t.split("\n") if p.strip()] for o, g in docs.groupby("outlet", sort=True)}
    rows = []
    for i, s in enumerate(rng.integers(0, len(docs), size=n)):
        src = docs.iloc[int(s)]
        pool = paragraphs[src["outlet"]]
        pick = rng.integers(0, len(pool), size=int(rng.integers(3, 8)))
        rows.append((f"bench/{i:05d}", src["outlet"], f"{src['title']} ({i})", src["date"], src["lang"], "\n".join(pool[j] for j in pick)))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "title", "date", "lang", "text"])


def timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def line(name: str, seconds: float, note: str = "") -> None:
    flag = "" if seconds < TARGET else "  (over 0.5 s)"
    print(f"  {name:<46} {seconds * 1000:8.0f} ms{flag}{'  ' + note if note else ''}")


def summary(name: str, values: list[float]) -> None:
    print(f"  {name:<46} median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms over {len(values)}"
          f" -> {'meets' if max(values) < TARGET else 'MISSES'} the 0.5 s target")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles of the resampled corpus (default 10,000)")
    parser.add_argument("--corpus", default=None, help="a corpus to use instead (folder or table)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of each timed action (the median and max are printed)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    source = Path(args.corpus) if args.corpus else DEFAULT_CSV if DEFAULT_CSV.exists() else None
    if source is not None:
        docs = load_corpus(source)
        corpus = build_corpus(docs)
        where = str(source)
    else:
        docs = resample(load_corpus(ROOT / "corpus" / "articles"), args.articles)
        corpus = build_corpus(docs, boilerplate=False)
        where = f"{args.articles:,} articles resampled from corpus/articles (seed {SEED})"
    print(f"Corpus: {where}: {len(corpus.docs):,} documents, {len(corpus.tokens):,} tokens, lexicon {len(corpus.lexicon):,} forms "
          f"(built in {time.perf_counter() - started:.1f} s; not counted below)")
    by = "outlet" if "outlet" in corpus.docs.columns else None

    print("\nKWIC explorer")
    kx = explore.KwicExplorer(corpus, by=by, detached=True)
    first = timed(lambda: setattr(kx.query, "value", "санкция"))
    line("first query «санкция» (builds the lemma index)", first, f"index {kx.index.seconds * 1000:.0f} ms; {kx.total:,} hits")
    per_query = []
    for query, unit in KWIC_QUERIES:
        kx.query.value = ""
        values = []
        for k in range(args.repeat):
            kx.query.value = ""
            kx.unit.value = unit
            values.append(timed(lambda: setattr(kx.query, "value", query)))
        line(f"query «{query}» ({unit})", values[0], f"repeat median {statistics.median(values) * 1000:.0f} ms; {kx.total:,} hits")
        per_query.extend(values)
    kx.unit.value = "lemma"
    kx.query.value = "санкция"
    sort_right = timed(lambda: setattr(kx.sort, "value", "right"))
    line("sort «санкция» by right context (all lines)", sort_right)
    page = timed(lambda: kx.go(1))
    line("next page", page)
    group = timed(lambda: setattr(kx.group, "value", corpus.group_names(by)[0] if by else explore.ALL_GROUPS))
    line("group filter", group)
    summary("KWIC queries (after the index)", per_query + [sort_right, page, group])

    print("\nActor explorer")
    mentions = []
    found = timed(lambda: mentions.append(actors.find_actors(corpus)))
    line("find_actors (a notebook has them already)", found, f"{len(mentions[0]):,} mentions")
    ax = explore.ActorExplorer(corpus, mentions[0], by=by, detached=True)
    build = timed(ax.start)
    line("first display (counts, co-occurrences, network)", build, f"index {ax.index_seconds:.1f} s")
    top = ax._overall["actor"].head(6).tolist()
    picks = []
    for actor in top:
        values = [timed(lambda: ax.pick(actor)) for _ in range(args.repeat)]
        line(f"pick {actor}", values[0], f"{len(ax.partners)} partners; first edge {ax.evidence_total:,} passages, {len(ax.evidence)} shown")
        picks.extend(values)
    edges = ax.partners["partner"].head(3).tolist()
    for partner in edges:
        value = timed(lambda: ax.show_edge(partner))
        line(f"edge {ax.actor} + {partner}", value, f"{ax.evidence_total:,} passages, {len(ax.evidence)} shown")
        picks.append(value)
    summary("actor picks and edges (after the index)", picks)

    print("\nFrame explorer")
    fx = explore.FrameExplorer(corpus, by=by, detached=True)
    frames = [f for f in FRAMES if f in set(fx.frames["frame"])] or sorted(fx.frames["frame"].unique())[:3]
    again = []
    for frame in frames:
        value = timed(lambda: fx.pick(frame))
        line(f"first pick {frame} (matches its cues)", value, f"index {fx.index_seconds[frame]:.1f} s; {len(fx.hits):,} hits")
    groups = corpus.group_names(by) if by else [explore.ALL_GROUPS]
    for frame in frames:
        for group in [explore.ALL_GROUPS, groups[0]]:
            values = [timed(lambda: fx.pick(frame, group)) for _ in range(args.repeat)]
            line(f"pick {frame} in {group}", values[0])
            again.extend(values)
    step = [timed(lambda: fx.go(fx.current + 1)) for _ in range(args.repeat)]
    line("next hit", step[0])
    mark = timed(lambda: fx.mark("right"))
    line("mark a hit right (in memory)", mark)
    summary("frame picks and reading (after each frame's hits)", again + step + [mark])
    return 0


if __name__ == "__main__":
    sys.exit(main())
