"""Tests of the text layer: segmentation, lemmas, stop words, multi-word expressions, cache."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers import text
from helpers.corpus import build_corpus
from helpers.matching import match_phrases
from helpers.names import MorphToken, normalize_entity
from helpers.text import lemma_key, split_sentences, tokenize


def docs_of(*texts: str, lang: str | None = "ru") -> pd.DataFrame:
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    if lang is not None:
        frame["lang"] = lang
    return frame


def tokens_of(sentence: str, lang: str | None = "ru", **kw) -> list[str]:
    return tokenize(docs_of(sentence, lang=lang), cache=False, **kw)["token"].astype(str).tolist()


# --- sentences ---------------------------------------------------------------------------------

def test_abbreviations_do_not_end_sentences():
    assert split_sentences("Саммит прошел 6 января 2026 г. в Париже. Лидеры подписали декларацию.") == [
        "Саммит прошел 6 января 2026 г. в Париже.",
        "Лидеры подписали декларацию.",
    ]
    assert split_sentences("Это компромисс, т.е. уступка. Институт им. Кеннана согласен.") == [
        "Это компромисс, т.е. уступка.",
        "Институт им. Кеннана согласен.",
    ]


def test_a_year_abbreviation_ends_a_sentence_before_a_capital():
    assert split_sentences("Кредит рассчитан на 2026–2027 гг. Деньги привлекут. В г. Москва тихо.") == [
        "Кредит рассчитан на 2026–2027 гг.",
        "Деньги привлекут.",
        "В г. Москва тихо.",
    ]


def test_a_single_lower_case_word_before_a_period_ends_a_sentence():
    assert split_sentences("Об этом знаю я. Потом узнали все.") == ["Об этом знаю я.", "Потом узнали все."]


def test_initials_do_not_end_sentences():
    assert split_sentences("Об этом сказал В. В. Путин. Затем выступил Э. Макрон.") == [
        "Об этом сказал В. В. Путин.",
        "Затем выступил Э. Макрон.",
    ]


def test_quotes_and_dashes():
    text = "«Мы готовы к диалогу», — сказал эксперт. «Нет!» — ответил другой. Потом «Reuters» сообщило."
    assert split_sentences(text) == [
        "«Мы готовы к диалогу», — сказал эксперт.",
        "«Нет!» — ответил другой.",
        "Потом «Reuters» сообщило.",
    ]


def test_sentence_after_closing_quote_and_question():
    assert split_sentences("Он спросил: «Когда?». Ответа не было? Нет.") == ["Он спросил: «Когда?».", "Ответа не было?", "Нет."]


def test_paragraphs_are_lines_or_blank_line_blocks():
    by_line = tokenize(docs_of("Первый абзац тут\nВторой абзац тут"), cache=False)
    assert by_line["paragraph"].tolist() == [0, 0, 0, 1, 1, 1]
    assert by_line["sentence"].tolist() == [0, 0, 0, 1, 1, 1]
    blocks = tokenize(docs_of("Строка один\nстрока два\n\nНовый блок"), cache=False)
    assert blocks["paragraph"].tolist() == [0, 0, 0, 0, 1, 1]


# --- tokens ------------------------------------------------------------------------------------

def test_hyphenated_words_and_outlets_stay_whole():
    assert tokens_of("Как сообщает РБК-Украина, американо-европейский план готов.") == [
        "Как", "сообщает", "РБК-Украина", "американо-европейский", "план", "готов",
    ]


def test_abbreviations_and_initials_are_single_tokens():
    assert tokens_of("В. В. Путин, т.е. президент, приехал в 2025 г.") == [
        "В.", "В.", "Путин", "т.е.", "президент", "приехал", "в", "2025", "г.",
    ]


def test_punctuation_is_dropped_and_quotes_do_not_stick():
    assert tokens_of("«Коалиция желающих» (так!) — это…") == ["Коалиция", "желающих", "так", "это"]


def test_offsets_always_point_at_the_token():
    texts = [
        " date 2026-01-06 ignored header? no: loader strips it; here it is text.",
        "«Мы — за мир», — заявил В. В. Путин 6 января 2026 г.\r\nРБК-Украина: США и ЕС… т.е. всё.",
        "Коаліція охочих зібралася в Парижі; м'ясо, з'їзд.",
    ]
    docs = docs_of(*texts, lang=None)
    table = tokenize(docs, cache=False)
    text_of = dict(zip(docs["doc_id"], docs["text"]))
    for row in table.itertuples():
        assert text_of[row.doc_id][row.start:row.end] == row.token


def test_columns_and_memory_friendly_dtypes():
    table = tokenize(docs_of("Макрон встретился с Зеленским."), cache=False)
    assert list(table.columns) == text.TOKEN_COLUMNS
    for column in ("doc_id", "token", "lemma", "lang"):
        assert isinstance(table[column].dtype, pd.CategoricalDtype)
    for column in ("sentence", "paragraph", "start", "end"):
        assert table[column].dtype == "int32"


# --- lemmas ------------------------------------------------------------------------------------

def test_inflected_names_share_a_lemma():
    """In a text, every form of a name gets one lemma; the dictionary's nominative gets it too."""
    forms = ["Макрон", "Макрона", "Макрону", "Макроном", "Макроне"]
    table = tokenize(docs_of(". ".join(f"Встреча и {f} там" for f in forms)), cache=False)
    assert set(table.loc[table["token"].isin(forms), "lemma"].astype(str)) == {"макрон"}
    assert lemma_key("Макрон") == ("макрон",)


