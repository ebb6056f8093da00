"""Tests of the text layer: segmentation, lemmas, stop words, multi-word expressions, cache."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import text
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


# --- cache ------------------------------------------------------------------------------------

def test_cache_hit_and_miss(tmp_path, monkeypatch):
    docs = docs_of("Макрон встретился с Зеленским.")
    first = tokenize(docs, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("tokens-*.tokens.parquet"))) == 1
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
    assert len(list(tmp_path.glob("tokens-*.tokens.parquet"))) == 3


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


def test_a_change_in_the_code_is_a_cache_miss(tmp_path, monkeypatch):
    docs = docs_of("Макрон встретился с Зеленским.")
    tokenize(docs, cache_dir=tmp_path)
    monkeypatch.setattr(text, "code_fingerprint", lambda *paths: "other code")
    tokenize(docs, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("tokens-*.tokens.parquet"))) == 2
