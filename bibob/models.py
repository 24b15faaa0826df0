"""Bibob dossiers: from application (or review of an existing permit) to decision, sealed in the
``bibob`` compartment (Wet Bibob art. 28). Only the dossier is a ``ProtectedModel``; every other
record here belongs to a dossier and is reached only through it (``bibob.permissions``)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from subjects.models import SubjectReference, exactly_one_subject
from vik.core.constants import Compartment, RiskBranch
from vik.core.encryption import EncryptedTextField
from vik.core.models import BaseModel, ProtectedModel

from .constants import (
    AdviceSource,
    CheckKind,
    Danger,
    DecisionMaker,
    DecisionType,
    DossierStatus,
    LegalGround,
    Outcome,
    PartyRole,
    Recipient,
)


class BibobDossier(ProtectedModel):
    """One application, or one existing permit under review, screened under the Wet Bibob."""

    reference = models.CharField(_("kenmerk"), max_length=30, unique=True)
    title = models.CharField(_("omschrijving"), max_length=200)
    decision_type = models.CharField(_("soort beschikking"), max_length=30, choices=DecisionType.choices)
    legal_basis = models.CharField(_("wet / APV-artikel"), max_length=200)
    risk_branch = models.CharField(_("risicobranche"), max_length=20, choices=RiskBranch.choices, blank=True)
    is_review = models.BooleanField(_("toets van een bestaande vergunning"), default=False)
    applicant_name = models.CharField(_("aanvrager (zoals op de aanvraag)"), max_length=200)
    application_date = models.DateField(
        _("datum ontvangst aanvraag"),
        help_text=_("Bij een toets van een bestaande vergunning: de startdatum."),
    )
    decision_maker = models.CharField(_("bevoegd gezag"), max_length=20, choices=DecisionMaker.choices)
    decider = models.ForeignKey(
        "core.User",
        verbose_name=_("bestuurder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    investigator = models.ForeignKey(
        "core.User",
        verbose_name=_("onderzoeker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("fase"),
        max_length=30,
        choices=DossierStatus.choices,
        default=DossierStatus.APPLICATION_RECEIVED,
        db_index=True,
    )
    # The decision-term rule in force when the dossier was opened (a snapshot of the DeadlineRule).
    # empty for a review or withdrawal of an existing permit: no application, no decision term
    term_rule_code = models.CharField(max_length=60, default="bibob_decision_term", blank=True)
    term_days = models.PositiveIntegerField(default=0)
    term_weeks = models.PositiveIntegerField(default=8)
    term_months = models.PositiveIntegerField(default=0)
    term_atw = models.BooleanField(default=True)
    term_legal_basis = models.CharField(max_length=200, blank=True)

    class Meta(ProtectedModel.Meta):
        verbose_name = _("Bibob-dossier")
        verbose_name_plural = _("Bibob-dossiers")
        ordering = ["-application_date", "-id"]
        permissions = [
            ("disclose", "Mag Bibob-informatie verstrekken (art. 28 Wet Bibob)"),
            ("decide", "Mag besluiten op een Bibob-dossier"),
        ]
        indexes = [GinIndex(fields=["visible_to"], name="bibob_bibobdossier_vis")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(compartment=Compartment.BIBOB), name="bibob_dossier_sealed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class DossierParty(BaseModel, SubjectReference):
    """A subject or object involved in the dossier (applicant, owner, manager, financier, the
    premises): exactly one of person, organisation or address."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("rol"), max_length=20, choices=PartyRole.choices)
    # person, organisation, address: SubjectReference

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
        ordering = ["role", "id"]
        constraints = [exactly_one_subject("bibob_party_exactly_one_subject")]


