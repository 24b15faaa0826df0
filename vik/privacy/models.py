"""Privacy operations: retention rules, legal holds, destruction lists with two-person approval,
tombstones, data-subject requests, rectifications, restrictions and anomaly reports.

Records of other apps are named by ``(model_label, object_id)`` (``model_label`` is Django's
``app_label.model_name``, the same string the access log's ``LogRef.kind`` uses), because this
app never imports a domain app."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from vik.core.calendar import add_period, subtract_period, term_end
from vik.core.encryption import EncryptedTextField
from vik.core.models import BaseModel

from .constants import ItemState, ListStatus, PeriodUnit, RequestStatus, RetentionAction


class RetentionRule(BaseModel):
    """How long one record class is kept (DOMAIN §2) and what happens afterwards."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("soort gegevens"), max_length=200)
    period_value = models.IntegerField(_("bewaartermijn"))
    period_unit = models.CharField(
        _("eenheid"), max_length=10, choices=PeriodUnit.choices, default=PeriodUnit.YEARS
    )
    runs_from = models.CharField(_("termijn loopt vanaf"), max_length=200)
    action = models.CharField(_("daarna"), max_length=10, choices=RetentionAction.choices)
    legal_basis = models.CharField(_("grondslag / bron"), max_length=300)
    verified = models.BooleanField(_("grondslag geverifieerd"), default=False)
    uses_legal_calendar = models.BooleanField(
        _("Algemene termijnenwet toepassen"),
        default=False,
        help_text=_(
            "Valt de einddatum op een zaterdag, zondag of feestdag, dan schuift die op naar de volgende werkdag."
        ),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("bewaarregel")
        verbose_name_plural = _("bewaarregels")
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_value__gt=0), name="privacy_rule_period_positive"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.period_value is not None and self.period_value <= 0:
            raise ValidationError({"period_value": _("Een bewaartermijn moet langer dan nul zijn.")})

    def _kwargs(self) -> dict[str, int]:
        value = int(self.period_value)
        if self.period_unit == PeriodUnit.YEARS:
            return {"months": 12 * value}
        return {str(self.period_unit): value}

    @property
    def period_display(self) -> str:
        """ "1 jaar", "7 jaren", "6 maanden": singular when the number is one."""
        n = self.period_value
        forms = {
            "days": ngettext("%(n)d dag", "%(n)d dagen", n),
            "weeks": ngettext("%(n)d week", "%(n)d weken", n),
            "months": ngettext("%(n)d maand", "%(n)d maanden", n),
            "years": ngettext("%(n)d jaar", "%(n)d jaren", n),
        }
        text = forms.get(self.period_unit)
        return text % {"n": n} if text else f"{n} {self.get_period_unit_display()}"

    def due_date(self, anchor: date) -> date:
        """The day on which a record whose term started at ``anchor`` becomes due."""
        if self.uses_legal_calendar:
            return term_end(anchor, atw=True, **self._kwargs())
        return add_period(anchor, **self._kwargs())

    def anchor_cutoff(self, today: date) -> date:
        """The latest anchor date whose plain (non-Atw) end is on or before ``today``.
        Providers may pre-filter on ``anchor <= cutoff``; the sweep re-checks each candidate
        with :meth:`due_date`, which also applies the legal calendar."""
        kwargs = self._kwargs()
        # add_period adds the months first, then the days, and both steps never decrease; so
        # the anchor must reach ``limit`` (today minus the days) by adding the months alone.
        limit = today - timedelta(days=kwargs.get("days", 0) + 7 * kwargs.get("weeks", 0))
        months = kwargs.get("months", 0)
        cutoff = subtract_period(limit, months=months)
        if months and (limit + timedelta(days=1)).day == 1:
            # ``limit`` is a month end: every later day of the target month is clamped onto it
            # too (31 January + 1 month = 28 February), so they all qualify.
            cutoff = add_period(cutoff.replace(day=1), months=1) - timedelta(days=1)
        return cutoff


