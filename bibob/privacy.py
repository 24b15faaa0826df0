"""The Bibob app's privacy providers (docs/privacy-providers.md): retention of Bibob dossiers
(``bibob_dossier``) and the section of an access request, within what art. 28 Wet Bibob allows.
Registered in apps.py.

The term runs from the day the decision on the application became final: the last day of the
objection term after its bekendmaking (``Decision.objection_due``). The Bibob app does not track
objections; a pending objection or appeal is a legal hold set by the chair or privacy officer. A
dossier without a published decision is never due.

The phase history (``DossierTransition``) is append-only in the database; destruction opens the
documented retention path (:func:`vik.privacy.retention.retention_session`, migration 0003).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.selectors import person_ids
from vik.privacy.retention import (
    ANONYMISED,
    delete_with_history,
    drop_history,
    retention_session,
    retention_text,
)

from .constants import PartyRole, Recipient
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
    Voornemen,
)

#: Recipients whose disclosures the person may learn of (they are the person, or bodies of the
#: legal-protection procedure). Disclosures to the driehoek or the RIEC are withheld (prevention).
OPEN_RECIPIENTS = {Recipient.APPLICANT, Recipient.OBJECTION_COMMITTEE, Recipient.COURT}


def dossier_due(rule, today: date):
    cutoff = rule.anchor_cutoff(today)
    rows = (
        Decision.objects.filter(objection_due__isnull=False, objection_due__lte=cutoff)
        .exclude(dossier__title=ANONYMISED)
        .order_by("dossier_id")
        .values_list("dossier_id", "objection_due")
    )
    for pk, anchor in rows.iterator(chunk_size=500):
        yield "bibob.bibobdossier", pk, anchor


def _children(pk: int):
    """Every record of the dossier, in an order that respects the PROTECT references between them."""
    requests = LbbRequest.objects.filter(dossier_id=pk)
    return [
        RegisterTask.objects.filter(dossier_id=pk),
        Advice.objects.filter(dossier_id=pk),
        LbbFollowUp.objects.filter(request__in=requests),
        requests,
        Voornemen.objects.filter(dossier_id=pk),
        Decision.objects.filter(dossier_id=pk),
        DisclosureRecord.objects.filter(dossier_id=pk),
        ChecklistItem.objects.filter(dossier_id=pk),
        Questionnaire.objects.filter(dossier_id=pk),
        DossierParty.objects.filter(dossier_id=pk),
        DossierTransition.objects.filter(dossier_id=pk),
    ]


def dossier_destroy(model_label: str, pk: int) -> None:
    """Remove the dossier with everything in it (parties, questionnaire, findings, LBB requests,
    advice, voornemen, decision, disclosure register, phase history) and their change-audit
    entries. Idempotent: a dossier that is gone is fine."""
    if not BibobDossier.objects.filter(pk=pk).exists():
        return
    with retention_session():
        for qs in _children(pk):
            delete_with_history(qs)
        BibobDossier.objects.filter(pk=pk).delete()


def dossier_anonymise(model_label: str, pk: int) -> None:
    """Keep the kind of decision, branch, dates, phase, outcome and danger levels (statistics per
    month and kind); remove the title, the applicant, the parties, the questionnaire, every
    finding, summary and reasoning, the recipients of disclosures and the reasons in the history."""
    if not BibobDossier.objects.filter(pk=pk).exists():
        return
    with retention_session():
        BibobDossier.objects.filter(pk=pk).update(
            title=ANONYMISED, applicant_name=ANONYMISED, reference=f"ANON-{pk}", updated_at=timezone.now()
        )
        delete_with_history(DossierParty.objects.filter(dossier_id=pk))
        delete_with_history(Questionnaire.objects.filter(dossier_id=pk))
        # Encrypted text fields are written through the model so they are stored encrypted.
        for model, blank in (
            (ChecklistItem, {"finding": ""}),
            (Advice, {"summary": ""}),
            (Voornemen, {"reasoning": ANONYMISED, "zienswijze_summary": ""}),  # reasoning: NOT NULL
            (Decision, {"reasoning": ANONYMISED, "conditions": ""}),
        ):
            rows = list(model.objects.filter(dossier_id=pk))
            for row in rows:
                for name, value in blank.items():
                    setattr(row, name, value)
                row.save(update_fields=list(blank))
            drop_history(model, [r.pk for r in rows])
        disclosures = list(DisclosureRecord.objects.filter(dossier_id=pk).values_list("pk", flat=True))
        DisclosureRecord.objects.filter(pk__in=disclosures).update(
            recipient_name=ANONYMISED, content=ANONYMISED
        )
        drop_history(DisclosureRecord, disclosures)
        transitions = list(DossierTransition.objects.filter(dossier_id=pk).values_list("pk", flat=True))
        DossierTransition.objects.filter(pk__in=transitions).update(reason="")
        drop_history(DossierTransition, transitions)
        drop_history(LbbRequest, LbbRequest.objects.filter(dossier_id=pk).values_list("pk", flat=True))


def _d(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def dsar_section(person, user):
    """Bibob dossiers the person is a party to: that the dossier exists, their role, the kind of
    decision, its phase and dates, and (to the applicant only) the outcome. The advice, the own
    investigation's findings and everything about other parties stay behind, each listed with
    its ground (art. 28 Wet Bibob, rights of others, prevention)."""
    from vik.privacy.constants import WithholdingGround
    from vik.privacy.providers import DsarItem, DsarSection, Withheld

    section = DsarSection(code="bibob", label=_("Bibob"))
    ids = person_ids(person)
    parties = (
        DossierParty.objects.filter(person_id__in=ids)
        .select_related("dossier")
        .exclude(dossier__title=ANONYMISED)
        .order_by("dossier__application_date", "dossier_id", "pk")
    )
    keep = retention_text("bibob_dossier")
    by_dossier: dict[int, list[str]] = {}
    dossiers: dict[int, BibobDossier] = {}
    for party in parties:
        by_dossier.setdefault(party.dossier_id, []).append(party.role)
        dossiers[party.dossier_id] = party.dossier
    for pk, roles in by_dossier.items():
        d = dossiers[pk]
        applicant = PartyRole.APPLICANT in roles
        decision = Decision.objects.filter(dossier_id=pk).first()
        fields = {
            _("uw rol"): ", ".join(str(PartyRole(r).label) for r in roles),
            _("soort beschikking"): d.get_decision_type_display(),
            _("aanvraag ontvangen op"): _d(d.application_date),
            _("fase"): d.get_status_display(),
        }
        if decision is not None:
            fields[_("besluit genomen op")] = _d(decision.decided_on)
            fields[_("bekendgemaakt op")] = _d(decision.bekendgemaakt_on)
            if applicant:
                fields[_("besluit")] = decision.get_outcome_display()
                fields[_("motivering")] = _("in de beschikking die aan u is bekendgemaakt")
            else:
                section.withheld.append(
                    Withheld(
                        _("De inhoud van het besluit op de aanvraag van een ander (dossier %(ref)s)")
                        % {"ref": d.reference},
                        WithholdingGround.BIBOB,
                    )
                )
        section.items.append(
            DsarItem(
                title=_("Bibob-dossier %(ref)s") % {"ref": d.reference},
                date=d.application_date.isoformat(),
                purpose=_("Integriteitsbeoordeling (Wet Bibob)"),
                fields={str(k): v for k, v in fields.items() if v},
                retention=keep,
            )
        )
        section.log_refs.append(("bibob.bibobdossier", pk))
        advices = Advice.objects.filter(dossier_id=pk).count()
        if advices:
            section.withheld.append(
                Withheld(
                    _(
                        "%(n)s advies/adviezen over de mate van gevaar (LBB of eigen onderzoek), dossier %(ref)s"
                    )
                    % {"n": advices, "ref": d.reference},
                    WithholdingGround.BIBOB,
                )
            )
        findings = ChecklistItem.objects.filter(dossier_id=pk).count()
        if findings:
            section.withheld.append(
                Withheld(
                    _("Bevindingen van het eigen onderzoek (%(n)s bronnen), dossier %(ref)s")
                    % {"n": findings, "ref": d.reference},
                    WithholdingGround.BIBOB,
                )
            )
        others = DossierParty.objects.filter(dossier_id=pk).exclude(person_id__in=ids).count()
        if others:
            section.withheld.append(
                Withheld(
                    _("Gegevens over %(n)s andere betrokkene(n), dossier %(ref)s")
                    % {"n": others, "ref": d.reference},
                    WithholdingGround.THIRD_PARTY,
                )
            )
        disclosures = list(DisclosureRecord.objects.filter(dossier_id=pk).order_by("disclosed_on", "pk"))
        shown = [r for r in disclosures if r.recipient in OPEN_RECIPIENTS]
        if shown:
            section.items[-1].fields[str(_("verstrekt aan"))] = "; ".join(
                f"{r.get_recipient_display()} ({_d(r.disclosed_on)})" for r in shown
            )
        hidden = len(disclosures) - len(shown)
        if hidden:
            section.withheld.append(
                Withheld(
                    _("%(n)s verstrekking(en) aan samenwerkingspartners (art. 28 Wet Bibob), dossier %(ref)s")
                    % {"n": hidden, "ref": d.reference},
                    WithholdingGround.PREVENTION,
                )
            )
    return section