class DossierTransition(models.Model):
    """Append-only history of the dossier's phases: who, when and why. A database trigger
    rejects UPDATE and DELETE of rows (migration 0002)."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=30, choices=DossierStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=DossierStatus.choices)
    actor = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["at", "id"]


class Questionnaire(BaseModel):
    """The Bibob questionnaire (vragenformulier, art. 30 Wet Bibob) with its repair term."""

    dossier = models.OneToOneField(BibobDossier, on_delete=models.CASCADE, related_name="questionnaire")
    sent_on = models.DateField(_("verstuurd op"))
    required_attachments = ArrayField(
        models.CharField(max_length=200), verbose_name=_("vereiste bijlagen"), default=list, blank=True
    )
    received_on = models.DateField(_("ontvangen op"), null=True, blank=True)
    received_attachments = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    complete_on = models.DateField(_("volledig op"), null=True, blank=True)
    repair_requested_on = models.DateField(_("hersteltermijn gegeven op"), null=True, blank=True)
    repair_due = models.DateField(_("hersteltermijn tot en met"), null=True, blank=True)
    missing = models.TextField(_("wat ontbreekt"), blank=True)

    @property
    def is_complete(self) -> bool:
        return self.complete_on is not None


class ChecklistItem(BaseModel):
    """One line of the own investigation (eigen onderzoek, art. 7a) with its finding."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.CASCADE, related_name="checklist")
    kind = models.CharField(_("bron"), max_length=20, choices=CheckKind.choices)
    done = models.BooleanField(_("afgerond"), default=False)
    finding = EncryptedTextField(_("bevinding"), blank=True, null=True, default="")
    vik_count = models.PositiveIntegerField(null=True, blank=True)  # signals/measures found in VIK
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "kind"], name="bibob_checklist_once")]


class LbbRequest(BaseModel):
    """A request for advice to the Landelijk Bureau Bibob. Its term suspends the decision term."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.CASCADE, related_name="lbb_requests")
    requested_on = models.DateField(_("gevraagd op"))
    applicant_informed_on = models.DateField(
        _("betrokkene geïnformeerd over opschorting op"), null=True, blank=True
    )
    extension_weeks = models.PositiveSmallIntegerField(_("verlenging (weken)"), default=0)
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = models.CharField(max_length=300, blank=True)
    received_on = models.DateField(_("advies ontvangen op"), null=True, blank=True)
    supplementary = models.BooleanField(_("aanvullend advies"), default=False)

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            # A sanity bound only: the legal maximum (4 weeks) is the rule row
            # ``bibob_lbb_verlenging``, checked by the service.
            models.CheckConstraint(
                condition=models.Q(extension_weeks__lte=52), name="bibob_lbb_extension_sane"
            ),
        ]


class LbbFollowUp(BaseModel):
    """Follow-up questions of the LBB to the applicant; the term stands still until answered."""

    request = models.ForeignKey(LbbRequest, on_delete=models.CASCADE, related_name="follow_ups")
    asked_on = models.DateField(_("vragen gesteld op"))
    answered_on = models.DateField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        ordering = ["asked_on", "id"]


class Advice(BaseModel):
    """A conclusion on the degree of danger per ground: from the LBB, or the municipality's own."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.CASCADE, related_name="advices")
    source = models.CharField(_("herkomst"), max_length=10, choices=AdviceSource.choices)
    lbb_request = models.ForeignKey(
        LbbRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(_("datum"))
    ground_a = models.CharField(
        _("grond a: voordeel uit strafbare feiten"), max_length=20, choices=Danger.choices
    )
    ground_b = models.CharField(_("grond b: strafbare feiten plegen"), max_length=20, choices=Danger.choices)
    summary = EncryptedTextField(_("samenvatting"), blank=True, null=True, default="")
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]

    @property
    def worst(self) -> str:
        order = [Danger.GEEN, Danger.MINDERE_MATE, Danger.ERNSTIG]
        return max(self.ground_a, self.ground_b, key=order.index)


