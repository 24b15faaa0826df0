#!/usr/bin/env bash
# Install everything VIK needs on a fresh Debian 12 machine (Python 3.11 present, nothing else):
#   .venv with `pip install -e '.[test]'`, node_modules via `npm ci`, static/vendor via
#   scripts/vendor_assets.py, and the Debian packages WeasyPrint (pango, fonts) needs.
#   --with-browser also makes sure Debian's chromium is there (Playwright tests use it;
#   `playwright install` is never run, it downloads browser builds).
# Re-runs are fast: pip is skipped while .venv/.vik-installed is newer than pyproject.toml, npm
# while node_modules/.vik-installed is newer than package-lock.json.
# Works as root (apt-get directly) or as a normal user (apt-get through sudo when needed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) WITH_BROWSER=1 ;;
    -h | --help)
      sed -n '2,9p' "$0"
      exit 0
      ;;
    *)
      echo "bootstrap: unknown argument $arg" >&2
      exit 2
      ;;
  esac
done

say() { printf '[bootstrap] %s\n' "$*" >&2; }
die() {
  printf '[bootstrap] ERROR: %s\n' "$*" >&2
  exit 1
}

# Run a command as root: directly when we are root, through sudo when it exists.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $* (not root and no sudo). Install it by hand and re-run."
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these packages by hand: $*"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=1
  fi
  say "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

ldconfig_p() {
  local lc
  lc="$(command -v ldconfig || true)"
  [ -n "$lc" ] || for lc in /sbin/ldconfig /usr/sbin/ldconfig; do [ -x "$lc" ] && break; done
  "$lc" -p 2>/dev/null || true
}

# --- Python virtualenv -------------------------------------------------------------------------
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found; VIK needs Python 3.11 or 3.12"
"$PYTHON" - <<'EOF' || die "VIK needs Python 3.11 or 3.12 (set PYTHON=/path/to/python3.11)"
import sys
sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)
EOF

VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  say "creating virtualenv .venv with $("$PYTHON" --version 2>&1)"
  rm -rf "$VENV"
  if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
    # Debian's python3 needs python3-venv (ensurepip) to create a virtualenv.
    rm -rf "$VENV"
    pyver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    apt_install python3-venv "python${pyver}-venv" || apt_install python3-venv
    "$PYTHON" -m venv "$VENV" || die "could not create .venv"
  fi
fi

STAMP="$VENV/.vik-installed"
if [ -f "$STAMP" ] && [ "$STAMP" -nt pyproject.toml ]; then
  say "Python packages up to date (.venv/.vik-installed newer than pyproject.toml)"
else
  say "pip install -e '.[test]'"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e '.[test]'
  touch "$STAMP"
fi

# --- Node packages and vendored assets ----------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
NPM_STAMP="node_modules/.vik-installed"
if [ -f "$NPM_STAMP" ] && [ "$NPM_STAMP" -nt package-lock.json ]; then
  say "node_modules up to date (newer than package-lock.json)"
else
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$NPM_STAMP"
fi
"$VENV/bin/python" scripts/vendor_assets.py >&2

# --- System libraries ---------------------------------------------------------------------------
pkgs=()
libs="$(ldconfig_p)"
grep -q 'libpango-1.0\.so' <<<"$libs" || pkgs+=(libpango-1.0-0)
grep -q 'libpangoft2-1.0\.so' <<<"$libs" || pkgs+=(libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || pkgs+=(fonts-dejavu-core)
if [ "$WITH_BROWSER" -eq 1 ] && [ ! -x /usr/bin/chromium ]; then
  pkgs+=(chromium)
fi
if [ "${#pkgs[@]}" -gt 0 ]; then
  apt_install "${pkgs[@]}"
else
  say "system packages present (pango, fonts$([ "$WITH_BROWSER" -eq 1 ] && echo ', chromium'))"
fi

say "done"
