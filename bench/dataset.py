# ruff: noqa: S608 -- SQL here is assembled from fixed fragments and identifiers in code; values are bound parameters.
"""The benchmark dataset (DESIGN §6, §7): realistic synthetic data at scale S, M or L, bulk
loaded with COPY, re-runnable.

* ``bench_dataset`` (one row) records the scale, the seed, which steps are done and a few facts
  the runner needs (bench users, "person X"). A database that holds another scale is refused
  before anything is written; a step that is done is skipped on a re-run, so a run that was
  interrupted resumes where it stopped (every step is one transaction).
* ``visible_to`` is filled as ``vik.core.access.compute_visible_to`` would: the owner team token
  plus the principals of the ``ShareGrant`` rows written in the same step.
* BSNs are encrypted with ``vik.core.encryption.fernet()`` and indexed with ``blind_index``, the
  signal narrative is encrypted the same way, and ``search_vector`` is filled by the signals app's
  own SQL.
* The access log is written as one continuation of the hash chain, computed here (see
  docs/performance.md): ``verify_access_log`` passes on a freshly generated dataset.
* Records that a user must never see carry seed markers (``LEAK_MARKERS``); the load test
  asserts no response of a user without the right contains them.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import synthetic as syn
from .copyload import MissingValue, Table, copy_rows, reserve_ids

SCALES: dict[str, dict[str, int]] = {
    # XS is a hidden tiny scale for the test suite's smoke run.
    "XS": dict(signals=200, subjects=600, objects=400, links=3_000, measures=24, accesslog=20_000),
    "S": dict(
        signals=10_000, subjects=30_000, objects=20_000, links=150_000, measures=1_000, accesslog=10_000_000
    ),
    "M": dict(
        signals=100_000,
        subjects=300_000,
        objects=200_000,
        links=1_500_000,
        measures=10_000,
        accesslog=100_000_000,
    ),
    "L": dict(
        signals=1_000_000,
        subjects=3_000_000,
        objects=2_000_000,
        links=15_000_000,
        measures=100_000,
        accesslog=1_000_000_000,
    ),
}
PUBLIC_SCALES = ["S", "M", "L"]
ACCESSLOG_MONTHS = 10  # L: 1B rows = 100M per month partition (issue #11 item 5)

# Bytes on disk per row including indexes, measured at S (docs/performance.md), with headroom.
BYTES_PER_ROW = {"accesslog": 430, "other": 1_000}
DISK_HEADROOM = 1.25

BENCH_PASSWORD_DEFAULT = "VIK-bench-2026!"
#: The load test gives each locust user an account of its own (TOTP replay protection): 150 users
#: in the mix analyst 3 : chair 1 : Bibob 1 : API 1 need 75 analysts, at 3:1:1 90 (+ account 01,
#: bench.run's). A finished dataset with fewer accounts is topped up on its next run.
BENCH_USERS_PER_ROLE = 100
#: The API journey's machine client (bench.load): its service account sees team Veiligheid's
#: general and police records only, so every leak marker is outside its scope.
BENCH_API_USER = "bench_api_koppeling"
BENCH_API_CLIENT = "Benchmark – zaaksysteem team Veiligheid (loadtest)"
BENCH_API_CLEARANCES = ["general", "police"]
#: Partner systems of the load test, each an ApiClient with its own key and its own rate limit
#: (API_RATE_PER_MINUTE per client): one locust API user per system, as in production, instead of
#: many users sharing one key and tripping its limit.
BENCH_API_CLIENTS = 20
EXTERN_TEAM = "bench-extern"

#: marker -> (owner team code, compartment). Who may see it follows from the rules of
#: vik.core.access; the load test checks the users who may not.
LEAK_MARKERS = {
    "VIKLEAKTEAM": (EXTERN_TEAM, "general"),  # another team: invisible to analyst and bibob
    "VIKLEAKBIBOB": ("bibob", "bibob"),  # bibob compartment: invisible to analyst and chair
    "VIKLEAKMMA": ("veiligheid", "mma"),  # MMA compartment: invisible to bibob
}
FORBIDDEN_MARKERS = {
    "analyst": ["VIKLEAKTEAM", "VIKLEAKBIBOB"],
    "chair": ["VIKLEAKBIBOB"],
    "bibob": ["VIKLEAKTEAM", "VIKLEAKMMA"],
    "api": ["VIKLEAKTEAM", "VIKLEAKBIBOB", "VIKLEAKMMA"],
}
MARKERS_PER_KIND = 3


class DatasetError(Exception):
    """A clear refusal: nothing has been written."""


def bench_password() -> str:
    import os

    return os.environ.get("VIK_BENCH_PASSWORD", BENCH_PASSWORD_DEFAULT)


def bench_totp_key(username: str) -> str:
    """Deterministic per installation (hex, 20 bytes), like the demo users' keys."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:bench-totp:{username}".encode()).hexdigest()[:40]


def bench_api_key(number: int = 0) -> str:
    """The API key of the load test's machine client ``number``, deterministic per installation
    like the TOTP keys (only its SHA-256 is stored, as for every client): ``vik_<prefix>_<secret>``."""
    suffix = f":{number}" if number else ""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:bench-api-key{suffix}".encode()).hexdigest()
    return f"vik_{digest[:8]}_{digest[8:]}"


def totp_token(username: str, at: float | None = None) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(bench_totp_key(username)), step=30, t0=0, digits=6)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


# --- the marker table ---------------------------------------------------------------------------

_MARKER_DDL = """
CREATE TABLE IF NOT EXISTS bench_dataset (
    id int PRIMARY KEY CHECK (id = 1),
    scale text NOT NULL,
    seed int NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NULL,
    steps jsonb NOT NULL DEFAULT '{}'::jsonb,
    info jsonb NOT NULL DEFAULT '{}'::jsonb
)
"""


def read_marker() -> dict | None:
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_dataset')")
        if cur.fetchone()[0] is None:
            return None
        cur.execute(
            "SELECT scale, seed, started_at, finished_at, steps, info FROM bench_dataset WHERE id = 1"
        )
        row = cur.fetchone()
    if row is None:
        return None
    steps, info = (json.loads(v) if isinstance(v, str) else v for v in row[4:6])
    return dict(scale=row[0], seed=row[1], started_at=row[2], finished_at=row[3], steps=steps, info=info)


def _save_step(name: str, facts: dict) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE bench_dataset SET steps = steps || %s::jsonb WHERE id = 1", [json.dumps({name: facts})]
        )


def _save_info(info: dict) -> None:
    with connection.cursor() as cur:
        cur.execute("UPDATE bench_dataset SET info = info || %s::jsonb WHERE id = 1", [json.dumps(info)])


# --- disk ---------------------------------------------------------------------------------------


def parse_rows(value: str | int) -> int:
    """A row count as typed on the command line: ``10M``, ``1m``, ``500k``, ``2G`` or ``10_000_000``."""
    text = str(value).strip().replace("_", "").replace(",", "")
    factor = {"K": 10**3, "M": 10**6, "G": 10**9}.get(text[-1:].upper(), 1)
    if factor != 1:
        text = text[:-1]
    try:
        rows = round(float(text) * factor) if factor != 1 else int(text)
    except ValueError:
        raise DatasetError(
            f"--log-rows: geen aantal rijen: {value!r} (bijv. 10M, 500k of 1000000)."
        ) from None
    if rows < 1:
        raise DatasetError("--log-rows: minstens 1 rij.")
    return rows


def estimated_bytes(scale: str, log_rows: int | None = None) -> int:
    s = SCALES[scale]
    other = s["signals"] * 4 + s["subjects"] * 2 + s["objects"] * 2 + s["links"] + s["measures"] * 4
    log = s["accesslog"] if log_rows is None else log_rows
    return int((log * BYTES_PER_ROW["accesslog"] + other * BYTES_PER_ROW["other"]) * DISK_HEADROOM)


def free_bytes() -> int | None:
    """Free space where the database keeps its data, when that is on this machine; else None."""
    host = connection.settings_dict.get("HOST") or "localhost"
    if host not in {"localhost", "127.0.0.1", "::1", ""} and not host.startswith("/"):
        return None
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
            row = cur.fetchone()
        path = row[0] if row else None
        if not path:
            return None
        probe = path
        import os

        while probe and not os.path.exists(probe):
            probe = os.path.dirname(probe)
        return shutil.disk_usage(probe or "/").free
    except Exception:  # noqa: BLE001 - no access to the path: cannot tell
        return None


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB"


