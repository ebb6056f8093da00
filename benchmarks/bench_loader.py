"""Speed of the corpus loader (prints figures; not a test).

Targets (issue: corpus loader), the first run of :func:`helpers.corpus.load_corpus` into an
empty cache (and, on a second line, the best of three loads after it, which read the loaded
table from the cache when the input is 8 MB or more):

- a folder of 10,000 seed-format ``.txt`` files with a ``metadata.csv``: under 10 s;
- a CSV table of 100,000 rows: under 5 s.

Both inputs are generated in a temporary folder, deterministically (seed 2026), by resampling
paragraphs of the bundled corpus (``corpus/articles``; built-in sentences when it is absent), so
that every text is distinct. ``--corpus PATH`` times loading that corpus instead.

Usage::

    python benchmarks/bench_loader.py [--files 10000] [--rows 100000] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.corpus import load_corpus, problems_of  # noqa: E402

SENTENCES = [
    "Лидеры коалиции добровольцев собрались в Париже, чтобы обсудить гарантии безопасности для Украины.",
    "Как сообщает Reuters, проект декларации предусматривает военную и логистическую поддержку Киева.",
    "В Кремле заявили, что не видят предмета для переговоров, пока не устранены первопричины конфликта.",
    "Песков отметил, что Москва внимательно изучает сигналы, поступающие из Вашингтона.",
    "По данным Bloomberg, Евросоюз готов выделить Украине кредит в 90 миллиардов евро.",
    "Эксперты предупреждают, что зимой нагрузка на энергосистему страны резко вырастет.",
    "Макрон подчеркнул, что Европа должна взять на себя больше ответственности за собственную оборону.",
    "Соединенные Штаты пока не дали ясного ответа на вопрос о размещении войск.",
    "Переговоры в Женеве продолжались до позднего вечера, однако итоговое заявление так и не появилось.",
    "Аналитики обращают внимание на то, что формулировки документа остаются предельно осторожными.",
    "Зеленский сообщил, что Киев готов обсуждать любые предложения, кроме признания оккупации.",
    "В Брюсселе напомнили, что санкции против России будут продлены еще на полгода.",
]


def paragraphs(source: Path) -> list[str]:
    """Paragraphs of the bundled corpus, or paragraphs built from the built-in sentences."""
    found: list[str] = []
    if source.is_dir():
        docs = load_corpus(source, errors="skip")
        for text in docs["text"]:
            found.extend(p.strip() for p in text.split("\n") if p.strip())
    if len(found) < 50:
        rng = np.random.default_rng(7)
        found = [" ".join(rng.choice(SENTENCES, size=int(rng.integers(2, 5)), replace=False)) for _ in range(400)]
    return found


def make_texts(paras: list[str], n: int, low: int, high: int, seed: int = 2026) -> tuple[list[str], list[str]]:
    """``n`` distinct texts of ``low``–``high`` paragraphs, and their ISO dates."""
    rng = np.random.default_rng(seed)
    texts, dates, seen = [], [], set()
    days = np.datetime64("2025-11-15") + rng.integers(0, 100, size=n)
    while len(texts) < n:
        pick = rng.integers(0, len(paras), size=int(rng.integers(low, high + 1)))
        text = "\n".join(paras[j] for j in pick)
        if text in seen:
            continue
        seen.add(text)
        texts.append(text)
        dates.append(str(days[len(dates)]))
    return texts, dates


def write_folder(folder: Path, texts: list[str], dates: list[str]) -> None:
    """Seed-format files in 8 outlet folders, with a metadata.csv sidecar."""
    outlets = [f"outlet_{k}" for k in range(8)]
    for outlet in outlets:
        (folder / outlet).mkdir(parents=True)
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["file", "outlet", "title", "lang", "section"])
        for i, (text, day) in enumerate(zip(texts, dates)):
            rel = f"{outlets[i % 8]}/{day}_{i:05d}.txt"
            sep = " " if i % 3 == 0 else "\n"  # one in three goes on on the header line
            (folder / rel).write_text(f" date {day}{sep}{text}", encoding="utf-8")
            out.writerow([rel, outlets[i % 8], text[:60], "ru", ("politics", "economy", "war")[i % 3]])


def write_table(path: Path, texts: list[str], dates: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "date", "outlet", "title", "lang", "text"])
        for i, (text, day) in enumerate(zip(texts, dates)):
            out.writerow([f"r{i:06d}", day, f"outlet_{i % 8}", text[:60], "ru", text])


def best_of(runs: int, func: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return min(times), result


def cold_and_warm(runs: int, func: Callable[[], object]) -> tuple[float, float, object]:
    """The first load into an empty cache (files parsed, copies detected, entries written), and
    the best of ``runs`` loads after it (unchanged files: the loaded table from the cache)."""
    with tempfile.TemporaryDirectory() as cache:
        before = os.environ.get("NEWSFRAMES_CACHE")
        os.environ["NEWSFRAMES_CACHE"] = cache
        try:
            cold, result = best_of(1, func)
            warm, _ = best_of(runs, func)
        finally:
            if before is None:
                os.environ.pop("NEWSFRAMES_CACHE", None)
            else:
                os.environ["NEWSFRAMES_CACHE"] = before
    return cold, warm, result


def report(label: str, seconds: float, count: int, unit: str, size: int, target: float | None) -> None:
    verdict = "" if target is None else f"  target < {target:g} s: {'ok' if seconds < target else 'MISSED'}"
    print(f"{label:<28} {count:>8,} {unit:<6} {seconds:7.3f} s  {count / seconds:10,.0f} {unit}/s  {size / 1e6:7.1f} MB{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="number of .txt files (default 10000)")
    parser.add_argument("--rows", type=int, default=100_000, help="number of CSV rows (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the best is shown (default 3)")
    parser.add_argument("--corpus", type=Path, help="time loading this corpus (folder or table) instead")
    args = parser.parse_args(argv)

    if args.corpus is not None:
        seconds, warm, docs = cold_and_warm(args.repeat, lambda: load_corpus(args.corpus, errors="skip"))
        size = sum(len(t.encode("utf-8")) for t in docs["text"])
        report(str(args.corpus), seconds, len(docs), "docs", size, None)
        report("  again (from the cache)", warm, len(docs), "docs", size, None)
        print(f"problems: {len(problems_of(docs))}")
        return 0

    paras = paragraphs(ROOT / "corpus" / "articles")
    print(f"resampling {len(paras)} paragraphs; a first load into an empty cache, then the best of {args.repeat} more")
    with tempfile.TemporaryDirectory() as tmp:
        folder, table = Path(tmp) / "articles", Path(tmp) / "table.csv"
        texts, dates = make_texts(paras, args.files, 3, 7)
        write_folder(folder, texts, dates)
        size = sum(p.stat().st_size for p in folder.rglob("*.txt"))
        seconds, warm, docs = cold_and_warm(args.repeat, lambda: load_corpus(folder))
        assert len(docs) == args.files and problems_of(docs).empty, problems_of(docs)
        report("folder of .txt + metadata", seconds, args.files, "files", size, 10.0)
        report("  again (from the cache)", warm, args.files, "files", size, None)

        texts, dates = make_texts(paras, args.rows, 1, 4, seed=2027)
        write_table(table, texts, dates)
        seconds, warm, docs = cold_and_warm(args.repeat, lambda: load_corpus(table))
        problems = problems_of(docs)
        # Rows of 1-4 resampled paragraphs repeat each other by chance: the loader must flag them
        # as near-duplicates (warnings), and report no error.
        assert len(docs) == args.rows and not (problems["severity"] == "error").any(), problems
        report("CSV table", seconds, args.rows, "rows", table.stat().st_size, 5.0)
        report("  again (from the cache)", warm, args.rows, "rows", table.stat().st_size, None)
        print(f"  near-duplicates flagged among the resampled rows: {int(docs['near_duplicate_of'].notna().sum()):,}; exact copies: {int(docs['duplicate_of'].notna().sum()):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
