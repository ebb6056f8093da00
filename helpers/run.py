"""Execute the curated notebooks and build the ``make run`` report; write the student edition.

``python -m helpers.run`` runs every ``notebooks/NN_*.ipynb`` in reading order with papermill,
passing ``corpus_path``, ``out_dir``, ``group_by`` and the knobs of a parameters file
(``--params my.yml``, see :mod:`helpers.params`) to the notebook's ``parameters`` cell, and
writes into the output folder:

- ``NN_name.ipynb`` (the executed notebook) and ``NN_name.html`` (its rendering, solutions folded
  into ``<details>``);
- ``NN_name/``: the notebook's figures (PNG) and key tables (CSV);
- ``index.html``: one page that says which corpus, grouping and parameters were used, links all
  of it and shows the figures in reading order, each with its caption and alt text.

``python -m helpers.run --in-place`` re-executes the notebooks where they are (how maintainers
refresh the committed outputs that strict nbval compares against). ``--student OUT`` writes the
student edition: every notebook without its solution cells, and an answer key per lesson.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Quiet the kernel's own log (a transport notice at start, an interrupt notice at shutdown);
#: errors in the notebooks still surface through papermill and nbclient.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
SOLUTION = "solution"


@dataclass
class NotebookResult:
    """What one executed notebook produced."""

    name: str
    title: str
    seconds: float
    html: str
    ipynb: str
    figures: list[dict] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)


def curated_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """Return the curated notebooks (``NN_name.ipynb``) in reading order."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def notebook_title(path: Path) -> str:
    """Return the first Markdown heading of a notebook, or its file name."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def _relative_to_notebooks(path: Path) -> str:
    """Express ``path`` relative to ``notebooks/`` so reports show no machine paths."""
    try:
        return os.path.relpath(path.resolve(), NOTEBOOKS)
    except ValueError:  # another drive on Windows
        return str(path.resolve())


def _failure_message(notebook: Path, error: Exception) -> str:
    """Name the notebook and the failing cell of a papermill or nbclient error."""
    cell = getattr(error, "cell_index", None)
    count = getattr(error, "exec_count", None)
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error).strip().splitlines()[-1] if str(error).strip() else "")
    source = (getattr(error, "source", "") or "").strip().splitlines()
    where = f"cell {cell}" if cell is not None else "a cell"
    if count is not None:
        where += f" (In [{count}])"
    first = f"\n    {source[0]}" if source else ""
    return f"FAILED {notebook.name}: {where} raised {ename}: {evalue}{first}"


def html_exporter():
    """nbconvert's HTML exporter with the kit's template (solutions folded into ``<details>``)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="folded")


def _parameter_paths(values: dict) -> dict:
    """Paths in parameters are given relative to where make run is called: make them relative to notebooks/."""
    out = dict(values)
    for key, value in values.items():
        if key.endswith("_path") and isinstance(value, str) and value and not Path(value).is_absolute():
            candidate = Path(value)
            if candidate.exists():
                out[key] = _relative_to_notebooks(candidate)
        if key == "lexical_sets" and isinstance(value, str) and Path(value).exists():
            out[key] = _relative_to_notebooks(Path(value))
    return out


def execute(corpus: Path, out: Path, by: str, notebooks: list[Path], params: dict | None = None) -> list[NotebookResult]:
    """Execute ``notebooks`` with papermill on ``corpus`` into ``out``; return what each wrote."""
    import papermill

    from helpers.params import for_notebook

    os.environ["NEWSFRAMES_BATCH"] = "1"  # no progress bars in executed notebooks
    out.mkdir(parents=True, exist_ok=True)
    exporter = html_exporter()
    results = []
    for i, nb in enumerate(notebooks, 1):
        target = out / nb.name
        nb_out = out / nb.stem
        values = {"corpus_path": _relative_to_notebooks(corpus), "out_dir": _relative_to_notebooks(nb_out), "group_by": by}
        values.update(_parameter_paths(for_notebook(params or {}, nb.stem)))
        print(f"[{i}/{len(notebooks)}] {nb.name} ...", end=" ", flush=True)
        started = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(nb), str(target), parameters=values, cwd=str(NOTEBOOKS),
                kernel_name="python3", progress_bar=False, log_output=False,
                extra_arguments=KERNEL_ARGUMENTS,
            )
        except Exception as error:  # papermill wraps every kernel-side error
            print("failed")
            raise SystemExit(_failure_message(nb, error)) from None
        seconds = time.perf_counter() - started
        body, _ = exporter.from_filename(str(target))
        (out / f"{nb.stem}.html").write_text(body, encoding="utf-8")
        index = nb_out / "figures.json"
        figures = json.loads(index.read_text(encoding="utf-8")) if index.exists() else []
        figures = [f for f in figures if (nb_out / f["file"]).exists()]
        tables = sorted(p.name for p in nb_out.glob("*.csv")) if nb_out.exists() else []
        pages = sorted(p.name for p in nb_out.glob("*.html")) if nb_out.exists() else []
        print(f"ok in {seconds:.1f} s: {len(figures)} figures, {len(tables)} tables")
        results.append(NotebookResult(nb.stem, notebook_title(nb), seconds, f"{nb.stem}.html", nb.name, figures, tables, values, pages))
    return results


