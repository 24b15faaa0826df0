"""Every change to a Bibob dossier goes through these services (STYLE rules 1, 4, 6).

Each service runs in one transaction, locks the dossier, checks the actor's permission and the
procedure rule, and appends a ``DossierTransition`` row when the phase changes. A refusal raises
``ApplicationError`` with the Dutch reason (at the form field it belongs to) and changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core import access
from vik.core.constants import Compartment
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User
from vik.core.registry import registry

from . import deadlines
from .constants import (
    ALLOWED_DISCLOSURES,
    LEGAL_BASIS,
    NEGATIVE_OUTCOMES,
    TRANSITIONS,
    AdviceSource,
    CheckKind,
    Danger,
    DecisionType,
    DossierStatus,
    LegalGround,
    Outcome,
    PartyRole,
    Recipient,
    SubjectKind,
)
from .models import (
    Advice,
    BibobDossier,
    ChecklistItem,
    Decision,
    DisclosureRecord,
    DossierParty,
    DossierTransition,
    LbbFollowUp,
    LbbRequest,
    Questionnaire,
    RegisterTask,
    ThirdPartyHearing,
    Voornemen,
)
from .permissions import PERM_ADD, PERM_CHANGE, PERM_DECIDE, PERM_DISCLOSE
from .rules import rule, rules

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
    from .models import ReferenceCounter

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
    from .selectors import decision_rule_code

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
    from subjects.models import Address, Organisation, Person

    model = {
        SubjectKind.PERSON: Person,
        SubjectKind.ORGANISATION: Organisation,
        SubjectKind.ADDRESS: Address,
    }.get(kind)
    if model is None:
        raise ApplicationError(_("Kies persoon, organisatie of adres."), field="kind")
    try:
        return access.get_for_user(model, actor, subject_id, allow_break_glass=False)
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


# --- questionnaire (art. 30 Wet Bibob, Awb 4:5) ------------------------------------------------


@transaction.atomic
def questionnaire_send(
    *, actor: User, dossier: BibobDossier, sent_on: date, required_attachments: list[str], reason: str = ""
) -> Questionnaire:
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _not_future(sent_on, "sent_on")
    if sent_on < dossier.application_date:
        raise ApplicationError(
            _("Het vragenformulier kan niet vóór de aanvraag verstuurd zijn."), field="sent_on"
        )
    attachments = [a.strip() for a in required_attachments if a.strip()]
    _transition(dossier, S.QUESTIONNAIRE_SENT, actor=actor, reason=reason or _("Vragenformulier verstuurd"))
    q, _created = Questionnaire.objects.update_or_create(
        dossier=dossier, defaults={"sent_on": sent_on, "required_attachments": attachments}
    )
    return q


@transaction.atomic
def questionnaire_receive(
    *,
    actor: User,
    dossier: BibobDossier,
    received_on: date,
    received_attachments: list[str],
    complete: bool,
    missing: str = "",
) -> Questionnaire:
    """Record the returned questionnaire. Complete: the own investigation can start. Incomplete:
    a repair term (Awb 4:5) starts, and the decision term stands still meanwhile (Awb 4:15)."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, {S.QUESTIONNAIRE_SENT}, "received_on")
    q = dossier.questionnaire
    _not_future(received_on, "received_on")
    if received_on < q.sent_on:
        raise ApplicationError(_("Ontvangen vóór het versturen kan niet."), field="received_on")
    got = {a.strip() for a in received_attachments if a.strip()} | set(q.received_attachments)
    absent = [a for a in q.required_attachments if a not in got]
    if complete and absent:
        raise ApplicationError(
            _("Niet volledig: de volgende bijlagen ontbreken: %(a)s.") % {"a": ", ".join(absent)},
            field="complete",
        )
    if not complete and not (missing.strip() or absent):
        raise ApplicationError(_("Beschrijf wat er ontbreekt."), field="missing")
    first_receipt = q.received_on is None
    q.received_on = q.received_on or received_on
    q.received_attachments = sorted(got)
    if complete:
        q.complete_on = received_on
    elif first_receipt or q.repair_requested_on is None:
        repair = rule("bibob_repair_term")
        q.repair_requested_on = received_on
        q.repair_due = deadlines.simple_term_end(received_on, **repair.kwargs)
        q.missing = missing.strip() or ", ".join(absent)
    else:
        raise ApplicationError(
            _("Er loopt al een hersteltermijn; leg de aanvulling vast als volledig."), field="complete"
        )
    q.save()
    return q


