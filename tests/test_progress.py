"""Progress bars: shown to a person, never in batch runs (so never in committed outputs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import attribution, progress, stats
from helpers.corpus import build_corpus
from helpers.text import tokenize


@pytest.fixture
def shown(monkeypatch):
    monkeypatch.setenv("NEWSFRAMES_PROGRESS", "1")


def test_batch_runs_and_ci_turn_bars_off(monkeypatch):
    monkeypatch.delenv("NEWSFRAMES_PROGRESS", raising=False)
    monkeypatch.setenv("NEWSFRAMES_BATCH", "1")
    assert not progress.enabled()
    monkeypatch.delenv("NEWSFRAMES_BATCH")
    monkeypatch.setenv("CI", "true")
    assert not progress.enabled()
    monkeypatch.setenv("NEWSFRAMES_PROGRESS", "1")  # forcing wins over both
    monkeypatch.setenv("NEWSFRAMES_BATCH", "1")
    assert progress.enabled()
    monkeypatch.setenv("NEWSFRAMES_PROGRESS", "0")
    monkeypatch.delenv("NEWSFRAMES_BATCH")
    monkeypatch.delenv("CI")
    assert not progress.enabled()


def test_off_means_the_items_unchanged(monkeypatch, capsys):
    monkeypatch.setenv("NEWSFRAMES_PROGRESS", "0")
    assert list(progress.progress(range(3), desc="x")) == [0, 1, 2]
    assert capsys.readouterr().err == ""


DOCS = pd.DataFrame({"doc_id": ["a", "b"], "lang": "ru", "outlet": ["X", "Y"], "text": [
    "Министр заявил журналистам, что переговоры продолжатся.", "Песков сообщил, что встреча пройдет в Женеве."]})


def test_long_calls_show_a_bar_when_asked(shown, capsys):
    tokenize(DOCS, cache=False)
    assert "tokenizing" in capsys.readouterr().err
    corpus = build_corpus(DOCS, mwes=None, cache=False)
    capsys.readouterr()
    attribution.attribution(corpus)
    assert "attribution" in capsys.readouterr().err
    frame = pd.DataFrame({"g": ["A"] * 5 + ["B"] * 5, "v": np.arange(10, dtype=float)})
    stats.grouped_bootstrap_ci(frame, "v", "g", n_boot=50)
    assert "bootstrap" in capsys.readouterr().err


def test_no_bar_in_batch(monkeypatch, capsys):
    monkeypatch.delenv("NEWSFRAMES_PROGRESS", raising=False)
    monkeypatch.setenv("NEWSFRAMES_BATCH", "1")
    corpus = build_corpus(DOCS, mwes=None, cache=False)
    attribution.attribution(corpus)
    assert capsys.readouterr().err == ""
