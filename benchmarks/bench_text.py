"""Speed and memory of the text layer, on real news (prints figures; not a test).

Two corpora, every cache empty before each cold run (a fresh cache folder, the kit's in-process
caches cleared, the analysers' dictionaries loaded before timing):

(a) the real texts of ``--eval`` (``shared/eval``: factRuEval-2016 and the ods sample), as given;
(b) a corpus of at least ``--tokens`` tokens (default 1,000,000) built from those texts by
    ``benchmarks/make_corpus.py``: real sentences, with rare word forms mixed in so that the
    vocabulary grows as in real news (Heaps' law, about 44,000 distinct forms in 380,000
    tokens), so that caches and per-form shortcuts are not flattered by a small vocabulary.

Without ``--eval`` only (b) runs, on paragraphs of the bundled corpus resampled to
``--tokens`` (a small vocabulary: the figures are then optimistic).

Printed first: the machine's CPUs, its load, and how much more pure-Python work two processes
do than one there (2.00 on two free cores; a shared or busy host gives less, and every figure
"with both cores" gains only that much).

Printed for each corpus:

- **naive baseline**: one pymorphy3 ``parse`` call per word token (first reading's normal
  form), on a sample of ``--naive-sample`` tokens, in tokens/s;
- **cold**: :func:`helpers.corpus.build_corpus` with an empty cache, the kit allowed
  ``--jobs`` processes (default 2), tokens/s and the ratio to naive (target ≥ 12×), with
  :func:`helpers.text.tokenize` alone for comparison;
- **warm**: the same ``build_corpus`` call again (a cache hit), best of three, tokens/s and the
  ratio to naive (target ≥ 100×), with a check that the warm path detected no language and
  tokenized nothing, and that it returned the same tables;
- **memory**: bytes per token of the token table (``memory_usage(deep=True)``; target ≤ 40);
- **time split** of the cold run: segmentation, language detection, analysis of the distinct
  forms, lemma choice (names per paradigm, stop words), the tables, multi-word expressions.

Usage::

    python benchmarks/bench_text.py [--eval PATH/TO/shared/eval] [--tokens 1000000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from helpers import lemmas, morph, segment, text  # noqa: E402
from helpers.corpus import build_corpus, load_corpus  # noqa: E402

NAIVE_RE = re.compile(r"\w+")


def resample(docs: pd.DataFrame, n_tokens: int, seed: int = 2026) -> pd.DataFrame:
    """Documents of 3–7 paragraphs drawn at random from ``docs`` until about ``n_tokens`` words."""
    rng = np.random.default_rng(seed)
    paragraphs = [p.strip() for body in docs["text"] for p in body.split("\n") if p.strip()]
    words = np.array([len(p.split()) for p in paragraphs])
    rows, total, i = [], 0, 0
    while total < n_tokens * 1.02:
        pick = rng.integers(0, len(paragraphs), size=rng.integers(3, 8))
        rows.append((f"r{i:06d}", "\n".join(paragraphs[j] for j in pick), "resampled"))
        total += int(words[pick].sum())
        i += 1
    return pd.DataFrame(rows, columns=["doc_id", "text", "outlet"])


def generated(eval_root: str, n_tokens: int) -> pd.DataFrame:
    """Articles of ``make_corpus.py`` (default settings, seed 2026) until ``n_tokens`` words."""
    from make_corpus import Generator, Heaps, generate, read_eval

    gen = Generator(read_eval(eval_root))
    heaps = Heaps()
    rows = []
    for row in generate(None, 10**9, generator=gen):
        rows.append(row)
        heaps.add(row["text"])
        if heaps.tokens >= n_tokens * 1.02:  # the kit cuts a little fewer tokens than words
            break
    print("Heaps' law of the generated corpus (lower-cased word forms):")
    for line in heaps.report():
        print(line)
    start = np.datetime64("2025-01-01")
    for i, row in enumerate(rows):
        row["doc_id"] = f"g{i:06d}"
        row["date"] = str(start + np.timedelta64(i * 365 // len(rows), "D"))
    return pd.DataFrame(rows)


def load_dictionaries() -> float:
    """Load the analysers' dictionaries (once per process; not part of any timing)."""
    started = time.perf_counter()
    for lang in morph.MORPH_LANGS:
        morph.analyzer(lang)
        morph._internals(lang)
    import simplemma

    simplemma.lemmatize("tests", lang="en")
    getattr(text, "warm_up", lambda: None)()
    return time.perf_counter() - started