# --- own investigation -------------------------------------------------------------------------


def vik_history_count(*, user: User, dossier: BibobDossier) -> int:
    """Signals and measures elsewhere in VIK about the dossier's subjects, as far as ``user`` may
    see them, counted through the subject-timeline providers of the other apps."""
    count = 0
    for party in dossier.parties.select_related("person", "organisation", "address"):
        for provider in registry.timeline:
            if getattr(provider, "__module__", "").startswith("bibob."):
                continue
            try:
                entries = provider(user, party.subject) or []
            except Exception:  # a provider of another app must not break the checklist
                continue
            count += sum(1 for e in entries if e.kind in {"signal", "measure"} and not e.sealed)
    return count


@transaction.atomic
def checklist_record(
    *, actor: User, dossier: BibobDossier, kind: str, finding: str, done: bool
) -> ChecklistItem:
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(
        dossier, {S.OWN_INVESTIGATION, S.VERIFICATION, S.ADVICE_RECEIVED, S.LBB_ADVICE_REQUESTED}, "finding"
    )
    item = dossier.checklist.filter(kind=kind).first()
    if item is None:
        raise ApplicationError(_("Onbekend onderdeel van het eigen onderzoek."), field="kind")
    finding = (finding or "").strip()
    if done and not finding:
        raise ApplicationError(_("Leg de bevinding vast (ook als er niets is gevonden)."), field="finding")
    item.finding = finding
    item.done = done
    item.checked_on = _today()
    item.checked_by = actor
    if kind == CheckKind.EARLIER:
        item.vik_count = vik_history_count(user=actor, dossier=dossier)
    item.save()
    return item


# --- LBB -------------------------------------------------------------------------------------


def _open_request(dossier: BibobDossier) -> LbbRequest:
    req = dossier.lbb_requests.filter(received_on__isnull=True).order_by("-requested_on", "-id").first()
    if req is None:
        raise ApplicationError(_("Er loopt geen adviesaanvraag bij het LBB."))
    return req


@transaction.atomic
def lbb_request_create(
    *,
    actor: User,
    dossier: BibobDossier,
    requested_on: date,
    applicant_informed_on: date | None = None,
    reason: str = "",
) -> LbbRequest:
    """Ask the LBB for advice. The decision term stands still from this day (at most 8 + 4 weeks);
    the applicant must be told of the suspension."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _not_future(requested_on, "requested_on")
    _not_future(applicant_informed_on, "applicant_informed_on")
    if requested_on < dossier.application_date:
        raise ApplicationError(_("Het advies kan niet vóór de aanvraag gevraagd zijn."), field="requested_on")
    supplementary = dossier.status == S.VERIFICATION
    _transition(
        dossier, S.LBB_ADVICE_REQUESTED, actor=actor, reason=reason or _("Advies gevraagd aan het LBB")
    )
    return LbbRequest.objects.create(
        dossier=dossier,
        requested_on=requested_on,
        applicant_informed_on=applicant_informed_on,
        supplementary=supplementary,
    )


@transaction.atomic
def lbb_extend(
    *, actor: User, dossier: BibobDossier, weeks: int, extended_on: date, reason: str = ""
) -> LbbRequest:
    """The LBB extends its term once, by at most 4 weeks. A second or longer extension is refused."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, {S.LBB_ADVICE_REQUESTED}, "weeks")
    req = _open_request(dossier)
    if req.extension_weeks:
        raise ApplicationError(_("Het LBB kan de adviestermijn maar één keer verlengen."), field="weeks")
    from .selectors import lbb_lengths

    lengths = lbb_lengths()
    if weeks < 1 or weeks > lengths.max_extension_weeks:
        raise ApplicationError(
            _("De adviestermijn kan met ten hoogste %(n)s weken worden verlengd.")
            % {"n": lengths.max_extension_weeks},
            field="weeks",
        )
    _not_future(extended_on, "extended_on")
    today = _today()
    due = deadlines.lbb_advice_due(
        req.requested_on,
        follow_up=_follow_up_periods(req),
        today=today,
        advice_weeks=lengths.advice_weeks,
        max_extension_weeks=lengths.max_extension_weeks,
    )
    if extended_on < req.requested_on or extended_on > due:
        raise ApplicationError(
            _("De verlenging moet binnen de adviestermijn vallen (tot en met %(d)s).")
            % {"d": f"{due:%d-%m-%Y}"},
            field="extended_on",
        )
    req.extension_weeks = weeks
    req.extended_on = extended_on
    req.extension_reason = (reason or "").strip()[:300]
    req.save(update_fields=["extension_weeks", "extended_on", "extension_reason", "updated_at"])
    return req


