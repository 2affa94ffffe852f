# logihub: the project's verbs. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON3 ?= python3

.PHONY: install run test test-unit test-integration test-browser bench lint format services messages clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@echo
	@echo "logihub is starting on http://$(HOST):$(PORT)/ (embedded: SQLite, in-memory channel layer, in-process tasks)"
	@echo "  public tracking   http://$(HOST):$(PORT)/track/"
	@echo "  portal            http://$(HOST):$(PORT)/portal/"
	@echo "  API docs          http://$(HOST):$(PORT)/api/v1/docs/   (OpenAPI: /api/v1/schema/)"
	@echo "  admin             http://$(HOST):$(PORT)/admin/"
	@echo "  health            http://$(HOST):$(PORT)/healthz"
	@echo "Ctrl-C stops it."
	exec $(VENV)/bin/daphne -b $(HOST) -p $(PORT) hub.asgi:application

test: install lint test-unit test-integration test-browser

test-unit: install
	$(PY) -m pytest tests/unit -q

test-integration: install
	$(PY) -m pytest tests/integration -q -m integration

test-browser: install
	@if [ -d tests/browser ] && ls tests/browser/test_*.py >/dev/null 2>&1; then $(PY) -m pytest tests/browser -q -m browser; fi

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Throwaway PostgreSQL, RabbitMQ and Redis on loopback, until Ctrl-C.
services: install
	@$(PY) tests/stack.py start
	@trap '$(PY) tests/stack.py stop' EXIT; echo "services running; Ctrl-C stops them"; while true; do sleep 3600; done

# Translation catalogues (zh-Hans, en): extract, then compile.
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/static var/bench
