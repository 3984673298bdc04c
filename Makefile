# Agent-assist service. `make run` and `make test` are the two commands a user types;
# both create/refresh the virtualenvs themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY_BOOT   ?= python3
# Rasa 3.6 needs Python 3.8-3.10. RASA_PY (environment or `make RASA_PY=...`) wins;
# otherwise the first that runs as 3.10: `python3.10` on PATH (a pyenv shim counts only
# if it runs), then the newest $(PYENV_ROOT)/versions/3.10.* (default ~/.pyenv).
# Expanded only when .venv-rasa has to be created.
PYENV_ROOT ?= $(HOME)/.pyenv
RASA_PY   ?= $(shell for p in "$$(command -v python3.10)" \
	$$(ls -d "$(PYENV_ROOT)"/versions/3.10.*/bin/python 2>/dev/null | sort -rV); do \
	[ -n "$$p" ] && "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' \
	2>/dev/null && { echo "$$p"; break; }; done)
VENV      := .venv
RASA_VENV := .venv-rasa
PY        := $(VENV)/bin/python
RASA      := $(RASA_VENV)/bin/rasa
STAMP     := $(VENV)/.installed
RASA_STAMP:= $(RASA_VENV)/.installed
DATASETS  ?= ../shared/datasets
MODEL_DIR ?= var/models/intent
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: help install install-rasa lock test-fast client system-deps run run-scaled bot test test-all test-chaos lint model retrain history demo-reset bench-intent bench-pareto bench-suggestions bench-bot bench-retrieval bench-api clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# both virtualenvs install the versions that were tested (requirements.lock,
# rasa_bot/requirements.lock: constraints; `make lock` writes them from the current envs)
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PY_BOOT) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]' -c requirements.lock
	@touch $@

install: $(STAMP) ## create/refresh the product virtualenv (.venv)

define RASA_PY_MISSING
error: no Python 3.8-3.10 found for Rasa 3.6 ($(RASA_VENV)).
Looked for RASA_PY, `python3.10` on PATH and $(PYENV_ROOT)/versions/3.10.*.
Install one, e.g. `pyenv install 3.10.13`, or `apt-get install python3.10 python3.10-venv`
(deadsnakes PPA on Ubuntu), then run make again, or point at it: make RASA_PY=/path/to/python3.10
endef
export RASA_PY_MISSING

$(RASA_STAMP): rasa_bot/requirements.txt rasa_bot/requirements.lock
	@test -x $(RASA_VENV)/bin/python || { py='$(RASA_PY)'; \
	  if [ -n "$$py" ] && "$$py" -c 'import sys; sys.exit(not (3, 8) <= sys.version_info[:2] <= (3, 10))' 2>/dev/null; \
	  then echo "$$py -m venv $(RASA_VENV)"; "$$py" -m venv $(RASA_VENV); \
	  else echo "$$RASA_PY_MISSING" >&2; [ -z "$$py" ] || echo "(RASA_PY=$$py is not a Python 3.8-3.10)" >&2; exit 1; fi; }
	$(RASA_VENV)/bin/python -m pip install -q --upgrade 'pip<25'
	$(RASA_VENV)/bin/python -m pip install -q -r rasa_bot/requirements.txt -c rasa_bot/requirements.lock
	@touch $@

install-rasa: $(RASA_STAMP) ## create/refresh the Rasa virtualenv (.venv-rasa, Python 3.10)

lock: $(STAMP) $(RASA_STAMP) ## write requirements.lock and rasa_bot/requirements.lock from the virtualenvs
	@{ echo "# The product virtualenv (.venv) as tested: \`make install\` installs with -c this file."; \
	  echo "# Regenerate after a dependency change: make lock. torch is pinned by the Makefile."; \
	  $(PY) -m pip freeze --exclude-editable | grep -v '^agent-assist\|^-e \|^torch=='; } > requirements.lock
	@{ echo "# The Rasa virtualenv (.venv-rasa) as tested: \`make install-rasa\` installs with -c this"; \
	  echo "# file. Regenerate after a change to rasa_bot/requirements.txt: make lock."; \
	  $(RASA_VENV)/bin/python -m pip freeze | grep -v '^-e \|^pkg_resources'; } > rasa_bot/requirements.lock
	@echo "wrote requirements.lock and rasa_bot/requirements.lock"