def write_index(results: list[NotebookResult], out: Path, corpus: Path, by: str, params: dict | None = None) -> Path:
    """Write ``out/index.html``: which corpus and settings, then every notebook, figure and table."""
    from helpers.params import is_teaching_corpus

    esc = html.escape
    corpus_label = _relative_to_notebooks(corpus)
    kind = "the bundled teaching corpus" if is_teaching_corpus(corpus) else "your corpus"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>newsframes report</title><style>",
        "body{font-family:system-ui,'DejaVu Sans',sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}",
        "section{border-top:1px solid #ccc;padding:1rem 0}figure{margin:1rem 0;max-width:48rem}",
        "figure img{width:100%;border:1px solid #ddd}figcaption{font-size:.9rem}code{background:#f4f4f4}",
        "table.params{border-collapse:collapse;font-size:.85rem}table.params td{border:1px solid #ddd;padding:.2rem .5rem}",
        "</style></head><body>",
        "<h1>newsframes report</h1>",
        f"<p>Corpus: <code>{esc(corpus_label)}</code> ({esc(kind)}; paths relative to <code>notebooks/</code>). "
        f"Groups compared by <code>{esc(by)}</code>.</p>",
    ]
    if params:
        rows = "".join(f"<tr><td>{esc(sec)}</td><td><code>{esc(k)}</code></td><td>{esc(str(v))}</td></tr>" for sec, vals in params.items() for k, v in vals.items())
        parts.append(f"<p>Parameters given:</p><table class='params'>{rows}</table>")
    else:
        parts.append("<p>No parameters file: every other setting was derived from the corpus (each notebook lists what it used).</p>")
    parts.append("<ol>" + "".join(f"<li><a href='#{esc(r.name)}'>{esc(r.title)}</a></li>" for r in results) + "</ol>")
    for r in results:
        parts.append(f"<section id='{esc(r.name)}'><h2>{esc(r.title)}</h2>")
        parts.append(
            f"<p><a href='{esc(r.html)}'>Read the notebook (HTML)</a> · "
            f"<a href='{esc(r.ipynb)}'>executed .ipynb</a> · ran in {r.seconds:.1f} s</p>"
        )
        if r.pages:
            parts.append("<p>Interactive pages (offline): " + ", ".join(f"<a href='{esc(r.name)}/{esc(t)}'>{esc(t)}</a>" for t in r.pages) + "</p>")
        if r.tables:
            parts.append("<p>Tables (CSV): " + ", ".join(f"<a href='{esc(r.name)}/{esc(t)}'>{esc(t)}</a>" for t in r.tables) + "</p>")
        for k, fig in enumerate(r.figures, 1):
            src = f"{esc(r.name)}/{esc(fig['file'])}"
            parts.append(
                f"<figure><a href='{src}'><img src='{src}' alt='{esc(fig.get('alt', fig['file']))}'></a>"
                f"<figcaption>Figure {k}. {esc(fig.get('caption') or fig['file'])}</figcaption></figure>"
            )
        parts.append("</section>")
    parts.append("</body></html>")
    path = out / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def refresh_in_place(notebooks: list[Path]) -> None:
    """Re-execute ``notebooks`` where they are, keeping their default parameters."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["NEWSFRAMES_BATCH"] = "1"
    for i, nb_path in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {nb_path.name} ...", end=" ", flush=True)
        started = time.perf_counter()
        nb = nbformat.read(nb_path, as_version=4)
        client = NotebookClient(
            nb, timeout=1200, kernel_name="python3", record_timing=False, extra_arguments=KERNEL_ARGUMENTS,
            resources={"metadata": {"path": str(nb_path.parent)}},
        )
        try:
            client.execute()
        except Exception as error:
            print("failed")
            raise SystemExit(_failure_message(nb_path, error)) from None
        hide_solutions(nb)
        nbformat.write(nb, nb_path)
        print(f"ok in {time.perf_counter() - started:.1f} s")


def hide_solutions(nb) -> None:
    """Collapse every solution cell in JupyterLab (``metadata.jupyter.source_hidden``)."""
    for cell in nb.cells:
        if SOLUTION in cell.get("metadata", {}).get("tags", []):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True


def student_edition(notebooks: list[Path], out: Path) -> list[Path]:
    """Write each notebook without its solution cells, and an answer key per lesson.

    Returns the files written: ``NN_name.ipynb`` (exercises, no solutions) and
    ``NN_name_answers.ipynb`` (each exercise's prompt followed by its solution).
    """
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        student = copy.deepcopy(nb)
        student.cells = [c for c in nb.cells if SOLUTION not in c.get("metadata", {}).get("tags", [])]
        target = out / path.name
        nbformat.write(student, target)
        written.append(target)
        key = copy.deepcopy(nb)
        cells = [nbformat.v4.new_markdown_cell(f"# Answer key: {notebook_title(path)}\n\nThe exercises of `{path.name}` with their worked solutions. Run the lesson's set-up cells first (or read the answers as they are).")]
        taken: set[int] = set()
        for i, cell in enumerate(nb.cells):
            if SOLUTION not in cell.get("metadata", {}).get("tags", []):
                continue
            prompt = next((j for j in range(i - 1, -1, -1) if nb.cells[j].cell_type == "markdown" and "Exercise" in "".join(nb.cells[j].source)), None)
            lead = i - 1 if i > 0 and nb.cells[i - 1].cell_type == "markdown" else None
            for j in (prompt, lead):  # the exercise, then the solution's own lead-in, each once
                if j is not None and j not in taken:
                    taken.add(j)
                    cells.append(nbformat.v4.new_markdown_cell(nb.cells[j].source))
            solution = nbformat.v4.new_code_cell(cell.source, metadata=copy.deepcopy(cell.metadata))
            solution.outputs = copy.deepcopy(cell.get("outputs", []))
            solution.execution_count = cell.get("execution_count")
            solution.metadata.get("jupyter", {}).pop("source_hidden", None)
            cells.append(solution)
        key.cells = cells
        answers = out / f"{path.stem}_answers.ipynb"
        nbformat.write(key, answers)
        written.append(answers)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point for ``make run``, ``make notebooks`` and ``make student``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.run", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "articles"), help="corpus folder or table")
    parser.add_argument("--out", default=str(ROOT / "build"), help="output folder (default build/)")
    parser.add_argument("--group-by", default="outlet", help="metadata column whose groups are compared")
    parser.add_argument("--params", default=None, help="YAML file of notebook parameters (see helpers/params.py)")
    parser.add_argument("--only", nargs="*", help="run only notebooks whose name starts with these prefixes")
    parser.add_argument("--in-place", action="store_true", help="refresh the committed notebooks instead")
    parser.add_argument("--student", default=None, metavar="OUT", help="write the student edition and answer keys into OUT")
    args = parser.parse_args(argv)

    notebooks = curated_notebooks()
    if args.only:
        notebooks = [p for p in notebooks if any(p.name.startswith(o) for o in args.only)]
    if not notebooks:
        raise SystemExit("No notebooks to run in notebooks/.")
    if args.student:
        written = student_edition(notebooks, Path(args.student))
        print(f"Student edition: {len(written)} notebooks in {args.student}")
        return 0
    if args.in_place:
        refresh_in_place(notebooks)
        return 0
    from helpers.params import load_params

    params = load_params(args.params)
    corpus, out = Path(args.corpus), Path(args.out)
    if not corpus.exists():
        raise SystemExit(f"Corpus not found: {corpus}. Pass CORPUS=path/to/folder-or-table.")
    for section, values in params.items():
        print(f"parameters for {section}: " + ", ".join(f"{k}={v!r}" for k, v in values.items()))
    started = time.perf_counter()
    with engine_for_kernels():
        results = execute(corpus, out, args.group_by, notebooks, params)
    index = write_index(results, out, corpus, args.group_by, params)
    print(f"Report: {index} ({time.perf_counter() - started:.0f} s in all)")
    return 0


@contextmanager
def engine_for_kernels():
    """Set up the engine the kernels inherit through the environment (:mod:`helpers.engine`).

    With ``NEWSFRAMES_ENGINE=dask`` and no ``DASK_SCHEDULER``, one local cluster is started here
    for all the notebooks (its dashboard link printed), and its address is passed on to the
    kernels as ``DASK_SCHEDULER``; it is closed when the last notebook has run.
    """
    from helpers import engine

    name = engine.engine()
    if name != "dask":
        yield
        return
    address = engine.scheduler_address()
    if address:
        print(f"Engine: dask, on the scheduler at {address}", flush=True)
        yield
        return
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=engine._workers(), threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0")
    link = cluster.dashboard_link
    print(f"Engine: dask, a local cluster of {len(cluster.workers)} worker processes at {cluster.scheduler_address}; "
          + (f"dashboard: {link}" if link else "no dashboard (install bokeh for it)"), flush=True)
    os.environ["DASK_SCHEDULER"] = cluster.scheduler_address
    try:
        yield
    finally:
        os.environ.pop("DASK_SCHEDULER", None)
        cluster.close()


if __name__ == "__main__":
    sys.exit(main())
