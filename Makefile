# VIK: `make run` starts VIK with demo data, `make test` runs every check. `make` lists targets.
# Without DATABASE_URL / REDIS_URL the scripts start a project-local PostgreSQL cluster
# (.local/pg, port $VIK_PG_PORT=54329) and Redis (.local/redis, port $VIK_REDIS_PORT=63799).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
SCALE ?= S

.PHONY: help install run test lint format migrations-check bench services-start services-stop \
	services-status clean-local backup restore-drill test-faults

help: ## Show this list
	@echo "VIK make targets:"
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  %-18s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PORT (web port, 8000), SCALE (bench size, S), DATABASE_URL, REDIS_URL,"
	@echo "VIK_PG_PORT (54329), VIK_REDIS_PORT (63799)."

install: ## Create .venv, pip install -e '.[test]', npm ci, vendor assets, Debian libs
	@bash scripts/bootstrap.sh

run: ## Install, start services, migrate, seed demo data, run web + worker + beat (Ctrl-C stops)
	@bash scripts/run.sh

test: ## Install, start services, makemigrations --check, ruff, pytest -n auto --dist loadgroup
	@bash scripts/test.sh

test-faults: install ## The fault suite alone: outages, killed workers, races, hostile files
	@DJANGO_SETTINGS_MODULE=vik.settings.test bash scripts/services.sh run -- \
		$(BIN)/pytest -m fault -p no:xdist

lint: install ## ruff, ruff format --check, django-upgrade, djade (changed templates), mypy
	@bash scripts/lint.sh

format: install ## Format the code with ruff and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install ## Fail when a model change has no migration
	@DJANGO_SETTINGS_MODULE=vik.settings.test bash scripts/services.sh run -- \
		$(BIN)/python manage.py makemigrations --check --dry-run

bench: install ## Benchmark: python -m bench.run --scale SCALE (default S)
	@DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-vik.settings.dev} bash scripts/services.sh run -- \
		$(BIN)/python -m bench.run --scale $(SCALE)

services-start: install ## Start project-local PostgreSQL/Redis (prints the export lines)
	@bash scripts/services.sh start
	@echo "# Load them into your shell with: source .local/services.env"

services-stop: ## Stop the project-local PostgreSQL/Redis
	@bash scripts/services.sh stop

services-status: ## Show whether the project-local services run
	@bash scripts/services.sh status

backup: install ## Encrypted base backup of the project-local PostgreSQL (WAL archived; keeps 7)
	@bash scripts/services.sh backup

restore-drill: install ## Restore the latest backup into a fresh cluster, verify it, print RPO/RTO
	@DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-vik.settings.dev} bash scripts/services.sh restore-drill

clean-local: ## Stop local services and delete all local data (.local, /var/tmp/vik-pg-<hash>)
	@bash scripts/services.sh clean
