# Two commands for a newcomer: `make run` and `make test`. Both install what they need, and say so.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# The server listens on every interface of this machine; ADDRESS=127.0.0.1 keeps it to this machine only.
ADDRESS ?= 0.0.0.0
PYTEST_ARGS ?=
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8

.PHONY: install install-dev system-deps run test lint bench clean

# A virtualenv with uv in it: uv installs the packages about ten times faster than pip here.
$(UV):
	@echo "==> creating the virtualenv in $(VENV) (once)"
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) 2>&1 | grep -v "is ignored" || true

$(VENV)/.runtime: requirements.txt | $(UV)
	@echo "==> installing what the app needs (requirements.txt)"
	$(UV) pip install --python $(PY) -r requirements.txt
	$(PY) -c "import streamlit, ortools, sqlalchemy, alembic, pandas, argon2, itsdangerous"
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	@echo "==> installing the test tools (requirements-dev.txt)"
	$(UV) pip install --python $(PY) -r requirements-dev.txt
	$(PY) -c "import pytest, xdist, pytest_rerunfailures, playwright, importlinter, axe_playwright_python"
	touch $@

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

# Debian packages for the browser and database tests, installed when missing (needs root).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "==> installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing$$missing; run as root or: sudo apt-get install$$missing"; fi; \
	fi

run: install
	@echo "==> preparing the demo database"
	PLANNER_DEMO=1 $(PY) -m planner init-db
	@echo "==> serving on http://localhost:$(PORT) (listening on $(ADDRESS))"
	PLANNER_DEMO=1 $(VENV)/bin/streamlit run serve.py --server.headless true --server.port $(PORT) \
	  --server.address $(ADDRESS) --browser.gatherUsageStats false

# Two passes: the tests without a browser on both cores (they wait on nothing but the CPU), then the
# browser tests one at a time (each drives a server and Chromium, and waits on them with timeouts). A
# browser test may run up to three times: a click can land while Streamlit redraws the page; a test
# that fails three times fails, and the reruns are listed in the summary.
test: install-dev system-deps
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -m "not browser" -n 2 $(PYTEST_ARGS)
	$(PY) -m pytest -m browser --reruns 2 $(PYTEST_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

bench: install
	$(PY) bench/solve_bench.py
	$(PY) bench/whatif_bench.py
	$(PY) bench/offers.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
