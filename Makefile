# newsframes: two commands do everything on a fresh machine.
#   make run    set up, then execute every notebook on the bundled corpus into build/
#   make test   set up, then unit tests + strict nbval on the committed notebooks
# Your corpus:  make run CORPUS=path/to/articles OUT=build/mine GROUP_BY=outlet PARAMS=my.yml
# On Dask:      make run ENGINE=dask [DASK_SCHEDULER=tcp://host:8786]

SHELL       := /bin/bash
PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed
CORPUS      ?= corpus/articles
OUT         ?= build
GROUP_BY    ?= outlet
PARAMS      ?=
STUDENT_OUT ?= build/student
ENGINE      ?= $(NEWSFRAMES_ENGINE)
DASK_SCHEDULER ?=

export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

NBVAL := $(PY) -m pytest -q -p no:cacheprovider --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

.PHONY: setup run test unit nbval nbval-portable test-browser student lab notebooks bench clean help

help:
	@echo "make run | make test | make student | make lab | make notebooks | make bench | make test-browser | make clean"

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "newsframes needs Python 3.11 or newer; found %d.%d. Set PYTHON=/path/to/python3.11." % v[:2])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) (once; about a minute)..."
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@$(VENV)/bin/jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1 || true
	@touch $(STAMP)

# ENGINE=dask runs the corpus-wide passes on Dask (a local cluster, or DASK_SCHEDULER=tcp://host:8786).
run: setup
	@NEWSFRAMES_ENGINE="$(ENGINE)" DASK_SCHEDULER="$(DASK_SCHEDULER)" $(PY) -m helpers.run --corpus "$(CORPUS)" --out "$(OUT)" --group-by "$(GROUP_BY)" $(if $(PARAMS),--params "$(PARAMS)")

unit: setup
	@$(PY) -m pytest -q -p no:cacheprovider tests

nbval: setup
	@$(NBVAL)

# The same strict nbval with NumPy's SIMD dispatch cut down to baseline x86-64: a table whose
# order depends on the CPU's sort kernel (unstable ties) fails here on any machine.
nbval-portable: setup
	@if [ "$$(uname -m)" = "x86_64" ]; then \
		echo "nbval again with NPY_DISABLE_CPU_FEATURES=\"X86_V3 X86_V4\" (outputs must not depend on the CPU)"; \
		NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4" $(NBVAL); \
	else echo "nbval-portable: not an x86-64 machine, skipped"; fi

test: unit nbval nbval-portable
	@if [ -n "$$NEWSFRAMES_CHROMIUM" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then \
		$(MAKE) --no-print-directory test-browser; \
	else echo "Browser tests not run: no Chromium found. Install one (Debian/Ubuntu: sudo apt-get install chromium, or set NEWSFRAMES_CHROMIUM=/path/to/chrome) and run 'make test-browser'."; fi

# The explorers in a real browser: JupyterLab + headless Chromium (screenshots in build/browser/).
test-browser: setup
	@$(PY) -m pytest -q -p no:cacheprovider tests/browser

student: setup
	@$(PY) -m helpers.run --student "$(STUDENT_OUT)"

lab: setup
	@$(VENV)/bin/jupyter lab notebooks --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

notebooks: setup
	@$(PY) -m helpers.run --in-place

bench: setup
	@$(PY) benchmarks/bench_loader.py
	@$(PY) benchmarks/bench_text.py
	@$(PY) benchmarks/bench_explore.py

clean:
	rm -rf build .cache .pytest_cache .hypothesis
