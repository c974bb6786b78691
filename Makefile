# Sluice: the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing first (Debian: libyaml-dev, libjansson-dev, pkg-config, and for the tests Python's
# jsonschema and Chromium, which runs the real-browser EventSource test).

SWIFT ?= swift
CONFIG ?= examples/quickstart.yaml
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WERROR := -Xswiftc -warnings-as-errors

.PHONY: run test deps test-deps build build-tests schema format lint clean

## Build and run the gateway on the quickstart configuration (Ctrl-C ends every stream cleanly and stops).
run: deps
	$(SWIFT) build -c release $(WERROR)
	.build/release/sluice check --strict $(CONFIG)
	.build/release/sluice serve $(CONFIG)

## Build (warnings are errors) and run every test.
test: deps test-deps build-tests
	$(SWIFT) test --skip-build

## Install the system packages and Python modules the build and tests use, when missing.
deps:
	@pkg-config --exists yaml-0.1 jansson 2>/dev/null || { \
		echo "installing libyaml-dev libjansson-dev pkg-config"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev libjansson-dev pkg-config; }

## What only the tests need: Python's jsonschema (schema agreement) and Chromium (the browser test).
test-deps:
	@python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install -q jsonschema 2>/dev/null || { \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-jsonschema; }
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

build:
	$(SWIFT) build $(WERROR)

build-tests:
	$(SWIFT) build --build-tests $(WERROR)

## Regenerate the committed JSON Schema from the spec (a test checks they are equal).
schema: build
	.build/debug/sluice schema > schemas/sluice.schema.json

format:
	$(SWIFT) format format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

clean:
	rm -rf .build
