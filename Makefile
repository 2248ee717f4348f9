# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed
BUNDLE_STAMP := $(VENV)/.bundle-installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run demo test lint wheel-check bundle bundle-smoke screenshots benchmarks i18n clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(BUNDLE_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[bundle]'
	touch $@

run: $(RUN_STAMP)
	$(BIN)/fieldkit

demo: $(RUN_STAMP)
	$(BIN)/fieldkit --demo

test: $(TEST_STAMP)
	$(BIN)/ruff check src sync tests benchmarks scripts
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src sync tests benchmarks scripts

# Qt translations: refresh the .ts sources from the code, then compile the .qm files.
# Translate new messages with: .venv/bin/python scripts/translate.py '{"nguồn": "English"}'
i18n: $(RUN_STAMP)
	$(BIN)/pyside6-lupdate $$(find src/fieldkit/ui -name '*.py' | sort) -no-obsolete -ts resources/i18n/fieldkit_en.ts
	$(BIN)/pyside6-lrelease resources/i18n/fieldkit_en.ts -qm resources/i18n/fieldkit_en.qm

# The wheel a user installs, checked from outside the checkout (scripts/check_wheel.py), and a
# Windows wheel on PyPI for every compiled dependency (scripts/check_windows_wheels.py).
wheel-check: $(TEST_STAMP) $(BUNDLE_STAMP)
	$(BIN)/python scripts/check_wheel.py
	$(BIN)/python scripts/check_windows_wheels.py

bundle: $(BUNDLE_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean build.spec

# Twice: the first run creates a store, the second unlocks the existing one.
bundle-smoke: bundle
	rm -rf build/smoke-data
	for run in create unlock; do \
		FIELDKIT_PASSPHRASE=bundle-smoke-pass QT_QPA_PLATFORM=offscreen \
			dist/fieldkit/fieldkit --smoke-test --data-dir build/smoke-data || exit 1; \
	done
	for run in seed open; do \
		QT_QPA_PLATFORM=offscreen \
			dist/fieldkit/fieldkit --demo --smoke-test --data-dir build/smoke-data || exit 1; \
	done
	dist/fieldkit/fieldkit-console forms check
	dist/fieldkit/fieldkit-console guides check

screenshots: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots

benchmarks: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
