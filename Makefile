# make lab        set up .venv if needed, then open the series in JupyterLab
# make test       set up .venv if needed, then ruff + unit tests + every notebook under nbval (strict)
# make notebooks  re-execute every notebook in place, in order, each in one fresh kernel
# make bench      measure how fast the notebooks run and the demos respond
# make screenshots  refresh docs/screenshots/ from the browser tests
# make golden     rewrite tests/golden/ (the demos' status lines) after a deliberate change of wording
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# JupyterLab refuses to run as root unless told to (containers, cloud machines)
LAB_FLAGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab test notebooks bench screenshots golden

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

screenshots: $(STAMP)
	BROWSER_SCREENSHOTS=update $(BIN)/python -m pytest tests/browser

golden: $(STAMP)
	$(BIN)/python scripts/update_golden.py
