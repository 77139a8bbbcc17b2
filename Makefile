# xxgk: `make run` serves the demo district, `make test` runs every test.
# Both set up what they need on a fresh machine (a venv in .venv, and as root the Debian
# packages: running needs the Chinese fonts and fast font subsetting for the PDF letters and
# reports; the tests need those and a browser, gettext and nginx besides).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Running needs the package; testing also its test extras (pytest, playwright, mypy …),
# which `make run` on a fresh machine should not wait for.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# Without fonts-noto-cjk every Chinese character of a PDF is an empty box (xxgk refuses to
# print); without libharfbuzz-subset0 a PDF takes half a minute; fontconfig finds the fonts.
RUN_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 fontconfig
TEST_PACKAGES := chromium gettext nginx-light $(RUN_PACKAGES)
export XXGK_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint run-packages system-packages messages clean

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(RUN_STAMP) run-packages
	$(BIN)/xxgk migrate --no-input
	$(BIN)/xxgk demo --if-empty --later-on-worker
	@echo ""
	@echo "  xxgk is serving the demo district on http://127.0.0.1:8000/"
	@echo "  Staff: http://127.0.0.1:8000/staff/login/  (ogi / xxgk-demo: OGI office; handler / xxgk-demo)"
	@echo ""
	$(BIN)/xxgk serve

# $(call debian_packages,PACKAGES,WHO): install the missing ones as root; otherwise name
# them and the command, and fail.
define debian_packages
@missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "Installing Debian packages:$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
  else \
    echo "$(2) need these Debian packages:$$missing" >&2; \
    echo "Install them as root: sudo apt-get install$$missing" >&2; exit 1; \
  fi; \
fi
endef

run-packages:
	$(call debian_packages,$(RUN_PACKAGES),Letters and reports in PDF)

system-packages:
	$(call debian_packages,$(TEST_PACKAGES),The tests)

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