def test_names_are_chosen_per_paradigm():
    """The corpus decides: «Шольц», «Шольцем», «Шольца» all occur, so all are «шольц» (not «шолец»)."""
    table = tokenize(docs_of("Шольц заявил. Встреча с Шольцем. Позиция Шольца."), cache=False)
    assert set(table.loc[table["token"].astype(str).str.startswith("Шольц"), "lemma"].astype(str)) == {"шольц"}
    table = tokenize(docs_of("Джорджа Мелони приехала. Встреча с Джорджей Мелони. Позиция Джорджи Мелони."), cache=False, overrides=None)
    assert set(table.loc[table["token"].astype(str).str.startswith("Джордж"), "lemma"].astype(str)) == {"джорджа"}
    assert set(table.loc[table["token"] == "Мелони", "lemma"].astype(str)) == {"мелони"}


def test_sentence_initial_common_words_keep_their_lemma():
    table = tokenize(docs_of("Любой может прийти. Якобы все решено. Свет погас."), cache=False)
    lemmas = dict(zip(table["token"].astype(str), table["lemma"].astype(str)))
    assert (lemmas["Любой"], lemmas["Якобы"], lemmas["Свет"]) == ("любой", "якобы", "свет")


def test_adjectives_inside_names_and_numbered_names():
    table = tokenize(docs_of("Строительство Северного потока-2 и Северный поток-2. О Северном потоке 2 спорят."), cache=False)
    lemmas = table["lemma"].astype(str).tolist()
    assert lemmas.count("северный") == 3 and lemmas.count("поток-2") == 2
    assert tokens_of("Су-35 и G7") == ["Су-35", "и", "G7"]


def test_capitalised_surname_prefers_the_name_reading():
    assert lemma_key("Песков") == ("песков",)  # not the genitive plural of «песок»
    assert lemma_key("песков") == ("песок",)  # lower case: the common noun
    table = tokenize(docs_of("Песков заявил. По словам Пескова, встреча прошла. Пескову ответили."), cache=False)
    assert set(table.loc[table["token"].astype(str).str.startswith("Песков"), "lemma"].astype(str)) == {"песков"}


def test_participles_keep_an_adjectival_lemma():
    assert lemma_key("Соединенными Штатами Америки") == ("соединенный", "штат", "америка")
    assert lemma_key("Соединённые Штаты Америки") == ("соединенный", "штат", "америка")
    assert lemma_key("коалиции желающих") == ("коалиция", "желающий")


def test_yo_folding_is_on_by_default_and_can_be_switched_off():
    assert lemma_key("ещё всё") == ("еще", "все")
    assert lemma_key("ещё", fold_yo=False) == ("ещё",)
    table = tokenize(docs_of("Ещё всё решено"), cache=False, fold_yo=False)
    assert table["lemma"].astype(str).tolist()[0] == "ещё"
    assert table["token"].astype(str).tolist()[0] == "Ещё"  # surface never changes


def test_lemma_overrides_fix_unknown_foreign_surnames():
    forms = ["Мерц", "Мерца", "Мерцу", "Мерцем", "Мерце"]
    assert {lemma_key(f) for f in forms} == {("мерц",)}


