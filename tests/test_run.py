"""The runner (make run / make notebooks / make student), the notebook parameters and the outputs helpers."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import outputs, params, run  # noqa: E402
from helpers.corpus import build_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------------------------
# Notebook parameters: the knobs table is the notebooks' parameters cells
# --------------------------------------------------------------------------------------------


def _parameters(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    for node in ast.parse(cell.source).body:
        assert isinstance(node, ast.Assign), f"{path.name}: the parameters cell holds only assignments"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("path", run.curated_notebooks(), ids=lambda p: p.stem)
def test_every_parameter_is_a_documented_knob_with_its_default(path):
    knobs = {(nb, name): default for nb, name, default, _ in params.KNOBS}
    for name, value in _parameters(path).items():
        key = (path.stem, name) if (path.stem, name) in knobs else ("all", name)
        assert key in knobs, f"{path.name}: parameter {name!r} is missing from helpers.params.KNOBS (and so from the README)"
        if name == "out_dir":
            assert value == f"../build/{path.stem}"
        else:
            assert value == knobs[key], f"{path.name}: {name} = {value!r}, KNOBS says {knobs[key]!r}"


def test_every_knob_is_a_parameter_of_its_notebook():
    by_nb = {p.stem: set(_parameters(p)) for p in run.curated_notebooks()}
    for nb, name, _, _ in params.KNOBS:
        targets = by_nb.values() if nb == "all" else [by_nb[nb]]
        assert all(name in t for t in targets), f"knob {nb}:{name} is not in every notebook it names"
    table = params.knobs_markdown()
    assert all(f"`{name}`" in table for _, name, _, _ in params.KNOBS)


def test_load_params(tmp_path):
    good = tmp_path / "p.yml"
    good.write_text("all:\n  group_by: source\n01_term_frequency:\n  focus_terms: [газ, санкция]\n", encoding="utf-8")
    loaded = params.load_params(good)
    assert params.for_notebook(loaded, "01_term_frequency") == {"group_by": "source", "focus_terms": ["газ", "санкция"]}
    assert params.for_notebook(loaded, "02_actor_cooccurrence") == {"group_by": "source"}
    assert params.load_params(None) == {}
    with pytest.raises(FileNotFoundError, match="nope.yml"):
        params.load_params(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("all:\n  focus_term: [газ]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="focus_term"):
        params.load_params(bad)


def _small_corpus():
    docs = pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "b1"],
            "date": pd.to_datetime(["2019-03-01", "2019-03-08", "2019-04-01"]),
            "outlet": ["A", "A", "B"],
            "text": [
                "Газ идет по трубе. Газ дорожает, и газопровод достроен.",
                "Санкции против газопровода. Газ остается главной темой.",
                "Газопровод достроен. Санкции не помогли.",
            ],
        }
    )
    return build_corpus(docs, mwes=None, cache=False)


def test_defaults_for_another_corpus_come_from_it():
    corpus = _small_corpus()
    # «газ» 4 times, «газопровод» 3, «санкция» 2, «достроить» 2: the top term leads.
    assert params.focus_terms(corpus, None, teaching=False)[0] == "газ"
    assert params.focus_terms(corpus, ["санкция", "нет-такого"], teaching=False) == ["санкция"]
    assert params.kwic_query(corpus, None, teaching=False, focus=["газопровод"]) == "газопровод"
    # A: 2 documents, B: 1; the largest group is the target.
    assert params.target_group(corpus, "outlet", None, teaching=False) == "A"
    assert params.target_group(corpus, "outlet", "B", teaching=True) == "B"
    # The teaching corpus' Paris summit (2026) is outside 2019: no marker, not even when given.
    assert params.events(corpus, None, teaching=True) == {}
    assert params.events(corpus, {"2019-03-05": "talks", "2021-09-10": "completed"}, teaching=False) == {"2019-03-05": "talks"}
    assert params.lexical_sets(None, teaching=False) == {}
    assert set(params.lexical_sets(None, teaching=True)) == set(params.TEACHING["lexical_sets"])


def test_lexical_sets_from_yaml(tmp_path):
    path = tmp_path / "sets.yml"
    path.write_text("the pipe: [Северный поток-2, газопровод]\n", encoding="utf-8")
    assert params.lexical_sets(path, teaching=False) == {"the pipe": ["Северный поток-2", "газопровод"]}
    with pytest.raises(FileNotFoundError):
        params.lexical_sets(tmp_path / "none.yml", teaching=False)


def test_teaching_corpus_is_recognised():
    assert params.is_teaching_corpus(ROOT / "corpus" / "articles")
    assert not params.is_teaching_corpus(ROOT / "corpus")
    table = params.table({"focus_terms": ["a", "b"], "events": {}, "query": None})
    assert table["value"].tolist() == ["a, b", "(none)", "(none)"]


# --------------------------------------------------------------------------------------------
# The runner
# --------------------------------------------------------------------------------------------


def _notebook(cells: list, path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    nb.cells = cells
    nbformat.write(nb, path)
    return path


PARAMS_CELL = 'corpus_path = "x"\nout_dir = "y"\ngroup_by = "outlet"'


def _tiny_notebooks(folder: Path) -> list[Path]:
    p = nbformat.v4.new_code_cell(PARAMS_CELL)
    p.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "import matplotlib; matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt, pandas as pd\n"
        "from helpers.outputs import save_figure, save_table\n"
        "fig, ax = plt.subplots(); ax.bar(['a', 'b'], [2, 1]); ax.set_title('Second drawn')\n"
        "save_figure(ax, out_dir, 'zeta', caption='The first figure of the notebook.')\n"
        "fig, ax = plt.subplots(); ax.plot([1, 2]); ax.set_title('Later')\n"
        "save_figure(ax, out_dir, 'alpha')\n"
        "save_table(pd.DataFrame({'x': [1]}), out_dir, 'counts')\n"
    )
    solution = nbformat.v4.new_code_cell("print('the answer')")
    solution.metadata["tags"] = ["solution"]
    first = _notebook([nbformat.v4.new_markdown_cell("# 00 · Tiny\n\n**Exercise 1.** Say it."), p, body, solution], folder / "00_tiny.ipynb")
    p2 = nbformat.v4.new_code_cell(PARAMS_CELL)
    p2.metadata["tags"] = ["parameters"]
    broken = _notebook([nbformat.v4.new_markdown_cell("# 01 · Broken"), p2, nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")], folder / "01_broken.ipynb")
    return [first, broken]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    tiny, broken = _tiny_notebooks(folder)
    out = tmp_path_factory.mktemp("report")
    corpus = ROOT / "corpus" / "articles"
    results = run.execute(corpus, out, "outlet", [tiny])
    index = run.write_index(results, out, corpus, "outlet", {"all": {"group_by": "outlet"}})
    return results, index, out, broken, tiny


def test_report_lists_every_figure_in_reading_order_with_captions(executed):
    results, index, out, _, _ = executed
    (result,) = results
    assert [f["file"] for f in result.figures] == ["zeta.png", "alpha.png"]  # saved order, not file-name order
    assert result.figures[0]["caption"] == "The first figure of the notebook."
    assert result.figures[1]["caption"] == "Later"  # the title when no caption is given
    assert result.tables == ["counts.csv"]
    page = index.read_text(encoding="utf-8")
    assert page.index("zeta.png") < page.index("alpha.png")
    assert "Figure 1. The first figure of the notebook." in page and "Figure 2. Later" in page
    assert "counts.csv" in page and "the bundled teaching corpus" in page and "<code>group_by</code>" in page
    assert "alt='" in page and "Second drawn" in page  # the alt text names the chart's title
    assert str(ROOT) not in page  # no machine path in the report


def test_html_folds_solutions(executed):
    _, _, out, _, _ = executed
    html = (out / "00_tiny.html").read_text(encoding="utf-8")
    assert '<details class="solution">' in html and "the answer" in html


def test_a_failing_cell_is_named(executed, tmp_path, capsys):
    _, _, _, broken, _ = executed
    with pytest.raises(SystemExit) as info:
        run.execute(ROOT / "corpus" / "articles", tmp_path, "outlet", [broken])
    message = str(info.value)
    assert "01_broken.ipynb" in message and "ZeroDivisionError" in message and "1 / 0" in message


def test_student_edition_drops_solutions_and_writes_answer_keys(executed, tmp_path):
    *_, tiny = executed
    written = run.student_edition([tiny], tmp_path)
    assert [p.name for p in written] == ["00_tiny.ipynb", "00_tiny_answers.ipynb"]
    student = nbformat.read(written[0], as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    key = nbformat.read(written[1], as_version=4)
    assert "Exercise 1." in key.cells[1].source and key.cells[2].source == "print('the answer')"


def test_committed_notebooks_hide_solutions_and_computed_code():
    for path in run.curated_notebooks():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if {"solution", "computed", "check"} & set(tags):
                assert cell.metadata.get("jupyter", {}).get("source_hidden"), f"{path.name}: a {tags} cell is not collapsed"
        assert any("solution" in c.metadata.get("tags", []) for c in nb.cells), f"{path.name} has no solution cell"


def test_hide_solutions():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["tags"] = ["solution"]
    nb.cells = [cell, nbformat.v4.new_code_cell("2")]
    run.hide_solutions(nb)
    assert nb.cells[0].metadata["jupyter"]["source_hidden"] is True and "jupyter" not in nb.cells[1].metadata


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


def test_show_never_prints_a_false_zero():
    table = pd.DataFrame({"g2": [1234.56789], "p_value": [0.0], "p_adjusted": [3.2e-7]})
    shown = outputs.show(table)
    assert shown["g2"].iloc[0] == 1234.57
    assert shown["p_value"].iloc[0] == "< 1e-300" and shown["p_adjusted"].iloc[0] == "3.2e-07"


def test_check_fails_loudly():
    outputs.check(True, "fine")
    with pytest.raises(AssertionError, match="no longer true: the claim"):
        outputs.check(False, "the claim")


def test_save_figure_caption_falls_back_to_the_name(tmp_path):
    fig, ax = plt.subplots()
    ax.imshow(np.eye(2))
    outputs.save_figure(fig, tmp_path, "heat")
    entries = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert entries == [{"file": "heat.png", "caption": "heat", "alt": entries[0]["alt"]}]
    plt.close(fig)
