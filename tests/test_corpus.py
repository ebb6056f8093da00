"""Tests of the corpus loader: formats, seed headers, encodings, validation, errors, accounting.

Every fixture is written into ``tmp_path`` by the test itself.
"""

from __future__ import annotations

import json
import random
import tempfile
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.loader import COPY_COLUMNS
from helpers.corpus import (
    CORE_COLUMNS,
    PROBLEM_COLUMNS,
    CorpusError,
    CorpusWarning,
    build_corpus,
    problems_of as loaded_problems,
    decode_bytes,
    load_corpus,
    validate_corpus,
)

ARTICLE = (
    "В Париже создана координационная группа, которая будет обеспечивать взаимодействие между странами "
    "коалиции добровольцев, Соединенными Штатами и Украиной.\n"
    "Как сообщает Reuters, в проекте декларации говорится о военной и логистической поддержке Киева.\n"
    "Песков заявил, что Кремль не видит предмета для переговоров, пока не устранены первопричины конфликта."
)
OTHER = "Евросоюз выделил Украине кредит в 90 миллиардов евро на 2026–2027 годы.\nСанкции против России продлены."


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def problems_of(frame_or_path) -> pd.DataFrame:
    if isinstance(frame_or_path, pd.DataFrame):
        return loaded_problems(frame_or_path)
    return validate_corpus(frame_or_path)


def problem_rows(path) -> list[tuple[str, str]]:
    table = validate_corpus(path)
    return list(zip(table["source"], table["severity"]))


