"""The logs the core keeps, described for the logging-controls page (issue #24 item 6, BIO2 12.4),
and the verification history. Figures are taken only where they are cheap: the access log's
count comes from its chain head (exact, one row), oldest and newest from the ``at`` index; the
other large tables give the planner's estimate. Nothing here reads a log's content."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from .registry import LogInfo

ACCESS_LOG_RETENTION = "access_log"
PROCESSING_LOG_TABLE = "core_processingrecord"  # core.ProcessingRecord (LDV), issue #24 item 4


def _estimate(table: str) -> int | None:
    """The planner's row estimate of a table (and its partitions), or None when it has none."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT sum(greatest(c.reltuples, 0))::bigint FROM pg_class c
            WHERE c.oid = to_regclass(%s)
               OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass(%s))
            """,
            [table, table],
        )
        value = cur.fetchone()[0]
    return int(value) if value is not None else None


EXACT_BELOW = 200_000  # below the planner's estimate of this many rows, count exactly


def table_size(table: str) -> tuple[int | None, bool]:
    """(rows, estimated): the planner's estimate for a large table, an exact count for a small
    one (or one never analysed, whose estimate says nothing)."""
    estimate = _estimate(table)
    if estimate is None:
        return None, False
    if estimate >= EXACT_BELOW:
        return estimate, True
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (a constant table name)
        return cur.fetchone()[0], False


def _exists(table: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [table])
        return cur.fetchone()[0] is not None


def _bounds(table: str, column: str) -> tuple:
    """(oldest, newest) through an index on ``column`` (two index probes)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT min({column}), max({column}) FROM {table}")  # noqa: S608 (constants)
        return cur.fetchone()


def access_log_info() -> LogInfo:
    with connection.cursor() as cur:
        cur.execute("SELECT length FROM core_accesslog_head WHERE id = 1")
        row = cur.fetchone()
    oldest, newest = _bounds("core_accesslog", "at")
    return LogInfo(
        key="access_log",
        name=_("Toegangslogboek (inzage)"),
        holds=_(
            "Elke inzage, zoekvraag, export, afdruk, download en weigering van een persoon, organisatie, "
            "adres of document: wie (gebruiker en rol), wanneer (UTC), welke handeling, welk record "
            "(pseudoniem: soort en nummer), met welk doel, uitkomst, IP-adres, en de trace-id en "
            "span-id van het verzoek (W3C trace context)."
        ),
        where=_(
            "PostgreSQL-tabel core_accesslog, per maand gepartitioneerd; verwijzingen naar records in "
            "core_logref."
        ),
        protection=_(
            "Alleen toevoegen (databasetrigger weigert wijzigen, verwijderen en legen van elke partitie); "
            "hashketen (SHA-256) met kop die de rijen telt; nachtelijke controle van de hele keten."
        ),
        retention_codes=(ACCESS_LOG_RETENTION,),
        count=row[0] if row else None,
        oldest=oldest,
        newest=newest,
    )


def change_audit_info() -> LogInfo:
    oldest, newest = _bounds("auditlog_logentry", "timestamp")
    count, estimated = table_size("auditlog_logentry")
    return LogInfo(
        key="change_audit",
        name=_("Wijzigingslogboek (audit)"),
        holds=_(
            "Elke aanmaak, wijziging en verwijdering van een geregistreerd record: wie (gebruiker, ook in "
            "taken), wanneer, welk record en welke velden van welke naar welke waarde."
        ),
        where=_("PostgreSQL-tabel auditlog_logentry (django-auditlog)."),
        protection=_("Alleen via de diensten van VIK geschreven; niet te wijzigen in de beheeromgeving."),
        retention_codes=(ACCESS_LOG_RETENTION,),
        count=count,
        estimated=estimated,
        oldest=oldest,
        newest=newest,
    )