def naive(docs: pd.DataFrame, limit: int) -> tuple[int, float]:
    """One pymorphy3 ``parse`` per word token, no reuse: the baseline to beat."""
    analyzer = morph.analyzer("ru")
    words: list[str] = []
    for body in docs["text"]:
        words.extend(NAIVE_RE.findall(body))
        if len(words) >= limit:
            break
    words = words[:limit]
    started = time.perf_counter()
    for w in words:
        analyzer.parse(w)[0].normal_form  # noqa: B018
    return len(words), time.perf_counter() - started


def _spin(n: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started


def parallel_throughput(n: int = 4_000_000) -> float:
    """How much more pure-Python work two processes do than one in the same time (2.0 on two
    free cores; less where the machine's CPUs share a core or a host)."""
    import multiprocessing as mp

    one = min(_spin(n) for _ in range(2))
    with mp.get_context("fork").Pool(2) as pool:
        both = max(pool.map(_spin, [n, n]))
    return 2 * one / both


class Counting:
    """Count calls of a module function while the block runs (to check the warm path)."""

    def __init__(self, module, name: str) -> None:
        self.module, self.name, self.calls = module, name, 0

    def __enter__(self) -> Counting:
        original = getattr(self.module, self.name)

        def wrapper(*args, **kwargs):
            self.calls += 1
            return original(*args, **kwargs)

        self.original = original
        setattr(self.module, self.name, wrapper)
        return self

    def __exit__(self, *exc) -> None:
        setattr(self.module, self.name, self.original)


def clear_caches() -> None:
    """Empty the kit's in-process caches (an older kit without ``text.clear_caches`` too)."""
    if hasattr(text, "clear_caches"):
        text.clear_caches()
    else:
        lemmas.analyse.cache_clear()
        morph.readings.cache_clear()


def run(label: str, docs: pd.DataFrame, args: argparse.Namespace) -> None:
    """Print every figure for one corpus."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"\n== {label}: {len(docs):,} documents, {docs['text'].str.len().sum():,} characters (load average {load})")
    count, secs = naive(docs, args.naive_sample)
    naive_rate = count / secs
    print(f"naive baseline (one pymorphy3 parse per token, first normal form): {naive_rate:,.0f} tokens/s on {count:,} tokens")

    # Language detection alone, for the time split (build_corpus does it once, cached).
    started = time.perf_counter()
    segment.languages(docs.drop(columns=["lang"], errors="ignore"))
    t_lang = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        clear_caches()
        started = time.perf_counter()
        corpus = build_corpus(docs, cache_dir=tmp)
        t_cold = time.perf_counter() - started
        split = dict(getattr(text, "TIMINGS", {}))
        n = len(corpus.tokens)
        forms = len(corpus.lexicon)
        print(
            f"cold build_corpus (tokenize + lemmatise, expressions, boilerplate; {getattr(text, 'jobs', lambda: 1)()} processes allowed): "
            f"{n:,} tokens, {forms:,} distinct forms in {t_cold:.2f} s = {n / t_cold:,.0f} tokens/s = "
            f"{n / t_cold / naive_rate:.1f}x naive (target >= 12x)"
        )
        other = t_cold - sum(split.values()) - t_lang
        parts = [f"segmentation {split.get('segmentation', 0):.2f}", f"language detection {t_lang:.2f}",
                 f"analysis {split.get('analysis', 0):.2f}", f"lemma choice {split.get('lemma choice', 0):.2f}",
                 f"tables {split.get('tables', 0):.2f}", f"expressions {split.get('expressions', 0):.2f}",
                 f"rest (boilerplate, hashing, cache write) {other:.2f}"]
        print("  time split (s): " + "; ".join(parts))

        best = float("inf")
        with Counting(segment, "detect_language") as detections, Counting(text, "_build") as builds:
            for _ in range(3):
                started = time.perf_counter()
                again = build_corpus(docs, cache_dir=tmp)
                best = min(best, time.perf_counter() - started)
        pd.testing.assert_frame_equal(again.tokens, corpus.tokens)
        pd.testing.assert_frame_equal(again.lexicon, corpus.lexicon)
        size = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.is_file())  # tables and their companions
        print(
            f"warm build_corpus (cache hit, incl. hashing the texts): {best:.3f} s = {n / best:,.0f} tokens/s = "
            f"{n / best / naive_rate:.0f}x naive (target >= 100x); {detections.calls} language detections, "
            f"{builds.calls} tokenizations in 3 runs; same tables; cache {size / 1e6:.1f} MB"
        )
    per_token = corpus.tokens.memory_usage(deep=True).sum() / max(n, 1)
    print(f"token table in memory: {per_token:.1f} bytes/token (target <= 40)")
    lex = corpus.lexicon[(corpus.lexicon["lang"] == "ru") & corpus.lexicon["form"].str.contains(r"^[а-яёА-ЯЁ]+$", regex=True)]
    lowers = set(lex["form"].str.lower())
    unknown = sum(not morph.is_known(w, "ru") for w in lowers)
    print(f"distinct lower-case Cyrillic words: {len(lowers):,}, of which {unknown / max(len(lowers), 1):.1%} unknown to pymorphy3's dictionary (guessed by its predictors, the slow path)")

    plain = corpus.docs[["doc_id", "text", "lang"]]
    clear_caches()
    started = time.perf_counter()
    table = text.tokenize(plain, cache=False)
    t_tok = time.perf_counter() - started
    print(f"cold tokenize alone (no expressions, no cache): {len(table):,} tokens in {t_tok:.2f} s = {len(table) / t_tok:,.0f} tokens/s = {len(table) / t_tok / naive_rate:.1f}x naive")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", help="the shared/eval folder (factRuEval-2016/, ods-sample/)")
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2, help="processes the kit may use (NEWSFRAMES_JOBS)")
    parser.add_argument("--naive-sample", type=int, default=50_000)
    parser.add_argument("--only", choices=["real", "generated"], help="run one corpus only")
    args = parser.parse_args()
    os.environ["NEWSFRAMES_JOBS"] = str(args.jobs)

    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"machine: {cpus} CPUs allowed, load average {load} (other work on the machine slows every figure)")
    if cpus and cpus > 1:
        print(f"two processes do {parallel_throughput():.2f}x the pure-Python work of one here (2.00 on two free cores)")
    print(f"dictionaries loaded in {load_dictionaries():.2f} s (once per process, not timed)")
    if args.eval:
        from make_corpus import read_eval

        if args.only != "generated":
            run("(a) real texts of shared/eval, as given", read_eval(args.eval), args)
        if args.only != "real":
            started = time.perf_counter()
            docs = generated(args.eval, args.tokens)
            print(f"\ngenerated {len(docs):,} articles with make_corpus.py in {time.perf_counter() - started:.1f} s")
            run(f"(b) generated corpus of {args.tokens:,}+ word tokens", docs, args)
    else:
        base = load_corpus(ROOT / "corpus" / "articles")
        run(f"(b) bundled corpus resampled to {args.tokens:,} words (no --eval: small vocabulary, optimistic)", resample(base, args.tokens), args)


if __name__ == "__main__":
    main()