def _follow_up_periods(req: LbbRequest) -> list[deadlines.Period]:
    return [deadlines.Period(f.asked_on, f.answered_on, "lbb_follow_up") for f in req.follow_ups.all()]


@transaction.atomic
def lbb_follow_up_ask(*, actor: User, dossier: BibobDossier, asked_on: date) -> LbbFollowUp:
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, {S.LBB_ADVICE_REQUESTED}, "asked_on")
    req = _open_request(dossier)
    _not_future(asked_on, "asked_on")
    if asked_on < req.requested_on:
        raise ApplicationError(
            _("Vervolgvragen kunnen niet vóór de adviesaanvraag gesteld zijn."), field="asked_on"
        )
    if req.follow_ups.filter(answered_on__isnull=True).exists():
        raise ApplicationError(_("Er staan nog onbeantwoorde vervolgvragen open."), field="asked_on")
    last = req.follow_ups.order_by("-answered_on").first()
    if last is not None and last.answered_on and asked_on < last.answered_on:
        raise ApplicationError(_("Deze vragen overlappen met eerdere vervolgvragen."), field="asked_on")
    return LbbFollowUp.objects.create(request=req, asked_on=asked_on)


@transaction.atomic
def lbb_follow_up_answer(*, actor: User, dossier: BibobDossier, answered_on: date) -> LbbFollowUp:
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, {S.LBB_ADVICE_REQUESTED}, "answered_on")
    req = _open_request(dossier)
    follow_up = req.follow_ups.filter(answered_on__isnull=True).first()
    if follow_up is None:
        raise ApplicationError(_("Er staan geen vervolgvragen open."), field="answered_on")
    _not_future(answered_on, "answered_on")
    if answered_on < follow_up.asked_on:
        raise ApplicationError(_("Beantwoord vóór de vragen gesteld waren kan niet."), field="answered_on")
    follow_up.answered_on = answered_on
    follow_up.save(update_fields=["answered_on", "updated_at"])
    return follow_up


# --- advice / conclusion ---------------------------------------------------------------------


