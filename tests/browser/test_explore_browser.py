"""The committed notebooks 01–03 in a real browser: JupyterLab 4 + ipywidgets in headless Chromium.

Each notebook is opened in JupyterLab and run with *Run All Cells* (``conftest.py``); each test
then scrolls to the notebook's Explore cell and drives its live widget as a person would (types,
presses Enter, picks from lists, clicks), and compares what the page shows with the helpers run
in the test process on the same teaching corpus. Run with ``make test-browser``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import actors, explore, framing, frequency, kwic, params
from helpers.constants import SEED

pytestmark = pytest.mark.browser

#: Expectations: updates go through the kernel, which may share the CPU with two other kernels.
WAIT = 30_000


def _meta(corpus, doc_ids, group_by: str = "outlet") -> list[str]:
    """The line heading each explorer shows for a document: «title · group · YYYY-MM-DD»."""
    docs = corpus.docs.set_index("doc_id")
    return [f"{docs.at[d, 'title']} · {docs.at[d, group_by]} · {docs.at[d, 'date']:%Y-%m-%d}" for d in doc_ids]


def _per_group(lines: pd.DataFrame, groups: list[str], by: str = "outlet") -> pd.DataFrame:
    """Hits (lines) and documents per group, every group listed (zeros included)."""
    table = lines.groupby(by).agg(hits=("doc_id", "size"), docs=("doc_id", "nunique"))
    return table.reindex(groups, fill_value=0).astype(np.int64)


def _check_counts(page, table_selector: str, expected: pd.DataFrame) -> None:
    """Every group's row of an explorer's counts table shows the expected numbers."""
    from playwright.sync_api import expect

    for group, row in expected.iterrows():
        for column, value in row.items():
            cell = page.locator(f"{table_selector} tr[data-group='{group}'] td[data-col='{column}']")
            expect(cell).to_have_text(str(int(value)), timeout=WAIT)


_LINE_PARTS_JS = """els => els.map(e => [
  e.querySelector('.nf-meta').textContent,
  e.querySelector('.nf-left').textContent,
  e.querySelector('mark.nf-match').textContent,
  e.querySelector('.nf-right').textContent])"""


def test_each_notebook_runs_every_cell_and_shows_a_live_explorer(notebooks, out_dirs, notebook_name):
    name = notebook_name
    # notebooks.page fails unless Run All gave code cell i the count i (a fresh kernel, every
    # cell run once, in order) with no traceback in any output.
    page = notebooks.page(name)
    # One live explorer per notebook (02's and 01's at the end, 03's frame explorer in
    # section 2); the committed static summary ("… this static summary is what executed
    # notebooks show") is replaced by the widget, so the kernel ran as a person's does.
    assert page.locator(".jp-Notebook .nf-explorer").count() == 1
    assert page.get_by_text("static summary").count() == 0
    assert page.get_by_text("official Jupyter news").count() == 0  # the news pop-up is off
    assert page.locator(".jp-Dialog").count() == 0  # no kernel (or other) dialog left open
    written = sorted(p.name for p in out_dirs[name].iterdir())
    expected_file = {"01_term_frequency": "kwic.csv", "02_actor_cooccurrence": "actor_cooccurrence.csv", "03_framing_comparison": "term_comparison.html"}[name]
    assert expected_file in written  # the outputs went to the temporary project's build/<notebook>


def test_kwic_explorer_of_01_finds_sanctions_with_the_counts_per_outlet(notebooks, as_in_notebooks, reference):
    from playwright.sync_api import expect

    page = notebooks.page("01_term_frequency")
    corpus = reference
    groups = corpus.group_names("outlet")
    with as_in_notebooks():
        first_query = params.TEACHING["kwic_query"]  # the notebook's kwic_query on the teaching corpus
        at_start = kwic.kwic(corpus, first_query, sort="right", by="outlet")
        expected = kwic.kwic(corpus, "санкция", sort="right", by="outlet")  # the explorer: window 8, sorted by right context
    box = page.locator(".nf-kwic-query input")
    # As the notebook left it: its query, sorted by the right context, counts per outlet.
    assert box.input_value() == first_query
    assert page.locator(".nf-kwic-sort select option:checked").inner_text().replace("\xa0", " ") == "right context"  # ipywidgets writes options with no-break spaces
    _check_counts(page, ".nf-kwic-counts", _per_group(at_start, groups))
    # Type «санкция» and press Enter.
    per_group = _per_group(expected, groups)
    n = len(expected)
    assert per_group["hits"].sum() == n > 20  # more than one page of lines
    box.fill("санкция")
    box.press("Enter")
    expect(page.locator(".nf-kwic-counts .nf-meta")).to_have_text("hits of «санкция» per outlet", timeout=WAIT)
    _check_counts(page, ".nf-kwic-counts", per_group)
    expect(page.locator(".nf-kwic-page")).to_have_text(f"lines 1–20 of {n}", timeout=WAIT)
    lines = page.locator(".nf-kwic-lines .nf-line")
    first = expected.head(20)
    expect(lines.locator("mark.nf-match")).to_have_text(first["match"].tolist(), timeout=WAIT)
    assert all(re.match(r"(?i)санкци", m) for m in first["match"])  # every line is a form of «санкция»
    shown = lines.evaluate_all(_LINE_PARTS_JS)
    assert [s[0] for s in shown] == _meta(corpus, first["doc_id"])  # title · outlet · date of each line
    assert [s[1:] for s in shown] == first[["left", "match", "right"]].values.tolist()
    notebooks.screenshot(page, "01_term_frequency_kwic")
    # The next page.
    page.locator(".nf-kwic-next button, button.nf-kwic-next").first.click()
    expect(page.locator(".nf-kwic-page")).to_have_text(f"lines 21–{min(40, n)} of {n}", timeout=WAIT)
    expect(lines.locator("mark.nf-match")).to_have_text(expected["match"].iloc[20:40].tolist(), timeout=WAIT)
    # One outlet only: its lines, in the same order, back on the first page.
    group = per_group["hits"].idxmax()
    mine = expected[expected["outlet"] == group].head(20)
    page.locator(".nf-kwic-group select").select_option(label=group)
    expect(page.locator(".nf-kwic-page")).to_have_text(f"lines 1–{len(mine)} of {int(per_group.at[group, 'hits'])}", timeout=WAIT)
    expect(lines.locator(".nf-meta")).to_have_text(_meta(corpus, mine["doc_id"]), timeout=WAIT)
    expect(lines.locator("mark.nf-match")).to_have_text(mine["match"].tolist(), timeout=WAIT)


def test_actor_explorer_of_02_shows_the_sentences_behind_an_edge(notebooks, as_in_notebooks, reference, out_dirs):
    from playwright.sync_api import expect

    page = notebooks.page("02_actor_cooccurrence")
    corpus = reference
    groups = corpus.group_names("outlet")
    # The notebook grows the dictionary only when it covers under half of the named entities;
    # on the teaching corpus it does not, so its mentions are those of corpus/actors.csv.
    assert not (out_dirs["02_actor_cooccurrence"] / "actors.csv").exists(), "notebook 02 added provisional actors: the reference below would differ"
    with as_in_notebooks():
        dictionary = actors.load_actors()
        mentions = actors.find_actors(corpus, dictionary)
        overall = actors.mention_counts(corpus, mentions)
        by_group = actors.mention_counts(corpus, mentions, by="outlet")
        edges = actors.cooccurrence(corpus, mentions, within="sentence")
    labels = dict(zip(overall["actor"], overall["label"]))

    def partners(actor: str) -> pd.DataFrame:
        """The actor's partners as the explorer lists them: most shared sentences first, then NPMI, then id."""
        mine = edges[(edges["a"] == actor) | (edges["b"] == actor)].copy()
        mine["partner"] = mine["a"].where(mine["a"] != actor, mine["b"])
        return mine.sort_values(["n_ab", "npmi", "partner"], ascending=[False, False, True], kind="stable").reset_index(drop=True)

    def check_actor(actor: str) -> pd.DataFrame:
        counts = by_group[by_group["actor"] == actor].set_index("outlet")[["mentions", "docs"]].reindex(groups, fill_value=0)
        _check_counts(page, ".nf-actor-groups", counts)
        theirs = partners(actor)
        options = [f"{labels[p]} ({n} shared)" for p, n in zip(theirs["partner"], theirs["n_ab"])]
        expect(page.locator(".nf-actor-partner select option")).to_have_text(options, timeout=WAIT)
        assert page.locator(".nf-actor-ego svg circle").count() == min(12, len(theirs)) + 1  # the actor and its drawn partners
        return theirs

    def check_edge(actor: str, partner: str) -> None:
        with as_in_notebooks():
            evidence = actors.cooccurrence_evidence(corpus, mentions, actor, partner)
        shown = evidence.head(50)  # the explorer shows an edge's first 50 passages (evidence_top)
        head = page.locator(".nf-actor-evidence .nf-edge")
        expect(head).to_contain_text(f"{labels[actor]} + {labels[partner]}: {len(evidence)} passages", timeout=WAIT)
        lines = page.locator(".nf-actor-evidence .nf-evidence-line")
        expect(lines.locator("mark.nf-match")).to_have_text(shown["match"].tolist(), timeout=WAIT)
        expect(lines.locator(".nf-meta")).to_have_text(_meta(corpus, shown["doc_id"]), timeout=WAIT)
        surfaces = set("; ".join(shown["surface_b"]).split("; "))
        marked = lines.locator("mark.nf-partner").all_inner_texts()
        assert marked and set(marked) <= surfaces  # the partner is marked in every passage's text

    # As the notebook left it: its ego actor (Macron on the teaching corpus) and its first edge.
    ego = params.TEACHING["ego_actor"]
    expect(page.locator(".nf-actor-picker select option:checked")).to_have_text(f"{labels[ego]} ({int(overall.set_index('actor').at[ego, 'mentions'])})")
    theirs = check_actor(ego)
    check_edge(ego, theirs["partner"].iloc[0])
    # Pick another actor by searching: the most mentioned person with at least two partners.
    persons = overall[(overall["type"] == "person") & (overall["actor"] != ego)]
    actor = next(a for a in persons["actor"] if len(partners(a)) >= 2)
    needle = labels[actor].split()[-1]  # the surname
    listed = overall[overall["label"].str.lower().str.contains(needle.lower(), regex=False) | overall["actor"].str.contains(needle.lower(), regex=False)]
    page.locator(".nf-actor-search input").fill(needle)
    picker = page.locator(".nf-actor-picker select")
    expect(picker.locator("option")).to_have_text([f"{lab} ({n})" for lab, n in zip(listed["label"], listed["mentions"])], timeout=WAIT)
    picker.select_option(label=f"{labels[actor]} ({int(listed.set_index('actor').at[actor, 'mentions'])})")
    theirs = check_actor(actor)
    check_edge(actor, theirs["partner"].iloc[0])
    # Another edge of the same actor: its own sentences.
    second = theirs.iloc[1]
    page.locator(".nf-actor-partner select").select_option(label=f"{labels[second['partner']]} ({int(second['n_ab'])} shared)")
    check_edge(actor, second["partner"])
    notebooks.screenshot(page, "02_actor_cooccurrence_actor")