def test_user_overrides_file(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text("lang,form,lemma\nru,рютте,рютте-test\n", encoding="utf-8")
    table = tokenize(docs_of("Рютте заявил"), cache=False, overrides=path)
    assert table["lemma"].astype(str).tolist() == ["рютте-test", "заявить"]
    with pytest.raises(ValueError, match="lang, form, lemma"):  # a DictionaryError (a ValueError) naming the columns
        bad = tmp_path / "bad.csv"
        bad.write_text("form,lemma\nx,y\n", encoding="utf-8")
        tokenize(docs_of("Рютте заявил"), cache=False, overrides=bad)

    # An edited file is read again (the reading is kept only while the file is unchanged).
    path.write_text("lang,form,lemma,case\nru,рютте,рютте-правка,capitalised\nru,заявил,сказать-test,any\n", encoding="utf-8")
    table = tokenize(docs_of("Рютте заявил"), cache=False, overrides=path)
    assert table["lemma"].astype(str).tolist() == ["рютте-правка", "сказать-test"]
    from helpers.dictionaries import load_overrides

    load_overrides(path).clear()  # a caller's copy: clearing it changes nothing for the next
    assert len(load_overrides(path)) == 2


def test_abbreviation_lemmas():
    table = tokenize(docs_of("90 млрд евро в 2026 г."), cache=False)
    assert table["lemma"].astype(str).tolist() == ["90", "миллиард", "евро", "в", "2026", "год"]


def test_ukrainian_sample():
    table = tokenize(docs_of("Коаліція охочих обговорила гарантії безпеки зі Сполученими Штатами.", lang="uk"), cache=False)
    assert table["lemma"].astype(str).tolist() == [
        "коаліція", "охочий", "обговорити", "гарантія", "безпека", "зі", "сполучений", "штат",
    ]
    assert set(table["lang"].astype(str)) == {"uk"}


def test_english_sample():
    table = tokenize(docs_of("The leaders discussed ceasefire monitoring and security guarantees.", lang="en"), cache=False)
    assert table["lemma"].astype(str).tolist() == [
        "the", "leader", "discuss", "ceasefire", "monitor", "and", "security", "guarantee",
    ]


def test_language_is_detected_when_missing():
    assert text.detect_language("Коалиция желающих собралась в Париже.") == "ru"
    assert text.detect_language("Коаліція охочих зібралася в Парижі, щоб обговорити гарантії.") == "uk"
    assert text.detect_language("The coalition of the willing met in Paris.") == "en"
    table = tokenize(docs_of("Коаліція охочих зібралася в Парижі.", "The coalition met.", lang=None), cache=False)
    assert table.groupby("doc_id", observed=True)["lang"].first().astype(str).tolist() == ["uk", "en"]


def test_stems_for_comparison():
    table = text.add_stems(tokenize(docs_of("Переговоры, переговорам, переговорах"), cache=False))
    assert table["stem"].astype(str).nunique() == 1
    assert table["lemma"].astype(str).nunique() == 1


# --- stop words --------------------------------------------------------------------------------

def test_stop_words_from_package_domain_list_and_user():
    words = text.stop_words("ru")
    assert {"и", "в", "также", "который"} <= words  # package list + corpus/stopwords.csv
    assert "коалиция" not in words
    assert "санкция" in text.stop_words("ru", extra=["санкция"])
    assert "являться" in words and "являться" not in text.stop_words("ru", domain=False)
    table = tokenize(docs_of("Коалиция ранее обсудила санкции"), cache=False, extra_stop_words=["санкция"])
    assert table["is_stop"].tolist() == [False, True, False, True]


def test_a_domain_list_is_read_again_when_it_changes_and_a_missing_one_is_an_error(tmp_path):
    path = tmp_path / "stop.csv"
    path.write_text("lemma,lang\nкоалиция,ru\n", encoding="utf-8")
    assert "коалиция" in text.stop_words("ru", domain=path)
    path.write_text("lemma,lang\nсанкция,ru\nвстреча,ru\n", encoding="utf-8")
    words = text.stop_words("ru", domain=path)
    assert "санкция" in words and "коалиция" not in words
    with pytest.raises(Exception, match="missing.csv"):
        text.stop_words("ru", domain=tmp_path / "missing.csv")


def test_initials_are_stop_words_and_numbers_are_their_own_kind():
    table = tokenize(docs_of("В. Путин 2026"), cache=False)
    assert table["is_stop"].tolist() == [True, False, False]
    assert table["kind"].astype(str).tolist() == ["abbreviation", "word", "number"]


# --- multi-word expressions and phrase matching ----------------------------------------------

def test_mwes_match_every_inflected_form():
    docs = docs_of("Речь шла о прекращении огня. Прекращение огня обсуждали в коалиции желающих.")
    table = tokenize(docs, cache=False, mwes=["прекращение огня", "коалиция желающих"])
    firsts = table[table["mwe_first"]]
    assert firsts["mwe"].astype(str).tolist() == ["прекращение огня", "прекращение огня", "коалиция желающих"]
    assert table["mwe"].notna().sum() == 6  # every word of each expression is marked
    row = firsts.iloc[-1]
    assert docs["text"][0][row.start:row.start + len("коалиции желающих")] == "коалиции желающих"
    assert table["lemma"].astype(str).tolist()[3:5] == ["прекращение", "огонь"]  # the words keep their lemmas


def test_mwes_match_under_every_reading_of_an_ambiguous_form():
    """«заморозки» is the plural of «заморозок» (frost) and the genitive of «заморозка»."""
    table = tokenize(docs_of("Вариант заморозки конфликта обсуждали."), cache=False, mwes=["заморозка конфликта"])
    assert table["mwe"].astype(str).tolist()[1:3] == ["заморозка конфликта"] * 2


def test_mwes_do_not_cross_sentences():
    table = tokenize(docs_of("Это прекращение. Огня не было."), cache=False, mwes=["прекращение огня"])
    assert table["mwe"].isna().all()


def test_match_sequences_longest_match_wins_and_case_rules():
    docs = docs_of("Эммануэль Макрон встретился с Соединенными Штатами Америки и с Америкой. В рамках ес нет.")
    table = tokenize(docs, cache=False)
    patterns = pd.DataFrame(
        {
            "pattern": ["macron", "macron", "usa", "america", "eu"],
            "key": [lemma_key("Эммануэль Макрон"), lemma_key("Макрон"), lemma_key("Соединенные Штаты Америки"),
                    lemma_key("Америка"), lemma_key("ЕС")],
            "first_upper": [True, True, True, True, True],
            "all_upper": [False, False, False, False, True],
        }
    )
    from helpers.matching import match_sequences

    found = match_sequences(table, patterns)
    assert found["pattern"].tolist() == ["macron", "usa", "america"]
    words = table["token"].astype(str).tolist()
    assert [" ".join(words[a:b + 1]) for a, b in zip(found["first"], found["last"])] == [
        "Эммануэль Макрон", "Соединенными Штатами Америки", "Америкой",
    ]



def test_match_sequences_equal_a_brute_force_search():
    from helpers.matching import _greedy_non_overlapping, match_sequences

    rng = np.random.default_rng(8)
    lemmas = ["а", "б", "в", "г"]
    n = 3000
    lemma = rng.choice(lemmas, size=n)
    style = rng.integers(0, 3, size=n)  # lower, Capitalised, UPPER
    token = np.array([w.upper() if k == 2 else w.capitalize() if k == 1 else w for w, k in zip(lemma, style)], dtype=object)
    tokens = pd.DataFrame({
        "doc_id": pd.Categorical(np.repeat([f"d{i}" for i in range(30)], n // 30)),
        "sentence": np.tile(np.repeat(np.arange(10), 10), 30).astype(np.int32),
        "lemma": pd.Categorical(lemma), "token": pd.Categorical(token),
    })
    keys = [tuple(rng.choice(lemmas, size=int(rng.integers(1, 4)))) for _ in range(24)]
    keys += keys[:6]  # the same sequence in several rows, with other case rules
    patterns = pd.DataFrame({"pattern": [f"p{i}" for i in range(len(keys))], "key": keys,
                             "first_upper": rng.random(len(keys)) < 0.4, "all_upper": rng.random(len(keys)) < 0.2})
    # the definition: at every place, the first row (in row order) of each distinct sequence
    # whose lemmas are there, inside one sentence, with its case rules holding
    unit = tokens["doc_id"].cat.codes.to_numpy() * 100 + tokens["sentence"].to_numpy()
    first_cap = np.array([t[:1].isupper() for t in token])
    all_cap = np.array([t.isupper() for t in token])
    f, l, r = [], [], []
    for start in range(n):
        seen = set()
        for i, key in enumerate(keys):
            end = start + len(key) - 1
            if key in seen or end >= n or unit[end] != unit[start] or tuple(lemma[start:end + 1]) != key:
                continue
            if (patterns["first_upper"][i] and not first_cap[start]) or (patterns["all_upper"][i] and not all_cap[start:end + 1].all()):
                continue
            seen.add(key)
            f.append(start), l.append(end), r.append(i)
    f, l, r = np.array(f), np.array(l), np.array(r)
    order = np.lexsort((r, -(l - f), f))
    f, l, r = f[order], l[order], r[order]
    keep = _greedy_non_overlapping(f, l)
    expected = pd.DataFrame({"pattern": patterns["pattern"].to_numpy()[r[keep]], "first": f[keep], "last": l[keep]})
    got = match_sequences(tokens, patterns)
    assert len(got) > 300
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


# --- cache ------------------------------------------------------------------------------------

def test_cache_hit_and_miss(tmp_path, monkeypatch):
    docs = docs_of("Макрон встретился с Зеленским.")
    first = tokenize(docs, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("tokens-*.tokens.arrow"))) == 1
    calls = []
    original = text._build
    monkeypatch.setattr(text, "_build", lambda *a, **k: calls.append(1) or original(*a, **k))
    second = tokenize(docs, cache_dir=tmp_path)
    assert calls == []  # a hit: nothing recomputed
    pd.testing.assert_frame_equal(first, second)
    changed = docs.assign(text=["Макрон встретился с Туском."])
    third = tokenize(changed, cache_dir=tmp_path)
    assert calls == [1]  # changed text: a miss
    assert "туск" in set(third["lemma"].astype(str))
    tokenize(docs, cache_dir=tmp_path, fold_yo=False)
    assert calls == [1, 1]  # changed settings: a miss
    tokenize(docs, cache_dir=tmp_path, cache=False)
    assert calls == [1, 1, 1]  # bypassed
    assert len(list(tmp_path.glob("tokens-*.tokens.arrow"))) == 3


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="doc_id"):
        tokenize(pd.DataFrame({"text": ["x"]}), cache=False)
    with pytest.raises(ValueError, match="unique"):
        tokenize(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}), cache=False)


