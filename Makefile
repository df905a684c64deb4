# Two commands for a newcomer: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
PYTEST_ARGS ?=

.PHONY: install system-deps run test lint bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(PY) -m pip install -q -r requirements.txt 2>&1 | grep -v "is ignored" || true
	$(PY) -c "import streamlit, ortools, sqlalchemy, alembic, pandas, playwright, argon2, importlinter"
	touch $@

install: $(VENV)/.installed

# Debian packages for the browser and database tests, installed when missing (needs root).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing$$missing; run as root or: sudo apt-get install$$missing"; fi; \
	fi

run: install
	PLANNER_DEMO=1 $(PY) -m planner init-db
	PLANNER_DEMO=1 $(VENV)/bin/streamlit run serve.py --server.headless true --server.port $(PORT) \
	  --browser.gatherUsageStats false

test: install system-deps
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

bench: install
	$(PY) bench/solve_bench.py
	$(PY) bench/whatif_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