def test_frame_explorer_of_03_writes_a_reading_to_the_csv(notebooks, as_in_notebooks, reference, out_dirs):
    from playwright.sync_api import expect

    page = notebooks.page("03_framing_comparison")
    corpus = reference
    saved = out_dirs["03_framing_comparison"] / "read_precision.csv"
    assert not saved.exists()  # nothing read yet in this fresh project
    with as_in_notebooks():
        frames = framing.load_frames()
        hits = framing.frame_hits(corpus, frames)
        mine = hits[hits["frame"] == "sanctions"].reset_index(drop=True)
        # The reading order: a permutation seeded with the kit's seed (explore.frame_explorer's order="sample").
        order = np.random.Generator(np.random.PCG64(SEED)).permutation(len(mine))
        first, second = (framing.frame_evidence(corpus, "sanctions", frames=frames, window=12, hits=mine.iloc[[i]]).iloc[0] for i in order[:2])
    card = page.locator(".nf-frame-card .nf-card")
    assert page.locator(".nf-frame-frame select option:checked").inner_text() == "sanctions"  # the notebook's frame=
    expect(card.locator(".nf-meta").first).to_have_text(f"hit 1 of {len(mine)} (seeded random order) · cue «{first['cue']}»", timeout=WAIT)
    expect(card.locator("mark.nf-cue")).to_have_text(first["match"])
    expect(card.locator(".nf-text")).to_have_text(first["left"] + first["match"] + first["right"])
    expect(card.locator(".nf-meta").nth(1)).to_have_text(_meta(corpus, [first["doc_id"]])[0])
    expect(page.locator(".nf-frame-precision")).to_contain_text("nothing read yet (saved to read_precision.csv)")
    page.locator(".nf-frame-right button, button.nf-frame-right").first.click()
    # One reading, right: precision 1 with the 95% Wilson interval [1 / (1 + z²), 1] for 1 of 1,
    # z = 1.959964: 1 / 4.841459 = 0.2065 → shown as 0.207.
    row = page.locator(".nf-frame-precision tr[data-group='sanctions']")
    expect(row.locator("td")).to_have_text(["sanctions", "1", "1", "0", "1", "0.207", "1"], timeout=WAIT)
    expect(card.locator(".nf-meta").first).to_contain_text(f"hit 2 of {len(mine)}", timeout=WAIT)
    expect(card.locator("mark.nf-cue")).to_have_text(second["match"])
    expect(page.locator(".nf-frame-list li").first).to_contain_text("✓")  # the first hit is ticked in the list
    with saved.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    group = corpus.docs.set_index("doc_id").at[first["doc_id"], "outlet"]
    assert rows == [
        explore.READING_COLUMNS,
        ["sanctions", first["cue"], first["doc_id"], str(first["start"]), str(first["end"]), group, "right", first["left"], first["match"], first["right"]],
    ]
    notebooks.screenshot(page, "03_framing_comparison_frame")


