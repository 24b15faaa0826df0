"""Measures (bestuurlijke maatregelen): 13b/prostitution/gambling closures, last onder dwangsom and
last onder bestuursdwang, each an append-only procedure of ``MeasureEvent`` rows with computed
``Deadline``s from configurable ``DeadlineRule``s; the escalation matrix; forfeitures and the afpak
ledger (DOMAIN.md §1.0–§1.4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from subjects.models import SubjectReference
from vik.core.models import BaseModel, ProtectedModel

from .constants import (
    DrugClass,
    EventType,
    MeasureKind,
    MeasureState,
    ObjectType,
    ReceivableKind,
    ReceivableStatus,
    SetBy,
    Verification,
)


class DeadlineRule(BaseModel):
    """One configurable term: which event starts it, how long it is, whether the Atw applies,
    who set it (law, policy, decision), its legal basis and how sure we are (DOMAIN tags).
    The functional admin edits policy and decision rules; law rules are read-only in the UI."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    trigger_event = models.CharField(
        _("start na gebeurtenis"), max_length=60, help_text=_("De gebeurtenis waarna de termijn gaat lopen.")
    )
    days = models.PositiveIntegerField(_("dagen"), default=0)
    weeks = models.PositiveIntegerField(_("weken"), default=0)
    months = models.PositiveIntegerField(_("maanden"), default=0)
    atw = models.BooleanField(
        _("Algemene termijnenwet van toepassing"),
        default=True,
        help_text=_("Alleen voor in een wet gestelde termijnen van ten hoogste drie maanden."),
    )
    set_by = models.CharField(_("vastgesteld bij"), max_length=10, choices=SetBy.choices)
    legal_basis = models.CharField(_("grondslag"), max_length=200)
    verification = models.CharField(
        _("verificatie"), max_length=2, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    requires_action = models.BooleanField(
        _("vraagt actie van de gemeente"),
        default=True,
        help_text=_(
            "Zo niet, dan is het een termijn van een ander (bijv. bezwaartermijn) die alleen wordt bewaakt."
        ),
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("termijnregel")
        verbose_name_plural = _("termijnregels")
        ordering = ["code"]
        permissions = [("use_calculator", "Mag de termijnenrekenhulp gebruiken")]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gt=0) | Q(weeks__gt=0) | Q(months__gt=0), name="measures_rule_has_length"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED

    @property
    def editable_by_admin(self) -> bool:
        return self.set_by != SetBy.LAW

    @property
    def length_label(self) -> str:
        from vik.core.deadline_rules import length_label

        return length_label(months=self.months, weeks=self.weeks, days=self.days)


class EscalationMatrix(BaseModel):
    """One version of the Damocles escalation matrix (DOMAIN §1.2a), valid from
    ``effective_from`` until the next version (or ``effective_until``)."""

    name = models.CharField(_("naam"), max_length=200)
    effective_from = models.DateField(_("geldig vanaf"))
    effective_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    lookback_years = models.PositiveIntegerField(
        _("terugkijkperiode recidive (jaren)"), default=5, validators=[MinValueValidator(1)]
    )
    legal_basis = models.CharField(_("grondslag / beleidsregel"), max_length=200, blank=True)
    verification = models.CharField(
        _("verificatie"), max_length=2, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    review_date = models.DateField(_("herzien uiterlijk"), null=True, blank=True)
    is_example = models.BooleanField(
        _("voorbeeld (niet actief)"),
        default=False,
        help_text=_("Een voorbeeldmatrix wordt nooit gebruikt voor een voorstel."),
    )

    class Meta:
        verbose_name = _("escalatiematrix")
        verbose_name_plural = _("escalatiematrices")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="measures_matrix_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d-%m-%Y})"


class EscalationStep(BaseModel):
    """object type × drug class × offence number → measure and duration. ``offence_number`` is
    the n-th offence on the address within the look-back; the highest row applies to all later
    offences. ``duration_months`` empty with a closure means: for an indefinite period."""

    matrix = models.ForeignKey(EscalationMatrix, on_delete=models.CASCADE, related_name="steps")
    object_type = models.CharField(_("soort object"), max_length=10, choices=ObjectType.choices)
    drug_class = models.CharField(
        _("soort drugs"), max_length=10, choices=DrugClass.choices, default=DrugClass.ANY
    )
    offence_number = models.PositiveIntegerField(_("overtreding nr."), validators=[MinValueValidator(1)])
    warning_only = models.BooleanField(_("alleen waarschuwing"), default=False)
    duration_months = models.PositiveIntegerField(_("duur (maanden)"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalatiestap")
        verbose_name_plural = _("escalatiestappen")
        ordering = ["object_type", "drug_class", "offence_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["matrix", "object_type", "drug_class", "offence_number"], name="measures_step_unique"
            )
        ]

    @property
    def outcome_label(self) -> str:
        if self.warning_only:
            return str(_("waarschuwing"))
        if self.duration_months is None:
            return str(_("sluiting voor onbepaalde tijd"))
        return str(_("sluiting %(n)s maanden") % {"n": self.duration_months})


class Measure(ProtectedModel, SubjectReference):
    kind = models.CharField(_("soort maatregel"), max_length=20, choices=MeasureKind.choices)
    state = models.CharField(
        _("fase"), max_length=30, choices=MeasureState.choices, default=MeasureState.ASSESSMENT
    )
    title = models.CharField(_("korte omschrijving"), max_length=200)
    legal_basis = models.CharField(_("grondslag"), max_length=200)
    person = models.ForeignKey(
        "subjects.Person",
        verbose_name=_("persoon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    organisation = models.ForeignKey(
        "subjects.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    address = models.ForeignKey(
        "subjects.Address",
        verbose_name=_("adres"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    signals = models.ManyToManyField(
        "signals.Signal", verbose_name=_("signalen"), blank=True, related_name="measures"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandelaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures_responsible",
    )
    # 13b: matrix input and proposal (DOMAIN §1.2a)
    object_type = models.CharField(_("soort object"), max_length=10, choices=ObjectType.choices, blank=True)
    drug_class = models.CharField(_("soort drugs"), max_length=10, choices=DrugClass.choices, blank=True)
    offence_number = models.PositiveIntegerField(_("overtreding nr. op dit adres"), null=True, blank=True)
    matrix = models.ForeignKey(
        EscalationMatrix, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal = models.CharField(_("voorstel"), max_length=200, blank=True)
    proposal_reasoning = models.TextField(_("onderbouwing voorstel"), blank=True)
    # decided (besluit)
    duration_months = models.PositiveIntegerField(_("duur sluiting (maanden)"), null=True, blank=True)
    amount_per_violation = models.DecimalField(
        _("bedrag per overtreding (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    maximum_amount = models.DecimalField(
        _("maximum (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    # overlays (DOMAIN §1.2): BEZWAAR_PENDING, VV_PENDING, SUSPENDED_BY_COURT (+ beroep)
    bezwaar_pending = models.BooleanField(_("bezwaar loopt"), default=False)
    beroep_pending = models.BooleanField(_("beroep loopt"), default=False)
    vv_pending = models.BooleanField(_("voorlopige voorziening aangevraagd"), default=False)
    suspended_by_court = models.BooleanField(_("geschorst door de rechter"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["-created_at"]
        permissions = [("decide_measure", "Mag besluiten over een maatregel vastleggen (voornemen/besluit)")]
        indexes = [
            GinIndex(fields=["visible_to"], name="measures_measure_vis"),
            models.Index(fields=["kind", "state"], name="measures_measure_kind_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_per_violation__isnull=True) | Q(amount_per_violation__gt=0),
                name="measures_measure_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(maximum_amount__isnull=True)
                | Q(amount_per_violation__isnull=True)
                | Q(maximum_amount__gte=models.F("amount_per_violation")),
                name="measures_measure_max_ge_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"M-{self.pk} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"M-{self.pk}"

    @property
    def overlays(self) -> list[str]:
        labels = []
        if self.bezwaar_pending:
            labels.append(str(_("bezwaar loopt")))
        if self.beroep_pending:
            labels.append(str(_("beroep loopt")))
        if self.vv_pending:
            labels.append(str(_("voorlopige voorziening aangevraagd")))
        if self.suspended_by_court:
            labels.append(str(_("geschorst door de rechter")))
        return labels


class MeasureEvent(models.Model):
    """One step of the procedure. Append-only: a database trigger refuses UPDATE and DELETE."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    code = models.CharField(_("gebeurtenis"), max_length=60, choices=EventType.choices)
    date = models.DateField(_("datum"))
    params = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    state_after = models.CharField(max_length=30, choices=MeasureState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["measure", "seq"]
        constraints = [models.UniqueConstraint(fields=["measure", "seq"], name="measures_event_seq")]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.date:%d-%m-%Y}"


class Forfeiture(BaseModel):
    """One verbeurte of a last onder dwangsom, with its own clocks (DOMAIN §1.3)."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="forfeitures")
    number = models.PositiveIntegerField(_("nr."))
    forfeited_on = models.DateField(_("verbeurd op"))
    amount = models.DecimalField(_("bedrag (EUR)"), max_digits=10, decimal_places=2)
    description = models.CharField(_("overtreding"), max_length=300)
    invordering_on = models.DateField(_("invorderingsbeschikking op"), null=True, blank=True)
    aanmaning_on = models.DateField(_("aanmaning op"), null=True, blank=True)
    dwangbevel_on = models.DateField(_("dwangbevel op"), null=True, blank=True)
    paid_on = models.DateField(_("betaald op"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("verbeurte")
        verbose_name_plural = _("verbeurten")
        ordering = ["measure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="measures_forfeiture_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="measures_forfeiture_amount_positive"),
            models.CheckConstraint(
                condition=Q(aanmaning_on__isnull=True) | Q(invordering_on__isnull=False),
                name="measures_forfeiture_invordering_before_aanmaning",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Verbeurte')} {self.number} ({self.forfeited_on:%d-%m-%Y})"


class Deadline(BaseModel):
    """A deadline computed from the rules on every event; never edited by hand."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="deadlines")
    forfeiture = models.ForeignKey(
        Forfeiture, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    key = models.CharField(max_length=80)
    rule = models.ForeignKey(
        DeadlineRule, verbose_name=_("regel"), on_delete=models.PROTECT, related_name="deadlines"
    )
    label = models.CharField(_("termijn"), max_length=200)
    due_date = models.DateField(_("uiterste datum"), db_index=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verantwoordelijke"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measure_deadlines",
    )
    done = models.BooleanField(_("afgehandeld"), default=False)
    paused = models.BooleanField(_("opgeschort"), default=False)
    note = models.CharField(
        _("berekening"),
        max_length=500,
        blank=True,
        help_text=_("Waarom de datum afwijkt van de gewone termijn (verlenging, artikel)."),
    )

    class Meta:
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["measure", "key"], name="measures_deadline_key")]
        indexes = [models.Index(fields=["responsible", "done", "due_date"], name="measures_deadline_mine")]

    def __str__(self) -> str:
        return f"{self.label} {self.due_date:%d-%m-%Y}"

    def is_overdue(self, today: date) -> bool:
        return not self.done and not self.paused and self.rule.requires_action and self.due_date < today


class Receivable(ProtectedModel):
    """One line of the afpak ledger (bestuurlijk afpakken): an amount owed by a subject."""

    kind = models.CharField(_("soort"), max_length=20, choices=ReceivableKind.choices)
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="receivables"
    )
    forfeiture = models.OneToOneField(
        Forfeiture, on_delete=models.PROTECT, null=True, blank=True, related_name="receivable"
    )
    person = models.ForeignKey(
        "subjects.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "subjects.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin_date = models.DateField(_("ontstaan op"))
    amount = models.DecimalField(_("bedrag (EUR)"), max_digits=12, decimal_places=2)
    invoiced_on = models.DateField(_("gefactureerd / invorderingsbeschikking op"), null=True, blank=True)
    collected = models.DecimalField(_("geïnd (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    written_off = models.DecimalField(
        _("afgeboekt (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    time_barred_on = models.DateField(_("verjaard op"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta(ProtectedModel.Meta):
        verbose_name = _("vordering")
        verbose_name_plural = _("vorderingen")
        ordering = ["-origin_date", "-id"]
        indexes = [
            GinIndex(fields=["visible_to"], name="measures_receivable_vis"),
            models.Index(fields=["origin_date"], name="measures_receivable_origin"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="measures_receivable_amount_positive"),
            models.CheckConstraint(
                condition=Q(collected__gte=0) & Q(written_off__gte=0), name="measures_receivable_parts_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=models.F("collected") + models.F("written_off")),
                name="measures_receivable_parts_le_amount",
            ),
        ]

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.collected - self.written_off

    @property
    def status(self) -> str:
        if self.outstanding == 0:
            return ReceivableStatus.COLLECTED if self.collected else ReceivableStatus.WRITTEN_OFF
        if self.time_barred_on:
            return ReceivableStatus.TIME_BARRED
        if self.invoiced_on:
            return ReceivableStatus.INVOICED
        return ReceivableStatus.OPEN

    @property
    def status_label(self) -> str:
        return ReceivableStatus(self.status).label


__all__ = [
    "Deadline",
    "DeadlineRule",
    "EscalationMatrix",
    "EscalationStep",
    "Forfeiture",
    "Measure",
    "MeasureEvent",
    "Receivable",
]
