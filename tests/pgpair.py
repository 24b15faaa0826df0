"""A throw-away PostgreSQL primary with a streaming replica, for the read-replica tests.

Built from the machine's PostgreSQL server binaries (the newest ``/usr/lib/postgresql/*/bin``, as
``scripts/services.sh`` picks them): ``initdb`` a small primary (``wal_level = replica``), load a
copy of the test database into it (``pg_dump`` of the worker's test database: schema, reference
rows, no migration run), ``pg_basebackup -R`` a replica from it, and start both on free loopback
ports in a folder under /var/tmp. As root the servers run as the ``postgres`` user (``initdb``
refuses root), like the project-local cluster of ``scripts/services.sh``.

Replication is synchronous by name (``synchronous_standby_names``) but the default
``synchronous_commit`` stays ``local``: ordinary writes never wait for the replica (so a paused or
stopped replica blocks nothing), and the helpers below wait for it on purpose with a one-row
commit at ``remote_apply`` (replayed) or ``remote_write`` (received) — no sleeping, no polling.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

REPLICA_NAME = "vikreplica"
DBNAME = "vik"


def server_bindir() -> Path | None:
    found = []
    for d in Path("/usr/lib/postgresql").glob("*/bin"):
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file() and (d / "pg_basebackup").is_file():
            found.append(d)
    if not found:
        return None
    return max(found, key=lambda d: [int(p) for p in d.parent.name.split(".") if p.isdigit()])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_root() -> bool:
    return os.geteuid() == 0


class PgPair:
    def __init__(self, bindir: Path):
        self.bin = bindir
        self.base = Path(tempfile.mkdtemp(prefix="vik-replica-test-", dir="/var/tmp"))
        self.primary_dir = self.base / "primary"
        self.replica_dir = self.base / "replica"
        self.primary_port = _free_port()
        self.replica_port = _free_port()
        if _as_root():
            shutil.chown(self.base, "postgres", "postgres")
        os.chmod(self.base, 0o700)

    # --- running programs ------------------------------------------------------------------------

    def _server(self, *args: str) -> None:
        """A server program (initdb, pg_ctl, pg_basebackup) as the owner of the data folders."""
        cmd = [str(self.bin / args[0]), *args[1:]]
        if _as_root():
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, cwd="/", capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")

    def _conf(self, data: Path, text: str) -> None:
        with open(data / "postgresql.conf", "a") as f:
            f.write(text)

    def dsn(self, port: int) -> str:
        return f"host=127.0.0.1 port={port} user=postgres dbname={DBNAME}"

    def database_settings(self, port: int) -> dict:
        return {"HOST": "127.0.0.1", "PORT": port, "NAME": DBNAME, "USER": "postgres", "PASSWORD": ""}

    # --- life cycle --------------------------------------------------------------------------------

    def start(self, *, copy_of: dict) -> None:
        """Start both, the primary holding a copy of the database ``copy_of`` (Django settings)."""
        self._server("initdb", "-D", str(self.primary_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                     "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self._conf(
            self.primary_dir,
            f"""
listen_addresses = '127.0.0.1'
port = {self.primary_port}
unix_socket_directories = '{self.base}'
wal_level = replica
max_wal_senders = 4
synchronous_standby_names = '{REPLICA_NAME}'
synchronous_commit = local
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 40
""",
        )
        self._pg_ctl(self.primary_dir, "start")
        self._copy_database(copy_of)
        self._server("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
                     "-D", str(self.replica_dir), "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        self._conf(
            self.replica_dir,
            f"""
port = {self.replica_port}
cluster_name = '{REPLICA_NAME}'
hot_standby = on
""",
        )
        self._pg_ctl(self.replica_dir, "start")
        self.wait_replayed()

    def _pg_ctl(self, data: Path, action: str) -> None:
        if action == "start":
            self._server("pg_ctl", "-D", str(data), "-l", str(data / "server.log"), "-w", "-t", "60", "start")
        else:
            self._server("pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop")

    def _copy_database(self, source: dict) -> None:
        with psycopg.connect(self.dsn(self.primary_port).replace(DBNAME, "postgres"), autocommit=True) as c:
            c.execute(f"CREATE DATABASE {DBNAME}")
        env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
        dump = subprocess.Popen(
            [str(self.bin / "pg_dump"), "-h", str(source["HOST"] or "127.0.0.1"), "-p", str(source["PORT"] or 5432),
             "-U", source["USER"] or "postgres", "-d", source["NAME"], "--no-owner", "--no-privileges"],
            stdout=subprocess.PIPE, env=env, cwd="/",
        )  # fmt: skip
        load = subprocess.run(
            [str(self.bin / "psql"), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", self.dsn(self.primary_port)],
            stdin=dump.stdout, capture_output=True, text=True, cwd="/",
        )  # fmt: skip
        dump.stdout.close()
        if dump.wait() != 0 or load.returncode != 0:
            raise RuntimeError(f"copying the test database failed: {load.stderr.strip()[-2000:]}")

    def stop(self) -> None:
        for data in (self.replica_dir, self.primary_dir):
            if (data / "postmaster.pid").exists():
                try:
                    self._pg_ctl(data, "stop")
                except RuntimeError:
                    pass
        shutil.rmtree(self.base, ignore_errors=True)

    def stop_replica(self) -> None:
        self._pg_ctl(self.replica_dir, "stop")

    def start_replica(self) -> None:
        self._pg_ctl(self.replica_dir, "start")
        self.wait_replayed()

    @property
    def replica_running(self) -> bool:
        return (self.replica_dir / "postmaster.pid").exists()

    # --- waiting for the replica on purpose --------------------------------------------------------

    def _commit_at(self, level: str) -> None:
        """A one-row commit that returns once the replica has reached ``level`` for it, and so for
        everything committed before it."""
        with psycopg.connect(self.dsn(self.primary_port), autocommit=True) as c:
            c.execute(f"SET synchronous_commit = {level}")
            c.execute("CREATE TABLE IF NOT EXISTS replica_test_marker (at timestamptz)")
            c.execute("INSERT INTO replica_test_marker VALUES (now())")

    def wait_replayed(self) -> None:
        """Returns when the replica has replayed everything committed on the primary so far."""
        self._commit_at("remote_apply")

    def wait_received(self) -> None:
        """Returns when the replica has received (not necessarily replayed) everything so far."""
        self._commit_at("on")  # "on": flushed on the replica, so pg_last_wal_receive_lsn() shows it

    def pause_replay(self) -> None:
        with psycopg.connect(self.dsn(self.replica_port), autocommit=True) as c:
            c.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with psycopg.connect(self.dsn(self.replica_port), autocommit=True) as c:
            c.execute("SELECT pg_wal_replay_resume()")
        self.wait_replayed()

    def query(self, port: int, sql: str, params=()) -> list[tuple]:
        with psycopg.connect(self.dsn(port), autocommit=True) as c:
            return c.execute(sql, params).fetchall()
