# Two commands on a fresh machine: `make run` and `make test` (both idempotent). `make check`: the fast lane
# (lint and the pure-logic tests, under a minute; no model, browser or Ray).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install model run test check lint browser clean

# constraints.txt: the exact versions this was tested with; pyproject.toml holds only lower bounds
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# the CPU build of torch first: a plain `torch` would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet -c constraints.txt torch
	$(BIN)/pip install --quiet -c constraints.txt -e '.[ray,test]'
	touch $(STAMP)

install: $(STAMP)

model: $(STAMP)
	$(BIN)/aligner fetch-model

run: model
	HF_HUB_OFFLINE=1 $(BIN)/aligner run seeds/ --out out/ --force

# Debian's Chromium for the HTML page tests, and Noto fonts so Arabic and Urdu render in screenshots.
browser:
	@(command -v chromium >/dev/null && [ -d /usr/share/fonts/truetype/noto ]) || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-core)

lint: $(STAMP)
	$(BIN)/ruff check aligner tests scripts

# the whole suite, as CI runs it (.ci/run)
test: model browser lint
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

check: lint
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q -n auto -m "not model and not ray and not browser and not slow"

clean:
	rm -rf out/ .pytest_cache .ruff_cache
