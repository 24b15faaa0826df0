#!/usr/bin/env bash
# `make test`: install (with Debian's chromium for the Playwright journeys), start PostgreSQL and
# Redis (project-local unless DATABASE_URL/REDIS_URL are set), then run every check:
#   makemigrations --check, ruff check, ruff format --check, pytest -n auto --dist loadgroup.
# All steps run; the exit status is non-zero when any failed (pytest collecting no test counts
# as a failure). Extra arguments go to pytest, e.g. `scripts/test.sh tests/core -k login`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export DJANGO_SETTINGS_MODULE=vik.settings.test
export DJANGO_ALLOW_ASYNC_UNSAFE=true
export PATH="$ROOT/.venv/bin:$PATH"
export PYTHONUNBUFFERED=1

heading() { printf '\n==> %s\n' "$*"; }

heading "Installing (scripts/bootstrap.sh --with-browser)"
bash scripts/bootstrap.sh --with-browser

VIK_SERVICES_STARTED=""
stop_services() {
  trap - EXIT
  if [ -n "$VIK_SERVICES_STARTED" ]; then
    heading "Stopping the local services this run started ($VIK_SERVICES_STARTED)"
    # shellcheck disable=SC2086
    bash scripts/services.sh stop $VIK_SERVICES_STARTED || true
  fi
}
trap stop_services EXIT
trap 'exit 130' INT TERM

heading "Services (scripts/services.sh start)"
envs="$(bash scripts/services.sh start)"
eval "$envs"

FAILED=()
step() {
  local name="$1"
  shift
  heading "$name"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "--> FAILED ($name, exit $rc)"
    FAILED+=("$name")
  fi
  return 0
}

run_pytest() {
  local rc=0
  # --dist loadgroup: tests marked xdist_group("name") share one worker (the read-replica tests
  # pause and stop one shared replica); all others are spread as with the default.
  pytest -n auto --dist loadgroup "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests: that counts as a failure"
  fi
  return "$rc"
}

step "Migrations are complete (makemigrations --check --dry-run)" \
  python manage.py makemigrations --check --dry-run
step "ruff check ." ruff check .
step "ruff format --check ." ruff format --check .
step "pytest -n auto --dist loadgroup${*:+ $*}" run_pytest "$@"

heading "Summary"
if [ "${#FAILED[@]}" -gt 0 ]; then
  printf 'FAILED: %s\n' "${FAILED[@]}"
  exit 1
fi
echo "all checks passed"