def test_empty_documents_give_an_empty_table():
    table = tokenize(docs_of("", "   "), cache=False)
    assert table.empty and list(table.columns) == text.TOKEN_COLUMNS


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("т. е. так", ["т. е.", "так"]),
        ("Т.к. поздно", ["Т.к.", "поздно"]),
        ("В 1990-х гг. было", ["В", "1990-х", "гг.", "было"]),
        ("Максим. Потом", ["Максим", "Потом"]),  # «им.» inside a word is not an abbreviation
        ("план Б. Однако", ["план", "Б.", "Однако"]),  # an initial-like letter before a capital
        ("в. В", ["в", "В"]),  # lower-case letters are never initials
        ("США. Россия", ["США", "Россия"]),
        ("ул.Ленина и пр. т.д.", ["ул", "Ленина", "и", "пр.", "т.д."]),
    ],
)
def test_abbreviation_edge_cases(sentence, expected):
    assert tokens_of(sentence) == expected


def test_texts_digest_is_one_hash_of_ids_lengths_and_texts_whatever_the_column():
    import hashlib
    import json

    import pyarrow as pa

    from helpers.cache import texts_digest

    texts = ["Первый текст.", "", "Ёлка 🎄 и \u00a0пробел", "second", "Третий"]
    ids = [f"d{i}" for i in range(len(texts))]

    def by_hand(ids, texts):
        data = [t.encode("utf-8") for t in texts]
        lengths = b"".join(len(d).to_bytes(8, "little") for d in data)
        out = hashlib.blake2b(json.dumps(ids).encode(), digest_size=16)
        out.update(hashlib.blake2b(lengths, digest_size=16).digest())
        out.update(hashlib.blake2b(b"".join(data), digest_size=16).digest())
        return out.hexdigest()

    chunked = pa.chunked_array([pa.array(texts[:2], pa.string()), pa.array(texts[2:], pa.string())])
    columns = {
        "object": pd.Series(texts, dtype=object),
        "arrow string": pd.Series(texts, dtype="str"),
        "arrow large_string": pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(texts, pa.large_string())]))),
        "two chunks": pd.Series(pd.arrays.ArrowStringArray(chunked)),
    }
    for name, column in columns.items():
        assert texts_digest(ids, column) == by_hand(ids, texts), name
        assert texts_digest(ids[1:4], column.iloc[1:4]) == by_hand(ids[1:4], texts[1:4]), name  # a buffer read from an offset
    # Moving a boundary between two texts, or renaming one, gives another digest.
    assert texts_digest(["a", "b"], pd.Series(["xy", "z"], dtype="str")) != texts_digest(["a", "b"], pd.Series(["x", "yz"], dtype="str"))
    assert texts_digest(["a", "b"], pd.Series(["x", "y"], dtype="str")) != texts_digest(["a", "c"], pd.Series(["x", "y"], dtype="str"))
    # A missing text hashes as "nan", as astype(str) writes it.
    assert texts_digest(["x", "y"], pd.Series(["a", None], dtype="str")) == by_hand(["x", "y"], ["a", "nan"])


def test_kind_mask_reads_codes_and_plain_columns_alike():
    from helpers.corpus import kind_mask

    kinds = ["word", "url", "abbreviation", "number", "word"]
    categorical = pd.Series(pd.Categorical(kinds + [None], categories=["word", "number", "url", "abbreviation"]))
    assert kind_mask(categorical).tolist() == [True, False, True, False, True, False]
    assert kind_mask(categorical, ["url"]).tolist() == [False, True, False, False, False, False]
    assert kind_mask(pd.Series(kinds)).tolist() == [True, False, True, False, True]


