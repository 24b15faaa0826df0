"""The investigation: questionnaire (art. 30 Wet Bibob, Awb 4:5), own investigation, LBB requests."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.models import User
from vik.core.registry import registry

from .. import deadlines
from ..constants import CheckKind
from ..models import BibobDossier, ChecklistItem, LbbFollowUp, LbbRequest, Questionnaire
from ..permissions import PERM_CHANGE
from ..rules import rule
from .common import S, _lock, _not_future, _require, _require_status, _today, _transition

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
    item.finding = finding  # type: ignore[assignment]
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
    from ..selectors import lbb_lengths

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