class Voornemen(BaseModel):
    """The intention to decide negatively, and the zienswijze on it (Awb 4:8)."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.CASCADE, related_name="voornemens")
    sent_on = models.DateField(_("verstuurd op"))
    intended_outcome = models.CharField(_("voorgenomen besluit"), max_length=20, choices=Outcome.choices)
    reasoning = EncryptedTextField(_("motivering"))
    zienswijze_days = models.PositiveSmallIntegerField(_("termijn zienswijze (dagen)"), default=14)
    zienswijze_due = models.DateField()
    zienswijze_on = models.DateField(_("zienswijze ontvangen op"), null=True, blank=True)
    zienswijze_none = models.BooleanField(_("geen zienswijze ingediend"), default=False)
    zienswijze_summary = EncryptedTextField(_("samenvatting zienswijze"), blank=True, null=True, default="")

    class Meta:
        ordering = ["sent_on", "id"]


class ThirdPartyHearing(BaseModel):
    """Wet Bibob art. 33 [article number U]: a third party about whom the LBB advice holds data
    is invited to give a zienswijze on that data before a negative decision. Recorded on the
    dossier: invitation, its term (policy, no Atw) and the response (or that none came)."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.CASCADE, related_name="third_party_hearings")
    party = models.ForeignKey(
        DossierParty, verbose_name=_("derde"), on_delete=models.PROTECT, related_name="hearings"
    )
    invited_on = models.DateField(_("uitgenodigd op"))
    days = models.PositiveSmallIntegerField(_("termijn (dagen)"))
    due = models.DateField(_("zienswijze tot en met"))
    responded_on = models.DateField(_("zienswijze ontvangen op"), null=True, blank=True)
    no_response = models.BooleanField(_("geen zienswijze ingediend"), default=False)
    summary = EncryptedTextField(_("samenvatting"), blank=True, null=True, default="")

    class Meta:
        ordering = ["invited_on", "id"]

    @property
    def is_open(self) -> bool:
        return self.responded_on is None and not self.no_response


class Decision(BaseModel):
    dossier = models.OneToOneField(BibobDossier, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("besluit"), max_length=20, choices=Outcome.choices)
    reasoning = EncryptedTextField(_("motivering"))
    conditions = EncryptedTextField(_("voorschriften"), blank=True, null=True, default="")
    decided_on = models.DateField(_("besloten op"))
    decided_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    bekendgemaakt_on = models.DateField(_("bekendgemaakt op"), null=True, blank=True)
    objection_due = models.DateField(_("bezwaar mogelijk tot en met"), null=True, blank=True)


class DisclosureRecord(BaseModel):
    """One disclosure of Bibob information outside the compartment (art. 28 Wet Bibob)."""

    dossier = models.ForeignKey(BibobDossier, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.CharField(_("ontvanger"), max_length=30, choices=Recipient.choices)
    recipient_name = models.CharField(_("naam ontvanger"), max_length=200)
    legal_ground = models.CharField(_("grondslag"), max_length=30, choices=LegalGround.choices)
    content = models.CharField(_("wat is verstrekt"), max_length=500)
    disclosed_on = models.DateField(_("verstrekt op"))
    actor = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-disclosed_on", "-id"]


class RegisterTask(BaseModel):
    """To-do after a danger conclusion: enter the dossier in the national Bibob register."""

    dossier = models.OneToOneField(BibobDossier, on_delete=models.CASCADE, related_name="register_task")
    advice = models.ForeignKey(Advice, on_delete=models.PROTECT, related_name="+")
    entered_on = models.DateField(_("ingeschreven op"), null=True, blank=True)
    entered_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    @property
    def is_open(self) -> bool:
        return self.entered_on is None


class ReferenceCounter(models.Model):
    """The last dossier number handed out per year. Locked (SELECT ... FOR UPDATE) while a new
    reference is allocated, so two dossiers opened at the same instant never get the same one."""

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    last = models.PositiveIntegerField(_("laatste nummer"), default=0)

    class Meta:
        verbose_name = _("kenmerkteller")
        verbose_name_plural = _("kenmerktellers")

    def __str__(self) -> str:
        return f"BIB-{self.year}: {self.last}"
