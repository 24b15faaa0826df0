#!/usr/bin/env bash
# Known advisories for the pinned dependencies (docs/operations.md, "Dependency updates and
# advisories"). Needs a machine that reaches the PyPI JSON API (or OSV) and the npm advisory
# endpoint: it does NOT work on the development machines behind the package mirror, and it is
# therefore not part of `make test`. Exit status non-zero when an advisory is found OR when any
# package could not be checked (pip-audit --strict: a skipped package is not a pass).
#   bash scripts/audit_deps.sh            # PyPI advisory data
#   bash scripts/audit_deps.sh osv        # OSV.dev instead
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICE="${1:-pypi}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet pip-audit==2.10.1

# What is installed in the project's .venv (all transitive packages at the versions in use);
# without a .venv, the pins of pyproject.toml (runtime and test extras; transitive ones unchecked).
if [ -x "$ROOT/.venv/bin/python" ]; then
  "$ROOT/.venv/bin/python" -m pip freeze --exclude-editable --disable-pip-version-check \
    | grep -v '^-e ' > "$WORK/requirements.txt"
else
  python3 - "$ROOT/pyproject.toml" > "$WORK/requirements.txt" <<'PY'
import sys
import tomllib

with open(sys.argv[1], "rb") as fh:
    project = tomllib.load(fh)["project"]
pins = list(project["dependencies"])
for extra in project.get("optional-dependencies", {}).values():
    pins += extra
print("\n".join(sorted(set(pins))))
PY
fi

status=0
echo "==> pip-audit ($SERVICE) on $(wc -l < "$WORK/requirements.txt") pinned Python packages"
"$WORK/venv/bin/pip-audit" --strict --disable-pip --no-deps --desc on \
  --vulnerability-service "$SERVICE" -r "$WORK/requirements.txt" || status=1

echo "==> npm audit (package-lock.json)"
(cd "$ROOT" && npm audit --package-lock-only --audit-level=low) || status=1

exit $status