def test_a_change_in_the_code_is_a_cache_miss(tmp_path, monkeypatch):
    docs = docs_of("Макрон встретился с Зеленским.")
    tokenize(docs, cache_dir=tmp_path)
    monkeypatch.setattr(text, "code_fingerprint", lambda *paths: "other code")
    tokenize(docs, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("tokens-*.tokens.arrow"))) == 2


# ==============================================================================================
# The text layer as a spec: token kinds, script repair, parts of speech, languages, numbering,
# name lemmas and phrase matching. These pin the current outputs of segment.py, text.py and
# lemmas.py, which are being optimised: the values must stay exactly as they are.
# ==============================================================================================

def kinds_of(sentence: str, lang: str = "ru") -> list[tuple[str, str]]:
    table = tokenize(docs_of(sentence, lang=lang), cache=False)
    return list(zip(table["token"].astype(str), table["kind"].astype(str)))


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Рост составил 2,5 процента", [("Рост", "word"), ("составил", "word"), ("2,5", "number"), ("процента", "word")]),
        (
            "Собрали 1 000 подписей, 12 500,5 тонн, 3,75% и 06.01.2026",
            [("Собрали", "word"), ("1 000", "number"), ("подписей", "word"), ("12 500,5", "number"), ("тонн", "word"),
             ("3,75", "number"), ("и", "word"), ("06.01.2026", "number")],
        ),
        ("Пенсия 15\u00a0000 рублей", [("Пенсия", "word"), ("15\u00a0000", "number"), ("рублей", "word")]),  # no-break space
        ("Санкции U.S. и E.U. против", [("Санкции", "word"), ("U.S.", "abbreviation"), ("и", "word"), ("E.U.", "abbreviation"), ("против", "word")]),
        ("The U.S. and E.U. agreed", [("The", "word"), ("U.S.", "abbreviation"), ("and", "word"), ("E.U.", "abbreviation"), ("agreed", "word")]),
        ("Это уступка, т. е. компромисс; т.е. так", [("Это", "word"), ("уступка", "word"), ("т. е.", "abbreviation"), ("компромисс", "word"), ("т.е.", "abbreviation"), ("так", "word")]),
        (
            "Подробнее: https://t.me/gorod_vesti/812, bit.ly/3gV9sVet и www.gorod.ru.",
            [("Подробнее", "word"), ("https://t.me/gorod_vesti/812", "url"), ("bit.ly/3gV9sVet", "url"), ("и", "word"), ("www.gorod.ru", "url")],
        ),
        ("(https://gorod.ru/a?b=1&c=2) «www.sevkurier.ru»", [("https://gorod.ru/a?b=1&c=2", "url"), ("www.sevkurier.ru", "url")]),
        (
            "Пишите press@gorod-vesti.ru или @gorod_vesti #новости #цены2024",
            [("Пишите", "word"), ("press@gorod-vesti.ru", "email"), ("или", "word"), ("@gorod_vesti", "handle"), ("#новости", "hashtag"), ("#цены2024", "hashtag")],
        ),
        ("Мост открыли 🎉🔥 и 🇺🇦, 👍🏽", [("Мост", "word"), ("открыли", "word"), ("🎉", "emoji"), ("🔥", "emoji"), ("и", "word"), ("🇺🇦", "emoji"), ("👍🏽", "emoji")]),
    ],
)
def test_token_kinds(sentence, expected):
    assert kinds_of(sentence) == expected


def test_a_zwj_emoji_sequence_is_one_token():
    assert kinds_of("Семья 👨\u200d👩\u200d👧 на празднике") == [("Семья", "word"), ("👨\u200d👩\u200d👧", "emoji"), ("на", "word"), ("празднике", "word")]


def test_links_on_other_domains_are_urls():
    assert kinds_of("Статья: telegra.ph/Most-zakryt-05-14 и видео youtu.be/dQw4w9WgXcQ") == [
        ("Статья", "word"), ("telegra.ph/Most-zakryt-05-14", "url"), ("и", "word"), ("видео", "word"), ("youtu.be/dQw4w9WgXcQ", "url"),
    ]


def test_spaced_and_unspaced_abbreviations_share_a_lemma():
    table = tokenize(docs_of("Это уступка, т. е. компромисс, т.е. сделка"), cache=False)
    rows = table[table["kind"] == "abbreviation"]
    assert rows["lemma"].astype(str).tolist() == ["то есть", "то есть"]
    assert rows["is_stop"].tolist() == [True, True]


def test_abbreviation_lemmas_and_stop_flags_as_they_are():
    table = tokenize(docs_of("Санкции U.S. и E.U., т.е. всех, и т. д."), cache=False)
    rows = table[table["kind"] == "abbreviation"]
    assert list(zip(rows["token"].astype(str), rows["lemma"].astype(str), rows["is_stop"])) == [
        ("U.S.", "us", False), ("E.U.", "eu", False), ("т.е.", "то есть", True), ("т. д.", "так далее", True),
    ]


def test_mixed_script_words_are_repaired_and_offsets_keep_the_text():
    text_ = "Визит в Моcкву и речь о сoюзу. Компания ТНК-BP и iPhone-версия."  # «c» and «o» are Latin here
    assert "c" in text_[9:15] and "o" in text_[24:30]
    table = tokenize(docs_of(text_), cache=False)
    rows = list(zip(table["token"].astype(str), table["lemma"].astype(str), [text_[a:b] for a, b in zip(table["start"], table["end"])]))
    assert rows == [
        ("Визит", "визит", "Визит"), ("в", "в", "в"),
        ("Москву", "москва", "Моcкву"),  # token repaired to Cyrillic, the offsets show the text as written
        ("и", "и", "и"), ("речь", "речь", "речь"), ("о", "о", "о"),
        ("союзу", "союз", "сoюзу"),
        ("Компания", "компания", "Компания"),
        ("ТНК-ВР", "тнк-вр", "ТНК-BP"),  # a part of Latin look-alikes beside a Cyrillic part
        ("и", "и", "и"),
        ("iPhone-версия", "iphone-версия", "iPhone-версия"),  # «i», «h», «n» have no look-alike: kept
    ]
    assert text.repair_script("Моcква") == "Москва" and text.repair_script("Pоссия") == "Россия"
    assert text.repair_script("NATO") == "NATO"  # all Latin: nothing to repair