def load_quietly(path, **kw) -> pd.DataFrame:
    """Load with every warning turned into an error (a clean load must be silent)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load_corpus(path, **kw)


# --- the seed format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        " date 2026-01-06 Первый абзац статьи.\nВторой абзац.",  # the seed: text on the header line
        " date 2026-01-06\nПервый абзац статьи.\nВторой абзац.",  # text on the next line
        "date 2026-01-06\nПервый абзац статьи.\nВторой абзац.",  # no leading space
        " date 2026-01-06\t  Первый абзац статьи.\nВторой абзац.",  # tabs and spaces after the date
        " date 2026-01-06\r\nПервый абзац статьи.\r\nВторой абзац.\r\n",  # Windows line ends
        "\ufeff date 2026-01-06\nПервый абзац статьи.\nВторой абзац.\n\n",  # BOM, trailing blank lines
    ],
)
def test_seed_header_is_parsed_and_removed(tmp_path, content):
    docs = load_quietly(write(tmp_path / "a.txt", content))
    assert docs["date"].tolist() == [pd.Timestamp("2026-01-06")]
    assert docs["text"].tolist() == ["Первый абзац статьи.\nВторой абзац."]


def test_seed_like_file_loads_as_it_is(tmp_path):
    # Same shape as the real seed: header, text on the same line, 11 paragraphs, no final newline.
    paragraphs = [f"Абзац номер {i}: {ARTICLE.splitlines()[i % 3]}" for i in range(11)]
    path = write(tmp_path / "000_0e8e30f65426c530.txt", " date 2026-01-06 " + "\n".join(paragraphs))
    docs = load_quietly(path)
    assert list(docs.columns) == [*CORE_COLUMNS, *COPY_COLUMNS]
    row = docs.iloc[0]
    assert row["doc_id"] == "000_0e8e30f65426c530"
    assert row["date"] == pd.Timestamp("2026-01-06")
    assert row["text"] == "\n".join(paragraphs)
    assert row["text"].count("\n") == 10
    assert pd.isna(row["outlet"]) and pd.isna(row["title"]) and pd.isna(row["lang"]) and pd.isna(row["duplicate_of"])
    assert problems_of(docs).empty


def test_text_without_header_keeps_its_first_words(tmp_path):
    write(tmp_path / "c" / "a.txt", "Date 5 of the tour was cancelled.")
    write(tmp_path / "c" / "b.txt", "Дата саммита пока не объявлена.")
    docs = load_quietly(tmp_path / "c")
    assert docs["text"].tolist() == ["Date 5 of the tour was cancelled.", "Дата саммита пока не объявлена."]
    assert docs["date"].isna().all()


def test_dd_mm_yyyy_header_is_accepted(tmp_path):
    docs = load_quietly(write(tmp_path / "a.txt", "date 06.01.2026\nТекст."))
    assert docs["date"].iloc[0] == pd.Timestamp("2026-01-06")


@pytest.mark.parametrize("bad", ["2026-13-45", "2026-02-30", "2026-1-5", "2026-01-06x", "0000-01-01"])
def test_invalid_header_date_is_an_error(tmp_path, bad):
    write(tmp_path / "c" / "bad.txt", f" date {bad}\nТекст статьи.")
    write(tmp_path / "c" / "good.txt", ARTICLE)
    table = validate_corpus(tmp_path / "c")
    assert table[["source", "severity"]].values.tolist() == [["bad.txt", "error"]]
    assert bad in table["problem"].iloc[0] and "YYYY-MM-DD" in table["problem"].iloc[0]
    with pytest.warns(CorpusWarning):
        docs = load_corpus(tmp_path / "c", errors="skip")
    assert docs["doc_id"].tolist() == ["good"]


# --- folders and metadata --------------------------------------------------------------------


@pytest.fixture
def clean_folder(tmp_path) -> Path:
    root = tmp_path / "articles"
    write(root / "evroefir" / "2026-01-06_summit.txt", " date 2026-01-06\n" + ARTICLE)
    write(root / "evroefir" / "2026-01-07_credit.txt", " date 2026-01-07 " + OTHER)
    write(root / "kyiv" / "2026-01-05_draft.txt", "Reuters опубликовало проект Парижской декларации.\nТекст не утвержден.")
    write(
        root / "metadata.csv",
        "file,source,Title,LANG,section,date\n"
        "evroefir/2026-01-06_summit.txt,ЕвроЭфир,\"Саммит в Париже, итоги\",ru,политика,2026-01-06 18:30\n"
        "evroefir/2026-01-07_credit.txt,ЕвроЭфир,Кредит,ru,,\n"
        "kyiv/2026-01-05_draft.txt,Киевский курьер,Проект,ru,дипломатия,2026-01-05\n",
    )
    return root


def test_folder_with_metadata(clean_folder):
    docs = load_quietly(clean_folder)
    assert list(docs.columns) == ["doc_id", "date", "outlet", "title", "lang", "text", "section", *COPY_COLUMNS]
    assert docs["doc_id"].tolist() == ["evroefir/2026-01-06_summit", "evroefir/2026-01-07_credit", "kyiv/2026-01-05_draft"]
    assert str(docs["date"].dtype) == "datetime64[ns]"
    for column in ["doc_id", "outlet", "title", "lang", "text", "section", "duplicate_of"]:
        assert docs[column].dtype == "str", column
    # header date, refined by the metadata's time of day on the same day; header only; metadata only
    assert docs["date"].tolist() == [pd.Timestamp("2026-01-06 18:30"), pd.Timestamp("2026-01-07"), pd.Timestamp("2026-01-05")]
    assert docs["outlet"].tolist() == ["ЕвроЭфир", "ЕвроЭфир", "Киевский курьер"]  # `source` read as outlet
    assert docs["title"].iloc[0] == "Саммит в Париже, итоги"
    assert docs["section"].isna().tolist() == [False, True, False]  # an empty cell is missing, not ""
    assert docs["text"].iloc[0] == ARTICLE
    assert docs["text"].iloc[1] == OTHER
    assert docs["duplicate_of"].isna().all()
    assert list(problems_of(docs).columns) == PROBLEM_COLUMNS
    assert problems_of(docs).empty


def test_header_date_wins_over_metadata_with_a_warning(tmp_path):
    write(tmp_path / "c" / "a.txt", " date 2026-01-06\n" + ARTICLE)
    write(tmp_path / "c" / "metadata.csv", "file,outlet,date\na.txt,ЕвроЭфир,2026-01-09\n")
    docs = load_quietly(tmp_path / "c")  # a warning alone neither raises nor warns
    assert docs["date"].iloc[0] == pd.Timestamp("2026-01-06")
    assert docs["outlet"].iloc[0] == "ЕвроЭфир"
    table = problems_of(docs)
    assert table[["source", "severity"]].values.tolist() == [["a.txt", "warning"]]
    assert "2026-01-06" in table["problem"].iloc[0] and "2026-01-09" in table["problem"].iloc[0]


def test_article_without_metadata_row_is_loaded_with_a_warning(tmp_path):
    write(tmp_path / "c" / "a.txt", ARTICLE)
    write(tmp_path / "c" / "sub" / "b.txt", OTHER)
    write(tmp_path / "c" / "metadata.csv", "file,outlet\na.txt,ЕвроЭфир\n")
    docs = load_quietly(tmp_path / "c")
    assert docs["doc_id"].tolist() == ["a", "sub/b"]
    assert docs["outlet"].isna().tolist() == [False, True]
    assert problem_rows(tmp_path / "c") == [("sub/b.txt", "warning")]
    assert "file=sub/b.txt" in problems_of(docs)["problem"].iloc[0]


def test_metadata_row_for_a_missing_file_is_an_error(tmp_path):
    write(tmp_path / "c" / "a.txt", ARTICLE)
    write(tmp_path / "c" / "b.pdf", b"%PDF-1.4")
    write(tmp_path / "c" / "metadata.csv", "file,outlet\na.txt,A\ngone.txt,B\n.\\a.txt,C\nb.pdf,D\n")
    table = validate_corpus(tmp_path / "c")
    assert table[["source", "severity"]].values.tolist() == [
        ["b.pdf", "warning"],  # not read
        ["metadata.csv:3", "error"],  # gone.txt does not exist
        ["metadata.csv:4", "error"],  # .\a.txt is a.txt again
        ["metadata.csv:5", "error"],  # b.pdf is not an article
    ]
    assert "'gone.txt'" in table["problem"].iloc[1] and "does not exist" in table["problem"].iloc[1]
    assert "second row" in table["problem"].iloc[2]
    with pytest.raises(CorpusError, match="gone.txt"):
        load_corpus(tmp_path / "c")


def test_metadata_without_file_column_is_an_error_and_not_used(tmp_path):
    write(tmp_path / "c" / "a.txt", ARTICLE)
    write(tmp_path / "c" / "metadata.csv", "name,outlet\na.txt,A\n")
    assert problem_rows(tmp_path / "c") == [("metadata.csv", "error")]
    with pytest.warns(CorpusWarning):
        docs = load_corpus(tmp_path / "c", errors="skip")
    assert docs["doc_id"].tolist() == ["a"] and docs["outlet"].isna().all()


def test_metadata_bad_rows_are_errors_and_their_articles_load_without_them(tmp_path):
    write(tmp_path / "c" / "a.txt", ARTICLE)
    write(tmp_path / "c" / "b.txt", OTHER)
    write(tmp_path / "c" / "metadata.csv", "file,outlet,date\na.txt,A,2026-13-01\nb.txt,B,2026-01-01,extra\n")
    table = validate_corpus(tmp_path / "c")
    assert table[["source", "severity"]].values.tolist() == [
        ["b.txt", "warning"],  # its row could not be read, so b.txt has no metadata row
        ["metadata.csv:2", "error"],
        ["metadata.csv:3", "error"],
    ]
    assert "2026-13-01" in table["problem"].iloc[1]
    assert "4 field(s) where the header has 3" in table["problem"].iloc[2]
    with pytest.warns(CorpusWarning, match="Skipped 2 input"):
        docs = load_corpus(tmp_path / "c", errors="skip")
    assert docs["doc_id"].tolist() == ["a", "b"] and docs["outlet"].isna().all()


def test_unsupported_and_hidden_files(tmp_path):
    root = tmp_path / "c"
    write(root / "a.txt", ARTICLE)
    write(root / "report.docx", b"PK\x03\x04 word")
    write(root / "scan.pdf", b"%PDF-1.7")
    write(root / "sub" / "table.csv", "text\nx\n")
    write(root / "sub" / "metadata.csv", "file,outlet\n")
    write(root / "README", "notes")
    write(root / ".DS_Store", b"\x00\x01")
    write(root / ".ipynb_checkpoints" / "a-checkpoint.txt", ARTICLE)
    table = validate_corpus(root)
    assert table[["source", "severity"]].values.tolist() == [
        ["README", "warning"],
        ["report.docx", "warning"],
        ["scan.pdf", "warning"],
        ["sub/metadata.csv", "warning"],
        ["sub/table.csv", "warning"],
    ]
    assert all(p.startswith("Not read") for p in table["problem"])
    assert "load_corpus('sub/table.csv')" in table["problem"].iloc[4]
    docs = load_quietly(root)  # warnings only: loads without a sound
    assert docs["doc_id"].tolist() == ["a"]


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "c").mkdir()
    with pytest.raises(CorpusError, match="No .txt articles"):
        load_corpus(tmp_path / "c")


def test_doc_ids_are_nfc_posix_paths(tmp_path):
    nfd = unicodedata.normalize("NFD", "новость_й")
    write(tmp_path / "c" / "рубрика" / f"{nfd}.txt", ARTICLE)
    write(tmp_path / "c" / "metadata.csv", "file,outlet\nрубрика/новость_й.txt,ЕвроЭфир\n")
    docs = load_quietly(tmp_path / "c")
    assert docs["doc_id"].tolist() == ["рубрика/новость_й"]
    assert docs["outlet"].tolist() == ["ЕвроЭфир"]


def test_duplicated_texts_are_kept_and_marked(tmp_path):
    write(tmp_path / "c" / "b.txt", " date 2026-01-06\n" + ARTICLE)
    write(tmp_path / "c" / "a.txt", " date 2026-01-05 " + ARTICLE + "\n")  # same text, other header
    write(tmp_path / "c" / "c.txt", ARTICLE.replace("\n", "\r\n"))  # same after line-end clean-up
    write(tmp_path / "c" / "d.txt", OTHER)
    docs = load_quietly(tmp_path / "c")
    assert docs["doc_id"].tolist() == ["a", "b", "c", "d"]
    assert docs["duplicate_of"].iloc[1:3].tolist() == ["a", "a"]
    assert docs["duplicate_of"].isna().tolist() == [True, False, False, True]
    table = problems_of(docs)
    assert table[["source", "severity"]].values.tolist() == [["b.txt", "warning"], ["c.txt", "warning"]]
    assert "'a'" in table["problem"].iloc[0]
    assert len(docs[docs["duplicate_of"].isna()]) == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"   \n\t\r\n  ", "empty"),
        (" date 2026-01-06".encode(), "header but no text"),
        (" date 2026-01-06 \n\n  ".encode(), "header but no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "zip"),
        (bytes(b | 0x80 for b in random.Random(3).randbytes(400)), "does not read as Russian"),
        (bytes(range(1, 32)) * 20, "control characters"),
        ("Café crème, résumé and naïve déjà vu.".encode("cp1252"), "Western European"),
    ],
)
def test_unloadable_files_are_errors(tmp_path, content, words):
    write(tmp_path / "c" / "bad.txt", content)
    write(tmp_path / "c" / "good.txt", ARTICLE)
    table = validate_corpus(tmp_path / "c")
    assert table[["source", "severity"]].values.tolist() == [["bad.txt", "error"]]
    assert words in table["problem"].iloc[0]
    with pytest.raises(CorpusError):
        load_corpus(tmp_path / "c" / "bad.txt")


# --- encodings and clean-up ------------------------------------------------------------------

TEXTS = [
    "Путин и Макрон.",
    "Мир.",
    "ВСУ отступили.",
    "Санкции продлены на полгода.",
    "В Кремле заявили, что ответят.",
    "СРОЧНО: ЕВРОСОЮЗ ВЫДЕЛИЛ УКРАИНЕ КРЕДИТ НА ДВА ГОДА",
    "«Мы готовы к диалогу», — сказал эксперт. Ещё ёлка, объём, №5.",
    ARTICLE,
    ARTICLE.upper(),
    ARTICLE.lower(),
    (ARTICLE + "\n") * 40,
]
UKRAINIAN = "Київ і Брюссель узгодили кредит. Зеленський наголосив, що Європа є партнером України."


def encode_with_bom(text: str, encoding: str) -> bytes:
    if encoding in ("utf-16-le", "utf-16-be"):
        return ("\ufeff" + text).encode(encoding)
    return text.encode(encoding)


def encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:  # KOI8-R has no «», №, і
        return False
    return True


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        pytest.param(text, encoding, id=f"t{i}-{encoding}")
        for i, text in enumerate(TEXTS)
        for encoding in ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8-r"]
        if encodable(text, encoding)
    ],
)
def test_encodings_decode_to_the_original(tmp_path, text, encoding):
    docs = load_corpus(write(tmp_path / "a.txt", encode_with_bom(" date 2026-01-06\n" + text, encoding)))
    assert docs["text"].iloc[0] == text.strip()
    assert docs["date"].iloc[0] == pd.Timestamp("2026-01-06")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1251"])
def test_ukrainian_text_decodes(tmp_path, encoding):
    docs = load_quietly(write(tmp_path / "a.txt", UKRAINIAN.encode(encoding)))
    assert docs["text"].iloc[0] == UKRAINIAN


def test_cp1251_and_koi8r_on_many_short_phrases():
    phrases = [
        "Саммит в Париже завершился без итогового заявления",
        "Переговоры продолжатся на следующей неделе в Женеве",
        "Зеленский встретился с Трампом во Флориде",
        "Энергосистема Украины работает на пределе возможностей",
        "Лавров обвинил Запад в затягивании конфликта",
        "курс рубля снова упал после заявления ЦБ",
        "Брюссель согласовал новый пакет санкций",
        "ЧТО ИЗВЕСТНО О ПЛАНЕ ИЗ 28 ПУНКТОВ",
        "Как сообщает Bloomberg, сделка близка",
        "По данным Reuters, документ не утвержден",
    ]
    for phrase in phrases:
        for encoding in ("cp1251", "koi8-r"):
            text, used, _ = decode_bytes(phrase.encode(encoding))
            assert (text, used) == (phrase, encoding), (phrase, encoding)


def test_one_word_is_ambiguous_and_a_wrong_guess_comes_with_a_note(tmp_path):
    text, used, note = decode_bytes("мир".encode("cp1251"))
    assert (text, used) == ("мир", "cp1251") and "guessed as CP1251" in note
    for word in ["по", "ПО", "он", "огня.", "для", "без", "что", "мир"]:
        for encoding in ("cp1251", "koi8-r"):
            text, used, note = decode_bytes(word.encode(encoding))
            assert text == word or note is not None, (word, encoding, text)
    # in a corpus the note is a warning: the article is loaded, the caveat is in the table
    docs = load_quietly(write(tmp_path / "a.txt", "по".encode("cp1251")))
    assert problem_rows(tmp_path / "a.txt") == [("a.txt", "warning")] and len(docs) == 1


def test_clean_up_rules(tmp_path):
    nfd = unicodedata.normalize("NFD", "Йошкар-Ола и ёлка")
    raw = "\ufeff  \n" + nfd + "\r\nвторая  строка\tс табуляцией\rтретья\u00a0строка \n\n"
    docs = load_quietly(write(tmp_path / "a.txt", raw))
    text = docs["text"].iloc[0]
    assert text == "Йошкар-Ола и ёлка\nвторая  строка\tс табуляцией\nтретья\u00a0строка"
    assert unicodedata.is_normalized("NFC", text)
    assert "ё" in text  # no ё folding


def test_utf8_with_a_few_broken_bytes_loads_with_a_warning(tmp_path):
    data = ARTICLE.encode("utf-8")
    data = data[:50] + b"\xff" + data[50:]
    docs = load_quietly(write(tmp_path / "a.txt", data))
    assert "\ufffd" in docs["text"].iloc[0]
    table = problems_of(docs)
    assert table["severity"].tolist() == ["warning"] and "replaced" in table["problem"].iloc[0]


def test_decode_bytes_rejects_binary():
    with pytest.raises(ValueError, match="binary"):
        decode_bytes(b"abc\x00def")
    assert decode_bytes("\ufeffтекст".encode("utf-8")) == ("текст", "utf-8-sig", None)


# --- tables ----------------------------------------------------------------------------------


def test_csv_table_with_case_insensitive_columns(tmp_path):
    path = write(
        tmp_path / "scrape.csv",
        "ID,Date,Source,TITLE,Lang,Text,Views,Section\n"
        f"7,2026-01-06,ЕвроЭфир,Саммит,ru,\"{ARTICLE}\",1200,политика\n"
        f"a2,06.01.2026,Киевский курьер,,uk,\"{UKRAINIAN}\",,\n",
    )
    docs = load_quietly(path)
    assert list(docs.columns) == [*CORE_COLUMNS, "Views", "Section", *COPY_COLUMNS]
    assert docs["doc_id"].tolist() == ["7", "a2"]
    assert docs["date"].tolist() == [pd.Timestamp("2026-01-06")] * 2
    assert docs["outlet"].tolist() == ["ЕвроЭфир", "Киевский курьер"]
    assert docs["title"].isna().tolist() == [False, True]
    assert docs["text"].tolist() == [ARTICLE, UKRAINIAN]
    assert docs["Views"].tolist()[0] == "1200" and pd.isna(docs["Views"].iloc[1])  # CSV values are text


def test_csv_without_id_numbers_its_rows(tmp_path):
    rows = "".join(f"\"Статья номер {i}.\nВторой абзац.\"\n" for i in range(1, 12))
    docs = load_quietly(write(tmp_path / "news.csv", "text\n" + rows))
    assert sorted(docs["doc_id"]) == docs["doc_id"].tolist()
    assert set(docs["doc_id"]) == {f"news-{i}" for i in range(1, 12)}
    assert docs.set_index("doc_id").loc["news-10", "text"] == "Статья номер 10.\nВторой абзац."


def test_csv_row_problems_name_file_and_line(tmp_path):
    path = write(
        tmp_path / "t.csv",
        "id,date,text\n"  # line 1
        "a,2026-01-05,\"Первая статья,\nв две строки.\"\n"  # lines 2-3
        "b,2026-01-06,Вторая статья,лишнее поле\n"  # line 4: wrong field count
        "c,2026-01-07,\n"  # line 5: empty text
        "d,2026-31-01,Четвертая статья.\n"  # line 6: bad date
        "a,2026-01-08,Повтор идентификатора.\n"  # line 7: duplicated id
        "\n"  # line 8: blank, ignored
        "e,,\" date 2026-01-09 Пятая статья.\"\n"  # line 9: fine, date from the header
        "f,2026-01-10,\"незакрытая кавычка\n"  # line 10: unclosed quote to the end
        "g,2026-01-11,Седьмая статья.\n",
    )
    table = validate_corpus(path)
    assert table[["source", "severity"]].values.tolist() == [
        ["t.csv:4", "error"],
        ["t.csv:5", "error"],
        ["t.csv:6", "error"],
        ["t.csv:7", "error"],
        ["t.csv:10", "error"],
    ]
    problem = dict(zip(table["source"], table["problem"]))
    assert "4 field(s) where the header has 3" in problem["t.csv:4"]
    assert "empty" in problem["t.csv:5"]
    assert "2026-31-01" in problem["t.csv:6"]
    assert "'a' is already used on line 2" in problem["t.csv:7"]
    assert "lines 10–11 were not read" in problem["t.csv:10"]
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    message = str(caught.value)
    assert all(f"t.csv:{n}:" in message for n in (4, 5, 6, 7, 10))
    with pytest.warns(CorpusWarning, match="Skipped 5 input"):
        docs = load_corpus(path, errors="skip")
    assert docs["doc_id"].tolist() == ["a", "e"]
    assert docs["text"].tolist() == ["Первая статья,\nв две строки.", "Пятая статья."]
    assert docs["date"].tolist() == [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-09")]


def test_csv_unparsable_header_or_rows(tmp_path):
    header = validate_corpus(write(tmp_path / "h.csv", 'id,"te"xt\n1,Статья\n'))
    assert header[["source", "severity"]].values.tolist() == [["h.csv:1", "error"]]
    assert "header line cannot be parsed" in header["problem"].iloc[0]
    rows = validate_corpus(write(tmp_path / "r.csv", 'id,text\n1,"Стат"ья\n2,"Другая"x\n'))
    assert rows[["source", "severity"]].values.tolist() == [["r.csv:2", "error"], ["r.csv:3", "error"]]  # no "no rows" on top


def test_clashing_column_names_are_renamed_with_a_warning(tmp_path):
    table = write(tmp_path / "t.csv", "text,outlet,source,duplicate_of,Text\nСтатья.,A,B,x,y\n")
    docs = load_quietly(table)
    assert list(docs.columns) == [*CORE_COLUMNS, "source", "Text_2", *COPY_COLUMNS]  # the copy columns are recomputed
    assert docs[["outlet", "source", "Text_2"]].iloc[0].tolist() == ["A", "B", "y"]
    assert docs["text"].iloc[0] == "Статья." and pd.isna(docs["duplicate_of"].iloc[0])
    assert problem_rows(table) == [("t.csv", "warning")]
    write(tmp_path / "c" / "a.txt", ARTICLE)
    write(tmp_path / "c" / "metadata.csv", "file,doc_id,outlet\na.txt,42,A\n")
    docs = load_quietly(tmp_path / "c")
    assert docs[["doc_id", "doc_id_2", "outlet"]].iloc[0].tolist() == ["a", "42", "A"]


def test_table_without_text_column_is_an_error(tmp_path):
    path = write(tmp_path / "t.csv", "id,body\n1,Статья\n2,Другая\n")
    table = validate_corpus(path)
    assert table[["source", "severity"]].values.tolist() == [["t.csv", "error"]]
    assert "no text column" in table["problem"].iloc[0] and "2 row(s)" in table["problem"].iloc[0]


@pytest.mark.parametrize(("content", "words"), [("", "empty"), ("id,text\n", "no rows")])
def test_empty_tables_are_errors(tmp_path, content, words):
    table = validate_corpus(write(tmp_path / "t.csv", content))
    assert table["severity"].tolist() == ["error"] and words in table["problem"].iloc[0]


def test_csv_with_semicolons_in_cp1251(tmp_path):
    path = write(tmp_path / "t.csv", f"id;outlet;text\n1;ЕвроЭфир;\"{ARTICLE}\"\n2;Курьер;{OTHER.splitlines()[0]}\n", "cp1251")
    docs = load_quietly(path)
    assert docs["outlet"].tolist() == ["ЕвроЭфир", "Курьер"]
    assert docs["text"].tolist() == [ARTICLE, OTHER.splitlines()[0]]


def test_jsonl_table(tmp_path):
    lines = [
        {"id": 1, "text": ARTICLE, "date": "2026-01-06T23:30:00+03:00", "views": 10, "tags": ["мир"]},
        "{not json",
        [1, 2],
        {"id": 2, "date": "2026-01-07"},
        {"id": 3, "text": 42},
        {"id": 4, "text": OTHER, "date": "вчера"},
        {"id": 5, "text": OTHER, "Outlet": "ЕвроЭфир", "views": 7},
    ]
    body = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    path = write(tmp_path / "t.jsonl", body + "\n\n")
    table = validate_corpus(path)
    assert table[["source", "severity"]].values.tolist() == [[f"t.jsonl:{n}", "error"] for n in (2, 3, 4, 5, 6)]
    assert "Invalid JSON" in table["problem"].iloc[0]
    assert "not an object" in table["problem"].iloc[1]
    assert "empty" in table["problem"].iloc[2]
    assert "not a string" in table["problem"].iloc[3]
    assert "вчера" in table["problem"].iloc[4]
    with pytest.warns(CorpusWarning):
        docs = load_corpus(path, errors="skip")
    assert docs["doc_id"].tolist() == ["1", "5"]
    assert docs["date"].iloc[0] == pd.Timestamp("2026-01-06 23:30")  # the local clock time is kept
    assert docs["outlet"].isna().tolist() == [True, False]
    assert docs["views"].tolist() == [10, 7] and docs["views"].dtype == np.int64  # JSON types kept
    assert docs["tags"].iloc[0] == ["мир"]


def test_parquet_table(tmp_path):
    frame = pd.DataFrame(
        {
            "doc_id": ["x1", "x2", "x3", "x1"],
            "date": pd.to_datetime(["2026-01-06 10:00", None, "2026-01-08", "2026-01-09"], format="ISO8601"),
            "text": [ARTICLE, OTHER, None, "Повтор."],
            "score": [0.5, 1.5, 2.5, 3.5],
        }
    )
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    table = validate_corpus(path)
    assert table[["source", "severity"]].values.tolist() == [["t.parquet:3", "error"], ["t.parquet:4", "error"]]
    assert "already used on row 1" in table["problem"].iloc[1]
    with pytest.warns(CorpusWarning):
        docs = load_corpus(path, errors="skip")
    assert docs["doc_id"].tolist() == ["x1", "x2"]
    assert docs["date"].iloc[0] == pd.Timestamp("2026-01-06 10:00") and pd.isna(docs["date"].iloc[1])
    assert docs["score"].tolist() == [0.5, 1.5]


def test_damaged_parquet_is_an_error(tmp_path):
    table = validate_corpus(write(tmp_path / "t.parquet", b"PAR1 not really"))
    assert table[["source", "severity"]].values.tolist() == [["t.parquet", "error"]]


def test_header_in_a_table_text_disagreeing_with_the_date_column(tmp_path):
    path = write(tmp_path / "t.csv", f"text,date\n\" date 2026-01-06\n{OTHER}\",2026-02-01\n")
    docs = load_quietly(path)
    assert docs["date"].iloc[0] == pd.Timestamp("2026-01-06") and docs["text"].iloc[0] == OTHER
    assert problem_rows(path) == [("t.csv:2", "warning")]


# --- errors, warnings and the problem table --------------------------------------------------


@pytest.fixture
def messy(tmp_path) -> Path:
    root = tmp_path / "messy"
    write(root / "outlet_a" / "good1.txt", " date 2026-01-06\n" + ARTICLE)
    write(root / "outlet_a" / "good2.txt", OTHER.encode("cp1251"))
    write(root / "outlet_a" / "copy.txt", " date 2026-01-06 " + ARTICLE)
    write(root / "outlet_a" / "empty.txt", "  \n")
    write(root / "outlet_a" / "header_only.txt", " date 2026-01-07\n")
    write(root / "outlet_b" / "bad_date.txt", " date 2026-13-45\nТекст.")
    write(root / "outlet_b" / "binary.txt", b"\x00\x01\x02\x03binary")
    write(root / "outlet_b" / "utf16.txt", encode_with_bom("Статья в UTF-16 о переговорах в Женеве.", "utf-16-be"))
    write(root / "outlet_b" / "no_meta.txt", "Статья без строки метаданных.")
    write(root / "outlet_b" / "report.docx", b"PK\x03\x04")
    write(
        root / "metadata.csv",
        "file,outlet,title,date\n"
        "outlet_a/good1.txt,A,Один,2026-01-05\n"  # header wins: a warning
        "outlet_a/good2.txt,A,Два,2026-01-02\n"
        "outlet_a/copy.txt,A,Копия,\n"
        "outlet_a/empty.txt,A,Пусто,\n"
        "outlet_a/ghost.txt,A,Призрак,\n"  # does not exist
        "outlet_b/utf16.txt,B,Юникод,31.01.2026\n"
        "outlet_b/bad_date.txt,B,Дата,\n",
    )
    return root


def test_nothing_is_lost_silently(messy):
    """Every input file and metadata row ends up as a corpus row or in the problem table."""
    with pytest.warns(CorpusWarning):
        docs = load_corpus(messy, errors="skip")
    table = problems_of(docs)
    loaded = {f"{d}.txt" for d in docs["doc_id"]}
    reported = set(table["source"])
    files = {p.relative_to(messy).as_posix() for p in messy.rglob("*") if p.is_file()} - {"metadata.csv"}
    for name in files:
        assert name in loaded or name in reported, name
    assert loaded.isdisjoint(table.loc[table["severity"] == "error", "source"])  # errors are not loaded
    meta = pd.read_csv(messy / "metadata.csv")
    for line, name in enumerate(meta["file"], start=2):
        assert name in loaded or name in reported or f"metadata.csv:{line}" in reported, name
    assert docs["doc_id"].tolist() == ["outlet_a/copy", "outlet_a/good1", "outlet_a/good2", "outlet_b/no_meta", "outlet_b/utf16"]
    assert table[["source", "severity"]].values.tolist() == [
        ["metadata.csv:6", "error"],
        ["outlet_a/empty.txt", "error"],
        ["outlet_a/good1.txt", "warning"],  # header date vs metadata
        ["outlet_a/good1.txt", "warning"],  # duplicate of copy
        ["outlet_a/header_only.txt", "error"],
        ["outlet_b/bad_date.txt", "error"],
        ["outlet_b/binary.txt", "error"],
        ["outlet_b/no_meta.txt", "warning"],
        ["outlet_b/report.docx", "warning"],
    ]


def test_corpus_error_lists_every_error_at_once(messy):
    with pytest.raises(CorpusError) as caught:
        load_corpus(messy)
    error = caught.value
    assert isinstance(error, ValueError)
    expected = validate_corpus(messy)
    assert error.problems.equals(expected)
    errors = expected[expected["severity"] == "error"]
    lines = [line.strip() for line in str(error).splitlines()]
    for source, problem in zip(errors["source"], errors["problem"]):
        assert f"{source}: {problem}" in lines
    assert "5 error(s)" in lines[0]
    assert "errors='skip'" in str(error)


def test_skip_warns_once_with_a_count(messy):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = load_corpus(messy, errors="skip")
    assert len(caught) == 1
    assert issubclass(caught[0].category, CorpusWarning) and issubclass(caught[0].category, UserWarning)
    message = str(caught[0].message)
    assert "Skipped 5 input(s)" in message and "validate_corpus(" in message
    assert caught[0].filename == __file__  # points at the caller
    assert len(docs) == 5


def test_clean_corpus_is_silent(clean_folder, capsys):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = load_corpus(clean_folder)
        validate_corpus(clean_folder)
    assert caught == [] and len(docs) == 3
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError, match="errors must be 'raise' or 'skip'"):
        load_corpus(tmp_path, errors="ignore")
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_corpus(missing)
    with pytest.raises(FileNotFoundError, match="nowhere"):
        validate_corpus(missing)
    with pytest.raises(ValueError, match=r"\.docx"):
        load_corpus(write(tmp_path / "a.docx", b"PK"))


def test_problem_table_shape_and_order(tmp_path):
    lines = "".join(f"{i},\n" for i in range(1, 13))  # every row has an empty text
    path = write(tmp_path / "t.csv", "id,text\n" + lines)
    table = validate_corpus(path)
    assert list(table.columns) == PROBLEM_COLUMNS
    assert all(table[c].dtype == "str" for c in PROBLEM_COLUMNS)
    assert table["source"].tolist() == [f"t.csv:{n}" for n in range(2, 14)]  # numeric line order
    assert validate_corpus(path).equals(table)  # deterministic


def test_loaded_corpora_concatenate_and_merge(clean_folder, tmp_path):
    docs = load_quietly(clean_folder)
    other = load_quietly(write(tmp_path / "x.txt", "Отдельная статья о переговорах."))
    both = pd.concat([docs, other], ignore_index=True)
    assert len(both) == 4
    merged = docs.merge(docs[["doc_id", "outlet"]].rename(columns={"outlet": "o"}), on="doc_id")
    assert merged["o"].tolist() == docs["outlet"].tolist()
    assert problems_of(docs.iloc[:2]).equals(problems_of(docs))


def test_saved_corpus_loads_back(clean_folder, tmp_path):
    docs = load_quietly(clean_folder)
    docs.to_parquet(tmp_path / "saved.parquet")  # the problems in attrs are plain records
    docs.to_csv(tmp_path / "saved.csv", index=False)
    for saved in ("saved.parquet", "saved.csv"):
        back = load_quietly(tmp_path / saved)
        assert back["doc_id"].tolist() == docs["doc_id"].tolist()
        assert back["text"].tolist() == docs["text"].tolist()
        assert back["date"].tolist() == docs["date"].tolist()
        assert back["section"].isna().tolist() == docs["section"].isna().tolist()
        assert list(back.columns) == list(docs.columns) and problems_of(back).empty


# --- property-based tests --------------------------------------------------------------------

RU_WORDS = (
    "в и не на что с по как это к но из у за от о так для уже или при до после без через если "
    "когда также только еще может этот который более году время президент правительство страна "
    "переговоры санкции война мир армия Украина Россия Европа Франция Германия Кремль Париж Киев "
    "Москва саммит декларация гарантии безопасность поддержка кредит энергетика удары зима фронт "
    "эксперты заявил сообщил отметил подчеркнул добавил признал предупредил министр лидеры встреча "
    "коалиция добровольцев союзники решение вопрос проект план пункты территории газ нефть рубль "
    "евро доллар рынок экономика выборы парламент закон суд журналисты новости источники данные"
).split()
UK_WORDS = "і в на що як це та але його які також між Київ Україна уряд переговори підтримка гарантії безпеки".split()


@st.composite
def cyrillic_texts(draw, words=RU_WORDS):
    picked = draw(st.lists(st.sampled_from(words), min_size=6, max_size=60))
    mode = draw(st.sampled_from(["sentence", "lower", "title", "upper"]))
    out = []
    for i, word in enumerate(picked):
        if mode == "upper":
            word = word.upper()
        elif mode == "lower":
            word = word.lower()
        elif mode == "title" or (mode == "sentence" and (i == 0 or out[-1].endswith((".", "\n")))):
            word = word[:1].upper() + word[1:]
        out.append(word + draw(st.sampled_from([" ", " ", " ", ", ", ". ", " — ", "\n", "\r\n", "\r"])))
    return "".join(out)


def normalised(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")).strip()


headers = st.one_of(
    st.just(""),
    st.builds(
        lambda lead, day, sep: f"{lead}date {day}{sep}",
        st.sampled_from(["", " ", "  "]),
        st.one_of(st.dates().map(str), st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True)),
        st.sampled_from([" ", "\n", "\r\n", "\t"]),
    ),
)
PROPERTY = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def load_bytes(data: bytes) -> pd.DataFrame | None:
    """Load ``data`` as a .txt article: the frame, or None when the loader refuses it cleanly."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(data)
        try:
            docs = load_corpus(path)
        except CorpusError as exc:
            assert len(exc.problems) and (exc.problems["severity"] == "error").any()
            return None
    assert list(docs.columns[:6]) == CORE_COLUMNS and len(docs) == 1
    return docs