def test_term_page_of_03_finds_a_term_and_shows_its_contexts(notebooks, as_in_notebooks, browser, reference, out_dirs, shots: Path, tmp_path: Path):
    from playwright.sync_api import expect

    notebooks.page("03_framing_comparison")  # the notebook has run: it wrote the page into its out_dir
    corpus = reference
    groups = corpus.group_names("outlet")
    a, b = groups[0], groups[-1]  # the notebook's first, second
    with as_in_notebooks():
        names = frequency.likely_names(corpus)
        ours = explore.term_comparison_html(corpus, "outlet", a, b, tmp_path / "terms.html", exclude=names)
        counts = frequency.count_matrix(corpus, "outlet", exclude=names)
    served = out_dirs["03_framing_comparison"] / "term_comparison.html"
    assert served.read_bytes() == ours.read_bytes()  # the kernel's page is the test process's page
    raw = re.search(r'<script type="application/json" id="nf-data">(.*?)</script>', ours.read_text(encoding="utf-8"), re.S).group(1)
    terms = {t["t"]: t for t in json.loads(raw)["terms"]}
    term = "санкция"
    assert (terms[term]["ca"], terms[term]["cb"]) == (int(counts.at[term, a]), int(counts.at[term, b])) and terms[term]["c"]
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    remote = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else (remote.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(served.as_uri())
    page.locator("#nf-search").fill("санкц")  # every term with «санкц» is listed and marked
    results = page.locator("#nf-results .nf-term-link")
    with_stem = [t for t in terms if "санкц" in t]
    starting = [t for t in terms if t.startswith("санкц")]  # in the page's order (sorted terms)
    expect(results).to_have_count(min(40, len(with_stem)))
    assert results.all_inner_texts()[: len(starting)] == starting
    assert page.locator("circle.nf-hit").count() == len(with_stem)
    page.locator("#nf-search").fill(term)
    expect(results.first).to_have_text(term)  # the exact term comes first
    page.locator("#nf-search").press("Enter")
    expect(page.locator("#nf-detail h2")).to_have_text(term)
    lines = page.locator("#nf-contexts li")
    expect(lines).to_have_count(len(terms[term]["c"]))
    marks = lines.locator("mark").all_inner_texts()
    assert marks == [c[2] for c in terms[term]["c"]] and all(re.match(r"(?i)санкци", m) for m in marks)
    sides = {"a": a, "b": b}
    assert lines.locator(".nf-meta").all_inner_texts() == [f"{sides[c[0]]} · {c[4]} · {c[5]}" for c in terms[term]["c"]]
    expect(page.locator("#nf-detail table tr").nth(1).locator("td")).to_have_text(["count", str(terms[term]["ca"]), str(terms[term]["cb"])])
    assert page.locator("circle.nf-selected").count() == 1
    page.screenshot(path=str(shots / "03_framing_comparison_terms.png"), full_page=True)
    # A click on a point shows that term.
    # (points overlap: take the first whose centre is not covered by another point)
    other = page.evaluate("""skip => Array.from(document.querySelectorAll('#nf-plot circle[data-i]')).map(c => {
      const r = c.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === c ? Number(c.getAttribute('data-i')) : -1;
    }).find(i => i >= 0 && i !== skip)""", list(terms).index(term))
    page.locator(f"#nf-plot circle[data-i='{other}']").click()
    expect(page.locator("#nf-detail h2")).to_have_text(list(terms)[other])
    assert page.locator(f"#nf-plot circle[data-i='{other}'].nf-selected").count() == 1
    assert remote == []  # the page asked for nothing outside the file
    context.close()
