# xxgk: `make run` serves the demo district, `make test` runs every test.
# Both set up what they need on a fresh machine (a venv in .venv, and as root the Debian
# packages the tests and documents need).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Running needs the package; testing also its test extras (pytest, playwright, mypy …),
# which `make run` on a fresh machine should not wait for.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
DEBIAN_PACKAGES := chromium fonts-noto-cjk libharfbuzz-subset0 gettext
export XXGK_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint system-packages messages clean

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(RUN_STAMP)
	$(BIN)/xxgk migrate --no-input
	$(BIN)/xxgk demo --if-empty --later-on-worker
	@echo ""
	@echo "  xxgk is serving the demo district on http://127.0.0.1:8000/"
	@echo "  Staff: http://127.0.0.1:8000/staff/login/  (ogi / xxgk-demo: OGI office; handler / xxgk-demo)"
	@echo ""
	$(BIN)/xxgk serve

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need these Debian packages:$$missing"; \
	    echo "Install them as root: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

test: $(TEST_STAMP) system-packages
	$(BIN)/pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

messages: $(RUN_STAMP)
	cd src/xxgk && ../../$(BIN)/python -m django makemessages -l zh_Hans -l en --settings=xxgk.settings
	cd src/xxgk && ../../$(BIN)/python -m django compilemessages --settings=xxgk.settings

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