@PROPERTY
@given(st.binary(max_size=2000))
def test_random_bytes_load_or_raise_corpus_error(data):
    load_bytes(data)


@PROPERTY
@given(
    text=st.text(max_size=300),
    header=headers,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"]),
)
def test_random_texts_in_random_encodings_load_or_raise(text, header, encoding):
    try:
        data = (header + text).encode(encoding)
    except UnicodeEncodeError:
        data = (header + text).encode(encoding, errors="replace")
    docs = load_bytes(data)
    if docs is not None and encoding.startswith("utf"):  # lossless encodings: exact round trip
        assert docs["text"].iloc[0] == normalised(text)
        if header:
            assert docs["date"].iloc[0] == pd.Timestamp(header.split()[1])


@PROPERTY
@given(
    text=st.one_of(cyrillic_texts(), cyrillic_texts(UK_WORDS + RU_WORDS)),
    day=st.dates(min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2040-12-31").date()),
    lead=st.sampled_from(["", " "]),
    sep=st.sampled_from([" ", "\n", "\r\n"]),
    encoding=st.sampled_from(["cp1251", "koi8-r", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]),
)
def test_cyrillic_texts_round_trip_through_legacy_encodings(text, day, lead, sep, encoding):
    raw = f"{lead}date {day}{sep}{text}"
    try:
        data = encode_with_bom(raw, encoding)
    except UnicodeEncodeError:  # Ukrainian letters are not in KOI8-R
        data = encode_with_bom(raw, "cp1251")
    docs = load_bytes(data)
    assert docs is not None
    assert docs["text"].iloc[0] == normalised(text)
    assert docs["date"].iloc[0] == pd.Timestamp(day)


def test_with_groups_keeps_articles_without_a_group():
    from helpers.corpus import with_groups

    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", None, ""]})
    with pytest.warns(DeprecationWarning, match="corpus.groups"):
        assert with_groups(docs, "outlet")["outlet"].tolist() == ["X", "(unknown)", "(unknown)"]
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="no column 'edition'.*doc_id, outlet"):
        with_groups(docs, "edition")


