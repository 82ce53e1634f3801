# BG Zero. Every target installs what it needs, so each works on a fresh clone.
VENV ?= .venv
PY := $(VENV)/bin/python
DIST ?= dist
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
FIREFOX ?= /usr/bin/firefox-esr
TESSDATA ?= /usr/share/tesseract-ocr/5/tessdata

.PHONY: run test lint build serve bench eval unit browser system clean

run: build
	$(PY) -m bgzero serve --dist $(DIST) --port $(PORT)

# Two pytest workers (pytest-xdist), each with its own server and Chromium and one test file
# at a time: while one waits on a page, the other computes (on 2 cores: 10.4 min).
JOBS ?= 2
PYTEST = $(PY) -m pytest -q -n $(JOBS) --dist loadfile
test: lint build
	$(PYTEST) --durations=25 tests

# ruff's lint and format check (settings in pyproject.toml); `ruff format src tests` fixes the
# latter. lint-imports checks the import contracts of pyproject.toml (src/web's modules are
# top-level packages in the browser, hence its path).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	PYTHONPATH=src/web $(VENV)/bin/lint-imports

unit: $(VENV)/.installed
	$(PYTEST) tests/unit

browser: build
	$(PYTEST) tests/browser

build: $(VENV)/.installed system
	$(PY) -m bgzero build --dist $(DIST)

serve: $(VENV)/.installed
	$(PY) -m bgzero serve --dist $(DIST) --port $(PORT)

bench: build
	$(PY) -m bgzero bench --dist $(DIST)

# Quality of every model setting on tests/data/gt, natively; rewrites docs/quality.md.
eval: $(VENV)/.installed system
	$(PY) -m bgzero eval --markdown docs/quality.md
	$(PY) -m bgzero eval --clicks 3 --markdown docs/quality.md

# Chromium for the browser tests and benchmarks, Firefox ESR and WebKit (WebKitWebDriver and
# its MiniBrowser, under Xvfb) for the main flow in the other two engines, a Chinese font and
# Tesseract (with Chinese) to read the pages' screenshots, npm for the pinned runtime (Debian
# packages).
system:
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@test -x $(FIREFOX) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr)
	@test -x /usr/bin/WebKitWebDriver -a -x /usr/bin/xvfb-run || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq webkit2gtk-driver xvfb)
	@test -f $(TESSDATA)/chi_sim.traineddata || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim)
	@test -d /usr/share/fonts/truetype/wqy || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei)

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

clean:
	rm -rf $(DIST) $(DIST).partial $(VENV) .pytest_cache
