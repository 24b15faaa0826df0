#!/usr/bin/env bash
# `make run`: install, start PostgreSQL/Redis (project-local unless DATABASE_URL/REDIS_URL are
# set), migrate, load the demo data, then run web (gunicorn), a Celery worker, Celery beat and (in
# demo mode) the registry stand-in in the foreground. Ctrl-C stops everything this script started,
# including the local services.
# Data stays between runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-vik.settings.dev}"
export PATH="$ROOT/.venv/bin:$PATH"
export PYTHONUNBUFFERED=1

heading() { printf '\n==> %s\n' "$*" >&2; }

heading "Installing (scripts/bootstrap.sh)"
bash scripts/bootstrap.sh

PIDS=()
VIK_SERVICES_STARTED=""
CLEANED=0
cleanup() {
  [ "$CLEANED" -eq 1 ] && return
  CLEANED=1
  trap - INT TERM EXIT
  if [ "${#PIDS[@]}" -gt 0 ]; then
    heading "Stopping web, worker and beat"
    local pid i
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for i in $(seq 1 150); do
      local alive=0
      for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ "$alive" -eq 0 ] && break
      sleep 0.1
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  fi
  if [ -n "$VIK_SERVICES_STARTED" ]; then
    heading "Stopping the local services this run started ($VIK_SERVICES_STARTED)"
    # shellcheck disable=SC2086
    bash scripts/services.sh stop $VIK_SERVICES_STARTED || true
  fi
}
trap 'cleanup; exit 130' INT TERM
trap cleanup EXIT

heading "Services (scripts/services.sh start)"
envs="$(bash scripts/services.sh start)"
eval "$envs"

heading "python manage.py migrate --noinput"
python manage.py migrate --noinput

heading "python manage.py seed_demo"
python manage.py seed_demo

# Demo mode without a configured IdP: a local OpenID provider (oidc-provider-mock) with demo
# municipal users, so "Inloggen met gemeenteaccount" can be tried (vik/identity/demo.py).
DEMO_IDP=""
if [ -z "${OIDC_ISSUER:-}" ] && [ "${VIK_DEMO_MODE:-true}" != "false" ]; then
  IDP_PORT="${VIK_DEMO_IDP_PORT:-9400}"
  heading "Starting the demo identity provider on 127.0.0.1:$IDP_PORT (manage.py demo_idp)"
  python manage.py demo_idp --port "$IDP_PORT" &
  PIDS+=($!)
  export OIDC_ISSUER="http://127.0.0.1:$IDP_PORT"
  export OIDC_CLIENT_ID="vik-demo" OIDC_CLIENT_SECRET="vik-demo-secret"
  DEMO_IDP="$OIDC_ISSUER"
fi

heading "Starting web (gunicorn on 127.0.0.1:$PORT), Celery worker and Celery beat"
gunicorn vik.wsgi --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --log-level info \
  --no-control-socket &
PIDS+=($!)
celery -A vik worker -l info --concurrency 2 &
PIDS+=($!)
celery -A vik beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler &
PIDS+=($!)
# Demo mode: the local stand-in for BRP, BAG and KvK (fictitious data; production refuses it).
if [ "$(python -c 'import django; django.setup(); from django.conf import settings; print(int(settings.REGISTRIES_STANDIN))' 2>/dev/null)" = "1" ]; then
  heading "Starting the registry stand-in (BRP, BAG, KvK) on 127.0.0.1:${REGISTRIES_STANDIN_PORT:-8790}"
  python -m registries.standin --port "${REGISTRIES_STANDIN_PORT:-8790}" &
  PIDS+=($!)
fi

# Wait for the web server to answer before printing the address.
if python - "$PORT" <<'EOF'; then
import sys
import time
import urllib.request

url = f"http://127.0.0.1:{sys.argv[1]}/healthz"
for _ in range(120):
    try:
        urllib.request.urlopen(url, timeout=2)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)  # it answers, even if not 200
    except Exception:
        time.sleep(0.5)
sys.exit(1)
EOF
  cat >&2 <<EOF

================================================================================
 VIK runs at http://127.0.0.1:$PORT/
 Demo logins and their TOTP codes were printed by seed_demo above; a current code
 for a user:  .venv/bin/python manage.py demo_otp USERNAME
 (with the services running: source .local/services.env first)
${DEMO_IDP:+ "Inloggen met gemeenteaccount" uses the demo IdP at $DEMO_IDP: pick a demo user
 there (gemeente-analist-001, gemeente-teamleider-001, gemeente-zonder-mfa-001, gemeente-bibob-001).
} Press Ctrl-C to stop web, worker, beat and the local services this run started.
================================================================================

EOF
else
  echo "web server did not answer on http://127.0.0.1:$PORT/healthz; see the log above" >&2
fi

# Run until Ctrl-C or until one of the three exits (then stop the others too).
rc=0
wait -n "${PIDS[@]}" || rc=$?
echo "a VIK process ended (status $rc, or Ctrl-C); stopping the rest" >&2
exit "$rc"
