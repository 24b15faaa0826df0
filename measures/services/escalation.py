"""The escalation matrix (DOMAIN §1.2a): the proposal for a measure and the matrix versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.models import User

from ..constants import KINDS_13B, DrugClass, MeasureState, ObjectType
from ..models import EscalationMatrix, EscalationStep, Measure
from .common import E, _d

# --- escalation matrix (DOMAIN §1.2a) ---------------------------------------------------------


@dataclass
class Proposal:
    matrix: EscalationMatrix | None
    step: EscalationStep | None
    offence_number: int
    earlier: list[Measure] = field(default_factory=list)
    reasoning: str = ""

    @property
    def label(self) -> str:
        return self.step.outcome_label if self.step else ""

    @property
    def duration_months(self) -> int | None:
        if self.step is None or self.step.warning_only:
            return None
        return self.step.duration_months


def years_before(on: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def matrix_in_force(on: date) -> EscalationMatrix | None:
    return (
        EscalationMatrix.objects.filter(effective_from__lte=on, is_example=False)
        .exclude(effective_until__lt=on)
        .order_by("-effective_from", "-id")
        .first()
    )


def escalation_proposal(
    *, address, object_type: str, drug_class: str = DrugClass.ANY, on: date, exclude_pk: int | None = None
) -> Proposal:
    """The proposed measure for a new 13b procedure: the n-th offence on this address within the
    matrix's look-back (recidivism follows the object, DOMAIN §1.2a) → the matrix step."""
    matrix = matrix_in_force(on)
    if matrix is None:
        return Proposal(None, None, 1, reasoning=_("Er is geen escalatiematrix van kracht op deze datum."))
    since = years_before(on, matrix.lookback_years)
    earlier: list[Measure] = []
    if address is not None:
        qs = (
            Measure.objects.filter(address=address, kind__in=KINDS_13B)
            .exclude(state=MeasureState.WITHDRAWN)
            .filter(events__code=E.RAPPORTAGE, events__date__gte=since, events__date__lte=on)
            .distinct()
            .order_by("created_at")
        )
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        earlier = list(qs)
    number = len(earlier) + 1
    steps = EscalationStep.objects.filter(matrix=matrix, object_type=object_type, offence_number__lte=number)
    step = (
        steps.filter(drug_class=drug_class).order_by("-offence_number").first()
        or steps.filter(drug_class=DrugClass.ANY).order_by("-offence_number").first()
    )
    parts = [
        _("Overtreding nr. %(n)s op dit adres binnen %(y)s jaar.") % {"n": number, "y": matrix.lookback_years}
    ]
    if earlier:
        parts.append(
            _("Eerdere maatregelen: %(list)s.")
            % {
                "list": ", ".join(
                    f"{m.reference} ({m.get_kind_display()}, {m.get_state_display().lower()})"
                    for m in earlier
                )
            }
        )
    else:
        parts.append(_("Geen eerdere maatregelen op dit adres."))
    if step:
        parts.append(
            _("Matrix ‘%(m)s’ (geldig vanaf %(d)s): %(o)s, %(n)se overtreding → %(r)s.")
            % {
                "m": matrix.name,
                "d": _d(matrix.effective_from),
                "o": ObjectType(object_type).label.lower(),
                "n": step.offence_number,
                "r": step.outcome_label,
            }
        )
    else:
        parts.append(_("De matrix heeft geen stap voor dit soort object."))
    return Proposal(matrix, step, number, earlier, " ".join(str(p) for p in parts))


# --- configuration: escalation matrix versions (functional admin) -----------------------------


@transaction.atomic
def matrix_new_version(
    *,
    actor: User,
    name: str,
    effective_from: date,
    lookback_years: int,
    legal_basis: str = "",
    verification: str = "U",
    review_date: date | None = None,
) -> EscalationMatrix:
    """A new version of the escalation matrix from ``effective_from``; it starts as a copy of the
    steps in force then, and the previous version ends the day before."""
    if not actor.has_perm("measures.add_escalationmatrix"):
        raise ApplicationError(_("U mag de escalatiematrix niet wijzigen."))
    if lookback_years < 1:
        raise ApplicationError(_("De terugkijkperiode is ten minste één jaar."), field="lookback_years")
    if EscalationMatrix.objects.filter(effective_from__gte=effective_from, is_example=False).exists():
        raise ApplicationError(
            _("Er is al een versie die op of na deze datum ingaat; kies een latere datum."),
            field="effective_from",
        )
    previous = matrix_in_force(effective_from)
    matrix = EscalationMatrix(
        name=name.strip(),
        effective_from=effective_from,
        lookback_years=lookback_years,
        legal_basis=legal_basis.strip(),
        verification=verification,
        review_date=review_date,
    )
    matrix.full_clean()
    matrix.save()
    if previous is not None:
        for step in previous.steps.all():
            EscalationStep.objects.create(
                matrix=matrix,
                object_type=step.object_type,
                drug_class=step.drug_class,
                offence_number=step.offence_number,
                warning_only=step.warning_only,
                duration_months=step.duration_months,
            )
        if previous.effective_until is None or previous.effective_until >= effective_from:
            previous.effective_until = effective_from - timedelta(days=1)
            previous.save(update_fields=["effective_until", "updated_at"])
    return matrix


@transaction.atomic
def matrix_step_update(
    *, actor: User, step: EscalationStep, warning_only: bool, duration_months: int | None
) -> EscalationStep:
    if not actor.has_perm("measures.change_escalationstep"):
        raise ApplicationError(_("U mag de escalatiematrix niet wijzigen."))
    if Measure.objects.filter(matrix=step.matrix).exists():
        raise ApplicationError(
            _("Deze versie is al gebruikt voor maatregelen; maak een nieuwe versie."), field="duration_months"
        )
    if warning_only and duration_months:
        raise ApplicationError(_("Een waarschuwing heeft geen duur."), field="duration_months")
    step.warning_only, step.duration_months = warning_only, duration_months
    step.save(update_fields=["warning_only", "duration_months", "updated_at"])
    return step