def test_parts_of_speech():
    table = tokenize(docs_of("Министр быстро заявил, что два новых моста откроют в 2025 году https://gorod.ru @gorod"), cache=False)
    assert list(zip(table["token"].astype(str), table["pos"].astype(str))) == [
        ("Министр", "NOUN"), ("быстро", "ADVB"), ("заявил", "VERB"), ("что", "CONJ"), ("два", "NUMR"),
        ("новых", "ADJF"), ("моста", "NOUN"), ("откроют", "VERB"), ("в", "PREP"), ("2025", "NUMB"),
        ("году", "NOUN"), ("https://gorod.ru", ""), ("@gorod", ""),
    ]


def test_language_detection_reads_words_only():
    link_heavy = "Подробнее @gorod_vesti_official_channel_news https://www.example.com/news/long-english-slug-here-and-more"
    assert len(re.findall("[a-z]", link_heavy)) > 3 * len(re.findall("[а-я]", link_heavy, re.I))
    assert text.detect_language(link_heavy) == "ru"
    assert text.detect_language("Коаліція охочих: https://www.example.com/news/long-english-slug-here @ukrpravda_news") == "uk"
    # hashtags are left out too: in plain words the Cyrillic would win
    assert text.detect_language("Talks resume #новости #переговоры #женева #мирныйплан") == "en"
    assert text.detect_language("Talks resume новости переговоры женева мирныйплан") == "ru"


def test_sentence_and_paragraph_numbering():
    docs = pd.DataFrame({
        "doc_id": ["a", "b"],
        "text": [
            "Мост закрыли. Объезд — по Северной!\n***\nАвтобусы идут в объезд.\nНомер 12 снова ходит.",
            "Вторая заметка\n\nНовый блок тут. И ещё одна фраза.\nТа же строка блока",
        ],
        "lang": "ru",
    })
    table = tokenize(docs, cache=False)
    got = list(zip(table["doc_id"].astype(str), table["token"].astype(str), table["sentence"], table["paragraph"]))
    assert got == [
        # one paragraph per line; the line «***» has no token and takes no number
        ("a", "Мост", 0, 0), ("a", "закрыли", 0, 0), ("a", "Объезд", 1, 0), ("a", "по", 1, 0), ("a", "Северной", 1, 0),
        ("a", "Автобусы", 2, 1), ("a", "идут", 2, 1), ("a", "в", 2, 1), ("a", "объезд", 2, 1),
        ("a", "Номер", 3, 2), ("a", "12", 3, 2), ("a", "снова", 3, 2), ("a", "ходит", 3, 2),
        # numbering starts again in each document; with blank lines, a paragraph is a block
        ("b", "Вторая", 0, 0), ("b", "заметка", 0, 0),
        ("b", "Новый", 1, 1), ("b", "блок", 1, 1), ("b", "тут", 1, 1),
        ("b", "И", 2, 1), ("b", "ещё", 2, 1), ("b", "одна", 2, 1), ("b", "фраза", 2, 1),
        ("b", "Та", 3, 1), ("b", "же", 3, 1), ("b", "строка", 3, 1), ("b", "блока", 3, 1),
    ]
    assert table["start"].tolist()[:3] == [0, 5, 14] and table["end"].tolist()[:3] == [4, 12, 20]


@pytest.mark.parametrize(
    "name, forms",
    [
        ("Пелоси", "Пелоси заявила. Встреча с Пелоси. Позиция Пелоси прежняя."),
        ("Нетаньяху", "Нетаньяху прибыл. Переговоры с Нетаньяху. Визит Нетаньяху отложен."),
        ("Мелони", "Мелони выступила. Встреча с Мелони. По словам Мелони, всё решено."),
    ],
    ids=["pelosi", "netanyahu", "meloni"],
)
def test_indeclinable_surnames_keep_one_key(name, forms):
    table = tokenize(docs_of(forms), cache=False, overrides=None)  # the rule itself, not the override list
    assert set(table.loc[table["token"] == name, "lemma"].astype(str)) == {name.lower()}
    assert (table["token"] == name).sum() == 3
    assert lemma_key(name, overrides=None) == (name.lower(),)
    corpus = build_corpus(docs_of(forms), cache=False, overrides=None, mwes=None)
    assert corpus.key(name) == (name.lower(),)


def test_a_first_name_in_the_genitive_form_is_a_feminine_name():
    forms = "Джорджа Мелони прибыла в Рим. Встреча с Джорджей Мелони прошла. Позиция Джорджи Мелони ясна."
    corpus = build_corpus(docs_of(forms), cache=False, overrides=None, mwes=None)
    assert corpus.key("Джорджа Мелони") == ("джорджа", "мелони")  # the corpus' lemmas
    assert lemma_key("Джорджа Мелони", overrides=None) == ("джордж", "мелони")  # alone, a dictionary reading
    assert lemma_key("Джорджа Мелони") == ("джорджа", "мелони")  # the override list fixes the phrase


def test_an_adjective_inside_a_numbered_name_takes_its_lemma():
    assert lemma_key("Северного потока-2") == ("северный", "поток-2")
    assert lemma_key("Северный поток-2") == ("северный", "поток-2")
    table = tokenize(docs_of("Строительство Северного потока-2 завершено. О Северном потоке-2 спорят."), cache=False)
    assert table["lemma"].astype(str).tolist() == ["строительство", "северный", "поток-2", "завершить", "о", "северный", "поток-2", "спорить"]


