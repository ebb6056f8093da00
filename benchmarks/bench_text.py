"""Speed and memory of the text layer (prints figures; not a test).

Targets (issue: text layer), on a corpus of at least 1,000,000 tokens:

- cold tokenize + lemmatize, one core: at least 300,000 tokens/s;
- warm (cache hit): at least 3,000,000 tokens/s;
- token table: at most 60 bytes per token in memory.

The large corpus is built deterministically by resampling paragraphs of the bundled corpus (or of
``--corpus PATH``). A naive baseline that calls pymorphy3 once per token runs on a sample, and the
ratio is printed. ``--jobs 2`` also times a two-process run.

Usage::

    python benchmarks/bench_text.py [--corpus PATH] [--tokens 1000000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import text  # noqa: E402
from helpers.corpus import load_corpus  # noqa: E402


def resample(docs: pd.DataFrame, n_tokens: int, seed: int = 2026) -> pd.DataFrame:
    """Build documents of 3–7 paragraphs drawn at random from ``docs`` until ``n_tokens``."""
    rng = np.random.default_rng(seed)
    paragraphs, langs = [], []
    for body, lang in zip(docs["text"], docs["lang"].fillna("ru")):
        for p in body.split("\n"):
            if p.strip():
                paragraphs.append(p.strip())
                langs.append(lang)
    words = np.array([len(p.split()) for p in paragraphs])
    rows, total, i = [], 0, 0
    while total < n_tokens * 1.02:  # white-space words slightly undercount tokens
        k = rng.integers(3, 8)
        pick = rng.integers(0, len(paragraphs), size=k)
        rows.append((f"r{i:06d}", "\n".join(paragraphs[j] for j in pick), langs[pick[0]]))
        total += int(words[pick].sum())
        i += 1
    return pd.DataFrame(rows, columns=["doc_id", "text", "lang"])


def cold(docs: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    text._cached_lemma.cache_clear()
    started = time.perf_counter()
    table = text.tokenize(docs, cache=False)
    return time.perf_counter() - started, table


def _cold_chunk(docs: pd.DataFrame) -> int:
    text._cached_lemma.cache_clear()
    return len(text.tokenize(docs, cache=False))


def naive(docs: pd.DataFrame, limit: int) -> tuple[int, float]:
    """One pymorphy3 call per token (no reuse of analyses): the baseline to beat."""
    import re

    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    words = []
    for body in docs["text"]:
        words.extend(re.findall(r"\w+", body))
        if len(words) >= limit:
            break
    words = words[:limit]
    started = time.perf_counter()
    for w in words:
        morph.parse(w)[0].normal_form  # noqa: B018
    return len(words), time.perf_counter() - started


def agreement_with_razdel(docs: pd.DataFrame) -> tuple[float, float, float, float]:
    """Sentence boundaries and word tokens compared with razdel's (the reference splitter).

    Returns precision and recall of our sentence starts, then of our word-token spans, taking
    razdel's as the reference (punctuation tokens of razdel are left out; ours drops them).
    """
    from razdel import sentenize
    from razdel import tokenize as razdel_tokenize

    s_tp = s_fp = s_fn = t_tp = t_fp = t_fn = 0
    for body in docs["text"]:
        def skip_space(p: int) -> int:
            while p < len(body) and body[p].isspace():
                p += 1
            return p

        ours = {skip_space(int(p)) for p in text._sentence_starts(body, text._paragraph_starts(body)) if p > 0}
        ref = {skip_space(s.start) for s in sentenize(body) if s.start > 0}
        s_tp, s_fp, s_fn = s_tp + len(ours & ref), s_fp + len(ours - ref), s_fn + len(ref - ours)
        starts, ends = text._token_spans(body)
        mine = set(zip(starts, ends))
        theirs = {(t.start, t.stop) for t in razdel_tokenize(body) if any(c.isalnum() for c in t.text)}
        t_tp, t_fp, t_fn = t_tp + len(mine & theirs), t_fp + len(mine - theirs), t_fn + len(theirs - mine)
    return s_tp / (s_tp + s_fp), s_tp / (s_tp + s_fn), t_tp / (t_tp + t_fp), t_tp / (t_tp + t_fn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "articles"))
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--naive-sample", type=int, default=50_000)
    args = parser.parse_args()

    base = load_corpus(args.corpus)
    russian = base[base["lang"].fillna("ru") == "ru"]
    sp, sr, tp, tr = agreement_with_razdel(russian)
    print(f"agreement with razdel on {len(russian)} Russian documents: sentence starts P {sp:.3f} R {sr:.3f}; word tokens P {tp:.3f} R {tr:.3f}")
    docs = resample(base, args.tokens)
    print(f"corpus: {len(docs):,} resampled documents from {len(base):,} in {args.corpus}")

    started = time.perf_counter()
    text._morph("ru"), text._morph("uk")
    print(f"pymorphy3 dictionaries load: {time.perf_counter() - started:.2f} s (once per process, not counted)")

    seconds, table = cold(docs)
    n = len(table)
    forms = table["token"].cat.categories.size
    print(f"cold tokenize + lemmatize, 1 core: {n:,} tokens ({forms:,} distinct forms) in {seconds:.2f} s = {n / seconds:,.0f} tokens/s (target >= 300,000)")

    if args.jobs > 1:
        chunks = np.array_split(np.arange(len(docs)), args.jobs)
        with ProcessPoolExecutor(args.jobs) as pool:
            list(pool.map(_cold_chunk, [docs.iloc[c[:10]] for c in chunks]))  # start workers, load dictionaries
            started = time.perf_counter()
            counted = sum(pool.map(_cold_chunk, [docs.iloc[c] for c in chunks]))
            seconds_par = time.perf_counter() - started
        print(f"cold, {args.jobs} processes: {counted:,} tokens in {seconds_par:.2f} s = {counted / seconds_par:,.0f} tokens/s")

    with tempfile.TemporaryDirectory() as tmp:
        text.tokenize(docs, cache_dir=tmp)  # write the cache
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            warm = text.tokenize(docs, cache_dir=tmp)
            best = min(best, time.perf_counter() - started)
        assert len(warm) == n
        size = sum(p.stat().st_size for p in Path(tmp).glob("*.parquet"))
    print(f"warm (cache hit, incl. hashing the texts): {best:.3f} s = {n / best:,.0f} tokens/s (target >= 3,000,000); cache file {size / 1e6:.1f} MB")

    bytes_per_token = table.memory_usage(deep=True).sum() / n
    print(f"token table in memory: {bytes_per_token:.1f} bytes/token (target <= 60)")

    count, secs = naive(docs, args.naive_sample)
    rate = count / secs
    print(f"naive baseline (one pymorphy3 call per token): {rate:,.0f} tokens/s on {count:,} tokens")
    print(f"speed-up of the cold pipeline over the naive one: {n / seconds / rate:.1f}x")


if __name__ == "__main__":
    main()