def test_add_metadata_keeps_row_order_and_explains_missing_columns():
    from helpers.corpus import add_metadata

    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["X", "Y"]})
    frame = pd.DataFrame({"doc_id": ["b", "a", "b"], "n": [1, 2, 3]})
    with pytest.warns(DeprecationWarning, match="corpus.meta"):
        assert add_metadata(frame, docs, "outlet")[["doc_id", "outlet", "n"]].values.tolist() == [["b", "Y", 1], ["a", "X", 2], ["b", "Y", 3]]
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match=r"no column \['date'\].*doc_id, outlet"):
        add_metadata(frame, docs, ["date"])


def test_doc_values_and_token_values_read_one_rule():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["Север", None], "date": pd.to_datetime(["2026-01-02", None]),
                         "lang": "ru", "text": ["Министр заявил о переговорах.", "Переговоры продолжатся завтра утром."]})
    corpus = build_corpus(docs, cache=False)
    assert corpus.doc_values("outlet").tolist() == ["Север", "(unknown)"]  # a missing group reads "(unknown)"
    assert pd.isna(corpus.doc_values("date")[1])  # a date stays a date (missing, not "(unknown)")
    per_token = corpus.token_values("outlet")
    assert len(per_token) == len(corpus.tokens)
    assert per_token.tolist() == corpus.doc_values("outlet")[corpus.doc_codes].tolist()
    assert set(per_token[corpus.doc_codes == 1]) == {"(unknown)"}
