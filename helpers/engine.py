"""Where the corpus-wide passes run: here (the default engine) or on a Dask cluster.

The notebooks never choose: the engine is a setting of the helpers, read from the environment,
which ``make run`` passes to every kernel::

    make run                                   # the default engine: this process and one fork
    make run ENGINE=dask                       # a local Dask cluster (its dashboard link is printed)
    make run ENGINE=dask DASK_SCHEDULER=tcp://10.0.0.5:8786   # an existing cluster

- ``NEWSFRAMES_ENGINE``: ``local`` (default; ``default`` is the same) or ``dask``.
- ``DASK_SCHEDULER``: the address of a running scheduler; without it the dask engine starts a
  :class:`distributed.LocalCluster` of ``NEWSFRAMES_JOBS`` (default 2) single-threaded worker
  processes, once per process, and prints its dashboard link.

With ``dask``, tokenization sends every chunk of documents (about 4 million characters each:
the partitions of the input, whatever it was read from) to the cluster, and the analyses of the
distinct forms are shared between the workers. The chunk functions are pure and their results
are assembled in input order, so the token table, and everything counted from it, is the same
under both engines (``tests/test_engine.py`` checks the key tables byte for byte as CSV).

Under the default engine, passes whose rules never look past a document (attribution, the
shingles of copies) or a word (stemming) use :func:`fork_map`: parts of the corpus in forked
processes, up to :func:`jobs`, with the same result as one process.

Memory
------
A corpus that would not fit in the memory available fails early, before any token is made,
with a :class:`CorpusTooLarge` error that gives the estimate and what to do (:func:`check_memory`):
the estimate comes from the size of the input text (:func:`estimate_memory`, measured figures),
never from the machine starting to swap. The peak is in the analyses, which run in the
notebook's process under both engines: the dask engine moves tokenizing to the cluster, not the
analyses, so it does not lower the figure. ``NEWSFRAMES_MEMORY_LIMIT`` (``"6GB"``, ``"800MB"``)
sets the budget instead of the memory the system reports as available.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

ENGINES = ("local", "dask")
#: Memory of the kit itself in one process (libraries, analysers' dictionaries), in bytes.
BASE_BYTES = 500_000_000
#: Peak bytes per character of input text of the largest process of ``make run`` under the
#: default engine, over every notebook (tokenizing, then the analyses on the built corpus),
#: measured by ``benchmarks/bench_scale.py`` on generated corpora of real news sentences:
#: 10.16 GB for 272.6M characters (100,000 articles, 35 bytes a character above the base),
#: 1.69 GB for 27.3M (10,000; 44 bytes a character); the larger figure is used. (Forked
#: workers share most of their pages with it.)
BYTES_PER_CHAR = 44.0
#: The same under the dask engine, where the notebook's process does not tokenize: measured on
#: the same 100,000 articles with a local cluster of two workers, 10.08 GB (35 bytes a
#: character). The peak is in the analyses, which run in the notebook's process under both
#: engines, so the default engine's larger figure is used for both.
RESIDENT_BYTES_PER_CHAR = 44.0
_CLIENT: Any = None


class CorpusTooLarge(MemoryError):
    """The corpus would not fit in memory under the engine chosen."""


def engine() -> str:
    """The engine in force: ``$NEWSFRAMES_ENGINE`` (``local`` or ``dask``; default ``local``).

    Raises
    ------
    ValueError
        For another value.
    """
    value = os.environ.get("NEWSFRAMES_ENGINE", "").strip().lower() or "local"
    value = "local" if value == "default" else value
    if value not in ENGINES:
        raise ValueError(f"NEWSFRAMES_ENGINE must be one of {', '.join(ENGINES)} (or empty), got {value!r}.")
    return value


def scheduler_address() -> str | None:
    """``$DASK_SCHEDULER``: the address of an existing Dask scheduler, or None."""
    value = os.environ.get("DASK_SCHEDULER", "").strip()
    return value or None


def environment() -> dict[str, str]:
    """The engine variables of this process, to pass on to child processes (the kernels)."""
    return {k: os.environ[k] for k in ("NEWSFRAMES_ENGINE", "DASK_SCHEDULER", "NEWSFRAMES_JOBS", "NEWSFRAMES_MEMORY_LIMIT") if os.environ.get(k)}


def _workers() -> int:
    value = os.environ.get("NEWSFRAMES_JOBS", "").strip()
    return max(1, int(value)) if value.isdigit() else 2


def client(*, verbose: bool = True):
    """The Dask client of this process, connected once and reused.

    Connects to ``$DASK_SCHEDULER`` when set, else starts a local cluster of
    ``$NEWSFRAMES_JOBS`` (default 2) worker processes with one thread each, and prints where
    its dashboard is (``verbose``).

    Returns
    -------
    distributed.Client
    """
    global _CLIENT
    if _CLIENT is not None and _CLIENT.status == "running":
        return _CLIENT
    from distributed import Client, LocalCluster

    address = scheduler_address()
    if address:
        _CLIENT = Client(address)
        where = f"Dask: connected to the scheduler at {address}"
    else:
        cluster = LocalCluster(n_workers=_workers(), threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0")
        _CLIENT = Client(cluster)
        where = f"Dask: a local cluster of {_workers()} worker processes started"
    if verbose:
        link = _CLIENT.dashboard_link
        print(f"{where}; dashboard: {link}" if link else f"{where}; no dashboard (install bokeh for it)", file=sys.stderr, flush=True)
    return _CLIENT


def set_client(new_client) -> None:
    """Use ``new_client`` (a :class:`distributed.Client`, or None to forget it) for the dask engine."""
    global _CLIENT
    _CLIENT = new_client


class DaskPool:
    """A :class:`concurrent.futures.Executor`-like view of a Dask client (``submit`` → future).

    Tasks are submitted with ``pure=False`` (no hashing of large arguments); a future's
    ``result()`` returns the value or raises the task's error, as a ``concurrent.futures``
    future does.
    """

    def __init__(self, dask_client) -> None:
        self.client = dask_client

    @property
    def workers(self) -> int:
        """The number of worker threads of the cluster (at least 1)."""
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:  # a cluster that cannot be asked: assume one
            return 1

    def submit(self, fn: Callable, *args: Any):
        """Run ``fn(*args)`` on the cluster; return its future."""
        return self.client.submit(fn, *args, pure=False)

    def map_ordered(self, fn: Callable, args: Iterable[tuple], *, ahead: int | None = None) -> Iterator[Any]:
        """``fn(*a)`` for every ``a`` of ``args`` on the cluster, yielded in input order.

        At most ``ahead`` tasks (default twice the worker threads) are in flight, so the
        results waiting to be read stay bounded.
        """
        from collections import deque

        limit = ahead or 2 * self.workers
        waiting: deque = deque()
        for a in args:
            waiting.append(self.submit(fn, *a))
            if len(waiting) >= limit:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


def pool() -> DaskPool | None:
    """The Dask pool when the dask engine is in force, else None (the default engine)."""
    return DaskPool(client()) if engine() == "dask" else None


# --------------------------------------------------------------------------------------------
# Passes over parts of the corpus in forked processes
# --------------------------------------------------------------------------------------------

_FORK_JOB: Callable | None = None


def _run_forked(part: tuple) -> Any:
    """Run the job set by :func:`fork_map` (inherited by the forked worker) on one part."""
    assert _FORK_JOB is not None
    return _FORK_JOB(*part)


def jobs() -> int:
    """Processes :func:`tokenize` may use: ``$NEWSFRAMES_JOBS``, else up to 2 of the CPUs allowed.

    The token table is the same whatever the number; only the time changes. A second process
    is forked (on Linux) for corpora of about a million characters or 8,000 distinct forms or
    more; if it cannot be started or dies, its share is computed here.
    """
    value = os.environ.get("NEWSFRAMES_JOBS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"NEWSFRAMES_JOBS must be a whole number, got {value!r}.") from None
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(2, cpus)


def can_fork() -> bool:
    """Whether :func:`fork_map` may use forked workers: more than one job allowed
    (:func:`jobs`), Linux (forking a process that has loaded system libraries is
    safe there) and not inside a daemon process."""
    import multiprocessing as mp

    return jobs() > 1 and sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def submit_or_none(pool, fn: Callable, *args: Any):
    """``pool.submit(fn, *args)``, or None when the pool cannot take it (the caller then
    computes it itself, with :func:`result_or_here`)."""
    try:
        return pool.submit(fn, *args)
    except Exception:  # a broken or unavailable pool
        return None


def result_or_here(future, fn: Callable, *args: Any) -> Any:
    """The result of a submitted task, or ``fn(*args)`` computed here when there is no future or
    its worker failed (died, ran out of memory): the same value either way."""
    if future is not None:
        try:
            return future.result()
        except Exception:  # the worker died: same result, here
            pass
    return fn(*args)


def fork_map(job: Callable[..., Any], parts: Sequence[tuple]) -> list[Any]:
    """``[job(*p) for p in parts]``, the parts after the first in forked worker processes.

    ``job`` may be a closure over the corpus: the workers are forked after it is set, so they
    inherit it (and the corpus) instead of receiving it pickled; only the parts and results
    travel. The first part runs in this process meanwhile. Results come in the order of
    ``parts``, and a part whose worker fails (cannot start, dies, runs out of memory) is
    computed here, so the result never depends on the processes used. With one job allowed (or
    no fork), every part runs here.

    Parameters
    ----------
    job : callable
        A pure function of a part's arguments (a document range, say).
    parts : sequence of tuple
        The arguments of each call.

    Returns
    -------
    list
        One result per part, in order.
    """
    global _FORK_JOB
    parts = list(parts)
    if len(parts) < 2 or not can_fork():
        return [job(*p) for p in parts]
    import multiprocessing as mp
    import warnings
    from concurrent.futures import ProcessPoolExecutor

    _FORK_JOB = job
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns about fork in a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            executor = ProcessPoolExecutor(min(jobs() - 1, len(parts) - 1), mp_context=mp.get_context("fork"))
        with executor:
            futures = [submit_or_none(executor, _run_forked, p) for p in parts[1:]]
            results = [job(*parts[0])]
            results += [result_or_here(future, job, *p) for p, future in zip(parts[1:], futures)]
        return results
    finally:
        _FORK_JOB = None


def balanced_ranges(weights: np.ndarray, parts: int) -> list[tuple[int, int]]:
    """Cut ``range(len(weights))`` into at most ``parts`` contiguous ranges of about equal total weight.

    Parameters
    ----------
    weights : ndarray
        Non-negative work per item (cues per document, say).
    parts : int
        The number of ranges wanted.

    Returns
    -------
    list of (start, stop)
        Non-empty ranges covering every item, in order.
    """
    total = len(weights)
    if total == 0:
        return []
    n = max(1, min(parts, total))
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    if cum[-1] <= 0:
        cuts = np.linspace(0, total, n + 1).round().astype(int)
    else:
        cuts = np.concatenate([[0], np.searchsorted(cum, cum[-1] * np.arange(1, n) / n, side="left") + 1, [total]])
    cuts = np.unique(np.clip(cuts, 0, total))
    return [(int(a), int(b)) for a, b in zip(cuts[:-1], cuts[1:]) if b > a]


# --------------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------------

_SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?i?b?)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1e3, "kb": 1e3, "kib": 2**10, "m": 1e6, "mb": 1e6, "mib": 2**20,
          "g": 1e9, "gb": 1e9, "gib": 2**30, "t": 1e12, "tb": 1e12, "tib": 2**40}


def parse_size(text: str) -> int:
    """Bytes of a size written ``"6GB"``, ``"800 MiB"``, ``"1.5g"`` or ``"123456"``.

    Raises
    ------
    ValueError
        For text that is not a size.
    """
    m = _SIZE_RE.match(str(text))
    if not m or (m.group(2) or "").lower() not in _UNITS:
        raise ValueError(f"Not a size: {text!r}. Write it like 6GB, 800MB or 1.5GiB.")
    return int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()])


def available_memory() -> int:
    """Bytes this run may use: ``$NEWSFRAMES_MEMORY_LIMIT``, else the system's available memory.

    The system figure is ``MemAvailable`` of ``/proc/meminfo`` (psutil's where it is installed),
    capped by a cgroup limit when one is set.
    """
    limit = os.environ.get("NEWSFRAMES_MEMORY_LIMIT", "").strip()
    if limit:
        return parse_size(limit)
    found = None
    try:
        import psutil

        found = int(psutil.virtual_memory().available)
    except Exception:  # psutil missing: read /proc/meminfo
        try:
            with open("/proc/meminfo", encoding="ascii") as f:
                for line in f:
                    if line.startswith("MemAvailable:"):
                        found = int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as f:
                value = f.read().strip()
            if value.isdigit() and int(value) < 2**60:
                found = min(found, int(value)) if found else int(value)
        except OSError:
            continue
    return found if found else 2**63


def estimate_memory(n_chars: int, *, which: str = "local") -> int:
    """Bytes a notebook's process needs over ``make run`` for a corpus of ``n_chars`` characters.

    :data:`BASE_BYTES` plus :data:`BYTES_PER_CHAR` (``local``: the default engine) or
    :data:`RESIDENT_BYTES_PER_CHAR` (``resident``: the dask engine, tokenizing elsewhere) a
    character.

    Parameters
    ----------
    n_chars : int
        Characters of input text.
    which : {"local", "resident"}
        The engine's figure.
    """
    per = BYTES_PER_CHAR if which == "local" else RESIDENT_BYTES_PER_CHAR
    return int(BASE_BYTES + n_chars * per)


def _gb(n: float) -> str:
    return f"{n / 1e9:.1f} GB"


#: Characters of text from which a pass is large enough for :func:`release_memory` to pay.
RELEASE_CHARS = 20_000_000


def release_memory(n_chars: int) -> None:
    """Hand the memory freed by a large pass over ``n_chars`` characters back to the system.

    glibc keeps freed heap pages for reuse, so after a pass that made millions of short-lived
    objects (reading a corpus, tokenizing it) the process stays as large as at the pass's
    peak, and the next pass starts from there. ``malloc_trim`` returns those pages. Below
    :data:`RELEASE_CHARS` (and elsewhere than glibc's Linux) this does nothing; the tables are
    never touched.
    """
    if n_chars < RELEASE_CHARS or not sys.platform.startswith("linux"):
        return
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, say): nothing to trim
        pass


def check_memory(n_chars: int, n_docs: int | None = None) -> None:
    """Fail early when a corpus of ``n_chars`` characters would not fit in memory.

    The estimate of the engine in force (:func:`estimate_memory`) must fit in
    :func:`available_memory`.

    Raises
    ------
    CorpusTooLarge
        With the estimate, the budget and what to do (``ENGINE=dask``, a cluster, a sample).
    """
    budget = available_memory()
    docs = f"{n_docs:,} documents, " if n_docs is not None else ""
    local = engine() == "local"
    need = estimate_memory(n_chars, which="local" if local else "resident")
    if need > budget:
        raise CorpusTooLarge(
            f"This corpus ({docs}{n_chars:,} characters) needs about {_gb(need)} to analyse in one notebook, "
            f"more than the {_gb(budget)} available (set NEWSFRAMES_MEMORY_LIMIT to change the budget). "
            "Analyse a sample (docs.sample(n, random_state=...)) or a period at a time, or use a machine with more memory. "
            + ("ENGINE=dask (make run ENGINE=dask, DASK_SCHEDULER=tcp://host:8786 for a cluster) moves tokenizing to a "
               "cluster, but the analyses still run in the notebook's process and need about as much."
               if local else "The dask engine tokenizes on the cluster, but the analyses run in this process.")
        )