def tokens_with(*words: tuple[str, str, dict]) -> tuple[str, list[MorphToken]]:
    """A mention and its tokens, as natasha tags them in a sentence."""
    surface, out, at = "", [], 0
    for word, pos, feats in words:
        if surface:
            surface += " "
            at += 1
        out.append(MorphToken(word, at, at + len(word), pos, feats))
        surface += word
        at += len(word)
    return surface, out


def test_normal_forms_of_entities():
    surface, toks = tokens_with(("Викторию", "PROPN", {"Case": "Acc", "Gender": "Fem", "Number": "Sing"}),
                                ("Нуланд", "PROPN", {"Case": "Acc", "Gender": "Fem", "Number": "Sing"}))
    assert normalize_entity(surface, "PER", toks) == "Виктория Нуланд"
    assert normalize_entity(surface, "PER") == "Виктория Нуланд"  # tagged on its own
    surface, toks = tokens_with(("Джорджи", "PROPN", {"Case": "Gen", "Gender": "Fem", "Number": "Sing"}),
                                ("Мелони", "PROPN", {"Case": "Gen", "Gender": "Fem", "Number": "Sing"}))
    assert normalize_entity(surface, "PER", toks) == "Джорджа Мелони"
    # ё is written е in normal forms (the module's promise), so both spellings get one form
    surface, toks = tokens_with(("Соединённых", "ADJ", {"Case": "Gen", "Number": "Plur"}),
                                ("Штатов", "PROPN", {"Case": "Gen", "Gender": "Masc", "Number": "Plur"}))
    assert normalize_entity(surface, "LOC", toks) == "Соединенные Штаты"
    assert normalize_entity("Соединённых Штатов", "LOC") == "Соединенные Штаты"


def test_normal_form_of_a_feminine_place():
    # pymorphy3 knows only a masculine «Невад»; the tagger's feminine gender decides
    surface, toks = tokens_with(("Неваде", "PROPN", {"Case": "Loc", "Gender": "Fem", "Number": "Sing"}))
    assert normalize_entity(surface, "LOC", toks) == "Невада"


def test_normal_form_of_an_adjective_with_two_dictionary_lemmas():
    # pymorphy3 reads «окружного» as «окружный» or «окружной»; the court is «Окружной суд»
    surface, toks = tokens_with(("Окружного", "ADJ", {"Case": "Gen", "Gender": "Masc", "Number": "Sing"}),
                                ("суда", "NOUN", {"Case": "Gen", "Gender": "Masc", "Number": "Sing"}))
    assert normalize_entity(surface, "ORG", toks) == "Окружной суд"


def test_normal_form_of_a_numbered_name():
    # the word part of the numbered head noun declines, the number stays
    surface, toks = tokens_with(("Северного", "ADJ", {"Case": "Gen", "Gender": "Masc", "Number": "Sing"}),
                                ("потока-2", "NOUN", {"Case": "Gen", "Gender": "Masc", "Number": "Sing"}))
    assert normalize_entity(surface, "ORG", toks) == "Северный поток-2"


NORD_STREAM = "Строительство Северного потока-2 завершено. Про Северный поток 2 снова спорят. Судьба «Северного потока — 2» неясна. Северный поток тоже есть."


def test_a_numbered_expression_matches_every_spelling():
    docs = docs_of(NORD_STREAM)
    table = tokenize(docs, cache=False, mwes=["Северный поток-2"])
    spans: list[list[int]] = []
    for row in table.itertuples():
        if row.mwe_first:
            spans.append([row.start, row.end])
        elif isinstance(row.mwe, str):
            spans[-1][1] = row.end
    assert [NORD_STREAM[a:b] for a, b in spans] == ["Северного потока-2", "Северный поток 2", "Северного потока — 2"]
    assert set(table["mwe"].dropna()) == {"северный поток-2"}
    starts = [a for a, _ in spans]
    assert table["mwe"].notna().sum() == 2 + 3 + 3  # «Северный поток тоже» (no number) is not marked
    # the bundled expression list (the fixture copy) has it too
    corpus = build_corpus(docs, cache=False)
    assert corpus.tokens.loc[corpus.tokens["mwe_first"], "start"].tolist() == starts


def test_an_alias_pattern_matches_every_spelling():
    corpus = build_corpus(docs_of(NORD_STREAM), cache=False, mwes=None)
    assert corpus.keys("Северный поток-2") == [("северный", "поток", "2"), ("северный", "поток-2")]
    patterns = corpus.patterns(pd.DataFrame({"pattern": ["nord_stream_2"], "phrase": ["Северный поток-2"], "lang": ["ru"]}))
    found = match_phrases(corpus.tokens, patterns)
    assert [NORD_STREAM[a:b] for a, b in zip(found["start"], found["end"])] == ["Северного потока-2", "Северный поток 2", "Северного потока — 2"]
    assert found["sentence"].tolist() == [0, 1, 2]


