"""Real-browser tests of the explorers: JupyterLab from ``.venv`` driven by headless Chromium.

These tests are **opt-in**, so that ``pytest tests`` (``make unit``) stays fast and needs no
browser: they are collected only when ``tests/browser`` is named on the command line
(``make test-browser``) or ``NEWSFRAMES_BROWSER=1`` is set. When they run and no Chromium is
found they fail, saying how to install one.

The session starts ``jupyter lab`` on a free port of 127.0.0.1 with a random token, no browser,
its own config, settings, workspace and runtime folders (JupyterLab's news and update pop-ups
off), in a temporary folder holding a throwaway notebook that shows the explorers on the teaching
corpus. The kernel runs as a person's would (``NEWSFRAMES_BATCH`` and ``CI`` removed from its
environment), so the explorers are live widgets. Playwright drives the system Chromium
(``executable_path``; Playwright's own browser download is never used). Screenshots go to
``build/browser/``.

Chromium is looked for as ``$NEWSFRAMES_CHROMIUM``, then ``chromium``, ``chromium-browser``,
``google-chrome`` and ``google-chrome-stable`` on the PATH. On Debian or Ubuntu:
``apt-get install -y chromium``.
"""

from __future__ import annotations

import json
import os
import re
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
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHOTS = ROOT / "build" / "browser"
CORPUS = ROOT / "corpus" / "articles"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
#: The actors the throwaway notebook and the test process both explore (a few persons: matching
#: the whole dictionary costs more time than the browser test needs).
ACTOR_IDS = ["lavrov", "macron", "merz", "meloni", "peskov", "putin", "trump", "tusk", "zelensky"]
GROUPS = ("Киевский курьер", "Столичный обозреватель")
STARTUP_SECONDS = 120


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


@pytest.fixture(scope="session")
def groups() -> tuple[str, str]:
    """The two outlets the term page compares."""
    return GROUPS


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
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


# --------------------------------------------------------------------------------------------
# JupyterLab and the throwaway notebook
# --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _notebook(folder: Path) -> Path:
    """Write the throwaway notebook: the corpus, then one cell per explorer and the page."""
    import nbformat

    setup = f"""from helpers import actors, explore
from helpers.corpus import build_corpus, load_corpus

corpus = build_corpus(load_corpus({str(CORPUS)!r}))
dictionary = actors.load_actors()
dictionary = dictionary[dictionary["actor"].isin({ACTOR_IDS!r})]
print(explore.interactive(), corpus)"""
    cells = [
        nbformat.v4.new_markdown_cell("# Explorers (throwaway notebook of tests/browser)"),
        nbformat.v4.new_code_cell(setup),
        nbformat.v4.new_code_cell('kwic_box = explore.kwic_explorer(corpus, by="outlet", top=10)\nkwic_box'),
        nbformat.v4.new_code_cell('actor_box = explore.actor_explorer(corpus, actors=dictionary, by="outlet")\nactor_box'),
        nbformat.v4.new_code_cell('frame_box = explore.frame_explorer(corpus, by="outlet", path="read_precision.csv", frame="sanctions")\nframe_box'),
        nbformat.v4.new_code_cell(f'page = explore.term_comparison_html(corpus, "outlet", {GROUPS[0]!r}, {GROUPS[1]!r}, "terms.html")\nprint("page written:", page)'),
    ]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path = folder / "explore.ipynb"
    nbformat.write(nb, path)
    return path