model: $(STAMP) ## train the demo intent model (cached on a hash of its inputs)
	$(PY) -m intent build-demo --data data/intents --out $(MODEL_DIR)

# the agents' intent corrections (the service's database) -> a candidate model, promoted
# into var/models/registry only when not worse on the held-out sets (docs/classifier.md)
retrain: model ## retrain the intent model from agents' corrections; promote it if not worse
	$(PY) -m intent retrain --data data/intents --model-dir $(MODEL_DIR)

HISTORY_DB := var/history.db
INDEX_DIR  := var/index var/index-multilingual

# seeds the demo history unless the database already holds customers (a database made by
# another tool, or an earlier run, is detected by its content, not by the file existing)
history: | $(STAMP) ## seed the demo customer history (once; `make demo-reset` redoes it)
	@mkdir -p var
	$(PY) -m retrieval.demo.generate --customers 300 --seed 7 --out $(HISTORY_DB) --if-empty

demo-reset: ## regenerate the demo history (timestamps relative to now) and forget conversations (run-scaled's PostgreSQL too)
	rm -rf $(HISTORY_DB) $(HISTORY_DB)-wal $(HISTORY_DB)-shm $(INDEX_DIR)
	$(PY) -m rasa_bot.scaled --forget
	$(MAKE) history

bot: $(STAMP) $(RASA_STAMP) ## train the Rasa bot (cached on a hash of its inputs) -> var/rasa/models/bot.tar.gz
	$(PY) -m rasa_bot.stack --train-only

run: model history bot ## install, train, seed the demo, and serve API + Rasa + action server on localhost
	$(PY) -m rasa_bot.stack

# PostgreSQL 15 (var/postgres, 127.0.0.1:5433) and Redis (127.0.0.1:6380), started unless
# running (stopped on Ctrl-C when started here), the demo seeded into PostgreSQL once, the
# API with WORKERS processes on one port, Rasa's trackers in PostgreSQL (rasa_bot/scaled.py)
WORKERS ?= 2
run-scaled: model history bot ## like run, scaled: PostgreSQL + Redis + WORKERS API processes (default 2)
	$(PY) -m rasa_bot.stack --scaled --workers $(WORKERS)

# Debian packages the tests start themselves: chromium for the browser tests (never
# `playwright install`), redis-server for the cross-worker fan-out tests. apt-get runs only
# when one is missing; PostgreSQL 15's binaries are expected in /usr/lib/postgresql/15/bin.
SYSTEM_BINS := /usr/bin/chromium /usr/bin/redis-server
system-deps:
	@missing=""; for b in $(SYSTEM_BINS); do test -x $$b || missing="$$missing $$(basename $$b)"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else echo "warning: missing$$missing and no apt-get: the tests that need them are skipped or fail"; fi; \
	fi

test: $(STAMP) system-deps model bot ## install and run the test suite (fast + integration + browser + Rasa)
	$(PY) -m pytest -m "not slow"

client: $(STAMP) ## regenerate the typed Python client api/client/ from the OpenAPI document
	$(PY) -m api.client_gen

test-fast: $(STAMP) ## unit tests only: no server, process, browser or model training
	$(PY) -m pytest -m "not slow and not integration and not browser" -q

test-all: $(STAMP) system-deps model bot ## every test, the slow ones too
	$(PY) -m pytest -m ""