def preflight(
    scale: str, *, free: Callable[[], int | None] = free_bytes, log_rows: int | None = None
) -> dict | None:
    """Every refusal happens here, before anything is written. Returns the existing marker."""
    if scale not in SCALES:
        raise DatasetError(f"Onbekende schaal {scale!r}: kies uit {', '.join(PUBLIC_SCALES)}.")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT to_regclass('signals_signal'), to_regclass('subjects_person'), to_regclass('core_accesslog')"
        )
        if None in cur.fetchone():
            raise DatasetError("De database is nog niet gemigreerd: voer eerst `manage.py migrate` uit.")
    marker = read_marker()
    if marker is not None and marker["scale"] != scale:
        raise DatasetError(
            f"Deze database bevat al een benchmarkdataset op schaal {marker['scale']} "
            f"(gestart {marker['started_at']:%d-%m-%Y %H:%M}). Schaal {scale} erbij zetten zou de metingen "
            "van beide onbruikbaar maken: gebruik een lege database (DATABASE_URL) of dezelfde schaal."
        )
    if marker is None or not marker["finished_at"]:
        if log_rows is None and marker is not None:
            log_rows = marker["info"].get("log_rows")
        need = estimated_bytes(scale, log_rows)
        if marker is not None:
            need = int(need * (1 - len(marker["steps"]) / max(len(STEP_NAMES), 1)))
        have = free()
        if have is not None and have < need:
            raise DatasetError(
                f"Te weinig schijfruimte voor schaal {scale}: nodig ongeveer {_gb(need)}, vrij {_gb(have)}. "
                "Er is niets geschreven."
            )
    return marker


# --- generation ---------------------------------------------------------------------------------

#: Steps that run outside a transaction (VACUUM refuses to run inside one).
OUTSIDE_TRANSACTION = {"analyze"}

STEP_NAMES = [
    "users",
    "apiclient",
    "persons",
    "organisations",
    "addresses",
    "vehicles",
    "links",
    "logrefs",
    "signals",
    "measures",
    "bibob",
    "meetings",
    "areas",
    "rollups",
    "accesslog",
    "analyze",
]


@dataclass
class Population:
    """What later steps need of earlier ones: id ranges, owners and compartments."""

    start: int = 0
    count: int = 0
    owner: array = field(default_factory=lambda: array("B"))  # team index
    comp: array = field(default_factory=lambda: array("B"))  # compartment index

    def id_at(self, i: int) -> int:
        return self.start + i


COMPARTMENTS = ["general", "mma", "police", "bibob"]


#: Without a progress bar (a log file, the runner in a pipe) a step this large still says how far
#: it is: one line per tenth.
LINE_PROGRESS_FROM = 1_000_000


class LineProgress:
    """Progress as plain lines (every 10 %, with rows per second), for logs and pipes."""

    def __init__(self, total: int, desc: str, say: Callable[[str], None]):
        self.total, self.desc, self.say = total, desc, say
        self.done = 0
        self.next_tenth = 1
        self.started = time.perf_counter()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        self.done += n
        while self.next_tenth <= 10 and self.done * 10 >= self.total * self.next_tenth:
            elapsed = time.perf_counter() - self.started
            rate = self.done / elapsed if elapsed > 0 else 0
            self.say(
                f"  {self.desc:<14} {self.next_tenth * 10:>3} %  {self.done:>12,} van {self.total:,} rijen"
                f"  {elapsed:7.0f} s  ({rate:,.0f} rijen/s)"
            )
            self.next_tenth += 1


