# Backprop GUI: `make run` and `make test` do all set-up on a fresh Debian 12 / Ubuntu 22.04+
# machine: Qt's system libraries (apt, only when missing), a .venv, and the package with its
# test extras (pip, only when pyproject.toml changed).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Debian packages Qt needs (docs/ARCHITECTURE.md, platform facts): offscreen rendering, a real X window (xcb),
# and a virtual screen (xvfb; xvfb-run needs xauth, which is only a Recommends).
QT_OFFSCREEN_DEBS := libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 \
                     fonts-dejavu-core
QT_XCB_DEBS       := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
                     libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 \
                     xvfb xauth
SYSTEM_DEBS       := $(QT_OFFSCREEN_DEBS) $(QT_XCB_DEBS)

# The Python that creates .venv: $(PYTHON) if given, else the first of python3.11, python3,
# python3.13, python3.12 that is 3.11 or newer. Prints nothing when there is none.
PYTHON ?=
FIND_PYTHON = for c in $(PYTHON) python3.11 python3 python3.13 python3.12; do \
                if command -v "$$c" >/dev/null 2>&1 && \
                   "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
                  command -v "$$c"; break; \
                fi; \
              done

.PHONY: help run test bench mutate setup system-deps clean package test-package guide-screenshots screenshots

help:
	@echo "make run    - set up if needed, then start Backprop GUI"
	@echo "make test   - set up if needed, then check import rules (lint-imports) and run pytest headless"
	@echo "make bench  - set up if needed, then run each tests/bench/bench_*.py"
	@echo "make mutate - plant ~40 known bugs one at a time; report which the tests miss (~7 min)"
	@echo "make setup  - only the set-up: system Qt libraries, .venv, pip install -e '.[test]'"
	@echo "make clean  - remove .venv, build output and caches"
	@echo "make guide-screenshots - render the User Guide's pictures into resources/help/shots (offscreen)"
	@echo "make screenshots  - render the main window at 3 sizes, 2 themes and presentation mode into docs/screenshots"
	@echo "make package      - build the offline installer: dist/backprop-gui_<version>_<arch>.deb"
	@echo "make test-package - make package, then unpack the .deb and test the installed app offline"

run: setup
	LANG="$${LANG:-C.UTF-8}" $(VENV)/bin/backprop-gui

test: setup
	LANG=C.UTF-8 $(VENV)/bin/lint-imports
	LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen $(VPY) -m pytest

bench: setup
	@shopt -s nullglob; files=(tests/bench/bench_*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "No benchmarks in tests/bench/ yet."; exit 0; fi; \
	for f in "$${files[@]}"; do \
	  echo "== $$f"; \
	  LANG=C.UTF-8 QT_QPA_PLATFORM="$${QT_QPA_PLATFORM:-offscreen}" $(VPY) "$$f" || exit 1; \
	done

# Mutation check (not part of `make test`): tests/mutate.py plants each bug in a temporary copy
# of the tree, never in the working tree. Exit status 1 if a planted bug survived the tests.
mutate: setup
	LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen $(VPY) tests/mutate.py

setup: system-deps $(STAMP)

# Install with apt only the packages that are missing (a check of ~20 packages takes ~0.1 s).
# python3 and python3-venv are added when no usable Python 3.11+ with venv is found.
system-deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "make: no dpkg-query: not Debian/Ubuntu, so not installing Qt's system libraries;" \
	       "install the equivalents of: $(SYSTEM_DEBS)" >&2; \
	  exit 0; \
	fi; \
	want="$(SYSTEM_DEBS)"; \
	py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then want="$$want python3 python3-venv"; \
	elif ! "$$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then want="$$want python3-venv"; fi; \
	missing=""; \
	for p in $$want; do \
	  [ "$$(dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null)" = "install ok installed" ] || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing system packages:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

$(VPY): | system-deps
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then echo "make: no Python 3.11 or newer found (set PYTHON=/path/to/python3.11)" >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" -c 'import sys; print(sys.version.split()[0])'))"; \
	"$$py" -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# Re-install only when pyproject.toml changed (or the venv is new).
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install --disable-pip-version-check -e '.[test]'
	@touch $@

# The User Guide's pictures (resources/help/shots), rendered offscreen at 1280x800.
guide-screenshots: setup
	LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen $(VPY) packaging/make_guide_screenshots.py

# The window at 1024x600, 1280x800, 1920x1080, light and dark, and presentation mode (docs/screenshots).
screenshots: setup
	LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen $(VPY) packaging/make_screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +

# Packaging (issue #5): a PyInstaller bundle wrapped in a .deb that installs offline. The
# Windows and macOS installers are built on those systems: see packaging/README.md.
PKG_STAMP := $(VENV)/.installed-package

$(PKG_STAMP): pyproject.toml $(STAMP)
	$(VPY) -m pip install --disable-pip-version-check -e '.[test,package]'
	@touch $@

package: setup $(PKG_STAMP)
	@bash packaging/package-linux.sh

test-package: package
	@bash packaging/test-package.sh
