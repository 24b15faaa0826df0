"""Writes of the reporting app: a report by a municipal employee becomes a signal with source
"intern" in the intake team's queue; its files are stored like every attachment (checked type,
image metadata stripped, encrypted at rest). All or nothing: a refused file saves nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from auditlog.context import disable_auditlog

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from signals import services as signal_services
from signals.models import Phenomenon, Signal, SignalSource
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .models import GuideVersion, InternalReport

SOURCE_INTERNAL = "intern"


def max_reports_per_hour() -> int:
    return int(getattr(settings, "REPORTING_MAX_PER_HOUR", 5))


def max_file_bytes() -> int:
    return int(getattr(settings, "REPORTING_MAX_FILE_BYTES", 10 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "REPORTING_MAX_FILES", 5))


def intake_team() -> OrgUnit:
    code = getattr(settings, "REPORTING_INTAKE_TEAM", "veiligheid")
    team = OrgUnit.objects.filter(code=code).first()
    if team is None:
        raise ApplicationError(
            _("Melden is nu niet mogelijk: er is geen team ingesteld dat meldingen ontvangt.")
        )
    return team


@dataclass
class UploadedFile:
    name: str
    data: bytes


def _check_rate(reporter: User) -> None:
    # Serialise the reports of one account so that a burst cannot slip past the count.
    User.objects.select_for_update().filter(pk=reporter.pk).first()
    since = timezone.now() - timedelta(hours=1)
    if (
        InternalReport.objects.filter(reporter=reporter, created_at__gte=since).count()
        >= max_reports_per_hour()
    ):
        raise ApplicationError(
            _(
                "U heeft het afgelopen uur al %(n)s meldingen gedaan. Probeer het later opnieuw of "
                "neem contact op met het team Veiligheid."
            )
            % {"n": max_reports_per_hour()}
        )


def _check_files(files: list[UploadedFile]) -> None:
    if len(files) > max_files():
        raise ApplicationError(
            _("U kunt ten hoogste %(n)s bestanden meesturen.") % {"n": max_files()}, field="files"
        )
    for f in files:
        if len(f.data) > max_file_bytes():
            raise ApplicationError(
                _("Het bestand %(f)s is te groot: ten hoogste %(mb)s MB per bestand.")
                % {"f": f.name, "mb": max_file_bytes() // (1024 * 1024)},
                field="files",
            )


@transaction.atomic
def report_create(
    *,
    reporter: User,
    description: str,
    location: str,
    observed_on: date,
    phenomena: list[Phenomenon],
    anonymous: bool = False,
    files: list[UploadedFile] = (),  # type: ignore[assignment]
) -> InternalReport:
    description = (description or "").strip()
    location = " ".join((location or "").split())
    if not description:
        raise ApplicationError(_("Beschrijf wat u heeft gezien."), field="description")
    if not location:
        raise ApplicationError(_("Geef aan waar u het heeft gezien (adres of plek)."), field="location")
    if observed_on is None:
        raise ApplicationError(_("Geef aan wanneer u het heeft gezien."), field="observed_on")
    if observed_on > timezone.localdate():
        raise ApplicationError(_("De datum ligt in de toekomst."), field="observed_on")
    if not phenomena:
        raise ApplicationError(
            _("Kies waar het volgens u over gaat (kies 'Overig' als u twijfelt)."), field="phenomena"
        )
    files = list(files)
    _check_files(files)
    _check_rate(reporter)
    source = SignalSource.objects.filter(code=SOURCE_INTERNAL).first()
    if source is None:
        raise ApplicationError(_("Melden is nu niet mogelijk: de bron 'intern' ontbreekt."))
    department = reporter.org_unit
    labels = ", ".join(p.label.lower() for p in phenomena)
    narrative_lines = [
        description,
        "",
        _("Waar: %(l)s") % {"l": location},
        _("Wanneer: %(d)s") % {"d": observed_on.strftime("%d-%m-%Y")},
    ]
    if not anonymous and department is not None:
        narrative_lines.append(_("Afdeling melder: %(a)s") % {"a": department.name})
    elif anonymous:
        narrative_lines.append(_("De melder wil onbekend blijven (identiteit alleen via break-glass)."))
    # An anonymous reporter is not written on the signal, its history or the audit trail: the
    # link lives only in InternalReport.
    actor = _anonymous_actor() if anonymous else reporter
    context = disable_auditlog() if anonymous else _nullcontext()
    with context:
        signal = signal_services.signal_create(
            actor=actor,
            source=source,
            received_date=timezone.localdate(),
            phenomena=phenomena,
            summary=(_("Interne melding: %(p)s") % {"p": labels})[:500],
            narrative="\n".join(narrative_lines),
            owner_team=intake_team(),
        )
        report = InternalReport.objects.create(
            signal=signal,
            reporter=reporter,
            department=department,
            anonymous=anonymous,
            location=location[:300],
            observed_on=observed_on,
        )
        for f in files:
            signal_services.attachment_add(actor=actor, signal=signal, filename=f.name, data=f.data)
    return report


ANONYMOUS_USERNAME = "melder-anoniem"


def _anonymous_actor() -> User:
    """A disabled placeholder account that stands in for every anonymous reporter."""
    user, created = User.objects.get_or_create(
        username=ANONYMOUS_USERNAME,
        defaults={"first_name": "Anonieme", "last_name": "melder", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


# --- status as the reporter sees it -----------------------------------------------------------

STATUS_RECEIVED = "ontvangen"
STATUS_IN_PROGRESS = "in behandeling"
STATUS_DONE = "afgerond"


def reporter_status(signal: Signal) -> str:
    """Only three words reach the reporter; never the analysis or the outcome."""
    if signal.status == "RECEIVED":
        return STATUS_RECEIVED
    if signal.status in ("DISMISSED", "CLOSED"):
        return STATUS_DONE
    return STATUS_IN_PROGRESS


def guide_save(*, actor: User, body: str) -> GuideVersion:
    body = (body or "").strip()
    if not body:
        raise ApplicationError(_("De tekst mag niet leeg zijn."), field="body")
    return GuideVersion.objects.create(body=body, created_by=actor)
