"""Advice and conclusion, voornemen, zienswijze, third parties, the decision and its publication."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.models import User

from .. import deadlines
from ..constants import NEGATIVE_OUTCOMES, AdviceSource, Danger, Outcome
from ..models import Advice, BibobDossier, Decision, RegisterTask, ThirdPartyHearing, Voornemen
from ..permissions import PERM_CHANGE, PERM_DECIDE
from ..rules import rule, rules
from .common import (
    MIN_REASONING,
    S,
    _latest_advice,
    _lock,
    _not_future,
    _require,
    _require_status,
    _today,
    _transition,
)
from .investigation import _open_request

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
        if _today() <= voornemen.zienswijze_due:  # type: ignore[union-attr]
            raise ApplicationError(
                _("De termijn voor een zienswijze loopt nog tot en met %(d)s.")
                % {"d": f"{voornemen.zienswijze_due:%d-%m-%Y}"},  # type: ignore[union-attr]
                field="none_given",
            )
        voornemen.zienswijze_none = True  # type: ignore[union-attr]
        reason = _("Geen zienswijze ingediend")
    else:
        if received_on is None:
            raise ApplicationError(_("Vul de datum van ontvangst in."), field="received_on")
        _not_future(received_on, "received_on")
        if received_on < voornemen.sent_on:  # type: ignore[union-attr]
            raise ApplicationError(_("Ontvangen vóór het voornemen kan niet."), field="received_on")
        if not (summary or "").strip():
            raise ApplicationError(_("Vat de zienswijze samen."), field="summary")
        voornemen.zienswijze_on = received_on  # type: ignore[union-attr]
        voornemen.zienswijze_summary = summary.strip()  # type: ignore[union-attr]
        reason = _("Zienswijze ontvangen")
    voornemen.save()  # type: ignore[union-attr]
    _transition(dossier, S.ZIENSWIJZE, actor=actor, reason=reason)
    return voornemen  # type: ignore[return-value]


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
        hearing.summary = summary.strip()  # type: ignore[assignment]
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
    _transition(dossier, S.DECISION, actor=actor, reason=Outcome(outcome).label)  # type: ignore[arg-type]
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
