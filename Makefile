# The everyday entry points of schemac (SPEC §6). Every target installs what it needs.
SCHEMAC := node dist/cli.mjs
NAME ?=
ORG ?=

.PHONY: install build demo test citus lint check migration migrate status watch types verify bench proof erd

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

dist/cli.mjs: node_modules/.package-lock.json $(shell find compiler -name '*.ts' 2>/dev/null)
	npm run --silent build

install: node_modules/.package-lock.json
build: dist/cli.mjs

## demo: install, lint, generate, migrate the embedded database, print status; then, on a
## temporary copy, one change to acme's models and the migration schemac writes for it
demo: build
	$(SCHEMAC) lint
	$(SCHEMAC) migration "init" --all
	$(SCHEMAC) check
	$(SCHEMAC) migrate up
	$(SCHEMAC) migrate status
	node scripts/demo-change.mjs

## test: the whole test suite (starts its own PostgreSQL)
test: build
	node tests/run.mjs

## citus: the Citus suite alone (tests/citus.test.ts): a coordinator and two workers on this
## machine (../shared/pg-extensions/citus-cluster.sh); skipped with a message when Citus is not
## installed (../shared/pg-extensions/build.sh installs it). See docs/citus.md.
citus: build
	node tests/run.mjs tests/citus.test.ts

lint: build
	$(SCHEMAC) lint

check: build
	$(SCHEMAC) check

## migration: make migration ORG=acme NAME="add invoice tables" (no ORG: core)
migration: build
	@test -n "$(NAME)" || { echo 'usage: make migration [ORG=org] NAME="description"'; exit 2; }
	$(SCHEMAC) migration "$(NAME)" $(if $(ORG),--org $(ORG),)

migrate: build
	$(SCHEMAC) migrate up

status: build
	$(SCHEMAC) migrate status
	node scripts/demo-change.mjs

types: build
	$(SCHEMAC) types

verify: build
	$(SCHEMAC) verify

watch: build
	$(SCHEMAC) watch

## erd: Mermaid ER diagrams, one per owner, in $(ERD_DIR)/ (<owner>.mmd), rendered to .svg
## and .png with mermaid-cli in the system Chromium (installed on first use into
## .schemac/tools; skipped with a message when /usr/bin/chromium is absent)
ERD_DIR ?= generated/erd
erd: build
	$(SCHEMAC) erd --out $(ERD_DIR)
	node scripts/render-erd.mjs $(ERD_DIR)

bench: build
	node bench/run.mjs

## proof: the long property campaign (random seed; PROOF_SEED=n to replay one)
proof: install
	node scripts/proof.mjs
