#!/usr/bin/env bash
# The project's static checks, one definition for `make lint` and for the pre-commit hooks
# (.pre-commit-config.yaml calls this script with a check name and the staged files).
#
#   scripts/lint.sh                 every check over the tree (templates: those changed vs main)
#   scripts/lint.sh CHECK [FILES]   one check: ruff | format | upgrade | templates | mypy
#
# The tools come from .venv (pinned in pyproject's test extras): no network at lint time.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.venv/bin"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-vik.settings.test}"

py_files() { git ls-files '*.py'; }

# Templates changed on this branch (vs the merge base with main) and not yet committed.
# djade is applied to changed templates only: formatting all 139 at once would touch 100 files
# (about 300 lines, mostly `{% endblock name %}`) and collide with parallel template work.
changed_templates() {
  local base
  base="$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD)"
  { git diff --name-only --diff-filter=ACMR "$base" -- '*.html'
    git ls-files --others --exclude-standard -- '*.html'; } |
    grep -v '^static/' | sort -u
}

check() {
  local name="$1"
  shift
  case "$name" in
  ruff) "$BIN/ruff" check --force-exclude "$@" ;;
  format) "$BIN/ruff" format --check --force-exclude "$@" ;;
  upgrade)
    if [ $# -eq 0 ]; then mapfile -t files < <(py_files); set -- "${files[@]}"; fi
    "$BIN/django-upgrade" --target-version 5.2 --check "$@" ;;
  templates)
    if [ $# -eq 0 ]; then mapfile -t files < <(changed_templates); set -- "${files[@]}"; fi
    [ $# -eq 0 ] && return 0
    "$BIN/djade" --target-version 5.2 --check "$@" ;;
  mypy)
    # Files and modules come from [tool.mypy] in pyproject.toml. django-stubs imports the
    # settings (no connection is made), which require these variables to be set.
    DATABASE_URL="${DATABASE_URL:-postgres://lint@127.0.0.1:1/lint}" \
      REDIS_URL="${REDIS_URL:-redis://127.0.0.1:1/0}" "$BIN/mypy" ;;
  *) echo "unknown check: $name (ruff, format, upgrade, templates, mypy)" >&2; return 2 ;;
  esac
}

if [ $# -gt 0 ]; then
  check "$@"
  exit $?
fi

failed=()
for name in ruff format upgrade templates mypy; do
  printf '\n==> %s\n' "$name"
  check "$name" || failed+=("$name")
done
if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[*]}"
  exit 1
fi
echo "lint: all checks passed"
