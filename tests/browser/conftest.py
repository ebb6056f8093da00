"""Real-browser tests of the committed notebooks 01–03: JupyterLab from ``.venv`` in headless Chromium.

These tests are **opt-in**, so that ``pytest tests`` (``make unit``) stays fast and needs no
browser: they are collected only when ``tests/browser`` is named on the command line
(``make test-browser``) or ``NEWSFRAMES_BROWSER=1`` is set. When they run and no Chromium is
found they fail, saying how to install one.

What the session does
---------------------
1. Copies the committed ``notebooks/01…``, ``02…`` and ``03…`` into a temporary project
   (``<tmp>/notebooks``) next to a ``corpus`` link to the repository's ``corpus/``: the notebooks'
   own relative paths (``../corpus/articles``, ``../build/<notebook>``) then read the teaching
   corpus and write their outputs (tables, ``read_precision.csv``, ``term_comparison.html``)
   under ``<tmp>/build``. Nothing is written into the repository except the screenshots in
   ``build/browser/``.
2. Builds the teaching corpus in the test process (this also fills the token cache the
   kernels read: ``$NEWSFRAMES_CACHE`` or ``~/.cache/newsframes``, as for every notebook run).
3. Starts ``jupyter lab`` on a free port of 127.0.0.1 with a random token, no browser, its own
   config, settings, workspace and runtime folders (news and update pop-ups off, the
   notebook's own kernel started without asking) and the temporary project as its root.
   The kernels run as a person's would: ``NEWSFRAMES_BATCH``, ``CI``, ``NEWSFRAMES_WIDGETS``,
   ``NEWSFRAMES_PROGRESS`` and ``NEWSFRAMES_DICTIONARIES`` are removed from their environment,
   so the explorers are live widgets and the bundled dictionaries are ``corpus/``'s.
4. Opens each notebook in its own page (and JupyterLab workspace) and clicks *Run > Run All
   Cells* in all three at once, so that the kernels run side by side; a test that needs a
   notebook waits until its kernel is idle, checks that every cell ran without an error, and
   scrolls to the Explore cell.

Expected values are computed in the test process with the helpers on the same corpus and the
same dictionaries (:func:`notebook_dictionaries`: the unit tests' fixture dictionaries are not
what the notebooks read).

Playwright drives the system Chromium (``executable_path``; Playwright's own browser download
is never used). Chromium is looked for as ``$NEWSFRAMES_CHROMIUM``, then ``chromium``,
``chromium-browser``, ``google-chrome`` and ``google-chrome-stable`` on the PATH. On Debian or
Ubuntu: ``apt-get install -y chromium``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHOTS = ROOT / "build" / "browser"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
#: The committed notebooks the session opens, in the order their runs are started.
NOTEBOOKS = ("01_term_frequency", "02_actor_cooccurrence", "03_framing_comparison")
#: Environment variables a person's kernel does not have (they make explorers static, hide
#: progress, or point the bundled dictionaries at the unit tests' fixtures).
NOT_IN_A_PERSONS_KERNEL = ("NEWSFRAMES_BATCH", "CI", "NEWSFRAMES_WIDGETS", "NEWSFRAMES_PROGRESS", "NEWSFRAMES_DICTIONARIES")
STARTUP_SECONDS = 120
#: How long a notebook may take to run all its cells (10–40 s warm; the first cold run of 02
#: adds named-entity recognition; three kernels share the machine's cores).
RUN_SECONDS = 600
#: Seconds from Run All Cells to an idle kernel, per notebook (printed at the end of the run).
TIMINGS: dict[str, float] = {}


def _requested(config: pytest.Config) -> bool:
    """Browser tests run when asked for: ``tests/browser`` named, or ``NEWSFRAMES_BROWSER=1``."""
    if os.environ.get("NEWSFRAMES_BROWSER") == "1":
        return True
    base = Path(config.invocation_params.dir)
    for arg in config.invocation_params.args:
        if arg.startswith("-"):
            continue
        target = (base / arg.split("::")[0]).resolve()
        if target == HERE or HERE in target.parents:
            return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: a test that drives JupyterLab in a real browser (make test-browser)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking ``notebook_name`` runs once per notebook the session opens."""
    if "notebook_name" in metafunc.fixturenames:
        metafunc.parametrize("notebook_name", NOTEBOOKS)


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how long each notebook took to run in JupyterLab."""
    if TIMINGS:
        terminalreporter.write_line("Run All Cells in JupyterLab, three kernels side by side: "
                                    + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in TIMINGS.items()))


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave this folder out of a plain ``pytest tests`` run."""
    path = Path(collection_path).resolve()
    if (path == HERE or HERE in path.parents) and path.name != "conftest.py" and not _requested(config):
        return True
    return None


