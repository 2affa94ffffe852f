# logihub: the project's verbs. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON3 ?= python3

.PHONY: install run test test-unit test-integration test-unit-postgresql test-browser bench lint format services services-start services-stop services-status messages clean

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
	@# the demo may send webhooks to receivers on this machine; production refuses private addresses
	WEBHOOK_ALLOW_PRIVATE_NETWORKS=$${WEBHOOK_ALLOW_PRIVATE_NETWORKS:-1} exec $(VENV)/bin/daphne -b $(HOST) -p $(PORT) hub.asgi:application

test: install lint test-unit test-integration test-unit-postgresql test-browser

# Each suite in its own process: the unit and browser suites on SQLite (a developer's stack
# exports are dropped), the integration suite through its launcher, which starts PostgreSQL,
# RabbitMQ and Redis on loopback and points the production settings at them.
STACK_ENV := -u DATABASE_URL -u CELERY_BROKER_URL -u CHANNEL_LAYER_URL -u LOGIHUB_STACK

test-unit: install
	env $(STACK_ENV) $(PY) -m pytest tests/unit -q

test-integration: install
	$(PY) tests/integration/run.py -q

# The unit suite once more on a real PostgreSQL (alone: tasks in-process, in-memory channel layer).
test-unit-postgresql: install
	$(PY) tests/integration/run.py --database-only -q tests/unit

test-browser: install
	env $(STACK_ENV) $(PY) -m pytest tests/browser -q -m browser

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Throwaway PostgreSQL, RabbitMQ and Redis on loopback, in the foreground until Ctrl-C
# (prints the exports); services-start/-stop/-status keep them in the background.
services: install
	$(PY) tests/stack.py up

services-start: install
	@$(PY) tests/stack.py start

services-stop: install
	$(PY) tests/stack.py stop

services-status: install
	$(PY) tests/stack.py status

# Translation catalogues (zh-Hans, en): extract, then compile.
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/static var/bench