class LegalHold(BaseModel):
    """A pending objection, court case or inquiry: the record is not destroyed while it holds."""

    model_label = models.CharField(_("soort record"), max_length=100)
    object_id = models.BigIntegerField(_("nummer"))
    reason = models.CharField(_("reden"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    release_reason = models.CharField(_("reden opheffing"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("juridische blokkade")
        verbose_name_plural = _("juridische blokkades")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["model_label", "object_id"], name="privacy_hold_ref")]

    def __str__(self) -> str:
        return f"{self.model_label} {self.object_id}"


class DestructionList(BaseModel):
    """A vernietigingslijst prepared by the nightly sweep; carried out after two approvals."""

    swept_on = models.DateField(_("opgesteld op"))
    status = models.CharField(
        _("status"), max_length=12, choices=ListStatus.choices, default=ListStatus.PENDING
    )
    started_at = models.DateTimeField(null=True, blank=True)
    carried_out_at = models.DateTimeField(_("uitgevoerd op"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("vernietigingslijst")
        verbose_name_plural = _("vernietigingslijsten")
        ordering = ["-swept_on", "-pk"]
        permissions = [
            (
                "approve_destruction_records",
                "Mag vernietigingslijsten goedkeuren (informatiebeheerder, privacy officer)",
            )
        ]

    def __str__(self) -> str:
        return f"Vernietigingslijst {self.pk} ({self.swept_on:%d-%m-%Y})"


class DestructionItem(BaseModel):
    destruction_list = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="items")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    record_class = models.CharField(max_length=40)
    model_label = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    anchor_date = models.DateField()
    due_date = models.DateField()
    action = models.CharField(max_length=10, choices=RetentionAction.choices)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["destruction_list", "model_label", "object_id"], name="privacy_item_once"
            )
        ]
        indexes = [models.Index(fields=["model_label", "object_id"], name="privacy_item_ref")]


class DestructionApproval(BaseModel):
    destruction_list = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["destruction_list", "user"], name="privacy_approval_once")
        ]


class Tombstone(BaseModel):
    """What remains of a destroyed or anonymised record: class, id, dates, rule, approvers."""

    item = models.OneToOneField(DestructionItem, on_delete=models.PROTECT, related_name="tombstone")
    record_class = models.CharField(_("soort gegevens"), max_length=40)
    model_label = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=RetentionAction.choices)
    anchor_date = models.DateField()
    due_date = models.DateField()
    destroyed_at = models.DateTimeField()
    rule_code = models.CharField(max_length=40)
    rule_summary = models.CharField(max_length=400)
    approvers = models.CharField(max_length=400)

    class Meta:
        verbose_name = _("grafsteen")
        verbose_name_plural = _("grafstenen")
        ordering = ["-destroyed_at"]
        indexes = [models.Index(fields=["model_label", "object_id"], name="privacy_tomb_ref")]


class Restriction(BaseModel):
    """AVG art. 18: processing of the record is frozen; retention clocks keep running."""

    model_label = models.CharField(_("soort record"), max_length=100)
    object_id = models.BigIntegerField(_("nummer"))
    reason = models.CharField(_("reden"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("beperking van verwerking")
        verbose_name_plural = _("beperkingen van verwerking")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["model_label", "object_id"], name="privacy_restr_ref")]


class DataSubjectRequest(BaseModel):
    """An access request (AVG art. 15): deadline one month, extendable by two (art. 12(3))."""

    person_id = models.BigIntegerField(_("persoonsnummer"))
    person_label = EncryptedTextField(_("persoon"), null=True, blank=True)
    received_on = models.DateField(_("ontvangen op"))
    deadline = models.DateField(_("uiterste antwoorddatum"))
    extended = models.BooleanField(_("verlengd"), default=False)
    extension_reason = models.CharField(_("reden verlenging"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answered_on = models.DateField(_("beantwoord op"), null=True, blank=True)
    answer = EncryptedTextField(_("antwoord (JSON)"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Inzageverzoek {self.pk}"


class Rectification(BaseModel):
    """AVG art. 16: an annotated new version. The original text stays (encrypted) beside the new one."""

    model_label = models.CharField(_("soort record"), max_length=100)
    object_id = models.BigIntegerField(_("nummer"))
    field_name = models.CharField(_("veld"), max_length=60)
    version = models.PositiveIntegerField(default=1)
    original_text = EncryptedTextField(_("oorspronkelijke tekst"), null=True, blank=True)
    new_text = EncryptedTextField(_("nieuwe tekst"))
    annotation = models.CharField(_("aantekening"), max_length=1000)
    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("rectificatie")
        verbose_name_plural = _("rectificaties")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_label", "object_id", "field_name", "version"], name="privacy_rect_version"
            )
        ]

    @property
    def field_label(self) -> str:
        """The corrected field in words ("Geslachtsnaam"), as its app registered it."""
        from .providers import rectifier_field_label

        return rectifier_field_label(self.model_label, self.field_name)


class AnomalyReport(BaseModel):
    """The monthly report on access-log anomalies for the privacy officer."""

    period_start = models.DateField(unique=True)
    period_end = models.DateField()
    content = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("afwijkingenrapport")
        verbose_name_plural = _("afwijkingenrapporten")
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return f"Afwijkingenrapport {self.period_start:%m-%Y}"
