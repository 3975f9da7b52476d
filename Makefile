# Routine commands. `make help` lists them.
.PHONY: help build test test-postgres e2e run demo bench format ci

help:
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

build: ## debug build with the module import check
	swift build --explicit-target-dependency-import-check error

test: ## unit and route tests on in-memory SQLite
	swift test

test-postgres: ## route tests on PostgreSQL: DATABASE_URL=postgres://… make test-postgres
	@test -n "$$DATABASE_URL" || (echo "set DATABASE_URL"; exit 2)
	swift test --filter PlatformTests

e2e: build ## browser tests (needs chromium, chromium-driver, selenium)
	python3 -m pytest -q e2e

run: ## serve on http://127.0.0.1:8080 with the embedded database
	swift run kexie serve

demo: ## serve with the fictional demo province loaded
	swift run kexie serve --demo

bench: ## release build and the foundation benchmark (see bench/README.md)
	bash bench/foundation.sh

format: ## rewrite sources with swift-format
	swift format format --in-place --recursive --configuration .swift-format Sources Tests

ci: ## what CI runs
	bash .ci/run