@transaction.atomic
def advice_record(
    *,
    actor: User,
    dossier: BibobDossier,
    source: str,
    received_on: date,
    ground_a: str,
    ground_b: str,
    summary: str = "",
) -> Advice:
    """Record the degree of danger per ground: the LBB's advice (→ ADVICE_RECEIVED) or the
    municipality's own conclusion after the eigen onderzoek (→ VERIFICATION). A danger conclusion
    creates the to-do for the national Bibob register."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _not_future(received_on, "received_on")
    if ground_a not in Danger.values:
        raise ApplicationError(_("Kies de mate van gevaar."), field="ground_a")
    if ground_b not in Danger.values:
        raise ApplicationError(_("Kies de mate van gevaar."), field="ground_b")
    request = None
    if source == AdviceSource.LBB:
        _require_status(dossier, {S.LBB_ADVICE_REQUESTED}, "source")
        request = _open_request(dossier)
        if received_on < request.requested_on:
            raise ApplicationError(
                _("Het advies kan niet vóór de aanvraag ontvangen zijn."), field="received_on"
            )
        if request.follow_ups.filter(answered_on__isnull=True).exists():
            raise ApplicationError(
                _("Leg eerst de beantwoording van de vervolgvragen vast."), field="received_on"
            )
        request.received_on = received_on
        request.save(update_fields=["received_on", "updated_at"])
        _transition(dossier, S.ADVICE_RECEIVED, actor=actor, reason=_("Advies LBB ontvangen"))
    elif source == AdviceSource.OWN:
        _require_status(dossier, {S.OWN_INVESTIGATION}, "source")
        if not (summary or "").strip():
            raise ApplicationError(_("Onderbouw de conclusie van het eigen onderzoek."), field="summary")
        _transition(dossier, S.VERIFICATION, actor=actor, reason=_("Conclusie eigen onderzoek vastgelegd"))
    else:
        raise ApplicationError(_("Kies de herkomst van het advies."), field="source")
    advice = Advice.objects.create(
        dossier=dossier,
        source=source,
        lbb_request=request,
        received_on=received_on,
        ground_a=ground_a,
        ground_b=ground_b,
        summary=(summary or "").strip(),
        recorded_by=actor,
    )
    if advice.worst != Danger.GEEN:
        RegisterTask.objects.get_or_create(dossier=dossier, defaults={"advice": advice})
    return advice


@transaction.atomic
def register_task_complete(*, actor: User, dossier: BibobDossier, entered_on: date) -> RegisterTask:
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    task = getattr(dossier, "register_task", None)
    if task is None:
        raise ApplicationError(_("Er is geen registertaak voor dit dossier."), field="entered_on")
    if task.entered_on is not None:
        raise ApplicationError(_("De inschrijving is al vastgelegd."), field="entered_on")
    _not_future(entered_on, "entered_on")
    if entered_on < task.advice.received_on:
        raise ApplicationError(_("De inschrijving kan niet vóór de conclusie liggen."), field="entered_on")
    task.entered_on = entered_on
    task.entered_by = actor
    task.save(update_fields=["entered_on", "entered_by", "updated_at"])
    return task


# --- voornemen, zienswijze, decision ---------------------------------------------------------


def _check_outcome_fits(dossier: BibobDossier, outcome: str, field: str) -> None:
    if outcome == Outcome.REFUSE and dossier.is_review:
        raise ApplicationError(_("Een bestaande vergunning wordt ingetrokken, niet geweigerd."), field=field)
    if outcome == Outcome.WITHDRAW and not dossier.is_review:
        raise ApplicationError(_("Een aanvraag wordt geweigerd, niet ingetrokken."), field=field)
    if outcome in NEGATIVE_OUTCOMES:
        advice = _latest_advice(dossier)
        worst = advice.worst if advice else Danger.GEEN
        if outcome in (Outcome.REFUSE, Outcome.WITHDRAW) and worst != Danger.ERNSTIG:
            raise ApplicationError(
                _("Weigeren of intrekken kan alleen bij ernstig gevaar (art. 3 lid 1 Wet Bibob)."),
                field=field,
            )
        if outcome == Outcome.GRANT_CONDITIONS and worst == Danger.GEEN:
            raise ApplicationError(
                _(
                    "Voorschriften verbinden kan alleen bij (mindere mate van) gevaar (art. 3 lid 7 Wet Bibob)."
                ),
                field=field,
            )


@transaction.atomic
def voornemen_send(
    *,
    actor: User,
    dossier: BibobDossier,
    sent_on: date,
    intended_outcome: str,
    reasoning: str,
    zienswijze_days: int | None = None,
) -> Voornemen:
    """The intention to refuse, withdraw or attach conditions, with the term for a zienswijze
    (Awb 4:8; the term is set in the voornemen, so the Atw does not apply to it)."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, {S.VERIFICATION}, "intended_outcome")
    if intended_outcome not in NEGATIVE_OUTCOMES:
        raise ApplicationError(
            _("Een voornemen is alleen nodig voor weigeren, intrekken of voorschriften."),
            field="intended_outcome",
        )
    reasoning = (reasoning or "").strip()
    if len(reasoning) < MIN_REASONING:
        raise ApplicationError(
            _("Motiveer het voornemen (ten minste %(n)s tekens).") % {"n": MIN_REASONING}, field="reasoning"
        )
    _check_outcome_fits(dossier, intended_outcome, "intended_outcome")
    _not_future(sent_on, "sent_on")
    found = rules("zienswijze", "zienswijze_maximum")
    term, ceiling = found["zienswijze"], found["zienswijze_maximum"]
    maximum = ceiling.days + 7 * ceiling.weeks or 84
    days = term.days if zienswijze_days is None else zienswijze_days
    if days < 1 or days > maximum:
        raise ApplicationError(
            _("Kies een termijn tussen 1 en %(n)s dagen.") % {"n": maximum}, field="zienswijze_days"
        )
    due = deadlines.simple_term_end(sent_on, days=days, atw=term.atw)
    _transition(dossier, S.VOORNEMEN_NEGATIVE, actor=actor, reason=_("Voornemen verstuurd"))
    return Voornemen.objects.create(
        dossier=dossier,
        sent_on=sent_on,
        intended_outcome=intended_outcome,
        reasoning=reasoning,
        zienswijze_days=days,
        zienswijze_due=due,
    )


