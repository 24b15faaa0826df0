"""Helpers shared by the Bibob services: permission and status checks, locking, transitions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core import access
from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError
from vik.core.models import User

from ..constants import TRANSITIONS, DossierStatus
from ..models import Advice, BibobDossier, DossierTransition

S = DossierStatus
MIN_REASONING = 20


# --- helpers ---------------------------------------------------------------------------------


def _require(actor: User, perm: str) -> None:
    if not (actor.is_active and actor.has_perm(perm) and Compartment.BIBOB in access.clearances(actor)):
        raise PermissionDenied(_("U heeft geen bevoegdheid voor deze handeling in het Bibob-compartiment."))


def _today() -> date:
    return timezone.localdate()


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > _today():
        raise ApplicationError(_("Deze datum ligt in de toekomst."), field=field)


def _text(value: str | None) -> str:
    """One line of text: runs of whitespace (newlines included) become one space."""
    return " ".join((value or "").split())


def _lock(dossier: BibobDossier) -> BibobDossier:
    return BibobDossier.objects.select_for_update().get(pk=dossier.pk)


def _transition(dossier: BibobDossier, to_status: str, *, actor: User, reason: str = "") -> None:
    allowed = TRANSITIONS.get(dossier.status, set())
    if to_status not in allowed:
        raise ApplicationError(
            _("Van fase '%(a)s' kan het dossier niet naar fase '%(b)s'.")
            % {"a": S(dossier.status).label, "b": S(to_status).label},
            field="to_status",
        )
    DossierTransition.objects.create(
        dossier=dossier,
        from_status=dossier.status,
        to_status=to_status,
        actor=actor,
        at=timezone.now(),
        reason=reason,
    )
    dossier.status = to_status
    dossier.save(update_fields=["status", "updated_at"])


def _require_status(dossier: BibobDossier, statuses: Iterable[str], field: str | None = None) -> None:
    statuses = set(statuses)
    if dossier.status not in statuses:
        raise ApplicationError(
            _("Dit kan niet in de fase '%(s)s'.") % {"s": S(dossier.status).label}, field=field
        )


def _next_reference(year: int) -> str:
    """The next ``BIB-<year>-<nnnn>``, from a counter row locked until the caller's transaction
    ends (dossier_create is atomic): concurrent creations wait for each other instead of both
    reading the same maximum and colliding on the unique reference."""
    from ..models import ReferenceCounter

    prefix = f"BIB-{year}-"
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    if counter.last == 0:
        # First use of the counter this year: continue after dossiers made before it existed.
        last = BibobDossier.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
        counter.last = int(last.rsplit("-", 1)[1]) if last else 0
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:04d}"


def _share_people(dossier: BibobDossier, actor: User) -> None:
    for person in (dossier.decider, dossier.investigator):
        if person is not None:
            access.share_grant(obj=dossier, target=person, actor=actor, reason="Bibob-dossier: toegewezen")


def _latest_advice(dossier: BibobDossier) -> Advice | None:
    return dossier.advices.order_by("-received_on", "-id").first()
