"""The explorers in a real browser: JupyterLab 4 + ipywidgets in headless Chromium.

Each test drives the page as a person would (types, presses Enter, picks from lists, clicks)
and compares what the page shows with the same helpers run in the test process. Run with
``make test-browser`` (see ``conftest.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import actors, explore, kwic

pytestmark = pytest.mark.browser


def test_jupyterlab_shows_live_widgets_without_pop_ups(notebook):
    page = notebook
    # The setup cell prints explore.interactive(): True, the kernel runs as a person's would.
    assert page.locator(".jp-OutputArea-output", has_text="True <Corpus:").count() == 1
    assert page.locator(".nf-explorer").count() == 3  # three live explorers, no static summary
    assert page.get_by_text("official Jupyter news").count() == 0  # the news pop-up is off
    assert page.get_by_text("static summary").count() == 0


def test_typing_a_lemma_shows_its_lines_and_counts_per_group(notebook, reference, shots: Path):
    from playwright.sync_api import expect

    page = notebook
    corpus, _ = reference
    expected = kwic.kwic(corpus, "санкция", by="outlet")
    per_group = expected.groupby("outlet").size().reindex(corpus.group_names("outlet"), fill_value=0)
    assert per_group.sum() > 20  # the teaching corpus uses the word in many articles
    box = page.locator(".nf-kwic-query input")
    box.fill("санкция")
    box.press("Enter")
    counts = page.locator(".nf-kwic-counts")
    for group, n in per_group.items():
        expect(counts.locator(f"tr[data-group='{group}'] td[data-col='hits']")).to_have_text(str(int(n)), timeout=30_000)
    marks = page.locator(".nf-kwic-lines mark.nf-match")
    expect(marks).to_have_count(min(10, len(expected)))
    texts = marks.all_inner_texts()
    assert all(re.match(r"(?i)санкци", t) for t in texts), texts
    assert texts == expected["match"].head(10).tolist()  # text order, as helpers.kwic gives it
    first_title = corpus.docs.set_index("doc_id").at[expected["doc_id"].iloc[0], "title"]
    expect(page.locator(".nf-kwic-lines .nf-meta").first).to_contain_text(first_title)
    expect(page.locator(".nf-kwic-page")).to_contain_text(f"lines 1–10 of {len(expected)}")
    page.locator(".nf-explorer").nth(0).screenshot(path=str(shots / "01_kwic.png"))
    # Next page, then one group only.
    page.locator(".nf-kwic-next button, button.nf-kwic-next").first.click()
    expect(page.locator(".nf-kwic-page")).to_contain_text(f"lines 11–{min(20, len(expected))} of {len(expected)}")
    group = per_group.idxmax()
    page.locator(".nf-kwic-group select").select_option(label=group)
    expect(page.locator(".nf-kwic-page")).to_contain_text(f"of {int(per_group[group])}")
    metas = page.locator(".nf-kwic-lines .nf-meta").all_inner_texts()
    assert metas and all(f" · {group} · " in m for m in metas)


def test_picking_an_actor_shows_the_sentences_behind_its_edges(notebook, reference, shots: Path):
    from playwright.sync_api import expect

    page = notebook
    corpus, dictionary = reference
    mentions = actors.find_actors(corpus, dictionary)
    edges = actors.cooccurrence(corpus, mentions, within="sentence")
    mine = edges[(edges["a"] == "macron") | (edges["b"] == "macron")].copy()
    mine["partner"] = mine["a"].where(mine["a"] != "macron", mine["b"])
    mine = mine.sort_values(["n_ab", "npmi", "partner"], ascending=[False, False, True], kind="stable")
    assert len(mine), "Macron shares sentences with other persons in the teaching corpus"
    partner = mine["partner"].iloc[0]
    evidence = actors.cooccurrence_evidence(corpus, mentions, "macron", partner)
    shown = evidence.head(50)  # the explorer shows the first 50 passages of an edge (evidence_top)
    page.locator(".nf-actor-search input").fill("Макрон")  # the list narrows to Macron, who is shown
    picker = page.locator(".nf-actor-picker select")
    expect(picker.locator("option")).to_have_count(1)
    counts = actors.mention_counts(corpus, mentions, by="outlet")
    counts = counts[counts["actor"] == "macron"].set_index("outlet")["mentions"]
    for group, n in counts.items():
        expect(page.locator(f".nf-actor-groups tr[data-group='{group}'] td[data-col='mentions']")).to_have_text(str(int(n)))
    expect(page.locator(".nf-actor-evidence .nf-edge")).to_contain_text(f"{len(evidence)} passages")
    lines = page.locator(".nf-actor-evidence .nf-evidence-line")
    expect(lines).to_have_count(len(shown))
    assert lines.locator("mark.nf-match").all_inner_texts() == shown["match"].tolist()
    partner_marks = lines.locator("mark.nf-partner").all_inner_texts()
    surfaces = set("; ".join(shown["surface_b"]).split("; "))
    assert partner_marks and set(partner_marks) <= surfaces
    assert page.locator(".nf-actor-ego svg circle").count() >= 2
    # Another edge: its own sentences.
    if len(mine) > 1:
        other = mine["partner"].iloc[1]
        second = actors.cooccurrence_evidence(corpus, mentions, "macron", other)
        label = f"{dictionary.loc[dictionary['actor'] == other, 'label'].iloc[0]} ({int(mine['n_ab'].iloc[1])} shared)"
        page.locator(".nf-actor-partner select").select_option(label=label)
        expect(page.locator(".nf-actor-evidence .nf-edge")).to_contain_text(f"{len(second)} passages")
        expect(lines).to_have_count(min(50, len(second)))
    page.locator(".nf-explorer").nth(1).screenshot(path=str(shots / "02_actor.png"))


def test_marking_a_frame_hit_writes_the_reading_file(notebook, lab, shots: Path):
    from playwright.sync_api import expect

    page = notebook
    card = page.locator(".nf-frame-card .nf-card")
    match = card.locator("mark.nf-cue").inner_text()
    page.locator(".nf-frame-right button, button.nf-frame-right").first.click()
    expect(page.locator(".nf-frame-precision")).to_contain_text("sanctions")
    expect(card).to_contain_text("hit 2 of")
    rows = (lab.folder / "read_precision.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == ",".join(explore.READING_COLUMNS) and len(rows) == 2
    assert rows[1].startswith("sanctions,") and match in rows[1] and ",right," in rows[1]
    page.locator(".nf-explorer").nth(2).screenshot(path=str(shots / "03_frame.png"))


def test_the_term_page_finds_a_term_and_shows_its_contexts(notebook, lab, browser, reference, groups, shots: Path, tmp_path: Path):
    from playwright.sync_api import expect

    corpus, _ = reference
    ours = explore.term_comparison_html(corpus, "outlet", groups[0], groups[1], tmp_path / "terms.html")
    served = lab.folder / "terms.html"
    assert served.read_bytes() == ours.read_bytes()  # the kernel's page is the test process's page
    raw = re.search(r'<script type="application/json" id="nf-data">(.*?)</script>', ours.read_text(encoding="utf-8"), re.S).group(1)
    terms = {t["t"]: t for t in json.loads(raw)["terms"]}
    term = "санкция"
    assert term in terms and terms[term]["c"]
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    remote = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else (remote.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(served.as_uri())
    page.locator("#nf-search").fill("санкц")  # every term with «санкц» is listed and marked
    results = page.locator("#nf-results .nf-term-link")
    starting = [t for t in terms if t.startswith("санкц")]  # in the page's order (sorted terms)
    expect(results).to_have_count(min(40, len([t for t in terms if "санкц" in t])))
    assert results.all_inner_texts()[: len(starting)] == starting
    assert page.locator("circle.nf-hit").count() == len([t for t in terms if "санкц" in t])
    page.locator("#nf-search").fill(term)
    expect(results.first).to_have_text(term)  # the exact term comes first
    page.locator("#nf-search").press("Enter")
    expect(page.locator("#nf-detail h2")).to_have_text(term)
    lines = page.locator("#nf-contexts li")
    expect(lines).to_have_count(len(terms[term]["c"]))
    marks = lines.locator("mark").all_inner_texts()
    assert marks == [c[2] for c in terms[term]["c"]] and all(re.match(r"(?i)санкци", m) for m in marks)
    expect(page.locator("#nf-detail table")).to_contain_text(str(terms[term]["ca"]))
    assert page.locator("circle.nf-selected").count() == 1
    page.screenshot(path=str(shots / "04_terms.png"), full_page=True)
    # A click on a point shows that term.
    other = next(i for i, t in enumerate(terms) if t != term)
    page.locator(f"#nf-plot circle[data-i='{other}']").click(force=True)
    expect(page.locator("#nf-detail h2")).not_to_have_text(term)
    assert remote == []  # the page asked for nothing outside the file
    context.close()