@transaction.atomic
def zienswijze_record(
    *,
    actor: User,
    dossier: BibobDossier,
    received_on: date | None,
    summary: str = "",
    none_given: bool = False,
) -> Voornemen:
    """Record the zienswijze, or that none came in; the latter only after its term has passed."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, {S.VOORNEMEN_NEGATIVE}, "received_on")
    voornemen = dossier.voornemens.order_by("-sent_on", "-id").first()
    if none_given:
        if _today() <= voornemen.zienswijze_due:
            raise ApplicationError(
                _("De termijn voor een zienswijze loopt nog tot en met %(d)s.")
                % {"d": f"{voornemen.zienswijze_due:%d-%m-%Y}"},
                field="none_given",
            )
        voornemen.zienswijze_none = True
        reason = _("Geen zienswijze ingediend")
    else:
        if received_on is None:
            raise ApplicationError(_("Vul de datum van ontvangst in."), field="received_on")
        _not_future(received_on, "received_on")
        if received_on < voornemen.sent_on:
            raise ApplicationError(_("Ontvangen vóór het voornemen kan niet."), field="received_on")
        if not (summary or "").strip():
            raise ApplicationError(_("Vat de zienswijze samen."), field="summary")
        voornemen.zienswijze_on = received_on
        voornemen.zienswijze_summary = summary.strip()
        reason = _("Zienswijze ontvangen")
    voornemen.save()
    _transition(dossier, S.ZIENSWIJZE, actor=actor, reason=reason)
    return voornemen


@transaction.atomic
def third_party_invite(
    *, actor: User, dossier: BibobDossier, party_id: int, invited_on: date, days: int | None = None
) -> ThirdPartyHearing:
    """Wet Bibob art. 33: invite a third party named in the advice to give a zienswijze on the
    data about it, before a negative decision. The term is set by the authority (rule row
    ``bibob_zienswijze_derde``, default 14 days; ceiling ``zienswijze_maximum``); no Atw."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(
        dossier, {S.ADVICE_RECEIVED, S.VERIFICATION, S.VOORNEMEN_NEGATIVE, S.ZIENSWIJZE}, "party_id"
    )
    party = dossier.parties.filter(pk=party_id).first()
    if party is None:
        raise ApplicationError(_("Kies een betrokkene van dit dossier."), field="party_id")
    if party.role == "applicant":
        raise ApplicationError(
            _("De aanvrager krijgt zijn zienswijze op het voornemen; art. 33 gaat over derden."),
            field="party_id",
        )
    _not_future(invited_on, "invited_on")
    found = rules("bibob_third_party_zienswijze", "zienswijze_maximum")
    term, ceiling = found["bibob_third_party_zienswijze"], found["zienswijze_maximum"]
    maximum = ceiling.days + 7 * ceiling.weeks or 84
    days = days or term.days + 7 * term.weeks or 14
    if days < 1 or days > maximum:
        raise ApplicationError(_("Kies een termijn tussen 1 en %(n)s dagen.") % {"n": maximum}, field="days")
    if dossier.third_party_hearings.filter(
        party=party, responded_on__isnull=True, no_response=False
    ).exists():
        raise ApplicationError(
            _("Deze derde is al uitgenodigd en heeft nog niet gereageerd."), field="party_id"
        )
    due = deadlines.simple_term_end(invited_on, days=days, atw=False)
    return ThirdPartyHearing.objects.create(
        dossier=dossier, party=party, invited_on=invited_on, days=days, due=due
    )


