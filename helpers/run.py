"""Execute the curated notebooks and build the ``make run`` report.

``python -m helpers.run`` runs every ``notebooks/NN_*.ipynb`` in reading order with papermill,
passing ``corpus_path``, ``out_dir`` and ``group_by`` to the notebook's ``parameters`` cell, and
writes into the output folder:

- ``NN_name.ipynb`` (the executed notebook) and ``NN_name.html`` (its rendering);
- ``NN_name/``: the notebook's figures (PNG) and key tables (CSV);
- ``index.html``: one page that links all of it and shows the figures.

``python -m helpers.run --in-place`` re-executes the notebooks where they are, which is how
maintainers refresh the committed outputs that strict nbval compares against.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: Quiet the kernel's own log (a transport notice at start, an interrupt notice at shutdown);
#: errors in the notebooks still surface through papermill and nbclient.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass
class NotebookResult:
    """What one executed notebook produced."""

    name: str
    title: str
    seconds: float
    html: str
    ipynb: str
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


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


def execute(corpus: Path, out: Path, group_by: str, notebooks: list[Path]) -> list[NotebookResult]:
    """Execute ``notebooks`` with papermill on ``corpus`` into ``out``; return what each wrote."""
    import papermill
    from nbconvert import HTMLExporter

    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    results = []
    for i, nb in enumerate(notebooks, 1):
        target = out / nb.name
        nb_out = out / nb.stem
        params = {
            "corpus_path": _relative_to_notebooks(corpus),
            "out_dir": _relative_to_notebooks(nb_out),
            "group_by": group_by,
        }
        print(f"[{i}/{len(notebooks)}] {nb.name} ...", end=" ", flush=True)
        started = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(nb), str(target), parameters=params, cwd=str(NOTEBOOKS),
                kernel_name="python3", progress_bar=False, log_output=False,
                extra_arguments=KERNEL_ARGUMENTS,
            )
        except Exception as error:  # papermill wraps every kernel-side error
            print("failed")
            raise SystemExit(_failure_message(nb, error)) from None
        seconds = time.perf_counter() - started
        body, _ = exporter.from_filename(str(target))
        (out / f"{nb.stem}.html").write_text(body, encoding="utf-8")
        figures = sorted(p.name for p in nb_out.glob("*.png")) if nb_out.exists() else []
        tables = sorted(p.name for p in nb_out.glob("*.csv")) if nb_out.exists() else []
        print(f"ok in {seconds:.1f} s: {len(figures)} figures, {len(tables)} tables")
        results.append(NotebookResult(nb.stem, notebook_title(nb), seconds, f"{nb.stem}.html", nb.name, figures, tables))
    return results


def write_index(results: list[NotebookResult], out: Path, corpus: Path, group_by: str) -> Path:
    """Write ``out/index.html``, one page linking every notebook, figure and table."""
    esc = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>newsframes report</title><style>",
        "body{font-family:system-ui,'DejaVu Sans',sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}",
        "section{border-top:1px solid #ccc;padding:1rem 0}figure{display:inline-block;margin:.5rem;width:22rem}",
        "figure img{width:100%;border:1px solid #ddd}figcaption{font-size:.85rem}code{background:#f4f4f4}",
        "</style></head><body>",
        "<h1>newsframes report</h1>",
        f"<p>Corpus <code>{esc(_relative_to_notebooks(corpus))}</code> (relative to <code>notebooks/</code>), "
        f"groups compared by <code>{esc(group_by)}</code>.</p>",
        "<ol>" + "".join(f"<li><a href='#{esc(r.name)}'>{esc(r.title)}</a></li>" for r in results) + "</ol>",
    ]
    for r in results:
        parts.append(f"<section id='{esc(r.name)}'><h2>{esc(r.title)}</h2>")
        parts.append(
            f"<p><a href='{esc(r.html)}'>Read the notebook (HTML)</a> · "
            f"<a href='{esc(r.ipynb)}'>executed .ipynb</a> · ran in {r.seconds:.1f} s</p>"
        )
        if r.tables:
            parts.append("<p>Tables (CSV): " + ", ".join(
                f"<a href='{esc(r.name)}/{esc(t)}'>{esc(t)}</a>" for t in r.tables) + "</p>")
        for fig in r.figures:
            src = f"{esc(r.name)}/{esc(fig)}"
            parts.append(f"<figure><a href='{src}'><img src='{src}' alt='{esc(fig)}'></a>"
                         f"<figcaption>{esc(fig)}</figcaption></figure>")
        parts.append("</section>")
    parts.append("</body></html>")
    path = out / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def refresh_in_place(notebooks: list[Path]) -> None:
    """Re-execute ``notebooks`` where they are, keeping their default parameters."""
    import nbformat
    from nbclient import NotebookClient

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
        nbformat.write(nb, nb_path)
        print(f"ok in {time.perf_counter() - started:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point for ``make run`` and ``make notebooks``."""
    parser = argparse.ArgumentParser(prog="python -m helpers.run", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus" / "articles"), help="corpus folder or table")
    parser.add_argument("--out", default=str(ROOT / "build"), help="output folder (default build/)")
    parser.add_argument("--group-by", default="outlet", help="metadata column whose groups are compared")
    parser.add_argument("--only", nargs="*", help="run only notebooks whose name starts with these prefixes")
    parser.add_argument("--in-place", action="store_true", help="refresh the committed notebooks instead")
    args = parser.parse_args(argv)

    notebooks = curated_notebooks()
    if args.only:
        notebooks = [p for p in notebooks if any(p.name.startswith(o) for o in args.only)]
    if not notebooks:
        raise SystemExit("No notebooks to run in notebooks/.")
    if args.in_place:
        refresh_in_place(notebooks)
        return 0
    corpus, out = Path(args.corpus), Path(args.out)
    if not corpus.exists():
        raise SystemExit(f"Corpus not found: {corpus}. Pass CORPUS=path/to/folder-or-table.")
    started = time.perf_counter()
    results = execute(corpus, out, args.group_by, notebooks)
    index = write_index(results, out, corpus, args.group_by)
    print(f"Report: {index} ({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
