# make lab        set up .venv if needed, then open the series in JupyterLab
# make test       set up .venv if needed, then ruff + unit tests + every notebook under nbval (strict)
# make notebooks  re-execute every notebook in place, in order, each in one fresh kernel
# make bench      measure how fast the notebooks run and the demos respond
# make screenshots  refresh docs/screenshots/ from the browser tests
# make lock       re-pin every transitive dependency in requirements-lock.txt (after changing requirements.txt)
# make assignments        (instructors) build the nbgrader course in build/course/: source/ and the student release/
# make check-assignments  (instructors) autograde the solutions, the untouched release and one wrong answer
# make golden     rewrite tests/golden/ (the demos' status lines) after a deliberate change of wording
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# JupyterLab refuses to run as root unless told to (containers, cloud machines)
LAB_FLAGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: lab test notebooks bench screenshots golden lock assignments check-assignments

# The series' IPython profile (.ipython/): a quiet kernel log, and a hint when a cell runs before the setup cell.
export IPYTHONDIR := $(CURDIR)/.ipython
NEW_ENOUGH := import sys; sys.exit(sys.version_info < (3, 10))

$(STAMP): requirements.txt requirements-lock.txt pyproject.toml
	@$(PYTHON) -c '$(NEW_ENOUGH)' 2>/dev/null || { echo "Python 3.10 or newer is required; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Install a newer Python and run: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c '$(NEW_ENOUGH)' 2>/dev/null; then echo "$(VENV) was made by an older Python: making it again"; rm -rf $(VENV); fi
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

lock: $(STAMP)
	$(BIN)/python scripts/lock_requirements.py

# The instructor tools (nbgrader 0.9.6, Python 3.11+) live in their own venv: learners never install them.
IBIN := .venv-instructor/bin
ISTAMP := .venv-instructor/.installed-stamp
INSTRUCTOR_PATH := PATH="$(CURDIR)/$(IBIN):$$PATH"

$(ISTAMP): requirements.txt requirements-instructor.txt requirements-lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { echo "nbgrader 0.9.6 needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Run: make PYTHON=python3.12 $(MAKECMDGOALS)"; exit 1; }
	test -x $(IBIN)/python || $(PYTHON) -m venv .venv-instructor
	$(IBIN)/python -m pip install --disable-pip-version-check -q -c requirements-lock.txt -r requirements.txt -r requirements-instructor.txt
	touch $(ISTAMP)

assignments: $(ISTAMP)
	$(INSTRUCTOR_PATH) $(IBIN)/python scripts/make_assignments.py

check-assignments: assignments
	$(INSTRUCTOR_PATH) $(IBIN)/python scripts/check_assignments.py
	$(INSTRUCTOR_PATH) $(IBIN)/python -m pytest -q tests/test_assignments.py