# --------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable to drive, or None."""
    given = os.environ.get("NEWSFRAMES_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        where = f"NEWSFRAMES_CHROMIUM={os.environ['NEWSFRAMES_CHROMIUM']} is not a file" if os.environ.get("NEWSFRAMES_CHROMIUM") else (
            "none of " + ", ".join(CHROMIUM_NAMES) + " is on the PATH")
        pytest.fail(
            f"No Chromium for the browser tests: {where}. Install one (Debian/Ubuntu, as root: "
            "`apt-get install -y chromium`) or point NEWSFRAMES_CHROMIUM at a Chromium or Chrome "
            "executable. Playwright's own browser download is not used.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium: str):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The browser tests need Playwright: .venv/bin/pip install playwright==1.65.2", pytrace=False)
    with sync_playwright() as p:
        try:
            instance = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
        except Exception as error:  # a broken or incompatible browser: say which one
            pytest.fail(f"Chromium at {chromium} did not start under Playwright: {error}", pytrace=False)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    """``build/browser/``, emptied of the screenshots of an earlier run."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    return SHOTS


# --------------------------------------------------------------------------------------------
# The temporary project and what the test process computes
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def notebook_dictionaries() -> Iterator[None]:
    """Resolve the bundled dictionaries as the notebooks do (``corpus/``), for the block's duration.

    ``tests/conftest.py`` points them at ``tests/fixtures/dictionaries`` for the unit tests; the
    kernels, like a person's, read ``corpus/``. Every expected value is computed inside this
    block so that the test process and the kernels read the same files.
    """
    from helpers.dictionaries import DICTIONARIES_ENV

    before = os.environ.pop(DICTIONARIES_ENV, None)
    try:
        yield
    finally:
        if before is not None:
            os.environ[DICTIONARIES_ENV] = before


@pytest.fixture(scope="session")
def as_in_notebooks():
    """:func:`notebook_dictionaries`, for the tests: ``with as_in_notebooks(): ...``."""
    return notebook_dictionaries


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<tmp>/notebooks`` (copies of 01–03) and ``<tmp>/corpus`` (a link to the repository's)."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "notebooks").mkdir()
    for name in NOTEBOOKS:
        shutil.copy2(ROOT / "notebooks" / f"{name}.ipynb", folder / "notebooks" / f"{name}.ipynb")
    try:
        (folder / "corpus").symlink_to(ROOT / "corpus", target_is_directory=True)
    except OSError as error:  # the notebooks must see the teaching corpus itself (params.is_teaching_corpus)
        pytest.fail(f"Cannot link the corpus into the temporary project ({error}); the browser tests need symbolic links.", pytrace=False)
    return folder


@pytest.fixture(scope="session")
def out_dirs(project: Path) -> dict[str, Path]:
    """Each notebook's ``out_dir`` (``../build/<notebook>`` from ``<tmp>/notebooks``)."""
    return {name: project / "build" / name for name in NOTEBOOKS}


@pytest.fixture(scope="session")
def reference(project: Path):
    """The teaching corpus, built in the test process as the notebooks' set-up cell builds it.

    Built before the kernels start, so that they find its tokens in the cache.
    """
    from helpers import params
    from helpers.corpus import build_corpus, load_corpus
    from helpers.dictionaries import MWES_FILE

    corpus_path = project / "notebooks" / ".." / "corpus" / "articles"  # the notebooks' "../corpus/articles"
    assert params.is_teaching_corpus(corpus_path), "the temporary project must read the teaching corpus"
    with notebook_dictionaries():  # the parameters cell's values: language None, drop_copies, boilerplate True, group_by "outlet"
        return build_corpus(load_corpus(corpus_path), lang="main", drop_copies=True, boilerplate=True, boilerplate_by="outlet", mwes=MWES_FILE)


# --------------------------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _isolated(folder: Path) -> dict[str, str]:
    """Config, settings, workspaces and runtime folders of this server only; pop-ups off."""
    config, settings = folder / "jupyter-config", folder / "lab-settings"
    config.mkdir(parents=True)
    server = {"LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}
    for name in ("jupyter_server_config.json", "jupyter_lab_config.json"):
        (config / name).write_text(json.dumps(server), encoding="utf-8")
    user_settings = {
        # No news or update notifications.
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
        # A notebook opens with the kernel its metadata names (python3), without the "Select Kernel" dialog.
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
    }
    for name, values in user_settings.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values), encoding="utf-8")
    return {
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / "lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
    }


