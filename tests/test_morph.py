"""helpers.morph reads pymorphy3's dictionary and replays its prediction directly, for speed.

Every shortcut is checked here against ``MorphAnalyzer.parse`` itself: the same readings (normal
form and tag) in the same order, for the words of the teaching corpus and for invented words
the dictionary cannot know (the rare forms of real news, where prediction does the work).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import lemmas, morph

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "articles"


def corpus_words() -> list[str]:
    words: set[str] = set()
    for path in sorted(CORPUS.rglob("*.txt")):
        words.update(w.lower() for w in re.findall(r"[А-Яа-яЁёІіЇїЄєҐґ]+", path.read_text(encoding="utf-8")))
    return sorted(words)


WORDS = corpus_words()


def invented(words: list[str], seed: int = 7) -> list[str]:
    """Words the dictionary cannot know, shaped as real rare forms are: a new stem with a real
    ending, a known prefix before a real or a new word, a real word with a new first letter."""
    rng = random.Random(seed)
    letters = "абвгдежзийклмнопрстуфхцчшщыэюя"
    out = []
    for w in words:
        stem = "".join(rng.choice(letters) for _ in range(rng.randint(2, 5)))
        out.append(stem + w[-rng.randint(1, min(5, len(w))):])  # бутяв + кать
        out.append(rng.choice(["псевдо", "анти", "квази", "супер", "пост", "недо"]) + w)  # псевдо + кошка
        out.append(rng.choice(letters) + w[1:])
    return out


def reference(word: str, lang: str) -> list[tuple[str, str]]:
    return [(p.normal_form, str(p.tag)) for p in morph.analyzer(lang).parse(word)]


def test_dictionary_records_are_parse_for_known_words():
    compared = 0
    for w in WORDS:
        found, ranked = morph.dictionary_records(w, "ru")
        if found:
            table = morph.tag_table("ru")
            assert [(n, str(table[t])) for n, t in found] == reference(w, "ru"), w
            compared += 1
    assert ranked and compared > 3000


def test_guesses_are_parse_for_words_the_dictionary_lacks():
    words = [w for w in invented(WORDS) if not morph.is_known(w, "ru")]
    assert len(words) > 5000
    for w in words:
        assert [(n, str(t)) for n, t in morph.guesses(w, "ru")] == reference(w, "ru"), w


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя", min_size=1, max_size=14))
def test_guesses_are_parse_for_any_russian_letters(word):
    assert [(n, str(t)) for n, t in morph.guesses(word, "ru")] == reference(word, "ru")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюя", min_size=1, max_size=14))
def test_guesses_are_parse_for_any_ukrainian_letters(word):
    assert [(n, str(t)) for n, t in morph.guesses(word, "uk")] == reference(word, "uk")


@pytest.mark.parametrize("word", ["covid", "ковид-19", "м'ята", "по-новому", "12", "x"])
def test_other_words_go_through_parse(word):
    assert morph.guessed_records(word, "ru") is None
    assert [(n, str(t)) for n, t in morph.guesses(word, "ru")] == reference(word, "ru")


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_the_condensed_analysis_is_the_one_read_through_parses(lang):
    words = WORDS[::3] + invented(WORDS[::7], seed=11)
    lemmas.clear_caches()
    for w in words:
        assert lemmas._analyse(w, lang) == lemmas._analyse_parses(w, lang), w
