"""Open a Bibob dossier, add parties, move it between phases."""

from __future__ import annotations

import dataclasses
from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core import access
from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from ..constants import LEGAL_BASIS, CheckKind, DecisionType, PartyRole, SubjectKind
from ..models import BibobDossier, ChecklistItem, DossierParty, DossierTransition
from ..permissions import PERM_ADD, PERM_CHANGE, PERM_DECIDE
from ..rules import rule
from .common import (
    S,
    _latest_advice,
    _lock,
    _next_reference,
    _not_future,
    _require,
    _require_status,
    _share_people,
    _text,
    _transition,
)

# --- dossier ---------------------------------------------------------------------------------


@transaction.atomic
def dossier_create(
    *,
    actor: User,
    owner_team: OrgUnit,
    title: str,
    decision_type: str,
    applicant_name: str,
    application_date: date,
    decision_maker: str,
    legal_basis: str = "",
    risk_branch: str = "",
    is_review: bool = False,
    decider: User | None = None,
    investigator: User | None = None,
    reason: str = "",
) -> BibobDossier:
    """Open a dossier for an application (or a review of an existing permit). The compartment is
    always ``bibob``; the decision term comes from the DeadlineRule of the regime."""
    _require(actor, PERM_ADD)
    _not_future(application_date, "application_date")
    if decision_type not in DecisionType.values:
        raise ApplicationError(_("Kies een soort beschikking uit de lijst."), field="decision_type")
    for person, field in ((decider, "decider"), (investigator, "investigator")):
        if person is not None and Compartment.BIBOB not in access.clearances(person):
            raise ApplicationError(
                _("Deze persoon is niet geautoriseerd voor het Bibob-compartiment."), field=field
            )
    if decider is not None and not decider.has_perm(PERM_DECIDE):
        raise ApplicationError(_("Deze persoon mag geen Bibob-besluiten nemen."), field="decider")
    from ..selectors import decision_rule_code

    # The decision term of the regime chosen on the dossier; a review or withdrawal of an
    # existing permit is no application and has no decision term (issue #16 item 5).
    term = rule(decision_rule_code(decision_type))
    if is_review:
        term = dataclasses.replace(term, code="", days=0, weeks=0, months=0, legal_basis="")
    dossier = BibobDossier(
        reference=_next_reference(application_date.year),
        title=_text(title),
        decision_type=decision_type,
        legal_basis=_text(legal_basis) or LEGAL_BASIS[DecisionType(decision_type)],
        risk_branch=risk_branch or "",
        is_review=is_review,
        applicant_name=_text(applicant_name),
        application_date=application_date,
        decision_maker=decision_maker,
        decider=decider,
        investigator=investigator,
        status=S.REVIEW_OF_EXISTING if is_review else S.APPLICATION_RECEIVED,
        compartment=Compartment.BIBOB,
        owner_team=owner_team,
        term_rule_code=term.code,
        term_days=term.days,
        term_weeks=term.weeks,
        term_months=term.months,
        term_atw=term.atw,
        term_legal_basis=term.legal_basis,
    )
    dossier.full_clean(exclude=["visible_to"])
    dossier.save()
    DossierTransition.objects.create(
        dossier=dossier,
        from_status="",
        to_status=dossier.status,
        actor=actor,
        at=timezone.now(),
        reason=reason,
    )
    ChecklistItem.objects.bulk_create([ChecklistItem(dossier=dossier, kind=k) for k in CheckKind.values])
    access.init_visibility(dossier)
    _share_people(dossier, actor)
    return dossier


def _subject_for(actor: User, kind: str, subject_id: int):
    from subjects.permissions import get_subject_for_user

    if kind not in (SubjectKind.PERSON, SubjectKind.ORGANISATION, SubjectKind.ADDRESS):
        raise ApplicationError(_("Kies persoon, organisatie of adres."), field="kind")
    try:
        return get_subject_for_user(actor, kind, subject_id, allow_break_glass=False)
    except Http404:
        raise ApplicationError(
            _("Dit subject bestaat niet of u heeft er geen toegang toe."), field="subject_id"
        ) from None


@transaction.atomic
def party_add(*, actor: User, dossier: BibobDossier, role: str, kind: str, subject_id: int) -> DossierParty:
    """Link the applicant, an owner, manager, financier or the premises to the dossier."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, set(S.values) - {S.DECISION})
    if role not in PartyRole.values:
        raise ApplicationError(_("Kies een rol uit de lijst."), field="role")
    subject = _subject_for(actor, kind, subject_id)
    if role == PartyRole.PREMISES and kind != SubjectKind.ADDRESS:
        raise ApplicationError(_("Het pand is een adres."), field="kind")
    lookup = {kind: subject}
    if dossier.parties.filter(role=role, **lookup).exists():
        raise ApplicationError(_("Deze betrokkene staat al met deze rol in het dossier."), field="subject_id")
    return DossierParty.objects.create(dossier=dossier, role=role, **lookup)


@transaction.atomic
def dossier_transition(*, actor: User, dossier: BibobDossier, to_status: str, reason: str) -> BibobDossier:
    """The phase changes that have no form of their own: start the own investigation, and go to
    verification (after the advice, after an own conclusion, or back after a zienswijze)."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Geef een toelichting bij de faseovergang."), field="reason")
    if to_status not in (S.OWN_INVESTIGATION, S.VERIFICATION):
        raise ApplicationError(_("Deze stap heeft een eigen formulier."), field="to_status")
    if to_status == S.OWN_INVESTIGATION and dossier.status == S.QUESTIONNAIRE_SENT:
        questionnaire = getattr(dossier, "questionnaire", None)
        if questionnaire is None or not questionnaire.is_complete:
            raise ApplicationError(
                _("Het vragenformulier is nog niet volledig ontvangen (Awb 4:5)."), field="to_status"
            )
    if (
        to_status == S.VERIFICATION
        and dossier.status == S.OWN_INVESTIGATION
        and _latest_advice(dossier) is None
    ):
        raise ApplicationError(
            _("Leg eerst de conclusie van het eigen onderzoek vast (mate van gevaar)."), field="to_status"
        )
    _transition(dossier, to_status, actor=actor, reason=reason)
    return dossier