def _isolated(folder: Path) -> dict[str, str]:
    """Config, settings, workspaces and runtime folders of this server only; pop-ups off."""
    config, settings = folder / "jupyter-config", folder / "lab-settings"
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    config.mkdir()
    server = {"LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}
    for name in ("jupyter_server_config.json", "jupyter_lab_config.json"):
        (config / name).write_text(json.dumps(server), encoding="utf-8")
    notification = {"fetchNews": "false", "checkForUpdates": False}
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(json.dumps(notification), encoding="utf-8")
    return {
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / "lab-workspaces"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
    }


class Lab:
    """A running JupyterLab: its URL, token, folder and log."""

    def __init__(self, process: subprocess.Popen, port: int, token: str, folder: Path, log: Path) -> None:
        self.process, self.port, self.token, self.folder, self.log = process, port, token, folder, log

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


def _start_kernel(lab: Lab, notebook: str) -> None:
    """Open the notebook's session with the python3 kernel (so JupyterLab asks for no kernel)."""
    body = json.dumps({"path": notebook, "name": notebook, "type": "notebook", "kernel": {"name": "python3"}}).encode()
    request = urllib.request.Request(lab.url("api/sessions"), data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as reply:
        assert reply.status in (200, 201), reply.status


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
def lab_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One token cache for the test process and the kernel: the corpus is tokenized once."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("NEWSFRAMES_CACHE")
    os.environ["NEWSFRAMES_CACHE"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("NEWSFRAMES_CACHE", None)
    else:
        os.environ["NEWSFRAMES_CACHE"] = before


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, lab_cache: Path, reference) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("lab")
    _notebook(folder)
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSFRAMES_BATCH", "CI", "NEWSFRAMES_WIDGETS", "NEWSFRAMES_PROGRESS")}
    env.update(_isolated(folder))
    env["PYTHONHASHSEED"] = "0"
    port, token = _free_port(), secrets.token_hex(16)
    log = folder / "lab.log"
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
        "--LabApp.news_url=None", "--ServerApp.open_browser=False", "--ServerApp.allow_root=True",
    ]
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    server = Lab(process, port, token, folder, log)
    try:
        _wait_until_up(server)
        _start_kernel(server, "explore.ipynb")
        yield server
    finally:
        _stop(server)


# --------------------------------------------------------------------------------------------
# What the test process computes to compare with the page
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def reference(lab_cache: Path):
    """The teaching corpus and the actor dictionary, built here exactly as the notebook builds them."""
    from helpers import actors
    from helpers.corpus import build_corpus, load_corpus

    corpus = build_corpus(load_corpus(CORPUS))
    dictionary = actors.load_actors()
    dictionary = dictionary[dictionary["actor"].isin(ACTOR_IDS)]
    return corpus, dictionary


def _run_all(page, shots: Path) -> None:
    """Run > Run All Cells, taking the default kernel if JupyterLab asks for one."""
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    started = page.locator(".jp-InputArea-prompt", has_text=re.compile(r"\[(\*|\d+)\]"))
    for _ in range(3):
        page.wait_for_timeout(1500)
        if dialog.count():
            dialog.first.click()
            page.wait_for_timeout(1000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        try:
            page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click(timeout=10_000)
        except Exception:
            page.screenshot(path=str(shots / "00_menu.png"))
            raise
        page.wait_for_timeout(1500)
        if dialog.count():
            dialog.first.click()
            continue  # the kernel dialog swallowed the run: run again
        if started.count():
            return
    pytest.fail("JupyterLab did not start running the notebook's cells (see build/browser/00_failed_start.png).", pytrace=False)


@pytest.fixture(scope="session")
def notebook(browser, lab: Lab, shots: Path):
    """The throwaway notebook open in JupyterLab with every cell run; the explorers shown."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(lab.url("lab/tree/explore.ipynb"))
    page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=120_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
    _run_all(page, shots)
    try:
        page.locator(".nf-kwic-query input").wait_for(state="visible", timeout=180_000)
        page.locator(".nf-frame-card .nf-card").wait_for(state="visible", timeout=240_000)
        page.get_by_text("page written:").wait_for(timeout=240_000)
    except Exception:
        page.screenshot(path=str(shots / "00_failed_start.png"), full_page=True)
        raise
    page.screenshot(path=str(shots / "00_notebook.png"), full_page=True)
    yield page
    context.close()