def processing_log_info() -> LogInfo:
    present = _exists(PROCESSING_LOG_TABLE)
    count, estimated = table_size(PROCESSING_LOG_TABLE) if present else (None, False)
    return LogInfo(
        key="processing_log",
        name=_("Verwerkingenlogboek (Logboek Dataverwerkingen)"),
        holds=_(
            "Eén record per betrokkene per verwerking in de vorm van de standaard Logboek "
            "Dataverwerkingen: trace-id en span-id, naam van de handeling, begin- en eindtijd, status, "
            "de verwerkingsactiviteit uit het register (URI en versie), de gepseudonimiseerde "
            "betrokkene en zijn soort, en de buitenlandse trace bij een verzoek van een andere "
            "organisatie. Geen gebruiker: die staat in het toegangslogboek onder dezelfde trace-id."
        ),
        where=_(
            "PostgreSQL-tabel core_processingrecord (model core.ProcessingRecord); optioneel "
            "ook naar een OpenTelemetry-collector (OTLP)."
        ),
        protection=_("Alleen toevoegen; zonder steekproef (elke verwerking)."),
        retention_codes=(ACCESS_LOG_RETENTION,),
        retention_note="" if present else _("Nog niet in gebruik in deze installatie."),
        count=count,
        estimated=estimated,
    )


def application_log_info() -> LogInfo:
    return LogInfo(
        key="application_logs",
        name=_("Applicatielogboeken"),
        holds=_(
            "Technische meldingen van web, werkers en planner: fouten, storingen van basisregistraties "
            "en inlogdienst, geweigerde inlogpogingen, taakverloop; elke regel met de trace-id. Geen "
            "BSN's of geheimen (filter maskeert ze)."
        ),
        where=_(
            "Standaarduitvoer (stdout/stderr) van elk proces, niveau %(level)s; het platform "
            "(systemd-journal of containerruntime) verzamelt en bewaart ze."
        )
        % {"level": settings.LOGGING.get("root", {}).get("level", "INFO")},  # type: ignore[attr-defined]
        protection=_("Buiten VIK: de logverzameling van het platform."),
        retention_note=_("Bepaald door de logverzameling van het platform, niet door VIK."),
    )


def job_log_info() -> LogInfo:
    from .models import JobRun, OutboxTask

    runs = JobRun.objects.all()
    return LogInfo(
        key="jobs",
        name=_("Takenlog (uitgestelde taken en geplande taken)"),
        holds=_(
            "Per geplande taak wanneer die laatst startte en slaagde, en de laatste fout; taken die "
            "tijdens een storing van de wachtrij bewaard zijn, met pogingen en laatste fout."
        ),
        where=_("PostgreSQL-tabellen core_jobrun en core_outboxtask."),
        protection=_("Alleen lezen in de beheeromgeving."),
        retention_note=_("Eén rij per geplande taak (wordt overschreven); uitgestelde taken blijven staan."),
        count=runs.count() + OutboxTask.objects.count(),
        newest=max((r.last_started_at for r in runs if r.last_started_at), default=None),
    )


def core_logs() -> list[LogInfo]:
    return [
        access_log_info(),
        change_audit_info(),
        processing_log_info(),
        application_log_info(),
        job_log_info(),
    ]


def verification_history(limit: int = 30):
    from .models import AccessLogVerification

    return list(AccessLogVerification.objects.order_by("-started_at")[:limit])


def verification_schedule() -> str:
    """The beat schedule of the nightly verification, as the functional admin set it."""
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.filter(task="vik.core.verify_access_log").select_related("crontab").first()
    if task is None:
        return _("niet ingepland")
    if not task.enabled:
        return _("uitgeschakeld")
    if task.crontab is not None:
        c = task.crontab
        if c.day_of_week == "*" and c.day_of_month == "*" and c.hour.isdigit() and c.minute.isdigit():
            return _("dagelijks om %(t)s (%(tz)s)") % {
                "t": f"{int(c.hour):02d}:{int(c.minute):02d}",
                "tz": c.timezone,
            }
        return f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week}"
    return str(task.interval or "")