def test_a_ukrainian_phrase_key_works_on_a_ukrainian_document():
    docs = pd.DataFrame({
        "doc_id": ["ru1", "uk1"],
        "text": ["Коалиция желающих собралась в Париже.", "Коаліція охочих зібралася в Парижі. Лідери коаліції охочих обговорили гарантії."],
        "lang": ["ru", "uk"],
    })
    corpus = build_corpus(docs, cache=False, lang=None, mwes=None)
    assert corpus.key("коаліція охочих", "uk") == ("коаліція", "охочий")
    patterns = corpus.patterns(pd.DataFrame({"pattern": ["coalition", "coalition"], "phrase": ["коаліція охочих", "коалиция желающих"], "lang": ["uk", "ru"]}))
    found = match_phrases(corpus.tokens, patterns)
    text_of = dict(zip(docs["doc_id"], docs["text"]))
    assert [(d, text_of[d][a:b]) for d, a, b in zip(found["doc_id"], found["start"], found["end"])] == [
        ("ru1", "Коалиция желающих"), ("uk1", "Коаліція охочих"), ("uk1", "коаліції охочих"),
    ]
    # a Ukrainian pattern never matches Russian tokens, and the other way round
    only_uk = patterns[patterns["lang"] == "uk"]
    assert set(match_phrases(corpus.tokens, only_uk)["doc_id"]) == {"uk1"}


def test_with_stop_words_equals_a_rebuild_without_tokenizing_again():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "lang": "ru", "outlet": ["X", "Y"], "text": [
        "Министр заявил, что всё решено. Заявить об этом он хотел давно. Сообщили и другие.",
        "Всё было ясно: МИД сообщил о переговорах. Ещё одна встреча пройдет в Женеве.",
    ]})
    base = build_corpus(docs, mwes=None, cache=False)
    extra = ["заявить", "Сообщить", "всё", "ещё"]
    rebuilt = build_corpus(docs, mwes=None, cache=False, extra_stop_words=extra)
    quick = base.with_stop_words(extra)
    pd.testing.assert_frame_equal(quick.tokens, rebuilt.tokens)
    assert quick.settings == rebuilt.settings
    # «заявил», «Заявить», «сообщил», «Сообщили» by lemma; «всё»/«Всё» and «Ещё» folded to все/еще.
    newly = quick.tokens["is_stop"].to_numpy() & ~base.tokens["is_stop"].to_numpy()
    assert sorted(quick.tokens.loc[newly, "token"].astype(str)) == ["Заявить", "Сообщили", "заявил", "сообщил"]
    assert base.tokens["is_stop"].sum() < quick.tokens["is_stop"].sum()


def test_cache_tables_round_trip_with_codes_and_plain_columns(tmp_path):
    from helpers.cache import read_table, write_table

    table = pd.DataFrame(
        {
            "doc_id": pd.Categorical(["b", "a", "b", None], categories=pd.Index(["b", "a"], dtype="str")),
            "n": np.array([3, 1, 2, 7], dtype=np.int32),
            "level": pd.Categorical(["low", "high", "low", "low"], categories=pd.Index(["low", "high"], dtype="str"), ordered=True),
            "flag": [True, False, True, False],
            "note": pd.Series(["x", None, "z", "ё"], dtype="str"),
            "when": pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-04-01"]),
            "share": [0.5, float("nan"), 1.0, 0.25],
        }
    )
    table.attrs = {"note": "kept"}
    path = tmp_path / "t.arrow"
    write_table(table, path)
    assert (tmp_path / "t.arrow.categories").exists()  # the text categoricals went in as codes
    back = read_table(path)
    pd.testing.assert_frame_equal(back, table)
    assert back.attrs == {"note": "kept"}
    (tmp_path / "t.arrow.categories").write_bytes((tmp_path / "t.arrow.categories").read_bytes()[:10])
    with pytest.raises(Exception):
        read_table(path)


def test_cache_tables_round_trip_without_codes_and_a_damaged_file_is_recomputed(tmp_path):
    from helpers.cache import SUFFIX, cached_table, read_table, write_table

    table = pd.DataFrame(
        {
            "doc_id": pd.Series(["b", "a", None], dtype="str"),
            "n": np.array([3, 1, 2], dtype=np.int64),
            "year": pd.Categorical([2024, 2025, 2024]),  # a categorical of numbers is stored as it is
            "when": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
        }
    )
    path = tmp_path / f"t{SUFFIX}"
    write_table(table, path)
    assert not (tmp_path / f"t{SUFFIX}.categories").exists()
    pd.testing.assert_frame_equal(read_table(path), table)
    calls = []

    def compute():
        calls.append(1)
        return table

    pd.testing.assert_frame_equal(cached_table("t", "k", compute, cache_dir=tmp_path), table)
    pd.testing.assert_frame_equal(cached_table("t", "k", compute, cache_dir=tmp_path), table)
    assert len(calls) == 1
    stored = tmp_path / f"t-k{SUFFIX}"
    stored.write_bytes(stored.read_bytes()[:40])  # a truncated file: recomputed and rewritten
    pd.testing.assert_frame_equal(cached_table("t", "k", compute, cache_dir=tmp_path), table)
    assert len(calls) == 2
    pd.testing.assert_frame_equal(read_table(stored), table)


def test_stems_are_snowball_s_and_latin_letters_stay_latin():
    # Published Snowball outputs (the algorithms' sample vocabularies) and one web-text form.
    words = ["вагоне", "вагонов", "важнейшими", "важничаешь", "переговорах", "it-индустрии"]
    table = text.add_stems(tokenize(docs_of(" ".join(words) + "."), cache=False))
    assert table["stem"].astype(str).tolist() == ["вагон", "вагон", "важн", "важнича", "переговор", "it-индустр"]
    english = text.add_stems(tokenize(docs_of("Consigned caresses, generously consigning ponies.", lang="en"), cache=False))
    assert english["stem"].astype(str).tolist() == ["consign", "caress", "generous", "consign", "poni"]


def test_stems_shared_between_processes_are_the_same(monkeypatch):
    table = tokenize(docs_of("Переговоры о перемирии, переговорам мешают обстрелы; it-индустрии и вагонов."), cache=False)
    alone = text.add_stems(table)
    monkeypatch.setattr(text, "_PARALLEL_STEMS", 1)
    monkeypatch.setattr(text, "jobs", lambda: 2)
    pd.testing.assert_frame_equal(text.add_stems(table), alone)