# tests/chaos: the scaled stack (PostgreSQL, Redis, 2 API workers, Rasa, actions) on
# 127.0.0.1 under simulated customers and agents while an API worker is SIGKILLed, Rasa and
# Redis restarted; the long form (CHAOS_SCALE=long: each fault more than once, a few
# minutes); prints what was injected and checked (also var/chaos/report-long.txt).
# `make test` runs its short form.
test-chaos: $(STAMP) system-deps model bot ## chaos / soak test, long form: kill an API worker, restart Rasa and Redis under traffic
	CHAOS_SCALE=long $(PY) -m pytest tests/chaos -q -s

lint: $(STAMP) ## ruff + mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench-intent: $(STAMP) $(RASA_STAMP) model ## intent benchmarks -> bench/results/intent.{md,json}, intent_oos.{md,json}, intent_zh.{md,json}, intent_pareto.{md,json} (QUICK=1 for a subset)
	$(PY) -m bench.intent --datasets-root $(DATASETS) $(if $(QUICK),--quick,)
	$(PY) -m bench.intent_oos --datasets-root $(DATASETS) $(if $(QUICK),--quick,)
	$(PY) -m bench.intent_zh
	$(MAKE) bench-pareto

bench-pareto: model ## one turn's analysis by runtime (PyTorch, ONNX, int8, n-gram): accuracy vs p50/p99 vs memory, in-process and through HTTP -> bench/results/intent_pareto.{md,json,png}
	$(PY) -m bench.intent_pareto --datasets-root $(DATASETS) $(if $(QUICK),--quick,--http)

bench-suggestions: model ## replay of a feedback log (LOG=export.jsonl; default: simulated with randomised impressions, RANDOM_RATE=0.1, RANDOM_POOL=10): learned rankings against the fixed weights, off-policy estimate and guard -> bench/results/suggestion_feedback.{md,json,png}; POLICY=file: what the guard shipped, for AGENT_ASSIST_SUGGESTION_POLICY
	$(PY) -m bench.suggestion_feedback $(if $(LOG),--log $(LOG),) $(if $(QUICK),--quick,) $(if $(RANDOM_RATE),--random-rate $(RANDOM_RATE),) $(if $(RANDOM_POOL),--random-pool $(RANDOM_POOL),) $(if $(POLICY),--policy $(POLICY),)

bench-bot: model bot ## the bot's NLU latency (product component vs DIET) and rasa train time -> bench/results/rasa_bot.{md,json}
	$(PY) -m bench.rasa_bot

bench-retrieval: $(STAMP) ## retrieval benchmark -> bench/results/retrieval.{md,json} (ONLY=related, replies_zh or related_zh: that section alone)
	$(PY) -m bench.retrieval --datasets-root $(DATASETS) $(if $(QUICK),--quick,) $(if $(ONLY),--only $(ONLY),)

# side by side with BASELINE (default: the previous commit; BASELINE= for this checkout
# alone); BENCH_WORKERS=N serves N API processes on a throw-away PostgreSQL, as run-scaled
BASELINE ?= HEAD~1
bench-api: model ## load test of the API on 127.0.0.1, side by side with BASELINE -> bench/results/api.{md,json} (BENCH_WORKERS=N: N processes)
	$(PY) -m bench.api $(if $(QUICK),--quick,) $(if $(BASELINE),--baseline $(BASELINE),) $(if $(filter-out 1,$(BENCH_WORKERS)),--workers $(BENCH_WORKERS) --out api_workers$(BENCH_WORKERS),)

bench-webhooks: $(STAMP) ## CPU per webhook outbox event (fan-out + lease ticks), side by side with BASELINE; POSTGRES=1 on a throw-away PostgreSQL -> bench/results/webhook_outbox.{md,json,png}
	$(PY) -m bench.webhook_outbox $(if $(BASELINE),--baseline $(BASELINE),) $(if $(POSTGRES),--postgres --out webhook_outbox_postgres,)

clean: ## remove built models and caches (keeps the virtualenvs)
	rm -rf var bench/cache .pytest_cache
