# newsframes: two commands do everything on a fresh machine.
#   make run    set up, then execute every notebook on the bundled corpus into build/
#   make test   set up, then unit tests + strict nbval on the committed notebooks
# Own corpus:  make run CORPUS=path/to/articles OUT=build/mine GROUP_BY=outlet

SHELL     := /bin/bash
PYTHON    ?= python3
VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
CORPUS    ?= corpus/articles
OUT       ?= build
GROUP_BY  ?= outlet

export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup run test unit nbval lab notebooks bench clean help

help:
	@echo "make run | make test | make lab | make notebooks | make bench | make clean"

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "newsframes needs Python 3.11 or newer; found %d.%d. Set PYTHON=/path/to/python3.11." % v[:2])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) (once; about a minute)..."
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $(STAMP)

run: setup
	@$(PY) -m helpers.run --corpus "$(CORPUS)" --out "$(OUT)" --group-by "$(GROUP_BY)"

unit: setup
	@$(PY) -m pytest -q tests

nbval: setup
	@$(PY) -m pytest -q -p no:cacheprovider --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

test: unit nbval

lab: setup
	@$(PY) -m jupyter lab notebooks

notebooks: setup
	@$(PY) -m helpers.run --in-place

bench: setup
	@$(PY) benchmarks/bench_loader.py
	@$(PY) benchmarks/bench_text.py

clean:
	rm -rf build .cache .pytest_cache .hypothesis
