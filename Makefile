# defport-kg — every entry point a user or CI needs. `make demo` and `make test` set up
# everything from nothing (virtual environment, packages); no other step is assumed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= ./defport-store
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: help install demo test test-fast lint bench wheelhouse data docs clean browser-deps server-deps

help:
	@echo "make demo        install, load the example data, serve on http://$(HOST):$(PORT)/"
	@echo "make test        install with test extras, run ruff and the whole test suite"
	@echo "make test-fast   the quick loop: tests not marked slow"
	@echo "make bench       run the benchmarks and print their figures"
	@echo "make wheelhouse  collect every wheel for an air-gapped installation"
	@echo "make data        regenerate the reference data from its sources"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/defport-kg init --example --store $(STORE)
	$(BIN)/defport-kg serve --store $(STORE) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks data/build
	$(BIN)/ruff format --check src tests benchmarks data/build

# The browser tests (tests/web, marked browser) drive Debian's Chromium; Playwright cannot download
# its own browser here. Installed only when missing (apt needs root: sudo is used when not root).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

# The remote-store tests (tests/remote, marked server) start their own Virtuoso from its own
# virtuoso.ini on free ports; the Debian package only provides the binaries. Oxigraph server comes
# from PyPI (the `oxigraph` package in the test extras).
server-deps:
	@if [ ! -x /usr/bin/virtuoso-t ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource; \
	fi

test: $(STAMP) lint browser-deps server-deps
	$(BIN)/python -m pytest -n 2 --dist worksteal -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

wheelhouse: $(STAMP)
	$(BIN)/python -m pip wheel --quiet -c constraints.txt -w wheelhouse '.[test]'
	@echo "wheelhouse/ holds every wheel: on the air-gapped machine run"
	@echo "  python3 -m venv .venv && .venv/bin/pip install --no-index --find-links wheelhouse defport-kg"

data: $(STAMP)
	$(BIN)/python data/build/build_all.py

clean:
	rm -rf $(VENV) build dist wheelhouse .pytest_cache .ruff_cache .hypothesis
