"""The engine choice (:mod:`helpers.engine`): Dask gives the default engine's tables, the memory
guard fails early, partitioned tables load as one.

The Dask test starts a small local cluster (two single-threaded worker processes) and builds
the teaching corpus on it with chunks small enough that the documents are cut into many tasks,
then compares the key tables with the default engine's byte for byte as CSV.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import actors, engine, framing, frequency, stats, text
from helpers.corpus import build_corpus, load_corpus
from helpers.loader import CorpusError, partition_files


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


def test_engine_reads_the_environment(monkeypatch):
    monkeypatch.delenv("NEWSFRAMES_ENGINE", raising=False)
    assert engine.engine() == "local"
    monkeypatch.setenv("NEWSFRAMES_ENGINE", "default")
    assert engine.engine() == "local"
    monkeypatch.setenv("NEWSFRAMES_ENGINE", " Dask ")
    assert engine.engine() == "dask"
    monkeypatch.setenv("NEWSFRAMES_ENGINE", "spark")
    with pytest.raises(ValueError, match="local, dask"):
        engine.engine()
    monkeypatch.setenv("DASK_SCHEDULER", " tcp://127.0.0.1:8786 ")
    assert engine.scheduler_address() == "tcp://127.0.0.1:8786"
    monkeypatch.setenv("DASK_SCHEDULER", "")
    assert engine.scheduler_address() is None


def test_parse_size_units():
    assert engine.parse_size("6GB") == 6_000_000_000
    assert engine.parse_size("800 MiB") == 800 * 1024 * 1024  # 838,860,800
    assert engine.parse_size("1.5g") == 1_500_000_000
    assert engine.parse_size("123456") == 123_456
    with pytest.raises(ValueError, match="Not a size"):
        engine.parse_size("lots")


def test_memory_estimate_is_linear_in_the_text():
    base, local, dask = engine.BASE_BYTES, engine.BYTES_PER_CHAR, engine.RESIDENT_BYTES_PER_CHAR
    assert engine.estimate_memory(0) == base
    assert engine.estimate_memory(1_000) == int(base + 1_000 * local)
    assert engine.estimate_memory(1_000, which="resident") == int(base + 1_000 * dask)
    # The measured runs: 100,000 articles, 272.6M characters, 10.16 GB at the peak of the largest
    # process under the default engine (10,000: 27.3M, 1.69 GB); the estimate must not be below.
    assert engine.estimate_memory(272_642_427) >= 10.16e9
    assert engine.estimate_memory(27_264_243) >= 1.69e9


def _docs(n: int, words: int = 20) -> pd.DataFrame:
    sentence = " ".join(["Министр заявил журналистам о новых переговорах в Женеве."] * (words // 8 + 1))
    return pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n)], "date": pd.Timestamp("2026-01-05"),
                         "outlet": "A", "text": [f"{sentence} Номер {i}." for i in range(n)], "lang": "ru"})


def test_a_corpus_too_large_fails_before_tokenizing(monkeypatch):
    docs = _docs(10)
    n_chars = int(docs["text"].str.len().sum())
    # The budget is one byte short of the estimate: the guard must refuse.
    monkeypatch.setenv("NEWSFRAMES_MEMORY_LIMIT", str(engine.estimate_memory(n_chars) - 1))
    monkeypatch.delenv("NEWSFRAMES_ENGINE", raising=False)
    called = []
    monkeypatch.setattr(text, "_build", lambda *a, **k: called.append(1))
    with pytest.raises(engine.CorpusTooLarge, match="sample") as error:
        build_corpus(docs, mwes=None, cache=False)
    assert called == []  # no token was made
    assert f"{n_chars:,} characters" in str(error.value)
    assert "ENGINE=dask" in str(error.value) and "NEWSFRAMES_MEMORY_LIMIT" in str(error.value)
    # The dask engine has its own figure (the analyses still run in the notebook's process).
    monkeypatch.setenv("NEWSFRAMES_ENGINE", "dask")
    monkeypatch.setenv("NEWSFRAMES_MEMORY_LIMIT", str(engine.estimate_memory(n_chars, which="resident")))
    engine.check_memory(n_chars, len(docs))
    monkeypatch.setenv("NEWSFRAMES_MEMORY_LIMIT", str(engine.estimate_memory(n_chars, which="resident") - 1))
    with pytest.raises(engine.CorpusTooLarge, match="analyses run in this process"):
        engine.check_memory(n_chars, len(docs))


def test_a_corpus_within_the_budget_builds(monkeypatch):
    docs = _docs(3)
    n_chars = int(docs["text"].str.len().sum())
    monkeypatch.setenv("NEWSFRAMES_MEMORY_LIMIT", str(engine.estimate_memory(n_chars)))  # exactly the estimate: allowed
    monkeypatch.delenv("NEWSFRAMES_ENGINE", raising=False)
    corpus = build_corpus(docs, mwes=None, cache=False)
    assert len(corpus.docs) == 3


# --------------------------------------------------------------------------------------------
# Partitioned tables
# --------------------------------------------------------------------------------------------


def test_a_folder_of_parquet_partitions_loads_as_one_table(tmp_path):
    docs = _docs(5)[["doc_id", "date", "outlet", "text"]]
    whole = tmp_path / "whole.parquet"
    docs.to_parquet(whole, index=False)
    parts = tmp_path / "parts"
    parts.mkdir()
    docs.iloc[3:].to_parquet(parts / "part-00001.parquet", index=False)
    docs.iloc[:3].to_parquet(parts / "part-00000.parquet", index=False)
    (parts / "_SUCCESS").write_text("")
    assert [p.name for p in partition_files(parts)] == ["part-00000.parquet", "part-00001.parquet"]
    one, split = load_corpus(whole), load_corpus(parts)
    assert split["doc_id"].tolist() == ["d000", "d001", "d002", "d003", "d004"]
    pd.testing.assert_frame_equal(one, split)


def test_partitions_with_the_same_id_are_an_error(tmp_path):
    docs = _docs(2)[["doc_id", "text"]]
    docs.to_csv(tmp_path / "part-0.csv", index=False)
    docs.iloc[:1].to_csv(tmp_path / "part-1.csv", index=False)
    with pytest.raises(CorpusError, match="already used"):
        load_corpus(tmp_path)


def test_a_folder_with_articles_is_not_a_partitioned_table(tmp_path):
    (tmp_path / "a.txt").write_text("Статья.", encoding="utf-8")
    _docs(1)[["doc_id", "text"]].to_parquet(tmp_path / "part-0.parquet", index=False)
    assert partition_files(tmp_path) == []
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    _docs(1)[["doc_id", "text"]].to_csv(mixed / "a.csv", index=False)
    _docs(1)[["doc_id", "text"]].to_parquet(mixed / "b.parquet", index=False)
    assert partition_files(mixed) == []  # two kinds of table: not one table split in parts


# --------------------------------------------------------------------------------------------
# Passes over parts of the corpus in forked processes
# --------------------------------------------------------------------------------------------


def test_balanced_ranges_cut_by_weight():
    # weights 5 1 1 1 1 1: total 10, halves at 5 -> [0, 1) and [1, 6)
    assert engine.balanced_ranges(np.array([5, 1, 1, 1, 1, 1]), 2) == [(0, 1), (1, 6)]
    assert engine.balanced_ranges(np.array([1, 1, 1, 1]), 2) == [(0, 2), (2, 4)]
    assert engine.balanced_ranges(np.array([0, 0, 0]), 2) == [(0, 2), (2, 3)]
    assert engine.balanced_ranges(np.array([3]), 4) == [(0, 1)]
    assert engine.balanced_ranges(np.array([]), 2) == []
    # every item covered once, in order, whatever the weights
    w = np.array([0, 7, 0, 0, 2, 9, 1, 0])
    ranges = engine.balanced_ranges(w, 3)
    assert [i for a, b in ranges for i in range(a, b)] == list(range(len(w)))


def test_fork_map_runs_closures_in_order_and_survives_a_dead_worker(monkeypatch):
    monkeypatch.setenv("NEWSFRAMES_JOBS", "2")
    big = np.arange(1000)  # a closure over data the worker inherits, never pickled
    assert engine.fork_map(lambda a, b: int(big[a:b].sum()), [(0, 10), (10, 1000)]) == [45, int(big[10:].sum())]
    parent = __import__("os").getpid()

    def dies_in_a_worker(x):
        import os

        if os.getpid() != parent:
            os._exit(3)  # the worker dies: its part is computed here
        return x * 2

    assert engine.fork_map(dies_in_a_worker, [(1,), (2,), (3,)]) == [2, 4, 6]
    monkeypatch.setenv("NEWSFRAMES_JOBS", "1")
    assert engine.fork_map(lambda x: x + 1, [(1,), (2,)]) == [2, 3]


def test_attribution_in_parts_equals_one_pass(monkeypatch):
    from helpers import attribution

    corpus = build_corpus(load_corpus("corpus/articles"))
    mentions = actors.find_actors(corpus, actors.load_actors())
    monkeypatch.setenv("NEWSFRAMES_JOBS", "1")
    one = attribution.attribution(corpus, mentions)
    monkeypatch.setenv("NEWSFRAMES_JOBS", "3")
    monkeypatch.setattr(attribution, "_PARALLEL_CUES", 1)  # the teaching corpus in three parts
    parts = attribution.attribution(corpus, mentions)
    assert len(one) > 100
    assert parts.to_csv(index=False) == one.to_csv(index=False)


# --------------------------------------------------------------------------------------------
# Dask gives the default engine's tables
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = distributed.Client(local)
    yield client
    client.close()
    local.close()


def test_map_ordered_keeps_the_input_order(cluster):
    pool = engine.DaskPool(cluster)
    assert pool.workers == 2
    # ahead=1: one task in flight at a time; ahead=3: all at once. Same order: 3², 1², 2².
    assert list(pool.map_ordered(pow, [(3, 2), (1, 2), (2, 2)], ahead=1)) == [9, 1, 4]
    assert list(pool.map_ordered(pow, [(3, 2), (1, 2), (2, 2)], ahead=3)) == [9, 1, 4]


def _key_tables(corpus) -> dict[str, str]:
    """The key tables of the issue, as CSV text."""
    by = "outlet"
    sizes = frequency.group_sizes(corpus, by).set_index(by)["tokens"]
    counts = frequency.count_matrix(corpus, by)
    target = counts.columns[0]
    key = stats.keyness(counts[target], counts.drop(columns=target).sum(axis=1), p_adjust="bh", min_count=5,
                        totals=(sizes[target], sizes.drop(target).sum()))
    mentions = actors.find_actors(corpus)
    frames = framing.load_frames()
    hits = framing.frame_hits(corpus, frames)
    tables = {
        "tokens": corpus.tokens.astype({c: "object" for c in ("doc_id", "token", "lemma", "kind", "pos", "lang", "mwe")}),
        "lexicon": corpus.lexicon,
        "term_frequency": frequency.term_frequency(corpus, by=by),
        "keyness": key,
        "actor_mentions": mentions,
        "cooccurrence": actors.cooccurrence(corpus, mentions, within="sentence"),
        "cooccurrence_window": actors.cooccurrence(corpus, mentions, window=10, by=by),
        "frame_scores": framing.frame_scores(corpus, frames, min_hits=2, hits=hits),
    }
    return {name: table.to_csv(index=name == "keyness") for name, table in tables.items()}


def test_dask_engine_gives_the_default_engines_tables(cluster, monkeypatch):
    from distributed import get_task_stream

    docs = load_corpus("corpus/articles")
    monkeypatch.delenv("NEWSFRAMES_ENGINE", raising=False)
    text.clear_caches()
    default = _key_tables(build_corpus(docs, cache=False))

    monkeypatch.setenv("NEWSFRAMES_ENGINE", "dask")
    monkeypatch.setattr(text, "_CHUNK_CHARS", 40_000)  # the teaching corpus in several chunks
    monkeypatch.setattr(engine, "_CLIENT", cluster)
    text.clear_caches()
    with get_task_stream(cluster) as stream:
        on_dask = build_corpus(docs, cache=False)
    names = [t["key"].split("-")[0] for t in stream.data]
    n_chunks = len(text._chunks(on_dask.docs["text"].tolist()))
    assert n_chunks >= 5 and names.count("_segment_chunk") == n_chunks  # every chunk ran on the cluster
    assert names.count("_work") == 8  # the forms' analyses: 4 shares a worker thread, 2 threads
    dask_tables = _key_tables(on_dask)
    assert len(on_dask.tokens) > 30_000
    for name in default:
        assert dask_tables[name] == default[name], name


def test_release_memory_hands_freed_heap_back(monkeypatch):
    psutil = pytest.importorskip("psutil")
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("malloc_trim is glibc's")
    process = psutil.Process()
    texts = [("ж" * 600) + str(i) for i in range(300_000)]  # ~360 MB of malloc'ed strings
    survivors = texts[::1000]  # a few kept, as after a real pass
    del texts
    before = process.memory_info().rss
    engine.release_memory(engine.RELEASE_CHARS - 1)  # below the threshold: nothing happens
    assert process.memory_info().rss > before - 50e6
    engine.release_memory(engine.RELEASE_CHARS)
    assert process.memory_info().rss < before - 200e6
    assert len(survivors) == 300 and survivors[1].endswith("1000")


def test_languages_detected_in_parts_are_those_of_one_pass(monkeypatch):
    from helpers import corpus as corpus_module
    from helpers.segment import languages

    texts = ["Москва и Киев сегодня.", "Київ і Харків їдуть.", "The minister said so.", "Подробнее: https://t.me/x", "", "Ещё одна новость"] * 7
    docs = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(len(texts))], "text": texts, "lang": [None, "UK ", None] * 14})
    monkeypatch.setenv("NEWSFRAMES_JOBS", "2")
    monkeypatch.setattr(corpus_module, "_PARALLEL_LANGUAGES", 5)
    parts = corpus_module._decide_languages(docs)
    pd.testing.assert_frame_equal(parts, languages(docs).reset_index(drop=True))
    assert set(parts["lang"]) == {"ru", "uk", "en"} and set(parts["lang_source"]) == {"metadata", "detected"}