class Lab:
    """A running JupyterLab: its URL, token, root folder and log."""

    def __init__(self, process: subprocess.Popen, port: int, token: str, root: Path, log: Path) -> None:
        self.process, self.port, self.token, self.root, self.log = process, port, token, root, log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _wait_until_up(lab: Lab) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            pytest.fail(f"jupyter lab exited with code {lab.process.returncode}:\n{lab.log_tail()}", pytrace=False)
        try:
            with urllib.request.urlopen(lab.url("api/status"), timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {STARTUP_SECONDS} s:\n{lab.log_tail()}", pytrace=False)


def _stop(lab: Lab) -> None:
    """Shut the server down through its API (it stops its kernels), then make sure it is gone."""
    try:
        request = urllib.request.Request(lab.url("api/shutdown"), method="POST")
        urllib.request.urlopen(request, timeout=5).close()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        pass
    try:
        lab.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(lab.process.pid, signal.SIGTERM)  # the server's own process group (it was started with a new session)
        try:
            lab.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(lab.process.pid, signal.SIGKILL)
            lab.process.wait(timeout=10)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, project: Path) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("lab")
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_A_PERSONS_KERNEL}
    env.update(_isolated(folder))
    env["PYTHONHASHSEED"] = "0"
    port, token = _free_port(), secrets.token_hex(16)
    log = folder / "lab.log"
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={project}",
        "--LabApp.news_url=None", "--ServerApp.open_browser=False", "--ServerApp.allow_root=True",
    ]
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, cwd=project, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    server = Lab(process, port, token, project, log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(server)


# --------------------------------------------------------------------------------------------
# Running the notebooks
# --------------------------------------------------------------------------------------------

#: Every cell of the open notebook: code or not, its prompt ("[3]:", "[*]:", "[ ]:" or None when
#: its input is collapsed) and the text of its error outputs (tracebacks).
_CELLS_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(c => ({
  code: c.classList.contains('jp-CodeCell'),
  prompt: c.querySelector('.jp-InputArea-prompt') ? c.querySelector('.jp-InputArea-prompt').textContent.trim() : null,
  error: Array.from(c.querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"))
    .map(e => e.textContent).filter(t => t.includes('Traceback')).join('\\n'),
}))"""
#: The run is over: the notebook's execution indicator is idle and no cell waits to run.
_DONE_JS = """() => {
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'));
  return indicator && indicator.getAttribute('data-status') === 'idle' && !prompts.some(p => p.textContent.includes('*'));
}"""
#: The run has started: the indicator is busy or a cell is queued or running.
_STARTED_JS = """() => {
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'));
  return (indicator && indicator.getAttribute('data-status') === 'busy') || prompts.some(p => p.textContent.includes('*'));
}"""


@dataclass
class Run:
    """One committed notebook open in its own page, its cells run by *Run All Cells*."""

    name: str
    page: Any
    cells: int
    code_cells: int
    started: float  # time.time() when Run All was clicked
    seconds: float | None = None
    failure: str | None = None
    checked: bool = field(default=False)

    @property
    def path(self) -> str:
        return f"notebooks/{self.name}.ipynb"


def _accept_kernel_dialog(page) -> bool:
    """Take the default kernel if JupyterLab asks for one (it should not: autoStartDefaultKernel)."""
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    if dialog.count():
        dialog.first.click()
        page.wait_for_timeout(500)
        return True
    return False


def _open_and_run(context, lab: Lab, name: str, shots: Path) -> Run:
    """Open ``notebooks/<name>.ipynb`` in a page of its own and start Run > Run All Cells."""
    import nbformat

    nb = nbformat.read(lab.root / "notebooks" / f"{name}.ipynb", as_version=4)
    n_cells, n_code = len(nb.cells), sum(c.cell_type == "code" for c in nb.cells)
    page = context.new_page()
    page.set_default_timeout(60_000)
    # One JupyterLab workspace per page, so that the three pages do not share a layout.
    page.goto(lab.url(f"lab/workspaces/nf-{name[:2]}/tree/notebooks/{name}.ipynb"))
    try:
        page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=120_000)
        page.wait_for_function("n => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n", arg=n_cells, timeout=120_000)
        _accept_kernel_dialog(page)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
        clicked = time.time()
        for _ in range(3):
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click(timeout=10_000)
            try:
                page.wait_for_function(_STARTED_JS, timeout=15_000, polling=200)
                break
            except Exception:
                _accept_kernel_dialog(page)  # a kernel dialog swallowed the click: run again
        else:
            raise AssertionError("Run All Cells did not start the notebook's cells")
    except Exception as error:
        page.screenshot(path=str(shots / f"{name}_failed_start.png"))
        pytest.fail(f"JupyterLab did not start running {name}.ipynb ({error}); see build/browser/{name}_failed_start.png.", pytrace=False)
    return Run(name, page, n_cells, n_code, clicked)


def _run_seconds(run: Run, lab: Lab) -> float:
    """Seconds from Run All to the kernel's last activity (when its last cell ended).

    The notebook may have finished long before a test came to wait for it; its kernel's
    ``last_activity`` (Jupyter Server's sessions API) says when. Falls back to now.
    """
    from datetime import datetime

    now = time.time() - run.started
    try:
        with urllib.request.urlopen(lab.url("api/sessions"), timeout=10) as reply:
            sessions = json.load(reply)
        stamp = next(s["kernel"]["last_activity"] for s in sessions if s["path"] == run.path)
        ended = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except (StopIteration, KeyError, ValueError, urllib.error.URLError):
        return now
    return min(now, max(ended - run.started, 0.0))


def _finish(run: Run, lab: Lab, shots: Path) -> None:
    """Wait for ``run`` to end; record how long it took, or why it failed."""
    page = run.page
    try:
        page.wait_for_function(_DONE_JS, timeout=RUN_SECONDS * 1000, polling=500)
    except Exception:
        run.failure = f"{run.name}.ipynb did not finish within {RUN_SECONDS} s"
    run.seconds = _run_seconds(run, lab)
    TIMINGS[run.name] = run.seconds
    cells = page.evaluate(_CELLS_JS)
    code = [c for c in cells if c["code"]]
    errors = [(i, c["error"]) for i, c in enumerate(code) if c["error"]]
    # In a fresh kernel, Run All gives the i-th code cell the count i; a cell aborted after an
    # error shows "[ ]". (A cell whose input is collapsed shows no prompt: its errors still show.)
    wrong = [(i + 1, c["prompt"]) for i, c in enumerate(code) if c["prompt"] is not None and c["prompt"] != f"[{i + 1}]:"]
    if run.failure is None and errors:
        i, text = errors[0]
        run.failure = f"{run.name}.ipynb: code cell {i + 1} raised an error:\n{text[-3000:]}"
    elif run.failure is None and (len(code) != run.code_cells or wrong):
        run.failure = (f"{run.name}.ipynb: not every cell ran once, in order, in one kernel ({len(code)} code cells shown of "
                       f"{run.code_cells}; cells with another prompt than their number: {wrong[:8]})")
    if run.failure:
        page.screenshot(path=str(shots / f"{run.name}_failed.png"))
        run.failure += f"\n(see build/browser/{run.name}_failed.png)"


class Runs:
    """The three notebooks, started together; :meth:`page` waits for one to finish."""

    def __init__(self, runs: dict[str, Run], lab: Lab, shots: Path) -> None:
        self.runs, self.lab, self.shots = runs, lab, shots

    def page(self, name: str):
        """The page of notebook ``name`` after every cell ran, scrolled to its first explorer."""
        run = self.runs[name]
        if run.seconds is None:
            _finish(run, self.lab, self.shots)
            if not run.failure:
                screenshot(run.page, explore_cell(run.page), self.shots / f"{name}.png")
        if run.failure:
            pytest.fail(run.failure, pytrace=False)
        return run.page

    def screenshot(self, page, name: str) -> None:
        """``build/browser/<name>.png``: the window with the page's Explore cell at the top."""
        screenshot(page, explore_cell(page), self.shots / f"{name}.png")


def explore_cell(page, index: int = 0):
    """The notebook cell that holds the ``index``-th explorer widget."""
    return page.locator(".jp-Notebook .jp-Cell").filter(has=page.locator(".nf-explorer")).nth(index)


def show_cell(page, cell) -> None:
    """Scroll the notebook until ``cell``'s top is at the top of the view, and stays there.

    Cells out of view are laid out with an estimated height (JupyterLab's default
    ``contentVisibility`` windowing), so one scroll may land short: scroll until the cell
    stops moving.
    """
    last = None
    for _ in range(12):
        cell.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(250)
        box = cell.bounding_box()
        top = round(box["y"]) if box else None
        if top is not None and top == last:
            return
        last = top


def screenshot(page, cell, path: Path) -> None:
    """A screenshot of the JupyterLab window with ``cell`` at the top of the notebook."""
    show_cell(page, cell)
    page.screenshot(path=str(path))


@pytest.fixture(scope="session")
def notebooks(browser, lab: Lab, reference, shots: Path) -> Iterator[Runs]:
    """Notebooks 01, 02 and 03 open in JupyterLab, all three running (the corpus is cached first)."""
    # Tall enough to show an explorer whole (its controls, counts and a page of lines).
    context = browser.new_context(viewport={"width": 1400, "height": 1700}, locale="ru-RU")
    runs = Runs({name: _open_and_run(context, lab, name, shots) for name in NOTEBOOKS}, lab, shots)
    yield runs
    context.close()