@transaction.atomic
def third_party_response(
    *,
    actor: User,
    dossier: BibobDossier,
    hearing_id: int,
    responded_on: date | None = None,
    summary: str = "",
    none_given: bool = False,
) -> ThirdPartyHearing:
    """The third party's zienswijze, or that none came in (only after its term)."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    hearing = dossier.third_party_hearings.filter(pk=hearing_id).first()
    if hearing is None or not hearing.is_open:
        raise ApplicationError(_("Kies een openstaande uitnodiging."), field="hearing_id")
    if none_given:
        if _today() <= hearing.due:
            raise ApplicationError(
                _("De termijn loopt nog tot en met %(d)s.") % {"d": f"{hearing.due:%d-%m-%Y}"},
                field="none_given",
            )
        hearing.no_response = True
    else:
        if responded_on is None:
            raise ApplicationError(_("Vul de datum van ontvangst in."), field="responded_on")
        _not_future(responded_on, "responded_on")
        if responded_on < hearing.invited_on:
            raise ApplicationError(_("Ontvangen vóór de uitnodiging kan niet."), field="responded_on")
        if not (summary or "").strip():
            raise ApplicationError(_("Vat de zienswijze samen."), field="summary")
        hearing.responded_on = responded_on
        hearing.summary = summary.strip()
    hearing.save()
    return hearing


@transaction.atomic
def dossier_decide(
    *,
    actor: User,
    dossier: BibobDossier,
    outcome: str,
    reasoning: str,
    decided_on: date,
    conditions: str = "",
) -> Decision:
    """The decision maker decides. Every outcome needs a reasoning; a negative one (refuse,
    withdraw, conditions) only after voornemen and zienswijze."""
    _require(actor, PERM_DECIDE)
    dossier = _lock(dossier)
    if outcome not in Outcome.values:
        raise ApplicationError(_("Kies een besluit."), field="outcome")
    reasoning = (reasoning or "").strip()
    if len(reasoning) < MIN_REASONING:
        raise ApplicationError(
            _("Een besluit zonder motivering kan niet (ten minste %(n)s tekens).") % {"n": MIN_REASONING},
            field="reasoning",
        )
    if outcome in NEGATIVE_OUTCOMES and dossier.status != S.ZIENSWIJZE:
        raise ApplicationError(
            _(
                "Een negatief besluit (weigeren, intrekken of voorschriften) kan pas na een voornemen en zienswijze."
            ),
            field="outcome",
        )
    if outcome in NEGATIVE_OUTCOMES:
        waiting = [h for h in dossier.third_party_hearings.all() if h.is_open]
        if waiting:
            raise ApplicationError(
                _(
                    "Een derde genoemd in het advies kan nog een zienswijze geven (art. 33 Wet Bibob, tot en met "
                    "%(d)s): leg eerst de zienswijze vast, of dat er geen is gekomen."
                )
                % {"d": f"{max(h.due for h in waiting):%d-%m-%Y}"},
                field="outcome",
            )
    if dossier.status not in {S.OWN_INVESTIGATION, S.VERIFICATION, S.ZIENSWIJZE}:
        raise ApplicationError(
            _("In de fase '%(s)s' kan nog niet worden besloten.") % {"s": S(dossier.status).label},
            field="outcome",
        )
    _check_outcome_fits(dossier, outcome, "outcome")
    if outcome == Outcome.GRANT_CONDITIONS and not (conditions or "").strip():
        raise ApplicationError(_("Beschrijf de voorschriften."), field="conditions")
    _not_future(decided_on, "decided_on")
    if decided_on < dossier.application_date:
        raise ApplicationError(_("Het besluit kan niet vóór de aanvraag liggen."), field="decided_on")
    _transition(dossier, S.DECISION, actor=actor, reason=Outcome(outcome).label)
    return Decision.objects.create(
        dossier=dossier,
        outcome=outcome,
        reasoning=reasoning,
        conditions=(conditions or "").strip(),
        decided_on=decided_on,
        decided_by=actor,
    )


@transaction.atomic
def decision_publish(*, actor: User, dossier: BibobDossier, bekendgemaakt_on: date) -> Decision:
    """Bekendmaking opens the objection window: 6 weeks from the next day, Atw applied (Awb 6:7/6:8)."""
    _require(actor, PERM_CHANGE)
    dossier = _lock(dossier)
    _require_status(dossier, {S.DECISION}, "bekendgemaakt_on")
    decision = dossier.decision
    if decision.bekendgemaakt_on is not None:
        raise ApplicationError(_("De bekendmaking is al vastgelegd."), field="bekendgemaakt_on")
    _not_future(bekendgemaakt_on, "bekendgemaakt_on")
    if bekendgemaakt_on < decision.decided_on:
        raise ApplicationError(_("Bekendmaking vóór het besluit kan niet."), field="bekendgemaakt_on")
    objection = rule("objection")
    decision.bekendgemaakt_on = bekendgemaakt_on
    decision.objection_due = deadlines.simple_term_end(bekendgemaakt_on, **objection.kwargs)
    decision.save(update_fields=["bekendgemaakt_on", "objection_due", "updated_at"])
    return decision


# --- disclosure (art. 28 Wet Bibob) ------------------------------------------------------------


@transaction.atomic
def disclosure_record(
    *,
    actor: User,
    dossier: BibobDossier,
    recipient: str,
    legal_ground: str,
    recipient_name: str,
    content: str,
    disclosed_on: date,
    about_itself_only: bool = False,
) -> DisclosureRecord:
    """Record a disclosure outside the compartment. Only the recipients and grounds of art. 28 are
    allowed; anything else is refused and nothing is recorded."""
    _require(actor, PERM_DISCLOSE)
    dossier = _lock(dossier)
    if recipient not in ALLOWED_DISCLOSURES:
        raise ApplicationError(
            _("Verstrekking aan deze ontvanger is niet toegestaan (art. 28 Wet Bibob)."), field="recipient"
        )
    if legal_ground not in ALLOWED_DISCLOSURES[recipient]:
        raise ApplicationError(
            _("Deze grondslag past niet bij deze ontvanger (art. 28 Wet Bibob)."), field="legal_ground"
        )
    if recipient == Recipient.THIRD_PARTY and not about_itself_only:
        raise ApplicationError(
            _("Aan een derde mag alleen informatie over die derde zelf worden verstrekt."),
            field="about_itself_only",
        )
    if recipient == Recipient.APPLICANT and not (dossier.voornemens.exists() or hasattr(dossier, "decision")):
        raise ApplicationError(
            _("Aan betrokkene alleen in de motivering van een voornemen of besluit."), field="recipient"
        )
    if legal_ground == LegalGround.OBJECTION_APPEAL and not hasattr(dossier, "decision"):
        raise ApplicationError(
            _("Er is nog geen besluit waartegen bezwaar of beroep loopt."), field="legal_ground"
        )
    recipient_name = " ".join((recipient_name or "").split())
    content = " ".join((content or "").split())
    if not recipient_name:
        raise ApplicationError(_("Noem de ontvanger."), field="recipient_name")
    if not content:
        raise ApplicationError(_("Beschrijf wat is verstrekt."), field="content")
    _not_future(disclosed_on, "disclosed_on")
    return DisclosureRecord.objects.create(
        dossier=dossier,
        recipient=recipient,
        recipient_name=recipient_name[:200],
        legal_ground=legal_ground,
        content=content[:500],
        disclosed_on=disclosed_on,
        actor=actor,
    )
