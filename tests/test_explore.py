"""The explorers' logic, driven from Python as a person drives the widgets (no browser).

The small corpus below was written for these tests. Hand counts used throughout:

- «санкция» (lemma): sever/a1 «санкции» ×2; yug/b1 «санкции»; yug/b2 «санкциями»; so Север
  2 hits in 1 document, Юг 2 hits in 2 documents, Запад 0. The regular expression ^санкц also
  finds «Санкционный» (zapad/c2): Запад 1.
- Actors (ACTORS below): Макрон in a1, a2, b1, c2 (Север 2, Юг 1, Запад 1); Зеленский in a1, a2,
  c1; Путин in a2, b1; Россия in b1, c2. Sentences with two actors: a2 «Макрон и Зеленский
  обсудили…» and c2 «…против России усилят, сказал Макрон.», so Macron's partners are Zelensky
  and Russia, one shared sentence each.
- Frame ``sanctions`` (FRAMES): a1 «санкции», «теневого флота», «санкции» (3); b1 «санкции»;
  b2 «санкциями»; c2 «Санкционный»: 6 hits, Север 3 in 1 document, Юг 2 in 2, Запад 1 in 1.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from helpers import actors, explore, framing, frequency, kwic, stats
from helpers.corpus import build_corpus, load_corpus

DOCS = pd.DataFrame(
    {
        "doc_id": ["sever/a1", "sever/a2", "yug/b1", "yug/b2", "zapad/c1", "zapad/c2"],
        "outlet": ["Север", "Север", "Юг", "Юг", "Запад", "Запад"],
        "title": ["Новые санкции против флота", "Коалиция желающих собралась в Париже", "Москва отвергла план", "Бюджет и цены", "Репортаж без даты", "Заявление коалиции"],
        "date": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-01-07", "2026-01-20", None, "2026-01-09"]),
        "lang": ["ru"] * 6,
        "text": [
            "Евросоюз готовит новые санкции против теневого флота. Макрон заявил, что санкции останутся до конца переговоров.\n"
            "Зеленский поблагодарил партнеров за поддержку.",
            "Коалиция желающих собралась в Париже. Макрон и Зеленский обсудили гарантии безопасности. Путин в Париж не приглашен.",
            "Путин назвал санкции незаконными. Россия готова к диалогу, но не к уступкам.\nМакрон ответил, что давление сохранится.",
            "Цены на бензин снова выросли. Эксперты связывают рост цен с бюджетным дефицитом, а не с санкциями.",
            "Жители прифронтовых городов ждут перемирия. Зеленский посетил Харьков и встретился с военными.",
            "Участники коалиции желающих пообещали помощь. Санкционный режим против России усилят, сказал Макрон.",
        ],
    }
)

ACTORS = pd.DataFrame(
    [
        ("macron", "Эммануэль Макрон", "person", "Макрон", False, "ru"),
        ("zelensky", "Владимир Зеленский", "person", "Зеленский", False, "ru"),
        ("putin", "Владимир Путин", "person", "Путин", False, "ru"),
        ("russia", "Россия", "state", "Россия", False, "ru"),
    ],
    columns=["actor", "label", "type", "alias", "metonym", "lang"],
)

FRAMES = pd.DataFrame(
    {
        "frame": ["sanctions", "sanctions", "sanctions", "security", "security"],
        "cue": ["санкция", "теневой флот", "санкционный", "гарантии безопасности", "военный"],
        "lang": ["ru"] * 5,
    }
)

LINE_COLUMNS = ["doc_id", "start", "end", "left", "match", "right"]


@pytest.fixture(scope="module")
def corpus():
    return build_corpus(DOCS, mwes=None, cache=False)


@pytest.fixture(scope="module")
def corpus_mwe():
    return build_corpus(DOCS, mwes=["коалиция желающих", "гарантии безопасности"], cache=False)


@pytest.fixture(scope="module")
def teaching():
    """Every third article of the teaching corpus (56 Russian ones): real text, built in a second or two."""
    return build_corpus(load_corpus("corpus/articles").iloc[::3].reset_index(drop=True), cache=False)


def counts_of(explorer) -> dict[str, tuple[int, int]]:
    return {g: (int(h), int(d)) for g, h, d in explorer.counts.itertuples(index=False)}


# --------------------------------------------------------------------------------------------
# Live or detached
# --------------------------------------------------------------------------------------------


def test_interactive_follows_the_environment(monkeypatch):
    monkeypatch.delenv("NEWSFRAMES_WIDGETS", raising=False)
    monkeypatch.setenv("NEWSFRAMES_BATCH", "1")
    assert explore.interactive() is False  # make run, make notebooks, nbval
    monkeypatch.setenv("NEWSFRAMES_WIDGETS", "1")
    assert explore.interactive() is True  # forced on
    monkeypatch.setenv("NEWSFRAMES_WIDGETS", "0")
    monkeypatch.delenv("NEWSFRAMES_BATCH")
    assert explore.interactive() is False  # forced off
    monkeypatch.delenv("NEWSFRAMES_WIDGETS")
    monkeypatch.delenv("CI", raising=False)
    assert explore.interactive() is False  # pytest is no notebook front end


def test_detached_explorers_open_no_comm(corpus, monkeypatch):
    """Detached widgets send nothing to a notebook (so no model id reaches its metadata)."""
    import comm

    opened = []
    original = comm.create_comm

    def recording(*args, **kwargs):
        opened.append(kwargs.get("target_name"))
        return original(*args, **kwargs)

    monkeypatch.setattr(comm, "create_comm", recording)
    explore.KwicExplorer(corpus, by="outlet", detached=True)
    assert opened == []
    explore.KwicExplorer(corpus, by="outlet", detached=False)
    assert opened and set(opened) == {"jupyter.widget"}  # a live explorer opens its comms
    assert comm.create_comm is recording  # the detached build put the kernel's function back


def test_detached_display_is_the_static_summary(corpus):
    first = explore.kwic_explorer(corpus, by="outlet", query="санкция")
    bundle = first._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}  # no widget view, no model id
    assert "model_id" not in json.dumps(bundle)
    assert bundle["text/plain"].splitlines()[0] == "KWIC explorer: «санкция», 4 hits"  # 2 + 2 + 0
    assert explore.kwic_explorer(corpus, by="outlet", query="санкция")._repr_mimebundle_() == bundle  # deterministic
    table = explore.summary(first)
    assert table.to_dict("list") == {"outlet": ["Запад", "Север", "Юг"], "hits": [0, 2, 2], "docs": [0, 1, 2]}
    with pytest.raises(TypeError, match="explorer"):
        explore.summary(table)


# --------------------------------------------------------------------------------------------
# KWIC
# --------------------------------------------------------------------------------------------


def test_typing_a_query_updates_lines_and_counts_as_kwic_gives_them(corpus):
    kx = explore.kwic_explorer(corpus, by="outlet", top=50)
    assert kx.total == 0 and kx._index is None  # nothing computed before the first query
    kx.query.value = "санкция"
    assert counts_of(kx) == {"Запад": (0, 0), "Север": (2, 1), "Юг": (2, 2)}
    ref = kwic.kwic(corpus, "санкция", by="outlet")
    per_group = ref.groupby("outlet").agg(hits=("match", "size"), docs=("doc_id", "nunique"))
    assert {g: (int(r.hits), int(r.docs)) for g, r in per_group.iterrows()} == {"Север": (2, 1), "Юг": (2, 2)}
    pd.testing.assert_frame_equal(kx.lines[LINE_COLUMNS], ref[LINE_COLUMNS])
    assert kx.lines["match"].tolist() == ["санкции", "санкции", "санкции", "санкциями"]
    assert kx.lines["title"].iloc[0] == "Новые санкции против флота"
    assert kx.total == 4
    # The regular expression also finds «Санкционный» in zapad/c2.
    kx.unit.value = "regex"
    kx.query.value = "^санкц"
    assert counts_of(kx) == {"Запад": (1, 1), "Север": (2, 1), "Юг": (2, 2)}
    pd.testing.assert_frame_equal(kx.lines[LINE_COLUMNS], kwic.kwic(corpus, "^санкц", regex=True)[LINE_COLUMNS])


def test_group_filter_sort_and_paging(corpus):
    kx = explore.kwic_explorer(corpus, by="outlet", query="санкция", top=3)
    ref = kwic.kwic(corpus, "санкция", by="outlet", sort="right")
    kx.sort.value = "right"
    pd.testing.assert_frame_equal(kx.lines[LINE_COLUMNS], ref[LINE_COLUMNS].head(3))
    kx.next.click()
    assert kx.page == 1 and kx.next.disabled and not kx.previous.disabled
    pd.testing.assert_frame_equal(kx.lines[LINE_COLUMNS], ref[LINE_COLUMNS].iloc[3:].reset_index(drop=True))
    assert "lines 4–4 of 4" in kx.page_label.value
    # By date: a1 (01-05) twice, b1 (01-07), b2 (01-20).
    kx.sort.value = "date"
    assert kx.page == 0
    assert kx.lines["doc_id"].tolist() == ["sever/a1", "sever/a1", "yug/b1"]
    pd.testing.assert_frame_equal(kx.lines[LINE_COLUMNS], kwic.kwic(corpus, "санкция", sort="date")[LINE_COLUMNS].head(3))
    kx.group.value = "Юг"
    assert kx.total == 2 and kx.lines["outlet"].tolist() == ["Юг", "Юг"]
    assert counts_of(kx)["Север"] == (2, 1)  # the counts always show every group


def test_lines_show_the_match_highlighted_with_title_outlet_and_date(corpus):
    kx = explore.kwic_explorer(corpus, by="outlet", query="санкциями")  # a form: the lemma's hits
    assert kx.total == 4
    html = kx.lines_html.value
    assert html.count("<mark class='nf-match'>") == 4
    assert "<mark class='nf-match'>санкциями</mark>" in html
    assert "Бюджет и цены · Юг · 2026-01-20" in html
    assert "<tr data-group='Юг'>" in kx.counts_html.value


def test_phrases_forms_and_bad_queries(corpus):
    kx = explore.kwic_explorer(corpus, by="outlet", query="коалицией желающих")
    # «Коалиция желающих» (a2), «коалиции желающих» (c2).
    assert counts_of(kx) == {"Запад": (1, 1), "Север": (1, 1), "Юг": (0, 0)}
    assert kx.lines["match"].tolist() == ["Коалиция желающих", "коалиции желающих"]
    kx.unit.value = "token"
    kx.query.value = "Санкции"  # the form as written: a1 twice, b1 once (not «санкциями»)
    assert kx.total == 3
    kx.unit.value = "regex"
    kx.query.value = "(("
    assert kx.total == 0 and "Not a valid regular expression" in kx.status.value
    kx.unit.value = "lemma"
    kx.query.value = "эмбарго"
    assert kx.total == 0 and "No hits" in kx.message


QUERIES = [("санкция", "lemma", False), ("санкциями", "lemma", False), ("коалиция желающих", "lemma", False),
           ("коалиции желающих", "lemma", False), ("гарантии безопасности", "lemma", False), ("прекращение огня", "lemma", False),
           (r"^санкц", "lemma", True), (r"^Макрон", "token", True), ("Кремль", "lemma", False), ("никакогослова", "lemma", False)]


@pytest.mark.parametrize("fixture", ["corpus", "corpus_mwe", "teaching"])
def test_the_index_finds_exactly_what_find_terms_finds(fixture, request):
    data = request.getfixturevalue(fixture)
    index = explore.KwicIndex(data)
    # On the teaching corpus, one query of each kind (each new phrase costs a lexicon pass).
    queries = QUERIES if fixture != "teaching" else [QUERIES[i] for i in (0, 3, 5, 6, 7)]
    for query, unit, regex in queries:
        expected = kwic.find_terms(data, query, unit=unit, regex=regex)
        got = index.find(query, unit=unit, regex=regex)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False, obj=query)
    if fixture == "teaching":  # the corpus is built to hold these: the test must compare real hits
        assert len(index.find("санкция")) > 10 and len(index.find("коалиция желающих")) > 10


# --------------------------------------------------------------------------------------------
# Actors
# --------------------------------------------------------------------------------------------


def test_actor_explorer_counts_network_and_evidence(corpus):
    mentions = actors.find_actors(corpus, ACTORS)
    ax = explore.actor_explorer(corpus, mentions, by="outlet")
    assert ax.actor is None  # lazy: nothing until shown or picked
    ax.start()  # what displaying it does: list the actors, show the most mentioned
    # Macron 4 mentions, Zelensky 3, Putin 2, Russia 2 (ties by id).
    assert [v for _, v in ax.picker.options] == ["macron", "zelensky", "putin", "russia"]
    assert ax.actor == "macron"
    assert ax.by_group[["outlet", "mentions", "docs"]].to_dict("list") == {"outlet": ["Запад", "Север", "Юг"], "mentions": [1, 2, 1], "docs": [1, 2, 1]}
    ref = actors.mention_counts(corpus, mentions, by="outlet")
    assert ref[ref["actor"] == "macron"].set_index("outlet")["mentions"].to_dict() == {"Запад": 1, "Север": 2, "Юг": 1}
    # Monthly: every mention of Macron is in January 2026 (c2 is dated 2026-01-09).
    assert ax.over_time["mentions"].sum() == 4 and set(ax.over_time["period"].astype(str)) == {"2026-01-01"}
    assert ax.partners[["partner", "n_ab"]].to_dict("list") == {"partner": ["russia", "zelensky"], "n_ab": [1, 1]}
    assert "<svg class='nf-ego'" in ax.ego_html.value and "Владимир Зеленский" in ax.ego_html.value
    # Pick the edge to Zelensky: the one sentence of a2, as cooccurrence_evidence gives it.
    ax.partner.value = "zelensky"
    expected = actors.cooccurrence_evidence(corpus, mentions, "macron", "zelensky")
    pd.testing.assert_frame_equal(ax.evidence, expected.reset_index(drop=True))
    assert ax.evidence["doc_id"].tolist() == ["sever/a2"] and ax.evidence["match"].tolist() == ["Макрон"]
    assert "<mark class='nf-partner'>Зеленский</mark>" in ax.evidence_html.value
    assert "Коалиция желающих собралась в Париже" in ax.evidence_html.value


def test_actor_search_and_pick_by_label(corpus):
    ax = explore.actor_explorer(corpus, actors=ACTORS, by="outlet")
    ax.start()
    ax.search.value = "влад"  # both Vladimirs, by mentions: Zelensky 3, Putin 2
    assert [v for _, v in ax.picker.options] == ["zelensky", "putin"]
    assert ax.actor == "zelensky"  # the first match is shown
    ax.picker.value = "putin"
    assert ax.actor == "putin" and ax.partners.empty  # Putin shares no sentence with anyone
    assert "no co-occurring actor" in ax.evidence_html.value
    ax.pick("Россия")
    assert ax.actor == "russia" and ax.partners["partner"].tolist() == ["macron"]
    assert ax.evidence["doc_id"].tolist() == ["zapad/c2"]
    with pytest.raises(ValueError, match="no counted mention"):
        ax.pick("merz")
    assert explore.summary(ax)["mentions"].tolist() == [1, 0, 1]  # Запад c2, Север none, Юг b1


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------


def test_frame_explorer_reads_hits_in_context(corpus):
    fx = explore.frame_explorer(corpus, FRAMES, by="outlet", order="position", frame="sanctions")
    assert len(fx.hits) == 6
    assert explore.summary(fx).to_dict("list") == {"outlet": ["Запад", "Север", "Юг"], "hits": [1, 3, 2], "docs": [1, 1, 2]}
    ev = framing.frame_evidence(corpus, "sanctions", frames=FRAMES, window=12)
    pd.testing.assert_frame_equal(fx.line, ev.iloc[[0]].reset_index(drop=True))
    assert "<mark class='nf-cue'>санкции</mark>" in fx.card_html.value and "hit 1 of 6" in fx.card_html.value
    fx.next.click()
    assert fx.line["match"].tolist() == ["теневого флота"]
    fx.group.value = "Юг"
    assert fx.hits["doc_id"].tolist() == ["yug/b1", "yug/b2"] and fx.current == 0


def test_marking_appends_rows_and_precision_from_reading(corpus, tmp_path):
    path = tmp_path / "reading" / "read_precision.csv"
    fx = explore.frame_explorer(corpus, FRAMES, by="outlet", path=path, order="position", frame="sanctions")
    fx.right.click()  # a1 «санкции»
    fx.wrong.click()  # a1 «теневого флота»
    fx.mark("right")  # a1 second «санкции»
    rows = pd.read_csv(path, dtype=str)
    assert rows.columns.tolist() == explore.READING_COLUMNS
    assert rows[["doc_id", "match", "verdict", "group"]].values.tolist() == [
        ["sever/a1", "санкции", "right", "Север"], ["sever/a1", "теневого флота", "wrong", "Север"], ["sever/a1", "санкции", "right", "Север"]]
    # Offsets in a1: «Евросоюз готовит новые » is 23 characters, «санкции» 23–30, « против » to
    # 38, «теневого флота» 38–52; the second «санкции» follows «…флота. Макрон заявил, что » at 73.
    assert rows[["start", "end"]].astype(int).values.tolist() == [[23, 30], [38, 52], [73, 80]]
    assert fx.current == 3  # each mark moves on
    # 2 right of 3. Wilson 95 % (z = 1.96): centre (2/3 + z²/6) / (1 + z²/3) = 0.5731,
    # half-width z·sqrt(2/27 + z²/36) / (1 + z²/3) = 0.3654: [0.2077, 0.9385].
    prec = explore.read_precision(path)
    assert prec[["frame", "read", "right", "wrong"]].values.tolist() == [["sanctions", 3, 2, 1]]
    assert prec["precision"].iloc[0] == pytest.approx(2 / 3)
    assert prec["low"].iloc[0] == pytest.approx(0.2077, abs=1e-4) and prec["high"].iloc[0] == pytest.approx(0.9385, abs=1e-4)
    ci = stats.proportion_ci([2], [3])
    assert [prec["low"].iloc[0], prec["high"].iloc[0]] == pytest.approx([ci["low"].iloc[0], ci["high"].iloc[0]])
    # A new session sees the earlier judgements; re-judging a hit keeps only its last verdict.
    again = explore.frame_explorer(corpus, FRAMES, by="outlet", path=path, order="position", frame="sanctions")
    assert "read: right" in again.card_html.value
    again.go(1)
    again.mark("right")  # «теневого флота» is now right
    assert len(pd.read_csv(path)) == 4
    assert explore.read_precision(path)[["read", "right", "wrong"]].values.tolist() == [[3, 3, 0]]
    by_group = explore.read_precision(path, by_group=True)
    assert by_group[["frame", "group", "read"]].values.tolist() == [["sanctions", "Север", 3]]


def test_reading_order_is_a_seeded_sample(corpus):
    first = explore.frame_explorer(corpus, FRAMES, by="outlet", frame="sanctions")
    second = explore.frame_explorer(corpus, FRAMES, by="outlet", frame="sanctions")
    position = explore.frame_explorer(corpus, FRAMES, by="outlet", order="position", frame="sanctions")
    expected = np.random.Generator(np.random.PCG64(explore.SEED)).permutation(6)
    assert first.hits["start"].tolist() == position.hits["start"].to_numpy()[expected].tolist()
    assert first.hits["start"].tolist() == second.hits["start"].tolist()
    assert sorted(first.hits["start"]) == sorted(position.hits["start"])


def test_bad_reading_files_are_explained(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("frame,verdict\nsanctions,right\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks the columns"):
        explore.load_readings(bad)
    row = dict.fromkeys(explore.READING_COLUMNS, "") | {"start": 1, "end": 2, "verdict": "maybe"}
    pd.DataFrame([row]).to_csv(bad, index=False)
    with pytest.raises(ValueError, match="'right' or 'wrong'"):
        explore.load_readings(bad)


# --------------------------------------------------------------------------------------------
# The term comparison page
# --------------------------------------------------------------------------------------------


def page_data(html: str) -> dict:
    raw = re.search(r'<script type="application/json" id="nf-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


def test_term_comparison_page_holds_terms_contexts_and_no_remote_resource(corpus_mwe, tmp_path):
    path = explore.term_comparison_html(corpus_mwe, "outlet", "Север", "Юг", tmp_path / "page" / "terms.html", contexts=2)
    html = path.read_text(encoding="utf-8")
    data = page_data(html)
    terms = {t["t"]: t for t in data["terms"]}
    # Север: «санкция» 2, Юг: 2; «коалиция желающих» (one expression) only in Север (a2).
    assert (terms["санкция"]["ca"], terms["санкция"]["cb"]) == (2, 2)
    assert (terms["коалиция желающих"]["ca"], terms["коалиция желающих"]["cb"]) == (1, 0)
    counts = frequency.count_matrix(corpus_mwe, "outlet")
    fw = stats.log_odds_dirichlet(counts["Север"], counts["Юг"])
    for term, row in terms.items():
        assert (row["ca"], row["cb"]) == (int(counts.at[term, "Север"]), int(counts.at[term, "Юг"]))
        assert row["z"] == pytest.approx(fw.at[term, "z"], abs=1e-3)
    assert len(terms) == len(fw)  # every term of the two groups (fewer than top)
    # Contexts: at most 2 per group; «санкция» has 2 in each, so all 4 are shown, KWIC lines.
    lines = terms["санкция"]["c"]
    assert sorted(line[2] for line in lines) == ["санкции", "санкции", "санкции", "санкциями"]
    ref = kwic.kwic(corpus_mwe, "санкция")
    assert sorted((line[1], line[2], line[3]) for line in lines) == sorted(zip(ref["left"], ref["match"], ref["right"]))
    assert [line[2] for line in terms["коалиция желающих"]["c"]] == ["Коалиция желающих"]
    assert "Коалиция желающих собралась в Париже" in html  # the document title with its line
    # Offline: no remote script, style, image or font, and no address at all.
    assert not re.search(r"""(src|href)\s*=|@import|url\(|<link""", html)
    assert "http://" not in html and "https://" not in html
    assert html.count("<circle ") == len(terms)
    again = explore.term_comparison_html(corpus_mwe, "outlet", "Север", "Юг", tmp_path / "again.html", contexts=2)
    assert again.read_bytes() == path.read_bytes()  # deterministic


def test_term_comparison_rejects_unknown_groups(corpus, tmp_path):
    with pytest.raises(ValueError, match="not a group"):
        explore.term_comparison_html(corpus, "outlet", "Север", "Восток", tmp_path / "x.html")


def test_term_codes_count_what_term_frequency_counts(corpus_mwe):
    codes, vocab, last, counted = explore._term_codes(corpus_mwe, "lemma", ("word", "abbreviation"))
    assert codes.dtype.kind == "i" and len(set(vocab)) == len(vocab)  # codes per token, each term once
    term = vocab[codes]
    mine = pd.Series(term[counted]).value_counts().sort_index()
    tf = frequency.term_frequency(corpus_mwe).set_index("term")["count"].sort_index()
    pd.testing.assert_series_equal(mine, tf, check_names=False)
    # The expression's span: «Коалиция желающих» in a2 is rows 19–20 (its first and last token).
    start = int(np.flatnonzero(term == "коалиция желающих")[0])
    assert last[start] == start + 1


def test_long_edges_show_their_first_passages_and_the_total():
    docs = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "outlet": ["Север", "Юг"],
            "date": pd.to_datetime(["2026-02-01", "2026-02-02"]),
            "lang": ["ru", "ru"],
            "text": ["Макрон встретился с Зеленским. Зеленский поблагодарил Макрона. Погода была хорошей.", "Макрон и Зеленский выступили вместе."],
        }
    )
    small = build_corpus(docs, mwes=None, cache=False)
    mentions = actors.find_actors(small, ACTORS)
    full = actors.cooccurrence_evidence(small, mentions, "macron", "zelensky")
    assert full[["doc_id", "sentence"]].values.tolist() == [["d1", 0], ["d1", 1], ["d2", 0]]  # 3 shared sentences
    for top in (1, 2, 3):
        ax = explore.actor_explorer(small, mentions, by="outlet", actor="macron", evidence_top=top)
        assert ax.evidence_total == 3
        pd.testing.assert_frame_equal(ax.evidence, full.head(top).reset_index(drop=True))
    ax = explore.actor_explorer(small, mentions, by="outlet", actor="macron", evidence_top=2)
    assert "3 passages, the first 2 shown" in ax.evidence_html.value


def test_a_query_in_one_language_leaves_the_other_alone():
    docs = pd.concat([DOCS, pd.DataFrame({"doc_id": ["zapad/u1"], "outlet": ["Запад"], "title": ["Візит"], "date": pd.to_datetime(["2026-01-10"]),
                                          "lang": ["uk"], "text": ["Макрон зустрівся із Зеленським у Києві. Макрон пообіцяв допомогу."]})], ignore_index=True)
    both = build_corpus(docs, lang=None, mwes=None, cache=False)
    index = explore.KwicIndex(both)
    # «макрон» is a lemma of both languages: 4 Russian mentions (a1, a2, b1, c2) and 2 Ukrainian (u1).
    assert len(index.find("макрон")) == 6
    for lang, n in (("ru", 4), ("uk", 2)):
        got = index.find("макрон", lang=lang)
        pd.testing.assert_frame_equal(got, kwic.find_terms(both, "макрон", lang=lang), check_dtype=False)
        assert len(got) == n


def test_term_page_text_cannot_break_out_of_its_script(tmp_path):
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "outlet": ["Север", "Юг"],
            "title": ["Заголовок </script><b>жирный</b>", "Второй & третий"],
            "lang": ["ru", "ru"],
            "text": ["Санкции </script><script>alert(1)</script> обсуждали.", "Санкции & перемирие обсуждали <!-- долго."],
        }
    )
    small = build_corpus(docs, mwes=None, cache=False)
    html = explore.term_comparison_html(small, "outlet", "Север", "Юг", tmp_path / "p.html").read_text(encoding="utf-8")
    assert html.count("</script>") == 2 and html.count("<script") == 2  # the data block and the page's own script
    assert "alert(1)" in html and "<b>жирный" not in html
    lines = {t["t"]: t["c"] for t in page_data(html)["terms"]}["санкция"]
    assert sorted(line[3] for line in lines) == [" & перемирие обсуждали <!-- долго", " </script><script>alert(1)</script> обсуждали"]
    assert sorted(line[4] for line in lines) == ["Второй & третий", "Заголовок </script><b>жирный</b>"]
