"""``make run`` at 10,000 and 100,000 articles: wall time, peak memory, per-notebook times (not a test).

For each size the script builds a generated corpus with ``benchmarks/make_corpus.py`` (real
sentences of ``--eval``, a vocabulary that keeps growing; written once as Parquet partitions
outside the repository, under ``--work``), then runs the real runner as a child process::

    python -m helpers.run --corpus <corpus> --out <work>/out-<size>

with a fresh, empty token cache (``NEWSFRAMES_CACHE``), so the first notebook tokenizes and the
others read the cache, as on a new corpus. While it runs, the memory of the whole process tree
(the runner, its Jupyter kernels, their forked workers, and with ``--engine dask`` the local
cluster's workers) is sampled every ``--interval`` seconds with psutil: the peak of the sum of
their resident set sizes is reported, with the largest single process
(``getrusage(RUSAGE_CHILDREN).ru_maxrss`` covers grandchildren too: every descendant that was
waited for). The runner prints each notebook's time, which is collected as it comes.

Usage::

    python benchmarks/bench_scale.py --eval PATH/TO/shared/eval [--work /tmp/newsframes-scale]
        [--sizes 10000 100000] [--engine local|dask] [--only 00 01]

It prints one line per run and, for two sizes or more, the ratio of the largest run's wall time
to the smallest's (the issue asks for at most 11× from 10k to 100k).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_RE = re.compile(r"\[(\d+)/(\d+)\] (\S+) \.\.\. ok in ([0-9.]+) s")


def build_corpus(eval_root: str, articles: int, work: Path) -> Path:
    """The generated corpus of ``articles`` articles under ``work`` (built once, then reused)."""
    target = work / f"gen{articles // 1000}k"
    if target.exists() and any(target.glob("part-*.parquet")):
        return target
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), "--eval", eval_root, "--articles", str(articles),
         "--out", str(target), "--parquet"],
        check=True, stdout=subprocess.DEVNULL,
    )
    print(f"built {target} ({articles:,} articles) in {time.perf_counter() - started:.0f} s", flush=True)
    return target


class TreeMemory:
    """Samples the resident memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_total = 0
        self.peak_single = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                self.peak_single = max(self.peak_single, rss)
            if total > self.peak_total:
                self.peak_total, self.peak_processes = total, len(procs)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_once(corpus: Path, out: Path, engine: str, only: list[str] | None, interval: float) -> dict:
    """One ``python -m helpers.run`` on ``corpus``: seconds, peak memory, notebook times."""
    cache = Path(tempfile.mkdtemp(prefix="newsframes-bench-cache-"))
    env = {**os.environ, "NEWSFRAMES_CACHE": str(cache), "PYTHONHASHSEED": "0", "NEWSFRAMES_ENGINE": engine}
    env.pop("DASK_SCHEDULER", None) if engine == "local" else None
    cmd = [sys.executable, "-m", "helpers.run", "--corpus", str(corpus), "--out", str(out)]
    if only:
        cmd += ["--only", *only]
    notebooks: dict[str, float] = {}
    lines: list[str] = []
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    with TreeMemory(proc.pid, interval) as memory:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            for m in NOTEBOOK_RE.finditer(line):
                notebooks[m.group(3)] = float(m.group(4))
            if line.strip():
                print(f"    | {line.rstrip()}", flush=True)
        proc.wait()
    seconds = time.perf_counter() - started
    shutil.rmtree(cache, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"helpers.run failed on {corpus} (exit {proc.returncode}):\n" + "\n".join(lines[-20:]))
    return {
        "seconds": seconds,
        "peak_tree": memory.peak_total,
        "peak_processes": memory.peak_processes,
        "peak_single": max(memory.peak_single, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024),
        "notebooks": notebooks,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", required=True, help="the shared/eval folder (real texts for make_corpus.py)")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "newsframes-scale"), help="where corpora and outputs go (outside the repository)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--only", nargs="*", help="notebook prefixes to run (default: all)")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between memory samples")
    args = parser.parse_args(argv)
    try:
        import psutil  # noqa: F401
    except ImportError:
        raise SystemExit("bench_scale.py needs psutil to follow the process tree's memory (pip install psutil).") from None
    work = Path(args.work)
    if work.resolve().is_relative_to(ROOT) and not work.resolve().is_relative_to(ROOT / "build"):
        raise SystemExit("--work must be outside the repository (or under build/): the corpora hold real sentences.")
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for size in args.sizes:
        corpus = build_corpus(args.eval, size, work)
        print(f"make run on {size:,} articles ({args.engine} engine) ...", flush=True)
        r = results[size] = run_once(corpus, work / f"out-{size // 1000}k-{args.engine}", args.engine, args.only, args.interval)
        per = ", ".join(f"{name} {s:.0f} s" for name, s in r["notebooks"].items())
        print(
            f"{size:>7,} articles: {r['seconds']:7.1f} s wall, peak memory {r['peak_tree'] / 1e9:.2f} GB for the process tree "
            f"({r['peak_processes']} processes), {r['peak_single'] / 1e9:.2f} GB the largest process; notebooks: {per}",
            flush=True,
        )
    if len(results) > 1:
        small, large = min(results), max(results)
        ratio = results[large]["seconds"] / results[small]["seconds"]
        print(f"ratio {large:,} / {small:,} articles: {ratio:.2f}x wall time ({large / small:.0f}x the articles)")
        for name in results[large]["notebooks"]:
            a, b = results[small]["notebooks"].get(name), results[large]["notebooks"][name]
            if a:
                print(f"    {name}: {a:.1f} s -> {b:.1f} s ({b / a:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
