# Sluice: the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing first (Debian: libyaml-dev, libjansson-dev, pkg-config; Python's jsonschema).

SWIFT ?= swift
CONFIG ?= examples/quickstart.yaml
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WERROR := -Xswiftc -warnings-as-errors

.PHONY: run test deps build build-tests schema format lint clean

## Build and run the gateway's main job on the quickstart configuration.
run: deps build
	.build/debug/sluice check --strict $(CONFIG)
	.build/debug/sluice explain $(CONFIG)

## Build (warnings are errors) and run every test.
test: deps build-tests
	$(SWIFT) test --skip-build

## Install the system packages and Python modules the build and tests use, when missing.
deps:
	@pkg-config --exists yaml-0.1 jansson 2>/dev/null || { \
		echo "installing libyaml-dev libjansson-dev pkg-config"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev libjansson-dev pkg-config; }
	@python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install -q jsonschema 2>/dev/null || { \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-jsonschema; }

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