class Generator:
    def __init__(
        self,
        scale: str,
        *,
        seed: int = 2026,
        out=None,
        progress: bool = True,
        today: date | None = None,
        log_months: int = ACCESSLOG_MONTHS,
        log_rows: int | None = None,
    ):
        self.scale = scale
        self.size = dict(SCALES[scale])
        if log_rows is not None and log_rows < 1:
            raise DatasetError("--log-rows: minstens 1 rij.")
        #: --log-rows: the access log's size instead of the scale's (L-core: L with a 10M-row log).
        self.log_rows = log_rows
        if log_rows is not None:
            self.size["accesslog"] = log_rows
        self.seed = seed
        self.rng = random.Random(seed)
        self.out = out
        self.show_progress = progress
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.skipped: dict[str, str] = {}
        self.munis = syn.municipalities(scale)
        if not 1 <= log_months <= 120:
            raise DatasetError("--log-months: kies 1 tot en met 120 maanden.")
        self.log_months = log_months
        self.pop: dict[str, Population] = {}
        self.info: dict = {}

    # -- output ---------------------------------------------------------------------------------

    def say(self, msg: str) -> None:
        if self.out is not None:
            self.out.write(msg + "\n")

    def bar(self, total: int, desc: str):
        from tqdm import tqdm

        if not self.show_progress and self.out is not None and total >= LINE_PROGRESS_FROM:
            return LineProgress(total, desc.strip(), self.say)
        return tqdm(
            total=total,
            desc=f"{desc:<14}",
            unit="rij",
            unit_scale=True,
            disable=not self.show_progress,
            leave=False,
        )

    # -- driver ---------------------------------------------------------------------------------

    def run(self) -> dict:
        marker = preflight(self.scale, log_rows=self.log_rows)
        missing = [n for n in STEP_NAMES if marker is not None and n not in marker["steps"]]
        if marker is not None and marker["finished_at"] and missing:
            # A step added to the generator after this dataset was made: make just that step.
            self.say(f"Dataset op schaal {self.scale} aanvullen met: {', '.join(missing)}.")
        elif marker is not None and marker["finished_at"]:
            self.say(
                f"Dataset op schaal {self.scale} staat al klaar (sinds {marker['finished_at']:%d-%m-%Y %H:%M})."
            )
            return self._top_up_users(marker)
        with connection.cursor() as cur:
            cur.execute(_MARKER_DDL)
            cur.execute(
                "INSERT INTO bench_dataset (id, scale, seed, started_at) VALUES (1, %s, %s, now()) ON CONFLICT (id) DO NOTHING",
                [self.scale, self.seed],
            )
        marker = read_marker()
        self.seed = marker["seed"]
        self.info = dict(marker["info"])
        # A resumed run keeps the log size the dataset was started with, unless told otherwise.
        if self.log_rows is None and self.info.get("log_rows"):
            self.log_rows = self.info["log_rows"]
            self.size["accesslog"] = self.log_rows
        if self.log_rows is not None:
            self.info["log_rows"] = self.log_rows
        done = marker["steps"]
        for name in STEP_NAMES:
            # Each step derives its randomness from the seed and its name, so a resumed run makes
            # the same data as an uninterrupted one.
            self.rng = random.Random(f"{self.seed}:{name}")
            started = time.perf_counter()
            if name in done and name not in {"users"}:
                self._restore(name, done[name])
                continue
            fn = getattr(self, f"step_{name}")
            if name != "users":
                self.team_ids  # noqa: B018 - load before any COPY holds the connection
            try:
                if name in OUTSIDE_TRANSACTION:
                    facts = fn() or {}  # VACUUM cannot run inside a transaction block
                    _save_step(name, facts)
                else:
                    with transaction.atomic():
                        facts = fn() or {}
                        _save_step(name, facts)
                        _save_info(self.info)
            except MissingValue as exc:
                self.skipped[name] = f"verplicht veld zonder waarde: {exc}"
                self.say(f"  {name:<14} overgeslagen ({self.skipped[name]})")
                continue
            self.timings[name] = time.perf_counter() - started
            self._restore(name, facts)
            n = facts.get("rows", 0)
            if name in self.skipped:
                self.say(f"  {name:<14} overgeslagen ({self.skipped[name]})")
            else:
                rate = n / self.timings[name] if self.timings[name] > 0 else 0
                self.say(f"  {name:<14} {n:>12,} rijen  {self.timings[name]:8.1f} s  ({rate:,.0f} rijen/s)")
        with connection.cursor() as cur:
            cur.execute("UPDATE bench_dataset SET finished_at = now() WHERE id = 1")
        return read_marker()

    def _top_up_users(self, marker: dict) -> dict:
        """A dataset finished before BENCH_USERS_PER_ROLE was raised has too few bench accounts
        for the load test (two locust users on one account trip TOTP replay protection). The
        users step is idempotent (get_or_create), so it is re-run on its own; the records of the
        later steps keep the accounts they were made with."""
        users = marker["info"].get("users") or {}
        api = marker["info"].get("api") or {}
        if api and len(api.get("clients", [])) < BENCH_API_CLIENTS:
            # made when the load test had one partner system: add the others (idempotent)
            self.info = dict(marker["info"])
            with transaction.atomic():
                facts = self.step_apiclient()
                _save_step("apiclient", facts)
                _save_info(self.info)
            self.say(f"  apiclient      {facts['rows']:>12,} rijen  (API-koppelingen aangevuld)")
            marker = read_marker()
        if all(len(users.get(role, [])) >= BENCH_USERS_PER_ROLE for role in ("analyst", "chair", "bibob")):
            return marker
        self.info = dict(marker["info"])
        with transaction.atomic():
            facts = self.step_users()
            _save_step("users", facts)
            _save_info(self.info)
        self.say(f"  users          {facts['rows']:>12,} rijen  (bench-accounts aangevuld)")
        return read_marker()

    def _restore(self, name: str, facts: dict) -> None:
        self.counts[name] = facts.get("rows", 0)
        if facts.get("skipped"):
            self.skipped[name] = facts["skipped"]
        pop = facts.get("population")
        if pop:
            # Owners/compartments are re-derived deterministically from the stored seed stream.
            p = Population(start=pop["start"], count=pop["count"])
            rng = random.Random(f"{self.seed}:{name}:owners")
            for _ in range(p.count):
                t, c = self._owner_and_comp(rng, name)
                p.owner.append(t)
                p.comp.append(c)
            for i, (team, comp) in (pop.get("overrides") or {}).items():
                p.owner[int(i)], p.comp[int(i)] = team, comp
            self.pop[name] = p

    # -- teams and users ------------------------------------------------------------------------

    def step_users(self) -> dict:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group

        from vik.core.constants import (
            ROLE_ANALYST,
            ROLE_BIBOB,
            ROLE_CHAIR,
            ROLE_PRIVACY_OFFICER,
            OrgKind,
            PartnerType,
        )
        from vik.core.models import OrgUnit, User
        from vik.core.roles import sync_roles

        sync_roles()
        units = [
            ("veiligheid", "Gemeente Almelo – team Veiligheid", OrgKind.TEAM, ""),
            ("bibob", "Gemeente Almelo – Bibob", OrgKind.TEAM, ""),
            ("vergunningen", "Gemeente Almelo – team Vergunningen", OrgKind.TEAM, ""),
            (EXTERN_TEAM, "Benchmark – team van een andere gemeente", OrgKind.TEAM, ""),
            ("politie", "Politie Oost-Nederland, basisteam Almelo", OrgKind.PARTNER, PartnerType.POLICE),
            ("informatiebeheer", "Gemeente Almelo – Informatiebeheer", OrgKind.TEAM, ""),
        ]
        for m in self.munis[1:]:
            units.append((f"veiligheid-{m.code}", f"Gemeente {m.name} – team Veiligheid", OrgKind.TEAM, ""))
        for code, name, kind, ptype in units:
            OrgUnit.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "partner_type": ptype}
            )
        roles = [
            (
                "analyst",
                "analist",
                ROLE_ANALYST,
                "veiligheid",
                ["general", "mma", "police"],
                BENCH_USERS_PER_ROLE,
            ),
            (
                "chair",
                "voorzitter",
                ROLE_CHAIR,
                "veiligheid",
                ["general", "mma", "police"],
                BENCH_USERS_PER_ROLE,
            ),
            ("bibob", "bibob", ROLE_BIBOB, "bibob", ["general", "bibob"], BENCH_USERS_PER_ROLE),
            ("privacy", "privacy", ROLE_PRIVACY_OFFICER, "informatiebeheer", [], 2),
        ]
        password = make_password(bench_password())  # one hash for all: logins stay real, setup stays fast
        made: dict[str, list[list]] = {}
        for key, slug, role, unit, clear, count in roles:
            group = Group.objects.get(name=role)
            org = OrgUnit.objects.get(code=unit)
            for i in range(1, count + 1):
                username = f"bench_{slug}_{i:02d}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": slug.capitalize(),
                        "last_name": f"Bench {i:02d}",
                        "password": password,
                    },
                )
                if created or user.org_unit_id != org.pk:
                    user.org_unit = org
                    user.clearances = clear
                    user.save(update_fields=["org_unit", "clearances"])
                user.groups.set([group])
                TOTPDevice.objects.update_or_create(
                    user=user, name="bench", defaults={"key": bench_totp_key(username), "confirmed": True}
                )
                made.setdefault(key, []).append([user.pk, username, role])
        self.info["users"] = made
        self.info["teams"] = self._team_codes()
        return {"rows": sum(len(v) for v in made.values())}

    def step_apiclient(self) -> dict:
        """The machine client of the load test's API journey: an ``ApiClient`` of team
        Veiligheid acting as a service account (role analyst, clearances general and police, no
        password, no second factor) with the read scopes a partner system uses. Its key is
        ``bench_api_key()``; only its hash is stored. Idempotent: a re-run renews the key's expiry."""
        from django.contrib.auth.models import Group

        from api.models import ApiClient, Scope
        from api.services import key_hash
        from vik.core.constants import ROLE_ANALYST
        from vik.core.models import OrgUnit, User

        if not _table_exists(ApiClient):
            self.skipped["apiclient"] = "de API-app is niet gemigreerd"
            return {"rows": 0, "skipped": self.skipped["apiclient"]}
        team = OrgUnit.objects.get(code="veiligheid")
        user, created = User.objects.get_or_create(
            username=BENCH_API_USER,
            defaults={"first_name": "API-koppeling", "last_name": "Bench", "org_unit": team},
        )
        if created:
            user.set_unusable_password()  # a service account never logs in to the web
        user.org_unit, user.clearances = team, list(BENCH_API_CLEARANCES)
        user.save(
            update_fields=["password", "org_unit", "clearances"] if created else ["org_unit", "clearances"]
        )
        user.groups.set([Group.objects.get(name=ROLE_ANALYST)])
        clients = []
        for number in range(BENCH_API_CLIENTS):
            key = bench_api_key(number)
            client, _made = ApiClient.objects.update_or_create(
                name=BENCH_API_CLIENT if not number else f"{BENCH_API_CLIENT} {number + 1:02d}",
                defaults={
                    "organisation": team,
                    "user": user,
                    "scopes": sorted([Scope.SIGNALS_READ, Scope.SUBJECTS_READ, Scope.MEASURES_READ]),
                    "key_prefix": key.split("_")[1],
                    "key_hash": key_hash(key),
                    "key_expires_at": self.now + timedelta(days=365),
                    "revoked_at": None,
                },
            )
            clients.append(client.pk)
        self.info["api"] = {
            "client": clients[0],
            "clients": clients,
            "user": [user.pk, user.username],
            "scopes": client.scopes,
        }
        return {"rows": len(clients)}

    def _team_codes(self) -> list[str]:
        return ["veiligheid", "bibob", "vergunningen", EXTERN_TEAM] + [
            f"veiligheid-{m.code}" for m in self.munis[1:]
        ]

    def _owner_and_comp(self, rng: random.Random, kind: str) -> tuple[int, int]:
        """Owner team index and compartment index of one record. At S nearly everything is the
        municipality's own team Veiligheid; at M/L the records spread over the region's teams."""
        r = rng.random()
        n_teams = len(self._team_codes())
        if r < 0.02:
            return 1, 3  # bibob team, bibob compartment
        if r < 0.05:
            return 2, 0  # vergunningen
        if r < 0.07:
            return 3, 0  # another municipality's team (S) / extern
        if n_teams > 4 and r < 0.07 + 0.93 * (1 - 1 / (n_teams - 3)):
            team = rng.randrange(4, n_teams)
        else:
            team = 0
        c = rng.random()
        comp = 0
        if kind == "signals":
            comp = 2 if c < 0.15 else 1 if c < 0.23 else 0
        elif kind == "persons":
            comp = 2 if c < 0.04 else 0
        return team, comp

    def _population(self, name: str, start: int, count: int) -> Population:
        p = Population(start=start, count=count)
        rng = random.Random(f"{self.seed}:{name}:owners")
        for _ in range(count):
            t, c = self._owner_and_comp(rng, name)
            p.owner.append(t)
            p.comp.append(c)
        return p

    def _marker_slots(self, pop: Population) -> dict[int, tuple[str, int, int]]:
        """A few records per kind carry a leak marker with the owner/compartment that hides it."""
        teams = self._team_codes()
        slots = {}
        for k, (marker, (team, comp)) in enumerate(LEAK_MARKERS.items()):
            for j in range(MARKERS_PER_KIND):
                i = (k * MARKERS_PER_KIND + j) * 7 + 5
                if i < pop.count:
                    slots[i] = (marker, teams.index(team), COMPARTMENTS.index(comp))
                    pop.owner[i] = teams.index(team)
                    pop.comp[i] = COMPARTMENTS.index(comp)
        return slots

    def _vis(self, team_idx: int, shares: tuple[str, ...] = ()) -> list[str]:
        return sorted({f"t:{self._team_codes()[team_idx]}", *shares})

    def _ts(self, d: date) -> datetime:
        return datetime(d.year, d.month, d.day, 8, 0, tzinfo=UTC) + timedelta(
            seconds=self.rng.randint(0, 36_000)
        )

    # -- subjects -------------------------------------------------------------------------------

    def _subject_common(self, pop: Population, i: int) -> dict:
        created = self._ts(self.today - timedelta(days=self.rng.randint(0, 3650)))
        return {
            "owner_team_id": self.team_ids[pop.owner[i]],
            "compartment": COMPARTMENTS[pop.comp[i]],
            "visible_to": self._vis(pop.owner[i]),
            "created_at": created,
            "updated_at": created,
            "source": "benchmark",
            "provenance": {},
        }

    @property
    def team_ids(self) -> list[int]:
        if not hasattr(self, "_team_ids"):
            from vik.core.models import OrgUnit

            by_code = dict(OrgUnit.objects.filter(code__in=self._team_codes()).values_list("code", "id"))
            self._team_ids = [by_code[c] for c in self._team_codes()]
        return self._team_ids

    def _load(
        self, name: str, model, n: int, make_row: Callable[[Population, int, dict], dict], *, population=True
    ) -> dict:
        table = Table(model)
        with connection.cursor() as cur:
            start = reserve_ids(cur.cursor, table.name, n)
        pop = self._population(name, start, n) if population else Population(start=start, count=n)
        slots = self._marker_slots(pop) if population else {}

        def rows() -> Iterator[dict]:
            for i in range(n):
                values = {"id": start + i}
                values.update(make_row(pop, i, {"marker": slots.get(i, (None,))[0]}))
                yield values

        with self.bar(n, name) as bar:
            copy_rows(table, rows(), progress=bar.update)
        self.pop[name] = pop
        overrides = {str(i): [pop.owner[i], pop.comp[i]] for i in slots}
        return {"rows": n, "population": {"start": start, "count": n, "overrides": overrides}}

    def step_persons(self) -> dict:
        from vik.core.encryption import blind_index, fernet

        Person = apps.get_model("subjects", "Person")
        names = _names_module()
        f = fernet()
        n = int(self.size["subjects"] * 0.8)

        def row(pop: Population, i: int, ctx: dict) -> dict:
            parts = syn.person_name(self.rng)
            if ctx["marker"]:
                parts["voornamen"] = ctx["marker"]
                parts["geslachtsnaam"] = "Jansen"
            number = syn.bsn(self.rng)
            return {
                **self._subject_common(pop, i),
                **parts,
                "name_normalised": names.name_key(parts["geslachtsnaam"]),
                "initials": names.initials_of(parts["voornamen"]),
                "birth_date": syn.birth_date(self.rng, today=self.today),
                "birth_place": self.rng.choice(self.munis).name,
                "bsn": f.encrypt(number.encode()).decode(),
                "bsn_index": blind_index(number),
                "aliases": [],
            }

        return self._load("persons", Person, n, row)

    def step_organisations(self) -> dict:
        Organisation = apps.get_model("subjects", "Organisation")
        names = _names_module()
        from vik.core.constants import RiskBranch

        forms = ["bv", "bv", "bv", "eenmanszaak", "vof", "stichting", "cv"]
        branches = list(RiskBranch.values)
        n = self.size["subjects"] - int(self.size["subjects"] * 0.8)

        def row(pop: Population, i: int, ctx: dict) -> dict:
            muni = self.rng.choice(self.munis)
            name = syn.organisation_name(self.rng, muni)
            if ctx["marker"]:
                name = f"{ctx['marker']} Handelsonderneming B.V."
            return {
                **self._subject_common(pop, i),
                "name": name,
                "name_normalised": names.organisation_key(name),
                "kvk_number": syn.kvk_number(self.rng),
                "vestigingsnummer": syn.vestigingsnummer(self.rng),
                "rsin": syn.rsin(self.rng),
                "legal_form": self.rng.choice(forms),
                "sbi_codes": [f"{self.rng.randint(10, 96)}{self.rng.randint(0, 999):03d}"],
                "trade_names": [],
                "risk_branch": self.rng.choice(branches) if self.rng.random() < 0.4 else "",
            }

        return self._load("organisations", Organisation, n, row)

    def step_addresses(self) -> dict:
        Address = apps.get_model("subjects", "Address")
        n = int(self.size["objects"] * 0.75)
        weights = [3.0] + [1.0] * (len(self.munis) - 1)

        def row(pop: Population, i: int, ctx: dict) -> dict:
            muni = self.rng.choices(self.munis, weights=weights)[0]
            a = syn.address(self.rng, muni, self.scale)
            if ctx["marker"]:
                a["street"] = f"{ctx['marker']}straat"
            return {**self._subject_common(pop, i), **a}

        return self._load("addresses", Address, n, row)

    def step_vehicles(self) -> dict:
        Vehicle = apps.get_model("subjects", "Vehicle")
        n = self.size["objects"] - int(self.size["objects"] * 0.75)

        def row(pop: Population, i: int, ctx: dict) -> dict:
            return {**self._subject_common(pop, i), **syn.vehicle(self.rng)}

        return self._load("vehicles", Vehicle, n, row)

    def _pick(self, name: str, *, hubs: float = 0.0) -> int:
        """Index of a record of ``name``: with probability ``hubs`` one of the 0.2% hub records
        (business addresses with hundreds of links), else skewed towards the first records."""
        p = self.pop[name]
        if hubs and self.rng.random() < hubs:
            return self.rng.randrange(max(1, p.count // 500))
        return min(p.count - 1, int(p.count * self.rng.random() ** 1.6))

    def step_links(self) -> dict:
        Link = apps.get_model("subjects", "Link")
        n = self.size["links"]
        mix = [
            ("persons", "addresses", ["woont_op", "huurder_van", "eigenaar_van"], 0.45, 0.08),
            ("organisations", "addresses", ["gevestigd_op", "eigenaar_van", "huurder_van"], 0.15, 0.35),
            (
                "persons",
                "organisations",
                ["bestuurder_van", "eigenaar_van", "werkzaam_bij", "financier_van"],
                0.15,
                0.05,
            ),
            ("persons", "vehicles", ["gebruiker_van", "eigenaar_van"], 0.10, 0.0),
            ("persons", "persons", ["familie_van", "zakenpartner_van"], 0.10, 0.0),
            ("organisations", "organisations", ["zakenpartner_van", "financier_van", "overig"], 0.05, 0.02),
        ]
        kinds = {
            "persons": "person",
            "organisations": "organisation",
            "addresses": "address",
            "vehicles": "vehicle",
        }
        weights = [m[3] for m in mix]

        def row(pop: Population, i: int, ctx: dict) -> dict:
            src, dst, types, _w, hubs = self.rng.choices(mix, weights=weights)[0]
            a = self._pick(src)
            b = self._pick(dst, hubs=hubs)
            owner = self.pop[src].owner[a]
            start = self.today - timedelta(days=self.rng.randint(30, 3650))
            end = start + timedelta(days=self.rng.randint(30, 2000)) if self.rng.random() < 0.3 else None
            created = self._ts(start)
            return {
                "owner_team_id": self.team_ids[owner],
                "compartment": "bibob" if owner == 1 else "general",
                "visible_to": self._vis(owner),
                "created_at": created,
                "updated_at": created,
                "from_kind": kinds[src],
                "from_id": self.pop[src].id_at(a),
                "to_kind": kinds[dst],
                "to_id": self.pop[dst].id_at(b),
                "link_type": self.rng.choice(types),
                "start_date": start,
                "end_date": end if end is None or end <= self.today else None,
                "source": self.rng.choice(["BRP", "KvK", "politie", "eigen waarneming", "Kadaster"]),
                "reliability": self.rng.choice("AABBCX"),
            }

        return self._load("links", Link, n, row, population=False)

    def step_logrefs(self) -> dict:
        """The access log names records through LogRef (kind and id: pseudonymous, no label)."""
        from vik.core.models import LogRef

        table = Table(LogRef)
        specs = [
            ("persons", "subjects.person"),
            ("organisations", "subjects.organisation"),
            ("addresses", "subjects.address"),
        ]
        with connection.cursor() as cur:
            cur.execute("SELECT kind, object_id FROM core_logref")
            existing = set(cur.fetchall())
        data: list[dict] = []
        ranges: dict[str, list] = {}
        for name, kind in specs:
            model = apps.get_model(*kind.split("."))
            p = self.pop[name]
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT id FROM {model._meta.db_table} WHERE id >= %s AND id < %s ORDER BY id",
                    [p.start, p.start + p.count],
                )
                fetched = cur.fetchall()
            ranges[name] = [len(data), 0, kind]
            for values in fetched:
                if (kind, values[0]) in existing:
                    continue
                data.append({"kind": kind, "object_id": values[0]})
                ranges[name][1] += 1
        with connection.cursor() as cur:
            start = reserve_ids(cur.cursor, table.name, len(data))
        for k, d in enumerate(data):
            d["id"] = start + k
        for r in ranges.values():
            r[0] += start
        with self.bar(len(data), "logrefs") as bar:
            copy_rows(table, data, progress=bar.update)
        self.info["logrefs"] = ranges
        return {"rows": len(data)}

    # -- signals --------------------------------------------------------------------------------

    PHENOMENA = {
        "drugs": 20, "hennep": 18, "fraude": 8, "zorgfraude": 4, "witwassen": 6, "kamerverhuur": 6,
        "mensenhandel": 4, "prostitutie": 4, "gokken": 3, "heling": 5, "vuurwerk": 3, "horeca": 6,
        "vastgoed": 6, "geweld": 4, "inbrekerswerktuigen": 2, "overig": 3,
    }  # fmt: skip
    SEASON = {
        "hennep": [0.7, 0.7, 0.8, 0.9, 0.9, 0.9, 1.0, 1.1, 1.4, 1.5, 1.4, 1.0],
        "vuurwerk": [0.6, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.8, 2.5, 6.0],
        "horeca": [0.7, 0.7, 0.8, 1.0, 1.2, 1.4, 1.5, 1.5, 1.1, 0.9, 0.8, 1.0],
        "_": [0.9, 0.9, 1.0, 1.0, 1.0, 1.0, 0.85, 0.8, 1.05, 1.1, 1.1, 1.05],
    }
    SUMMARIES = {
        "drugs": "Vermoedelijke drugshandel vanuit woning {a}",
        "hennep": "Stankoverlast en dichtgeplakte ramen, mogelijk hennepkwekerij {a}",
        "fraude": "Mogelijke fraude met inschrijvingen op {a}",
        "zorgfraude": "Signaal zorgfraude: zorgaanbieder gevestigd op {a}",
        "witwassen": "Contante aankopen en snelle wisselingen van eigenaar {a}",
        "kamerverhuur": "Overbewoning en kamerverhuur zonder vergunning {a}",
        "mensenhandel": "Aanwijzingen voor uitbuiting van arbeidsmigranten {a}",
        "prostitutie": "Vermoeden illegale prostitutie in pand {a}",
        "gokken": "Illegale gokautomaten aangetroffen {a}",
        "heling": "Opkoper zonder registratie in DOR {a}",
        "vuurwerk": "Opslag illegaal vuurwerk in garagebox {a}",
        "horeca": "Horecazaak met onduidelijke financiering {a}",
        "vastgoed": "Verdachte vastgoedtransacties rond {a}",
        "geweld": "Geweldsincident en intimidatie rond {a}",
        "inbrekerswerktuigen": "Inbrekerswerktuigen in voertuig bij {a}",
        "overig": "Melding ondermijning {a}",
    }

    def step_signals(self) -> dict:
        Signal = apps.get_model("signals", "Signal")
        SignalSubject = apps.get_model("signals", "SignalSubject")
        StatusChange = apps.get_model("signals", "SignalStatusChange")
        SignalSource = apps.get_model("signals", "SignalSource")
        Phenomenon = apps.get_model("signals", "Phenomenon")
        from django.contrib.contenttypes.models import ContentType

        from vik.core.encryption import fernet
        from vik.core.models import ShareGrant

        f = fernet()
        sources = dict(SignalSource.objects.values_list("code", "id"))
        phen = dict(Phenomenon.objects.values_list("code", "id"))
        if not sources or not phen:
            raise MissingValue("signals.SignalSource/Phenomenon (reference lists are empty)")
        phen_codes = [c for c in self.PHENOMENA if c in phen] or list(phen)
        phen_w = [self.PHENOMENA.get(c, 1) for c in phen_codes]
        src_codes = list(sources)
        src_w = [
            {"politie": 30, "mma": 8, "intern": 20, "odt": 8, "controle": 12, "gemeente": 10}.get(c, 3)
            for c in src_codes
        ]
        analysts = [u[0] for u in self.info["users"]["analyst"]]
        n = self.size["signals"]
        table = Table(Signal)
        with connection.cursor() as cur:
            start = reserve_ids(cur.cursor, table.name, n)
        pop = self._population("signals", start, n)
        slots = self._marker_slots(pop)
        years = [self.today.year - k for k in range(10)]
        year_w = [1.0 + 0.12 * (9 - k) for k in range(10)]
        links: list[dict] = []
        changes: list[dict] = []
        phen_rows: list[dict] = []
        shares: list[dict] = []
        ct = ContentType.objects.get_for_model(Signal)
        granter = analysts[0]
        addr = self.pop["addresses"]

        def received(primary: str) -> date:
            season = self.SEASON.get(primary, self.SEASON["_"])
            y = self.rng.choices(years, weights=year_w)[0]
            m = self.rng.choices(range(1, 13), weights=season)[0]
            d = date(y, m, self.rng.randint(1, 28))
            return d if d <= self.today else self.today - timedelta(days=self.rng.randint(0, 60))

        def status_for(d: date) -> str:
            age = (self.today - d).days
            if age > 730:
                return self.rng.choices(["CLOSED", "DISMISSED", "INTERVENTION"], weights=[70, 25, 5])[0]
            if age > 180:
                return self.rng.choices(
                    ["CLOSED", "DISMISSED", "CASE_OPEN", "INTERVENTION", "ENRICHMENT"],
                    weights=[40, 20, 15, 15, 10],
                )[0]
            return self.rng.choices(
                [
                    "RECEIVED",
                    "TRIAGE",
                    "ENRICHMENT",
                    "POLICE_ALIGNMENT_PENDING",
                    "CASUSTAFEL_AGENDA",
                    "CASE_OPEN",
                ],
                weights=[25, 25, 20, 10, 10, 10],
            )[0]

        def rows() -> Iterator[dict]:
            for i in range(n):
                sid = start + i
                k = self.rng.choice([1, 1, 1, 2, 2, 3])
                codes = list(dict.fromkeys(self.rng.choices(phen_codes, weights=phen_w, k=k)))
                d = received(codes[0])
                marker = slots.get(i, (None,))[0]
                if marker:
                    d = self.today
                src = self.rng.choices(src_codes, weights=src_w)[0]
                comp = COMPARTMENTS[pop.comp[i]]
                if not marker and pop.owner[i] != 1:
                    comp = "mma" if src == "mma" else "police" if src == "politie" else comp
                    comp = "general" if comp == "bibob" else comp
                    pop.comp[i] = COMPARTMENTS.index(comp)
                a = self._pick("addresses", hubs=0.05)
                address_label = f"{syn.street(self.rng, self.scale)} {self.rng.randint(1, 250)}"
                status = status_for(d)
                if src == "mma" and status in {"CASUSTAFEL_AGENDA", "CASE_OPEN"}:
                    status = "POLICE_ALIGNMENT_PENDING"
                summary = self.SUMMARIES.get(codes[0], "Melding ondermijning {a}").format(a=address_label)
                if marker:
                    summary = f"{marker} {summary}"
                extra = ()
                if comp == "general" and self.rng.random() < 0.03:
                    extra = ("o:politie",)
                    shares.append(
                        {
                            "content_type_id": ct.id,
                            "object_id": sid,
                            "principal": "o:politie",
                            "granted_by_id": granter,
                            "reason": "Afstemming lokaal ondermijningsoverleg",
                            "created_at": self.now,
                            "updated_at": self.now,
                        }
                    )
                created = self._ts(d)
                for c in codes:
                    phen_rows.append({"signal_id": sid, "phenomenon_id": phen[c]})
                links.append(
                    {
                        "signal_id": sid,
                        "address_id": addr.id_at(a),
                        "role": "locatie",
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                for _ in range(self.rng.choice([0, 1, 1, 2])):
                    p = self._pick("persons")
                    links.append(
                        {
                            "signal_id": sid,
                            "person_id": self.pop["persons"].id_at(p),
                            "role": self.rng.choice(["verdachte", "bewoner", "betrokkene"]),
                            "created_at": created,
                            "updated_at": created,
                        }
                    )
                if self.rng.random() < 0.25:
                    o = self._pick("organisations", hubs=0.1)
                    links.append(
                        {
                            "signal_id": sid,
                            "organisation_id": self.pop["organisations"].id_at(o),
                            "role": "exploitant",
                            "created_at": created,
                            "updated_at": created,
                        }
                    )
                changes.append(
                    {
                        "signal_id": sid,
                        "from_status": "",
                        "to_status": "RECEIVED",
                        "actor_id": None,
                        "at": created,
                        "reason": "",
                    }
                )
                if status != "RECEIVED":
                    changes.append(
                        {
                            "signal_id": sid,
                            "from_status": "RECEIVED",
                            "to_status": status,
                            "actor_id": self.rng.choice(analysts),
                            "at": created + timedelta(days=self.rng.randint(1, 60)),
                            "reason": "",
                        }
                    )
                open_ = status not in {"CLOSED", "DISMISSED"}
                yield {
                    "id": sid,
                    "owner_team_id": self.team_ids[pop.owner[i]],
                    "compartment": comp,
                    "visible_to": self._vis(pop.owner[i], extra),
                    "created_at": created,
                    "updated_at": created,
                    "source_id": sources[src],
                    "received_date": d,
                    "reliability_source": self.rng.choice("ABBCXX"),
                    "reliability_information": self.rng.choice("12234"),
                    "summary": summary[:500],
                    "narrative": f.encrypt(
                        f"Volledige melding bij {summary}. Melder anoniem.".encode()
                    ).decode(),
                    "legal_regime": "WPG" if comp == "police" else "AVG",
                    "wpg_conditions": "Alleen voor bestuurlijke doeleinden; niet verder verstrekken."
                    if comp == "police"
                    else "",
                    "status": status,
                    "assignee_id": self.rng.choice(analysts) if open_ and self.rng.random() < 0.5 else None,
                    "casustafel": status == "CASUSTAFEL_AGENDA",
                    "created_by_id": self.rng.choice(analysts),
                }

        with self.bar(n, "signals") as bar:
            copy_rows(table, rows(), progress=bar.update)
        total = n
        for model, data in (
            (Signal.phenomena.through, phen_rows),
            (SignalSubject, links),
            (StatusChange, changes),
            (ShareGrant, shares),
        ):
            t = Table(model)
            with connection.cursor() as cur:
                first = reserve_ids(cur.cursor, t.name, len(data))
            for k, d in enumerate(data):
                d["id"] = first + k
            with self.bar(len(data), model._meta.model_name[:14]) as bar:
                total += copy_rows(t, data, progress=bar.update)
        self._refresh_search(start, n)
        self.pop["signals"] = pop
        overrides = {str(i): [pop.owner[i], pop.comp[i]] for i in range(n) if i in slots}
        self.info["signals"] = {"start": start, "count": n}
        return {"rows": total, "population": {"start": start, "count": n, "overrides": overrides}}

    def _refresh_search(self, start: int, n: int) -> None:
        from signals.services import _SEARCH_SQL

        sql = _SEARCH_SQL.replace("s.id = ANY(%s)", "s.id >= %s AND s.id < %s")
        step = 20_000
        with self.bar(n, "search_vector") as bar, connection.cursor() as cur:
            for lo in range(start, start + n, step):
                hi = min(lo + step, start + n)
                if _SEARCH_SQL and "s.id >= %s" in sql:
                    cur.execute(sql, [lo, hi])
                else:
                    from signals.services import signal_refresh_search

                    signal_refresh_search(range(lo, hi))
                bar.update(hi - lo)

    # -- measures -------------------------------------------------------------------------------

    STATE_EVENT = {
        "beoordeling": "rapportage", "gewaarschuwd": "waarschuwing", "voornemen": "voornemen",
        "zienswijze_ontvangen": "zienswijze_ontvangen", "zienswijze_verlopen": "zienswijze_verlopen",
        "besluit": "besluit", "bekendgemaakt": "bekendmaking", "begunstiging": "begunstiging",
        "gesloten": "sluiting_start", "heropend": "sluiting_einde", "actief": "last_in_werking",
        "maximum_verbeurd": "verbeurte", "nagekomen": "last_nagekomen", "bestuursdwang_toegepast": "bestuursdwang",
        "beeindigd": "last_beeindigd", "kostenverhaal": "kostenverhaal", "ingetrokken": "intrekking",
        "afgerond": "afronding",
    }  # fmt: skip

    def step_measures(self) -> dict:
        try:
            Measure = apps.get_model("measures", "Measure")
            Event = apps.get_model("measures", "MeasureEvent")
            from measures.constants import DEFAULT_LEGAL_BASIS, MeasureKind, MeasureState
        except (LookupError, ImportError) as exc:
            self.skipped["measures"] = f"app niet beschikbaar ({exc})"
            return {"rows": 0, "skipped": self.skipped["measures"]}
        kinds = list(MeasureKind.values)
        states = list(MeasureState.values)
        analysts = [u[0] for u in self.info["users"]["analyst"]]
        n = self.size["measures"]
        table = Table(Measure)
        with connection.cursor() as cur:
            start = reserve_ids(cur.cursor, table.name, n)
        events: list[dict] = []
        m2m: list[dict] = []
        sig = self.pop.get("signals")
        closures = {"13b_woning", "13b_lokaal", "prostitutie", "gokken"}

        def rows() -> Iterator[dict]:
            for i in range(n):
                mid = start + i
                # The first len(states) measures walk every state; after that a random mix.
                state = states[i] if i < len(states) else self.rng.choice(states)
                kind = kinds[i % len(kinds)]
                a = self._pick("addresses", hubs=0.05)
                owner = (
                    0
                    if self.rng.random() < 0.9 or len(self._team_codes()) == 4
                    else self.rng.randrange(4, len(self._team_codes()))
                )
                d = self.today - timedelta(days=self.rng.randint(0, 1500))
                created = self._ts(d)
                target = {"address_id": self.pop["addresses"].id_at(a)}
                if kind not in closures and self.rng.random() < 0.5:
                    target = {"person_id": self.pop["persons"].id_at(self._pick("persons"))}
                actor = self.rng.choice(analysts)
                events.append(
                    {
                        "measure_id": mid,
                        "seq": 1,
                        "code": "rapportage",
                        "date": d,
                        "params": {},
                        "note": "",
                        "state_after": "beoordeling",
                        "actor_id": actor,
                        "recorded_at": created,
                    }
                )
                if state != "beoordeling":
                    code = self.STATE_EVENT.get(state, "besluit")
                    events.append(
                        {
                            "measure_id": mid,
                            "seq": 2,
                            "code": code,
                            "date": min(self.today, d + timedelta(days=30)),
                            "params": {},
                            "note": "",
                            "state_after": state,
                            "actor_id": actor,
                            "recorded_at": created + timedelta(days=30),
                        }
                    )
                if sig is not None and sig.count:
                    m2m.append({"measure_id": mid, "signal_id": sig.id_at(self.rng.randrange(sig.count))})
                lod = kind == "lod"
                yield {
                    "id": mid,
                    "owner_team_id": self.team_ids[owner],
                    "compartment": "general",
                    "visible_to": self._vis(owner),
                    "created_at": created,
                    "updated_at": created,
                    "kind": kind,
                    "state": state,
                    "title": f"{MeasureKind(kind).label} – dossier {mid}",
                    "legal_basis": DEFAULT_LEGAL_BASIS.get(kind, "art. 125 Gemeentewet"),
                    **target,
                    "responsible_id": actor,
                    "created_by_id": actor,
                    "object_type": ("woning" if kind == "13b_woning" else "lokaal")
                    if kind.startswith("13b")
                    else "",
                    "amount_per_violation": 5000 if lod else None,
                    "maximum_amount": 50000 if lod else None,
                    "duration_months": 3 if kind in closures else None,
                }

        with self.bar(n, "measures") as bar:
            total = copy_rows(table, rows(), progress=bar.update)
        for model, data in ((Event, events), (Measure.signals.through, m2m)):
            t = Table(model)
            with connection.cursor() as cur:
                first = reserve_ids(cur.cursor, t.name, len(data))
            for k, d in enumerate(data):
                d["id"] = first + k
            total += copy_rows(t, data)
        self.info["measures"] = {"start": start, "count": n}
        return {"rows": total}

    # -- bibob ----------------------------------------------------------------------------------

    def step_bibob(self) -> dict:
        try:
            Dossier = apps.get_model("bibob", "BibobDossier")
            Party = apps.get_model("bibob", "DossierParty")
            from bibob.constants import DecisionMaker, DecisionType, DossierStatus
        except (LookupError, ImportError) as exc:
            self.skipped["bibob"] = f"app niet beschikbaar ({exc})"
            return {"rows": 0, "skipped": self.skipped["bibob"]}
        try:
            Transition = apps.get_model("bibob", "DossierTransition")
        except LookupError:
            Transition = None
        n = max(10, self.size["measures"] // 2)
        bibob_users = [u[0] for u in self.info["users"]["bibob"]]
        table = Table(Dossier)
        with connection.cursor() as cur:
            start = reserve_ids(cur.cursor, table.name, n)
        parties: list[dict] = []
        transitions: list[dict] = []
        statuses = list(DossierStatus.values)
        orgs = self.pop["organisations"]

        def rows() -> Iterator[dict]:
            for i in range(n):
                did = start + i
                o = self._pick("organisations", hubs=0.1)
                d = self.today - timedelta(days=self.rng.randint(0, 1500))
                created = self._ts(d)
                status = statuses[i % len(statuses)]
                parties.append(
                    {
                        "dossier_id": did,
                        "role": "applicant",
                        "organisation_id": orgs.id_at(o),
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                if Transition is not None:
                    transitions.append(
                        {
                            "dossier_id": did,
                            "from_status": "",
                            "to_status": status,
                            "actor_id": self.rng.choice(bibob_users),
                            "at": created,
                            "reason": "benchmark",
                        }
                    )
                yield {
                    "id": did,
                    "owner_team_id": self.team_ids[1],
                    "compartment": "bibob",
                    "visible_to": self._vis(1),
                    "created_at": created,
                    "updated_at": created,
                    "reference": f"BENCH-{d.year}-{did:07d}",
                    "title": f"Bibob-toets exploitatievergunning dossier {did}",
                    "decision_type": self.rng.choice(list(DecisionType.values)),
                    "legal_basis": "Wet Bibob art. 3",
                    "applicant_name": f"Aanvrager {did}",
                    "application_date": d,
                    "decision_maker": self.rng.choice(list(DecisionMaker.values)),
                    "investigator_id": self.rng.choice(bibob_users),
                    "status": status,
                }

        with self.bar(n, "bibob") as bar:
            total = copy_rows(table, rows(), progress=bar.update)
        for model, data in ((Party, parties), (Transition, transitions)):
            if model is None or not data:
                continue
            t = Table(model)
            with connection.cursor() as cur:
                first = reserve_ids(cur.cursor, t.name, len(data))
            for k, d in enumerate(data):
                d["id"] = first + k
            total += copy_rows(t, data)
        self.info["bibob"] = {"start": start, "count": n}
        return {"rows": total}

    def step_meetings(self) -> dict:
        """A casustafel every fortnight over the last two years, chaired by a bench chair."""
        try:
            Meeting = apps.get_model("meetings", "Meeting")
        except LookupError:
            self.skipped["meetings"] = "nog geen modellen in de app meetings"
            return {"rows": 0, "skipped": self.skipped["meetings"]}
        if not _table_exists(Meeting):
            self.skipped["meetings"] = "tabel meetings_meeting bestaat niet (migratie ontbreekt)"
            return {"rows": 0, "skipped": self.skipped["meetings"]}
        table = Table(Meeting)
        n = 52
        chairs = [u[0] for u in self.info["users"]["chair"]]
        with connection.cursor() as cur:
            start = reserve_ids(cur.cursor, table.name, n)
        rows = []
        for i in range(n):
            when = self._ts(self.today - timedelta(days=14 * i - 7))
            past = when < self.now
            rows.append(
                {
                    "id": start + i,
                    "created_at": when - timedelta(days=14),
                    "updated_at": when,
                    "owner_team_id": self.team_ids[0],
                    "compartment": "general",
                    "visible_to": self._vis(0),
                    "starts_at": when,
                    "chair_id": chairs[i % len(chairs)],
                    "state": "MINUTES_APPROVED" if past else "PLANNED",
                    "approved_at": when + timedelta(days=7) if past else None,
                    "location": "Stadhuis Almelo",
                }
            )
        return {"rows": copy_rows(table, rows)}

    # -- areas and rollups (dashboards) ---------------------------------------------------------

    def step_areas(self) -> dict:
        """Synthetic CBS outlines for every municipality of the scale: the box its addresses are
        drawn in, cut into 3×3 wijken of 3×3 buurten. Loaded and assigned to the addresses by
        point-in-polygon through the app's own load_areas path (``areas_load`` and
        ``addresses_assign_areas``), so the map, the area filters and the rollups work at scale."""
        from shapely.geometry import box

        from dashboards.geo import AreaFeature
        from dashboards.services import addresses_assign_areas, areas_load

        features = []
        for muni in self.munis:
            lon0, lat0, width, height = muni.lon - 0.03, muni.lat - 0.02, 0.06, 0.04
            features.append(
                AreaFeature(muni.cbs, muni.name, "GM", box(lon0, lat0, lon0 + width, lat0 + height))
            )
            for w in range(9):
                w_lon, w_lat = lon0 + (w % 3) * width / 3, lat0 + (w // 3) * height / 3
                wijk = f"{muni.code}{w + 1:02d}"
                features.append(
                    AreaFeature(
                        f"WK{wijk}",
                        f"{muni.name} wijk {w + 1}",
                        "WK",
                        box(w_lon, w_lat, w_lon + width / 3, w_lat + height / 3),
                    )
                )
                for b in range(9):
                    b_lon, b_lat = w_lon + (b % 3) * width / 9, w_lat + (b // 3) * height / 9
                    features.append(
                        AreaFeature(
                            f"BU{wijk}{b:02d}",
                            f"{muni.name} wijk {w + 1} buurt {b + 1}",
                            "BU",
                            box(b_lon, b_lat, b_lon + width / 9, b_lat + height / 9),
                        )
                    )
        loaded = areas_load(features=features, year=self.today.year)
        assigned = addresses_assign_areas()
        return {"rows": len(features), "areas": loaded, "addresses": assigned}

    def step_rollups(self) -> dict:
        """The management dashboard's rollup, built by the same service the nightly job runs."""
        from dashboards.models import SignalRollup
        from dashboards.services import rollups_refresh

        rollups_refresh()
        return {"rows": SignalRollup.objects.count()}

    # -- access log -----------------------------------------------------------------------------

    def step_accesslog(self) -> dict:
        """The access log over the last ``log_months`` months (default ACCESSLOG_MONTHS; 1 puts a
        scale's whole log in this month's partition, e.g. 100M rows at M: one month of L)...
        except that a step is one transaction here, so the chain head advances once at the end
        of the step; the months are loaded into fresh partitions that are attached afterwards."""
        total = self.size["accesslog"]
        per_month = total // self.log_months
        months = []
        y, m = self.today.year, self.today.month
        for _ in range(self.log_months):
            months.append((y, m))
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        months.reverse()
        actors = [
            (u[0], u[1], u[2]) for key in ("analyst", "chair", "bibob") for u in self.info["users"][key]
        ]
        privacy = self.info["users"]["privacy"][0]
        refs = self.info["logrefs"]
        ref_ranges = [(refs[k][0], refs[k][1], refs[k][2]) for k in ("persons", "organisations", "addresses")]
        written = 0
        with self.bar(per_month * len(months), "accesslog") as bar, connection.cursor() as c:
            cur = c.cursor
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")  # index builds at ATTACH
            cur.execute("SELECT hash FROM core_accesslog_head WHERE id = 1 FOR UPDATE")
            prev = cur.fetchone()[0]
            for y, m in months:
                prev, n = self._accesslog_month(cur, y, m, per_month, prev, actors, privacy, ref_ranges, bar)
                written += n
            cur.execute(
                "UPDATE core_accesslog_head SET hash = %s, length = length + %s WHERE id = 1", [prev, written]
            )
        # "Person X": the most viewed person (first of the skewed range).
        person_ref = ref_ranges[0][0]
        with connection.cursor() as cur:
            cur.execute("SELECT object_id FROM core_logref WHERE id = %s", [person_ref])
            row = cur.fetchone()
        self.info["person_x"] = {"ref_id": person_ref, "person_id": row[0] if row else None}
        return {"rows": written, "months": [f"{y}-{m:02d}" for y, m in months]}

    def _accesslog_month(self, cur, y, m, n, prev, actors, privacy, ref_ranges, bar) -> tuple[str, int]:
        from vik.core.partitions import month_bounds

        start, end = month_bounds(y, m)
        name = f"core_accesslog_{y:04d}{m:02d}"
        cur.execute("SELECT to_regclass(%s)", [name])
        exists = cur.fetchone()[0] is not None
        cur.execute("SELECT 1 FROM core_accesslog_default WHERE at >= %s AND at < %s LIMIT 1", [start, end])
        in_default = cur.fetchone() is not None
        fresh = not exists and not in_default
        if fresh:
            cur.execute(f"CREATE TABLE {name} (LIKE core_accesslog INCLUDING DEFAULTS)")
            cur.execute(
                f"ALTER TABLE {name} ADD CONSTRAINT {name}_bounds CHECK (at >= '{start}' AND at < '{end}')"
            )
            target = name
        else:
            target = "core_accesslog"
        # Ids: reserved under the head lock that log_access also takes before nextval.
        cur.execute("SELECT nextval('core_accesslog_id_seq')")
        first = cur.fetchone()[0]
        cur.execute("SELECT setval('core_accesslog_id_seq', %s, true)", [first + n - 1])
        t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
        t_end = datetime(end.year, end.month, end.day, tzinfo=UTC)
        limit = min(t_end, self.now - timedelta(minutes=5))
        span = max(1, int((limit - t0).total_seconds() * 1_000_000))
        step = max(1, span // max(n, 1))
        base_us = int(t0.timestamp() * 1_000_000)
        rng = self.rng
        rnd = rng.random
        sha = hashlib.sha256
        purposes = [
            "Onderzoek signaal S-{}", "Voorbereiding casustafel", "Bibob-onderzoek dossier {}",
            "Handhavingsverzoek 13b", "Controle rechtmatigheid", "Reden: vervolg op melding",
        ]  # fmt: skip
        actor_rows = [(str(a), neutral(lbl), neutral(role)) for a, lbl, role in actors]
        privacy_row = (str(privacy[0]), privacy[1], privacy[2])
        person_lo, person_n, person_kind = ref_ranges[0]
        other = ref_ranges[1:]
        cols = "id, at, actor_id, actor_label, role, action, ref_id, ref_kind, purpose, detail, result, ip, prev_hash, hash"
        from datetime import datetime as _dt

        last_sec = None
        pre = ""
        t = base_us
        freeze = (
            " WITH (FREEZE)" if fresh else ""
        )  # table made in this transaction: no later hint-bit rewrite
        with cur.copy(f"COPY {target} ({cols}) FROM STDIN{freeze}") as copy:
            buf = []
            for k in range(n):
                rid = first + k
                t += 1 + int(rnd() * 2 * step)
                if t >= base_us + span:
                    t = base_us + span - (n - k)
                sec, us = divmod(t, 1_000_000)
                if sec != last_sec:
                    pre = _dt.fromtimestamp(sec, UTC).strftime("%Y-%m-%dT%H:%M:%S")
                    last_sec = sec
                at = f"{pre}.{us:06d}+00:00"
                r = rnd()
                if r < 0.002:
                    actor_id, label, role = privacy_row
                else:
                    actor_id, label, role = actor_rows[int(rnd() * len(actor_rows))]
                a = rnd()
                result = "allowed"
                detail = ""
                if a < 0.62:
                    action = "read"
                elif a < 0.9:
                    action = "search"
                elif a < 0.94:
                    action = "download"
                elif a < 0.97:
                    action = "export"
                elif a < 0.99:
                    action = "print"
                else:
                    action, result = "denied", "denied"
                if action == "search":
                    ref_id, ref_kind, detail = "", person_kind, "zoekopdracht (gemaskeerd)"
                elif rnd() < 0.7:
                    ref_id, ref_kind = (
                        str(person_lo + min(person_n - 1, int(person_n * rnd() ** 3))),
                        person_kind,
                    )
                else:
                    lo, cnt, kind = other[int(rnd() * len(other))]
                    ref_id, ref_kind = (str(lo + int(cnt * rnd())), kind) if cnt else ("", kind)
                if action == "denied":
                    detail = f"{ref_kind} {ref_id}"
                purpose = purposes[int(rnd() * len(purposes))].format(int(rnd() * 9999) + 1)
                ip = f"10.20.{int(rnd() * 8)}.{int(rnd() * 250) + 1}"
                payload = f"{prev}|{rid}|{at}|{actor_id}|{label}|{role}|{action}|{ref_id}|{ref_kind}|{purpose}|{detail}|{result}|{ip}"
                h = sha(payload.encode()).hexdigest()
                buf.append(
                    f"{rid}\t{at}\t{actor_id}\t{label}\t{role}\t{action}\t{ref_id or chr(92) + 'N'}\t{ref_kind}\t{purpose}\t{detail}\t{result}\t{ip}\t{prev}\t{h}\n"
                )
                prev = h
                if len(buf) >= 20_000:
                    copy.write("".join(buf))
                    bar.update(len(buf))
                    buf = []
            if buf:
                copy.write("".join(buf))
                bar.update(len(buf))
        if fresh:
            cur.execute(
                f"ALTER TABLE core_accesslog ATTACH PARTITION {name} FOR VALUES FROM ('{start}') TO ('{end}')"
            )
            cur.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_bounds")
            cur.execute("SELECT core_accesslog_guard_partition(%s::regclass)", [name])  # no TRUNCATE
        return prev, n

    def step_analyze(self) -> dict:
        """VACUUM (ANALYZE) of the tables the steps filled (the search vectors and the area codes
        were updated in place, which leaves dead rows; the benchmark must not depend on
        autovacuum, which some servers run with off) and ANALYZE of the access log, whose
        partitions were loaded frozen and need no vacuum."""
        if connection.in_atomic_block:  # inside a test's transaction: statistics only
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
            return {"rows": 0, "vacuum": False}
        with connection.cursor() as cur:
            cur.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition"
                " AND c.relname <> 'bench_dataset'"
            )
            tables = [r[0] for r in cur.fetchall()]
            for table in tables:
                cur.execute(f'VACUUM (ANALYZE) "{table}"')
            cur.execute("ANALYZE core_accesslog")
        return {"rows": 0, "tables": len(tables)}

    # -- report ---------------------------------------------------------------------------------

    def summary(self) -> str:
        lines = [f"Benchmarkdataset schaal {self.scale}:"]
        for name in STEP_NAMES:
            if name in self.skipped:
                lines.append(f"  {name:<14} overgeslagen: {self.skipped[name]}")
            elif name in self.counts and name != "analyze":
                took = f"{self.timings[name]:.1f} s" if name in self.timings else "eerder gemaakt"
                lines.append(f"  {name:<14} {self.counts[name]:>12,} rijen  ({took})")
        return "\n".join(lines)


def neutral(value: str) -> str:
    """Values written into COPY text must not hold tabs, newlines or backslashes (and the access
    log neutralises control characters anyway)."""
    return "".join(" " if ch in "\t\n\r\\" else ch for ch in value)


def _table_exists(model) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [model._meta.db_table])
        return cur.fetchone()[0] is not None


def _names_module():
    from subjects import names

    return names
