# Two commands do all the set-up on a fresh machine (see README.md):
#   make run    set up, then start the web app on the bundled sample article
#   make test   set up, then run the test suite
# Both are idempotent: the virtual environment is (re)installed only when pyproject.toml changes.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup run test browser lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# the CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	# every declared requirement installed and compatible (a fresh install once lacked lxml_html_clean)
	$(PY) -m pip check
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) app.py

browser:
	@test -x /usr/bin/chromium || (command -v apt-get >/dev/null && \
	  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) ) || \
	  echo "chromium not installed: browser tests will be skipped"

test: setup browser lint
	$(PY) -m pytest -q

lint: setup
	# style, imports, bugbear and a complexity limit (pyproject.toml [tool.ruff]); CI fails on any of them
	$(VENV)/bin/ruff check assistant tests app.py benchmarks

clean:
	rm -rf $(VENV) .eval-cache
